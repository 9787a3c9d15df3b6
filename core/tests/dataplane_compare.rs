//! externalTrafficPolicy side by side (`dataplane::compare::external_policies`): the same
//! connection from the client outside the cluster, traced under `Cluster` and under `Local`
//! without changing the workspace.
//!
//! The rules pinned here (kubernetes.io "Virtual IPs and Service Proxies", the "Using Source
//! IP" tutorial, the Service API reference on `externalTrafficPolicy`): "Cluster" routes
//! external traffic to all ready endpoints and masquerades it, so the endpoint sees a node's
//! address; "Local" routes only to ready node-local endpoints, keeps the client's address, and
//! a node without one forwards nothing; a cloud load balancer health-checks
//! `healthCheckNodePort` and sends traffic only to nodes with a local endpoint.

mod dataplane_support;

use dataplane_support::{apply, deployment, node_ip, service};
use kubeplay_core::api::service::TrafficPolicy;
use kubeplay_core::dataplane::compare::{external_policies, CompareError};
use kubeplay_core::dataplane::{Reason, Step, TrafficPolicyKind, Verdict, DEFAULT_EXTERNAL_CLIENT};
use std::net::IpAddr;

/// One web pod, pinned to kubeplay-worker, behind a Service with `extra` spec lines.
fn one_pod_on_worker(extra: &str) -> String {
    let pinned =
        deployment("web", 1).replace("      containers:", "      nodeName: kubeplay-worker\n      containers:");
    format!("{pinned}{}", service("web", "web", extra))
}

fn delivered_from(verdict: &Verdict) -> IpAddr {
    match verdict {
        Verdict::Delivered { delivered_as, .. } => delivered_as.src.ip(),
        other => panic!("expected a delivery, got {other:?}"),
    }
}

#[test]
fn nodeport_cluster_masquerades_to_another_node_local_drops_at_a_node_without_endpoint() {
    let sim = apply(&one_pod_on_worker("  type: NodePort\n"));
    let [cluster, local] = external_policies(&sim, "default", "web", None).expect("compares");
    assert_eq!((cluster.policy, local.policy), (TrafficPolicy::Cluster, TrafficPolicy::Local));
    // The connection enters at the first node without a local endpoint: the control plane.
    let entry = node_ip(&sim, "kubeplay-control-plane");
    assert_eq!(cluster.request, local.request, "the same request under both policies");
    assert_eq!(cluster.request.to, kubeplay_core::dataplane::Target::Ip(entry.parse().expect("ip")));
    // Cluster: masqueraded to the entry node's address, forwarded to the pod on the worker.
    assert_eq!(delivered_from(&cluster.trace.verdict).to_string(), entry, "the client's address is lost");
    assert!(cluster.trace.hops.iter().any(|h| h.step == Step::MarkMasquerade));
    // Local: kube-proxy on the entry node has no local endpoint and drops the packet.
    assert!(
        matches!(
            local.trace.verdict,
            Verdict::Dropped(Reason::NoLocalEndpoints { policy: TrafficPolicyKind::External, .. })
        ),
        "{:?}",
        local.trace.verdict
    );
}

#[test]
fn nodeport_local_keeps_the_client_address_where_the_entry_node_has_an_endpoint() {
    // Every node runs a pod: no node lacks one, so the connection enters at the first worker,
    // and Local delivers there with the client's address.
    let pods: String = ["kubeplay-control-plane", "kubeplay-worker", "kubeplay-worker2"]
        .iter()
        .enumerate()
        .map(|(i, node)| {
            format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-{i}\n  labels:\n    app: web\nspec:\n  nodeName: {node}\n  tolerations:\n  - operator: Exists\n  containers:\n  - name: app\n    image: nginx\n    ports:\n    - name: http\n      containerPort: 8080\n---\n"
            )
        })
        .collect();
    let sim = apply(&format!("{pods}{}", service("web", "web", "  type: NodePort\n")));
    let [cluster, local] = external_policies(&sim, "default", "web", None).expect("compares");
    assert_eq!(
        cluster.request.to,
        kubeplay_core::dataplane::Target::Ip(node_ip(&sim, "kubeplay-worker").parse().expect("ip"))
    );
    assert_eq!(delivered_from(&local.trace.verdict), DEFAULT_EXTERNAL_CLIENT);
    assert_ne!(delivered_from(&cluster.trace.verdict), DEFAULT_EXTERNAL_CLIENT);
}

#[test]
fn load_balancer_local_is_sent_only_to_healthy_nodes_and_keeps_the_client_address() {
    let sim = apply(&one_pod_on_worker("  type: LoadBalancer\n"));
    let [cluster, local] = external_policies(&sim, "default", "web", None).expect("compares");
    let balanced = |t: &kubeplay_core::dataplane::Trace| {
        t.hops.iter().find_map(|h| match h.step {
            Step::Balanced { node, candidates, .. } => Some((sim.cluster().node(node).name.clone(), candidates)),
            _ => None,
        })
    };
    // Cluster: both workers pass the health check; the seed picked shows the second hop, to the
    // worker without the pod, masqueraded there.
    assert_eq!(balanced(&cluster.trace), Some(("kubeplay-worker2".to_string(), 2)));
    assert_eq!(delivered_from(&cluster.trace.verdict).to_string(), node_ip(&sim, "kubeplay-worker2"));
    // Local: only the node with the pod passes healthCheckNodePort; the client's address is kept.
    assert_eq!(balanced(&local.trace), Some(("kubeplay-worker".to_string(), 1)));
    assert_eq!(delivered_from(&local.trace.verdict), DEFAULT_EXTERNAL_CLIENT);
    // The Local variant was allocated a health check nodePort, as the API server does.
    let web = |c: &kubeplay_core::cluster::Cluster| {
        c.services.iter().find(|s| s.service.meta.name == "web").expect("web").health_check_node_port
    };
    assert!(web(&local.cluster).is_some());
    assert_eq!(web(&cluster.cluster), None);
}

#[test]
fn the_workspace_is_left_as_it_was() {
    let sim = apply(&one_pod_on_worker("  type: LoadBalancer\n  externalTrafficPolicy: Local\n"));
    let before = sim.cluster().clone();
    let [cluster, _] = external_policies(&sim, "default", "web", None).expect("compares");
    assert_eq!(sim.cluster(), &before);
    // Switched to Cluster, the Service loses its healthCheckNodePort (dropTypeDependentFields);
    // every allocation stays put.
    let web = |c: &kubeplay_core::cluster::Cluster| {
        c.services.iter().find(|s| s.service.meta.name == "web").expect("web").clone()
    };
    assert!(web(&before).health_check_node_port.is_some());
    assert_eq!(web(&cluster.cluster).health_check_node_port, None);
    assert_eq!(web(&cluster.cluster).node_ports, web(&before).node_ports);
    assert_eq!(web(&cluster.cluster).load_balancer, web(&before).load_balancer);
    assert_eq!(web(&cluster.cluster).cluster_ip, web(&before).cluster_ip);
}

#[test]
fn only_nodeport_and_load_balancer_services_compare() {
    let sim = apply(&one_pod_on_worker(""));
    let err = external_policies(&sim, "default", "web", None).expect_err("ClusterIP");
    assert!(matches!(err, CompareError::NotExternal { type_: "ClusterIP", .. }), "{err:?}");
    assert!(err.to_string().contains("NodePort and LoadBalancer"), "{err}");
    let err = external_policies(&sim, "default", "nope", None).expect_err("missing");
    assert_eq!(err.to_string(), "Error from server (NotFound): services \"nope\" not found in namespace \"default\"");
    let sim = apply(&one_pod_on_worker("  type: NodePort\n"));
    let err = external_policies(&sim, "default", "web", Some(81)).expect_err("no port 81");
    assert_eq!(err.to_string(), "error: service default/web has no port 81");
}

#[test]
fn load_balancer_local_with_endpoints_only_on_excluded_nodes_has_no_healthy_node() {
    // The only pod runs on the control plane, which kubeadm labels
    // node.kubernetes.io/exclude-from-external-load-balancers: under Local no node the load
    // balancer may use passes the health check and the client times out; under Cluster a worker
    // takes the connection and forwards it to the control plane, masqueraded.
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-0\n  labels:\n    app: web\nspec:\n  nodeName: kubeplay-control-plane\n  tolerations:\n  - operator: Exists\n  containers:\n  - name: app\n    image: nginx\n    ports:\n    - name: http\n      containerPort: 8080\n---\n";
    let sim = apply(&format!("{pod}{}", service("web", "web", "  type: LoadBalancer\n")));
    let [cluster, local] = external_policies(&sim, "default", "web", None).expect("compares");
    assert!(
        matches!(local.trace.verdict, Verdict::Timeout(Reason::NoHealthyNodes { .. })),
        "{:?}",
        local.trace.verdict
    );
    let from = delivered_from(&cluster.trace.verdict).to_string();
    assert!(from == node_ip(&sim, "kubeplay-worker") || from == node_ip(&sim, "kubeplay-worker2"), "{from}");
}

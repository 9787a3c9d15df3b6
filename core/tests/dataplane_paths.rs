//! Paths through the cluster network: pod to pod per CNI plugin, load balancers, clients
//! outside, host networking, and where NetworkPolicy is asked. Each test names its source:
//! the Kubernetes network model
//! (<https://kubernetes.io/docs/concepts/cluster-administration/networking/>), the Services
//! concept page (<https://kubernetes.io/docs/concepts/services-networking/service/>), the
//! NetworkPolicy concept page
//! (<https://kubernetes.io/docs/concepts/services-networking/network-policies/>), and the CNI
//! plugins' own documentation (flannel's VXLAN backend, Calico's BGP networking, Cilium's
//! eBPF datapath and kube-proxy replacement).

mod dataplane_support;

use dataplane_support::*;
use kubeplay_core::cluster::Cluster;
use kubeplay_core::dataplane::{Direction, PolicyCheck, PolicyHook, PolicyOutcome, Reason, Verdict};
use std::cell::RefCell;

fn config(cni: &str, extra: &str) -> String {
    format!("apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\n{extra}kubeplay:\n  cni: {cni}\n---\n")
}

fn two_pods(cni: &str, same_node: bool) -> kubeplay_core::simulation::Simulation {
    let other = if same_node { "kubeplay-worker" } else { "kubeplay-worker2" };
    apply(&format!(
        "{}{}{}",
        config(cni, ""),
        client("a", "kubeplay-worker"),
        client("b", other).replace("image: curlimages/curl", "image: nginx\n    ports:\n    - containerPort: 80")
    ))
}

#[test]
fn network_model_pods_on_one_node_talk_through_the_veths_without_nat() {
    // Network model: "pods can communicate with all other pods on any other node without NAT".
    let sim = two_pods("calico", true);
    let (_, view) = trace(&sim, "default/a", "default/b", None, 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    let b = pod_ip(&sim, "default/b");
    assert_eq!(view.delivered_as.as_ref().expect("delivered").dst, format!("{b}:80"));
    assert!(view.delivered_as.as_ref().expect("delivered").src.starts_with(&pod_ip(&sim, "default/a")));
    assert!(view.hops.iter().all(|h| !h.at.ends_with(" eth0") || h.at.starts_with("pod ")), "never leaves the node");
    assert!(rules(&view).is_empty());
}

#[test]
fn calico_routes_between_nodes_with_bgp_and_no_encapsulation() {
    // Calico's default in this model: routed (BGP) pod network, packets cross the node network
    // with their pod addresses unchanged and no outer header.
    let sim = two_pods("calico", false);
    let (t, view) = trace(&sim, "default/a", "default/b", None, 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    assert!(t.hops.iter().all(|h| h.outer.is_none()));
    assert!(view.hops.iter().any(|h| h.action.contains("BGP route via 172.18.0.4, no encapsulation")));
}

#[test]
fn flannel_encapsulates_in_vxlan_with_node_addresses_outside_and_pod_addresses_inside() {
    // flannel's VXLAN backend: the inner packet keeps pod addresses, the outer header goes from
    // node to node over UDP (8472, the Linux default port).
    let sim = two_pods("flannel", false);
    let (t, view) = trace(&sim, "default/a", "default/b", None, 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    let encap = view.hops.iter().find(|h| h.action.starts_with("VXLAN encapsulate")).expect("encapsulation");
    assert_eq!(encap.action, "VXLAN encapsulate: outer 172.18.0.3 -> 172.18.0.4 udp/8472");
    assert_eq!(encap.at, "kubeplay-worker flannel.1");
    assert!(encap.src.starts_with(&pod_ip(&sim, "default/a")), "the inner header is unchanged");
    let on_wire =
        t.hops.iter().find(|h| h.at == kubeplay_core::dataplane::Location::NodeEth0(kubeplay_core::cluster::NodeId(1)));
    assert!(on_wire.and_then(|h| h.outer).is_some(), "on the wire the packet is encapsulated");
    assert!(view.hops.iter().any(|h| h.at == "kubeplay-worker2 cni0"), "flannel delivers through the cni0 bridge");
    // The reply is encapsulated the other way.
    assert!(view.reply.iter().any(|h| h.action == "VXLAN encapsulate: outer 172.18.0.4 -> 172.18.0.3 udp/8472"));
}

#[test]
fn cilium_without_kube_proxy_translates_services_in_ebpf() {
    // Cilium's kube-proxy replacement: with kubeProxyMode none, Cilium's eBPF programs do the
    // Service translation; no iptables rule is involved.
    let sim = apply(&format!(
        "{}{}{}{}",
        config("cilium", "networking:\n  kubeProxyMode: none\n"),
        client("client", "kubeplay-worker"),
        deployment("web", 2),
        service("web", "web", "")
    ));
    let (_, view) = trace(&sim, "default/client", "svc/default/web", None, 2);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    assert!(rules(&view).is_empty());
    assert!(view.hops.iter().any(|h| h.at == "kubeplay-worker cilium eBPF" && h.action.starts_with("DNAT")));
}

#[test]
fn virtual_ips_without_any_service_proxy_a_cluster_ip_answers_nothing() {
    // virtual-ips: the ClusterIP is implemented by kube-proxy; with kubeProxyMode none and a CNI
    // that does not replace it, nothing translates the address.
    let sim = apply(&format!(
        "{}{}{}{}",
        config("calico", "networking:\n  kubeProxyMode: none\n"),
        client("client", "kubeplay-worker"),
        deployment("web", 1),
        service("web", "web", "")
    ));
    let (t, _) = trace(&sim, "default/client", "svc/default/web", None, 2);
    assert!(matches!(t.verdict, Verdict::Timeout(Reason::Unanswered { proxied: false, .. })), "{:?}", t.verdict);
}

#[test]
fn load_balancer_forwards_an_external_client_to_a_node_port() {
    // Services concept, type LoadBalancer: the cloud load balancer sends traffic to the
    // Service's nodePort on the nodes; from there it is NodePort traffic.
    let sim = apply(&format!("{}{}", deployment("web", 2), service("web", "web", "  type: LoadBalancer\n")));
    let (_, view) = trace(&sim, "external", "svc/default/web", None, 3);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    assert!(
        view.hops[0].action.starts_with("use the address of Service default/web: 172.18.255.200"),
        "{}",
        view.hops[0].action
    );
    let lb = view.hops.iter().find(|h| h.at.starts_with("load balancer 172.18.255.200")).expect("load balancer hop");
    let np = node_port(&sim, "default", "web");
    assert!(lb.action.contains(&format!(":{np}")), "{}", lb.action);
    assert!(
        lb.action.contains("one of 2 healthy nodes"),
        "the control plane is excluded from load balancers: {}",
        lb.action
    );
    // The reply leaves from the load balancer's address.
    assert_eq!(view.reply.last().expect("reply").src, "172.18.255.200:80");
}

#[test]
fn load_balancer_health_checks_skip_nodes_without_local_endpoints_under_local_policy() {
    // Services concept / Source IP tutorial: with externalTrafficPolicy Local the load balancer's
    // health check (healthCheckNodePort) fails on nodes without a local endpoint, so only nodes
    // with one receive traffic, and the client address is kept.
    let sim = apply(&format!(
        "{}{}",
        deployment("web", 1)
            .replace("    spec:\n      containers:", "    spec:\n      nodeName: kubeplay-worker2\n      containers:"),
        service("web", "web", "  type: LoadBalancer\n  externalTrafficPolicy: Local\n")
    ));
    for seed in 0..20 {
        let (_, view) = trace(&sim, "external", "svc/default/web", None, seed);
        assert_eq!(view.verdict, "delivered", "{}", view.reason);
        let lb = view.hops.iter().find(|h| h.at.starts_with("load balancer")).expect("lb hop");
        assert!(lb.action.contains("forward to kubeplay-worker2 (one of 1 healthy nodes)"), "{}", lb.action);
        assert!(view.delivered_as.expect("delivered").src.starts_with("203.0.113.10:"));
    }
}

#[test]
fn load_balancer_source_ranges_filter_clients() {
    // Services concept, loadBalancerSourceRanges: only clients in the ranges get through.
    let sim = apply(&format!(
        "{}{}",
        deployment("web", 1),
        service("web", "web", "  type: LoadBalancer\n  loadBalancerSourceRanges:\n  - 198.51.100.0/24\n")
    ));
    let (t, view) = trace(&sim, "external", "svc/default/web", None, 1);
    assert!(matches!(t.verdict, Verdict::Dropped(Reason::SourceRangeDenied { .. })), "{:?}", t.verdict);
    assert!(view.reason.contains("outside loadBalancerSourceRanges (198.51.100.0/24)"), "{}", view.reason);
    let (_, view) = trace(&sim, "external:198.51.100.9", "svc/default/web", None, 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
}

#[test]
fn load_balancer_pending_has_no_address_to_send_to() {
    // Services concept: until the provider sets status.loadBalancer, the Service shows
    // <pending> and there is no external address.
    let sim = apply(&format!(
        "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nkubeplay:\n  loadBalancer:\n    provider: none\n---\n{}{}",
        deployment("web", 1),
        service("web", "web", "  type: LoadBalancer\n")
    ));
    let (t, view) = trace(&sim, "external", "svc/default/web", None, 1);
    assert!(matches!(t.verdict, Verdict::NoRoute(Reason::LoadBalancerPending { .. })), "{:?}", t.verdict);
    assert!(view.reason.contains("<pending>"), "{}", view.reason);
}

#[test]
fn network_model_pod_and_cluster_ips_are_not_routable_from_outside() {
    // Network model: pod and Service addresses belong to the cluster's networks; an outside
    // client reaches Services through nodes and load balancers only.
    let sim = apply(&format!("{}{}", deployment("web", 1), service("web", "web", "")));
    let (web, _) = pods_of(&sim, "web").pop().expect("pod");
    let (_, view) = trace(&sim, "external", &pod_ip(&sim, &web), Some(8080), 1);
    assert_eq!(view.verdict, "no-route");
    assert!(view.reason.contains("is a pod address"), "{}", view.reason);
    let (_, view) = trace(&sim, "external", &cluster_ip(&sim, "default", "web"), None, 1);
    assert_eq!(view.verdict, "no-route");
    assert!(view.reason.contains("Service ClusterIP"), "{}", view.reason);
}

#[test]
fn network_model_an_address_nobody_has_gets_no_route_to_host() {
    // On the pod network an address no pod holds gets no ARP answer: EHOSTUNREACH.
    let sim = apply(&client("a", "kubeplay-worker"));
    let (_, view) = trace(&sim, "default/a", "10.244.2.200", Some(80), 1);
    assert_eq!(view.verdict, "no-route", "{}", view.reason);
}

#[test]
fn host_network_pods_listen_on_the_node_address() {
    // Pod spec hostNetwork: the pod uses the node's network namespace and address.
    let sim = apply(&format!(
        "{}apiVersion: v1\nkind: Pod\nmetadata:\n  name: agent\nspec:\n  hostNetwork: true\n  nodeName: kubeplay-worker2\n  containers:\n  - name: a\n    image: agent\n    ports:\n    - containerPort: 9100\n---\n",
        client("a", "kubeplay-worker")
    ));
    let (_, view) = trace(&sim, "default/a", "default/agent", None, 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    let backend = view.backend.expect("backend");
    assert_eq!((backend.ip.as_str(), backend.port), ("172.18.0.4", 9100));
    assert_eq!(backend.pod.as_deref(), Some("default/agent"));
    let (_, view) = trace(&sim, "default/a", "172.18.0.4", Some(9101), 1);
    assert_eq!(view.verdict, "refused", "{}", view.reason);
}

#[test]
fn the_kubernetes_service_reaches_the_api_server_on_the_control_plane() {
    // The default/kubernetes Service's endpoint is the API server at <control-plane IP>:6443.
    let sim = apply(&client("a", "kubeplay-worker"));
    let (_, view) = trace(&sim, "default/a", "kubernetes.default", None, 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    assert!(view.reason.contains("the API server"), "{}", view.reason);
    assert_eq!(view.backend.expect("backend").ip, "172.18.0.2");
}

#[test]
fn pod_spec_host_port_is_forwarded_to_the_pod_by_the_cni_portmap() {
    // Pod spec containers[].ports[].hostPort: the node's port is forwarded to the pod.
    let sim = apply(&format!(
        "{}apiVersion: v1\nkind: Pod\nmetadata:\n  name: hp\nspec:\n  nodeName: kubeplay-worker2\n  containers:\n  - name: a\n    image: nginx\n    ports:\n    - containerPort: 80\n      hostPort: 8088\n---\n",
        client("a", "kubeplay-worker")
    ));
    let (_, view) = trace(&sim, "external", "172.18.0.4", Some(8088), 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    assert_eq!(view.backend.expect("backend").pod.as_deref(), Some("default/hp"));
    assert!(view.hops.iter().any(|h| h.action.starts_with("hostPort (CNI portmap) DNAT 172.18.0.4:8088")));
}

/// A policy hook that records what it was asked and denies ingress when told to.
struct Recorder {
    asked: RefCell<Vec<PolicyCheck>>,
    deny_ingress: bool,
}

impl PolicyHook for Recorder {
    fn check(&self, _: &Cluster, check: &PolicyCheck) -> PolicyOutcome {
        self.asked.borrow_mut().push(check.clone());
        if self.deny_ingress && check.direction == Direction::Ingress {
            PolicyOutcome::Denied { policies: vec!["default/deny-all".to_string()] }
        } else {
            PolicyOutcome::NotIsolated
        }
    }
}

#[test]
fn network_policies_are_checked_after_dnat_at_egress_and_at_the_destination_pod_ingress() {
    // NetworkPolicy concept: policies select pods and their peers by pod addresses; for a
    // Service, the peer a policy sees is the endpoint pod (after kube-proxy's DNAT). The
    // dataplane asks the engine at the source's egress and the destination's ingress.
    let sim =
        apply(&format!("{}{}{}", client("client", "kubeplay-worker"), deployment("web", 1), service("web", "web", "")));
    let hook = Recorder { asked: RefCell::new(Vec::new()), deny_ingress: false };
    let (_, view) = trace_with(&sim, "default/client", "svc/default/web", &hook);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    let asked = hook.asked.borrow();
    assert_eq!(asked.len(), 2);
    let (web, _) = pods_of(&sim, "web").pop().expect("pod");
    assert_eq!(asked[0].direction, Direction::Egress);
    assert_eq!(asked[0].peer.to_string(), pod_ip(&sim, &web), "egress sees the endpoint, not the ClusterIP");
    assert_eq!(asked[0].port, 8080);
    assert_eq!(asked[1].direction, Direction::Ingress);
    assert_eq!(asked[1].peer.to_string(), pod_ip(&sim, "default/client"));
    drop(asked);

    let deny = Recorder { asked: RefCell::new(Vec::new()), deny_ingress: true };
    let (t, view) = trace_with(&sim, "default/client", "svc/default/web", &deny);
    assert!(matches!(t.verdict, Verdict::Dropped(Reason::PolicyDenied { direction: Direction::Ingress, .. })));
    assert!(view.reason.contains("default/deny-all"), "{}", view.reason);
    // By default the trace asks the policy engine; with no policy in the cluster both checks
    // say the pods are not isolated.
    let (_, view) = trace(&sim, "default/client", "svc/default/web", None, 1);
    let checks = view.hops.iter().filter(|h| h.action.ends_with("allowed (no policy selects the pod)")).count();
    assert_eq!(checks, 2, "{:?}", view.hops.iter().map(|h| &h.action).collect::<Vec<_>>());
}

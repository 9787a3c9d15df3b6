//! The control plane's rules, checked from YAML in to cluster state and kubectl output out.
//! Each test names the Kubernetes rule it checks and the upstream source it follows:
//! - EndpointSlice controller: kubernetes/kubernetes `staging/src/k8s.io/endpointslice`
//!   (`reconciler.go` placeholder slice, `utils.go` `podToEndpoint`, `setEndpointSliceLabels`);
//! - mirroring: `pkg/controller/endpointslicemirroring` (`shouldMirror`, `newEndpointSlice`);
//! - Endpoints controller: `pkg/controller/endpoint/endpoints_controller.go` (`syncService`);
//! - scheduler: `pkg/scheduler/framework/types.go` (`FitError`), the TaintToleration,
//!   NodeAffinity, NodePorts and NodeResourcesFit filters, `plugins/defaultpreemption`;
//! - kubelet: `pkg/kubelet/envvars/envvars.go`, `pkg/kubelet/kubelet_pods.go`;
//! - Service registry: `pkg/registry/core/service/storage/alloc.go`;
//! - admission: `plugin/pkg/admission/network/defaultingressclass`;
//! - kind: `pkg/cluster/internal/create/actions/kubeadminit/init.go` (control-plane taint).

use kubeplay_core::cluster::{Cluster, PendingReason, SliceOrigin};
use kubeplay_core::render::{describe_service, get, Format, Query, Resource, Scope};
use kubeplay_core::simulation::{ApplyOutcome, Simulation, SourceFile};
use serde_json::{json, Value};

fn apply(sim: &mut Simulation, yaml: &str) -> ApplyOutcome {
    let outcome = sim.apply(&[SourceFile::new("ws.yaml", yaml)]);
    assert!(!outcome.stale, "{:?}", outcome.diagnostics);
    outcome
}

fn cluster_of(yaml: &str) -> Simulation {
    let mut sim = Simulation::new();
    let outcome = apply(&mut sim, yaml);
    assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
    sim
}

fn json_of(cluster: &Cluster, resource: Resource, name: &str) -> Value {
    let query = Query { resource, scope: Scope::Namespace("default".into()), name: Some(name.into()) };
    let text = get(cluster, &query, Format::Json).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).expect("valid JSON")
}

fn table(cluster: &Cluster, resource: Resource) -> String {
    let query = Query { resource, scope: Scope::Namespace("default".into()), name: None };
    get(cluster, &query, Format::Table).unwrap_or_else(|e| panic!("{e}"))
}

fn pod(name: &str, labels: &str, extra_spec: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels: {labels}\nspec:\n{extra_spec}  containers:\n  - name: app\n    image: nginx:1.27\n    ports:\n    - name: http\n      containerPort: 8080\n---\n"
    )
}

fn service(name: &str, spec: &str) -> String {
    format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n{spec}---\n")
}

fn env(sim: &Simulation, pod: &str) -> Vec<(String, String)> {
    let cluster = sim.cluster();
    let id = cluster.find_pod("default", pod).expect("pod exists");
    cluster.environment(id)
}

fn env_names(sim: &Simulation, pod: &str) -> Vec<String> {
    env(sim, pod).into_iter().map(|(k, _)| k).collect()
}

fn slices_of<'a>(cluster: &'a Cluster, service: &str) -> Vec<&'a kubeplay_core::cluster::EndpointSliceState> {
    cluster.endpoint_slices.iter().filter(|s| s.service.as_deref() == Some(service)).collect()
}

// ---------------------------------------------------------------------------------------------
// EndpointSlices and Endpoints

#[test]
fn a_selector_service_matching_no_pod_gets_one_empty_placeholder_slice_and_an_empty_endpoints() {
    // reconciler.go: "When no endpoint slices would usually exist, we need to add a placeholder."
    // Its `endpoints` and `ports` are empty lists, which come back from storage as null.
    let sim = cluster_of(&service("api", "  selector: {app: api}\n  ports:\n  - port: 80\n"));
    let cluster = sim.cluster();
    let slices = slices_of(cluster, "api");
    assert_eq!(slices.len(), 1);
    assert_eq!(slices[0].origin, SliceOrigin::Managed);
    let value = json_of(cluster, Resource::EndpointSlices, &slices[0].name);
    assert_eq!(value["endpoints"], Value::Null);
    assert_eq!(value["ports"], Value::Null);
    assert!(table(cluster, Resource::EndpointSlices).contains("IPv4          <unset>   <unset>"));
    // syncService creates the Endpoints object even without pods: no subsets, `<none>`.
    assert!(table(cluster, Resource::Endpoints).contains("api          <none>"));
    assert!(json_of(cluster, Resource::Endpoints, "api").get("subsets").is_none());
}

#[test]
fn managed_slices_carry_the_service_labels_service_name_managed_by_and_the_headless_label() {
    // setEndpointSliceLabels: the Service's labels, then kubernetes.io/service-name,
    // endpointslice.kubernetes.io/managed-by and, without a ClusterIP, the headless label.
    let yaml = pod("db-0", "{app: db}", "")
        + &service("db", "  clusterIP: None\n  selector: {app: db}\n  ports:\n  - port: 5432\n")
            .replace("  name: db\n", "  name: db\n  labels: {tier: data}\n");
    let sim = cluster_of(&yaml);
    let cluster = sim.cluster();
    let slice = json_of(cluster, Resource::EndpointSlices, &slices_of(cluster, "db")[0].name);
    assert_eq!(
        slice["metadata"]["labels"],
        json!({
            "endpointslice.kubernetes.io/managed-by": "endpointslice-controller.k8s.io",
            "kubernetes.io/service-name": "db",
            "service.kubernetes.io/headless": "",
            "tier": "data",
        })
    );
    assert_eq!(slice["metadata"]["generateName"], "db-");
    assert_eq!(slice["metadata"]["ownerReferences"][0]["kind"], "Service");
    assert_eq!(slice["addressType"], "IPv4");
    // The Endpoints controller labels its object with the Service's labels, its own
    // managed-by label (1.33) and the headless label.
    let endpoints = json_of(cluster, Resource::Endpoints, "db");
    assert_eq!(
        endpoints["metadata"]["labels"],
        json!({"endpoints.kubernetes.io/managed-by": "endpoint-controller", "service.kubernetes.io/headless": "", "tier": "data"})
    );
}

#[test]
fn not_ready_pods_are_listed_not_ready_and_publish_not_ready_addresses_makes_them_ready() {
    // podToEndpoint: serving is the pod's readiness; ready = publishNotReadyAddresses || serving.
    // The Endpoints controller puts such pods in `notReadyAddresses` unless the Service
    // tolerates unready endpoints.
    let unready = pod("api-0", "{app: api}", "")
        .replace("  labels:", "  annotations: {kubeplay.dev/ready: \"false\"}\n  labels:");
    let spec = "  selector: {app: api}\n  ports:\n  - port: 80\n    targetPort: http\n";
    let sim = cluster_of(&(unready.clone() + &service("api", spec)));
    let cluster = sim.cluster();
    let slice = json_of(cluster, Resource::EndpointSlices, &slices_of(cluster, "api")[0].name);
    assert_eq!(slice["endpoints"][0]["conditions"], json!({"ready": false, "serving": false, "terminating": false}));
    let endpoints = json_of(cluster, Resource::Endpoints, "api");
    assert_eq!(endpoints["subsets"][0]["notReadyAddresses"][0]["targetRef"]["name"], "api-0");
    assert!(endpoints["subsets"][0].get("addresses").is_none());

    let tolerant = format!("{spec}  publishNotReadyAddresses: true\n");
    let sim = cluster_of(&(unready + &service("api", &tolerant)));
    let cluster = sim.cluster();
    let slice = json_of(cluster, Resource::EndpointSlices, &slices_of(cluster, "api")[0].name);
    assert_eq!(slice["endpoints"][0]["conditions"], json!({"ready": true, "serving": false, "terminating": false}));
    let endpoints = json_of(cluster, Resource::Endpoints, "api");
    assert_eq!(endpoints["subsets"][0]["addresses"][0]["ip"], "10.244.1.2");
    assert!(cluster.service("default", "api").expect("api").endpoints[0].ready);
}

#[test]
fn a_hand_written_endpoints_object_is_listed_and_mirrored_for_its_selectorless_service() {
    // shouldMirror + the Service check: a Service of that name without a selector. The mirrored
    // slice copies the labels, adds service-name and the mirroring controller's managed-by, is
    // owned by the Endpoints object and carries only the ready condition (addressToEndpoint).
    let yaml = service("ext", "  ports:\n  - port: 80\n")
        + "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: ext\n  labels: {team: a}\nsubsets:\n- addresses:\n  - ip: 192.0.2.10\n  ports:\n  - port: 80\n";
    let sim = cluster_of(&yaml);
    let cluster = sim.cluster();
    assert!(table(cluster, Resource::Endpoints).contains("ext          192.0.2.10:80"));
    let slices = slices_of(cluster, "ext");
    assert_eq!(slices.len(), 1);
    assert_eq!(slices[0].origin, SliceOrigin::Mirrored);
    let slice = json_of(cluster, Resource::EndpointSlices, &slices[0].name);
    assert_eq!(
        slice["metadata"]["labels"],
        json!({
            "endpointslice.kubernetes.io/managed-by": "endpointslicemirroring-controller.k8s.io",
            "kubernetes.io/service-name": "ext",
            "team": "a",
        })
    );
    assert_eq!(slice["metadata"]["ownerReferences"][0]["kind"], "Endpoints");
    assert_eq!(slice["endpoints"][0], json!({"addresses": ["192.0.2.10"], "conditions": {"ready": true}}));
    let ext = cluster.service("default", "ext").expect("ext");
    assert_eq!(ext.endpoints.iter().map(|e| e.ip.to_string()).collect::<Vec<_>>(), ["192.0.2.10"]);
}

#[test]
fn endpoints_are_not_mirrored_without_a_service_or_with_skip_mirror() {
    // syncEndpoints: no Service, or the skip-mirror label, means no mirrored slices; the
    // Endpoints object itself is still there for `kubectl get endpoints`.
    let lone =
        "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: lone\nsubsets:\n- addresses:\n  - ip: 192.0.2.1\n---\n";
    let skipped = service("skip", "  ports:\n  - port: 80\n")
        + "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: skip\n  labels: {endpointslice.kubernetes.io/skip-mirror: \"true\"}\nsubsets:\n- addresses:\n  - ip: 192.0.2.2\n  ports:\n  - port: 80\n";
    let sim = cluster_of(&format!("{lone}{skipped}"));
    let cluster = sim.cluster();
    assert!(slices_of(cluster, "lone").is_empty());
    assert!(slices_of(cluster, "skip").is_empty());
    let endpoints = table(cluster, Resource::Endpoints);
    assert!(endpoints.contains("lone         192.0.2.1 "), "{endpoints}");
    assert!(cluster.service("default", "skip").expect("skip").endpoints.is_empty());
}

#[test]
fn the_endpoints_controller_overwrites_a_hand_written_endpoints_of_a_selector_service() {
    // syncService updates the existing object: subsets from the pods, labels from the Service.
    let yaml = pod("api-0", "{app: api}", "")
        + &service("api", "  selector: {app: api}\n  ports:\n  - port: 80\n    targetPort: 8080\n")
        + "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: api\n  labels: {hand: written}\nsubsets:\n- addresses:\n  - ip: 192.0.2.9\n  ports:\n  - port: 80\n";
    let sim = cluster_of(&yaml);
    let cluster = sim.cluster();
    let endpoints = json_of(cluster, Resource::Endpoints, "api");
    assert_eq!(endpoints["metadata"]["labels"], json!({"endpoints.kubernetes.io/managed-by": "endpoint-controller"}));
    assert_eq!(endpoints["subsets"][0]["addresses"][0]["ip"], "10.244.1.2");
    assert!(
        slices_of(cluster, "api").iter().all(|s| s.origin == SliceOrigin::Managed),
        "not mirrored: it has a selector"
    );
}

#[test]
fn kube_proxy_merges_a_hand_written_slice_with_the_managed_ones_and_no_endpoints_object_appears() {
    // kube-proxy watches every EndpointSlice labelled kubernetes.io/service-name, whoever wrote
    // it; nothing turns a slice into a v1 Endpoints object.
    let yaml = pod("api-0", "{app: api}", "")
        + &service("api", "  selector: {app: api}\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n")
        + &service("solo", "  ports:\n  - port: 80\n")
        + "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: api-extra\n  labels: {kubernetes.io/service-name: api}\naddressType: IPv4\nendpoints:\n- addresses: [192.0.2.7]\nports:\n- name: http\n  port: 8080\n---\n"
        + "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: solo-1\n  labels: {kubernetes.io/service-name: solo}\naddressType: IPv4\nendpoints:\n- addresses: [192.0.2.8]\nports:\n- port: 80\n";
    let sim = cluster_of(&yaml);
    let cluster = sim.cluster();
    let api = cluster.service("default", "api").expect("api");
    assert_eq!(api.endpoints.iter().map(|e| e.ip.to_string()).collect::<Vec<_>>(), ["10.244.1.2", "192.0.2.7"]);
    let endpoints = table(cluster, Resource::Endpoints);
    assert!(!endpoints.contains("solo"), "{endpoints}");
    assert_eq!(slices_of(cluster, "solo")[0].origin, SliceOrigin::Written);
}

#[test]
fn a_slice_holds_at_most_100_endpoints() {
    // --max-endpoints-per-slice defaults to 100: 150 pods take two slices.
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 150\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n---\n";
    let sim =
        cluster_of(&format!("{deployment}{}", service("web", "  selector: {app: web}\n  ports:\n  - port: 80\n")));
    let sizes: Vec<usize> = slices_of(sim.cluster(), "web").iter().map(|s| s.endpoints.len()).collect();
    assert_eq!(sizes.iter().sum::<usize>(), 150);
    assert!(sizes.iter().all(|n| *n <= 100) && sizes.len() == 2, "{sizes:?}");
}

#[test]
fn the_kubernetes_service_endpoints_are_written_by_the_api_server() {
    // endpointsadapter.go: the slice has only the service-name label and a ready condition, no
    // node name; the Endpoints object is labelled skip-mirror.
    let sim = Simulation::new();
    let cluster = sim.cluster();
    let slice = json_of(cluster, Resource::EndpointSlices, "kubernetes");
    assert_eq!(slice["metadata"]["labels"], json!({"kubernetes.io/service-name": "kubernetes"}));
    assert_eq!(slice["endpoints"], json!([{"addresses": ["172.18.0.2"], "conditions": {"ready": true}}]));
    assert!(slice["metadata"].get("ownerReferences").is_none());
    let endpoints = json_of(cluster, Resource::Endpoints, "kubernetes");
    assert_eq!(endpoints["metadata"]["labels"], json!({"endpointslice.kubernetes.io/skip-mirror": "true"}));
    assert_eq!(endpoints["subsets"][0]["addresses"], json!([{"ip": "172.18.0.2"}]));
}

// ---------------------------------------------------------------------------------------------
// Scheduling

#[test]
fn an_unschedulable_pod_records_the_schedulers_reason_for_every_node() {
    // FitError.Error: per-node reasons counted and sorted, then preemption's verdict; the
    // control plane fails TaintToleration before NodeAffinity is even checked.
    let sim = cluster_of(&pod("picky", "{app: x}", "  nodeSelector: {disktype: ssd}\n"));
    let cluster = sim.cluster();
    let picky = cluster.pod(cluster.find_pod("default", "picky").expect("pod"));
    let Some(PendingReason::Unschedulable(why)) = &picky.pending else { panic!("{:?}", picky.pending) };
    let message =
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, \
                   2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: \
                   3 Preemption is not helpful for scheduling.";
    assert_eq!(why.to_string(), message);
    let value = json_of(cluster, Resource::Pods, "picky");
    assert_eq!(value["status"]["conditions"][0]["message"], message);
    assert_eq!(value["status"]["conditions"][0]["reason"], "Unschedulable");
}

#[test]
fn a_taken_host_port_leaves_the_later_pod_pending_where_preemption_finds_no_victims() {
    // NodePorts: a host port is per node; it answers Unschedulable, so preemption looks for
    // lower-priority pods and, every pod being priority 0, finds none.
    let host = |name: &str| {
        pod(name, "{app: edge}", "")
            .replace("      containerPort: 8080\n", "      containerPort: 8080\n      hostPort: 80\n")
    };
    let sim = cluster_of(&(host("edge-1") + &host("edge-2") + &host("edge-3")));
    let cluster = sim.cluster();
    let third = cluster.pod(cluster.find_pod("default", "edge-3").expect("pod"));
    let Some(PendingReason::Unschedulable(why)) = &third.pending else { panic!("{:?}", third.pending) };
    assert_eq!(
        why.to_string(),
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, \
         2 node(s) didn't have free ports for the requested pod ports. preemption: 0/3 nodes are available: \
         1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
    );
}

#[test]
fn a_node_runs_at_most_110_pods() {
    // NodeResourcesFit against the kubelet's default maxPods (110): two workers hold 220 pods.
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 221\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n";
    let sim = cluster_of(deployment);
    let pending: Vec<_> = sim.cluster().pods.iter().filter_map(|p| p.pending.as_ref()).collect();
    assert_eq!(pending.len(), 1);
    let PendingReason::Unschedulable(why) = pending[0] else { panic!("{pending:?}") };
    assert_eq!(
        why.to_string(),
        "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, \
         2 Too many pods. preemption: 0/3 nodes are available: 1 Preemption is not helpful for scheduling, \
         2 No preemption victims found for incoming pod."
    );
}

fn workload(kind: &str, name: &str, replicas: u64) -> String {
    let service_name = if kind == "StatefulSet" { format!("  serviceName: {name}\n") } else { String::new() };
    format!(
        "apiVersion: apps/v1\nkind: {kind}\nmetadata:\n  name: {name}\nspec:\n{service_name}  replicas: {replicas}\n  selector:\n    matchLabels: {{app: {name}}}\n  template:\n    metadata:\n      labels: {{app: {name}}}\n    spec:\n      containers:\n      - name: app\n        image: nginx:1.27\n---\n"
    )
}

#[test]
fn huge_replicas_are_accepted_and_the_playground_creates_at_most_its_pod_limit_with_a_warning_at_replicas() {
    // The API server accepts any int32 >= 0 (`ValidateNonnegativeField`); a real ReplicaSet
    // controller would create every pod and the scheduler would leave those beyond the nodes'
    // maxPods Pending. The playground stops at its limit of 2000 pods (CoreDNS's 2 included).
    let mut sim = Simulation::new();
    let outcome = apply(&mut sim, &workload("Deployment", "web", 100_000_000));
    assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
    let cluster = sim.cluster();
    assert_eq!(cluster.pods.len(), 2000);
    let learners: Vec<_> = cluster.pods.iter().filter(|p| !p.system).collect();
    assert_eq!(learners.len(), 1998);
    assert_eq!(learners.iter().filter(|p| p.node.is_some()).count(), 220, "two workers of 110 pods");
    for p in learners.iter().filter(|p| p.node.is_none()) {
        let Some(PendingReason::Unschedulable(why)) = &p.pending else { panic!("{:?}", p.pending) };
        assert!(why.to_string().contains("2 Too many pods"), "{why}");
    }
    let [warning] = &outcome.diagnostics[..] else { panic!("{:?}", outcome.diagnostics) };
    assert_eq!(warning.severity, kubeplay_core::diag::Severity::Warning);
    assert_eq!(warning.field, "spec.replicas");
    assert_eq!((warning.span.start.line, warning.span.start.column), (6, 13), "the value of replicas");
    assert_eq!(
        warning.message,
        "the playground creates at most 2000 pods in all, so only 1998 of this Deployment's 100000000 replicas \
         exist here"
    );
    assert!(warning.hint.as_deref().is_some_and(|h| h.contains("110 pods per node") && h.contains("Too many pods")));
    // kubectl's READY column: Ready pods over spec.replicas, as a real cluster would show it.
    assert!(
        table(cluster, Resource::Deployments).contains("web    220/100000000"),
        "{}",
        table(cluster, Resource::Deployments)
    );
}

#[test]
fn workloads_share_the_pod_limit_deployments_then_replica_sets_then_stateful_sets_and_bare_pods_always_count() {
    let yaml = workload("Deployment", "first", 1500)
        + &pod("bare", "{app: bare}", "")
        + &workload("StatefulSet", "db", 600)
        + &workload("ReplicaSet", "late", 3);
    let mut sim = Simulation::new();
    let outcome = apply(&mut sim, &yaml);
    assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
    let cluster = sim.cluster();
    let owned_by =
        |name: &str| cluster.pods.iter().filter(|p| p.owner.as_ref().is_some_and(|o| o.name.starts_with(name))).count();
    // 2000 - 2 (CoreDNS) - 1 (bare) - 1500 - 3 (the ReplicaSet) = 494 left for the StatefulSet.
    assert_eq!((owned_by("first"), owned_by("late"), owned_by("db")), (1500, 3, 494));
    assert!(cluster.find_pod("default", "bare").is_some());
    assert!(cluster.find_pod("default", "db-493").is_some() && cluster.find_pod("default", "db-494").is_none());
    let warned: Vec<(&str, &str)> =
        outcome.diagnostics.iter().map(|d| (d.field.as_str(), d.message.as_str())).collect();
    assert_eq!(
        warned,
        [(
            "spec.replicas",
            "the playground creates at most 2000 pods in all, so only 494 of this StatefulSet's 600 replicas exist here"
        )]
    );
}

#[test]
fn a_node_name_that_does_not_exist_leaves_the_pod_pending_without_a_scheduler_condition() {
    // spec.nodeName bypasses the scheduler, so nothing writes PodScheduled.
    let sim = cluster_of(&pod("typo", "{app: x}", "  nodeName: kubeplay-wroker\n"));
    let cluster = sim.cluster();
    let typo = cluster.pod(cluster.find_pod("default", "typo").expect("pod"));
    assert_eq!(typo.pending, Some(PendingReason::NodeNotFound { node: "kubeplay-wroker".into() }));
    let value = json_of(cluster, Resource::Pods, "typo");
    assert_eq!(value["status"], json!({"phase": "Pending", "qosClass": "BestEffort"}));
    assert_eq!(value["spec"]["nodeName"], "kubeplay-wroker");
}

#[test]
fn kind_untaints_the_control_plane_of_a_one_node_cluster_only() {
    // kubeadminit: "if we are only provisioning one node, remove the control plane taint".
    let one = "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes:\n- role: control-plane\n---\n";
    let sim = cluster_of(&(one.to_string() + &pod("solo", "{app: x}", "")));
    let cluster = sim.cluster();
    assert!(cluster.nodes[0].taints.is_empty());
    assert!(cluster.pod(cluster.find_pod("default", "solo").expect("pod")).is_ready());
    let node = json_of(cluster, Resource::Nodes, "kubeplay-control-plane");
    assert!(node["spec"].get("taints").is_none());

    let two = "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes:\n- role: control-plane\n- role: control-plane\n---\n";
    let sim = cluster_of(&(two.to_string() + &pod("solo", "{app: x}", "")));
    let cluster = sim.cluster();
    let node = json_of(cluster, Resource::Nodes, "kubeplay-control-plane2");
    assert_eq!(
        node["spec"]["taints"],
        json!([{"effect": "NoSchedule", "key": "node-role.kubernetes.io/control-plane"}])
    );
    assert!(cluster.pod(cluster.find_pod("default", "solo").expect("pod")).pending.is_some());
}

// ---------------------------------------------------------------------------------------------
// Service environment variables

#[test]
fn service_variables_are_named_as_the_kubelet_names_them() {
    // FromServices: {SVC}_SERVICE_HOST/_PORT/_PORT_{NAME}, then makeLinkVariables' Docker links;
    // names upper-cased with `-` as `_`; the kubernetes Service's too.
    let svc = "  clusterIP: 10.96.50.5\n  selector: {app: dns}\n  ports:\n  - name: dns-udp\n    port: 53\n    protocol: UDP\n  - name: metrics\n    port: 9153\n";
    let sim = cluster_of(&(service("my-dns", svc) + &pod("client", "{app: c}", "")));
    let mine: Vec<(String, String)> =
        env(&sim, "client").into_iter().filter(|(k, _)| k.starts_with("MY_DNS")).collect();
    let expected = [
        ("MY_DNS_PORT", "udp://10.96.50.5:53"),
        ("MY_DNS_PORT_53_UDP", "udp://10.96.50.5:53"),
        ("MY_DNS_PORT_53_UDP_ADDR", "10.96.50.5"),
        ("MY_DNS_PORT_53_UDP_PORT", "53"),
        ("MY_DNS_PORT_53_UDP_PROTO", "udp"),
        ("MY_DNS_PORT_9153_TCP", "tcp://10.96.50.5:9153"),
        ("MY_DNS_PORT_9153_TCP_ADDR", "10.96.50.5"),
        ("MY_DNS_PORT_9153_TCP_PORT", "9153"),
        ("MY_DNS_PORT_9153_TCP_PROTO", "tcp"),
        ("MY_DNS_SERVICE_HOST", "10.96.50.5"),
        ("MY_DNS_SERVICE_PORT", "53"),
        ("MY_DNS_SERVICE_PORT_DNS_UDP", "53"),
        ("MY_DNS_SERVICE_PORT_METRICS", "9153"),
    ];
    assert_eq!(mine, expected.map(|(k, v)| (k.to_string(), v.to_string())));
    let kubernetes: Vec<String> =
        env_names(&sim, "client").into_iter().filter(|k| k.starts_with("KUBERNETES")).collect();
    assert_eq!(
        kubernetes,
        [
            "KUBERNETES_PORT",
            "KUBERNETES_PORT_443_TCP",
            "KUBERNETES_PORT_443_TCP_ADDR",
            "KUBERNETES_PORT_443_TCP_PORT",
            "KUBERNETES_PORT_443_TCP_PROTO",
            "KUBERNETES_SERVICE_HOST",
            "KUBERNETES_SERVICE_PORT",
            "KUBERNETES_SERVICE_PORT_HTTPS",
        ]
    );
}

#[test]
fn a_service_created_after_the_pod_is_missing_until_the_pod_is_recreated() {
    // The kubelet computes the variables when the container starts; DNS has no such ordering.
    let mut sim = cluster_of(&pod("client", "{app: c}", ""));
    let svc = service("late", "  selector: {app: x}\n  ports:\n  - port: 80\n");
    apply(&mut sim, &(pod("client", "{app: c}", "") + &svc));
    assert!(!env_names(&sim, "client").iter().any(|k| k.starts_with("LATE_")));
    apply(&mut sim, &svc);
    apply(&mut sim, &(pod("client", "{app: c}", "") + &svc));
    assert!(env_names(&sim, "client").contains(&"LATE_SERVICE_HOST".to_string()));
}

#[test]
fn in_one_apply_a_bare_pod_sees_the_services_before_it_and_a_controllers_pods_see_all() {
    // kubectl creates objects in file order; a Deployment's pods come later, from its ReplicaSet.
    let deployment = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n  selector:\n    matchLabels: {app: web}\n  template:\n    metadata:\n      labels: {app: web}\n    spec:\n      containers:\n      - name: web\n        image: nginx:1.27\n---\n";
    let yaml = service("early", "  selector: {app: x}\n  ports:\n  - port: 80\n")
        + &pod("client", "{app: c}", "")
        + deployment
        + &service("later", "  selector: {app: x}\n  ports:\n  - port: 80\n");
    let sim = cluster_of(&yaml);
    let names = env_names(&sim, "client");
    assert!(names.contains(&"EARLY_SERVICE_HOST".to_string()) && !names.iter().any(|k| k.starts_with("LATER_")));
    let web = sim.cluster().pods.iter().find(|p| p.pod.meta.name.starts_with("web-")).expect("web pod");
    let web_names: Vec<&str> = web.environment.iter().map(|(k, _)| k.as_str()).collect();
    assert!(web_names.contains(&"EARLY_SERVICE_HOST") && web_names.contains(&"LATER_SERVICE_HOST"));
}

#[test]
fn a_deleted_service_keeps_its_variables_in_running_pods() {
    // The environment is fixed at container start.
    let svc = service("gone", "  selector: {app: x}\n  ports:\n  - port: 80\n");
    let mut sim = cluster_of(&(svc + &pod("client", "{app: c}", "")));
    assert!(env_names(&sim, "client").contains(&"GONE_SERVICE_HOST".to_string()));
    apply(&mut sim, &pod("client", "{app: c}", ""));
    assert!(sim.cluster().service("default", "gone").is_none());
    assert!(env_names(&sim, "client").contains(&"GONE_SERVICE_HOST".to_string()));
}

#[test]
fn headless_and_external_name_services_set_no_variables_and_other_namespaces_none_but_kubernetes() {
    // getServiceEnvVarMap: IsServiceIPSet, the pod's namespace, plus default/kubernetes.
    let yaml = service("headless", "  clusterIP: None\n  selector: {app: x}\n  ports:\n  - port: 80\n")
        + &service("alias", "  type: ExternalName\n  externalName: example.com\n")
        + "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: other\n---\n"
        + &service("elsewhere", "  selector: {app: x}\n  ports:\n  - port: 80\n")
            .replace("  name: elsewhere\n", "  name: elsewhere\n  namespace: other\n")
        + &pod("client", "{app: c}", "");
    let sim = cluster_of(&yaml);
    let prefixes: std::collections::BTreeSet<String> =
        env_names(&sim, "client").iter().map(|k| k.split('_').next().unwrap_or_default().to_string()).collect();
    assert_eq!(prefixes.into_iter().collect::<Vec<_>>(), ["KUBERNETES"]);
}

#[test]
fn enable_service_links_false_keeps_only_the_kubernetes_service() {
    // getServiceEnvVarMap: the master service's variables are added even if enableServiceLinks
    // is false.
    let yaml = service("api", "  selector: {app: x}\n  ports:\n  - port: 80\n")
        + &pod("quiet", "{app: q}", "  enableServiceLinks: false\n");
    let sim = cluster_of(&yaml);
    let names = env_names(&sim, "quiet");
    assert!(names.iter().all(|k| k.starts_with("KUBERNETES_")) && names.len() == 8, "{names:?}");
    assert_eq!(json_of(sim.cluster(), Resource::Pods, "quiet")["spec"]["enableServiceLinks"], false);
}

#[test]
fn a_pending_pod_has_no_environment_and_gets_every_service_when_it_starts() {
    // No container runs while Pending; when the pod is finally scheduled its containers start
    // with the Services that exist by then.
    let picky = pod("picky", "{app: x}", "  nodeSelector: {disktype: ssd}\n");
    let mut sim = cluster_of(&picky);
    assert!(env(&sim, "picky").is_empty());
    let svc = service("api", "  selector: {app: x}\n  ports:\n  - port: 80\n");
    let labelled = "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes:\n- role: control-plane\n- role: worker\n  labels: {disktype: ssd}\n---\n";
    apply(&mut sim, &(picky.clone() + &svc));
    apply(&mut sim, &(labelled.to_string() + &picky + &svc));
    assert!(env_names(&sim, "picky").contains(&"API_SERVICE_HOST".to_string()));
}

// ---------------------------------------------------------------------------------------------
// Service allocations

#[test]
fn a_local_load_balancer_gets_a_health_check_node_port_that_stays() {
    // NeedsHealthCheck: LoadBalancer with externalTrafficPolicy Local; allocated from the node
    // port range and kept while the Service exists.
    let lb = service(
        "edge",
        "  type: LoadBalancer\n  externalTrafficPolicy: Local\n  selector: {app: x}\n  ports:\n  - port: 80\n",
    );
    let mut sim = cluster_of(&lb);
    let port = sim.cluster().service("default", "edge").and_then(|s| s.health_check_node_port).expect("allocated");
    assert!((30000..=32767).contains(&port));
    let value = json_of(sim.cluster(), Resource::Services, "edge");
    assert_eq!(value["spec"]["healthCheckNodePort"], port);
    let described = describe_service(sim.cluster(), "default", "edge").expect("found");
    assert!(
        described.contains(&format!("Internal Traffic Policy:  Cluster\nHealthCheck NodePort:     {port}\n")),
        "{described}"
    );
    apply(
        &mut sim,
        &(lb.clone() + &service("other", "  type: NodePort\n  selector: {app: other}\n  ports:\n  - port: 81\n")),
    );
    assert_eq!(sim.cluster().service("default", "edge").and_then(|s| s.health_check_node_port), Some(port));
    let cluster_policy = lb.replace("Local", "Cluster");
    apply(&mut sim, &cluster_policy);
    assert_eq!(sim.cluster().service("default", "edge").and_then(|s| s.health_check_node_port), None);
}

#[test]
fn a_requested_health_check_node_port_is_honoured_and_a_taken_one_refused() {
    // allocHealthCheckNodePort: the requested port if free, else an internal error.
    let np = service("np", "  type: NodePort\n  selector: {app: other}\n  ports:\n  - port: 81\n    nodePort: 31000\n");
    let lb = |port: u16| {
        service(
            "edge",
            &format!(
                "  type: LoadBalancer\n  externalTrafficPolicy: Local\n  healthCheckNodePort: {port}\n  selector: {{app: x}}\n  ports:\n  - port: 80\n"
            ),
        )
    };
    let sim = cluster_of(&(np.clone() + &lb(31001)));
    assert_eq!(sim.cluster().service("default", "edge").and_then(|s| s.health_check_node_port), Some(31001));
    let mut sim = Simulation::new();
    let outcome = apply(&mut sim, &(np + &lb(31000)));
    let messages: Vec<String> = outcome.diagnostics.iter().map(|d| d.message.clone()).collect();
    assert!(
        messages.contains(&"Internal error occurred: failed to allocate requested HealthCheck NodePort 31000: provided port is already allocated".to_string()),
        "{messages:?}"
    );
    assert!(sim.cluster().service("default", "edge").is_none());
}

#[test]
fn node_ports_are_one_range_for_every_protocol_shared_only_by_ports_of_the_same_number() {
    // initNodePorts: ports with the same `port` number in one Service share a nodePort; across
    // Services the one port allocator refuses a nodePort already held, whatever the protocol.
    let dns = "  type: NodePort\n  selector: {app: dns}\n  ports:\n  - name: dns\n    port: 53\n    protocol: UDP\n  - name: dns-tcp\n    port: 53\n    protocol: TCP\n";
    let sim = cluster_of(&service("dns", dns));
    let ports = sim.cluster().service("default", "dns").expect("dns").node_ports.clone();
    assert!(ports[0].is_some() && ports[0] == ports[1], "{ports:?}");
    let taken = ports[0].expect("a nodePort");
    let udp = format!(
        "  type: NodePort\n  selector: {{app: x}}\n  ports:\n  - port: 9999\n    protocol: UDP\n    nodePort: {taken}\n"
    );
    let mut sim = sim;
    let outcome = apply(&mut sim, &(service("dns", dns) + &service("other", &udp)));
    let messages: Vec<String> = outcome.diagnostics.iter().map(|d| d.message.clone()).collect();
    assert!(messages.contains(&format!("Invalid value: {taken}: provided port is already allocated")), "{messages:?}");
}

// ---------------------------------------------------------------------------------------------
// Admission

#[test]
fn an_ingress_created_without_a_class_gets_the_default_class_and_keeps_what_it_got() {
    // DefaultIngressClass admits on create only: the field is then part of the stored object.
    let class = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n  annotations: {ingressclass.kubernetes.io/is-default-class: \"true\"}\nspec:\n  controller: k8s.io/ingress-nginx\n---\n";
    let ingress = |name: &str| {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: {name}\nspec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n---\n"
        )
    };
    let mut sim = cluster_of(&(ingress("early") + class + &ingress("late")));
    let class_of = |sim: &Simulation, name: &str| {
        sim.cluster().ingresses.iter().find(|i| i.meta.name == name).and_then(|i| i.ingress_class_name.clone())
    };
    assert_eq!(class_of(&sim, "early"), None, "created before the default class existed");
    assert_eq!(class_of(&sim, "late").as_deref(), Some("nginx"));
    assert_eq!(json_of(sim.cluster(), Resource::Ingresses, "late")["spec"]["ingressClassName"], "nginx");
    // Re-applying changes neither, and removing the class keeps the defaulted name.
    apply(&mut sim, &(ingress("early") + class + &ingress("late")));
    assert_eq!(class_of(&sim, "early"), None);
    apply(&mut sim, &(ingress("early") + &ingress("late")));
    assert_eq!(class_of(&sim, "late").as_deref(), Some("nginx"));
    assert!(table(sim.cluster(), Resource::Ingresses).contains("late    nginx"));
}

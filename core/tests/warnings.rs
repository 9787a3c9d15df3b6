//! Warnings for the classic traps (`kubeplay_core::warnings`): for each, a workspace that
//! triggers it, with the field, position, message and hint it gets, and one just like it that
//! does not. Warnings never reject anything: every workspace here applies without error and
//! without being marked stale.
//!
//! The default cluster is kind's, named kubeplay: `kubeplay-control-plane` (tainted NoSchedule) and the workers
//! `kubeplay-worker` and `kubeplay-worker2`.

use kubeplay_core::diag::{Diagnostic, Severity};
use kubeplay_core::simulation::{Simulation, SourceFile};

/// The warnings of `text` (which must apply without error) as `line:col field: message | hint`,
/// where `line:col` is the start of the field's value.
#[track_caller]
fn warnings(text: &str) -> Vec<String> {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("w.yaml", text)]);
    assert!(!outcome.has_errors(), "{:#?}", outcome.diagnostics);
    assert!(!outcome.stale);
    assert!(outcome.changes.iter().all(|c| c.action == kubeplay_core::simulation::Action::Created));
    outcome.diagnostics.iter().filter(|d| d.severity == Severity::Warning).map(line).collect()
}

fn line(d: &Diagnostic) -> String {
    format!(
        "{}:{} {}: {} | {}",
        d.span.start.line,
        d.span.start.column,
        d.field,
        d.message,
        d.hint.as_deref().unwrap_or("")
    )
}

/// A pod `name` labelled `app: <app>` with `ports` (YAML flow items, may be empty).
fn pod(name: &str, app: &str, ports: &str) -> String {
    let ports = if ports.is_empty() { String::new() } else { format!("    ports: [{ports}]\n") };
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels:\n    app: {app}\nspec:\n  containers:\n  - name: main\n    image: nginx\n{ports}---\n"
    )
}

/// A Service `web` selecting `app: <app>` on port 80 to `target`.
fn service(app: &str, target: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: {app}\n  ports:\n  - port: 80\n    targetPort: {target}\n---\n"
    )
}

#[test]
fn a_service_whose_selector_matches_no_pod() {
    let text = format!("{}{}", pod("frontend", "frontend", ""), service("web", "80"));
    assert_eq!(warnings(&text), [
        "18:5 spec.selector: no pod in namespace default has the labels app=web: the Service has no endpoints and connections to it are refused | give the pods these labels (for a Deployment, in spec.template.metadata.labels) or change the selector to labels the pods have",
    ]);
    // The selector matches a pod; and a Service without a selector (endpoints by hand) is fine.
    assert!(warnings(&format!("{}{}", pod("web", "web", ""), service("web", "80"))).is_empty());
    assert!(
        warnings("apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n  - port: 5432\n").is_empty()
    );
}

#[test]
fn a_service_selecting_pods_of_a_deployment_is_no_trap() {
    let text = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: main\n        image: nginx\n        ports:\n        - containerPort: 80\n---\n";
    assert!(warnings(&format!("{text}{}", service("web", "80"))).is_empty());
}

#[test]
fn a_numeric_target_port_no_selected_container_declares() {
    let text = format!("{}{}", pod("web", "web", "{containerPort: 8080}"), service("web", "80"));
    assert_eq!(warnings(&text), [
        "22:17 spec.ports[0].targetPort: targetPort 80/TCP: no container of the selected pods declares this port | set targetPort to the containerPort the pods listen on, or declare 80 in their ports",
    ]);
    assert!(warnings(&format!("{}{}", pod("web", "web", "{containerPort: 8080}"), service("web", "8080"))).is_empty());
    // A pod that declares no port at all may listen anywhere (declaring is optional).
    assert!(warnings(&format!("{}{}", pod("web", "web", ""), service("web", "8080"))).is_empty());
}

#[test]
fn a_target_port_left_out_defaults_to_port_and_is_reported_there() {
    let text = format!(
        "{}apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n",
        pod("web", "web", "{containerPort: 8080}")
    );
    assert_eq!(warnings(&text), [
        "21:11 spec.ports[0].port: targetPort 80/TCP: no container of the selected pods declares this port | set targetPort to the containerPort the pods listen on, or declare 80 in their ports",
    ]);
}

#[test]
fn a_named_target_port_no_selected_container_has() {
    let text = format!("{}{}", pod("web", "web", "{name: web, containerPort: 8080}"), service("web", "http"));
    assert_eq!(warnings(&text), [
        "22:17 spec.ports[0].targetPort: targetPort http: no container of the selected pods has a TCP port named http, so the Service has no endpoints on this port | name the container port http (ports[].name) or use the port number",
    ]);
    let named = format!("{}{}", pod("web", "web", "{name: http, containerPort: 8080}"), service("web", "http"));
    assert!(warnings(&named).is_empty());
}

/// Namespaces `web` (labelled `team: web`) and `db`, a pod in each, then `policy` (in `db`).
fn shop(policy: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: web\n  labels:\n    team: web\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: db\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: frontend\n  namespace: web\n  labels:\n    app: frontend\nspec:\n  containers:\n  - name: main\n    image: nginx\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: postgres\n  namespace: db\n  labels:\n    app: postgres\nspec:\n  containers:\n  - name: main\n    image: postgres\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: pol\n  namespace: db\nspec:\n  podSelector:\n    matchLabels:\n      app: postgres\n{policy}"
    )
}

#[test]
fn a_namespace_selector_and_a_pod_selector_as_two_items() {
    let or = "  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: web\n    - podSelector:\n        matchLabels:\n          app: frontend\n";
    assert_eq!(warnings(&shop(or)), [
        "51:7 spec.ingress[0].from[1]: from[0] (namespaceSelector) and from[1] (podSelector) are separate items, which are ORed: every pod of the selected namespaces is admitted, and the podSelector only picks pods of namespace db | to admit only pods matching the podSelector in namespaces matching the namespaceSelector, write both in one item: remove the dash before the second selector",
    ]);
    let and = "  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: web\n      podSelector:\n        matchLabels:\n          app: frontend\n";
    assert!(warnings(&shop(and)).is_empty());
    // Two pod selectors (or two namespace selectors) as two items are an OR of like with like.
    let pods = "  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          app: a\n    - podSelector:\n        matchLabels:\n          app: b\n";
    assert!(warnings(&shop(pods)).is_empty());
}

#[test]
fn a_namespace_selector_on_a_label_no_namespace_has() {
    let by_name = "  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          name: web\n";
    assert_eq!(warnings(&shop(by_name)), [
        "49:9 spec.ingress[0].from[0].namespaceSelector: no namespace has labels matching name=web: this peer admits nothing | every namespace carries the label kubernetes.io/metadata.name=<its name>: to select namespace web, write kubernetes.io/metadata.name: web",
    ]);
    let unknown = "  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: payments\n";
    assert_eq!(warnings(&shop(unknown)), [
        "49:9 spec.ingress[0].from[0].namespaceSelector: no namespace has labels matching team=payments: this peer admits nothing | label the namespaces you mean (metadata.labels of the Namespace), or select them by kubernetes.io/metadata.name",
    ]);
    let by_metadata_name =
        "  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: web\n";
    assert!(warnings(&shop(by_metadata_name)).is_empty());
}

#[test]
fn an_egress_policy_that_cuts_off_dns() {
    let deny = "  policyTypes: [Egress]\n";
    assert_eq!(warnings(&shop(deny)), [
        "46:16 spec.policyTypes: this policy isolates egress of pods such as db/postgres and no egress rule allows DNS (53/UDP to kube-dns): their name lookups time out | add an egress rule to namespaceSelector kubernetes.io/metadata.name: kube-system with podSelector k8s-app: kube-dns, ports 53/UDP and 53/TCP",
    ]);
    let only_web = "  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels:\n          team: web\n";
    assert_eq!(warnings(&shop(only_web))[0].split_once(' ').map(|(at, _)| at), Some("48:3"));
    let with_dns = "  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: kube-system\n      podSelector:\n        matchLabels:\n          k8s-app: kube-dns\n    ports:\n    - {port: 53, protocol: UDP}\n    - {port: 53, protocol: TCP}\n";
    assert!(warnings(&shop(with_dns)).is_empty());
    // Policies add up: another policy of the pod that allows DNS is enough.
    let other = "---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: dns\n  namespace: db\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - ports:\n    - {port: 53, protocol: UDP}\n";
    assert!(warnings(&shop(&format!("{deny}{other}"))).is_empty());
    // An ingress-only policy isolates no egress.
    assert!(warnings(&shop("  policyTypes: [Ingress]\n")).is_empty());
}

#[test]
fn a_policy_on_a_cluster_whose_cni_does_not_enforce_policies() {
    let cluster =
        |cni: &str| format!("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nkubeplay:\n  cni: {cni}\n---\n");
    let policy = "  policyTypes: [Ingress]\n";
    assert_eq!(warnings(&format!("{}{}", cluster("flannel"), shop(policy))), [
        "43:7 kind: the cluster's CNI plugin flannel does not enforce NetworkPolicy: this policy blocks nothing | choose a plugin that enforces policies in the cluster config (kubeplay.cni: calico, cilium or kindnet)",
    ]);
    assert!(warnings(&format!("{}{}", cluster("calico"), shop(policy))).is_empty());
    // Without a policy, flannel is no trap.
    assert!(warnings(&format!("{}{}", cluster("flannel"), pod("web", "web", ""))).is_empty());
}

/// A NodePort Service `web` with `externalTrafficPolicy: <policy>` and one pod per node in
/// `nodes` (pinned with nodeName).
fn local(policy: &str, nodes: &[&str]) -> String {
    let mut text = String::new();
    for (i, node) in nodes.iter().enumerate() {
        text.push_str(&format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web-{i}\n  labels:\n    app: web\nspec:\n  nodeName: {node}\n  containers:\n  - name: main\n    image: nginx\n---\n"
        ));
    }
    text.push_str(&format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  externalTrafficPolicy: {policy}\n  selector:\n    app: web\n  ports:\n  - port: 80\n"
    ));
    text
}

#[test]
fn external_traffic_policy_local_with_nodes_that_have_no_local_endpoint() {
    assert_eq!(warnings(&local("Local", &["kubeplay-worker"])), [
        "19:26 spec.externalTrafficPolicy: externalTrafficPolicy: Local: kubeplay-control-plane, kubeplay-worker2 have no ready endpoint of this Service, so traffic to their nodePort is dropped | send clients only to nodes with an endpoint (a load balancer's health checks do), run a pod on every node, or use externalTrafficPolicy: Cluster (the client address is then masqueraded)",
    ]);
    assert!(warnings(&local("Cluster", &["kubeplay-worker"])).is_empty());
    assert!(warnings(&local("Local", &["kubeplay-control-plane", "kubeplay-worker", "kubeplay-worker2"])).is_empty());
}

#[test]
fn a_multi_port_service_without_names_is_an_api_error_not_a_warning() {
    // ValidateService: "spec.ports[1].name: Required value" when a Service has more than one port.
    let text = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n  - port: 443\n";
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("w.yaml", text)]);
    let errors: Vec<_> = outcome.diagnostics.iter().filter(|d| d.severity == Severity::Error).collect();
    assert_eq!(errors.len(), 2, "{errors:#?}");
    assert!(errors.iter().all(|d| d.message.starts_with("Required value")), "{errors:#?}");
}

/// A pod with `dnsPolicy: Default` resolves through the node's resolver (kind: the node
/// network's gateway, 172.18.0.1), not kube-dns ("DNS for Services and Pods", Pod's DNS
/// Policy): the DNS rule it needs is egress to that address, and one to kube-dns does not help.
#[test]
fn an_egress_policy_that_cuts_off_the_node_resolver_of_a_default_dns_policy_pod() {
    let node_dns =
        |policy: &str| shop(policy).replace("    image: postgres\n", "    image: postgres\n  dnsPolicy: Default\n");
    let deny = "  policyTypes: [Egress]\n";
    assert_eq!(warnings(&node_dns(deny)), [
        "47:16 spec.policyTypes: this policy isolates egress of pods such as db/postgres and no egress rule allows DNS (53/UDP to 172.18.0.1, the first nameserver of its resolv.conf (dnsPolicy Default)): their name lookups time out | add an egress rule to ipBlock cidr: 172.18.0.1/32 (or the pod that serves it), ports 53/UDP and 53/TCP",
    ]);
    let to_kube_dns = "  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: kube-system\n      podSelector:\n        matchLabels:\n          k8s-app: kube-dns\n    ports:\n    - {port: 53, protocol: UDP}\n";
    assert_eq!(warnings(&node_dns(to_kube_dns)).len(), 1);
    let to_node_resolver =
        "  policyTypes: [Egress]\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 172.18.0.1/32\n    ports:\n    - {port: 53, protocol: UDP}\n";
    assert!(warnings(&node_dns(to_node_resolver)).is_empty());
    // The same ipBlock rule does not reach kube-dns for a ClusterFirst pod: policy sees the
    // CoreDNS pod's address after kube-proxy's DNAT.
    assert_eq!(warnings(&shop(to_node_resolver)).len(), 1);
}

/// A pod bound by `spec.nodeName` to a node that does not exist skips the scheduler and never
/// starts (the pod garbage collector's `gcOrphaned` deletes such pods); one whose `nodeSelector`
/// no node matches stays Pending ("didn't match Pod's node affinity/selector").
#[test]
fn a_pod_placed_on_no_node() {
    let pod = |spec: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n{spec}  containers:\n  - name: main\n    image: nginx\n")
    };
    assert_eq!(warnings(&pod("  nodeName: worker-9\n")), [
        "6:13 spec.nodeName: no node is named worker-9 (the nodes are kubeplay-control-plane, kubeplay-worker, kubeplay-worker2): the pod skips the scheduler, is bound to a node that does not exist and never starts | write the name of a node (kubectl get nodes), or remove nodeName and let the scheduler choose, with nodeSelector to pick nodes by label",
    ]);
    assert!(warnings(&pod("  nodeName: kubeplay-worker2\n")).is_empty());
    assert_eq!(warnings(&pod("  nodeSelector:\n    disktype: ssd\n")), [
        "7:5 spec.nodeSelector: no node has the labels disktype=ssd: the scheduler finds no node for the pod and it stays Pending | label a node in the cluster config (nodes[].labels) or select labels a node has, such as kubernetes.io/hostname: <node name>",
    ]);
    assert!(warnings(&pod("  nodeSelector:\n    kubernetes.io/hostname: kubeplay-worker\n")).is_empty());
    // A label given to a node in the cluster config is one the selector can match.
    let labelled = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n  labels:\n    disktype: ssd\n---\n";
    assert!(warnings(&format!("{labelled}{}", pod("  nodeSelector:\n    disktype: ssd\n"))).is_empty());
}

#[test]
fn a_workload_template_placed_on_no_node() {
    let deployment = |replicas: u32| {
        format!("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      nodeName: gone\n      containers:\n      - name: main\n        image: nginx\n")
    };
    let found = warnings(&deployment(2));
    assert_eq!(found.len(), 1);
    assert!(found[0].starts_with("15:17 spec.template.spec.nodeName: no node is named gone "), "{found:?}");
    // No replicas, no pods: nothing is stuck.
    assert!(warnings(&deployment(0)).is_empty());
}

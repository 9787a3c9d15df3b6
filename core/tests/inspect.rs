//! The inspector's facts for each kind of object: what the web app's inspector panel shows.

use kubeplay_core::api::Protocol;
use kubeplay_core::inspect::{inspect, Inspection, Item, Subject};
use kubeplay_core::policy::suggested_port;
use kubeplay_core::simulation::{Simulation, SourceFile};

/// Service `early` is created before pod `client`, Service `later` after it.
const WORKSPACE: &str = "\
apiVersion: v1
kind: Service
metadata: {name: early}
spec:
  selector: {app: web}
  ports:
  - name: http
    port: 80
    targetPort: http
---
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: web, tier: front}}
spec:
  containers:
  - name: app
    image: nginx:1.27
    ports:
    - {name: http, containerPort: 8080}
---
apiVersion: v1
kind: Service
metadata: {name: later}
spec:
  type: NodePort
  selector: {app: web}
  ports:
  - port: 9000
    targetPort: 8080
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-in}
spec:
  podSelector: {matchLabels: {app: web}}
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: egress-dns}
spec:
  podSelector: {}
  policyTypes: [Egress]
  egress:
  - to:
    - namespaceSelector: {matchLabels: {kubernetes.io/metadata.name: kube-system}}
    ports:
    - {port: 53, protocol: UDP}
";

fn sim() -> Simulation {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("app.yaml", WORKSPACE)]);
    assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
    sim
}

fn of(sim: &Simulation, subject: Subject) -> Inspection {
    inspect(sim.cluster(), &subject).expect("the object exists")
}

/// The value of field `label` in section `heading`.
fn field(i: &Inspection, heading: &str, label: &str) -> String {
    let section = i.sections.iter().find(|s| s.heading == heading).unwrap_or_else(|| panic!("no section {heading}"));
    section
        .items
        .iter()
        .find_map(|item| match item {
            Item::Field { label: l, value } if l == label => Some(value.clone()),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no field {label} in {heading}"))
}

/// The lines and blocks of section `heading`, joined.
fn text(i: &Inspection, heading: &str) -> String {
    let section = i.sections.iter().find(|s| s.heading.starts_with(heading)).expect("section");
    let parts: Vec<&str> = section
        .items
        .iter()
        .filter_map(|item| match item {
            Item::Line(t) | Item::Block(t) => Some(t.as_str()),
            Item::Field { .. } => None,
        })
        .collect();
    parts.join("\n")
}

#[test]
fn a_pod_shows_where_it_runs_its_ports_and_the_services_that_select_it() {
    let sim = sim();
    let pod = of(&sim, Subject::Pod("default/client".into()));
    assert_eq!(pod.title, "default/client");
    assert_eq!(field(&pod, "Pod", "Phase"), "Running");
    assert_eq!(field(&pod, "Pod", "Ready"), "True");
    assert!(field(&pod, "Pod", "IP").starts_with("10.244."));
    assert_eq!(field(&pod, "Containers", "app"), "nginx:1.27 · http 8080/TCP");
    assert_eq!(text(&pod, "Labels"), "app=web\ntier=front");
    assert_eq!(text(&pod, "Services selecting it"), "default/early\ndefault/later");
}

#[test]
fn a_pod_has_the_variables_of_services_created_before_it_only() {
    // kubelet envvars: fixed when the containers start; `later` was created after the pod.
    let sim = sim();
    let env = text(&of(&sim, Subject::Pod("default/client".into())), "Service environment variables");
    let early_ip = sim.cluster().service("default", "early").and_then(|s| s.cluster_ip).expect("ClusterIP");
    assert!(env.contains(&format!("EARLY_SERVICE_HOST={early_ip}\n")), "{env}");
    assert!(env.contains("EARLY_SERVICE_PORT_HTTP=80"));
    assert!(env.contains("KUBERNETES_SERVICE_HOST=10.96.0.1"));
    assert!(!env.contains("LATER_"), "{env}");
}

#[test]
fn a_pod_shows_its_resolv_conf_with_the_namespace_search_path() {
    // kubelet GetPodDNS, ClusterFirst: search <ns>.svc.<domain> svc.<domain> <domain>, ndots:5.
    let sim = sim();
    let resolv = text(&of(&sim, Subject::Pod("default/client".into())), "/etc/resolv.conf");
    assert_eq!(
        resolv,
        "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
    );
}

#[test]
fn a_pod_lists_the_policies_that_isolate_it_per_direction() {
    // A policy without policyTypes and egress rules isolates for Ingress only; egress-dns
    // (policyTypes: [Egress], podSelector {}) isolates every pod of default for Egress.
    let sim = sim();
    let pod = of(&sim, Subject::Pod("default/client".into()));
    assert_eq!(field(&pod, "NetworkPolicies", "Ingress"), "isolated by default/deny-in");
    assert_eq!(field(&pod, "NetworkPolicies", "Egress"), "isolated by default/egress-dns");
    assert_eq!(field(&pod, "NetworkPolicies", "Selected by"), "default/deny-in, default/egress-dns");
    let coredns = sim.cluster().pods.iter().find(|p| p.system).expect("CoreDNS").key();
    let coredns = of(&sim, Subject::Pod(coredns));
    assert_eq!(field(&coredns, "NetworkPolicies", "Ingress"), "not isolated: all ingress allowed");
}

#[test]
fn a_service_shows_ports_endpoints_dns_names_and_its_kube_proxy_chain() {
    let sim = sim();
    let svc = of(&sim, Subject::Service("default/early".into()));
    let ip = sim.cluster().service("default", "early").and_then(|s| s.cluster_ip).expect("ClusterIP");
    assert_eq!(field(&svc, "Service", "Type"), "ClusterIP");
    assert_eq!(field(&svc, "Service", "Selector"), "app=web");
    assert_eq!(field(&svc, "Service", "ClusterIP"), ip.to_string());
    assert_eq!(field(&svc, "Ports", "http"), "port 80/TCP → targetPort http");
    let pod_ip = sim.cluster().pods.iter().find(|p| p.pod.meta.name == "client").and_then(|p| p.ip).expect("IP");
    assert_eq!(text(&svc, "Endpoints"), format!("{pod_ip} default/client (ready)"));
    // DNS specification 2.3.1 (A record) and 2.3.2 (SRV per named port).
    assert_eq!(field(&svc, "DNS names", "A"), format!("early.default.svc.cluster.local → {ip}"));
    assert_eq!(field(&svc, "DNS names", "SRV"), "_http._tcp.early.default.svc.cluster.local → port 80");
    let rules = text(&svc, "kube-proxy rules on kubeplay-control-plane");
    let lines: Vec<&str> = rules.lines().collect();
    // The entry rule in KUBE-SERVICES, the KUBE-SVC chain and its jump to the endpoint, then
    // the endpoint's KUBE-SEP chain with the DNAT (kube-proxy writes single addresses bare).
    assert!(lines[0].starts_with("-A KUBE-SERVICES ") && lines[0].contains(&format!("-d {ip} ")), "{rules}");
    let jump = lines.iter().position(|l| l.starts_with("-A KUBE-SVC-") && l.contains("-j KUBE-SEP-")).expect(&rules);
    let dnat = format!("-j DNAT --to-destination {pod_ip}:8080");
    assert!(lines.iter().position(|l| l.starts_with("-A KUBE-SEP-") && l.contains(&dnat)) > Some(jump), "{rules}");
    assert!(!rules.contains("default/later"), "only this Service's rules: {rules}");
}

#[test]
fn a_node_port_service_shows_its_node_port_and_external_policy() {
    let sim = sim();
    let svc = of(&sim, Subject::Service("default/later".into()));
    let node_port = sim.cluster().service("default", "later").and_then(|s| s.node_ports[0]).expect("nodePort");
    assert_eq!(field(&svc, "Ports", "<unset>"), format!("port 9000/TCP → targetPort 8080, nodePort {node_port}"));
    assert_eq!(field(&svc, "Service", "External traffic policy"), "Cluster");
    assert!(text(&svc, "kube-proxy rules").contains("-A KUBE-NODEPORTS "));
}

#[test]
fn a_node_shows_its_addresses_taints_and_pods() {
    let sim = sim();
    let cp = of(&sim, Subject::Node("kubeplay-control-plane".into()));
    assert_eq!(field(&cp, "Node", "Role"), "control-plane");
    assert_eq!(field(&cp, "Node", "kube-proxy mode"), "iptables");
    assert_eq!(field(&cp, "Node", "CNI"), "calico (enforces NetworkPolicy)");
    assert_eq!(text(&cp, "Taints"), "node-role.kubernetes.io/control-plane:NoSchedule");
    let client = sim.cluster().pods.iter().find(|p| p.pod.meta.name == "client").expect("client");
    let node = sim.cluster().node(client.node.expect("scheduled"));
    let worker = of(&sim, Subject::Node(node.name.clone()));
    assert_eq!(field(&worker, "Node", "PodCIDR"), node.pod_cidr.to_string());
    assert!(text(&worker, "Pods").contains("default/client 10.244."));
}

#[test]
fn a_policy_shows_its_selector_types_rules_in_words_and_the_pods_it_selects() {
    let sim = sim();
    let deny = of(&sim, Subject::NetworkPolicy("default/deny-in".into()));
    assert_eq!(field(&deny, "NetworkPolicy", "Pod selector"), "app=web");
    assert_eq!(field(&deny, "NetworkPolicy", "Policy types"), "Ingress");
    assert_eq!(text(&deny, "Ingress rules"), "none: all ingress of the selected pods is denied");
    assert_eq!(text(&deny, "Pods it selects"), "default/client");
    let dns = of(&sim, Subject::NetworkPolicy("default/egress-dns".into()));
    assert_eq!(field(&dns, "NetworkPolicy", "Pod selector"), "{} (every pod of the namespace)");
    assert_eq!(
        field(&dns, "Egress rules", "egress[0]"),
        "to namespaceSelector kubernetes.io/metadata.name=kube-system; 53/UDP"
    );
}

#[test]
fn a_missing_object_inspects_to_nothing() {
    let sim = sim();
    assert_eq!(inspect(sim.cluster(), &Subject::Pod("default/nope".into())), None);
    assert_eq!(inspect(sim.cluster(), &Subject::Service("no-slash".into())), None);
    assert_eq!(inspect(sim.cluster(), &Subject::Node("kubeplay-worker9".into())), None);
}

#[test]
fn the_matrix_port_suggested_is_the_first_learner_service_target_port_resolved() {
    // `early`'s targetPort is the named port http, 8080 on the pod.
    assert_eq!(suggested_port(sim().cluster()), (8080, Protocol::TCP));
    assert_eq!(suggested_port(Simulation::new().cluster()), (80, Protocol::TCP));
}

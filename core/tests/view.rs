//! The view structs front ends draw: the facts the cluster view shows beside each object.
//! Rules: NetworkPolicy's "Isolated and Non-isolated Pods" (a pod is isolated for a direction
//! when a policy of its namespace selects it and has that direction in its policyTypes, which
//! default to Ingress, plus Egress when egress rules are written); hostNetwork pods are never
//! selected; flannel enforces no policy; a LoadBalancer needs a provider to get an address.

use kubeplay_core::simulation::{Simulation, SourceFile};
use kubeplay_core::view::{ClusterView, PodView};

fn view(yaml: &str) -> ClusterView {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("t.yaml", yaml)]);
    assert!(!outcome.has_errors(), "{:#?}", outcome.diagnostics);
    sim.view()
}

fn pod<'v>(v: &'v ClusterView, key: &str) -> &'v PodView {
    v.nodes.iter().flat_map(|n| &n.pods).find(|p| p.key == key).expect("pod drawn")
}

const PODS: &str = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  containers:\n  - name: c\n    image: nginx\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: host\n  labels:\n    app: web\nspec:\n  hostNetwork: true\n  containers:\n  - name: c\n    image: nginx\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: other\n  labels:\n    app: other\nspec:\n  containers:\n  - name: c\n    image: nginx\n---\n";

fn policy(name: &str, spec: &str) -> String {
    format!("apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: {name}\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n{spec}---\n")
}

#[test]
fn isolation_per_direction_follows_policy_types_and_their_defaults() {
    let v = view(&format!(
        "{PODS}{}{}",
        policy("in-default", ""),
        policy("out", "  egress:\n  - to:\n    - podSelector: {}\n")
    ));
    let web = pod(&v, "default/web");
    // No policyTypes: Ingress always; Egress only for the policy with egress rules.
    assert_eq!(web.isolated_ingress, ["default/in-default", "default/out"]);
    assert_eq!(web.isolated_egress, ["default/out"]);
    let other = pod(&v, "default/other");
    assert!(other.isolated_ingress.is_empty() && other.isolated_egress.is_empty());
    let host = pod(&v, "default/host");
    assert!(host.host_network);
    assert!(host.isolated_ingress.is_empty(), "hostNetwork pods are never selected");
    assert_eq!(v.network_policies, ["default/in-default", "default/out"]);
    assert!(v.policies_enforced);
}

#[test]
fn the_cluster_says_whether_policies_are_enforced_and_load_balancers_get_addresses() {
    let config =
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nkubeplay:\n  cni: flannel\n  loadBalancer:\n    provider: none\n---\n";
    let v = view(&format!("{config}{PODS}"));
    assert!(!v.policies_enforced);
    assert!(!v.load_balancer_provider);
    assert!(v.nodes.iter().all(|n| n.kube_proxy == "iptables"));
    let v = view(PODS);
    assert!(v.load_balancer_provider, "the default cluster has an address pool");
}

#[test]
fn external_traffic_policy_is_shown_only_for_services_reachable_from_outside() {
    let svc = |name: &str, ty: &str| {
        format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: {ty}\n  externalTrafficPolicy: Local\n  selector:\n    app: web\n  ports:\n  - port: 80\n---\n")
    };
    let v = view(&format!("{PODS}{}", svc("lb", "LoadBalancer")));
    let lb = v.services.iter().find(|s| s.name == "lb").expect("drawn");
    assert_eq!(lb.external_traffic_policy.as_deref(), Some("Local"));
    let kube_dns = v.services.iter().find(|s| s.name == "kube-dns").expect("drawn");
    assert_eq!(kube_dns.external_traffic_policy, None);
}

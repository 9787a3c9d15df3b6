//! Trace targets given as host names: the client's resolver looks them up through the cluster's
//! DNS (each query a packet through the same dataplane and NetworkPolicy), and the connection
//! goes to the address it got. Rules from the kubernetes.io pages "DNS for Services and Pods"
//! (the pod's search path) and "Debug Services" (a name that does not resolve), and the
//! NetworkPolicy page (an egress policy must allow DNS).

mod dataplane_support;

use dataplane_support::*;
use kubeplay_core::dataplane::{Reason, Verdict};

fn namespace(name: &str) -> String {
    format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {name}\n---\n")
}

fn client_in(ns: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n  namespace: {ns}\nspec:\n  nodeName: kubeplay-worker\n  containers:\n  - name: c\n    image: curlimages/curl\n---\n"
    )
}

fn shop() -> String {
    format!(
        "{}{}{}{}{}",
        namespace("other"),
        client("client", "kubeplay-worker"),
        client_in("other"),
        deployment("web", 2),
        service("web", "web", "")
    )
}

#[test]
fn dns_for_services_a_short_name_resolves_through_the_pods_own_namespace_search_domain() {
    let sim = apply(&shop());
    let ip = cluster_ip(&sim, "default", "web");
    let (_, view) = trace(&sim, "default/client", "web", None, 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    assert_eq!(
        view.hops[0].action,
        format!("resolve web -> {ip} (web.default.svc.cluster.local.; 2 queries)"),
        "getaddrinfo asks A and AAAA for the first search domain, which answers"
    );
    assert_eq!(view.hops[1].dst, format!("{ip}:80"), "the connection goes to the ClusterIP, the Service's first port");
}

#[test]
fn dns_for_services_from_another_namespace_the_short_name_is_nxdomain_and_name_dot_namespace_works() {
    let sim = apply(&shop());
    let (t, view) = trace(&sim, "other/client", "web", None, 1);
    assert!(matches!(&t.verdict, Verdict::NoRoute(Reason::Unresolved { rcode: "NXDOMAIN", .. })), "{:?}", t.verdict);
    assert!(view.reason.starts_with("could not resolve host web: no such name (NXDOMAIN)"), "{}", view.reason);
    assert!(
        view.hops[0].action.contains("web.other.svc.cluster.local., web.svc.cluster.local., web.cluster.local., web."),
        "every name the search path tried is listed: {}",
        view.hops[0].action
    );
    let (_, view) = trace(&sim, "other/client", "web.default", None, 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
}

#[test]
fn network_policy_an_egress_policy_without_a_dns_rule_leaves_names_unresolved_but_addresses_work() {
    let allow_web_only = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: only-web\nspec:\n  podSelector:\n    matchLabels:\n      role: client\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - podSelector:\n        matchLabels:\n          app: web\n    ports:\n    - port: 8080\n";
    let sim = apply(&format!("{}{allow_web_only}", shop()));
    let (_, view) = trace(&sim, "default/client", "svc/default/web", None, 1);
    assert_eq!(view.verdict, "delivered", "the Service address itself is allowed: {}", view.reason);
    let (t, view) = trace(&sim, "default/client", "web", None, 1);
    assert!(matches!(&t.verdict, Verdict::Timeout(Reason::Unresolved { rcode: "TIMEOUT", .. })), "{:?}", t.verdict);
    assert!(view.reason.contains("could not resolve host web: no DNS server answered (timeout)"), "{}", view.reason);
    assert!(
        view.reason.contains("default/only-web"),
        "the reason names the policy that dropped the query: {}",
        view.reason
    );
}

#[test]
fn a_client_outside_the_cluster_cannot_resolve_cluster_names() {
    // Cluster DNS serves pods; a client outside asks a public resolver, which knows nothing of
    // cluster.local: it must use an address (the load balancer's, a node's).
    let sim = apply(&format!("{}{}", deployment("web", 1), service("web", "web", "  type: LoadBalancer\n")));
    let (_, view) = trace(&sim, "external", "web.default.svc.cluster.local", None, 1);
    assert_eq!(view.verdict, "no-route");
    assert!(view.reason.contains("NXDOMAIN"), "{}", view.reason);
    let (_, view) = trace(&sim, "external", "svc/default/web", None, 1);
    assert_eq!(view.verdict, "delivered", "the load balancer's address works: {}", view.reason);
}

#[test]
fn dns_for_services_an_external_name_service_is_a_cname_and_the_connection_goes_to_the_outside_host() {
    let ext = "apiVersion: v1\nkind: Service\nmetadata:\n  name: api\nspec:\n  type: ExternalName\n  externalName: api.example.com\n---\n";
    let sim = apply(&format!("{}{ext}", client("client", "kubeplay-worker")));
    let (t, view) = trace(&sim, "default/client", "api", Some(443), 1);
    assert!(
        view.hops[0].action.contains("api.default.svc.cluster.local. is an alias (CNAME) for api.example.com."),
        "{}",
        view.hops[0].action
    );
    assert!(view.hops[0].action.starts_with("resolve api -> 192.0.2.20"), "{}", view.hops[0].action);
    assert!(matches!(&t.verdict, Verdict::Delivered { .. }), "{}", view.reason);
    assert_eq!(view.backend.expect("backend").ip, "192.0.2.20");
    // Without DNS, the Service itself has no address.
    let (_, view) = trace(&sim, "default/client", "svc/default/api", Some(443), 1);
    assert_eq!(view.verdict, "no-route");
    assert!(view.reason.contains("ExternalName"), "{}", view.reason);
}

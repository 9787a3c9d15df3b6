//! The structured twin of a trace's words, for animation: each hop's place (an object of the
//! cluster view and its part) and moment (the kind of event). A front end moves the packet from
//! place to place, so these must follow the real path: the client pod, its node's kube-proxy
//! where the Service's DNAT happens (kube-proxy's nat PREROUTING), the overlay between nodes
//! for VXLAN plugins, the backend pod; a denied NetworkPolicy at the pod whose policy denied.

mod dataplane_support;

use dataplane_support::*;
use kubeplay_core::dataplane::place::Moment;
use kubeplay_core::dataplane::render::HopView;

const FLANNEL: &str = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\nkubeplay:\n  cni: flannel\n---\n";

fn places(hops: &[HopView]) -> Vec<(String, String, &'static str)> {
    hops.iter().map(|h| (h.place.kind.to_string(), h.place.key.clone(), h.place.part)).collect()
}

fn first(hops: &[HopView], moment: Moment) -> Option<&HopView> {
    hops.iter().find(|h| h.moment == moment)
}

#[test]
fn a_service_connection_starts_at_the_client_pod_dnats_in_its_nodes_kube_proxy_and_ends_at_the_backend() {
    let sim =
        apply(&format!("{}{}{}", client("client", "kubeplay-worker"), deployment("web", 1), service("web", "web", "")));
    let (_, view) = trace(&sim, "default/client", "svc/default/web", None, 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    let backend = view.backend.as_ref().and_then(|b| b.pod.clone()).expect("a pod received it");
    let ps = places(&view.hops);
    assert_eq!(ps[0], ("pod".to_string(), "default/client".to_string(), "eth0"));
    let dnat = first(&view.hops, Moment::Dnat).expect("the Service address is rewritten");
    assert_eq!((dnat.place.kind, dnat.place.key.as_str(), dnat.place.part), ("node", "kubeplay-worker", "kube-proxy"));
    let last = view.hops.last().expect("hops");
    assert_eq!(last.moment, Moment::Deliver);
    assert_eq!((last.place.kind, last.place.key.as_str()), ("pod", backend.as_str()));
    // The reply starts at the backend and ends at the client; conntrack's reverse NAT happens
    // in the client node's netfilter, where the DNAT was.
    assert_eq!(view.reply.first().map(|h| (h.place.key.as_str(), h.moment)), Some((backend.as_str(), Moment::Send)));
    assert_eq!(view.reply.last().map(|h| h.place.key.as_str()), Some("default/client"));
    assert!(
        view.reply
            .iter()
            .any(|h| h.moment == Moment::Reply && h.place.part == "kube-proxy" && h.place.key == "kubeplay-worker"),
        "{:?}",
        places(&view.reply)
    );
}

#[test]
fn vxlan_plugins_encapsulate_between_nodes_with_the_node_addresses_as_the_outer_header() {
    let sim = apply(&format!(
        "{FLANNEL}{}{}",
        client("client", "kubeplay-worker"),
        client("server", "kubeplay-worker2").replace("role: client", "app: server")
    ));
    let server_ip = pod_ip(&sim, "default/server");
    let (_, view) = trace(&sim, "default/client", &server_ip, Some(80), 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    let encap = first(&view.hops, Moment::Encapsulate).expect("flannel wraps the packet");
    let decap = first(&view.hops, Moment::Decapsulate).expect("and unwraps it on the other node");
    assert_eq!((encap.place.key.as_str(), encap.place.part), ("kubeplay-worker", "tunnel"));
    assert_eq!((decap.place.key.as_str(), decap.place.part), ("kubeplay-worker2", "tunnel"));
    let outer = encap.outer.as_ref().expect("encapsulated hops carry the outer header");
    assert_eq!(outer.src, format!("{}:8472", node_ip(&sim, "kubeplay-worker")));
    assert_eq!(outer.dst, format!("{}:8472", node_ip(&sim, "kubeplay-worker2")));
    // The inner header is still pod to pod while wrapped.
    assert_eq!(encap.dst, format!("{server_ip}:80"));
    assert!(view.hops.iter().filter(|h| h.moment == Moment::Send).all(|h| h.outer.is_none()));
}

#[test]
fn calico_routes_between_nodes_without_encapsulation() {
    let sim = apply(&format!("{}{}", client("client", "kubeplay-worker"), client("server", "kubeplay-worker2")));
    let (_, view) = trace(&sim, "default/client", &pod_ip(&sim, "default/server"), Some(80), 1);
    assert!(first(&view.hops, Moment::Encapsulate).is_none(), "{:?}", places(&view.hops));
    assert!(view.hops.iter().all(|h| h.outer.is_none()));
    assert!(places(&view.hops).contains(&("node".to_string(), "kubeplay-worker2".to_string(), "eth0")));
}

#[test]
fn a_policy_deny_is_a_moment_at_the_pod_whose_ingress_policy_denied() {
    let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Ingress]\n---\n";
    let sim = apply(&format!(
        "{}{}{}{deny}",
        client("client", "kubeplay-worker"),
        deployment("web", 1),
        service("web", "web", "")
    ));
    let (_, view) = trace(&sim, "default/client", "svc/default/web", None, 1);
    assert_eq!(view.verdict, "dropped");
    let denied = first(&view.hops, Moment::PolicyDeny).expect("the drop is a policy moment");
    let web = pods_of(&sim, "web").remove(0).0;
    assert_eq!((denied.place.kind, denied.place.key.as_str(), denied.place.part), ("pod", web.as_str(), "veth"));
    assert!(view.reply.is_empty());
}

#[test]
fn a_lookups_queries_name_the_coredns_pod_that_answered_or_the_place_an_egress_policy_dropped_them() {
    let base = format!("{}{}{}", client("client", "kubeplay-worker"), deployment("web", 1), service("web", "web", ""));
    let sim = apply(&base);
    let (_, view) = trace(&sim, "default/client", "web", None, 1);
    let lookup = view.dns.expect("a name target carries its lookup");
    let coredns: Vec<String> = sim.cluster().pods.iter().filter(|p| p.system).map(|p| p.key()).collect();
    for q in &lookup.queries {
        assert_eq!(q.server, "10.96.0.10");
        assert!(coredns.contains(q.answered_by.as_ref().expect("answered")), "{:?}", q.answered_by);
        assert!(q.lost_at.is_none());
    }
    // The NetworkPolicy page: an egress policy that allows nothing also stops DNS, at the
    // client's own egress (its veth on its node).
    let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: no-egress\nspec:\n  podSelector:\n    matchLabels:\n      role: client\n  policyTypes: [Egress]\n---\n";
    let sim = apply(&format!("{base}{deny}"));
    let (_, view) = trace(&sim, "default/client", "web", None, 1);
    let lookup = view.dns.expect("a name target carries its lookup");
    let q = &lookup.queries[0];
    assert_eq!(q.rcode, "TIMEOUT");
    assert_eq!(q.answered_by, None);
    let lost = q.lost_at.as_ref().expect("the place the query was dropped");
    assert_eq!((lost.kind, lost.key.as_str(), lost.part), ("pod", "default/client", "veth"));
}

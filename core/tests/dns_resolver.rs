//! A pod's resolver: resolv.conf per dnsPolicy ("DNS for Services and Pods", sections "Pod's
//! DNS Policy" and "Pod's DNS Config"), search-list expansion as resolv.conf(5) and glibc's
//! `res_search` do it, and each query as a packet that NetworkPolicy can drop.

use kubeplay_core::cluster::Cluster;
use kubeplay_core::dataplane::{Dataplane, Reason, Source, Step, Verdict};
use kubeplay_core::dns::tools;
use kubeplay_core::dns::{Delivery, Dns, Expansion, Lookup, Name, Network, RecordType};
use kubeplay_core::simulation::{Simulation, SourceFile};

const BASE: &str = r#"
apiVersion: v1
kind: Namespace
metadata: {name: shop}
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: shop}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: default, labels: {role: client}}
spec:
  containers: [{name: c, image: busybox}]
"#;

fn cluster(extra: &str) -> Cluster {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("ws.yaml", format!("{BASE}---\n{extra}"))]);
    assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
    sim.cluster().clone()
}

fn resolve(c: &Cluster, pod: &str, name: &str) -> Lookup {
    let dataplane = Dataplane::new(c);
    let (ns, pod) = pod.split_once('/').expect("ns/pod");
    let id = c.find_pod(ns, pod).expect("pod");
    let name = Name::parse(name).expect("name");
    dataplane.dns().lookup(&Network::new(&dataplane), Source::Pod(id), &name, &[RecordType::A], Expansion::Glibc)
}

/// Each query as `name rcode`.
fn tried(lookup: &Lookup) -> Vec<String> {
    lookup.queries.iter().map(|q| format!("{} {}", q.name, q.outcome.rcode_text())).collect()
}

fn resolv_conf(c: &Cluster, pod: &str) -> String {
    let (ns, pod) = pod.split_once('/').expect("ns/pod");
    let id = c.find_pod(ns, pod).expect("pod");
    Dns::new(c).resolv_conf(c, id).to_string()
}

const POD: &str = "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n  containers: [{name: c, image: busybox}]\n";

#[test]
fn pods_dns_policy_cluster_first_searches_the_namespace_then_the_cluster() {
    let c = cluster("");
    assert_eq!(
        resolv_conf(&c, "default/client"),
        "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
    );
}

#[test]
fn pods_dns_policy_host_network_with_cluster_first_falls_back_to_the_node() {
    let c = cluster(&POD.replace("spec:\n", "spec:\n  hostNetwork: true\n"));
    assert_eq!(resolv_conf(&c, "shop/p"), "nameserver 172.18.0.1\n");
    let c = cluster(&POD.replace("spec:\n", "spec:\n  hostNetwork: true\n  dnsPolicy: ClusterFirstWithHostNet\n"));
    assert!(resolv_conf(&c, "shop/p").starts_with("search shop.svc.cluster.local"));
}

#[test]
fn pods_dns_policy_default_is_the_nodes_resolv_conf() {
    let c = cluster(&POD.replace("spec:\n", "spec:\n  dnsPolicy: Default\n"));
    assert_eq!(resolv_conf(&c, "shop/p"), "nameserver 172.18.0.1\n");
    let lookup = resolve(&c, "shop/p", "web.shop.svc.cluster.local");
    assert_eq!(lookup.rcode, "NXDOMAIN", "the node's resolver knows nothing of the cluster");
    assert_eq!(resolve(&c, "shop/p", "example.com").rcode, "NOERROR");
}

#[test]
fn pods_dns_config_with_policy_none_and_merge_rules() {
    let c = cluster(&POD.replace(
        "spec:\n",
        "spec:\n  dnsPolicy: None\n  dnsConfig:\n    nameservers: [10.96.0.10]\n    searches: [svc.cluster.local]\n    options: [{name: ndots, value: \"2\"}, {name: edns0}]\n",
    ));
    assert_eq!(resolv_conf(&c, "shop/p"), "search svc.cluster.local\nnameserver 10.96.0.10\noptions edns0 ndots:2\n");
    let c = cluster(&POD.replace(
        "spec:\n",
        "spec:\n  dnsConfig:\n    nameservers: [10.96.0.10, 192.0.2.53]\n    searches: [shop.svc.cluster.local, corp.example]\n    options: [{name: ndots, value: \"1\"}]\n",
    ));
    assert_eq!(
        resolv_conf(&c, "shop/p"),
        "search shop.svc.cluster.local svc.cluster.local cluster.local corp.example\nnameserver 10.96.0.10\nnameserver 192.0.2.53\noptions ndots:1\n",
        "appended, duplicates dropped, ndots overridden"
    );
}

#[test]
fn resolv_conf_5_a_short_name_tries_the_search_list_first_and_resolves_in_its_own_namespace() {
    let c = cluster("");
    let lookup = resolve(&c, "default/client", "web");
    assert_eq!(tried(&lookup), ["web.default.svc.cluster.local. NOERROR"]);
    assert_eq!(lookup.answers[0].name.as_str(), "web.default.svc.cluster.local");
}

#[test]
fn resolv_conf_5_a_partially_qualified_name_resolves_in_another_namespace_on_the_second_try() {
    let c = cluster("");
    let lookup = resolve(&c, "default/client", "web.shop");
    assert_eq!(tried(&lookup), ["web.shop.default.svc.cluster.local. NXDOMAIN", "web.shop.svc.cluster.local. NOERROR"]);
    assert_eq!(lookup.rcode, "NOERROR");
}

#[test]
fn resolv_conf_5_an_absolute_name_is_tried_only_as_written() {
    let c = cluster("");
    let lookup = resolve(&c, "default/client", "web.shop.");
    assert_eq!(tried(&lookup), ["web.shop. NXDOMAIN"]);
    assert_eq!(lookup.rcode, "NXDOMAIN");
}

#[test]
fn resolv_conf_5_an_external_name_costs_every_search_domain_with_ndots_5() {
    let c = cluster("");
    let lookup = resolve(&c, "default/client", "api.example.com");
    assert_eq!(
        tried(&lookup),
        [
            "api.example.com.default.svc.cluster.local. NXDOMAIN",
            "api.example.com.svc.cluster.local. NXDOMAIN",
            "api.example.com.cluster.local. NXDOMAIN",
            "api.example.com. NOERROR",
        ]
    );
    assert_eq!(lookup.answers[0].data_text(), "192.0.2.20");
}

#[test]
fn resolv_conf_5_with_ndots_1_a_dotted_name_is_tried_as_written_first() {
    let c = cluster(&POD.replace("spec:\n", "spec:\n  dnsConfig:\n    options: [{name: ndots, value: \"1\"}]\n"));
    let lookup = resolve(&c, "shop/p", "api.example.com");
    assert_eq!(tried(&lookup), ["api.example.com. NOERROR"]);
    let lookup = resolve(&c, "shop/p", "web.default");
    assert_eq!(
        tried(&lookup),
        [
            "web.default. NXDOMAIN",
            "web.default.shop.svc.cluster.local. NXDOMAIN",
            "web.default.svc.cluster.local. NOERROR",
        ],
        "glibc goes on to the search list after the name as written"
    );
}

#[test]
fn resolv_conf_5_a_name_that_exists_nowhere_fails_with_the_last_nxdomain() {
    let c = cluster("");
    let lookup = resolve(&c, "default/client", "nope");
    assert_eq!(lookup.queries.len(), 4);
    assert_eq!(lookup.rcode, "NXDOMAIN");
}

#[test]
fn each_query_is_a_packet_to_kube_dns_translated_to_a_coredns_pod() {
    let c = cluster("");
    let lookup = resolve(&c, "default/client", "web");
    let (packet, _) = &lookup.queries[0].packets[0];
    assert_eq!(packet.to_ip.to_string(), "10.96.0.10");
    assert_eq!(packet.port, 53);
    let coredns = c.pod(packet.to_pod.expect("a CoreDNS pod"));
    assert!(coredns.pod.meta.name.starts_with("coredns-"));
    assert_eq!(Some(packet.delivered_to), coredns.ip);
    // The packet is a dataplane trace: kube-proxy's DNAT to that pod, then delivery there.
    let trace = packet.trace.as_ref().expect("a pod's packet is traced");
    assert!(trace.hops.iter().any(|h| matches!(h.step, Step::Dnat { to, .. } if Some(to.ip()) == coredns.ip)));
    assert!(matches!(trace.verdict, Verdict::Delivered { backend, .. } if backend.pod == packet.to_pod));
}

#[test]
fn a_kube_dns_service_without_ready_endpoints_rejects_queries_as_kube_proxy_does() {
    // virtual-ips: a Service port without endpoints gets kube-proxy's REJECT; the resolver sees
    // the error at once (UNREACHABLE) instead of waiting for a timeout.
    let dead_dns = "apiVersion: v1\nkind: Service\nmetadata: {name: dead-dns}\nspec:\n  clusterIP: 10.96.0.53\n  selector: {app: nothing}\n  ports: [{name: dns, port: 53, protocol: UDP}]\n---\napiVersion: v1\nkind: Pod\nmetadata: {name: lonely}\nspec:\n  dnsPolicy: None\n  dnsConfig: {nameservers: [10.96.0.53]}\n  containers: [{name: c, image: busybox}]\n";
    let c = cluster(dead_dns);
    let lookup = resolve(&c, "default/lonely", "web");
    let (packet, delivery) = &lookup.queries[0].packets[0];
    assert_eq!(*delivery, Delivery::Rejected);
    let trace = packet.trace.as_ref().expect("traced");
    assert!(matches!(trace.verdict, Verdict::Refused(Reason::NoEndpoints { .. })), "{:?}", trace.verdict);
    assert_eq!(lookup.queries[0].outcome.rcode_text(), "UNREACHABLE");
}

#[test]
fn network_policy_egress_deny_without_a_dns_rule_makes_resolution_time_out() {
    let deny = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata: {name: deny-egress, namespace: default}\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n";
    let c = cluster(deny);
    let lookup = resolve(&c, "default/client", "web");
    assert_eq!(lookup.rcode, "TIMEOUT");
    assert_eq!(
        tried(&lookup),
        ["web.default.svc.cluster.local. TIMEOUT", "web. TIMEOUT"],
        "glibc stops searching after a timeout"
    );
    let allow_dns = format!(
        "{deny}  egress:\n  - to:\n    - namespaceSelector: {{matchLabels: {{kubernetes.io/metadata.name: kube-system}}}}\n    ports: [{{port: 53, protocol: UDP}}]\n"
    );
    let c = cluster(&allow_dns);
    assert_eq!(resolve(&c, "default/client", "web").rcode, "NOERROR");
}

#[test]
fn nslookup_prints_busybox_output_and_dig_plus_search_uses_the_search_list() {
    let c = cluster("");
    let dataplane = Dataplane::new(&c);
    let (dns, network) = (dataplane.dns(), Network::new(&dataplane));
    let id = c.find_pod("default", "client").expect("client");
    let ip = c.service("default", "web").and_then(|s| s.cluster_ip).expect("ip");
    let out = tools::nslookup(dns, &network, id, "web").expect("a name");
    assert_eq!(
        out.stdout,
        format!(
            "Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web\nAddress 1: {ip} web.default.svc.cluster.local\n"
        )
    );
    let out = tools::nslookup(dns, &network, id, "nope").expect("a name");
    assert_eq!((out.stderr.as_str(), out.exit_code), ("nslookup: can't resolve 'nope'\n", 1));
    let out = tools::dig(dns, &network, id, "web", RecordType::A, true).expect("a name");
    assert!(out.stdout.contains(";web.default.svc.cluster.local.\t\tIN\tA"), "{}", out.stdout);
    let out = tools::dig(dns, &network, id, "web", RecordType::A, false).expect("a name");
    assert!(out.stdout.contains("status: NXDOMAIN"), "without +search dig asks for web. itself");
}

//! Services through kube-proxy, traced hop by hop. Each test names the Kubernetes rule it pins
//! and where it is written: the Virtual IPs and Service Proxies reference
//! (<https://kubernetes.io/docs/reference/networking/virtual-ips/>), the Services concept page
//! (<https://kubernetes.io/docs/concepts/services-networking/service/>), the "Using Source IP"
//! tutorial (<https://kubernetes.io/docs/tutorials/services/source-ip/>), "Debug Services"
//! (<https://kubernetes.io/docs/tasks/debug/debug-application/debug-service/>), and kube-proxy's
//! source (`pkg/proxy/iptables/proxier.go`, `pkg/proxy/topology.go`).

mod dataplane_support;

use dataplane_support::*;
use kubeplay_core::api::Protocol;
use kubeplay_core::dataplane::{Dataplane, Reason, Verdict};
use std::collections::BTreeMap;

fn web_cluster(replicas: u32, extra: &str) -> kubeplay_core::simulation::Simulation {
    apply(&format!(
        "{}{}{}",
        client("client", "kubeplay-worker"),
        deployment("web", replicas),
        service("web", "web", extra)
    ))
}

#[test]
fn virtual_ips_clusterip_is_dnated_to_one_endpoint_at_its_target_port() {
    // virtual-ips: "kube-proxy ... installs iptables rules which capture traffic to the Service's
    // clusterIP and port, and redirect that traffic to one of the Service's backend sets".
    let sim = web_cluster(2, "");
    let vip = cluster_ip(&sim, "default", "web");
    let (_, view) = trace(&sim, "default/client", "web.default", None, 7);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    let backend = view.backend.as_ref().expect("a backend");
    assert_eq!(backend.port, 8080, "the named targetPort http resolves to 8080");
    let dnat = view.hops.iter().find(|h| h.action.starts_with("DNAT")).expect("a DNAT hop");
    assert_eq!(dnat.action, format!("DNAT {vip}:80 -> {}:8080", backend.ip));
    assert!(view.hops[0].action.starts_with(&format!("resolve web.default -> {vip} ")), "{}", view.hops[0].action);
    let rules = rules(&view);
    assert!(rules[0].starts_with("-A KUBE-SERVICES -m comment --comment \"default/web:http cluster IP\""));
    assert!(rules
        .iter()
        .any(|r| r.starts_with("-A KUBE-SEP-") && r.ends_with(&format!("DNAT --to-destination {}:8080", backend.ip))));
    // The client pod's address is kept: ClusterIP traffic from a pod is not masqueraded.
    let delivered = view.delivered_as.as_ref().expect("delivered_as");
    assert!(delivered.src.starts_with(&format!("{}:", pod_ip(&sim, "default/client"))));
}

#[test]
fn proxier_iptables_random_probability_spreads_connections_evenly_over_endpoints() {
    // virtual-ips, iptables mode: "kube-proxy ... selects a backend at random"; proxier.go writes
    // `--probability 1/(n-i)` for rule i, which gives each of n endpoints 1/n.
    let sim = web_cluster(3, "");
    let mut counts: BTreeMap<String, u32> = BTreeMap::new();
    let runs = 3000;
    let dataplane = Dataplane::new(sim.cluster());
    for seed in 0..runs {
        let req = request(&sim, "default/client", "web.default", None, Protocol::TCP, seed);
        let Verdict::Delivered { backend, .. } = dataplane.trace(&req).expect("runs").verdict else {
            panic!("not delivered")
        };
        *counts.entry(backend.addr.ip().to_string()).or_default() += 1;
    }
    assert_eq!(counts.len(), 3, "every endpoint is chosen: {counts:?}");
    for (ip, n) in &counts {
        let share = f64::from(*n) / runs as f64;
        assert!((share - 1.0 / 3.0).abs() < 0.04, "{ip} got {share:.3} of connections: {counts:?}");
    }
    let (_, view) = trace(&sim, "default/client", "web.default", None, 0);
    let chosen = view.hops.iter().find(|h| h.action.starts_with("choose endpoint")).expect("a choice");
    let rule = chosen.rule.as_deref().expect("the matched rule");
    assert!(rule.starts_with("-A KUBE-SVC-"), "{rule}");
    if chosen.action.contains("rule 1 of 3") {
        assert!(rule.contains("--probability 0.3333333333"), "{rule}");
    }
}

#[test]
fn virtual_ips_session_affinity_client_ip_keeps_a_client_on_one_endpoint_across_seeds() {
    // virtual-ips, Session affinity: "connections from a particular client are passed to the
    // same Pod each time" with `sessionAffinity: ClientIP`.
    let sim = apply(&format!(
        "{}{}{}{}",
        client("client", "kubeplay-worker"),
        client("other", "kubeplay-worker2"),
        deployment("web", 3),
        service("web", "web", "  sessionAffinity: ClientIP\n")
    ));
    for who in ["default/client", "default/other"] {
        let first = trace(&sim, who, "web.default", None, 0).1.backend.expect("delivered");
        for seed in 1..50 {
            let again = trace(&sim, who, "web.default", None, seed).1.backend.expect("delivered");
            assert_eq!(again, first, "{who} changed endpoint with seed {seed}");
        }
    }
    let (_, view) = trace(&sim, "default/client", "web.default", None, 3);
    let chosen = view.hops.iter().find(|h| h.action.contains("session affinity")).expect("affinity hop");
    assert!(chosen
        .rule
        .as_deref()
        .is_some_and(|r| r.contains("-m recent --name KUBE-SEP-") && r.contains("--rcheck --seconds 10800 --reap")));
}

#[test]
fn proxier_no_ready_endpoints_is_rejected_connection_refused() {
    // proxier.go: a service port with no endpoints gets a filter rule
    // `"<svc> has no endpoints" -j REJECT`; the client sees "Connection refused".
    let sim = apply(&format!(
        "{}{}{}",
        client("client", "kubeplay-worker"),
        deployment("web", 2).replace(
            "  template:\n    metadata:\n",
            "  template:\n    metadata:\n      annotations:\n        kubeplay.dev/ready: \"false\"\n"
        ),
        service("web", "web", "")
    ));
    let (t, view) = trace(&sim, "default/client", "web.default", None, 1);
    assert!(matches!(t.verdict, Verdict::Refused(Reason::NoEndpoints { .. })), "{:?}", t.verdict);
    assert_eq!(view.verdict, "refused");
    assert!(view.reason.contains("none of its 2 endpoints is ready"), "{}", view.reason);
    let last = view.hops.last().expect("hops");
    assert!(last.at.ends_with("iptables filter FORWARD"), "{}", last.at);
    let rule = last.rule.as_deref().expect("the REJECT rule");
    assert!(rule.starts_with("-A KUBE-SERVICES -m comment --comment \"default/web:http has no endpoints\""), "{rule}");
    assert!(rule.ends_with("-j REJECT"), "{rule}");
    assert!(t.reply.is_empty());
}

#[test]
fn debug_service_a_selector_that_matches_nothing_leaves_no_endpoints() {
    // Debug Services, "Does the Service have any Endpoints?": a selector that matches no pod's
    // labels (the classic typo) leaves the Service without endpoints; kube-proxy rejects.
    let sim = apply(&format!(
        "{}{}{}",
        client("client", "kubeplay-worker"),
        deployment("web", 2),
        service("web", "webb", "")
    ));
    let (t, view) = trace(&sim, "default/client", "web.default", None, 1);
    assert!(matches!(t.verdict, Verdict::Refused(Reason::NoEndpoints { .. })));
    assert!(
        view.reason.contains("its selector app=webb matches no running pod in namespace default"),
        "{}",
        view.reason
    );
}

#[test]
fn debug_service_a_wrong_target_port_reaches_the_pod_and_is_refused_there() {
    // Debug Services, "Is the Pod working?" / targetPort: the Service forwards to a port the
    // container does not listen on; the pod's kernel answers with a reset.
    let sim = apply(&format!(
        "{}{}{}",
        client("client", "kubeplay-worker"),
        deployment("web", 1),
        service("web", "web", "").replace("targetPort: http", "targetPort: 9090")
    ));
    let (t, view) = trace(&sim, "default/client", "web.default", None, 1);
    assert!(matches!(t.verdict, Verdict::Refused(Reason::NotListening { port: 9090, .. })), "{:?}", t.verdict);
    assert!(view.reason.contains("nothing listens on 9090/TCP"), "{}", view.reason);
    assert!(view.reason.contains("declares 8080/TCP"), "{}", view.reason);
    assert!(view.hops.iter().any(|h| h.action.ends_with(":9090") && h.action.starts_with("DNAT")));
}

#[test]
fn virtual_ips_a_port_the_service_does_not_expose_is_not_translated_and_times_out() {
    // virtual-ips: kube-proxy only captures the Service's ports; a ClusterIP is virtual and
    // nothing answers on it otherwise.
    let sim = web_cluster(1, "");
    let vip = cluster_ip(&sim, "default", "web");
    let (t, view) = trace(&sim, "default/client", &vip, Some(8080), 1);
    assert!(matches!(t.verdict, Verdict::Timeout(Reason::PortNotExposed { port: 8080, .. })), "{:?}", t.verdict);
    assert!(rules(&view).is_empty(), "no kube-proxy rule matched: {:?}", rules(&view));
}

#[test]
fn source_ip_nodeport_cluster_policy_on_a_node_without_endpoints_snats_and_forwards() {
    // Source IP tutorial, Type=NodePort: with the default externalTrafficPolicy Cluster every node
    // accepts the nodePort, the packet is SNATed to the node's IP ("the pod sees the node, not
    // the client") and may take a hop to another node.
    let sim = apply(&format!(
        "{}{}",
        deployment("web", 1)
            .replace("    spec:\n      containers:", "    spec:\n      nodeName: kubeplay-worker2\n      containers:"),
        service("web", "web", "  type: NodePort\n")
    ));
    let np = node_port(&sim, "default", "web");
    let worker = node_ip(&sim, "kubeplay-worker");
    let (_, view) = trace(&sim, "external", &worker, Some(np), 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    assert_eq!(view.backend.as_ref().and_then(|b| b.node.clone()).as_deref(), Some("kubeplay-worker2"));
    let delivered = view.delivered_as.as_ref().expect("delivered_as");
    assert!(delivered.src.starts_with(&format!("{worker}:")), "SNAT to the receiving node: {delivered:?}");
    let snat = view.hops.iter().find(|h| h.action.starts_with("MASQUERADE")).expect("a MASQUERADE hop");
    assert!(snat.action.starts_with("MASQUERADE (SNAT) 203.0.113.10:"), "{}", snat.action);
    assert!(snat.rule.as_deref().is_some_and(|r| r.starts_with("-A KUBE-POSTROUTING")));
    let rules = rules(&view);
    assert!(rules.iter().any(|r| r.contains("KUBE-NODEPORTS") && r.starts_with("-A KUBE-SERVICES")));
    assert!(rules.iter().any(|r| r.starts_with("-A KUBE-EXT-")
        && r.contains("masquerade traffic for default/web:http external destinations")));
    // The extra hop: out of kubeplay-worker, into kubeplay-worker2.
    assert!(view.hops.iter().any(|h| h.at == "kubeplay-worker eth0" && h.action == "transmit"));
    assert!(view.hops.iter().any(|h| h.at == "kubeplay-worker2 eth0" && h.action == "receive"));
}

#[test]
fn source_ip_nodeport_local_policy_drops_on_a_node_without_endpoints_and_keeps_the_client_ip() {
    // Source IP tutorial, externalTrafficPolicy: Local: "only the nodes with the endpoint respond";
    // proxier.go writes `"<svc> has no local endpoints" -j DROP` on the others, and the client
    // address reaches the pod unchanged.
    let sim = apply(&format!(
        "{}{}",
        deployment("web", 1)
            .replace("    spec:\n      containers:", "    spec:\n      nodeName: kubeplay-worker2\n      containers:"),
        service("web", "web", "  type: NodePort\n  externalTrafficPolicy: Local\n")
    ));
    let np = node_port(&sim, "default", "web");
    let (t, view) = trace(&sim, "external", &node_ip(&sim, "kubeplay-worker"), Some(np), 1);
    assert!(matches!(t.verdict, Verdict::Dropped(Reason::NoLocalEndpoints { .. })), "{:?}", t.verdict);
    let last = view.hops.last().expect("hops");
    let rule = last.rule.as_deref().expect("the DROP rule");
    assert!(rule.contains("\"default/web:http has no local endpoints\"") && rule.ends_with("-j DROP"), "{rule}");
    assert!(view.reason.contains("externalTrafficPolicy: Local"), "{}", view.reason);

    let (_, view) = trace(&sim, "external:198.51.100.7", &node_ip(&sim, "kubeplay-worker2"), Some(np), 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    assert!(view.delivered_as.expect("delivered").src.starts_with("198.51.100.7:"), "the client IP is preserved");
    assert!(view.hops.iter().all(|h| !h.action.starts_with("MASQUERADE")));
}

#[test]
fn proxier_ext_chain_short_circuits_pod_traffic_to_a_local_policy_nodeport() {
    // proxier.go, KUBE-EXT under Local policy: "pod traffic for <svc> external destinations"
    // goes to the Cluster chain, so a pod reaches the nodePort of a node without endpoints.
    let sim = apply(&format!(
        "{}{}{}",
        client("client", "kubeplay-worker"),
        deployment("web", 1)
            .replace("    spec:\n      containers:", "    spec:\n      nodeName: kubeplay-worker2\n      containers:"),
        service("web", "web", "  type: NodePort\n  externalTrafficPolicy: Local\n")
    ));
    let np = node_port(&sim, "default", "web");
    let (_, view) = trace(&sim, "default/client", &node_ip(&sim, "kubeplay-worker"), Some(np), 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    assert!(rules(&view).iter().any(|r| r.contains("pod traffic for default/web:http external destinations")));
}

#[test]
fn service_traffic_policy_internal_local_drops_without_a_local_endpoint() {
    // Service Internal Traffic Policy: with `internalTrafficPolicy: Local` "kube-proxy ... only
    // routes to node-local endpoints"; with none on the client's node the traffic is dropped.
    let sim = apply(&format!(
        "{}{}{}",
        client("client", "kubeplay-worker"),
        deployment("web", 1)
            .replace("    spec:\n      containers:", "    spec:\n      nodeName: kubeplay-worker2\n      containers:"),
        service("web", "web", "  internalTrafficPolicy: Local\n")
    ));
    let (t, view) = trace(&sim, "default/client", "web.default", None, 1);
    assert!(matches!(t.verdict, Verdict::Dropped(Reason::NoLocalEndpoints { .. })), "{:?}", t.verdict);
    assert!(view.reason.contains("internalTrafficPolicy: Local"), "{}", view.reason);
    let sim = apply(&format!(
        "{}{}{}",
        client("client", "kubeplay-worker2"),
        deployment("web", 4),
        service("web", "web", "  internalTrafficPolicy: Local\n")
    ));
    for seed in 0..20 {
        let (_, view) = trace(&sim, "default/client", "web.default", None, seed);
        assert_eq!(view.backend.expect("delivered").node.as_deref(), Some("kubeplay-worker2"));
    }
}

#[test]
fn virtual_ips_traffic_distribution_prefer_close_keeps_traffic_in_the_client_zone() {
    // virtual-ips, Traffic distribution: with `PreferClose` kube-proxy prefers endpoints in the
    // client's zone when every endpoint has a zone hint (topology.go, the EndpointSlice
    // controller's trafficdist hints from topology.kubernetes.io/zone).
    let config = "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes:\n- role: control-plane\n- role: worker\n  labels:\n    topology.kubernetes.io/zone: a\n- role: worker\n  labels:\n    topology.kubernetes.io/zone: b\n---\n";
    let sim = apply(&format!(
        "{config}{}{}{}",
        client("client", "kubeplay-worker"),
        deployment("web", 4),
        service("web", "web", "  trafficDistribution: PreferClose\n")
    ));
    for seed in 0..30 {
        let (_, view) = trace(&sim, "default/client", "web.default", None, seed);
        assert_eq!(view.backend.expect("delivered").node.as_deref(), Some("kubeplay-worker"), "seed {seed}");
    }
}

#[test]
fn conntrack_reply_comes_back_from_the_service_address_not_the_pod() {
    // virtual-ips: the DNAT is recorded by conntrack and undone on the reply, so the client sees
    // the Service's IP:port as the source of the answer.
    let sim = web_cluster(2, "");
    let vip = cluster_ip(&sim, "default", "web");
    let client_ip = pod_ip(&sim, "default/client");
    let (t, view) = trace(&sim, "default/client", "web.default", None, 5);
    assert!(!t.reply.is_empty());
    let last = view.reply.last().expect("reply hops");
    assert_eq!(last.at, "pod default/client eth0");
    assert_eq!(last.action, "deliver");
    assert_eq!(last.src, format!("{vip}:80"));
    assert!(last.dst.starts_with(&format!("{client_ip}:")));
    let undo = view.reply.iter().find(|h| h.action.starts_with("conntrack reverses DNAT")).expect("un-DNAT hop");
    assert!(undo.at.ends_with("iptables nat PREROUTING"), "conntrack undoes the DNAT where it was done: {}", undo.at);
    assert_eq!(
        view.reply[0].at,
        format!("pod {} eth0", view.backend.as_ref().and_then(|b| b.pod.clone()).expect("pod"))
    );
}

#[test]
fn conntrack_reply_of_a_masqueraded_nodeport_connection_is_unsnated_then_undnated() {
    // Source IP tutorial: the reply to a SNATed NodePort connection returns to the node that
    // masqueraded it, which restores the client as destination and the nodePort as source.
    let sim = apply(&format!(
        "{}{}",
        deployment("web", 1)
            .replace("    spec:\n      containers:", "    spec:\n      nodeName: kubeplay-worker2\n      containers:"),
        service("web", "web", "  type: NodePort\n")
    ));
    let np = node_port(&sim, "default", "web");
    let worker = node_ip(&sim, "kubeplay-worker");
    let (_, view) = trace(&sim, "external", &worker, Some(np), 1);
    let actions: Vec<&str> = view.reply.iter().map(|h| h.action.as_str()).collect();
    let unsnat = actions.iter().position(|a| a.starts_with("conntrack reverses SNAT")).expect("un-SNAT");
    let undnat = actions.iter().position(|a| a.starts_with("conntrack reverses DNAT")).expect("un-DNAT");
    assert!(unsnat < undnat, "{actions:?}");
    let last = view.reply.last().expect("reply");
    assert_eq!(last.at, "external 203.0.113.10");
    assert_eq!(last.src, format!("{worker}:{np}"));
}

#[test]
fn virtual_ips_a_pod_reaching_itself_through_its_service_is_masqueraded() {
    // proxier.go, KUBE-SEP: `-s <endpoint IP> -j KUBE-MARK-MASQ` ("hairpin"): a pod that picks
    // itself must see the reply come back through the node.
    let sim = apply(&format!("{}{}", deployment("web", 1), service("web", "web", "")));
    let (me, _) = pods_of(&sim, "web").pop().expect("one pod");
    let (_, view) = trace(&sim, &me, "web.default", None, 1);
    assert_eq!(view.verdict, "delivered");
    assert!(view.hops.iter().any(|h| h.action.starts_with("MASQUERADE")), "{:#?}", view.hops);
}

#[test]
fn kube_proxy_chain_names_are_the_ones_found_on_real_nodes() {
    // proxier.go, portProtoHash: KUBE-SVC-<base32(sha256("kube-system/kube-dns:dns" + "udp"))[:16]>;
    // every kind cluster shows KUBE-SVC-TCOU7JCQXEZGVUNU for it.
    let sim = apply(&client("client", "kubeplay-worker"));
    let req = request(&sim, "default/client", "kube-dns.kube-system", Some(53), Protocol::UDP, 1);
    let t = Dataplane::new(sim.cluster()).trace(&req).expect("runs");
    let view = kubeplay_core::dataplane::render::view(sim.cluster(), &t);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    assert!(rules(&view)[0].ends_with("-j KUBE-SVC-TCOU7JCQXEZGVUNU"), "{:?}", rules(&view));
}

#[test]
fn services_without_selectors_reach_the_endpoints_written_by_hand_even_outside_the_cluster() {
    // Services concept, "Services without selectors": the Service forwards to the addresses of
    // a hand-written EndpointSlice, here a database outside the cluster.
    let sim = apply(&format!(
        "{}apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n  - name: pg\n    port: 5432\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n  labels:\n    kubernetes.io/service-name: db\naddressType: IPv4\nports:\n- name: pg\n  port: 5432\nendpoints:\n- addresses: [\"192.0.2.40\"]\n",
        client("client", "kubeplay-worker")
    ));
    let (_, view) = trace(&sim, "default/client", "db.default", None, 1);
    assert_eq!(view.verdict, "delivered", "{}", view.reason);
    let backend = view.backend.as_ref().expect("backend");
    assert_eq!((backend.ip.as_str(), backend.port, backend.pod.as_deref()), ("192.0.2.40", 5432, None));
    let worker = node_ip(&sim, "kubeplay-worker");
    assert!(
        view.delivered_as.as_ref().expect("delivered").src.starts_with(&format!("{worker}:")),
        "the CNI masquerades traffic leaving the cluster"
    );
    assert!(view.hops.iter().any(|h| h.action.starts_with("leaving the cluster: calico natOutgoing SNAT")));
}

#[test]
fn externalname_services_are_dns_only_and_not_proxied() {
    // Services concept, ExternalName: "maps a Service to a DNS name ... No proxying of any kind
    // is set up".
    let sim = apply(&format!(
        "{}apiVersion: v1\nkind: Service\nmetadata:\n  name: mail\nspec:\n  type: ExternalName\n  externalName: mail.example.com\n---\n",
        client("client", "kubeplay-worker")
    ));
    // The Service itself has no address: nothing to connect to without DNS.
    let (t, view) = trace(&sim, "default/client", "svc/default/mail", Some(25), 1);
    assert!(matches!(t.verdict, Verdict::NoRoute(Reason::ExternalName { .. })), "{:?}", t.verdict);
    assert!(view.reason.contains("only DNS is involved (a CNAME for mail.example.com)"), "{}", view.reason);
    assert_eq!(view.hops.len(), 1);
    // Its name is an alias; the outside world does not know mail.example.com (the upstream
    // zone holds only example.com, www and api), so the alias leads to no address.
    let (t, view) = trace(&sim, "default/client", "mail.default.svc.cluster.local", Some(25), 1);
    assert!(matches!(t.verdict, Verdict::NoRoute(Reason::Unresolved { .. })), "{:?}", t.verdict);
    assert!(view.reason.starts_with("could not resolve host mail.default.svc.cluster.local: "), "{}", view.reason);
    assert!(
        view.hops[0].action.contains("mail.default.svc.cluster.local. is an alias (CNAME) for mail.example.com."),
        "{}",
        view.hops[0].action
    );
}

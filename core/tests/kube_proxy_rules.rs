//! The rules kube-proxy programs, checked against what kube-proxy's own tests expect.
//!
//! Each expectation below was written by hand from upstream's rule structure
//! (`pkg/proxy/iptables/proxier.go`, `syncProxyRules` and `writeServiceToEndpointRules`) and
//! names the case of `pkg/proxy/iptables/proxier_test.go` (`TestOverallIPTablesRules`, whose
//! expected `iptables-restore` text shows every chain) it mirrors, with this cluster's
//! addresses in place of the test's. Chain hashes in the expectations were computed
//! outside kubeplay, with coreutils, from the documented algorithm:
//! `printf 'default/web:httptcp' | sha256sum | xxd -r -p | base32 | cut -c1-16`.
//!
//! Differences from the upstream test's fake environment, all deliberate and documented in
//! `kube_proxy::iptables`: the built-in chains and their jump rules are shown (upstream
//! ensures them outside the restore input), `MASQUERADE` carries `--random-fully` (the fake
//! iptables reports no support for it; every iptables a current node ships has it), and the
//! pod CIDR is kind's 10.244.0.0/16 rather than the test's 10.0.0.0/8.

use kubeplay_core::cluster::NodeId;
use kubeplay_core::kube_proxy::{self, Match, ProgrammedRules, TableName, Target};
use kubeplay_core::simulation::{Simulation, SourceFile};

/// Applies `yaml` to a fresh default cluster (kubeplay-control-plane, kubeplay-worker,
/// kubeplay-worker2) and fails on any error.
fn cluster_of(yaml: &str) -> Simulation {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("x.yaml", yaml)]);
    assert!(!outcome.has_errors(), "{:#?}", outcome.diagnostics);
    sim
}

fn node(sim: &Simulation, name: &str) -> NodeId {
    let index = sim.cluster().nodes.iter().position(|n| n.name == name).expect("node exists");
    NodeId(index as u16)
}

/// `iptables-save` of `node`, without the lines of the cluster's own Services
/// (`default/kubernetes`, `kube-system/kube-dns`) whose endpoints depend on scheduling: their
/// rules, and the declarations of the chains only they used.
fn save_without_system_services(sim: &Simulation, node_name: &str) -> String {
    let text = kube_proxy::node_rules(sim.cluster(), node(sim, node_name)).to_iptables_save();
    let system = |line: &str| line.contains("kube-system/") || line.contains("default/kubernetes");
    let chain_of = |line: &str| line.split_whitespace().nth(1).unwrap_or_default().to_string();
    let dropped: Vec<String> = text
        .lines()
        .filter(|l| l.starts_with("-A ") && system(l))
        .map(chain_of)
        .filter(|chain| text.lines().filter(|l| l.starts_with("-A ") && chain_of(l) == *chain).all(system))
        .collect();
    text.lines()
        .filter(|l| !(l.starts_with("-A ") && system(l)))
        .filter(|l| !dropped.iter().any(|c| l.starts_with(&format!(":{c} "))))
        .map(|l| format!("{l}\n"))
        .collect()
}

/// The lines of `node`'s rules that are in `chain` (any table), in order.
fn chain_lines(sim: &Simulation, node_name: &str, chain: &str) -> Vec<String> {
    let text = kube_proxy::node_rules(sim.cluster(), node(sim, node_name)).to_iptables_save();
    text.lines().filter(|l| l.starts_with(&format!("-A {chain} "))).map(String::from).collect()
}

/// A Service without selector and its hand-written EndpointSlice, so endpoints and nodes are
/// fixed by the test rather than by the scheduler.
fn service_with_slice(service_spec: &str, endpoints: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n{service_spec}\
         ---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: web-1\n  labels:\n    kubernetes.io/service-name: web\n\
         addressType: IPv4\nports:\n- name: http\n  port: 8080\n  protocol: TCP\nendpoints:\n{endpoints}"
    )
}

const TWO_ENDPOINTS: &str =
    "- addresses: [10.244.1.5]\n  nodeName: kubeplay-worker\n- addresses: [10.244.2.7]\n  nodeName: kubeplay-worker2\n";

/// The built-in chains' jumps and the fixed chains every node has (`iptablesJumpChains`, the
/// kubelet's `KUBE-FIREWALL`, `KUBE-FORWARD`, `KUBE-POSTROUTING`, `KUBE-MARK-MASQ`).
const FILTER_FIXED: &str = r#"*filter
:INPUT ACCEPT [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXTERNAL-SERVICES - [0:0]
:KUBE-FIREWALL - [0:0]
:KUBE-FORWARD - [0:0]
:KUBE-PROXY-FIREWALL - [0:0]
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A INPUT -m comment --comment "kubernetes health check service ports" -j KUBE-NODEPORTS
-A INPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-A INPUT -j KUBE-FIREWALL
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A FORWARD -m comment --comment "kubernetes forwarding rules" -j KUBE-FORWARD
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A FORWARD -m conntrack --ctstate NEW -m comment --comment "kubernetes externally-visible service portals" -j KUBE-EXTERNAL-SERVICES
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes load balancer firewall" -j KUBE-PROXY-FIREWALL
-A OUTPUT -m conntrack --ctstate NEW -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -j KUBE-FIREWALL
-A KUBE-FIREWALL -m comment --comment "block incoming localnet connections" -d 127.0.0.0/8 ! -s 127.0.0.0/8 -m conntrack ! --ctstate RELATED,ESTABLISHED,DNAT -j DROP
-A KUBE-FORWARD -m conntrack --ctstate INVALID -m nfacct --nfacct-name ct_state_invalid_dropped_pkts -j DROP
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding rules" -m mark --mark 0x4000/0x4000 -j ACCEPT
-A KUBE-FORWARD -m comment --comment "kubernetes forwarding conntrack rule" -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT
COMMIT
"#;

/// Mirrors `TestOverallIPTablesRules`' NodePort Service (ns3/svc3: `KUBE-NODEPORTS` with the
/// localhost nfacct rule, `KUBE-EXT-` masquerading then jumping to `KUBE-SVC-`) with the two
/// endpoints of its ns4/svc4 (`--probability 0.5000000000`, then the last endpoint
/// unconditionally), and each endpoint's `KUBE-SEP-` chain (hairpin masquerade, DNAT).
#[test]
fn a_two_endpoint_node_port_service_has_kube_proxys_chains_rule_for_rule() {
    let sim = cluster_of(&service_with_slice(
        "  type: NodePort\n  clusterIP: 10.96.100.10\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n    nodePort: 30080\n",
        TWO_ENDPOINTS,
    ));
    let expected = FILTER_FIXED.to_string()
        + r#"*nat
:PREROUTING ACCEPT [0:0]
:INPUT ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
:POSTROUTING ACCEPT [0:0]
:KUBE-NODEPORTS - [0:0]
:KUBE-SERVICES - [0:0]
:KUBE-EXT-CDGGSHYLG3RE2FKL - [0:0]
:KUBE-MARK-MASQ - [0:0]
:KUBE-POSTROUTING - [0:0]
:KUBE-SEP-2RIJ5GIYXEFH6G4D - [0:0]
:KUBE-SEP-AFGSLHOD2HFNCBX4 - [0:0]
:KUBE-SVC-CDGGSHYLG3RE2FKL - [0:0]
-A PREROUTING -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A OUTPUT -m comment --comment "kubernetes service portals" -j KUBE-SERVICES
-A POSTROUTING -m comment --comment "kubernetes postrouting rules" -j KUBE-POSTROUTING
-A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp -d 127.0.0.0/8 --dport 30080 -m nfacct --nfacct-name localhost_nps_accepted_pkts -j KUBE-EXT-CDGGSHYLG3RE2FKL
-A KUBE-NODEPORTS -m comment --comment default/web:http -m tcp -p tcp --dport 30080 -j KUBE-EXT-CDGGSHYLG3RE2FKL
-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.100.10 --dport 80 -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-SERVICES -m comment --comment "kubernetes service nodeports; NOTE: this must be the last rule in this chain" -m addrtype --dst-type LOCAL -j KUBE-NODEPORTS
-A KUBE-EXT-CDGGSHYLG3RE2FKL -m comment --comment "masquerade traffic for default/web:http external destinations" -j KUBE-MARK-MASQ
-A KUBE-EXT-CDGGSHYLG3RE2FKL -j KUBE-SVC-CDGGSHYLG3RE2FKL
-A KUBE-MARK-MASQ -j MARK --or-mark 0x4000
-A KUBE-POSTROUTING -m mark ! --mark 0x4000/0x4000 -j RETURN
-A KUBE-POSTROUTING -j MARK --xor-mark 0x4000
-A KUBE-POSTROUTING -m comment --comment "kubernetes service traffic requiring SNAT" -j MASQUERADE --random-fully
-A KUBE-SEP-2RIJ5GIYXEFH6G4D -m comment --comment default/web:http -s 10.244.2.7 -j KUBE-MARK-MASQ
-A KUBE-SEP-2RIJ5GIYXEFH6G4D -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.2.7:8080
-A KUBE-SEP-AFGSLHOD2HFNCBX4 -m comment --comment default/web:http -s 10.244.1.5 -j KUBE-MARK-MASQ
-A KUBE-SEP-AFGSLHOD2HFNCBX4 -m comment --comment default/web:http -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:8080
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.100.10 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.5:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-AFGSLHOD2HFNCBX4
-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.2.7:8080" -j KUBE-SEP-2RIJ5GIYXEFH6G4D
COMMIT
"#;
    // With Cluster traffic policy every node, with or without an endpoint, has the same rules.
    for node_name in ["kubeplay-control-plane", "kubeplay-worker", "kubeplay-worker2"] {
        assert_eq!(save_without_system_services(&sim, node_name), expected, "node {node_name}");
    }
}

/// `computeProbability`: rule i of n endpoints matches with probability 1/(n-i), printed with
/// ten decimals, so each of three endpoints gets a third of new connections.
#[test]
fn three_endpoints_take_a_third_a_half_and_the_rest() {
    let endpoints = "- addresses: [10.244.1.5]\n- addresses: [10.244.1.6]\n- addresses: [10.244.2.7]\n";
    let sim =
        cluster_of(&service_with_slice("  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n", endpoints));
    let rules: Vec<String> = chain_lines(&sim, "kubeplay-worker", "KUBE-SVC-CDGGSHYLG3RE2FKL")
        .into_iter()
        .filter(|l| l.contains("->"))
        .map(|l| l.split(" -j ").next().unwrap_or_default().split("\" ").nth(1).unwrap_or_default().to_string())
        .collect();
    assert_eq!(
        rules,
        [
            "-m statistic --mode random --probability 0.3333333333",
            "-m statistic --mode random --probability 0.5000000000",
            "",
        ]
    );
}

/// Mirrors `TestOverallIPTablesRules`' ns5/svc5 (ClientIP affinity): per endpoint a
/// `-m recent --rcheck --seconds 10800 --reap` rule ahead of the random choice, and the
/// `KUBE-SEP-` chain recording the client with `-m recent --set` before its DNAT.
#[test]
fn client_ip_affinity_checks_and_records_the_client() {
    let sim = cluster_of(&service_with_slice(
        "  clusterIP: 10.96.100.10\n  sessionAffinity: ClientIP\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n",
        TWO_ENDPOINTS,
    ));
    assert_eq!(
        chain_lines(&sim, "kubeplay-worker", "KUBE-SVC-CDGGSHYLG3RE2FKL"),
        [
            r#"-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.100.10 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ"#,
            r#"-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.5:8080" -m recent --name KUBE-SEP-AFGSLHOD2HFNCBX4 --rcheck --seconds 10800 --reap -j KUBE-SEP-AFGSLHOD2HFNCBX4"#,
            r#"-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.2.7:8080" -m recent --name KUBE-SEP-2RIJ5GIYXEFH6G4D --rcheck --seconds 10800 --reap -j KUBE-SEP-2RIJ5GIYXEFH6G4D"#,
            r#"-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.5:8080" -m statistic --mode random --probability 0.5000000000 -j KUBE-SEP-AFGSLHOD2HFNCBX4"#,
            r#"-A KUBE-SVC-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.2.7:8080" -j KUBE-SEP-2RIJ5GIYXEFH6G4D"#,
        ]
    );
    assert_eq!(
        chain_lines(&sim, "kubeplay-worker", "KUBE-SEP-AFGSLHOD2HFNCBX4"),
        [
            "-A KUBE-SEP-AFGSLHOD2HFNCBX4 -m comment --comment default/web:http -s 10.244.1.5 -j KUBE-MARK-MASQ",
            "-A KUBE-SEP-AFGSLHOD2HFNCBX4 -m comment --comment default/web:http -m recent --name KUBE-SEP-AFGSLHOD2HFNCBX4 --set -m tcp -p tcp -j DNAT --to-destination 10.244.1.5:8080",
        ]
    );
}

/// Mirrors `TestOverallIPTablesRules`' ns6/svc6 and `TestNoEndpointsReject`: a Service whose
/// selector matches nothing gets filter-table REJECT rules for its cluster IP and nodePort,
/// and no nat chain at all.
#[test]
fn a_service_without_endpoints_is_rejected_in_the_filter_table() {
    let sim = cluster_of(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  clusterIP: 10.96.100.10\n  selector: {app: nothing}\n  ports:\n  - name: http\n    port: 80\n    nodePort: 30080\n",
    );
    assert_eq!(
        chain_lines(&sim, "kubeplay-worker", "KUBE-SERVICES")
            .into_iter()
            .filter(|l| l.contains("default/web"))
            .collect::<Vec<_>>(),
        [
            r#"-A KUBE-SERVICES -m comment --comment "default/web:http has no endpoints" -m tcp -p tcp -d 10.96.100.10 --dport 80 -j REJECT"#
        ]
    );
    assert_eq!(
        chain_lines(&sim, "kubeplay-worker", "KUBE-EXTERNAL-SERVICES"),
        [
            r#"-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web:http has no endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j REJECT"#
        ]
    );
    let rules = kube_proxy::node_rules(sim.cluster(), node(&sim, "kubeplay-worker"));
    let nat = rules.table(TableName::Nat).expect("nat table");
    assert!(nat.chains.iter().all(|c| !c.name.ends_with("CDGGSHYLG3RE2FKL")));
    assert!(nat.chains.iter().flat_map(|c| &c.rules).all(|r| !r.to_string().contains("default/web")));
}

/// Mirrors `TestOverallIPTablesRules`' ns2/svc2 (LoadBalancer, `externalTrafficPolicy:
/// Local`, health-check nodePort) on both kinds of node. With a local endpoint: `KUBE-EXT-`
/// short-circuits pods and the node itself to `KUBE-SVC-`, then sends the rest to
/// `KUBE-SVL-`, which holds only the local endpoint. Without one: `KUBE-EXT-` keeps the
/// short-circuits but has no final jump, and the filter table DROPs external traffic
/// ("has no local endpoints"). Every node accepts the health-check nodePort.
#[test]
fn external_traffic_policy_local_uses_local_endpoints_and_drops_elsewhere() {
    let sim = cluster_of(&service_with_slice(
        "  type: LoadBalancer\n  clusterIP: 10.96.100.10\n  externalTrafficPolicy: Local\n  healthCheckNodePort: 32000\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n    nodePort: 30080\n",
        "- addresses: [10.244.1.5]\n  nodeName: kubeplay-worker\n",
    ));
    let lb_ip = match &sim.cluster().service("default", "web").expect("service").load_balancer {
        kubeplay_core::cluster::LoadBalancerStatus::Ingress(ip) => ip.to_string(),
        other => panic!("no load-balancer address: {other}"),
    };
    let ext = |node: &str| chain_lines(&sim, node, "KUBE-EXT-CDGGSHYLG3RE2FKL");
    let short_circuits = [
        r#"-A KUBE-EXT-CDGGSHYLG3RE2FKL -m comment --comment "pod traffic for default/web:http external destinations" -s 10.244.0.0/16 -j KUBE-SVC-CDGGSHYLG3RE2FKL"#,
        r#"-A KUBE-EXT-CDGGSHYLG3RE2FKL -m comment --comment "masquerade LOCAL traffic for default/web:http external destinations" -m addrtype --src-type LOCAL -j KUBE-MARK-MASQ"#,
        r#"-A KUBE-EXT-CDGGSHYLG3RE2FKL -m comment --comment "route LOCAL traffic for default/web:http external destinations" -m addrtype --src-type LOCAL -j KUBE-SVC-CDGGSHYLG3RE2FKL"#,
    ];
    let mut with_local = short_circuits.to_vec();
    with_local.push("-A KUBE-EXT-CDGGSHYLG3RE2FKL -j KUBE-SVL-CDGGSHYLG3RE2FKL");
    assert_eq!(ext("kubeplay-worker"), with_local);
    assert_eq!(
        chain_lines(&sim, "kubeplay-worker", "KUBE-SVL-CDGGSHYLG3RE2FKL"),
        [
            r#"-A KUBE-SVL-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.5:8080" -j KUBE-SEP-AFGSLHOD2HFNCBX4"#
        ]
    );
    assert!(chain_lines(&sim, "kubeplay-worker", "KUBE-EXTERNAL-SERVICES").is_empty());

    assert_eq!(ext("kubeplay-worker2"), short_circuits);
    assert!(chain_lines(&sim, "kubeplay-worker2", "KUBE-SVL-CDGGSHYLG3RE2FKL").is_empty());
    assert_eq!(
        chain_lines(&sim, "kubeplay-worker2", "KUBE-EXTERNAL-SERVICES"),
        [
            format!(r#"-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web:http has no local endpoints" -m tcp -p tcp -d {lb_ip} --dport 80 -j DROP"#),
            r#"-A KUBE-EXTERNAL-SERVICES -m comment --comment "default/web:http has no local endpoints" -m addrtype --dst-type LOCAL -m tcp -p tcp --dport 30080 -j DROP"#.to_string(),
        ]
    );
    for node_name in ["kubeplay-worker", "kubeplay-worker2"] {
        assert_eq!(
            chain_lines(&sim, node_name, "KUBE-NODEPORTS")
                .into_iter()
                .filter(|l| l.contains("ACCEPT"))
                .collect::<Vec<_>>(),
            [
                r#"-A KUBE-NODEPORTS -m comment --comment "default/web:http health check node port" -m tcp -p tcp --dport 32000 -j ACCEPT"#
            ]
        );
    }
}

/// `internalTrafficPolicy: Local` (`TestInternalTrafficPolicy`): the cluster IP leads to
/// `KUBE-SVL-` on a node with a local endpoint, and is DROPped in the filter table on a
/// node without one.
#[test]
fn internal_traffic_policy_local_drops_where_no_endpoint_is_local() {
    let sim = cluster_of(&service_with_slice(
        "  clusterIP: 10.96.100.10\n  internalTrafficPolicy: Local\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n",
        "- addresses: [10.244.1.5]\n  nodeName: kubeplay-worker\n",
    ));
    let web = |node: &str| {
        chain_lines(&sim, node, "KUBE-SERVICES").into_iter().filter(|l| l.contains("default/web")).collect::<Vec<_>>()
    };
    assert_eq!(
        web("kubeplay-worker"),
        [
            r#"-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.100.10 --dport 80 -j KUBE-SVL-CDGGSHYLG3RE2FKL"#
        ]
    );
    assert_eq!(
        chain_lines(&sim, "kubeplay-worker", "KUBE-SVL-CDGGSHYLG3RE2FKL"),
        [
            r#"-A KUBE-SVL-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http cluster IP" -m tcp -p tcp -d 10.96.100.10 --dport 80 ! -s 10.244.0.0/16 -j KUBE-MARK-MASQ"#,
            r#"-A KUBE-SVL-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http -> 10.244.1.5:8080" -j KUBE-SEP-AFGSLHOD2HFNCBX4"#,
        ]
    );
    assert_eq!(
        web("kubeplay-worker2"),
        [
            r#"-A KUBE-SERVICES -m comment --comment "default/web:http has no local endpoints" -m tcp -p tcp -d 10.96.100.10 --dport 80 -j DROP"#
        ]
    );
    assert!(chain_lines(&sim, "kubeplay-worker2", "KUBE-SVL-CDGGSHYLG3RE2FKL").is_empty());
}

/// Mirrors `TestOverallIPTablesRules`' ns5/svc5 and `TestLoadBalancer`: the load-balancer
/// address leads to `KUBE-FW-`, which lets each source range through to `KUBE-EXT-` (and,
/// when a range holds the node's own address, the load-balancer address itself, for
/// hairpinned VIP traffic); the rest falls off the chain and `KUBE-PROXY-FIREWALL` drops it.
#[test]
fn load_balancer_source_ranges_go_through_the_firewall_chain() {
    let sim = cluster_of(&service_with_slice(
        "  type: LoadBalancer\n  clusterIP: 10.96.100.10\n  loadBalancerSourceRanges: [203.0.113.0/25, 172.18.0.0/16]\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n    nodePort: 30080\n",
        TWO_ENDPOINTS,
    ));
    let lb_ip = match &sim.cluster().service("default", "web").expect("service").load_balancer {
        kubeplay_core::cluster::LoadBalancerStatus::Ingress(ip) => ip.to_string(),
        other => panic!("no load-balancer address: {other}"),
    };
    assert!(chain_lines(&sim, "kubeplay-worker", "KUBE-SERVICES").contains(&format!(
        r#"-A KUBE-SERVICES -m comment --comment "default/web:http loadbalancer IP" -m tcp -p tcp -d {lb_ip} --dport 80 -j KUBE-FW-CDGGSHYLG3RE2FKL"#
    )));
    assert_eq!(
        chain_lines(&sim, "kubeplay-worker", "KUBE-FW-CDGGSHYLG3RE2FKL"),
        [
            r#"-A KUBE-FW-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http loadbalancer IP" -s 203.0.113.0/25 -j KUBE-EXT-CDGGSHYLG3RE2FKL"#.to_string(),
            r#"-A KUBE-FW-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http loadbalancer IP" -s 172.18.0.0/16 -j KUBE-EXT-CDGGSHYLG3RE2FKL"#.to_string(),
            format!(r#"-A KUBE-FW-CDGGSHYLG3RE2FKL -m comment --comment "default/web:http loadbalancer IP" -s {lb_ip} -j KUBE-EXT-CDGGSHYLG3RE2FKL"#),
            r#"-A KUBE-FW-CDGGSHYLG3RE2FKL -m comment --comment "other traffic to default/web:http will be dropped by KUBE-PROXY-FIREWALL""#.to_string(),
        ]
    );
    assert_eq!(
        chain_lines(&sim, "kubeplay-worker", "KUBE-PROXY-FIREWALL"),
        [format!(
            r#"-A KUBE-PROXY-FIREWALL -m comment --comment "default/web:http traffic not accepted by KUBE-FW-CDGGSHYLG3RE2FKL" -m tcp -p tcp -d {lb_ip} --dport 80 -j DROP"#
        )]
    );
}

/// The rules are data: a trace can walk `KUBE-SERVICES` to the Service chain and read the
/// random choice and the DNAT it ends in, with the comment to show.
#[test]
fn rules_are_data_a_trace_can_follow() {
    let sim = cluster_of(&service_with_slice(
        "  clusterIP: 10.96.100.10\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n",
        TWO_ENDPOINTS,
    ));
    let rules = kube_proxy::node_rules(sim.cluster(), node(&sim, "kubeplay-worker"));
    assert_eq!(rules.node, "kubeplay-worker");
    let capture = rules
        .chain(TableName::Nat, "KUBE-SERVICES")
        .expect("KUBE-SERVICES")
        .rules
        .iter()
        .find(|r| r.comment() == Some("default/web:http cluster IP"))
        .expect("capture rule");
    assert_eq!(capture.target, Some(Target::Jump("KUBE-SVC-CDGGSHYLG3RE2FKL".into())));
    let svc = rules.chain(TableName::Nat, "KUBE-SVC-CDGGSHYLG3RE2FKL").expect("service chain");
    assert!(svc.rules[1].matches.contains(&Match::Random { one_in: 2 }));
    let sep = rules.chain(TableName::Nat, "KUBE-SEP-AFGSLHOD2HFNCBX4").expect("endpoint chain");
    assert_eq!(sep.rules[1].target, Some(Target::Dnat("10.244.1.5:8080".parse().expect("address"))));
    assert_eq!(sep.rules[1].chain, "KUBE-SEP-AFGSLHOD2HFNCBX4");
}

/// Mirrors `pkg/proxy/nftables/proxier_test.go`'s `TestOverallNFTablesRules` (svc4: two
/// endpoints, a nodePort): with `kubeProxyMode: nftables` the rules are the `ip kube-proxy`
/// table, the Service port dispatched through the `service-ips` and `service-nodeports` maps
/// to `service-HASH-default/web/tcp/http`, which picks an endpoint with `numgen random`.
/// The hashes were computed with coreutils, like the iptables ones.
#[test]
fn nftables_mode_renders_the_kube_proxy_table() {
    let config = "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnetworking:\n  kubeProxyMode: nftables\nnodes:\n- role: control-plane\n- role: worker\n- role: worker\n---\n";
    let sim = cluster_of(&(config.to_string()
        + &service_with_slice(
            "  type: NodePort\n  clusterIP: 10.96.100.10\n  ports:\n  - name: http\n    port: 80\n    targetPort: 8080\n    nodePort: 30080\n",
            TWO_ENDPOINTS,
        )));
    let ProgrammedRules::Nftables(text) = kube_proxy::programmed_rules(sim.cluster(), node(&sim, "kubeplay-worker"))
    else {
        panic!("nftables mode gives the nft transaction");
    };
    let section: Vec<&str> =
        text.lines().skip_while(|l| *l != "# default/web:http").take_while(|l| !l.is_empty()).collect();
    assert_eq!(
        section,
        [
            "# default/web:http",
            "add chain ip kube-proxy service-SUSTUHLJ-default/web/tcp/http",
            "add rule ip kube-proxy service-SUSTUHLJ-default/web/tcp/http ip daddr 10.96.100.10 ip saddr != 10.244.0.0/16 jump mark-for-masquerade",
            "add rule ip kube-proxy service-SUSTUHLJ-default/web/tcp/http numgen random mod 2 vmap { 0 : goto endpoint-HGNPOIJ5-default/web/tcp/http__10.244.1.5/8080 , 1 : goto endpoint-BZGFZVVG-default/web/tcp/http__10.244.2.7/8080 }",
            "add chain ip kube-proxy external-SUSTUHLJ-default/web/tcp/http",
            "add rule ip kube-proxy external-SUSTUHLJ-default/web/tcp/http jump mark-for-masquerade",
            "add rule ip kube-proxy external-SUSTUHLJ-default/web/tcp/http goto service-SUSTUHLJ-default/web/tcp/http",
            "add chain ip kube-proxy endpoint-BZGFZVVG-default/web/tcp/http__10.244.2.7/8080",
            "add rule ip kube-proxy endpoint-BZGFZVVG-default/web/tcp/http__10.244.2.7/8080 ip saddr 10.244.2.7 jump mark-for-masquerade",
            "add rule ip kube-proxy endpoint-BZGFZVVG-default/web/tcp/http__10.244.2.7/8080 meta l4proto tcp dnat to 10.244.2.7:8080",
            "add chain ip kube-proxy endpoint-HGNPOIJ5-default/web/tcp/http__10.244.1.5/8080",
            "add rule ip kube-proxy endpoint-HGNPOIJ5-default/web/tcp/http__10.244.1.5/8080 ip saddr 10.244.1.5 jump mark-for-masquerade",
            "add rule ip kube-proxy endpoint-HGNPOIJ5-default/web/tcp/http__10.244.1.5/8080 meta l4proto tcp dnat to 10.244.1.5:8080",
            "add element ip kube-proxy cluster-ips { 10.96.100.10 }",
            "add element ip kube-proxy service-ips { 10.96.100.10 . tcp . 80 : goto service-SUSTUHLJ-default/web/tcp/http }",
            "add element ip kube-proxy service-nodeports { tcp . 30080 : goto external-SUSTUHLJ-default/web/tcp/http }",
        ]
    );
    let worker_ip = sim.cluster().nodes[node(&sim, "kubeplay-worker").index()].internal_ip;
    assert!(text.starts_with("add table ip kube-proxy { comment \"rules for kube-proxy\" ; }\n"));
    assert!(text.contains(&format!("add element ip kube-proxy nodeport-ips {{ {worker_ip} }}\n")));
    assert!(text.contains("add rule ip kube-proxy services ip daddr . meta l4proto . th dport vmap @service-ips\n"));
}

/// `trafficDistribution: PreferClose` (`TestTopologyAwareHints` in spirit; `topologyModeFromHints`
/// in `pkg/proxy/topology.go`): the EndpointSlice controller hints each endpoint for its
/// node's zone, and `Cluster` policy on a node keeps to the endpoints hinted for its zone; a
/// node without a zone label matches no hint and uses every endpoint.
#[test]
fn prefer_close_keeps_cluster_traffic_in_the_nodes_zone() {
    let config = "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes:\n- role: control-plane\n- role: worker\n  labels: {topology.kubernetes.io/zone: a}\n- role: worker\n  labels: {topology.kubernetes.io/zone: b}\n---\n";
    let pod = |name: &str, node: &str| {
        format!("apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels: {{app: web}}\nspec:\n  nodeName: {node}\n  containers:\n  - name: c\n    image: nginx\n---\n")
    };
    let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  trafficDistribution: PreferClose\n  selector: {app: web}\n  ports:\n  - name: http\n    port: 80\n";
    let sim =
        cluster_of(&(config.to_string() + &pod("a", "kubeplay-worker") + &pod("b", "kubeplay-worker2") + service));
    let cluster = sim.cluster();
    let ip = |name: &str| cluster.pod(cluster.find_pod("default", name).expect("pod")).ip.expect("running").to_string();
    let targets = |node: &str| {
        chain_lines(&sim, node, "KUBE-SVC-CDGGSHYLG3RE2FKL")
            .into_iter()
            .filter_map(|l| l.split(" -> ").nth(1).and_then(|rest| rest.split(':').next()).map(String::from))
            .collect::<Vec<_>>()
    };
    assert_eq!(targets("kubeplay-worker"), [ip("a")]);
    assert_eq!(targets("kubeplay-worker2"), [ip("b")]);
    assert_eq!(targets("kubeplay-control-plane").len(), 2);
}

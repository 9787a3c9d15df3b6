//! NetworkPolicy loading through the public entry: defaulting, peers, ipBlocks and ports, each
//! rule checked with its exact field path, position and upstream message.

use kubeplay_core::api::network_policy::{IpBlock, NetworkPolicy, PolicyPeer, PolicyPort, PolicyPortValue, PolicyRule};
use kubeplay_core::api::{LabelSelector, Protocol};
use kubeplay_core::load::{load_workspace, Loaded};
use kubeplay_core::simulation::SourceFile;

/// Lines 1-4 of every test document; `spec` starts on line 5.
const HEAD: &str = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p\n";

fn load(spec: &str) -> Loaded {
    load_workspace(&[SourceFile::new("x.yaml", format!("{HEAD}{spec}"))])
}

/// Every diagnostic in the CLI's one-line format (`file:line:col: field: message (hint)`).
fn lines(loaded: &Loaded) -> Vec<String> {
    loaded.diagnostics.iter().map(|d| d.to_string()).collect()
}

/// The one policy `spec` declares, which must load without any diagnostic.
fn policy(spec: &str) -> NetworkPolicy {
    let loaded = load(spec);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    assert_eq!(loaded.objects.network_policies.len(), 1);
    loaded.objects.network_policies[0].object.clone()
}

/// Asserts that `spec` is rejected with exactly `expected`.
fn rejected(spec: &str, expected: &[&str]) {
    let loaded = load(spec);
    assert_eq!(lines(&loaded), expected);
    assert!(loaded.objects.network_policies.is_empty());
}

fn pods(labels: &[(&str, &str)]) -> LabelSelector {
    LabelSelector::from_labels(labels.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect())
}

fn tcp(port: u16) -> PolicyPort {
    PolicyPort { protocol: Protocol::TCP, port: Some(PolicyPortValue::Number { port, end_port: None }) }
}

#[test]
fn network_policy_pod_selector_may_be_omitted_and_then_selects_every_pod() {
    // NetworkPolicySpec.podSelector is optional: "If it is not specified, it defaults to an
    // empty selector." Even a policy without a spec isolates every pod of its namespace.
    for spec in ["spec:\n  podSelector: {}\n", "spec:\n  ingress: []\n", "spec: {}\n", ""] {
        let p = policy(spec);
        assert_eq!(p.pod_selector, LabelSelector::default(), "{spec:?}");
        assert!(p.isolates_ingress && !p.isolates_egress, "{spec:?}");
        assert!(p.ingress.is_empty() && p.egress.is_empty());
    }
}

#[test]
fn network_policy_pod_selector_is_a_validated_label_selector() {
    let p = policy("spec:\n  podSelector:\n    matchLabels:\n      app: db\n");
    assert_eq!(p.pod_selector, pods(&[("app", "db")]));
    rejected(
        "spec:\n  podSelector:\n    matchExpressions:\n    - key: app\n      operator: Equals\n      values: [db]\n",
        &["x.yaml:9:17: spec.podSelector.matchExpressions[0].operator: Invalid value: \"Equals\": not a valid selector operator"],
    );
}

#[test]
fn network_policy_policy_types_default_to_ingress_only() {
    let p = policy("spec:\n  podSelector: {}\n  ingress:\n  - from:\n    - podSelector: {}\n");
    assert!(p.isolates_ingress);
    assert!(!p.isolates_egress);
}

#[test]
fn network_policy_policy_types_default_adds_egress_when_egress_has_a_rule() {
    let p = policy("spec:\n  podSelector: {}\n  egress:\n  - {}\n");
    assert!(p.isolates_ingress && p.isolates_egress);
    assert_eq!(p.egress, [PolicyRule { peers: None, ports: vec![] }]);
}

#[test]
fn network_policy_empty_egress_list_does_not_default_egress_isolation() {
    // SetDefaults_NetworkPolicy tests len(spec.Egress) != 0: `egress: []` is no egress section.
    let p = policy("spec:\n  podSelector: {}\n  egress: []\n");
    assert!(p.isolates_ingress);
    assert!(!p.isolates_egress);
}

#[test]
fn network_policy_written_policy_types_are_kept() {
    let p = policy("spec:\n  podSelector: {}\n  policyTypes: [Egress]\n");
    assert!(!p.isolates_ingress && p.isolates_egress);
    let p = policy("spec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress]\n");
    assert!(p.isolates_ingress && p.isolates_egress);
    // An empty list is defaulted like a missing one.
    let p = policy("spec:\n  podSelector: {}\n  policyTypes: []\n");
    assert!(p.isolates_ingress && !p.isolates_egress);
}

#[test]
fn network_policy_policy_types_must_be_ingress_or_egress() {
    rejected(
        "spec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n  - egress\n",
        &["x.yaml:9:5: spec.policyTypes[1]: Unsupported value: \"egress\": supported values: \"Ingress\", \"Egress\""],
    );
}

#[test]
fn network_policy_policy_types_hold_at_most_two() {
    rejected(
        "spec:\n  podSelector: {}\n  policyTypes: [Ingress, Egress, Ingress]\n",
        &["x.yaml:7:16: spec.policyTypes: Invalid value: [\"Ingress\",\"Egress\",\"Ingress\"]: may not specify more than two policyTypes"],
    );
}

#[test]
fn network_policy_rules_outside_policy_types_are_valid_but_warned() {
    let loaded = load("spec:\n  podSelector: {}\n  policyTypes: [Egress]\n  ingress:\n  - {}\n");
    assert_eq!(lines(&loaded), ["x.yaml:9:3: warning: spec.ingress: policyTypes does not include Ingress, so these ingress rules have no effect"]);
    assert_eq!(loaded.objects.network_policies.len(), 1);
}

#[test]
fn network_policy_missing_or_empty_from_means_every_peer() {
    let p = policy("spec:\n  podSelector: {}\n  ingress:\n  - {}\n  - from: []\n    ports: []\n");
    assert_eq!(p.ingress, [PolicyRule { peers: None, ports: vec![] }, PolicyRule { peers: None, ports: vec![] }]);
}

#[test]
fn network_policy_selectors_in_one_peer_are_anded_and_peers_ored() {
    let p = policy(
        "spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          team: a
      podSelector:
        matchLabels:
          app: web
    - podSelector:
        matchLabels:
          app: api
",
    );
    let peers = p.ingress[0].peers.clone().expect("peers");
    assert_eq!(
        peers,
        [
            PolicyPeer::Pods {
                pod_selector: Some(pods(&[("app", "web")])),
                namespace_selector: Some(pods(&[("team", "a")]))
            },
            PolicyPeer::Pods { pod_selector: Some(pods(&[("app", "api")])), namespace_selector: None },
        ]
    );
}

#[test]
fn network_policy_peer_must_specify_a_peer() {
    rejected(
        "spec:\n  podSelector: {}\n  ingress:\n  - from:\n    - {}\n",
        &["x.yaml:9:7: spec.ingress[0].from[0]: Required value: must specify a peer"],
    );
}

#[test]
fn network_policy_ip_block_must_be_alone_in_its_peer() {
    rejected(
        "spec:
  podSelector: {}
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/8
      podSelector: {}
",
        &["x.yaml:9:7: spec.egress[0].to[0]: Forbidden: may not specify both ipBlock and another peer"],
    );
}

#[test]
fn network_policy_ip_block_loads_with_its_exceptions() {
    let p = policy(
        "spec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.0/8\n        except: [10.1.0.0/16]\n",
    );
    let block =
        IpBlock { cidr: "10.0.0.0/8".parse().expect("cidr"), except: vec!["10.1.0.0/16".parse().expect("cidr")] };
    assert_eq!(p.egress[0].peers, Some(vec![PolicyPeer::IpBlock(block)]));
}

#[test]
fn network_policy_ip_block_cidr_is_required() {
    rejected(
        "spec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        except: [10.1.0.0/16]\n",
        &["x.yaml:10:9: spec.egress[0].to[0].ipBlock.cidr: Required value"],
    );
}

#[test]
fn network_policy_ip_block_cidr_must_not_have_host_bits() {
    rejected(
        "spec:\n  podSelector: {}\n  egress:\n  - to:\n    - ipBlock:\n        cidr: 10.0.0.1/8\n",
        &["x.yaml:10:15: spec.egress[0].to[0].ipBlock.cidr: Invalid value: \"10.0.0.1/8\": must not have bits set beyond the prefix length"],
    );
}

#[test]
fn network_policy_except_must_be_a_strict_subset_of_cidr() {
    rejected(
        "spec:
  podSelector: {}
  egress:
  - to:
    - ipBlock:
        cidr: 10.0.0.0/16
        except:
        - 10.0.0.0/16
        - 192.168.0.0/24
        - 10.0.1.0/24
",
        &[
            "x.yaml:12:11: spec.egress[0].to[0].ipBlock.except[0]: Invalid value: \"10.0.0.0/16\": must be a strict subset of `cidr`",
            "x.yaml:13:11: spec.egress[0].to[0].ipBlock.except[1]: Invalid value: \"192.168.0.0/24\": must be a strict subset of `cidr`",
        ],
    );
}

#[test]
fn network_policy_port_protocol_defaults_to_tcp() {
    let p = policy("spec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: 5432\n    - protocol: UDP\n");
    assert_eq!(p.ingress[0].ports, [tcp(5432), PolicyPort { protocol: Protocol::UDP, port: None }]);
}

#[test]
fn network_policy_port_protocol_must_be_supported() {
    // ValidateNetworkPolicyPort lists the protocols unsorted: TCP, UDP, SCTP.
    rejected(
        "spec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - protocol: tcp\n      port: 80\n",
        &["x.yaml:9:17: spec.ingress[0].ports[0].protocol: Unsupported value: \"tcp\": supported values: \"TCP\", \"UDP\", \"SCTP\""],
    );
}

#[test]
fn network_policy_port_number_must_be_in_range() {
    rejected(
        "spec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: 0\n",
        &["x.yaml:9:13: spec.ingress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"],
    );
}

#[test]
fn network_policy_named_port_must_be_an_iana_svc_name() {
    let p = policy("spec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: http\n");
    assert_eq!(p.ingress[0].ports[0].port, Some(PolicyPortValue::Named("http".into())));
    rejected(
        "spec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: \"8080\"\n",
        &["x.yaml:9:13: spec.ingress[0].ports[0].port: Invalid value: \"8080\": must contain at least one letter (a-z)"],
    );
}

#[test]
fn network_policy_end_port_makes_a_range() {
    let p = policy("spec:\n  podSelector: {}\n  egress:\n  - ports:\n    - port: 32000\n      endPort: 32768\n");
    assert_eq!(p.egress[0].ports[0].port, Some(PolicyPortValue::Number { port: 32000, end_port: Some(32768) }));
}

#[test]
fn network_policy_end_port_requires_a_numeric_port() {
    rejected(
        "spec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: http\n      endPort: 8090\n",
        &["x.yaml:10:16: spec.ingress[0].ports[0].endPort: Invalid value: 8090: may not be specified when `port` is non-numeric"],
    );
}

#[test]
fn network_policy_end_port_requires_a_port() {
    rejected(
        "spec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - endPort: 8090\n",
        &["x.yaml:9:16: spec.ingress[0].ports[0].endPort: Invalid value: 8090: may not be specified when `port` is not specified"],
    );
}

#[test]
fn network_policy_end_port_must_not_be_below_port() {
    rejected(
        "spec:\n  podSelector: {}\n  ingress:\n  - ports:\n    - port: 8080\n      endPort: 80\n",
        &["x.yaml:10:16: spec.ingress[0].ports[0].endPort: Invalid value: 80: must be greater than or equal to `port`"],
    );
}

#[test]
fn network_policy_peers_of_the_other_direction_are_unknown_fields() {
    // An ingress rule has `from`, an egress rule `to`; strict decoding rejects the other one
    // before anything is validated.
    rejected(
        "spec:\n  podSelector: {}\n  ingress:\n  - to:\n    - podSelector: {}\n",
        &["x.yaml:8:5: spec.ingress[0].to: unknown field \"spec.ingress[0].to\""],
    );
}

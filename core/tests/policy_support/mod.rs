//! A generator of random clusters for the policy properties: a kind cluster with any CNI plugin,
//! namespaces `n0`..`n2` (labelled `team: red|blue`), up to nine pods with random labels and
//! declared ports (some on the host network), and up to four NetworkPolicies with every kind
//! of peer (pod, namespace, both, `ipBlock`) and port (numeric, named, ranges, protocol only),
//! written out as one YAML workspace.

#![allow(dead_code)] // Each test crate uses a different subset of these helpers.

use kubeplay_core::api::Protocol;
use kubeplay_core::simulation::{Simulation, SourceFile};
use proptest::prelude::*;

pub const NAMESPACES: [&str; 3] = ["n0", "n1", "n2"];
pub const APPS: [&str; 3] = ["a", "b", "c"];
/// The ports every matrix is checked on.
pub const PROBES: [(u16, Protocol); 4] =
    [(80, Protocol::TCP), (53, Protocol::UDP), (8080, Protocol::TCP), (81, Protocol::SCTP)];

#[derive(Debug, Clone)]
pub struct PodSpec {
    pub namespace: usize,
    pub app: usize,
    pub tier: Option<bool>,
    pub host_network: bool,
    /// Which of `http` (80/TCP), `dns` (53/UDP), `alt` (8080/TCP) it declares.
    pub ports: [bool; 3],
}

#[derive(Debug, Clone)]
pub enum Selector {
    Empty,
    App(usize),
    NotApp(usize),
    TierExists,
}

#[derive(Debug, Clone)]
pub enum NamespaceSelector {
    Empty,
    Team(bool),
    Name(usize),
}

#[derive(Debug, Clone)]
pub enum Peer {
    Pods(Option<Selector>, Option<NamespaceSelector>),
    Block(usize),
}

#[derive(Debug, Clone)]
pub struct Rule {
    pub peers: Option<Vec<Peer>>,
    pub ports: Vec<usize>,
}

#[derive(Debug, Clone)]
pub struct PolicySpec {
    pub namespace: usize,
    pub selector: Selector,
    pub ingress: Option<Vec<Rule>>,
    pub egress: Option<Vec<Rule>>,
}

#[derive(Debug, Clone)]
pub struct World {
    pub cni: usize,
    pub teams: [bool; 3],
    pub pods: Vec<PodSpec>,
    pub policies: Vec<PolicySpec>,
}

pub const BLOCKS: [&str; 5] = [
    "{cidr: 10.244.0.0/16}",
    "{cidr: 10.244.1.0/24}",
    "{cidr: 172.18.0.0/16}",
    "{cidr: 0.0.0.0/0, except: [10.0.0.0/8]}",
    "{cidr: 203.0.113.0/24}",
];
pub const PORTS: [&str; 6] = [
    "{port: 80}",
    "{port: http}",
    "{port: 53, protocol: UDP}",
    "{port: 8000, endPort: 8100}",
    "{protocol: UDP}",
    "{port: dns, protocol: UDP}",
];
pub const CNIS: [&str; 4] = ["calico", "cilium", "flannel", "kindnet"];

pub fn selector() -> impl Strategy<Value = Selector> {
    prop_oneof![
        Just(Selector::Empty),
        (0..3usize).prop_map(Selector::App),
        (0..3usize).prop_map(Selector::NotApp),
        Just(Selector::TierExists),
    ]
}

pub fn namespace_selector() -> impl Strategy<Value = NamespaceSelector> {
    prop_oneof![
        Just(NamespaceSelector::Empty),
        any::<bool>().prop_map(NamespaceSelector::Team),
        (0..3usize).prop_map(NamespaceSelector::Name),
    ]
}

pub fn peer() -> impl Strategy<Value = Peer> {
    prop_oneof![
        (proptest::option::of(selector()), proptest::option::of(namespace_selector())).prop_map(|(p, n)| {
            if p.is_none() && n.is_none() {
                Peer::Pods(Some(Selector::Empty), None)
            } else {
                Peer::Pods(p, n)
            }
        }),
        (0..BLOCKS.len()).prop_map(Peer::Block),
    ]
}

pub fn rule() -> impl Strategy<Value = Rule> {
    (proptest::option::of(proptest::collection::vec(peer(), 1..3)), proptest::collection::vec(0..PORTS.len(), 0..3))
        .prop_map(|(peers, ports)| Rule { peers, ports })
}

pub fn policy() -> impl Strategy<Value = PolicySpec> {
    (
        0..3usize,
        selector(),
        proptest::option::of(proptest::collection::vec(rule(), 0..3)),
        proptest::option::of(proptest::collection::vec(rule(), 0..3)),
    )
        .prop_map(|(namespace, selector, ingress, egress)| {
            // At least one policy type, written explicitly.
            let ingress = if ingress.is_none() && egress.is_none() { Some(Vec::new()) } else { ingress };
            PolicySpec { namespace, selector, ingress, egress }
        })
}

pub fn pod() -> impl Strategy<Value = PodSpec> {
    (0..3usize, 0..3usize, proptest::option::of(any::<bool>()), prop::bool::weighted(0.1), any::<[bool; 3]>())
        .prop_map(|(namespace, app, tier, host_network, ports)| PodSpec { namespace, app, tier, host_network, ports })
}

pub fn world() -> impl Strategy<Value = World> {
    (
        0..CNIS.len(),
        any::<[bool; 3]>(),
        proptest::collection::vec(pod(), 1..10),
        proptest::collection::vec(policy(), 0..5),
    )
        .prop_map(|(cni, teams, pods, policies)| World { cni, teams, pods, policies })
}

pub fn selector_yaml(s: &Selector) -> String {
    match s {
        Selector::Empty => "{}".into(),
        Selector::App(a) => format!("{{matchLabels: {{app: {}}}}}", APPS[*a]),
        Selector::NotApp(a) => format!("{{matchExpressions: [{{key: app, operator: NotIn, values: [{}]}}]}}", APPS[*a]),
        Selector::TierExists => "{matchExpressions: [{key: tier, operator: Exists}]}".into(),
    }
}

pub fn namespace_selector_yaml(s: &NamespaceSelector) -> String {
    match s {
        NamespaceSelector::Empty => "{}".into(),
        NamespaceSelector::Team(t) => format!("{{matchLabels: {{team: {}}}}}", if *t { "red" } else { "blue" }),
        NamespaceSelector::Name(n) => format!("{{matchLabels: {{kubernetes.io/metadata.name: {}}}}}", NAMESPACES[*n]),
    }
}

pub fn rules_yaml(key: &str, peers_key: &str, rules: &[Rule]) -> String {
    if rules.is_empty() {
        return format!("  {key}: []\n");
    }
    let mut text = format!("  {key}:\n");
    for rule in rules {
        text.push_str("  - ports: [");
        text.push_str(&rule.ports.iter().map(|p| PORTS[*p]).collect::<Vec<_>>().join(", "));
        text.push_str("]\n");
        if let Some(peers) = &rule.peers {
            text.push_str(&format!("    {peers_key}:\n"));
            for peer in peers {
                match peer {
                    Peer::Pods(p, n) => {
                        let mut parts = Vec::new();
                        if let Some(p) = p {
                            parts.push(format!("podSelector: {}", selector_yaml(p)));
                        }
                        if let Some(n) = n {
                            parts.push(format!("namespaceSelector: {}", namespace_selector_yaml(n)));
                        }
                        text.push_str(&format!("    - {{{}}}\n", parts.join(", ")));
                    }
                    Peer::Block(b) => text.push_str(&format!("    - ipBlock: {}\n", BLOCKS[*b])),
                }
            }
        }
    }
    text
}

pub fn policy_yaml(i: usize, p: &PolicySpec, selector: &str) -> String {
    let mut types = Vec::new();
    let mut rules = String::new();
    if let Some(ingress) = &p.ingress {
        types.push("Ingress");
        rules.push_str(&rules_yaml("ingress", "from", ingress));
    }
    if let Some(egress) = &p.egress {
        types.push("Egress");
        rules.push_str(&rules_yaml("egress", "to", egress));
    }
    format!(
        "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: p{i}\n  namespace: {}\nspec:\n  podSelector: {selector}\n  policyTypes: [{}]\n{rules}---\n",
        NAMESPACES[p.namespace],
        types.join(", ")
    )
}

pub fn workspace(w: &World, extra: &str) -> String {
    let mut text =
        format!("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nkubeplay:\n  cni: {}\n---\n", CNIS[w.cni]);
    for (n, ns) in NAMESPACES.iter().enumerate() {
        let team = if w.teams[n] { "red" } else { "blue" };
        text.push_str(&format!(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: {ns}\n  labels:\n    team: {team}\n---\n"
        ));
    }
    for (i, p) in w.pods.iter().enumerate() {
        let tier = p.tier.map_or(String::new(), |t| format!("    tier: {}\n", if t { "front" } else { "back" }));
        let mut ports = String::new();
        for (k, (name, number, protocol)) in
            [("http", 80, "TCP"), ("dns", 53, "UDP"), ("alt", 8080, "TCP")].iter().enumerate()
        {
            if p.ports[k] {
                ports.push_str(&format!("    - {{name: {name}, containerPort: {number}, protocol: {protocol}}}\n"));
            }
        }
        let ports = if ports.is_empty() { String::new() } else { format!("    ports:\n{ports}") };
        text.push_str(&format!(
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: pod{i}\n  namespace: {}\n  labels:\n    app: {}\n{tier}spec:\n  hostNetwork: {}\n  containers:\n  - name: main\n    image: app\n{ports}---\n",
            NAMESPACES[p.namespace],
            APPS[p.app],
            p.host_network
        ));
    }
    for (i, p) in w.policies.iter().enumerate() {
        text.push_str(&policy_yaml(i, p, &selector_yaml(&p.selector)));
    }
    text.push_str(extra);
    text
}

/// The simulation after applying `text`, which must have no error.
pub fn simulation(text: &str) -> Simulation {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("w.yaml", text)]);
    // hostNetwork pods may collide on a host port and stay Pending: that is not an error.
    assert!(!outcome.has_errors(), "{:#?}\n{text}", outcome.diagnostics);
    sim
}

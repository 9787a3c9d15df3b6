//! Properties of the policy engine on random clusters (namespaces, pods with random labels and
//! ports, some on the host network, random policies with every kind of peer and port, any CNI
//! plugin), built as YAML and applied through `Simulation::apply`:
//! - every matrix cell equals `decide` on the cell's flow (the compiled matrix and the
//!   per-connection engine agree);
//! - adding an allow rule to a direction a policy already isolates never closes a pair
//!   (policies are additive);
//! - a policy that selects no pod changes nothing (isolation comes only from selection).

use kubeplay_core::api::Protocol;
use kubeplay_core::policy::{decide, Matrix};
use kubeplay_core::render::Scope;
use kubeplay_core::simulation::{Simulation, SourceFile};
use proptest::prelude::*;

const NAMESPACES: [&str; 3] = ["n0", "n1", "n2"];
const APPS: [&str; 3] = ["a", "b", "c"];
/// The ports every matrix is checked on.
const PROBES: [(u16, Protocol); 4] =
    [(80, Protocol::TCP), (53, Protocol::UDP), (8080, Protocol::TCP), (81, Protocol::SCTP)];

#[derive(Debug, Clone)]
struct PodSpec {
    namespace: usize,
    app: usize,
    tier: Option<bool>,
    host_network: bool,
    /// Which of `http` (80/TCP), `dns` (53/UDP), `alt` (8080/TCP) it declares.
    ports: [bool; 3],
}

#[derive(Debug, Clone)]
enum Selector {
    Empty,
    App(usize),
    NotApp(usize),
    TierExists,
}

#[derive(Debug, Clone)]
enum NamespaceSelector {
    Empty,
    Team(bool),
    Name(usize),
}

#[derive(Debug, Clone)]
enum Peer {
    Pods(Option<Selector>, Option<NamespaceSelector>),
    Block(usize),
}

#[derive(Debug, Clone)]
struct Rule {
    peers: Option<Vec<Peer>>,
    ports: Vec<usize>,
}

#[derive(Debug, Clone)]
struct PolicySpec {
    namespace: usize,
    selector: Selector,
    ingress: Option<Vec<Rule>>,
    egress: Option<Vec<Rule>>,
}

#[derive(Debug, Clone)]
struct World {
    cni: usize,
    teams: [bool; 3],
    pods: Vec<PodSpec>,
    policies: Vec<PolicySpec>,
}

const BLOCKS: [&str; 5] = [
    "{cidr: 10.244.0.0/16}",
    "{cidr: 10.244.1.0/24}",
    "{cidr: 172.18.0.0/16}",
    "{cidr: 0.0.0.0/0, except: [10.0.0.0/8]}",
    "{cidr: 203.0.113.0/24}",
];
const PORTS: [&str; 6] = [
    "{port: 80}",
    "{port: http}",
    "{port: 53, protocol: UDP}",
    "{port: 8000, endPort: 8100}",
    "{protocol: UDP}",
    "{port: dns, protocol: UDP}",
];
const CNIS: [&str; 4] = ["calico", "cilium", "flannel", "kindnet"];

fn selector() -> impl Strategy<Value = Selector> {
    prop_oneof![
        Just(Selector::Empty),
        (0..3usize).prop_map(Selector::App),
        (0..3usize).prop_map(Selector::NotApp),
        Just(Selector::TierExists),
    ]
}

fn namespace_selector() -> impl Strategy<Value = NamespaceSelector> {
    prop_oneof![
        Just(NamespaceSelector::Empty),
        any::<bool>().prop_map(NamespaceSelector::Team),
        (0..3usize).prop_map(NamespaceSelector::Name),
    ]
}

fn peer() -> impl Strategy<Value = Peer> {
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

fn rule() -> impl Strategy<Value = Rule> {
    (proptest::option::of(proptest::collection::vec(peer(), 1..3)), proptest::collection::vec(0..PORTS.len(), 0..3))
        .prop_map(|(peers, ports)| Rule { peers, ports })
}

fn policy() -> impl Strategy<Value = PolicySpec> {
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

fn pod() -> impl Strategy<Value = PodSpec> {
    (0..3usize, 0..3usize, proptest::option::of(any::<bool>()), prop::bool::weighted(0.1), any::<[bool; 3]>())
        .prop_map(|(namespace, app, tier, host_network, ports)| PodSpec { namespace, app, tier, host_network, ports })
}

fn world() -> impl Strategy<Value = World> {
    (
        0..CNIS.len(),
        any::<[bool; 3]>(),
        proptest::collection::vec(pod(), 1..10),
        proptest::collection::vec(policy(), 0..5),
    )
        .prop_map(|(cni, teams, pods, policies)| World { cni, teams, pods, policies })
}

fn selector_yaml(s: &Selector) -> String {
    match s {
        Selector::Empty => "{}".into(),
        Selector::App(a) => format!("{{matchLabels: {{app: {}}}}}", APPS[*a]),
        Selector::NotApp(a) => format!("{{matchExpressions: [{{key: app, operator: NotIn, values: [{}]}}]}}", APPS[*a]),
        Selector::TierExists => "{matchExpressions: [{key: tier, operator: Exists}]}".into(),
    }
}

fn namespace_selector_yaml(s: &NamespaceSelector) -> String {
    match s {
        NamespaceSelector::Empty => "{}".into(),
        NamespaceSelector::Team(t) => format!("{{matchLabels: {{team: {}}}}}", if *t { "red" } else { "blue" }),
        NamespaceSelector::Name(n) => format!("{{matchLabels: {{kubernetes.io/metadata.name: {}}}}}", NAMESPACES[*n]),
    }
}

fn rules_yaml(key: &str, peers_key: &str, rules: &[Rule]) -> String {
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

fn policy_yaml(i: usize, p: &PolicySpec, selector: &str) -> String {
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

fn workspace(w: &World, extra: &str) -> String {
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
fn simulation(text: &str) -> Simulation {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("w.yaml", text)]);
    // hostNetwork pods may collide on a host port and stay Pending: that is not an error.
    assert!(!outcome.has_errors(), "{:#?}\n{text}", outcome.diagnostics);
    sim
}

fn matrices(sim: &Simulation) -> Vec<Matrix> {
    PROBES.iter().map(|(port, protocol)| sim.policy_index().matrix(*port, *protocol, &Scope::All)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_matrix_cell_equals_decide_on_its_flow(w in world()) {
        let sim = simulation(&workspace(&w, ""));
        for matrix in matrices(&sim) {
            for i in 0..matrix.entries().len() {
                for j in 0..matrix.entries().len() {
                    let flow = matrix.flow(i, j);
                    let decision = decide(sim.cluster(), &flow);
                    prop_assert_eq!(
                        decision.allowed(), matrix.allowed(i, j),
                        "{} -> {} on {}/{}: {:#?}", matrix.entries()[i].label, matrix.entries()[j].label,
                        flow.port, flow.protocol, decision
                    );
                }
            }
        }
    }

    #[test]
    fn adding_an_allow_rule_never_closes_a_pair(w in world(), pick in any::<prop::sample::Index>(), extra in rule(), ingress in any::<bool>()) {
        prop_assume!(!w.policies.is_empty());
        let before = matrices(&simulation(&workspace(&w, "")));
        let mut wider = w.clone();
        let policy = &mut wider.policies[pick.index(w.policies.len())];
        // A rule for a direction the policy lists in policyTypes: adding one elsewhere would
        // change what the policy isolates, not what it allows.
        match (ingress, &mut policy.ingress, &mut policy.egress) {
            (true, Some(rules), _) | (false, _, Some(rules)) | (_, Some(rules), None) | (_, None, Some(rules)) => rules.push(extra),
            (_, None, None) => unreachable!("a policy has at least one type"),
        }
        let after = matrices(&simulation(&workspace(&wider, "")));
        for (old, new) in before.iter().zip(&after) {
            let diff = Matrix::diff(old, new);
            prop_assert!(diff.closed.is_empty(), "closed {:?} on {}/{}", diff.closed, old.port, old.protocol);
        }
    }

    #[test]
    fn a_policy_selecting_no_pod_changes_nothing(w in world(), lonely in policy()) {
        let before = matrices(&simulation(&workspace(&w, "")));
        let extra = policy_yaml(99, &lonely, "{matchLabels: {app: nobody}}");
        let after = matrices(&simulation(&workspace(&w, &extra)));
        prop_assert_eq!(before, after);
    }
}

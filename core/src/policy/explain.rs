//! Words for a [`Decision`]: what a learner reads when a connection is allowed or denied.
//!
//! The first line is the verdict; then one line per direction (who is isolated, by which
//! policies, and the rule that allowed the connection or the closest rule that did not, with the
//! part that failed); then notes for the mistakes this engine can recognise from its data: `from`
//! elements split where one was meant (kubernetes.io, "Behavior of to and from selectors"), a
//! `namespaceSelector` on a label the namespace does not carry instead of
//! `kubernetes.io/metadata.name` ("Targeting a Namespace by its name"), DNS blocked by an egress
//! policy, an `ipBlock` matching a cluster address (plugin-specific), and a plugin that enforces
//! nothing. Nothing here decides; everything comes from the decision and the cluster.

use super::decision::{
    Decision, Direction, Exemption, PeerMiss, PeerOutcome, PolicyId, PortMiss, PortOutcome, RuleCheck, Side, Verdict,
};
use super::flow::Party;
use crate::api::cluster_config::CniPlugin;
use crate::api::network_policy::{NetworkPolicy, PolicyPeer, PolicyPort, PolicyPortValue, PolicyRule};
use crate::api::{LabelSelector, Labels};
use crate::cluster::Cluster;
use crate::render::text::selector_string;

/// The label every namespace carries with its own name.
const NAME_LABEL: &str = "kubernetes.io/metadata.name";

/// The decision in sentences, one per line.
pub fn explain(decision: &Decision, cluster: &Cluster) -> Vec<String> {
    let words = Words { cluster, decision };
    let mut lines = vec![words.verdict()];
    if !decision.enforced && decision.policies_allow() {
        lines.push("the policies would allow it anyway:".to_string());
    } else if !decision.enforced {
        lines.push(format!(
            "with a plugin that enforces NetworkPolicy ({}) it would be {}:",
            enforcing_plugins(),
            words.denied_where()
        ));
    }
    for side in [&decision.egress, &decision.ingress] {
        lines.extend(words.side(side));
    }
    lines.extend(words.notes());
    lines
}

/// The plugins that enforce NetworkPolicy, for the flannel explanation.
fn enforcing_plugins() -> String {
    let names: Vec<&str> = CniPlugin::ALL.iter().filter(|c| super::rules::enforces(**c)).map(|c| c.as_str()).collect();
    names.join(", ")
}

/// `{}` for the empty selector (which selects everything), else the selector as kubectl prints it.
fn selector(selector: &LabelSelector) -> String {
    if selector.is_empty() {
        "{}".to_string()
    } else {
        selector_string(selector)
    }
}

/// Labels as `k=v,k=v`.
fn labels(labels: &Labels) -> String {
    if labels.is_empty() {
        return "none".to_string();
    }
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// A `from`/`to` element as written.
pub(crate) fn element(peer: &PolicyPeer) -> String {
    match peer {
        PolicyPeer::Pods { pod_selector: Some(p), namespace_selector: None } => format!("podSelector {}", selector(p)),
        PolicyPeer::Pods { pod_selector: None, namespace_selector: Some(n) } => {
            format!("namespaceSelector {}", selector(n))
        }
        PolicyPeer::Pods { pod_selector: Some(p), namespace_selector: Some(n) } => {
            format!("namespaceSelector {} with podSelector {}", selector(n), selector(p))
        }
        // Validation rejects an element with no selector at all.
        PolicyPeer::Pods { pod_selector: None, namespace_selector: None } => "{}".to_string(),
        PolicyPeer::IpBlock(block) => {
            let except: Vec<String> = block.except.iter().map(|e| e.to_string()).collect();
            if except.is_empty() {
                format!("ipBlock {}", block.cidr)
            } else {
                format!("ipBlock {} except {}", block.cidr, except.join(", "))
            }
        }
    }
}

/// A `ports[]` entry as written.
pub(crate) fn port_entry(entry: &PolicyPort) -> String {
    match &entry.port {
        None => format!("every {} port", entry.protocol),
        Some(PolicyPortValue::Number { port, end_port: None }) => format!("{port}/{}", entry.protocol),
        Some(PolicyPortValue::Number { port, end_port: Some(end) }) => format!("{port}-{end}/{}", entry.protocol),
        Some(PolicyPortValue::Named(name)) => format!("named port {name}/{}", entry.protocol),
    }
}

/// What the engine's data refers to, rendered.
struct Words<'a> {
    cluster: &'a Cluster,
    decision: &'a Decision,
}

impl Words<'_> {
    fn policy(&self, id: PolicyId) -> &NetworkPolicy {
        &self.cluster.network_policies[id.index()]
    }

    fn policy_name(&self, id: PolicyId) -> String {
        let meta = &self.policy(id).meta;
        format!("{}/{}", meta.namespace, meta.name)
    }

    fn rule(&self, direction: Direction, check: &RuleCheck) -> &PolicyRule {
        &super::engine::rules_of(self.policy(check.policy), direction)[check.rule]
    }

    /// `x/allow-b ingress[0]`.
    fn rule_name(&self, direction: Direction, check: &RuleCheck) -> String {
        format!("{} {}[{}]", self.policy_name(check.policy), direction.field(), check.rule)
    }

    fn party(&self, party: Party) -> String {
        match party {
            Party::Pod(id) | Party::HostNetworkPod { pod: id, .. } => self.cluster.pod(id).key(),
            Party::Node(id) => format!("node {}", self.cluster.node(id).name),
            Party::External(ip) => ip.to_string(),
        }
    }

    fn ip(&self, party: Party) -> String {
        party.ip(self.cluster).map_or_else(|| "no address".to_string(), |ip| ip.to_string())
    }

    fn verdict(&self) -> String {
        let flow = &self.decision.flow;
        let head = format!(
            "{} -> {} on {}/{}",
            self.party(self.decision.egress.subject),
            self.party(self.decision.ingress.subject),
            flow.port,
            flow.protocol
        );
        if !self.decision.enforced {
            format!(
                "{head}: allowed, because NetworkPolicy is not enforced: the CNI plugin {} has no policy engine",
                self.decision.cni.as_str()
            )
        } else if self.decision.allowed() {
            format!("{head}: allowed")
        } else {
            format!("{head}: {}", self.denied_where())
        }
    }

    /// `denied by the egress policy of x/a and the ingress policy of y/b`.
    fn denied_where(&self) -> String {
        let parts: Vec<String> = (self.decision.denied_at().into_iter())
            .map(|d| match d {
                Direction::Egress => format!("the egress policy of {}", self.party(self.decision.egress.subject)),
                Direction::Ingress => format!("the ingress policy of {}", self.party(self.decision.ingress.subject)),
            })
            .collect();
        format!("denied by {}", parts.join(" and "))
    }

    fn side(&self, side: &Side) -> Vec<String> {
        let direction = side.direction;
        let to_from = match direction {
            Direction::Egress => "from",
            Direction::Ingress => "to",
        };
        let prefix = format!("{} {to_from} {}", direction.field(), self.party(side.subject));
        let isolated_by = || side.isolated_by.iter().map(|id| self.policy_name(*id)).collect::<Vec<_>>().join(", ");
        let line = match &side.verdict {
            Verdict::NotAPod => match side.subject {
                Party::HostNetworkPod { node, .. } => format!(
                    "{prefix}: a hostNetwork pod, which NetworkPolicies do not select; its traffic is {}'s",
                    node.map_or_else(|| "its node".to_string(), |n| format!("node {}", self.cluster.node(n).name))
                ),
                Party::External(_) => format!("{prefix}: outside the cluster; NetworkPolicies only restrict pods"),
                _ => format!("{prefix}: not a pod; NetworkPolicies only restrict pods"),
            },
            Verdict::NotIsolated if side.selected_by.is_empty() => format!(
                "{prefix}: not isolated: no NetworkPolicy of namespace {} selects it, so all {} is allowed",
                self.namespace_of(side.subject),
                direction.field()
            ),
            Verdict::NotIsolated => {
                let names: Vec<String> = side.selected_by.iter().map(|id| self.policy_name(*id)).collect();
                format!(
                    "{prefix}: not isolated: {} {} it, but no policyTypes include {}, so all {} is allowed",
                    names.join(", "),
                    if names.len() == 1 { "selects" } else { "select" },
                    direction.policy_type(),
                    direction.field()
                )
            }
            Verdict::Exempt(Exemption::Loopback) => {
                format!("{prefix}: isolated by {}, but a pod's connections to itself are always allowed", isolated_by())
            }
            Verdict::Exempt(Exemption::NodeLocal(node)) => format!(
                "{prefix}: isolated by {}, but connections {} its own node {} (such as kubelet probes) are always allowed",
                isolated_by(),
                if side.direction == Direction::Ingress { "from" } else { "to" },
                self.cluster.node(*node).name
            ),
            Verdict::Allowed(check) => format!(
                "{prefix}: isolated by {}; allowed by {}: {}, {}",
                isolated_by(),
                self.rule_name(side.direction, check),
                self.peer_matched(side, check),
                self.port_matched(side.direction, check)
            ),
            Verdict::Denied(None) => format!(
                "{prefix}: isolated by {}, and {} no {} rule, so nothing is allowed{}",
                isolated_by(),
                if side.isolated_by.len() == 1 { "it has" } else { "none of them has" },
                direction.field(),
                if side.direction == Direction::Ingress { " in" } else { " out" }
            ),
            Verdict::Denied(Some(_)) => format!(
                "{prefix}: isolated by {}, and no {} rule allows this connection",
                isolated_by(),
                direction.field()
            ),
        };
        let mut lines = vec![line];
        if let Verdict::Denied(Some(check)) = &side.verdict {
            lines.push(format!(
                "closest rule: {}: {}",
                self.rule_name(side.direction, check),
                self.closest(side, check)
            ));
        }
        lines
    }

    fn namespace_of(&self, party: Party) -> String {
        match party {
            Party::Pod(id) | Party::HostNetworkPod { pod: id, .. } => self.cluster.pod(id).pod.meta.namespace.clone(),
            _ => String::new(),
        }
    }

    /// `from[0]`.
    fn element_name(&self, direction: Direction, index: usize) -> String {
        format!("{}[{index}]", direction.peers_field())
    }

    fn peer_matched(&self, side: &Side, check: &RuleCheck) -> String {
        match check.peer {
            PeerOutcome::Matched { index } => format!(
                "{} ({}) selects {}",
                self.element_name(side.direction, index),
                element(&self.rule(side.direction, check).peers.as_deref().unwrap_or_default()[index]),
                self.party(side.peer)
            ),
            _ => match side.direction {
                Direction::Ingress => "from any source (the rule has no from)".to_string(),
                Direction::Egress => "to any destination (the rule has no to)".to_string(),
            },
        }
    }

    fn port_matched(&self, direction: Direction, check: &RuleCheck) -> String {
        match check.port {
            PortOutcome::Matched { index } => format!(
                "ports[{index}] ({}) matches {}/{}",
                port_entry(&self.rule(direction, check).ports[index]),
                self.decision.flow.port,
                self.decision.flow.protocol
            ),
            _ => "on any port (the rule has no ports)".to_string(),
        }
    }

    /// Why the closest rule did not allow the connection.
    fn closest(&self, side: &Side, check: &RuleCheck) -> String {
        let peer = match check.peer {
            PeerOutcome::Missed { index, why } => Some(self.peer_missed(side, check, index, why)),
            _ => None,
        };
        let port = match check.port {
            PortOutcome::Missed { index, why } => Some(self.port_missed(side.direction, check, index, why)),
            _ => None,
        };
        match (peer, port) {
            (Some(peer), None) => peer,
            (None, Some(port)) => format!("{}, but {port}", self.peer_matched(side, check)),
            (Some(peer), Some(port)) => format!("{peer}; and {port}"),
            // A rule that misses nothing allows the connection and is never the closest miss.
            (None, None) => self.peer_matched(side, check),
        }
    }

    fn peer_missed(&self, side: &Side, check: &RuleCheck, index: usize, why: PeerMiss) -> String {
        let policy = self.policy(check.policy);
        let peers = self.rule(side.direction, check).peers.as_deref().unwrap_or_default();
        let written = &peers[index];
        let name = self.element_name(side.direction, index);
        let who = self.party(side.peer);
        let (pod_selector, namespace_selector) = match written {
            PolicyPeer::Pods { pod_selector, namespace_selector } => {
                (pod_selector.as_ref(), namespace_selector.as_ref())
            }
            PolicyPeer::IpBlock(_) => (None, None),
        };
        let cidr = match written {
            PolicyPeer::IpBlock(block) => block.cidr.to_string(),
            PolicyPeer::Pods { .. } => String::new(),
        };
        let peer_namespace = self.namespace_of(side.peer);
        let peer_labels = match side.peer {
            Party::Pod(id) => labels(&self.cluster.pod(id).pod.meta.labels),
            _ => String::new(),
        };
        match why {
            PeerMiss::NotAPod => format!(
                "{name} ({}) selects pods on the pod network, and {who} is {}; only an ipBlock can match it",
                element(written),
                match side.peer {
                    Party::HostNetworkPod { .. } => "a hostNetwork pod",
                    Party::Node(_) => "a node",
                    _ => "outside the cluster",
                }
            ),
            PeerMiss::OtherNamespace { labels_match } => {
                let mut text = format!(
                    "{name} (podSelector {}) has no namespaceSelector, so it only selects pods of the policy's namespace {}, and {who} is in {peer_namespace}",
                    pod_selector.map_or_else(String::new, selector),
                    policy.meta.namespace
                );
                if labels_match {
                    text.push_str(&format!(
                        "; its labels match, so a namespaceSelector in the same element would admit namespace {peer_namespace}"
                    ));
                }
                text
            }
            PeerMiss::NamespaceNotSelected { labels_match } => {
                let mut text = format!(
                    "{name} namespaceSelector {} does not match namespace {peer_namespace} (labels: {})",
                    namespace_selector.map_or_else(String::new, selector),
                    labels(super::engine::namespace_labels(self.cluster, &peer_namespace))
                );
                if labels_match {
                    text.push_str(&format!(" although {who} matches its podSelector"));
                }
                text
            }
            PeerMiss::PodNotSelected => match namespace_selector {
                Some(ns) => format!(
                    "namespace {peer_namespace} matches {name} namespaceSelector {}, but {who}'s labels ({peer_labels}) do not match its podSelector {}: in one element both must match",
                    selector(ns),
                    pod_selector.map_or_else(String::new, selector)
                ),
                None => format!(
                    "{who}'s labels ({peer_labels}) do not match {name} podSelector {}",
                    pod_selector.map_or_else(String::new, selector)
                ),
            },
            PeerMiss::OutsideCidr => format!("{} is outside {name} ipBlock {cidr}", self.ip(side.peer)),
            PeerMiss::Excepted { index: except } => {
                let except = match written {
                    PolicyPeer::IpBlock(block) => block.except[except].to_string(),
                    PolicyPeer::Pods { .. } => String::new(),
                };
                format!("{} is inside {name} ipBlock {cidr} but in its except {except}", self.ip(side.peer))
            }
            PeerMiss::ClusterAddress => format!(
                "{name} ipBlock {cidr} contains {} ({who}), but {} matches ipBlocks only against addresses outside the cluster, never a pod's or a node's; select pods with podSelector and namespaceSelector instead",
                self.ip(side.peer),
                self.decision.cni.as_str()
            ),
            PeerMiss::NoAddress => format!("{who} has no IP yet (Pending), so {name} ipBlock {cidr} cannot match it"),
        }
    }

    fn port_missed(&self, direction: Direction, check: &RuleCheck, index: usize, why: PortMiss) -> String {
        let entry = &self.rule(direction, check).ports[index];
        let flow = &self.decision.flow;
        let written = format!("ports[{index}] ({})", port_entry(entry));
        let destination = self.party(self.decision.ingress.subject);
        let name = match &entry.port {
            Some(PolicyPortValue::Named(name)) => name.as_str(),
            _ => "",
        };
        match why {
            PortMiss::Protocol => format!("{written} is for {}, and this connection is {}", entry.protocol, flow.protocol),
            PortMiss::Number => format!("{written} does not include port {}", flow.port),
            PortMiss::NamedMissing => {
                format!("{written}: {destination} has no {} container port named {name}", entry.protocol)
            }
            PortMiss::NamedElsewhere { number } => format!(
                "{written}: {destination}'s port {name} is {number}/{}, not {}",
                entry.protocol, flow.port
            ),
            PortMiss::NamedNotAPod => format!(
                "{written} is a named port, which only a pod's containers define, and {destination} is not a pod on the pod network"
            ),
        }
    }

    /// Notes for the mistakes the decision shows.
    fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        for side in [&self.decision.egress, &self.decision.ingress] {
            let check = match &side.verdict {
                Verdict::Allowed(check) | Verdict::Denied(Some(check)) => check,
                _ => continue,
            };
            let rule = self.rule(side.direction, check);
            notes.extend(self.split_elements(side.direction, check, rule));
            if let PeerOutcome::Missed { index, why: PeerMiss::NamespaceNotSelected { .. } } = check.peer {
                if let Some(PolicyPeer::Pods { namespace_selector: Some(ns), .. }) =
                    rule.peers.as_deref().unwrap_or_default().get(index)
                {
                    notes.extend(self.name_label(ns));
                }
            }
            if let (Verdict::Allowed(_), PeerOutcome::Matched { index }) = (&side.verdict, check.peer) {
                let ip_block =
                    matches!(rule.peers.as_deref().unwrap_or_default().get(index), Some(PolicyPeer::IpBlock(_)));
                if ip_block && side.peer.is_in_cluster() {
                    notes.push(format!(
                        "note: {} matches ipBlocks against pod and node addresses too; cilium would not (it matches them only against addresses outside the cluster), so prefer podSelector and namespaceSelector for pods",
                        self.decision.cni.as_str()
                    ));
                }
            }
        }
        notes.extend(self.dns());
        notes
    }

    /// The one-dash difference: a namespace-only element and a pod-only element in one list.
    fn split_elements(&self, direction: Direction, check: &RuleCheck, rule: &PolicyRule) -> Option<String> {
        let peers = rule.peers.as_deref()?;
        let namespace_only =
            peers.iter().any(|p| matches!(p, PolicyPeer::Pods { pod_selector: None, namespace_selector: Some(_) }));
        let pod_only =
            peers.iter().any(|p| matches!(p, PolicyPeer::Pods { pod_selector: Some(_), namespace_selector: None }));
        (namespace_only && pod_only).then(|| {
            format!(
                "note: {} lists namespaceSelector and podSelector as separate {} elements, which are ORed: either one admits a peer; to require both, write them in one element (no dash before podSelector)",
                self.rule_name(direction, check),
                direction.peers_field()
            )
        })
    }

    /// A namespaceSelector on `key: <namespace name>` where the namespace lacks `key`.
    fn name_label(&self, namespace_selector: &LabelSelector) -> Option<String> {
        namespace_selector.match_labels.iter().find_map(|(key, value)| {
            let namespace = self.cluster.namespaces.iter().find(|n| &n.name == value)?;
            (key != NAME_LABEL && !namespace.labels.contains_key(key)).then(|| {
                format!(
                    "hint: namespace {value} has no label {key}={value}; every namespace carries {NAME_LABEL}=<its name>, so select it with {NAME_LABEL}: {value}"
                )
            })
        })
    }

    /// DNS blocked by the source's egress policy.
    fn dns(&self) -> Option<String> {
        let flow = &self.decision.flow;
        let Party::Pod(dst) = self.decision.ingress.subject else { return None };
        let is_dns = self.cluster.pod(dst).pod.meta.labels.get("k8s-app").is_some_and(|v| v == "kube-dns");
        (is_dns && flow.port == 53 && !self.decision.egress.verdict.allows()).then(|| {
            format!(
                "{} cannot resolve names: its DNS queries go to kube-dns on port 53 (UDP, and TCP for large answers), and its egress policy does not allow them; add an egress rule to namespaceSelector {NAME_LABEL}=kube-system with podSelector k8s-app=kube-dns, ports 53/UDP and 53/TCP",
                self.party(self.decision.egress.subject)
            )
        })
    }
}

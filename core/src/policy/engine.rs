//! `decide`: one connection against every policy, with the evidence a learner needs.
//!
//! Each direction is judged at its own pod (kubernetes.io, "The two sorts of pod isolation"):
//! a pod is isolated for a direction when a policy of its namespace selects it and lists that
//! direction in `policyTypes`; a non-isolated direction allows everything; an isolated one allows
//! what some rule of some isolating policy allows (policies are additive, order does not
//! matter), plus the pod's own traffic and its node's. The connection needs both.

use super::decision::{Decision, Direction, Exemption, PeerOutcome, PolicyId, PortOutcome, RuleCheck, Side, Verdict};
use super::flow::{Flow, Party};
use super::rules::{enforces, match_ip_block, match_pods_peer, match_port};
use super::PeerMiss;
use crate::api::network_policy::{NetworkPolicy, PolicyPeer, PolicyRule};
use crate::api::pod::ContainerPort;
use crate::api::Labels;
use crate::cluster::{Cluster, PodId};

/// Labels of a namespace the cluster does not know (never the case for a pod that runs).
static NO_LABELS: Labels = Labels::new();

/// Decides whether `flow` is allowed by the cluster's NetworkPolicies, and why.
pub fn decide(cluster: &Cluster, flow: &Flow) -> Decision {
    let src = Party::of(cluster, flow.src);
    let dst = Party::of(cluster, flow.dst);
    let destination_ports: Option<Vec<ContainerPort>> = match dst {
        Party::Pod(id) => Some(cluster.pod(id).pod.spec.ports().cloned().collect()),
        _ => None,
    };
    let judge = Judge { cluster, flow, destination_ports: destination_ports.as_deref() };
    Decision {
        flow: *flow,
        cni: cluster.config.cni,
        enforced: enforces(cluster.config.cni),
        egress: judge.side(Direction::Egress, src, dst),
        ingress: judge.side(Direction::Ingress, dst, src),
    }
}

/// The rules of `policy` for `direction`.
pub(crate) fn rules_of(policy: &NetworkPolicy, direction: Direction) -> &[PolicyRule] {
    match direction {
        Direction::Egress => &policy.egress,
        Direction::Ingress => &policy.ingress,
    }
}

/// Whether `policy` isolates its pods for `direction`.
pub(crate) fn isolates(policy: &NetworkPolicy, direction: Direction) -> bool {
    match direction {
        Direction::Egress => policy.isolates_egress,
        Direction::Ingress => policy.isolates_ingress,
    }
}

/// The policies of pod `id`'s namespace whose `podSelector` selects it, whatever their types.
pub(crate) fn selecting(cluster: &Cluster, id: PodId) -> Vec<PolicyId> {
    let meta = &cluster.pod(id).pod.meta;
    (cluster.network_policies.iter().enumerate())
        .filter(|(_, p)| p.meta.namespace == meta.namespace && p.pod_selector.matches(&meta.labels))
        .map(|(i, _)| PolicyId(i as u32))
        .collect()
}

/// The policies of pod `id`'s namespace that select it and isolate it for `direction`.
pub(crate) fn isolating(cluster: &Cluster, id: PodId, direction: Direction) -> Vec<PolicyId> {
    (selecting(cluster, id).into_iter()).filter(|p| isolates(&cluster.network_policies[p.index()], direction)).collect()
}

/// The labels of namespace `name`.
pub(crate) fn namespace_labels<'a>(cluster: &'a Cluster, name: &str) -> &'a Labels {
    cluster.namespaces.iter().find(|n| n.name == name).map_or(&NO_LABELS, |n| &n.labels)
}

/// One connection, being judged.
struct Judge<'a> {
    cluster: &'a Cluster,
    flow: &'a Flow,
    /// The destination pod's container ports, where named ports resolve.
    destination_ports: Option<&'a [ContainerPort]>,
}

impl Judge<'_> {
    fn side(&self, direction: Direction, subject: Party, peer: Party) -> Side {
        let Party::Pod(id) = subject else {
            return Side {
                direction,
                subject,
                peer,
                selected_by: Vec::new(),
                isolated_by: Vec::new(),
                verdict: Verdict::NotAPod,
            };
        };
        let pod = self.cluster.pod(id);
        let selected_by = selecting(self.cluster, id);
        let isolated_by: Vec<PolicyId> = (selected_by.iter().copied())
            .filter(|id| isolates(&self.cluster.network_policies[id.index()], direction))
            .collect();
        let verdict = if isolated_by.is_empty() {
            Verdict::NotIsolated
        } else if peer == subject {
            Verdict::Exempt(Exemption::Loopback)
        } else if let Some(node) = pod.node.filter(|n| peer.as_node() == Some(*n)) {
            Verdict::Exempt(Exemption::NodeLocal(node))
        } else {
            self.rules(direction, &isolated_by, peer)
        };
        Side { direction, subject, peer, selected_by, isolated_by, verdict }
    }

    /// The first rule that allows the connection, or the closest one.
    fn rules(&self, direction: Direction, isolated_by: &[PolicyId], peer: Party) -> Verdict {
        let mut closest: Option<RuleCheck> = None;
        for &id in isolated_by {
            let policy = &self.cluster.network_policies[id.index()];
            for (index, rule) in rules_of(policy, direction).iter().enumerate() {
                let check =
                    RuleCheck { policy: id, rule: index, peer: self.peers(policy, rule, peer), port: self.ports(rule) };
                if check.allows() {
                    return Verdict::Allowed(check);
                }
                if closest.is_none_or(|c| check.closeness() > c.closeness()) {
                    closest = Some(check);
                }
            }
        }
        Verdict::Denied(closest)
    }

    fn peers(&self, policy: &NetworkPolicy, rule: &PolicyRule, peer: Party) -> PeerOutcome {
        let Some(elements) = &rule.peers else { return PeerOutcome::Any };
        let mut closest: Option<PeerOutcome> = None;
        for (index, element) in elements.iter().enumerate() {
            match self.peer(policy, element, peer) {
                Ok(()) => return PeerOutcome::Matched { index },
                Err(why) => {
                    let better = match closest {
                        Some(PeerOutcome::Missed { why: best, .. }) => why.is_partial() && !best.is_partial(),
                        _ => true,
                    };
                    if better {
                        closest = Some(PeerOutcome::Missed { index, why });
                    }
                }
            }
        }
        // A rule's peer list is never empty (an empty `from`/`to` is `None`).
        closest.unwrap_or(PeerOutcome::Any)
    }

    fn peer(&self, policy: &NetworkPolicy, element: &PolicyPeer, peer: Party) -> Result<(), PeerMiss> {
        match element {
            PolicyPeer::Pods { pod_selector, namespace_selector } => {
                let Party::Pod(id) = peer else { return Err(PeerMiss::NotAPod) };
                let meta = &self.cluster.pod(id).pod.meta;
                match_pods_peer(
                    pod_selector.as_ref(),
                    namespace_selector.as_ref(),
                    &policy.meta.namespace,
                    &meta.namespace,
                    namespace_labels(self.cluster, &meta.namespace),
                    &meta.labels,
                )
            }
            PolicyPeer::IpBlock(block) => {
                match_ip_block(block, peer.ip(self.cluster), peer.is_in_cluster(), self.cluster.config.cni)
            }
        }
    }

    fn ports(&self, rule: &PolicyRule) -> PortOutcome {
        let mut closest: Option<PortOutcome> = None;
        for (index, entry) in rule.ports.iter().enumerate() {
            match match_port(entry, self.flow.port, self.flow.protocol, self.destination_ports) {
                Ok(()) => return PortOutcome::Matched { index },
                Err(why) => {
                    let better = match closest {
                        Some(PortOutcome::Missed { why: best, .. }) => why.is_partial() && !best.is_partial(),
                        _ => true,
                    };
                    if better {
                        closest = Some(PortOutcome::Missed { index, why });
                    }
                }
            }
        }
        closest.unwrap_or(PortOutcome::Any)
    }
}

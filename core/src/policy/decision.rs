//! The verdict data of the policy engine: for each direction, who the side is, which policies
//! select and isolate it, and either the rule that allowed the connection or the closest rule
//! that did not and why. Plain data, no words: [`super::explain`] renders it.

use super::flow::{Flow, Party};
use crate::api::cluster_config::CniPlugin;
use crate::cluster::NodeId;

/// Index of a policy in [`crate::cluster::Cluster::network_policies`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PolicyId(pub u32);

impl PolicyId {
    /// The index into [`crate::cluster::Cluster::network_policies`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

/// A policy direction: egress is judged at the source, ingress at the destination.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Direction {
    Egress,
    Ingress,
}

impl Direction {
    /// The `policyTypes` value, `Egress` or `Ingress`.
    pub fn policy_type(self) -> &'static str {
        match self {
            Direction::Egress => "Egress",
            Direction::Ingress => "Ingress",
        }
    }

    /// The spec field of its rules, `egress` or `ingress`.
    pub fn field(self) -> &'static str {
        match self {
            Direction::Egress => "egress",
            Direction::Ingress => "ingress",
        }
    }

    /// The rule field of its peers, `to` or `from`.
    pub fn peers_field(self) -> &'static str {
        match self {
            Direction::Egress => "to",
            Direction::Ingress => "from",
        }
    }
}

/// Why a connection passes an isolated side without any rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exemption {
    /// A pod's connection to itself ("a pod cannot block access to itself").
    Loopback,
    /// Traffic between a pod and the node it runs on (kubelet probes): "traffic to and from the
    /// node where a Pod is running is always allowed".
    NodeLocal(NodeId),
}

/// Why one `from`/`to` element did not select the other party.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerMiss {
    /// The other party is not a pod on the pod network (a node, a hostNetwork pod, an outside
    /// address), which pod and namespace selectors never select.
    NotAPod,
    /// A `podSelector` without `namespaceSelector` only selects pods of the policy's own
    /// namespace, and the pod is in another; `labels_match` tells whether its labels match.
    OtherNamespace { labels_match: bool },
    /// The `namespaceSelector` does not match the pod's namespace; `labels_match` tells whether
    /// the element's `podSelector` (when it has one) matches the pod.
    NamespaceNotSelected { labels_match: bool },
    /// The namespace is right but the pod's labels do not match the `podSelector`.
    PodNotSelected,
    /// The address is outside the `ipBlock`'s `cidr`.
    OutsideCidr,
    /// The address is inside `cidr` but in `except[index]`.
    Excepted { index: usize },
    /// The address is inside the block, but it is a pod's or a node's and the CNI plugin only
    /// matches `ipBlock`s against addresses outside the cluster (Cilium).
    ClusterAddress,
    /// The pod has no address yet (Pending), so no `ipBlock` can match it.
    NoAddress,
}

impl PeerMiss {
    /// Whether part of the element matched (namespace or labels, or the address range).
    pub fn is_partial(self) -> bool {
        match self {
            PeerMiss::OtherNamespace { labels_match } | PeerMiss::NamespaceNotSelected { labels_match } => labels_match,
            PeerMiss::PodNotSelected | PeerMiss::Excepted { .. } | PeerMiss::ClusterAddress => true,
            PeerMiss::NotAPod | PeerMiss::OutsideCidr | PeerMiss::NoAddress => false,
        }
    }
}

/// Why one `ports[]` entry did not match the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortMiss {
    /// Another protocol.
    Protocol,
    /// The right protocol, another number (or outside `port`..`endPort`).
    Number,
    /// A named port the destination pod has no container port of that name and protocol for.
    NamedMissing,
    /// A named port the destination pod defines, as another number.
    NamedElsewhere { number: u16 },
    /// A named port, and the destination is not a pod, so there is nothing to resolve it on.
    NamedNotAPod,
}

impl PortMiss {
    /// Whether part of the entry matched (the protocol, and the name if any).
    pub fn is_partial(self) -> bool {
        matches!(self, PortMiss::Number | PortMiss::NamedElsewhere { .. })
    }
}

/// How a rule's `from`/`to` fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerOutcome {
    /// No `from`/`to` (or an empty list): every peer.
    Any,
    /// Element `index` selects the other party.
    Matched { index: usize },
    /// No element selects it; element `index` came closest.
    Missed { index: usize, why: PeerMiss },
}

/// How a rule's `ports` fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortOutcome {
    /// No `ports`: every port and protocol.
    Any,
    /// Entry `index` matches.
    Matched { index: usize },
    /// No entry matches; entry `index` came closest.
    Missed { index: usize, why: PortMiss },
}

/// One rule of one policy, checked against a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RuleCheck {
    pub policy: PolicyId,
    /// The index in the policy's `ingress` or `egress` list.
    pub rule: usize,
    pub peer: PeerOutcome,
    pub port: PortOutcome,
}

impl RuleCheck {
    /// Whether the rule allows the connection.
    pub fn allows(&self) -> bool {
        !matches!(self.peer, PeerOutcome::Missed { .. }) && !matches!(self.port, PortOutcome::Missed { .. })
    }

    /// How close the rule came: 2 per part that matched, 1 per part that partly matched.
    pub fn closeness(&self) -> u8 {
        let peer = match self.peer {
            PeerOutcome::Any | PeerOutcome::Matched { .. } => 2,
            PeerOutcome::Missed { why, .. } => u8::from(why.is_partial()),
        };
        let port = match self.port {
            PortOutcome::Any | PortOutcome::Matched { .. } => 2,
            PortOutcome::Missed { why, .. } => u8::from(why.is_partial()),
        };
        peer + port
    }
}

/// What one side decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// The side is not a pod on the pod network: no policy can select it.
    NotAPod,
    /// No policy isolates the pod in this direction: everything is allowed.
    NotIsolated,
    /// Isolated, but this traffic is always allowed.
    Exempt(Exemption),
    /// Isolated, and this rule allows the connection (the first in policy and rule order).
    Allowed(RuleCheck),
    /// Isolated, and no rule allows it; the closest rule, or `None` when the isolating
    /// policies have no rule in this direction at all (a default deny).
    Denied(Option<RuleCheck>),
}

impl Verdict {
    /// Whether this side lets the connection through.
    pub fn allows(&self) -> bool {
        !matches!(self, Verdict::Denied(_))
    }
}

/// One direction's decision, at the pod the direction belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Side {
    pub direction: Direction,
    /// Whose side it is: the source for egress, the destination for ingress.
    pub subject: Party,
    /// The other end of the connection.
    pub peer: Party,
    /// Policies of the pod's namespace whose `podSelector` selects it, whatever their types.
    pub selected_by: Vec<PolicyId>,
    /// Those of them whose `policyTypes` include this direction: the pod is isolated when
    /// this is not empty.
    pub isolated_by: Vec<PolicyId>,
    pub verdict: Verdict,
}

/// The policy engine's decision on one connection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub flow: Flow,
    /// The CNI plugin, which decides whether policies are enforced and how `ipBlock`s treat
    /// cluster addresses.
    pub cni: CniPlugin,
    /// Whether the plugin enforces NetworkPolicy at all (flannel does not).
    pub enforced: bool,
    /// Egress, judged at the source.
    pub egress: Side,
    /// Ingress, judged at the destination.
    pub ingress: Side,
}

impl Decision {
    /// Whether the connection (and its replies) goes through.
    pub fn allowed(&self) -> bool {
        !self.enforced || self.policies_allow()
    }

    /// Whether the policies allow it, enforced or not.
    pub fn policies_allow(&self) -> bool {
        self.egress.verdict.allows() && self.ingress.verdict.allows()
    }

    /// The sides whose policies deny the connection, egress first.
    pub fn denied_at(&self) -> Vec<Direction> {
        [&self.egress, &self.ingress].into_iter().filter(|s| !s.verdict.allows()).map(|s| s.direction).collect()
    }
}

//! NetworkPolicies (`networking.k8s.io/v1`), as written: the engine that evaluates them lives
//! elsewhere.

use super::meta::{ObjectMeta, Protocol};
use super::selector::LabelSelector;
use ipnet::IpNet;

/// A port in a rule: a number (optionally a range up to `end_port`) or a named container port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyPortValue {
    /// `port: 80`, or the range `port`..=`endPort`.
    Number {
        /// The port, or the first port of the range.
        port: u16,
        /// The last port of the range, at least `port`.
        end_port: Option<u16>,
    },
    /// `port: http`: the container port of that name on each selected pod.
    Named(String),
}

/// One `ports[]` entry; `port: None` means every port of the protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyPort {
    /// The protocol (TCP when not written).
    pub protocol: Protocol,
    /// The port or port range; `None` for every port.
    pub port: Option<PolicyPortValue>,
}

/// An `ipBlock` peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpBlock {
    /// The addresses allowed (host bits zero).
    pub cidr: IpNet,
    /// Sub-ranges of `cidr` that are not allowed, each strictly inside it.
    pub except: Vec<IpNet>,
}

/// One `from[]`/`to[]` element. The selectors in one element are ANDed; elements are ORed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyPeer {
    /// `podSelector` and/or `namespaceSelector`: with only a podSelector, pods in the policy's
    /// namespace; with a namespaceSelector, pods (matching the podSelector if given) in the
    /// matching namespaces.
    Pods {
        /// Which pods; `None` for every pod of the selected namespaces.
        pod_selector: Option<LabelSelector>,
        /// Which namespaces; `None` for the policy's own namespace.
        namespace_selector: Option<LabelSelector>,
    },
    /// An `ipBlock`, which is always alone in its element.
    IpBlock(IpBlock),
}

/// One ingress or egress rule. `peers: None` (no `from`/`to`, or an empty list) means all peers;
/// `ports` empty means all ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRule {
    /// Who the rule allows; `None` for everyone.
    pub peers: Option<Vec<PolicyPeer>>,
    /// Which ports the rule allows; empty for every port.
    pub ports: Vec<PolicyPort>,
}

/// A NetworkPolicy with `policyTypes` defaulted: Ingress always, Egress when egress rules exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkPolicy {
    /// The object's metadata; the policy applies in its namespace.
    pub meta: ObjectMeta,
    /// The pods the policy isolates; empty selects every pod of the namespace.
    pub pod_selector: LabelSelector,
    /// `spec.ingress`: the allowed incoming traffic.
    pub ingress: Vec<PolicyRule>,
    /// `spec.egress`: the allowed outgoing traffic.
    pub egress: Vec<PolicyRule>,
    /// Whether `policyTypes` (written or defaulted) includes Ingress.
    pub isolates_ingress: bool,
    /// Whether `policyTypes` (written or defaulted) includes Egress.
    pub isolates_egress: bool,
}

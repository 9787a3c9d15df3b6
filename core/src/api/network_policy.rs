//! NetworkPolicies (`networking.k8s.io/v1`), as written: the engine that evaluates them lives
//! elsewhere.

use super::meta::{ObjectMeta, Protocol};
use super::selector::LabelSelector;
use ipnet::IpNet;

/// A port in a rule: a number (optionally a range up to `end_port`) or a named container port.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyPortValue {
    Number { port: u16, end_port: Option<u16> },
    Named(String),
}

/// One `ports[]` entry; `port: None` means every port of the protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyPort {
    pub protocol: Protocol,
    pub port: Option<PolicyPortValue>,
}

/// An `ipBlock` peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IpBlock {
    pub cidr: IpNet,
    pub except: Vec<IpNet>,
}

/// One `from[]`/`to[]` element. The selectors in one element are ANDed; elements are ORed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyPeer {
    /// `podSelector` and/or `namespaceSelector`: with only a podSelector, pods in the policy's
    /// namespace; with a namespaceSelector, pods (matching the podSelector if given) in the
    /// matching namespaces.
    Pods { pod_selector: Option<LabelSelector>, namespace_selector: Option<LabelSelector> },
    IpBlock(IpBlock),
}

/// One ingress or egress rule. `peers: None` (no `from`/`to`, or an empty list) means all peers;
/// `ports` empty means all ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyRule {
    pub peers: Option<Vec<PolicyPeer>>,
    pub ports: Vec<PolicyPort>,
}

/// A NetworkPolicy with `policyTypes` defaulted: Ingress always, Egress when egress rules exist.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NetworkPolicy {
    pub meta: ObjectMeta,
    pub pod_selector: LabelSelector,
    pub ingress: Vec<PolicyRule>,
    pub egress: Vec<PolicyRule>,
    pub isolates_ingress: bool,
    pub isolates_egress: bool,
}

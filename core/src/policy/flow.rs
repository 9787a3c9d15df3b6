//! What the policy engine judges: a connection (`Flow`) between two endpoints, and what
//! NetworkPolicy sees at each end of it (`Party`).
//!
//! The destination is the one the packet reaches *after* Service DNAT: traffic to a ClusterIP
//! is judged against the endpoint pod kube-proxy chose, because policies apply to pod IPs
//! (kubernetes.io, "Network Policies": NetworkPolicies "apply to a connection with a pod on one
//! or both ends"). A flow is a connection, not a packet: reply traffic of an allowed connection
//! is allowed too ("Reply traffic for those allowed connections will also be implicitly
//! allowed"), so the engine is asked once per connection, by its initiator's direction.

use crate::api::Protocol;
use crate::cluster::{Cluster, NodeId, PodId};
use std::net::IpAddr;

/// One end of a connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Endpoint {
    /// A pod (on the pod network, or a hostNetwork pod, which the engine treats as its node).
    Pod(PodId),
    /// A node's own network namespace (the kubelet, a NodePort's entry point).
    Node(NodeId),
    /// An address outside the cluster.
    External(IpAddr),
}

/// A connection from `src` to `dst` on `port`/`protocol` (the destination port after DNAT).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Flow {
    pub src: Endpoint,
    pub dst: Endpoint,
    pub port: u16,
    pub protocol: Protocol,
}

/// What NetworkPolicy sees at one end of a flow.
///
/// Only a pod on the pod network can be selected by a policy's `podSelector` or a peer's
/// selectors. A hostNetwork pod shares its node's network namespace and address, so — as the
/// most common implementations do (kubernetes.io, "NetworkPolicy and hostNetwork pods") — it is
/// never selected and its traffic is the node's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Party {
    /// A pod on the pod network.
    Pod(PodId),
    /// A hostNetwork pod; `node` is where it runs (`None` while Pending).
    HostNetworkPod { pod: PodId, node: Option<NodeId> },
    /// A node.
    Node(NodeId),
    /// An address outside the cluster.
    External(IpAddr),
}

impl Party {
    /// What NetworkPolicy sees of `endpoint` in `cluster`.
    pub fn of(cluster: &Cluster, endpoint: Endpoint) -> Party {
        match endpoint {
            Endpoint::Pod(id) => {
                let pod = cluster.pod(id);
                if pod.pod.spec.host_network {
                    Party::HostNetworkPod { pod: id, node: pod.node }
                } else {
                    Party::Pod(id)
                }
            }
            Endpoint::Node(id) => Party::Node(id),
            Endpoint::External(ip) => Party::External(ip),
        }
    }

    /// The source or destination address packets of this party carry; `None` for a Pending pod.
    pub fn ip(self, cluster: &Cluster) -> Option<IpAddr> {
        match self {
            Party::Pod(id) => cluster.pod(id).ip,
            Party::HostNetworkPod { node, .. } => node.map(|n| IpAddr::V4(cluster.node(n).internal_ip)),
            Party::Node(id) => Some(IpAddr::V4(cluster.node(id).internal_ip)),
            Party::External(ip) => Some(ip),
        }
    }

    /// The node whose own traffic this is (a node, or a hostNetwork pod on it).
    pub fn as_node(self) -> Option<NodeId> {
        match self {
            Party::Node(id) => Some(id),
            Party::HostNetworkPod { node, .. } => node,
            Party::Pod(_) | Party::External(_) => None,
        }
    }

    /// Whether the address belongs to the cluster (a pod or a node) rather than the outside.
    pub fn is_in_cluster(self) -> bool {
        !matches!(self, Party::External(_))
    }
}

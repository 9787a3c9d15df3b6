//! Scheduling and pod addresses: which node each pod runs on, and its IP.
//!
//! A pod with `spec.nodeName` goes to that node, bypassing the scheduler; it stays Pending when
//! no such node exists. Any other pod is scheduled: the filters of the default profile that the
//! model covers run on every node in profile order, and a node is out at the first that rejects
//! it (see [`NodeFailure`]):
//! - TaintToleration: a learner's pod declares no tolerations, so a node with a `NoSchedule`
//!   taint (the control plane, see `nodes`) is out;
//! - NodeAffinity: the node must carry every `nodeSelector` label;
//! - NodePorts: no pod on the node may already use one of the pod's host ports (a hostNetwork
//!   pod's container ports are its host ports);
//! - NodeResourcesFit: the node must run fewer than 110 pods, the kubelet's default `maxPods`
//!   (the model has no resource requests).
//!
//! Among the nodes left it picks the one with the fewest pods, ties by node order (a stand-in for
//! the scoring plugins). When none is left the pod is Pending with the scheduler's reasons.
//! Cluster add-ons (CoreDNS) tolerate the control-plane taint and, as in a fresh kind cluster,
//! run on the control plane: they are scheduled while the workers still carry
//! `node.kubernetes.io/not-ready`. A pod keeps the node and IP it had at the previous apply while
//! they remain valid; pods are placed in creation order, so an earlier pod wins a contested host
//! port.
//!
//! Pod IPs come from the node's pod CIDR, lowest free address first, skipping the network
//! address and `.1` (the node's bridge/gateway, as host-local IPAM does). hostNetwork pods use
//! the node's IP. A /24 holds 253 pod addresses, more than the 110 pods a node may run.

use super::memory::Memory;
use crate::api::cluster_config::NodeRole;
use crate::api::pod::Pod;
use crate::api::Protocol;
use crate::cluster::{NodeFailure, NodeId, NodeState, PendingReason, Taint, Unschedulable, NOT_READY_TAINT_KEY};
use std::cell::Cell;
use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr};

/// The kubelet's default `maxPods`, which kind keeps: a node's `status.allocatable.pods`.
pub const MAX_PODS_PER_NODE: u32 = 110;

/// Which pods a pod tolerates running beside: the learner's, or the cluster's own.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A learner's pod: no tolerations.
    Workloads,
    /// A cluster add-on like CoreDNS: tolerates the control-plane taint and is scheduled while
    /// only the control plane is Ready.
    ControlPlane,
}

/// Places pods and hands out their IPs, remembering what it gave.
pub struct Scheduler<'a> {
    nodes: &'a [NodeState],
    pods_per_node: Vec<u32>,
    used_ips: Vec<BTreeSet<Ipv4Addr>>,
    /// Per node, an address below which every pod address is used: addresses are only ever
    /// taken while scheduling, so the search for a free one can start there.
    free_from: Vec<Cell<u32>>,
    used_host_ports: Vec<BTreeSet<(Protocol, u16)>>,
}

/// The host ports a pod binds on its node: declared `hostPort`s, and with hostNetwork every
/// container port (the API server defaults `hostPort` to `containerPort` then).
fn host_ports(pod: &Pod) -> BTreeSet<(Protocol, u16)> {
    pod.spec
        .ports()
        .filter_map(|p| {
            p.host_port.or(pod.spec.host_network.then_some(p.container_port)).map(|port| (p.protocol, port))
        })
        .collect()
}

impl<'a> Scheduler<'a> {
    /// A scheduler over `nodes`, with nothing placed yet.
    pub fn new(nodes: &'a [NodeState]) -> Self {
        Scheduler {
            nodes,
            pods_per_node: vec![0; nodes.len()],
            used_ips: vec![BTreeSet::new(); nodes.len()],
            free_from: nodes.iter().map(|n| Cell::new(u32::from(n.pod_cidr.network()) + 2)).collect(),
            used_host_ports: vec![BTreeSet::new(); nodes.len()],
        }
    }

    fn node_id(&self, name: &str) -> Option<NodeId> {
        self.nodes.iter().position(|n| n.name == name).map(|i| NodeId(i as u16))
    }

    /// The lowest free pod address of node `i`.
    fn free_ip(&self, i: usize) -> Option<Ipv4Addr> {
        let cidr = self.nodes[i].pod_cidr;
        let first = self.free_from[i].get();
        let last = u32::from(cidr.broadcast()) - 1;
        let free = (first..=last).map(Ipv4Addr::from).find(|ip| !self.used_ips[i].contains(ip));
        self.free_from[i].set(free.map_or(last + 1, u32::from));
        free
    }

    /// Whether node `i` has room for one more pod (and an address for it).
    fn has_room(&self, i: usize, pod: &Pod) -> bool {
        self.pods_per_node[i] < MAX_PODS_PER_NODE && (pod.spec.host_network || self.free_ip(i).is_some())
    }

    /// The default profile's filters on node `i`, in order; the first failure decides.
    fn filter(&self, i: usize, pod: &Pod, placement: Placement) -> Result<(), NodeFailure> {
        let node = &self.nodes[i];
        let untolerated = match placement {
            Placement::Workloads => node.taints.first().cloned(),
            Placement::ControlPlane => (node.role == NodeRole::Worker).then(|| Taint::no_schedule(NOT_READY_TAINT_KEY)),
        };
        if let Some(taint) = untolerated {
            return Err(NodeFailure::UntoleratedTaint(taint));
        }
        if !pod.spec.node_selector.iter().all(|(k, v)| node.labels.get(k) == Some(v)) {
            return Err(NodeFailure::NodeSelector);
        }
        if !host_ports(pod).is_disjoint(&self.used_host_ports[i]) {
            return Err(NodeFailure::HostPorts);
        }
        if !self.has_room(i, pod) {
            return Err(NodeFailure::TooManyPods);
        }
        Ok(())
    }

    /// Records `pod` on `node` with `ip`.
    fn bind(&mut self, node: NodeId, pod: &Pod, ip: IpAddr) -> (NodeId, IpAddr) {
        let i = node.index();
        if let (false, IpAddr::V4(v4)) = (pod.spec.host_network, ip) {
            self.used_ips[i].insert(v4);
        }
        self.used_host_ports[i].extend(host_ports(pod));
        self.pods_per_node[i] += 1;
        (node, ip)
    }

    /// Reserves the node and IP `key` had before, when they are still valid for `pod`.
    /// Returns the node and IP when it could; call it for every pod before any
    /// [`Scheduler::place`], so that new pods never take a remembered address or port.
    pub fn keep(&mut self, key: &str, pod: &Pod, placement: Placement, memory: &Memory) -> Option<(NodeId, IpAddr)> {
        let node = self.node_id(memory.pod_nodes.get(key)?)?;
        let state = &self.nodes[node.index()];
        let still_fits = match &pod.spec.node_name {
            Some(name) => *name == state.name && self.has_room(node.index(), pod),
            None => self.filter(node.index(), pod, placement).is_ok(),
        };
        if !still_fits {
            return None;
        }
        let ip = if pod.spec.host_network {
            IpAddr::V4(state.internal_ip)
        } else {
            let IpAddr::V4(ip) = *memory.pod_ips.get(key)? else { return None };
            if !state.pod_cidr.contains(&ip) || self.used_ips[node.index()].contains(&ip) {
                return None;
            }
            IpAddr::V4(ip)
        };
        Some(self.bind(node, pod, ip))
    }

    /// Places a pod that [`Scheduler::keep`] could not, or says why it stays Pending.
    pub fn place(&mut self, pod: &Pod, placement: Placement) -> Result<(NodeId, IpAddr), PendingReason> {
        let node = match &pod.spec.node_name {
            Some(name) => {
                let node = self.node_id(name).ok_or_else(|| PendingReason::NodeNotFound { node: name.clone() })?;
                if !self.has_room(node.index(), pod) {
                    return Err(PendingReason::NodeOutOfPods { node: name.clone() });
                }
                node
            }
            None => {
                let verdicts: Vec<Result<(), NodeFailure>> =
                    (0..self.nodes.len()).map(|i| self.filter(i, pod, placement)).collect();
                let best = verdicts
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| v.is_ok())
                    .min_by_key(|(i, _)| (self.pods_per_node[*i], *i))
                    .map(|(i, _)| NodeId(i as u16));
                match best {
                    Some(node) => node,
                    None => {
                        let failures = verdicts.into_iter().filter_map(Result::err).collect();
                        return Err(PendingReason::Unschedulable(Unschedulable { failures }));
                    }
                }
            }
        };
        let state = &self.nodes[node.index()];
        let ip = if pod.spec.host_network {
            IpAddr::V4(state.internal_ip)
        } else {
            // has_room checked that the node has a free address.
            let free =
                self.free_ip(node.index()).ok_or_else(|| PendingReason::NodeOutOfPods { node: state.name.clone() })?;
            IpAddr::V4(free)
        };
        Ok(self.bind(node, pod, ip))
    }
}

/// Remembers the placements of this apply for the next one.
pub fn remember(memory: &mut Memory, placed: &BTreeMap<String, (String, IpAddr)>) {
    memory.pod_nodes = placed.iter().map(|(k, (node, _))| (k.clone(), node.clone())).collect();
    memory.pod_ips = placed.iter().map(|(k, (_, ip))| (k.clone(), *ip)).collect();
}

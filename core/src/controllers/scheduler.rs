//! Scheduling and pod addresses: which node each pod runs on, and its IP.
//!
//! The scheduler spreads pods over the nodes that fit: a pod with `nodeName` goes to that node
//! (bypassing the scheduler, as in Kubernetes); otherwise the candidates are the nodes whose
//! labels satisfy its `nodeSelector`, restricted to workers because control-plane nodes carry
//! the `node-role.kubernetes.io/control-plane:NoSchedule` taint (kind removes the taint when a
//! cluster has no workers, and so does the model). Among candidates it picks the node with the
//! fewest pods, ties by node order. A pod no node fits stays Pending without an IP. A pod keeps
//! the node and IP it had at the previous apply while they remain valid.
//!
//! Pod IPs come from the node's pod CIDR, lowest free address first, skipping the network
//! address and `.1` (the node's bridge/gateway, as host-local IPAM does). hostNetwork pods use
//! the node's IP.

use super::memory::Memory;
use crate::api::cluster_config::NodeRole;
use crate::api::pod::Pod;
use crate::cluster::{NodeId, NodeState};
use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr};

/// Whether a pod tolerates the control-plane taint (the cluster's own pods do).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Placement {
    /// A learner's pod: workers only, unless there are none.
    Workloads,
    /// A cluster add-on like CoreDNS: runs on the control plane, as in a fresh kind cluster.
    ControlPlane,
}

/// Places pods and hands out their IPs, remembering what it gave.
pub struct Scheduler<'a> {
    nodes: &'a [NodeState],
    pods_per_node: Vec<u32>,
    used_ips: Vec<BTreeSet<Ipv4Addr>>,
}

impl<'a> Scheduler<'a> {
    /// A scheduler over `nodes`, with nothing placed yet.
    pub fn new(nodes: &'a [NodeState]) -> Self {
        Scheduler { nodes, pods_per_node: vec![0; nodes.len()], used_ips: vec![BTreeSet::new(); nodes.len()] }
    }

    fn fits(&self, node: &NodeState, pod: &Pod, placement: Placement) -> bool {
        let role_ok = match placement {
            Placement::ControlPlane => node.role == NodeRole::ControlPlane,
            Placement::Workloads => {
                node.role == NodeRole::Worker || self.nodes.iter().all(|n| n.role == NodeRole::ControlPlane)
            }
        };
        role_ok && pod.spec.node_selector.iter().all(|(k, v)| node.labels.get(k) == Some(v))
    }

    fn node_id(&self, name: &str) -> Option<NodeId> {
        self.nodes.iter().position(|n| n.name == name).map(|i| NodeId(i as u16))
    }

    /// Reserves the node and IP `key` had before, when they are still valid for `pod`.
    /// Returns the node and IP when it could; call it for every pod before any
    /// [`Scheduler::place`], so that new pods never take a remembered address.
    pub fn keep(&mut self, key: &str, pod: &Pod, placement: Placement, memory: &Memory) -> Option<(NodeId, IpAddr)> {
        let node = self.node_id(memory.pod_nodes.get(key)?)?;
        let state = &self.nodes[node.index()];
        let still_fits = match &pod.spec.node_name {
            Some(name) => *name == state.name,
            None => self.fits(state, pod, placement),
        };
        if !still_fits {
            return None;
        }
        let ip = if pod.spec.host_network {
            IpAddr::V4(state.internal_ip)
        } else {
            let IpAddr::V4(ip) = *memory.pod_ips.get(key)? else { return None };
            if !state.pod_cidr.contains(&ip) || !self.used_ips[node.index()].insert(ip) {
                return None;
            }
            IpAddr::V4(ip)
        };
        self.pods_per_node[node.index()] += 1;
        Some((node, ip))
    }

    /// Places a pod that [`Scheduler::keep`] could not, or returns `None` (Pending).
    pub fn place(&mut self, pod: &Pod, placement: Placement) -> Option<(NodeId, IpAddr)> {
        let node = match &pod.spec.node_name {
            Some(name) => self.node_id(name)?,
            None => self
                .nodes
                .iter()
                .enumerate()
                .filter(|(_, n)| self.fits(n, pod, placement))
                .min_by_key(|(i, _)| (self.pods_per_node[*i], *i))
                .map(|(i, _)| NodeId(i as u16))?,
        };
        let state = &self.nodes[node.index()];
        let ip = if pod.spec.host_network {
            IpAddr::V4(state.internal_ip)
        } else {
            let first = u32::from(state.pod_cidr.network()) + 2;
            let last = u32::from(state.pod_cidr.broadcast()) - 1;
            let used = &mut self.used_ips[node.index()];
            let ip = (first..=last).map(Ipv4Addr::from).find(|ip| !used.contains(ip))?;
            used.insert(ip);
            IpAddr::V4(ip)
        };
        self.pods_per_node[node.index()] += 1;
        Some((node, ip))
    }
}

/// Remembers the placements of this apply for the next one.
pub fn remember(memory: &mut Memory, placed: &BTreeMap<String, (String, IpAddr)>) {
    memory.pod_nodes = placed.iter().map(|(k, (node, _))| (k.clone(), node.clone())).collect();
    memory.pod_ips = placed.iter().map(|(k, (_, ip))| (k.clone(), *ip)).collect();
}

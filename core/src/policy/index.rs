//! `PolicyIndex`: a cluster's NetworkPolicies compiled once into bit sets over "slots" (each pod
//! on the pod network, each node, and one outside address), so that a whole connectivity matrix
//! is a few unions per rule plus one test per cell, never a selector evaluation per pair.
//!
//! Compiling evaluates every selector once: a policy's `podSelector` over the pods of its
//! namespace, a peer's `namespaceSelector` over namespaces and then its `podSelector` over the
//! pods of the admitted namespaces, an `ipBlock` over every slot's address. What depends on the
//! port (numbers, ranges, named ports resolved per destination pod) is applied per query. A
//! hostNetwork pod has no slot of its own: its traffic is its node's. The semantics are the
//! engine's ([`super::decide`]), through the same matching rules (`rules.rs`); a property test
//! checks that every matrix cell equals `decide` on the same flow.

use super::bits::BitSet;
use super::flow::Endpoint;
use super::matrix::{Matrix, MatrixEntry};
use super::rules::{enforces, match_ip_block, match_port, namespace_admitted, pod_admitted};
use crate::api::cluster_config::CniPlugin;
use crate::api::network_policy::{PolicyPeer, PolicyPortValue, PolicyRule};
use crate::api::pod::ContainerPort;
use crate::api::Protocol;
use crate::cluster::{Cluster, NodeId, PodId, PodState};
use crate::render::Scope;
use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv4Addr};

/// The address the matrix's `external` row and column stand for: a client outside the cluster
/// (203.0.113.0/24 is TEST-NET-3, reserved for documentation by RFC 5737).
pub const EXTERNAL_ADDRESS: IpAddr = IpAddr::V4(Ipv4Addr::new(203, 0, 113, 10));

/// What a slot is.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Slot {
    /// A pod on the pod network, on `node`, with its container ports (for named ports).
    Pod {
        node: NodeId,
        ports: Vec<ContainerPort>,
    },
    Node(NodeId),
    External,
}

/// A row/column candidate of a matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    entry: MatrixEntry,
    /// The pod's namespace, for `-n`; `None` for nodes and the outside.
    namespace: Option<String>,
    slot: usize,
}

/// One rule, compiled: the slots its `from`/`to` admits, and its ports as written.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CompiledRule {
    peers: BitSet,
    ports: Vec<crate::api::network_policy::PolicyPort>,
}

/// One policy, compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
struct CompiledPolicy {
    /// The pod slots its `podSelector` selects.
    selects: BitSet,
    isolates_ingress: bool,
    isolates_egress: bool,
    ingress: Vec<CompiledRule>,
    egress: Vec<CompiledRule>,
}

/// A rule's ports for one query: every destination, none, or these destination pods.
enum PortSet {
    All,
    Some(BitSet),
    None,
}

/// A cluster's policies compiled for connectivity matrices. Build it once per cluster
/// ([`crate::simulation::Simulation::policy_index`] keeps one per apply) and ask it for as many
/// ports as needed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyIndex {
    cni: CniPlugin,
    slots: Vec<Slot>,
    /// Every running pod (cluster order), then every node, then the outside address.
    entries: Vec<Entry>,
    /// The slot of the first node; nodes follow in cluster order.
    first_node: usize,
    policies: Vec<CompiledPolicy>,
}

impl PolicyIndex {
    /// Compiles `cluster`'s policies.
    pub fn new(cluster: &Cluster) -> PolicyIndex {
        let mut slots = Vec::new();
        // Each slot's address and whether it is in the cluster, for `ipBlock`s.
        let mut addresses: Vec<(IpAddr, bool)> = Vec::new();
        let mut entries = Vec::new();
        // Pods on the pod network, grouped by namespace with their slot.
        let mut by_namespace: BTreeMap<&str, Vec<(usize, &PodState)>> = BTreeMap::new();
        let node_slot = |n: NodeId, pods: usize| pods + n.index();
        let network_pods = cluster.pods.iter().filter(|p| p.node.is_some() && !p.pod.spec.host_network).count();
        for (i, pod) in cluster.pods.iter().enumerate() {
            let Some(node) = pod.node else { continue };
            let slot = if pod.pod.spec.host_network {
                node_slot(node, network_pods)
            } else {
                slots.push(Slot::Pod { node, ports: pod.pod.spec.ports().cloned().collect() });
                // A running pod has an address.
                addresses.push((pod.ip.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED)), true));
                by_namespace.entry(pod.pod.meta.namespace.as_str()).or_default().push((slots.len() - 1, pod));
                slots.len() - 1
            };
            entries.push(Entry {
                entry: MatrixEntry { label: pod.key(), endpoint: Endpoint::Pod(PodId(i as u32)) },
                namespace: Some(pod.pod.meta.namespace.clone()),
                slot,
            });
        }
        for (i, node) in cluster.nodes.iter().enumerate() {
            let id = NodeId(i as u16);
            slots.push(Slot::Node(id));
            addresses.push((IpAddr::V4(node.internal_ip), true));
            entries.push(Entry {
                entry: MatrixEntry { label: format!("node/{}", node.name), endpoint: Endpoint::Node(id) },
                namespace: None,
                slot: slots.len() - 1,
            });
        }
        slots.push(Slot::External);
        addresses.push((EXTERNAL_ADDRESS, false));
        entries.push(Entry {
            entry: MatrixEntry { label: "external".to_string(), endpoint: Endpoint::External(EXTERNAL_ADDRESS) },
            namespace: None,
            slot: slots.len() - 1,
        });

        let compiler = Compiler { cluster, slots: slots.len(), by_namespace: &by_namespace, addresses: &addresses };
        let policies = cluster.network_policies.iter().map(|p| compiler.policy(p)).collect();
        PolicyIndex { cni: cluster.config.cni, slots, entries, first_node: network_pods, policies }
    }

    /// The connectivity matrix on `port`/`protocol`: every running pod in `scope`, every node
    /// and the outside address, as sources and as destinations.
    pub fn matrix(&self, port: u16, protocol: Protocol, scope: &Scope) -> Matrix {
        let shown: Vec<&Entry> = (self.entries.iter())
            .filter(|e| match (scope, &e.namespace) {
                (Scope::Namespace(ns), Some(own)) => own == ns,
                _ => true,
            })
            .collect();
        let slot_rows = enforces(self.cni).then(|| self.slot_rows(&self.reach(port, protocol)));
        let rows = (shown.iter())
            .map(|from| {
                let mut row = BitSet::new(shown.len());
                for (j, to) in shown.iter().enumerate() {
                    if slot_rows.as_ref().is_none_or(|rows| rows[from.slot].contains(to.slot)) {
                        row.insert(j);
                    }
                }
                row
            })
            .collect();
        let entries = shown.iter().map(|e| e.entry.clone()).collect();
        Matrix::new(port, protocol, self.cni, enforces(self.cni), entries, rows)
    }

    /// Which slots each isolated pod may reach and be reached from on `port`/`protocol`.
    fn reach(&self, port: u16, protocol: Protocol) -> Reach {
        let n = self.slots.len();
        let mut reach = Reach {
            isolated_ingress: BitSet::new(n),
            isolated_egress: BitSet::new(n),
            from: vec![None; n],
            to: vec![None; n],
        };
        for policy in &self.policies {
            if policy.isolates_ingress {
                reach.isolated_ingress.union_with(&policy.selects);
                for rule in &policy.ingress {
                    // Named ports resolve on the destination: here, the selected pod.
                    let mut targets = policy.selects.clone();
                    match self.ports(rule, port, protocol) {
                        PortSet::None => continue,
                        PortSet::Some(pods) => targets.intersect_with(&pods),
                        PortSet::All => {}
                    }
                    for t in targets.iter() {
                        reach.from[t].get_or_insert_with(|| BitSet::new(n)).union_with(&rule.peers);
                    }
                }
            }
            if policy.isolates_egress {
                reach.isolated_egress.union_with(&policy.selects);
                for rule in &policy.egress {
                    // Named ports resolve on the destination: here, the peer.
                    let mut destinations = rule.peers.clone();
                    match self.ports(rule, port, protocol) {
                        PortSet::None => continue,
                        PortSet::Some(pods) => destinations.intersect_with(&pods),
                        PortSet::All => {}
                    }
                    for s in policy.selects.iter() {
                        reach.to[s].get_or_insert_with(|| BitSet::new(n)).union_with(&destinations);
                    }
                }
            }
        }
        reach
    }

    /// A rule's ports on `port`/`protocol`.
    fn ports(&self, rule: &CompiledRule, port: u16, protocol: Protocol) -> PortSet {
        if rule.ports.is_empty() {
            return PortSet::All;
        }
        let mut pods: Option<BitSet> = None;
        for entry in &rule.ports {
            if let Some(PolicyPortValue::Named(_)) = entry.port {
                for (s, slot) in self.slots.iter().enumerate() {
                    if let Slot::Pod { ports, .. } = slot {
                        if match_port(entry, port, protocol, Some(ports)).is_ok() {
                            pods.get_or_insert_with(|| BitSet::new(self.slots.len())).insert(s);
                        }
                    }
                }
            } else if match_port(entry, port, protocol, None).is_ok() {
                return PortSet::All;
            }
        }
        pods.map_or(PortSet::None, PortSet::Some)
    }

    /// For each slot, the slots it may connect to, a word at a time: its egress (everything,
    /// or for an isolated pod its rules' destinations, itself and its node) intersected with
    /// the destinations whose ingress admits it (those not isolated, those whose rules admit it,
    /// itself, and for a node the pods it hosts).
    fn slot_rows(&self, reach: &Reach) -> Vec<BitSet> {
        let n = self.slots.len();
        let mut open = BitSet::full(n);
        open.difference_with(&reach.isolated_ingress);
        // incoming[s]: the isolated pods whose ingress rules (or node exemption) admit slot s.
        let mut incoming = vec![BitSet::new(n); n];
        for d in reach.isolated_ingress.iter() {
            for s in reach.from[d].iter().flat_map(BitSet::iter) {
                incoming[s].insert(d);
            }
        }
        for (d, slot) in self.slots.iter().enumerate() {
            if let Slot::Pod { node, .. } = slot {
                incoming[self.first_node + node.index()].insert(d);
            }
        }
        (incoming.into_iter().enumerate())
            .map(|(s, mut row)| {
                row.union_with(&open);
                row.insert(s);
                if let (Slot::Pod { node, .. }, true) = (&self.slots[s], reach.isolated_egress.contains(s)) {
                    let mut egress = reach.to[s].clone().unwrap_or_else(|| BitSet::new(n));
                    egress.insert(s);
                    egress.insert(self.first_node + node.index());
                    row.intersect_with(&egress);
                }
                row
            })
            .collect()
    }
}

/// The reach of isolated pods on one port: `from[d]`/`to[s]` are the slots an isolated pod
/// accepts connections from / may connect to (`None`: none).
struct Reach {
    isolated_ingress: BitSet,
    isolated_egress: BitSet,
    from: Vec<Option<BitSet>>,
    to: Vec<Option<BitSet>>,
}

/// What compiling needs at hand.
struct Compiler<'a> {
    cluster: &'a Cluster,
    slots: usize,
    by_namespace: &'a BTreeMap<&'a str, Vec<(usize, &'a PodState)>>,
    /// Each slot's address and whether it is in the cluster.
    addresses: &'a [(IpAddr, bool)],
}

impl Compiler<'_> {
    fn policy(&self, policy: &crate::api::network_policy::NetworkPolicy) -> CompiledPolicy {
        let mut selects = BitSet::new(self.slots);
        for (slot, pod) in self.by_namespace.get(policy.meta.namespace.as_str()).into_iter().flatten() {
            if policy.pod_selector.matches(&pod.pod.meta.labels) {
                selects.insert(*slot);
            }
        }
        let rules = |rules: &[PolicyRule]| rules.iter().map(|r| self.rule(&policy.meta.namespace, r)).collect();
        CompiledPolicy {
            selects,
            isolates_ingress: policy.isolates_ingress,
            isolates_egress: policy.isolates_egress,
            ingress: rules(&policy.ingress),
            egress: rules(&policy.egress),
        }
    }

    fn rule(&self, policy_namespace: &str, rule: &PolicyRule) -> CompiledRule {
        let mut peers = BitSet::new(self.slots);
        match &rule.peers {
            None => (0..self.slots).for_each(|s| peers.insert(s)),
            Some(elements) => {
                for element in elements {
                    self.peer(policy_namespace, element, &mut peers);
                }
            }
        }
        CompiledRule { peers, ports: rule.ports.clone() }
    }

    fn peer(&self, policy_namespace: &str, element: &PolicyPeer, into: &mut BitSet) {
        match element {
            PolicyPeer::Pods { pod_selector, namespace_selector } => {
                for namespace in &self.cluster.namespaces {
                    if !namespace_admitted(
                        namespace_selector.as_ref(),
                        policy_namespace,
                        &namespace.name,
                        &namespace.labels,
                    ) {
                        continue;
                    }
                    for (slot, pod) in self.by_namespace.get(namespace.name.as_str()).into_iter().flatten() {
                        if pod_admitted(pod_selector.as_ref(), &pod.pod.meta.labels) {
                            into.insert(*slot);
                        }
                    }
                }
            }
            PolicyPeer::IpBlock(block) => {
                for (slot, (ip, in_cluster)) in self.addresses.iter().enumerate() {
                    if match_ip_block(block, Some(*ip), *in_cluster, self.cluster.config.cni).is_ok() {
                        into.insert(slot);
                    }
                }
            }
        }
    }
}

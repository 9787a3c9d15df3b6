//! Node taints, and why a pod is Pending, as the scheduler decides and words it.
//!
//! The default scheduler runs its filter plugins on every node in profile order —
//! TaintToleration, NodeAffinity, NodePorts, NodeResourcesFit for what the model covers — and a
//! node is out at its first failing plugin (kubernetes/kubernetes
//! `pkg/scheduler/apis/config/v1/default_plugins.go`, `framework/runtime` `RunFilterPlugins`).
//! When no node is left, the pod's `PodScheduled` condition is `False` with reason
//! `Unschedulable` and the message `FitError.Error()` builds
//! (`pkg/scheduler/framework/types.go`): `0/N nodes are available: ` then the count of each
//! per-node reason as `"<count> <reason>"`, sorted as strings, then the DefaultPreemption
//! plugin's own FitError prefixed by `preemption: ` (`plugins/defaultpreemption`). A node whose
//! failure preemption cannot cure (an untolerated taint, an unmatched selector) counts as
//! `Preemption is not helpful for scheduling`; one that lacks room (a host port, the pod
//! limit) as `No preemption victims found for incoming pod`, since every pod of the model has
//! priority 0 and only lower-priority pods can be evicted. Reasons are worded as in Kubernetes
//! 1.33 (kind's node image), where the taint reason still names the taint.

use std::collections::BTreeMap;
use std::fmt;

/// A taint's effect. Only `NoSchedule` occurs in the model (the control-plane taint).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TaintEffect {
    NoSchedule,
}

impl TaintEffect {
    /// The effect as the API writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            TaintEffect::NoSchedule => "NoSchedule",
        }
    }
}

/// A node taint (`spec.taints[]`).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Taint {
    pub key: String,
    /// The value; empty for the taints the model puts on nodes.
    pub value: String,
    pub effect: TaintEffect,
}

/// `node-role.kubernetes.io/control-plane`, the key of kubeadm's control-plane taint.
pub const CONTROL_PLANE_TAINT_KEY: &str = "node-role.kubernetes.io/control-plane";

/// `node.kubernetes.io/not-ready`, the taint a node carries until its network is up.
pub const NOT_READY_TAINT_KEY: &str = "node.kubernetes.io/not-ready";

impl Taint {
    /// A `NoSchedule` taint with `key` and no value.
    pub fn no_schedule(key: &str) -> Taint {
        Taint { key: key.to_string(), value: String::new(), effect: TaintEffect::NoSchedule }
    }
}

/// Why one node cannot take a pod: the first filter plugin that rejected it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeFailure {
    /// TaintToleration: the node has a `NoSchedule` taint the pod does not tolerate.
    UntoleratedTaint(Taint),
    /// NodeAffinity: the node lacks a label of the pod's `nodeSelector`.
    NodeSelector,
    /// NodePorts: a pod on the node already uses one of the pod's host ports (hostNetwork pods
    /// use their container ports as host ports).
    HostPorts,
    /// NodeResourcesFit: the node already runs as many pods as the kubelet allows (110).
    TooManyPods,
}

impl NodeFailure {
    /// The reason the plugin reports for one node (its `ErrReason…` text).
    pub fn reason(&self) -> String {
        match self {
            NodeFailure::UntoleratedTaint(t) => format!("node(s) had untolerated taint {{{}: {}}}", t.key, t.value),
            NodeFailure::NodeSelector => "node(s) didn't match Pod's node affinity/selector".to_string(),
            NodeFailure::HostPorts => "node(s) didn't have free ports for the requested pod ports".to_string(),
            NodeFailure::TooManyPods => "Too many pods".to_string(),
        }
    }

    /// Whether evicting pods could make room: the plugin answered `Unschedulable` rather than
    /// `UnschedulableAndUnresolvable` (`nodesWherePreemptionMightHelp`).
    pub fn preemption_might_help(&self) -> bool {
        matches!(self, NodeFailure::HostPorts | NodeFailure::TooManyPods)
    }
}

/// A scheduling attempt that found no node: one failure per node, in node order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unschedulable {
    pub failures: Vec<NodeFailure>,
}

/// `"<count> <reason>"` for each distinct reason, sorted as strings (`sortReasonsHistogram`).
fn histogram<'a>(reasons: impl Iterator<Item = String> + 'a) -> String {
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for reason in reasons {
        *counts.entry(reason).or_default() += 1;
    }
    let mut entries: Vec<String> = counts.into_iter().map(|(reason, n)| format!("{n} {reason}")).collect();
    entries.sort();
    entries.join(", ")
}

/// The `PodScheduled` condition's message: the scheduler's FitError, then preemption's.
impl fmt::Display for Unschedulable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.failures.len();
        if n == 0 {
            // schedule_one.go's ErrNoNodesAvailable.
            return f.write_str("no nodes available to schedule pods");
        }
        let filters = histogram(self.failures.iter().map(NodeFailure::reason));
        let preemption = histogram(self.failures.iter().map(|failure| {
            if failure.preemption_might_help() {
                "No preemption victims found for incoming pod".to_string()
            } else {
                "Preemption is not helpful for scheduling".to_string()
            }
        }));
        write!(f, "0/{n} nodes are available: {filters}. preemption: 0/{n} nodes are available: {preemption}.")
    }
}

/// Why a pod is Pending.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PendingReason {
    /// The scheduler found no node for it.
    Unschedulable(Unschedulable),
    /// Its `spec.nodeName` names a node that does not exist. Such a pod bypasses the scheduler,
    /// so nothing writes a condition; in a real cluster the pod garbage collector deletes it
    /// about 40 seconds later (`gcOrphaned`), which the model, having no clock, does not do.
    NodeNotFound { node: String },
    /// Its `spec.nodeName` names a node that already runs as many pods as its kubelet allows.
    /// The kubelet refuses such a pod at admission (it fails with reason `OutOfpods`); the model,
    /// which has no Failed phase, keeps it Pending.
    NodeOutOfPods { node: String },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fit_error_counts_reasons_per_node_sorted_as_strings_then_preemption() {
        // types.go FitError.Error with DefaultPreemption's PostFilter message appended.
        let failures = vec![
            NodeFailure::UntoleratedTaint(Taint::no_schedule(CONTROL_PLANE_TAINT_KEY)),
            NodeFailure::NodeSelector,
            NodeFailure::NodeSelector,
        ];
        assert_eq!(
            Unschedulable { failures }.to_string(),
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, \
             2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: \
             3 Preemption is not helpful for scheduling."
        );
    }

    #[test]
    fn nodes_short_of_room_are_ones_where_preemption_finds_no_victims() {
        // nodesWherePreemptionMightHelp: NodePorts and NodeResourcesFit answer Unschedulable,
        // so preemption looks for lower-priority victims; with every pod at priority 0 it finds none.
        let failures = vec![
            NodeFailure::UntoleratedTaint(Taint::no_schedule(CONTROL_PLANE_TAINT_KEY)),
            NodeFailure::HostPorts,
            NodeFailure::TooManyPods,
        ];
        assert_eq!(
            Unschedulable { failures }.to_string(),
            "0/3 nodes are available: 1 Too many pods, 1 node(s) didn't have free ports for the requested pod ports, \
             1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }. preemption: 0/3 nodes are \
             available: 1 Preemption is not helpful for scheduling, 2 No preemption victims found for incoming pod."
        );
    }
}

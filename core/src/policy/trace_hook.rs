//! The policy engine as the dataplane's [`PolicyHook`]: each check a trace places (a pod's
//! egress once the destination is known, a pod's ingress once the source is) is one
//! [`decide`] on the connection, read on the side the check is about. One engine decides both
//! traces and the matrix, so they cannot disagree.

use super::decision::{Direction, Verdict};
use super::{decide, Endpoint, Flow};
use crate::cluster::{Cluster, NodeId};
use crate::dataplane::{PolicyCheck, PolicyHook, PolicyOutcome};
use std::net::IpAddr;

/// The cluster's NetworkPolicies, enforced as its CNI plugin enforces them.
#[derive(Debug, Clone, Copy, Default)]
pub struct TracePolicies;

/// What NetworkPolicy sees of the other end of a checked packet.
fn peer_endpoint(cluster: &Cluster, check: &PolicyCheck) -> Endpoint {
    if let Some(pod) = check.peer_pod {
        return Endpoint::Pod(pod);
    }
    match cluster.nodes.iter().position(|n| IpAddr::V4(n.internal_ip) == check.peer) {
        Some(i) => Endpoint::Node(NodeId(i as u16)),
        None => Endpoint::External(check.peer),
    }
}

impl PolicyHook for TracePolicies {
    fn check(&self, cluster: &Cluster, check: &PolicyCheck) -> PolicyOutcome {
        let me = Endpoint::Pod(check.pod);
        let peer = peer_endpoint(cluster, check);
        let (src, dst) = match check.direction {
            Direction::Egress => (me, peer),
            Direction::Ingress => (peer, me),
        };
        let decision = decide(cluster, &Flow { src, dst, port: check.port, protocol: check.protocol });
        let side = match check.direction {
            Direction::Egress => &decision.egress,
            Direction::Ingress => &decision.ingress,
        };
        let names = |ids: &[super::PolicyId]| -> Vec<String> {
            ids.iter()
                .filter_map(|id| cluster.network_policies.get(id.index()))
                .map(|p| format!("{}/{}", p.meta.namespace, p.meta.name))
                .collect()
        };
        if !decision.enforced {
            return PolicyOutcome::NotEnforced;
        }
        match &side.verdict {
            Verdict::NotAPod | Verdict::NotIsolated => PolicyOutcome::NotIsolated,
            Verdict::Exempt(_) | Verdict::Allowed(_) => PolicyOutcome::Allowed { policies: names(&side.isolated_by) },
            Verdict::Denied(_) => PolicyOutcome::Denied { policies: names(&side.isolated_by) },
        }
    }
}

//! The NetworkPolicy engine: whether a connection is allowed, why, and the whole connectivity
//! matrix of a cluster.
//!
//! Semantics follow the Kubernetes documentation (kubernetes.io, "Network Policies") and API
//! reference (`networking.k8s.io/v1` NetworkPolicy), checked against the upstream e2e truth
//! tables (kubernetes/kubernetes `test/e2e/network/netpol/network_policy.go`), which
//! `core/tests/policy_e2e_cases.rs` reproduces:
//! - A pod is isolated for ingress (egress) when a policy of its namespace selects it and has
//!   Ingress (Egress) in `policyTypes` (defaulted by the loader: Ingress always, Egress when the
//!   policy has egress rules). A direction that is not isolated allows everything.
//! - Policies are additive: an isolated direction allows what any rule of any isolating policy
//!   allows. A connection needs the source's egress and the destination's ingress.
//! - Peers, ports and `ipBlock`s match as `rules.rs` describes (including what each plugin does
//!   with pod addresses in an `ipBlock`: Calico and kindnet match them, Cilium does not).
//! - Connections are judged once, after Service DNAT (the destination is the chosen endpoint
//!   pod); replies of an allowed connection are allowed (policies are stateful).
//! - A pod may always connect to itself ("a pod cannot block access to itself"), and traffic
//!   between a pod and its own node is always allowed in both directions ("traffic to and from
//!   the node where a Pod is running is always allowed"; kubelet probes depend on it). Traffic
//!   from other nodes is subject to policy, matched only by `ipBlock`s on the node's address.
//! - hostNetwork pods are never selected, as a target or as a peer; their traffic is their
//!   node's ("NetworkPolicy and hostNetwork pods": the most common implementation).
//! - With flannel, which has no policy engine, policies exist but nothing is enforced; the
//!   decision still says what they would do.
//!
//! [`decide`] judges one flow and keeps the evidence ([`Decision`]); [`explain`] words it.
//! [`PolicyIndex`] compiles the policies to bit sets once per cluster and answers whole
//! [`Matrix`]es; every matrix cell equals `decide` on [`Matrix::flow`] of that cell.

mod bits;
mod decision;
mod engine;
mod explain;
mod flow;
mod index;
mod matrix;
mod rules;
mod trace_hook;

pub use decision::{
    Decision, Direction, Exemption, PeerMiss, PeerOutcome, PolicyId, PortMiss, PortOutcome, RuleCheck, Side, Verdict,
};
pub use engine::decide;
pub(crate) use engine::{isolating, selecting};
pub use explain::explain;
pub(crate) use explain::{element, port_entry};
pub use flow::{Endpoint, Flow, Party};
pub use index::{PolicyIndex, EXTERNAL_ADDRESS};
pub use matrix::{suggested_port, Matrix, MatrixDiff, MatrixEntry};
pub use rules::{enforces, ip_block_matches_cluster_addresses};
pub use trace_hook::TracePolicies;

use crate::api::Protocol;
use crate::cluster::Cluster;
use crate::render::Scope;

/// The connectivity matrix of `cluster` on `port`/`protocol` for the pods in `scope`, plus the
/// nodes and the outside address. Compiles the policies first; to ask for several ports, keep a
/// [`PolicyIndex`] (or use [`crate::simulation::Simulation::policy_index`]).
pub fn matrix(cluster: &Cluster, port: u16, protocol: Protocol, scope: &Scope) -> Matrix {
    PolicyIndex::new(cluster).matrix(port, protocol, scope)
}

//! `externalTrafficPolicy` side by side: one connection from the client outside the cluster to
//! a NodePort or LoadBalancer Service, traced once as if the Service said `Cluster` and once
//! as if it said `Local`, without touching the learner's workspace
//! ([`Simulation::cluster_with_external_policy`]).
//!
//! The rules the two traces show (<https://kubernetes.io/docs/reference/networking/virtual-ips/>,
//! <https://kubernetes.io/docs/tutorials/services/source-ip/>, `pkg/proxy/iptables/proxier.go`):
//! under `Cluster` any node forwards to any ready endpoint, masquerading the packet to its own
//! address, so the client's address is lost and the packet may take a second hop; under `Local`
//! the client's address is kept and a node without a local ready endpoint drops the packet, and
//! a cloud load balancer's health checks on `healthCheckNodePort` send traffic only to nodes
//! that have one.
//!
//! So that the difference shows, both traces enter the cluster where a node has no local
//! endpoint when there is such a node: a NodePort connection goes to the first such node
//! (else the first worker), and for a LoadBalancer the seed is the first (of
//! [`SEEDS_TRIED`]) whose `Cluster` trace the load balancer sends to such a node. Both traces
//! use the same request and seed.

use super::{Dataplane, Source, Step, Target, Trace, TraceError, TraceRequest, DEFAULT_EXTERNAL_CLIENT};
use crate::api::cluster_config::NodeRole;
use crate::api::service::{ServiceType, TrafficPolicy};
use crate::cluster::{Cluster, NodeId};
use crate::simulation::Simulation;
use std::fmt;
use std::net::IpAddr;

/// Seeds tried for a load balancer's choice of node.
pub const SEEDS_TRIED: u64 = 16;

/// One of the two traces.
#[derive(Debug, Clone)]
pub struct PolicyTrace {
    pub policy: TrafficPolicy,
    /// The cluster the trace ran on: the workspace's, with the Service's policy set. Render the
    /// trace with it.
    pub cluster: Cluster,
    pub request: TraceRequest,
    pub trace: Trace,
}

/// Why there is nothing to compare.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CompareError {
    /// No Service `namespace/name` in the workspace.
    ServiceNotFound { namespace: String, name: String },
    /// The Service is not reachable from outside through nodes (not NodePort or LoadBalancer).
    NotExternal { service: String, type_: &'static str },
    /// The Service has no port `port`.
    NoSuchPort { service: String, port: u16 },
    /// The trace could not start.
    Trace(TraceError),
}

impl fmt::Display for CompareError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CompareError::ServiceNotFound { namespace, name } => {
                write!(f, "Error from server (NotFound): services \"{name}\" not found in namespace \"{namespace}\"")
            }
            CompareError::NotExternal { service, type_ } => write!(
                f,
                "error: service {service} is of type {type_}: externalTrafficPolicy applies to NodePort and LoadBalancer Services"
            ),
            CompareError::NoSuchPort { service, port } => write!(f, "error: service {service} has no port {port}"),
            CompareError::Trace(e) => e.fmt(f),
        }
    }
}

/// The connection from the external client to Service `namespace/name` (its port `port`, else
/// its first), traced under `Cluster` and then under `Local`.
pub fn external_policies(
    sim: &Simulation,
    namespace: &str,
    name: &str,
    port: Option<u16>,
) -> Result<[PolicyTrace; 2], CompareError> {
    let not_found = || CompareError::ServiceNotFound { namespace: namespace.to_string(), name: name.to_string() };
    let key = format!("{namespace}/{name}");
    let id = sim.cluster().service_id(namespace, name).ok_or_else(not_found)?;
    let spec = &sim.cluster().services[id.0 as usize].service.spec;
    if !spec.type_.has_node_ports() {
        return Err(CompareError::NotExternal { service: key, type_: spec.type_.as_str() });
    }
    let index = match port {
        Some(p) => spec
            .ports
            .iter()
            .position(|sp| sp.port == p)
            .ok_or_else(|| CompareError::NoSuchPort { service: key.clone(), port: p })?,
        None => 0,
    };
    let cluster_wide =
        sim.cluster_with_external_policy(namespace, name, TrafficPolicy::Cluster).ok_or_else(not_found)?;
    let local = sim.cluster_with_external_policy(namespace, name, TrafficPolicy::Local).ok_or_else(not_found)?;
    let local_dp = Dataplane::new(&local);
    let without_local =
        |node: NodeId| local_dp.port_info(node, id, index).is_none_or(|info| info.categorize().local.is_empty());
    let state = &local.services[id.0 as usize];
    let service_port = state.service.spec.ports.get(index).ok_or_else(not_found)?;
    let from = Source::External(DEFAULT_EXTERNAL_CLIENT);
    let mut request = if state.service.spec.type_ == ServiceType::LoadBalancer {
        let to = Target::Service { id, name: format!("svc/{key}") };
        TraceRequest { from, to, port: Some(service_port.port), protocol: service_port.protocol, seed: 0 }
    } else {
        let node = entry_node(&local, &without_local);
        let ip = IpAddr::V4(local.node(node).internal_ip);
        let node_port = state.node_ports.get(index).copied().flatten();
        TraceRequest { from, to: Target::Ip(ip), port: node_port, protocol: service_port.protocol, seed: 0 }
    };
    let cluster_dp = Dataplane::new(&cluster_wide);
    if state.service.spec.type_ == ServiceType::LoadBalancer {
        request.seed = (0..SEEDS_TRIED)
            .find(|&seed| {
                let attempt = TraceRequest { seed, ..request.clone() };
                cluster_dp.trace(&attempt).is_ok_and(|t| balanced_to(&t).is_some_and(without_local))
            })
            .unwrap_or(0);
    }
    let cluster_trace = cluster_dp.trace(&request).map_err(CompareError::Trace)?;
    let local_trace = local_dp.trace(&request).map_err(CompareError::Trace)?;
    drop((cluster_dp, local_dp));
    Ok([
        PolicyTrace {
            policy: TrafficPolicy::Cluster,
            cluster: cluster_wide,
            request: request.clone(),
            trace: cluster_trace,
        },
        PolicyTrace { policy: TrafficPolicy::Local, cluster: local, request, trace: local_trace },
    ])
}

/// The node a NodePort connection enters by: the first without a local endpoint, else the
/// first worker, else the first node.
fn entry_node(cluster: &Cluster, without_local: &dyn Fn(NodeId) -> bool) -> NodeId {
    let nodes = || (0..cluster.nodes.len()).map(|i| NodeId(i as u16));
    nodes()
        .find(|&n| without_local(n))
        .or_else(|| nodes().find(|&n| cluster.node(n).role != NodeRole::ControlPlane))
        .unwrap_or(NodeId(0))
}

/// The node the load balancer forwarded to, if it did.
fn balanced_to(trace: &Trace) -> Option<NodeId> {
    trace.hops.iter().find_map(|h| match h.step {
        Step::Balanced { node, .. } => Some(node),
        _ => None,
    })
}

//! The one place a lesson's connection goal becomes a trace: the source and destination are
//! resolved as `kubeplay trace` resolves them ([`Source::parse`], [`Target::parse`]) and the
//! connection goes through [`Dataplane::trace`], so a change to how names resolve reaches the
//! lessons unchanged. A Service entered by its ClusterIP, a nodePort or its load balancer is
//! turned into that address and port first.

use super::goal::{Destination, Entry};
use crate::api::Protocol;
use crate::cluster::{Cluster, LoadBalancerStatus, ServiceState};
use crate::dataplane::{Dataplane, Source, Target, Trace, TraceError, TraceRequest};
use std::net::IpAddr;

/// The seed of every probe: goals are judged on one reproducible connection.
pub const PROBE_SEED: u64 = 0;

/// Why a connection could not be attempted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProbeError {
    /// The source or the destination does not exist (or has no address).
    Trace(TraceError),
    /// No Service `ns/name`.
    NoService { service: String },
    /// The Service has no port `port`.
    NoPort { service: String, port: u16 },
    /// The Service has no ClusterIP (headless or ExternalName).
    NoClusterIp { service: String },
    /// The Service port has no nodePort (not a NodePort or LoadBalancer Service).
    NoNodePort { service: String },
    /// The LoadBalancer Service has no address, or the Service is no LoadBalancer.
    NoExternalAddress { service: String, status: LoadBalancerStatus },
}

/// Traces one connection from `from` to `to`.
pub fn connect(
    cluster: &Cluster,
    from: &str,
    to: &Destination,
    port: Option<u16>,
    protocol: Protocol,
) -> Result<Trace, ProbeError> {
    let from = Source::parse(cluster, from).map_err(ProbeError::Trace)?;
    let (to, port) = match to {
        Destination::Address(text) => (Target::parse(cluster, text).map_err(ProbeError::Trace)?, port),
        Destination::Service { service, via } => service_entry(cluster, service, via, port)?,
    };
    let request = TraceRequest { from, to, port, protocol, seed: PROBE_SEED };
    Dataplane::new(cluster).trace(&request).map_err(ProbeError::Trace)
}

fn service_entry(
    cluster: &Cluster,
    key: &str,
    via: &Entry,
    port: Option<u16>,
) -> Result<(Target, Option<u16>), ProbeError> {
    let (namespace, name) = key.split_once('/').unwrap_or(("default", key));
    let service = cluster.service(namespace, name).ok_or_else(|| ProbeError::NoService { service: key.to_string() })?;
    let index = port_index(service, key, port)?;
    let service_port = service.service.spec.ports.get(index).map(|p| p.port);
    match via {
        Entry::ClusterIp => {
            let ip = service.cluster_ip.ok_or_else(|| ProbeError::NoClusterIp { service: key.to_string() })?;
            Ok((Target::Ip(ip), service_port))
        }
        Entry::NodePort { node } => {
            let node = cluster
                .nodes
                .iter()
                .find(|n| &n.name == node)
                .ok_or_else(|| ProbeError::Trace(TraceError::NodeNotFound { name: node.clone() }))?;
            let node_port = service.node_ports.get(index).copied().flatten();
            let node_port = node_port.ok_or_else(|| ProbeError::NoNodePort { service: key.to_string() })?;
            Ok((Target::Ip(IpAddr::V4(node.internal_ip)), Some(node_port)))
        }
        Entry::LoadBalancer => match service.load_balancer {
            LoadBalancerStatus::Ingress(ip) => Ok((Target::Ip(ip), service_port)),
            ref status => Err(ProbeError::NoExternalAddress { service: key.to_string(), status: status.clone() }),
        },
    }
}

/// The index of the Service port `port` (the first when not given).
fn port_index(service: &ServiceState, key: &str, port: Option<u16>) -> Result<usize, ProbeError> {
    match port {
        None => Ok(0),
        Some(p) => service
            .service
            .spec
            .ports
            .iter()
            .position(|sp| sp.port == p)
            .ok_or_else(|| ProbeError::NoPort { service: key.to_string(), port: p }),
    }
}

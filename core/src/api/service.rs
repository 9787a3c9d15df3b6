//! Services: how a stable virtual address and name front a changing set of pods.

use super::meta::{Labels, ObjectMeta, Protocol};
use ipnet::IpNet;
use std::net::IpAddr;

/// `spec.type`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum ServiceType {
    #[default]
    ClusterIP,
    NodePort,
    LoadBalancer,
    ExternalName,
}

impl ServiceType {
    /// Every type, sorted as the API server lists supported values.
    pub const ALL: [ServiceType; 4] =
        [ServiceType::ClusterIP, ServiceType::ExternalName, ServiceType::LoadBalancer, ServiceType::NodePort];

    /// The type as written in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceType::ClusterIP => "ClusterIP",
            ServiceType::NodePort => "NodePort",
            ServiceType::LoadBalancer => "LoadBalancer",
            ServiceType::ExternalName => "ExternalName",
        }
    }

    /// Whether the type allocates node ports (NodePort, and LoadBalancer which builds on it).
    pub fn has_node_ports(self) -> bool {
        matches!(self, ServiceType::NodePort | ServiceType::LoadBalancer)
    }
}

/// `targetPort`: a number, or the name of a container port resolved per pod.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum TargetPort {
    Number(u16),
    Named(String),
}

impl std::fmt::Display for TargetPort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TargetPort::Number(n) => write!(f, "{n}"),
            TargetPort::Named(name) => f.write_str(name),
        }
    }
}

/// One entry of `spec.ports`, with the API server's defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePort {
    pub name: Option<String>,
    pub protocol: Protocol,
    pub port: u16,
    /// Defaults to `port` when omitted.
    pub target_port: TargetPort,
    /// The nodePort the learner asked for; the allocated one lives in the cluster state.
    pub node_port: Option<u16>,
    pub app_protocol: Option<String>,
}

/// `spec.clusterIP` as written: allocate one, headless (`None`), or a fixed address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClusterIpSpec {
    #[default]
    Auto,
    Headless,
    Fixed(IpAddr),
}

/// `externalTrafficPolicy` / `internalTrafficPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TrafficPolicy {
    #[default]
    Cluster,
    Local,
}

impl TrafficPolicy {
    /// The policy as written in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            TrafficPolicy::Cluster => "Cluster",
            TrafficPolicy::Local => "Local",
        }
    }
}

/// `sessionAffinity`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SessionAffinity {
    #[default]
    None,
    /// Connections from one client IP go to the same endpoint for `timeout_seconds`
    /// (default 10800, from `sessionAffinityConfig.clientIP.timeoutSeconds`).
    ClientIp { timeout_seconds: u32 },
}

/// A Service's spec, validated and defaulted.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServiceSpec {
    pub type_: ServiceType,
    /// `None` when the Service has no selector: its endpoints are whatever Endpoints or
    /// EndpointSlices the learner writes.
    pub selector: Option<Labels>,
    pub ports: Vec<ServicePort>,
    pub cluster_ip: ClusterIpSpec,
    pub external_name: Option<String>,
    pub external_ips: Vec<IpAddr>,
    pub external_traffic_policy: TrafficPolicy,
    pub internal_traffic_policy: TrafficPolicy,
    pub session_affinity: SessionAffinity,
    pub load_balancer_ip: Option<IpAddr>,
    pub load_balancer_source_ranges: Vec<IpNet>,
    pub publish_not_ready_addresses: bool,
    /// `trafficDistribution` (e.g. `PreferClose`), a hint to prefer topologically close endpoints.
    pub traffic_distribution: Option<String>,
    /// `allocateLoadBalancerNodePorts` (default true for LoadBalancer Services).
    pub allocate_load_balancer_node_ports: bool,
    /// The `healthCheckNodePort` the learner asked for; the allocated one lives in the cluster
    /// state.
    pub health_check_node_port: Option<u16>,
}

/// A Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Service {
    pub meta: ObjectMeta,
    pub spec: ServiceSpec,
}

//! Endpoints and EndpointSlices written by the learner, for Services without a selector.

use super::meta::{ObjectMeta, Protocol};
use std::net::IpAddr;

/// A port of an Endpoints subset or an EndpointSlice.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EndpointPort {
    pub name: Option<String>,
    pub port: u16,
    pub protocol: Protocol,
}

/// One address of an Endpoints subset or EndpointSlice, with its readiness.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointAddress {
    pub ip: IpAddr,
    pub ready: bool,
    pub hostname: Option<String>,
    pub node_name: Option<String>,
}

/// A `v1` Endpoints object: named like its Service; each subset pairs addresses with ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    pub meta: ObjectMeta,
    pub subsets: Vec<(Vec<EndpointAddress>, Vec<EndpointPort>)>,
}

/// A `discovery.k8s.io/v1` EndpointSlice: tied to its Service by the
/// `kubernetes.io/service-name` label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointSlice {
    pub meta: ObjectMeta,
    pub address_type: AddressType,
    pub endpoints: Vec<EndpointAddress>,
    pub ports: Vec<EndpointPort>,
}

/// `addressType` of an EndpointSlice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressType {
    IPv4,
    IPv6,
    Fqdn,
}

impl AddressType {
    /// The type as written in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            AddressType::IPv4 => "IPv4",
            AddressType::IPv6 => "IPv6",
            AddressType::Fqdn => "FQDN",
        }
    }
}

/// The label that ties an EndpointSlice to its Service.
pub const SERVICE_NAME_LABEL: &str = "kubernetes.io/service-name";

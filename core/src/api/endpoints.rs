//! Endpoints and EndpointSlices written by the learner, for Services without a selector.
//!
//! Both kinds are loaded into the same address and port types, with the API's defaults and
//! nil-readings applied: a port's protocol defaults to TCP, an EndpointSlice condition that is
//! not written reads as kube-proxy reads it (`ready` and `serving` true, `terminating` false).

use super::meta::{ObjectMeta, Protocol};
use std::net::IpAddr;

/// A port of an Endpoints subset or an EndpointSlice.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct EndpointPort {
    /// The port's name; it must equal the name of the Service port it serves (`None` = `""`).
    pub name: Option<String>,
    /// The port the endpoints listen on.
    pub port: u16,
    /// The port's protocol (TCP when not written).
    pub protocol: Protocol,
}

/// One address of an Endpoints subset or EndpointSlice, with its conditions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointAddress {
    /// The address traffic is sent to.
    pub ip: IpAddr,
    /// Whether the endpoint takes new connections (`addresses` rather than `notReadyAddresses`).
    pub ready: bool,
    /// Whether the endpoint can answer at all, even while terminating.
    pub serving: bool,
    /// Whether the endpoint is shutting down.
    pub terminating: bool,
    /// The endpoint's hostname, which headless-Service DNS publishes.
    pub hostname: Option<String>,
    /// The node the endpoint runs on.
    pub node_name: Option<String>,
}

/// A `v1` Endpoints object: named like its Service; each subset pairs addresses with ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// The object's metadata; its name ties it to the Service of the same name.
    pub meta: ObjectMeta,
    /// `subsets`: ready and not-ready addresses together, with the ports they all serve.
    pub subsets: Vec<(Vec<EndpointAddress>, Vec<EndpointPort>)>,
}

/// A `discovery.k8s.io/v1` EndpointSlice: tied to its Service by the
/// `kubernetes.io/service-name` label.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointSlice {
    /// The object's metadata, whose labels tie it to a Service.
    pub meta: ObjectMeta,
    /// The kind of address the slice lists.
    pub address_type: AddressType,
    /// The endpoints kube-proxy uses: the first address of each endpoint of an IPv4 slice.
    /// Empty for IPv6 and FQDN slices, which carry no address reachable in this IPv4-only model.
    pub endpoints: Vec<EndpointAddress>,
    /// The ports kube-proxy uses: those with a port number (1-65535).
    pub ports: Vec<EndpointPort>,
}

/// `addressType` of an EndpointSlice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressType {
    /// IPv4 addresses: the only kind this single-stack IPv4 model routes to.
    IPv4,
    /// IPv6 addresses.
    IPv6,
    /// Fully qualified domain names.
    Fqdn,
}

impl AddressType {
    /// Every address type, sorted as the API server lists supported values.
    pub const ALL: [AddressType; 3] = [AddressType::Fqdn, AddressType::IPv4, AddressType::IPv6];

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

//! Endpoints (`v1`) and EndpointSlices (`discovery.k8s.io/v1`) written by hand, for Services
//! without a selector.
//!
//! Each is read as the API server reads it: decoding first (a document that does not decode is
//! not validated), then the v1 defaults (a port's protocol is TCP, a slice port's name is
//! `""`), then validation, every failure reported:
//!
//! - Endpoints (`ValidateEndpoints`, `validateEndpointSubsets`, `validateEndpointAddress`,
//!   `validateEndpointPort` in `pkg/apis/core/validation/validation.go`): each subset needs
//!   `addresses` or `notReadyAddresses`; an address's `ip` is an IP (read strictly, KEP-4858)
//!   outside the unspecified, loopback and link-local ranges (`ValidateNonSpecialIP`); its
//!   `hostname` is a DNS-1123 label and its `nodeName` a DNS-1123 subdomain; ports are 1-65535,
//!   named (DNS-1123 labels) when there are several, with TCP, UDP or SCTP. Every request for v1
//!   Endpoints gets the API server's deprecation warning (KEP-4974, Kubernetes 1.33).
//! - EndpointSlices (`ValidateEndpointSlice` in `pkg/apis/discovery/validation/validation.go`):
//!   `addressType` is required, one of IPv4, IPv6 and FQDN; at most 1000 endpoints of 1 to 100
//!   addresses each, checked against the address type; `hostname` is a DNS-1123 label; at most
//!   100 ports with unique names (DNS-1123 labels, or empty) and a supported protocol. The API
//!   server does not check a slice port's number.
//!
//! What kube-proxy makes of a slice (`pkg/proxy/endpointslicecache.go`) is applied too, with a
//! warning wherever it differs from what was written: a slice without the
//! `kubernetes.io/service-name` label belongs to no Service; only the first address of an
//! endpoint is used; a port without a usable number is skipped; conditions that are not written
//! read as `ready: true`, `serving: true`, `terminating: false` (the API's nil readings). The
//! model is IPv4-only: an IPv6 or FQDN slice loads (it is valid) but carries no address
//! reachable here.

use super::meta::{decoded_cleanly, Checks};
use super::Ctx;
use crate::api::endpoints::{AddressType, EndpointAddress, EndpointPort, EndpointSlice, Endpoints, SERVICE_NAME_LABEL};
use crate::api::{ObjectMeta, Protocol};
use crate::decode::{FieldPath, Item, MapReader};
use crate::validation::labels::qualified_name;
use crate::validation::names::{dns1123_label, dns1123_subdomain};
use crate::validation::network::{ip_address, non_special_ip};
use crate::validation::ports::port_number;
use crate::validation::FieldError;
use std::collections::BTreeSet;
use std::net::IpAddr;

/// The most endpoints one EndpointSlice may hold.
const MAX_ENDPOINTS: usize = 1000;
/// The most addresses one endpoint may list.
const MAX_ADDRESSES: usize = 100;
/// The most ports one EndpointSlice may list.
const MAX_PORTS: usize = 100;
/// `supportedPortProtocols`, as `sets.List` sorts it.
const PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];
/// The fields of an `ObjectReference` (`targetRef`): accepted, not modeled (the model ties an
/// address to a pod by its IP).
const OBJECT_REFERENCE_FIELDS: [&str; 7] =
    ["kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath"];

/// Decodes a `targetRef` (an `ObjectReference`), reporting unknown fields only.
fn read_target_ref(ctx: &mut Ctx, r: &mut MapReader) {
    if let Some(mut target) = r.map(&mut ctx.d, "targetRef") {
        target.ignore(&OBJECT_REFERENCE_FIELDS);
        target.finish(&mut ctx.d);
    }
}

/// One address of an Endpoints subset as written.
struct AddressIn {
    path: FieldPath,
    ip: String,
    hostname: String,
    node_name: Option<String>,
}

/// One port of an Endpoints subset, with the protocol defaulted.
struct PortIn {
    path: FieldPath,
    name: String,
    port: i32,
    protocol: String,
    app_protocol: Option<String>,
}

/// One `subsets[]` entry as written.
struct SubsetIn {
    path: FieldPath,
    addresses: Vec<AddressIn>,
    not_ready: Vec<AddressIn>,
    ports: Vec<PortIn>,
}

fn read_address(ctx: &mut Ctx, item: &Item) -> Option<AddressIn> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    let ip = r.str(&mut ctx.d, "ip").map(|s| s.value).unwrap_or_default();
    let hostname = r.str(&mut ctx.d, "hostname").map(|s| s.value).unwrap_or_default();
    let node_name = r.str(&mut ctx.d, "nodeName").map(|s| s.value);
    read_target_ref(ctx, &mut r);
    r.finish(&mut ctx.d);
    Some(AddressIn { path, ip, hostname, node_name })
}

fn read_endpoints_port(ctx: &mut Ctx, item: &Item) -> Option<PortIn> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    let name = r.str(&mut ctx.d, "name").map(|s| s.value).unwrap_or_default();
    let port = r.int32(&mut ctx.d, "port").map_or(0, |p| p.value);
    // SetDefaults_EndpointPort: an empty protocol is TCP.
    let protocol = r.str(&mut ctx.d, "protocol").map(|s| s.value).filter(|p| !p.is_empty());
    let app_protocol = r.str(&mut ctx.d, "appProtocol").map(|s| s.value);
    r.finish(&mut ctx.d);
    let protocol = protocol.unwrap_or_else(|| Protocol::TCP.as_str().to_string());
    Some(PortIn { path, name, port, protocol, app_protocol })
}

fn read_subset(ctx: &mut Ctx, item: &Item) -> Option<SubsetIn> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    let addresses = r.seq(&mut ctx.d, "addresses").unwrap_or_default();
    let not_ready = r.seq(&mut ctx.d, "notReadyAddresses").unwrap_or_default();
    let ports = r.seq(&mut ctx.d, "ports").unwrap_or_default();
    r.finish(&mut ctx.d);
    Some(SubsetIn {
        path,
        addresses: addresses.iter().filter_map(|a| read_address(ctx, a)).collect(),
        not_ready: not_ready.iter().filter_map(|a| read_address(ctx, a)).collect(),
        ports: ports.iter().filter_map(|p| read_endpoints_port(ctx, p)).collect(),
    })
}

/// An Endpoints object (`v1`). Its name ties it to the Service of the same name.
pub fn load_endpoints(ctx: &mut Ctx, mut top: MapReader, meta: ObjectMeta) -> Option<Endpoints> {
    let subsets = top.seq(&mut ctx.d, "subsets").unwrap_or_default();
    top.finish(&mut ctx.d);
    let subsets: Vec<SubsetIn> = subsets.iter().filter_map(|s| read_subset(ctx, s)).collect();
    let root = FieldPath::root();
    let mut checks = Checks::new(ctx);
    checks.warn(
        &root.field("kind"),
        &root,
        "v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice",
    );
    if !decoded_cleanly(checks.ctx) {
        return None;
    }
    let subsets: Vec<Option<(Vec<EndpointAddress>, Vec<EndpointPort>)>> =
        subsets.iter().map(|s| check_subset(&mut checks, s)).collect();
    let subsets: Option<Vec<_>> = subsets.into_iter().collect();
    Some(Endpoints { meta, subsets: subsets? }).filter(|_| !checks.failed())
}

/// `validateEndpointSubsets` for one subset.
fn check_subset(c: &mut Checks, subset: &SubsetIn) -> Option<(Vec<EndpointAddress>, Vec<EndpointPort>)> {
    if subset.addresses.is_empty() && subset.not_ready.is_empty() {
        c.fail(&subset.path, FieldError::required("must specify `addresses` or `notReadyAddresses`"));
    }
    let listed = subset.addresses.iter().map(|a| (a, true)).chain(subset.not_ready.iter().map(|a| (a, false)));
    let addresses: Vec<Option<EndpointAddress>> = listed.map(|(a, ready)| check_address(c, a, ready)).collect();
    let ports: Vec<Option<EndpointPort>> =
        subset.ports.iter().map(|p| check_endpoints_port(c, p, subset.ports.len() > 1)).collect();
    let addresses: Option<Vec<EndpointAddress>> = addresses.into_iter().collect();
    let ports: Option<Vec<EndpointPort>> = ports.into_iter().collect();
    Some((addresses?, ports?))
}

/// `validateEndpointAddress`; `ready` says whether it is listed under `addresses`.
fn check_address(c: &mut Checks, address: &AddressIn, ready: bool) -> Option<EndpointAddress> {
    let ip_path = address.path.field("ip");
    let ip = match ip_address(&address.ip) {
        Ok(ip) => Some(ip),
        Err(details) => {
            c.invalid_details(&ip_path, &address.ip, details);
            None
        }
    };
    if !address.hostname.is_empty() {
        c.invalid_details(&address.path.field("hostname"), &address.hostname, dns1123_label(&address.hostname));
    }
    if let Some(node) = &address.node_name {
        c.invalid_details(&address.path.field("nodeName"), node, dns1123_subdomain(node));
    }
    let ip = ip?;
    let special = non_special_ip(ip, &address.ip);
    let usable = special.is_empty();
    c.invalid_details(&ip_path, &address.ip, special);
    usable.then(|| EndpointAddress {
        ip,
        ready,
        serving: ready,
        terminating: false,
        hostname: Some(address.hostname.clone()).filter(|h| !h.is_empty()),
        node_name: address.node_name.clone(),
    })
}

/// Checks an `appProtocol` (a qualified name, as label keys are) at `path`.
fn check_app_protocol(c: &mut Checks, path: &FieldPath, app_protocol: Option<&String>) {
    if let Some(value) = app_protocol {
        c.invalid_details(path, value, qualified_name(value));
    }
}

/// Checks a protocol after defaulting, with the supported values sorted.
fn check_protocol(c: &mut Checks, path: &FieldPath, protocol: &str) -> Option<Protocol> {
    let parsed = Protocol::parse(protocol);
    if parsed.is_none() {
        c.fail(path, FieldError::not_supported(protocol, &PROTOCOLS));
    }
    parsed
}

/// `validateEndpointPort`; a name is required when the subset has several ports.
fn check_endpoints_port(c: &mut Checks, port: &PortIn, name_required: bool) -> Option<EndpointPort> {
    let name_path = port.path.field("name");
    if name_required && port.name.is_empty() {
        c.fail(&name_path, FieldError::required(""));
    } else if !port.name.is_empty() {
        c.invalid_details(&name_path, &port.name, dns1123_label(&port.name));
    }
    for detail in port_number(i64::from(port.port)) {
        c.fail(&port.path.field("port"), FieldError::invalid(i64::from(port.port), detail));
    }
    let protocol = check_protocol(c, &port.path.field("protocol"), &port.protocol);
    check_app_protocol(c, &port.path.field("appProtocol"), port.app_protocol.as_ref());
    let number = u16::try_from(port.port).ok().filter(|n| *n != 0)?;
    Some(EndpointPort { name: Some(port.name.clone()).filter(|n| !n.is_empty()), port: number, protocol: protocol? })
}

/// `endpoints[]` of a slice as written.
struct SliceEndpointIn {
    path: FieldPath,
    addresses: Vec<String>,
    ready: Option<bool>,
    serving: Option<bool>,
    terminating: Option<bool>,
    hostname: Option<String>,
    node_name: Option<String>,
}

/// `ports[]` of a slice, with the name and protocol defaulted.
struct SlicePortIn {
    path: FieldPath,
    name: String,
    port: Option<i32>,
    protocol: String,
    app_protocol: Option<String>,
}

/// A slice as written.
struct SliceIn {
    address_type: String,
    endpoints: Vec<SliceEndpointIn>,
    ports: Vec<SlicePortIn>,
}

fn read_slice_endpoint(ctx: &mut Ctx, item: &Item) -> Option<SliceEndpointIn> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    let addresses = r.seq(&mut ctx.d, "addresses").unwrap_or_default();
    let (mut ready, mut serving, mut terminating) = (None, None, None);
    if let Some(mut conditions) = r.map(&mut ctx.d, "conditions") {
        ready = conditions.bool(&mut ctx.d, "ready").map(|b| b.value);
        serving = conditions.bool(&mut ctx.d, "serving").map(|b| b.value);
        terminating = conditions.bool(&mut ctx.d, "terminating").map(|b| b.value);
        conditions.finish(&mut ctx.d);
    }
    let hostname = r.str(&mut ctx.d, "hostname").map(|s| s.value);
    let node_name = r.str(&mut ctx.d, "nodeName").map(|s| s.value);
    read_target_ref(ctx, &mut r);
    // The zone and topology hints are for topology-aware routing, which is not modeled;
    // deprecatedTopology is dropped by the API server for v1 requests.
    r.ignore(&["zone", "hints", "deprecatedTopology"]);
    r.finish(&mut ctx.d);
    let addresses = addresses.iter().filter_map(|a| ctx.d.str(a).map(|s| s.value)).collect();
    Some(SliceEndpointIn { path, addresses, ready, serving, terminating, hostname, node_name })
}

fn read_slice_port(ctx: &mut Ctx, item: &Item) -> Option<SlicePortIn> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    // SetDefaults_EndpointPort (discovery/v1): a missing name is "", a missing protocol TCP.
    let name = r.str(&mut ctx.d, "name").map(|s| s.value).unwrap_or_default();
    let port = r.int32(&mut ctx.d, "port").map(|p| p.value);
    let protocol = r.str(&mut ctx.d, "protocol").map_or_else(|| Protocol::TCP.as_str().to_string(), |s| s.value);
    let app_protocol = r.str(&mut ctx.d, "appProtocol").map(|s| s.value);
    r.finish(&mut ctx.d);
    Some(SlicePortIn { path, name, port, protocol, app_protocol })
}

/// An EndpointSlice (`discovery.k8s.io/v1`).
pub fn load_slice(ctx: &mut Ctx, mut top: MapReader, meta: ObjectMeta) -> Option<EndpointSlice> {
    let address_type = top.str(&mut ctx.d, "addressType").map(|s| s.value).unwrap_or_default();
    let endpoints = top.seq(&mut ctx.d, "endpoints").unwrap_or_default();
    let ports = top.seq(&mut ctx.d, "ports").unwrap_or_default();
    top.finish(&mut ctx.d);
    let slice = SliceIn {
        address_type,
        endpoints: endpoints.iter().filter_map(|e| read_slice_endpoint(ctx, e)).collect(),
        ports: ports.iter().filter_map(|p| read_slice_port(ctx, p)).collect(),
    };
    if !decoded_cleanly(ctx) {
        return None;
    }
    let mut checks = Checks::new(ctx);
    let slice = validate_slice(&mut checks, slice, meta);
    slice.filter(|_| !checks.failed())
}

/// `ValidateEndpointSlice`, then what kube-proxy makes of the slice.
fn validate_slice(c: &mut Checks, slice: SliceIn, meta: ObjectMeta) -> Option<EndpointSlice> {
    let root = FieldPath::root();
    let type_path = root.field("addressType");
    let address_type = if slice.address_type.is_empty() {
        c.fail(&type_path, FieldError::required(""));
        None
    } else {
        let found = AddressType::ALL.into_iter().find(|t| t.as_str() == slice.address_type);
        if found.is_none() {
            let supported = AddressType::ALL.map(AddressType::as_str);
            c.fail(&type_path, FieldError::not_supported(slice.address_type.as_str(), &supported));
        }
        found
    };

    let mut endpoints = Vec::new();
    if slice.endpoints.len() > MAX_ENDPOINTS {
        let error = FieldError::TooMany { actual: Some(slice.endpoints.len()), max: MAX_ENDPOINTS };
        c.fail(&root.field("endpoints"), error);
    } else {
        for endpoint in &slice.endpoints {
            endpoints.extend(check_slice_endpoint(c, endpoint, address_type));
        }
    }

    let mut ports = Vec::new();
    if slice.ports.len() > MAX_PORTS {
        c.fail(&root.field("ports"), FieldError::TooMany { actual: Some(slice.ports.len()), max: MAX_PORTS });
    } else {
        let mut names = BTreeSet::new();
        for port in &slice.ports {
            ports.extend(check_slice_port(c, port, &mut names));
        }
    }
    let address_type = address_type?;
    if c.failed() {
        return None;
    }

    // What kube-proxy does with a valid slice.
    if address_type != AddressType::IPv4 {
        let message = format!(
            "kubeplay models an IPv4 single-stack cluster: kube-proxy does not use {} EndpointSlices, so these endpoints get no traffic",
            address_type.as_str()
        );
        c.warn(&type_path, &type_path, message);
    }
    for endpoint in slice.endpoints.iter().filter(|e| e.addresses.len() > 1 && address_type == AddressType::IPv4) {
        let second = endpoint.path.field("addresses").index(1);
        c.warn(
            &second,
            &second,
            "kube-proxy uses only the first address of an endpoint; list each address as an endpoint of its own",
        );
    }
    for port in &slice.ports {
        match port.port {
            None => c.warn(&port.path, &port.path, "a port without a number means \"all ports\", which kube-proxy does not implement: it ignores this port"),
            Some(n) if !(1..=65535).contains(&n) => {
                let at = port.path.field("port");
                c.warn(&at, &at, format!("{n} is not a port number (1-65535), so kube-proxy ignores this port"));
            }
            Some(_) => {}
        }
    }
    if meta.labels.get(SERVICE_NAME_LABEL).is_none_or(|s| s.is_empty()) {
        let labels = root.field("metadata").field("labels");
        let message = format!(
            "this EndpointSlice has no {SERVICE_NAME_LABEL} label, so it belongs to no Service and kube-proxy ignores it; label it {SERVICE_NAME_LABEL}: <the Service's name>"
        );
        c.warn(&labels, &labels, message);
    }
    if address_type != AddressType::IPv4 {
        endpoints.clear();
    }
    Some(EndpointSlice { meta, address_type, endpoints, ports })
}

/// Checks one endpoint of a slice whose address type is `address_type` (unknown addresses go
/// unchecked, as upstream leaves them); returns the endpoint kube-proxy would use for an IPv4
/// slice: its first address, with the nil conditions read as the API documents them.
fn check_slice_endpoint(
    c: &mut Checks,
    endpoint: &SliceEndpointIn,
    address_type: Option<AddressType>,
) -> Option<EndpointAddress> {
    let addresses_path = endpoint.path.field("addresses");
    if endpoint.addresses.is_empty() {
        c.fail(&addresses_path, FieldError::required("must contain at least 1 address"));
    } else if endpoint.addresses.len() > MAX_ADDRESSES {
        c.fail(&addresses_path, FieldError::TooMany { actual: Some(endpoint.addresses.len()), max: MAX_ADDRESSES });
    }
    let mut first = None;
    for (i, text) in endpoint.addresses.iter().enumerate() {
        let at = addresses_path.index(i);
        let ip = match address_type {
            Some(AddressType::IPv4) => check_slice_ip(c, &at, text, AddressType::IPv4),
            Some(AddressType::IPv6) => check_slice_ip(c, &at, text, AddressType::IPv6),
            Some(AddressType::Fqdn) => {
                check_fqdn(c, &at, text);
                None
            }
            None => None,
        };
        if i == 0 {
            first = ip;
        }
    }
    if let Some(hostname) = &endpoint.hostname {
        c.invalid_details(&endpoint.path.field("hostname"), hostname, dns1123_label(hostname));
    }
    Some(EndpointAddress {
        ip: first?,
        ready: endpoint.ready.unwrap_or(true),
        serving: endpoint.serving.unwrap_or(true),
        terminating: endpoint.terminating.unwrap_or(false),
        hostname: endpoint.hostname.clone(),
        node_name: endpoint.node_name.clone(),
    })
}

/// Checks an address of an IPv4 or IPv6 slice: an address of that family (read strictly, as
/// KEP-4858 reads every IP field: no leading zeros, no IPv4-mapped IPv6 form), in the words of
/// `IsValidIPv4Address`/`IsValidIPv6Address`, then `ValidateNonSpecialIP`.
fn check_slice_ip(c: &mut Checks, path: &FieldPath, text: &str, family: AddressType) -> Option<IpAddr> {
    let ip = text.parse::<IpAddr>().ok().filter(|ip| match ip {
        IpAddr::V4(_) => family == AddressType::IPv4,
        IpAddr::V6(v6) => family == AddressType::IPv6 && v6.to_ipv4_mapped().is_none(),
    });
    let Some(ip) = ip else {
        c.fail(path, FieldError::invalid(text, format!("must be a valid {} address", family.as_str())));
        return None;
    };
    let special = non_special_ip(ip, text);
    let usable = special.is_empty();
    c.invalid_details(path, text, special);
    usable.then_some(ip)
}

/// Upstream's `IsFullyQualifiedDomainName`: a DNS-1123 subdomain of at least two labels, with an
/// optional trailing dot; the first rule broken is reported, echoing the name without the dot.
fn check_fqdn(c: &mut Checks, path: &FieldPath, text: &str) {
    if text.is_empty() {
        c.fail(path, FieldError::required(""));
        return;
    }
    let name = text.strip_suffix('.').unwrap_or(text);
    let details = dns1123_subdomain(name);
    if !details.is_empty() {
        c.fail(path, FieldError::invalid(name, details.join(",")));
    } else if !name.contains('.') {
        c.fail(path, FieldError::invalid(name, "should be a domain with at least two segments separated by dots"));
    } else if let Some((label, details)) =
        name.split('.').map(|label| (label, dns1123_label(label))).find(|(_, details)| !details.is_empty())
    {
        c.fail(path, FieldError::invalid(label, details.join(",")));
    }
}

/// Checks one port of a slice (names unique across the slice, `""` included); returns the port
/// kube-proxy would use: one with a port number.
fn check_slice_port(c: &mut Checks, port: &SlicePortIn, names: &mut BTreeSet<String>) -> Option<EndpointPort> {
    let name_path = port.path.field("name");
    if !port.name.is_empty() {
        c.invalid_details(&name_path, &port.name, dns1123_label(&port.name));
    }
    if !names.insert(port.name.clone()) {
        c.fail(&name_path, FieldError::Duplicate { value: port.name.as_str().into() });
    }
    let protocol = check_protocol(c, &port.path.field("protocol"), &port.protocol);
    check_app_protocol(c, &port.path.field("appProtocol"), port.app_protocol.as_ref());
    let number = port.port.and_then(|n| u16::try_from(n).ok()).filter(|n| *n != 0)?;
    Some(EndpointPort { name: Some(port.name.clone()).filter(|n| !n.is_empty()), port: number, protocol: protocol? })
}

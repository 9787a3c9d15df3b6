//! The kubernetes plugin's view of the cluster: every Service, endpoint, namespace and pod
//! address by key, built once per cluster so that a question costs a few map look-ups.
//!
//! What a name means follows the Kubernetes DNS-Based Service Discovery specification
//! (kubernetes/dns `docs/specification.md`) as CoreDNS's kubernetes plugin implements it
//! (`plugin/kubernetes/parse.go`, `kubernetes.go` `Records`, `findServices`, `findPods`,
//! `reverse.go`):
//! - `<service>.<ns>.svc.<zone>`: the ClusterIP (spec 2.3.1); for a headless Service every
//!   _ready_ endpoint (2.4.1: not-ready ones only when `publishNotReadyAddresses` made the
//!   EndpointSlice controller mark them ready), NXDOMAIN when there is none; for an
//!   ExternalName Service a CNAME to the external name (2.5).
//! - `<hostname>.<service>.<ns>.svc.<zone>`: one endpoint (2.4.1), whose _hostname_ is the
//!   endpoint's `hostname` (a pod's `hostname` when its `subdomain` names the Service: every
//!   StatefulSet pod of its governing Service) or else its address with dashes, CoreDNS's
//!   "system-assigned identifier". CoreDNS answers these for any Service with endpoints.
//! - `_<port>._<proto>.<service>.<ns>.svc.<zone>`: the named port (2.3.2, 2.4.2).
//! - `<a>-<b>-<c>-<d>.<ns>.pod.<zone>`: the address itself (2.6, `pods insecure`), only in a
//!   namespace that exists; with `pods verified` only a pod's own address; `pods disabled`:
//!   NXDOMAIN.
//! - `<zone>`, `svc.<zone>`, `pod.<zone>` and `<ns>.svc.<zone>` of an existing namespace exist
//!   without records (NODATA); everything else under the zone is NXDOMAIN, including names
//!   with more labels than the forms above.
//! - Reverse names: a Service's ClusterIP points at the Service (2.3.3), else each endpoint
//!   with that address at `<hostname>.<service>.<ns>.svc.<zone>` (2.4.3; CoreDNS does this for
//!   the endpoints of every Service, not only headless ones).

use super::name::Name;
use crate::api::endpoints::AddressType;
use crate::api::service::ServiceType;
use crate::cluster::Cluster;
use std::collections::{BTreeMap, BTreeSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// How the kubernetes plugin answers `<ip>.<ns>.pod.<zone>` (its `pods` option).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PodMode {
    /// No pod records (the plugin's default when `pods` is not written).
    #[default]
    Disabled,
    /// Any address-shaped name in an existing namespace (what kubeadm configures).
    Insecure,
    /// Only the address of a pod in that namespace.
    Verified,
}

/// A port as the plugin matches `_<port>._<proto>` against it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct PortEntry {
    /// `""` for an unnamed port.
    name: String,
    /// Lower case: `tcp`, `udp`, `sctp`.
    protocol: String,
    port: u16,
}

impl PortEntry {
    /// `matchPortAndProtocol`: an empty query part is a wildcard.
    fn matches(&self, port: &str, protocol: &str) -> bool {
        (port.is_empty() || port == self.name) && (protocol.is_empty() || protocol == self.protocol)
    }
}

/// A ready endpoint of a Service as CoreDNS sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
struct EndpointEntry {
    /// The endpoint's _hostname_: its `hostname`, or its address with dashes.
    hostname: String,
    ip: Ipv4Addr,
    /// The ports of its EndpointSlice; empty when the slice has none (a portless headless
    /// Service), which still gives A records but no SRV.
    ports: Vec<PortEntry>,
}

/// What a Service contributes to DNS.
#[derive(Debug, Clone, PartialEq, Eq)]
enum ServiceKind {
    ClusterIp(Ipv4Addr),
    Headless,
    ExternalName(String),
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct ServiceEntry {
    kind: ServiceKind,
    ports: Vec<PortEntry>,
    endpoints: Vec<EndpointEntry>,
}

/// One thing the plugin found for a name: an address (with the port an SRV record would carry
/// and the name it would point at) or an alias to follow.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    Address { ip: Ipv4Addr, port: Option<u16>, target: Name },
    Alias(Name),
}

/// What the plugin found for a name: nothing at all (NXDOMAIN), or a possibly empty list of
/// items (empty: the name exists without records, NODATA).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Found {
    NxDomain,
    Items(Vec<Item>),
}

/// The cluster as the kubernetes plugin indexes it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClusterIndex {
    namespaces: BTreeSet<String>,
    /// By `<service>.<ns>`.
    services: BTreeMap<String, ServiceEntry>,
    /// ClusterIP → `<service>.<ns>`.
    service_ips: BTreeMap<Ipv4Addr, String>,
    /// Endpoint address → `<hostname>.<service>.<ns>` of every endpoint with it.
    endpoint_ips: BTreeMap<Ipv4Addr, Vec<String>>,
    /// `(<ns>, address)` of every running pod, for `pods verified`.
    pod_ips: BTreeSet<(String, Ipv4Addr)>,
}

fn dashed(ip: Ipv4Addr) -> String {
    ip.to_string().replace('.', "-")
}

fn v4(ip: Option<IpAddr>) -> Option<Ipv4Addr> {
    match ip {
        Some(IpAddr::V4(ip)) => Some(ip),
        _ => None,
    }
}

impl ClusterIndex {
    /// Indexes `cluster`'s namespaces, Services, EndpointSlices and pods.
    pub fn build(cluster: &Cluster) -> ClusterIndex {
        let mut index = ClusterIndex {
            namespaces: cluster.namespaces.iter().map(|n| n.name.clone()).collect(),
            ..ClusterIndex::default()
        };
        for s in &cluster.services {
            let meta = &s.service.meta;
            let key = format!("{}.{}", meta.name, meta.namespace);
            let spec = &s.service.spec;
            let kind = match (spec.type_, v4(s.cluster_ip)) {
                (ServiceType::ExternalName, _) => {
                    ServiceKind::ExternalName(spec.external_name.clone().unwrap_or_default())
                }
                (_, Some(ip)) => ServiceKind::ClusterIp(ip),
                (_, None) => ServiceKind::Headless,
            };
            if let ServiceKind::ClusterIp(ip) = kind {
                index.service_ips.entry(ip).or_insert_with(|| key.clone());
            }
            let ports = spec
                .ports
                .iter()
                .map(|p| PortEntry {
                    name: p.name.clone().unwrap_or_default(),
                    protocol: p.protocol.as_str().to_ascii_lowercase(),
                    port: p.port,
                })
                .collect();
            let mut endpoints = Vec::new();
            for slice in s.slices.iter().map(|i| &cluster.endpoint_slices[*i]) {
                if slice.address_type != AddressType::IPv4 {
                    continue;
                }
                let slice_ports: Vec<PortEntry> = slice
                    .ports
                    .iter()
                    .map(|p| PortEntry {
                        name: p.name.clone().unwrap_or_default(),
                        protocol: p.protocol.as_str().to_ascii_lowercase(),
                        port: p.port,
                    })
                    .collect();
                for e in slice.endpoints.iter().filter(|e| e.ready) {
                    let Some(ip) = v4(Some(e.ip)) else { continue };
                    let hostname = e.hostname.clone().unwrap_or_else(|| dashed(ip));
                    index.endpoint_ips.entry(ip).or_default().push(format!("{hostname}.{key}"));
                    endpoints.push(EndpointEntry { hostname, ip, ports: slice_ports.clone() });
                }
            }
            index.services.insert(key, ServiceEntry { kind, ports, endpoints });
        }
        for p in &cluster.pods {
            if let Some(ip) = v4(p.ip) {
                index.pod_ips.insert((p.pod.meta.namespace.clone(), ip));
            }
        }
        index
    }

    /// What the plugin finds for `base`, a name's labels in front of the plugin zone `zone`
    /// (`parseRequest`, then `findPods` or `findServices`).
    pub(crate) fn find(&self, base: &str, zone: &Name, pods: PodMode) -> Found {
        if base.is_empty() || base == "svc" || base == "pod" {
            return Found::Items(Vec::new());
        }
        let segs: Vec<&str> = base.split('.').collect();
        let (kind, rest) = segs.split_last().unwrap_or((&"", &[]));
        if *kind != "svc" && *kind != "pod" {
            return Found::NxDomain;
        }
        let Some((namespace, rest)) = rest.split_last() else { return Found::Items(Vec::new()) };
        if !self.namespaces.contains(*namespace) {
            return Found::NxDomain;
        }
        let Some((service, rest)) = rest.split_last() else { return Found::Items(Vec::new()) };
        let (endpoint, port, protocol) = match rest {
            [] => ("", "", ""),
            [endpoint] => (*endpoint, "", ""),
            [port, protocol] => {
                ("", port.strip_prefix('_').unwrap_or(port), protocol.strip_prefix('_').unwrap_or(protocol))
            }
            _ => return Found::NxDomain,
        };
        if *kind == "pod" {
            return self.find_pod(service, namespace, zone, pods);
        }
        self.find_service(service, namespace, endpoint, port, protocol, zone)
    }

    fn find_pod(&self, podname: &str, namespace: &str, zone: &Name, mode: PodMode) -> Found {
        if mode == PodMode::Disabled {
            return Found::NxDomain;
        }
        let target = Name::absolute(format!("{podname}.{namespace}.pod.{}", zone.as_str()));
        if podname.matches('-').count() == 3 && !podname.contains("--") {
            let Ok(ip) = podname.replace('-', ".").parse::<Ipv4Addr>() else { return Found::NxDomain };
            if mode == PodMode::Verified && !self.pod_ips.contains(&(namespace.to_string(), ip)) {
                return Found::NxDomain;
            }
            return Found::Items(vec![Item::Address { ip, port: None, target }]);
        }
        // An IPv6 address with dashes exists, but this IPv4 model has no address to give.
        match podname.replace('-', ":").parse::<Ipv6Addr>() {
            Ok(_) if mode == PodMode::Insecure => Found::Items(Vec::new()),
            _ => Found::NxDomain,
        }
    }

    fn find_service(
        &self,
        service: &str,
        namespace: &str,
        endpoint: &str,
        port: &str,
        protocol: &str,
        zone: &Name,
    ) -> Found {
        let key = format!("{service}.{namespace}");
        let Some(entry) = self.services.get(&key) else { return Found::NxDomain };
        let service_name = || Name::absolute(format!("{key}.svc.{}", zone.as_str()));
        let mut items = Vec::new();
        match &entry.kind {
            ServiceKind::ExternalName(external) => {
                // External services have no endpoints; an address where a name should be is
                // not followed (`HostType` is not CNAME).
                if endpoint.is_empty() && external.parse::<IpAddr>().is_err() {
                    if let Ok(target) = Name::parse(external) {
                        items.push(Item::Alias(target.to_fqdn()));
                    }
                }
            }
            ServiceKind::ClusterIp(ip) if endpoint.is_empty() => {
                for p in entry.ports.iter().filter(|p| p.matches(port, protocol)) {
                    items.push(Item::Address { ip: *ip, port: Some(p.port), target: service_name() });
                }
            }
            // A headless Service, or one endpoint of any Service.
            _ => {
                for e in entry.endpoints.iter().filter(|e| endpoint.is_empty() || e.hostname == endpoint) {
                    let target = Name::absolute(format!("{}.{key}.svc.{}", e.hostname, zone.as_str()));
                    if e.ports.is_empty() {
                        if port.is_empty() && protocol.is_empty() {
                            items.push(Item::Address { ip: e.ip, port: None, target });
                        }
                        continue;
                    }
                    for p in e.ports.iter().filter(|p| p.matches(port, protocol)) {
                        items.push(Item::Address { ip: e.ip, port: Some(p.port), target: target.clone() });
                    }
                }
            }
        }
        if items.is_empty() {
            Found::NxDomain
        } else {
            Found::Items(items)
        }
    }

    /// The names a reverse question about `ip` answers with (`serviceRecordForIP`): the
    /// Service whose ClusterIP it is, else every endpoint with that address; `zone` is the
    /// plugin's first forward zone.
    pub(crate) fn reverse(&self, ip: Ipv4Addr, zone: &Name) -> Vec<Name> {
        if let Some(key) = self.service_ips.get(&ip) {
            return vec![Name::absolute(format!("{key}.svc.{}", zone.as_str()))];
        }
        self.endpoint_ips
            .get(&ip)
            .map(|names| names.iter().map(|n| Name::absolute(format!("{n}.svc.{}", zone.as_str()))).collect())
            .unwrap_or_default()
    }
}

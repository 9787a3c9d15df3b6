//! Service allocations: ClusterIPs, nodePorts, health-check nodePorts and LoadBalancer addresses.
//!
//! Rules (Kubernetes' Service IP and node-port allocators, and the Service registry's
//! `pkg/registry/core/service/storage/alloc.go`): the service CIDR's first address
//! belongs to the `kubernetes` Service and the network and broadcast addresses are never
//! handed out. A requested `clusterIP` must lie in the service CIDR and be free, or the
//! Service is rejected (`provided IP is already allocated`); automatic addresses come from the
//! upper part of the range, leaving the lower "static band" (1/16 of the range, at least 16 and
//! at most 256 addresses) to addresses people pick by hand, like kube-dns' `.10`. NodePorts
//! work alike within 30000-32767 (static band: 1/32 of the range, 16 to 128 ports). There is
//! one node-port range for every protocol: a nodePort taken by one Service is taken whatever
//! the protocol, but within one Service the ports that share a `port` number (53/TCP and
//! 53/UDP) share one nodePort (`initNodePorts`). A LoadBalancer Service with
//! `externalTrafficPolicy: Local` also gets a `healthCheckNodePort` from the same range, the
//! requested one if free (`allocHealthCheckNodePort`). Where Kubernetes picks at random, the
//! model picks by a hash of the Service's name and probes forward, so results are
//! deterministic and stable across unrelated edits. LoadBalancer addresses come from the
//! provider's pool in order; without a provider the Service stays `<pending>`.
//!
//! Every allocation a Service holds is remembered and kept at the next apply while the
//! Service still wants it and it still fits the spec; explicit requests come next, then
//! automatic allocations, so nothing new takes a remembered value.

use super::memory::Memory;
use super::naming::fnv1a32;
use crate::api::cluster_config::{ClusterConfig, LoadBalancerProvider};
use crate::api::service::{ClusterIpSpec, Service, ServiceType, TrafficPolicy};
use crate::cluster::LoadBalancerStatus;
use ipnet::Ipv4Net;
use std::collections::BTreeSet;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

/// The node-port range of a default API server (`--service-node-port-range`).
pub const NODE_PORT_RANGE: (u16, u16) = (30000, 32767);

/// A rejected allocation: the field it concerns and the API server's message for it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AllocationError {
    pub field: String,
    pub message: String,
}

/// The size of the static band of a range of `size` values: `size / divisor` clamped.
fn static_band(size: u64, divisor: u64, min: u64, max: u64) -> u64 {
    (size / divisor).clamp(min, max)
}

/// Hands out ClusterIPs within one service CIDR.
#[derive(Debug)]
pub struct ClusterIpAllocator {
    cidr: Ipv4Net,
    used: BTreeSet<Ipv4Addr>,
}

impl ClusterIpAllocator {
    /// An allocator over `cidr` with nothing allocated.
    pub fn new(cidr: Ipv4Net) -> Self {
        ClusterIpAllocator { cidr, used: BTreeSet::new() }
    }

    /// The address at `offset` from the start of the range (`1` is the `kubernetes` Service's).
    pub fn nth(&self, offset: u32) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.cidr.network()).wrapping_add(offset))
    }

    fn allocatable(&self, ip: Ipv4Addr) -> bool {
        self.cidr.contains(&ip) && ip != self.cidr.network() && ip != self.cidr.broadcast()
    }

    /// Takes `ip` as requested in `spec.clusterIP`.
    pub fn request(&mut self, ip: IpAddr) -> Result<IpAddr, AllocationError> {
        // Since 1.34 the API server prints a list value as JSON.
        let field = "spec.clusterIPs".to_string();
        let shown = format!("[\"{ip}\"]");
        match ip {
            IpAddr::V4(v4) if self.allocatable(v4) => {
                if self.used.insert(v4) {
                    Ok(ip)
                } else {
                    Err(AllocationError {
                        field,
                        message: format!(
                            "Invalid value: {shown}: failed to allocate IP {ip}: provided IP is already allocated"
                        ),
                    })
                }
            }
            _ => Err(AllocationError {
                field,
                // The registry's MetaAllocator (default since 1.33) refuses an address outside
                // every service CIDR with ErrMismatchedNetwork.
                message: format!(
                    "Invalid value: {shown}: failed to allocate IP {ip}: the provided network does not match the current range"
                ),
            }),
        }
    }

    /// Keeps `ip` if it is still valid and free (an allocation remembered from before).
    pub fn keep(&mut self, ip: IpAddr) -> bool {
        matches!(ip, IpAddr::V4(v4) if self.allocatable(v4) && self.used.insert(v4))
    }

    /// Allocates an address for the Service `key` from the dynamic band.
    pub fn allocate(&mut self, key: &str) -> Result<IpAddr, AllocationError> {
        let size = 1u64 << (32 - u32::from(self.cidr.prefix_len()));
        let usable = size.saturating_sub(2);
        let band = static_band(usable, 16, 16, 256).min(usable);
        let start = fnv1a32(key.as_bytes()) as u64;
        // Dynamic band first, then the static band, as the allocator falls back when full.
        let dynamic = (band..usable).map(|i| band + (start + i) % (usable - band).max(1));
        let fallback = 0..band;
        for offset in dynamic.chain(fallback) {
            let ip = self.nth(offset as u32 + 1);
            if self.allocatable(ip) && self.used.insert(ip) {
                return Ok(IpAddr::V4(ip));
            }
        }
        Err(AllocationError {
            field: "spec.clusterIPs".into(),
            message: "Internal error occurred: failed to allocate a serviceIP: range is full".into(),
        })
    }
}

/// Why a requested node port cannot be had (the port allocator's errors).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PortError {
    OutOfRange,
    Allocated,
}

impl fmt::Display for PortError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (lo, hi) = NODE_PORT_RANGE;
        match self {
            PortError::OutOfRange => {
                write!(f, "provided port is not in the valid range. The range of valid ports is {lo}-{hi}")
            }
            PortError::Allocated => f.write_str("provided port is already allocated"),
        }
    }
}

/// Hands out nodePorts within [`NODE_PORT_RANGE`], one range for every protocol.
#[derive(Debug, Default)]
pub struct NodePortAllocator {
    used: BTreeSet<u16>,
}

impl NodePortAllocator {
    /// Takes `port` as requested.
    pub fn request(&mut self, port: u16) -> Result<u16, PortError> {
        let (lo, hi) = NODE_PORT_RANGE;
        if !(lo..=hi).contains(&port) {
            return Err(PortError::OutOfRange);
        }
        if !self.used.insert(port) {
            return Err(PortError::Allocated);
        }
        Ok(port)
    }

    /// Keeps `port` if it is still free (an allocation remembered from before).
    pub fn keep(&mut self, port: u16) -> bool {
        self.request(port).is_ok()
    }

    /// Allocates a port for `seed` from the dynamic band, then the static band; `None` when the
    /// range is full.
    pub fn allocate(&mut self, seed: &str) -> Option<u16> {
        let (lo, hi) = NODE_PORT_RANGE;
        let size = u64::from(hi - lo) + 1;
        let band = static_band(size, 32, 16, 128);
        let start = fnv1a32(seed.as_bytes()) as u64;
        let dynamic = (0..size - band).map(|i| band + (start + i) % (size - band));
        dynamic.chain(0..band).map(|offset| lo + offset as u16).find(|port| self.used.insert(*port))
    }
}

/// Hands out LoadBalancer addresses from the provider's pool, first free first.
#[derive(Debug)]
pub struct LoadBalancerAllocator {
    pool: Option<(u32, u32)>,
    used: BTreeSet<u32>,
}

impl LoadBalancerAllocator {
    /// An allocator for `provider`.
    pub fn new(provider: &LoadBalancerProvider) -> Self {
        let pool = match provider {
            LoadBalancerProvider::None => None,
            LoadBalancerProvider::Pool { first, last } => Some((u32::from(*first), u32::from(*last))),
        };
        LoadBalancerAllocator { pool, used: BTreeSet::new() }
    }

    /// Keeps (or takes, for `spec.loadBalancerIP`) `ip` if it is in the pool and free.
    pub fn keep(&mut self, ip: IpAddr) -> bool {
        match (ip, self.pool) {
            (IpAddr::V4(v4), Some((first, last))) => {
                let n = u32::from(v4);
                (first..=last).contains(&n) && self.used.insert(n)
            }
            _ => false,
        }
    }

    /// The next free address, or `None` when there is no provider or the pool is exhausted
    /// (the Service then stays `<pending>`).
    pub fn allocate(&mut self) -> Option<IpAddr> {
        let (first, last) = self.pool?;
        let n = (first..=last).find(|n| !self.used.contains(n))?;
        self.used.insert(n);
        Some(IpAddr::V4(Ipv4Addr::from(n)))
    }
}

/// What a Service holds once allocated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Allocation {
    pub cluster_ip: Option<IpAddr>,
    /// The nodePort of each `spec.ports` entry (same order).
    pub node_ports: Vec<Option<u16>>,
    pub health_check_node_port: Option<u16>,
    pub load_balancer: LoadBalancerStatus,
}

/// Whether a port of `service` gets a nodePort: always for NodePort; for LoadBalancer unless
/// `allocateLoadBalancerNodePorts: false` (then only if one is requested).
fn needs_node_port(service: &Service, requested: Option<u16>) -> bool {
    match service.spec.type_ {
        ServiceType::NodePort => true,
        ServiceType::LoadBalancer => service.spec.allocate_load_balancer_node_ports || requested.is_some(),
        _ => false,
    }
}

/// `NeedsHealthCheck`: a LoadBalancer Service with `externalTrafficPolicy: Local`.
pub fn needs_health_check(service: &Service) -> bool {
    service.spec.type_ == ServiceType::LoadBalancer && service.spec.external_traffic_policy == TrafficPolicy::Local
}

fn wants_cluster_ip(s: &Service) -> bool {
    s.spec.type_ != ServiceType::ExternalName && s.spec.cluster_ip != ClusterIpSpec::Headless
}

fn key(s: &Service) -> String {
    format!("{}/{}", s.meta.namespace, s.meta.name)
}

/// The nodePort another port of the same Service with the same `port` number already holds.
fn shared_node_port(s: &Service, node_ports: &[Option<u16>], j: usize) -> Option<u16> {
    let number = s.spec.ports[j].port;
    s.spec
        .ports
        .iter()
        .zip(node_ports)
        .enumerate()
        .find_map(|(k, (p, np))| (k != j && p.port == number).then_some(*np).flatten())
}

/// Allocates for every Service of `services` (in order: values remembered in `previous` first,
/// then explicit requests, then automatic ones) and remembers the result in `next`. A Service
/// whose request cannot be met is refused: its entry is the error.
pub fn allocate(
    services: &[&Service],
    config: &ClusterConfig,
    previous: &Memory,
    next: &mut Memory,
) -> Vec<Result<Allocation, AllocationError>> {
    let mut ips = ClusterIpAllocator::new(config.service_subnet);
    let mut ports = NodePortAllocator::default();
    let mut lbs = LoadBalancerAllocator::new(&config.load_balancer);
    let n = services.len();
    let mut cluster_ips: Vec<Option<IpAddr>> = vec![None; n];
    let mut node_ports: Vec<Vec<Option<u16>>> = services.iter().map(|s| vec![None; s.spec.ports.len()]).collect();
    let mut health: Vec<Option<u16>> = vec![None; n];
    let mut balancers: Vec<Option<IpAddr>> = vec![None; n];

    // Pass 1: keep what each Service had, when it still fits its spec.
    for (i, s) in services.iter().enumerate() {
        let k = key(s);
        if let Some(had) = previous.cluster_ips.get(&k).copied() {
            let fits = match s.spec.cluster_ip {
                ClusterIpSpec::Auto => true,
                ClusterIpSpec::Fixed(ip) => ip == had,
                ClusterIpSpec::Headless => false,
            };
            if wants_cluster_ip(s) && fits && ips.keep(had) {
                cluster_ips[i] = Some(had);
            }
        }
        for (j, sp) in s.spec.ports.iter().enumerate() {
            let Some(had) = previous.node_ports.get(&(k.clone(), sp.port, sp.protocol.to_string())).copied() else {
                continue;
            };
            if !needs_node_port(s, sp.node_port) || sp.node_port.is_some_and(|want| want != had) {
                continue;
            }
            if shared_node_port(s, &node_ports[i], j) == Some(had) || ports.keep(had) {
                node_ports[i][j] = Some(had);
            }
        }
        if let Some(had) = previous.health_check_node_ports.get(&k).copied() {
            let fits = s.spec.health_check_node_port.is_none_or(|want| want == had);
            if needs_health_check(s) && fits && ports.keep(had) {
                health[i] = Some(had);
            }
        }
        if let Some(had) = previous.load_balancer_ips.get(&k).copied() {
            let fits = s.spec.load_balancer_ip.is_none_or(|want| want == had);
            if s.spec.type_ == ServiceType::LoadBalancer && fits && lbs.keep(had) {
                balancers[i] = Some(had);
            }
        }
    }

    // Pass 2: explicit requests.
    let mut out: Vec<Result<(), AllocationError>> = vec![Ok(()); n];
    for (i, s) in services.iter().enumerate() {
        let mut fail = |err: AllocationError| {
            if out[i].is_ok() {
                out[i] = Err(err);
            }
        };
        if let (None, true, ClusterIpSpec::Fixed(ip)) = (cluster_ips[i], wants_cluster_ip(s), s.spec.cluster_ip) {
            match ips.request(ip) {
                Ok(ip) => cluster_ips[i] = Some(ip),
                Err(e) => fail(e),
            }
        }
        for (j, sp) in s.spec.ports.iter().enumerate() {
            let (None, Some(want)) = (node_ports[i][j], sp.node_port) else { continue };
            if shared_node_port(s, &node_ports[i], j) == Some(want) {
                node_ports[i][j] = Some(want);
                continue;
            }
            match ports.request(want) {
                Ok(port) => node_ports[i][j] = Some(port),
                Err(e) => fail(AllocationError {
                    field: format!("spec.ports[{j}].nodePort"),
                    message: format!("Invalid value: {want}: {e}"),
                }),
            }
        }
        if let (None, true, Some(want)) = (health[i], needs_health_check(s), s.spec.health_check_node_port) {
            match ports.request(want) {
                Ok(port) => health[i] = Some(port),
                Err(e) => fail(AllocationError {
                    field: "spec.healthCheckNodePort".into(),
                    message: format!(
                        "Internal error occurred: failed to allocate requested HealthCheck NodePort {want}: {e}"
                    ),
                }),
            }
        }
        if let (None, Some(want), ServiceType::LoadBalancer) = (balancers[i], s.spec.load_balancer_ip, s.spec.type_) {
            if lbs.keep(want) {
                balancers[i] = Some(want);
            }
        }
    }

    // Pass 3: automatic allocations, for the Services not refused.
    let mut results = Vec::with_capacity(n);
    for (i, s) in services.iter().enumerate() {
        if let Err(e) = &out[i] {
            results.push(Err(e.clone()));
            continue;
        }
        if cluster_ips[i].is_none() && wants_cluster_ip(s) {
            match ips.allocate(&key(s)) {
                Ok(ip) => cluster_ips[i] = Some(ip),
                Err(e) => {
                    results.push(Err(e));
                    continue;
                }
            }
        }
        let mut full = None;
        for (j, sp) in s.spec.ports.iter().enumerate() {
            if node_ports[i][j].is_some() || !needs_node_port(s, sp.node_port) {
                continue;
            }
            node_ports[i][j] = shared_node_port(s, &node_ports[i], j)
                .or_else(|| ports.allocate(&format!("{}/{}/{}", key(s), sp.port, sp.protocol)));
            if node_ports[i][j].is_none() {
                full.get_or_insert(AllocationError {
                    field: format!("spec.ports[{j}].nodePort"),
                    message: "Internal error occurred: failed to allocate a nodePort: range is full".into(),
                });
            }
        }
        if health[i].is_none() && needs_health_check(s) {
            health[i] = ports.allocate(&format!("{}/healthCheckNodePort", key(s)));
            if health[i].is_none() {
                full.get_or_insert(AllocationError {
                    field: "spec.healthCheckNodePort".into(),
                    message: "Internal error occurred: failed to allocate a HealthCheck NodePort 0: range is full"
                        .into(),
                });
            }
        }
        if let Some(err) = full {
            results.push(Err(err));
            continue;
        }
        let load_balancer = match s.spec.type_ {
            ServiceType::LoadBalancer => {
                if balancers[i].is_none() && s.spec.load_balancer_ip.is_none() {
                    balancers[i] = lbs.allocate();
                }
                match balancers[i] {
                    Some(ip) => LoadBalancerStatus::Ingress(ip),
                    None => LoadBalancerStatus::Pending,
                }
            }
            _ => LoadBalancerStatus::NotApplicable,
        };
        results.push(Ok(Allocation {
            cluster_ip: cluster_ips[i],
            node_ports: node_ports[i].clone(),
            health_check_node_port: health[i],
            load_balancer,
        }));
    }

    // Remember what the surviving Services hold.
    for (s, result) in services.iter().zip(&results) {
        let Ok(a) = result else { continue };
        let k = key(s);
        if let Some(ip) = a.cluster_ip {
            next.cluster_ips.insert(k.clone(), ip);
        }
        for (sp, np) in s.spec.ports.iter().zip(&a.node_ports) {
            if let Some(np) = np {
                next.node_ports.insert((k.clone(), sp.port, sp.protocol.to_string()), *np);
            }
        }
        if let Some(port) = a.health_check_node_port {
            next.health_check_node_ports.insert(k.clone(), port);
        }
        if let LoadBalancerStatus::Ingress(ip) = a.load_balancer {
            next.load_balancer_ips.insert(k, ip);
        }
    }
    results
}

#[cfg(test)]
mod tests {
    use super::*;

    fn default_range() -> ClusterIpAllocator {
        ClusterIpAllocator::new("10.96.0.0/12".parse().expect("cidr"))
    }

    #[test]
    fn automatic_cluster_ips_avoid_the_static_band() {
        let mut alloc = default_range();
        for i in 0..200 {
            let IpAddr::V4(ip) = alloc.allocate(&format!("default/svc{i}")).expect("room") else { panic!("v4") };
            assert!(u32::from(ip) - u32::from(Ipv4Addr::new(10, 96, 0, 0)) > 256, "{ip} is in the static band");
        }
    }

    #[test]
    fn requested_cluster_ip_outside_the_service_cidr_is_a_mismatched_network() {
        // MetaAllocator (default since 1.33): ErrMismatchedNetwork; list values print as JSON.
        let err = default_range().request("10.0.0.5".parse().expect("ip")).expect_err("outside");
        assert_eq!(err.field, "spec.clusterIPs");
        assert_eq!(
            err.message,
            "Invalid value: [\"10.0.0.5\"]: failed to allocate IP 10.0.0.5: the provided network does not match the current range"
        );
    }

    #[test]
    fn requested_cluster_ip_already_allocated_is_rejected() {
        let mut alloc = default_range();
        alloc.request("10.96.0.10".parse().expect("ip")).expect("free");
        let err = alloc.request("10.96.0.10".parse().expect("ip")).expect_err("taken");
        assert!(err.message.ends_with("provided IP is already allocated"), "{}", err.message);
    }

    #[test]
    fn node_port_outside_30000_32767_is_rejected_like_the_api_server() {
        let err = NodePortAllocator::default().request(80).expect_err("range");
        assert_eq!(err.to_string(), "provided port is not in the valid range. The range of valid ports is 30000-32767");
    }

    #[test]
    fn one_node_port_range_serves_every_protocol() {
        // The API server has one port allocator for the node-port range: a port another Service
        // holds is taken, whatever the protocol.
        let mut alloc = NodePortAllocator::default();
        alloc.request(30080).expect("free");
        assert_eq!(alloc.request(30080), Err(PortError::Allocated));
        assert_eq!(PortError::Allocated.to_string(), "provided port is already allocated");
    }

    #[test]
    fn automatic_node_ports_land_in_the_dynamic_band() {
        let mut alloc = NodePortAllocator::default();
        for i in 0..100 {
            let port = alloc.allocate(&format!("svc{i}")).expect("room");
            assert!((30086..=32767).contains(&port), "{port}");
        }
    }

    #[test]
    fn load_balancer_addresses_come_from_the_pool_in_order_and_none_without_provider() {
        let mut alloc = LoadBalancerAllocator::new(&LoadBalancerProvider::Pool {
            first: Ipv4Addr::new(172, 18, 255, 200),
            last: Ipv4Addr::new(172, 18, 255, 201),
        });
        assert_eq!(alloc.allocate(), Some("172.18.255.200".parse().expect("ip")));
        assert_eq!(alloc.allocate(), Some("172.18.255.201".parse().expect("ip")));
        assert_eq!(alloc.allocate(), None, "pool exhausted: pending");
        assert_eq!(LoadBalancerAllocator::new(&LoadBalancerProvider::None).allocate(), None);
    }
}

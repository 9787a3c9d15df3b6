//! Service allocations: ClusterIPs, nodePorts and LoadBalancer addresses.
//!
//! Rules (Kubernetes' Service IP and node-port allocators): the service CIDR's first address
//! belongs to the `kubernetes` Service and the network and broadcast addresses are never
//! handed out. A requested `clusterIP` must lie in the service CIDR and be free, or the
//! Service is rejected (`provided IP is already allocated`); automatic addresses come from the
//! upper part of the range, leaving the lower "static band" (1/16 of the range, at least 16 and
//! at most 256 addresses) to addresses people pick by hand, like kube-dns' `.10`. NodePorts
//! work alike within 30000-32767 (static band: 1/32 of the range, 16 to 128 ports). Where
//! Kubernetes picks at random, the model picks by a hash of the Service's name and probes
//! forward, so results are deterministic and stable across unrelated edits.
//! LoadBalancer addresses come from the provider's pool in order; without a provider the
//! Service stays `<pending>`.

use super::naming::fnv1a32;
use crate::api::cluster_config::LoadBalancerProvider;
use ipnet::Ipv4Net;
use std::collections::BTreeSet;
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
        let field = "spec.clusterIPs".to_string();
        let shown = format!("[]string{{\"{ip}\"}}");
        match ip {
            IpAddr::V4(v4) if self.allocatable(v4) => {
                if self.used.insert(v4) {
                    Ok(ip)
                } else {
                    Err(AllocationError {
                        field,
                        message: format!("Invalid value: {shown}: failed to allocate IP {ip}: provided IP is already allocated"),
                    })
                }
            }
            _ => Err(AllocationError {
                field,
                message: format!(
                    "Invalid value: {shown}: failed to allocate IP {ip}: the provided IP ({ip}) is not in the valid range. The range of valid IPs is {}",
                    self.cidr
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

/// Hands out nodePorts within [`NODE_PORT_RANGE`].
#[derive(Debug, Default)]
pub struct NodePortAllocator {
    used: BTreeSet<(u16, String)>,
}

impl NodePortAllocator {
    /// Takes `port` as requested in `spec.ports[i].nodePort` for `protocol`.
    pub fn request(&mut self, field: String, port: u16, protocol: &str) -> Result<u16, AllocationError> {
        let (lo, hi) = NODE_PORT_RANGE;
        if !(lo..=hi).contains(&port) {
            return Err(AllocationError {
                field,
                message: format!(
                    "Invalid value: {port}: provided port is not in the valid range. The range of valid ports is {lo}-{hi}"
                ),
            });
        }
        if !self.used.insert((port, protocol.to_string())) {
            return Err(AllocationError { field, message: format!("Invalid value: {port}: provided port is already allocated") });
        }
        Ok(port)
    }

    /// Keeps `port` if it is still free (an allocation remembered from before).
    pub fn keep(&mut self, port: u16, protocol: &str) -> bool {
        let (lo, hi) = NODE_PORT_RANGE;
        (lo..=hi).contains(&port) && self.used.insert((port, protocol.to_string()))
    }

    /// Allocates a port for `seed` (service key and port) from the dynamic band.
    pub fn allocate(&mut self, field: String, seed: &str, protocol: &str) -> Result<u16, AllocationError> {
        let (lo, hi) = NODE_PORT_RANGE;
        let size = u64::from(hi - lo) + 1;
        let band = static_band(size, 32, 16, 128);
        let start = fnv1a32(seed.as_bytes()) as u64;
        let dynamic = (0..size - band).map(|i| band + (start + i) % (size - band));
        for offset in dynamic.chain(0..band) {
            let port = lo + offset as u16;
            if self.used.insert((port, protocol.to_string())) {
                return Ok(port);
            }
        }
        Err(AllocationError { field, message: "Internal error occurred: failed to allocate a nodePort: range is full".into() })
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
    fn requested_cluster_ip_outside_the_range_is_rejected_with_the_range() {
        let err = default_range().request("10.0.0.5".parse().expect("ip")).expect_err("outside");
        assert_eq!(err.field, "spec.clusterIPs");
        assert_eq!(
            err.message,
            "Invalid value: []string{\"10.0.0.5\"}: failed to allocate IP 10.0.0.5: the provided IP (10.0.0.5) is not in the valid range. The range of valid IPs is 10.96.0.0/12"
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
        let err = NodePortAllocator::default().request("spec.ports[0].nodePort".into(), 80, "TCP").expect_err("range");
        assert_eq!(
            err.message,
            "Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"
        );
    }

    #[test]
    fn the_same_node_port_may_serve_tcp_and_udp_but_not_two_tcp_services() {
        let mut alloc = NodePortAllocator::default();
        alloc.request("f".into(), 30080, "TCP").expect("free");
        alloc.request("f".into(), 30080, "UDP").expect("other protocol");
        let err = alloc.request("f".into(), 30080, "TCP").expect_err("taken");
        assert_eq!(err.message, "Invalid value: 30080: provided port is already allocated");
    }

    #[test]
    fn automatic_node_ports_land_in_the_dynamic_band() {
        let mut alloc = NodePortAllocator::default();
        for i in 0..100 {
            let port = alloc.allocate("f".into(), &format!("svc{i}"), "TCP").expect("room");
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

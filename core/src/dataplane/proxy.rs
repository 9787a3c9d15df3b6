//! How a trace draws kube-proxy's random choices, and finds the rule that decided each step.
//!
//! What kube-proxy knows of a Service port (its endpoints, which of them a node may use) and
//! the rules it programs come from [`crate::kube_proxy`]; this module adds the two things a
//! single connection needs:
//!
//! - **Selection** (`pkg/proxy/iptables/proxier.go`, `writeServiceToEndpointRules`): for n
//!   usable endpoints, rule i (0-based) matches with probability 1/(n−i) and the last rule
//!   always, which picks each endpoint with probability 1/n
//!   (<https://kubernetes.io/docs/reference/networking/virtual-ips/#proxy-mode-iptables>). The
//!   trace walks those rules with a seeded generator, so a seed reproduces a choice and many
//!   seeds show the distribution.
//! - **Session affinity** (`sessionAffinity: ClientIP`): the `recent --rcheck` rules come first
//!   and send a client back to the endpoint it used before
//!   (<https://kubernetes.io/docs/reference/networking/virtual-ips/#session-affinity>). A trace is
//!   one connection and keeps no state, so the client's earlier choice is taken to be a hash of
//!   its address and the Service chain: one client, one endpoint, whatever the seed.

use crate::cluster::ServiceId;
use crate::kube_proxy::{chains, ServicePortInfo};
use std::net::{IpAddr, SocketAddr};

/// One port of one Service as kube-proxy on a node sees it, with the chain names it derives.
pub struct Port<'i> {
    pub id: ServiceId,
    /// The index in `spec.ports`.
    pub index: usize,
    pub info: &'i ServicePortInfo,
}

impl Port<'_> {
    fn names(&self) -> (&str, &str, &str) {
        (&self.info.namespace, &self.info.name, &self.info.port_name)
    }

    /// `KUBE-SVC-…`: the Cluster-policy endpoints.
    pub fn svc_chain(&self) -> String {
        let (ns, name, port) = self.names();
        chains::service_chain(ns, name, port, self.info.protocol)
    }

    /// `KUBE-SVL-…`: the Local-policy endpoints.
    pub fn svl_chain(&self) -> String {
        let (ns, name, port) = self.names();
        chains::local_chain(ns, name, port, self.info.protocol)
    }

    /// `KUBE-EXT-…`: where NodePort, load-balancer and external-IP traffic goes first.
    pub fn ext_chain(&self) -> String {
        let (ns, name, port) = self.names();
        chains::external_chain(ns, name, port, self.info.protocol)
    }

    /// `KUBE-FW-…`: the `loadBalancerSourceRanges` filter.
    pub fn fw_chain(&self) -> String {
        let (ns, name, port) = self.names();
        chains::firewall_chain(ns, name, port, self.info.protocol)
    }

    /// `KUBE-SEP-…` of `endpoint`.
    pub fn sep_chain(&self, endpoint: SocketAddr) -> String {
        let (ns, name, port) = self.names();
        chains::endpoint_chain(ns, name, port, self.info.protocol, &endpoint.to_string())
    }
}

/// A deterministic stream of pseudo-random numbers (SplitMix64), seeded per trace.
pub struct Rng(u64);

impl Rng {
    /// A stream seeded by `seed` and the bytes of `parts`.
    pub fn new(seed: u64, parts: &[&[u8]]) -> Rng {
        Rng(mix(seed, parts))
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

/// FNV-1a over `seed` and `parts`, finished by one SplitMix64 round: a stable hash for seeding
/// and for sticky choices.
pub fn mix(seed: u64, parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in seed.to_le_bytes().iter().chain(parts.iter().flat_map(|p| p.iter().chain(&[0xff]))) {
        h ^= u64::from(*byte);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    Rng(h).next_u64()
}

/// Walks the `statistic --mode random` rules of a pool of `n` endpoints: rule i matches with
/// probability 1/(n−i), the last always. Returns the index of the rule that matched.
pub fn pick_random(rng: &mut Rng, n: usize) -> usize {
    let last = n.saturating_sub(1);
    (0..last).find(|i| rng.unit() < 1.0 / (n - i) as f64).unwrap_or(last)
}

/// The endpoint a client's `recent` entry names under ClientIP affinity (see the module doc).
pub fn pick_sticky(client: IpAddr, chain: &str, n: usize) -> usize {
    (mix(0, &[client.to_string().as_bytes(), chain.as_bytes()]) % n.max(1) as u64) as usize
}

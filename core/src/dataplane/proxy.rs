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
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

/// Which of a Service port's chains.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum ChainKind {
    Svc,
    Svl,
    Ext,
    Fw,
    Sep,
}

/// The chain names of Service ports, each hashed (SHA-256, as kube-proxy names them) once per
/// dataplane and then shared by every trace. Names do not depend on the node.
#[derive(Debug, Clone, Default)]
pub struct ChainNames(RefCell<BTreeMap<ChainKey, Arc<str>>>);

/// A chain of one Service port: which one, and the endpoint for a `KUBE-SEP` chain.
type ChainKey = (ServiceId, usize, ChainKind, Option<SocketAddr>);

/// One port of one Service as kube-proxy on a node sees it, with the chain names it derives.
pub struct Port<'i> {
    pub id: ServiceId,
    /// The index in `spec.ports`.
    pub index: usize,
    pub info: &'i ServicePortInfo,
    pub names: &'i ChainNames,
}

impl Port<'_> {
    fn chain(&self, kind: ChainKind, endpoint: Option<SocketAddr>) -> Arc<str> {
        let key = (self.id, self.index, kind, endpoint);
        if let Some(name) = self.names.0.borrow().get(&key) {
            return name.clone();
        }
        let (ns, name, port, protocol) =
            (&self.info.namespace, &self.info.name, &self.info.port_name, self.info.protocol);
        let text: Arc<str> = match (kind, endpoint) {
            (ChainKind::Svc, _) => chains::service_chain(ns, name, port, protocol),
            (ChainKind::Svl, _) => chains::local_chain(ns, name, port, protocol),
            (ChainKind::Ext, _) => chains::external_chain(ns, name, port, protocol),
            (ChainKind::Fw, _) => chains::firewall_chain(ns, name, port, protocol),
            (ChainKind::Sep, e) => {
                chains::endpoint_chain(ns, name, port, protocol, &e.map(|e| e.to_string()).unwrap_or_default())
            }
        }
        .into();
        self.names.0.borrow_mut().insert(key, text.clone());
        text
    }

    /// `KUBE-SVC-…`: the Cluster-policy endpoints.
    pub fn svc_chain(&self) -> Arc<str> {
        self.chain(ChainKind::Svc, None)
    }

    /// `KUBE-SVL-…`: the Local-policy endpoints.
    pub fn svl_chain(&self) -> Arc<str> {
        self.chain(ChainKind::Svl, None)
    }

    /// `KUBE-EXT-…`: where NodePort, load-balancer and external-IP traffic goes first.
    pub fn ext_chain(&self) -> Arc<str> {
        self.chain(ChainKind::Ext, None)
    }

    /// `KUBE-FW-…`: the `loadBalancerSourceRanges` filter.
    pub fn fw_chain(&self) -> Arc<str> {
        self.chain(ChainKind::Fw, None)
    }

    /// `KUBE-SEP-…` of `endpoint`.
    pub fn sep_chain(&self, endpoint: SocketAddr) -> Arc<str> {
        self.chain(ChainKind::Sep, Some(endpoint))
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
    (mix(0, &[&ip_key(client), chain.as_bytes()]) % n.max(1) as u64) as usize
}

/// An address as hash input: its 16 bytes (IPv4 mapped into IPv6).
pub fn ip_key(ip: IpAddr) -> [u8; 16] {
    match ip {
        IpAddr::V4(v4) => v4.to_ipv6_mapped().octets(),
        IpAddr::V6(v6) => v6.octets(),
    }
}

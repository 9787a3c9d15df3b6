//! The world outside the cluster: the nameservers CoreDNS forwards to, each with a small zone
//! a learner can edit.
//!
//! A real cluster forwards names it does not own to the node's resolver (`forward .
//! /etc/resolv.conf`, CoreDNS's pods having `dnsPolicy: Default`), which recurses through the
//! internet. The model replaces the internet with the ConfigMap `kube-system/kubeplay-upstream-dns`:
//! each data key is a nameserver, `default` being the node's resolver and any other key an
//! IPv4 address (a stub domain's server, reached by `forward ZONE ADDRESS`); each value has one
//! record per line, `NAME: ADDRESS[, ADDRESS...]` for A records or `NAME: OTHER.NAME` for an
//! alias (CNAME), `#` starting a comment. While the ConfigMap does not exist the node's
//! resolver knows [`DEFAULT_ZONE`]. A server answers like a recursive resolver: it follows
//! aliases within its own data, answers NXDOMAIN for names it does not hold and NODATA for
//! other types of names it holds; its answers are not authoritative and carry a TTL of
//! [`UPSTREAM_TTL`]. Forwarding to an address with no key reaches no server.

use super::name::Name;
use super::record::{RData, Rcode, Record, RecordType};
use crate::cluster::Cluster;
use std::collections::BTreeMap;
use std::net::Ipv4Addr;

/// The namespace and name of the ConfigMap that holds the outside world's zones.
pub const UPSTREAM_CONFIG_MAP: (&str, &str) = ("kube-system", "kubeplay-upstream-dns");

/// The data key of the node's resolver (where `forward . /etc/resolv.conf` goes).
pub const NODE_RESOLVER_KEY: &str = "default";

/// What the node's resolver knows while the ConfigMap does not exist (addresses from RFC
/// 5737's documentation ranges).
pub const DEFAULT_ZONE: &str = "example.com: 192.0.2.10\nwww.example.com: example.com\napi.example.com: 192.0.2.20\n";

/// The TTL of every upstream answer.
pub const UPSTREAM_TTL: u32 = 300;

/// How many aliases a server follows before giving up (CoreDNS's own limit is 8 CNAMEs).
const MAX_ALIASES: usize = 8;

/// Which upstream nameserver.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum UpstreamServer {
    /// The node's resolver (`/etc/resolv.conf` of CoreDNS's pods and of `dnsPolicy: Default` pods).
    NodeResolver,
    /// A nameserver at this address.
    Address(Ipv4Addr),
}

/// One record of an upstream zone.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Entry {
    Addresses(Vec<Ipv4Addr>),
    Alias(Name),
}

/// A problem in the upstream ConfigMap: the data key, the 1-based line within it, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamProblem {
    pub key: String,
    pub line: usize,
    pub message: String,
}

/// An upstream server's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UpstreamAnswer {
    pub rcode: Rcode,
    pub records: Vec<Record>,
}

/// Every upstream nameserver the model knows, with its zone.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Upstream {
    zones: BTreeMap<UpstreamServer, BTreeMap<Name, Entry>>,
    /// The address of the node's resolver (the first address of the node network, kind's
    /// docker network gateway).
    node_resolver: Option<Ipv4Addr>,
}

impl Upstream {
    /// The zones of `cluster`'s upstream ConfigMap (or the default), with its problems.
    pub fn from_cluster(cluster: &Cluster) -> (Upstream, Vec<UpstreamProblem>) {
        let mut problems = Vec::new();
        let mut upstream = Upstream { zones: BTreeMap::new(), node_resolver: cluster.config.node_gateway() };
        match cluster.config_map(UPSTREAM_CONFIG_MAP.0, UPSTREAM_CONFIG_MAP.1) {
            None => {
                let zone = parse_zone(NODE_RESOLVER_KEY, DEFAULT_ZONE, &mut problems);
                upstream.zones.insert(UpstreamServer::NodeResolver, zone);
            }
            Some(config_map) => {
                for (key, text) in &config_map.data {
                    let server = if key == NODE_RESOLVER_KEY {
                        UpstreamServer::NodeResolver
                    } else if let Ok(ip) = key.parse::<Ipv4Addr>() {
                        UpstreamServer::Address(ip)
                    } else {
                        problems.push(UpstreamProblem {
                            key: key.clone(),
                            line: 0,
                            message: format!(
                                "key \"{key}\" is neither \"{NODE_RESOLVER_KEY}\" (the node's resolver) nor a nameserver's IPv4 address"
                            ),
                        });
                        continue;
                    };
                    let zone = parse_zone(key, text, &mut problems);
                    upstream.zones.insert(server, zone);
                }
            }
        }
        (upstream, problems)
    }

    /// The node resolver's address, where `dnsPolicy: Default` pods and CoreDNS send questions.
    pub fn node_resolver(&self) -> Option<Ipv4Addr> {
        self.node_resolver
    }

    /// The server at `ip`: the node's resolver by its address, or a keyed nameserver.
    pub fn server_at(&self, ip: Ipv4Addr) -> UpstreamServer {
        if Some(ip) == self.node_resolver {
            UpstreamServer::NodeResolver
        } else {
            UpstreamServer::Address(ip)
        }
    }

    /// The address packets to `server` go to.
    pub fn address_of(&self, server: UpstreamServer) -> Option<Ipv4Addr> {
        match server {
            UpstreamServer::NodeResolver => self.node_resolver,
            UpstreamServer::Address(ip) => Some(ip),
        }
    }

    /// `server`'s answer to `qname`/`qtype`, or `None` when no nameserver is there.
    pub fn answer(&self, server: UpstreamServer, qname: &Name, qtype: RecordType) -> Option<UpstreamAnswer> {
        let zone = self.zones.get(&server)?;
        let mut records = Vec::new();
        let mut name = qname.to_fqdn();
        for _ in 0..=MAX_ALIASES {
            match zone.get(&name) {
                None => return Some(UpstreamAnswer { rcode: Rcode::NxDomain, records }),
                Some(Entry::Alias(target)) => {
                    records.push(Record { name: name.clone(), ttl: UPSTREAM_TTL, data: RData::Cname(target.clone()) });
                    if qtype == RecordType::CNAME {
                        break;
                    }
                    name = target.clone();
                }
                Some(Entry::Addresses(ips)) => {
                    if qtype == RecordType::A {
                        records.extend(ips.iter().map(|ip| Record {
                            name: name.clone(),
                            ttl: UPSTREAM_TTL,
                            data: RData::A(*ip),
                        }));
                    }
                    break;
                }
            }
        }
        Some(UpstreamAnswer { rcode: Rcode::NoError, records })
    }
}

fn parse_zone(key: &str, text: &str, problems: &mut Vec<UpstreamProblem>) -> BTreeMap<Name, Entry> {
    let mut zone = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = raw.split('#').next().unwrap_or_default().trim();
        if line.is_empty() {
            continue;
        }
        let mut problem =
            |message: String| problems.push(UpstreamProblem { key: key.to_string(), line: i + 1, message });
        let Some((name, value)) = line.split_once(':') else {
            problem(format!("\"{line}\": expected NAME: ADDRESS or NAME: OTHER.NAME"));
            continue;
        };
        let name = match Name::parse(name.trim()) {
            Ok(name) => name.to_fqdn(),
            Err(e) => {
                problem(format!("\"{}\": {e}", name.trim()));
                continue;
            }
        };
        let value = value.trim();
        let addresses: Result<Vec<Ipv4Addr>, _> = value.split(',').map(|v| v.trim().parse::<Ipv4Addr>()).collect();
        let entry = match (addresses, Name::parse(value)) {
            (Ok(ips), _) => Entry::Addresses(ips),
            (Err(_), Ok(target)) if !value.contains(',') => Entry::Alias(target.to_fqdn()),
            _ => {
                problem(format!("\"{value}\": neither IPv4 addresses nor a name"));
                continue;
            }
        };
        zone.insert(name, entry);
    }
    zone
}

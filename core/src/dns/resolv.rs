//! The resolv.conf the kubelet writes for a pod, and the search-list expansion a resolver
//! applies to a name.
//!
//! The file (kubelet `pkg/kubelet/network/dns/dns.go` `GetPodDNS`; page "DNS for Services and
//! Pods", sections "Pod's DNS Policy" and "Pod's DNS Config"):
//! - `ClusterFirst` (the default): `nameserver` = the kube-dns ClusterIP, `search
//!   <ns>.svc.<domain> svc.<domain> <domain>` followed by the node's own search domains,
//!   `options ndots:5`. A `hostNetwork` pod with `ClusterFirst` gets `Default` instead.
//! - `ClusterFirstWithHostNet`: the cluster's settings, also for `hostNetwork` pods.
//! - `Default`: the node's resolv.conf (kind's node: `nameserver` = the node network's gateway,
//!   no search domains, no options).
//! - `None`: nothing but `dnsConfig`.
//! - `dnsConfig` is then merged (`appendDNSConfig`): its nameservers and searches are appended
//!   and duplicates dropped; its options override same-named ones. The kubelet merges options
//!   in a Go map, whose order is unspecified; the model sorts them by name.
//! - The file has the container runtime's layout: `search`, then one `nameserver` per line,
//!   then `options`.
//!
//! Expansion (resolv.conf(5); glibc `resolv/res_query.c` `__res_context_search`): a name
//! with a final dot is only tried as written. Otherwise, one with at least `ndots` dots is
//! tried as written first, then with each search domain; one with fewer dots is tried with
//! each search domain first, then as written. glibc's default `ndots` is 1 and values above
//! 15 count as 15. musl (Alpine images) differs: a name with at least `ndots` dots is tried
//! only as written, never with the search list; it asks for A and AAAA together for every
//! candidate, and stops the search on a server failure where glibc goes on to the next
//! domain. The model resolves as glibc does.

use super::name::Name;
use crate::api::pod::DnsPolicy;
use crate::cluster::{Cluster, PodId};
use std::collections::BTreeMap;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

/// glibc's `RES_MAXNDOTS`.
const MAX_NDOTS: usize = 15;

/// glibc's `ndots` when resolv.conf sets none.
const DEFAULT_NDOTS: usize = 1;

/// A pod's /etc/resolv.conf.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ResolvConf {
    pub nameservers: Vec<IpAddr>,
    pub searches: Vec<String>,
    /// `name` or `name:value`, sorted by name.
    pub options: Vec<String>,
}

/// The kind of resolv.conf a pod gets: its `dnsPolicy` after the `hostNetwork` fallback.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EffectivePolicy {
    /// The cluster's DNS (ClusterFirst, or ClusterFirstWithHostNet).
    Cluster,
    /// The node's resolv.conf (Default, or ClusterFirst on the host network).
    Node,
    /// Only `dnsConfig` (None).
    None,
}

/// `policy` for a pod on the host network or not (`getPodDNSType`).
pub fn effective_policy(policy: DnsPolicy, host_network: bool) -> EffectivePolicy {
    match policy {
        DnsPolicy::ClusterFirstWithHostNet => EffectivePolicy::Cluster,
        DnsPolicy::ClusterFirst if host_network => EffectivePolicy::Node,
        DnsPolicy::ClusterFirst => EffectivePolicy::Cluster,
        DnsPolicy::Default => EffectivePolicy::Node,
        DnsPolicy::None => EffectivePolicy::None,
    }
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, item: T) {
    if !list.contains(&item) {
        list.push(item);
    }
}

impl ResolvConf {
    /// The node's resolv.conf: its resolver, nothing else.
    pub fn node(resolver: Option<Ipv4Addr>) -> ResolvConf {
        ResolvConf { nameservers: resolver.map(IpAddr::V4).into_iter().collect(), ..ResolvConf::default() }
    }

    /// What the kubelet writes for pod `id`; `kube_dns` is the kube-dns ClusterIP, `node` the
    /// node's resolv.conf.
    pub fn for_pod(cluster: &Cluster, id: PodId, kube_dns: Option<IpAddr>, node: &ResolvConf) -> ResolvConf {
        let pod = &cluster.pod(id).pod;
        let domain = &cluster.config.cluster_domain;
        let mut conf = match effective_policy(pod.spec.dns_policy, pod.spec.host_network) {
            EffectivePolicy::Cluster => {
                let mut searches =
                    vec![format!("{}.svc.{domain}", pod.meta.namespace), format!("svc.{domain}"), domain.clone()];
                for s in &node.searches {
                    push_unique(&mut searches, s.clone());
                }
                ResolvConf {
                    nameservers: kube_dns.into_iter().collect(),
                    searches,
                    options: vec!["ndots:5".to_string()],
                }
            }
            EffectivePolicy::Node => node.clone(),
            EffectivePolicy::None => ResolvConf::default(),
        };
        if let Some(config) = &pod.spec.dns_config {
            for ns in config.nameservers.iter().filter_map(|n| n.parse::<IpAddr>().ok()) {
                push_unique(&mut conf.nameservers, ns);
            }
            for s in &config.searches {
                push_unique(&mut conf.searches, s.clone());
            }
            let mut options: BTreeMap<String, String> = conf
                .options
                .iter()
                .map(|o| match o.split_once(':') {
                    Some((k, v)) => (k.to_string(), v.to_string()),
                    None => (o.clone(), String::new()),
                })
                .collect();
            for (name, value) in &config.options {
                options.insert(name.clone(), value.clone().unwrap_or_default());
            }
            conf.options =
                options.into_iter().map(|(k, v)| if v.is_empty() { k } else { format!("{k}:{v}") }).collect();
        }
        conf
    }

    /// `ndots` as glibc reads it: the last `ndots:N` option, `atoi` of N, at most 15.
    pub fn ndots(&self) -> usize {
        self.options
            .iter()
            .rev()
            .find_map(|o| o.strip_prefix("ndots:"))
            .map(|v| {
                let digits: String = v.chars().take_while(char::is_ascii_digit).collect();
                digits.parse::<usize>().unwrap_or(0).min(MAX_NDOTS)
            })
            .unwrap_or(DEFAULT_NDOTS)
    }

    /// The search domains as names (entries that are not names are skipped, as glibc skips
    /// what it cannot use).
    pub fn search_domains(&self) -> Vec<Name> {
        self.searches.iter().filter_map(|s| Name::parse(s).ok()).map(|n| n.to_fqdn()).collect()
    }
}

impl fmt::Display for ResolvConf {
    /// The file as the container runtime writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if !self.searches.is_empty() {
            writeln!(f, "search {}", self.searches.join(" "))?;
        }
        for ns in &self.nameservers {
            writeln!(f, "nameserver {ns}")?;
        }
        if !self.options.is_empty() {
            writeln!(f, "options {}", self.options.join(" "))?;
        }
        Ok(())
    }
}

/// Which phase of glibc's search a candidate belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CandidateKind {
    /// The name as written, tried first (enough dots, or a final dot).
    AsIsFirst,
    /// The name with a search domain.
    Searched,
    /// The name as written, tried last.
    AsIsLast,
}

/// Every name glibc would try for `name`, in order, with its phase; the search stops at the
/// first answer (see `resolver` for the rules on failures).
pub fn candidates(name: &Name, conf: &ResolvConf) -> Vec<(Name, CandidateKind)> {
    if name.is_fqdn() {
        return vec![(name.clone(), CandidateKind::AsIsFirst)];
    }
    let as_is_first = name.dots() >= conf.ndots();
    let mut out = Vec::new();
    if as_is_first {
        out.push((name.to_fqdn(), CandidateKind::AsIsFirst));
    }
    out.extend(conf.search_domains().iter().map(|d| (name.join(d), CandidateKind::Searched)));
    if !as_is_first {
        out.push((name.to_fqdn(), CandidateKind::AsIsLast));
    }
    out
}

/// What `dig +search` tries: with fewer than `ndots` dots each search domain, else (and for a
/// name with a final dot) only the name itself; without `+search` only the name itself.
pub fn dig_candidates(name: &Name, conf: &ResolvConf, search: bool) -> Vec<Name> {
    if !search || name.is_fqdn() || name.dots() >= conf.ndots() {
        return vec![name.to_fqdn()];
    }
    conf.search_domains().iter().map(|d| name.join(d)).collect()
}

//! Cluster DNS: the records CoreDNS's kubernetes plugin serves, CoreDNS's configuration, the
//! world outside, and a pod's resolver, each query shown as it travels.
//!
//! Sources, cited where each rule lives: the Kubernetes DNS-Based Service Discovery
//! specification (kubernetes/dns `docs/specification.md`, sections 2.1 to 2.6), the
//! kubernetes.io page "DNS for Services and Pods", CoreDNS's kubernetes, rewrite and forward
//! plugins (READMEs and code), kubeadm's default Corefile, resolv.conf(5) and glibc's
//! `res_search`. [`Dns::new`] builds everything once per cluster (an index keyed by name,
//! so a question costs map look-ups, not a scan); [`Dns::lookup`] resolves a name from a pod
//! or from a node and lists every query, its packets and its answer; every packet is a
//! dataplane trace through the [`Network`] (CNI path, kube-proxy, NetworkPolicy).
//! `tools` prints what `nslookup` and `dig` print.
//!
//! Modeled: A, AAAA (always NODATA: the model is IPv4 only), CNAME, PTR and SRV records;
//! ClusterIP, headless and ExternalName Services; endpoint hostnames (StatefulSet pods); pod
//! records; `rewrite name exact|suffix`, `forward`, server blocks for stub domains; glibc's
//! search. Not modeled: TXT (`dns-version`), NS and SOA records, the AUTHORITY section,
//! caching and TTL countdown, `autopath`, EDNS, TCP fallback, IPv6.

pub mod corefile;
pub mod index;
pub mod name;
pub mod record;
pub mod resolv;
pub mod resolver;
pub mod server;
pub mod tools;
pub mod upstream;
pub mod view;

pub use corefile::{default_corefile, Corefile, CorefileProblem, COREFILE_CONFIG_MAP};
pub use index::{ClusterIndex, PodMode};
pub use name::{Name, NameError};
pub use record::{RData, Rcode, Record, RecordType};
pub use resolv::ResolvConf;
pub use resolver::{Delivery, Dns, DnsPacket, Expansion, Lookup, Network, Outcome, Query};
pub use server::{Response, ServerStep};
pub use upstream::{UpstreamProblem, UpstreamServer, UPSTREAM_CONFIG_MAP};

use crate::cluster::Cluster;
use crate::diag::Severity;
use std::fmt;

/// A problem in the DNS configuration a learner wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsProblem {
    /// A line of the `coredns` ConfigMap's Corefile.
    Corefile(CorefileProblem),
    /// CoreDNS refused the learner's Corefile (see the errors before this): the default is in use.
    CorefileRefused,
    /// A line of the upstream ConfigMap.
    Upstream(UpstreamProblem),
}

impl DnsProblem {
    /// Whether it is an error or a warning.
    pub fn severity(&self) -> Severity {
        match self {
            DnsProblem::Corefile(p) => p.severity,
            DnsProblem::CorefileRefused | DnsProblem::Upstream(_) => Severity::Error,
        }
    }
}

impl fmt::Display for DnsProblem {
    /// `kube-system/coredns: Corefile:12: warning: plugin hosts is not modeled ...`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (ns, name, key) = COREFILE_CONFIG_MAP;
        match self {
            DnsProblem::Corefile(p) => {
                let level = if p.severity == Severity::Error { "error" } else { "warning" };
                write!(f, "{ns}/{name}: {key}:{}: {level}: {}", p.line, p.message)
            }
            DnsProblem::CorefileRefused => {
                write!(f, "{ns}/{name}: {key}: error: CoreDNS refuses this Corefile and keeps serving the default one")
            }
            DnsProblem::Upstream(p) => {
                let (ns, name) = UPSTREAM_CONFIG_MAP;
                write!(f, "{ns}/{name}: {}:{}: error: {}", p.key, p.line, p.message)
            }
        }
    }
}

/// The Corefile CoreDNS runs, its text, and the problems of the learner's one.
fn read_corefile(cluster: &Cluster) -> (Corefile, String, Vec<DnsProblem>) {
    let default_text = default_corefile(&cluster.config.cluster_domain);
    let default = || Corefile::parse(&default_text).0.unwrap_or(Corefile { servers: Vec::new() });
    let (ns, name, key) = COREFILE_CONFIG_MAP;
    let Some(config_map) = cluster.config_map(ns, name) else { return (default(), default_text.clone(), Vec::new()) };
    let Some(text) = config_map.data.get(key) else {
        return (default(), default_text.clone(), vec![DnsProblem::CorefileRefused]);
    };
    let (corefile, problems) = Corefile::parse(text);
    let mut problems: Vec<DnsProblem> = problems.into_iter().map(DnsProblem::Corefile).collect();
    match corefile {
        Some(corefile) => (corefile, text.clone(), problems),
        None => {
            problems.push(DnsProblem::CorefileRefused);
            (default(), default_text.clone(), problems)
        }
    }
}

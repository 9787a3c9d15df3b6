//! kube-proxy, made visible: the rules it programs on each node, computed from the cluster
//! the way `pkg/proxy/iptables/proxier.go` and `pkg/proxy/nftables/proxier.go` compute them
//! in Kubernetes, with the real chain names (`KUBE-SVC-…` hashes included), comments and
//! endpoint probabilities.
//!
//! The iptables form is data ([`RuleSet`]: tables, chains, rules with their matches, target
//! and comment) so a trace can name the rule a packet matched; `RuleSet::to_iptables_save`
//! prints it. The nftables form is the transaction kube-proxy sends to `nft`, as text.
//! Every node gets its own rules: which endpoints are local, and so the `Local` traffic
//! policy chains, differ from node to node.
//!
//! Modeled: ClusterIP, NodePort, LoadBalancer and externalIPs capture; endpoint selection
//! with equal probability; `sessionAffinity: ClientIP`; `Local` internal and external
//! traffic policies with their short-circuits; topology hints from `trafficDistribution`;
//! `loadBalancerSourceRanges`; REJECT/DROP of Services without (local) endpoints; health-check
//! nodePorts; masquerading. Not modeled: ipvs mode, IPv6, and the rules other components (the
//! CNI plugin, Docker) add to the same tables.

pub mod chains;
mod iptables;
mod nftables;
mod rules;
mod service_ports;

pub use iptables::{node_rules, MASQUERADE_MARK};
pub use nftables::nft_transaction;
pub use rules::{Addr, Chain, ConnState, Match, Rule, RuleSet, Side, Table, TableName, Target};
pub use service_ports::{service_ports, Categorized, EndpointInfo, ServicePortInfo};

use crate::api::cluster_config::KubeProxyMode;
use crate::cluster::{Cluster, NodeId};

/// What kube-proxy has programmed on one node, in the form its mode uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProgrammedRules {
    /// iptables mode: the `filter` and `nat` tables.
    Iptables(RuleSet),
    /// nftables mode: the `ip kube-proxy` table, as the transaction kube-proxy sends to `nft`.
    Nftables(String),
    /// ipvs mode, which kubeplay does not model.
    Ipvs,
    /// `kubeProxyMode: none`: no kube-proxy runs (a CNI plugin replaces it), so there are none.
    NoKubeProxy,
}

impl ProgrammedRules {
    /// The rules as the node's own tool prints them (`iptables-save`, or the `nft`
    /// transaction); `None` for ipvs mode and for no kube-proxy.
    pub fn text(&self) -> Option<String> {
        match self {
            ProgrammedRules::Iptables(rules) => Some(rules.to_iptables_save()),
            ProgrammedRules::Nftables(text) => Some(text.clone()),
            ProgrammedRules::Ipvs | ProgrammedRules::NoKubeProxy => None,
        }
    }
}

/// The rules kube-proxy on `node` has programmed, per the cluster's `kubeProxyMode`.
pub fn programmed_rules(cluster: &Cluster, node: NodeId) -> ProgrammedRules {
    match cluster.config.kube_proxy_mode {
        KubeProxyMode::Iptables => ProgrammedRules::Iptables(node_rules(cluster, node)),
        KubeProxyMode::Nftables => ProgrammedRules::Nftables(nft_transaction(cluster, node)),
        KubeProxyMode::Ipvs => ProgrammedRules::Ipvs,
        KubeProxyMode::None => ProgrammedRules::NoKubeProxy,
    }
}

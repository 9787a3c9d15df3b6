//! What kube-proxy on one node knows of a Service port: its addresses and policies
//! (`pkg/proxy/serviceport.go`, `BaseServicePortInfo`), its endpoints merged from every
//! EndpointSlice of the Service (`pkg/proxy/endpointslicecache.go`), and which of them this
//! node may use (`pkg/proxy/topology.go`, `CategorizeEndpoints`).
//!
//! Guarantees, each as upstream: headless and ExternalName Services are not proxied; a slice
//! port serves the Service port with the same name and protocol; an endpoint is `ip:port`,
//! deduplicated across slices (a non-terminating copy wins) and sorted as text; an endpoint is
//! local when its `nodeName` is this node's name; ready endpoints are used,
//! serving-and-terminating ones only when no ready one exists. `Cluster` traffic policy keeps
//! to this node's zone (or to this node) when every ready endpoint carries a topology hint and
//! one is for here: the hints the EndpointSlice controller writes for a Service with
//! `trafficDistribution` (`staging/src/k8s.io/endpointslice/trafficdist`), each managed
//! endpoint hinted for its node's `topology.kubernetes.io/zone` and, for `PreferSameNode`,
//! its node.

use super::chains;
use crate::api::meta::Protocol;
use crate::api::service::{ServiceType, SessionAffinity, TrafficPolicy};
use crate::cluster::{Cluster, LoadBalancerStatus, NodeId, NodeState, ServiceState, SliceOrigin};
use ipnet::IpNet;
use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};

/// One port of a proxied Service, as kube-proxy on one node sees it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServicePortInfo {
    pub namespace: String,
    pub name: String,
    /// The port's name; `""` when the Service port has none.
    pub port_name: String,
    pub protocol: Protocol,
    pub cluster_ip: IpAddr,
    pub port: u16,
    /// The allocated nodePort, if the Service has one for this port.
    pub node_port: Option<u16>,
    pub external_ips: Vec<IpAddr>,
    /// `status.loadBalancer.ingress` addresses.
    pub load_balancer_ips: Vec<IpAddr>,
    /// `spec.loadBalancerSourceRanges`, host bits cleared as Go's `net.ParseCIDR` does.
    pub source_ranges: Vec<IpNet>,
    pub health_check_node_port: Option<u16>,
    /// `externalTrafficPolicy: Local` on an externally reachable Service.
    pub external_policy_local: bool,
    /// `internalTrafficPolicy: Local`.
    pub internal_policy_local: bool,
    /// `sessionAffinity: ClientIP`'s timeout in seconds; `None` without affinity.
    pub affinity_seconds: Option<u32>,
    /// Every endpoint of the port, in kube-proxy's order (`ip:port` as text).
    pub endpoints: Vec<EndpointInfo>,
}

/// One endpoint of a Service port (`proxy.BaseEndpointInfo`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EndpointInfo {
    pub address: SocketAddr,
    /// Whether it runs on the node whose view this is.
    pub local: bool,
    pub ready: bool,
    pub serving: bool,
    pub terminating: bool,
    /// Its zone hint, if it has one: whether the hint names this node's zone.
    pub zone_hint_here: Option<bool>,
    /// Its node hint (`PreferSameNode`), if it has one: whether the hint names this node.
    pub node_hint_here: Option<bool>,
}

/// The node label kube-proxy and the EndpointSlice controller read a zone from.
pub const ZONE_LABEL: &str = "topology.kubernetes.io/zone";

/// The endpoints one node uses for a Service port (`CategorizeEndpoints`' results).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Categorized {
    /// The endpoints of `Cluster` traffic policy; empty when the port never uses it.
    pub cluster: Vec<EndpointInfo>,
    /// The node-local endpoints of `Local` traffic policy; empty when the port never uses it.
    pub local: Vec<EndpointInfo>,
    /// Every endpoint this node can send to: the union of the two, sorted.
    pub reachable: Vec<EndpointInfo>,
    /// Whether the Service has a usable endpoint anywhere in the cluster.
    pub has_any: bool,
}

impl ServicePortInfo {
    /// `proxy.ServicePortName.String()`: `namespace/name:port`, or `namespace/name`.
    pub fn name_string(&self) -> String {
        chains::service_port_name(&self.namespace, &self.name, &self.port_name)
    }

    /// Whether traffic can arrive from outside: a nodePort, a load-balancer address or an
    /// external IP (`ExternallyAccessible`).
    pub fn externally_accessible(&self) -> bool {
        self.node_port.is_some() || !self.load_balancer_ips.is_empty() || !self.external_ips.is_empty()
    }

    /// `UsesClusterEndpoints`: internal traffic is `Cluster`, or external traffic exists (its
    /// short-circuit for pods and the node itself needs the cluster-wide chain).
    pub fn uses_cluster_endpoints(&self) -> bool {
        !self.internal_policy_local || self.externally_accessible()
    }

    /// `UsesLocalEndpoints`.
    pub fn uses_local_endpoints(&self) -> bool {
        self.internal_policy_local || (self.external_policy_local && self.externally_accessible())
    }

    /// `CategorizeEndpoints`.
    pub fn categorize(&self) -> Categorized {
        let mut out = Categorized::default();
        if self.uses_cluster_endpoints() {
            let fits = self.topology();
            out.cluster = self.endpoints.iter().filter(|e| e.ready && fits(e)).copied().collect();
            if out.cluster.is_empty() {
                out.cluster = self.endpoints.iter().filter(|e| e.serving && e.terminating).copied().collect();
            }
            out.has_any = !out.cluster.is_empty();
        }
        if !self.uses_local_endpoints() {
            out.reachable = out.cluster.clone();
            return out;
        }
        let usable = |e: &&EndpointInfo| e.ready || (e.serving && e.terminating);
        out.has_any |= self.endpoints.iter().any(|e| usable(&e));
        let local_ready = self.endpoints.iter().any(|e| e.local && e.ready);
        out.local = self
            .endpoints
            .iter()
            .filter(|e| e.local && if local_ready { e.ready } else { e.serving && e.terminating })
            .copied()
            .collect();
        let mut reachable: Vec<EndpointInfo> = out.cluster.clone();
        for e in &out.local {
            if !reachable.iter().any(|r| r.address == e.address) {
                reachable.push(*e);
            }
        }
        reachable.sort_by_key(|e| e.address.to_string());
        out.reachable = reachable;
        out
    }

    /// `topologyModeFromHints` and `availableForTopology`: which ready endpoints `Cluster`
    /// policy may use here. Same node when every ready endpoint has a node hint and one is for
    /// this node; else same zone likewise; else all.
    fn topology(&self) -> impl Fn(&EndpointInfo) -> bool {
        let ready = || self.endpoints.iter().filter(|e| e.ready);
        let by_node = ready().all(|e| e.node_hint_here.is_some()) && ready().any(|e| e.node_hint_here == Some(true));
        let by_zone = ready().all(|e| e.zone_hint_here.is_some()) && ready().any(|e| e.zone_hint_here == Some(true));
        move |e: &EndpointInfo| {
            if by_node {
                e.node_hint_here == Some(true)
            } else if by_zone {
                e.zone_hint_here == Some(true)
            } else {
                true
            }
        }
    }
}

/// Every proxied Service port of the cluster as kube-proxy on `node` sees it, Services in
/// namespace/name order and ports in spec order.
pub fn service_ports(cluster: &Cluster, node: NodeId) -> Vec<ServicePortInfo> {
    let here = cluster.node(node);
    cluster.services.iter().flat_map(|svc| ports_of(cluster, svc, here)).collect()
}

fn ports_of(cluster: &Cluster, svc: &ServiceState, here: &NodeState) -> Vec<ServicePortInfo> {
    let spec = &svc.service.spec;
    // ShouldSkipService: no ClusterIP (headless) or ExternalName.
    let Some(cluster_ip) = svc.cluster_ip.filter(|_| spec.type_ != ServiceType::ExternalName) else {
        return Vec::new();
    };
    let externally_reachable_type =
        matches!(spec.type_, ServiceType::NodePort | ServiceType::LoadBalancer) || !spec.external_ips.is_empty();
    let load_balancer_ips = match svc.load_balancer {
        LoadBalancerStatus::Ingress(ip) => vec![ip],
        LoadBalancerStatus::NotApplicable | LoadBalancerStatus::Pending => Vec::new(),
    };
    let endpoints = endpoints_by_port(cluster, svc, here);
    spec.ports
        .iter()
        .zip(&svc.node_ports)
        .map(|(port, node_port)| {
            let port_name = port.name.clone().unwrap_or_default();
            ServicePortInfo {
                namespace: svc.service.meta.namespace.clone(),
                name: svc.service.meta.name.clone(),
                protocol: port.protocol,
                cluster_ip,
                port: port.port,
                node_port: *node_port,
                external_ips: spec.external_ips.clone(),
                load_balancer_ips: load_balancer_ips.clone(),
                source_ranges: spec.load_balancer_source_ranges.iter().map(IpNet::trunc).collect(),
                health_check_node_port: svc.health_check_node_port,
                external_policy_local: externally_reachable_type
                    && spec.external_traffic_policy == TrafficPolicy::Local,
                internal_policy_local: spec.internal_traffic_policy == TrafficPolicy::Local,
                affinity_seconds: match spec.session_affinity {
                    SessionAffinity::None => None,
                    SessionAffinity::ClientIp { timeout_seconds } => Some(timeout_seconds),
                },
                endpoints: endpoints.get(&(port_name.clone(), port.protocol)).cloned().unwrap_or_default(),
                port_name,
            }
        })
        .collect()
}

/// `endpointInfoByServicePort` and `endpointsMapFromEndpointInfo`: per (port name,
/// protocol), the endpoints of every slice of the Service, deduplicated by `ip:port` (a local
/// copy wins) and sorted as text.
fn endpoints_by_port(
    cluster: &Cluster,
    svc: &ServiceState,
    here: &NodeState,
) -> BTreeMap<(String, Protocol), Vec<EndpointInfo>> {
    let distribution = svc.service.spec.traffic_distribution.as_deref();
    let zoned = matches!(distribution, Some("PreferClose" | "PreferSameZone" | "PreferSameNode"));
    let by_node = distribution == Some("PreferSameNode");
    let here_zone = here.labels.get(ZONE_LABEL);
    let mut sets: BTreeMap<(String, Protocol), BTreeMap<String, EndpointInfo>> = BTreeMap::new();
    for slice in svc.slices.iter().filter_map(|&i| cluster.endpoint_slices.get(i)) {
        let hinted = zoned && slice.origin == SliceOrigin::Managed;
        for port in &slice.ports {
            let set = sets.entry((port.name.clone().unwrap_or_default(), port.protocol)).or_default();
            for endpoint in slice.endpoints.iter().filter(|e| e.ip.is_ipv4()) {
                let zone = endpoint.node.and_then(|n| cluster.node(n).labels.get(ZONE_LABEL));
                let info = EndpointInfo {
                    address: SocketAddr::new(endpoint.ip, port.port),
                    local: endpoint.node_name.as_deref() == Some(here.name.as_str()),
                    ready: endpoint.ready,
                    serving: endpoint.serving,
                    terminating: endpoint.terminating,
                    zone_hint_here: zone.filter(|_| hinted).map(|z| Some(z) == here_zone),
                    node_hint_here: endpoint.node_name.as_ref().filter(|_| hinted && by_node).map(|n| *n == here.name),
                };
                // A duplicate (an endpoint moving between slices, or an address reused): the
                // non-terminating copy wins.
                let key = info.address.to_string();
                if !info.terminating || !set.contains_key(&key) {
                    set.insert(key, info);
                }
            }
        }
    }
    sets.into_iter().map(|(k, set)| (k, set.into_values().collect())).collect()
}

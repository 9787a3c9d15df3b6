//! Plain view structs for front ends: what the cluster looks like, already computed.
//!
//! The web app draws these and nothing else: every fact on screen (an address, a readiness,
//! which pods back a Service) was decided by the model and arrives here as data. Lists are in
//! a stable order (nodes as configured, pods and Services by namespace and name), so a view
//! does not reshuffle on unrelated edits.

use crate::api::cluster_config::LoadBalancerProvider;
use crate::api::service::ServiceType;
use crate::cluster::{Cluster, LoadBalancerStatus, NodeId, PodId};
use crate::policy::{self, enforces, Direction};

/// The whole cluster, ready to draw.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ClusterView {
    pub name: String,
    pub cni: String,
    pub nodes: Vec<NodeView>,
    /// Pods no node could take (Pending), drawn outside the nodes.
    pub pending: Vec<PodView>,
    pub services: Vec<ServiceView>,
    /// Whether LoadBalancer Services get an address (a provider such as an address pool).
    pub load_balancer_provider: bool,
    /// Whether the CNI plugin enforces NetworkPolicy (flannel does not).
    pub policies_enforced: bool,
    /// The NetworkPolicies, `namespace/name`, in cluster order.
    pub network_policies: Vec<String>,
}

/// A node and the pods running on it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct NodeView {
    pub name: String,
    pub role: String,
    pub internal_ip: String,
    pub pod_cidr: String,
    /// How Services are programmed on the node: kube-proxy's mode (`iptables`, `nftables`,
    /// `ipvs`) or `none` (Cilium's eBPF replaces kube-proxy).
    pub kube_proxy: String,
    pub pods: Vec<PodView>,
}

/// A pod as drawn inside its node.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PodView {
    /// `namespace/name`, unique in the cluster.
    pub key: String,
    pub name: String,
    pub namespace: String,
    pub ip: String,
    /// The pod's `app` (or `app.kubernetes.io/name`) label, which the view colours by.
    pub app: Option<String>,
    pub ready: bool,
    /// Whether the pod belongs to the cluster itself (CoreDNS, in kube-system).
    pub system: bool,
    /// Whether the pod uses its node's network namespace (never selected by NetworkPolicy).
    pub host_network: bool,
    /// The NetworkPolicies (`namespace/name`) that isolate the pod for ingress, for egress.
    pub isolated_ingress: Vec<String>,
    pub isolated_egress: Vec<String>,
}

/// A Service and the pods that back it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ServiceView {
    /// `namespace/name`, unique in the cluster.
    pub key: String,
    pub name: String,
    pub namespace: String,
    pub type_: String,
    /// The ClusterIP, `None` for headless Services, or the external name.
    pub cluster_ip: String,
    /// Ports as kubectl prints them: `80/TCP`, `80:30080/TCP`.
    pub ports: String,
    /// The external address, `<pending>`, or empty when the type has none.
    pub external_ip: String,
    /// Keys of the endpoint pods, ready or not, in address order.
    pub endpoints: Vec<EndpointView>,
    /// `Cluster` or `Local`, for Services reachable from outside (NodePort, LoadBalancer).
    pub external_traffic_policy: Option<String>,
    pub system: bool,
}

/// One endpoint of a Service.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct EndpointView {
    /// The backing pod's key, or `None` for an address outside the cluster.
    pub pod: Option<String>,
    pub ip: String,
    pub ready: bool,
}

impl ClusterView {
    /// Builds the view of `cluster`.
    pub fn of(cluster: &Cluster) -> ClusterView {
        let nodes = cluster
            .nodes
            .iter()
            .enumerate()
            .map(|(index, node)| NodeView {
                name: node.name.clone(),
                role: node.role.as_str().to_string(),
                internal_ip: node.internal_ip.to_string(),
                pod_cidr: node.pod_cidr.to_string(),
                kube_proxy: cluster.config.kube_proxy_mode.as_str().to_string(),
                pods: pod_ids(cluster)
                    .filter(|id| cluster.pod(*id).node == Some(NodeId(index as u16)))
                    .map(|id| PodView::of(cluster, id))
                    .collect(),
            })
            .collect();
        let services = cluster
            .services
            .iter()
            .map(|s| ServiceView {
                key: s.key(),
                name: s.service.meta.name.clone(),
                namespace: s.service.meta.namespace.clone(),
                type_: s.service.spec.type_.as_str().to_string(),
                cluster_ip: s.cluster_ip_text(),
                ports: s.ports_text(),
                external_ip: match &s.load_balancer {
                    LoadBalancerStatus::NotApplicable => String::new(),
                    other => other.to_string(),
                },
                endpoints: s
                    .endpoints
                    .iter()
                    .map(|e| EndpointView {
                        pod: e.pod.map(|id| cluster.pod(id).key()),
                        ip: e.ip.to_string(),
                        ready: e.ready,
                    })
                    .collect(),
                external_traffic_policy: matches!(
                    s.service.spec.type_,
                    ServiceType::NodePort | ServiceType::LoadBalancer
                )
                .then(|| s.service.spec.external_traffic_policy.as_str().to_string()),
                system: s.system,
            })
            .collect();
        let pending =
            pod_ids(cluster).filter(|id| cluster.pod(*id).node.is_none()).map(|id| PodView::of(cluster, id)).collect();
        ClusterView {
            name: cluster.config.name.clone(),
            cni: cluster.config.cni.as_str().to_string(),
            nodes,
            pending,
            services,
            load_balancer_provider: cluster.config.load_balancer != LoadBalancerProvider::None,
            policies_enforced: enforces(cluster.config.cni),
            network_policies: cluster
                .network_policies
                .iter()
                .map(|p| format!("{}/{}", p.meta.namespace, p.meta.name))
                .collect(),
        }
    }
}

impl PodView {
    fn of(cluster: &Cluster, id: PodId) -> PodView {
        let p = cluster.pod(id);
        let isolated = |direction| isolating_policies(cluster, id, direction);
        PodView {
            key: p.key(),
            name: p.pod.meta.name.clone(),
            namespace: p.pod.meta.namespace.clone(),
            ip: p.ip.map(|ip| ip.to_string()).unwrap_or_else(|| "<none>".to_string()),
            app: p.app_label().map(str::to_string),
            ready: p.is_ready(),
            system: p.system,
            host_network: p.pod.spec.host_network,
            isolated_ingress: isolated(Direction::Ingress),
            isolated_egress: isolated(Direction::Egress),
        }
    }
}

/// Every pod's id, in cluster order.
fn pod_ids(cluster: &Cluster) -> impl Iterator<Item = PodId> + '_ {
    (0..cluster.pods.len()).map(|i| PodId(i as u32))
}

/// The policies (`namespace/name`) of pod `id`'s namespace whose `podSelector` selects it and
/// that isolate it for `direction` (the "Isolated and Non-isolated Pods" rule; hostNetwork pods
/// are never selected).
fn isolating_policies(cluster: &Cluster, id: PodId, direction: Direction) -> Vec<String> {
    if cluster.pod(id).pod.spec.host_network {
        return Vec::new();
    }
    (policy::isolating(cluster, id, direction).into_iter())
        .map(|p| &cluster.network_policies[p.index()])
        .map(|p| format!("{}/{}", p.meta.namespace, p.meta.name))
        .collect()
}

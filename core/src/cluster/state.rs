//! The types of the computed cluster state.

use crate::api::cluster_config::{ClusterConfig, NodeRole};
use crate::api::endpoints::EndpointPort;
use crate::api::ingress::{Ingress, IngressClass};
use crate::api::network_policy::NetworkPolicy;
use crate::api::pod::Pod;
use crate::api::service::{ClusterIpSpec, Service, ServiceType};
use crate::api::workload::{Deployment, ReplicaSet, StatefulSet};
use crate::api::{Labels, ObjectRef};
use ipnet::Ipv4Net;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};

/// Index of a node in [`Cluster::nodes`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct NodeId(pub u16);

/// Index of a pod in [`Cluster::pods`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PodId(pub u32);

/// Index of a Service in [`Cluster::services`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ServiceId(pub u32);

impl NodeId {
    /// The index into [`Cluster::nodes`].
    pub fn index(self) -> usize {
        usize::from(self.0)
    }
}

/// A node of the cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeState {
    pub name: String,
    pub role: NodeRole,
    /// The labels a real node carries (`kubernetes.io/hostname`, `kubernetes.io/os`, the
    /// control-plane role label) plus those from the cluster config.
    pub labels: Labels,
    pub internal_ip: Ipv4Addr,
    /// The node's slice of the pod subnet (`spec.podCIDR`).
    pub pod_cidr: Ipv4Net,
}

/// A Namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamespaceState {
    pub name: String,
    /// Labels, always including `kubernetes.io/metadata.name: <name>` as a real cluster sets.
    pub labels: Labels,
    /// Whether the learner declared it (as opposed to built in or implied).
    pub declared: bool,
}

/// A pod with what the scheduler and IPAM decided.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodState {
    pub pod: Pod,
    /// The node it runs on; `None` while Pending (no node fits its nodeSelector/nodeName).
    pub node: Option<NodeId>,
    /// Its IP (the node's IP for hostNetwork pods); `None` while Pending.
    pub ip: Option<IpAddr>,
    /// The workload that owns it (a ReplicaSet or StatefulSet).
    pub owner: Option<ObjectRef>,
    /// Whether it belongs to the cluster itself (CoreDNS).
    pub system: bool,
    /// When it was created, in apply order; decides which Services' environment variables it has.
    pub created: u64,
}

impl PodState {
    /// `namespace/name`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.pod.meta.namespace, self.pod.meta.name)
    }

    /// The label a view groups and colours pods by: `app`, else `app.kubernetes.io/name`, else
    /// `k8s-app`.
    pub fn app_label(&self) -> Option<&str> {
        let labels = &self.pod.meta.labels;
        ["app", "app.kubernetes.io/name", "k8s-app"].iter().find_map(|k| labels.get(*k)).map(String::as_str)
    }

    /// The phase `kubectl get pods` shows.
    pub fn phase(&self) -> &'static str {
        if self.node.is_some() { "Running" } else { "Pending" }
    }
}

/// What a LoadBalancer Service's `status.loadBalancer` holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadBalancerStatus {
    /// Not a LoadBalancer Service.
    NotApplicable,
    /// A LoadBalancer Service with no provider to give it an address.
    Pending,
    Ingress(IpAddr),
}

impl fmt::Display for LoadBalancerStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadBalancerStatus::NotApplicable => f.write_str("<none>"),
            LoadBalancerStatus::Pending => f.write_str("<pending>"),
            LoadBalancerStatus::Ingress(ip) => write!(f, "{ip}"),
        }
    }
}

/// One address behind a Service, for one set of ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The pod behind the address; `None` for an address the learner wrote that is no pod's.
    pub pod: Option<PodId>,
    pub ip: IpAddr,
    pub node: Option<NodeId>,
    pub ready: bool,
    pub hostname: Option<String>,
}

/// An EndpointSlice, computed by the EndpointSlice controller for a Service with a selector,
/// or written by the learner (or mirrored from an Endpoints object) for one without.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointSliceState {
    pub name: String,
    pub namespace: String,
    pub service: String,
    /// The ports every endpoint of this slice serves (a named targetPort resolved per pod is
    /// why one Service can have several slices).
    pub ports: Vec<EndpointPort>,
    pub endpoints: Vec<Endpoint>,
    /// Whether the learner wrote it (or an Endpoints object it mirrors).
    pub user_written: bool,
}

/// A Service with its allocations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceState {
    pub service: Service,
    /// The allocated or requested ClusterIP; `None` for headless and ExternalName Services.
    pub cluster_ip: Option<IpAddr>,
    /// The nodePort of each `spec.ports` entry (same order); `None` where the type has none.
    pub node_ports: Vec<Option<u16>>,
    pub load_balancer: LoadBalancerStatus,
    /// Every endpoint of every slice of this Service, deduplicated by address, in address order.
    pub endpoints: Vec<Endpoint>,
    /// Indices into [`Cluster::endpoint_slices`].
    pub slices: Vec<usize>,
    pub system: bool,
    pub created: u64,
}

impl ServiceState {
    /// `namespace/name`.
    pub fn key(&self) -> String {
        format!("{}/{}", self.service.meta.namespace, self.service.meta.name)
    }

    /// The CLUSTER-IP column: the address, `None` for headless, or the external name's
    /// column value for ExternalName (kubectl prints `<none>` there).
    pub fn cluster_ip_text(&self) -> String {
        match (self.cluster_ip, self.service.spec.cluster_ip, self.service.spec.type_) {
            (Some(ip), _, _) => ip.to_string(),
            (None, _, ServiceType::ExternalName) => "<none>".to_string(),
            (None, ClusterIpSpec::Headless, _) => "None".to_string(),
            (None, _, _) => "<none>".to_string(),
        }
    }

    /// The PORT(S) column: `80/TCP`, `80:30080/TCP`, joined by commas; `<none>` without ports.
    pub fn ports_text(&self) -> String {
        if self.service.spec.ports.is_empty() {
            return "<none>".to_string();
        }
        let parts: Vec<String> = self
            .service
            .spec
            .ports
            .iter()
            .zip(&self.node_ports)
            .map(|(p, node_port)| match node_port {
                Some(np) => format!("{}:{}/{}", p.port, np, p.protocol),
                None => format!("{}/{}", p.port, p.protocol),
            })
            .collect();
        parts.join(",")
    }
}

/// The whole computed cluster.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cluster {
    pub config: ClusterConfig,
    pub nodes: Vec<NodeState>,
    pub namespaces: Vec<NamespaceState>,
    pub pods: Vec<PodState>,
    pub services: Vec<ServiceState>,
    pub endpoint_slices: Vec<EndpointSliceState>,
    pub deployments: Vec<Deployment>,
    pub replica_sets: Vec<ReplicaSet>,
    pub stateful_sets: Vec<StatefulSet>,
    pub ingresses: Vec<Ingress>,
    pub ingress_classes: Vec<IngressClass>,
    pub network_policies: Vec<NetworkPolicy>,
}

impl Cluster {
    /// The pod with id `id`.
    pub fn pod(&self, id: PodId) -> &PodState {
        &self.pods[id.0 as usize]
    }

    /// The node with id `id`.
    pub fn node(&self, id: NodeId) -> &NodeState {
        &self.nodes[id.index()]
    }

    /// The Service `namespace/name`, if it exists.
    pub fn service(&self, namespace: &str, name: &str) -> Option<&ServiceState> {
        self.services.iter().find(|s| s.service.meta.namespace == namespace && s.service.meta.name == name)
    }

    /// The pod `namespace/name`, if it exists.
    pub fn find_pod(&self, namespace: &str, name: &str) -> Option<PodId> {
        self.pods
            .iter()
            .position(|p| p.pod.meta.namespace == namespace && p.pod.meta.name == name)
            .map(|i| PodId(i as u32))
    }
}

//! The types of the computed cluster state.

use super::scheduling::{PendingReason, Taint};
use crate::api::cluster_config::{ClusterConfig, NodeRole};
use crate::api::config_map::ConfigMap;
use crate::api::endpoints::{AddressType, EndpointPort};
use crate::api::ingress::{Ingress, IngressClass};
use crate::api::network_policy::NetworkPolicy;
use crate::api::pod::Pod;
use crate::api::service::{ClusterIpSpec, Service, ServiceType};
use crate::api::workload::{Deployment, ReplicaSet, StatefulSet};
use crate::api::{Labels, ObjectRef};
use ipnet::Ipv4Net;
use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

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
    /// `spec.taints`: control-plane nodes carry `node-role.kubernetes.io/control-plane:NoSchedule`
    /// unless the cluster is a single node (kind removes the taint then).
    pub taints: Vec<Taint>,
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

/// Service environment variables as (name, value) pairs, sorted by name; shared, not copied,
/// between the pods that have the same.
pub type Environment = Arc<[(String, String)]>;

/// A pod with what the scheduler, IPAM and the kubelet decided.
///
/// Invariant: `node`, `ip` and `pending` agree — a pod either runs (`node` and `ip` set,
/// `pending` `None`) or is Pending (`node` and `ip` `None`, `pending` saying why).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodState {
    pub pod: Pod,
    /// The node it runs on; `None` while Pending.
    pub node: Option<NodeId>,
    /// Its IP (the node's IP for hostNetwork pods); `None` while Pending.
    pub ip: Option<IpAddr>,
    /// Why it is Pending; `None` once it runs.
    pub pending: Option<PendingReason>,
    /// The workload that owns it (a ReplicaSet or StatefulSet).
    pub owner: Option<ObjectRef>,
    /// Whether it belongs to the cluster itself (CoreDNS).
    pub system: bool,
    /// When it was created, in apply order; decides which Services' environment variables it has.
    pub created: u64,
    /// The Service environment variables the kubelet gave its containers when they started,
    /// sorted by name (see `controllers::envvars`); empty while Pending. Pods that started
    /// alike share one list.
    pub environment: Environment,
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
        if self.node.is_some() {
            "Running"
        } else {
            "Pending"
        }
    }

    /// Whether the pod is Ready: running (scheduled, so its containers started) and declared
    /// ready. A Pending pod is never Ready, whatever it declares.
    pub fn is_ready(&self) -> bool {
        self.node.is_some() && self.pod.ready
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

/// One address of an EndpointSlice or Endpoints object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoint {
    /// The pod behind the address, when one has it (the model's knowledge; a hand-written
    /// address may be no pod's).
    pub pod: Option<PodId>,
    pub ip: IpAddr,
    /// The node the address lives on (the model's knowledge, used for routing).
    pub node: Option<NodeId>,
    /// `nodeName` as the object carries it (it may name a node that does not exist).
    pub node_name: Option<String>,
    /// `conditions.ready` (or `addresses` rather than `notReadyAddresses`).
    pub ready: bool,
    /// `conditions.serving`: the pod's own readiness, even when `publishNotReadyAddresses`
    /// makes `ready` true.
    pub serving: bool,
    /// `conditions.terminating`; the model never deletes pods gracefully, so only a
    /// hand-written endpoint can be terminating.
    pub terminating: bool,
    pub hostname: Option<String>,
}

/// Who wrote an EndpointSlice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SliceOrigin {
    /// The EndpointSlice controller, for a Service with a selector
    /// (`endpointslice.kubernetes.io/managed-by: endpointslice-controller.k8s.io`).
    Managed,
    /// The EndpointSlice mirroring controller, from a hand-written Endpoints object of a Service
    /// without a selector (`managed-by: endpointslicemirroring-controller.k8s.io`).
    Mirrored,
    /// The learner.
    Written,
    /// The API server, for `default/kubernetes` (no managed-by label).
    ApiServer,
}

/// An EndpointSlice: computed by a controller or the API server, or written by the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointSliceState {
    pub name: String,
    pub namespace: String,
    /// The Service it serves: its `kubernetes.io/service-name` label (a hand-written slice
    /// without the label serves none).
    pub service: Option<String>,
    pub origin: SliceOrigin,
    pub address_type: AddressType,
    /// Every label the object carries, including `kubernetes.io/service-name` and (for
    /// controller slices) `endpointslice.kubernetes.io/managed-by`.
    pub labels: Labels,
    pub annotations: Labels,
    /// The ports every endpoint of this slice serves (a named targetPort resolved per pod is
    /// why one Service can have several slices).
    pub ports: Vec<EndpointPort>,
    pub endpoints: Vec<Endpoint>,
}

/// Who wrote an Endpoints object.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EndpointsOrigin {
    /// The Endpoints controller, for a Service with a selector
    /// (`endpoints.kubernetes.io/managed-by: endpoint-controller`).
    Managed,
    /// The learner.
    Written,
    /// The API server, for `default/kubernetes`.
    ApiServer,
}

/// One `subsets[]` entry of an Endpoints object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointSubset {
    /// `addresses`: the ready endpoints, sorted by IP as text.
    pub addresses: Vec<Endpoint>,
    /// `notReadyAddresses`, sorted likewise.
    pub not_ready_addresses: Vec<Endpoint>,
    /// The ports every address of the subset serves; empty for a headless Service without ports.
    pub ports: Vec<EndpointPort>,
}

/// A `v1` Endpoints object, as `kubectl get endpoints` lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EndpointsState {
    pub name: String,
    pub namespace: String,
    pub origin: EndpointsOrigin,
    pub labels: Labels,
    pub annotations: Labels,
    pub subsets: Vec<EndpointSubset>,
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
    /// `spec.healthCheckNodePort`: allocated for a LoadBalancer Service with
    /// `externalTrafficPolicy: Local`, `None` otherwise.
    pub health_check_node_port: Option<u16>,
    /// Every endpoint of every slice labelled with this Service's name, deduplicated by
    /// address, in address order: what kube-proxy merges.
    pub endpoints: Vec<Endpoint>,
    /// Indices into [`Cluster::endpoint_slices`] of the slices labelled with this Service's name.
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
    /// Every Endpoints object: the controller's, the API server's and the learner's.
    pub endpoints: Vec<EndpointsState>,
    pub deployments: Vec<Deployment>,
    pub replica_sets: Vec<ReplicaSet>,
    pub stateful_sets: Vec<StatefulSet>,
    /// Ingresses as stored, `spec.ingressClassName` defaulted by admission where it applied.
    pub ingresses: Vec<Ingress>,
    pub ingress_classes: Vec<IngressClass>,
    pub network_policies: Vec<NetworkPolicy>,
    /// ConfigMaps as stored, in apply order (CoreDNS reads `kube-system/coredns`).
    pub config_maps: Vec<ConfigMap>,
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
        self.service_id(namespace, name).map(|id| &self.services[id.0 as usize])
    }

    /// The id of the Service `namespace/name`, if it exists.
    pub fn service_id(&self, namespace: &str, name: &str) -> Option<ServiceId> {
        self.services
            .iter()
            .position(|s| s.service.meta.namespace == namespace && s.service.meta.name == name)
            .map(|i| ServiceId(i as u32))
    }

    /// The Service environment variables the kubelet set in `id`'s containers (what
    /// `kubectl exec -- env` shows besides the image's own and `HOSTNAME`), sorted by name;
    /// empty for a Pending pod.
    pub fn environment(&self, id: PodId) -> Vec<(String, String)> {
        self.pod(id).environment.to_vec()
    }

    /// The ConfigMap `namespace/name`, if it exists.
    pub fn config_map(&self, namespace: &str, name: &str) -> Option<&ConfigMap> {
        self.config_maps.iter().find(|c| c.meta.namespace == namespace && c.meta.name == name)
    }

    /// The pod `namespace/name`, if it exists.
    pub fn find_pod(&self, namespace: &str, name: &str) -> Option<PodId> {
        self.pods
            .iter()
            .position(|p| p.pod.meta.namespace == namespace && p.pod.meta.name == name)
            .map(|i| PodId(i as u32))
    }
}

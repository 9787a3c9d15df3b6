//! Object identity and metadata shared by every kind.

use std::collections::BTreeMap;
use std::fmt;

/// Labels (and annotations): sorted, so anything printed from them is deterministic.
pub type Labels = BTreeMap<String, String>;

/// The kinds of object the model understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub enum Kind {
    Namespace,
    Node,
    Pod,
    Service,
    Endpoints,
    EndpointSlice,
    Deployment,
    ReplicaSet,
    StatefulSet,
    Ingress,
    IngressClass,
    NetworkPolicy,
    ConfigMap,
    /// kind's cluster configuration (`kind.x-k8s.io/v1alpha4`): the topology, not an API object.
    Cluster,
}

impl Kind {
    /// The kind as written in `kind:`.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Namespace => "Namespace",
            Kind::Node => "Node",
            Kind::Pod => "Pod",
            Kind::Service => "Service",
            Kind::Endpoints => "Endpoints",
            Kind::EndpointSlice => "EndpointSlice",
            Kind::Deployment => "Deployment",
            Kind::ReplicaSet => "ReplicaSet",
            Kind::StatefulSet => "StatefulSet",
            Kind::Ingress => "Ingress",
            Kind::IngressClass => "IngressClass",
            Kind::NetworkPolicy => "NetworkPolicy",
            Kind::ConfigMap => "ConfigMap",
            Kind::Cluster => "Cluster",
        }
    }

    /// The lower-case resource name kubectl prints before the slash (`service/web`).
    pub fn resource(self) -> &'static str {
        match self {
            Kind::Namespace => "namespace",
            Kind::Node => "node",
            Kind::Pod => "pod",
            Kind::Service => "service",
            Kind::Endpoints => "endpoints",
            Kind::EndpointSlice => "endpointslice.discovery.k8s.io",
            Kind::Deployment => "deployment.apps",
            Kind::ReplicaSet => "replicaset.apps",
            Kind::StatefulSet => "statefulset.apps",
            Kind::Ingress => "ingress.networking.k8s.io",
            Kind::IngressClass => "ingressclass.networking.k8s.io",
            Kind::NetworkPolicy => "networkpolicy.networking.k8s.io",
            Kind::ConfigMap => "configmap",
            Kind::Cluster => "cluster.kind.x-k8s.io",
        }
    }

    /// The `apiVersion` the model serves this kind at.
    pub fn api_version(self) -> &'static str {
        match self {
            Kind::Namespace | Kind::Node | Kind::Pod | Kind::Service | Kind::Endpoints | Kind::ConfigMap => "v1",
            Kind::EndpointSlice => "discovery.k8s.io/v1",
            Kind::Deployment | Kind::ReplicaSet | Kind::StatefulSet => "apps/v1",
            Kind::Ingress | Kind::IngressClass | Kind::NetworkPolicy => "networking.k8s.io/v1",
            Kind::Cluster => "kind.x-k8s.io/v1alpha4",
        }
    }

    /// Whether objects of this kind live in a namespace.
    pub fn is_namespaced(self) -> bool {
        !matches!(self, Kind::Namespace | Kind::Node | Kind::IngressClass | Kind::Cluster)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which object: kind, namespace (empty for cluster-scoped kinds) and name.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
pub struct ObjectRef {
    pub kind: Kind,
    pub namespace: String,
    pub name: String,
}

impl ObjectRef {
    /// A reference to `kind` `namespace/name`.
    pub fn new(kind: Kind, namespace: &str, name: &str) -> ObjectRef {
        ObjectRef { kind, namespace: namespace.to_string(), name: name.to_string() }
    }
}

/// `service/web`, as kubectl names an object in its apply output.
impl fmt::Display for ObjectRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.kind.resource(), self.name)
    }
}

/// The metadata the model keeps for an object.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectMeta {
    pub name: String,
    /// The namespace, with the default (`default`) applied; empty for cluster-scoped kinds.
    pub namespace: String,
    pub labels: Labels,
    pub annotations: Labels,
}

/// An L4 protocol as the Kubernetes API names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub enum Protocol {
    #[default]
    TCP,
    UDP,
    SCTP,
}

impl Protocol {
    /// The three values the API accepts, in the order the API server lists them.
    pub const ALL: [Protocol; 3] = [Protocol::SCTP, Protocol::TCP, Protocol::UDP];

    /// The protocol as written in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::TCP => "TCP",
            Protocol::UDP => "UDP",
            Protocol::SCTP => "SCTP",
        }
    }

    /// Parses the exact, case-sensitive spelling the API accepts.
    pub fn parse(text: &str) -> Option<Protocol> {
        Protocol::ALL.into_iter().find(|p| p.as_str() == text)
    }
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

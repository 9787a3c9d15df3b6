//! The objects a workspace declares, typed and validated, in apply order.
//!
//! Loaders produce an [`Objects`]; controllers read it. Each object keeps where it came from
//! ([`Source`]) so that problems found later (an allocation conflict, a warning) can still be
//! reported at the exact line and column of the field concerned.

use crate::api::cluster_config::ClusterConfig;
use crate::api::config_map::{ConfigMap, Namespace};
use crate::api::endpoints::{EndpointSlice, Endpoints};
use crate::api::ingress::{Ingress, IngressClass};
use crate::api::network_policy::NetworkPolicy;
use crate::api::pod::Pod;
use crate::api::service::Service;
use crate::api::workload::{Deployment, ReplicaSet, StatefulSet};
use crate::api::{Kind, ObjectMeta, ObjectRef};
use crate::diag::Span;
use crate::load::spans;
use crate::yaml::Node;
use std::sync::Arc;

/// Where an object was declared: its file, its document's span, and its document's tree, in
/// which the span of any field can be found by field path (`spec.ports[0].nodePort`).
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub file: String,
    pub span: Span,
    /// The document as parsed, shared rather than copied; `None` for an object built in code.
    root: Option<Arc<Node>>,
}

impl Source {
    /// The source of a document of `file` spanning `span`, whose tree is `root`.
    pub fn new(file: impl Into<String>, span: Span, root: Arc<Node>) -> Source {
        Source { file: file.into(), span, root: Some(root) }
    }

    /// The span of `field`, or of its nearest ancestor that was written, or of the document.
    ///
    /// Ancestors are found by cutting the path at its last `.` or `[`, as text: a map key that
    /// holds either character (`metadata.labels[app.kubernetes.io/name]`) is cut inside.
    pub fn span_of(&self, field: &str) -> Span {
        let Some(root) = &self.root else { return self.span };
        let mut path = field;
        loop {
            if let Some(span) = spans::find(root, path) {
                return span;
            }
            match path.rfind(['.', '[']) {
                Some(cut) => path = &path[..cut],
                None => return self.span,
            }
        }
    }

    /// Whether the document writes `field` itself.
    pub fn has_field(&self, field: &str) -> bool {
        self.root.as_ref().is_some_and(|root| spans::find(root, field).is_some())
    }
}

/// Sources are equal when they name the same file and span and hold the same document.
impl PartialEq for Source {
    fn eq(&self, other: &Source) -> bool {
        self.file == other.file && self.span == other.span && self.root == other.root
    }
}

/// A loaded document holds no NaN (the YAML layer refuses non-finite values), so the tree
/// comparison is an equivalence.
impl Eq for Source {}

/// An object with its source and its position in the apply (0 = first).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Declared<T> {
    pub object: T,
    pub source: Source,
    pub seq: u64,
}

/// Every object of a workspace that passed validation, by kind, each list in apply order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Objects {
    pub cluster_config: Option<Declared<ClusterConfig>>,
    pub namespaces: Vec<Declared<Namespace>>,
    pub pods: Vec<Declared<Pod>>,
    pub services: Vec<Declared<Service>>,
    pub endpoints: Vec<Declared<Endpoints>>,
    pub endpoint_slices: Vec<Declared<EndpointSlice>>,
    pub deployments: Vec<Declared<Deployment>>,
    pub replica_sets: Vec<Declared<ReplicaSet>>,
    pub stateful_sets: Vec<Declared<StatefulSet>>,
    pub ingresses: Vec<Declared<Ingress>>,
    pub ingress_classes: Vec<Declared<IngressClass>>,
    pub network_policies: Vec<Declared<NetworkPolicy>>,
    pub config_maps: Vec<Declared<ConfigMap>>,
}

impl Objects {
    /// Calls `f` with the kind, metadata, source and apply position of every declared API
    /// object (the cluster config, which has no metadata, excepted).
    pub fn for_each(&self, mut f: impl FnMut(Kind, &ObjectMeta, &Source, u64)) {
        fn each<T>(list: &[Declared<T>], kind: Kind, meta: impl Fn(&T) -> &ObjectMeta, f: &mut dyn FnMut(Kind, &ObjectMeta, &Source, u64)) {
            for d in list {
                f(kind, meta(&d.object), &d.source, d.seq);
            }
        }
        each(&self.namespaces, Kind::Namespace, |o| &o.meta, &mut f);
        each(&self.pods, Kind::Pod, |o| &o.meta, &mut f);
        each(&self.services, Kind::Service, |o| &o.meta, &mut f);
        each(&self.endpoints, Kind::Endpoints, |o| &o.meta, &mut f);
        each(&self.endpoint_slices, Kind::EndpointSlice, |o| &o.meta, &mut f);
        each(&self.deployments, Kind::Deployment, |o| &o.meta, &mut f);
        each(&self.replica_sets, Kind::ReplicaSet, |o| &o.meta, &mut f);
        each(&self.stateful_sets, Kind::StatefulSet, |o| &o.meta, &mut f);
        each(&self.ingresses, Kind::Ingress, |o| &o.meta, &mut f);
        each(&self.ingress_classes, Kind::IngressClass, |o| &o.meta, &mut f);
        each(&self.network_policies, Kind::NetworkPolicy, |o| &o.meta, &mut f);
        each(&self.config_maps, Kind::ConfigMap, |o| &o.meta, &mut f);
    }

    /// Every declared object's reference with its apply position, in apply order.
    pub fn refs(&self) -> Vec<(u64, ObjectRef)> {
        let mut refs = Vec::new();
        self.for_each(|kind, meta, _, seq| refs.push((seq, ObjectRef::new(kind, &meta.namespace, &meta.name))));
        if let Some(d) = &self.cluster_config {
            refs.push((d.seq, ObjectRef::new(Kind::Cluster, "", &d.object.name)));
        }
        refs.sort();
        refs
    }
}

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
use crate::diag::{Shift, Span};
use crate::load::spans;
use crate::yaml::Node;
use std::sync::Arc;

/// The file name of an object kept from an earlier apply because the workspace now has errors
/// (`kubectl apply --prune` prunes nothing when an object failed). Diagnostics there are dropped:
/// they would point into text that no longer says it.
pub const KEPT_FILE: &str = "(kept from the last apply)";

/// Where an object was declared: its file, its document's span, and its document's tree, in
/// which the span of any field can be found by field path (`spec.ports[0].nodePort`).
#[derive(Debug, Clone, Default)]
pub struct Source {
    pub file: String,
    pub span: Span,
    /// The document as parsed, shared rather than copied; `None` for an object built in code.
    root: Option<Arc<Node>>,
    /// Moves the tree's positions to the file's, when the document was read on its own
    /// ([`crate::yaml::chunks`]).
    shift: Shift,
}

impl Source {
    /// The source of a document of `file` spanning `span`, whose tree is `root`.
    pub fn new(file: impl Into<String>, span: Span, root: Arc<Node>) -> Source {
        Source { file: file.into(), span, root: Some(root), shift: Shift::default() }
    }

    /// The same source, for a document read on its own that starts `shift` into its file.
    pub fn shifted(self, shift: Shift) -> Source {
        Source { span: shift.span(self.span), shift, ..self }
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
                return self.shift.span(span);
            }
            match path.rfind(['.', '[']) {
                Some(cut) => path = &path[..cut],
                None => return self.span,
            }
        }
    }

    /// The source of an object kept from an earlier apply (see [`KEPT_FILE`]): its text is
    /// gone from the workspace, so it has no file and no positions.
    pub fn kept(&self) -> Source {
        Source { file: KEPT_FILE.to_string(), span: Span::default(), root: None, shift: Shift::default() }
    }

    /// Whether the document writes `field` itself.
    pub fn has_field(&self, field: &str) -> bool {
        self.root.as_ref().is_some_and(|root| spans::find(root, field).is_some())
    }
}

/// Sources are equal when they name the same file and span and hold the same document at the
/// same place.
impl PartialEq for Source {
    fn eq(&self, other: &Source) -> bool {
        self.file == other.file && self.span == other.span && self.shift == other.shift && self.root == other.root
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
        fn each<T>(
            list: &[Declared<T>],
            kind: Kind,
            meta: impl Fn(&T) -> &ObjectMeta,
            f: &mut dyn FnMut(Kind, &ObjectMeta, &Source, u64),
        ) {
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

    /// Adds to `self` every object of `earlier` that `self` does not declare, after its own
    /// (in `earlier`'s order), each with a [`Source::kept`] source; returns their references.
    pub fn keep_missing_from(&mut self, earlier: &Objects) -> Vec<ObjectRef> {
        let declared: std::collections::BTreeSet<ObjectRef> = self.refs().into_iter().map(|(_, r)| r).collect();
        let next = self.refs().last().map_or(0, |(seq, _)| seq + 1);
        let mut kept = Vec::new();
        fn carry<T: Clone>(
            to: &mut Vec<Declared<T>>,
            from: &[Declared<T>],
            kind: Kind,
            meta: impl Fn(&T) -> &ObjectMeta,
            declared: &std::collections::BTreeSet<ObjectRef>,
            next: u64,
            kept: &mut Vec<ObjectRef>,
        ) {
            for d in from {
                let r = ObjectRef::new(kind, &meta(&d.object).namespace, &meta(&d.object).name);
                if !declared.contains(&r) {
                    to.push(Declared { object: d.object.clone(), source: d.source.kept(), seq: next + d.seq });
                    kept.push(r);
                }
            }
        }
        carry(&mut self.namespaces, &earlier.namespaces, Kind::Namespace, |o| &o.meta, &declared, next, &mut kept);
        carry(&mut self.pods, &earlier.pods, Kind::Pod, |o| &o.meta, &declared, next, &mut kept);
        carry(&mut self.services, &earlier.services, Kind::Service, |o| &o.meta, &declared, next, &mut kept);
        carry(&mut self.endpoints, &earlier.endpoints, Kind::Endpoints, |o| &o.meta, &declared, next, &mut kept);
        carry(
            &mut self.endpoint_slices,
            &earlier.endpoint_slices,
            Kind::EndpointSlice,
            |o| &o.meta,
            &declared,
            next,
            &mut kept,
        );
        carry(&mut self.deployments, &earlier.deployments, Kind::Deployment, |o| &o.meta, &declared, next, &mut kept);
        carry(&mut self.replica_sets, &earlier.replica_sets, Kind::ReplicaSet, |o| &o.meta, &declared, next, &mut kept);
        carry(
            &mut self.stateful_sets,
            &earlier.stateful_sets,
            Kind::StatefulSet,
            |o| &o.meta,
            &declared,
            next,
            &mut kept,
        );
        carry(&mut self.ingresses, &earlier.ingresses, Kind::Ingress, |o| &o.meta, &declared, next, &mut kept);
        carry(
            &mut self.ingress_classes,
            &earlier.ingress_classes,
            Kind::IngressClass,
            |o| &o.meta,
            &declared,
            next,
            &mut kept,
        );
        carry(
            &mut self.network_policies,
            &earlier.network_policies,
            Kind::NetworkPolicy,
            |o| &o.meta,
            &declared,
            next,
            &mut kept,
        );
        carry(&mut self.config_maps, &earlier.config_maps, Kind::ConfigMap, |o| &o.meta, &declared, next, &mut kept);
        if let (None, Some(d)) = (&self.cluster_config, &earlier.cluster_config) {
            self.cluster_config =
                Some(Declared { object: d.object.clone(), source: d.source.kept(), seq: next + d.seq });
            kept.push(ObjectRef::new(Kind::Cluster, "", &d.object.name));
        }
        kept
    }

    /// Removes every declared object named in `refs` (the cluster config included).
    pub fn remove(&mut self, refs: &std::collections::BTreeSet<ObjectRef>) {
        fn drop_named<T>(
            list: &mut Vec<Declared<T>>,
            kind: Kind,
            meta: impl Fn(&T) -> &ObjectMeta,
            refs: &std::collections::BTreeSet<ObjectRef>,
        ) {
            list.retain(|d| !refs.contains(&ObjectRef::new(kind, &meta(&d.object).namespace, &meta(&d.object).name)));
        }
        drop_named(&mut self.namespaces, Kind::Namespace, |o| &o.meta, refs);
        drop_named(&mut self.pods, Kind::Pod, |o| &o.meta, refs);
        drop_named(&mut self.services, Kind::Service, |o| &o.meta, refs);
        drop_named(&mut self.endpoints, Kind::Endpoints, |o| &o.meta, refs);
        drop_named(&mut self.endpoint_slices, Kind::EndpointSlice, |o| &o.meta, refs);
        drop_named(&mut self.deployments, Kind::Deployment, |o| &o.meta, refs);
        drop_named(&mut self.replica_sets, Kind::ReplicaSet, |o| &o.meta, refs);
        drop_named(&mut self.stateful_sets, Kind::StatefulSet, |o| &o.meta, refs);
        drop_named(&mut self.ingresses, Kind::Ingress, |o| &o.meta, refs);
        drop_named(&mut self.ingress_classes, Kind::IngressClass, |o| &o.meta, refs);
        drop_named(&mut self.network_policies, Kind::NetworkPolicy, |o| &o.meta, refs);
        drop_named(&mut self.config_maps, Kind::ConfigMap, |o| &o.meta, refs);
        if self
            .cluster_config
            .as_ref()
            .is_some_and(|d| refs.contains(&ObjectRef::new(Kind::Cluster, "", &d.object.name)))
        {
            self.cluster_config = None;
        }
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

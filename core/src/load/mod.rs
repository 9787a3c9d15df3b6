//! Loading: from workspace files to validated, typed objects.
//!
//! Each file is parsed ([`crate::yaml`]); each document is decoded ([`crate::decode`]) by the
//! loader of its apiVersion and kind, which checks it the way the API server would
//! ([`crate::validation`]) and builds the typed object ([`crate::api`]). A document with any
//! error is rejected whole, as the API server rejects an invalid object, with every problem
//! reported; the rest of the workspace still loads. Nothing here panics on user input.

mod apis;
mod cluster_config;
mod context;
mod endpoints;
mod ingress;
mod meta;
mod network_policy;
mod pod;
mod service;
mod spans;
mod workload;

pub use apis::ApiKind;
pub use context::Ctx;

use crate::api::{Kind, ObjectRef};
use crate::decode::Item;
use crate::diag::{Diagnostic, Severity};
use crate::objects::{Declared, Objects, Source};
use crate::simulation::SourceFile;
use crate::yaml::{self, Node, Value};
use std::collections::BTreeMap;

/// What a workspace declares, and what was wrong with it.
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    /// Every object that passed validation.
    pub objects: Objects,
    /// A canonical rendering of each object's document, to tell `configured` from `unchanged`.
    pub fingerprints: BTreeMap<ObjectRef, String>,
    pub diagnostics: Vec<Diagnostic>,
    /// False when any file has a YAML syntax error (its later documents could not be read).
    pub syntax_ok: bool,
}

/// A typed object of any kind, as one document declares it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum AnyObject {
    ClusterConfig(crate::api::cluster_config::ClusterConfig),
    Namespace(crate::api::config_map::Namespace),
    ConfigMap(crate::api::config_map::ConfigMap),
    Pod(crate::api::pod::Pod),
    Service(crate::api::service::Service),
    Deployment(crate::api::workload::Deployment),
    ReplicaSet(crate::api::workload::ReplicaSet),
    StatefulSet(crate::api::workload::StatefulSet),
    Endpoints(crate::api::endpoints::Endpoints),
    EndpointSlice(crate::api::endpoints::EndpointSlice),
    Ingress(crate::api::ingress::Ingress),
    IngressClass(crate::api::ingress::IngressClass),
    NetworkPolicy(crate::api::network_policy::NetworkPolicy),
}

/// Loads every file of a workspace, in order.
pub fn load_workspace(files: &[SourceFile]) -> Loaded {
    let mut loaded = Loaded { syntax_ok: true, ..Default::default() };
    let mut seen: BTreeMap<ObjectRef, (String, u32)> = BTreeMap::new();
    let mut seq = 0u64;
    for file in files {
        let parsed = yaml::parse_file(&file.name, &file.text);
        if !parsed.diagnostics.is_empty() {
            loaded.syntax_ok = false;
        }
        loaded.diagnostics.extend(parsed.diagnostics);
        for doc in &parsed.documents {
            let source = Source { file: file.name.clone(), span: doc.span, field_spans: spans::index(&doc.root) };
            let mut ctx = Ctx::new(&file.name, &file.text, &source);
            let object = load_document(&mut ctx, &doc.root);
            let diagnostics = ctx.into_diagnostics();
            let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
            loaded.diagnostics.extend(diagnostics);
            let Some(object) = object.filter(|_| !failed) else { continue };
            let declared_ref = object_ref(&object);
            let line = doc.span.start.line;
            if let Some((other_file, other_line)) = seen.insert(declared_ref.clone(), (file.name.clone(), line)) {
                loaded.diagnostics.push(
                    Diagnostic::warning(
                        &file.name,
                        source.span_of("metadata.name"),
                        "metadata.name",
                        format!("{declared_ref} is also declared at {other_file}:{other_line}; this later one wins"),
                    )
                    .with_hint("keep one declaration per object"),
                );
            }
            loaded.fingerprints.insert(declared_ref, fingerprint(&doc.root));
            push(&mut loaded.objects, object, source, seq);
            seq += 1;
        }
    }
    loaded
}

fn load_document(ctx: &mut Ctx, root: &Node) -> Option<AnyObject> {
    let item = Item::root(root);
    let mut top = ctx.d.map(&item)?;
    let kind = apis::resolve(ctx, &mut top)?;
    if kind == Kind::Cluster {
        return cluster_config::load(ctx, top).map(AnyObject::ClusterConfig);
    }
    let meta = meta::load(ctx, &mut top, kind)?;
    match kind {
        Kind::Namespace => meta::load_namespace(ctx, top, meta).map(AnyObject::Namespace),
        Kind::ConfigMap => meta::load_config_map(ctx, top, meta).map(AnyObject::ConfigMap),
        Kind::Pod => pod::load_pod(ctx, top, meta).map(AnyObject::Pod),
        Kind::Service => service::load(ctx, top, meta).map(AnyObject::Service),
        Kind::Deployment => workload::load_deployment(ctx, top, meta).map(AnyObject::Deployment),
        Kind::ReplicaSet => workload::load_replica_set(ctx, top, meta).map(AnyObject::ReplicaSet),
        Kind::StatefulSet => workload::load_stateful_set(ctx, top, meta).map(AnyObject::StatefulSet),
        Kind::Endpoints => endpoints::load_endpoints(ctx, top, meta).map(AnyObject::Endpoints),
        Kind::EndpointSlice => endpoints::load_slice(ctx, top, meta).map(AnyObject::EndpointSlice),
        Kind::Ingress => ingress::load_ingress(ctx, top, meta).map(AnyObject::Ingress),
        Kind::IngressClass => ingress::load_class(ctx, top, meta).map(AnyObject::IngressClass),
        Kind::NetworkPolicy => network_policy::load(ctx, top, meta).map(AnyObject::NetworkPolicy),
        other => {
            ctx.unsupported_kind(other, top.span());
            top.ignore(&["spec", "status", "data"]);
            top.finish(&mut ctx.d);
            None
        }
    }
}

fn object_ref(object: &AnyObject) -> ObjectRef {
    let of = |kind: Kind, meta: &crate::api::ObjectMeta| ObjectRef::new(kind, &meta.namespace, &meta.name);
    match object {
        AnyObject::ClusterConfig(c) => ObjectRef::new(Kind::Cluster, "", &c.name),
        AnyObject::Namespace(o) => of(Kind::Namespace, &o.meta),
        AnyObject::ConfigMap(o) => of(Kind::ConfigMap, &o.meta),
        AnyObject::Pod(o) => of(Kind::Pod, &o.meta),
        AnyObject::Service(o) => of(Kind::Service, &o.meta),
        AnyObject::Deployment(o) => of(Kind::Deployment, &o.meta),
        AnyObject::ReplicaSet(o) => of(Kind::ReplicaSet, &o.meta),
        AnyObject::StatefulSet(o) => of(Kind::StatefulSet, &o.meta),
        AnyObject::Endpoints(o) => of(Kind::Endpoints, &o.meta),
        AnyObject::EndpointSlice(o) => of(Kind::EndpointSlice, &o.meta),
        AnyObject::Ingress(o) => of(Kind::Ingress, &o.meta),
        AnyObject::IngressClass(o) => of(Kind::IngressClass, &o.meta),
        AnyObject::NetworkPolicy(o) => of(Kind::NetworkPolicy, &o.meta),
    }
}

/// Adds `object` to its kind's list; a later declaration of the same object replaces the earlier.
fn push(objects: &mut Objects, object: AnyObject, source: Source, seq: u64) {
    fn put<T>(list: &mut Vec<Declared<T>>, object: T, source: Source, seq: u64, same: impl Fn(&T, &T) -> bool) {
        list.retain(|d| !same(&d.object, &object));
        list.push(Declared { object, source, seq });
    }
    let by_meta = |a: &crate::api::ObjectMeta, b: &crate::api::ObjectMeta| a.namespace == b.namespace && a.name == b.name;
    match object {
        AnyObject::ClusterConfig(c) => objects.cluster_config = Some(Declared { object: c, source, seq }),
        AnyObject::Namespace(o) => put(&mut objects.namespaces, o, source, seq, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::ConfigMap(o) => put(&mut objects.config_maps, o, source, seq, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::Pod(o) => put(&mut objects.pods, o, source, seq, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::Service(o) => put(&mut objects.services, o, source, seq, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::Deployment(o) => put(&mut objects.deployments, o, source, seq, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::ReplicaSet(o) => put(&mut objects.replica_sets, o, source, seq, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::StatefulSet(o) => put(&mut objects.stateful_sets, o, source, seq, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::Endpoints(o) => put(&mut objects.endpoints, o, source, seq, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::EndpointSlice(o) => put(&mut objects.endpoint_slices, o, source, seq, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::Ingress(o) => put(&mut objects.ingresses, o, source, seq, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::IngressClass(o) => put(&mut objects.ingress_classes, o, source, seq, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::NetworkPolicy(o) => {
            put(&mut objects.network_policies, o, source, seq, |a, b| by_meta(&a.meta, &b.meta))
        }
    }
}

/// A canonical rendering of a node: same content, same string, whatever the formatting
/// (comments, quoting, key order and flow style do not matter).
fn fingerprint(node: &Node) -> String {
    fn write(node: &Node, out: &mut String) {
        match &node.value {
            Value::Map(entries) => {
                let mut sorted: Vec<&(Node, Node)> = entries.iter().collect();
                sorted.sort_by(|a, b| a.0.as_str().cmp(&b.0.as_str()));
                out.push('{');
                for (k, v) in sorted {
                    out.push_str(&k.value.api_repr());
                    out.push(':');
                    write(v, out);
                    out.push(',');
                }
                out.push('}');
            }
            Value::Seq(items) => {
                out.push('[');
                for item in items {
                    write(item, out);
                    out.push(',');
                }
                out.push(']');
            }
            scalar => out.push_str(&scalar.api_repr()),
        }
    }
    let mut out = String::new();
    write(node, &mut out);
    out
}

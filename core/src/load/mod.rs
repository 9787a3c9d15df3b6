//! Loading: from workspace files to validated, typed objects.
//!
//! Each file is parsed ([`crate::yaml`]); each document is decoded ([`crate::decode`]) by the
//! loader of its apiVersion and kind, which checks it the way the API server would
//! ([`crate::validation`]) and builds the typed object ([`crate::api`]). A document with any
//! error is rejected whole, as the API server rejects an invalid object, with every problem
//! reported; the rest of the workspace still loads. Nothing here panics on user input.

mod apis;
mod cache;
mod cluster_config;
mod context;
mod endpoints;
mod ingress;
mod meta;
mod network_policy;
mod pod;
mod service;
pub(crate) mod spans;
mod workload;

pub use apis::ApiKind;
pub use cache::LoadCache;
pub use context::Ctx;

use crate::api::{Kind, ObjectRef};
use crate::decode::Item;
use crate::diag::Diagnostic;
use crate::objects::{Declared, Objects, Source};
use crate::simulation::SourceFile;
use crate::yaml::{Node, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// What a workspace declares, and what was wrong with it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loaded {
    /// Every object that passed validation.
    pub objects: Objects,
    /// A fingerprint of each object's document, to tell `configured` from `unchanged`.
    pub fingerprints: BTreeMap<ObjectRef, u64>,
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
    load_workspace_cached(files, &mut LoadCache::default())
}

/// Loads every file of a workspace, in order, reading again only the documents that `cache`
/// does not remember (see [`LoadCache`]); `cache` then remembers this workspace's.
pub fn load_workspace_cached(files: &[SourceFile], cache: &mut LoadCache) -> Loaded {
    let mut earlier = std::mem::take(cache);
    let mut loaded = Loaded { syntax_ok: true, ..Default::default() };
    let mut seen: BTreeMap<ObjectRef, (String, u32)> = BTreeMap::new();
    let mut seq = 0u64;
    for file in files {
        let read = cache.read(&mut earlier, file);
        if !read.syntax.is_empty() {
            loaded.syntax_ok = false;
        }
        loaded.diagnostics.extend(read.syntax);
        for (shift, document) in read.documents {
            loaded
                .diagnostics
                .extend(document.diagnostics.into_iter().map(|d| Diagnostic { span: shift.span(d.span), ..d }));
            let Some(object) = document.object else { continue };
            let source = document.source.shifted(shift);
            let declared_ref = object_ref(&object);
            let line = source.span.start.line;
            let earlier_declaration = seen.insert(declared_ref.clone(), (file.name.clone(), line));
            let replaces = earlier_declaration.is_some();
            if let Some((other_file, other_line)) = earlier_declaration {
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
            loaded.fingerprints.insert(declared_ref, document.fingerprint);
            push(&mut loaded.objects, object, source, seq, replaces);
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
fn push(objects: &mut Objects, object: AnyObject, source: Source, seq: u64, replaces: bool) {
    fn put<T>(list: &mut Vec<Declared<T>>, object: T, at: (Source, u64, bool), same: impl Fn(&T, &T) -> bool) {
        let (source, seq, replaces) = at;
        // Only a name declared before (see `seen`) can be in the list already.
        if replaces {
            list.retain(|d| !same(&d.object, &object));
        }
        list.push(Declared { object, source, seq });
    }
    let at = (source, seq, replaces);
    let by_meta =
        |a: &crate::api::ObjectMeta, b: &crate::api::ObjectMeta| a.namespace == b.namespace && a.name == b.name;
    match object {
        AnyObject::ClusterConfig(c) => objects.cluster_config = Some(Declared { object: c, source: at.0, seq }),
        AnyObject::Namespace(o) => put(&mut objects.namespaces, o, at, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::ConfigMap(o) => put(&mut objects.config_maps, o, at, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::Pod(o) => put(&mut objects.pods, o, at, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::Service(o) => put(&mut objects.services, o, at, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::Deployment(o) => put(&mut objects.deployments, o, at, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::ReplicaSet(o) => put(&mut objects.replica_sets, o, at, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::StatefulSet(o) => put(&mut objects.stateful_sets, o, at, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::Endpoints(o) => put(&mut objects.endpoints, o, at, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::EndpointSlice(o) => put(&mut objects.endpoint_slices, o, at, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::Ingress(o) => put(&mut objects.ingresses, o, at, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::IngressClass(o) => put(&mut objects.ingress_classes, o, at, |a, b| by_meta(&a.meta, &b.meta)),
        AnyObject::NetworkPolicy(o) => put(&mut objects.network_policies, o, at, |a, b| by_meta(&a.meta, &b.meta)),
    }
}

/// A fingerprint of a node's content: equal for equal content whatever the formatting
/// (comments, quoting, key order and flow style do not matter), and different otherwise but
/// for a chance in about 2^64. Scalars count as equal when the API server prints them alike
/// (`80` and `80.0` are one number; `"80"` is a string). Nothing is allocated but a float's text.
///
/// Fingerprints depend on the content alone (no random keys) and are only compared with each
/// other, never shown.
fn fingerprint(node: &Node) -> u64 {
    let mut hasher = Fingerprint::default();
    hasher.node(node);
    hasher.finish()
}

/// A streaming 64-bit hash: a multiply-rotate mix per 8 bytes, finished with MurmurHash3's
/// `fmix64` so that every input bit reaches every output bit.
#[derive(Default)]
struct Fingerprint(u64);

impl Fingerprint {
    fn word(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(23) ^ word).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }

    /// A string, length first, so that no two sequences of strings feed the same words.
    fn text(&mut self, text: &str) {
        self.word(text.len() as u64);
        let mut chunks = text.as_bytes().chunks_exact(8);
        for chunk in &mut chunks {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(chunk);
            self.word(u64::from_le_bytes(bytes));
        }
        let rest = chunks.remainder();
        if !rest.is_empty() {
            let mut bytes = [0u8; 8];
            bytes[..rest.len()].copy_from_slice(rest);
            self.word(u64::from_le_bytes(bytes));
        }
    }

    fn node(&mut self, node: &Node) {
        match &node.value {
            Value::Null => self.word(0),
            Value::Bool(b) => self.word(1 + u64::from(*b)),
            // One tag and the printed number for both kinds of number, so that `80.0` is `80`.
            Value::Int(i) => {
                self.word(3);
                let mut digits = Digits::default();
                let _ = write!(digits, "{i}");
                self.text(digits.as_str());
            }
            Value::Float(_) => {
                self.word(3);
                self.text(&node.value.api_repr());
            }
            Value::Str(s) => {
                self.word(4);
                self.text(s);
            }
            Value::Seq(items) => {
                self.word(5);
                self.word(items.len() as u64);
                for item in items {
                    self.node(item);
                }
            }
            // Keys are unique, so the entries are a set: each is hashed on its own and the
            // hashes summed, which makes their order irrelevant without sorting them.
            Value::Map(entries) => {
                let mut sum = 0u64;
                for (key, value) in entries {
                    let mut entry = Fingerprint::default();
                    entry.text(key.as_str().unwrap_or_default());
                    entry.node(value);
                    sum = sum.wrapping_add(entry.finish());
                }
                self.word(6);
                self.word(entries.len() as u64);
                self.word(sum);
            }
        }
    }

    /// MurmurHash3's 64-bit finalizer.
    fn finish(&self) -> u64 {
        let mut h = self.0;
        h ^= h >> 33;
        h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
        h ^= h >> 33;
        h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
        h ^ (h >> 33)
    }
}

/// The decimal text of an `i64`, written without allocating.
#[derive(Default)]
struct Digits {
    bytes: [u8; 20],
    len: usize,
}

impl Digits {
    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.bytes[..self.len]).unwrap_or_default()
    }
}

impl std::fmt::Write for Digits {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let end = self.len + s.len();
        self.bytes.get_mut(self.len..end).ok_or(std::fmt::Error)?.copy_from_slice(s.as_bytes());
        self.len = end;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    /// The canonical text the fingerprint stands for: sorted keys, scalars as the API server
    /// prints them.
    fn canonical(node: &Node) -> String {
        match &node.value {
            Value::Map(entries) => {
                let mut sorted: Vec<&(Node, Node)> = entries.iter().collect();
                sorted.sort_by(|a, b| a.0.as_str().cmp(&b.0.as_str()));
                let entries: Vec<String> =
                    sorted.iter().map(|(k, v)| format!("{}:{}", k.value.api_repr(), canonical(v))).collect();
                format!("{{{}}}", entries.join(","))
            }
            Value::Seq(items) => format!("[{}]", items.iter().map(canonical).collect::<Vec<_>>().join(",")),
            scalar => scalar.api_repr(),
        }
    }

    #[test]
    fn fingerprints_are_equal_exactly_when_the_canonical_content_is() {
        let documents = [
            "a: 1\nb: [x, y]\n",
            "# a comment\nb:\n- x\n- 'y'\na: 1\n",
            "{a: 1.0, b: [\"x\", y]}\n",
            "a: \"1\"\nb: [x, y]\n",
            "a: 1\nb: [y, x]\n",
            "a: 1\nb: [x, y, null]\n",
            "a: 1\nb: [x, y, ~]\n",
            "a: 1\nb: [x, y, \"null\"]\n",
            "a: true\nb: [x, y]\n",
            "a: yes\nb: [x, y]\n",
            "a: \"true\"\nb: [x, y]\n",
            "a: 1e3\n",
            "a: 1000\n",
            "a: 1.5\n",
            "a: {b: 1}\n",
            "a: {b: 1, c: 2}\n",
            "a: {c: 2, b: 1}\n",
            "a: [{b: 1}, {c: 2}]\n",
            "a: [{b: 1, c: 2}]\n",
            "a: [[1], []]\n",
            "a: [[], [1]]\n",
            "a: {}\nb: []\n",
            "a: []\nb: {}\n",
            "a: 9223372036854775807\n",
            "a: -9223372036854775808\n",
            "a: 9223372036854775808\n",
        ];
        let roots: Vec<Node> = documents
            .iter()
            .map(|text| yaml::parse_file("t.yaml", text).documents.into_iter().next().expect("a document").root)
            .collect();
        for (a, text_a) in roots.iter().zip(documents) {
            for (b, text_b) in roots.iter().zip(documents) {
                let same = canonical(a) == canonical(b);
                assert_eq!(fingerprint(a) == fingerprint(b), same, "{text_a:?} vs {text_b:?}");
            }
        }
    }
}

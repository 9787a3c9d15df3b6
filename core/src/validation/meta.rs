//! Object metadata: the name, namespace, labels and annotations every object carries.
//!
//! Which format a name must have depends on the kind: most kinds take an RFC 1123 subdomain,
//! Namespaces an RFC 1123 label, Services an RFC 1035 label ([`NameRule`]). A namespaced
//! object's namespace must be an RFC 1123 label. Labels must be valid label keys and values.
//! Annotation keys follow the label-key rules but case does not matter, and all annotations
//! together may take at most 256 KiB (keys plus values, in bytes).
//!
//! Upstream: `k8s.io/apimachinery/pkg/api/validation/objectmeta.go`
//! (`ValidateObjectMetaAccessor`, `ValidateAnnotations`, `ValidateAnnotationsSize`,
//! `TotalAnnotationSizeLimitB`) and `generic.go` (`NameIsDNSSubdomain`, `NameIsDNSLabel`,
//! `NameIsDNS1035Label`, `ValidateNamespaceName`). `generateName`, owner references,
//! finalizers and managed fields are not modeled. A cluster-scoped object's namespace is not
//! checked: the API server clears it before validating.
//!
//! Errors come in upstream's order: name, namespace, labels, annotations.

use super::labels::{labels, qualified_name};
use super::names::{dns1035_label, dns1123_label, dns1123_subdomain};
use super::{FieldError, PathError};

/// The most bytes all annotations of one object may take together (keys plus values).
pub const TOTAL_ANNOTATION_SIZE_LIMIT: usize = 256 * 1024;

/// The format a kind requires of object names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NameRule {
    /// An RFC 1123 subdomain: Pods, Deployments, ConfigMaps, NetworkPolicies, EndpointSlices.
    Dns1123Subdomain,
    /// An RFC 1123 label: Namespaces.
    Dns1123Label,
    /// An RFC 1035 label: Services.
    Dns1035Label,
}

impl NameRule {
    /// The detail messages for `name` under this rule; empty when it is valid.
    pub fn check(self, name: &str) -> Vec<String> {
        match self {
            NameRule::Dns1123Subdomain => dns1123_subdomain(name),
            NameRule::Dns1123Label => dns1123_label(name),
            NameRule::Dns1035Label => dns1035_label(name),
        }
    }
}

/// The parts of `metadata` the API server validates on create.
#[derive(Debug, Clone, Copy)]
pub struct ObjectMeta<'a> {
    /// `metadata.name`; empty when missing.
    pub name: &'a str,
    /// `metadata.namespace` for a namespaced kind (empty when missing); `None` for a
    /// cluster-scoped kind.
    pub namespace: Option<&'a str>,
    /// `metadata.labels`, in source order.
    pub labels: &'a [(String, String)],
    /// `metadata.annotations`, in source order.
    pub annotations: &'a [(String, String)],
}

/// Checks an object's metadata with `rule` for its name; paths start at `metadata`.
pub fn object_meta(meta: &ObjectMeta<'_>, rule: NameRule) -> Vec<PathError> {
    let mut errs = Vec::new();
    if meta.name.is_empty() {
        errs.push(FieldError::required("name or generateName is required").at("metadata.name"));
    } else {
        errs.extend(rule.check(meta.name).into_iter().map(|m| FieldError::invalid(meta.name, m).at("metadata.name")));
    }
    match meta.namespace {
        Some("") => errs.push(FieldError::required("").at("metadata.namespace")),
        Some(namespace) => errs.extend(
            dns1123_label(namespace).into_iter().map(|m| FieldError::invalid(namespace, m).at("metadata.namespace")),
        ),
        None => {}
    }
    errs.extend(labels(meta.labels, "metadata.labels"));
    errs.extend(annotations(meta.annotations, "metadata.annotations"));
    errs
}

/// Checks annotations at `path`: keys as lower-cased label keys, then the total size.
pub fn annotations(entries: &[(String, String)], path: &str) -> Vec<PathError> {
    let mut errs: Vec<PathError> = entries
        .iter()
        .flat_map(|(key, _)| {
            qualified_name(&key.to_lowercase()).into_iter().map(move |m| FieldError::invalid(key.as_str(), m).at(path))
        })
        .collect();
    let total: usize = entries.iter().map(|(k, v)| k.len() + v.len()).sum();
    if total > TOTAL_ANNOTATION_SIZE_LIMIT {
        errs.push(FieldError::TooLong { max: TOTAL_ANNOTATION_SIZE_LIMIT }.at(path));
    }
    errs
}

//! What kubectl prints about the computed cluster: `kubectl get` tables (plain, `-o wide`, `-A`),
//! `-o json` / `-o yaml`, and `kubectl describe service`.
//!
//! Every layout rule is kubectl's own, and the function that applies it names the upstream
//! function it follows: the column printers of kubernetes/kubernetes
//! `pkg/printers/internalversion/printers.go`, the table printer and tab writer of cli-runtime
//! (`pkg/printers/tableprinter.go`, `tabwriter.go`), and kubectl's `pkg/cmd/get/get.go` and
//! `pkg/describe/describe.go`. The renderer only reads a [`Cluster`]; it decides nothing about
//! networking. Output is deterministic: objects come in the API server's list order (namespace,
//! then name, byte-wise) and maps print with sorted keys, as kubectl prints them.
//!
//! The model has no clock. Every AGE is `<unknown>` and every timestamp is `null`, which is what
//! kubectl prints for an object without a `creationTimestamp`; both come from this module
//! ([`AGE`], `timestamp`) so a future clock changes one place.

mod describe;
mod encode;
mod objects;
mod table;
pub(crate) mod text;

pub use describe::describe_service;

use crate::cluster::Cluster;
use std::fmt;

/// What the AGE column shows for an object without a creation time (`translateTimestampSince`).
pub const AGE: &str = "<unknown>";

/// The value of every timestamp field (`creationTimestamp`, `lastTransitionTime`…): `null`, as
/// a zero `metav1.Time` marshals.
fn timestamp() -> serde_json::Value {
    serde_json::Value::Null
}

/// A resource type `kubectl get` understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Resource {
    Pods,
    Services,
    Endpoints,
    EndpointSlices,
    Nodes,
    Deployments,
    ReplicaSets,
    StatefulSets,
    Ingresses,
    NetworkPolicies,
    Namespaces,
}

impl Resource {
    /// Every resource type, in the order `kubectl api-resources` lists them.
    pub const ALL: [Resource; 11] = [
        Resource::Endpoints,
        Resource::Namespaces,
        Resource::Nodes,
        Resource::Pods,
        Resource::Services,
        Resource::Deployments,
        Resource::ReplicaSets,
        Resource::StatefulSets,
        Resource::EndpointSlices,
        Resource::Ingresses,
        Resource::NetworkPolicies,
    ];

    /// Plural, singular, short names and API group, as the API server's discovery lists them.
    fn names(self) -> (&'static str, &'static str, &'static [&'static str], &'static str) {
        match self {
            Resource::Pods => ("pods", "pod", &["po"], ""),
            Resource::Services => ("services", "service", &["svc"], ""),
            Resource::Endpoints => ("endpoints", "endpoints", &["ep"], ""),
            Resource::EndpointSlices => ("endpointslices", "endpointslice", &[], "discovery.k8s.io"),
            Resource::Nodes => ("nodes", "node", &["no"], ""),
            Resource::Deployments => ("deployments", "deployment", &["deploy"], "apps"),
            Resource::ReplicaSets => ("replicasets", "replicaset", &["rs"], "apps"),
            Resource::StatefulSets => ("statefulsets", "statefulset", &["sts"], "apps"),
            Resource::Ingresses => ("ingresses", "ingress", &["ing"], "networking.k8s.io"),
            Resource::NetworkPolicies => ("networkpolicies", "networkpolicy", &["netpol"], "networking.k8s.io"),
            Resource::Namespaces => ("namespaces", "namespace", &["ns"], ""),
        }
    }

    /// Parses a resource name as kubectl accepts it, case-insensitively: plural, singular, short
    /// name, or plural/singular qualified by its group (`deployments.apps`).
    pub fn parse(text: &str) -> Option<Resource> {
        let text = text.to_ascii_lowercase();
        Resource::ALL.into_iter().find(|r| {
            let (plural, singular, short, group) = r.names();
            let bare = match text.split_once('.') {
                Some((name, g)) if g == group => name,
                Some(_) => return false,
                None => text.as_str(),
            };
            bare == plural || bare == singular || (!text.contains('.') && short.contains(&bare))
        })
    }

    /// The plural name qualified by group, as the API server names it in errors
    /// (`services`, `deployments.apps`).
    pub fn qualified_name(self) -> String {
        let (plural, _, _, group) = self.names();
        if group.is_empty() {
            plural.to_string()
        } else {
            format!("{plural}.{group}")
        }
    }

    /// Whether objects of this type live in a namespace.
    pub fn is_namespaced(self) -> bool {
        !matches!(self, Resource::Nodes | Resource::Namespaces)
    }

    /// The warning the API server sends with every read of this type, which kubectl prints on
    /// stderr before the output (Kubernetes 1.33 deprecates `v1` Endpoints).
    pub fn warning(self) -> Option<&'static str> {
        match self {
            Resource::Endpoints => {
                Some("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice")
            }
            _ => None,
        }
    }
}

/// Which namespaces a query covers: `-n <namespace>` (or the default), or `-A`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    Namespace(String),
    All,
}

/// What `kubectl get` was asked for: a type, a scope, and optionally one object's name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub resource: Resource,
    pub scope: Scope,
    pub name: Option<String>,
}

/// `-o`: the table, the wide table, JSON or YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Wide,
    Json,
    Yaml,
}

/// Why `kubectl get` or `describe` printed nothing on stdout; `Display` gives the exact line
/// kubectl writes on stderr (without the newline).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GetError {
    /// An empty table: `No resources found in <namespace> namespace.`, or with `-A`
    /// `No resources found` (kubectl's `get.go`; an empty cluster-scoped list in a namespace
    /// scope says "in … namespace." too, as kubectl does).
    NoResources(Scope),
    /// A named object that does not exist.
    NotFound { resource: Resource, name: String },
    /// A name with `-A`, which cli-runtime's resource builder refuses (`visitByName`).
    NameAcrossNamespaces,
}

impl fmt::Display for GetError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GetError::NoResources(Scope::Namespace(ns)) => write!(f, "No resources found in {ns} namespace."),
            GetError::NoResources(Scope::All) => f.write_str("No resources found"),
            GetError::NotFound { resource, name } => {
                write!(f, "Error from server (NotFound): {} \"{name}\" not found", resource.qualified_name())
            }
            GetError::NameAcrossNamespaces => {
                f.write_str("error: a resource cannot be retrieved by name across all namespaces")
            }
        }
    }
}

/// `kubectl get`: the table, or the object (with a name) or `v1` List (without) as JSON or YAML.
/// Every line ends with a newline. An empty table is [`GetError::NoResources`]; an empty JSON or
/// YAML list is printed, as kubectl does.
pub fn get(cluster: &Cluster, query: &Query, format: Format) -> Result<String, GetError> {
    if query.name.is_some() && query.scope == Scope::All {
        return Err(GetError::NameAcrossNamespaces);
    }
    let items: Vec<objects::Item<'_>> = objects::items(cluster, query.resource)
        .into_iter()
        .filter(|item| match &query.scope {
            Scope::Namespace(ns) if query.resource.is_namespaced() => item.namespace() == ns,
            _ => true,
        })
        .filter(|item| query.name.as_deref().is_none_or(|name| item.name() == name))
        .collect();
    if let (Some(name), true) = (&query.name, items.is_empty()) {
        return Err(GetError::NotFound { resource: query.resource, name: name.clone() });
    }
    match format {
        Format::Table | Format::Wide => {
            if items.is_empty() {
                return Err(GetError::NoResources(query.scope.clone()));
            }
            let with_namespace = query.scope == Scope::All && query.resource.is_namespaced();
            Ok(table::get_table(cluster, query.resource, &items, format == Format::Wide, with_namespace))
        }
        Format::Json | Format::Yaml => {
            let value = match (&query.name, items.first()) {
                (Some(_), Some(item)) => objects::value(cluster, item),
                _ => objects::list(items.iter().map(|item| objects::value(cluster, item)).collect()),
            };
            Ok(if format == Format::Json { encode::json(&value) } else { encode::yaml(&value) })
        }
    }
}

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

    /// The singular name qualified by group, as `-o name` and kubectl's messages print a kind
    /// (`service`, `deployment.apps`).
    pub fn kind_name(self) -> String {
        let (_, singular, _, group) = self.names();
        if group.is_empty() {
            singular.to_string()
        } else {
            format!("{singular}.{group}")
        }
    }

    /// The names kubectl accepts for this type, plural first (for completion).
    pub fn spellings(self) -> Vec<&'static str> {
        let (plural, singular, short, _) = self.names();
        let mut all = vec![plural, singular];
        all.extend_from_slice(short);
        all.dedup();
        all
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

/// `-o`: the table, the wide table, JSON, YAML or `name`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Table,
    Wide,
    Json,
    Yaml,
    /// `-o name`: one `TYPE[.GROUP]/NAME` line per object.
    Name,
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
    let names: Vec<String> = query.name.iter().cloned().collect();
    let listing = get_named(cluster, query.resource, &query.scope, &names, format);
    match listing.errors.into_iter().next() {
        Some(e) => Err(e),
        None => Ok(listing.text),
    }
}

/// What `kubectl get TYPE [NAME...]` prints: the text on stdout and, in order, each error line
/// it prints on stderr (a name that does not exist, or "No resources found").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub text: String,
    pub errors: Vec<GetError>,
}

/// `kubectl get TYPE NAME...` (every object without names): the objects found, in the order
/// named, and a [`GetError::NotFound`] for each name that is missing, as kubectl prints what it
/// found and then an error per missing name. One name in JSON or YAML prints the object, more a
/// `v1` List. `-o name` prints `TYPE[.GROUP]/NAME` lines.
pub fn get_named(cluster: &Cluster, resource: Resource, scope: &Scope, names: &[String], format: Format) -> Listing {
    let in_scope: Vec<objects::Item<'_>> = objects::items(cluster, resource)
        .into_iter()
        .filter(|item| match scope {
            Scope::Namespace(ns) if resource.is_namespaced() => item.namespace() == ns,
            _ => true,
        })
        .collect();
    let mut errors = Vec::new();
    let items: Vec<objects::Item<'_>> = if names.is_empty() {
        in_scope
    } else {
        names
            .iter()
            .filter_map(|name| {
                let found = in_scope.iter().find(|item| item.name() == name).copied();
                if found.is_none() {
                    errors.push(GetError::NotFound { resource, name: name.clone() });
                }
                found
            })
            .collect()
    };
    let text = match format {
        Format::Table | Format::Wide if items.is_empty() => {
            if names.is_empty() {
                errors.push(GetError::NoResources(scope.clone()));
            }
            String::new()
        }
        Format::Table | Format::Wide => {
            let with_namespace = *scope == Scope::All && resource.is_namespaced();
            table::get_table(cluster, resource, &items, format == Format::Wide, with_namespace)
        }
        Format::Name => items.iter().map(|item| format!("{}/{}\n", resource.kind_name(), item.name())).collect(),
        Format::Json | Format::Yaml => {
            let value = match items.as_slice() {
                [item] if names.len() == 1 => objects::value(cluster, item),
                _ if names.len() == 1 => return Listing { text: String::new(), errors },
                _ => objects::list(items.iter().map(|item| objects::value(cluster, item)).collect()),
            };
            if format == Format::Json {
                encode::json(&value)
            } else {
                encode::yaml(&value)
            }
        }
    };
    Listing { text, errors }
}

/// The names of the objects of `resource` in `scope`, in list order (for completion).
pub fn names(cluster: &Cluster, resource: Resource, scope: &Scope) -> Vec<String> {
    get_named(cluster, resource, scope, &[], Format::Name)
        .text
        .lines()
        .filter_map(|line| line.split_once('/').map(|(_, name)| name.to_string()))
        .collect()
}

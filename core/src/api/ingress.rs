//! Ingresses and IngressClasses (`networking.k8s.io/v1`).

use super::meta::ObjectMeta;

/// `pathType`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathType {
    Exact,
    Prefix,
    ImplementationSpecific,
}

impl PathType {
    /// Every path type, sorted as the API server lists supported values.
    pub const ALL: [PathType; 3] = [PathType::Exact, PathType::ImplementationSpecific, PathType::Prefix];

    /// The path type as written in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            PathType::Exact => "Exact",
            PathType::Prefix => "Prefix",
            PathType::ImplementationSpecific => "ImplementationSpecific",
        }
    }
}

/// A Service port referred to by name or by number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServicePortRef {
    Number(u16),
    Name(String),
}

/// Where an Ingress path sends traffic: a Service port (resource backends are not modeled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressBackend {
    pub service_name: String,
    pub port: ServicePortRef,
}

/// One `http.paths[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressPath {
    pub path: String,
    pub path_type: PathType,
    pub backend: IngressBackend,
}

/// One `rules[]` entry: an optional host (possibly a `*.` wildcard) and its paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressRule {
    pub host: Option<String>,
    pub paths: Vec<IngressPath>,
}

/// One `tls[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressTls {
    pub hosts: Vec<String>,
    pub secret_name: Option<String>,
}

/// An Ingress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingress {
    pub meta: ObjectMeta,
    pub ingress_class_name: Option<String>,
    pub default_backend: Option<IngressBackend>,
    pub rules: Vec<IngressRule>,
    pub tls: Vec<IngressTls>,
}

/// An IngressClass: which controller serves Ingresses naming it, and whether it is the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressClass {
    pub meta: ObjectMeta,
    pub controller: String,
    /// Set by the `ingressclass.kubernetes.io/is-default-class: "true"` annotation.
    pub is_default: bool,
}

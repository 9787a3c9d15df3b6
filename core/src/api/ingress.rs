//! Ingresses and IngressClasses (`networking.k8s.io/v1`).

use super::meta::ObjectMeta;

/// `pathType`: how a request path is compared with an Ingress path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PathType {
    /// The request path equals the path, case-sensitively.
    Exact,
    /// The path is a prefix of the request path, element by element (`/foo` matches `/foo/bar`,
    /// not `/foobar`).
    Prefix,
    /// Up to the IngressClass's controller.
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
    /// `port.number`: the Service's `port` (not its targetPort).
    Number(u16),
    /// `port.name`: the name of one of the Service's ports.
    Name(String),
}

/// Where an Ingress path sends traffic: a Service port (resource backends are not modeled).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressBackend {
    /// `service.name`, a Service in the Ingress's namespace.
    pub service_name: String,
    /// `service.port`.
    pub port: ServicePortRef,
}

/// One `http.paths[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressPath {
    /// The path; empty only with `ImplementationSpecific`.
    pub path: String,
    /// How the path is matched.
    pub path_type: PathType,
    /// Where matching requests go.
    pub backend: IngressBackend,
}

/// One `rules[]` entry: an optional host (possibly a `*.` wildcard) and its paths.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressRule {
    /// The host the rule applies to; `None` for every host.
    pub host: Option<String>,
    /// `http.paths`; empty when the rule has no `http` section.
    pub paths: Vec<IngressPath>,
}

/// One `tls[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressTls {
    /// The hosts the certificate covers.
    pub hosts: Vec<String>,
    /// The Secret holding the certificate, if named.
    pub secret_name: Option<String>,
}

/// An Ingress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ingress {
    /// The object's metadata (its annotations keep a legacy `kubernetes.io/ingress.class`).
    pub meta: ObjectMeta,
    /// `spec.ingressClassName` as written.
    pub ingress_class_name: Option<String>,
    /// Where requests that match no rule go.
    pub default_backend: Option<IngressBackend>,
    /// The host and path rules, in order.
    pub rules: Vec<IngressRule>,
    /// The TLS entries, in order.
    pub tls: Vec<IngressTls>,
}

/// An IngressClass: which controller serves Ingresses naming it, and whether it is the default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IngressClass {
    /// The object's metadata (cluster-scoped: no namespace).
    pub meta: ObjectMeta,
    /// `spec.controller`, a domain-prefixed path such as `k8s.io/ingress-nginx`.
    pub controller: String,
    /// Set by the `ingressclass.kubernetes.io/is-default-class: "true"` annotation.
    pub is_default: bool,
}

/// The annotation that marks an IngressClass as the default class.
pub const IS_DEFAULT_CLASS_ANNOTATION: &str = "ingressclass.kubernetes.io/is-default-class";

/// The deprecated annotation that named an Ingress's class before `spec.ingressClassName`.
pub const INGRESS_CLASS_ANNOTATION: &str = "kubernetes.io/ingress.class";

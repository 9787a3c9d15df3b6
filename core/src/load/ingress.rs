//! Ingresses and IngressClasses (`networking.k8s.io/v1`).
//!
//! Each is read as the API server reads it: decoding first (a document that does not decode is
//! not validated), the v1 defaults (an IngressClass's `parameters.scope` is Cluster), then
//! validation, every failure reported. Rules, from `ValidateIngressCreate`,
//! `ValidateIngressSpec`, `validateIngressRules`, `validateHTTPIngressPath`,
//! `validateIngressBackend`, `validateIngressTLS` and `ValidateIngressClass`
//! (`pkg/apis/networking/validation/validation.go`), with apimachinery's
//! `IsWildcardDNS1123Subdomain`, `IsDomainPrefixedPath` and `IsPathSegmentName`:
//!
//! - An Ingress needs `rules` or a `defaultBackend`. A rule's `host` is a DNS-1123 subdomain,
//!   or one under a leading `*.` label, and never an IP address. An `http` section needs
//!   `paths`; each path needs a `pathType` (Exact, Prefix or ImplementationSpecific); Exact and
//!   Prefix paths are absolute and free of `//`, `/./`, `/../`, `%2f`, `%2F` and of a trailing
//!   `/.` or `/..`; an ImplementationSpecific path, if given, is absolute.
//! - A backend is a `service` (a DNS-1035 label `name`, and a `port` by `name` or by `number`,
//!   exactly one) or a `resource`, never both. The v1beta1 fields `serviceName` and
//!   `servicePort` are unknown fields in v1; they are reported with the v1 spelling as a hint.
//! - `ingressClassName` and a TLS `secretName` are DNS-1123 subdomains; TLS hosts are
//!   (wildcard) subdomains. The legacy `kubernetes.io/ingress.class` annotation must agree with
//!   `ingressClassName`, and gets the API server's deprecation warning.
//! - An IngressClass needs a `controller`: a domain-prefixed path (`k8s.io/ingress-nginx`) of
//!   at most 250 bytes. Its `parameters`, if any, need a `kind` and a `name`, and a `namespace`
//!   exactly when the `scope` is Namespace; they are checked and not modeled. The class is the
//!   default when annotated `ingressclass.kubernetes.io/is-default-class: "true"` (that exact
//!   value; any other gets a warning).
//!
//! Resource backends are valid Kubernetes, but the model cannot send traffic to them, so an
//! Ingress that uses one is rejected with a diagnostic that says so.

use super::meta::{decoded_cleanly, Checks};
use super::Ctx;
use crate::api::ingress::{
    Ingress, IngressBackend, IngressClass, IngressPath, IngressRule, IngressTls, PathType, ServicePortRef,
    INGRESS_CLASS_ANNOTATION, IS_DEFAULT_CLASS_ANNOTATION,
};
use crate::api::ObjectMeta;
use crate::decode::{FieldPath, Item, MapReader};
use crate::validation::names::{dns1035_label, dns1123_label, dns1123_subdomain, DNS1123_SUBDOMAIN_MAX_LEN};
use crate::validation::ports::{port_name, port_number};
use crate::validation::{FieldError, ShownValue};
use crate::yaml::go_quote;
use std::net::IpAddr;

/// Sequences an Exact or Prefix path may not contain.
const INVALID_PATH_SEQUENCES: [&str; 5] = ["//", "/./", "/../", "%2f", "%2F"];
/// Endings an Exact or Prefix path may not have.
const INVALID_PATH_SUFFIXES: [&str; 2] = ["/..", "/."];
/// The longest IngressClass controller name, in bytes.
const MAX_CONTROLLER_LEN: usize = 250;
/// `IsWildcardDNS1123Subdomain`'s format message, examples and regex included.
const WILDCARD_SUBDOMAIN_ERROR: &str = "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
/// `IsDomainPrefixedPath`'s message for a path part with characters a URL path cannot have.
const INVALID_HTTP_PATH_ERROR: &str = "Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')";
/// The v1beta1 backend fields, and what to write in v1 instead.
const V1BETA1_BACKEND_FIELDS: [(&str, &str); 2] = [
    ("serviceName", "networking.k8s.io/v1 has no backend.serviceName (the v1beta1 field, removed in Kubernetes 1.22): write service.name"),
    ("servicePort", "networking.k8s.io/v1 has no backend.servicePort (the v1beta1 field, removed in Kubernetes 1.22): write service.port.number, or service.port.name for a named Service port"),
];
/// The supported `parameters.scope` values, sorted.
const SCOPES: [&str; 2] = ["Cluster", "Namespace"];

/// Upstream's `IsWildcardDNS1123Subdomain`: `*.` then a DNS-1123 subdomain, at most 253
/// characters in all.
fn wildcard_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LEN {
        errs.push(format!("must be no more than {DNS1123_SUBDOMAIN_MAX_LEN} characters"));
    }
    // `dns1123_subdomain` reports a length error exactly when its input is over the limit, and
    // a format error exactly when the shape is wrong.
    let shape_ok = value
        .strip_prefix("*.")
        .is_some_and(|rest| dns1123_subdomain(rest).len() == usize::from(rest.len() > DNS1123_SUBDOMAIN_MAX_LEN));
    if !shape_ok {
        errs.push(WILDCARD_SUBDOMAIN_ERROR.to_string());
    }
    errs
}

/// A host as an Ingress rule or TLS entry takes it: a wildcard subdomain if it has a `*`.
fn host_details(host: &str) -> Vec<String> {
    if host.contains('*') {
        wildcard_subdomain(host)
    } else {
        dns1123_subdomain(host)
    }
}

/// apimachinery's `IsPathSegmentName`: a name that can be one segment of a URL path.
fn path_segment_name(name: &str) -> Vec<String> {
    if let Some(bad) = [".", ".."].into_iter().find(|bad| name == *bad) {
        return vec![format!("may not be '{bad}'")];
    }
    ["/", "%"].into_iter().filter(|bad| name.contains(bad)).map(|bad| format!("may not contain '{bad}'")).collect()
}

/// Whether `c` may appear in the path part of a domain-prefixed path (RFC 3986).
fn is_http_path_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "/-._~%!$&'()*+,;=:".contains(c)
}

/// A backend as written.
struct BackendIn {
    path: FieldPath,
    service: Option<ServiceIn>,
    resource: Option<ResourceIn>,
}

/// `backend.service` as written; an absent field reads as its zero value.
struct ServiceIn {
    name: String,
    port_name: String,
    port_number: i32,
}

/// `backend.resource` (a `TypedLocalObjectReference`) as written.
struct ResourceIn {
    api_group: Option<String>,
    kind: String,
    name: String,
}

/// One `http.paths[]` entry as written.
struct PathIn {
    at: FieldPath,
    path: String,
    path_type: Option<String>,
    backend: BackendIn,
}

/// One `rules[]` entry as written; `paths` is `None` without an `http` section.
struct RuleIn {
    at: FieldPath,
    host: String,
    http: Option<(FieldPath, Vec<PathIn>)>,
}

/// One `tls[]` entry as written.
struct TlsIn {
    at: FieldPath,
    hosts: Vec<String>,
    secret_name: String,
}

/// `spec` as written; `rules` is `None` when the field is absent.
#[derive(Default)]
struct SpecIn {
    ingress_class_name: Option<String>,
    default_backend: Option<BackendIn>,
    rules: Option<Vec<RuleIn>>,
    tls: Vec<TlsIn>,
}

/// Reports the v1beta1 fields `serviceName`/`servicePort` of the backend object at `item` as
/// the unknown fields they are, with the v1 field to write instead as the hint.
fn report_v1beta1_fields(ctx: &mut Ctx, item: &Item, r: &mut MapReader) {
    let entries = item.node.as_map().unwrap_or_default();
    for (key, hint) in V1BETA1_BACKEND_FIELDS {
        let Some((written, _)) = entries.iter().find(|(k, _)| k.as_str() == Some(key)) else { continue };
        r.ignore(&[key]);
        let path = item.path.field(key);
        let message = format!("unknown field {}", go_quote(&path.to_string()));
        ctx.d.error(written.span, &path, message).hint = Some(hint.to_string());
    }
}

/// Decodes a backend; a missing one (`None`) is the zero backend, as Go decodes it.
fn read_backend(ctx: &mut Ctx, path: FieldPath, item: Option<&Item>) -> BackendIn {
    let mut backend = BackendIn { path, service: None, resource: None };
    let Some(item) = item else { return backend };
    let Some(mut r) = ctx.d.map(item) else { return backend };
    report_v1beta1_fields(ctx, item, &mut r);
    if let Some(mut s) = r.map(&mut ctx.d, "service") {
        let name = s.str(&mut ctx.d, "name").map(|n| n.value).unwrap_or_default();
        let (mut port_name, mut port_number) = (String::new(), 0);
        if let Some(mut p) = s.map(&mut ctx.d, "port") {
            port_name = p.str(&mut ctx.d, "name").map(|n| n.value).unwrap_or_default();
            port_number = p.int32(&mut ctx.d, "number").map_or(0, |n| n.value);
            p.finish(&mut ctx.d);
        }
        s.finish(&mut ctx.d);
        backend.service = Some(ServiceIn { name, port_name, port_number });
    }
    if let Some(mut res) = r.map(&mut ctx.d, "resource") {
        let api_group = res.str(&mut ctx.d, "apiGroup").map(|s| s.value);
        let kind = res.str(&mut ctx.d, "kind").map(|s| s.value).unwrap_or_default();
        let name = res.str(&mut ctx.d, "name").map(|s| s.value).unwrap_or_default();
        res.finish(&mut ctx.d);
        backend.resource = Some(ResourceIn { api_group, kind, name });
    }
    r.finish(&mut ctx.d);
    backend
}

fn read_path(ctx: &mut Ctx, item: &Item) -> Option<PathIn> {
    let mut r = ctx.d.map(item)?;
    let at = r.path().clone();
    let path = r.str(&mut ctx.d, "path").map(|s| s.value).unwrap_or_default();
    let path_type = r.str(&mut ctx.d, "pathType").map(|s| s.value);
    let backend = r.raw("backend");
    r.finish(&mut ctx.d);
    let backend = read_backend(ctx, at.field("backend"), backend.as_ref());
    Some(PathIn { at, path, path_type, backend })
}

fn read_rule(ctx: &mut Ctx, item: &Item) -> Option<RuleIn> {
    let mut r = ctx.d.map(item)?;
    let at = r.path().clone();
    let host = r.str(&mut ctx.d, "host").map(|s| s.value).unwrap_or_default();
    let http = r.map(&mut ctx.d, "http").map(|mut h| {
        let items = h.seq(&mut ctx.d, "paths").unwrap_or_default();
        let path = h.path().clone();
        h.finish(&mut ctx.d);
        (path, items)
    });
    r.finish(&mut ctx.d);
    let http = http.map(|(path, items)| (path, items.iter().filter_map(|p| read_path(ctx, p)).collect()));
    Some(RuleIn { at, host, http })
}

fn read_tls(ctx: &mut Ctx, item: &Item) -> Option<TlsIn> {
    let mut r = ctx.d.map(item)?;
    let at = r.path().clone();
    let hosts = r.seq(&mut ctx.d, "hosts").unwrap_or_default();
    let secret_name = r.str(&mut ctx.d, "secretName").map(|s| s.value).unwrap_or_default();
    r.finish(&mut ctx.d);
    let hosts = hosts.iter().filter_map(|h| ctx.d.str(h).map(|s| s.value)).collect();
    Some(TlsIn { at, hosts, secret_name })
}

fn read_spec(ctx: &mut Ctx, item: &Item) -> SpecIn {
    let Some(mut r) = ctx.d.map(item) else { return SpecIn::default() };
    let ingress_class_name = r.str(&mut ctx.d, "ingressClassName").map(|s| s.value);
    let default_backend = r.raw("defaultBackend");
    let rules = r.seq(&mut ctx.d, "rules");
    let tls = r.seq(&mut ctx.d, "tls").unwrap_or_default();
    r.finish(&mut ctx.d);
    let default_backend = default_backend.map(|item| read_backend(ctx, item.path.clone(), Some(&item)));
    SpecIn {
        ingress_class_name,
        default_backend,
        rules: rules.map(|items| items.iter().filter_map(|rule| read_rule(ctx, rule)).collect()),
        tls: tls.iter().filter_map(|t| read_tls(ctx, t)).collect(),
    }
}

/// An Ingress.
pub fn load_ingress(ctx: &mut Ctx, mut top: MapReader, meta: ObjectMeta) -> Option<Ingress> {
    let spec_item = top.raw("spec");
    top.ignore(&["status"]);
    top.finish(&mut ctx.d);
    let spec = spec_item.map(|item| read_spec(ctx, &item)).unwrap_or_default();
    if !decoded_cleanly(ctx) {
        return None;
    }
    let mut checks = Checks::new(ctx);
    let ingress = validate_ingress(&mut checks, spec, meta);
    ingress.filter(|_| !checks.failed())
}

/// `ValidateIngressCreate`; the typed Ingress when valid.
fn validate_ingress(c: &mut Checks, spec: SpecIn, meta: ObjectMeta) -> Option<Ingress> {
    let spec_path = FieldPath::root().field("spec");
    let no_rules = match &spec.rules {
        None => Some("null"),
        Some(rules) if rules.is_empty() => Some("[]"),
        Some(_) => None,
    };
    if let (Some(shown), None) = (no_rules, &spec.default_backend) {
        let error =
            FieldError::invalid(ShownValue::Raw(shown.into()), "either `defaultBackend` or `rules` must be specified");
        c.fail(&spec_path, error);
    }
    let default_backend = spec.default_backend.map(|b| check_backend(c, &b));
    let rules: Vec<Option<IngressRule>> =
        spec.rules.unwrap_or_default().into_iter().map(|rule| check_rule(c, rule)).collect();
    let tls: Vec<Option<IngressTls>> = spec.tls.into_iter().map(|t| check_tls(c, t)).collect();
    if let Some(class) = &spec.ingress_class_name {
        c.invalid_details(&spec_path.field("ingressClassName"), class, dns1123_subdomain(class));
    }
    check_class_annotation(c, &meta, spec.ingress_class_name.as_deref());

    let default_backend = default_backend.map(|b| b.ok_or(())).transpose().ok()?;
    let rules: Option<Vec<IngressRule>> = rules.into_iter().collect();
    let tls: Option<Vec<IngressTls>> = tls.into_iter().collect();
    Some(Ingress { meta, ingress_class_name: spec.ingress_class_name, default_backend, rules: rules?, tls: tls? })
}

/// The legacy class annotation: deprecated (the API server's warning), and if
/// `ingressClassName` is set too, it must name the same class.
fn check_class_annotation(c: &mut Checks, meta: &ObjectMeta, class: Option<&str>) {
    let Some(value) = meta.annotations.get(INGRESS_CLASS_ANNOTATION) else { return };
    let written = FieldPath::root().field("metadata").field("annotations").field(INGRESS_CLASS_ANNOTATION);
    let message = format!(
        "annotation {} is deprecated, please use 'spec.ingressClassName' instead",
        go_quote(INGRESS_CLASS_ANNOTATION)
    );
    c.warn(&written, &FieldPath::root(), message);
    if class.is_some_and(|class| class != value) {
        // Upstream names this field `annotations.<key>`, without `metadata.`.
        let field = FieldPath::root().field("annotations").field(INGRESS_CLASS_ANNOTATION);
        let error = FieldError::invalid(value.as_str(), "must match `ingressClassName` when both are specified");
        c.fail_near(&written, &field, error);
    }
}

/// `validateIngressRules` for one rule.
fn check_rule(c: &mut Checks, rule: RuleIn) -> Option<IngressRule> {
    if !rule.host.is_empty() {
        let mut details = Vec::new();
        if rule.host.parse::<IpAddr>().is_ok() {
            details.push("must be a DNS name, not an IP address".to_string());
        }
        details.extend(host_details(&rule.host));
        c.invalid_details(&rule.at.field("host"), &rule.host, details);
    }
    let paths = match rule.http {
        None => Vec::new(),
        Some((http_path, paths)) => {
            if paths.is_empty() {
                c.fail(&http_path.field("paths"), FieldError::required(""));
            }
            let paths: Vec<Option<IngressPath>> = paths.into_iter().map(|p| check_path(c, p)).collect();
            paths.into_iter().collect::<Option<Vec<IngressPath>>>()?
        }
    };
    Some(IngressRule { host: Some(rule.host).filter(|h| !h.is_empty()), paths })
}

/// `validateHTTPIngressPath`.
fn check_path(c: &mut Checks, p: PathIn) -> Option<IngressPath> {
    let Some(path_type) = p.path_type else {
        // Upstream stops here: without a pathType the backend is not validated either.
        c.fail(&p.at.field("pathType"), FieldError::required("pathType must be specified"));
        return None;
    };
    let mut details = Vec::new();
    let path_type = match path_type.as_str() {
        "Exact" | "Prefix" => {
            if !p.path.starts_with('/') {
                details.push("must be an absolute path".to_string());
            }
            for sequence in INVALID_PATH_SEQUENCES.iter().filter(|s| p.path.contains(**s)) {
                details.push(format!("must not contain '{sequence}'"));
            }
            for suffix in INVALID_PATH_SUFFIXES.iter().filter(|s| p.path.ends_with(**s)) {
                details.push(format!("cannot end with '{suffix}'"));
            }
            Some(if path_type == "Exact" { PathType::Exact } else { PathType::Prefix })
        }
        "ImplementationSpecific" => {
            if !p.path.is_empty() && !p.path.starts_with('/') {
                details.push("must be an absolute path".to_string());
            }
            Some(PathType::ImplementationSpecific)
        }
        other => {
            let supported = PathType::ALL.map(PathType::as_str);
            c.fail(&p.at.field("pathType"), FieldError::not_supported(other, &supported));
            None
        }
    };
    c.invalid_details(&p.at.field("path"), &p.path, details);
    let backend = check_backend(c, &p.backend);
    Some(IngressPath { path: p.path, path_type: path_type?, backend: backend? })
}

/// Checks a `kind` or `name` of an object reference at `path`: required, a path segment.
fn check_reference_part(c: &mut Checks, path: &FieldPath, value: &str) -> bool {
    if value.is_empty() {
        c.fail(path, FieldError::required(""));
        return false;
    }
    let details = path_segment_name(value);
    let ok = details.is_empty();
    c.invalid_details(path, value, details);
    ok
}

/// `validateIngressBackend`; the model's backend when it is a valid service backend.
fn check_backend(c: &mut Checks, backend: &BackendIn) -> Option<IngressBackend> {
    let path = &backend.path;
    let service = match (&backend.service, &backend.resource) {
        (Some(_), Some(_)) => {
            c.fail(path, FieldError::invalid("", "cannot set both resource and service backends"));
            return None;
        }
        (None, None) => {
            c.fail(path, FieldError::invalid("", "resource or service backend is required"));
            return None;
        }
        (None, Some(resource)) => {
            check_resource(c, &path.field("resource"), resource);
            return None;
        }
        (Some(service), None) => service,
    };
    let service_path = path.field("service");
    if service.name.is_empty() {
        c.fail(&service_path.field("name"), FieldError::required(""));
    } else {
        // ValidateServiceName: Service names are DNS-1035 labels.
        c.invalid_details(&service_path.field("name"), &service.name, dns1035_label(&service.name));
    }
    let port_path = service_path.field("port");
    let port = match (service.port_name.is_empty(), service.port_number) {
        (false, n) if n != 0 => {
            c.fail(path, FieldError::invalid("", "cannot set both port name & port number"));
            None
        }
        (false, _) => {
            c.invalid_details(&port_path.field("name"), &service.port_name, port_name(&service.port_name));
            Some(ServicePortRef::Name(service.port_name.clone()))
        }
        (true, 0) => {
            c.fail(path, FieldError::required("port name or number is required"));
            None
        }
        (true, n) => {
            for detail in port_number(i64::from(n)) {
                c.fail(&port_path.field("number"), FieldError::invalid(i64::from(n), detail));
            }
            u16::try_from(n).ok().map(ServicePortRef::Number)
        }
    };
    Some(IngressBackend { service_name: service.name.clone(), port: port? })
}

/// `validateIngressTypedLocalObjectReference`, then the model's refusal of resource backends.
fn check_resource(c: &mut Checks, path: &FieldPath, resource: &ResourceIn) {
    let group_details = resource.api_group.as_deref().map(dns1123_subdomain).unwrap_or_default();
    let mut ok = group_details.is_empty();
    if let Some(group) = &resource.api_group {
        c.invalid_details(&path.field("apiGroup"), group, group_details);
    }
    ok &= check_reference_part(c, &path.field("kind"), &resource.kind);
    ok &= check_reference_part(c, &path.field("name"), &resource.name);
    if ok {
        let span = c.ctx.source().span_of(&path.to_string());
        c.ctx.d.error(span, path, "kubeplay does not model resource backends: it cannot send traffic to them").hint =
            Some("send the traffic to a Service: backend.service.name and backend.service.port".into());
    }
}

/// `validateIngressTLS` for one entry.
fn check_tls(c: &mut Checks, tls: TlsIn) -> Option<IngressTls> {
    for (i, host) in tls.hosts.iter().enumerate() {
        c.invalid_details(&tls.at.field("hosts").index(i), host, host_details(host));
    }
    if !tls.secret_name.is_empty() {
        c.invalid_details(&tls.at.field("secretName"), &tls.secret_name, dns1123_subdomain(&tls.secret_name));
    }
    Some(IngressTls { hosts: tls.hosts, secret_name: Some(tls.secret_name).filter(|s| !s.is_empty()) })
}

/// `spec.parameters` of an IngressClass as written (the scope not yet defaulted).
#[derive(Default)]
struct ParametersIn {
    at: FieldPath,
    api_group: Option<String>,
    kind: String,
    name: String,
    scope: Option<String>,
    namespace: Option<String>,
}

fn read_parameters(ctx: &mut Ctx, item: &Item) -> ParametersIn {
    let Some(mut r) = ctx.d.map(item) else { return ParametersIn::default() };
    let at = r.path().clone();
    let api_group = r.str(&mut ctx.d, "apiGroup").map(|s| s.value);
    let kind = r.str(&mut ctx.d, "kind").map(|s| s.value).unwrap_or_default();
    let name = r.str(&mut ctx.d, "name").map(|s| s.value).unwrap_or_default();
    let scope = r.str(&mut ctx.d, "scope").map(|s| s.value);
    let namespace = r.str(&mut ctx.d, "namespace").map(|s| s.value);
    r.finish(&mut ctx.d);
    ParametersIn { at, api_group, kind, name, scope, namespace }
}

/// An IngressClass.
pub fn load_class(ctx: &mut Ctx, mut top: MapReader, meta: ObjectMeta) -> Option<IngressClass> {
    let spec = top.map(&mut ctx.d, "spec");
    top.finish(&mut ctx.d);
    let (controller, parameters) = match spec {
        None => (String::new(), None),
        Some(mut r) => {
            let controller = r.str(&mut ctx.d, "controller").map(|s| s.value).unwrap_or_default();
            let parameters = r.raw("parameters");
            r.finish(&mut ctx.d);
            (controller, parameters.map(|item| read_parameters(ctx, &item)))
        }
    };
    if !decoded_cleanly(ctx) {
        return None;
    }
    let mut checks = Checks::new(ctx);
    let c = &mut checks;
    let controller_path = FieldPath::root().field("spec").field("controller");
    if controller.is_empty() {
        c.fail(&controller_path, FieldError::required(""));
    } else {
        if controller.len() > MAX_CONTROLLER_LEN {
            c.fail(&controller_path, FieldError::TooLong { max: MAX_CONTROLLER_LEN });
        }
        check_domain_prefixed_path(c, &controller_path, &controller);
    }
    if let Some(parameters) = &parameters {
        check_parameters(c, parameters);
    }
    let is_default = match meta.annotations.get(IS_DEFAULT_CLASS_ANNOTATION) {
        None => false,
        Some(value) if value == "true" => true,
        Some(value) => {
            let written = FieldPath::root().field("metadata").field("annotations").field(IS_DEFAULT_CLASS_ANNOTATION);
            let field = FieldPath::root().field("metadata").field("annotations").key(IS_DEFAULT_CLASS_ANNOTATION);
            let message =
                format!("only the value \"true\" makes this the default IngressClass; {} does not", go_quote(value));
            c.warn(&written, &field, message);
            false
        }
    };
    Some(IngressClass { meta, controller, is_default }).filter(|_| !checks.failed())
}

/// Upstream's `IsDomainPrefixedPath` at `path`: `<DNS-1123 subdomain>/<URL path>`.
fn check_domain_prefixed_path(c: &mut Checks, path: &FieldPath, value: &str) {
    let Some((host, rest)) = value.split_once('/').filter(|(host, rest)| !host.is_empty() && !rest.is_empty()) else {
        c.fail(path, FieldError::invalid(value, "must be a domain-prefixed path (such as \"acme.io/foo\")"));
        return;
    };
    c.invalid_details(path, host, dns1123_subdomain(host));
    if !rest.chars().all(is_http_path_char) {
        c.fail(path, FieldError::invalid(rest, INVALID_HTTP_PATH_ERROR));
    }
}

/// `validateIngressClassParametersReference`, after `SetDefaults_IngressClass` defaulted the
/// scope to Cluster.
fn check_parameters(c: &mut Checks, p: &ParametersIn) {
    if let Some(group) = &p.api_group {
        c.invalid_details(&p.at.field("apiGroup"), group, dns1123_subdomain(group));
    }
    check_reference_part(c, &p.at.field("kind"), &p.kind);
    check_reference_part(c, &p.at.field("name"), &p.name);
    let namespace_path = p.at.field("namespace");
    match p.scope.as_deref().unwrap_or("Cluster") {
        "Namespace" => match &p.namespace {
            None => c.fail(&namespace_path, FieldError::required("`parameters.scope` is set to 'Namespace'")),
            Some(namespace) => c.invalid_details(&namespace_path, namespace, dns1123_label(namespace)),
        },
        "Cluster" => {
            if p.namespace.is_some() {
                c.fail(&namespace_path, FieldError::forbidden("`parameters.scope` is set to 'Cluster'"));
            }
        }
        other => c.fail(&p.at.field("scope"), FieldError::not_supported(other, &SCOPES)),
    }
}

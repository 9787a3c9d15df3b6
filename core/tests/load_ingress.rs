//! Ingress and IngressClass loading through the public entry: rules, paths, backends, TLS and
//! classes, each rule checked with its exact field path, position and upstream message.

use kubeplay_core::api::ingress::{
    Ingress, IngressBackend, IngressClass, IngressPath, IngressRule, IngressTls, PathType, ServicePortRef,
};
use kubeplay_core::load::{load_workspace, Loaded};
use kubeplay_core::simulation::SourceFile;

/// Lines 1-4 of every Ingress test document; `spec` starts on line 5.
const INGRESS: &str = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n";
/// Lines 1-4 of every IngressClass test document.
const CLASS: &str = "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n";

fn load(text: &str) -> Loaded {
    load_workspace(&[SourceFile::new("x.yaml", text)])
}

fn lines(loaded: &Loaded) -> Vec<String> {
    loaded.diagnostics.iter().map(|d| d.to_string()).collect()
}

/// The one Ingress `spec` declares, which must load without any diagnostic.
fn ingress(spec: &str) -> Ingress {
    let loaded = load(&format!("{INGRESS}{spec}"));
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    loaded.objects.ingresses[0].object.clone()
}

/// Asserts that the Ingress with `spec` is rejected with exactly `expected`.
fn rejected(spec: &str, expected: &[&str]) {
    let loaded = load(&format!("{INGRESS}{spec}"));
    assert_eq!(lines(&loaded), expected);
    assert!(loaded.objects.ingresses.is_empty());
}

/// An Ingress spec with one rule and one path whose fields are `path` (indented for the path).
fn one_path(path: &str) -> String {
    format!("spec:\n  rules:\n  - http:\n      paths:\n{path}")
}

/// Lines 9-14: a valid backend for `one_path`.
const BACKEND: &str =
    "        backend:\n          service:\n            name: web\n            port:\n              number: 80\n";

fn backend(name: &str, port: ServicePortRef) -> IngressBackend {
    IngressBackend { service_name: name.into(), port }
}

#[test]
fn ingress_loads_rules_paths_backends_and_tls() {
    let got = ingress(
        "spec:
  ingressClassName: nginx
  defaultBackend:
    service:
      name: fallback
      port:
        name: http
  tls:
  - hosts: [shop.example.com]
    secretName: shop-tls
  rules:
  - host: shop.example.com
    http:
      paths:
      - path: /api
        pathType: Prefix
        backend:
          service:
            name: api
            port:
              number: 8080
  - host: \"*.example.com\"
    http:
      paths:
      - path: /
        pathType: ImplementationSpecific
        backend:
          service:
            name: web
            port:
              number: 80
",
    );
    assert_eq!(got.ingress_class_name.as_deref(), Some("nginx"));
    assert_eq!(got.default_backend, Some(backend("fallback", ServicePortRef::Name("http".into()))));
    assert_eq!(got.tls, [IngressTls { hosts: vec!["shop.example.com".into()], secret_name: Some("shop-tls".into()) }]);
    assert_eq!(
        got.rules,
        [
            IngressRule {
                host: Some("shop.example.com".into()),
                paths: vec![IngressPath {
                    path: "/api".into(),
                    path_type: PathType::Prefix,
                    backend: backend("api", ServicePortRef::Number(8080)),
                }],
            },
            IngressRule {
                host: Some("*.example.com".into()),
                paths: vec![IngressPath {
                    path: "/".into(),
                    path_type: PathType::ImplementationSpecific,
                    backend: backend("web", ServicePortRef::Number(80)),
                }],
            },
        ]
    );
}

#[test]
fn ingress_needs_rules_or_a_default_backend() {
    // The value is the internal `spec.Rules`, printed as JSON: `null` when absent, `[]` when empty.
    rejected(
        "spec: {}\n",
        &["x.yaml:5:7: spec: Invalid value: null: either `defaultBackend` or `rules` must be specified"],
    );
    rejected(
        "spec:\n  rules: []\n",
        &["x.yaml:6:3: spec: Invalid value: []: either `defaultBackend` or `rules` must be specified"],
    );
    let only_default =
        ingress("spec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n");
    assert!(only_default.rules.is_empty());
}

#[test]
fn ingress_rule_without_http_is_a_catch_all_for_its_host() {
    let got = ingress("spec:\n  rules:\n  - host: a.example.com\n");
    assert_eq!(got.rules, [IngressRule { host: Some("a.example.com".into()), paths: vec![] }]);
}

#[test]
fn ingress_http_needs_paths() {
    rejected("spec:\n  rules:\n  - http: {}\n", &["x.yaml:7:11: spec.rules[0].http.paths: Required value"]);
}

#[test]
fn ingress_path_type_is_required() {
    rejected(
        &one_path(&format!("      - path: /\n{BACKEND}")),
        &["x.yaml:9:9: spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified"],
    );
}

#[test]
fn ingress_path_type_must_be_supported() {
    rejected(
        &one_path(&format!("      - path: /\n        pathType: prefix\n{BACKEND}")),
        &["x.yaml:10:19: spec.rules[0].http.paths[0].pathType: Unsupported value: \"prefix\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\""],
    );
}

#[test]
fn ingress_exact_and_prefix_paths_must_be_absolute() {
    rejected(
        &one_path(&format!("      - path: api\n        pathType: Exact\n{BACKEND}")),
        &["x.yaml:9:15: spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path"],
    );
    // A Prefix path may not be left out either.
    rejected(
        &one_path(&format!("      - pathType: Prefix\n{BACKEND}")),
        &["x.yaml:9:9: spec.rules[0].http.paths[0].path: Invalid value: \"\": must be an absolute path"],
    );
}

#[test]
fn ingress_prefix_paths_may_not_hold_dot_segments_or_double_slashes() {
    rejected(
        &one_path(&format!("      - path: /a//b/../c/..\n        pathType: Prefix\n{BACKEND}")),
        &[
            "x.yaml:9:15: spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/../c/..\": must not contain '//'",
            "x.yaml:9:15: spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/../c/..\": must not contain '/../'",
            "x.yaml:9:15: spec.rules[0].http.paths[0].path: Invalid value: \"/a//b/../c/..\": cannot end with '/..'",
        ],
    );
}

#[test]
fn ingress_implementation_specific_path_may_be_empty_but_not_relative() {
    let got = ingress(&one_path(&format!("      - pathType: ImplementationSpecific\n{BACKEND}")));
    assert_eq!(got.rules[0].paths[0].path, "");
    rejected(
        &one_path(&format!("      - path: api\n        pathType: ImplementationSpecific\n{BACKEND}")),
        &["x.yaml:9:15: spec.rules[0].http.paths[0].path: Invalid value: \"api\": must be an absolute path"],
    );
}

#[test]
fn ingress_host_must_be_a_dns_name_not_an_ip_address() {
    rejected(
        "spec:\n  rules:\n  - host: 10.0.0.1\n",
        &["x.yaml:7:11: spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address"],
    );
    rejected(
        "spec:\n  rules:\n  - host: Shop.example.com\n",
        &["x.yaml:7:11: spec.rules[0].host: Invalid value: \"Shop.example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
    );
}

#[test]
fn ingress_host_wildcard_is_only_a_leading_label() {
    assert_eq!(
        ingress("spec:\n  rules:\n  - host: \"*.example.com\"\n").rules[0].host.as_deref(),
        Some("*.example.com")
    );
    rejected(
        "spec:\n  rules:\n  - host: \"shop.*.com\"\n",
        &["x.yaml:7:11: spec.rules[0].host: Invalid value: \"shop.*.com\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
    );
}

#[test]
fn ingress_backend_needs_a_service_or_a_resource() {
    rejected(
        &one_path("      - path: /\n        pathType: Prefix\n        backend: {}\n"),
        &["x.yaml:11:18: spec.rules[0].http.paths[0].backend: Invalid value: \"\": resource or service backend is required"],
    );
}

#[test]
fn ingress_backend_service_name_is_required_and_a_dns_1035_label() {
    rejected(
        &one_path("      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            port:\n              number: 80\n"),
        &["x.yaml:13:13: spec.rules[0].http.paths[0].backend.service.name: Required value"],
    );
    rejected(
        &one_path("      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: 1web\n            port:\n              number: 80\n"),
        &["x.yaml:13:19: spec.rules[0].http.paths[0].backend.service.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"],
    );
}

#[test]
fn ingress_backend_port_needs_a_name_or_a_number() {
    rejected(
        &one_path(
            "      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n",
        ),
        &["x.yaml:12:11: spec.rules[0].http.paths[0].backend: Required value: port name or number is required"],
    );
}

#[test]
fn ingress_backend_port_cannot_have_both_a_name_and_a_number() {
    rejected(
        &one_path("      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              name: http\n              number: 80\n"),
        &["x.yaml:12:11: spec.rules[0].http.paths[0].backend: Invalid value: \"\": cannot set both port name & port number"],
    );
}

#[test]
fn ingress_backend_port_number_and_name_are_checked() {
    rejected(
        &one_path("      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 70000\n"),
        &["x.yaml:15:23: spec.rules[0].http.paths[0].backend.service.port.number: Invalid value: 70000: must be between 1 and 65535, inclusive"],
    );
    rejected(
        &one_path("      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              name: HTTP\n"),
        &[
            "x.yaml:15:21: spec.rules[0].http.paths[0].backend.service.port.name: Invalid value: \"HTTP\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
            "x.yaml:15:21: spec.rules[0].http.paths[0].backend.service.port.name: Invalid value: \"HTTP\": must contain at least one letter (a-z)",
        ],
    );
}

#[test]
fn ingress_v1beta1_service_name_is_an_unknown_field_with_a_hint() {
    // The networking.k8s.io/v1beta1 shape, removed in 1.22. Strict decoding rejects it before
    // validation, so no pathType or port error follows.
    rejected(
        &one_path("      - path: /\n        backend:\n          serviceName: web\n          servicePort: 80\n"),
        &[
            "x.yaml:11:11: spec.rules[0].http.paths[0].backend.serviceName: unknown field \"spec.rules[0].http.paths[0].backend.serviceName\" (networking.k8s.io/v1 has no backend.serviceName (the v1beta1 field, removed in Kubernetes 1.22): write service.name)",
            "x.yaml:12:11: spec.rules[0].http.paths[0].backend.servicePort: unknown field \"spec.rules[0].http.paths[0].backend.servicePort\" (networking.k8s.io/v1 has no backend.servicePort (the v1beta1 field, removed in Kubernetes 1.22): write service.port.number, or service.port.name for a named Service port)",
        ],
    );
}

#[test]
fn ingress_backend_cannot_be_both_a_service_and_a_resource() {
    rejected(
        &one_path("      - path: /\n        pathType: Prefix\n        backend:\n          resource:\n            kind: Bucket\n            name: assets\n          service:\n            name: web\n            port:\n              number: 80\n"),
        &["x.yaml:12:11: spec.rules[0].http.paths[0].backend: Invalid value: \"\": cannot set both resource and service backends"],
    );
}

#[test]
fn ingress_resource_backends_are_checked_then_refused_as_not_modeled() {
    rejected(
        &one_path("      - path: /\n        pathType: Prefix\n        backend:\n          resource:\n            apiGroup: k8s.example.com\n            kind: StorageBucket\n            name: static-assets\n"),
        &["x.yaml:13:13: spec.rules[0].http.paths[0].backend.resource: kubeplay does not model resource backends: it cannot send traffic to them (send the traffic to a Service: backend.service.name and backend.service.port)"],
    );
    rejected(
        &one_path("      - path: /\n        pathType: Prefix\n        backend:\n          resource:\n            name: a/b\n"),
        &[
            "x.yaml:13:13: spec.rules[0].http.paths[0].backend.resource.kind: Required value",
            "x.yaml:13:19: spec.rules[0].http.paths[0].backend.resource.name: Invalid value: \"a/b\": may not contain '/'",
        ],
    );
}

#[test]
fn ingress_tls_hosts_and_secret_name_are_checked() {
    rejected(
        "spec:\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n  tls:\n  - hosts: [\"*.example.com\", \"bad_host\"]\n    secretName: Shop-TLS\n",
        &[
            "x.yaml:12:30: spec.tls[0].hosts[1]: Invalid value: \"bad_host\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "x.yaml:13:17: spec.tls[0].secretName: Invalid value: \"Shop-TLS\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ],
    );
}

#[test]
fn ingress_class_name_must_be_a_dns_subdomain() {
    rejected(
        "spec:\n  ingressClassName: NGINX\n  defaultBackend:\n    service:\n      name: web\n      port:\n        number: 80\n",
        &["x.yaml:6:21: spec.ingressClassName: Invalid value: \"NGINX\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"],
    );
}

#[test]
fn ingress_class_annotation_is_deprecated_and_must_match_the_class_name() {
    let text = "apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: web
  annotations:
    kubernetes.io/ingress.class: nginx
spec:
  defaultBackend:
    service:
      name: web
      port:
        number: 80
";
    let loaded = load(text);
    assert_eq!(
        lines(&loaded),
        ["x.yaml:6:34: warning: annotation \"kubernetes.io/ingress.class\" is deprecated, please use 'spec.ingressClassName' instead"]
    );
    assert_eq!(loaded.objects.ingresses.len(), 1);
    let loaded = load(&text.replace("spec:\n", "spec:\n  ingressClassName: traefik\n"));
    assert_eq!(
        lines(&loaded),
        [
            "x.yaml:6:34: warning: annotation \"kubernetes.io/ingress.class\" is deprecated, please use 'spec.ingressClassName' instead",
            "x.yaml:6:34: annotations.kubernetes.io/ingress.class: Invalid value: \"nginx\": must match `ingressClassName` when both are specified",
        ]
    );
    assert!(loaded.objects.ingresses.is_empty());
}

/// The one IngressClass `spec` declares, which must load without any diagnostic.
fn class(text: &str) -> IngressClass {
    let loaded = load(text);
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    loaded.objects.ingress_classes[0].object.clone()
}

fn class_rejected(spec: &str, expected: &[&str]) {
    let loaded = load(&format!("{CLASS}{spec}"));
    assert_eq!(lines(&loaded), expected);
    assert!(loaded.objects.ingress_classes.is_empty());
}

#[test]
fn ingress_class_loads_its_controller_and_ignores_parameters() {
    let got = class(&format!(
        "{CLASS}spec:\n  controller: k8s.io/ingress-nginx\n  parameters:\n    apiGroup: k8s.example.com\n    kind: IngressParameters\n    name: external-lb\n"
    ));
    assert_eq!(got.controller, "k8s.io/ingress-nginx");
    assert!(!got.is_default);
    assert_eq!(got.meta.namespace, "", "IngressClass is cluster-scoped");
}

#[test]
fn ingress_class_controller_is_required() {
    class_rejected("spec: {}\n", &["x.yaml:5:7: spec.controller: Required value"]);
}

#[test]
fn ingress_class_controller_must_be_a_domain_prefixed_path() {
    class_rejected(
        "spec:\n  controller: ingress-nginx\n",
        &["x.yaml:6:15: spec.controller: Invalid value: \"ingress-nginx\": must be a domain-prefixed path (such as \"acme.io/foo\")"],
    );
    class_rejected(
        "spec:\n  controller: K8s.io/ingress nginx\n",
        &[
            "x.yaml:6:15: spec.controller: Invalid value: \"K8s.io\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
            "x.yaml:6:15: spec.controller: Invalid value: \"ingress nginx\": Invalid path (regex used for validation is '[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+')",
        ],
    );
}

#[test]
fn ingress_class_controller_is_at_most_250_bytes() {
    let long = format!("example.com/{}", "a".repeat(240));
    class_rejected(
        &format!("spec:\n  controller: {long}\n"),
        &["x.yaml:6:15: spec.controller: Too long: may not be more than 250 bytes"],
    );
}

#[test]
fn ingress_class_parameters_scope_decides_the_namespace() {
    class_rejected(
        "spec:\n  controller: k8s.io/ingress-nginx\n  parameters:\n    kind: IngressParameters\n    name: lb\n    scope: Namespace\n",
        &["x.yaml:8:5: spec.parameters.namespace: Required value: `parameters.scope` is set to 'Namespace'"],
    );
    class_rejected(
        "spec:\n  controller: k8s.io/ingress-nginx\n  parameters:\n    kind: IngressParameters\n    name: lb\n    namespace: infra\n",
        &["x.yaml:10:16: spec.parameters.namespace: Forbidden: `parameters.scope` is set to 'Cluster'"],
    );
    class_rejected(
        "spec:\n  controller: k8s.io/ingress-nginx\n  parameters:\n    name: lb\n    scope: cluster\n",
        &[
            "x.yaml:8:5: spec.parameters.kind: Required value",
            "x.yaml:9:12: spec.parameters.scope: Unsupported value: \"cluster\": supported values: \"Cluster\", \"Namespace\"",
        ],
    );
}

#[test]
fn ingress_class_is_default_only_with_the_annotation_true() {
    let text = |value: &str| {
        format!(
            "apiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n  annotations:\n    ingressclass.kubernetes.io/is-default-class: {value}\nspec:\n  controller: k8s.io/ingress-nginx\n"
        )
    };
    assert!(class(&text("\"true\"")).is_default);
    let loaded = load(&text("\"yes\""));
    assert_eq!(
        lines(&loaded),
        ["x.yaml:6:50: warning: metadata.annotations[ingressclass.kubernetes.io/is-default-class]: only the value \"true\" makes this the default IngressClass; \"yes\" does not"]
    );
    assert!(!loaded.objects.ingress_classes[0].object.is_default);
}

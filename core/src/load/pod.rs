//! Pods, pod templates and containers: decoding, the v1 defaults, `ValidatePodSpec`.
//!
//! A pod spec is decoded first (a document that does not decode is not validated), then
//! defaulted as `SetDefaults_PodSpec` and `SetDefaults_Pod` do (`dnsPolicy` ClusterFirst,
//! `restartPolicy` Always, a container port's `protocol` TCP, and, in a Pod with
//! `hostNetwork`, each `hostPort` its `containerPort`), then checked rule by rule against
//! `pkg/apis/core/validation/validation.go`:
//! - `validateContainers` / `validateContainerCommon`: at least one container; names are
//!   DNS-1123 labels, unique in the pod; `image` is required (a Pod's may not have surrounding
//!   spaces, `validateContainerOnlyForPod`); then `checkHostPortConflicts` across containers.
//! - `validateContainerPorts`: port names are IANA_SVC_NAMEs unique *within the container*;
//!   `containerPort` is required and 1-65535; `hostPort` is 1-65535 when set; protocols are
//!   SCTP, TCP or UDP.
//! - `validatePodHostNetworkDeps`: with `hostNetwork`, `hostPort` must equal `containerPort`.
//! - `validateRestartPolicy`, `validateDNSPolicy`, `ValidateLabels` on `nodeSelector`,
//!   `validatePodDNSConfig` (dnsPolicy None needs nameservers; at most 3 nameservers, 32
//!   search domains of 2048 characters in all, relaxed search-domain syntax), `nodeName` a
//!   DNS subdomain, `activeDeadlineSeconds` positive, `hostname` and `subdomain` DNS labels.
//! - `ValidatePodTemplateSpec`: a template's labels and annotations, reported at
//!   `spec.template.labels` and `spec.template.annotations` as upstream names them.
//!
//! A valid pod spec also gets the API server's warnings about its ports
//! (`pkg/api/pod/warnings.go`): a port name used in two containers, and port definitions that
//! repeat or overlap. Readiness is declared (see [`crate::api::pod::Pod::ready`]).

use super::meta::{decoded_cleanly, pairs, Checks, SERVER_FIELDS};
use super::Ctx;
use crate::api::pod::{Container, ContainerPort, DnsConfig, DnsPolicy, Pod, PodSpec, PodTemplate};
use crate::api::{Labels, ObjectMeta, Protocol};
use crate::decode::{FieldPath, Item, MapReader};
use crate::validation::labels::labels as validate_labels;
use crate::validation::meta::annotations as validate_annotations;
use crate::validation::names::{dns1123_label, dns1123_subdomain, dns1123_subdomain_with_underscore};
use crate::validation::network::ip_address;
use crate::validation::ports::{port_name, port_number};
use crate::validation::{FieldError, ShownValue};
use crate::yaml::go_quote;
use std::collections::{BTreeMap, BTreeSet};

/// The annotation that declares a pod (or every pod of a template) not ready.
pub const READY_ANNOTATION: &str = "kubeplay.dev/ready";

/// `MaxDNSNameservers`, `MaxDNSSearchPaths`, `MaxDNSSearchListChars`: resolv.conf's limits.
const MAX_NAMESERVERS: usize = 3;
const MAX_SEARCH_PATHS: usize = 32;
const MAX_SEARCH_LIST_CHARS: usize = 2048;
/// `supportedPortProtocols`, sorted.
const PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];
/// `validateDNSPolicy`'s list, in its (unsorted) order.
const DNS_POLICIES: [&str; 4] = ["ClusterFirstWithHostNet", "ClusterFirst", "Default", "None"];
/// `validateRestartPolicy`'s list, in its order.
const RESTART_POLICIES: [&str; 3] = ["Always", "OnFailure", "Never"];

/// PodSpec fields the model accepts but does not simulate.
const IGNORED_POD_FIELDS: [&str; 29] = [
    "volumes",
    "initContainers",
    "ephemeralContainers",
    "terminationGracePeriodSeconds",
    "serviceAccountName",
    "serviceAccount",
    "automountServiceAccountToken",
    "securityContext",
    "imagePullSecrets",
    "affinity",
    "tolerations",
    "schedulerName",
    "priorityClassName",
    "priority",
    "preemptionPolicy",
    "topologySpreadConstraints",
    "readinessGates",
    "runtimeClassName",
    "overhead",
    "hostPID",
    "hostIPC",
    "shareProcessNamespace",
    "hostAliases",
    "os",
    "hostUsers",
    "resourceClaims",
    "setHostnameAsFQDN",
    "schedulingGates",
    "resources",
];

/// Container fields the model accepts but does not simulate.
const IGNORED_CONTAINER_FIELDS: [&str; 21] = [
    "command",
    "args",
    "env",
    "envFrom",
    "resources",
    "resizePolicy",
    "restartPolicy",
    "volumeMounts",
    "volumeDevices",
    "livenessProbe",
    "readinessProbe",
    "startupProbe",
    "lifecycle",
    "imagePullPolicy",
    "workingDir",
    "securityContext",
    "terminationMessagePath",
    "terminationMessagePolicy",
    "stdin",
    "stdinOnce",
    "tty",
];

/// Which object a pod spec belongs to: a Pod is checked a little more strictly than a
/// template (upstream's `PodValidationOptions.ResourceIsPod`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum SpecOf {
    Pod,
    Template,
}

/// One `ports` entry of a container as written, defaulted.
struct PortIn {
    path: FieldPath,
    name: String,
    container_port: i32,
    protocol: String,
    host_port: i32,
    host_ip: String,
}

/// A container as written.
struct ContainerIn {
    path: FieldPath,
    name: String,
    image: String,
    ports: Vec<PortIn>,
}

/// `dnsConfig` as written.
struct DnsConfigIn {
    nameservers: Vec<String>,
    searches: Vec<String>,
    options: Vec<(String, Option<String>)>,
}

/// A pod spec as written, defaulted.
pub(super) struct PodSpecIn {
    path: FieldPath,
    containers: Vec<ContainerIn>,
    node_name: String,
    node_selector: Vec<(String, String)>,
    host_network: bool,
    hostname: String,
    subdomain: String,
    dns_policy: String,
    dns_config: Option<DnsConfigIn>,
    restart_policy: String,
    active_deadline_seconds: Option<i64>,
    enable_service_links: bool,
}

impl PodSpecIn {
    /// `spec.restartPolicy`, defaulted.
    pub fn restart_policy(&self) -> &str {
        &self.restart_policy
    }

    /// Whether `activeDeadlineSeconds` is set.
    pub fn has_active_deadline(&self) -> bool {
        self.active_deadline_seconds.is_some()
    }

    /// The path of the spec (`spec`, `spec.template.spec`).
    pub fn path(&self) -> &FieldPath {
        &self.path
    }
}

/// A pod template (`spec.template`) as written.
pub(super) struct TemplateIn {
    /// Where the template sits (`spec.template`).
    pub path: FieldPath,
    /// `metadata.labels`; `None` when not written.
    pub labels: Option<Vec<(String, String)>>,
    annotations: Vec<(String, String)>,
    /// The pod spec.
    pub spec: PodSpecIn,
}

fn read_port(ctx: &mut Ctx, item: &Item) -> Option<PortIn> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    let name = r.str(&mut ctx.d, "name").map(|s| s.value).unwrap_or_default();
    let container_port = r.int32(&mut ctx.d, "containerPort").map_or(0, |n| n.value);
    let protocol = r.str(&mut ctx.d, "protocol").map(|s| s.value).filter(|p| !p.is_empty());
    let host_port = r.int32(&mut ctx.d, "hostPort").map_or(0, |n| n.value);
    let host_ip = r.str(&mut ctx.d, "hostIP").map(|s| s.value).unwrap_or_default();
    r.finish(&mut ctx.d);
    let protocol = protocol.unwrap_or_else(|| Protocol::TCP.as_str().to_string());
    Some(PortIn { path, name, container_port, protocol, host_port, host_ip })
}

fn read_container(ctx: &mut Ctx, item: &Item) -> Option<ContainerIn> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    let name = r.str(&mut ctx.d, "name").map(|s| s.value).unwrap_or_default();
    let image = r.str(&mut ctx.d, "image").map(|s| s.value).unwrap_or_default();
    let ports = r.seq(&mut ctx.d, "ports").unwrap_or_default().iter().filter_map(|p| read_port(ctx, p)).collect();
    r.ignore(&IGNORED_CONTAINER_FIELDS);
    r.finish(&mut ctx.d);
    Some(ContainerIn { path, name, image, ports })
}

fn read_dns_config(ctx: &mut Ctx, item: &Item) -> Option<DnsConfigIn> {
    let mut r = ctx.d.map(item)?;
    let mut strings = |ctx: &mut Ctx, key: &'static str| -> Vec<String> {
        let items = r.seq(&mut ctx.d, key).unwrap_or_default();
        items.iter().filter_map(|i| ctx.d.str(i).map(|s| s.value)).collect()
    };
    let nameservers = strings(ctx, "nameservers");
    let searches = strings(ctx, "searches");
    let mut options = Vec::new();
    for o in r.seq(&mut ctx.d, "options").unwrap_or_default() {
        let Some(mut m) = ctx.d.map(&o) else { continue };
        let name = m.str(&mut ctx.d, "name").map(|s| s.value).unwrap_or_default();
        let value = m.str(&mut ctx.d, "value").map(|s| s.value);
        m.finish(&mut ctx.d);
        options.push((name, value));
    }
    r.finish(&mut ctx.d);
    Some(DnsConfigIn { nameservers, searches, options })
}

/// Decodes the pod spec at `item` (a Pod's `spec` or a template's; `None` when not written,
/// which decodes as an empty spec at `path`) and applies the v1 defaults.
pub(super) fn read_pod_spec(ctx: &mut Ctx, item: Option<&Item>, path: FieldPath, of: SpecOf) -> PodSpecIn {
    let mut spec = PodSpecIn {
        path,
        containers: Vec::new(),
        node_name: String::new(),
        node_selector: Vec::new(),
        host_network: false,
        hostname: String::new(),
        subdomain: String::new(),
        dns_policy: String::new(),
        dns_config: None,
        restart_policy: String::new(),
        active_deadline_seconds: None,
        enable_service_links: true,
    };
    if let Some(mut r) = item.and_then(|item| ctx.d.map(item)) {
        let text = |ctx: &mut Ctx, r: &mut MapReader, key: &'static str| {
            r.str(&mut ctx.d, key).map(|s| s.value).unwrap_or_default()
        };
        spec.containers =
            r.seq(&mut ctx.d, "containers").unwrap_or_default().iter().filter_map(|c| read_container(ctx, c)).collect();
        spec.node_name = text(ctx, &mut r, "nodeName");
        spec.node_selector = r.string_map(&mut ctx.d, "nodeSelector").map(|e| pairs(&e)).unwrap_or_default();
        spec.host_network = r.bool(&mut ctx.d, "hostNetwork").is_some_and(|b| b.value);
        spec.hostname = text(ctx, &mut r, "hostname");
        spec.subdomain = text(ctx, &mut r, "subdomain");
        spec.dns_policy = text(ctx, &mut r, "dnsPolicy");
        spec.dns_config = r.raw("dnsConfig").and_then(|item| read_dns_config(ctx, &item));
        spec.restart_policy = text(ctx, &mut r, "restartPolicy");
        spec.active_deadline_seconds = r.int(&mut ctx.d, "activeDeadlineSeconds").map(|n| n.value);
        spec.enable_service_links = r.bool(&mut ctx.d, "enableServiceLinks").is_none_or(|b| b.value);
        r.ignore(&IGNORED_POD_FIELDS);
        r.finish(&mut ctx.d);
    }
    // SetDefaults_PodSpec, and SetDefaults_Pod's host-network ports.
    if spec.dns_policy.is_empty() {
        spec.dns_policy = DnsPolicy::ClusterFirst.as_str().to_string();
    }
    if spec.restart_policy.is_empty() {
        spec.restart_policy = "Always".to_string();
    }
    if spec.host_network && of == SpecOf::Pod {
        for p in spec.containers.iter_mut().flat_map(|c| c.ports.iter_mut()) {
            if p.host_port == 0 {
                p.host_port = p.container_port;
            }
        }
    }
    spec
}

/// Decodes the pod template at `item` (`None` when not written: an empty template at `path`).
pub(super) fn read_template(ctx: &mut Ctx, item: Option<&Item>, path: FieldPath) -> TemplateIn {
    let mut labels = None;
    let mut annotations = Vec::new();
    let mut spec_item = None;
    if let Some(mut r) = item.and_then(|item| ctx.d.map(item)) {
        if let Some(mut m) = r.map(&mut ctx.d, "metadata") {
            labels = m.string_map(&mut ctx.d, "labels").map(|e| pairs(&e));
            annotations = m.string_map(&mut ctx.d, "annotations").map(|e| pairs(&e)).unwrap_or_default();
            m.ignore(&["name", "namespace", "generateName"]);
            m.ignore(&SERVER_FIELDS);
            m.finish(&mut ctx.d);
        }
        spec_item = r.raw("spec");
        r.finish(&mut ctx.d);
    }
    let spec = read_pod_spec(ctx, spec_item.as_ref(), path.field("spec"), SpecOf::Template);
    TemplateIn { path, labels, annotations, spec }
}

/// `validateContainerPorts` for one container; returns its typed ports when all are valid.
fn check_ports(c: &mut Checks, container: &ContainerIn) -> Option<Vec<ContainerPort>> {
    let mut names = BTreeSet::new();
    let mut ports = Vec::new();
    let mut ok = true;
    for p in &container.ports {
        if !p.name.is_empty() {
            let details = port_name(&p.name);
            if !details.is_empty() {
                c.invalid_details(&p.path.field("name"), &p.name, details);
                ok = false;
            } else if !names.insert(p.name.as_str()) {
                c.fail(&p.path.field("name"), FieldError::Duplicate { value: p.name.as_str().into() });
                ok = false;
            }
        }
        let container_port = p.path.field("containerPort");
        if p.container_port == 0 {
            c.fail(&container_port, FieldError::required(""));
        } else {
            for detail in port_number(i64::from(p.container_port)) {
                c.fail(&container_port, FieldError::invalid(i64::from(p.container_port), detail));
            }
        }
        if p.host_port != 0 {
            for detail in port_number(i64::from(p.host_port)) {
                c.fail(&p.path.field("hostPort"), FieldError::invalid(i64::from(p.host_port), detail));
            }
        }
        let protocol = Protocol::parse(&p.protocol);
        if protocol.is_none() {
            c.fail(&p.path.field("protocol"), FieldError::not_supported(p.protocol.as_str(), &PROTOCOLS));
        }
        let number = u16::try_from(p.container_port).ok().filter(|n| *n != 0);
        let host_port = match p.host_port {
            0 => Some(None),
            n => u16::try_from(n).ok().map(Some),
        };
        match (number, protocol, host_port) {
            (Some(container_port), Some(protocol), Some(host_port)) => ports.push(ContainerPort {
                name: (!p.name.is_empty()).then(|| p.name.clone()),
                container_port,
                protocol,
                host_port,
            }),
            _ => ok = false,
        }
    }
    ok.then_some(ports)
}

/// `validateContainers`: each container, name uniqueness, then host-port conflicts.
fn check_containers(c: &mut Checks, spec: &PodSpecIn, of: SpecOf) -> Option<Vec<Container>> {
    let path = spec.path.field("containers");
    if spec.containers.is_empty() {
        c.fail(&path, FieldError::required(""));
        return None;
    }
    let mut names = BTreeSet::new();
    let mut containers = Vec::new();
    let mut ok = true;
    for container in &spec.containers {
        let name_path = container.path.field("name");
        if container.name.is_empty() {
            c.fail(&name_path, FieldError::required(""));
            ok = false;
        } else {
            let details = dns1123_label(&container.name);
            ok &= details.is_empty();
            c.invalid_details(&name_path, &container.name, details);
        }
        let image_path = container.path.field("image");
        if container.image.is_empty() {
            c.fail(&image_path, FieldError::required(""));
            ok = false;
        }
        let ports = check_ports(c, container);
        if !names.insert(container.name.as_str()) {
            c.fail(&name_path, FieldError::Duplicate { value: container.name.as_str().into() });
            ok = false;
        }
        // validateContainerOnlyForPod.
        if of == SpecOf::Pod && container.image.trim() != container.image {
            c.fail(
                &image_path,
                FieldError::invalid(container.image.as_str(), "must not have leading or trailing whitespace"),
            );
            ok = false;
        }
        if let Some(ports) = ports {
            containers.push(Container { name: container.name.clone(), image: container.image.clone(), ports });
        }
    }
    // checkHostPortConflicts / AccumulateUniqueHostPorts.
    let mut host_ports = BTreeSet::new();
    for p in spec.containers.iter().flat_map(|c| c.ports.iter()).filter(|p| p.host_port != 0) {
        let key = format!("{}/{}/{}", p.protocol, p.host_ip, p.host_port);
        if !host_ports.insert(key.clone()) {
            c.fail(&p.path.field("hostPort"), FieldError::Duplicate { value: key.into() });
            ok = false;
        }
    }
    (ok && containers.len() == spec.containers.len()).then_some(containers)
}

/// `validatePodDNSConfig`.
fn check_dns_config(c: &mut Checks, spec: &PodSpecIn) -> bool {
    let at = spec.path.field("dnsConfig");
    let config = spec.dns_config.as_ref();
    if spec.dns_policy == DnsPolicy::None.as_str() {
        match config {
            None => {
                c.fail(&at, FieldError::required("must provide `dnsConfig` when `dnsPolicy` is None"));
                return false;
            }
            Some(config) if config.nameservers.is_empty() => {
                c.fail(
                    &at.field("nameservers"),
                    FieldError::required("must provide at least one DNS nameserver when `dnsPolicy` is None"),
                );
                return false;
            }
            Some(_) => {}
        }
    }
    let Some(config) = config else { return true };
    let mut ok = true;
    let nameservers = at.field("nameservers");
    if config.nameservers.len() > MAX_NAMESERVERS {
        c.fail(
            &nameservers,
            FieldError::invalid(
                ShownValue::StrList(config.nameservers.clone()),
                format!("must not have more than {MAX_NAMESERVERS} nameservers"),
            ),
        );
        ok = false;
    }
    for (i, ns) in config.nameservers.iter().enumerate() {
        if let Err(details) = ip_address(ns) {
            c.invalid_details(&nameservers.index(i), ns, details);
            ok = false;
        }
    }
    let searches = at.field("searches");
    let list = || ShownValue::StrList(config.searches.clone());
    if config.searches.len() > MAX_SEARCH_PATHS {
        c.fail(
            &searches,
            FieldError::invalid(list(), format!("must not have more than {MAX_SEARCH_PATHS} search paths")),
        );
        ok = false;
    }
    if config.searches.join(" ").len() > MAX_SEARCH_LIST_CHARS {
        c.fail(
            &searches,
            FieldError::invalid(
                list(),
                format!(
                    "must not have more than {MAX_SEARCH_LIST_CHARS} characters (including spaces) in the search list"
                ),
            ),
        );
        ok = false;
    }
    // RelaxedDNSSearchValidation (on by default since 1.33): "." and underscores are allowed.
    for (i, search) in config.searches.iter().enumerate().filter(|(_, s)| *s != ".") {
        let trimmed = search.strip_suffix('.').unwrap_or(search);
        let details = dns1123_subdomain_with_underscore(trimmed);
        ok &= details.is_empty();
        c.invalid_details(&searches.index(i), trimmed, details);
    }
    for (i, (name, _)) in config.options.iter().enumerate() {
        if name.is_empty() {
            c.fail(&at.field("options").index(i), FieldError::required("must not be empty"));
            ok = false;
        }
    }
    ok
}

/// `ValidatePodSpec` (and, for a Pod, `validateContainersOnlyForPod`); the typed spec when valid.
pub(super) fn check_pod_spec(c: &mut Checks, spec: &PodSpecIn, of: SpecOf) -> Option<PodSpec> {
    let containers = check_containers(c, spec, of);
    let mut ok = true;
    // validatePodHostNetworkDeps: a template may leave hostPort 0 (the pod defaults it).
    if spec.host_network {
        for p in spec.containers.iter().flat_map(|c| c.ports.iter()) {
            if (of == SpecOf::Pod || p.host_port != 0) && p.host_port != p.container_port {
                c.fail(
                    &p.path.field("hostPort"),
                    FieldError::invalid(
                        i64::from(p.host_port),
                        "must match `containerPort` when `hostNetwork` is true",
                    ),
                );
                ok = false;
            }
        }
    }
    if !RESTART_POLICIES.contains(&spec.restart_policy.as_str()) {
        c.fail(
            &spec.path.field("restartPolicy"),
            FieldError::not_supported(spec.restart_policy.as_str(), &RESTART_POLICIES),
        );
        ok = false;
    }
    let dns_policy = DnsPolicy::ALL.into_iter().find(|p| p.as_str() == spec.dns_policy);
    if dns_policy.is_none() {
        c.fail(&spec.path.field("dnsPolicy"), FieldError::not_supported(spec.dns_policy.as_str(), &DNS_POLICIES));
    }
    let selector = spec.path.field("nodeSelector");
    let errors = validate_labels(&spec.node_selector, &selector.to_string());
    ok &= errors.is_empty();
    c.fail_map(&selector, &selector, errors);
    ok &= check_dns_config(c, spec);
    if !spec.node_name.is_empty() {
        let details = dns1123_subdomain(&spec.node_name);
        ok &= details.is_empty();
        c.invalid_details(&spec.path.field("nodeName"), &spec.node_name, details);
    }
    if let Some(seconds) = spec.active_deadline_seconds {
        if !(1..=i64::from(i32::MAX)).contains(&seconds) {
            c.fail(
                &spec.path.field("activeDeadlineSeconds"),
                FieldError::invalid(seconds, format!("must be between 1 and {}, inclusive", i32::MAX)),
            );
            ok = false;
        }
    }
    for (field, value) in [("hostname", &spec.hostname), ("subdomain", &spec.subdomain)] {
        if !value.is_empty() {
            let details = dns1123_label(value);
            ok &= details.is_empty();
            c.invalid_details(&spec.path.field(field), value, details);
        }
    }
    if !ok {
        return None;
    }
    let spec_out = PodSpec {
        containers: containers?,
        node_name: (!spec.node_name.is_empty()).then(|| spec.node_name.clone()),
        node_selector: spec.node_selector.iter().cloned().collect(),
        host_network: spec.host_network,
        hostname: (!spec.hostname.is_empty()).then(|| spec.hostname.clone()),
        subdomain: (!spec.subdomain.is_empty()).then(|| spec.subdomain.clone()),
        dns_policy: dns_policy?,
        dns_config: spec.dns_config.as_ref().map(|d| DnsConfig {
            nameservers: d.nameservers.clone(),
            searches: d.searches.clone(),
            options: d.options.clone(),
        }),
        enable_service_links: spec.enable_service_links,
    };
    Some(spec_out)
}

/// The API server's warnings about a valid pod spec's ports (`warningsForPodSpecAndMeta`);
/// the API server sends them with an accepted object only.
pub(super) fn port_warnings(c: &mut Checks, spec: &PodSpecIn) {
    let mut by_name: BTreeMap<&str, &FieldPath> = BTreeMap::new();
    let mut by_port: BTreeMap<(i32, &str), Vec<&PortIn>> = BTreeMap::new();
    for p in spec.containers.iter().flat_map(|c| c.ports.iter()) {
        if !p.name.is_empty() {
            match by_name.get(p.name.as_str()) {
                Some(other) => c.warn(
                    &p.path,
                    &p.path,
                    format!(
                        "duplicate port name {} with {other}, services and probes that select ports by name will use {other}",
                        go_quote(&p.name)
                    ),
                ),
                None => {
                    by_name.insert(&p.name, &p.path);
                }
            }
        }
        let others = by_port.entry((p.container_port, p.protocol.as_str())).or_default();
        for other in others.iter() {
            let message = if p.host_ip == other.host_ip && p.host_port == other.host_port {
                "duplicate port definition"
            } else if p.host_port == 0 || other.host_port == 0 {
                "overlapping port definition"
            } else if p.host_port == other.host_port && (p.host_ip.is_empty() != other.host_ip.is_empty()) {
                "dangerously ambiguous port definition"
            } else {
                continue;
            };
            c.warn(&p.path, &p.path, format!("{message} with {}", other.path));
        }
        others.push(p);
    }
}

/// Whether `annotations` declare the pod not ready.
fn annotated_not_ready(annotations: &Labels) -> bool {
    annotations.get(READY_ANNOTATION).is_some_and(|v| v.eq_ignore_ascii_case("false"))
}

/// `ValidatePodTemplateSpec`'s metadata part: labels and annotations, reported at
/// `<template>.labels` and `<template>.annotations` (located at `metadata.labels` and
/// `metadata.annotations`).
pub(super) fn check_template_metadata(c: &mut Checks, t: &TemplateIn) {
    let metadata = t.path.field("metadata");
    let labels = t.path.field("labels");
    let written = t.labels.as_deref().unwrap_or_default();
    c.fail_map(&metadata.field("labels"), &labels, validate_labels(written, &labels.to_string()));
    let annotations = t.path.field("annotations");
    c.fail_map(
        &metadata.field("annotations"),
        &annotations,
        validate_annotations(&t.annotations, &annotations.to_string()),
    );
}

/// The typed template, from its metadata and its checked spec.
pub(super) fn typed_template(t: &TemplateIn, spec: PodSpec) -> PodTemplate {
    let annotations: Labels = t.annotations.iter().cloned().collect();
    PodTemplate {
        labels: t.labels.iter().flatten().cloned().collect(),
        ready: !annotated_not_ready(&annotations),
        annotations,
        spec,
    }
}

/// A bare Pod: `spec`, and readiness from `status.conditions` or the annotation.
pub fn load_pod(ctx: &mut Ctx, mut top: MapReader, meta: ObjectMeta) -> Option<Pod> {
    let spec_item = top.raw("spec");
    let mut ready = !annotated_not_ready(&meta.annotations);
    if let Some(mut status) = top.map(&mut ctx.d, "status") {
        for c in status.seq(&mut ctx.d, "conditions").unwrap_or_default() {
            let Some(mut m) = ctx.d.map(&c) else { continue };
            let kind = m.str(&mut ctx.d, "type").map(|s| s.value);
            let value = m.str(&mut ctx.d, "status").map(|s| s.value);
            m.ignore(&["lastProbeTime", "lastTransitionTime", "reason", "message", "observedGeneration"]);
            m.finish(&mut ctx.d);
            if kind.as_deref() == Some("Ready") && value.as_deref() == Some("False") {
                ready = false;
            }
        }
        status.ignore(&[
            "phase",
            "podIP",
            "podIPs",
            "hostIP",
            "hostIPs",
            "startTime",
            "containerStatuses",
            "initContainerStatuses",
            "qosClass",
            "message",
            "reason",
            "nominatedNodeName",
        ]);
        status.finish(&mut ctx.d);
    }
    top.finish(&mut ctx.d);
    let spec = read_pod_spec(ctx, spec_item.as_ref(), FieldPath::root().field("spec"), SpecOf::Pod);
    if !decoded_cleanly(ctx) {
        return None;
    }
    let mut checks = Checks::new(ctx);
    let typed = check_pod_spec(&mut checks, &spec, SpecOf::Pod);
    if checks.failed() {
        return None;
    }
    port_warnings(&mut checks, &spec);
    Some(Pod { meta, spec: typed?, ready })
}

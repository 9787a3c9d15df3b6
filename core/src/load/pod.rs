//! Pods, pod templates and containers.
//!
//! Rules (the API server's pod validation): at least one container; container names are
//! DNS-1123 labels, unique in the pod; `image` is required; container ports are 1-65535 with
//! optional IANA_SVC_NAME names unique in the pod; protocols are TCP, UDP or SCTP. Readiness is
//! declared (see [`crate::api::pod::Pod::ready`]).

use super::meta::load_labels;
use super::Ctx;
use crate::api::pod::{Container, ContainerPort, DnsConfig, DnsPolicy, Pod, PodSpec, PodTemplate};
use crate::api::{ObjectMeta, Protocol};
use crate::decode::{FieldPath, Item, MapReader};
use crate::validation::names::dns1123_label;
use crate::validation::ports::{port_name, port_number};
use crate::validation::FieldError;
use std::collections::BTreeSet;

/// The annotation that declares a pod (or every pod of a template) not ready.
pub const READY_ANNOTATION: &str = "kubeplay.dev/ready";

/// PodSpec fields the model accepts but does not simulate.
const IGNORED_POD_FIELDS: [&str; 28] = [
    "volumes",
    "initContainers",
    "ephemeralContainers",
    "restartPolicy",
    "terminationGracePeriodSeconds",
    "activeDeadlineSeconds",
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
];

/// Container fields the model accepts but does not simulate.
const IGNORED_CONTAINER_FIELDS: [&str; 19] = [
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
];

/// Reads a protocol field, defaulting to TCP; an unsupported value is reported.
pub fn load_protocol(ctx: &mut Ctx, r: &mut MapReader, key: &'static str) -> Option<Protocol> {
    let Some(text) = r.str(&mut ctx.d, key) else { return Some(Protocol::TCP) };
    let protocol = Protocol::parse(&text.value);
    if protocol.is_none() {
        ctx.fail_at(&r.path().field(key), FieldError::not_supported(text.value.as_str(), &["SCTP", "TCP", "UDP"]));
    }
    protocol
}

fn load_container_port(ctx: &mut Ctx, item: &Item) -> Option<ContainerPort> {
    let mut r = ctx.d.map(item)?;
    let name = r.str(&mut ctx.d, "name").map(|s| s.value).filter(|s| !s.is_empty());
    let number = r.int32(&mut ctx.d, "containerPort");
    let protocol = load_protocol(ctx, &mut r, "protocol");
    let host_port = r.int32(&mut ctx.d, "hostPort");
    r.ignore(&["hostIP"]);
    let path = r.path().clone();
    r.finish(&mut ctx.d);
    let mut ok = protocol.is_some();
    if let Some(name) = &name {
        let details = port_name(name);
        ok &= details.is_empty();
        ctx.invalid_details(&path.field("name"), name, details);
    }
    let container_port = match number {
        None => {
            ctx.fail_at(&path.field("containerPort"), FieldError::required(""));
            None
        }
        Some(n) => {
            let details = port_number(i64::from(n.value));
            let valid = details.is_empty();
            for d in details {
                ctx.fail_at(&path.field("containerPort"), FieldError::invalid(i64::from(n.value), d));
            }
            valid.then_some(n.value as u16)
        }
    };
    let host_port = match host_port.filter(|h| h.value != 0) {
        None => Some(None),
        Some(h) => {
            let details = port_number(i64::from(h.value));
            let valid = details.is_empty();
            for d in details {
                ctx.fail_at(&path.field("hostPort"), FieldError::invalid(i64::from(h.value), d));
            }
            valid.then_some(Some(h.value as u16))
        }
    };
    if !ok {
        return None;
    }
    Some(ContainerPort { name, container_port: container_port?, protocol: protocol?, host_port: host_port? })
}

fn load_container(ctx: &mut Ctx, item: &Item) -> Option<Container> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    let name = r.str(&mut ctx.d, "name");
    let image = r.str(&mut ctx.d, "image");
    let ports: Vec<Option<ContainerPort>> =
        r.seq(&mut ctx.d, "ports").unwrap_or_default().iter().map(|p| load_container_port(ctx, p)).collect();
    r.ignore(&IGNORED_CONTAINER_FIELDS);
    r.ignore(&["tty", "stdinOnce"]);
    r.finish(&mut ctx.d);
    let name = match name.filter(|n| !n.value.is_empty()) {
        None => {
            ctx.fail_at(&path.field("name"), FieldError::required(""));
            None
        }
        Some(n) => {
            let details = dns1123_label(&n.value);
            let valid = details.is_empty();
            ctx.invalid_details(&path.field("name"), &n.value, details);
            valid.then_some(n.value)
        }
    };
    let image = match image.filter(|i| !i.value.trim().is_empty()) {
        None => {
            ctx.fail_at(&path.field("image"), FieldError::required(""));
            None
        }
        Some(i) => Some(i.value),
    };
    let ports: Option<Vec<ContainerPort>> = ports.into_iter().collect();
    Some(Container { name: name?, image: image?, ports: ports? })
}

fn load_dns_config(ctx: &mut Ctx, item: &Item) -> Option<DnsConfig> {
    let mut r = ctx.d.map(item)?;
    let strings = |ctx: &mut Ctx, items: Vec<Item>| -> Vec<String> {
        items.iter().filter_map(|i| ctx.d.str(i).map(|s| s.value)).collect()
    };
    let nameservers = r.seq(&mut ctx.d, "nameservers").unwrap_or_default();
    let nameservers = strings(ctx, nameservers);
    let searches = r.seq(&mut ctx.d, "searches").unwrap_or_default();
    let searches = strings(ctx, searches);
    let mut options = Vec::new();
    for o in r.seq(&mut ctx.d, "options").unwrap_or_default() {
        let Some(mut m) = ctx.d.map(&o) else { continue };
        let name = m.str(&mut ctx.d, "name").map(|s| s.value).unwrap_or_default();
        let value = m.str(&mut ctx.d, "value").map(|s| s.value);
        m.finish(&mut ctx.d);
        options.push((name, value));
    }
    r.finish(&mut ctx.d);
    Some(DnsConfig { nameservers, searches, options })
}

/// Reads a PodSpec at `item` (a Pod's `spec` or a template's).
pub fn load_pod_spec(ctx: &mut Ctx, item: &Item) -> Option<PodSpec> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    let containers = r.seq(&mut ctx.d, "containers");
    let node_name = r.str(&mut ctx.d, "nodeName").map(|s| s.value).filter(|s| !s.is_empty());
    let node_selector = match r.raw("nodeSelector") {
        Some(item) => load_labels(ctx, &item),
        None => Some(Default::default()),
    };
    let host_network = r.bool(&mut ctx.d, "hostNetwork").is_some_and(|b| b.value);
    let hostname = r.str(&mut ctx.d, "hostname").map(|s| s.value).filter(|s| !s.is_empty());
    let subdomain = r.str(&mut ctx.d, "subdomain").map(|s| s.value).filter(|s| !s.is_empty());
    let dns_policy = r.str(&mut ctx.d, "dnsPolicy");
    let dns_config = r.raw("dnsConfig").map(|item| load_dns_config(ctx, &item));
    r.ignore(&IGNORED_POD_FIELDS);
    r.ignore(&["enableServiceLinks", "setHostnameAsFQDN"]);
    r.finish(&mut ctx.d);

    let containers: Vec<Option<Container>> = match containers {
        Some(items) if !items.is_empty() => items.iter().map(|c| load_container(ctx, c)).collect(),
        _ => {
            ctx.fail_at(&path.field("containers"), FieldError::required(""));
            vec![None]
        }
    };
    let containers: Option<Vec<Container>> = containers.into_iter().collect();
    let containers = containers?;
    let mut ok = true;
    let mut names = BTreeSet::new();
    let mut port_names = BTreeSet::new();
    for (i, c) in containers.iter().enumerate() {
        if !names.insert(c.name.clone()) {
            ctx.fail_at(&path.field("containers").index(i).field("name"), FieldError::Duplicate { value: c.name.as_str().into() });
            ok = false;
        }
        for (j, p) in c.ports.iter().enumerate() {
            if let Some(name) = &p.name {
                if !port_names.insert(name.clone()) {
                    let at = path.field("containers").index(i).field("ports").index(j).field("name");
                    ctx.fail_at(&at, FieldError::Duplicate { value: name.as_str().into() });
                    ok = false;
                }
            }
        }
    }
    for (field, value) in [("hostname", &hostname), ("subdomain", &subdomain)] {
        if let Some(v) = value {
            let details = dns1123_label(v);
            ok &= details.is_empty();
            ctx.invalid_details(&path.field(field), v, details);
        }
    }
    let dns_policy = match dns_policy {
        None => DnsPolicy::default(),
        Some(text) => match DnsPolicy::ALL.into_iter().find(|p| p.as_str() == text.value) {
            Some(p) => p,
            None => {
                let supported: Vec<&str> = DnsPolicy::ALL.iter().map(|p| p.as_str()).collect();
                ctx.fail_at(&path.field("dnsPolicy"), FieldError::not_supported(text.value.as_str(), &supported));
                return None;
            }
        },
    };
    let dns_config = match dns_config {
        Some(None) => return None,
        Some(Some(c)) => Some(c),
        None => None,
    };
    if dns_policy == DnsPolicy::None && dns_config.as_ref().is_none_or(|c| c.nameservers.is_empty()) {
        ctx.fail_at(
            &path.field("dnsConfig").field("nameservers"),
            FieldError::required("must provide at least one DNS nameserver when `dnsPolicy` is 'None'"),
        );
        ok = false;
    }
    ok.then_some(PodSpec {
        containers,
        node_name,
        node_selector: node_selector?,
        host_network,
        hostname,
        subdomain,
        dns_policy,
        dns_config,
    })
}

/// Whether `annotations` declare the pod not ready.
fn annotated_not_ready(annotations: &crate::api::Labels) -> bool {
    annotations.get(READY_ANNOTATION).is_some_and(|v| v.eq_ignore_ascii_case("false"))
}

/// Reads a pod template at `item`: `metadata.labels`, `metadata.annotations` and `spec`.
pub fn load_template(ctx: &mut Ctx, item: &Item) -> Option<PodTemplate> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    let (labels, annotations) = match r.map(&mut ctx.d, "metadata") {
        Some(mut m) => {
            let labels = m.raw("labels").map(|i| load_labels(ctx, &i));
            let annotations = m.string_map(&mut ctx.d, "annotations").unwrap_or_default();
            m.ignore(&["name", "namespace", "generateName", "creationTimestamp"]);
            m.finish(&mut ctx.d);
            (labels, annotations)
        }
        None => (None, Vec::new()),
    };
    let spec = match r.raw("spec") {
        Some(item) => load_pod_spec(ctx, &item),
        None => {
            ctx.fail_at(&path.field("spec").field("containers"), FieldError::required(""));
            None
        }
    };
    r.finish(&mut ctx.d);
    let labels = match labels {
        Some(None) => return None,
        Some(Some(l)) => l,
        None => Default::default(),
    };
    let annotations: crate::api::Labels = annotations.into_iter().map(|(k, v)| (k.value, v.value)).collect();
    let ready = !annotated_not_ready(&annotations);
    Some(PodTemplate { labels, annotations, spec: spec?, ready })
}

/// A bare Pod: `spec`, and readiness from `status.conditions` or the annotation.
pub fn load_pod(ctx: &mut Ctx, mut top: MapReader, meta: ObjectMeta) -> Option<Pod> {
    let spec = match top.raw("spec") {
        Some(item) => load_pod_spec(ctx, &item),
        None => {
            ctx.fail_at(&FieldPath::root().field("spec").field("containers"), FieldError::required(""));
            None
        }
    };
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
    Some(Pod { meta, spec: spec?, ready })
}

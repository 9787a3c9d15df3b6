//! `kubectl describe service`: the fields, labels and layout of kubectl's `describeService`
//! (kubernetes/kubectl `pkg/describe/describe.go`).
//!
//! Lines are `Label:\tvalue`, aligned by `tabbedString`'s tab writer (`minwidth 0, padding 2`), so
//! values start two spaces after the longest label; a port line's name is a second column
//! aligned on its own. Labels print one `k=v` per line, annotations `k: v` (values longer than
//! `maxAnnotationLen` are broken out and shortened), both sorted. The Endpoints line of each
//! port comes from the Service's EndpointSlices (`formatEndpointSlices`). The model records no
//! events, so the section is `Events: <none>`.

use super::objects::{cluster_ips, ip_families, ip_family_policy};
use super::text::{format_labels, tabwrite};
use super::{GetError, Resource};
use crate::api::service::{ServiceType, SessionAffinity, TargetPort};
use crate::api::Labels;
use crate::cluster::{Cluster, EndpointSliceState, LoadBalancerStatus, ServiceState};
use std::fmt::Write as _;

/// describe.go's `maxAnnotationLen`.
const MAX_ANNOTATION_LEN: usize = 140;

/// The annotation `printAnnotationsMultiline` never prints.
const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

/// `kubectl describe service <name> -n <namespace>`, every line ending with a newline.
pub fn describe_service(cluster: &Cluster, namespace: &str, name: &str) -> Result<String, GetError> {
    let s = cluster
        .service(namespace, name)
        .ok_or_else(|| GetError::NotFound { resource: Resource::Services, name: name.to_string() })?;
    let slices: Vec<&EndpointSliceState> = s.slices.iter().map(|i| &cluster.endpoint_slices[*i]).collect();
    Ok(tabwrite(&lines(s, &slices), 0, 2))
}

fn lines(s: &ServiceState, slices: &[&EndpointSliceState]) -> String {
    let meta = &s.service.meta;
    let spec = &s.service.spec;
    let mut out = String::new();
    let mut line = |label: &str, value: &str| {
        let _ = writeln!(out, "{label}:\t{value}");
    };
    line("Name", &meta.name);
    line("Namespace", &meta.namespace);
    line("Labels", &multiline(&meta.labels, |k, v| vec![format!("{k}={v}")]));
    line("Annotations", &multiline(&annotations(&meta.annotations), annotation));
    line("Selector", &spec.selector.as_ref().map_or_else(|| "<none>".to_string(), format_labels));
    line("Type", spec.type_.as_str());
    if let Some(policy) = ip_family_policy(s) {
        line("IP Family Policy", policy);
    }
    let families = ip_families(s);
    line("IP Families", &if families.is_empty() { "<none>".to_string() } else { families.join(",") });
    let ips = cluster_ips(s);
    line("IP", ips.first().map_or("", String::as_str));
    line("IPs", &if ips.is_empty() { "<none>".to_string() } else { ips.join(",") });
    if !spec.external_ips.is_empty() {
        line("External IPs", &spec.external_ips.iter().map(ToString::to_string).collect::<Vec<_>>().join(","));
    }
    if let Some(ip) = spec.load_balancer_ip {
        line("Desired LoadBalancer IP", &ip.to_string());
    }
    if let Some(external_name) = &spec.external_name {
        line("External Name", external_name);
    }
    if let LoadBalancerStatus::Ingress(ip) = s.load_balancer {
        // buildIngressString: the address and its ipMode, which the API server defaults to VIP.
        line("LoadBalancer Ingress", &format!("{ip} (VIP)"));
    }
    for (port, node_port) in spec.ports.iter().zip(&s.node_ports) {
        let name = port.name.as_deref().unwrap_or("<unset>");
        let protocol = port.protocol.as_str();
        line("Port", &format!("{name}\t{}/{protocol}", port.port));
        let target = match &port.target_port {
            TargetPort::Number(n) => n.to_string(),
            TargetPort::Named(n) => n.clone(),
        };
        line("TargetPort", &format!("{target}/{protocol}"));
        if let Some(node_port) = node_port {
            line("NodePort", &format!("{name}\t{node_port}/{protocol}"));
        }
        line("Endpoints", &endpoints(slices, port.name.as_deref().unwrap_or("")));
    }
    line(
        "Session Affinity",
        match spec.session_affinity {
            SessionAffinity::None => "None",
            SessionAffinity::ClientIp { .. } => "ClientIP",
        },
    );
    if spec.type_.has_node_ports() {
        line("External Traffic Policy", spec.external_traffic_policy.as_str());
    }
    if spec.type_ != ServiceType::ExternalName {
        line("Internal Traffic Policy", spec.internal_traffic_policy.as_str());
    }
    if let Some(port) = s.health_check_node_port {
        line("HealthCheck NodePort", &port.to_string());
    }
    if !spec.load_balancer_source_ranges.is_empty() {
        let ranges: Vec<String> = spec.load_balancer_source_ranges.iter().map(ToString::to_string).collect();
        line("LoadBalancer Source Ranges", &ranges.join(","));
    }
    line("Events", "<none>");
    out
}

/// printLabelsMultiline / printAnnotationsMultiline: `<none>`, or each entry's lines with every
/// line after the first starting with a tab (an empty first column).
fn multiline(map: &Labels, entry: impl Fn(&str, &str) -> Vec<String>) -> String {
    if map.is_empty() {
        return "<none>".to_string();
    }
    let lines: Vec<String> = map.iter().flat_map(|(k, v)| entry(k, v)).collect();
    lines.join("\n\t")
}

fn annotations(map: &Labels) -> Labels {
    map.iter().filter(|(k, _)| *k != LAST_APPLIED).map(|(k, v)| (k.clone(), v.clone())).collect()
}

/// One annotation: `k: v`, or, when long or multi-line, `k:` then each line indented by two
/// spaces and cut to `maxAnnotationLen - 2` characters (`shorten`).
fn annotation(key: &str, value: &str) -> Vec<String> {
    let value = value.strip_suffix('\n').unwrap_or(value);
    if value.len() + key.len() + 2 <= MAX_ANNOTATION_LEN && !value.contains('\n') {
        return vec![format!("{key}: {value}")];
    }
    let shorten = |s: &str| match s.char_indices().nth(MAX_ANNOTATION_LEN - 2) {
        Some((cut, _)) => format!("{}...", &s[..cut]),
        None => s.to_string(),
    };
    std::iter::once(format!("{key}:")).chain(value.split('\n').map(|s| format!("  {}", shorten(s)))).collect()
}

/// formatEndpointSlices for one port name: the ready endpoints (`ready` unset counts as ready)
/// as `ip:port` for each slice port of that name (bare IPs for a slice without ports), at most
/// three then ` + N more...`; `<none>` when the Service has no slices. Upstream sets "more"
/// before skipping a not-ready endpoint, which this keeps.
fn endpoints(slices: &[&EndpointSliceState], port_name: &str) -> String {
    if slices.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list = Vec::new();
    let mut more = false;
    let mut count: usize = 0;
    for slice in slices {
        let ports: Vec<Option<u16>> = if slice.ports.is_empty() {
            vec![None]
        } else {
            slice.ports.iter().filter(|p| p.name.as_deref().unwrap_or("") == port_name).map(|p| Some(p.port)).collect()
        };
        for port in ports {
            for e in &slice.endpoints {
                more |= list.len() == MAX;
                if !e.ready {
                    continue;
                }
                if !more {
                    list.push(match port {
                        Some(port) => std::net::SocketAddr::new(e.ip, port).to_string(),
                        None => e.ip.to_string(),
                    });
                }
                count += 1;
            }
        }
    }
    let shown = list.join(",");
    if more {
        format!("{shown} + {} more...", count.saturating_sub(MAX))
    } else {
        shown
    }
}

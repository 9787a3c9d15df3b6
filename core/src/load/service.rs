//! Services (`v1`).
//!
//! Rules (the API server's Service validation and defaulting): `type` is one of four;
//! `spec.ports` is required except for ExternalName and headless Services; with more than one
//! port every port needs a name (a DNS-1123 label), names and port/protocol pairs are unique;
//! `port` is 1-65535; `targetPort` is a port number or an IANA_SVC_NAME and defaults to `port`;
//! `nodePort` may only be set for NodePort and LoadBalancer Services (its range and conflicts
//! are checked at allocation); `clusterIP` is an address, `None` (headless) or empty, and
//! NodePort/LoadBalancer Services may not be headless; ExternalName Services need a DNS name
//! in `externalName`; `externalTrafficPolicy` and `loadBalancerSourceRanges` only apply to
//! Services reachable from outside; session affinity is `None` or `ClientIP` with a timeout of
//! 1-86400 seconds. An empty `selector` is the same as none (the API server stores no map).

use super::meta::load_labels;
use super::pod::load_protocol;
use super::Ctx;
use crate::api::service::{
    ClusterIpSpec, Service, ServicePort, ServiceSpec, ServiceType, SessionAffinity, TargetPort, TrafficPolicy,
};
use crate::api::ObjectMeta;
use crate::decode::{FieldPath, IntOrString, Item, MapReader};
use crate::validation::names::{dns1123_label, dns1123_subdomain};
use crate::validation::network::{cidr, ip_address};
use crate::validation::ports::{port_name, port_number};
use crate::validation::{FieldError, ShownValue};
use std::collections::BTreeSet;

/// The default `sessionAffinityConfig.clientIP.timeoutSeconds`: three hours.
pub const DEFAULT_AFFINITY_TIMEOUT: u32 = 10800;

/// The `trafficDistribution` values the API accepts.
const TRAFFIC_DISTRIBUTIONS: [&str; 3] = ["PreferClose", "PreferSameNode", "PreferSameZone"];

fn load_port(ctx: &mut Ctx, item: &Item) -> Option<ServicePort> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    let name = r.str(&mut ctx.d, "name").map(|s| s.value).filter(|s| !s.is_empty());
    let protocol = load_protocol(ctx, &mut r, "protocol");
    let port = r.int32(&mut ctx.d, "port");
    let target = r.int_or_string(&mut ctx.d, "targetPort");
    let node_port = r.int32(&mut ctx.d, "nodePort").map(|n| n.value).filter(|n| *n != 0);
    let app_protocol = r.str(&mut ctx.d, "appProtocol").map(|s| s.value);
    r.finish(&mut ctx.d);

    let mut ok = protocol.is_some();
    if let Some(name) = &name {
        let details = dns1123_label(name);
        ok &= details.is_empty();
        ctx.invalid_details(&path.field("name"), name, details);
    }
    let port = match port {
        None => {
            ctx.fail_at(&path.field("port"), FieldError::required(""));
            return None;
        }
        Some(p) => {
            let details = port_number(i64::from(p.value));
            if !details.is_empty() {
                for d in details {
                    ctx.fail_at(&path.field("port"), FieldError::invalid(i64::from(p.value), d));
                }
                return None;
            }
            p.value as u16
        }
    };
    let target_port = match target.map(|t| t.value) {
        None | Some(IntOrString::Int(0)) => TargetPort::Number(port),
        Some(IntOrString::Int(n)) => {
            let details = port_number(i64::from(n));
            ok &= details.is_empty();
            for d in details {
                ctx.fail_at(&path.field("targetPort"), FieldError::invalid(i64::from(n), d));
            }
            TargetPort::Number(n.clamp(0, 65535) as u16)
        }
        Some(IntOrString::Str(s)) => {
            let details = port_name(&s);
            ok &= details.is_empty();
            ctx.invalid_details(&path.field("targetPort"), &s, details);
            TargetPort::Named(s)
        }
    };
    let node_port = match node_port {
        None => None,
        Some(n) if !(0..=65535).contains(&n) => {
            for d in port_number(i64::from(n)) {
                ctx.fail_at(&path.field("nodePort"), FieldError::invalid(i64::from(n), d));
            }
            return None;
        }
        Some(n) => Some(n as u16),
    };
    ok.then_some(ServicePort { name, protocol: protocol?, port, target_port, node_port, app_protocol })
}

/// Reads an enum-like string field, reporting an unsupported value.
fn choice<T: Copy>(ctx: &mut Ctx, r: &mut MapReader, key: &'static str, options: &[(&str, T)], default: T) -> Option<T> {
    let Some(text) = r.str(&mut ctx.d, key).filter(|t| !t.value.is_empty()) else { return Some(default) };
    let found = options.iter().find(|(name, _)| *name == text.value).map(|(_, v)| *v);
    if found.is_none() {
        let mut names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        names.sort_unstable();
        ctx.fail_at(&r.path().field(key), FieldError::not_supported(text.value.as_str(), &names));
    }
    found
}

/// A Service.
pub fn load(ctx: &mut Ctx, mut top: MapReader, meta: ObjectMeta) -> Option<Service> {
    let root = FieldPath::root();
    let spec_path = root.field("spec");
    let Some(mut r) = top.map(&mut ctx.d, "spec") else {
        ctx.fail_at(&spec_path.field("ports"), FieldError::required(""));
        top.finish(&mut ctx.d);
        return None;
    };
    top.ignore(&["status"]);
    top.finish(&mut ctx.d);

    let types: Vec<(&str, ServiceType)> = ServiceType::ALL.iter().map(|t| (t.as_str(), *t)).collect();
    let type_ = choice(ctx, &mut r, "type", &types, ServiceType::ClusterIP);
    let selector = r.raw("selector").map(|item| load_labels(ctx, &item));
    let ports: Option<Vec<Item>> = r.seq(&mut ctx.d, "ports");
    let ports: Vec<Option<ServicePort>> = ports.unwrap_or_default().iter().map(|p| load_port(ctx, p)).collect();
    let cluster_ip = r.str(&mut ctx.d, "clusterIP");
    let cluster_ips: Vec<String> = r
        .seq(&mut ctx.d, "clusterIPs")
        .unwrap_or_default()
        .iter()
        .filter_map(|i| ctx.d.str(i).map(|s| s.value))
        .collect();
    let external_name = r.str(&mut ctx.d, "externalName");
    let external_ips = r.seq(&mut ctx.d, "externalIPs").unwrap_or_default();
    let policies = [("Cluster", TrafficPolicy::Cluster), ("Local", TrafficPolicy::Local)];
    let etp_written = r.raw("externalTrafficPolicy").is_some();
    let external_traffic_policy = choice(ctx, &mut r, "externalTrafficPolicy", &policies, TrafficPolicy::Cluster);
    let internal_traffic_policy = choice(ctx, &mut r, "internalTrafficPolicy", &policies, TrafficPolicy::Cluster);
    let affinity = choice(ctx, &mut r, "sessionAffinity", &[("None", false), ("ClientIP", true)], false);
    let affinity_config = r.map(&mut ctx.d, "sessionAffinityConfig").map(|mut c| {
        let timeout = c.map(&mut ctx.d, "clientIP").and_then(|mut ip| {
            let t = ip.int32(&mut ctx.d, "timeoutSeconds");
            ip.finish(&mut ctx.d);
            t
        });
        c.finish(&mut ctx.d);
        timeout
    });
    let lb_ip = r.str(&mut ctx.d, "loadBalancerIP").filter(|s| !s.value.is_empty());
    let source_ranges = r.seq(&mut ctx.d, "loadBalancerSourceRanges").unwrap_or_default();
    let publish_not_ready_addresses = r.bool(&mut ctx.d, "publishNotReadyAddresses").is_some_and(|b| b.value);
    let traffic_distribution = r.str(&mut ctx.d, "trafficDistribution").map(|s| s.value);
    let allocate_lb_node_ports = r.bool(&mut ctx.d, "allocateLoadBalancerNodePorts");
    let ip_families: Vec<String> =
        r.seq(&mut ctx.d, "ipFamilies").unwrap_or_default().iter().filter_map(|i| ctx.d.str(i).map(|s| s.value)).collect();
    r.ignore(&["ipFamilyPolicy", "healthCheckNodePort", "loadBalancerClass"]);
    r.finish(&mut ctx.d);

    let type_ = type_?;
    let mut ok = true;
    let ports: Option<Vec<ServicePort>> = ports.into_iter().collect();
    let Some(ports) = ports else { return None };

    // clusterIP / clusterIPs.
    let cluster_ip_text = cluster_ip.map(|c| c.value).or_else(|| cluster_ips.first().cloned()).unwrap_or_default();
    let cluster_ip_spec = match cluster_ip_text.as_str() {
        "" => ClusterIpSpec::Auto,
        "None" => ClusterIpSpec::Headless,
        text => match ip_address(text) {
            Ok(ip) => ClusterIpSpec::Fixed(ip),
            Err(details) => {
                ctx.invalid_details(&spec_path.field("clusterIPs").index(0), text, details);
                return None;
            }
        },
    };
    if let Some(first) = cluster_ips.first() {
        if *first != cluster_ip_text {
            ctx.fail_at(
                &spec_path.field("clusterIPs").index(0),
                FieldError::invalid(first.as_str(), "must match `clusterIP` when both are specified"),
            );
            ok = false;
        }
    }
    if ip_families.iter().any(|f| f == "IPv6") {
        ctx.fail_at(
            &spec_path.field("ipFamilies"),
            FieldError::invalid(ShownValue::StrList(ip_families.clone()), "kubeplay models an IPv4 single-stack cluster"),
        );
        ok = false;
    }

    match type_ {
        ServiceType::ExternalName => match &external_name {
            None => {
                ctx.fail_at(&spec_path.field("externalName"), FieldError::required(""));
                ok = false;
            }
            Some(name) => {
                let trimmed = name.value.strip_suffix('.').unwrap_or(&name.value);
                let details = dns1123_subdomain(trimmed);
                ok &= details.is_empty();
                ctx.invalid_details(&spec_path.field("externalName"), &name.value, details);
                if cluster_ip_spec != ClusterIpSpec::Auto {
                    ctx.fail_at(&spec_path.field("clusterIP"), FieldError::forbidden("may not be set for ExternalName services"));
                    ok = false;
                }
            }
        },
        _ if ports.is_empty() && cluster_ip_spec != ClusterIpSpec::Headless => {
            ctx.fail_at(&spec_path.field("ports"), FieldError::required(""));
            ok = false;
        }
        _ => {}
    }
    if cluster_ip_spec == ClusterIpSpec::Headless && type_.has_node_ports() {
        ctx.fail_at(
            &spec_path.field("clusterIPs").index(0),
            FieldError::invalid("None", format!("may not be set to 'None' for {} services", type_.as_str())),
        );
        ok = false;
    }

    // Ports: names, uniqueness, nodePort only where the type has node ports.
    let mut names = BTreeSet::new();
    let mut pairs = BTreeSet::new();
    for (i, p) in ports.iter().enumerate() {
        let at = spec_path.field("ports").index(i);
        match &p.name {
            None if ports.len() > 1 => {
                ctx.fail_at(&at.field("name"), FieldError::required(""));
                ok = false;
            }
            Some(name) if !names.insert(name.clone()) => {
                ctx.fail_at(&at.field("name"), FieldError::Duplicate { value: name.as_str().into() });
                ok = false;
            }
            _ => {}
        }
        if !pairs.insert((p.port, p.protocol)) {
            ctx.fail_at(&at, FieldError::Duplicate { value: ShownValue::Raw(format!("{}/{}", p.port, p.protocol)) });
            ok = false;
        }
        if p.node_port.is_some() && !type_.has_node_ports() {
            ctx.fail_at(
                &at.field("nodePort"),
                FieldError::forbidden(format!("may not be used when `type` is '{}'", type_.as_str())),
            );
            ok = false;
        }
    }

    // Traffic policies and LoadBalancer-only fields.
    if etp_written && !type_.has_node_ports() && external_traffic_policy == Some(TrafficPolicy::Local) {
        ctx.fail_at(
            &spec_path.field("externalTrafficPolicy"),
            FieldError::invalid("Local", "may only be set for externally-accessible services"),
        );
        ok = false;
    }
    let mut external = Vec::new();
    for (i, item) in external_ips.iter().enumerate() {
        let Some(text) = ctx.d.str(item) else { continue };
        match ip_address(&text.value) {
            Ok(ip) => external.push(ip),
            Err(details) => {
                ok = false;
                ctx.invalid_details(&spec_path.field("externalIPs").index(i), &text.value, details);
            }
        }
    }
    let mut ranges = Vec::new();
    if !source_ranges.is_empty() && type_ != ServiceType::LoadBalancer {
        ctx.fail_at(
            &spec_path.field("loadBalancerSourceRanges"),
            FieldError::forbidden("may only be used when `type` is 'LoadBalancer'"),
        );
        ok = false;
    }
    for (i, item) in source_ranges.iter().enumerate() {
        let Some(text) = ctx.d.str(item) else { continue };
        match cidr(text.value.trim()) {
            Ok(net) => ranges.push(net),
            Err(details) => {
                ok = false;
                ctx.invalid_details(&spec_path.field("loadBalancerSourceRanges").index(i), &text.value, details);
            }
        }
    }
    let load_balancer_ip = match lb_ip {
        None => None,
        Some(text) => match ip_address(&text.value) {
            Ok(ip) => Some(ip),
            Err(details) => {
                ok = false;
                ctx.invalid_details(&spec_path.field("loadBalancerIP"), &text.value, details);
                None
            }
        },
    };
    if allocate_lb_node_ports.is_some() && type_ != ServiceType::LoadBalancer {
        ctx.fail_at(
            &spec_path.field("allocateLoadBalancerNodePorts"),
            FieldError::forbidden("may only be used when `type` is 'LoadBalancer'"),
        );
        ok = false;
    }
    if let Some(td) = &traffic_distribution {
        if !TRAFFIC_DISTRIBUTIONS.contains(&td.as_str()) {
            ctx.fail_at(&spec_path.field("trafficDistribution"), FieldError::not_supported(td.as_str(), &TRAFFIC_DISTRIBUTIONS));
            ok = false;
        }
    }

    // Session affinity.
    let session_affinity = match (affinity?, affinity_config) {
        (false, Some(_)) => {
            ctx.fail_at(
                &spec_path.field("sessionAffinityConfig"),
                FieldError::forbidden("must not be set when `sessionAffinity` is None"),
            );
            return None;
        }
        (false, None) => SessionAffinity::None,
        (true, timeout) => match timeout.flatten() {
            None => SessionAffinity::ClientIp { timeout_seconds: DEFAULT_AFFINITY_TIMEOUT },
            Some(t) if (1..=86400).contains(&t.value) => SessionAffinity::ClientIp { timeout_seconds: t.value as u32 },
            Some(t) => {
                ctx.fail_at(
                    &spec_path.field("sessionAffinityConfig").field("clientIP").field("timeoutSeconds"),
                    FieldError::invalid(i64::from(t.value), "must be greater than 0 and less than 86400"),
                );
                return None;
            }
        },
    };
    let selector = match selector {
        Some(None) => return None,
        Some(Some(s)) if !s.is_empty() => Some(s),
        _ => None,
    };
    if !ok {
        return None;
    }
    Some(Service {
        meta,
        spec: ServiceSpec {
            type_,
            selector,
            ports,
            cluster_ip: cluster_ip_spec,
            external_name: external_name.map(|n| n.value),
            external_ips: external,
            external_traffic_policy: external_traffic_policy?,
            internal_traffic_policy: internal_traffic_policy?,
            session_affinity,
            load_balancer_ip,
            load_balancer_source_ranges: ranges,
            publish_not_ready_addresses,
            traffic_distribution,
            allocate_load_balancer_node_ports: allocate_lb_node_ports.is_none_or(|b| b.value),
        },
    })
}

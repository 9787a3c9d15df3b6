//! Services (`v1`): decoding, the API server's defaulting, and `ValidateService`.
//!
//! A Service is read as the API server reads one. Decoding comes first; a document that does
//! not decode is rejected with no validation at all. Then the v1 defaults are applied
//! (`pkg/apis/core/v1/defaults.go`, `SetDefaults_Service`, and the registry's
//! `normalizeClusterIPs`): `type` ClusterIP; `sessionAffinity` None, which drops any
//! `sessionAffinityConfig`; a ClientIP timeout of 10800 s; each port's `protocol` TCP and its
//! `targetPort` the `port` when 0 or ""; `externalTrafficPolicy` Cluster for externally
//! accessible Services; `internalTrafficPolicy` Cluster; `allocateLoadBalancerNodePorts` true;
//! `clusterIPs` from `clusterIP`. Then every rule of `ValidateService`
//! (`pkg/apis/core/validation/validation.go`) is checked and every failure reported; each
//! check below names the upstream function it follows. Allocation (a requested clusterIP inside
//! the service CIDR and free, a nodePort inside 30000-32767 and free) comes later, in
//! [`crate::controllers::service_alloc`], as the registry allocates after validation.
//! Warnings are the API server's (`pkg/api/service/warnings.go`) plus two of kubeplay's, for
//! settings the API server accepts and ignores: a `sessionAffinityConfig` without ClientIP
//! affinity, and a `loadBalancerIP` that is no address.
//!
//! kubeplay models an IPv4 single-stack cluster: IPv6 cluster IPs and families are refused
//! with a message that says so.

use super::meta::{decoded_cleanly, pairs, Checks};
use super::Ctx;
use crate::api::service::{
    ClusterIpSpec, Service, ServicePort, ServiceSpec, ServiceType, SessionAffinity, TargetPort, TrafficPolicy,
};
use crate::api::{ObjectMeta, Protocol};
use crate::controllers::service_alloc::NODE_PORT_RANGE;
use crate::decode::{FieldPath, IntOrString, Item, MapReader};
use crate::validation::field_error::json_quote;
use crate::validation::labels::{labels as validate_labels, qualified_name};
use crate::validation::names::{dns1123_label, dns1123_subdomain};
use crate::validation::network::{cidr, ip_address, non_special_ip};
use crate::validation::ports::{port_name, port_number};
use crate::validation::{FieldError, ShownValue};
use ipnet::IpNet;
use std::collections::BTreeSet;
use std::net::IpAddr;

/// The default `sessionAffinityConfig.clientIP.timeoutSeconds`: three hours.
pub const DEFAULT_AFFINITY_TIMEOUT: u32 = 10800;
/// `core.MaxClientIPServiceAffinitySeconds`: one day.
const MAX_AFFINITY_TIMEOUT: i32 = 86400;
/// `supportedPortProtocols`, as `sets.List` sorts it.
const PROTOCOLS: [&str; 3] = ["SCTP", "TCP", "UDP"];
/// `supportedSessionAffinityType`, sorted.
const AFFINITIES: [&str; 2] = ["ClientIP", "None"];
/// `validExternalTrafficPolicies` and `supportedServiceInternalTrafficPolicy`, sorted.
const TRAFFIC_POLICIES: [&str; 2] = ["Cluster", "Local"];
/// The `trafficDistribution` values, in upstream's order (`PreferSameTrafficDistribution`, GA in 1.35).
const TRAFFIC_DISTRIBUTIONS: [&str; 3] = ["PreferClose", "PreferSameZone", "PreferSameNode"];
/// `supportedServiceIPFamily`, sorted.
const IP_FAMILIES: [&str; 2] = ["IPv4", "IPv6"];
/// `supportedServiceIPFamilyPolicy`, sorted.
const IP_FAMILY_POLICIES: [&str; 3] = ["PreferDualStack", "RequireDualStack", "SingleStack"];
const SINGLE_STACK: &str = "kubeplay models an IPv4 single-stack cluster";

/// One `spec.ports` entry as written, with the v1 defaults applied.
struct PortIn {
    path: FieldPath,
    name: String,
    protocol: String,
    port: i32,
    target_port: IntOrString,
    node_port: i32,
    app_protocol: Option<String>,
}

/// `sessionAffinityConfig` as written; defaulting fills in whatever part is missing.
enum AffinityConfigIn {
    Absent,
    Incomplete,
    Timeout(i32),
}

/// `spec` as written, with the v1 defaults applied.
struct SpecIn {
    type_: String,
    selector: Option<Vec<(String, String)>>,
    ports: Vec<PortIn>,
    cluster_ip: String,
    cluster_ips: Vec<String>,
    external_name: String,
    external_ips: Vec<String>,
    external_traffic_policy: String,
    internal_traffic_policy: Option<String>,
    session_affinity: String,
    affinity_config: AffinityConfigIn,
    load_balancer_ip: String,
    source_ranges: Vec<String>,
    publish_not_ready_addresses: bool,
    traffic_distribution: Option<String>,
    allocate_load_balancer_node_ports: Option<bool>,
    ip_families: Vec<String>,
    ip_family_policy: Option<String>,
    health_check_node_port: i32,
    load_balancer_class: Option<String>,
}

fn read_port(ctx: &mut Ctx, item: &Item) -> Option<PortIn> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    let name = r.str(&mut ctx.d, "name").map(|s| s.value).unwrap_or_default();
    let protocol = r.str(&mut ctx.d, "protocol").map(|s| s.value).filter(|p| !p.is_empty());
    let port = r.int32(&mut ctx.d, "port").map_or(0, |p| p.value);
    let target = r.int_or_string(&mut ctx.d, "targetPort").map(|t| t.value);
    let node_port = r.int32(&mut ctx.d, "nodePort").map_or(0, |n| n.value);
    let app_protocol = r.str(&mut ctx.d, "appProtocol").map(|s| s.value);
    r.finish(&mut ctx.d);
    let target_port = match target {
        None | Some(IntOrString::Int(0)) => IntOrString::Int(port),
        Some(IntOrString::Str(s)) if s.is_empty() => IntOrString::Int(port),
        Some(t) => t,
    };
    Some(PortIn {
        path,
        name,
        protocol: protocol.unwrap_or_else(|| Protocol::TCP.as_str().to_string()),
        port,
        target_port,
        node_port,
        app_protocol,
    })
}

fn text(ctx: &mut Ctx, r: &mut MapReader, key: &'static str) -> Option<String> {
    r.str(&mut ctx.d, key).map(|s| s.value)
}

fn strings(ctx: &mut Ctx, r: &mut MapReader, key: &'static str) -> Option<Vec<String>> {
    let items = r.seq(&mut ctx.d, key)?;
    Some(items.iter().filter_map(|i| ctx.d.str(i).map(|s| s.value)).collect())
}

fn read_spec(ctx: &mut Ctx, item: Option<&Item>) -> SpecIn {
    let reader = item.and_then(|item| ctx.d.map(item));
    let mut spec = SpecIn {
        type_: String::new(),
        selector: None,
        ports: Vec::new(),
        cluster_ip: String::new(),
        cluster_ips: Vec::new(),
        external_name: String::new(),
        external_ips: Vec::new(),
        external_traffic_policy: String::new(),
        internal_traffic_policy: None,
        session_affinity: String::new(),
        affinity_config: AffinityConfigIn::Absent,
        load_balancer_ip: String::new(),
        source_ranges: Vec::new(),
        publish_not_ready_addresses: false,
        traffic_distribution: None,
        allocate_load_balancer_node_ports: None,
        ip_families: Vec::new(),
        ip_family_policy: None,
        health_check_node_port: 0,
        load_balancer_class: None,
    };
    let Some(mut reader) = reader else { return defaulted(spec) };
    let r = &mut reader;
    spec.type_ = text(ctx, r, "type").unwrap_or_default();
    spec.selector = r.string_map(&mut ctx.d, "selector").map(|entries| pairs(&entries));
    spec.ports = r.seq(&mut ctx.d, "ports").unwrap_or_default().iter().filter_map(|p| read_port(ctx, p)).collect();
    spec.cluster_ip = text(ctx, r, "clusterIP").unwrap_or_default();
    spec.cluster_ips = strings(ctx, r, "clusterIPs").unwrap_or_default();
    spec.external_name = text(ctx, r, "externalName").unwrap_or_default();
    spec.external_ips = strings(ctx, r, "externalIPs").unwrap_or_default();
    spec.external_traffic_policy = text(ctx, r, "externalTrafficPolicy").unwrap_or_default();
    spec.internal_traffic_policy = text(ctx, r, "internalTrafficPolicy");
    spec.session_affinity = text(ctx, r, "sessionAffinity").unwrap_or_default();
    if let Some(mut c) = r.map(&mut ctx.d, "sessionAffinityConfig") {
        let timeout = c.map(&mut ctx.d, "clientIP").and_then(|mut ip| {
            let t = ip.int32(&mut ctx.d, "timeoutSeconds");
            ip.finish(&mut ctx.d);
            t
        });
        c.finish(&mut ctx.d);
        spec.affinity_config = timeout.map_or(AffinityConfigIn::Incomplete, |t| AffinityConfigIn::Timeout(t.value));
    }
    spec.load_balancer_ip = text(ctx, r, "loadBalancerIP").unwrap_or_default();
    spec.source_ranges = strings(ctx, r, "loadBalancerSourceRanges").unwrap_or_default();
    spec.publish_not_ready_addresses = r.bool(&mut ctx.d, "publishNotReadyAddresses").is_some_and(|b| b.value);
    spec.traffic_distribution = text(ctx, r, "trafficDistribution");
    spec.allocate_load_balancer_node_ports = r.bool(&mut ctx.d, "allocateLoadBalancerNodePorts").map(|b| b.value);
    spec.ip_families = strings(ctx, r, "ipFamilies").unwrap_or_default();
    spec.ip_family_policy = text(ctx, r, "ipFamilyPolicy");
    spec.health_check_node_port = r.int32(&mut ctx.d, "healthCheckNodePort").map_or(0, |n| n.value);
    spec.load_balancer_class = text(ctx, r, "loadBalancerClass");
    reader.finish(&mut ctx.d);
    defaulted(spec)
}

/// `SetDefaults_Service` and `normalizeClusterIPs`, for the fields validation looks at.
fn defaulted(mut spec: SpecIn) -> SpecIn {
    if spec.type_.is_empty() {
        spec.type_ = ServiceType::ClusterIP.as_str().to_string();
    }
    if spec.session_affinity.is_empty() {
        spec.session_affinity = "None".to_string();
    }
    if spec.cluster_ips.is_empty() && !spec.cluster_ip.is_empty() {
        spec.cluster_ips = vec![spec.cluster_ip.clone()];
    }
    if externally_accessible(&spec) && spec.external_traffic_policy.is_empty() {
        spec.external_traffic_policy = TrafficPolicy::Cluster.as_str().to_string();
    }
    let allocating = [ServiceType::ClusterIP, ServiceType::NodePort, ServiceType::LoadBalancer];
    if spec.internal_traffic_policy.is_none() && allocating.iter().any(|t| t.as_str() == spec.type_) {
        spec.internal_traffic_policy = Some(TrafficPolicy::Cluster.as_str().to_string());
    }
    spec
}

/// `apiservice.ExternallyAccessible`: reachable from outside the cluster network.
fn externally_accessible(spec: &SpecIn) -> bool {
    spec.type_ == ServiceType::LoadBalancer.as_str()
        || spec.type_ == ServiceType::NodePort.as_str()
        || (spec.type_ == ServiceType::ClusterIP.as_str() && !spec.external_ips.is_empty())
}

/// `isHeadlessService`: exactly one clusterIP, and it is `None`.
fn headless(spec: &SpecIn) -> bool {
    spec.cluster_ips.len() == 1 && spec.cluster_ips[0] == "None"
}

/// The JSON apimachinery prints for the internal `core.ServicePort` key of a duplicate port.
fn duplicate_port_key(port: &PortIn) -> ShownValue {
    ShownValue::Raw(format!(
        "{{\"Name\":\"\",\"Protocol\":{},\"AppProtocol\":null,\"Port\":{},\"TargetPort\":0,\"NodePort\":0}}",
        json_quote(&port.protocol),
        port.port
    ))
}

/// A Service.
pub fn load(ctx: &mut Ctx, mut top: MapReader, meta: ObjectMeta) -> Option<Service> {
    let spec_item = top.raw("spec");
    top.ignore(&["status"]);
    top.finish(&mut ctx.d);
    let spec = read_spec(ctx, spec_item.as_ref());
    if !decoded_cleanly(ctx) {
        return None;
    }
    validate(&mut Checks::new(ctx), spec, meta)
}

/// `ValidateService`, in upstream's order, then the warnings; the typed Service when valid.
fn validate(c: &mut Checks, spec: SpecIn, meta: ObjectMeta) -> Option<Service> {
    let spec_path = FieldPath::root().field("spec");
    let type_ = ServiceType::ALL.into_iter().find(|t| t.as_str() == spec.type_);
    let is_headless = headless(&spec);

    // ValidateService: ports are required unless headless or ExternalName.
    if spec.ports.is_empty() && !is_headless && type_ != Some(ServiceType::ExternalName) {
        c.fail(&spec_path.field("ports"), FieldError::required(""));
    }
    check_type_rules(c, &spec, type_, is_headless);

    // validateServicePort for each port; names are required when there are several.
    let mut names = BTreeSet::new();
    let ports: Vec<Option<ServicePort>> =
        spec.ports.iter().map(|p| check_port(c, p, spec.ports.len() > 1, &mut names, type_)).collect();

    // ValidateService: the selector's labels.
    if let Some(selector) = &spec.selector {
        let at = spec_path.field("selector");
        c.fail_map(&at, &at, validate_labels(selector, &at.to_string()));
    }
    let session_affinity = check_affinity(c, &spec);
    let cluster_ip = check_cluster_ips(c, &spec, type_);
    let external_ips = check_external_ips(c, &spec);

    // ValidateService: the type is one of four.
    if type_.is_none() {
        let supported: Vec<&str> = ServiceType::ALL.iter().map(|t| t.as_str()).collect();
        c.fail(&spec_path.field("type"), FieldError::not_supported(spec.type_.as_str(), &supported));
    }
    check_port_uniqueness(c, &spec, type_);
    let source_ranges = check_source_ranges(c, &spec, type_);
    if spec.allocate_load_balancer_node_ports.is_some() && type_ != Some(ServiceType::LoadBalancer) {
        c.fail(
            &spec_path.field("allocateLoadBalancerNodePorts"),
            FieldError::forbidden("may only be used when `type` is 'LoadBalancer'"),
        );
    }
    // validateLoadBalancerClassField.
    if let Some(class) = &spec.load_balancer_class {
        let at = spec_path.field("loadBalancerClass");
        if type_ == Some(ServiceType::LoadBalancer) {
            c.invalid_details(&at, class, qualified_name(class));
        } else {
            c.fail(&at, FieldError::forbidden("may only be used when `type` is 'LoadBalancer'"));
        }
    }
    check_traffic(c, &spec, type_);
    // Warnings come with an accepted object only, as the API server sends them.
    if c.failed() {
        return None;
    }
    warnings(c, &spec, type_, is_headless);
    let load_balancer_ip = load_balancer_ip(c, &spec);

    let type_ = type_?;
    let ports: Option<Vec<ServicePort>> = ports.into_iter().collect();
    Some(Service {
        meta,
        spec: ServiceSpec {
            type_,
            selector: spec.selector.filter(|s| !s.is_empty()).map(|s| s.into_iter().collect()),
            ports: ports?,
            cluster_ip: cluster_ip?,
            external_name: (type_ == ServiceType::ExternalName).then(|| spec.external_name.clone()),
            external_ips,
            external_traffic_policy: policy(&spec.external_traffic_policy),
            internal_traffic_policy: policy(spec.internal_traffic_policy.as_deref().unwrap_or_default()),
            session_affinity: session_affinity?,
            load_balancer_ip,
            load_balancer_source_ranges: source_ranges,
            publish_not_ready_addresses: spec.publish_not_ready_addresses,
            traffic_distribution: spec.traffic_distribution,
            allocate_load_balancer_node_ports: spec.allocate_load_balancer_node_ports.unwrap_or(true),
            health_check_node_port: u16::try_from(spec.health_check_node_port).ok().filter(|p| *p != 0),
        },
    })
}

fn policy(text: &str) -> TrafficPolicy {
    if text == TrafficPolicy::Local.as_str() {
        TrafficPolicy::Local
    } else {
        TrafficPolicy::Cluster
    }
}

/// ValidateService's switch on the type: NodePort and LoadBalancer Services may not be
/// headless; an ExternalName Service has no cluster IPs or IP families and needs a DNS name.
fn check_type_rules(c: &mut Checks, spec: &SpecIn, type_: Option<ServiceType>, is_headless: bool) {
    let spec_path = FieldPath::root().field("spec");
    let cluster_ips = spec_path.field("clusterIPs");
    let written_ip = written_cluster_ip(spec);
    match type_ {
        Some(t @ (ServiceType::NodePort | ServiceType::LoadBalancer)) if is_headless => c.fail_near(
            &written_ip,
            &cluster_ips.index(0),
            FieldError::invalid("None", format!("may not be set to 'None' for {} services", t.as_str())),
        ),
        Some(ServiceType::ExternalName) => {
            if !spec.cluster_ips.is_empty() {
                c.fail_near(
                    &written_ip,
                    &cluster_ips,
                    FieldError::forbidden("may not be set for ExternalName services"),
                );
            }
            if !spec.ip_families.is_empty() {
                c.fail(
                    &spec_path.field("ipFamilies"),
                    FieldError::forbidden("may not be set for ExternalName services"),
                );
            }
            if spec.ip_family_policy.is_some() {
                c.fail(
                    &spec_path.field("ipFamilyPolicy"),
                    FieldError::forbidden("may not be set for ExternalName services"),
                );
            }
            // The value (a CNAME) may have a trailing dot to mark it fully qualified.
            let cname = spec.external_name.strip_suffix('.').unwrap_or(&spec.external_name);
            let at = spec_path.field("externalName");
            if cname.is_empty() {
                c.fail(&at, FieldError::required(""));
            } else {
                c.invalid_details(&at, cname, dns1123_subdomain(cname));
            }
        }
        _ => {}
    }
}

/// The field the learner wrote for the cluster IP: `clusterIP` unless only `clusterIPs` is.
fn written_cluster_ip(spec: &SpecIn) -> FieldPath {
    let spec_path = FieldPath::root().field("spec");
    if spec.cluster_ip.is_empty() && !spec.cluster_ips.is_empty() {
        spec_path.field("clusterIPs").index(0)
    } else {
        spec_path.field("clusterIP")
    }
}

/// `validateServicePort`: name, port, protocol, targetPort, appProtocol. Returns the typed
/// port when every field of it is valid.
fn check_port(
    c: &mut Checks,
    p: &PortIn,
    require_name: bool,
    names: &mut BTreeSet<String>,
    type_: Option<ServiceType>,
) -> Option<ServicePort> {
    let mut ok = true;
    let name_path = p.path.field("name");
    if require_name && p.name.is_empty() {
        c.fail(&name_path, FieldError::required(""));
        ok = false;
    } else if !p.name.is_empty() {
        let details = dns1123_label(&p.name);
        ok &= details.is_empty();
        c.invalid_details(&name_path, &p.name, details);
        if !names.insert(p.name.clone()) {
            c.fail(&name_path, FieldError::Duplicate { value: p.name.as_str().into() });
            ok = false;
        }
    }
    let port = u16::try_from(p.port).ok().filter(|n| *n != 0);
    for detail in port_number(i64::from(p.port)) {
        c.fail(&p.path.field("port"), FieldError::invalid(i64::from(p.port), detail));
    }
    let protocol = Protocol::parse(&p.protocol);
    if protocol.is_none() {
        c.fail(&p.path.field("protocol"), FieldError::not_supported(p.protocol.as_str(), &PROTOCOLS));
    }
    // ValidatePortNumOrName.
    let target_path = p.path.field("targetPort");
    let target_port = match &p.target_port {
        IntOrString::Int(n) => {
            let details = port_number(i64::from(*n));
            let valid = details.is_empty();
            for detail in details {
                c.fail(&target_path, FieldError::invalid(i64::from(*n), detail));
            }
            u16::try_from(*n).ok().filter(|_| valid).map(TargetPort::Number)
        }
        IntOrString::Str(s) => {
            let details = port_name(s);
            let valid = details.is_empty();
            c.invalid_details(&target_path, s, details);
            valid.then(|| TargetPort::Named(s.clone()))
        }
    };
    if let Some(app_protocol) = &p.app_protocol {
        let details = qualified_name(app_protocol);
        ok &= details.is_empty();
        c.invalid_details(&p.path.field("appProtocol"), app_protocol, details);
    }
    let node_port = match (type_, p.node_port) {
        (_, 0) => None,
        // The registry only allocates node ports for NodePort and LoadBalancer Services; on an
        // ExternalName Service a nodePort is kept in the spec but means nothing.
        (Some(ServiceType::ExternalName), _) => None,
        (_, n) => match u16::try_from(n) {
            Ok(n) => Some(n),
            // A ClusterIP Service's nodePort is refused by validation, an unknown type's with the type.
            Err(_) if !type_.is_some_and(ServiceType::has_node_ports) => return None,
            Err(_) => {
                // The allocator refuses what is not even a port number, before any range check.
                let (lo, hi) = NODE_PORT_RANGE;
                c.fail(
                    &p.path.field("nodePort"),
                    FieldError::invalid(
                        i64::from(n),
                        format!("provided port is not in the valid range. The range of valid ports is {lo}-{hi}"),
                    ),
                );
                return None;
            }
        },
    };
    if !ok {
        return None;
    }
    Some(ServicePort {
        name: (!p.name.is_empty()).then(|| p.name.clone()),
        protocol: protocol?,
        port: port?,
        target_port: target_port?,
        node_port,
        app_protocol: p.app_protocol.clone(),
    })
}

/// ValidateService: no nodePort on a ClusterIP Service, and no two ports with the same
/// nodePort or the same port, each per protocol.
fn check_port_uniqueness(c: &mut Checks, spec: &SpecIn, type_: Option<ServiceType>) {
    if type_ == Some(ServiceType::ClusterIP) {
        for p in spec.ports.iter().filter(|p| p.node_port != 0) {
            c.fail(&p.path.field("nodePort"), FieldError::forbidden("may not be used when `type` is 'ClusterIP'"));
        }
    }
    let mut node_ports = BTreeSet::new();
    for p in spec.ports.iter().filter(|p| p.node_port != 0) {
        if !node_ports.insert((p.protocol.as_str(), p.node_port)) {
            c.fail(&p.path.field("nodePort"), FieldError::Duplicate { value: i64::from(p.node_port).into() });
        }
    }
    let mut ports = BTreeSet::new();
    for p in &spec.ports {
        if !ports.insert((p.protocol.as_str(), p.port)) {
            c.fail(&p.path, FieldError::Duplicate { value: duplicate_port_key(p) });
        }
    }
}

/// ValidateService and `validateClientIPAffinityConfig`: None or ClientIP, the ClientIP
/// timeout in 1-86400 seconds.
fn check_affinity(c: &mut Checks, spec: &SpecIn) -> Option<SessionAffinity> {
    let at = FieldPath::root().field("spec").field("sessionAffinity");
    match spec.session_affinity.as_str() {
        "None" => Some(SessionAffinity::None),
        "ClientIP" => match spec.affinity_config {
            AffinityConfigIn::Timeout(t) if t <= 0 || t > MAX_AFFINITY_TIMEOUT => {
                let timeout = FieldPath::root()
                    .field("spec")
                    .field("sessionAffinityConfig")
                    .field("clientIP")
                    .field("timeoutSeconds");
                c.fail(
                    &timeout,
                    FieldError::invalid(
                        i64::from(t),
                        format!("must be greater than 0 and less than {MAX_AFFINITY_TIMEOUT}"),
                    ),
                );
                None
            }
            AffinityConfigIn::Timeout(t) => Some(SessionAffinity::ClientIp { timeout_seconds: t.unsigned_abs() }),
            AffinityConfigIn::Absent | AffinityConfigIn::Incomplete => {
                Some(SessionAffinity::ClientIp { timeout_seconds: DEFAULT_AFFINITY_TIMEOUT })
            }
        },
        other => {
            c.fail(&at, FieldError::not_supported(other, &AFFINITIES));
            None
        }
    }
}

/// `ValidateServiceClusterIPsRelatedFields` (not for ExternalName): `clusterIP` and
/// `clusterIPs` agree, families and policy are known values, each address is valid and at
/// most one per family; then kubeplay's single-stack limit.
fn check_cluster_ips(c: &mut Checks, spec: &SpecIn, type_: Option<ServiceType>) -> Option<ClusterIpSpec> {
    if type_ == Some(ServiceType::ExternalName) {
        return Some(ClusterIpSpec::Auto);
    }
    let spec_path = FieldPath::root().field("spec");
    let field = spec_path.field("clusterIPs");
    let written = written_cluster_ip(spec);
    let listed = || ShownValue::StrList(spec.cluster_ips.clone());
    let mut ok = true;
    if !spec.cluster_ip.is_empty() {
        if spec.cluster_ips.first() != Some(&spec.cluster_ip) {
            c.fail(&field, FieldError::invalid(listed(), "first value must match `clusterIP`"));
            ok = false;
        }
    } else if !spec.cluster_ips.is_empty() {
        c.fail(&field, FieldError::invalid(listed(), "must be empty when `clusterIP` is not specified"));
        ok = false;
    }
    let families = spec_path.field("ipFamilies");
    let mut seen = BTreeSet::new();
    for (i, family) in spec.ip_families.iter().enumerate() {
        if !IP_FAMILIES.contains(&family.as_str()) {
            c.fail(&families.index(i), FieldError::not_supported(family.as_str(), &IP_FAMILIES));
        }
        if !seen.insert(family) {
            c.fail(&families.index(i), FieldError::Duplicate { value: family.as_str().into() });
        }
    }
    if let Some(policy) = &spec.ip_family_policy {
        let at = spec_path.field("ipFamilyPolicy");
        if !IP_FAMILY_POLICIES.contains(&policy.as_str()) {
            c.fail(&at, FieldError::not_supported(policy.as_str(), &IP_FAMILY_POLICIES));
        } else if policy == "RequireDualStack" {
            // The registry's allocator, on a cluster with one service CIDR family.
            c.fail(&at, FieldError::invalid(policy.as_str(), "this cluster is not configured for dual-stack services"));
        }
    }
    let mut addresses = Vec::new();
    let mut invalid = false;
    for (i, text) in spec.cluster_ips.iter().enumerate() {
        let at = if i == 0 { written.clone() } else { field.index(i) };
        if i == 0 && text == "None" {
            if spec.cluster_ips.len() > 1 {
                invalid = true;
                c.fail(&field, FieldError::invalid(listed(), "'None' must be the first and only value"));
            }
            continue;
        }
        match ip_address(text) {
            Ok(ip) => addresses.push((i, ip)),
            Err(details) => {
                invalid = true;
                for detail in details {
                    c.fail_near(&at, &field.index(i), FieldError::invalid(text.as_str(), detail));
                }
            }
        }
    }
    if spec.cluster_ips.len() > 2 {
        c.fail(&field, FieldError::invalid(listed(), "may only hold up to 2 values"));
        invalid = true;
    }
    if invalid {
        return None;
    }
    if addresses.len() > 1 && addresses.iter().all(|(_, ip)| ip.is_ipv4() == addresses[0].1.is_ipv4()) {
        c.fail(&field, FieldError::invalid(listed(), "may specify no more than one IP for each IP family"));
        return None;
    }
    if let Some(i) = spec.ip_families.iter().position(|f| f == "IPv6") {
        c.fail(&families.index(i), FieldError::invalid(ShownValue::StrList(spec.ip_families.clone()), SINGLE_STACK));
        ok = false;
    }
    if let Some((i, ip)) = addresses.iter().find(|(_, ip)| ip.is_ipv6()) {
        let at = if *i == 0 { written } else { field.index(*i) };
        c.fail_near(&at, &field.index(*i), FieldError::invalid(ip.to_string(), SINGLE_STACK));
        ok = false;
    }
    if !ok {
        return None;
    }
    Some(match spec.cluster_ips.first().map(String::as_str) {
        None => ClusterIpSpec::Auto,
        Some("None") => ClusterIpSpec::Headless,
        Some(_) => addresses.first().map_or(ClusterIpSpec::Auto, |(_, ip)| ClusterIpSpec::Fixed(*ip)),
    })
}

/// ValidateService: each external IP is a valid address (`IsValidIP`) that traffic can be
/// sent to (`ValidateNonSpecialIP`).
fn check_external_ips(c: &mut Checks, spec: &SpecIn) -> Vec<IpAddr> {
    let field = FieldPath::root().field("spec").field("externalIPs");
    let mut ips = Vec::new();
    for (i, text) in spec.external_ips.iter().enumerate() {
        match ip_address(text) {
            Ok(ip) => {
                let details = non_special_ip(ip, text);
                if details.is_empty() {
                    ips.push(ip);
                }
                c.invalid_details(&field.index(i), text, details);
            }
            Err(details) => c.invalid_details(&field.index(i), text, details),
        }
    }
    ips
}

/// ValidateService: `loadBalancerSourceRanges` only for LoadBalancer, each a CIDR (surrounding
/// spaces allowed). Upstream names the field `spec.LoadBalancerSourceRanges` in these errors.
fn check_source_ranges(c: &mut Checks, spec: &SpecIn, type_: Option<ServiceType>) -> Vec<IpNet> {
    let written = FieldPath::root().field("spec").field("loadBalancerSourceRanges");
    let field = FieldPath::root().field("spec").field("LoadBalancerSourceRanges");
    let mut ranges = Vec::new();
    if spec.source_ranges.is_empty() {
        return ranges;
    }
    if type_ != Some(ServiceType::LoadBalancer) {
        c.fail_near(&written, &field, FieldError::forbidden("may only be used when `type` is 'LoadBalancer'"));
    }
    for (i, text) in spec.source_ranges.iter().enumerate() {
        let trimmed = text.trim();
        match cidr(trimmed) {
            Ok(net) => ranges.push(net),
            Err(details) => {
                for detail in details {
                    c.fail_near(&written.index(i), &field.index(i), FieldError::invalid(trimmed, detail));
                }
            }
        }
    }
    ranges
}

/// `validateServiceExternalTrafficPolicy`, `validateServiceInternalTrafficFieldsValue` and
/// `validateServiceTrafficDistribution`.
fn check_traffic(c: &mut Checks, spec: &SpecIn, type_: Option<ServiceType>) {
    let spec_path = FieldPath::root().field("spec");
    let etp = spec_path.field("externalTrafficPolicy");
    if !externally_accessible(spec) {
        if !spec.external_traffic_policy.is_empty() {
            c.fail(
                &etp,
                FieldError::invalid(
                    spec.external_traffic_policy.as_str(),
                    "may only be set for externally-accessible services",
                ),
            );
        }
    } else if !TRAFFIC_POLICIES.contains(&spec.external_traffic_policy.as_str()) {
        c.fail(&etp, FieldError::not_supported(spec.external_traffic_policy.as_str(), &TRAFFIC_POLICIES));
    }
    // healthCheckNodePort: the registry allocates one when the Service needs it.
    let needs_health_check =
        type_ == Some(ServiceType::LoadBalancer) && spec.external_traffic_policy == TrafficPolicy::Local.as_str();
    let hc = spec_path.field("healthCheckNodePort");
    let value = i64::from(spec.health_check_node_port);
    if spec.health_check_node_port != 0 {
        if !needs_health_check {
            c.fail(
                &hc,
                FieldError::invalid(
                    value,
                    "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'",
                ),
            );
        } else {
            for detail in port_number(value) {
                c.fail(&hc, FieldError::invalid(value, detail));
            }
        }
    }
    if let Some(itp) = &spec.internal_traffic_policy {
        if !TRAFFIC_POLICIES.contains(&itp.as_str()) {
            c.fail(
                &spec_path.field("internalTrafficPolicy"),
                FieldError::not_supported(itp.as_str(), &TRAFFIC_POLICIES),
            );
        }
    }
    if let Some(td) = &spec.traffic_distribution {
        if !TRAFFIC_DISTRIBUTIONS.contains(&td.as_str()) {
            c.fail(
                &spec_path.field("trafficDistribution"),
                FieldError::not_supported(td.as_str(), &TRAFFIC_DISTRIBUTIONS),
            );
        }
    }
}

/// The API server's warnings for a Service (`GetWarningsForService`), and kubeplay's about a
/// field the API server silently drops.
fn warnings(c: &mut Checks, spec: &SpecIn, type_: Option<ServiceType>, is_headless: bool) {
    let root = FieldPath::root();
    let spec_path = root.field("spec");
    let external_name = type_ == Some(ServiceType::ExternalName);
    // Upstream's warnings call a Service headless only when its type is ClusterIP.
    let headless_cluster_ip = is_headless && type_ == Some(ServiceType::ClusterIP);
    let lb_ip = spec_path.field("loadBalancerIP");
    let external_ips = spec_path.field("externalIPs");
    if headless_cluster_ip {
        if !spec.load_balancer_ip.is_empty() {
            c.warn(&lb_ip, &root, "spec.loadBalancerIP is ignored for headless services");
        }
        if !spec.external_ips.is_empty() {
            c.warn(&external_ips, &root, "spec.externalIPs is ignored for headless services");
        }
        if spec.session_affinity != "None" {
            c.warn(&spec_path.field("sessionAffinity"), &root, "spec.SessionAffinity is ignored for headless services");
        }
    }
    if !spec.external_ips.is_empty() && !headless_cluster_ip && !external_name {
        c.warn(
            &external_ips,
            &root,
            "spec.externalIPs is deprecated and may no longer be implemented in some clusters",
        );
    }
    if external_name && !spec.external_ips.is_empty() {
        c.warn(&external_ips, &root, "spec.externalIPs is ignored when spec.type is \"ExternalName\"");
    }
    if !external_name && !spec.external_name.is_empty() {
        c.warn(
            &spec_path.field("externalName"),
            &root,
            "spec.externalName is ignored when spec.type is not \"ExternalName\"",
        );
    }
    if spec.traffic_distribution.as_deref() == Some("PreferClose") {
        let at = spec_path.field("trafficDistribution");
        c.warn(&at, &at, "\"PreferClose\" is deprecated; use \"PreferSameZone\"");
    }
    if spec.session_affinity == "None" && !matches!(spec.affinity_config, AffinityConfigIn::Absent) {
        let at = spec_path.field("sessionAffinityConfig");
        c.warn(&at, &at, "ignored: the API server drops sessionAffinityConfig when sessionAffinity is None")
    }
}

/// The `loadBalancerIP` when it is an address. The API server does not validate this
/// deprecated field; the model can only use an address, and warns about anything else.
fn load_balancer_ip(c: &mut Checks, spec: &SpecIn) -> Option<IpAddr> {
    let lb_ip = FieldPath::root().field("spec").field("loadBalancerIP");
    if spec.load_balancer_ip.is_empty() {
        return None;
    }
    match ip_address(&spec.load_balancer_ip) {
        Ok(ip) => Some(ip),
        Err(_) => {
            c.warn(
                &lb_ip,
                &lb_ip,
                format!("{} is not an IP address; no load balancer will use it", json_quote(&spec.load_balancer_ip)),
            );
            None
        }
    }
}

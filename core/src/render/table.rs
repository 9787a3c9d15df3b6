//! `kubectl get` tables: one row per object, column for column as the printers in
//! kubernetes/kubernetes `pkg/printers/internalversion/printers.go` fill them, laid out as
//! cli-runtime's `printTable` does.
//!
//! Layout (cli-runtime `tableprinter.go`, `tabwriter.go`): headers are the column names
//! upper-cased; wide-only columns (`Priority: 1`) appear with `-o wide`; `-A` adds `NAMESPACE`
//! first for namespaced types; cells are tab-separated and aligned by a tab writer with
//! `minwidth 6, padding 3`, so columns are left-aligned and at least three spaces apart.

use super::objects::{
    deployment_replica_set, replicas, Item, CONTAINER_RUNTIME, KERNEL_VERSION, KUBELET_VERSION, OS_IMAGE,
};
use super::text::{format_label_selector, format_labels, list_with_more, selector_string, tabwrite};
use super::{Resource, AGE};
use crate::api::pod::PodSpec;
use crate::api::service::ServiceType;
use crate::api::{Kind, ObjectRef};
use crate::cluster::{Cluster, EndpointsState, LoadBalancerStatus, NodeState, PodState, ServiceState};

/// The table of `items` (all of type `resource`), with a newline after every row.
pub(crate) fn get_table(
    cluster: &Cluster,
    resource: Resource,
    items: &[Item<'_>],
    wide: bool,
    with_namespace: bool,
) -> String {
    let (columns, wide_columns) = columns(resource);
    let mut header: Vec<&str> = Vec::new();
    if with_namespace {
        header.push("NAMESPACE");
    }
    header.extend(columns);
    if wide {
        header.extend(wide_columns);
    }
    let mut text = header.join("\t");
    text.push('\n');
    for item in items {
        let mut cells = Vec::new();
        if with_namespace {
            cells.push(item.namespace().to_string());
        }
        cells.extend(row(cluster, item, wide));
        text.push_str(&cells.join("\t"));
        text.push('\n');
    }
    tabwrite(&text, 6, 3)
}

/// The headers of each type's columns, then of its wide-only columns (`AddHandlers`).
fn columns(resource: Resource) -> (&'static [&'static str], &'static [&'static str]) {
    match resource {
        Resource::Pods => {
            (&["NAME", "READY", "STATUS", "RESTARTS", "AGE"], &["IP", "NODE", "NOMINATED NODE", "READINESS GATES"])
        }
        Resource::Services => (&["NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"], &["SELECTOR"]),
        Resource::Endpoints => (&["NAME", "ENDPOINTS", "AGE"], &[]),
        Resource::EndpointSlices => (&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"], &[]),
        Resource::Nodes => (
            &["NAME", "STATUS", "ROLES", "AGE", "VERSION"],
            &["INTERNAL-IP", "EXTERNAL-IP", "OS-IMAGE", "KERNEL-VERSION", "CONTAINER-RUNTIME"],
        ),
        Resource::Deployments => {
            (&["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], &["CONTAINERS", "IMAGES", "SELECTOR"])
        }
        Resource::ReplicaSets => {
            (&["NAME", "DESIRED", "CURRENT", "READY", "AGE"], &["CONTAINERS", "IMAGES", "SELECTOR"])
        }
        Resource::StatefulSets => (&["NAME", "READY", "AGE"], &["CONTAINERS", "IMAGES"]),
        Resource::Ingresses => (&["NAME", "CLASS", "HOSTS", "ADDRESS", "PORTS", "AGE"], &[]),
        Resource::NetworkPolicies => (&["NAME", "POD-SELECTOR", "AGE"], &[]),
        Resource::Namespaces => (&["NAME", "STATUS", "AGE"], &[]),
    }
}

fn row(cluster: &Cluster, item: &Item<'_>, wide: bool) -> Vec<String> {
    let name = item.name().to_string();
    let age = AGE.to_string();
    match item {
        Item::Pod(p) => pod_row(cluster, p, wide),
        Item::Service(s) => service_row(s, wide),
        // printEndpoints
        Item::Endpoints(e) => vec![name, endpoints_column(e), age],
        // printEndpointSlice: formatDiscoveryPorts (a port's number) and formatDiscoveryEndpoints
        // (every address, ready or not), each through listWithMoreString.
        Item::EndpointSlice(s) => {
            let ports: Vec<String> = s.ports.iter().map(|p| p.port.to_string()).collect();
            let addresses: Vec<String> = s.endpoints.iter().map(|e| e.ip.to_string()).collect();
            vec![
                name,
                s.address_type.as_str().to_string(),
                list_with_more(&ports, 3),
                list_with_more(&addresses, 3),
                age,
            ]
        }
        Item::Node(n) => node_row(n, wide),
        // printDeployment: READY is readyReplicas/spec.replicas; SELECTOR is the selector's
        // String() without FormatLabelSelector's `<none>`.
        Item::Deployment(d) => {
            let r = replicas(cluster, &deployment_replica_set(d), d.spec.replicas);
            let mut cells =
                vec![name, format!("{}/{}", r.ready, r.desired), r.current.to_string(), r.ready.to_string(), age];
            if wide {
                cells.extend(containers_cells(&d.spec.template.spec));
                cells.push(selector_string(&d.spec.selector));
            }
            cells
        }
        // printReplicaSet
        Item::ReplicaSet(rs) => {
            let owner = ObjectRef::new(Kind::ReplicaSet, &rs.meta.namespace, &rs.meta.name);
            let r = replicas(cluster, &owner, rs.spec.replicas);
            let mut cells = vec![name, r.desired.to_string(), r.current.to_string(), r.ready.to_string(), age];
            if wide {
                cells.extend(containers_cells(&rs.spec.template.spec));
                cells.push(format_label_selector(&rs.spec.selector));
            }
            cells
        }
        // printStatefulSet
        Item::StatefulSet(s) => {
            let owner = ObjectRef::new(Kind::StatefulSet, &s.meta.namespace, &s.meta.name);
            let r = replicas(cluster, &owner, s.spec.replicas);
            let mut cells = vec![name, format!("{}/{}", r.ready, r.desired), age];
            if wide {
                cells.extend(containers_cells(&s.spec.template.spec));
            }
            cells
        }
        // printIngress: CLASS or `<none>`, formatHosts, the (unmodeled, empty) load-balancer
        // address, and formatPorts.
        Item::Ingress(i) => {
            let class = i.ingress_class_name.as_deref().unwrap_or("<none>").to_string();
            let ports = if i.tls.is_empty() { "80" } else { "80, 443" };
            vec![name, class, ingress_hosts(i), String::new(), ports.to_string(), age]
        }
        // printNetworkPolicy
        Item::NetworkPolicy(n) => vec![name, format_label_selector(&n.pod_selector), age],
        // printNamespace: the model's namespaces are never Terminating.
        Item::Namespace(_) => vec![name, "Active".to_string(), age],
    }
}

/// printers.go's `formatEndpoints`: ready `ip:port` pairs (bare IPs for a subset without
/// ports), subset by subset and port by port, at most three then ` + N more...`; `<none>`
/// without subsets, and an empty cell when no address is ready.
fn endpoints_column(e: &EndpointsState) -> String {
    if e.subsets.is_empty() {
        return "<none>".to_string();
    }
    const MAX: usize = 3;
    let mut list = Vec::new();
    let mut count = 0;
    for subset in &e.subsets {
        let ports: Vec<Option<u16>> =
            if subset.ports.is_empty() { vec![None] } else { subset.ports.iter().map(|p| Some(p.port)).collect() };
        for port in ports {
            count += subset.addresses.len();
            for a in subset.addresses.iter().take(MAX.saturating_sub(list.len())) {
                list.push(match port {
                    Some(port) => std::net::SocketAddr::new(a.ip, port).to_string(),
                    None => a.ip.to_string(),
                });
            }
        }
    }
    let shown = list.join(",");
    if count > MAX {
        format!("{shown} + {} more...", count - MAX)
    } else {
        shown
    }
}

/// formatHosts: the first three hosts; once any rule follows the third host, ` + N more...` with
/// N the number of rules minus three (upstream's arithmetic); `*` when no rule names a host.
fn ingress_hosts(ingress: &crate::api::ingress::Ingress) -> String {
    const MAX: usize = 3;
    let mut list: Vec<&str> = Vec::new();
    let mut more = false;
    for rule in &ingress.rules {
        more |= list.len() == MAX;
        if let (false, Some(host)) = (more, rule.host.as_deref()) {
            list.push(host);
        }
    }
    match (list.is_empty(), more) {
        (true, _) => "*".to_string(),
        (false, true) => format!("{} + {} more...", list.join(","), ingress.rules.len() - MAX),
        (false, false) => list.join(","),
    }
}

/// printPod: READY is ready containers / containers (the model's readiness is per pod, so all
/// or none); STATUS is the phase; wide adds IP and NODE (`<none>` while Pending), NOMINATED NODE
/// and READINESS GATES (neither modeled: `<none>`).
fn pod_row(cluster: &Cluster, p: &PodState, wide: bool) -> Vec<String> {
    let total = p.pod.spec.containers.len();
    let ready = if p.is_ready() { total } else { 0 };
    let mut cells = vec![
        p.pod.meta.name.clone(),
        format!("{ready}/{total}"),
        p.phase().to_string(),
        "0".to_string(),
        AGE.to_string(),
    ];
    if wide {
        let none = || "<none>".to_string();
        let node = p.pod.spec.node_name.clone().or(p.node.map(|id| cluster.node(id).name.clone()));
        cells.push(p.ip.map_or_else(none, |ip| ip.to_string()));
        cells.push(node.unwrap_or_else(none));
        cells.push(none());
        cells.push(none());
    }
    cells
}

/// printService, with getServiceExternalIP and makePortString (`ServiceState::ports_text`).
fn service_row(s: &ServiceState, wide: bool) -> Vec<String> {
    let spec = &s.service.spec;
    let mut cells = vec![
        s.service.meta.name.clone(),
        spec.type_.as_str().to_string(),
        s.cluster_ip_text(),
        external_ip(s, wide),
        s.ports_text(),
        AGE.to_string(),
    ];
    if wide {
        cells.push(spec.selector.as_ref().map_or_else(|| "<none>".to_string(), format_labels));
    }
    cells
}

/// getServiceExternalIP: the externalIPs for ClusterIP and NodePort (`<none>` without); for a
/// LoadBalancer its ingress addresses (clipped to 16 characters unless wide, as
/// `loadBalancerStatusStringer` does) then the externalIPs, or `<pending>`; for ExternalName
/// the external name.
fn external_ip(s: &ServiceState, wide: bool) -> String {
    let spec = &s.service.spec;
    let external: Vec<String> = spec.external_ips.iter().map(ToString::to_string).collect();
    match spec.type_ {
        ServiceType::ClusterIP | ServiceType::NodePort if external.is_empty() => "<none>".to_string(),
        ServiceType::ClusterIP | ServiceType::NodePort => external.join(","),
        ServiceType::LoadBalancer => {
            let mut lb = match s.load_balancer {
                LoadBalancerStatus::Ingress(ip) => ip.to_string(),
                LoadBalancerStatus::Pending | LoadBalancerStatus::NotApplicable => String::new(),
            };
            if !wide && lb.len() > 16 {
                lb = format!("{}...", &lb[..13]);
            }
            let all: Vec<String> = std::iter::once(lb).filter(|l| !l.is_empty()).chain(external).collect();
            if all.is_empty() {
                "<pending>".to_string()
            } else {
                all.join(",")
            }
        }
        ServiceType::ExternalName => spec.external_name.clone().unwrap_or_default(),
    }
}

/// printNode: STATUS from the Ready condition (always Ready in the model); ROLES from the
/// `node-role.kubernetes.io/<role>` labels and `kubernetes.io/role` (findNodeRoles), `<none>`
/// without; wide adds the addresses and the node's system info.
fn node_row(n: &NodeState, wide: bool) -> Vec<String> {
    let mut roles: Vec<&str> = n
        .labels
        .iter()
        .filter_map(|(k, v)| match k.strip_prefix("node-role.kubernetes.io/") {
            Some(role) if !role.is_empty() => Some(role),
            Some(_) => None,
            None => (k == "kubernetes.io/role" && !v.is_empty()).then_some(v.as_str()),
        })
        .collect();
    roles.sort_unstable();
    roles.dedup();
    let roles = if roles.is_empty() { "<none>".to_string() } else { roles.join(",") };
    let mut cells = vec![n.name.clone(), "Ready".to_string(), roles, AGE.to_string(), KUBELET_VERSION.to_string()];
    if wide {
        cells.extend([n.internal_ip.to_string(), "<none>".to_string()]);
        cells.extend([OS_IMAGE, KERNEL_VERSION, CONTAINER_RUNTIME].map(str::to_string));
    }
    cells
}

/// layoutContainerCells: container names, then images, each joined by commas.
fn containers_cells(spec: &PodSpec) -> [String; 2] {
    let names: Vec<&str> = spec.containers.iter().map(|c| c.name.as_str()).collect();
    let images: Vec<&str> = spec.containers.iter().map(|c| c.image.as_str()).collect();
    [names.join(","), images.join(",")]
}

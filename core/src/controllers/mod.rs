//! The control plane: from declared objects to the cluster they produce.
//!
//! [`reconcile`] runs the controllers a real control plane runs, in dependency order:
//! nodes from the cluster config, namespaces, workloads to pods, the scheduler and pod IPAM,
//! Service allocations, then EndpointSlices. It is a pure function of the declared objects
//! and the [`Memory`] of the previous apply, which it updates; the same inputs always give
//! the same cluster.

pub mod endpoint_slices;
pub mod memory;
pub mod naming;
pub mod nodes;
pub mod scheduler;
pub mod service_alloc;
pub mod system;
pub mod workloads;

pub use memory::Memory;

use crate::api::cluster_config::ClusterConfig;
use crate::api::endpoints::EndpointPort;
use crate::api::pod::Pod;
use crate::api::service::{ClusterIpSpec, Service, ServiceType};
use crate::api::{Kind, Labels, ObjectRef, Protocol};
use crate::cluster::{
    Cluster, Endpoint, EndpointSliceState, LoadBalancerStatus, NamespaceState, NodeId, PodState, ServiceState,
};
use crate::diag::Diagnostic;
use crate::objects::{Objects, Source};
use scheduler::{Placement, Scheduler};
use service_alloc::{AllocationError, ClusterIpAllocator, LoadBalancerAllocator, NodePortAllocator};
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;

/// What reconciling produced: the cluster, the problems found on the way, and the declared
/// objects the API server would have refused (so they are not reported as created).
#[derive(Debug, Clone)]
pub struct Reconciled {
    pub cluster: Cluster,
    pub diagnostics: Vec<Diagnostic>,
    pub rejected: BTreeSet<ObjectRef>,
}

/// A pod on its way into the cluster.
struct PendingPod {
    pod: Pod,
    owner: Option<ObjectRef>,
    system: bool,
    created: u64,
}

/// A Service on its way into the cluster, with its source when the learner declared it.
struct PendingService<'a> {
    service: Service,
    source: Option<&'a Source>,
    system: bool,
    created: u64,
}

fn error_at(source: Option<&Source>, err: AllocationError) -> Option<Diagnostic> {
    let source = source?;
    Some(Diagnostic::error(&source.file, source.span_of(&err.field), err.field, err.message))
}

/// Runs every controller over `objects`, reusing and then updating `memory`.
pub fn reconcile(objects: &Objects, memory: &mut Memory) -> Reconciled {
    let mut diagnostics = Vec::new();
    let mut rejected = BTreeSet::new();
    let mut fresh_created = BTreeMap::new();

    let declared_config = objects.cluster_config.as_ref();
    let mut config = declared_config.map(|d| d.object.clone()).unwrap_or_default();
    let nodes = match nodes::build_nodes(&config) {
        Ok(nodes) => nodes,
        Err(err) => {
            if let Some(d) = declared_config {
                let (field, message) = match err {
                    nodes::NodesError::PodSubnetTooSmall { subnet, nodes } => (
                        "networking.podSubnet",
                        format!("Invalid value: \"{subnet}\": too small for {nodes} nodes: each node takes a /{} of it", nodes::NODE_CIDR_PREFIX),
                    ),
                    nodes::NodesError::NodeSubnetTooSmall { subnet, nodes } => (
                        "kubeplay.nodeSubnet",
                        format!("Invalid value: \"{subnet}\": too small for {nodes} nodes"),
                    ),
                };
                diagnostics.push(Diagnostic::error(&d.source.file, d.source.span_of(field), field, message));
            }
            config = ClusterConfig::default();
            nodes::build_nodes(&config).unwrap_or_default()
        }
    };

    // Creation order: every declared object in apply order, remembered across applies.
    for (_, r) in objects.refs() {
        memory.created(format!("{}/{}/{}", r.kind, r.namespace, r.name), &mut fresh_created);
    }

    // Namespaces: built in, plus declared. Objects in any other namespace are refused.
    let mut namespaces: BTreeMap<String, NamespaceState> = system::BUILTIN_NAMESPACES
        .iter()
        .map(|n| (n.to_string(), NamespaceState { name: n.to_string(), labels: Labels::new(), declared: false }))
        .collect();
    for d in &objects.namespaces {
        let ns = &d.object.meta;
        namespaces.insert(ns.name.clone(), NamespaceState { name: ns.name.clone(), labels: ns.labels.clone(), declared: true });
    }
    for ns in namespaces.values_mut() {
        ns.labels.insert("kubernetes.io/metadata.name".into(), ns.name.clone());
    }
    let mut missing_namespace = BTreeSet::new();
    objects.for_each(|kind, meta, source, _| {
        if kind.is_namespaced() && !namespaces.contains_key(&meta.namespace) {
            diagnostics.push(
                Diagnostic::error(
                    &source.file,
                    source.span_of("metadata.namespace"),
                    "metadata.namespace",
                    format!("namespaces \"{}\" not found", meta.namespace),
                )
                .with_hint(format!("declare the Namespace \"{}\" in the workspace, or use an existing one", meta.namespace)),
            );
            missing_namespace.insert(ObjectRef::new(kind, &meta.namespace, &meta.name));
        }
    });
    let namespace_ok = |kind: Kind, meta: &crate::api::ObjectMeta| {
        !missing_namespace.contains(&ObjectRef::new(kind, &meta.namespace, &meta.name))
    };

    // Workloads to pods.
    let coredns = system::coredns_deployment();
    let mut deployments = vec![coredns.clone()];
    let mut replica_sets = Vec::new();
    let mut stateful_sets = Vec::new();
    let mut pending_pods: Vec<PendingPod> = Vec::new();
    let owned = |pods: Vec<workloads::OwnedPod>,
                 system: bool,
                 pending: &mut Vec<PendingPod>,
                 memory: &mut Memory,
                 fresh_created: &mut BTreeMap<String, u64>| {
        for p in pods {
            let created = memory.created(format!("Pod/{}/{}", p.pod.meta.namespace, p.pod.meta.name), fresh_created);
            pending.push(PendingPod { pod: p.pod, owner: Some(p.owner), system, created });
        }
    };
    let coredns_rs = workloads::replica_set_for(&coredns);
    owned(workloads::replica_set_pods(&coredns_rs), true, &mut pending_pods, memory, &mut fresh_created);
    replica_sets.push(coredns_rs);
    for d in &objects.pods {
        if namespace_ok(Kind::Pod, &d.object.meta) {
            let created = fresh_created.get(&format!("Pod/{}/{}", d.object.meta.namespace, d.object.meta.name)).copied().unwrap_or(d.seq);
            pending_pods.push(PendingPod { pod: d.object.clone(), owner: None, system: false, created });
        }
    }
    for d in &objects.deployments {
        if namespace_ok(Kind::Deployment, &d.object.meta) {
            let rs = workloads::replica_set_for(&d.object);
            owned(workloads::replica_set_pods(&rs), false, &mut pending_pods, memory, &mut fresh_created);
            replica_sets.push(rs);
            deployments.push(d.object.clone());
        }
    }
    for d in &objects.replica_sets {
        if namespace_ok(Kind::ReplicaSet, &d.object.meta) {
            owned(workloads::replica_set_pods(&d.object), false, &mut pending_pods, memory, &mut fresh_created);
            replica_sets.push(d.object.clone());
        }
    }
    for d in &objects.stateful_sets {
        let s = &d.object;
        if namespace_ok(Kind::StatefulSet, &s.meta) {
            owned(workloads::stateful_set_pods(&s.meta.name, &s.meta.namespace, &s.spec, &s.service_name), false, &mut pending_pods, memory, &mut fresh_created);
            stateful_sets.push(s.clone());
        }
    }
    // A name can only be taken once: the first declaration wins, as the API server refuses the rest.
    let mut seen = BTreeSet::new();
    pending_pods.retain(|p| seen.insert((p.pod.meta.namespace.clone(), p.pod.meta.name.clone())));
    pending_pods.sort_by(|a, b| (a.created, &a.pod.meta.name).cmp(&(b.created, &b.pod.meta.name)));

    // Scheduling and pod IPs: remembered placements first, then new pods in creation order.
    let mut scheduler = Scheduler::new(&nodes);
    let placement = |p: &PendingPod| if p.system { Placement::ControlPlane } else { Placement::Workloads };
    let key = |p: &PendingPod| format!("{}/{}", p.pod.meta.namespace, p.pod.meta.name);
    let mut placed: Vec<Option<(NodeId, IpAddr)>> =
        pending_pods.iter().map(|p| scheduler.keep(&key(p), &p.pod, placement(p), memory)).collect();
    for (p, slot) in pending_pods.iter().zip(placed.iter_mut()) {
        if slot.is_none() {
            *slot = scheduler.place(&p.pod, placement(p));
        }
    }
    let remembered: BTreeMap<String, (String, IpAddr)> = pending_pods
        .iter()
        .zip(&placed)
        .filter_map(|(p, slot)| slot.map(|(node, ip)| (key(p), (nodes[node.index()].name.clone(), ip))))
        .collect();
    scheduler::remember(memory, &remembered);
    let mut pods: Vec<PodState> = pending_pods
        .into_iter()
        .zip(placed)
        .map(|(p, slot)| PodState {
            node: slot.map(|(n, _)| n),
            ip: slot.map(|(_, ip)| ip),
            pod: p.pod,
            owner: p.owner,
            system: p.system,
            created: p.created,
        })
        .collect();
    pods.sort_by(|a, b| (&a.pod.meta.namespace, &a.pod.meta.name).cmp(&(&b.pod.meta.namespace, &b.pod.meta.name)));

    // Services: the two system Services, then the learner's in creation order.
    let ips = ClusterIpAllocator::new(config.service_subnet);
    let mut pending_services = vec![
        PendingService { service: system::kubernetes_service(IpAddr::V4(ips.nth(1))), source: None, system: true, created: 0 },
        PendingService { service: system::kube_dns_service(IpAddr::V4(ips.nth(10))), source: None, system: true, created: 0 },
    ];
    for d in &objects.services {
        if namespace_ok(Kind::Service, &d.object.meta) {
            let created = fresh_created.get(&format!("Service/{}/{}", d.object.meta.namespace, d.object.meta.name)).copied().unwrap_or(d.seq);
            pending_services.push(PendingService { service: d.object.clone(), source: Some(&d.source), system: false, created });
        }
    }
    let states = allocate_services(&pending_services, &config, memory, &mut diagnostics, &mut rejected);

    // EndpointSlices.
    let node_of = |name: &str| nodes.iter().position(|n| n.name == name).map(|i| NodeId(i as u16));
    let mut slices: Vec<EndpointSliceState> = Vec::new();
    for (pending, state) in pending_services.iter().zip(&states) {
        if state.is_none() {
            continue;
        }
        slices.extend(endpoint_slices::managed_slices(&pending.service, &pods));
    }
    slices.push(api_server_slice(&nodes));
    for d in &objects.endpoint_slices {
        if namespace_ok(Kind::EndpointSlice, &d.object.meta) {
            slices.extend(endpoint_slices::user_slice(&d.object, &pods, &node_of));
        }
    }
    for d in &objects.endpoints {
        if namespace_ok(Kind::Endpoints, &d.object.meta) {
            slices.extend(endpoint_slices::mirrored_slices(&d.object, &pods, &node_of));
        }
    }
    slices.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));

    let mut services: Vec<ServiceState> = pending_services
        .into_iter()
        .zip(states)
        .filter_map(|(p, state)| {
            let (cluster_ip, node_ports, load_balancer) = state?;
            let mine: Vec<usize> = slices
                .iter()
                .enumerate()
                .filter(|(_, s)| s.namespace == p.service.meta.namespace && s.service == p.service.meta.name)
                .map(|(i, _)| i)
                .collect();
            let selected: Vec<&EndpointSliceState> = mine.iter().map(|i| &slices[*i]).collect();
            // Only the Service's selector-managed slices, or (without a selector) the ones the
            // learner wrote, count: a selector Service ignores hand-written slices.
            let counted: Vec<&EndpointSliceState> = selected
                .into_iter()
                .filter(|s| p.service.spec.selector.is_none() == s.user_written || p.system)
                .collect();
            Some(ServiceState {
                endpoints: endpoint_slices::flatten(&counted),
                service: p.service,
                cluster_ip,
                node_ports,
                load_balancer,
                slices: mine,
                system: p.system,
                created: p.created,
            })
        })
        .collect();
    services.sort_by(|a, b| (&a.service.meta.namespace, &a.service.meta.name).cmp(&(&b.service.meta.namespace, &b.service.meta.name)));

    let ingresses =
        objects.ingresses.iter().filter(|d| namespace_ok(Kind::Ingress, &d.object.meta)).map(|d| d.object.clone()).collect();
    let network_policies = objects
        .network_policies
        .iter()
        .filter(|d| namespace_ok(Kind::NetworkPolicy, &d.object.meta))
        .map(|d| d.object.clone())
        .collect();
    rejected.extend(missing_namespace.iter().cloned());

    memory.created = fresh_created;
    let mut sorted_deployments = deployments;
    sorted_deployments.sort_by(|a, b| (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name)));
    replica_sets.sort_by(|a, b| (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name)));
    stateful_sets.sort_by(|a, b| (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name)));
    Reconciled {
        cluster: Cluster {
            config,
            nodes,
            namespaces: namespaces.into_values().collect(),
            pods,
            services,
            endpoint_slices: slices,
            deployments: sorted_deployments,
            replica_sets,
            stateful_sets,
            ingresses,
            ingress_classes: objects.ingress_classes.iter().map(|d| d.object.clone()).collect(),
            network_policies,
        },
        diagnostics,
        rejected,
    }
}

/// The `kubernetes` Service's slice: the API server on each control-plane node, port 6443.
fn api_server_slice(nodes: &[crate::cluster::NodeState]) -> EndpointSliceState {
    EndpointSliceState {
        name: "kubernetes".into(),
        namespace: "default".into(),
        service: "kubernetes".into(),
        ports: vec![EndpointPort { name: Some("https".into()), port: 6443, protocol: Protocol::TCP }],
        endpoints: nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.role == crate::api::cluster_config::NodeRole::ControlPlane)
            .map(|(i, n)| Endpoint { pod: None, ip: IpAddr::V4(n.internal_ip), node: Some(NodeId(i as u16)), ready: true, hostname: None })
            .collect(),
        user_written: false,
    }
}

type Allocated = (Option<IpAddr>, Vec<Option<u16>>, LoadBalancerStatus);

/// ClusterIPs, nodePorts and LoadBalancer addresses for `pending`, in three passes so that
/// remembered allocations are kept before anything new is handed out. A Service whose request
/// fails is refused (`None`) with a diagnostic.
fn allocate_services(
    pending: &[PendingService<'_>],
    config: &ClusterConfig,
    memory: &mut Memory,
    diagnostics: &mut Vec<Diagnostic>,
    rejected: &mut BTreeSet<ObjectRef>,
) -> Vec<Option<Allocated>> {
    let mut ips = ClusterIpAllocator::new(config.service_subnet);
    let mut ports = NodePortAllocator::default();
    let mut lbs = LoadBalancerAllocator::new(&config.load_balancer);
    let key = |s: &Service| format!("{}/{}", s.meta.namespace, s.meta.name);
    let wants_ip = |s: &Service| s.spec.type_ != ServiceType::ExternalName && s.spec.cluster_ip != ClusterIpSpec::Headless;

    // Pass 1: keep what each Service had, when it still fits its spec.
    let mut cluster_ips: Vec<Option<IpAddr>> = pending
        .iter()
        .map(|p| {
            let s = &p.service;
            let had = *memory.cluster_ips.get(&key(s))?;
            let fits = match s.spec.cluster_ip {
                ClusterIpSpec::Auto => true,
                ClusterIpSpec::Fixed(ip) => ip == had,
                ClusterIpSpec::Headless => false,
            };
            (wants_ip(s) && fits && ips.keep(had)).then_some(had)
        })
        .collect();
    let mut node_ports: Vec<Vec<Option<u16>>> = pending
        .iter()
        .map(|p| {
            let s = &p.service;
            s.spec
                .ports
                .iter()
                .map(|sp| {
                    let had = *memory.node_ports.get(&(key(s), sp.port, sp.protocol.to_string()))?;
                    let fits = sp.node_port.is_none_or(|want| want == had);
                    (needs_node_port(s, sp.node_port) && fits && ports.keep(had, sp.protocol.as_str())).then_some(had)
                })
                .collect()
        })
        .collect();
    let mut balancers: Vec<Option<IpAddr>> = pending
        .iter()
        .map(|p| {
            let s = &p.service;
            let had = *memory.load_balancer_ips.get(&key(s))?;
            let fits = s.spec.load_balancer_ip.is_none_or(|want| want == had);
            (s.spec.type_ == ServiceType::LoadBalancer && fits && lbs.keep(had)).then_some(had)
        })
        .collect();

    // Pass 2: explicit requests; pass 3: automatic allocations.
    let mut refused = vec![false; pending.len()];
    for (i, p) in pending.iter().enumerate() {
        let s = &p.service;
        let mut fail = |err: AllocationError, refused: &mut Vec<bool>| {
            diagnostics.extend(error_at(p.source, err));
            refused[i] = true;
        };
        if cluster_ips[i].is_none() && wants_ip(s) {
            if let ClusterIpSpec::Fixed(ip) = s.spec.cluster_ip {
                match ips.request(ip) {
                    Ok(ip) => cluster_ips[i] = Some(ip),
                    Err(e) => fail(e, &mut refused),
                }
            }
        }
        for (j, sp) in s.spec.ports.iter().enumerate() {
            if let (None, Some(want)) = (node_ports[i][j], sp.node_port) {
                match ports.request(format!("spec.ports[{j}].nodePort"), want, sp.protocol.as_str()) {
                    Ok(port) => node_ports[i][j] = Some(port),
                    Err(e) => fail(e, &mut refused),
                }
            }
        }
        if let (None, Some(want), ServiceType::LoadBalancer) = (balancers[i], s.spec.load_balancer_ip, s.spec.type_) {
            if lbs.keep(want) {
                balancers[i] = Some(want);
            }
        }
    }
    let mut out = Vec::with_capacity(pending.len());
    for (i, p) in pending.iter().enumerate() {
        let s = &p.service;
        if refused[i] {
            rejected.insert(ObjectRef::new(Kind::Service, &s.meta.namespace, &s.meta.name));
            out.push(None);
            continue;
        }
        if cluster_ips[i].is_none() && wants_ip(s) {
            match ips.allocate(&key(s)) {
                Ok(ip) => cluster_ips[i] = Some(ip),
                Err(e) => {
                    diagnostics.extend(error_at(p.source, e));
                    rejected.insert(ObjectRef::new(Kind::Service, &s.meta.namespace, &s.meta.name));
                    out.push(None);
                    continue;
                }
            }
        }
        for (j, sp) in s.spec.ports.iter().enumerate() {
            if node_ports[i][j].is_none() && needs_node_port(s, sp.node_port) {
                let seed = format!("{}/{}/{}", key(s), sp.port, sp.protocol);
                match ports.allocate(format!("spec.ports[{j}].nodePort"), &seed, sp.protocol.as_str()) {
                    Ok(port) => node_ports[i][j] = Some(port),
                    Err(e) => diagnostics.extend(error_at(p.source, e)),
                }
            }
        }
        let load_balancer = match s.spec.type_ {
            ServiceType::LoadBalancer => match balancers[i].or_else(|| s.spec.load_balancer_ip.is_none().then(|| lbs.allocate()).flatten()) {
                Some(ip) => {
                    balancers[i] = Some(ip);
                    LoadBalancerStatus::Ingress(ip)
                }
                None => LoadBalancerStatus::Pending,
            },
            _ => LoadBalancerStatus::NotApplicable,
        };
        out.push(Some((cluster_ips[i], node_ports[i].clone(), load_balancer)));
    }

    // Remember what the surviving Services hold.
    memory.cluster_ips.clear();
    memory.node_ports.clear();
    memory.load_balancer_ips.clear();
    for (i, p) in pending.iter().enumerate() {
        if out[i].is_none() {
            continue;
        }
        let s = &p.service;
        if let Some(ip) = cluster_ips[i] {
            memory.cluster_ips.insert(key(s), ip);
        }
        for (sp, np) in s.spec.ports.iter().zip(&node_ports[i]) {
            if let Some(np) = np {
                memory.node_ports.insert((key(s), sp.port, sp.protocol.to_string()), *np);
            }
        }
        if let Some(ip) = balancers[i] {
            memory.load_balancer_ips.insert(key(s), ip);
        }
    }
    out
}

/// Whether a port of `service` gets a nodePort: always for NodePort; for LoadBalancer unless
/// `allocateLoadBalancerNodePorts: false` (then only if one is requested).
fn needs_node_port(service: &Service, requested: Option<u16>) -> bool {
    match service.spec.type_ {
        ServiceType::NodePort => true,
        ServiceType::LoadBalancer => service.spec.allocate_load_balancer_node_ports || requested.is_some(),
        _ => false,
    }
}

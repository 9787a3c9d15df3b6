//! The control plane: from declared objects to the cluster they produce.
//!
//! [`reconcile`] runs what a real control plane runs, in dependency order: nodes from the
//! cluster config, namespaces, workloads to pods, the scheduler and pod IPAM, Service
//! allocations, the EndpointSlice, mirroring and Endpoints controllers, the kubelet's Service
//! environment variables, and the `DefaultIngressClass` admission plugin. It is a pure function
//! of the declared objects and the [`Memory`] of the previous apply, which it only reads: the
//! memory for the next apply comes out with the cluster, so a caller can reconcile again from
//! the same previous memory without copying it. The same inputs always give the same cluster.

pub mod endpoint_slices;
pub mod endpoints;
pub mod envvars;
pub mod ingress_class;
pub mod memory;
pub mod naming;
pub mod nodes;
pub mod scheduler;
pub mod service_alloc;
pub mod system;
pub mod workloads;

pub use memory::Memory;

use crate::api::cluster_config::ClusterConfig;
use crate::api::endpoints::Endpoints;
use crate::api::ingress::Ingress;
use crate::api::pod::Pod;
use crate::api::service::{Service, ServiceType};
use crate::api::ObjectMeta;
use crate::api::{Kind, Labels, ObjectRef};
use crate::cluster::{
    Cluster, EndpointSliceState, EndpointsState, Environment, NamespaceState, NodeId, NodeState, PendingReason,
    PodState, ServiceState, SliceOrigin,
};
use crate::diag::Diagnostic;
use crate::objects::{Objects, Source};
use memory::object_key;
use scheduler::{Placement, Scheduler, MAX_PODS_PER_NODE};
use service_alloc::{AllocationError, ClusterIpAllocator};
use std::collections::{BTreeMap, BTreeSet};
use std::net::IpAddr;
use std::sync::Arc;
use workloads::{PodBudget, MAX_PODS};

/// What reconciling produced: the cluster, the problems found on the way, and the declared
/// objects the API server would have refused (so they are not reported as created).
#[derive(Debug, Clone)]
pub struct Reconciled {
    pub cluster: Cluster,
    pub diagnostics: Vec<Diagnostic>,
    pub rejected: BTreeSet<ObjectRef>,
    /// The part of `rejected` refused because its namespace does not exist.
    pub without_namespace: BTreeSet<ObjectRef>,
    /// What the next apply starts from: the allocations and creation order of this one.
    pub memory: Memory,
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

/// The allocation error as a diagnostic at the text the learner wrote: `spec.clusterIPs` is
/// filled from `spec.clusterIP` when only that is written, so it is located there.
fn error_at(source: Option<&Source>, err: AllocationError) -> Option<Diagnostic> {
    let source = source?;
    let written = if err.field == "spec.clusterIPs" && !source.has_field("spec.clusterIPs") {
        "spec.clusterIP"
    } else {
        err.field.as_str()
    };
    Some(Diagnostic::error(&source.file, source.span_of(written), err.field, err.message))
}

/// The pods of a workload, recorded with their creation order.
fn owned(
    pods: impl Iterator<Item = workloads::OwnedPod>,
    system: bool,
    pending: &mut Vec<PendingPod>,
    previous: &Memory,
    next: &mut Memory,
) {
    for p in pods {
        let created = next.created(previous, object_key(Kind::Pod, &p.pod.meta.namespace, &p.pod.meta.name));
        pending.push(PendingPod { pod: p.pod, owner: Some(p.owner), system, created });
    }
}

/// The warning at a workload's `replicas` when the playground's pod limit cut it short.
fn replicas_over_limit(kind: Kind, source: &Source, created: u32, replicas: u32) -> Diagnostic {
    Diagnostic::warning(
        &source.file,
        source.span_of("spec.replicas"),
        "spec.replicas",
        format!(
            "the playground creates at most {MAX_PODS} pods in all, so only {created} of this {kind}'s {replicas} \
             replicas exist here"
        ),
    )
    .with_hint(format!(
        "a real cluster accepts any replicas up to 2147483647 and creates every pod; those beyond what the nodes \
         can run ({MAX_PODS_PER_NODE} pods per node, the kubelet's default maxPods) stay Pending with \
         \"Too many pods\""
    ))
}

/// Runs every controller over `objects`, reusing what `previous` (the last apply's memory)
/// remembers; the memory for the next apply is in the result.
pub fn reconcile(objects: &Objects, previous: &Memory) -> Reconciled {
    let mut diagnostics = Vec::new();
    let mut rejected = BTreeSet::new();
    let mut next = Memory { next_seq: previous.next_seq, ..Memory::default() };

    let declared_config = objects.cluster_config.as_ref();
    let mut config = declared_config.map(|d| d.object.clone()).unwrap_or_default();
    let nodes = match nodes::build_nodes(&config) {
        Ok(nodes) => nodes,
        Err(err) => {
            if let Some(d) = declared_config {
                let (field, message) = match err {
                    nodes::NodesError::PodSubnetTooSmall { subnet, nodes } => (
                        "networking.podSubnet",
                        format!(
                            "Invalid value: \"{subnet}\": too small for {nodes} nodes: each node takes a /{} of it",
                            nodes::NODE_CIDR_PREFIX
                        ),
                    ),
                    nodes::NodesError::NodeSubnetTooSmall { subnet, nodes } => {
                        ("kubeplay.nodeSubnet", format!("Invalid value: \"{subnet}\": too small for {nodes} nodes"))
                    }
                };
                diagnostics.push(Diagnostic::error(&d.source.file, d.source.span_of(field), field, message));
                // The playground falls back to the default topology; the config was refused.
                rejected.insert(ObjectRef::new(Kind::Cluster, "", &d.object.name));
            }
            config = ClusterConfig::default();
            nodes::build_nodes(&config).unwrap_or_default()
        }
    };

    // Creation order: every declared object in apply order, remembered across applies.
    for (_, r) in objects.refs() {
        next.created(previous, object_key(r.kind, &r.namespace, &r.name));
    }

    // Namespaces: built in, plus declared. Objects in any other namespace are refused.
    let mut namespaces: BTreeMap<String, NamespaceState> = system::BUILTIN_NAMESPACES
        .iter()
        .map(|n| (n.to_string(), NamespaceState { name: n.to_string(), labels: Labels::new(), declared: false }))
        .collect();
    for d in &objects.namespaces {
        let ns = &d.object.meta;
        namespaces.insert(
            ns.name.clone(),
            NamespaceState { name: ns.name.clone(), labels: ns.labels.clone(), declared: true },
        );
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
                .with_hint(format!(
                    "declare the Namespace \"{}\" in the workspace, or use an existing one",
                    meta.namespace
                )),
            );
            missing_namespace.insert(ObjectRef::new(kind, &meta.namespace, &meta.name));
        }
    });
    let namespace_ok = |kind: Kind, meta: &ObjectMeta| {
        missing_namespace.is_empty() || !missing_namespace.contains(&ObjectRef::new(kind, &meta.namespace, &meta.name))
    };

    // Workloads to pods.
    let coredns = system::coredns_deployment();
    let mut deployments = vec![coredns.clone()];
    let mut replica_sets = Vec::new();
    let mut stateful_sets = Vec::new();
    let mut pending_pods: Vec<PendingPod> = Vec::new();
    let mut budget = PodBudget::default();
    let coredns_rs = workloads::replica_set_for(&coredns);
    let granted = budget.grant(coredns_rs.spec.replicas) as usize;
    let pods = workloads::replica_set_pods(&coredns_rs).take(granted);
    owned(pods, true, &mut pending_pods, previous, &mut next);
    replica_sets.push(coredns_rs);
    for d in &objects.pods {
        if namespace_ok(Kind::Pod, &d.object.meta) {
            let created = next
                .created
                .get(&object_key(Kind::Pod, &d.object.meta.namespace, &d.object.meta.name))
                .copied()
                .unwrap_or(d.seq);
            pending_pods.push(PendingPod { pod: d.object.clone(), owner: None, system: false, created });
            budget.spend(1);
        }
    }
    // Each workload creates the pods the budget grants it, and says so when that is fewer.
    let mut grant = |kind: Kind, source: &Source, replicas: u32| {
        let granted = budget.grant(replicas);
        if granted < replicas {
            diagnostics.push(replicas_over_limit(kind, source, granted, replicas));
        }
        granted as usize
    };
    for d in &objects.deployments {
        if namespace_ok(Kind::Deployment, &d.object.meta) {
            let rs = workloads::replica_set_for(&d.object);
            let pods = workloads::replica_set_pods(&rs).take(grant(Kind::Deployment, &d.source, rs.spec.replicas));
            owned(pods, false, &mut pending_pods, previous, &mut next);
            replica_sets.push(rs);
            deployments.push(d.object.clone());
        }
    }
    for d in &objects.replica_sets {
        if namespace_ok(Kind::ReplicaSet, &d.object.meta) {
            let granted = grant(Kind::ReplicaSet, &d.source, d.object.spec.replicas);
            owned(workloads::replica_set_pods(&d.object).take(granted), false, &mut pending_pods, previous, &mut next);
            replica_sets.push(d.object.clone());
        }
    }
    for d in &objects.stateful_sets {
        let s = &d.object;
        if namespace_ok(Kind::StatefulSet, &s.meta) {
            let granted = grant(Kind::StatefulSet, &d.source, s.spec.replicas);
            let pods = workloads::stateful_set_pods(&s.meta.name, &s.meta.namespace, &s.spec, &s.service_name);
            owned(pods.take(granted), false, &mut pending_pods, previous, &mut next);
            stateful_sets.push(s.clone());
        }
    }
    // A name can only be taken once: the first declaration wins, as the API server refuses the rest.
    let first: Vec<bool> = {
        let mut seen = BTreeSet::new();
        pending_pods.iter().map(|p| seen.insert((p.pod.meta.namespace.as_str(), p.pod.meta.name.as_str()))).collect()
    };
    let mut first = first.into_iter();
    pending_pods.retain(|_| first.next().unwrap_or(false));
    pending_pods.sort_by(|a, b| (a.created, &a.pod.meta.name).cmp(&(b.created, &b.pod.meta.name)));

    let mut pods = schedule(pending_pods, &nodes, previous, &mut next);

    // Services: the two system Services, then the learner's in creation order.
    let ips = ClusterIpAllocator::new(config.service_subnet);
    let mut pending_services = vec![
        PendingService {
            service: system::kubernetes_service(IpAddr::V4(ips.nth(1))),
            source: None,
            system: true,
            created: 0,
        },
        PendingService {
            service: system::kube_dns_service(IpAddr::V4(ips.nth(10))),
            source: None,
            system: true,
            created: 0,
        },
    ];
    for d in &objects.services {
        if namespace_ok(Kind::Service, &d.object.meta) {
            let created = next
                .created
                .get(&object_key(Kind::Service, &d.object.meta.namespace, &d.object.meta.name))
                .copied()
                .unwrap_or(d.seq);
            pending_services.push(PendingService {
                service: d.object.clone(),
                source: Some(&d.source),
                system: false,
                created,
            });
        }
    }
    let to_allocate: Vec<&Service> = pending_services.iter().map(|p| &p.service).collect();
    let allocations = service_alloc::allocate(&to_allocate, &config, previous, &mut next);
    let mut allocated = Vec::new();
    for (p, result) in pending_services.into_iter().zip(allocations) {
        match result {
            Ok(a) => allocated.push((p, a)),
            Err(err) => {
                diagnostics.extend(error_at(p.source, err));
                rejected.insert(ObjectRef::new(Kind::Service, &p.service.meta.namespace, &p.service.meta.name));
            }
        }
    }
    // EndpointSlices and Endpoints, then each Service with the endpoints kube-proxy merges from
    // every slice labelled with its name.
    let live: Vec<&Service> = allocated.iter().map(|(p, _)| &p.service).collect();
    let (slices, endpoints_objects) = discovery(objects, &namespace_ok, &live, &pods, &nodes);
    let slices_by_service = endpoint_slices::by_service(&slices);
    let mut services: Vec<ServiceState> = allocated
        .into_iter()
        .map(|(p, a)| {
            let service_key = (p.service.meta.namespace.as_str(), p.service.meta.name.as_str());
            let mine = slices_by_service.get(&service_key).cloned().unwrap_or_default();
            let counted: Vec<&EndpointSliceState> = mine.iter().map(|i| &slices[*i]).collect();
            let endpoints = if p.service.spec.type_ == ServiceType::ExternalName {
                Vec::new()
            } else {
                endpoint_slices::flatten(&counted)
            };
            ServiceState {
                endpoints,
                service: p.service,
                cluster_ip: a.cluster_ip,
                node_ports: a.node_ports,
                load_balancer: a.load_balancer,
                health_check_node_port: a.health_check_node_port,
                slices: mine,
                system: p.system,
                created: p.created,
            }
        })
        .collect();
    services.sort_by(|a, b| {
        (&a.service.meta.namespace, &a.service.meta.name).cmp(&(&b.service.meta.namespace, &b.service.meta.name))
    });

    next.pod_environments = start_containers(&mut pods, &services, previous);
    let (ingresses, defaulted) = admit_ingresses(objects, &namespace_ok, &next.created, previous);
    next.defaulted_ingress_classes = defaulted;
    let network_policies = objects
        .network_policies
        .iter()
        .filter(|d| namespace_ok(Kind::NetworkPolicy, &d.object.meta))
        .map(|d| d.object.clone())
        .collect();
    rejected.extend(missing_namespace.iter().cloned());

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
            endpoints: endpoints_objects,
            deployments: sorted_deployments,
            replica_sets,
            stateful_sets,
            ingresses,
            ingress_classes: objects.ingress_classes.iter().map(|d| d.object.clone()).collect(),
            network_policies,
            config_maps: objects
                .config_maps
                .iter()
                .filter(|d| namespace_ok(Kind::ConfigMap, &d.object.meta))
                .map(|d| d.object.clone())
                .collect(),
        },
        diagnostics,
        rejected,
        without_namespace: missing_namespace,
        memory: next,
    }
}

/// The scheduler and pod IPAM: remembered placements first, then new pods in creation order.
fn schedule(pending_pods: Vec<PendingPod>, nodes: &[NodeState], previous: &Memory, next: &mut Memory) -> Vec<PodState> {
    let mut scheduler = Scheduler::new(nodes);
    let placement = |p: &PendingPod| if p.system { Placement::ControlPlane } else { Placement::Workloads };
    let keys: Vec<String> =
        pending_pods.iter().map(|p| format!("{}/{}", p.pod.meta.namespace, p.pod.meta.name)).collect();
    let kept: Vec<Option<(NodeId, IpAddr)>> =
        pending_pods.iter().zip(&keys).map(|(p, key)| scheduler.keep(key, &p.pod, placement(p), previous)).collect();
    let placed: Vec<Result<(NodeId, IpAddr), PendingReason>> = pending_pods
        .iter()
        .zip(kept)
        .map(|(p, kept)| match kept {
            Some(slot) => Ok(slot),
            None => scheduler.place(&p.pod, placement(p)),
        })
        .collect();
    let remembered: BTreeMap<String, (String, IpAddr)> = keys
        .into_iter()
        .zip(&placed)
        .filter_map(|(key, slot)| slot.as_ref().ok().map(|(node, ip)| (key, (nodes[node.index()].name.clone(), *ip))))
        .collect();
    scheduler::remember(next, &remembered);
    let mut pods: Vec<PodState> = pending_pods
        .into_iter()
        .zip(placed)
        .map(|(p, slot)| {
            let (node, ip, pending) = match slot {
                Ok((node, ip)) => (Some(node), Some(ip), None),
                Err(reason) => (None, None, Some(reason)),
            };
            PodState {
                node,
                ip,
                pending,
                pod: p.pod,
                owner: p.owner,
                system: p.system,
                created: p.created,
                environment: Environment::default(),
            }
        })
        .collect();
    pods.sort_by(|a, b| (&a.pod.meta.namespace, &a.pod.meta.name).cmp(&(&b.pod.meta.namespace, &b.pod.meta.name)));
    pods
}

/// The EndpointSlices (the controller's, the API server's, the learner's, mirrored ones) and
/// the Endpoints objects (the controller's for every selector Service, over the learner's of
/// the same name; the API server's; the learner's others), each sorted by namespace and name.
fn discovery(
    objects: &Objects,
    namespace_ok: &dyn Fn(Kind, &ObjectMeta) -> bool,
    services: &[&Service],
    pods: &[PodState],
    nodes: &[NodeState],
) -> (Vec<EndpointSliceState>, Vec<EndpointsState>) {
    let node_of = |name: &str| nodes.iter().position(|n| n.name == name).map(|i| NodeId(i as u16));
    let service = |namespace: &str, name: &str| {
        services.iter().copied().find(|s| s.meta.namespace == namespace && s.meta.name == name)
    };
    let by_namespace = endpoint_slices::PodsByNamespace::new(pods);
    let mut slices: Vec<EndpointSliceState> =
        services.iter().flat_map(|s| endpoint_slices::managed_slices(s, &by_namespace, nodes)).collect();
    let (api_server_endpoints, api_server_slice) = system::api_server_endpoints(nodes);
    slices.push(api_server_slice);
    for d in &objects.endpoint_slices {
        if namespace_ok(Kind::EndpointSlice, &d.object.meta) {
            slices.push(endpoint_slices::written_slice(&d.object, pods, &node_of));
        }
    }
    let written: Vec<&Endpoints> =
        objects.endpoints.iter().filter(|d| namespace_ok(Kind::Endpoints, &d.object.meta)).map(|d| &d.object).collect();
    for e in &written {
        if endpoint_slices::should_mirror(e, service(&e.meta.namespace, &e.meta.name)) {
            slices.extend(endpoint_slices::mirrored_slices(e, pods, &node_of));
        }
    }
    slices.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));

    let mut objects_out: Vec<EndpointsState> = vec![api_server_endpoints];
    let slices_by_service = endpoint_slices::by_service(&slices);
    for s in services.iter().filter(|s| s.spec.selector.is_some() && s.spec.type_ != ServiceType::ExternalName) {
        let mine = slices_by_service.get(&(s.meta.namespace.as_str(), s.meta.name.as_str()));
        let managed: Vec<&EndpointSliceState> = mine
            .into_iter()
            .flatten()
            .map(|&i| &slices[i])
            .filter(|slice| slice.origin == SliceOrigin::Managed)
            .collect();
        let overwritten =
            written.iter().copied().find(|e| e.meta.namespace == s.meta.namespace && e.meta.name == s.meta.name);
        objects_out.push(endpoints::managed_endpoints(s, &managed, overwritten));
    }
    for e in &written {
        if !objects_out.iter().any(|o| o.namespace == e.meta.namespace && o.name == e.meta.name) {
            objects_out.push(endpoints::written_endpoints(e, pods, &node_of));
        }
    }
    objects_out.sort_by(|a, b| (&a.namespace, &a.name).cmp(&(&b.namespace, &b.name)));
    (slices, objects_out)
}

/// The kubelet's Service variables, fixed when a pod's containers start: remembered (in
/// `previous`) for pods already running, computed for pods that start now. Returns what the
/// next apply remembers: each running pod's environment.
fn start_containers(
    pods: &mut [PodState],
    services: &[ServiceState],
    previous: &Memory,
) -> BTreeMap<String, Environment> {
    // When the learner's Services were created, in order: a pod starting now sees the cluster's
    // own Services and a prefix of these, so the prefix's length names the set it sees.
    let mut creations: Vec<u64> = services.iter().filter(|s| !s.system).map(|s| s.created).collect();
    creations.sort_unstable();
    // Pods starting in the same namespace with the same links that see the same Services get
    // the same variables: computed once, shared.
    let mut started: BTreeMap<(String, bool, usize), Environment> = BTreeMap::new();
    let mut environments = BTreeMap::new();
    for pod in pods.iter_mut().filter(|p| p.node.is_some()) {
        let key = pod.key();
        let environment = match previous.pod_environments.get(&key) {
            Some(known) => Arc::clone(known),
            None => {
                // A pod created in this apply starts after what was created before it; one that
                // existed but only starts now (it was Pending) sees every Service there is.
                let starts_with_creation =
                    !previous.existed(&object_key(Kind::Pod, &pod.pod.meta.namespace, &pod.pod.meta.name));
                let visible = |s: &ServiceState| s.system || !starts_with_creation || s.created < pod.created;
                let seen = creations.partition_point(|c| !starts_with_creation || *c < pod.created);
                let (namespace, links) = (&pod.pod.meta.namespace, pod.pod.spec.enable_service_links);
                let shared = started.entry((namespace.clone(), links, seen)).or_insert_with(|| {
                    envvars::service_environment(namespace, links, services.iter().filter(|s| visible(s))).into()
                });
                Arc::clone(shared)
            }
        };
        pod.environment = Arc::clone(&environment);
        environments.insert(key, environment);
    }
    environments
}

/// The Ingresses as stored, with the class `DefaultIngressClass` admission wrote when each was
/// created (remembered for Ingresses that already existed).
fn admit_ingresses(
    objects: &Objects,
    namespace_ok: &dyn Fn(Kind, &ObjectMeta) -> bool,
    created: &BTreeMap<String, u64>,
    previous: &Memory,
) -> (Vec<Ingress>, BTreeMap<String, String>) {
    let class_created = |name: &str| created.get(&format!("IngressClass//{name}")).copied().unwrap_or(0);
    let mut defaulted = BTreeMap::new();
    let ingresses = objects
        .ingresses
        .iter()
        .filter(|d| namespace_ok(Kind::Ingress, &d.object.meta))
        .map(|d| {
            let mut ingress = d.object.clone();
            let key = format!("{}/{}", ingress.meta.namespace, ingress.meta.name);
            let class = if previous.existed(&format!("Ingress/{key}")) {
                previous.defaulted_ingress_classes.get(&key).cloned().filter(|_| ingress.ingress_class_name.is_none())
            } else {
                let this = created.get(&format!("Ingress/{key}")).copied().unwrap_or(d.seq);
                let existing = objects.ingress_classes.iter().map(|c| (&c.object, class_created(&c.object.meta.name)));
                ingress_class::default_class(&ingress, existing.filter(|(_, c)| *c < this))
            };
            if let Some(class) = class {
                defaulted.insert(key, class.clone());
                ingress.ingress_class_name = Some(class);
            }
            ingress
        })
        .collect();
    (ingresses, defaulted)
}

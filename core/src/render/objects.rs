//! The objects `kubectl get` lists, and each one as the API server would return it
//! (`-o json` / `-o yaml`), built as a `serde_json::Value`.
//!
//! An object carries what it was declared with plus what the control plane fills in on a real
//! cluster: the API server's defaults (`sessionAffinity: None`, `ipFamilies`, `restartPolicy`,
//! `schedulerName`…), admission's (a pod's service account and default tolerations), and the
//! status controllers write (pod IPs and conditions, a Service's `status.loadBalancer`, workload
//! replica counts). Nothing is invented that the model cannot know: there are no `uid`s,
//! `resourceVersion`s, container IDs or image digests, and every timestamp is `null`
//! ([`super::timestamp`]). Fields Go would omit when empty are omitted.

use super::{timestamp, Resource};
use crate::api::endpoints::EndpointPort;
use crate::api::ingress::{Ingress, IngressBackend, ServicePortRef};
use crate::api::network_policy::{NetworkPolicy, PolicyPeer, PolicyPortValue, PolicyRule};
use crate::api::pod::{Container, PodSpec, PodTemplate};
use crate::api::selector::LabelSelector;
use crate::api::service::{ClusterIpSpec, ServiceType, SessionAffinity, TargetPort};
use crate::api::workload::{Deployment, ReplicaSet, StatefulSet, WorkloadSpec};
use crate::api::{Kind, Labels, ObjectMeta, ObjectRef};
use crate::cluster::{
    Cluster, Endpoint, EndpointSliceState, EndpointsOrigin, EndpointsState, LoadBalancerStatus, NamespaceState,
    NodeState, PendingReason, PodState, ServiceState, SliceOrigin,
};
use crate::controllers::workloads::replica_set_for;
use serde_json::{json, Map, Value};
use std::net::IpAddr;

/// The kubelet version kind v0.29's node image runs (`status.nodeInfo.kubeletVersion`).
pub(crate) const KUBELET_VERSION: &str = "v1.33.1";
/// The OS of kind's node image (`status.nodeInfo.osImage`).
pub(crate) const OS_IMAGE: &str = "Debian GNU/Linux 12 (bookworm)";
/// The host kernel the nodes share (`status.nodeInfo.kernelVersion`); kind nodes report the
/// kernel of the machine running them, so this is a plausible stand-in.
pub(crate) const KERNEL_VERSION: &str = "6.8.0-60-generic";
/// The container runtime of kind's node image (`status.nodeInfo.containerRuntimeVersion`).
pub(crate) const CONTAINER_RUNTIME: &str = "containerd://2.1.1";

/// One object of a listed type.
#[derive(Clone, Copy)]
pub(crate) enum Item<'a> {
    Pod(&'a PodState),
    Service(&'a ServiceState),
    Endpoints(&'a EndpointsState),
    EndpointSlice(&'a EndpointSliceState),
    Node(&'a NodeState),
    Deployment(&'a Deployment),
    ReplicaSet(&'a ReplicaSet),
    StatefulSet(&'a StatefulSet),
    Ingress(&'a Ingress),
    NetworkPolicy(&'a NetworkPolicy),
    Namespace(&'a NamespaceState),
}

impl Item<'_> {
    /// The object's namespace; empty for cluster-scoped types.
    pub(crate) fn namespace(&self) -> &str {
        match self {
            Item::Pod(p) => &p.pod.meta.namespace,
            Item::Service(s) => &s.service.meta.namespace,
            Item::Endpoints(e) => &e.namespace,
            Item::EndpointSlice(s) => &s.namespace,
            Item::Deployment(d) => &d.meta.namespace,
            Item::ReplicaSet(r) => &r.meta.namespace,
            Item::StatefulSet(s) => &s.meta.namespace,
            Item::Ingress(i) => &i.meta.namespace,
            Item::NetworkPolicy(n) => &n.meta.namespace,
            Item::Node(_) | Item::Namespace(_) => "",
        }
    }

    /// The object's name.
    pub(crate) fn name(&self) -> &str {
        match self {
            Item::Pod(p) => &p.pod.meta.name,
            Item::Service(s) => &s.service.meta.name,
            Item::Endpoints(e) => &e.name,
            Item::EndpointSlice(s) => &s.name,
            Item::Node(n) => &n.name,
            Item::Deployment(d) => &d.meta.name,
            Item::ReplicaSet(r) => &r.meta.name,
            Item::StatefulSet(s) => &s.meta.name,
            Item::Ingress(i) => &i.meta.name,
            Item::NetworkPolicy(n) => &n.meta.name,
            Item::Namespace(n) => &n.name,
        }
    }
}

/// Every object of type `resource`, in the API server's list order: by namespace, then name.
pub(crate) fn items(cluster: &Cluster, resource: Resource) -> Vec<Item<'_>> {
    let mut items: Vec<Item<'_>> = match resource {
        Resource::Pods => cluster.pods.iter().map(Item::Pod).collect(),
        Resource::Services => cluster.services.iter().map(Item::Service).collect(),
        Resource::Endpoints => cluster.endpoints.iter().map(Item::Endpoints).collect(),
        Resource::EndpointSlices => cluster.endpoint_slices.iter().map(Item::EndpointSlice).collect(),
        Resource::Nodes => cluster.nodes.iter().map(Item::Node).collect(),
        Resource::Deployments => cluster.deployments.iter().map(Item::Deployment).collect(),
        Resource::ReplicaSets => cluster.replica_sets.iter().map(Item::ReplicaSet).collect(),
        Resource::StatefulSets => cluster.stateful_sets.iter().map(Item::StatefulSet).collect(),
        Resource::Ingresses => cluster.ingresses.iter().map(Item::Ingress).collect(),
        Resource::NetworkPolicies => cluster.network_policies.iter().map(Item::NetworkPolicy).collect(),
        Resource::Namespaces => cluster.namespaces.iter().map(Item::Namespace).collect(),
    };
    items.sort_by(|a, b| (a.namespace(), a.name()).cmp(&(b.namespace(), b.name())));
    items
}

/// A workload's replica counts as its controller reports them in `status`.
pub(crate) struct Replicas {
    /// `spec.replicas`.
    pub desired: u32,
    /// Pods that exist (`status.replicas`); every replica up to the playground's pod limit
    /// (`workloads::MAX_PODS`) exists in the model, scheduled or not.
    pub current: u32,
    /// Pods running and Ready (`status.readyReplicas`, and `availableReplicas` with
    /// `minReadySeconds: 0`).
    pub ready: u32,
}

/// The replica counts of the pods `owner` owns.
pub(crate) fn replicas(cluster: &Cluster, owner: &ObjectRef, desired: u32) -> Replicas {
    let owned: Vec<&PodState> = cluster.pods.iter().filter(|p| p.owner.as_ref() == Some(owner)).collect();
    Replicas { desired, current: owned.len() as u32, ready: owned.iter().filter(|p| p.is_ready()).count() as u32 }
}

/// The ReplicaSet a Deployment drives, as an owner reference.
pub(crate) fn deployment_replica_set(deployment: &Deployment) -> ObjectRef {
    ObjectRef::new(Kind::ReplicaSet, &deployment.meta.namespace, &replica_set_for(deployment).meta.name)
}

/// The `v1` List kubectl prints for several objects (`printGeneric`).
pub(crate) fn list(items: Vec<Value>) -> Value {
    json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
}

/// `item` as the API server returns it.
pub(crate) fn value(cluster: &Cluster, item: &Item<'_>) -> Value {
    match item {
        Item::Pod(p) => pod(cluster, p),
        Item::Service(s) => service(s),
        Item::Endpoints(e) => endpoints(cluster, e),
        Item::EndpointSlice(s) => endpoint_slice(cluster, s),
        Item::Node(n) => node(cluster, n),
        Item::Deployment(d) => deployment(cluster, d),
        Item::ReplicaSet(r) => replica_set(cluster, r),
        Item::StatefulSet(s) => stateful_set(cluster, s),
        Item::Ingress(i) => ingress(i),
        Item::NetworkPolicy(n) => network_policy(n),
        Item::Namespace(n) => namespace(n),
    }
}

/// A JSON object under construction; keys are sorted when printed.
struct Obj(Map<String, Value>);

impl Obj {
    fn new() -> Obj {
        Obj(Map::new())
    }

    fn set(mut self, key: &str, value: impl Into<Value>) -> Obj {
        self.0.insert(key.to_string(), value.into());
        self
    }

    fn set_if(self, condition: bool, key: &str, value: impl Into<Value>) -> Obj {
        if condition {
            self.set(key, value)
        } else {
            self
        }
    }

    fn opt(self, key: &str, value: Option<impl Into<Value>>) -> Obj {
        match value {
            Some(v) => self.set(key, v),
            None => self,
        }
    }

    fn done(self) -> Value {
        Value::Object(self.0)
    }
}

fn strings(map: &Labels) -> Value {
    Value::Object(map.iter().map(|(k, v)| (k.clone(), Value::from(v.as_str()))).collect())
}

/// `metadata` with name, namespace, labels and annotations (when any) and a null timestamp.
fn metadata(meta: &ObjectMeta) -> Obj {
    Obj::new()
        .set_if(!meta.annotations.is_empty(), "annotations", strings(&meta.annotations))
        .set("creationTimestamp", timestamp())
        .set_if(!meta.labels.is_empty(), "labels", strings(&meta.labels))
        .set("name", meta.name.as_str())
        .set_if(!meta.namespace.is_empty(), "namespace", meta.namespace.as_str())
}

fn object(kind: Kind, metadata: Obj) -> Obj {
    Obj::new().set("apiVersion", kind.api_version()).set("kind", kind.as_str()).set("metadata", metadata.done())
}

/// The `ownerReferences` entry a controller writes (without the owner's `uid`, which the model
/// does not have).
fn owner_reference(owner: &ObjectRef) -> Value {
    json!([{
        "apiVersion": owner.kind.api_version(),
        "blockOwnerDeletion": true,
        "controller": true,
        "kind": owner.kind.as_str(),
        "name": owner.name,
    }])
}

fn selector(selector: &LabelSelector) -> Value {
    let expressions: Vec<Value> = selector
        .match_expressions
        .iter()
        .map(|r| {
            let values: Vec<&str> = r.values.iter().map(String::as_str).collect();
            Obj::new()
                .set("key", r.key.as_str())
                .set("operator", r.operator.as_str())
                .set_if(!values.is_empty(), "values", values)
                .done()
        })
        .collect();
    Obj::new()
        .set_if(!expressions.is_empty(), "matchExpressions", expressions)
        .set_if(!selector.match_labels.is_empty(), "matchLabels", strings(&selector.match_labels))
        .done()
}

/// `imagePullPolicy`'s default: `Always` for an untagged or `:latest` image, else `IfNotPresent`.
fn image_pull_policy(image: &str) -> &'static str {
    let last = image.rsplit('/').next().unwrap_or(image);
    let tag = last.split_once(':').map(|(_, tag)| tag);
    if last.contains('@') || tag.is_some_and(|t| t != "latest") {
        "IfNotPresent"
    } else {
        "Always"
    }
}

fn container(c: &Container, host_network: bool) -> Value {
    let ports: Vec<Value> = c
        .ports
        .iter()
        .map(|p| {
            // With hostNetwork the API server defaults hostPort to containerPort.
            let host_port = p.host_port.or(host_network.then_some(p.container_port));
            Obj::new()
                .set("containerPort", p.container_port)
                .opt("hostPort", host_port)
                .opt("name", p.name.as_deref())
                .set("protocol", p.protocol.as_str())
                .done()
        })
        .collect();
    Obj::new()
        .set("image", c.image.as_str())
        .set("imagePullPolicy", image_pull_policy(&c.image))
        .set("name", c.name.as_str())
        .set_if(!ports.is_empty(), "ports", ports)
        .set("resources", json!({}))
        .set("terminationMessagePath", "/dev/termination-log")
        .set("terminationMessagePolicy", "File")
        .done()
}

/// A pod spec with the API server's defaults; a pod's also gets what admission adds (its
/// service account, priority, the default `NoExecute` tolerations) and its node.
fn pod_spec(spec: &PodSpec, node_name: Option<&str>, is_pod: bool) -> Value {
    let dns_config = spec.dns_config.as_ref().map(|c| {
        let options: Vec<Value> = c
            .options
            .iter()
            .map(|(name, value)| Obj::new().set("name", name.as_str()).opt("value", value.as_deref()).done())
            .collect();
        Obj::new()
            .set_if(!c.nameservers.is_empty(), "nameservers", c.nameservers.clone())
            .set_if(!options.is_empty(), "options", options)
            .set_if(!c.searches.is_empty(), "searches", c.searches.clone())
            .done()
    });
    let tolerations: Vec<Value> = ["node.kubernetes.io/not-ready", "node.kubernetes.io/unreachable"]
        .iter()
        .map(|key| json!({"effect": "NoExecute", "key": key, "operator": "Exists", "tolerationSeconds": 300}))
        .collect();
    let containers: Vec<Value> = spec.containers.iter().map(|c| container(c, spec.host_network)).collect();
    let base = Obj::new()
        .set("containers", containers)
        .opt("dnsConfig", dns_config)
        .set("dnsPolicy", spec.dns_policy.as_str())
        .set_if(spec.host_network, "hostNetwork", true)
        .opt("hostname", spec.hostname.as_deref())
        .opt("nodeName", node_name)
        .set_if(!spec.node_selector.is_empty(), "nodeSelector", strings(&spec.node_selector))
        .set("restartPolicy", "Always")
        .set("schedulerName", "default-scheduler")
        .set("securityContext", json!({}))
        .opt("subdomain", spec.subdomain.as_deref())
        .set("terminationGracePeriodSeconds", 30);
    if !is_pod {
        // SetDefaults_Pod, not SetDefaults_PodSpec, defaults enableServiceLinks: a template
        // shows it only when written (the model keeps only a `false`).
        return base.set_if(!spec.enable_service_links, "enableServiceLinks", false).done();
    }
    base.set("enableServiceLinks", spec.enable_service_links)
        .set("preemptionPolicy", "PreemptLowerPriority")
        .set("priority", 0)
        .set("serviceAccount", "default")
        .set("serviceAccountName", "default")
        .set("tolerations", tolerations)
        .done()
}

fn template(t: &PodTemplate) -> Value {
    let meta = Obj::new()
        .set_if(!t.annotations.is_empty(), "annotations", strings(&t.annotations))
        .set("creationTimestamp", timestamp())
        .set_if(!t.labels.is_empty(), "labels", strings(&t.labels));
    json!({"metadata": meta.done(), "spec": pod_spec(&t.spec, None, false)})
}

fn condition(kind: &str, status: bool) -> Obj {
    Obj::new()
        .set("lastProbeTime", Value::Null)
        .set("lastTransitionTime", timestamp())
        .set("status", if status { "True" } else { "False" })
        .set("type", kind)
}

fn ip_list(ip: IpAddr) -> Value {
    json!([{"ip": ip.to_string()}])
}

fn pod(cluster: &Cluster, p: &PodState) -> Value {
    let mut meta = metadata(&p.pod.meta);
    if let Some(owner) = &p.owner {
        meta = meta.set("ownerReferences", owner_reference(owner));
    }
    let node = p.node.map(|id| cluster.node(id));
    let node_name = p.pod.spec.node_name.as_deref().or(node.map(|n| n.name.as_str()));
    let spec = pod_spec(&p.pod.spec, node_name, true);
    let status = match (node, p.ip) {
        (Some(node), Some(ip)) => {
            let ready = p.is_ready();
            let names: Vec<&str> = p.pod.spec.containers.iter().map(|c| c.name.as_str()).collect();
            let readiness = |kind: &str| {
                let c = condition(kind, ready);
                if ready {
                    c.done()
                } else {
                    c.set("message", format!("containers with unready status: [{}]", names.join(" ")))
                        .set("reason", "ContainersNotReady")
                        .done()
                }
            };
            let conditions = vec![
                condition("PodReadyToStartContainers", true).done(),
                condition("Initialized", true).done(),
                readiness("Ready"),
                readiness("ContainersReady"),
                condition("PodScheduled", true).done(),
            ];
            let statuses: Vec<Value> = p
                .pod
                .spec
                .containers
                .iter()
                .map(|c| {
                    json!({
                        "image": c.image, "lastState": {}, "name": c.name, "ready": ready, "restartCount": 0,
                        "started": true, "state": {"running": {"startedAt": timestamp()}},
                    })
                })
                .collect();
            let host_ip = IpAddr::V4(node.internal_ip);
            Obj::new()
                .set("conditions", conditions)
                .set("containerStatuses", statuses)
                .set("hostIP", host_ip.to_string())
                .set("hostIPs", ip_list(host_ip))
                .set("phase", "Running")
                .set("podIP", ip.to_string())
                .set("podIPs", ip_list(ip))
                .set("qosClass", "BestEffort")
                .set("startTime", timestamp())
        }
        // The scheduler's verdict; a pod bound to a node by name bypasses the scheduler, which
        // therefore never reports it.
        _ => match &p.pending {
            Some(PendingReason::Unschedulable(why)) => {
                let scheduled =
                    condition("PodScheduled", false).set("message", why.to_string()).set("reason", "Unschedulable");
                Obj::new().set("conditions", vec![scheduled.done()])
            }
            _ => Obj::new(),
        }
        .set("phase", "Pending")
        .set("qosClass", "BestEffort"),
    };
    object(Kind::Pod, meta).set("spec", spec).set("status", status.done()).done()
}

/// `spec.ipFamilyPolicy`'s default: `RequireDualStack` for a headless Service without a
/// selector, `SingleStack` otherwise; ExternalName Services have none.
pub(crate) fn ip_family_policy(s: &ServiceState) -> Option<&'static str> {
    let spec = &s.service.spec;
    match (spec.type_, spec.cluster_ip, &spec.selector) {
        (ServiceType::ExternalName, _, _) => None,
        (_, ClusterIpSpec::Headless, None) => Some("RequireDualStack"),
        _ => Some("SingleStack"),
    }
}

/// `spec.ipFamilies`: the family of the ClusterIP (the cluster's, IPv4, when headless).
pub(crate) fn ip_families(s: &ServiceState) -> Vec<&'static str> {
    match (s.service.spec.type_, s.cluster_ip) {
        (ServiceType::ExternalName, _) => Vec::new(),
        (_, Some(IpAddr::V6(_))) => vec!["IPv6"],
        _ => vec!["IPv4"],
    }
}

/// `spec.clusterIPs`: the address, `None` for a headless Service, nothing for ExternalName.
pub(crate) fn cluster_ips(s: &ServiceState) -> Vec<String> {
    match (s.cluster_ip, s.service.spec.cluster_ip, s.service.spec.type_) {
        (Some(ip), _, _) => vec![ip.to_string()],
        (None, _, ServiceType::ExternalName) => Vec::new(),
        (None, ClusterIpSpec::Headless, _) => vec!["None".to_string()],
        (None, _, _) => Vec::new(),
    }
}

fn service(s: &ServiceState) -> Value {
    let spec = &s.service.spec;
    let type_ = spec.type_;
    let ports: Vec<Value> = spec
        .ports
        .iter()
        .zip(&s.node_ports)
        .map(|(p, node_port)| {
            let target: Value = match &p.target_port {
                TargetPort::Number(n) => (*n).into(),
                TargetPort::Named(name) => name.as_str().into(),
            };
            Obj::new()
                .opt("appProtocol", p.app_protocol.as_deref())
                .opt("name", p.name.as_deref())
                .opt("nodePort", *node_port)
                .set("port", p.port)
                .set("protocol", p.protocol.as_str())
                .set("targetPort", target)
                .done()
        })
        .collect();
    let ips = cluster_ips(s);
    let external_ips: Vec<String> = spec.external_ips.iter().map(ToString::to_string).collect();
    let ranges: Vec<String> = spec.load_balancer_source_ranges.iter().map(ToString::to_string).collect();
    let affinity_config = match spec.session_affinity {
        SessionAffinity::ClientIp { timeout_seconds } => Some(json!({"clientIP": {"timeoutSeconds": timeout_seconds}})),
        SessionAffinity::None => None,
    };
    let families = ip_families(s);
    let is_lb = type_ == ServiceType::LoadBalancer;
    let spec_value = Obj::new()
        .set_if(is_lb, "allocateLoadBalancerNodePorts", spec.allocate_load_balancer_node_ports)
        .opt("clusterIP", ips.first().cloned())
        .set_if(!ips.is_empty(), "clusterIPs", ips.clone())
        .set_if(!external_ips.is_empty(), "externalIPs", external_ips)
        .opt("externalName", spec.external_name.as_deref())
        .set_if(type_.has_node_ports(), "externalTrafficPolicy", spec.external_traffic_policy.as_str())
        .opt("healthCheckNodePort", s.health_check_node_port)
        .set_if(type_ != ServiceType::ExternalName, "internalTrafficPolicy", spec.internal_traffic_policy.as_str())
        .set_if(!families.is_empty(), "ipFamilies", families)
        .opt("ipFamilyPolicy", ip_family_policy(s))
        .opt("loadBalancerIP", spec.load_balancer_ip.map(|ip| ip.to_string()))
        .set_if(!ranges.is_empty(), "loadBalancerSourceRanges", ranges)
        .set_if(!ports.is_empty(), "ports", ports)
        .set_if(spec.publish_not_ready_addresses, "publishNotReadyAddresses", true)
        .opt("selector", spec.selector.as_ref().map(strings))
        .set("sessionAffinity", if affinity_config.is_some() { "ClientIP" } else { "None" })
        .opt("sessionAffinityConfig", affinity_config)
        .opt("trafficDistribution", spec.traffic_distribution.as_deref())
        .set("type", type_.as_str());
    let load_balancer = match s.load_balancer {
        LoadBalancerStatus::Ingress(ip) => json!({"ingress": [{"ip": ip.to_string(), "ipMode": "VIP"}]}),
        LoadBalancerStatus::Pending | LoadBalancerStatus::NotApplicable => json!({}),
    };
    object(Kind::Service, metadata(&s.service.meta))
        .set("spec", spec_value.done())
        .set("status", json!({"loadBalancer": load_balancer}))
        .done()
}

/// `targetRef`: the controllers point at the pod behind an address; what the learner wrote
/// carries none in the model.
fn target_ref(cluster: &Cluster, e: &Endpoint, managed: bool) -> Option<Value> {
    let pod = &cluster.pod(e.pod.filter(|_| managed)?).pod.meta;
    Some(json!({"kind": "Pod", "name": pod.name, "namespace": pod.namespace}))
}

/// `metadata` of an object a controller or the API server derived (no creation time known).
fn derived_metadata(name: &str, namespace: &str, labels: &Labels, annotations: &Labels) -> Obj {
    Obj::new()
        .set_if(!annotations.is_empty(), "annotations", strings(annotations))
        .set("creationTimestamp", timestamp())
        .set_if(!labels.is_empty(), "labels", strings(labels))
        .set("name", name)
        .set("namespace", namespace)
}

fn endpoints(cluster: &Cluster, e: &EndpointsState) -> Value {
    let managed = e.origin == EndpointsOrigin::Managed;
    let address = |a: &Endpoint| {
        Obj::new()
            .opt("hostname", a.hostname.as_deref())
            .set("ip", a.ip.to_string())
            .opt("nodeName", a.node_name.as_deref())
            .opt("targetRef", target_ref(cluster, a, managed))
            .done()
    };
    let subsets: Vec<Value> = e
        .subsets
        .iter()
        .map(|s| {
            let ready: Vec<Value> = s.addresses.iter().map(address).collect();
            let not_ready: Vec<Value> = s.not_ready_addresses.iter().map(address).collect();
            Obj::new()
                .set_if(!ready.is_empty(), "addresses", ready)
                .set_if(!not_ready.is_empty(), "notReadyAddresses", not_ready)
                .set_if(!s.ports.is_empty(), "ports", endpoint_ports(&s.ports, false))
                .done()
        })
        .collect();
    let meta = derived_metadata(&e.name, &e.namespace, &e.labels, &e.annotations);
    object(Kind::Endpoints, meta).set_if(!subsets.is_empty(), "subsets", subsets).done()
}

/// Ports of an Endpoints subset, or (`always_named`) of an EndpointSlice, whose controllers
/// write `name: ""` for an unnamed port.
fn endpoint_ports(ports: &[EndpointPort], always_named: bool) -> Vec<Value> {
    ports
        .iter()
        .map(|p| {
            let name = p.name.as_deref().or(always_named.then_some(""));
            Obj::new().opt("name", name).set("port", p.port).set("protocol", p.protocol.as_str()).done()
        })
        .collect()
}

/// A list field without `omitempty` (`endpoints`, `ports` of an EndpointSlice): an empty list
/// comes back from storage as `null`.
fn list_or_null(items: Vec<Value>) -> Value {
    if items.is_empty() {
        Value::Null
    } else {
        Value::Array(items)
    }
}

fn endpoint_slice(cluster: &Cluster, slice: &EndpointSliceState) -> Value {
    let owner = match (slice.origin, &slice.service) {
        (SliceOrigin::Managed, Some(service)) => Some(ObjectRef::new(Kind::Service, &slice.namespace, service)),
        (SliceOrigin::Mirrored, Some(service)) => Some(ObjectRef::new(Kind::Endpoints, &slice.namespace, service)),
        _ => None,
    };
    let meta = derived_metadata(&slice.name, &slice.namespace, &slice.labels, &slice.annotations)
        .opt("generateName", owner.as_ref().map(|o| format!("{}-", o.name)))
        .opt("ownerReferences", owner.as_ref().map(owner_reference));
    // The EndpointSlice controller sets all three conditions; the mirroring controller and the
    // API server only `ready`.
    let all_conditions = matches!(slice.origin, SliceOrigin::Managed | SliceOrigin::Written);
    let endpoints: Vec<Value> = slice
        .endpoints
        .iter()
        .map(|e| {
            let conditions = if all_conditions {
                json!({"ready": e.ready, "serving": e.serving, "terminating": e.terminating})
            } else {
                json!({"ready": e.ready})
            };
            Obj::new()
                .set("addresses", vec![e.ip.to_string()])
                .set("conditions", conditions)
                .opt("hostname", e.hostname.as_deref())
                .opt("nodeName", e.node_name.as_deref())
                .opt("targetRef", target_ref(cluster, e, slice.origin == SliceOrigin::Managed))
                .done()
        })
        .collect();
    object(Kind::EndpointSlice, meta)
        .set("addressType", slice.address_type.as_str())
        .set("endpoints", list_or_null(endpoints))
        .set("ports", list_or_null(endpoint_ports(&slice.ports, true)))
        .done()
}

fn node(cluster: &Cluster, n: &NodeState) -> Value {
    let taints: Vec<Value> = n
        .taints
        .iter()
        .map(|t| {
            Obj::new()
                .set("effect", t.effect.as_str())
                .set("key", t.key.as_str())
                .set_if(!t.value.is_empty(), "value", t.value.as_str())
                .done()
        })
        .collect();
    let meta =
        Obj::new().set("creationTimestamp", timestamp()).set("labels", strings(&n.labels)).set("name", n.name.as_str());
    let spec = Obj::new()
        .set("podCIDR", n.pod_cidr.to_string())
        .set("podCIDRs", vec![n.pod_cidr.to_string()])
        .set("providerID", format!("kind://docker/{}/{}", cluster.config.name, n.name))
        .set_if(!n.taints.is_empty(), "taints", taints);
    let conditions: Vec<Value> = [
        ("MemoryPressure", false, "KubeletHasSufficientMemory", "kubelet has sufficient memory available"),
        ("DiskPressure", false, "KubeletHasNoDiskPressure", "kubelet has no disk pressure"),
        ("PIDPressure", false, "KubeletHasSufficientPID", "kubelet has sufficient PID available"),
        ("Ready", true, "KubeletReady", "kubelet is posting ready status"),
    ]
    .iter()
    .map(|(kind, status, reason, message)| {
        json!({
            "lastHeartbeatTime": timestamp(), "lastTransitionTime": timestamp(), "message": message,
            "reason": reason, "status": if *status { "True" } else { "False" }, "type": kind,
        })
    })
    .collect();
    let status = json!({
        "addresses": [{"address": n.internal_ip.to_string(), "type": "InternalIP"}, {"address": n.name, "type": "Hostname"}],
        "conditions": conditions,
        "nodeInfo": {
            "architecture": "amd64", "containerRuntimeVersion": CONTAINER_RUNTIME, "kernelVersion": KERNEL_VERSION,
            "kubeletVersion": KUBELET_VERSION, "operatingSystem": "linux", "osImage": OS_IMAGE,
        },
    });
    object(Kind::Node, meta).set("spec", spec.done()).set("status", status).done()
}

fn workload_spec(spec: &WorkloadSpec) -> Obj {
    Obj::new()
        .set("replicas", spec.replicas)
        .set("selector", selector(&spec.selector))
        .set("template", template(&spec.template))
}

/// A workload's `status` counts; Go omits the zero ones.
fn replica_status(r: &Replicas, extra: &[(&str, u32)]) -> Value {
    let mut status = Obj::new()
        .set_if(r.ready > 0, "availableReplicas", r.ready)
        .set_if(r.ready > 0, "readyReplicas", r.ready)
        .set_if(r.current > 0, "replicas", r.current);
    for (key, n) in extra {
        status = status.set_if(*n > 0, key, *n);
    }
    status.done()
}

fn deployment(cluster: &Cluster, d: &Deployment) -> Value {
    let r = replicas(cluster, &deployment_replica_set(d), d.spec.replicas);
    let spec = workload_spec(&d.spec).set("progressDeadlineSeconds", 600).set("revisionHistoryLimit", 10).set(
        "strategy",
        json!({"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"}, "type": "RollingUpdate"}),
    );
    let unavailable = r.desired.saturating_sub(r.ready);
    let status = replica_status(&r, &[("unavailableReplicas", unavailable), ("updatedReplicas", r.current)]);
    object(Kind::Deployment, metadata(&d.meta)).set("spec", spec.done()).set("status", status).done()
}

fn replica_set(cluster: &Cluster, rs: &ReplicaSet) -> Value {
    let owner = cluster
        .deployments
        .iter()
        .find(|d| deployment_replica_set(d) == ObjectRef::new(Kind::ReplicaSet, &rs.meta.namespace, &rs.meta.name));
    let mut meta = metadata(&rs.meta);
    if let Some(d) = owner {
        meta = meta.set(
            "ownerReferences",
            owner_reference(&ObjectRef::new(Kind::Deployment, &d.meta.namespace, &d.meta.name)),
        );
    }
    let r = replicas(cluster, &ObjectRef::new(Kind::ReplicaSet, &rs.meta.namespace, &rs.meta.name), rs.spec.replicas);
    let status = replica_status(&r, &[("fullyLabeledReplicas", r.current)]);
    object(Kind::ReplicaSet, meta).set("spec", workload_spec(&rs.spec).done()).set("status", status).done()
}

fn stateful_set(cluster: &Cluster, s: &StatefulSet) -> Value {
    let r = replicas(cluster, &ObjectRef::new(Kind::StatefulSet, &s.meta.namespace, &s.meta.name), s.spec.replicas);
    let spec = workload_spec(&s.spec)
        .set("persistentVolumeClaimRetentionPolicy", json!({"whenDeleted": "Retain", "whenScaled": "Retain"}))
        .set("podManagementPolicy", "OrderedReady")
        .set("revisionHistoryLimit", 10)
        .set("serviceName", s.service_name.as_str())
        .set("updateStrategy", json!({"rollingUpdate": {"partition": 0}, "type": "RollingUpdate"}));
    let status = replica_status(&r, &[("currentReplicas", r.current), ("updatedReplicas", r.current)]);
    object(Kind::StatefulSet, metadata(&s.meta)).set("spec", spec.done()).set("status", status).done()
}

fn backend(b: &IngressBackend) -> Value {
    let port = match &b.port {
        ServicePortRef::Number(n) => json!({"number": n}),
        ServicePortRef::Name(name) => json!({"name": name}),
    };
    json!({"service": {"name": b.service_name, "port": port}})
}

fn ingress(i: &Ingress) -> Value {
    let rules: Vec<Value> = i
        .rules
        .iter()
        .map(|rule| {
            let paths: Vec<Value> = rule
                .paths
                .iter()
                .map(|p| json!({"backend": backend(&p.backend), "path": p.path, "pathType": p.path_type.as_str()}))
                .collect();
            Obj::new()
                .opt("host", rule.host.as_deref())
                .set_if(!paths.is_empty(), "http", json!({"paths": paths}))
                .done()
        })
        .collect();
    let tls: Vec<Value> = i
        .tls
        .iter()
        .map(|t| {
            Obj::new()
                .set_if(!t.hosts.is_empty(), "hosts", t.hosts.clone())
                .opt("secretName", t.secret_name.as_deref())
                .done()
        })
        .collect();
    let spec = Obj::new()
        .opt("defaultBackend", i.default_backend.as_ref().map(backend))
        .opt("ingressClassName", i.ingress_class_name.as_deref())
        .set_if(!rules.is_empty(), "rules", rules)
        .set_if(!tls.is_empty(), "tls", tls);
    object(Kind::Ingress, metadata(&i.meta)).set("spec", spec.done()).set("status", json!({"loadBalancer": {}})).done()
}

fn policy_rules(rules: &[PolicyRule], peers_key: &str) -> Vec<Value> {
    rules
        .iter()
        .map(|rule| {
            let peers: Option<Vec<Value>> = rule.peers.as_ref().map(|peers| {
                peers
                    .iter()
                    .map(|peer| match peer {
                        PolicyPeer::Pods { pod_selector, namespace_selector } => Obj::new()
                            .opt("namespaceSelector", namespace_selector.as_ref().map(selector))
                            .opt("podSelector", pod_selector.as_ref().map(selector))
                            .done(),
                        PolicyPeer::IpBlock(block) => {
                            let except: Vec<String> = block.except.iter().map(ToString::to_string).collect();
                            let block = Obj::new().set("cidr", block.cidr.to_string()).set_if(
                                !except.is_empty(),
                                "except",
                                except,
                            );
                            json!({"ipBlock": block.done()})
                        }
                    })
                    .collect()
            });
            let ports: Vec<Value> = rule
                .ports
                .iter()
                .map(|p| {
                    let (port, end_port): (Option<Value>, Option<u16>) = match &p.port {
                        Some(PolicyPortValue::Number { port, end_port }) => (Some((*port).into()), *end_port),
                        Some(PolicyPortValue::Named(name)) => (Some(name.as_str().into()), None),
                        None => (None, None),
                    };
                    Obj::new().opt("endPort", end_port).opt("port", port).set("protocol", p.protocol.as_str()).done()
                })
                .collect();
            Obj::new().opt(peers_key, peers).set_if(!ports.is_empty(), "ports", ports).done()
        })
        .collect()
}

fn network_policy(n: &NetworkPolicy) -> Value {
    let mut types = Vec::new();
    if n.isolates_ingress {
        types.push("Ingress");
    }
    if n.isolates_egress {
        types.push("Egress");
    }
    let ingress = policy_rules(&n.ingress, "from");
    let egress = policy_rules(&n.egress, "to");
    let spec = Obj::new()
        .set_if(!egress.is_empty(), "egress", egress)
        .set_if(!ingress.is_empty(), "ingress", ingress)
        .set("podSelector", selector(&n.pod_selector))
        .set("policyTypes", types);
    object(Kind::NetworkPolicy, metadata(&n.meta)).set("spec", spec.done()).done()
}

fn namespace(n: &NamespaceState) -> Value {
    let meta =
        Obj::new().set("creationTimestamp", timestamp()).set("labels", strings(&n.labels)).set("name", n.name.as_str());
    object(Kind::Namespace, meta)
        .set("spec", json!({"finalizers": ["kubernetes"]}))
        .set("status", json!({"phase": "Active"}))
        .done()
}

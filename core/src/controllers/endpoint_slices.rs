//! The EndpointSlice controller, the EndpointSlice mirroring controller, and the slices the
//! learner writes.
//!
//! **Managed slices** (kubernetes/kubernetes `staging/src/k8s.io/endpointslice`, `reconciler.go`
//! and `utils.go`), for a Service with a selector that is not ExternalName: the endpoints are the
//! pods in the Service's namespace whose labels carry every selector pair (AND) and that have an
//! IP. An endpoint's `serving` is the pod's readiness and `ready` is the same unless the Service
//! sets `publishNotReadyAddresses`, which makes every endpoint ready (`podToEndpoint`). Each
//! Service port's targetPort is resolved per pod — a number as is, a name against the pod's
//! container ports of the same protocol — and a pod whose containers lack the name simply does
//! not serve that port (`getEndpointPorts`). Pods are grouped by the ports they serve, at most
//! 100 endpoints to a slice (`--max-endpoints-per-slice`), each slice named
//! `<service>-<suffix>` and labelled with the Service's labels plus
//! `kubernetes.io/service-name`, `endpointslice.kubernetes.io/managed-by` and, for a headless
//! Service, `service.kubernetes.io/headless` (`setEndpointSliceLabels`). A Service whose
//! selector matches no running pod gets one empty placeholder slice, as upstream keeps one.
//!
//! **Mirrored slices** (`pkg/controller/endpointslicemirroring`): a hand-written Endpoints
//! object is mirrored only when a Service of the same name exists without a selector and the
//! object carries neither the `endpointslice.kubernetes.io/skip-mirror: "true"` label nor a
//! leader-election annotation. Subsets with the same ports share a slice; the slice copies the
//! object's labels and annotations and marks each address ready or not, nothing else.
//!
//! **Written slices** are tied to a Service only by their `kubernetes.io/service-name` label,
//! and kube-proxy merges them with the Service's other slices whatever wrote them.
//!
//! Not modeled: terminating endpoints (the model never deletes a pod gracefully, so a managed
//! endpoint is never `terminating`), zones and topology hints, IPv6 and dual-stack slices,
//! `appProtocol` on endpoint ports.

use super::naming::random_suffix_of;
use crate::api::endpoints::{AddressType, EndpointAddress, EndpointPort, EndpointSlice, Endpoints, SERVICE_NAME_LABEL};
use crate::api::service::{ClusterIpSpec, Service, ServiceType, TargetPort};
use crate::api::Labels;
use crate::cluster::{Endpoint, EndpointSliceState, NodeId, NodeState, PodId, PodState, SliceOrigin};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// The label naming the controller that manages an EndpointSlice.
pub const MANAGED_BY_LABEL: &str = "endpointslice.kubernetes.io/managed-by";
/// The EndpointSlice controller's name, in [`MANAGED_BY_LABEL`].
pub const CONTROLLER_NAME: &str = "endpointslice-controller.k8s.io";
/// The mirroring controller's name, in [`MANAGED_BY_LABEL`].
pub const MIRRORING_CONTROLLER_NAME: &str = "endpointslicemirroring-controller.k8s.io";
/// The label the controllers put on a headless Service's slices and Endpoints.
pub const HEADLESS_LABEL: &str = "service.kubernetes.io/headless";
/// The Endpoints label that keeps the mirroring controller away (`"true"`).
pub const SKIP_MIRROR_LABEL: &str = "endpointslice.kubernetes.io/skip-mirror";
/// The annotation of a leader-election record, which the mirroring controller never mirrors.
const LEADER_ELECTION_ANNOTATION: &str = "control-plane.alpha.kubernetes.io/leader";
/// Annotations the mirroring controller does not copy.
const UNMIRRORED_ANNOTATIONS: [&str; 2] =
    ["endpoints.kubernetes.io/last-change-trigger-time", "kubectl.kubernetes.io/last-applied-configuration"];
/// kube-controller-manager's default `--max-endpoints-per-slice`.
pub const MAX_ENDPOINTS_PER_SLICE: usize = 100;

/// Whether the controllers treat `service` as headless: it has no ClusterIP (`isServiceIPSet`).
pub fn is_headless(service: &Service) -> bool {
    service.spec.cluster_ip == ClusterIpSpec::Headless
}

/// The Service's labels without the reserved ones, plus `extra`.
fn service_labels(service: &Service, extra: &[(&str, &str)]) -> Labels {
    let reserved = [SERVICE_NAME_LABEL, MANAGED_BY_LABEL, HEADLESS_LABEL];
    let mut labels: Labels = service
        .meta
        .labels
        .iter()
        .filter(|(k, _)| !reserved.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    labels.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    labels
}

/// The pods of a cluster by namespace and, within a namespace, grouped by their exact labels
/// (the pods of one ReplicaSet share theirs), so that selecting a Service's pods tests each
/// distinct label set once instead of every pod.
pub struct PodsByNamespace<'a> {
    pods: &'a [PodState],
    /// Per namespace, each distinct label set with the indices into `pods` of the pods carrying
    /// it, ascending.
    by_namespace: BTreeMap<&'a str, Vec<(&'a Labels, Vec<usize>)>>,
}

impl<'a> PodsByNamespace<'a> {
    /// Indexes `pods`.
    pub fn new(pods: &'a [PodState]) -> Self {
        let mut groups: BTreeMap<(&str, &Labels), Vec<usize>> = BTreeMap::new();
        for (i, pod) in pods.iter().enumerate() {
            groups.entry((pod.pod.meta.namespace.as_str(), &pod.pod.meta.labels)).or_default().push(i);
        }
        let mut by_namespace: BTreeMap<&str, Vec<(&Labels, Vec<usize>)>> = BTreeMap::new();
        for ((namespace, labels), indices) in groups {
            by_namespace.entry(namespace).or_default().push((labels, indices));
        }
        PodsByNamespace { pods, by_namespace }
    }

    /// The pods of `namespace` carrying every label of `selector`, with their indices, in pod order.
    pub fn selected(&self, namespace: &str, selector: &Labels) -> impl Iterator<Item = (usize, &'a PodState)> + '_ {
        let mut indices: Vec<usize> = self
            .by_namespace
            .get(namespace)
            .into_iter()
            .flatten()
            .filter(|(labels, _)| selector.iter().all(|(k, v)| labels.get(k) == Some(v)))
            .flat_map(|(_, indices)| indices.iter().copied())
            .collect();
        indices.sort_unstable();
        let pods = self.pods;
        indices.into_iter().map(move |i| (i, &pods[i]))
    }
}

/// The indices of the slices serving each Service (by namespace and `kubernetes.io/service-name`),
/// in slice order.
pub fn by_service(slices: &[EndpointSliceState]) -> BTreeMap<(&str, &str), Vec<usize>> {
    let mut index: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for (i, slice) in slices.iter().enumerate() {
        if let Some(service) = &slice.service {
            index.entry((slice.namespace.as_str(), service.as_str())).or_default().push(i);
        }
    }
    index
}

/// The slices the EndpointSlice controller keeps for `service`: none without a selector or for
/// ExternalName, else the pods' endpoints grouped by port set, or one empty placeholder.
pub fn managed_slices(service: &Service, pods: &PodsByNamespace, nodes: &[NodeState]) -> Vec<EndpointSliceState> {
    let Some(selector) = &service.spec.selector else { return Vec::new() };
    if service.spec.type_ == ServiceType::ExternalName {
        return Vec::new();
    }
    let mut groups: BTreeMap<Vec<EndpointPort>, Vec<Endpoint>> = BTreeMap::new();
    for (i, pod) in pods.selected(&service.meta.namespace, selector) {
        let Some(ip) = pod.ip else { continue };
        let ports: Vec<EndpointPort> = service
            .spec
            .ports
            .iter()
            .filter_map(|sp| {
                let port = match &sp.target_port {
                    TargetPort::Number(n) => *n,
                    TargetPort::Named(name) => pod.pod.spec.named_port(name, sp.protocol)?,
                };
                Some(EndpointPort { name: sp.name.clone(), port, protocol: sp.protocol })
            })
            .collect();
        let serving = pod.is_ready();
        groups.entry(ports).or_default().push(Endpoint {
            pod: Some(PodId(i as u32)),
            ip,
            node: pod.node,
            node_name: pod.node.map(|n| nodes[n.index()].name.clone()),
            ready: service.spec.publish_not_ready_addresses || serving,
            serving,
            terminating: false,
            hostname: pod
                .pod
                .spec
                .hostname
                .clone()
                .filter(|_| pod.pod.spec.subdomain.as_deref() == Some(&service.meta.name)),
        });
    }
    let mut labels =
        service_labels(service, &[(SERVICE_NAME_LABEL, &service.meta.name), (MANAGED_BY_LABEL, CONTROLLER_NAME)]);
    if is_headless(service) {
        labels.insert(HEADLESS_LABEL.to_string(), String::new());
    }
    let mut chunks: Vec<(Vec<EndpointPort>, Vec<Endpoint>)> = Vec::new();
    for (ports, mut endpoints) in groups {
        endpoints.sort_by_key(|e| e.ip);
        let mut endpoints = endpoints.into_iter().peekable();
        while endpoints.peek().is_some() {
            chunks.push((ports.clone(), endpoints.by_ref().take(MAX_ENDPOINTS_PER_SLICE).collect()));
        }
    }
    if chunks.is_empty() {
        chunks.push((Vec::new(), Vec::new()));
    }
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, (ports, endpoints))| EndpointSliceState {
            name: format!(
                "{}-{}",
                service.meta.name,
                random_suffix_of(format_args!("{}/{}/{}", service.meta.namespace, service.meta.name, i))
            ),
            namespace: service.meta.namespace.clone(),
            service: Some(service.meta.name.clone()),
            origin: SliceOrigin::Managed,
            address_type: AddressType::IPv4,
            labels: labels.clone(),
            annotations: Labels::new(),
            ports,
            endpoints,
        })
        .collect()
}

/// A hand-written address as an endpoint: the pod that has the address (if any) and the node
/// it names, or else that pod's node.
pub fn endpoint_of(address: &EndpointAddress, pods: &[PodState], node_of: &dyn Fn(&str) -> Option<NodeId>) -> Endpoint {
    let pod = pods.iter().position(|p| p.ip == Some(address.ip) && !p.pod.spec.host_network).map(|i| PodId(i as u32));
    Endpoint {
        pod,
        ip: address.ip,
        node: address.node_name.as_deref().and_then(node_of).or_else(|| pod.and_then(|id| pods[id.0 as usize].node)),
        node_name: address.node_name.clone(),
        ready: address.ready,
        serving: address.serving,
        terminating: address.terminating,
        hostname: address.hostname.clone(),
    }
}

/// A slice the learner wrote, as stored.
pub fn written_slice(
    slice: &EndpointSlice,
    pods: &[PodState],
    node_of: &dyn Fn(&str) -> Option<NodeId>,
) -> EndpointSliceState {
    EndpointSliceState {
        name: slice.meta.name.clone(),
        namespace: slice.meta.namespace.clone(),
        service: slice.meta.labels.get(SERVICE_NAME_LABEL).cloned(),
        origin: SliceOrigin::Written,
        address_type: slice.address_type,
        labels: slice.meta.labels.clone(),
        annotations: slice.meta.annotations.clone(),
        ports: slice.ports.clone(),
        endpoints: slice.endpoints.iter().map(|a| endpoint_of(a, pods, node_of)).collect(),
    }
}

/// Whether the mirroring controller mirrors `endpoints`, given the Service of the same name.
pub fn should_mirror(endpoints: &Endpoints, service: Option<&Service>) -> bool {
    let meta = &endpoints.meta;
    service.is_some_and(|s| s.spec.selector.is_none())
        && meta.labels.get(SKIP_MIRROR_LABEL).map(String::as_str) != Some("true")
        && !meta.annotations.contains_key(LEADER_ELECTION_ANNOTATION)
}

/// The slices the mirroring controller makes from a hand-written Endpoints object whose Service
/// has no selector (see [`should_mirror`]): one per address family and port set, named
/// `<endpoints>-<suffix>`. Mirrored endpoints carry only the `ready` condition, which consumers
/// also read as `serving`.
pub fn mirrored_slices(
    endpoints: &Endpoints,
    pods: &[PodState],
    node_of: &dyn Fn(&str) -> Option<NodeId>,
) -> Vec<EndpointSliceState> {
    let meta = &endpoints.meta;
    let mut labels = meta.labels.clone();
    labels.insert(SERVICE_NAME_LABEL.to_string(), meta.name.clone());
    labels.insert(MANAGED_BY_LABEL.to_string(), MIRRORING_CONTROLLER_NAME.to_string());
    let annotations: Labels = meta
        .annotations
        .iter()
        .filter(|(k, _)| !UNMIRRORED_ANNOTATIONS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    type Group<'e> = ((AddressType, &'e [EndpointPort]), Vec<Endpoint>);
    let mut groups: Vec<Group<'_>> = Vec::new();
    for (addresses, ports) in &endpoints.subsets {
        for address in addresses {
            let family = if address.ip.is_ipv6() { AddressType::IPv6 } else { AddressType::IPv4 };
            let key = (family, ports.as_slice());
            let mut endpoint = endpoint_of(address, pods, node_of);
            endpoint.serving = endpoint.ready;
            endpoint.terminating = false;
            match groups.iter_mut().find(|(k, _)| *k == key) {
                Some((_, list)) => list.push(endpoint),
                None => groups.push((key, vec![endpoint])),
            }
        }
    }
    groups
        .into_iter()
        .enumerate()
        .map(|(i, ((address_type, ports), endpoints))| EndpointSliceState {
            name: format!(
                "{}-{}",
                meta.name,
                random_suffix_of(format_args!("mirror/{}/{}/{}", meta.namespace, meta.name, i))
            ),
            namespace: meta.namespace.clone(),
            service: Some(meta.name.clone()),
            origin: SliceOrigin::Mirrored,
            address_type,
            labels: labels.clone(),
            annotations: annotations.clone(),
            ports: ports.to_vec(),
            endpoints,
        })
        .collect()
}

/// Every distinct endpoint address across `slices`, sorted by address; an address listed in
/// several slices is ready if any slice says so.
pub fn flatten(slices: &[&EndpointSliceState]) -> Vec<Endpoint> {
    let mut by_ip: BTreeMap<IpAddr, Endpoint> = BTreeMap::new();
    for e in slices.iter().flat_map(|s| s.endpoints.iter()) {
        by_ip.entry(e.ip).and_modify(|known| known.ready |= e.ready).or_insert_with(|| e.clone());
    }
    by_ip.into_values().collect()
}

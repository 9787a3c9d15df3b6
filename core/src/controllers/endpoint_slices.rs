//! The EndpointSlice controller, and mirroring of hand-written Endpoints.
//!
//! For a Service with a selector: the endpoints are the pods in the Service's namespace whose
//! labels carry every selector pair (AND), that have an IP (are scheduled). Readiness is the
//! pod's. Each Service port's targetPort is resolved per pod — a number as is, a name against
//! the pod's container ports of the same protocol — and a pod whose containers lack the name
//! simply does not serve that port. Pods are grouped by the ports they serve, one slice per
//! group, named `<service>-<suffix>`. A Service without a selector gets no managed slices: it
//! is served by the EndpointSlices the learner writes (labelled `kubernetes.io/service-name`)
//! and by the slices mirrored from an Endpoints object of the same name.
//! ExternalName Services have no endpoints.

use super::naming::random_suffix;
use crate::api::endpoints::{EndpointAddress, EndpointPort, EndpointSlice, Endpoints, SERVICE_NAME_LABEL};
use crate::api::service::{Service, ServiceType, TargetPort};
use crate::cluster::{Endpoint, EndpointSliceState, NodeId, PodId, PodState};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// The slices the controller computes for a Service with a selector.
pub fn managed_slices(service: &Service, pods: &[PodState]) -> Vec<EndpointSliceState> {
    let Some(selector) = &service.spec.selector else { return Vec::new() };
    if service.spec.type_ == ServiceType::ExternalName {
        return Vec::new();
    }
    let mut groups: BTreeMap<Vec<EndpointPort>, Vec<Endpoint>> = BTreeMap::new();
    for (i, pod) in pods.iter().enumerate() {
        let meta = &pod.pod.meta;
        if meta.namespace != service.meta.namespace || !selector.iter().all(|(k, v)| meta.labels.get(k) == Some(v)) {
            continue;
        }
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
        groups.entry(ports).or_default().push(Endpoint {
            pod: Some(PodId(i as u32)),
            ip,
            node: pod.node,
            ready: pod.pod.ready,
            hostname: pod.pod.spec.hostname.clone().filter(|_| pod.pod.spec.subdomain.as_deref() == Some(&service.meta.name)),
        });
    }
    groups
        .into_iter()
        .enumerate()
        .map(|(i, (ports, mut endpoints))| {
            endpoints.sort_by_key(|e| e.ip);
            EndpointSliceState {
                name: format!("{}-{}", service.meta.name, random_suffix(&format!("{}/{}/{}", service.meta.namespace, service.meta.name, i))),
                namespace: service.meta.namespace.clone(),
                service: service.meta.name.clone(),
                ports,
                endpoints,
                user_written: false,
            }
        })
        .collect()
}

fn endpoint_of(address: &EndpointAddress, pods: &[PodState], node_of: &dyn Fn(&str) -> Option<NodeId>) -> Endpoint {
    let pod = pods.iter().position(|p| p.ip == Some(address.ip) && !p.pod.spec.host_network).map(|i| PodId(i as u32));
    Endpoint {
        pod,
        ip: address.ip,
        node: address.node_name.as_deref().and_then(node_of).or_else(|| pod.and_then(|id| pods[id.0 as usize].node)),
        ready: address.ready,
        hostname: address.hostname.clone(),
    }
}

/// A slice the learner wrote, tied to its Service by the `kubernetes.io/service-name` label.
pub fn user_slice(slice: &EndpointSlice, pods: &[PodState], node_of: &dyn Fn(&str) -> Option<NodeId>) -> Option<EndpointSliceState> {
    let service = slice.meta.labels.get(SERVICE_NAME_LABEL)?;
    Some(EndpointSliceState {
        name: slice.meta.name.clone(),
        namespace: slice.meta.namespace.clone(),
        service: service.clone(),
        ports: slice.ports.clone(),
        endpoints: slice.endpoints.iter().map(|a| endpoint_of(a, pods, node_of)).collect(),
        user_written: true,
    })
}

/// The slices the EndpointSlice mirroring controller makes from a hand-written Endpoints object
/// (one per subset), named `<endpoints>-<suffix>`.
pub fn mirrored_slices(endpoints: &Endpoints, pods: &[PodState], node_of: &dyn Fn(&str) -> Option<NodeId>) -> Vec<EndpointSliceState> {
    endpoints
        .subsets
        .iter()
        .enumerate()
        .map(|(i, (addresses, ports))| EndpointSliceState {
            name: format!("{}-{}", endpoints.meta.name, random_suffix(&format!("mirror/{}/{}/{}", endpoints.meta.namespace, endpoints.meta.name, i))),
            namespace: endpoints.meta.namespace.clone(),
            service: endpoints.meta.name.clone(),
            ports: ports.clone(),
            endpoints: addresses.iter().map(|a| endpoint_of(a, pods, node_of)).collect(),
            user_written: true,
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

//! The Endpoints controller, and the `v1` Endpoints objects a cluster holds.
//!
//! `kubectl get endpoints` lists three kinds of object:
//! - For every Service with a selector (not ExternalName), the Endpoints controller
//!   (kubernetes/kubernetes `pkg/controller/endpoint/endpoints_controller.go`, `syncService`)
//!   keeps an object of the same name, present even when no pod matches: the matching pods with
//!   an IP, each serving the Service ports its containers resolve, in `addresses` when ready (or
//!   when the Service sets `publishNotReadyAddresses`) and in `notReadyAddresses` otherwise. A
//!   headless Service without ports lists its pods without ports; any other Service without
//!   ports gets no subsets. Its labels are the Service's, plus
//!   `endpoints.kubernetes.io/managed-by: endpoint-controller` (Kubernetes 1.33) and, for a
//!   headless Service, `service.kubernetes.io/headless`. The controller overwrites an Endpoints
//!   object the learner wrote under that name (keeping its annotations).
//! - `default/kubernetes`, which the API server maintains (see `system`).
//! - Every other Endpoints object the learner wrote, as written.
//!
//! The API server canonicalizes every Endpoints object it stores (`RepackSubsets`, then
//! `SortSubsets`, `pkg/api/v1/endpoints/util.go`): addresses are grouped by the exact set of
//! ports they serve, a ready listing wins over a not-ready one, and addresses sort by IP as
//! text. Upstream also orders ports and subsets by a hash of their contents; here they keep the
//! Service's port order. Not modeled: the `endpoints.kubernetes.io/last-change-trigger-time`
//! annotation (the model has no clock) and truncation past 1000 addresses (a cluster of the
//! model holds fewer pods).

use super::endpoint_slices::{endpoint_of, is_headless, HEADLESS_LABEL};
use crate::api::endpoints::{EndpointPort, Endpoints};
use crate::api::service::Service;
use crate::api::Labels;
use crate::cluster::{Endpoint, EndpointSliceState, EndpointSubset, EndpointsOrigin, EndpointsState, NodeId, PodState};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// The label the Endpoints controller puts on the objects it manages.
pub const ENDPOINTS_MANAGED_BY_LABEL: &str = "endpoints.kubernetes.io/managed-by";
/// The Endpoints controller's name, in [`ENDPOINTS_MANAGED_BY_LABEL`].
pub const ENDPOINT_CONTROLLER_NAME: &str = "endpoint-controller";

/// `RepackSubsets` then `SortSubsets`: groups `(address, ports)` listings into subsets of
/// addresses that serve exactly the same ports. A listing without ports keeps its addresses in
/// a subset without ports.
pub fn repack<'a>(listings: impl Iterator<Item = (&'a Endpoint, &'a [EndpointPort])>) -> Vec<EndpointSubset> {
    // Each port (None: the no-ports sentinel), in first-seen order, with its addresses.
    let mut by_port: Vec<(Option<&EndpointPort>, BTreeMap<IpAddr, Endpoint>)> = Vec::new();
    for (endpoint, ports) in listings {
        let keys = ports.is_empty().then_some(None).into_iter().chain(ports.iter().map(Some));
        for key in keys {
            let index = match by_port.iter().position(|(k, _)| *k == key) {
                Some(i) => i,
                None => {
                    by_port.push((key, BTreeMap::new()));
                    by_port.len() - 1
                }
            };
            by_port[index]
                .1
                .entry(endpoint.ip)
                .and_modify(|known| known.ready |= endpoint.ready)
                .or_insert_with(|| endpoint.clone());
        }
    }
    // Ports whose address sets are equal share a subset.
    let mut subsets: Vec<(BTreeMap<IpAddr, Endpoint>, Vec<EndpointPort>)> = Vec::new();
    for (port, addresses) in by_port {
        let index = match subsets.iter().position(|(known, _)| *known == addresses) {
            Some(i) => i,
            None => {
                subsets.push((addresses, Vec::new()));
                subsets.len() - 1
            }
        };
        subsets[index].1.extend(port.cloned());
    }
    subsets
        .into_iter()
        .map(|(addresses, ports)| {
            let (mut ready, mut not_ready): (Vec<Endpoint>, Vec<Endpoint>) =
                addresses.into_values().partition(|e| e.ready);
            ready.sort_by_cached_key(|e| e.ip.to_string());
            not_ready.sort_by_cached_key(|e| e.ip.to_string());
            EndpointSubset { addresses: ready, not_ready_addresses: not_ready, ports }
        })
        .collect()
}

/// The Endpoints object the controller keeps for a Service with a selector, from the
/// Service's managed slices; `written` is an object the learner declared under the same name.
pub fn managed_endpoints(
    service: &Service,
    slices: &[&EndpointSliceState],
    written: Option<&Endpoints>,
) -> EndpointsState {
    let headless_without_ports = service.spec.ports.is_empty() && is_headless(service);
    let listings = slices
        .iter()
        .filter(|s| !s.ports.is_empty() || headless_without_ports)
        .flat_map(|s| s.endpoints.iter().map(move |e| (e, s.ports.as_slice())));
    let mut labels: Labels = service.meta.labels.clone();
    labels.insert(ENDPOINTS_MANAGED_BY_LABEL.to_string(), ENDPOINT_CONTROLLER_NAME.to_string());
    if is_headless(service) {
        labels.insert(HEADLESS_LABEL.to_string(), String::new());
    } else {
        labels.remove(HEADLESS_LABEL);
    }
    EndpointsState {
        name: service.meta.name.clone(),
        namespace: service.meta.namespace.clone(),
        origin: EndpointsOrigin::Managed,
        labels,
        annotations: written.map(|w| w.meta.annotations.clone()).unwrap_or_default(),
        subsets: repack(listings),
    }
}

/// An Endpoints object the learner wrote, as the API server stores it.
pub fn written_endpoints(
    endpoints: &Endpoints,
    pods: &[PodState],
    node_of: &dyn Fn(&str) -> Option<NodeId>,
) -> EndpointsState {
    let listings: Vec<(Endpoint, &[EndpointPort])> = endpoints
        .subsets
        .iter()
        .flat_map(|(addresses, ports)| addresses.iter().map(move |a| (endpoint_of(a, pods, node_of), ports.as_slice())))
        .collect();
    EndpointsState {
        name: endpoints.meta.name.clone(),
        namespace: endpoints.meta.namespace.clone(),
        origin: EndpointsOrigin::Written,
        labels: endpoints.meta.labels.clone(),
        annotations: endpoints.meta.annotations.clone(),
        subsets: repack(listings.iter().map(|(e, ports)| (e, *ports))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Protocol;

    fn endpoint(ip: &str, ready: bool) -> Endpoint {
        Endpoint {
            pod: None,
            ip: ip.parse().expect("test IP"),
            node: None,
            node_name: None,
            ready,
            serving: ready,
            terminating: false,
            hostname: None,
        }
    }

    fn port(name: &str, number: u16) -> EndpointPort {
        EndpointPort { name: Some(name.into()), port: number, protocol: Protocol::TCP }
    }

    #[test]
    fn repack_subsets_groups_addresses_by_the_exact_ports_they_serve() {
        // RepackSubsets maps each port to its addresses, then each address set to its ports. A
        // pod lacking the named `metrics` port serves only `http`: `http` has both addresses,
        // `metrics` one, so they are two subsets.
        let a = endpoint("10.244.1.2", true);
        let b = endpoint("10.244.2.2", true);
        let both = [port("http", 8080), port("metrics", 9090)];
        let http = [port("http", 8080)];
        let subsets = repack([(&a, &both[..]), (&b, &http[..])].into_iter());
        let shape: Vec<(Vec<String>, Vec<u16>)> = subsets
            .iter()
            .map(|s| (s.addresses.iter().map(|e| e.ip.to_string()).collect(), s.ports.iter().map(|p| p.port).collect()))
            .collect();
        assert_eq!(
            shape,
            [
                (vec!["10.244.1.2".to_string(), "10.244.2.2".to_string()], vec![8080]),
                (vec!["10.244.1.2".to_string()], vec![9090])
            ]
        );
    }

    #[test]
    fn sort_subsets_orders_addresses_as_text_and_a_ready_listing_wins() {
        // SortSubsets compares IPs as strings (LessEndpointAddress); mapAddressesByPort lets a
        // ready listing override a not-ready one.
        let ten = endpoint("10.0.0.10", false);
        let two = endpoint("10.0.0.2", false);
        let two_ready = endpoint("10.0.0.2", true);
        let ports = [port("http", 80)];
        let subsets = repack([(&two, &ports[..]), (&ten, &ports[..]), (&two_ready, &ports[..])].into_iter());
        assert_eq!(subsets.len(), 1);
        assert_eq!(subsets[0].addresses.iter().map(|e| e.ip.to_string()).collect::<Vec<_>>(), ["10.0.0.2"]);
        assert_eq!(subsets[0].not_ready_addresses.iter().map(|e| e.ip.to_string()).collect::<Vec<_>>(), ["10.0.0.10"]);
        let unready = [(&ten, &ports[..]), (&two, &ports[..])];
        let subsets = repack(unready.into_iter());
        assert_eq!(
            subsets[0].not_ready_addresses.iter().map(|e| e.ip.to_string()).collect::<Vec<_>>(),
            ["10.0.0.10", "10.0.0.2"]
        );
    }
}

//! The `v1` Endpoints objects a cluster would hold, derived from its EndpointSlices.
//!
//! The model computes EndpointSlices only; `kubectl get endpoints` needs the older objects. They
//! are what the Endpoints controller and the API server would write: one per Service with a
//! selector (named like it, built from the Service's selector-managed slices, present even when
//! empty), one for `default/kubernetes`, and one per set of hand-written or mirrored slices of a
//! Service without a selector. Each subset pairs a port set with its ready `addresses` and
//! `notReadyAddresses`; as in `endpoints.RepackSubsets`, slices with equal ports share a subset,
//! and as in `SortSubsets` addresses are sorted by IP *as text* (`LessEndpointAddress`).
//! Upstream also sorts ports and subsets by a hash of their contents; here they keep the
//! Service's port order.

use crate::api::endpoints::EndpointPort;
use crate::api::service::ClusterIpSpec;
use crate::api::Labels;
use crate::cluster::{Cluster, Endpoint, EndpointSliceState};
use std::collections::BTreeSet;

/// One Endpoints object.
pub(crate) struct LegacyEndpoints<'a> {
    pub namespace: &'a str,
    /// The Service's name, which an Endpoints object shares.
    pub name: &'a str,
    /// The Service's labels (plus the headless label), as the Endpoints controller copies them.
    pub labels: Labels,
    pub subsets: Vec<Subset<'a>>,
}

/// One `subsets[]` entry.
pub(crate) struct Subset<'a> {
    /// `addresses`: the ready endpoints, sorted by IP as text.
    pub ready: Vec<&'a Endpoint>,
    /// `notReadyAddresses`, sorted likewise.
    pub not_ready: Vec<&'a Endpoint>,
    /// The ports every address of the subset serves; empty for a headless Service without ports.
    pub ports: &'a [EndpointPort],
}

/// The label the Endpoints and EndpointSlice controllers put on a headless Service's objects.
pub(crate) const HEADLESS_LABEL: &str = "service.kubernetes.io/headless";

/// Every Endpoints object of `cluster`, sorted by namespace and name.
pub(crate) fn legacy_endpoints(cluster: &Cluster) -> Vec<LegacyEndpoints<'_>> {
    let mut out = Vec::new();
    let mut covered = BTreeSet::new();
    for s in cluster.services.iter().filter(|s| s.service.spec.selector.is_some()) {
        let meta = &s.service.meta;
        covered.insert((meta.namespace.as_str(), meta.name.as_str()));
        let mut labels = meta.labels.clone();
        if s.service.spec.cluster_ip == ClusterIpSpec::Headless {
            labels.insert(HEADLESS_LABEL.to_string(), String::new());
        }
        let slices = s.slices.iter().map(|i| &cluster.endpoint_slices[*i]).filter(|slice| !slice.user_written);
        out.push(LegacyEndpoints { namespace: &meta.namespace, name: &meta.name, labels, subsets: subsets(slices) });
    }
    let others: BTreeSet<(&str, &str)> = cluster
        .endpoint_slices
        .iter()
        .map(|slice| (slice.namespace.as_str(), slice.service.as_str()))
        .filter(|key| !covered.contains(key))
        .collect();
    for (namespace, name) in others {
        let slices = cluster.endpoint_slices.iter().filter(|s| s.namespace == namespace && s.service == name);
        let mut labels = Labels::new();
        if cluster.service(namespace, name).is_some_and(|s| s.system) {
            // The API server's own Endpoints carry this label so the mirroring controller skips them.
            labels.insert("endpointslice.kubernetes.io/skip-mirror".to_string(), "true".to_string());
        }
        out.push(LegacyEndpoints { namespace, name, labels, subsets: subsets(slices) });
    }
    out.sort_by(|a, b| (a.namespace, a.name).cmp(&(b.namespace, b.name)));
    out
}

fn subsets<'a>(slices: impl Iterator<Item = &'a EndpointSliceState>) -> Vec<Subset<'a>> {
    let mut out: Vec<Subset<'a>> = Vec::new();
    for slice in slices.filter(|s| !s.endpoints.is_empty()) {
        let index = match out.iter().position(|s| s.ports == slice.ports.as_slice()) {
            Some(i) => i,
            None => {
                out.push(Subset { ready: Vec::new(), not_ready: Vec::new(), ports: &slice.ports });
                out.len() - 1
            }
        };
        let subset = &mut out[index];
        for e in &slice.endpoints {
            let known = subset.ready.iter().chain(&subset.not_ready).any(|k| k.ip == e.ip);
            if !known {
                if e.ready {
                    subset.ready.push(e)
                } else {
                    subset.not_ready.push(e)
                }
            }
        }
    }
    for subset in &mut out {
        subset.ready.sort_by_key(|e| e.ip.to_string());
        subset.not_ready.sort_by_key(|e| e.ip.to_string());
    }
    out
}

impl LegacyEndpoints<'_> {
    /// printers.go's `formatEndpoints`: ready `ip:port` pairs (bare IPs for a subset without
    /// ports), subset by subset and port by port, at most three then ` + N more...`; `<none>`
    /// without subsets, and an empty cell when no address is ready.
    pub(crate) fn column(&self) -> String {
        if self.subsets.is_empty() {
            return "<none>".to_string();
        }
        const MAX: usize = 3;
        let mut list = Vec::new();
        let mut count = 0;
        for subset in &self.subsets {
            let ports: Vec<Option<u16>> =
                if subset.ports.is_empty() { vec![None] } else { subset.ports.iter().map(|p| Some(p.port)).collect() };
            for port in ports {
                count += subset.ready.len();
                for e in &subset.ready {
                    if list.len() == MAX {
                        break;
                    }
                    list.push(match port {
                        Some(port) => std::net::SocketAddr::new(e.ip, port).to_string(),
                        None => e.ip.to_string(),
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
}

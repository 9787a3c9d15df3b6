//! The matching rules of a NetworkPolicy, shared by the per-connection engine (`decide`) and
//! the compiled matrix (`PolicyIndex`) so both read the API the same way.
//!
//! From the API reference (`networking.k8s.io/v1`, NetworkPolicyPeer and NetworkPolicyPort) and
//! kubernetes.io "Network Policies", "Behavior of to and from selectors":
//! - `podSelector` alone selects pods of the policy's own namespace; `namespaceSelector` alone
//!   every pod of the matching namespaces; both in one element, the matching pods of the
//!   matching namespaces. `{}` matches everything. Only pods on the pod network are selected.
//! - `ipBlock` matches an address in `cidr` and in none of `except`. What it does with pod
//!   addresses is left to the plugin: Calico and kindnet (kube-network-policies) match any
//!   address, so an `ipBlock` covering a pod or node admits it, as the upstream e2e test
//!   "should allow egress access to server in CIDR block" expects; Cilium first sorts traffic
//!   into in-cluster identities and the outside world, and matches `ipBlock`s against the outside
//!   only (cilium/cilium#9209, "ipBlock set with a pod IP" in its Kubernetes compatibility list).
//! - A port entry matches its protocol (TCP unless written) and its number, range
//!   `port`..=`endPort`, or name; no `port` means every port of the protocol. A name is
//!   resolved on the destination pod's container ports (the selected pod's for ingress, the
//!   peer's for egress), so it can only match traffic to a pod.

use super::decision::{PeerMiss, PortMiss};
use crate::api::cluster_config::CniPlugin;
use crate::api::network_policy::{IpBlock, PolicyPort, PolicyPortValue};
use crate::api::pod::ContainerPort;
use crate::api::{LabelSelector, Labels, Protocol};
use std::net::IpAddr;

/// Whether the plugin enforces NetworkPolicy at all. Flannel has no policy engine.
pub fn enforces(cni: CniPlugin) -> bool {
    !matches!(cni, CniPlugin::Flannel)
}

/// Whether the plugin matches `ipBlock`s against pod and node addresses (not only outside ones).
pub fn ip_block_matches_cluster_addresses(cni: CniPlugin) -> bool {
    !matches!(cni, CniPlugin::Cilium)
}

/// Whether a `from`/`to` element's namespace part admits the namespace `namespace` (labelled
/// `labels`): its `namespaceSelector`, or with none the policy's own namespace.
pub(crate) fn namespace_admitted(
    namespace_selector: Option<&LabelSelector>,
    policy_namespace: &str,
    namespace: &str,
    labels: &Labels,
) -> bool {
    match namespace_selector {
        Some(selector) => selector.matches(labels),
        None => namespace == policy_namespace,
    }
}

/// Whether the element's pod part admits a pod labelled `labels` (no `podSelector`: any pod).
pub(crate) fn pod_admitted(pod_selector: Option<&LabelSelector>, labels: &Labels) -> bool {
    pod_selector.is_none_or(|s| s.matches(labels))
}

/// A pod selector element (`podSelector` and/or `namespaceSelector`) against a pod on the pod
/// network in `namespace` (labelled `namespace_labels`) with `pod_labels`.
pub(crate) fn match_pods_peer(
    pod_selector: Option<&LabelSelector>,
    namespace_selector: Option<&LabelSelector>,
    policy_namespace: &str,
    namespace: &str,
    namespace_labels: &Labels,
    pod_labels: &Labels,
) -> Result<(), PeerMiss> {
    let labels_match = pod_admitted(pod_selector, pod_labels);
    if !namespace_admitted(namespace_selector, policy_namespace, namespace, namespace_labels) {
        return Err(match namespace_selector {
            Some(_) => PeerMiss::NamespaceNotSelected { labels_match: labels_match && pod_selector.is_some() },
            None => PeerMiss::OtherNamespace { labels_match },
        });
    }
    if labels_match {
        Ok(())
    } else {
        Err(PeerMiss::PodNotSelected)
    }
}

/// An `ipBlock` element against an address (`None` for a Pending pod); `in_cluster` says the
/// address is a pod's or a node's.
pub(crate) fn match_ip_block(
    block: &IpBlock,
    ip: Option<IpAddr>,
    in_cluster: bool,
    cni: CniPlugin,
) -> Result<(), PeerMiss> {
    let ip = ip.ok_or(PeerMiss::NoAddress)?;
    if !block.cidr.contains(&ip) {
        return Err(PeerMiss::OutsideCidr);
    }
    if let Some(index) = block.except.iter().position(|e| e.contains(&ip)) {
        return Err(PeerMiss::Excepted { index });
    }
    if in_cluster && !ip_block_matches_cluster_addresses(cni) {
        return Err(PeerMiss::ClusterAddress);
    }
    Ok(())
}

/// A `ports[]` entry against the connection's destination `port`/`protocol`; `destination`
/// holds the destination pod's container ports, `None` when it is not a pod on the pod network.
pub(crate) fn match_port(
    entry: &PolicyPort,
    port: u16,
    protocol: Protocol,
    destination: Option<&[ContainerPort]>,
) -> Result<(), PortMiss> {
    if entry.protocol != protocol {
        return Err(PortMiss::Protocol);
    }
    match &entry.port {
        None => Ok(()),
        Some(PolicyPortValue::Number { port: first, end_port }) => {
            if (*first..=end_port.unwrap_or(*first)).contains(&port) {
                Ok(())
            } else {
                Err(PortMiss::Number)
            }
        }
        Some(PolicyPortValue::Named(name)) => {
            let ports = destination.ok_or(PortMiss::NamedNotAPod)?;
            let named: Vec<u16> = ports
                .iter()
                .filter(|p| p.name.as_deref() == Some(name.as_str()) && p.protocol == protocol)
                .map(|p| p.container_port)
                .collect();
            match named.first() {
                None => Err(PortMiss::NamedMissing),
                Some(_) if named.contains(&port) => Ok(()),
                Some(&number) => Err(PortMiss::NamedElsewhere { number }),
            }
        }
    }
}

//! Nodes from the cluster config: names as kind gives them, addresses, pod CIDRs.
//!
//! kind names nodes `<cluster>-control-plane`, `<cluster>-control-plane2`…, `<cluster>-worker`,
//! `<cluster>-worker2`… The node IPs come from the node network in config order starting at
//! `.2` (kind's docker network hands out `.2`, `.3`… with `.1` the gateway). Each node gets a
//! /24 of the pod subnet in config order, as kube-controller-manager's range allocator does
//! with its default `--node-cidr-mask-size=24`.
//!
//! kubeadm taints control-plane nodes `node-role.kubernetes.io/control-plane:NoSchedule`; kind
//! removes that taint only from a one-node cluster, so that workloads can run at all (kind
//! `pkg/cluster/internal/create/actions/kubeadminit/init.go`: "if we are only provisioning one
//! node, remove the control plane taint"). Several control-plane nodes without workers keep it.
//! Every node is Ready.

use crate::api::cluster_config::{ClusterConfig, NodeRole};
use crate::cluster::{NodeState, Taint, CONTROL_PLANE_TAINT_KEY};
use ipnet::Ipv4Net;
use std::net::Ipv4Addr;

/// The per-node pod CIDR prefix length (kube-controller-manager's IPv4 default).
pub const NODE_CIDR_PREFIX: u8 = 24;

/// Why the nodes of a config cannot be built.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodesError {
    /// The pod subnet has fewer /24s than there are nodes.
    PodSubnetTooSmall { subnet: Ipv4Net, nodes: usize },
    /// The node network has fewer addresses than there are nodes.
    NodeSubnetTooSmall { subnet: Ipv4Net, nodes: usize },
}

/// The nodes of `config`, in config order.
pub fn build_nodes(config: &ClusterConfig) -> Result<Vec<NodeState>, NodesError> {
    let count = config.nodes.len();
    let pod_cidrs: Vec<Ipv4Net> = config
        .pod_subnet
        .subnets(NODE_CIDR_PREFIX.max(config.pod_subnet.prefix_len()))
        .map(|it| it.take(count).collect())
        .unwrap_or_default();
    if config.pod_subnet.prefix_len() > NODE_CIDR_PREFIX || pod_cidrs.len() < count {
        return Err(NodesError::PodSubnetTooSmall { subnet: config.pod_subnet, nodes: count });
    }
    let first_host = u32::from(config.node_subnet.network()) + 2;
    let node_ip = |i: usize| {
        let ip = Ipv4Addr::from(first_host + i as u32);
        (config.node_subnet.contains(&ip) && ip != config.node_subnet.broadcast()).then_some(ip)
    };
    let single_node = count == 1;
    let mut control_planes = 0;
    let mut workers = 0;
    let mut nodes = Vec::with_capacity(count);
    for (i, (node, pod_cidr)) in config.nodes.iter().zip(pod_cidrs).enumerate() {
        let ordinal = match node.role {
            NodeRole::ControlPlane => {
                control_planes += 1;
                control_planes
            }
            NodeRole::Worker => {
                workers += 1;
                workers
            }
        };
        let suffix = if ordinal == 1 { String::new() } else { ordinal.to_string() };
        let name = format!("{}-{}{}", config.name, node.role.as_str(), suffix);
        let internal_ip =
            node_ip(i).ok_or(NodesError::NodeSubnetTooSmall { subnet: config.node_subnet, nodes: count })?;
        let mut labels = node.labels.clone();
        labels.insert("kubernetes.io/arch".into(), "amd64".into());
        labels.insert("kubernetes.io/hostname".into(), name.clone());
        labels.insert("kubernetes.io/os".into(), "linux".into());
        if node.role == NodeRole::ControlPlane {
            labels.insert("node-role.kubernetes.io/control-plane".into(), String::new());
        }
        let taints = if node.role == NodeRole::ControlPlane && !single_node {
            vec![Taint::no_schedule(CONTROL_PLANE_TAINT_KEY)]
        } else {
            Vec::new()
        };
        nodes.push(NodeState { name, role: node.role, labels, internal_ip, pod_cidr, taints });
    }
    Ok(nodes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_cluster_has_kind_node_names_ips_and_per_node_pod_cidrs() {
        let nodes = build_nodes(&ClusterConfig::default()).expect("default config builds");
        let summary: Vec<String> =
            nodes.iter().map(|n| format!("{} {} {}", n.name, n.internal_ip, n.pod_cidr)).collect();
        assert_eq!(
            summary,
            [
                "kubeplay-control-plane 172.18.0.2 10.244.0.0/24",
                "kubeplay-worker 172.18.0.3 10.244.1.0/24",
                "kubeplay-worker2 172.18.0.4 10.244.2.0/24",
            ]
        );
        assert_eq!(nodes[0].labels.get("node-role.kubernetes.io/control-plane").map(String::as_str), Some(""));
        assert!(!nodes[1].labels.contains_key("node-role.kubernetes.io/control-plane"));
    }

    #[test]
    fn control_plane_nodes_are_tainted_no_schedule_unless_the_cluster_is_one_node() {
        // kubeadm taints the control plane; kind untaints it only in a one-node cluster.
        let nodes = build_nodes(&ClusterConfig::default()).expect("default config builds");
        assert_eq!(nodes[0].taints, [Taint::no_schedule(CONTROL_PLANE_TAINT_KEY)]);
        assert!(nodes[1].taints.is_empty() && nodes[2].taints.is_empty());
        let mut config = ClusterConfig::default();
        config.nodes.retain(|n| n.role == NodeRole::ControlPlane);
        let nodes = build_nodes(&config).expect("one node builds");
        assert!(nodes[0].taints.is_empty());
        let control_plane = config.nodes[0].clone();
        config.nodes.push(control_plane);
        let nodes = build_nodes(&config).expect("two control planes build");
        assert!(nodes.iter().all(|n| n.taints == [Taint::no_schedule(CONTROL_PLANE_TAINT_KEY)]));
    }

    #[test]
    fn a_pod_subnet_smaller_than_one_24_per_node_is_rejected() {
        let config = ClusterConfig { pod_subnet: "10.244.0.0/23".parse().expect("cidr"), ..Default::default() };
        assert_eq!(build_nodes(&config), Err(NodesError::PodSubnetTooSmall { subnet: config.pod_subnet, nodes: 3 }));
    }
}

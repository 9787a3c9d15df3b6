//! The cluster's topology, declared in kind's cluster configuration format
//! (`kind: Cluster`, `apiVersion: kind.x-k8s.io/v1alpha4`) plus a separate `kubeplay:` block
//! for what kind leaves to the environment (the CNI plugin, a LoadBalancer provider).

use ipnet::{IpNet, Ipv4Net};
use std::net::Ipv4Addr;

/// A node's role in kind's config.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NodeRole {
    ControlPlane,
    Worker,
}

impl NodeRole {
    /// The role as written in kind's config.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeRole::ControlPlane => "control-plane",
            NodeRole::Worker => "worker",
        }
    }
}

/// One `nodes[]` entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NodeConfig {
    pub role: NodeRole,
    pub labels: super::Labels,
}

/// kube-proxy's mode (`networking.kubeProxyMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum KubeProxyMode {
    #[default]
    Iptables,
    Nftables,
    Ipvs,
    /// No kube-proxy (e.g. Cilium's kube-proxy replacement).
    None,
}

impl KubeProxyMode {
    /// The mode as written in kind's config.
    pub fn as_str(self) -> &'static str {
        match self {
            KubeProxyMode::Iptables => "iptables",
            KubeProxyMode::Nftables => "nftables",
            KubeProxyMode::Ipvs => "ipvs",
            KubeProxyMode::None => "none",
        }
    }
}

/// The CNI plugin (`kubeplay.cni`): it decides the pod-to-pod path and whether
/// NetworkPolicies are enforced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum CniPlugin {
    /// Routed (BGP) without encapsulation; enforces NetworkPolicy.
    #[default]
    Calico,
    /// eBPF datapath; enforces NetworkPolicy.
    Cilium,
    /// VXLAN overlay; does not enforce NetworkPolicy.
    Flannel,
    /// kind's default: routes between nodes; enforces NetworkPolicy since kindnet v1.
    Kindnet,
}

impl CniPlugin {
    /// Every plugin, in the order they are listed in errors.
    pub const ALL: [CniPlugin; 4] = [CniPlugin::Calico, CniPlugin::Cilium, CniPlugin::Flannel, CniPlugin::Kindnet];

    /// The plugin as written in the `kubeplay:` block.
    pub fn as_str(self) -> &'static str {
        match self {
            CniPlugin::Calico => "calico",
            CniPlugin::Cilium => "cilium",
            CniPlugin::Flannel => "flannel",
            CniPlugin::Kindnet => "kindnet",
        }
    }
}

/// Who gives LoadBalancer Services an address (`kubeplay.loadBalancer`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LoadBalancerProvider {
    /// Nothing: LoadBalancer Services stay `<pending>`, as on a bare cluster.
    None,
    /// An address pool handed out in order, like MetalLB's IPAddressPool.
    Pool { first: Ipv4Addr, last: Ipv4Addr },
}

/// The most nodes a cluster may have: Kubernetes' largest supported cluster ("Considerations
/// for large clusters": no more than 5,000 nodes). kind itself sets no limit.
pub const MAX_NODES: usize = 5000;

/// The whole topology the model simulates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterConfig {
    /// kind's `name`: node names are `<name>-control-plane`, `<name>-worker`, `<name>-worker2`…
    pub name: String,
    pub nodes: Vec<NodeConfig>,
    pub pod_subnet: Ipv4Net,
    pub service_subnet: Ipv4Net,
    pub kube_proxy_mode: KubeProxyMode,
    pub cni: CniPlugin,
    pub load_balancer: LoadBalancerProvider,
    /// The network the nodes' own addresses come from (kind's docker network).
    pub node_subnet: Ipv4Net,
    /// The DNS domain of the cluster (`cluster.local`).
    pub cluster_domain: String,
}

impl Default for ClusterConfig {
    /// kind's defaults plus the playground's: one control plane and two workers, calico, and a
    /// LoadBalancer pool so a Service of type LoadBalancer gets an address.
    fn default() -> Self {
        let net = |text: &str| text.parse::<Ipv4Net>().unwrap_or_else(|_| unreachable!("constant CIDR {text}"));
        ClusterConfig {
            name: "kubeplay".to_string(),
            nodes: vec![
                NodeConfig { role: NodeRole::ControlPlane, labels: Default::default() },
                NodeConfig { role: NodeRole::Worker, labels: Default::default() },
                NodeConfig { role: NodeRole::Worker, labels: Default::default() },
            ],
            pod_subnet: net("10.244.0.0/16"),
            service_subnet: net("10.96.0.0/12"),
            kube_proxy_mode: KubeProxyMode::Iptables,
            cni: CniPlugin::Calico,
            load_balancer: LoadBalancerProvider::Pool {
                first: Ipv4Addr::new(172, 18, 255, 200),
                last: Ipv4Addr::new(172, 18, 255, 250),
            },
            node_subnet: net("172.18.0.0/16"),
            cluster_domain: "cluster.local".to_string(),
        }
    }
}

impl ClusterConfig {
    /// The pod subnet as a general network, for containment checks.
    pub fn pod_net(&self) -> IpNet {
        IpNet::V4(self.pod_subnet)
    }

    /// The node network's gateway, its first address (kind's docker network gateway), which
    /// also runs the nodes' DNS resolver.
    pub fn node_gateway(&self) -> Option<std::net::Ipv4Addr> {
        self.node_subnet.hosts().next()
    }
}

//! The dataplane: what happens to one connection, hop by hop, as real Kubernetes networking
//! would move it: the CNI's path between pods and nodes, kube-proxy's NAT in iptables
//! semantics, NodePort and LoadBalancer, and the reply as conntrack reverses the NAT.
//!
//! [`Dataplane::new`] indexes a [`Cluster`] once (which address belongs to which pod, node or
//! Service, which nodePort to which Service port); [`Dataplane::trace`] then answers a
//! [`TraceRequest`] with a [`Trace`]: plain data that a front end plays back and that
//! [`render`] turns into words. The semantics and their sources:
//!
//! - The flat pod network: every pod reaches every pod without NAT; how a packet crosses nodes
//!   is the CNI plugin's business — calico routes it unencapsulated (BGP), kindnet by static
//!   routes, flannel and Cilium encapsulate it in VXLAN, Cilium's eBPF programs replace the
//!   routing table (<https://kubernetes.io/docs/concepts/cluster-administration/networking/>).
//! - Services: kube-proxy in iptables mode (`pkg/proxy/iptables/proxier.go`), see [`proxy`]:
//!   ClusterIP DNAT to one endpoint chosen at random with equal probability, or the same one
//!   for a client under `sessionAffinity: ClientIP`; REJECT when a port has no endpoint;
//!   `internalTrafficPolicy`/`externalTrafficPolicy: Local` with DROP when no local endpoint;
//!   NodePort on every node, masqueraded under `Cluster`, client address kept under `Local`
//!   (<https://kubernetes.io/docs/reference/networking/virtual-ips/>,
//!   <https://kubernetes.io/docs/tutorials/services/source-ip/>). With `kubeProxyMode: none`
//!   and Cilium, Cilium's eBPF service map does the same translation; with no proxy at all a
//!   Service address answers nothing.
//! - LoadBalancer: the load balancer filters clients by `loadBalancerSourceRanges`, health-checks
//!   nodes (under `Local` only nodes with a local endpoint pass) and forwards to a node's
//!   nodePort (<https://kubernetes.io/docs/concepts/services-networking/service/#loadbalancer>).
//! - ExternalName Services are DNS only; Services without selectors reach whatever endpoints
//!   the learner wrote, inside the cluster or not
//!   (<https://kubernetes.io/docs/concepts/services-networking/service/#externalname>).
//! - NetworkPolicy is checked at the source pod's egress once the destination is known (after
//!   DNAT) and at the destination pod's ingress, through a [`PolicyHook`]: by default the
//!   policy engine ([`crate::policy::TracePolicies`]).
//! - Names are resolved by the client's resolver through the DNS model ([`crate::dns`]), its
//!   queries being traces themselves; a `svc/NS/NAME` target takes the Service's address
//!   directly (its ClusterIP, or from outside its load balancer's), without DNS.
//!
//! Not modeled: IPv6, ICMP (ping), IPVS rule names (IPVS and nftables modes are traced with
//! iptables semantics and iptables rule lines), conntrack state across traces (a trace is one
//! new connection), the exact address MASQUERADE picks on bridge-based plugins (the model uses
//! the node's InternalIP), and processes in containers (a pod listens on its declared
//! `containerPort`s, or on anything when it declares none).

pub mod compare;
pub mod place;
pub mod proxy;
pub mod render;
mod types;
mod walk;

pub use types::*;

use crate::api::cluster_config::{CniPlugin, KubeProxyMode, NodeRole};
use crate::api::service::ServiceType;
use crate::api::Protocol;
use crate::cluster::{Cluster, LoadBalancerStatus, NodeId, PodId, ServiceId};
use crate::dns::{Dns, Name};
use crate::kube_proxy::{self, RuleSet, ServicePortInfo, TableName};
use std::cell::{OnceCell, RefCell};
use std::collections::BTreeMap;
use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;

/// Where a connection starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A pod (a hostNetwork pod sends from its node's stack).
    Pod(PodId),
    /// A process on a node.
    Node(NodeId),
    /// A client outside the cluster at this address.
    External(IpAddr),
}

/// Where a connection goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// A pod's IP.
    Pod(PodId),
    /// Any address: a pod, a ClusterIP, a node, a load balancer, a host outside.
    Ip(IpAddr),
    /// A Service's own address, without DNS (`svc/NS/NAME`): its ClusterIP, its load
    /// balancer's address from outside, a headless Service's endpoint.
    Service { id: ServiceId, name: String },
    /// A host name, resolved by the client's resolver through the cluster's DNS.
    Name(Name),
}

/// The documentation address an `external` client uses unless given one (RFC 5737 TEST-NET-3).
pub const DEFAULT_EXTERNAL_CLIENT: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 10));

/// One connection to trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TraceRequest {
    pub from: Source,
    pub to: Target,
    /// The destination port; defaults to the Service's first port, the pod's first declared
    /// container port, or 80.
    pub port: Option<u16>,
    pub protocol: Protocol,
    /// Picks every random choice (the source port, the endpoint, the load balancer's node).
    pub seed: u64,
}

/// Why a trace could not start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TraceError {
    /// No pod `namespace/name`.
    PodNotFound { namespace: String, name: String },
    /// No node of that name.
    NodeNotFound { name: String },
    /// The pod is Pending: it has no IP to send from or to.
    PodNotRunning { pod: String },
    /// Text that is not a valid host name.
    UnknownHost { name: String },
    /// `svc/NS/NAME` for a Service that does not exist.
    ServiceNotFound { namespace: String, name: String },
    /// Text that is no source (`ns/pod`, `node/NAME`, `external[:IP]`).
    BadSource { text: String },
}

impl fmt::Display for TraceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TraceError::PodNotFound { namespace, name } => {
                write!(f, "Error from server (NotFound): pods \"{name}\" not found in namespace \"{namespace}\"")
            }
            TraceError::NodeNotFound { name } => write!(f, "Error from server (NotFound): nodes \"{name}\" not found"),
            TraceError::PodNotRunning { pod } => write!(f, "error: pod {pod} is Pending: it has no IP address yet"),
            TraceError::UnknownHost { name } => write!(f, "error: could not resolve host: {name}"),
            TraceError::ServiceNotFound { namespace, name } => {
                write!(f, "Error from server (NotFound): services \"{name}\" not found in namespace \"{namespace}\"")
            }
            TraceError::BadSource { text } => {
                write!(f, "error: invalid source \"{text}\": expected NAMESPACE/POD, node/NAME or external[:IP]")
            }
        }
    }
}

impl Source {
    /// Parses `ns/pod` (or `pod` in `default`), `node/NAME`, `external` or `external:IP`.
    pub fn parse(cluster: &Cluster, text: &str) -> Result<Source, TraceError> {
        if text == "external" {
            return Ok(Source::External(DEFAULT_EXTERNAL_CLIENT));
        }
        if let Some(ip) = text.strip_prefix("external:") {
            return ip.parse().map(Source::External).map_err(|_| TraceError::BadSource { text: text.to_string() });
        }
        if let Some(name) = text.strip_prefix("node/") {
            return cluster
                .nodes
                .iter()
                .position(|n| n.name == name)
                .map(|i| Source::Node(NodeId(i as u16)))
                .ok_or_else(|| TraceError::NodeNotFound { name: name.to_string() });
        }
        find_pod(cluster, text).map(Source::Pod)
    }
}

fn find_pod(cluster: &Cluster, text: &str) -> Result<PodId, TraceError> {
    let (namespace, name) = text.split_once('/').unwrap_or(("default", text));
    cluster
        .find_pod(namespace, name)
        .ok_or_else(|| TraceError::PodNotFound { namespace: namespace.to_string(), name: name.to_string() })
}

impl Target {
    /// Parses `ns/pod`, `svc/NS/NAME`, an IP address, or a host name (resolved when traced, by
    /// the client's resolver: a short name from a pod goes through its namespace's search path).
    pub fn parse(cluster: &Cluster, text: &str) -> Result<Target, TraceError> {
        if let Ok(ip) = text.parse::<IpAddr>() {
            return Ok(Target::Ip(ip));
        }
        if let Some(rest) = text.strip_prefix("svc/").filter(|r| r.contains('/')) {
            let (ns, name) = rest.split_once('/').unwrap_or(("", rest));
            return cluster
                .service_id(ns, name)
                .map(|id| Target::Service { id, name: text.to_string() })
                .ok_or_else(|| TraceError::ServiceNotFound { namespace: ns.to_string(), name: name.to_string() });
        }
        if text.contains('/') {
            return find_pod(cluster, text).map(Target::Pod);
        }
        Name::parse(text).map(Target::Name).map_err(|_| TraceError::UnknownHost { name: text.to_string() })
    }
}

/// A NetworkPolicy question the trace asks at a pod's egress or ingress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyCheck {
    pub direction: Direction,
    /// The pod whose policies apply: the source for egress, the destination for ingress.
    pub pod: PodId,
    /// The other end's address as the packet carries it (after DNAT for egress, after SNAT for
    /// ingress), and its pod when it is one.
    pub peer: IpAddr,
    pub peer_pod: Option<PodId>,
    /// The destination port and protocol (after DNAT).
    pub port: u16,
    pub protocol: Protocol,
}

/// The NetworkPolicy engine as the trace sees it. The policy module implements this; the
/// dataplane only places the checks.
pub trait PolicyHook {
    /// Decides one check.
    fn check(&self, cluster: &Cluster, check: &PolicyCheck) -> PolicyOutcome;
}

/// A cluster indexed for tracing: built once, then any number of traces.
#[derive(Debug, Clone)]
pub struct Dataplane<'c> {
    cluster: &'c Cluster,
    /// Running pods with their own address (not hostNetwork).
    pods: BTreeMap<IpAddr, PodId>,
    nodes: BTreeMap<IpAddr, NodeId>,
    /// Service addresses: ClusterIPs, external IPs, load-balancer ingress.
    vips: BTreeMap<IpAddr, Vec<(ServiceId, Frontend)>>,
    node_ports: BTreeMap<(Protocol, u16), (ServiceId, usize)>,
    /// Per node: its running pods (hostNetwork ones included).
    pods_on: Vec<Vec<PodId>>,
    /// Per node: every proxied Service port as that node's kube-proxy sees it.
    ports: Vec<BTreeMap<(ServiceId, usize), ServicePortInfo>>,
    /// Per node, in iptables mode: the rules kube-proxy programmed, which hops name.
    rules: Vec<RuleSet>,
    /// Per node: where each chain of `rules` is (table index, chain index), by table and name.
    chains: Vec<ChainIndex>,
    /// The cluster's DNS, built the first time a name is traced.
    dns: OnceCell<Dns>,
    /// kube-proxy's chain names, hashed on first use.
    chain_names: proxy::ChainNames,
    /// The text of each rule a trace has named, by (node, table, chain, rule), rendered once.
    rule_lines: RefCell<BTreeMap<RuleKey, Arc<str>>>,
}

/// Where each chain of a node's rule set is: by table, by name, (table index, chain index).
type ChainIndex = BTreeMap<TableName, BTreeMap<String, (usize, usize)>>;

/// One rule of a node's rule set: (node, table index, chain index, rule index).
type RuleKey = (NodeId, usize, usize, usize);

impl<'c> Dataplane<'c> {
    /// Indexes `cluster`.
    pub fn new(cluster: &'c Cluster) -> Dataplane<'c> {
        let mut pods = BTreeMap::new();
        let mut pods_on = vec![Vec::new(); cluster.nodes.len()];
        for (i, p) in cluster.pods.iter().enumerate() {
            let id = PodId(i as u32);
            if let (Some(ip), Some(node)) = (p.ip, p.node) {
                pods_on[node.index()].push(id);
                if !p.pod.spec.host_network {
                    pods.insert(ip, id);
                }
            }
        }
        let nodes =
            cluster.nodes.iter().enumerate().map(|(i, n)| (IpAddr::V4(n.internal_ip), NodeId(i as u16))).collect();
        let mut vips: BTreeMap<IpAddr, Vec<(ServiceId, Frontend)>> = BTreeMap::new();
        let mut node_ports = BTreeMap::new();
        for (i, s) in cluster.services.iter().enumerate() {
            let id = ServiceId(i as u32);
            if s.service.spec.type_ == ServiceType::ExternalName {
                continue;
            }
            let mut add = |ip: IpAddr, f: Frontend| vips.entry(ip).or_default().push((id, f));
            if let Some(ip) = s.cluster_ip {
                add(ip, Frontend::ClusterIp);
            }
            for ip in &s.service.spec.external_ips {
                add(*ip, Frontend::ExternalIp);
            }
            if let LoadBalancerStatus::Ingress(ip) = s.load_balancer {
                add(ip, Frontend::LoadBalancerIp);
            }
            for (index, (port, node_port)) in s.service.spec.ports.iter().zip(&s.node_ports).enumerate() {
                if let Some(np) = node_port {
                    node_ports.entry((port.protocol, *np)).or_insert((id, index));
                }
            }
        }
        let ids: BTreeMap<(&str, &str), ServiceId> = cluster
            .services
            .iter()
            .enumerate()
            .map(|(i, s)| ((s.service.meta.namespace.as_str(), s.service.meta.name.as_str()), ServiceId(i as u32)))
            .collect();
        let node_ids = (0..cluster.nodes.len()).map(|i| NodeId(i as u16));
        let ports = node_ids
            .clone()
            .map(|node| {
                let mut by_port = BTreeMap::new();
                for info in kube_proxy::service_ports(cluster, node) {
                    let Some(&id) = ids.get(&(info.namespace.as_str(), info.name.as_str())) else { continue };
                    let spec = &cluster.services[id.0 as usize].service.spec;
                    let index = spec
                        .ports
                        .iter()
                        .position(|p| p.name.as_deref().unwrap_or("") == info.port_name && p.protocol == info.protocol);
                    if let Some(index) = index {
                        by_port.insert((id, index), info);
                    }
                }
                by_port
            })
            .collect();
        let rules = match cluster.config.kube_proxy_mode {
            KubeProxyMode::Iptables => node_ids.map(|node| kube_proxy::node_rules(cluster, node)).collect(),
            _ => Vec::new(),
        };
        let chains = rules
            .iter()
            .map(|set: &RuleSet| {
                let mut index = ChainIndex::new();
                for (t, table) in set.tables.iter().enumerate() {
                    for (c, chain) in table.chains.iter().enumerate() {
                        index.entry(table.name).or_default().insert(chain.name.clone(), (t, c));
                    }
                }
                index
            })
            .collect();
        Dataplane {
            cluster,
            pods,
            nodes,
            vips,
            node_ports,
            pods_on,
            ports,
            rules,
            chains,
            dns: OnceCell::new(),
            chain_names: proxy::ChainNames::default(),
            rule_lines: RefCell::default(),
        }
    }

    /// The cluster being traced.
    pub fn cluster(&self) -> &'c Cluster {
        self.cluster
    }

    /// The cluster's DNS (built on first use).
    pub fn dns(&self) -> &Dns {
        self.dns.get_or_init(|| Dns::new(self.cluster))
    }

    /// Traces `request` with the cluster's NetworkPolicies enforced ([`crate::policy::TracePolicies`]).
    pub fn trace(&self, request: &TraceRequest) -> Result<Trace, TraceError> {
        self.trace_with(request, &crate::policy::TracePolicies)
    }

    /// Traces `request`, asking `policy` at each pod's egress and ingress.
    pub fn trace_with(&self, request: &TraceRequest, policy: &dyn PolicyHook) -> Result<Trace, TraceError> {
        walk::Walk::run(self, request, policy)
    }

    /// Whether anything translates Service addresses: kube-proxy in any mode, or Cilium's
    /// kube-proxy replacement.
    fn proxies_services(&self) -> bool {
        self.cluster.config.kube_proxy_mode != KubeProxyMode::None || self.cluster.config.cni == CniPlugin::Cilium
    }

    /// Whether Cilium's eBPF programs translate Services (no kube-proxy).
    fn ebpf_services(&self) -> bool {
        self.cluster.config.kube_proxy_mode == KubeProxyMode::None && self.cluster.config.cni == CniPlugin::Cilium
    }

    /// Service port `index` of `id` as kube-proxy on `node` sees it (`None` for a Service it
    /// does not proxy: headless or ExternalName).
    fn port_info(&self, node: NodeId, id: ServiceId, index: usize) -> Option<&ServicePortInfo> {
        self.ports.get(node.index())?.get(&(id, index))
    }

    /// The first rule of `chain` in `table` on `node` that `keep` accepts, as kube-proxy wrote
    /// it (iptables mode only).
    fn rule(
        &self,
        node: NodeId,
        table: TableName,
        chain: &str,
        keep: impl Fn(&kube_proxy::Rule) -> bool,
    ) -> Option<Rule> {
        let &(t, c) = self.chains.get(node.index())?.get(&table)?.get(chain)?;
        let (r, found) =
            self.rules[node.index()].tables[t].chains[c].rules.iter().enumerate().find(|(_, r)| keep(r))?;
        let line =
            self.rule_lines.borrow_mut().entry((node, t, c, r)).or_insert_with(|| found.to_string().into()).clone();
        Some(Rule { table: table.as_str(), line })
    }

    fn vips_at(&self, ip: IpAddr) -> &[(ServiceId, Frontend)] {
        self.vips.get(&ip).map_or(&[], Vec::as_slice)
    }

    /// The first port of the Service at a Service address, the default port of a trace to it.
    fn first_port_at(&self, ip: IpAddr) -> Option<u16> {
        let (id, _) = self.vips_at(ip).first()?;
        self.cluster.services[id.0 as usize].service.spec.ports.first().map(|p| p.port)
    }

    /// The index of the Service's port `port`/`protocol`.
    fn service_port(&self, id: ServiceId, port: u16, protocol: Protocol) -> Option<usize> {
        self.cluster.services[id.0 as usize]
            .service
            .spec
            .ports
            .iter()
            .position(|p| p.port == port && p.protocol == protocol)
    }

    fn node_port(&self, protocol: Protocol, port: u16) -> Option<(ServiceId, usize)> {
        self.node_ports.get(&(protocol, port)).copied()
    }

    fn node_at(&self, ip: IpAddr) -> Option<NodeId> {
        self.nodes.get(&ip).copied()
    }

    fn pod_at(&self, ip: IpAddr) -> Option<PodId> {
        self.pods.get(&ip).copied()
    }

    fn pods_on(&self, node: NodeId) -> impl Iterator<Item = PodId> + '_ {
        self.pods_on[node.index()].iter().copied()
    }

    /// What listens on `port` of a node's own address: a hostNetwork pod's declared port, the
    /// API server and etcd on control-plane nodes, the kubelet, kube-proxy's healthz and the
    /// Services' health check node ports.
    fn host_listener(&self, node: NodeId, port: u16, protocol: Protocol) -> Option<(Option<PodId>, Listener)> {
        let cluster = self.cluster;
        let host_pod = self.pods_on(node).find(|id| {
            let pod = &cluster.pod(*id).pod;
            pod.spec.host_network && pod.spec.ports().any(|p| p.container_port == port && p.protocol == protocol)
        });
        if let Some(pod) = host_pod {
            return Some((Some(pod), Listener::Declared));
        }
        if protocol != Protocol::TCP {
            return None;
        }
        let control_plane = cluster.node(node).role == NodeRole::ControlPlane;
        let listener = match port {
            6443 if control_plane => Listener::ApiServer,
            2379 | 2380 if control_plane => Listener::Etcd,
            10250 => Listener::Kubelet,
            10256 => Listener::KubeProxy,
            _ if cluster.services.iter().any(|s| s.health_check_node_port == Some(port)) => Listener::KubeProxy,
            _ => return None,
        };
        Some((None, listener))
    }
}

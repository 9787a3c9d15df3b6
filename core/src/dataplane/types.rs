//! The plain data of a packet trace: where each hop happens, what happened there, the packet
//! as it leaves the hop, and the verdict with its reason.
//!
//! Everything here is a value a front end can play back: a [`Location`] names a place the view
//! can draw (a pod's eth0, a node's routing table, kube-proxy's rules in a netfilter hook, the
//! overlay tunnel, the load balancer, a client outside the cluster), a [`Step`] says what
//! happened there as data, and [`Verdict`] carries a closed [`Reason`]. Words come only from
//! [`super::render`]. An L7 hop (an Ingress controller) can slot in later as one more
//! `Location` and `Step`.

use crate::api::Protocol;
use crate::cluster::{NodeId, PodId, ServiceId};
use crate::dns::{Lookup, Name};
use std::net::{IpAddr, SocketAddr};

/// A packet's 5-tuple as a hop leaves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Packet {
    pub src: SocketAddr,
    pub dst: SocketAddr,
    pub protocol: Protocol,
}

/// The outer header of a VXLAN-encapsulated packet: node address to node address over UDP.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Outer {
    pub src: IpAddr,
    pub dst: IpAddr,
    /// The UDP port of the VXLAN device (8472, the Linux default flannel and Cilium keep).
    pub port: u16,
}

/// The netfilter hook a kube-proxy or CNI rule runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hook {
    /// `nat PREROUTING`: packets arriving from a pod's veth or the node's NIC.
    Prerouting,
    /// `nat OUTPUT`: packets a process in the node's network namespace sends.
    Output,
    /// `filter FORWARD`: packets routed through the node.
    Forward,
    /// `filter INPUT`: packets for the node itself.
    Input,
    /// `nat POSTROUTING`: where marked packets are masqueraded.
    Postrouting,
}

/// Where a hop happens: a place the view can draw.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A client outside the cluster.
    External(IpAddr),
    /// The load balancer holding a Service's ingress address.
    LoadBalancer { service: ServiceId, ip: IpAddr },
    /// A pod's own interface.
    PodEth0(PodId),
    /// The node's end of a pod's veth pair (`cali…`, `veth…`, `lxc…`).
    Veth { node: NodeId, pod: PodId },
    /// The node's Linux bridge (flannel's `cni0`).
    Bridge(NodeId),
    /// The node's routing table.
    Routing(NodeId),
    /// A netfilter hook of the node, where kube-proxy's (and the CNI's) rules live.
    Netfilter { node: NodeId, hook: Hook },
    /// Cilium's eBPF programs on the node.
    Ebpf(NodeId),
    /// The node's VXLAN device (`flannel.1`, `cilium_vxlan`).
    Tunnel(NodeId),
    /// The node's interface on the node network (`eth0`).
    NodeEth0(NodeId),
    /// A process in the node's network namespace: a hostNetwork pod, the kubelet, the API server.
    Host(NodeId),
}

/// How the routing table sent the packet on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    /// To a pod on this node, through its veth (a /32 route, or the bridge's subnet).
    LocalPod(PodId),
    /// To another node's pod CIDR: the CNI's route via that node (BGP for calico, a static
    /// route for kindnet, the VXLAN device for flannel and Cilium).
    PodCidrOf(NodeId),
    /// To another node's address on the node network.
    Node(NodeId),
    /// To this node's own address: delivered locally.
    Local,
    /// Out of the default route, to the node network's gateway.
    DefaultGateway,
}

/// Which kind of Service address kube-proxy matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Frontend {
    ClusterIp,
    NodePort,
    ExternalIp,
    LoadBalancerIp,
}

/// Who masqueraded a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Masquerader {
    /// kube-proxy's `KUBE-POSTROUTING`, for packets `KUBE-MARK-MASQ` marked.
    KubeProxy,
    /// The CNI plugin, for pod traffic leaving the cluster (calico `natOutgoing`, flannel
    /// `--ip-masq`, kindnet's masquerade agent, Cilium's eBPF masquerading).
    Cni,
}

/// Why an endpoint was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// The `statistic --mode random` rule at `index` (0-based) of `of` matched; the last rule
    /// matches whatever is left.
    Random { index: usize, of: usize },
    /// `sessionAffinity: ClientIP`: the client's entry in the endpoint's `recent` list.
    Affinity { timeout_seconds: u32 },
}

/// A policy direction: the policy engine's own.
pub use crate::policy::Direction;

/// What a NetworkPolicy check decided (see [`super::PolicyHook`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyOutcome {
    /// The CNI plugin does not enforce NetworkPolicy (flannel): allowed whatever is declared.
    NotEnforced,
    /// No policy selects the pod for this direction: allowed.
    NotIsolated,
    /// Isolated, and these policies (`namespace/name`) allow it.
    Allowed { policies: Vec<String> },
    /// Isolated by these policies, none of which allows it.
    Denied { policies: Vec<String> },
}

impl PolicyOutcome {
    /// Whether the packet may pass.
    pub fn allows(&self) -> bool {
        !matches!(self, PolicyOutcome::Denied { .. })
    }
}

/// What happened at a hop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// The client sends the first packet of the connection.
    Send,
    /// The client's resolver looked the target name up (every query is in `lookup`) and the
    /// client took `answer`, the first address (one of several, for a headless Service).
    Resolved { name: Name, answer: Option<IpAddr>, lookup: Box<Lookup> },
    /// The target was a Service itself (`svc/NS/NAME`): the client used its address directly,
    /// without DNS: a ClusterIP, a load balancer's address, a headless Service's endpoint.
    ServiceAddress { service: ServiceId, answer: Option<IpAddr> },
    /// The packet crossed the pod's veth pair into the node.
    EnterNode,
    /// The packet crossed the veth pair from the node into the pod.
    LeaveNode,
    /// The routing table chose the next hop.
    Routed(Route),
    /// The bridge forwarded the frame.
    Bridged,
    /// The packet left on the node's NIC.
    Transmit,
    /// The packet arrived on a node's NIC.
    Receive,
    /// Encapsulated for the overlay.
    Encapsulate(Outer),
    /// Decapsulated from the overlay.
    Decapsulate(Outer),
    /// kube-proxy's `KUBE-SERVICES` (or `KUBE-NODEPORTS`) rule for a Service address matched.
    ServiceMatched { service: ServiceId, port: usize, frontend: Frontend },
    /// `KUBE-SERVICES` handed the packet to `KUBE-NODEPORTS` (destination is a local address).
    NodePorts,
    /// The `KUBE-EXT` chain marked the packet for masquerading (`externalTrafficPolicy: Cluster`,
    /// or a source on the node itself under `Local`).
    MarkMasquerade,
    /// The `KUBE-EXT` chain sent the packet to the Cluster endpoints although the policy is
    /// `Local`: the source is a pod or the node itself.
    ShortCircuit,
    /// `KUBE-EXT` sent the packet to the Local endpoints (`externalTrafficPolicy: Local`):
    /// no masquerade, the client address is kept.
    LocalEndpoints,
    /// The Service chain chose an endpoint.
    EndpointChosen { endpoint: SocketAddr, choice: Choice, local_only: bool },
    /// Destination NAT: the Service address became the endpoint (or a hostPort became a pod).
    Dnat { from: SocketAddr, to: SocketAddr },
    /// Source NAT (MASQUERADE): the source became the node's address.
    Snat { from: SocketAddr, to: SocketAddr, by: Masquerader },
    /// The load balancer forwarded the connection to a node (to its nodePort, `from` → `to`).
    Balanced { node: NodeId, candidates: usize, from: SocketAddr, to: SocketAddr },
    /// The CNI's portmap rule sent a node's hostPort to a pod (`from` → `to`).
    HostPort { from: SocketAddr, to: SocketAddr },
    /// A NetworkPolicy check.
    Policy { direction: Direction, pod: PodId, outcome: PolicyOutcome },
    /// A rule or device ended the packet's journey (the verdict says why).
    Stopped,
    /// The destination socket received the packet.
    Deliver,
    /// Reply path: the reply passes through this place.
    Return,
    /// Reply path: conntrack reversed a destination NAT (the reply's source becomes `to`).
    UnDnat { from: SocketAddr, to: SocketAddr },
    /// Reply path: conntrack reversed a source NAT (the reply's destination becomes `to`).
    UnSnat { from: SocketAddr, to: SocketAddr },
}

/// An iptables rule that matched, as kube-proxy (or the CNI) writes it: the table and the
/// `-A CHAIN ...` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    pub table: &'static str,
    pub line: std::sync::Arc<str>,
}

/// One hop of a trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hop {
    pub at: Location,
    pub step: Step,
    /// The packet as it leaves this hop (the inner header when encapsulated).
    pub packet: Packet,
    /// The outer header while the packet is encapsulated.
    pub outer: Option<Outer>,
    /// The rule that matched, for hops that pass kube-proxy or a CNI rule.
    pub rule: Option<Rule>,
}

/// Where a delivered packet ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backend {
    /// The pod whose socket received it, when one did.
    pub pod: Option<PodId>,
    /// The node it ended on, when it ended in the cluster.
    pub node: Option<NodeId>,
    pub addr: SocketAddr,
}

/// Who listens on the port the packet was delivered to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Listener {
    /// A pod container declares the port (`containerPort`).
    Declared,
    /// The pod declares no ports at all; the model assumes its process listens (Kubernetes
    /// does not require ports to be declared).
    Assumed,
    /// The API server, on control-plane nodes (6443).
    ApiServer,
    /// etcd, on control-plane nodes (2379, 2380).
    Etcd,
    /// The kubelet (10250).
    Kubelet,
    /// kube-proxy's healthz (10256) or a Service's `healthCheckNodePort`.
    KubeProxy,
    /// A host outside the cluster; the model assumes it answers.
    ExternalHost,
}

/// Where nothing listened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Closed {
    Pod(PodId),
    Node(NodeId),
}

/// Which traffic policy left no endpoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrafficPolicyKind {
    Internal,
    External,
}

/// What kind of address a packet could not reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AddressKind {
    Pod,
    ClusterIp,
    /// An address the cluster does not own.
    Other,
}

/// Why a trace ended as it did (besides a delivery).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    /// kube-proxy REJECTs: the Service port has no usable endpoint anywhere.
    NoEndpoints { service: ServiceId, port: usize },
    /// kube-proxy DROPs: a `Local` traffic policy and no local endpoint on this node.
    NoLocalEndpoints { service: ServiceId, port: usize, node: NodeId, policy: TrafficPolicyKind },
    /// The destination host answered with a reset: nothing listens on the port.
    NotListening { at: Closed, port: u16, protocol: Protocol },
    /// A NetworkPolicy denied the packet.
    PolicyDenied { direction: Direction, pod: PodId, policies: Vec<String> },
    /// The load balancer's firewall (`loadBalancerSourceRanges`) refused the client.
    SourceRangeDenied { service: ServiceId, client: IpAddr },
    /// The load balancer's health checks found no node with a local endpoint.
    NoHealthyNodes { service: ServiceId },
    /// The ClusterIP exists but the Service does not expose this port: no rule translates it and
    /// the virtual address answers nothing.
    PortNotExposed { service: ServiceId, port: u16, protocol: Protocol },
    /// The packet went to the default gateway and nothing answered (an unallocated service
    /// address, or a Service address with no proxy to translate it).
    Unanswered { ip: IpAddr, proxied: bool },
    /// Nothing has this address on a directly connected network (no ARP answer).
    NoHost { ip: IpAddr },
    /// From outside the cluster there is no route to pod or Service addresses.
    NotRoutableFromOutside { ip: IpAddr, kind: AddressKind },
    /// The LoadBalancer Service has no address yet (`<pending>`).
    LoadBalancerPending { service: ServiceId },
    /// An ExternalName Service: only DNS is involved (a CNAME), kube-proxy programs nothing.
    ExternalName { service: ServiceId },
    /// A headless Service name with no ready endpoint has no address to connect to.
    NoAddress { service: ServiceId },
    /// The client's resolver found no address for the name (`rcode`: NXDOMAIN, NOERROR
    /// without an address, SERVFAIL, or TIMEOUT); the connection never started. `lost` is why
    /// the first query packet that got no answer got none (a NetworkPolicy, no endpoints).
    Unresolved { name: Name, rcode: &'static str, lost: Option<Box<Reason>> },
}

/// How the trace ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// A socket received the connection.
    Delivered { backend: Backend, delivered_as: Packet, listener: Listener },
    /// The client got a rejection (TCP RST or ICMP port unreachable): "Connection refused".
    Refused(Reason),
    /// Something silently dropped the packet; the client waits and times out.
    Dropped(Reason),
    /// The packet went somewhere that never answers; the client times out.
    Timeout(Reason),
    /// There is nothing to send to, or no route ("No route to host").
    NoRoute(Reason),
}

impl Verdict {
    /// Why the connection was not delivered (`None` when it was).
    pub fn reason(&self) -> Option<&Reason> {
        match self {
            Verdict::Delivered { .. } => None,
            Verdict::Refused(r) | Verdict::Dropped(r) | Verdict::Timeout(r) | Verdict::NoRoute(r) => Some(r),
        }
    }

    /// The verdict's word in the CLI's JSON: `delivered`, `refused`, `dropped`, `timeout`,
    /// `no-route`.
    pub fn word(&self) -> &'static str {
        match self {
            Verdict::Delivered { .. } => "delivered",
            Verdict::Refused(_) => "refused",
            Verdict::Dropped(_) => "dropped",
            Verdict::Timeout(_) => "timeout",
            Verdict::NoRoute(_) => "no-route",
        }
    }
}

/// A whole trace: the forward hops, the verdict, and the reply's hops when there is a reply.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trace {
    pub hops: Vec<Hop>,
    pub verdict: Verdict,
    /// The reply to a delivered connection, as conntrack reverses every NAT on the way back;
    /// empty for any other verdict.
    pub reply: Vec<Hop>,
}

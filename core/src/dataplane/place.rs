//! Where a front end draws each hop, and which moment of the packet's journey it is: the
//! structured twin of [`super::render::location`] and [`super::render::action`].
//!
//! A [`PlaceView`] names an object the cluster view already draws (a pod by `namespace/name`,
//! a node by name, a Service's load balancer, a client outside) plus the part of it (`veth`,
//! `routing`, `kube-proxy`, `tunnel`, `eth0`, ...), so an animation can move the packet from
//! object to object without parsing words. A [`Moment`] is the kind of event at the hop (a
//! NAT rewrite, an encapsulation, a policy verdict, a drop), so it can be shown as one.
//! Both are additive fields of `kubeplay trace -o json` (docs/cli.md).

use super::types::{Hop, Location, PolicyOutcome, Step};
use crate::cluster::Cluster;

/// An object of the cluster view and the part of it where a hop happens.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct PlaceView {
    /// `pod`, `node`, `load-balancer` or `external`.
    pub kind: &'static str,
    /// The pod's `namespace/name`, the node's name, the Service's `namespace/name` (for its load
    /// balancer), or the outside client's address.
    pub key: String,
    /// The part of the object: for a pod `eth0` or `veth` (its veth pair, drawn at the pod's
    /// edge on its node); for a node `routing`, `kube-proxy` (netfilter, where kube-proxy's
    /// rules live), `ebpf`, `bridge`, `tunnel`, `eth0` or `host`; empty otherwise.
    pub part: &'static str,
    /// For a pod's veth: the node it is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<String>,
}

/// The kind of event at a hop, for animation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Moment {
    /// The packet leaves the client.
    Send,
    /// The client's resolver turned the target name into an address (or used a Service's).
    Resolve,
    /// The packet moves on: a veth crossing, a routing decision, a bridge, a NIC.
    Forward,
    /// A kube-proxy rule matched a Service address, chose an endpoint or marked the packet.
    Match,
    /// The destination was rewritten (DNAT, hostPort, the load balancer's forward to a node).
    Dnat,
    /// The source was rewritten (MASQUERADE).
    Snat,
    /// Wrapped in a VXLAN header for the overlay.
    Encapsulate,
    /// Unwrapped from the overlay.
    Decapsulate,
    /// A NetworkPolicy check that let the packet pass.
    PolicyAllow,
    /// A NetworkPolicy check that dropped the packet.
    PolicyDeny,
    /// A rule or device ended the journey (REJECT, DROP, nothing listening, no route).
    Stop,
    /// A socket received the packet.
    Deliver,
    /// The reply passes, or conntrack reverses a NAT on the way back.
    Reply,
}

/// Where `hop` is drawn.
pub fn place(cluster: &Cluster, hop: &Hop) -> PlaceView {
    let pod = |id: crate::cluster::PodId| cluster.pod(id).key();
    let node = |id: crate::cluster::NodeId| cluster.node(id).name.clone();
    let on_node = |id, part| PlaceView { kind: "node", key: node(id), part, node: None };
    match hop.at {
        Location::External(ip) => PlaceView { kind: "external", key: ip.to_string(), part: "", node: None },
        Location::LoadBalancer { service, .. } => {
            PlaceView { kind: "load-balancer", key: cluster.services[service.0 as usize].key(), part: "", node: None }
        }
        Location::PodEth0(p) => PlaceView { kind: "pod", key: pod(p), part: "eth0", node: None },
        Location::Veth { node: n, pod: p } => PlaceView { kind: "pod", key: pod(p), part: "veth", node: Some(node(n)) },
        Location::Bridge(n) => on_node(n, "bridge"),
        Location::Routing(n) => on_node(n, "routing"),
        Location::Netfilter { node: n, .. } => on_node(n, "kube-proxy"),
        Location::Ebpf(n) => on_node(n, "ebpf"),
        Location::Tunnel(n) => on_node(n, "tunnel"),
        Location::NodeEth0(n) => on_node(n, "eth0"),
        Location::Host(n) => on_node(n, "host"),
    }
}

/// Which moment a hop's `step` is.
pub fn moment(step: &Step) -> Moment {
    match step {
        Step::Send => Moment::Send,
        Step::Resolved { .. } | Step::ServiceAddress { .. } => Moment::Resolve,
        Step::EnterNode
        | Step::LeaveNode
        | Step::Routed(_)
        | Step::Bridged
        | Step::Transmit
        | Step::Receive
        | Step::NodePorts => Moment::Forward,
        Step::ServiceMatched { .. }
        | Step::MarkMasquerade
        | Step::ShortCircuit
        | Step::LocalEndpoints
        | Step::EndpointChosen { .. } => Moment::Match,
        Step::Dnat { .. } | Step::HostPort { .. } | Step::Balanced { .. } => Moment::Dnat,
        Step::Snat { .. } => Moment::Snat,
        Step::Encapsulate(_) => Moment::Encapsulate,
        Step::Decapsulate(_) => Moment::Decapsulate,
        Step::Policy { outcome: PolicyOutcome::Denied { .. }, .. } => Moment::PolicyDeny,
        Step::Policy { .. } => Moment::PolicyAllow,
        Step::Stopped => Moment::Stop,
        Step::Deliver => Moment::Deliver,
        Step::Return | Step::UnDnat { .. } | Step::UnSnat { .. } => Moment::Reply,
    }
}

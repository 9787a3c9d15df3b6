//! The trace engine: moves one packet hop by hop from its client to a socket (or to the place
//! that stops it), then mirrors the path for the reply.
//!
//! The order of places follows the Linux path a real node takes: a pod's packet crosses its veth
//! into the node, meets kube-proxy's nat rules in PREROUTING (a node's own packet: OUTPUT), is
//! routed, is masqueraded in POSTROUTING when marked, and leaves through the CNI's path to
//! another node (calico and kindnet route on the node network, flannel and Cilium encapsulate
//! in VXLAN). The filter table's REJECT/DROP rules for Services without (local) endpoints stop it
//! after PREROUTING. The reply retraces the path and conntrack undoes every NAT where it was
//! done, which is why the client hears from the Service address and not the pod's
//! (<https://kubernetes.io/docs/reference/networking/virtual-ips/>,
//! <https://kubernetes.io/docs/concepts/cluster-administration/networking/>).

use super::proxy::{self, Port, Rng};
use super::types::*;
use super::{Dataplane, PolicyCheck, PolicyHook, Source, Target, TraceError, TraceRequest};
use crate::api::cluster_config::{CniPlugin, NodeRole};
use crate::api::Protocol;
use crate::cluster::{NodeId, PodId, ServiceId};
use crate::dns::{Delivery, Expansion, Name, Network, RData, RecordType};
use crate::kube_proxy::{EndpointInfo, Match, Rule as KpRule, Side, TableName, Target as KpTarget};
use ipnet::IpNet;
use std::net::{IpAddr, SocketAddr};

/// The port flannel's and Cilium's VXLAN devices use (the Linux default).
const VXLAN_PORT: u16 = 8472;
/// Beyond this many hops the engine gives up (a forwarding loop the model does not expect).
const MAX_HOPS: usize = 128;

/// Where the client sits.
#[derive(Clone, Copy)]
enum Origin {
    Pod { pod: PodId, node: NodeId },
    Host(NodeId),
    External,
}

/// The state of one walk.
pub(super) struct Walk<'d, 'c> {
    dp: &'d Dataplane<'c>,
    policy: &'d dyn PolicyHook,
    seed: u64,
    pub(super) hops: Vec<Hop>,
    packet: Packet,
    outer: Option<Outer>,
}

/// A stage's outcome: go on, or the verdict that ends the trace.
type Flow = Result<(), Verdict>;

impl<'d, 'c> Walk<'d, 'c> {
    /// Runs the trace of `request`.
    pub(super) fn run(
        dp: &'d Dataplane<'c>,
        request: &TraceRequest,
        policy: &'d dyn PolicyHook,
    ) -> Result<Trace, TraceError> {
        let cluster = dp.cluster;
        let running = |id: PodId| {
            let pod = cluster.pod(id);
            match (pod.ip, pod.node) {
                (Some(ip), Some(node)) => Ok((ip, node)),
                _ => Err(TraceError::PodNotRunning { pod: pod.key() }),
            }
        };
        let (src_ip, origin) = match request.from {
            Source::Pod(id) => {
                let (ip, node) = running(id)?;
                if cluster.pod(id).pod.spec.host_network {
                    (ip, Origin::Host(node))
                } else {
                    (ip, Origin::Pod { pod: id, node })
                }
            }
            Source::Node(node) => (IpAddr::V4(cluster.node(node).internal_ip), Origin::Host(node)),
            Source::External(ip) => (ip, Origin::External),
        };
        if let Target::Pod(id) = request.to {
            running(id)?;
        }
        let unspecified = SocketAddr::new(IpAddr::from([0, 0, 0, 0]), 0);
        let mut walk = Walk {
            dp,
            policy,
            seed: request.seed,
            hops: Vec::with_capacity(24),
            packet: Packet { src: unspecified, dst: unspecified, protocol: request.protocol },
            outer: None,
        };
        let verdict = match walk.forward(request, src_ip, origin) {
            Ok(()) => Verdict::Timeout(Reason::Unanswered { ip: walk.packet.dst.ip(), proxied: true }),
            Err(verdict) => verdict,
        };
        let reply = match &verdict {
            Verdict::Delivered { delivered_as, .. } => reply(&walk.hops, delivered_as),
            _ => Vec::new(),
        };
        Ok(Trace { hops: walk.hops, verdict, reply })
    }

    fn push(&mut self, at: Location, step: Step, rule: Option<Rule>) {
        self.hops.push(Hop { at, step, packet: self.packet, outer: self.outer, rule });
    }

    fn node_ip(&self, node: NodeId) -> IpAddr {
        IpAddr::V4(self.dp.cluster.node(node).internal_ip)
    }

    fn forward(&mut self, request: &TraceRequest, src_ip: IpAddr, origin: Origin) -> Flow {
        let cluster = self.dp.cluster;
        let ephemeral = 32768 + (proxy::mix(self.seed, &[b"ephemeral", &proxy::ip_key(src_ip)]) % 28232) as u16;
        self.packet.src = SocketAddr::new(src_ip, ephemeral);
        let origin_at = match origin {
            Origin::Pod { pod, .. } => Location::PodEth0(pod),
            Origin::Host(node) => Location::Host(node),
            Origin::External => Location::External(src_ip),
        };
        let (dst_ip, default_port) = match &request.to {
            Target::Pod(id) => {
                let pod = cluster.pod(*id);
                let ip = pod.ip.unwrap_or(IpAddr::from([0, 0, 0, 0]));
                (ip, pod.pod.spec.ports().next().map_or(80, |p| p.container_port))
            }
            Target::Ip(ip) => (*ip, self.dp.first_port_at(*ip).unwrap_or(80)),
            Target::Service { id, .. } => {
                let first = cluster.services[id.0 as usize].service.spec.ports.first().map_or(80, |p| p.port);
                let answer = self.service_address(*id, matches!(origin, Origin::External));
                let ip = answer.as_ref().ok().copied().unwrap_or(IpAddr::from([0, 0, 0, 0]));
                self.packet.dst = SocketAddr::new(ip, request.port.unwrap_or(first));
                self.push(
                    origin_at,
                    Step::ServiceAddress { service: *id, answer: answer.as_ref().ok().copied() },
                    None,
                );
                (answer?, first)
            }
            Target::Name(name) => {
                let ip = self.resolve(request.from, name, request.port, origin_at)?;
                (ip, self.dp.first_port_at(ip).unwrap_or(80))
            }
        };
        self.packet.dst = SocketAddr::new(dst_ip, request.port.unwrap_or(default_port));
        self.push(origin_at, Step::Send, None);
        match origin {
            Origin::Pod { pod, node } => {
                self.push(Location::Veth { node, pod }, Step::EnterNode, None);
                self.at_node(node, Hook::Prerouting, Some(pod))
            }
            Origin::Host(node) => self.at_node(node, Hook::Output, None),
            Origin::External => self.arrive_from_outside(),
        }
    }

    /// Resolves `name` as `client`'s resolver does (getaddrinfo: A and AAAA for each candidate
    /// of the search path, each query a trace through this dataplane and the same policy
    /// hook), and takes the first address, as curl connects to the first one it gets.
    fn resolve(&mut self, client: Source, name: &Name, port: Option<u16>, at: Location) -> Result<IpAddr, Verdict> {
        let network = Network::with_policy(self.dp, self.policy);
        let lookup = self.dp.dns().lookup(&network, client, name, &[RecordType::A, RecordType::AAAA], Expansion::Glibc);
        let answer = lookup.answers.iter().find_map(|r| match r.data {
            RData::A(ip) => Some(IpAddr::V4(ip)),
            _ => None,
        });
        let failure = match answer {
            Some(_) => None,
            None => {
                let lost = lookup
                    .queries
                    .iter()
                    .flat_map(|q| &q.packets)
                    .find(|(_, delivery)| *delivery != Delivery::Delivered)
                    .and_then(|(packet, _)| packet.trace.as_ref()?.verdict.reason().cloned())
                    .map(Box::new);
                let reason = Reason::Unresolved { name: name.clone(), rcode: lookup.rcode, lost };
                Some(if lookup.rcode == "TIMEOUT" { Verdict::Timeout(reason) } else { Verdict::NoRoute(reason) })
            }
        };
        let port = port.or_else(|| self.dp.first_port_at(answer?)).unwrap_or(80);
        self.packet.dst = SocketAddr::new(answer.unwrap_or(IpAddr::from([0, 0, 0, 0])), port);
        self.push(at, Step::Resolved { name: name.clone(), answer, lookup: Box::new(lookup) }, None);
        match failure {
            Some(verdict) => Err(verdict),
            None => Ok(self.packet.dst.ip()),
        }
    }

    /// The address of Service `id` itself (`svc/NS/NAME`): from outside, a LoadBalancer's
    /// address; otherwise its ClusterIP, or one ready endpoint of a headless Service.
    fn service_address(&self, id: ServiceId, outside: bool) -> Result<IpAddr, Verdict> {
        use crate::api::service::ServiceType;
        use crate::cluster::LoadBalancerStatus;
        let state = &self.dp.cluster.services[id.0 as usize];
        if state.service.spec.type_ == ServiceType::ExternalName {
            return Err(Verdict::NoRoute(Reason::ExternalName { service: id }));
        }
        if outside && state.service.spec.type_ == ServiceType::LoadBalancer {
            return match state.load_balancer {
                LoadBalancerStatus::Ingress(ip) => Ok(ip),
                _ => Err(Verdict::NoRoute(Reason::LoadBalancerPending { service: id })),
            };
        }
        match state.cluster_ip {
            Some(ip) => Ok(ip),
            None => {
                // Headless: the name answers with the ready endpoints' addresses; the client
                // takes one.
                let ready: Vec<IpAddr> = state.endpoints.iter().filter(|e| e.ready).map(|e| e.ip).collect();
                if ready.is_empty() {
                    return Err(Verdict::NoRoute(Reason::NoAddress { service: id }));
                }
                let pick = proxy::mix(self.seed, &[b"dns", state.key().as_bytes()]) % ready.len() as u64;
                Ok(ready[pick as usize])
            }
        }
    }

    /// A packet from outside the cluster: only node addresses, external IPs and load balancers
    /// are reachable.
    fn arrive_from_outside(&mut self) -> Flow {
        let dst = self.packet.dst;
        if let Some(&(id, frontend)) = self.dp.vips_at(dst.ip()).first() {
            let port = self.dp.service_port(id, dst.port(), self.packet.protocol);
            return match (frontend, port) {
                (Frontend::ClusterIp, _) => {
                    Err(Verdict::NoRoute(Reason::NotRoutableFromOutside { ip: dst.ip(), kind: AddressKind::ClusterIp }))
                }
                (Frontend::LoadBalancerIp, Some(index)) => self.load_balancer(id, index),
                (Frontend::LoadBalancerIp, None) => {
                    self.push(Location::LoadBalancer { service: id, ip: dst.ip() }, Step::Stopped, None);
                    Err(Verdict::Timeout(Reason::PortNotExposed {
                        service: id,
                        port: dst.port(),
                        protocol: self.packet.protocol,
                    }))
                }
                // The administrator routes external IPs to the nodes; the model sends the packet
                // to one of them.
                _ => {
                    let nodes = self.dp.cluster.nodes.len().max(1) as u64;
                    let node = NodeId((proxy::mix(self.seed, &[b"external-ip"]) % nodes) as u16);
                    self.push(Location::NodeEth0(node), Step::Receive, None);
                    self.at_node(node, Hook::Prerouting, None)
                }
            };
        }
        if let Some(node) = self.dp.node_at(dst.ip()) {
            self.push(Location::NodeEth0(node), Step::Receive, None);
            return self.at_node(node, Hook::Prerouting, None);
        }
        let config = &self.dp.cluster.config;
        let kind = if config.pod_net().contains(&dst.ip()) {
            AddressKind::Pod
        } else if IpNet::V4(config.service_subnet).contains(&dst.ip()) {
            AddressKind::ClusterIp
        } else {
            AddressKind::Other
        };
        Err(Verdict::NoRoute(Reason::NotRoutableFromOutside { ip: dst.ip(), kind }))
    }

    /// The load balancer in front of a LoadBalancer Service: its firewall, its health checks,
    /// and the node it forwards to.
    fn load_balancer(&mut self, id: ServiceId, index: usize) -> Flow {
        let dp = self.dp;
        let cluster = dp.cluster;
        let at = Location::LoadBalancer { service: id, ip: self.packet.dst.ip() };
        let client = self.packet.src.ip();
        // Every node's view has the same addresses and policies; the first one is asked.
        let Some(info) = dp.port_info(NodeId(0), id, index) else {
            self.push(at, Step::Stopped, None);
            return Err(Verdict::Timeout(Reason::NoHealthyNodes { service: id }));
        };
        if !info.source_ranges.is_empty() && !info.source_ranges.iter().any(|r| r.contains(&client)) {
            self.push(at, Step::Stopped, None);
            return Err(Verdict::Dropped(Reason::SourceRangeDenied { service: id, client }));
        }
        // kubeadm labels control-plane nodes node.kubernetes.io/exclude-from-external-load-balancers
        // (kind removes the label on a one-node cluster); under Local the health check node port
        // fails on nodes without a local endpoint.
        let single = cluster.nodes.len() == 1;
        let healthy: Vec<NodeId> = (0..cluster.nodes.len())
            .map(|i| NodeId(i as u16))
            .filter(|n| single || cluster.node(*n).role != NodeRole::ControlPlane)
            .filter(|n| {
                !info.external_policy_local
                    || self.dp.port_info(*n, id, index).is_some_and(|i| !i.categorize().local.is_empty())
            })
            .collect();
        if healthy.is_empty() {
            self.push(at, Step::Stopped, None);
            return Err(Verdict::Timeout(Reason::NoHealthyNodes { service: id }));
        }
        let pick = proxy::mix(self.seed, &[b"load-balancer", &proxy::ip_key(client)]) % healthy.len() as u64;
        let node = healthy[pick as usize];
        let from = self.packet.dst;
        let to = match info.node_port {
            Some(node_port) => SocketAddr::new(self.node_ip(node), node_port),
            None => from,
        };
        self.packet.dst = to;
        self.push(at, Step::Balanced { node, candidates: healthy.len(), from, to }, None);
        self.push(Location::NodeEth0(node), Step::Receive, None);
        self.at_node(node, Hook::Prerouting, None)
    }

    /// A packet entering node `node`'s stack: kube-proxy, the source pod's egress policy,
    /// routing.
    fn at_node(&mut self, node: NodeId, hook: Hook, from_pod: Option<PodId>) -> Flow {
        if self.hops.len() > MAX_HOPS {
            return Err(Verdict::Timeout(Reason::Unanswered { ip: self.packet.dst.ip(), proxied: true }));
        }
        let masquerade = self.service_nat(node, hook)?;
        if let Some(pod) = from_pod {
            self.policy_check(Location::Veth { node, pod }, Direction::Egress, pod, self.packet.dst.ip())?;
        }
        self.route(node, masquerade)
    }

    /// kube-proxy's nat and filter rules on `node` (or Cilium's eBPF service map). Returns
    /// whether the packet is marked for masquerade.
    fn service_nat(&mut self, node: NodeId, hook: Hook) -> Result<bool, Verdict> {
        let dp = self.dp;
        let dst = self.packet.dst;
        let protocol = self.packet.protocol;
        let vips = dp.vips_at(dst.ip());
        let matched = vips
            .iter()
            .find_map(|&(id, f)| dp.service_port(id, dst.port(), protocol).map(|i| (id, i, f)))
            .or_else(|| {
                (dst.ip() == self.node_ip(node))
                    .then(|| dp.node_port(protocol, dst.port()).map(|(id, i)| (id, i, Frontend::NodePort)))
                    .flatten()
            });
        let Some((id, index, frontend)) = matched else {
            if let Some(&(id, _)) = vips.first() {
                self.push(Location::Routing(node), Step::Routed(Route::DefaultGateway), None);
                return Err(Verdict::Timeout(Reason::PortNotExposed { service: id, port: dst.port(), protocol }));
            }
            return Ok(false);
        };
        if !dp.proxies_services() {
            self.push(Location::Routing(node), Step::Routed(Route::DefaultGateway), None);
            return Err(Verdict::Timeout(Reason::Unanswered { ip: dst.ip(), proxied: false }));
        }
        let Some(info) = dp.port_info(node, id, index) else { return Ok(false) };
        let port = Port { id, index, info, names: &dp.chain_names };
        let usable = info.categorize();
        let ebpf = dp.ebpf_services();
        let nat_at = if ebpf { Location::Ebpf(node) } else { Location::Netfilter { node, hook } };
        let filter_hook = match (hook, frontend) {
            (Hook::Output, _) => Hook::Output,
            (_, Frontend::NodePort) => Hook::Input,
            _ => Hook::Forward,
        };
        let filter_at = if ebpf { nat_at } else { Location::Netfilter { node, hook: filter_hook } };
        let filter_chain = if frontend == Frontend::ClusterIp { "KUBE-SERVICES" } else { "KUBE-EXTERNAL-SERVICES" };
        let filter_rule = |target: KpTarget| {
            dp.rule(node, TableName::Filter, filter_chain, |r| {
                r.target.as_ref() == Some(&target)
                    && dport(r, dst.port())
                    && (frontend == Frontend::NodePort || to_addr(r, dst.ip()))
            })
        };
        let nat = |chain: &str, keep: &dyn Fn(&KpRule) -> bool| {
            dp.rule(node, TableName::Nat, chain, |r| keep(r) && fits_dst(r, dst.ip()))
        };
        if !usable.has_any {
            self.push(filter_at, Step::Stopped, filter_rule(KpTarget::Reject));
            return Err(Verdict::Refused(Reason::NoEndpoints { service: id, port: index }));
        }
        let src = self.packet.src.ip();
        let from_pods = dp.cluster.config.pod_net().contains(&src);
        let mut masquerade = false;
        let (pool, chain, local_only) = if frontend == Frontend::ClusterIp {
            if info.internal_policy_local && usable.local.is_empty() {
                self.push(filter_at, Step::Stopped, filter_rule(KpTarget::Drop));
                return Err(Verdict::Dropped(Reason::NoLocalEndpoints {
                    service: id,
                    port: index,
                    node,
                    policy: TrafficPolicyKind::Internal,
                }));
            }
            let local = info.internal_policy_local;
            let chain = if local { port.svl_chain() } else { port.svc_chain() };
            let rule = nat("KUBE-SERVICES", &|r| dport(r, dst.port()) && to_addr(r, dst.ip()) && jumps(r, &chain));
            self.push(nat_at, Step::ServiceMatched { service: id, port: index, frontend }, rule);
            if !from_pods {
                let rule = nat(&chain, &|r| jumps(r, MARK_MASQ));
                self.push(nat_at, Step::MarkMasquerade, rule);
                masquerade = true;
            }
            (if local { usable.local } else { usable.cluster }, chain, local)
        } else {
            let ext = port.ext_chain();
            if frontend == Frontend::NodePort {
                let rule = nat("KUBE-SERVICES", &|r| jumps(r, "KUBE-NODEPORTS"));
                self.push(nat_at, Step::NodePorts, rule);
                let rule = nat("KUBE-NODEPORTS", &|r| jumps(r, &ext) && dport(r, dst.port()));
                self.push(nat_at, Step::ServiceMatched { service: id, port: index, frontend }, rule);
            } else {
                let fw = port.fw_chain();
                let rule = nat("KUBE-SERVICES", &|r| {
                    dport(r, dst.port()) && to_addr(r, dst.ip()) && (jumps(r, &ext) || jumps(r, &fw))
                });
                self.push(nat_at, Step::ServiceMatched { service: id, port: index, frontend }, rule);
                if frontend == Frontend::LoadBalancerIp
                    && !info.source_ranges.is_empty()
                    && !info.source_ranges.iter().any(|r| r.contains(&src))
                {
                    let rule = dp.rule(node, TableName::Filter, "KUBE-PROXY-FIREWALL", |r| {
                        r.target == Some(KpTarget::Drop) && to_addr(r, dst.ip()) && dport(r, dst.port())
                    });
                    self.push(filter_at, Step::Stopped, rule);
                    return Err(Verdict::Dropped(Reason::SourceRangeDenied { service: id, client: src }));
                }
            }
            if !info.external_policy_local {
                let rule = nat(&ext, &|r| jumps(r, MARK_MASQ) && !from_local(r));
                self.push(nat_at, Step::MarkMasquerade, rule);
                masquerade = true;
                (usable.cluster, port.svc_chain(), false)
            } else if from_pods {
                let svc = port.svc_chain();
                let rule =
                    nat(&ext, &|r| jumps(r, &svc) && r.matches.iter().any(|m| matches!(m, Match::Source { .. })));
                self.push(nat_at, Step::ShortCircuit, rule);
                (usable.cluster, svc, false)
            } else if src == self.node_ip(node) {
                let svc = port.svc_chain();
                let rule = nat(&ext, &|r| jumps(r, MARK_MASQ) && from_local(r));
                self.push(nat_at, Step::MarkMasquerade, rule);
                let rule = nat(&ext, &|r| jumps(r, &svc) && from_local(r));
                self.push(nat_at, Step::ShortCircuit, rule);
                masquerade = true;
                (usable.cluster, svc, false)
            } else if !usable.local.is_empty() {
                let svl = port.svl_chain();
                let rule = nat(&ext, &|r| jumps(r, &svl));
                self.push(nat_at, Step::LocalEndpoints, rule);
                (usable.local, svl, true)
            } else {
                self.push(filter_at, Step::Stopped, filter_rule(KpTarget::Drop));
                return Err(Verdict::Dropped(Reason::NoLocalEndpoints {
                    service: id,
                    port: index,
                    node,
                    policy: TrafficPolicyKind::External,
                }));
            }
        };
        masquerade |= self.choose(node, nat_at, &port, &pool, &chain, local_only);
        Ok(masquerade)
    }

    /// The Service chain's choice of endpoint, the endpoint chain's hairpin mark and DNAT.
    /// Returns whether the hairpin rule marked the packet.
    fn choose(
        &mut self,
        node: NodeId,
        at: Location,
        port: &Port<'_>,
        pool: &[EndpointInfo],
        chain: &str,
        local_only: bool,
    ) -> bool {
        let dp = self.dp;
        let client = self.packet.src.ip();
        let (i, choice) = match port.info.affinity_seconds {
            Some(timeout_seconds) => {
                (proxy::pick_sticky(client, chain, pool.len()), Choice::Affinity { timeout_seconds })
            }
            None => {
                let mut rng = Rng::new(self.seed, &[chain.as_bytes(), &proxy::ip_key(client)]);
                let index = proxy::pick_random(&mut rng, pool.len());
                (index, Choice::Random { index, of: pool.len() })
            }
        };
        let endpoint = pool[i].address;
        let sep = port.sep_chain(endpoint);
        let sticky = matches!(choice, Choice::Affinity { .. });
        let rule = dp.rule(node, TableName::Nat, chain, |r| {
            jumps(r, &sep) && sticky == r.matches.iter().any(|m| matches!(m, Match::RecentCheck { .. }))
        });
        self.push(at, Step::EndpointChosen { endpoint, choice, local_only }, rule);
        let hairpin = client == endpoint.ip();
        if hairpin {
            let rule = dp.rule(node, TableName::Nat, &sep, |r| jumps(r, MARK_MASQ));
            self.push(at, Step::MarkMasquerade, rule);
        }
        let from = self.packet.dst;
        self.packet.dst = endpoint;
        let rule = dp.rule(node, TableName::Nat, &sep, |r| r.target == Some(KpTarget::Dnat(endpoint)));
        self.push(at, Step::Dnat { from, to: endpoint }, rule);
        hairpin
    }

    /// A NetworkPolicy check of `pod` for `direction` against `peer`.
    fn policy_check(&mut self, at: Location, direction: Direction, pod: PodId, peer: IpAddr) -> Flow {
        let check = PolicyCheck {
            direction,
            pod,
            peer,
            peer_pod: self.dp.pod_at(peer),
            port: self.packet.dst.port(),
            protocol: self.packet.protocol,
        };
        let outcome = self.policy.check(self.dp.cluster, &check);
        let denied = match &outcome {
            PolicyOutcome::Denied { policies } => Some(policies.clone()),
            _ => None,
        };
        self.push(at, Step::Policy { direction, pod, outcome }, None);
        match denied {
            Some(policies) => Err(Verdict::Dropped(Reason::PolicyDenied { direction, pod, policies })),
            None => Ok(()),
        }
    }

    /// Where the routing table of the node sends the packet (Cilium's eBPF programs redirect
    /// without it).
    fn routing(&self, node: NodeId) -> Location {
        if self.dp.cluster.config.cni == CniPlugin::Cilium {
            Location::Ebpf(node)
        } else {
            Location::Routing(node)
        }
    }

    /// kube-proxy's MASQUERADE in POSTROUTING, for a marked packet.
    fn masquerade(&mut self, node: NodeId, by: Masquerader) {
        let from = self.packet.src;
        let to = SocketAddr::new(self.node_ip(node), from.port());
        if from == to {
            return;
        }
        self.packet.src = to;
        let (at, rule) = match by {
            Masquerader::KubeProxy if !self.dp.ebpf_services() => (
                Location::Netfilter { node, hook: Hook::Postrouting },
                self.dp.rule(node, TableName::Nat, "KUBE-POSTROUTING", |r| r.target == Some(KpTarget::Masquerade)),
            ),
            Masquerader::KubeProxy => (Location::Ebpf(node), None),
            Masquerader::Cni => (self.routing(node), None),
        };
        self.push(at, Step::Snat { from, to, by }, rule);
    }

    /// Routing on `node` after NAT, then the path to wherever the destination is.
    fn route(&mut self, node: NodeId, masquerade: bool) -> Flow {
        let cluster = self.dp.cluster;
        let dst = self.packet.dst.ip();
        let here = self.routing(node);
        if let Some(pod) = self.dp.pod_at(dst) {
            let there = cluster.pod(pod).node.unwrap_or(node);
            if there == node {
                self.push(here, Step::Routed(Route::LocalPod(pod)), None);
                if masquerade {
                    self.masquerade(node, Masquerader::KubeProxy);
                }
            } else {
                self.push(here, Step::Routed(Route::PodCidrOf(there)), None);
                if masquerade {
                    self.masquerade(node, Masquerader::KubeProxy);
                }
                self.cross(node, there);
                let there_routing = self.routing(there);
                self.push(there_routing, Step::Routed(Route::LocalPod(pod)), None);
            }
            return self.enter_pod(there, pod);
        }
        if let Some(target) = self.dp.node_at(dst) {
            if target == node {
                self.push(here, Step::Routed(Route::Local), None);
                return self.enter_host(node);
            }
            self.push(here, Step::Routed(Route::Node(target)), None);
            if masquerade {
                self.masquerade(node, Masquerader::KubeProxy);
            }
            self.push(Location::NodeEth0(node), Step::Transmit, None);
            self.push(Location::NodeEth0(target), Step::Receive, None);
            return self.at_node(target, Hook::Prerouting, None);
        }
        let config = &cluster.config;
        let gateway = config.node_gateway().map(IpAddr::V4) == Some(dst);
        if config.pod_net().contains(&dst) || (IpNet::V4(config.node_subnet).contains(&dst) && !gateway) {
            self.push(here, Step::Stopped, None);
            return Err(Verdict::NoRoute(Reason::NoHost { ip: dst }));
        }
        self.push(here, Step::Routed(Route::DefaultGateway), None);
        if IpNet::V4(config.service_subnet).contains(&dst) {
            return Err(Verdict::Timeout(Reason::Unanswered { ip: dst, proxied: self.dp.proxies_services() }));
        }
        if masquerade {
            self.masquerade(node, Masquerader::KubeProxy);
        } else if config.pod_net().contains(&self.packet.src.ip()) {
            self.masquerade(node, Masquerader::Cni);
        }
        self.push(Location::NodeEth0(node), Step::Transmit, None);
        let addr = self.packet.dst;
        self.push(Location::External(dst), Step::Deliver, None);
        Err(Verdict::Delivered {
            backend: Backend { pod: None, node: None, addr },
            delivered_as: self.packet,
            listener: Listener::ExternalHost,
        })
    }

    /// From one node to another over the CNI's inter-node path.
    fn cross(&mut self, from: NodeId, to: NodeId) {
        let cni = self.dp.cluster.config.cni;
        let encapsulated = matches!(cni, CniPlugin::Flannel | CniPlugin::Cilium);
        let outer = Outer { src: self.node_ip(from), dst: self.node_ip(to), port: VXLAN_PORT };
        if encapsulated {
            self.outer = Some(outer);
            self.push(Location::Tunnel(from), Step::Encapsulate(outer), None);
        }
        self.push(Location::NodeEth0(from), Step::Transmit, None);
        self.push(Location::NodeEth0(to), Step::Receive, None);
        if encapsulated {
            self.outer = None;
            self.push(Location::Tunnel(to), Step::Decapsulate(outer), None);
        }
    }

    /// The last steps into a pod on `node`: the bridge (flannel), the destination's ingress
    /// policy, the veth, and the socket.
    fn enter_pod(&mut self, node: NodeId, pod: PodId) -> Flow {
        if self.dp.cluster.config.cni == CniPlugin::Flannel {
            self.push(Location::Bridge(node), Step::Bridged, None);
        }
        self.policy_check(Location::Veth { node, pod }, Direction::Ingress, pod, self.packet.src.ip())?;
        self.push(Location::Veth { node, pod }, Step::LeaveNode, None);
        let port = self.packet.dst.port();
        let protocol = self.packet.protocol;
        match pod_listener(&self.dp.cluster.pod(pod).pod.spec, port, protocol) {
            Some(listener) => {
                self.push(Location::PodEth0(pod), Step::Deliver, None);
                Err(Verdict::Delivered {
                    backend: Backend { pod: Some(pod), node: Some(node), addr: self.packet.dst },
                    delivered_as: self.packet,
                    listener,
                })
            }
            None => {
                self.push(Location::PodEth0(pod), Step::Stopped, None);
                Err(Verdict::Refused(Reason::NotListening { at: Closed::Pod(pod), port, protocol }))
            }
        }
    }

    /// A packet for `node`'s own address: a hostPort (the CNI's portmap DNAT), else a process
    /// of the node.
    fn enter_host(&mut self, node: NodeId) -> Flow {
        let cluster = self.dp.cluster;
        let dst = self.packet.dst;
        let protocol = self.packet.protocol;
        let host_port = self.dp.pods_on(node).find_map(|id| {
            let pod = cluster.pod(id);
            let ip = pod.ip?;
            pod.pod
                .spec
                .ports()
                .find(|p| p.host_port == Some(dst.port()) && p.protocol == protocol)
                .map(|p| (id, SocketAddr::new(ip, p.container_port)))
        });
        if let Some((pod, to)) = host_port {
            self.packet.dst = to;
            self.push(Location::Netfilter { node, hook: Hook::Prerouting }, Step::HostPort { from: dst, to }, None);
            self.push(self.routing(node), Step::Routed(Route::LocalPod(pod)), None);
            return self.enter_pod(node, pod);
        }
        match self.dp.host_listener(node, dst.port(), protocol) {
            Some((pod, listener)) => {
                self.push(Location::Host(node), Step::Deliver, None);
                Err(Verdict::Delivered {
                    backend: Backend { pod, node: Some(node), addr: dst },
                    delivered_as: self.packet,
                    listener,
                })
            }
            None => {
                self.push(Location::Host(node), Step::Stopped, None);
                Err(Verdict::Refused(Reason::NotListening { at: Closed::Node(node), port: dst.port(), protocol }))
            }
        }
    }
}

/// Who listens on `port` in a pod: a declared container port, or (when the pod declares none)
/// its process by assumption.
pub(super) fn pod_listener(spec: &crate::api::pod::PodSpec, port: u16, protocol: Protocol) -> Option<Listener> {
    let mut declared = spec.ports().peekable();
    if declared.peek().is_none() {
        return Some(Listener::Assumed);
    }
    declared.any(|p| p.container_port == port && p.protocol == protocol).then_some(Listener::Declared)
}

/// The reply: the forward path in reverse, with conntrack undoing each NAT where it was done.
fn reply(forward: &[Hop], delivered_as: &Packet) -> Vec<Hop> {
    let mut packet = Packet { src: delivered_as.dst, dst: delivered_as.src, protocol: delivered_as.protocol };
    let mut outer: Option<Outer> = None;
    let mut hops = Vec::with_capacity(forward.len());
    let reversed = |o: &Outer| Outer { src: o.dst, dst: o.src, port: o.port };
    for hop in forward.iter().rev() {
        let step = match &hop.step {
            Step::Deliver => Step::Send,
            Step::Send => Step::Deliver,
            Step::EnterNode => Step::LeaveNode,
            Step::LeaveNode => Step::EnterNode,
            Step::Transmit => Step::Receive,
            Step::Receive => Step::Transmit,
            Step::Bridged => Step::Bridged,
            Step::Routed(_) => Step::Return,
            Step::Decapsulate(o) => {
                outer = Some(reversed(o));
                Step::Encapsulate(reversed(o))
            }
            Step::Encapsulate(o) => {
                outer = None;
                Step::Decapsulate(reversed(o))
            }
            Step::Dnat { from, to } | Step::Balanced { from, to, .. } | Step::HostPort { from, to } => {
                if from == to {
                    continue;
                }
                packet.src = *from;
                Step::UnDnat { from: *to, to: *from }
            }
            Step::Snat { from, to, .. } => {
                packet.dst = *from;
                Step::UnSnat { from: *to, to: *from }
            }
            _ => continue,
        };
        hops.push(Hop { at: hop.at, step, packet, outer, rule: None });
    }
    hops
}

/// kube-proxy's masquerade-marking chain.
const MARK_MASQ: &str = "KUBE-MARK-MASQ";

fn jumps(rule: &KpRule, chain: &str) -> bool {
    matches!(&rule.target, Some(KpTarget::Jump(c)) if c == chain)
}

fn dport(rule: &KpRule, port: u16) -> bool {
    rule.matches.contains(&Match::DestinationPort(port))
}

fn to_addr(rule: &KpRule, ip: IpAddr) -> bool {
    rule.matches.iter().any(|m| matches!(m, Match::Destination { addr, negated: false } if addr.contains(ip)))
}

/// Whether every destination match of `rule` accepts `ip` (a rule for `127.0.0.0/8` does not
/// apply to a node's own address).
fn fits_dst(rule: &KpRule, ip: IpAddr) -> bool {
    rule.matches.iter().all(|m| match m {
        Match::Destination { addr, negated } => addr.contains(ip) != *negated,
        _ => true,
    })
}

fn from_local(rule: &KpRule) -> bool {
    rule.matches.contains(&Match::LocalAddress(Side::Source))
}

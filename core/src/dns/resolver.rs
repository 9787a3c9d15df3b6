//! A pod's stub resolver: every query it sends, each as packets through the cluster, and the
//! answer it ends with.
//!
//! A query goes to the first nameserver of the pod's resolv.conf, on UDP port 53. When that
//! address is a Service's ClusterIP (kube-dns), kube-proxy DNATs it to one of the Service's
//! ready endpoints, chosen by a stable hash of the client and the name where a real kube-proxy
//! picks at random; no endpoint means kube-proxy rejects it (UNREACHABLE). A CoreDNS pod then
//! answers (see `server`), sending its own packets to upstream nameservers when it forwards.
//! Another pod behind the address runs no DNS server (UNREACHABLE); the node's resolver or an
//! upstream server answers from its zone; any other address answers nothing (TIMEOUT).
//! Every packet is first offered to a [`Network`]; [`PolicyNetwork`] asks the NetworkPolicy
//! engine (`policy::decide`): a denied packet means no answer, so an egress policy without a
//! DNS rule turns every query into a TIMEOUT. Like glibc's `res_send`, the resolver moves on to the next nameserver after
//! a timeout, a refusal or a SERVFAIL.
//!
//! The search (glibc `__res_context_search`): candidates in the order `resolv::candidates`
//! gives; a candidate succeeds when a response is NOERROR with at least one record (with
//! several types, as getaddrinfo's A and AAAA, when any of them does). NXDOMAIN and NODATA
//! go on to the next search domain, and so does SERVFAIL; a timeout ends the search
//! domains, though the name as written is still tried if it has not been. When every
//! candidate fails, the result is what glibc reports: the failure of the name tried as
//! written first, else NODATA if any candidate had it, else SERVFAIL if any had it, else the
//! last failure.

use super::corefile::Corefile;
use super::index::ClusterIndex;
use super::name::Name;
use super::record::{Rcode, Record, RecordType};
use super::resolv::{candidates, dig_candidates, CandidateKind, ResolvConf};
use super::server::{CoreDns, Response, ServerStep};
use super::upstream::{Upstream, UpstreamServer};
use crate::api::Protocol;
use crate::cluster::{Cluster, NodeId, PodId, ServiceId};
use crate::controllers::naming::fnv1a32;
use crate::policy::{self, Decision, Endpoint, Flow};
use std::collections::BTreeMap;
use std::net::IpAddr;

/// The DNS port.
pub const DNS_PORT: u16 = 53;

/// One UDP packet to port 53, as the dataplane and NetworkPolicy see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsPacket {
    /// The sending pod: the client, or a CoreDNS pod forwarding upstream.
    pub from: PodId,
    /// Its address (a hostNetwork pod sends from its node's).
    pub from_ip: IpAddr,
    /// The address the packet was sent to (a ClusterIP, a pod, an upstream server).
    pub to_ip: IpAddr,
    pub port: u16,
    pub protocol: Protocol,
    /// The Service whose ClusterIP `to_ip` is, when kube-proxy translated it.
    pub service: Option<ServiceId>,
    /// The pod that received it (after DNAT), when a pod did.
    pub to_pod: Option<PodId>,
    /// Where it really went: the endpoint after DNAT, else `to_ip`.
    pub delivered_to: IpAddr,
}

/// Whether the network delivered a packet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Delivery {
    Delivered,
    /// kube-proxy rejected it: the Service has no ready endpoint.
    Rejected,
    /// A NetworkPolicy dropped it (the decision says which side and why): no answer comes back.
    Denied(Box<Decision>),
}

impl Delivery {
    fn delivered(&self) -> bool {
        matches!(self, Delivery::Delivered)
    }
}

/// The hook through which every DNS packet passes on its way to a server.
pub trait Network {
    /// Whether `packet` reaches its destination.
    fn deliver(&self, cluster: &Cluster, packet: &DnsPacket) -> Delivery;
}

/// The cluster's NetworkPolicy, as its CNI plugin enforces it (`policy::decide` on the
/// connection after DNAT: the CoreDNS pod, an upstream address, or a node).
#[derive(Debug, Clone, Copy, Default)]
pub struct PolicyNetwork;

impl Network for PolicyNetwork {
    fn deliver(&self, cluster: &Cluster, packet: &DnsPacket) -> Delivery {
        let dst = match packet.to_pod {
            Some(pod) => Endpoint::Pod(pod),
            None => match cluster.nodes.iter().position(|n| IpAddr::V4(n.internal_ip) == packet.delivered_to) {
                Some(node) => Endpoint::Node(NodeId(node as u16)),
                None => Endpoint::External(packet.delivered_to),
            },
        };
        let flow = Flow { src: Endpoint::Pod(packet.from), dst, port: packet.port, protocol: packet.protocol };
        let decision = policy::decide(cluster, &flow);
        if decision.allowed() {
            Delivery::Delivered
        } else {
            Delivery::Denied(Box::new(decision))
        }
    }
}

/// How a query ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    Answered(Response),
    /// No answer came back (a packet was dropped, or nothing listens there).
    Timeout,
    /// The address rejected the packet: a Service without endpoints, or no DNS server there.
    Unreachable,
}

impl Outcome {
    /// The rcode as the JSON output names it: `NOERROR`, `NXDOMAIN`, `SERVFAIL`, `REFUSED`,
    /// `TIMEOUT` or `UNREACHABLE`.
    pub fn rcode_text(&self) -> &'static str {
        match self {
            Outcome::Answered(r) => r.rcode.as_str(),
            Outcome::Timeout => "TIMEOUT",
            Outcome::Unreachable => "UNREACHABLE",
        }
    }

    /// The answer records (none without a response).
    pub fn answers(&self) -> &[Record] {
        match self {
            Outcome::Answered(r) => &r.answers,
            _ => &[],
        }
    }

    fn succeeded(&self) -> bool {
        matches!(self, Outcome::Answered(r) if r.rcode == Rcode::NoError && !r.answers.is_empty())
    }
}

/// One query the resolver sent, its packets and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    pub name: Name,
    pub qtype: RecordType,
    /// The nameserver it was sent to (the last one tried).
    pub server: IpAddr,
    /// Every packet, in order: to each nameserver tried, and from CoreDNS to upstream servers.
    pub packets: Vec<(DnsPacket, Delivery)>,
    pub outcome: Outcome,
}

/// How a name is expanded into queries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expansion {
    /// The C library's resolver (glibc `res_search`, getaddrinfo).
    Glibc,
    /// dig: the name as given, or with `+search` the search list when it has fewer than `ndots` dots.
    Dig { search: bool },
}

/// A resolution from a pod: the resolv.conf used, every query and the result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookup {
    pub resolv_conf: ResolvConf,
    pub queries: Vec<Query>,
    /// The final rcode text (see [`Outcome::rcode_text`]).
    pub rcode: &'static str,
    /// The answers of the query that succeeded (every type asked), else none.
    pub answers: Vec<Record>,
}

/// What the cluster's DNS is made of, built once per cluster: the kubernetes plugin's index,
/// CoreDNS's configuration, the upstream zones, and the problems found reading them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dns {
    pub index: ClusterIndex,
    pub corefile: Corefile,
    /// The Corefile text in use (the learner's, or the default when theirs is absent or refused).
    pub corefile_text: String,
    pub upstream: Upstream,
    pub problems: Vec<super::DnsProblem>,
    /// The kube-dns ClusterIP.
    pub kube_dns: Option<IpAddr>,
    node: ResolvConf,
    /// ClusterIP → the Service with a 53/UDP port there (what kube-proxy translates).
    dns_services: BTreeMap<IpAddr, ServiceId>,
    /// Pod-network address → pod.
    pods_by_ip: BTreeMap<IpAddr, PodId>,
}

impl Dns {
    /// Indexes `cluster` and reads its CoreDNS and upstream ConfigMaps.
    pub fn new(cluster: &Cluster) -> Dns {
        let (corefile, corefile_text, mut problems) = super::read_corefile(cluster);
        let (upstream, upstream_problems) = Upstream::from_cluster(cluster);
        problems.extend(upstream_problems.into_iter().map(super::DnsProblem::Upstream));
        let node = ResolvConf::node(upstream.node_resolver());
        Dns {
            index: ClusterIndex::build(cluster),
            corefile,
            corefile_text,
            upstream,
            problems,
            kube_dns: cluster.service("kube-system", "kube-dns").and_then(|s| s.cluster_ip),
            node,
            dns_services: cluster
                .services
                .iter()
                .enumerate()
                .filter(|(_, s)| s.service.spec.ports.iter().any(|p| p.port == DNS_PORT && p.protocol == Protocol::UDP))
                .filter_map(|(i, s)| Some((s.cluster_ip?, ServiceId(i as u32))))
                .collect(),
            pods_by_ip: cluster
                .pods
                .iter()
                .enumerate()
                .filter(|(_, p)| !p.pod.spec.host_network)
                .filter_map(|(i, p)| Some((p.ip?, PodId(i as u32))))
                .collect(),
        }
    }

    /// The resolv.conf of pod `id`.
    pub fn resolv_conf(&self, cluster: &Cluster, id: PodId) -> ResolvConf {
        ResolvConf::for_pod(cluster, id, self.kube_dns, &self.node)
    }

    /// Resolves `name` from pod `id`, asking for every type of `qtypes` for each candidate
    /// name (getaddrinfo asks for A and AAAA), with every packet offered to `network`.
    pub fn lookup(
        &self,
        cluster: &Cluster,
        id: PodId,
        name: &Name,
        qtypes: &[RecordType],
        expansion: Expansion,
        network: &dyn Network,
    ) -> Lookup {
        let conf = self.resolv_conf(cluster, id);
        let mut queries = Vec::new();
        let outcome_of = |queries: &mut Vec<Query>, candidate: &Name| -> Vec<usize> {
            qtypes
                .iter()
                .map(|qtype| {
                    queries.push(self.query(cluster, id, &conf, candidate, *qtype, network));
                    queries.len() - 1
                })
                .collect()
        };
        let mut success = None;
        let mut failures: Vec<(usize, CandidateKind)> = Vec::new();
        match expansion {
            Expansion::Dig { search } => {
                let mut list = dig_candidates(name, &conf, search);
                if list.is_empty() {
                    list.push(name.to_fqdn());
                }
                for candidate in list {
                    let sent = outcome_of(&mut queries, &candidate);
                    let first = &queries[sent[0]].outcome;
                    // dig moves to the next search domain only on NXDOMAIN.
                    let next = matches!(first, Outcome::Answered(r) if r.rcode == Rcode::NxDomain);
                    if !next {
                        success = Some(sent);
                        break;
                    }
                    failures.push((sent[0], CandidateKind::Searched));
                }
            }
            Expansion::Glibc => {
                let mut searching = true;
                for (candidate, kind) in candidates(name, &conf) {
                    if kind == CandidateKind::Searched && !searching {
                        continue;
                    }
                    let sent = outcome_of(&mut queries, &candidate);
                    if sent.iter().any(|i| queries[*i].outcome.succeeded()) {
                        success = Some(sent);
                        break;
                    }
                    if kind == CandidateKind::Searched
                        && matches!(queries[sent[0]].outcome, Outcome::Timeout | Outcome::Unreachable)
                    {
                        searching = false;
                    }
                    failures.push((sent[0], kind));
                }
            }
        }
        let (rcode, answers) = match success {
            Some(sent) => {
                let rcode = queries[sent[0]].outcome.rcode_text();
                let answers = sent.iter().flat_map(|i| queries[*i].outcome.answers().to_vec()).collect();
                (if sent.iter().any(|i| queries[*i].outcome.succeeded()) { "NOERROR" } else { rcode }, answers)
            }
            None => (glibc_failure(&queries, &failures), Vec::new()),
        };
        Lookup { resolv_conf: conf, queries, rcode, answers }
    }

    /// Sends one query from pod `id` to the nameservers of `conf`, in order.
    fn query(
        &self,
        cluster: &Cluster,
        id: PodId,
        conf: &ResolvConf,
        name: &Name,
        qtype: RecordType,
        network: &dyn Network,
    ) -> Query {
        let client = cluster.pod(id);
        let from_ip = client.ip.unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        let mut packets = Vec::new();
        let mut outcome = Outcome::Timeout;
        let mut server = conf.nameservers.first().copied().unwrap_or(from_ip);
        for ns in &conf.nameservers {
            server = *ns;
            outcome = self.ask(cluster, id, from_ip, *ns, name, qtype, network, &mut packets);
            let retry = match &outcome {
                Outcome::Answered(r) => matches!(r.rcode, Rcode::ServFail | Rcode::Refused),
                _ => true,
            };
            if !retry {
                break;
            }
        }
        Query { name: name.clone(), qtype, server, packets, outcome }
    }

    /// One packet from `from_ip` to nameserver `ns`, and what comes back.
    #[allow(clippy::too_many_arguments)]
    fn ask(
        &self,
        cluster: &Cluster,
        id: PodId,
        from_ip: IpAddr,
        ns: IpAddr,
        name: &Name,
        qtype: RecordType,
        network: &dyn Network,
        packets: &mut Vec<(DnsPacket, Delivery)>,
    ) -> Outcome {
        let mut packet = DnsPacket {
            from: id,
            from_ip,
            to_ip: ns,
            port: DNS_PORT,
            protocol: Protocol::UDP,
            service: None,
            to_pod: None,
            delivered_to: ns,
        };
        // kube-proxy: a ClusterIP with a 53/UDP port is translated to one of its endpoints.
        if let Some(si) = self.dns_services.get(&ns) {
            packet.service = Some(*si);
            let ready: Vec<_> = cluster.services[si.0 as usize].endpoints.iter().filter(|e| e.ready).collect();
            if ready.is_empty() {
                packets.push((packet, Delivery::Rejected));
                return Outcome::Unreachable;
            }
            let pick = fnv1a32(format!("{}/{}", cluster.pod(id).key(), name).as_bytes()) as usize % ready.len();
            packet.to_pod = ready[pick].pod;
            packet.delivered_to = ready[pick].ip;
        } else {
            packet.to_pod = self.pods_by_ip.get(&ns).copied();
        }
        let delivery = network.deliver(cluster, &packet);
        let to_pod = packet.to_pod;
        let delivered = delivery.delivered();
        packets.push((packet, delivery));
        if !delivered {
            return Outcome::Timeout;
        }
        match to_pod {
            Some(pod) if is_coredns(cluster, pod) => {
                let coredns = CoreDns { corefile: &self.corefile, index: &self.index };
                let server_ip = cluster.pod(pod).ip.unwrap_or(ns);
                let mut link = |upstream: UpstreamServer, qname: &Name, t: RecordType| {
                    let to_ip = IpAddr::V4(self.upstream.address_of(upstream)?);
                    let hop = DnsPacket {
                        from: pod,
                        from_ip: server_ip,
                        to_ip,
                        port: DNS_PORT,
                        protocol: Protocol::UDP,
                        service: None,
                        to_pod: None,
                        delivered_to: to_ip,
                    };
                    let delivery = network.deliver(cluster, &hop);
                    let delivered = delivery.delivered();
                    packets.push((hop, delivery));
                    if !delivered {
                        return None;
                    }
                    self.upstream.answer(upstream, qname, t)
                };
                Outcome::Answered(coredns.serve(&name.to_fqdn(), qtype, &mut link))
            }
            Some(_) => Outcome::Unreachable,
            None => match ns {
                IpAddr::V4(ip) => match self.upstream.answer(self.upstream.server_at(ip), name, qtype) {
                    Some(answer) => {
                        let mut response = Response {
                            rcode: answer.rcode,
                            answers: answer.records,
                            additional: Vec::new(),
                            authoritative: false,
                            steps: Vec::new(),
                        };
                        response.steps.push(ServerStep::Forwarded {
                            to: self.upstream.server_at(ip),
                            name: name.to_fqdn(),
                            answered: true,
                        });
                        Outcome::Answered(response)
                    }
                    None => Outcome::Timeout,
                },
                IpAddr::V6(_) => Outcome::Timeout,
            },
        }
    }
}

/// Whether pod `id` is one of the cluster's CoreDNS pods.
fn is_coredns(cluster: &Cluster, id: PodId) -> bool {
    let p = cluster.pod(id);
    p.system
        && p.pod.meta.namespace == "kube-system"
        && p.pod.meta.labels.get("k8s-app").map(String::as_str) == Some("kube-dns")
}

/// The rcode glibc reports when no candidate succeeded (`h_errno` after the search).
fn glibc_failure(queries: &[Query], failures: &[(usize, CandidateKind)]) -> &'static str {
    if let Some((i, _)) = failures.iter().find(|(_, k)| *k == CandidateKind::AsIsFirst) {
        return queries[*i].outcome.rcode_text();
    }
    let rcode_of = |i: usize| match &queries[i].outcome {
        Outcome::Answered(r) => Some(r.rcode),
        _ => None,
    };
    if failures.iter().any(|(i, _)| rcode_of(*i) == Some(Rcode::NoError)) {
        return Rcode::NoError.as_str();
    }
    if failures.iter().any(|(i, _)| rcode_of(*i) == Some(Rcode::ServFail)) {
        return Rcode::ServFail.as_str();
    }
    failures.last().map(|(i, _)| queries[*i].outcome.rcode_text()).unwrap_or("TIMEOUT")
}

//! A pod's stub resolver: every query it sends, each as packets through the cluster, and the
//! answer it ends with.
//!
//! A query goes to the first nameserver of the client's resolv.conf (a pod's, or the node's for
//! a node or a client outside), on UDP port 53. When that address is kube-dns's ClusterIP,
//! kube-proxy DNATs it to one of the Service's ready endpoints (the dataplane's choice, seeded
//! by the client and the name); no endpoint means kube-proxy rejects it (UNREACHABLE). A
//! CoreDNS pod then answers (see `server`), sending its own packets to upstream nameservers
//! when it forwards. Another pod behind the address runs no DNS server (UNREACHABLE); the
//! node's resolver or an upstream server answers from its zone; any other address answers
//! nothing (TIMEOUT).
//! Every packet is a dataplane trace ([`Network`]): the same CNI path, kube-proxy rules and
//! NetworkPolicy checks as any connection, so an egress policy without a DNS rule drops
//! every query and the lookup times out. Like glibc's `res_send`, the resolver moves on to the
//! next nameserver after a timeout, a refusal or a SERVFAIL.
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
use crate::cluster::{Cluster, PodId};
use crate::dataplane::proxy::mix;
use crate::dataplane::{Dataplane, PolicyHook, Source, Target, Trace, TraceRequest, Verdict};
use crate::policy::TracePolicies;
use std::net::IpAddr;

/// The DNS port.
pub const DNS_PORT: u16 = 53;

/// One UDP packet to port 53 and where the dataplane took it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsPacket {
    /// The sender: the client, or a CoreDNS pod forwarding upstream.
    pub from: Source,
    /// Its address (a hostNetwork pod sends from its node's).
    pub from_ip: IpAddr,
    /// The address the packet was sent to (a ClusterIP, a pod, an upstream server).
    pub to_ip: IpAddr,
    pub port: u16,
    pub protocol: Protocol,
    /// The pod that received it (after DNAT), when a pod did.
    pub to_pod: Option<PodId>,
    /// Where it really went: the endpoint after DNAT, else `to_ip`.
    pub delivered_to: IpAddr,
    /// Its path through the cluster, hop by hop; `None` for a client outside the cluster, whose
    /// packets cross the internet to a public resolver.
    pub trace: Option<Box<Trace>>,
}

/// Whether the network delivered a packet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    Delivered,
    /// An error came straight back (kube-proxy REJECT for a Service without endpoints, a closed
    /// port, no route to host): the resolver sees it at once.
    Rejected,
    /// Dropped on the way (a NetworkPolicy, a traffic policy) or sent where nothing answers:
    /// the resolver waits until it times out. The packet's trace says which.
    Lost,
}

/// The cluster's network as DNS packets see it: each packet is a dataplane trace from its
/// sender to the nameserver's port 53/UDP, NetworkPolicy decided by `policy`.
#[derive(Clone, Copy)]
pub struct Network<'d> {
    dataplane: &'d Dataplane<'d>,
    policy: &'d dyn PolicyHook,
}

impl<'d> Network<'d> {
    /// The network of `dataplane`'s cluster, NetworkPolicy enforced as its CNI plugin does.
    pub fn new(dataplane: &'d Dataplane<'d>) -> Network<'d> {
        Network { dataplane, policy: &TracePolicies }
    }

    /// The same network with NetworkPolicy decided by `policy` (a trace passes its own).
    pub fn with_policy(dataplane: &'d Dataplane<'d>, policy: &'d dyn PolicyHook) -> Network<'d> {
        Network { dataplane, policy }
    }

    /// The cluster the packets travel.
    pub fn cluster(&self) -> &'d Cluster {
        self.dataplane.cluster()
    }

    /// Sends one query packet from `from` (at `from_ip`) to `to`:53/UDP; `seed` picks the
    /// dataplane's random choices (the endpoint behind kube-dns).
    fn send(&self, from: Source, from_ip: IpAddr, to: IpAddr, seed: u64) -> (DnsPacket, Delivery) {
        let mut packet = DnsPacket {
            from,
            from_ip,
            to_ip: to,
            port: DNS_PORT,
            protocol: Protocol::UDP,
            to_pod: None,
            delivered_to: to,
            trace: None,
        };
        if let Source::External(_) = from {
            return (packet, Delivery::Delivered);
        }
        let request = TraceRequest { from, to: Target::Ip(to), port: Some(DNS_PORT), protocol: Protocol::UDP, seed };
        let Ok(trace) = self.dataplane.trace_with(&request, self.policy) else { return (packet, Delivery::Lost) };
        let delivery = match &trace.verdict {
            Verdict::Delivered { backend, .. } => {
                packet.to_pod = backend.pod;
                packet.delivered_to = backend.addr.ip();
                Delivery::Delivered
            }
            Verdict::Refused(_) | Verdict::NoRoute(_) => Delivery::Rejected,
            Verdict::Dropped(_) | Verdict::Timeout(_) => Delivery::Lost,
        };
        packet.trace = Some(Box::new(trace));
        (packet, delivery)
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
    /// The nodes' resolv.conf (also what a client outside the cluster uses: the public resolver).
    node: ResolvConf,
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
        }
    }

    /// The resolv.conf of pod `id`.
    pub fn resolv_conf(&self, cluster: &Cluster, id: PodId) -> ResolvConf {
        ResolvConf::for_pod(cluster, id, self.kube_dns, &self.node)
    }

    /// The resolv.conf `client` resolves with: a pod's own, the node's for a node, and for a
    /// client outside the cluster the same public resolver (cluster names do not resolve there).
    pub fn client_conf(&self, cluster: &Cluster, client: Source) -> ResolvConf {
        match client {
            Source::Pod(id) => self.resolv_conf(cluster, id),
            Source::Node(_) | Source::External(_) => self.node.clone(),
        }
    }

    /// Resolves `name` from `client`, asking for every type of `qtypes` for each candidate
    /// name (getaddrinfo asks for A and AAAA), every packet sent through `network`.
    pub fn lookup(
        &self,
        network: &Network,
        client: Source,
        name: &Name,
        qtypes: &[RecordType],
        expansion: Expansion,
    ) -> Lookup {
        let cluster = network.cluster();
        let conf = self.client_conf(cluster, client);
        let client_key = client_key(cluster, client);
        let mut queries = Vec::new();
        let outcome_of = |queries: &mut Vec<Query>, candidate: &Name| -> Vec<usize> {
            qtypes
                .iter()
                .map(|qtype| {
                    // The dataplane's random choices, stable for one client and name.
                    let seed = mix(0, &[client_key.as_bytes(), candidate.as_str().as_bytes()]);
                    queries.push(self.query(network, client, &conf, candidate, *qtype, seed));
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

    /// Sends one query from `client` to the nameservers of `conf`, in order.
    fn query(
        &self,
        network: &Network,
        client: Source,
        conf: &ResolvConf,
        name: &Name,
        qtype: RecordType,
        seed: u64,
    ) -> Query {
        let cluster = network.cluster();
        let from_ip = match client {
            Source::Pod(id) => cluster.pod(id).ip,
            Source::Node(node) => Some(IpAddr::V4(cluster.node(node).internal_ip)),
            Source::External(ip) => Some(ip),
        }
        .unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED));
        let mut packets = Vec::new();
        let mut outcome = Outcome::Timeout;
        let mut server = conf.nameservers.first().copied().unwrap_or(from_ip);
        for ns in &conf.nameservers {
            server = *ns;
            outcome = self.ask(network, client, from_ip, *ns, name, qtype, seed, &mut packets);
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

    /// One packet from `client` to nameserver `ns`, and what comes back.
    #[allow(clippy::too_many_arguments)]
    fn ask(
        &self,
        network: &Network,
        client: Source,
        from_ip: IpAddr,
        ns: IpAddr,
        name: &Name,
        qtype: RecordType,
        seed: u64,
        packets: &mut Vec<(DnsPacket, Delivery)>,
    ) -> Outcome {
        let cluster = network.cluster();
        let (packet, delivery) = network.send(client, from_ip, ns, seed);
        let to_pod = packet.to_pod;
        packets.push((packet, delivery));
        match delivery {
            Delivery::Delivered => {}
            Delivery::Rejected => return Outcome::Unreachable,
            Delivery::Lost => return Outcome::Timeout,
        }
        match to_pod {
            Some(pod) if is_coredns(cluster, pod) => {
                let coredns = CoreDns { corefile: &self.corefile, index: &self.index };
                let server_ip = cluster.pod(pod).ip.unwrap_or(ns);
                let mut link = |upstream: UpstreamServer, qname: &Name, t: RecordType| {
                    let to_ip = IpAddr::V4(self.upstream.address_of(upstream)?);
                    let (hop, delivery) = network.send(Source::Pod(pod), server_ip, to_ip, seed);
                    packets.push((hop, delivery));
                    if delivery != Delivery::Delivered {
                        return None;
                    }
                    self.upstream.answer(upstream, qname, t)
                };
                Outcome::Answered(coredns.serve(&name.to_fqdn(), qtype, &mut link))
            }
            // A pod that runs no DNS server: ICMP port unreachable.
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

/// How a client is named in seeds: `ns/pod`, `node/NAME`, `external/IP`.
fn client_key(cluster: &Cluster, client: Source) -> String {
    match client {
        Source::Pod(id) => cluster.pod(id).key(),
        Source::Node(node) => format!("node/{}", cluster.node(node).name),
        Source::External(ip) => format!("external/{ip}"),
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

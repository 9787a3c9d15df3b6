//! A CoreDNS pod answering one question: server block, rewrite, kubernetes, forward.
//!
//! CoreDNS picks the server block whose zone is the longest suffix of the question's name
//! (none: REFUSED), then runs that block's plugins in compiled order: `rewrite` changes the
//! name; `kubernetes` answers names in its zones from the [`ClusterIndex`] (an NXDOMAIN goes
//! on to the next plugin where `fallthrough` covers the name); `forward` sends what is left
//! to an upstream nameserver; a question no plugin handles is SERVFAIL. Answer assembly
//! follows `plugin/backend_lookup.go`: A and AAAA follow a Service's CNAME, inside the zone
//! by looking again (at most 8 CNAMEs, never the same one twice; an alias with nothing at
//! its end is dropped, leaving NODATA) and outside it by asking the server itself again (so a
//! stub domain or rewrite applies); SRV records carry priority 0 and a weight of
//! `floor(100 / n)` over the `n` matches, their targets' A records in the additional
//! section; empty answers to an existing name are NODATA. Answers from the kubernetes plugin
//! are authoritative; forwarded ones are not. The response carries the client's own question:
//! a rewrite that reverts answers renames them back.

use super::corefile::{is_reverse_zone, Corefile, ForwardTo, KubernetesPlugin, ServerBlock};
use super::index::{ClusterIndex, Found, Item};
use super::name::Name;
use super::record::{RData, Rcode, Record, RecordType};
use super::upstream::{UpstreamAnswer, UpstreamServer};
use std::net::Ipv4Addr;

/// How many CNAMEs CoreDNS chains inside its zone (`len(previousRecords) > 7`).
const MAX_CHAIN: usize = 8;

/// How many times a question may come back to the server through CNAME look-ups.
const MAX_DEPTH: usize = 8;

/// What happened inside the server, in order, for the trace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ServerStep {
    /// `rewrite` changed the name.
    Rewritten { from: Name, to: Name },
    /// The kubernetes plugin answered from the cluster (its zone).
    Kubernetes { zone: Name },
    /// The kubernetes plugin found nothing and `fallthrough` passed the question on.
    FellThrough,
    /// `forward` asked an upstream server (`answered: false` when no answer came back).
    Forwarded { to: UpstreamServer, name: Name, answered: bool },
    /// A CNAME outside the zone was looked up through the server again.
    Followed { name: Name },
}

/// A CoreDNS response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    pub rcode: Rcode,
    pub answers: Vec<Record>,
    pub additional: Vec<Record>,
    /// The `aa` flag: the kubernetes plugin's answers are authoritative, forwarded ones not.
    pub authoritative: bool,
    pub steps: Vec<ServerStep>,
}

impl Response {
    fn new(rcode: Rcode, authoritative: bool) -> Response {
        Response { rcode, answers: Vec::new(), additional: Vec::new(), authoritative, steps: Vec::new() }
    }
}

/// Sends a question to an upstream nameserver and returns its answer (`None`: none came).
pub type UpstreamLink<'a> = dyn FnMut(UpstreamServer, &Name, RecordType) -> Option<UpstreamAnswer> + 'a;

/// One CoreDNS instance: its configuration and the cluster as its kubernetes plugin sees it.
pub struct CoreDns<'a> {
    pub corefile: &'a Corefile,
    pub index: &'a ClusterIndex,
}

impl CoreDns<'_> {
    /// Answers `qname` (absolute) of type `qtype`; upstream questions go through `link`.
    pub fn serve(&self, qname: &Name, qtype: RecordType, link: &mut UpstreamLink<'_>) -> Response {
        self.serve_at(qname, qtype, link, 0)
    }

    fn serve_at(&self, qname: &Name, qtype: RecordType, link: &mut UpstreamLink<'_>, depth: usize) -> Response {
        if depth > MAX_DEPTH {
            return Response::new(Rcode::ServFail, false);
        }
        let Some(block) = self
            .corefile
            .servers
            .iter()
            .filter_map(|b| {
                b.zones.iter().filter(|z| qname.is_within(z)).map(|z| (z.label_count(), b)).max_by_key(|(n, _)| *n)
            })
            .max_by_key(|(n, _)| *n)
            .map(|(_, b)| b)
        else {
            return Response::new(Rcode::Refused, false);
        };
        let mut steps = Vec::new();
        let (name, reverting) = match rewrite(block, qname) {
            Ok((name, reverting)) => {
                if name != *qname {
                    steps.push(ServerStep::Rewritten { from: qname.clone(), to: name.clone() });
                }
                (name, reverting)
            }
            Err(()) => return Response::new(Rcode::ServFail, false),
        };
        let mut response = self.run_plugins(block, &name, qtype, link, depth, &mut steps);
        for rule in &reverting {
            for record in response.answers.iter_mut().chain(response.additional.iter_mut()) {
                if let Some(back) = rule.revert(&record.name.to_string()).and_then(|n| Name::parse(&n).ok()) {
                    record.name = back;
                }
            }
        }
        steps.append(&mut response.steps);
        response.steps = steps;
        response
    }

    fn run_plugins(
        &self,
        block: &ServerBlock,
        name: &Name,
        qtype: RecordType,
        link: &mut UpstreamLink<'_>,
        depth: usize,
        steps: &mut Vec<ServerStep>,
    ) -> Response {
        if let Some(k) = &block.kubernetes {
            if let Some(zone) = k.zones.iter().filter(|z| name.is_within(z)).max_by_key(|z| z.label_count()) {
                let response = self.kubernetes(k, zone, name, qtype, link, depth);
                if response.rcode != Rcode::NxDomain || !k.falls_through(name) {
                    steps.push(ServerStep::Kubernetes { zone: zone.clone() });
                    return response;
                }
                steps.push(ServerStep::FellThrough);
            }
        }
        if let Some(forward) = block.forwards.iter().find(|f| name.is_within(&f.from)) {
            for to in &forward.to {
                let server = match to {
                    ForwardTo::ResolvConf => UpstreamServer::NodeResolver,
                    ForwardTo::Address(ip) => UpstreamServer::Address(*ip),
                };
                let answer = link(server, name, qtype);
                steps.push(ServerStep::Forwarded { to: server, name: name.clone(), answered: answer.is_some() });
                if let Some(answer) = answer {
                    let mut response = Response::new(answer.rcode, false);
                    response.answers = answer.records;
                    return response;
                }
            }
            return Response::new(Rcode::ServFail, false);
        }
        Response::new(Rcode::ServFail, false)
    }

    /// The kubernetes plugin's `ServeDNS` for a name within `zone`.
    fn kubernetes(
        &self,
        k: &KubernetesPlugin,
        zone: &Name,
        name: &Name,
        qtype: RecordType,
        link: &mut UpstreamLink<'_>,
        depth: usize,
    ) -> Response {
        let mut response = Response::new(Rcode::NoError, true);
        if is_reverse_zone(zone) {
            let names = match (qtype, reverse_address(name), k.primary_zone()) {
                (RecordType::PTR, Some(ip), Some(primary)) => self.index.reverse(ip, primary),
                _ => Vec::new(),
            };
            if names.is_empty() {
                response.rcode = Rcode::NxDomain;
            }
            response.answers = names
                .into_iter()
                .map(|target| Record { name: name.clone(), ttl: k.ttl, data: RData::Ptr(target) })
                .collect();
            return response;
        }
        let base = name.relative_to(zone).unwrap_or_default();
        let items = match self.index.find(base, zone, k.pods) {
            Found::NxDomain => {
                response.rcode = Rcode::NxDomain;
                return response;
            }
            Found::Items(items) => items,
        };
        match qtype {
            RecordType::A | RecordType::AAAA => {
                let mut chain = Vec::new();
                response.answers =
                    self.addresses(k, zone, name, qtype, items, &mut chain, link, depth, &mut response.steps);
            }
            RecordType::CNAME | RecordType::PTR => {
                if let Some(Item::Alias(target)) = items.first() {
                    let data = if qtype == RecordType::CNAME {
                        RData::Cname(target.clone())
                    } else {
                        RData::Ptr(target.clone())
                    };
                    response.answers.push(Record { name: name.clone(), ttl: k.ttl, data });
                }
            }
            RecordType::SRV => {
                let addresses: Vec<(Ipv4Addr, Option<u16>, Name)> = items
                    .into_iter()
                    .filter_map(|item| match item {
                        Item::Address { ip, port, target } => Some((ip, port, target)),
                        Item::Alias(_) => None,
                    })
                    .collect();
                let weight = u16::try_from(100 / addresses.len().max(1)).unwrap_or(1).max(1);
                for (ip, port, target) in addresses {
                    let Some(port) = port else { continue };
                    let srv = RData::Srv { priority: 0, weight, port, target: target.clone() };
                    if !response.answers.iter().any(|r| r.data == srv) {
                        response.answers.push(Record { name: name.clone(), ttl: k.ttl, data: srv });
                    }
                    let a = Record { name: target, ttl: k.ttl, data: RData::A(ip) };
                    if !response.additional.contains(&a) {
                        response.additional.push(a);
                    }
                }
            }
        }
        response
    }

    /// `plugin.A` / `plugin.AAAA`: addresses, CNAMEs followed.
    #[allow(clippy::too_many_arguments)]
    fn addresses(
        &self,
        k: &KubernetesPlugin,
        zone: &Name,
        name: &Name,
        qtype: RecordType,
        items: Vec<Item>,
        chain: &mut Vec<Record>,
        link: &mut UpstreamLink<'_>,
        depth: usize,
        steps: &mut Vec<ServerStep>,
    ) -> Vec<Record> {
        let mut records: Vec<Record> = Vec::new();
        for item in items {
            match item {
                Item::Address { ip, .. } => {
                    let a = Record { name: name.clone(), ttl: k.ttl, data: RData::A(ip) };
                    if qtype == RecordType::A && !records.contains(&a) {
                        records.push(a);
                    }
                }
                Item::Alias(target) => {
                    let cname = Record { name: name.clone(), ttl: k.ttl, data: RData::Cname(target.clone()) };
                    if target == *name || chain.len() >= MAX_CHAIN || chain.contains(&cname) {
                        continue;
                    }
                    if let Some(base) = target.relative_to(zone) {
                        chain.push(cname.clone());
                        let next = match self.index.find(base, zone, k.pods) {
                            Found::Items(items) => {
                                self.addresses(k, zone, &target, qtype, items, chain, link, depth, steps)
                            }
                            Found::NxDomain => Vec::new(),
                        };
                        if !next.is_empty() {
                            records.push(cname);
                            records.extend(next);
                        }
                        continue;
                    }
                    steps.push(ServerStep::Followed { name: target.clone() });
                    let followed = self.serve_at(&target, qtype, link, depth + 1);
                    steps.extend(followed.steps);
                    records.push(cname);
                    records.extend(followed.answers);
                }
            }
        }
        records
    }
}

/// The rewritten question name and the rules that will rename answers back; `Err` when a
/// rewrite produced something that is not a name (CoreDNS answers with an error then).
fn rewrite<'b>(block: &'b ServerBlock, qname: &Name) -> Result<(Name, Vec<&'b super::corefile::RewriteRule>), ()> {
    let mut text = qname.to_string();
    let mut applied = Vec::new();
    for rule in &block.rewrites {
        if let Some(next) = rule.apply(&text) {
            text = next;
            applied.push(rule);
            if !rule.continues {
                break;
            }
        }
    }
    let name = Name::parse(&text).map_err(|_| ())?.to_fqdn();
    Ok((name, applied))
}

/// The address of a full IPv4 reverse name (`5.1.244.10.in-addr.arpa.` → `10.244.1.5`).
fn reverse_address(name: &Name) -> Option<Ipv4Addr> {
    let octets = name.as_str().strip_suffix(".in-addr.arpa")?;
    let mut parts: Vec<&str> = octets.split('.').collect();
    if parts.len() != 4 {
        return None;
    }
    parts.reverse();
    parts.join(".").parse().ok()
}

/// The reverse name of `ip` (`10.244.1.5` → `5.1.244.10.in-addr.arpa.`).
pub fn reverse_name(ip: Ipv4Addr) -> Name {
    let [a, b, c, d] = ip.octets();
    Name::absolute(format!("{d}.{c}.{b}.{a}.in-addr.arpa"))
}

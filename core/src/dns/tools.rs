//! What `nslookup` and `dig` print in a pod, rendered from lookups.
//!
//! `nslookup` is busybox 1.28's (the image the Kubernetes page "Debugging DNS Resolution"
//! uses): it resolves through the C library (getaddrinfo: A and AAAA for each candidate of
//! the search list, see `resolver`) and names each address by a reverse lookup (getnameinfo),
//! printing `Server:`/`Address 1:` for the first nameserver and `Name:`/`Address N:` for the
//! result, or `nslookup: can't resolve 'NAME'` and exit status 1. Newer busybox builds carry
//! their own resolver, which applies search domains only to names without a dot; not
//! modeled. `dig` is BIND 9's: one question for the name as given (absolute), or the search
//! list with `+search`; it prints the header, QUESTION, ANSWER and ADDITIONAL sections and
//! the server, without the timing, EDNS and AUTHORITY lines (not modeled), and exits 9 when
//! no server answered. Message ids are a hash of the question, where dig's are random.

use super::name::{Name, NameError};
use super::record::{RData, RecordType};
use super::resolver::{Dns, Expansion, Lookup, Network, Outcome};
use super::server::reverse_name;
use crate::cluster::PodId;
use crate::controllers::naming::fnv1a32;
use crate::dataplane::Source;
use std::fmt::Write;
use std::net::{IpAddr, Ipv4Addr};

/// What a command printed, its exit status, and every lookup it made (for the trace).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: u8,
    pub lookups: Vec<Lookup>,
}

/// The name getnameinfo finds for `ip` (first PTR answer), with its lookup.
fn reverse(dns: &Dns, network: &Network, pod: PodId, ip: IpAddr) -> (Option<Name>, Option<Lookup>) {
    let IpAddr::V4(v4) = ip else { return (None, None) };
    let lookup = dns.lookup(network, Source::Pod(pod), &reverse_name(v4), &[RecordType::PTR], Expansion::Glibc);
    let name = lookup.answers.iter().find_map(|r| match &r.data {
        RData::Ptr(target) => Some(target.clone()),
        _ => None,
    });
    (name, Some(lookup))
}

/// busybox 1.28 `nslookup NAME` in pod `pod`.
pub fn nslookup(dns: &Dns, network: &Network, pod: PodId, name: &str) -> Result<ToolOutput, NameError> {
    let mut lookups = Vec::new();
    let mut stdout = String::new();
    let conf = dns.resolv_conf(network.cluster(), pod);
    let print_host = |header: &str, host: &str, addresses: &[(IpAddr, Option<Name>)], out: &mut String| {
        let _ = writeln!(out, "{header:<10} {host}");
        for (i, (ip, rev)) in addresses.iter().enumerate() {
            match rev {
                Some(rev) => {
                    let _ = writeln!(out, "Address {}: {ip} {}", i + 1, rev.as_str());
                }
                None => {
                    let _ = writeln!(out, "Address {}: {ip}", i + 1);
                }
            }
        }
    };
    if let Some(server) = conf.nameservers.first() {
        let (rev, lookup) = reverse(dns, network, pod, *server);
        lookups.extend(lookup);
        print_host("Server:", &server.to_string(), &[(*server, rev)], &mut stdout);
        stdout.push('\n');
    }
    let addresses: Vec<IpAddr> = match name.parse::<Ipv4Addr>() {
        Ok(ip) => vec![IpAddr::V4(ip)],
        Err(_) => {
            let parsed = Name::parse(name)?;
            let qtypes = [RecordType::A, RecordType::AAAA];
            let lookup = dns.lookup(network, Source::Pod(pod), &parsed, &qtypes, Expansion::Glibc);
            let ips = lookup
                .answers
                .iter()
                .filter_map(|r| match r.data {
                    RData::A(ip) => Some(IpAddr::V4(ip)),
                    _ => None,
                })
                .fold(Vec::new(), |mut acc, ip| {
                    if !acc.contains(&ip) {
                        acc.push(ip);
                    }
                    acc
                });
            lookups.push(lookup);
            ips
        }
    };
    if addresses.is_empty() {
        return Ok(ToolOutput { stdout, stderr: format!("nslookup: can't resolve '{name}'\n"), exit_code: 1, lookups });
    }
    let mut named = Vec::new();
    for ip in addresses {
        let (rev, lookup) = reverse(dns, network, pod, ip);
        lookups.extend(lookup);
        named.push((ip, rev));
    }
    print_host("Name:", name, &named, &mut stdout);
    Ok(ToolOutput { stdout, stderr: String::new(), exit_code: 0, lookups })
}

/// `dig NAME [TYPE] [+search]` in pod `pod`.
pub fn dig(
    dns: &Dns,
    network: &Network,
    pod: PodId,
    name: &str,
    qtype: RecordType,
    search: bool,
) -> Result<ToolOutput, NameError> {
    let parsed = Name::parse(name)?;
    let lookup = dns.lookup(network, Source::Pod(pod), &parsed, &[qtype], Expansion::Dig { search });
    let mut out = String::new();
    let mut command = name.to_string();
    if qtype != RecordType::A {
        let _ = write!(command, " {qtype}");
    }
    if search {
        command.push_str(" +search");
    }
    let _ = writeln!(out, "\n; <<>> DiG 9.18 <<>> {command}\n;; global options: +cmd");
    let Some(query) = lookup.queries.last() else {
        return Ok(ToolOutput { stdout: out, stderr: String::new(), exit_code: 9, lookups: vec![lookup] });
    };
    let response = match &query.outcome {
        Outcome::Answered(r) => r,
        Outcome::Timeout => {
            out.push_str(";; connection timed out; no servers could be reached\n");
            return Ok(ToolOutput { stdout: out, stderr: String::new(), exit_code: 9, lookups: vec![lookup] });
        }
        Outcome::Unreachable => {
            let _ = writeln!(out, ";; communications error to {}#53: connection refused", query.server);
            out.push_str(";; no servers could be reached\n");
            return Ok(ToolOutput { stdout: out, stderr: String::new(), exit_code: 9, lookups: vec![lookup] });
        }
    };
    let id = fnv1a32(query.name.as_str().as_bytes()) % 65536;
    let flags = if response.authoritative { "qr aa rd" } else { "qr rd ra" };
    let _ = writeln!(out, ";; Got answer:\n;; ->>HEADER<<- opcode: QUERY, status: {}, id: {id}", response.rcode);
    let _ = writeln!(
        out,
        ";; flags: {flags}; QUERY: 1, ANSWER: {}, AUTHORITY: 0, ADDITIONAL: {}\n",
        response.answers.len(),
        response.additional.len()
    );
    let _ = writeln!(out, ";; QUESTION SECTION:\n;{}\t\tIN\t{}", query.name, query.qtype);
    for (title, records) in [("ANSWER", &response.answers), ("ADDITIONAL", &response.additional)] {
        if !records.is_empty() {
            let _ = writeln!(out, "\n;; {title} SECTION:");
            for r in records {
                let _ = writeln!(out, "{r}");
            }
        }
    }
    let _ = writeln!(out, "\n;; SERVER: {}#53({}) (UDP)\n", query.server, query.server);
    Ok(ToolOutput { stdout: out, stderr: String::new(), exit_code: 0, lookups: vec![lookup] })
}

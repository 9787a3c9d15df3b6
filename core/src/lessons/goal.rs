//! A lesson's goals as data: each is a probe plus an expectation, a closed set of kinds that
//! core evaluates ([`super::check`]). A goal names its kind by the one key it carries
//! (`connection`, `dns`, `service`, `isolation`, `pods`, `env`, `matrix`, `noErrors`), so a new
//! kind (HTTP through an Ingress) is one more key and one more variant of [`Check`].
//!
//! Reading goes through the field decoder: unknown fields are errors with "did you mean",
//! every error carries the file, line and column.

use super::read::{enum_value, labels, required, Reader};
use crate::api::{Labels, Protocol};
use crate::decode::{Item, MapReader};
use crate::dns::RecordType;
use crate::policy::Direction;
use std::collections::BTreeSet;

/// One goal: what the learner must achieve, checked by the model.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Goal {
    /// Unique within the lesson; what `kubeplay check -o json` reports.
    pub id: String,
    /// The goal in the learner's words ("The client reaches a web pod through the Service").
    pub description: String,
    pub check: Check,
}

/// What a goal checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Check {
    Connection(ConnectionGoal),
    Dns(DnsGoal),
    Service(ServiceGoal),
    Isolation(IsolationGoal),
    Pods(PodsGoal),
    Env(EnvGoal),
    Matrix(MatrixGoal),
    /// The workspace applies without a single error.
    NoErrors,
}

/// The goal kinds, by their key in `lesson.yaml`.
pub const KINDS: [&str; 8] = ["connection", "dns", "service", "isolation", "pods", "env", "matrix", "noErrors"];

/// A connection from a pod, a node or outside, and how it must end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConnectionGoal {
    /// `ns/pod`, `node/NAME`, `external` or `external:IP`.
    pub from: String,
    pub to: Destination,
    /// The destination port (the Service port for `service`); the trace's default when absent.
    pub port: Option<u16>,
    pub protocol: Protocol,
    pub expect: ConnectionExpect,
    /// `encapsulated`: whether the packet must be wrapped for an overlay (VXLAN) on its way
    /// (true), or must never be (false: routed as it is, or never leaving its node).
    pub encapsulated: Option<bool>,
}

/// Where a probed connection goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    /// `to`: what `kubeplay trace --to` accepts: `ns/pod`, an IP, or a name.
    Address(String),
    /// `service` (`ns/name`) entered by its ClusterIP, a node's nodePort or its load balancer.
    Service { service: String, via: Entry },
}

/// How a connection enters a Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    ClusterIp,
    /// The Service port's nodePort on this node.
    NodePort {
        node: String,
    },
    /// The load balancer's address (`status.loadBalancer.ingress`).
    LoadBalancer,
}

/// How a probed connection must end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConnectionExpect {
    /// A socket received it; in a pod whose labels include these (any pod or host when empty).
    Delivered {
        labels: Labels,
    },
    Refused,
    /// Silently dropped, for any reason.
    Dropped,
    /// Dropped by NetworkPolicy; by this policy (`ns/name`) when given.
    Denied {
        policy: Option<String>,
    },
    Timeout,
    NoRoute,
}

/// A name resolved from a pod as its C library would.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DnsGoal {
    /// `ns/pod`.
    pub from: String,
    pub name: String,
    pub qtype: RecordType,
    pub expect: DnsExpect,
}

/// How a lookup must end.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DnsExpect {
    /// An answer of the asked type; holding this value (an address, a name) when given.
    Answer { value: Option<String> },
    /// This result: `NXDOMAIN`, `SERVFAIL`, `REFUSED`, `TIMEOUT` or `UNREACHABLE`.
    Failure(String),
}

/// The lookup results a [`DnsExpect::Failure`] may name.
pub const DNS_FAILURES: [&str; 5] = ["NXDOMAIN", "REFUSED", "SERVFAIL", "TIMEOUT", "UNREACHABLE"];

/// Facts about one Service.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceGoal {
    /// `ns/name`.
    pub service: String,
    /// The number of ready endpoint addresses.
    pub ready_endpoints: Option<u32>,
    /// Whether it has a load-balancer address.
    pub external_address: Option<bool>,
}

/// Whether NetworkPolicy isolates a pod in one direction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IsolationGoal {
    /// `ns/pod`.
    pub pod: String,
    pub direction: Direction,
    pub isolated: bool,
    /// The policy (`ns/name`) that must be among those isolating it.
    pub by: Option<String>,
}

/// How many pods with some labels there are (in a phase).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodsGoal {
    pub namespace: String,
    pub labels: Labels,
    pub count: u32,
    /// `Running` or `Pending`; any when absent.
    pub phase: Option<String>,
}

/// A Service environment variable the kubelet set (or did not set) in a pod's containers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EnvGoal {
    /// `ns/pod`.
    pub pod: String,
    pub name: String,
    /// Whether the variable must be set.
    pub set: bool,
    /// With `set`: the value it must have.
    pub value: Option<String>,
}

/// The pod phases the model has.
pub const PHASES: [&str; 2] = ["Pending", "Running"];

/// "The connectivity matrix on this port equals this table".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixGoal {
    pub port: u16,
    pub protocol: Protocol,
    pub table: TruthTable,
}

/// An upstream e2e truth table: a `-` corner, destinations across, one row per source,
/// `.` allowed and `X` denied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthTable {
    /// The columns (destinations), by matrix label (`ns/pod`, `node/NAME`, `external`).
    pub columns: Vec<String>,
    /// Each row: its source label and whether it may connect to each column.
    pub rows: Vec<(String, Vec<bool>)>,
}

impl TruthTable {
    /// Reads the table's text; the error says what is wrong with which line.
    pub fn parse(text: &str) -> Result<TruthTable, String> {
        let mut lines = text.lines().map(str::trim).filter(|l| !l.is_empty());
        let header: Vec<&str> = lines.next().map(|l| l.split_whitespace().collect()).unwrap_or_default();
        if header.first() != Some(&"-") {
            return Err("the first line must start with \"-\" and list the destinations".to_string());
        }
        let columns: Vec<String> = header[1..].iter().map(|s| s.to_string()).collect();
        let mut rows = Vec::new();
        for line in lines {
            let cells: Vec<&str> = line.split_whitespace().collect();
            if cells.len() != columns.len() + 1 {
                return Err(format!("row {:?} has {} cells, the header {}", cells[0], cells.len() - 1, columns.len()));
            }
            let allowed = cells[1..]
                .iter()
                .map(|c| match *c {
                    "." => Ok(true),
                    "X" => Ok(false),
                    other => {
                        Err(format!("cell {other:?} of row {:?}: use \".\" (allowed) or \"X\" (denied)", cells[0]))
                    }
                })
                .collect::<Result<Vec<bool>, String>>()?;
            rows.push((cells[0].to_string(), allowed));
        }
        if rows.is_empty() {
            return Err("the table has no rows".to_string());
        }
        Ok(TruthTable { columns, rows })
    }
}

/// Reads one `goals[]` element; `seen` holds the ids read so far (a repeated one is an error).
pub(super) fn read_goal(r: &mut Reader, item: &Item, seen: &mut BTreeSet<String>) -> Option<Goal> {
    let mut m = r.d.map(item)?;
    let id = m.str(&mut r.d, "id");
    let description = m.str(&mut r.d, "description");
    let mut present: Vec<(&'static str, Item)> = KINDS.iter().filter_map(|k| Some((*k, m.raw(k)?))).collect();
    present.sort_by_key(|(_, item)| item.node.span.start);
    let span = m.span();
    let path = m.path().clone();
    m.finish(&mut r.d);
    let id = required(r, span, &path, "id", id)?;
    if !seen.insert(id.value.clone()) {
        r.d.error(id.span, &path.field("id"), format!("Duplicate value: {:?}", id.value));
    }
    let description = required(r, span, &path, "description", description)?;
    let (kind, body) = match present.as_slice() {
        [one] => one.clone(),
        [] => {
            let kinds = KINDS.join(", ");
            r.d.error(span, &path, format!("Required value: a goal has one of {kinds}"));
            return None;
        }
        [_, second, ..] => {
            r.d.error(second.1.node.span, &second.1.path, "Forbidden: a goal has exactly one kind");
            return None;
        }
    };
    let check = match kind {
        "connection" => Check::Connection(read_connection(r, &body)?),
        "dns" => Check::Dns(read_dns(r, &body)?),
        "service" => Check::Service(read_service(r, &body)?),
        "isolation" => Check::Isolation(read_isolation(r, &body)?),
        "pods" => Check::Pods(read_pods(r, &body)?),
        "env" => Check::Env(read_env(r, &body)?),
        "matrix" => Check::Matrix(read_matrix(r, &body)?),
        _ => {
            let on = r.d.bool(&body)?;
            if !on.value {
                r.d.error(on.span, &body.path, "Unsupported value: false: write noErrors: true or leave the goal out");
                return None;
            }
            Check::NoErrors
        }
    };
    Some(Goal { id: id.value, description: description.value, check })
}

fn read_connection(r: &mut Reader, item: &Item) -> Option<ConnectionGoal> {
    let mut m = r.d.map(item)?;
    let from = m.str(&mut r.d, "from");
    let to = m.str(&mut r.d, "to");
    let service = m.str(&mut r.d, "service");
    let via = m.str(&mut r.d, "via");
    let node = m.str(&mut r.d, "node");
    let port = port(r, &mut m, "port");
    let protocol = protocol(r, &mut m);
    let expect = m.str(&mut r.d, "expect");
    let labels_item = m.raw("podLabels");
    let policy = m.str(&mut r.d, "policy");
    let encapsulated = m.bool(&mut r.d, "encapsulated").map(|b| b.value);
    let (span, path) = (m.span(), m.path().clone());
    m.finish(&mut r.d);
    let from = required(r, span, &path, "from", from)?;
    let to = match (to, service) {
        (Some(to), None) => {
            if let Some(via) = &via {
                r.d.error(via.span, &path.field("via"), "Forbidden: via applies to service, not to");
            }
            Destination::Address(to.value)
        }
        (None, Some(service)) => {
            let via_text = via.as_ref().map(|v| v.value.as_str()).unwrap_or("clusterIP");
            let via_span = via.as_ref().map(|v| v.span).unwrap_or(span);
            let entry = match enum_value(
                r,
                via_span,
                &path.field("via"),
                via_text,
                &["clusterIP", "loadBalancer", "nodePort"],
            )? {
                "nodePort" => Entry::NodePort { node: required(r, span, &path, "node", node)?.value },
                "loadBalancer" => Entry::LoadBalancer,
                _ => Entry::ClusterIp,
            };
            Destination::Service { service: service.value, via: entry }
        }
        (Some(_), Some(service)) => {
            r.d.error(service.span, &path.field("service"), "Forbidden: to and service are mutually exclusive");
            return None;
        }
        (None, None) => {
            r.d.error(
                span,
                &path.field("to"),
                "Required value: a connection goes to an address (to) or a Service (service)",
            );
            return None;
        }
    };
    let expect = required(r, span, &path, "expect", expect)?;
    let words = ["delivered", "denied", "dropped", "no-route", "refused", "timeout"];
    let expect = match enum_value(r, expect.span, &path.field("expect"), &expect.value, &words)? {
        "delivered" => ConnectionExpect::Delivered { labels: labels(r, labels_item.as_ref())? },
        "denied" => ConnectionExpect::Denied { policy: policy.map(|p| p.value) },
        "dropped" => ConnectionExpect::Dropped,
        "no-route" => ConnectionExpect::NoRoute,
        "refused" => ConnectionExpect::Refused,
        _ => ConnectionExpect::Timeout,
    };
    Some(ConnectionGoal { from: from.value, to, port: port?, protocol: protocol?, expect, encapsulated })
}

fn read_dns(r: &mut Reader, item: &Item) -> Option<DnsGoal> {
    let mut m = r.d.map(item)?;
    let from = m.str(&mut r.d, "from");
    let name = m.str(&mut r.d, "name");
    let qtype = m.str(&mut r.d, "type");
    let expect = m.str(&mut r.d, "expect");
    let value = m.str(&mut r.d, "value");
    let (span, path) = (m.span(), m.path().clone());
    m.finish(&mut r.d);
    let from = required(r, span, &path, "from", from)?;
    let name = required(r, span, &path, "name", name)?;
    let qtype = match qtype {
        None => RecordType::A,
        Some(t) => {
            let text = enum_value(r, t.span, &path.field("type"), &t.value, &["A", "AAAA", "CNAME", "PTR", "SRV"])?;
            text.parse().ok()?
        }
    };
    let expect = required(r, span, &path, "expect", expect)?;
    let mut words = vec!["answer"];
    words.extend(DNS_FAILURES);
    let expect = match enum_value(r, expect.span, &path.field("expect"), &expect.value, &words)? {
        "answer" => DnsExpect::Answer { value: value.map(|v| v.value) },
        failure => DnsExpect::Failure(failure.to_string()),
    };
    Some(DnsGoal { from: from.value, name: name.value, qtype, expect })
}

fn read_service(r: &mut Reader, item: &Item) -> Option<ServiceGoal> {
    let mut m = r.d.map(item)?;
    let name = m.str(&mut r.d, "name");
    let ready = m.int(&mut r.d, "readyEndpoints");
    let external = m.bool(&mut r.d, "externalAddress");
    let (span, path) = (m.span(), m.path().clone());
    m.finish(&mut r.d);
    let name = required(r, span, &path, "name", name)?;
    let ready_endpoints = match ready {
        Some(n) => Some(u32::try_from(n.value).ok().or_else(|| {
            r.d.error(n.span, &path.field("readyEndpoints"), "Invalid value: must be 0 or more");
            None
        })?),
        None => None,
    };
    if ready_endpoints.is_none() && external.is_none() {
        r.d.error(span, &path, "Required value: readyEndpoints or externalAddress");
        return None;
    }
    Some(ServiceGoal { service: name.value, ready_endpoints, external_address: external.map(|e| e.value) })
}

fn read_isolation(r: &mut Reader, item: &Item) -> Option<IsolationGoal> {
    let mut m = r.d.map(item)?;
    let pod = m.str(&mut r.d, "pod");
    let direction = m.str(&mut r.d, "direction");
    let isolated = m.bool(&mut r.d, "isolated");
    let by = m.str(&mut r.d, "by");
    let (span, path) = (m.span(), m.path().clone());
    m.finish(&mut r.d);
    let pod = required(r, span, &path, "pod", pod)?;
    let direction = match direction {
        None => Direction::Ingress,
        Some(d) => match enum_value(r, d.span, &path.field("direction"), &d.value, &["egress", "ingress"])? {
            "egress" => Direction::Egress,
            _ => Direction::Ingress,
        },
    };
    Some(IsolationGoal {
        pod: pod.value,
        direction,
        isolated: isolated.is_none_or(|i| i.value),
        by: by.map(|b| b.value),
    })
}

fn read_pods(r: &mut Reader, item: &Item) -> Option<PodsGoal> {
    let mut m = r.d.map(item)?;
    let namespace = m.str(&mut r.d, "namespace");
    let labels_item = m.raw("labels");
    let count = m.int(&mut r.d, "count");
    let phase = m.str(&mut r.d, "phase");
    let (span, path) = (m.span(), m.path().clone());
    m.finish(&mut r.d);
    let count = required(r, span, &path, "count", count)?;
    let count = u32::try_from(count.value).ok().or_else(|| {
        r.d.error(count.span, &path.field("count"), "Invalid value: must be 0 or more");
        None
    })?;
    let phase = match phase {
        Some(p) => Some(enum_value(r, p.span, &path.field("phase"), &p.value, &PHASES)?.to_string()),
        None => None,
    };
    Some(PodsGoal {
        namespace: namespace.map(|n| n.value).unwrap_or_else(|| "default".to_string()),
        labels: labels(r, labels_item.as_ref())?,
        count,
        phase,
    })
}

fn read_env(r: &mut Reader, item: &Item) -> Option<EnvGoal> {
    let mut m = r.d.map(item)?;
    let pod = m.str(&mut r.d, "pod");
    let name = m.str(&mut r.d, "name");
    let expect = m.str(&mut r.d, "expect");
    let value = m.str(&mut r.d, "value");
    let (span, path) = (m.span(), m.path().clone());
    m.finish(&mut r.d);
    let pod = required(r, span, &path, "pod", pod)?;
    let name = required(r, span, &path, "name", name)?;
    let expect = required(r, span, &path, "expect", expect)?;
    let set = enum_value(r, expect.span, &path.field("expect"), &expect.value, &["set", "unset"])? == "set";
    Some(EnvGoal { pod: pod.value, name: name.value, set, value: value.map(|v| v.value) })
}

fn read_matrix(r: &mut Reader, item: &Item) -> Option<MatrixGoal> {
    let mut m = r.d.map(item)?;
    let port = port(r, &mut m, "port");
    let protocol = protocol(r, &mut m);
    let table = m.str(&mut r.d, "table");
    let (span, path) = (m.span(), m.path().clone());
    m.finish(&mut r.d);
    let Some(port) = port? else {
        r.d.error(span, &path.field("port"), "Required value");
        return None;
    };
    let table = required(r, span, &path, "table", table)?;
    let table = TruthTable::parse(&table.value).map_err(|e| r.d.error(table.span, &path.field("table"), e)).ok()?;
    Some(MatrixGoal { port, protocol: protocol?, table })
}

/// An optional port field: `Some(None)` when absent, `None` after an error.
fn port(r: &mut Reader, m: &mut MapReader, key: &'static str) -> Option<Option<u16>> {
    let Some(value) = m.int(&mut r.d, key) else { return Some(None) };
    match u16::try_from(value.value) {
        Ok(p) if p > 0 => Some(Some(p)),
        _ => {
            r.d.error(value.span, &m.path().field(key), "Invalid value: must be between 1 and 65535, inclusive");
            None
        }
    }
}

fn protocol(r: &mut Reader, m: &mut MapReader) -> Option<Protocol> {
    let Some(p) = m.str(&mut r.d, "protocol") else { return Some(Protocol::TCP) };
    let path = m.path().field("protocol");
    let text = enum_value(r, p.span, &path, &p.value, &["SCTP", "TCP", "UDP"])?;
    Protocol::parse(text)
}

//! A lookup as plain strings, shaped like `kubeplay dns -o json` (docs/cli.md): the final rcode
//! and answers, and every query the resolver sent. Traces to a name carry the same shape.

use super::record::Record;
use super::resolver::{Delivery, Lookup, Query};
use crate::cluster::Cluster;
use crate::dataplane::place::{place, PlaceView};

/// One record: `{"name", "type", "ttl", "data"}`, names without the final dot.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordView {
    pub name: String,
    #[serde(rename = "type")]
    pub record_type: &'static str,
    pub ttl: u32,
    pub data: String,
}

/// One query the resolver sent and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct QueryView {
    pub name: String,
    #[serde(rename = "type")]
    pub record_type: &'static str,
    /// `NOERROR`, `NXDOMAIN`, `SERVFAIL`, `REFUSED`, `TIMEOUT` or `UNREACHABLE`.
    pub rcode: &'static str,
    pub answers: Vec<RecordView>,
    /// The nameserver the client sent it to (the last one tried): `10.96.0.10`.
    pub server: String,
    /// The CoreDNS pod (`namespace/name`) the client's packet reached after kube-proxy's DNAT,
    /// when a pod received it.
    pub answered_by: Option<String>,
    /// Where the client's packet ended when it got no answer (dropped by a policy, rejected
    /// for want of endpoints): the last hop's place. Absent when it was delivered.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lost_at: Option<PlaceView>,
}

/// A whole lookup.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LookupView {
    pub rcode: &'static str,
    pub answers: Vec<RecordView>,
    pub queries: Vec<QueryView>,
}

fn records(records: &[Record]) -> Vec<RecordView> {
    records
        .iter()
        .map(|r| RecordView {
            name: r.name.as_str().to_string(),
            record_type: r.record_type().as_str(),
            ttl: r.ttl,
            data: r.data_text(),
        })
        .collect()
}

/// The lookup as strings.
pub fn view(cluster: &Cluster, lookup: &Lookup) -> LookupView {
    LookupView {
        rcode: lookup.rcode,
        answers: records(&lookup.answers),
        queries: lookup
            .queries
            .iter()
            .map(|q| QueryView {
                name: q.name.as_str().to_string(),
                record_type: q.qtype.as_str(),
                rcode: q.outcome.rcode_text(),
                answers: records(q.outcome.answers()),
                server: q.server.to_string(),
                answered_by: client_packet(q).and_then(|(p, _)| p.to_pod).map(|id| cluster.pod(id).key()),
                lost_at: client_packet(q).and_then(|(p, delivery)| match delivery {
                    Delivery::Delivered => None,
                    Delivery::Rejected | Delivery::Lost => p.trace.as_ref()?.hops.last().map(|hop| place(cluster, hop)),
                }),
            })
            .collect(),
    }
}

/// The client's last packet of `query` (packets CoreDNS forwards upstream come after it and
/// are sent by another source).
fn client_packet(query: &Query) -> Option<&(super::resolver::DnsPacket, Delivery)> {
    let client = query.packets.first()?.0.from;
    query.packets.iter().rfind(|(p, _)| p.from == client)
}

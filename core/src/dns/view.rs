//! A lookup as plain strings, shaped like `kubeplay dns -o json` (docs/cli.md): the final rcode
//! and answers, and every query the resolver sent. Traces to a name carry the same shape.

use super::record::Record;
use super::resolver::Lookup;

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
pub fn view(lookup: &Lookup) -> LookupView {
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
            })
            .collect(),
    }
}

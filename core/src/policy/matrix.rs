//! Connectivity matrices: which endpoint may open a connection to which on one port and
//! protocol, printed as the upstream e2e suite prints its truth tables
//! (kubernetes/kubernetes `test/e2e/network/netpol/truthtable.go`, `PrettyPrint`: a `-` corner,
//! destinations across, sources down, tab-separated, `.` allowed, `X` denied), as JSON for the
//! CLI contract, and as the difference an edit made.
//!
//! Rows and columns are the running pods in scope (cluster order: namespace, then name), then
//! each node (`node/<name>`), then `external` ([`super::EXTERNAL_ADDRESS`]). Pending pods have
//! no address and appear in no row.

use super::bits::BitSet;
use super::flow::{Endpoint, Flow};
use crate::api::cluster_config::CniPlugin;
use crate::api::service::TargetPort;
use crate::api::Protocol;
use crate::cluster::Cluster;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// A row (and the same column) of a matrix.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixEntry {
    /// `namespace/name` for a pod, `node/<name>` for a node, `external` for the outside.
    pub label: String,
    pub endpoint: Endpoint,
}

/// Which entry may connect to which, on one port and protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Matrix {
    pub port: u16,
    pub protocol: Protocol,
    pub cni: CniPlugin,
    /// Whether the CNI plugin enforces NetworkPolicy; when it does not, every cell is allowed.
    pub enforced: bool,
    entries: Vec<MatrixEntry>,
    /// `rows[i]` holds the columns entry `i` may connect to.
    rows: Vec<BitSet>,
}

impl Matrix {
    pub(crate) fn new(
        port: u16,
        protocol: Protocol,
        cni: CniPlugin,
        enforced: bool,
        entries: Vec<MatrixEntry>,
        rows: Vec<BitSet>,
    ) -> Matrix {
        Matrix { port, protocol, cni, enforced, entries, rows }
    }

    /// The rows (and columns), in order.
    pub fn entries(&self) -> &[MatrixEntry] {
        &self.entries
    }

    /// Whether entry `from` may connect to entry `to`.
    pub fn allowed(&self, from: usize, to: usize) -> bool {
        self.rows[from].contains(to)
    }

    /// The flow cell (`from`, `to`) stands for: what [`super::decide`] answers the same way.
    pub fn flow(&self, from: usize, to: usize) -> Flow {
        Flow {
            src: self.entries[from].endpoint,
            dst: self.entries[to].endpoint,
            port: self.port,
            protocol: self.protocol,
        }
    }

    /// The index of the entry labelled `label`.
    pub fn position(&self, label: &str) -> Option<usize> {
        self.entries.iter().position(|e| e.label == label)
    }

    /// The upstream truth-table text, one line per source, each ending with a newline.
    pub fn truth_table(&self) -> String {
        let mut text = String::from("-");
        for e in &self.entries {
            text.push('\t');
            text.push_str(&e.label);
        }
        text.push('\n');
        for (i, e) in self.entries.iter().enumerate() {
            text.push_str(&e.label);
            for j in 0..self.entries.len() {
                text.push_str(if self.allowed(i, j) { "\t." } else { "\tX" });
            }
            text.push('\n');
        }
        text
    }

    /// The JSON the CLI prints: `pods` and `allowed` (pods by pods, `allowed[i][j]` for
    /// `pods[i]` connecting to `pods[j]`), then the other entries (`peers`: nodes and
    /// `external`) with `peerToPod` and `podToPeer`.
    pub fn to_json(&self) -> Value {
        let (pods, peers): (Vec<usize>, Vec<usize>) =
            (0..self.entries.len()).partition(|&i| matches!(self.entries[i].endpoint, Endpoint::Pod(_)));
        let labels = |ids: &[usize]| ids.iter().map(|&i| self.entries[i].label.clone()).collect::<Vec<_>>();
        let block = |rows: &[usize], cols: &[usize]| {
            rows.iter().map(|&i| cols.iter().map(|&j| self.allowed(i, j)).collect::<Vec<_>>()).collect::<Vec<_>>()
        };
        json!({
            "pods": labels(&pods),
            "port": self.port,
            "protocol": self.protocol.as_str(),
            "allowed": block(&pods, &pods),
            "peers": labels(&peers),
            "peerToPod": block(&peers, &pods),
            "podToPeer": block(&pods, &peers),
            "externalAddress": super::EXTERNAL_ADDRESS.to_string(),
            "cni": self.cni.as_str(),
            "enforced": self.enforced,
        })
    }

    /// What changed from `old` to `new`, pair by pair (matched by label, in `new`'s order).
    pub fn diff(old: &Matrix, new: &Matrix) -> MatrixDiff {
        let before: BTreeMap<&str, usize> =
            old.entries.iter().enumerate().map(|(i, e)| (e.label.as_str(), i)).collect();
        let after: BTreeMap<&str, usize> = new.entries.iter().enumerate().map(|(i, e)| (e.label.as_str(), i)).collect();
        let mut diff = MatrixDiff {
            port: new.port,
            protocol: new.protocol,
            opened: Vec::new(),
            closed: Vec::new(),
            added: new
                .entries
                .iter()
                .filter(|e| !before.contains_key(e.label.as_str()))
                .map(|e| e.label.clone())
                .collect(),
            removed: old
                .entries
                .iter()
                .filter(|e| !after.contains_key(e.label.as_str()))
                .map(|e| e.label.clone())
                .collect(),
        };
        for (i, from) in new.entries.iter().enumerate() {
            let Some(&old_i) = before.get(from.label.as_str()) else { continue };
            for (j, to) in new.entries.iter().enumerate() {
                let Some(&old_j) = before.get(to.label.as_str()) else { continue };
                let pair = (from.label.clone(), to.label.clone());
                match (old.allowed(old_i, old_j), new.allowed(i, j)) {
                    (false, true) => diff.opened.push(pair),
                    (true, false) => diff.closed.push(pair),
                    _ => {}
                }
            }
        }
        diff
    }
}

/// Which connections an edit opened and closed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MatrixDiff {
    pub port: u16,
    pub protocol: Protocol,
    /// `(from, to)` pairs denied before and allowed after.
    pub opened: Vec<(String, String)>,
    /// `(from, to)` pairs allowed before and denied after.
    pub closed: Vec<(String, String)>,
    /// Entries only in the new matrix (their pairs are not compared).
    pub added: Vec<String>,
    /// Entries only in the old matrix.
    pub removed: Vec<String>,
}

impl MatrixDiff {
    /// One line per change: `+ from -> to` opened, `- from -> to` closed, `added: x` and
    /// `removed: x` for entries on one side only, then a count line.
    pub fn to_text(&self) -> String {
        let mut text = String::new();
        for label in &self.added {
            text.push_str(&format!("added: {label}\n"));
        }
        for label in &self.removed {
            text.push_str(&format!("removed: {label}\n"));
        }
        for (sign, pairs) in [("+", &self.opened), ("-", &self.closed)] {
            for (from, to) in pairs {
                text.push_str(&format!("{sign} {from} -> {to}\n"));
            }
        }
        text.push_str(&format!(
            "{} opened, {} closed on {}/{}\n",
            self.opened.len(),
            self.closed.len(),
            self.port,
            self.protocol
        ));
        text
    }

    /// The JSON the CLI prints.
    pub fn to_json(&self) -> Value {
        let pairs = |pairs: &[(String, String)]| {
            pairs.iter().map(|(from, to)| json!({"from": from, "to": to})).collect::<Vec<_>>()
        };
        json!({
            "port": self.port,
            "protocol": self.protocol.as_str(),
            "opened": pairs(&self.opened),
            "closed": pairs(&self.closed),
            "added": self.added,
            "removed": self.removed,
        })
    }
}

/// The port and protocol a matrix is first shown for: the target port of the first Service
/// (cluster order) whose endpoints include a learner's pod, resolved on that pod (a named
/// `targetPort` is the pod's container port of that name); else 80/TCP.
pub fn suggested_port(cluster: &Cluster) -> (u16, Protocol) {
    let learner_pod = |e: &crate::cluster::Endpoint| e.pod.filter(|id| !cluster.pod(*id).system);
    cluster
        .services
        .iter()
        .filter(|s| !s.system)
        .find_map(|s| {
            let pod = cluster.pod(s.endpoints.iter().find_map(learner_pod)?);
            s.service.spec.ports.iter().find_map(|p| match &p.target_port {
                TargetPort::Number(n) => Some((*n, p.protocol)),
                TargetPort::Named(name) => pod.pod.spec.named_port(name, p.protocol).map(|n| (n, p.protocol)),
            })
        })
        .unwrap_or((80, Protocol::TCP))
}

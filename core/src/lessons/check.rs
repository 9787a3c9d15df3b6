//! Grading: a learner's workspace applied to a fresh simulation, then every goal's probe run
//! and compared with its expectation. What the model did is kept as data ([`Observed`]) and
//! worded by [`super::words`]: a failed goal says what happens instead, never just "wrong".

use super::goal::{
    Check, ConnectionExpect, ConnectionGoal, DnsExpect, DnsGoal, EnvGoal, Goal, IsolationGoal, MatrixGoal, PodsGoal,
    ServiceGoal,
};
use super::probe::{connect, ProbeError};
use super::Lesson;
use crate::api::{Labels, Protocol};
use crate::cluster::{Cluster, LoadBalancerStatus, PodId};
use crate::dataplane::{Dataplane, Source};
use crate::dataplane::{Reason, Trace, Verdict};
use crate::diag::{Diagnostic, Severity};
use crate::dns::{Expansion, Lookup, Name, Network, Record};
use crate::policy::{decide, Direction, Endpoint, Flow};
use crate::render::Scope;
use crate::simulation::{Simulation, SourceFile};

/// One goal's result.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct GoalResult {
    pub id: String,
    pub description: String,
    pub passed: bool,
    /// What the model does, in a sentence.
    pub actual: String,
}

/// A graded workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub results: Vec<GoalResult>,
    /// What applying the workspace reported.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// Whether every goal passes.
    pub fn passed(&self) -> bool {
        self.results.iter().all(|r| r.passed)
    }
}

/// What the model did for one goal's probe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Observed {
    /// The connection could not be attempted.
    Probe(ProbeError),
    Trace(Trace),
    /// No pod `ns/name` to run a check from or on.
    NoPod(String),
    /// The DNS name is no valid name.
    BadName(String),
    Lookup {
        rcode: &'static str,
        answers: Vec<Record>,
        queries: usize,
    },
    NoService(String),
    Service {
        ready: usize,
        load_balancer: LoadBalancerStatus,
    },
    /// The policies (`ns/name`) that isolate the pod in the goal's direction.
    Isolation {
        by: Vec<String>,
    },
    /// Pods with the labels, and those of them in the goal's phase.
    Pods {
        matching: usize,
        in_phase: usize,
    },
    /// The value of the goal's variable in the pod, if set.
    Env {
        value: Option<String>,
    },
    /// Cells that differ (source, destination, whether allowed) and labels no entry has.
    Matrix {
        wrong: Vec<(String, String, bool)>,
        unknown: Vec<String>,
    },
    /// The workspace's errors.
    Errors(Vec<Diagnostic>),
}

/// Applies the learner's files (see [`Lesson::workspace`]) and checks every goal.
pub fn check(lesson: &Lesson, learner: &[SourceFile]) -> Report {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&lesson.workspace(learner));
    let results = lesson
        .file
        .goals
        .iter()
        .map(|goal| {
            let (passed, observed) = evaluate(&sim, &outcome.diagnostics, goal);
            GoalResult {
                id: goal.id.clone(),
                description: goal.description.clone(),
                passed,
                actual: super::words::observed(sim.cluster(), &goal.check, &observed),
            }
        })
        .collect();
    Report { results, diagnostics: outcome.diagnostics }
}

/// Whether `goal` passes in `sim`, and what the model did.
pub fn evaluate(sim: &Simulation, diagnostics: &[Diagnostic], goal: &Goal) -> (bool, Observed) {
    let cluster = sim.cluster();
    match &goal.check {
        Check::Connection(g) => connection(cluster, g),
        Check::Dns(g) => dns(cluster, g),
        Check::Service(g) => service(cluster, g),
        Check::Isolation(g) => isolation(cluster, g),
        Check::Pods(g) => pods(cluster, g),
        Check::Env(g) => env(cluster, g),
        Check::Matrix(g) => matrix(sim, g),
        Check::NoErrors => {
            let errors: Vec<Diagnostic> =
                diagnostics.iter().filter(|d| d.severity == Severity::Error).cloned().collect();
            (errors.is_empty(), Observed::Errors(errors))
        }
    }
}

/// Whether `labels` has every pair of `wanted`.
pub fn has_labels(labels: &Labels, wanted: &Labels) -> bool {
    wanted.iter().all(|(k, v)| labels.get(k) == Some(v))
}

fn connection(cluster: &Cluster, g: &ConnectionGoal) -> (bool, Observed) {
    let trace = match connect(cluster, &g.from, &g.to, g.port, g.protocol) {
        Ok(trace) => trace,
        Err(e) => return (false, Observed::Probe(e)),
    };
    let passed = match (&g.expect, &trace.verdict) {
        (ConnectionExpect::Delivered { labels }, Verdict::Delivered { backend, .. }) => {
            labels.is_empty() || backend.pod.is_some_and(|p| has_labels(&cluster.pod(p).pod.meta.labels, labels))
        }
        (ConnectionExpect::Denied { policy }, Verdict::Dropped(Reason::PolicyDenied { policies, .. })) => {
            policy.as_ref().is_none_or(|p| policies.contains(p))
        }
        (ConnectionExpect::Refused, Verdict::Refused(_))
        | (ConnectionExpect::Dropped, Verdict::Dropped(_))
        | (ConnectionExpect::Timeout, Verdict::Timeout(_))
        | (ConnectionExpect::NoRoute, Verdict::NoRoute(_)) => true,
        _ => false,
    };
    let path_ok = g.encapsulated.is_none_or(|wanted| wanted == encapsulated(&trace));
    (passed && path_ok, Observed::Trace(trace))
}

/// Whether the trace's packet was wrapped for an overlay on its way.
pub(super) fn encapsulated(trace: &crate::dataplane::Trace) -> bool {
    trace.hops.iter().any(|h| matches!(h.step, crate::dataplane::Step::Encapsulate(_)))
}

/// The pod `ns/name` (`name` alone: in `default`).
fn find_pod(cluster: &Cluster, key: &str) -> Option<PodId> {
    let (namespace, name) = key.split_once('/').unwrap_or(("default", key));
    cluster.find_pod(namespace, name)
}

/// The lookup of a DNS goal, from its pod as its C library would do it, or why it cannot run.
pub(super) fn lookup(cluster: &Cluster, g: &DnsGoal) -> Result<Lookup, Box<Observed>> {
    let Some(id) = find_pod(cluster, &g.from) else { return Err(Box::new(Observed::NoPod(g.from.clone()))) };
    let Ok(name) = Name::parse(&g.name) else { return Err(Box::new(Observed::BadName(g.name.clone()))) };
    let dataplane = Dataplane::new(cluster);
    let network = Network::new(&dataplane);
    Ok(dataplane.dns().lookup(&network, Source::Pod(id), &name, &[g.qtype], Expansion::Glibc))
}

fn dns(cluster: &Cluster, g: &DnsGoal) -> (bool, Observed) {
    let lookup = match lookup(cluster, g) {
        Ok(lookup) => lookup,
        Err(observed) => return (false, *observed),
    };
    let passed = match &g.expect {
        DnsExpect::Answer { value } => {
            let of_type = lookup.answers.iter().filter(|r| r.record_type() == g.qtype);
            lookup.rcode == "NOERROR"
                && of_type.clone().next().is_some()
                && value.as_ref().is_none_or(|v| of_type.clone().any(|r| r.data_text() == v.trim_end_matches('.')))
        }
        DnsExpect::Failure(rcode) => lookup.rcode == rcode,
    };
    (passed, Observed::Lookup { rcode: lookup.rcode, answers: lookup.answers, queries: lookup.queries.len() })
}

fn service(cluster: &Cluster, g: &ServiceGoal) -> (bool, Observed) {
    let (namespace, name) = g.service.split_once('/').unwrap_or(("default", &g.service));
    let Some(s) = cluster.service(namespace, name) else { return (false, Observed::NoService(g.service.clone())) };
    let ready = s.endpoints.iter().filter(|e| e.ready).count();
    let has_address = matches!(s.load_balancer, LoadBalancerStatus::Ingress(_));
    let passed = g.ready_endpoints.is_none_or(|n| n as usize == ready)
        && g.external_address.is_none_or(|want| want == has_address);
    (passed, Observed::Service { ready, load_balancer: s.load_balancer.clone() })
}

fn isolation(cluster: &Cluster, g: &IsolationGoal) -> (bool, Observed) {
    let Some(id) = find_pod(cluster, &g.pod) else { return (false, Observed::NoPod(g.pod.clone())) };
    let flow = Flow { src: Endpoint::Pod(id), dst: Endpoint::Pod(id), port: 80, protocol: Protocol::TCP };
    let decision = decide(cluster, &flow);
    let side = match g.direction {
        Direction::Ingress => &decision.ingress,
        Direction::Egress => &decision.egress,
    };
    let by: Vec<String> = side
        .isolated_by
        .iter()
        .map(|p| {
            let meta = &cluster.network_policies[p.index()].meta;
            format!("{}/{}", meta.namespace, meta.name)
        })
        .collect();
    let passed =
        if g.isolated { !by.is_empty() && g.by.as_ref().is_none_or(|p| by.contains(p)) } else { by.is_empty() };
    (passed, Observed::Isolation { by })
}

fn pods(cluster: &Cluster, g: &PodsGoal) -> (bool, Observed) {
    let matching: Vec<_> = cluster
        .pods
        .iter()
        .filter(|p| p.pod.meta.namespace == g.namespace && has_labels(&p.pod.meta.labels, &g.labels))
        .collect();
    let in_phase = matching.iter().filter(|p| g.phase.as_deref().is_none_or(|ph| p.phase() == ph)).count();
    (in_phase == g.count as usize, Observed::Pods { matching: matching.len(), in_phase })
}

fn env(cluster: &Cluster, g: &EnvGoal) -> (bool, Observed) {
    let Some(id) = find_pod(cluster, &g.pod) else { return (false, Observed::NoPod(g.pod.clone())) };
    let value = cluster.pod(id).environment.iter().find(|(k, _)| k == &g.name).map(|(_, v)| v.clone());
    let passed = match (&value, g.set) {
        (Some(v), true) => g.value.as_ref().is_none_or(|want| want == v),
        (None, false) => true,
        _ => false,
    };
    (passed, Observed::Env { value })
}

fn matrix(sim: &Simulation, g: &MatrixGoal) -> (bool, Observed) {
    let m = sim.policy_index().matrix(g.port, g.protocol, &Scope::All);
    let mut unknown: Vec<String> = Vec::new();
    let mut position = |label: &str| {
        let found = m.position(label);
        if found.is_none() && !unknown.iter().any(|u| u == label) {
            unknown.push(label.to_string());
        }
        found
    };
    let columns: Vec<Option<usize>> = g.table.columns.iter().map(|c| position(c)).collect();
    let mut wrong = Vec::new();
    for (row, cells) in &g.table.rows {
        let Some(from) = position(row) else { continue };
        for ((label, to), want) in g.table.columns.iter().zip(&columns).zip(cells) {
            if let Some(to) = to {
                let allowed = m.allowed(from, *to);
                if allowed != *want {
                    wrong.push((row.clone(), label.clone(), allowed));
                }
            }
        }
    }
    (wrong.is_empty() && unknown.is_empty(), Observed::Matrix { wrong, unknown })
}

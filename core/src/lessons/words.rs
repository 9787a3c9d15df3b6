//! What a goal's probe found, in a sentence: the `actual` of a [`super::GoalResult`]. It reads
//! the [`Observed`] data (and the goal, to say what differs) and decides nothing; connection
//! verdicts are worded by the dataplane's own renderer.

use super::check::Observed;
use super::goal::{Check, ConnectionExpect, DnsGoal, EnvGoal, IsolationGoal, PodsGoal, ServiceGoal};
use super::probe::ProbeError;
use crate::api::Labels;
use crate::cluster::{Cluster, LoadBalancerStatus};
use crate::dataplane::{render, Verdict};
use crate::diag::Diagnostic;

/// How many differing matrix cells are listed before "and N more".
const CELLS_SHOWN: usize = 4;

/// The sentence for `observed`, the result of `check`'s probe.
pub fn observed(cluster: &Cluster, check: &Check, observed: &Observed) -> String {
    match observed {
        Observed::Probe(e) => probe_error(e),
        Observed::Trace(trace) => {
            if let (Check::Connection(g), Verdict::Delivered { backend, .. }) = (check, &trace.verdict) {
                if let (ConnectionExpect::Delivered { labels }, Some(pod)) = (&g.expect, backend.pod) {
                    let state = cluster.pod(pod);
                    if !super::check::has_labels(&state.pod.meta.labels, labels) {
                        return format!("reached {}, not a pod with {}", state.key(), selector(labels));
                    }
                }
            }
            if let (Check::Connection(g), Verdict::Delivered { .. }) = (check, &trace.verdict) {
                let wrapped = super::check::encapsulated(trace);
                if g.encapsulated.is_some_and(|wanted| wanted != wrapped) {
                    let how = if wrapped {
                        "wrapped in VXLAN between the nodes (an overlay)"
                    } else if trace.hops.iter().any(|h| matches!(h.at, crate::dataplane::Location::NodeEth0(_))) {
                        "routed between the nodes as it is, without encapsulation"
                    } else {
                        "delivered without leaving its node, so nothing was encapsulated"
                    };
                    return format!("{}; the packet was {how}", render::reason(cluster, &trace.verdict));
                }
            }
            match trace.verdict {
                Verdict::Delivered { .. } => render::reason(cluster, &trace.verdict),
                _ => format!("{}: {}", trace.verdict.word(), render::reason(cluster, &trace.verdict)),
            }
        }
        Observed::NoPod(pod) => format!("there is no pod {pod}"),
        Observed::BadName(name) => format!("{name:?} is no valid DNS name"),
        Observed::NoService(service) => format!("there is no Service {service}"),
        Observed::Lookup { rcode, answers, queries } => lookup(check, rcode, answers, *queries),
        Observed::Service { ready, load_balancer } => service(check, *ready, load_balancer),
        Observed::Isolation { by } => isolation(check, by),
        Observed::Pods { matching, in_phase } => pods(check, *matching, *in_phase),
        Observed::Env { value } => env(check, value.as_deref()),
        Observed::Matrix { wrong, unknown } => matrix(wrong, unknown),
        Observed::Errors(errors) => errors_text(errors),
    }
}

fn probe_error(e: &ProbeError) -> String {
    match e {
        ProbeError::Trace(e) => e.to_string(),
        ProbeError::NoService { service } => format!("there is no Service {service}"),
        ProbeError::NoPort { service, port } => format!("Service {service} has no port {port}"),
        ProbeError::NoClusterIp { service } => format!("Service {service} has no ClusterIP"),
        ProbeError::NoNodePort { service } => format!("Service {service} has no nodePort (its type is not NodePort)"),
        ProbeError::NoExternalAddress { service, status } => match status {
            LoadBalancerStatus::Pending => format!("Service {service} has no external address yet (<pending>)"),
            _ => format!("Service {service} is not of type LoadBalancer"),
        },
    }
}

fn service(check: &Check, ready: usize, load_balancer: &LoadBalancerStatus) -> String {
    let endpoints = format!("{ready} ready endpoint{}", plural(ready));
    let address = match load_balancer {
        LoadBalancerStatus::NotApplicable => "no external address (not a LoadBalancer Service)".to_string(),
        LoadBalancerStatus::Pending => "external address <pending>".to_string(),
        LoadBalancerStatus::Ingress(ip) => format!("external address {ip}"),
    };
    match check {
        Check::Service(ServiceGoal { ready_endpoints: None, .. }) => address,
        Check::Service(ServiceGoal { external_address: None, .. }) => endpoints,
        _ => format!("{endpoints}; {address}"),
    }
}

fn selector(labels: &Labels) -> String {
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn lookup(check: &Check, rcode: &str, answers: &[crate::dns::Record], queries: usize) -> String {
    let name = match check {
        Check::Dns(DnsGoal { name, .. }) => name.as_str(),
        _ => "",
    };
    if answers.is_empty() {
        return format!("{name}: {rcode} after {queries} quer{}", if queries == 1 { "y" } else { "ies" });
    }
    let records: Vec<String> =
        answers.iter().map(|r| format!("{} {} {}", r.name.as_str(), r.record_type().as_str(), r.data_text())).collect();
    format!("{name}: {rcode}: {}", records.join("; "))
}

fn isolation(check: &Check, by: &[String]) -> String {
    let (pod, direction) = match check {
        Check::Isolation(IsolationGoal { pod, direction, .. }) => (pod.as_str(), direction.field()),
        _ => ("", ""),
    };
    if by.is_empty() {
        format!("no NetworkPolicy isolates {pod} for {direction}")
    } else {
        format!("{pod} is isolated for {direction} by NetworkPolicy {}", by.join(", "))
    }
}

fn pods(check: &Check, matching: usize, in_phase: usize) -> String {
    let (labels, phase) = match check {
        Check::Pods(PodsGoal { labels, phase, .. }) => (selector(labels), phase.as_deref()),
        _ => (String::new(), None),
    };
    let matched = if labels.is_empty() { "in the namespace".to_string() } else { format!("with {labels}") };
    match phase {
        Some(phase) => format!("{matching} pod{} {matched}, {in_phase} of them {phase}", plural(matching)),
        None => format!("{matching} pod{} {matched}", plural(matching)),
    }
}

fn env(check: &Check, value: Option<&str>) -> String {
    let (pod, name) = match check {
        Check::Env(EnvGoal { pod, name, .. }) => (pod.as_str(), name.as_str()),
        _ => ("", ""),
    };
    match value {
        Some(v) => format!("{name}={v} in {pod}"),
        None => format!("{name} is not set in {pod}"),
    }
}

fn matrix(wrong: &[(String, String, bool)], unknown: &[String]) -> String {
    let mut parts: Vec<String> = unknown.iter().map(|u| format!("{u} is in no row of the matrix")).collect();
    parts.extend(
        wrong
            .iter()
            .take(CELLS_SHOWN)
            .map(|(from, to, allowed)| format!("{from} -> {to} is {}", if *allowed { "allowed" } else { "denied" })),
    );
    if wrong.len() > CELLS_SHOWN {
        parts.push(format!("and {} more cells differ", wrong.len() - CELLS_SHOWN));
    }
    if parts.is_empty() {
        "the matrix is as expected".to_string()
    } else {
        parts.join("; ")
    }
}

fn errors_text(errors: &[Diagnostic]) -> String {
    match errors.first() {
        None => "the workspace applies without errors".to_string(),
        Some(first) => format!("{} error{}; the first: {first}", errors.len(), plural(errors.len())),
    }
}

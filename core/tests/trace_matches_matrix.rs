//! Traces and the connectivity matrix come from one policy engine, so they must agree: for
//! every ordered pair of pods, a trace on the matrix's port is delivered exactly when the
//! matrix cell is allowed (issue 5: "trace verdicts and the matrix must agree"), on the
//! upstream e2e cluster with fixed policies and on random clusters (`policy_support`).

mod policy_support;

use kubeplay_core::api::Protocol;
use kubeplay_core::cluster::Cluster;
use kubeplay_core::dataplane::{
    Closed, Dataplane, Direction, PolicyOutcome, Reason, Source, Step, Target, Trace, TraceRequest, Verdict,
};
use kubeplay_core::policy::{self, decide, Endpoint, Matrix};
use kubeplay_core::render::Scope;
use kubeplay_core::simulation::{Simulation, SourceFile};
use policy_support::{simulation, workspace, world, PROBES};
use proptest::prelude::*;
use std::net::IpAddr;

/// Namespaces x, y, z with pods a, b, c serving 80 and 81, as upstream's e2e suite sets up.
fn cluster_with(policies: &str) -> Simulation {
    let mut text = String::new();
    for ns in ["x", "y", "z"] {
        text.push_str(&format!(
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \"{ns}\"\n  labels:\n    ns: \"{ns}\"\n---\n"
        ));
        for pod in ["a", "b", "c"] {
            text.push_str(&format!(
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {pod}\n  namespace: \"{ns}\"\n  labels:\n    pod: {pod}\nspec:\n  containers:\n  - name: c\n    image: agnhost\n    ports:\n    - containerPort: 80\n    - containerPort: 81\n---\n"
            ));
        }
    }
    text.push_str(policies);
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("x.yaml", text)]);
    assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
    sim
}

fn assert_traces_match_matrix(sim: &Simulation, port: u16) {
    let cluster = sim.cluster();
    let matrix = policy::matrix(cluster, port, Protocol::TCP, &Scope::All);
    let dataplane = Dataplane::new(cluster);
    let pods: Vec<(usize, kubeplay_core::cluster::PodId)> = matrix
        .entries()
        .iter()
        .enumerate()
        .filter_map(|(i, e)| match e.endpoint {
            Endpoint::Pod(id) if !cluster.pod(id).system => Some((i, id)),
            _ => None,
        })
        .collect();
    assert_eq!(pods.len(), 9);
    for &(i, from) in &pods {
        for &(j, to) in &pods {
            let request = TraceRequest {
                from: Source::Pod(from),
                to: Target::Pod(to),
                port: Some(port),
                protocol: Protocol::TCP,
                seed: 7,
            };
            let trace = dataplane.trace(&request).expect("traceable");
            let delivered = matches!(trace.verdict, Verdict::Delivered { .. });
            assert_eq!(
                delivered,
                matrix.allowed(i, j),
                "{} -> {}: trace {:?}, matrix {}",
                cluster.pod(from).key(),
                cluster.pod(to).key(),
                trace.verdict,
                matrix.allowed(i, j)
            );
        }
    }
}

#[test]
fn without_policies_every_trace_is_delivered_like_every_cell() {
    assert_traces_match_matrix(&cluster_with(""), 80);
}

#[test]
fn default_deny_ingress_in_x_agrees() {
    let policies = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\n  namespace: \"x\"\nspec:\n  podSelector: {}\n";
    assert_traces_match_matrix(&cluster_with(policies), 80);
}

#[test]
fn allow_from_pod_b_in_namespace_y_and_the_one_dash_or_agree() {
    let and = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: and\n  namespace: \"x\"\nspec:\n  podSelector:\n    matchLabels:\n      pod: a\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          ns: \"y\"\n      podSelector:\n        matchLabels:\n          pod: b\n---\n";
    let or = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: or\n  namespace: \"z\"\nspec:\n  podSelector:\n    matchLabels:\n      pod: c\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          ns: \"y\"\n    - podSelector:\n        matchLabels:\n          pod: b\n    ports:\n    - port: 80\n";
    let sim = cluster_with(&format!("{and}{or}"));
    assert_traces_match_matrix(&sim, 80);
    assert_traces_match_matrix(&sim, 81);
}

#[test]
fn egress_deny_with_an_allow_to_x_agrees() {
    let policies = "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: egress\n  namespace: \"z\"\nspec:\n  podSelector: {}\n  policyTypes: [Egress]\n  egress:\n  - to:\n    - namespaceSelector:\n        matchLabels:\n          ns: \"x\"\n    ports:\n    - port: 81\n";
    let sim = cluster_with(policies);
    assert_traces_match_matrix(&sim, 80);
    assert_traces_match_matrix(&sim, 81);
}

/// The trace of cell (`i`, `j`) of `matrix`: from the row's pod, node or outside address to the
/// column's pod IP, node IP or outside address, on the matrix's port and protocol. `None` for
/// an outside source and a destination on the pod network: outside the cluster there is no
/// route to pod addresses (the cell says what policy would do to such a packet, NodePort and
/// LoadBalancer traffic reaches pods that way after DNAT), and for outside to outside.
fn cell_trace(dataplane: &Dataplane, matrix: &Matrix, i: usize, j: usize, seed: u64) -> Option<Trace> {
    let cluster = dataplane.cluster();
    let from = match matrix.entries()[i].endpoint {
        Endpoint::Pod(id) => Source::Pod(id),
        Endpoint::Node(id) => Source::Node(id),
        Endpoint::External(ip) => Source::External(ip),
    };
    let to = match matrix.entries()[j].endpoint {
        Endpoint::Pod(id) if matches!(from, Source::External(_)) && !cluster.pod(id).pod.spec.host_network => {
            return None
        }
        Endpoint::Pod(id) => Target::Pod(id),
        Endpoint::Node(id) => Target::Ip(IpAddr::V4(cluster.node(id).internal_ip)),
        Endpoint::External(_) if matches!(from, Source::External(_)) => return None,
        Endpoint::External(ip) => Target::Ip(ip),
    };
    let request = TraceRequest { from, to, port: Some(matrix.port), protocol: matrix.protocol, seed };
    Some(dataplane.trace(&request).expect("every matrix entry is running, so it can be traced"))
}

/// Whether the destination of cell `j` has a socket for the matrix's port: a pod on the pod
/// network that declares container ports listens only on those (one that declares none is
/// assumed to listen); the rest (nodes, hostNetwork pods, outside hosts) are checked by the
/// trace's own `NotListening` place.
fn pod_refuses(cluster: &Cluster, matrix: &Matrix, j: usize) -> bool {
    let Endpoint::Pod(id) = matrix.entries()[j].endpoint else { return false };
    let spec = &cluster.pod(id).pod.spec;
    let declared: Vec<_> = spec.ports().map(|p| (p.container_port, p.protocol)).collect();
    !spec.host_network && !declared.is_empty() && !declared.contains(&(matrix.port, matrix.protocol))
}

/// Checks cell (`i`, `j`) against its trace: an allowed cell is delivered (or refused by a
/// destination with no socket on the port) and passes every policy check on the way; a
/// denied cell is dropped by NetworkPolicy at the side `decide` denies first (the source's
/// egress before the destination's ingress: the packet leaves before it arrives), naming the
/// pod of that side and the policies isolating it.
fn check_cell(cluster: &Cluster, matrix: &Matrix, i: usize, j: usize, trace: &Trace) -> Result<(), String> {
    let label = format!(
        "{} -> {} on {}/{}",
        matrix.entries()[i].label,
        matrix.entries()[j].label,
        matrix.port,
        matrix.protocol
    );
    let policy_hops: Vec<&PolicyOutcome> = trace
        .hops
        .iter()
        .filter_map(|h| match &h.step {
            Step::Policy { outcome, .. } => Some(outcome),
            _ => None,
        })
        .collect();
    if matrix.allowed(i, j) {
        if policy_hops.iter().any(|o| !o.allows()) {
            return Err(format!("{label}: allowed cell, but a policy check denied: {:?}", trace.verdict));
        }
        let ok = match &trace.verdict {
            Verdict::Delivered { .. } => !pod_refuses(cluster, matrix, j),
            Verdict::Refused(Reason::NotListening { at: Closed::Pod(_), .. }) => pod_refuses(cluster, matrix, j),
            Verdict::Refused(Reason::NotListening { at: Closed::Node(_), .. }) => {
                !matches!(matrix.entries()[j].endpoint, Endpoint::External(_))
            }
            _ => false,
        };
        return if ok { Ok(()) } else { Err(format!("{label}: allowed cell, trace {:?}", trace.verdict)) };
    }
    let decision = decide(cluster, &matrix.flow(i, j));
    let first = *decision.denied_at().first().ok_or(format!("{label}: denied cell, but decide allows"))?;
    let (side, pod) = match first {
        Direction::Egress => (&decision.egress, matrix.entries()[i].endpoint),
        Direction::Ingress => (&decision.ingress, matrix.entries()[j].endpoint),
    };
    let policies: Vec<String> = side
        .isolated_by
        .iter()
        .map(|id| {
            let p = &cluster.network_policies[id.index()];
            format!("{}/{}", p.meta.namespace, p.meta.name)
        })
        .collect();
    match &trace.verdict {
        Verdict::Dropped(Reason::PolicyDenied { direction, pod: dropped_at, policies: named })
            if *direction == first && Endpoint::Pod(*dropped_at) == pod && *named == policies =>
        {
            Ok(())
        }
        other => Err(format!("{label}: denied at {first:?} of {pod:?} by {policies:?}, trace {other:?}")),
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    /// Every cell of every probe's matrix (pods, nodes and the outside) against its trace.
    #[test]
    fn on_random_clusters_every_trace_agrees_with_its_matrix_cell(w in world(), seed in any::<u64>()) {
        let sim = simulation(&workspace(&w, ""));
        let cluster = sim.cluster();
        let dataplane = Dataplane::new(cluster);
        for (port, protocol) in PROBES {
            let matrix = sim.policy_index().matrix(port, protocol, &Scope::All);
            for i in 0..matrix.entries().len() {
                for j in 0..matrix.entries().len() {
                    if let Some(trace) = cell_trace(&dataplane, &matrix, i, j, seed) {
                        if let Err(why) = check_cell(cluster, &matrix, i, j, &trace) {
                            return Err(TestCaseError::fail(format!("{why}\n{}", workspace(&w, ""))));
                        }
                    }
                }
            }
        }
    }
}

//! Traces and the connectivity matrix come from one policy engine, so they must agree: for
//! every ordered pair of pods, a trace on the matrix's port is delivered exactly when the
//! matrix cell is allowed (issue 5: "trace verdicts and the matrix must agree").

use kubeplay_core::dataplane::{Dataplane, Source, Target, TraceRequest, Verdict};
use kubeplay_core::policy::{self, Endpoint};
use kubeplay_core::render::Scope;
use kubeplay_core::simulation::{Simulation, SourceFile};
use kubeplay_core::api::Protocol;

/// Namespaces x, y, z with pods a, b, c serving 80 and 81, as upstream's e2e suite sets up.
fn cluster_with(policies: &str) -> Simulation {
    let mut text = String::new();
    for ns in ["x", "y", "z"] {
        text.push_str(&format!("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \"{ns}\"\n  labels:\n    ns: \"{ns}\"\n---\n"));
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
            let request = TraceRequest { from: Source::Pod(from), to: Target::Pod(to), port: Some(port), protocol: Protocol::TCP, seed: 7 };
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

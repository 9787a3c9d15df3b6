//! The NetworkPolicy engine at scale: the connectivity matrix of 1,000 pods under 200 policies
//! for one port and protocol (goal < 20 ms native), split into compiling the policies
//! (`PolicyIndex::new`, once per apply) and answering a matrix from the compiled index, plus one
//! `decide` with its evidence. Figures go in README's development section.

use criterion::{criterion_group, criterion_main, Criterion};
use kubeplay_core::api::Protocol;
use kubeplay_core::bench_fixtures::policy_workspace;
use kubeplay_core::cluster::PodId;
use kubeplay_core::policy::{self, decide, Endpoint, Flow, PolicyIndex};
use kubeplay_core::render::Scope;
use kubeplay_core::simulation::{Simulation, SourceFile};

fn bench_policy(c: &mut Criterion) {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("bench.yaml", policy_workspace())]);
    assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
    let cluster = sim.cluster();
    assert_eq!(cluster.pods.len(), 1002, "1,000 pods and CoreDNS");
    assert_eq!(cluster.network_policies.len(), 200);
    let index = PolicyIndex::new(cluster);

    let mut group = c.benchmark_group("policy");
    group.bench_function("matrix-1000-pods-200-policies", |b| {
        b.iter(|| policy::matrix(cluster, 80, Protocol::TCP, &Scope::All));
    });
    group.bench_function("compile-1000-pods-200-policies", |b| b.iter(|| PolicyIndex::new(cluster)));
    group.bench_function("matrix-from-compiled-index", |b| b.iter(|| index.matrix(80, Protocol::TCP, &Scope::All)));
    let flow =
        Flow { src: Endpoint::Pod(PodId(20)), dst: Endpoint::Pod(PodId(500)), port: 80, protocol: Protocol::TCP };
    group.bench_function("decide-one-flow", |b| b.iter(|| decide(cluster, &flow)));
    group.finish();
}

criterion_group!(benches, bench_policy);
criterion_main!(benches);

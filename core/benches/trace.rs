//! Packet traces through the dataplane, on clusters built with `Simulation::apply`.
//!
//! Two goals from issue 4: one trace on a lesson-size cluster under 50 µs, and 10,000 traces on
//! a 1,000-pod cluster under 200 ms (indexing the cluster once, as a front end does per apply,
//! included). Figures go in README's development section.

use criterion::{criterion_group, criterion_main, Criterion};
use kubeplay_core::api::Protocol;
use kubeplay_core::bench_fixtures::trace_workspace;
use kubeplay_core::dataplane::{Dataplane, Source, Target, TraceRequest, Verdict};
use kubeplay_core::simulation::{Simulation, SourceFile};
use std::hint::black_box;

fn cluster(text: String) -> Simulation {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("bench.yaml", text)]);
    assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
    sim
}

fn requests(sim: &Simulation, apps: usize, namespaces: usize, count: usize) -> Vec<TraceRequest> {
    let cluster = sim.cluster();
    (0..count)
        .map(|i| {
            let a = i % apps;
            let ns = a % namespaces;
            let from = Source::parse(cluster, &format!("ns{ns}/client")).expect("client exists");
            let to = Target::parse(cluster, &format!("svc/ns{ns}/app{a}")).expect("service exists");
            TraceRequest { from, to, port: None, protocol: Protocol::TCP, seed: i as u64 }
        })
        .collect()
}

fn bench_trace(c: &mut Criterion) {
    let mut group = c.benchmark_group("trace");
    // Lesson size: 6 Deployments x 3 replicas behind 6 Services, 2 clients.
    let lesson = cluster(trace_workspace(6, 3, 2));
    let dataplane = Dataplane::new(lesson.cluster());
    let one = requests(&lesson, 6, 2, 1).remove(0);
    group.bench_function("one-trace-lesson-size", |b| b.iter(|| dataplane.trace(black_box(&one))));
    // The same connection to the Service's name: the client's lookup (A and AAAA, each query
    // a trace to CoreDNS) comes first.
    let by_name = TraceRequest { to: Target::parse(lesson.cluster(), "app0.ns0").expect("a name"), ..one.clone() };
    assert!(matches!(dataplane.trace(&by_name).map(|t| t.verdict), Ok(Verdict::Delivered { .. })));
    group.bench_function("one-trace-by-name-lesson-size", |b| b.iter(|| dataplane.trace(black_box(&by_name))));
    // Large: 100 Deployments x 10 replicas = 1,000 pods (plus 10 clients), 100 Services.
    let large = cluster(trace_workspace(100, 10, 10));
    let batch = requests(&large, 100, 10, 10_000);
    group.sample_size(10);
    group.bench_function("10000-traces-1000-pods", |b| {
        b.iter(|| {
            let dataplane = Dataplane::new(large.cluster());
            batch.iter().filter(|r| dataplane.trace(r).is_ok()).count()
        })
    });
    group.finish();
}

criterion_group!(benches, bench_trace);
criterion_main!(benches);

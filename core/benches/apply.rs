//! Parse + validate + apply + controllers, end to end through `Simulation::apply`.
//!
//! Two sizes: a lesson-size workspace (~30 objects; goal < 1 ms) and a large one (1,000 pods,
//! 300 Services, 200 NetworkPolicies; goal < 50 ms), each applied to a fresh cluster (`apply`),
//! applied again to the cluster it built (`reapply`), applied again with one document edited
//! (`reapply-one-edit`: what the browser does on every pause in typing), and drawn (`view`,
//! the structs the web app renders). Figures go in README's development section.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use kubeplay_core::bench_fixtures::apply_workspaces;
use kubeplay_core::simulation::{Simulation, SourceFile};

/// The two workspaces measured, by name, as files.
fn workspaces() -> Vec<(&'static str, Vec<SourceFile>)> {
    apply_workspaces().into_iter().map(|(name, text)| (name, vec![SourceFile::new("bench.yaml", text)])).collect()
}

/// A first apply, to a fresh cluster (the goals above are for this one).
fn bench_apply(c: &mut Criterion) {
    let mut group = c.benchmark_group("apply");
    for (name, files) in workspaces() {
        group.bench_with_input(BenchmarkId::from_parameter(name), &files, |b, files| {
            b.iter(|| Simulation::new().apply(files));
        });
    }
    group.finish();
}

/// What the browser does on every pause in typing: apply the workspace again to the cluster it
/// was applied to (here unchanged, so every object is `unchanged`), then build the view it draws.
fn bench_edit_loop(c: &mut Criterion) {
    let mut group = c.benchmark_group("reapply");
    for (name, files) in workspaces() {
        let mut sim = Simulation::new();
        sim.apply(&files);
        group.bench_with_input(BenchmarkId::from_parameter(name), &files, |b, files| {
            b.iter(|| sim.apply(files));
        });
    }
    group.finish();
    let mut group = c.benchmark_group("reapply-one-edit");
    for (name, files) in workspaces() {
        let edited = one_edit(&files);
        let mut sim = Simulation::new();
        sim.apply(&files);
        let mut turn = false;
        group.bench_function(BenchmarkId::from_parameter(name), |b| {
            b.iter(|| {
                turn = !turn;
                sim.apply(if turn { &edited } else { &files })
            })
        });
    }
    group.finish();
    let mut group = c.benchmark_group("view");
    for (name, files) in workspaces() {
        let mut sim = Simulation::new();
        sim.apply(&files);
        group.bench_function(BenchmarkId::from_parameter(name), |b| b.iter(|| sim.view()));
    }
    group.finish();
}

/// The workspace with the `replicas` of its middle Deployment changed (a `1` written before it), so
/// that applying it and the original in turn changes one document each time.
fn one_edit(files: &[SourceFile]) -> Vec<SourceFile> {
    files
        .iter()
        .map(|file| {
            let at: Vec<usize> = file.text.match_indices("replicas: ").map(|(i, _)| i + "replicas: ".len()).collect();
            let mut text = file.text.clone();
            if let Some(&middle) = at.get(at.len() / 2) {
                text.insert(middle, '1');
            }
            SourceFile::new(file.name.clone(), text)
        })
        .collect()
}

criterion_group!(benches, bench_apply, bench_edit_loop);
criterion_main!(benches);

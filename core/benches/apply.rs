//! Parse + validate + apply + controllers, end to end through `Simulation::apply`.
//!
//! Two sizes: a lesson-size workspace (~30 objects; goal < 1 ms) and a large one (1,000 pods,
//! 300 Services, 200 NetworkPolicies; goal < 50 ms), each applied to a fresh cluster (`apply`),
//! applied again to the cluster it built (`reapply`, what the browser does on every pause in
//! typing), and drawn (`view`, the structs the web app renders). Figures go in README's
//! development section.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use kubeplay_core::simulation::{Simulation, SourceFile};
use std::fmt::Write;

/// A workspace of `apps` Deployments (each with `replicas` pods and a Service) and
/// `policies` NetworkPolicies, spread over `namespaces` namespaces.
fn workspace(apps: usize, replicas: usize, extra_services: usize, policies: usize, namespaces: usize) -> String {
    let mut text = String::new();
    for n in 0..namespaces {
        let _ = write!(text, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns{n}\n  labels:\n    team: t{n}\n---\n");
    }
    for a in 0..apps {
        let ns = a % namespaces;
        let _ = write!(
            text,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{a}\n  namespace: ns{ns}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: app{a}\n  template:\n    metadata:\n      labels:\n        app: app{a}\n        tier: t{}\n    spec:\n      containers:\n      - name: main\n        image: nginx:1.27\n        ports:\n        - name: http\n          containerPort: 8080\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app{a}\n  namespace: ns{ns}\nspec:\n  type: {}\n  selector:\n    app: app{a}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n---\n",
            a % 3,
            if a % 5 == 0 { "NodePort" } else { "ClusterIP" }
        );
    }
    for s in 0..extra_services {
        let ns = s % namespaces;
        let _ = write!(
            text,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: extra{s}\n  namespace: ns{ns}\nspec:\n  selector:\n    tier: t{}\n  ports:\n  - port: 8080\n---\n",
            s % 3
        );
    }
    for p in 0..policies {
        let ns = p % namespaces;
        let _ = write!(
            text,
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: pol{p}\n  namespace: ns{ns}\nspec:\n  podSelector:\n    matchLabels:\n      app: app{}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: t{}\n      podSelector:\n        matchLabels:\n          tier: t{}\n    ports:\n    - port: 8080\n---\n",
            p % apps.max(1),
            (p + 1) % namespaces,
            p % 3
        );
    }
    text
}

/// The two workspaces measured, by name.
fn workspaces() -> [(&'static str, Vec<SourceFile>); 2] {
    // Lesson size: 2 namespaces, 6 Deployments x 3 replicas with their Services, 4 extra
    // Services, 6 policies: 30 declared objects, 18 pods.
    let lesson = workspace(6, 3, 4, 6, 2);
    // Large: 100 Deployments x 10 replicas = 1,000 pods, 100 + 200 = 300 Services, 200 policies.
    let large = workspace(100, 10, 200, 200, 10);
    [
        ("lesson-30-objects", vec![SourceFile::new("bench.yaml", lesson)]),
        ("large-1000-pods", vec![SourceFile::new("bench.yaml", large)]),
    ]
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
    let mut group = c.benchmark_group("view");
    for (name, files) in workspaces() {
        let mut sim = Simulation::new();
        sim.apply(&files);
        group.bench_function(BenchmarkId::from_parameter(name), |b| b.iter(|| sim.view()));
    }
    group.finish();
}

criterion_group!(benches, bench_apply, bench_edit_loop);
criterion_main!(benches);

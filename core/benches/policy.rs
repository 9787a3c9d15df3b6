//! The NetworkPolicy engine at scale: the connectivity matrix of 1,000 pods under 200 policies
//! for one port and protocol (goal < 20 ms native), split into compiling the policies
//! (`PolicyIndex::new`, once per apply) and answering a matrix from the compiled index, plus one
//! `decide` with its evidence. Figures go in README's development section.

use criterion::{criterion_group, criterion_main, Criterion};
use kubeplay_core::api::Protocol;
use kubeplay_core::cluster::PodId;
use kubeplay_core::policy::{self, decide, Endpoint, Flow, PolicyIndex};
use kubeplay_core::render::Scope;
use kubeplay_core::simulation::{Simulation, SourceFile};
use std::fmt::Write;

/// 10 namespaces, 100 Deployments of 10 replicas (1,000 pods) and 200 policies: ingress from
/// namespace-and-pod peers and from pod peers on numeric and named ports, ipBlocks, and
/// egress policies, spread over the namespaces.
fn workspace() -> String {
    let mut text = String::new();
    for n in 0..10 {
        let _ = write!(
            text,
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns{n}\n  labels:\n    team: t{}\n---\n",
            n % 4
        );
    }
    for a in 0..100 {
        let _ = write!(
            text,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{a}\n  namespace: ns{}\nspec:\n  replicas: 10\n  selector:\n    matchLabels:\n      app: app{a}\n  template:\n    metadata:\n      labels:\n        app: app{a}\n        tier: t{}\n    spec:\n      containers:\n      - name: main\n        image: nginx:1.27\n        ports:\n        - name: http\n          containerPort: 80\n---\n",
            a % 10,
            a % 3
        );
    }
    for p in 0..200 {
        let peer = match p % 4 {
            0 => format!("    - namespaceSelector:\n        matchLabels:\n          team: t{}\n      podSelector:\n        matchLabels:\n          tier: t{}\n", p % 4, p % 3),
            1 => format!("    - podSelector:\n        matchExpressions:\n        - {{key: tier, operator: In, values: [t{}, t{}]}}\n", p % 3, (p + 1) % 3),
            2 => "    - ipBlock:\n        cidr: 10.244.0.0/16\n        except: [10.244.1.0/24]\n".to_string(),
            _ => format!("    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: ns{}\n", (p + 3) % 10),
        };
        let (types, key, peers) = if p % 5 == 0 { ("Egress", "egress", "to") } else { ("Ingress", "ingress", "from") };
        let port = if p % 2 == 0 { "http" } else { "80" };
        let _ = write!(
            text,
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: pol{p}\n  namespace: ns{}\nspec:\n  podSelector:\n    matchLabels:\n      app: app{}\n  policyTypes: [{types}]\n  {key}:\n  - {peers}:\n{peer}    ports:\n    - port: {port}\n---\n",
            p % 10,
            (p * 7) % 100
        );
    }
    text
}

fn bench_policy(c: &mut Criterion) {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("bench.yaml", workspace())]);
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

//! One DNS lookup on a 1,000-Service cluster (goal: < 20 µs native): the cluster is built
//! through `Simulation::apply`, the DNS index once (`Dns::new`), then lookups are measured.
//! Figures go in README's development section.

use criterion::{criterion_group, criterion_main, Criterion};
use kubeplay_core::dataplane::{Dataplane, Source};
use kubeplay_core::dns::{Dns, Expansion, Name, Network, RecordType};
use kubeplay_core::simulation::{Simulation, SourceFile};
use std::fmt::Write;

/// 1,000 Services over 10 namespaces (a tenth of them with a 2-pod Deployment) and a client pod.
fn workspace() -> String {
    let mut text = String::new();
    for n in 0..10 {
        let _ = write!(text, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns{n}\n---\n");
    }
    for s in 0..1000 {
        let ns = s % 10;
        let _ = write!(
            text,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc{s}\n  namespace: ns{ns}\nspec:\n  selector:\n    app: app{s}\n  ports:\n  - name: http\n    port: 80\n---\n"
        );
        if s % 10 == 0 {
            let _ = write!(
                text,
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{s}\n  namespace: ns{ns}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app{s}\n  template:\n    metadata:\n      labels:\n        app: app{s}\n    spec:\n      containers:\n      - name: main\n        image: nginx\n---\n"
            );
        }
    }
    text.push_str("apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n  namespace: ns0\nspec:\n  containers:\n  - name: c\n    image: busybox\n");
    text
}

fn bench_dns(c: &mut Criterion) {
    let mut sim = Simulation::new();
    sim.apply(&[SourceFile::new("bench.yaml", workspace())]);
    let cluster = sim.cluster();
    assert_eq!(cluster.services.len(), 1002, "1,000 Services plus the two system ones");
    let dataplane = Dataplane::new(cluster);
    let (dns, network) = (dataplane.dns(), Network::new(&dataplane));
    let client = Source::Pod(cluster.find_pod("ns0", "client").expect("client pod"));
    let mut group = c.benchmark_group("dns-1000-services");
    for (label, name) in
        [("short-name", "svc500"), ("other-namespace", "svc501.ns1"), ("external-4-queries", "api.example.com")]
    {
        let name = Name::parse(name).expect("a name");
        let lookup = dns.lookup(&network, client, &name, &[RecordType::A], Expansion::Glibc);
        assert_eq!(lookup.rcode, "NOERROR", "{label}");
        group.bench_function(label, |b| {
            b.iter(|| dns.lookup(&network, client, &name, &[RecordType::A], Expansion::Glibc))
        });
    }
    group.bench_function("index-build", |b| b.iter(|| Dns::new(cluster)));
    group.finish();
}

criterion_group!(benches, bench_dns);
criterion_main!(benches);

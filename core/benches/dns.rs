//! One DNS lookup on a 1,000-Service cluster (goal: < 20 µs native): the cluster is built
//! through `Simulation::apply`, the DNS index once (`Dns::new`), then lookups are measured.
//! Figures go in README's development section.

use criterion::{criterion_group, criterion_main, Criterion};
use kubeplay_core::bench_fixtures::dns_workspace;
use kubeplay_core::dataplane::{Dataplane, Source};
use kubeplay_core::dns::{Dns, Expansion, Name, Network, RecordType};
use kubeplay_core::simulation::{Simulation, SourceFile};

fn bench_dns(c: &mut Criterion) {
    let mut sim = Simulation::new();
    sim.apply(&[SourceFile::new("bench.yaml", dns_workspace())]);
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

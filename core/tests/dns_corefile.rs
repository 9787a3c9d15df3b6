//! CoreDNS's configuration from the `kube-system/coredns` ConfigMap: the default kubeadm
//! Corefile, `rewrite name` (CoreDNS rewrite plugin README, "Name Field Rewrites" and
//! "Response Rewrites"), stub domains (`forward`, and server blocks as in the kubernetes.io
//! task "Customizing DNS Service"), and the diagnostics for what the model does not run.

use kubeplay_core::cluster::Cluster;
use kubeplay_core::dataplane::{Dataplane, Source};
use kubeplay_core::diag::Severity;
use kubeplay_core::dns::{default_corefile, Dns, Expansion, Lookup, Name, Network, RecordType, ServerStep};
use kubeplay_core::simulation::{Simulation, SourceFile};

const BASE: &str = r#"
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports: [{name: http, port: 80}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: default}
spec:
  containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: ConfigMap
metadata: {name: kubeplay-upstream-dns, namespace: kube-system}
data:
  default: |
    example.com: 192.0.2.10
  10.150.0.1: |
    db.consul.local: 10.150.0.20
"#;

fn cluster_with_corefile(corefile: &str) -> Cluster {
    let indented: String = corefile.lines().map(|l| format!("    {l}\n")).collect();
    let text = format!(
        "{BASE}---\napiVersion: v1\nkind: ConfigMap\nmetadata: {{name: coredns, namespace: kube-system}}\ndata:\n  Corefile: |\n{indented}"
    );
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("ws.yaml", text)]);
    assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
    sim.cluster().clone()
}

fn dig(c: &Cluster, name: &str) -> Lookup {
    let dataplane = Dataplane::new(c);
    let id = c.find_pod("default", "client").expect("client");
    let name = Name::parse(name).expect("name");
    let dig = Expansion::Dig { search: false };
    dataplane.dns().lookup(&Network::new(&dataplane), Source::Pod(id), &name, &[RecordType::A], dig)
}

fn lines(lookup: &Lookup) -> Vec<String> {
    lookup.queries[0].outcome.answers().iter().map(|r| r.to_string()).collect()
}

fn with_line(extra: &str) -> String {
    default_corefile("cluster.local").replace("    ready\n", &format!("    ready\n    {extra}\n"))
}

#[test]
fn kubeadm_default_corefile_is_what_the_cluster_runs_without_a_configmap() {
    let mut sim = Simulation::new();
    sim.apply(&[SourceFile::new("ws.yaml", BASE)]);
    let dns = Dns::new(sim.cluster());
    assert!(dns.problems.is_empty());
    assert_eq!(dns.corefile_text, default_corefile("cluster.local"));
    for line in [
        "kubernetes cluster.local in-addr.arpa ip6.arpa {",
        "pods insecure",
        "ttl 30",
        "forward . /etc/resolv.conf {",
        "cache 30 {",
        "loadbalance",
    ] {
        assert!(dns.corefile_text.contains(line), "{line}");
    }
}

#[test]
fn rewrite_name_exact_answers_under_the_original_name() {
    let c = cluster_with_corefile(&with_line("rewrite name web.example.com web.default.svc.cluster.local"));
    let lookup = dig(&c, "web.example.com");
    let ip = c.service("default", "web").and_then(|s| s.cluster_ip).expect("ip");
    assert_eq!(lines(&lookup), [format!("web.example.com.\t30\tIN\tA\t{ip}")], "exact rewrites answers back");
    let kubeplay_core::dns::Outcome::Answered(r) = &lookup.queries[0].outcome else { panic!("answered") };
    assert!(matches!(&r.steps[0], ServerStep::Rewritten { to, .. } if to.as_str() == "web.default.svc.cluster.local"));
}

#[test]
fn rewrite_name_suffix_rewrites_answers_back_only_with_answer_auto() {
    let rule = "rewrite name suffix .corp.example. .default.svc.cluster.local.";
    let c = cluster_with_corefile(&with_line(rule));
    let ip = c.service("default", "web").and_then(|s| s.cluster_ip).expect("ip");
    assert_eq!(lines(&dig(&c, "web.corp.example")), [format!("web.default.svc.cluster.local.\t30\tIN\tA\t{ip}")]);
    let c = cluster_with_corefile(&with_line(&format!("{rule} answer auto")));
    assert_eq!(lines(&dig(&c, "web.corp.example")), [format!("web.corp.example.\t30\tIN\tA\t{ip}")]);
}

#[test]
fn forward_for_a_zone_is_a_stub_domain() {
    let c = cluster_with_corefile(&with_line("forward consul.local 10.150.0.1"));
    let lookup = dig(&c, "db.consul.local");
    assert_eq!(lines(&lookup), ["db.consul.local.\t300\tIN\tA\t10.150.0.20"]);
    let hops: Vec<String> = lookup.queries[0].packets.iter().map(|(p, _)| p.to_ip.to_string()).collect();
    assert_eq!(hops[1], "10.150.0.1", "CoreDNS forwards to the stub server");
    assert_eq!(dig(&c, "example.com").rcode, "NOERROR", "other names still go to the node's resolver");
    let c = cluster_with_corefile("");
    assert_eq!(dig(&c, "db.consul.local").rcode, "REFUSED", "an empty Corefile serves no zone");
}

#[test]
fn a_server_block_for_a_zone_is_a_stub_domain() {
    let corefile = format!(
        "{}consul.local:53 {{\n    errors\n    cache 30\n    forward . 10.150.0.1\n}}\n",
        default_corefile("cluster.local")
    );
    let c = cluster_with_corefile(&corefile);
    assert_eq!(lines(&dig(&c, "db.consul.local")), ["db.consul.local.\t300\tIN\tA\t10.150.0.20"]);
    let c = cluster_with_corefile(&with_line("forward consul.local 10.150.0.99"));
    assert_eq!(dig(&c, "db.consul.local").rcode, "SERVFAIL", "no nameserver at that address");
}

#[test]
fn plugins_the_model_does_not_run_are_warnings_and_unknown_directives_refuse_the_corefile() {
    let c = cluster_with_corefile(&with_line("hosts /etc/coredns/NodeHosts"));
    let dns = Dns::new(&c);
    assert_eq!(dns.problems.len(), 1);
    assert_eq!(dns.problems[0].severity(), Severity::Warning);
    assert_eq!(
        dns.problems[0].to_string(),
        "kube-system/coredns: Corefile:7: warning: plugin hosts is not modeled by kubeplay: the model ignores it"
    );
    let c = cluster_with_corefile(&with_line("frobnicate"));
    let dns = Dns::new(&c);
    let messages: Vec<String> = dns.problems.iter().map(ToString::to_string).collect();
    assert_eq!(
        messages,
        [
            "kube-system/coredns: Corefile:7: error: Unknown directive 'frobnicate'",
            "kube-system/coredns: Corefile: error: CoreDNS refuses this Corefile and keeps serving the default one",
        ]
    );
    assert_eq!(dns.corefile_text, default_corefile("cluster.local"));
    let c = cluster_with_corefile(&with_line("rewrite name regex (.*)\\.corp web.default.svc.cluster.local"));
    assert_eq!(Dns::new(&c).problems[0].severity(), Severity::Warning);
}

//! The records the cluster's DNS serves, each test named after the section of the Kubernetes
//! DNS-Based Service Discovery specification (kubernetes/dns `docs/specification.md`) it pins,
//! asked with absolute names through a pod's resolver (`dig NAME TYPE`, no search).

use kubeplay_core::cluster::Cluster;
use kubeplay_core::dataplane::{Dataplane, Source};
use kubeplay_core::dns::{Dns, Expansion, Lookup, Name, Network, RecordType};
use kubeplay_core::simulation::{Simulation, SourceFile};

const WORKSPACE: &str = r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: default}
spec:
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
      - name: web
        image: nginx
        ports: [{name: http, containerPort: 8080}]
---
apiVersion: v1
kind: Service
metadata: {name: web, namespace: default}
spec:
  selector: {app: web}
  ports:
  - {name: http, port: 80, targetPort: http}
  - {name: admin, port: 9000}
---
apiVersion: v1
kind: Service
metadata: {name: plain, namespace: default}
spec:
  selector: {app: web}
  ports: [{port: 9000}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db, namespace: default}
spec:
  serviceName: db
  replicas: 2
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec:
      containers:
      - name: db
        image: postgres
        ports: [{name: pg, containerPort: 5432}]
---
apiVersion: v1
kind: Service
metadata: {name: db, namespace: default}
spec:
  clusterIP: None
  selector: {app: db}
  ports: [{name: pg, port: 5432}]
---
apiVersion: v1
kind: Pod
metadata:
  name: slow
  namespace: default
  labels: {app: cache}
  annotations: {kubeplay.dev/ready: "false"}
spec:
  containers: [{name: c, image: redis}]
---
apiVersion: v1
kind: Service
metadata: {name: cache, namespace: default}
spec:
  clusterIP: None
  selector: {app: cache}
  ports: [{name: redis, port: 6379}]
---
apiVersion: v1
kind: Service
metadata: {name: cache-all, namespace: default}
spec:
  clusterIP: None
  publishNotReadyAddresses: true
  selector: {app: cache}
  ports: [{name: redis, port: 6379}]
---
apiVersion: v1
kind: Pod
metadata: {name: named, namespace: default, labels: {app: named}}
spec:
  hostname: box
  subdomain: named
  containers: [{name: c, image: busybox}]
---
apiVersion: v1
kind: Service
metadata: {name: named, namespace: default}
spec:
  clusterIP: None
  selector: {app: named}
---
apiVersion: v1
kind: Service
metadata: {name: ext, namespace: default}
spec:
  type: ExternalName
  externalName: www.example.com
---
apiVersion: v1
kind: Service
metadata: {name: alias, namespace: default}
spec:
  type: ExternalName
  externalName: ext.default.svc.cluster.local
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: default}
spec:
  containers: [{name: c, image: busybox}]
"#;

fn cluster(extra: &str) -> Cluster {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("ws.yaml", format!("{WORKSPACE}---\n{extra}"))]);
    assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
    sim.cluster().clone()
}

/// `dig NAME TYPE` from `default/client`: the lookup and its answers as dig lines.
fn dig(cluster: &Cluster, name: &str, qtype: RecordType) -> (Lookup, Vec<String>) {
    let dataplane = Dataplane::new(cluster);
    let pod = cluster.find_pod("default", "client").expect("client pod");
    let name = Name::parse(name).expect("a name");
    let network = Network::new(&dataplane);
    let lookup = dataplane.dns().lookup(&network, Source::Pod(pod), &name, &[qtype], Expansion::Dig { search: false });
    let lines = lookup.queries.last().expect("one query").outcome.answers().iter().map(|r| r.to_string()).collect();
    (lookup, lines)
}

fn service_ip(cluster: &Cluster, ns: &str, name: &str) -> String {
    cluster.service(ns, name).and_then(|s| s.cluster_ip).expect("a ClusterIP").to_string()
}

fn pod_ip(cluster: &Cluster, name: &str) -> String {
    let id = cluster.find_pod("default", name).expect("pod");
    cluster.pod(id).ip.expect("running").to_string()
}

#[test]
fn spec_2_3_1_a_record_of_a_clusterip_service_is_its_cluster_ip() {
    let c = cluster("");
    let (lookup, lines) = dig(&c, "web.default.svc.cluster.local", RecordType::A);
    assert_eq!(lookup.rcode, "NOERROR");
    assert_eq!(lines, [format!("web.default.svc.cluster.local.\t30\tIN\tA\t{}", service_ip(&c, "default", "web"))]);
    let (lookup, _) = dig(&c, "kubernetes.default.svc.cluster.local", RecordType::A);
    assert_eq!(lookup.answers[0].data_text(), "10.96.0.1");
}

#[test]
fn spec_2_3_1_aaaa_of_an_ipv4_service_is_nodata_not_nxdomain() {
    let c = cluster("");
    let (lookup, lines) = dig(&c, "web.default.svc.cluster.local", RecordType::AAAA);
    assert_eq!(lookup.rcode, "NOERROR");
    assert_eq!(lines, Vec::<String>::new());
}

#[test]
fn spec_2_3_2_srv_records_exist_for_named_ports_only() {
    let c = cluster("");
    let (_, lines) = dig(&c, "_http._tcp.web.default.svc.cluster.local", RecordType::SRV);
    assert_eq!(
        lines,
        ["_http._tcp.web.default.svc.cluster.local.\t30\tIN\tSRV\t0 100 80 web.default.svc.cluster.local."]
    );
    let (lookup, _) = dig(&c, "_http._tcp.plain.default.svc.cluster.local", RecordType::SRV);
    assert_eq!(lookup.rcode, "NXDOMAIN", "an unnamed port has no SRV record");
    let (_, lines) = dig(&c, "web.default.svc.cluster.local", RecordType::SRV);
    assert_eq!(lines.len(), 2, "the bare name (CoreDNS) answers every port, weight 100/2: {lines:?}");
    assert!(lines[0].ends_with("0 50 80 web.default.svc.cluster.local."));
    let (lookup, _) = dig(&c, "_http._udp.web.default.svc.cluster.local", RecordType::SRV);
    assert_eq!(lookup.rcode, "NXDOMAIN", "the protocol must match");
}

#[test]
fn spec_2_3_3_ptr_record_of_a_cluster_ip_names_the_service() {
    let c = cluster("");
    let ip = service_ip(&c, "default", "web");
    let octets: Vec<&str> = ip.split('.').rev().collect();
    let (_, lines) = dig(&c, &format!("{}.in-addr.arpa", octets.join(".")), RecordType::PTR);
    assert_eq!(lines, [format!("{}.in-addr.arpa.\t30\tIN\tPTR\tweb.default.svc.cluster.local.", octets.join("."))]);
    let (lookup, _) = dig(&c, "10.96.0.10.in-addr.arpa", RecordType::PTR);
    assert_eq!(lookup.rcode, "NXDOMAIN", "an address nobody has: NXDOMAIN (fallthrough to upstream)");
}

#[test]
fn spec_2_4_1_headless_service_has_an_a_record_per_ready_endpoint() {
    let c = cluster("");
    let (_, mut lines) = dig(&c, "db.default.svc.cluster.local", RecordType::A);
    lines.sort();
    let mut expected: Vec<String> = ["db-0", "db-1"]
        .iter()
        .map(|p| format!("db.default.svc.cluster.local.\t30\tIN\tA\t{}", pod_ip(&c, p)))
        .collect();
    expected.sort();
    assert_eq!(lines, expected);
}

#[test]
fn spec_2_4_1_headless_service_without_ready_endpoints_is_nxdomain() {
    let c = cluster("");
    let (lookup, _) = dig(&c, "cache.default.svc.cluster.local", RecordType::A);
    assert_eq!(lookup.rcode, "NXDOMAIN", "the only endpoint is not ready");
}

#[test]
fn spec_2_1_ready_with_publish_not_ready_addresses_includes_not_ready_pods() {
    let c = cluster("");
    let (lookup, lines) = dig(&c, "cache-all.default.svc.cluster.local", RecordType::A);
    assert_eq!(lookup.rcode, "NOERROR");
    assert_eq!(lines, [format!("cache-all.default.svc.cluster.local.\t30\tIN\tA\t{}", pod_ip(&c, "slow"))]);
}

#[test]
fn spec_2_4_1_statefulset_pods_get_hostname_records_under_their_service() {
    let c = cluster("");
    let (_, lines) = dig(&c, "db-0.db.default.svc.cluster.local", RecordType::A);
    assert_eq!(lines, [format!("db-0.db.default.svc.cluster.local.\t30\tIN\tA\t{}", pod_ip(&c, "db-0"))]);
    let (lookup, _) = dig(&c, "db-7.db.default.svc.cluster.local", RecordType::A);
    assert_eq!(lookup.rcode, "NXDOMAIN");
}

#[test]
fn spec_2_4_1_a_pod_with_hostname_and_subdomain_is_named_under_the_headless_service() {
    let c = cluster("");
    let (_, lines) = dig(&c, "box.named.default.svc.cluster.local", RecordType::A);
    assert_eq!(lines, [format!("box.named.default.svc.cluster.local.\t30\tIN\tA\t{}", pod_ip(&c, "named"))]);
}

#[test]
fn spec_2_4_2_headless_srv_records_point_at_each_endpoint_hostname() {
    let c = cluster("");
    let (lookup, mut lines) = dig(&c, "_pg._tcp.db.default.svc.cluster.local", RecordType::SRV);
    lines.sort();
    assert_eq!(
        lines,
        [
            "_pg._tcp.db.default.svc.cluster.local.\t30\tIN\tSRV\t0 50 5432 db-0.db.default.svc.cluster.local.",
            "_pg._tcp.db.default.svc.cluster.local.\t30\tIN\tSRV\t0 50 5432 db-1.db.default.svc.cluster.local.",
        ]
    );
    let kubeplay_core::dns::Outcome::Answered(response) = &lookup.queries[0].outcome else { panic!("answered") };
    assert_eq!(response.additional.len(), 2, "the targets' A records ride along");
}

#[test]
fn spec_2_4_3_ptr_record_of_a_headless_endpoint_names_its_hostname() {
    let c = cluster("");
    let ip = pod_ip(&c, "db-1");
    let octets: Vec<&str> = ip.split('.').rev().collect();
    let (_, lines) = dig(&c, &format!("{}.in-addr.arpa", octets.join(".")), RecordType::PTR);
    assert_eq!(lines, [format!("{}.in-addr.arpa.\t30\tIN\tPTR\tdb-1.db.default.svc.cluster.local.", octets.join("."))]);
}

#[test]
fn spec_2_5_externalname_is_a_cname_then_resolved_upstream() {
    let c = cluster("");
    let (lookup, lines) = dig(&c, "ext.default.svc.cluster.local", RecordType::A);
    assert_eq!(lookup.rcode, "NOERROR");
    assert_eq!(
        lines,
        [
            "ext.default.svc.cluster.local.\t30\tIN\tCNAME\twww.example.com.",
            "www.example.com.\t300\tIN\tCNAME\texample.com.",
            "example.com.\t300\tIN\tA\t192.0.2.10",
        ]
    );
    let (_, lines) = dig(&c, "ext.default.svc.cluster.local", RecordType::CNAME);
    assert_eq!(lines, ["ext.default.svc.cluster.local.\t30\tIN\tCNAME\twww.example.com."]);
}

#[test]
fn spec_2_5_externalname_chains_through_another_externalname_service() {
    let c = cluster("");
    let (_, lines) = dig(&c, "alias.default.svc.cluster.local", RecordType::A);
    assert_eq!(
        lines,
        [
            "alias.default.svc.cluster.local.\t30\tIN\tCNAME\text.default.svc.cluster.local.",
            "ext.default.svc.cluster.local.\t30\tIN\tCNAME\twww.example.com.",
            "www.example.com.\t300\tIN\tCNAME\texample.com.",
            "example.com.\t300\tIN\tA\t192.0.2.10",
        ]
    );
}

#[test]
fn spec_2_5_upstream_zone_is_editable_through_its_configmap() {
    let c = cluster(
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: kubeplay-upstream-dns, namespace: kube-system}\ndata:\n  default: |\n    www.example.com: 198.51.100.7\n",
    );
    let (_, lines) = dig(&c, "ext.default.svc.cluster.local", RecordType::A);
    assert_eq!(lines[1], "www.example.com.\t300\tIN\tA\t198.51.100.7");
    let (lookup, _) = dig(&c, "example.com", RecordType::A);
    assert_eq!(lookup.rcode, "NXDOMAIN", "the ConfigMap replaces the default zone");
}

#[test]
fn spec_2_6_pod_records_answer_the_dashed_address_in_an_existing_namespace() {
    let c = cluster("");
    let ip = pod_ip(&c, "client");
    let dashed = ip.replace('.', "-");
    let (_, lines) = dig(&c, &format!("{dashed}.default.pod.cluster.local"), RecordType::A);
    assert_eq!(lines, [format!("{dashed}.default.pod.cluster.local.\t30\tIN\tA\t{ip}")]);
    let (lookup, _) = dig(&c, "10-1-2-3.nowhere.pod.cluster.local", RecordType::A);
    assert_eq!(lookup.rcode, "NXDOMAIN", "the namespace must exist");
}

#[test]
fn spec_2_1_names_that_do_not_exist_are_nxdomain_and_namespaces_are_nodata() {
    let c = cluster("");
    for name in [
        "nope.default.svc.cluster.local",
        "web.nowhere.svc.cluster.local",
        "web.default.cluster.local",
        "kubernetes.default",
    ] {
        let (lookup, _) = dig(&c, name, RecordType::A);
        assert_eq!(lookup.rcode, "NXDOMAIN", "{name}");
    }
    let (lookup, lines) = dig(&c, "default.svc.cluster.local", RecordType::A);
    assert_eq!((lookup.rcode, lines.len()), ("NOERROR", 0));
}

#[test]
fn spec_2_1_the_zone_is_the_configured_cluster_domain() {
    let c = cluster("kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nkubeplay:\n  clusterDomain: corp.internal\n");
    let (lookup, lines) = dig(&c, "web.default.svc.corp.internal", RecordType::A);
    assert_eq!(lookup.rcode, "NOERROR");
    assert!(lines[0].starts_with("web.default.svc.corp.internal.\t30\tIN\tA\t"));
    let (lookup, _) = dig(&c, "web.default.svc.cluster.local", RecordType::A);
    assert_eq!(lookup.rcode, "NXDOMAIN");
    let dns = Dns::new(&c);
    assert!(dns.corefile_text.contains("kubernetes corp.internal in-addr.arpa ip6.arpa"));
}

#[test]
fn coredns_answers_endpoint_hostnames_under_a_clusterip_service_too() {
    // The specification defines hostname records for headless Services only (2.4.1), but
    // CoreDNS's kubernetes plugin looks endpoints up for any query that names one ("endpoint
    // query or headless service" in findServices), and the EndpointSlice controller sets an
    // endpoint's hostname whenever the pod's subdomain names the Service: so `db-0.db` answers
    // even when `db` has a ClusterIP. The model follows CoreDNS.
    let clusterip_db = "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: cdb, namespace: default}\nspec:\n  serviceName: cdb\n  replicas: 1\n  selector: {matchLabels: {app: cdb}}\n  template:\n    metadata: {labels: {app: cdb}}\n    spec:\n      containers: [{name: db, image: postgres}]\n---\napiVersion: v1\nkind: Service\nmetadata: {name: cdb, namespace: default}\nspec:\n  selector: {app: cdb}\n  ports: [{port: 5432}]\n";
    let c = cluster(clusterip_db);
    let (_, lines) = dig(&c, "cdb-0.cdb.default.svc.cluster.local", RecordType::A);
    assert_eq!(lines, [format!("cdb-0.cdb.default.svc.cluster.local.\t30\tIN\tA\t{}", pod_ip(&c, "cdb-0"))]);
    let (_, lines) = dig(&c, "cdb.default.svc.cluster.local", RecordType::A);
    assert_eq!(lines, [format!("cdb.default.svc.cluster.local.\t30\tIN\tA\t{}", service_ip(&c, "default", "cdb"))]);
}

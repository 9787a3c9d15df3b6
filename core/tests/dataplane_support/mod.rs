//! Shared helpers of the dataplane tests: apply a workspace, trace through the CLI's parsers,
//! look up addresses.

#![allow(dead_code)] // Each test crate uses a different subset of these helpers.

use kubeplay_core::api::Protocol;
use kubeplay_core::dataplane::render::{self, TraceView};
use kubeplay_core::dataplane::{Dataplane, PolicyHook, Source, Target, Trace, TraceRequest};
use kubeplay_core::simulation::{Simulation, SourceFile};

/// A client pod pinned to `node`.
pub fn client(name: &str, node: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: {name}\n  labels:\n    role: client\nspec:\n  nodeName: {node}\n  containers:\n  - name: c\n    image: curlimages/curl\n---\n"
    )
}

/// A Deployment `name` of `replicas` pods listening on 8080 (named `http`).
pub fn deployment(name: &str, replicas: u32) -> String {
    format!(
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {name}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: {name}\n  template:\n    metadata:\n      labels:\n        app: {name}\n    spec:\n      containers:\n      - name: app\n        image: nginx\n        ports:\n        - name: http\n          containerPort: 8080\n---\n"
    )
}

/// A Service `name` selecting `app: {selector}` with `extra` spec lines (indented two spaces).
pub fn service(name: &str, selector: &str, extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  selector:\n    app: {selector}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n{extra}---\n"
    )
}

/// Applies `yaml` to a fresh simulation; the workspace must be free of errors.
pub fn apply(yaml: &str) -> Simulation {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("test.yaml", yaml)]);
    assert!(!outcome.has_errors(), "workspace has errors: {:#?}", outcome.diagnostics);
    sim
}

/// The request `--from from --to to [--port] [--protocol] --seed seed`, parsed as the CLI does.
pub fn request(
    sim: &Simulation,
    from: &str,
    to: &str,
    port: Option<u16>,
    protocol: Protocol,
    seed: u64,
) -> TraceRequest {
    let cluster = sim.cluster();
    let from = Source::parse(cluster, from).expect("source parses");
    let to = Target::parse(cluster, to).expect("target parses");
    TraceRequest { from, to, port, protocol, seed }
}

/// Traces a TCP connection and renders it.
pub fn trace(sim: &Simulation, from: &str, to: &str, port: Option<u16>, seed: u64) -> (Trace, TraceView) {
    let req = request(sim, from, to, port, Protocol::TCP, seed);
    let trace = Dataplane::new(sim.cluster()).trace(&req).expect("trace runs");
    let view = render::view(sim.cluster(), &trace);
    (trace, view)
}

/// Traces with a policy hook.
pub fn trace_with(sim: &Simulation, from: &str, to: &str, hook: &dyn PolicyHook) -> (Trace, TraceView) {
    let req = request(sim, from, to, None, Protocol::TCP, 1);
    let trace = Dataplane::new(sim.cluster()).trace_with(&req, hook).expect("trace runs");
    let view = render::view(sim.cluster(), &trace);
    (trace, view)
}

/// A pod's IP as text.
pub fn pod_ip(sim: &Simulation, key: &str) -> String {
    let (ns, name) = key.split_once('/').expect("ns/name");
    let id = sim.cluster().find_pod(ns, name).expect("pod exists");
    sim.cluster().pod(id).ip.expect("pod runs").to_string()
}

/// A node's InternalIP as text.
pub fn node_ip(sim: &Simulation, name: &str) -> String {
    sim.cluster().nodes.iter().find(|n| n.name == name).expect("node exists").internal_ip.to_string()
}

/// A Service's ClusterIP as text.
pub fn cluster_ip(sim: &Simulation, ns: &str, name: &str) -> String {
    sim.cluster().service(ns, name).and_then(|s| s.cluster_ip).expect("service has a ClusterIP").to_string()
}

/// A Service's first nodePort.
pub fn node_port(sim: &Simulation, ns: &str, name: &str) -> u16 {
    sim.cluster().service(ns, name).and_then(|s| s.node_ports[0]).expect("service has a nodePort")
}

/// The pods backing `app`, with their node names.
pub fn pods_of(sim: &Simulation, app: &str) -> Vec<(String, String)> {
    let cluster = sim.cluster();
    cluster
        .pods
        .iter()
        .filter(|p| p.pod.meta.labels.get("app").map(String::as_str) == Some(app))
        .map(|p| (p.key(), cluster.node(p.node.expect("runs")).name.clone()))
        .collect()
}

/// The rule lines of a view's hops.
pub fn rules(view: &TraceView) -> Vec<String> {
    view.hops.iter().filter_map(|h| h.rule.clone()).collect()
}

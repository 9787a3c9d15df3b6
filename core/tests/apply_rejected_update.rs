//! An update the API server refuses in reconcile (an allocation conflict, a refused cluster
//! config) leaves the live object as it was, reports the error once, and stops `kubectl apply
//! --prune` from pruning anything.

use kubeplay_core::simulation::{Simulation, SourceFile};

fn service(name: &str, extra: &str) -> String {
    format!(
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n{extra}  selector:\n    app: {name}\n  ports:\n  - port: 80\n"
    )
}

fn node_port(name: &str, port: u16) -> String {
    service(name, "  type: NodePort\n").replace("  - port: 80\n", &format!("  - port: 80\n    nodePort: {port}\n"))
}

fn actions(outcome: &kubeplay_core::simulation::ApplyOutcome) -> Vec<String> {
    outcome.changes.iter().map(|c| format!("{} {}", c.object, c.action.as_str())).collect()
}

#[test]
fn an_update_rejected_for_an_allocated_node_port_keeps_the_live_service_and_prunes_nothing() {
    let mut sim = Simulation::new();
    let extra = service("c", "");
    sim.apply(&[
        SourceFile::new("a.yaml", node_port("a", 30080)),
        SourceFile::new("b.yaml", node_port("b", 30081)),
        SourceFile::new("c.yaml", extra),
    ]);
    let ip_before = sim.cluster().service("default", "b").and_then(|s| s.cluster_ip);
    assert!(ip_before.is_some());
    // b now asks for a's port, and c's text is removed in the same apply.
    let outcome = sim
        .apply(&[SourceFile::new("a.yaml", node_port("a", 30080)), SourceFile::new("b.yaml", node_port("b", 30080))]);
    assert_eq!(actions(&outcome), ["service/a unchanged"], "b is neither deleted nor configured, c not pruned");
    let errors: Vec<_> =
        outcome.diagnostics.iter().filter(|d| d.severity == kubeplay_core::diag::Severity::Error).collect();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].file, "b.yaml");
    assert_eq!(errors[0].field, "spec.ports[0].nodePort");
    assert!(errors[0].message.contains("provided port is already allocated"), "{}", errors[0].message);
    let b = sim.cluster().service("default", "b").expect("b stays live");
    assert_eq!(b.node_ports, [Some(30081)]);
    assert_eq!(b.cluster_ip, ip_before);
    assert!(sim.cluster().service("default", "c").is_some(), "nothing pruned");
}

#[test]
fn an_update_rejected_for_an_allocated_cluster_ip_keeps_the_live_address() {
    let mut sim = Simulation::new();
    let a = service("a", "  clusterIP: 10.96.0.50\n");
    sim.apply(&[SourceFile::new("a.yaml", a.clone()), SourceFile::new("b.yaml", service("b", ""))]);
    let ip_before = sim.cluster().service("default", "b").and_then(|s| s.cluster_ip);
    assert_ne!(ip_before, "10.96.0.50".parse().ok());
    let outcome = sim
        .apply(&[SourceFile::new("a.yaml", a), SourceFile::new("b.yaml", service("b", "  clusterIP: 10.96.0.50\n"))]);
    assert!(outcome.has_errors());
    assert!(
        outcome.diagnostics.iter().any(|d| d.file == "b.yaml" && d.field == "spec.clusterIPs"),
        "{:?}",
        outcome.diagnostics
    );
    assert!(!actions(&outcome).iter().any(|a| a.starts_with("service/b")), "{:?}", actions(&outcome));
    assert_eq!(sim.cluster().service("default", "b").and_then(|s| s.cluster_ip), ip_before);
}

#[test]
fn a_create_rejected_for_an_allocated_node_port_is_not_created() {
    let mut sim = Simulation::new();
    sim.apply(&[SourceFile::new("a.yaml", node_port("a", 30080))]);
    let outcome = sim
        .apply(&[SourceFile::new("a.yaml", node_port("a", 30080)), SourceFile::new("b.yaml", node_port("b", 30080))]);
    assert_eq!(actions(&outcome), ["service/a unchanged"]);
    assert!(outcome.has_errors());
    assert!(sim.cluster().service("default", "b").is_none());
    assert_eq!(sim.cluster().service("default", "a").map(|s| s.node_ports.clone()), Some(vec![Some(30080)]));
}

#[test]
fn objects_of_a_deleted_namespace_go_with_it() {
    let ns = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team\n";
    let svc = service("s", "").replace("  name: s\n", "  name: s\n  namespace: team\n");
    let mut sim = Simulation::new();
    sim.apply(&[SourceFile::new("ns.yaml", ns), SourceFile::new("s.yaml", svc.clone())]);
    assert!(sim.cluster().service("team", "s").is_some());
    let outcome = sim.apply(&[SourceFile::new("s.yaml", svc)]);
    assert!(outcome.diagnostics.iter().any(|d| d.message.contains("namespaces \"team\" not found")));
    let mut got = actions(&outcome);
    got.sort();
    assert_eq!(got, ["namespace/team deleted", "service/s deleted"]);
    assert!(sim.cluster().service("team", "s").is_none());
}

fn kind_cluster(workers: usize, pod_subnet: &str) -> String {
    format!(
        "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnodes:\n- role: control-plane\n{}networking:\n  podSubnet: {pod_subnet}\n",
        "- role: worker\n".repeat(workers)
    )
}

fn errors(outcome: &kubeplay_core::simulation::ApplyOutcome) -> Vec<&kubeplay_core::diag::Diagnostic> {
    outcome.diagnostics.iter().filter(|d| d.severity == kubeplay_core::diag::Severity::Error).collect()
}

#[test]
fn a_refused_cluster_config_update_keeps_the_live_config_and_prunes_nothing() {
    let mut sim = Simulation::new();
    sim.apply(&[
        SourceFile::new("kind.yaml", kind_cluster(2, "10.244.0.0/16")),
        SourceFile::new("a.yaml", node_port("a", 30080)),
        SourceFile::new("c.yaml", service("c", "")),
    ]);
    assert_eq!(sim.cluster().nodes.len(), 3);
    // Four nodes cannot each take a /24 of a /23, so the playground refuses the config (its own
    // rule, `controllers::nodes`: each node gets a /24 pod CIDR), and c's text is removed in the
    // same apply. As for any refused object, the live version stays and the prune stops.
    let outcome = sim.apply(&[
        SourceFile::new("kind.yaml", kind_cluster(3, "10.244.0.0/23")),
        SourceFile::new("a.yaml", node_port("a", 30080)),
    ]);
    let errors = errors(&outcome);
    assert_eq!(errors.len(), 1, "reported once: {errors:?}");
    assert_eq!(errors[0].file, "kind.yaml");
    assert_eq!(errors[0].field, "networking.podSubnet");
    assert!(errors[0].message.contains("too small for 4 nodes"), "{}", errors[0].message);
    assert_eq!(actions(&outcome), ["service/a unchanged"], "the config is neither configured nor deleted");
    assert_eq!(sim.cluster().nodes.len(), 3, "the live topology stays");
    assert_eq!(sim.cluster().config.pod_subnet.to_string(), "10.244.0.0/16");
    assert!(sim.cluster().service("default", "c").is_some(), "nothing pruned");
    assert!(outcome.kept.iter().any(|r| r.to_string().starts_with("service/c")), "{:?}", outcome.kept);
}

/// The API server handles a `kubectl apply`'s objects one by one, in order: a Service created
/// asking for a nodePort a live Service holds is refused ("provided port is already allocated",
/// the port allocator's `ErrAllocated`), whether or not the live Service's own update in the same
/// apply is refused. The live Service keeps its port; the new one is not created.
#[test]
fn a_new_service_cannot_take_the_node_port_of_a_live_service_whose_update_is_refused() {
    let mut sim = Simulation::new();
    sim.apply(&[SourceFile::new("a.yaml", node_port("a", 30080)), SourceFile::new("b.yaml", node_port("b", 30090))]);
    // a moves to b's port (refused: b holds it), so its 30080 would be free had the update gone
    // through; new, applied before a or after it, asks for 30080. In the first pass over the
    // workspace new gets it; a's live version, put back, takes it first (remembered allocations
    // come before requests), so new is the one refused.
    for order in [["new.yaml", "a.yaml"], ["a.yaml", "new.yaml"]] {
        let files: Vec<SourceFile> = order
            .iter()
            .map(|f| match *f {
                "new.yaml" => SourceFile::new("new.yaml", node_port("new", 30080)),
                _ => SourceFile::new("a.yaml", node_port("a", 30090)),
            })
            .chain([SourceFile::new("b.yaml", node_port("b", 30090))])
            .collect();
        let mut sim = sim.clone();
        let outcome = sim.apply(&files);
        assert_eq!(actions(&outcome), ["service/b unchanged"], "{order:?}");
        let errors = errors(&outcome);
        let mut at: Vec<(&str, &str)> = errors.iter().map(|d| (d.file.as_str(), d.field.as_str())).collect();
        at.sort();
        assert_eq!(at, [("a.yaml", "spec.ports[0].nodePort"), ("new.yaml", "spec.ports[0].nodePort")], "{order:?}");
        assert!(errors.iter().all(|d| d.message.contains("provided port is already allocated")), "{errors:?}");
        assert_eq!(sim.cluster().service("default", "a").map(|s| s.node_ports.clone()), Some(vec![Some(30080)]));
        assert!(sim.cluster().service("default", "new").is_none(), "{order:?}");
    }
}

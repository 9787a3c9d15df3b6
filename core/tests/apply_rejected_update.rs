//! An update the API server refuses in reconcile (an allocation conflict) leaves the live object
//! as it was, reports the error, and stops `kubectl apply --prune` from pruning anything.

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

//! The first vertical slice: a Deployment and a Service in one multi-document file give pods,
//! and the Service's endpoints are exactly the pods its selector matches.

use kubeplay_core::simulation::{Action, Simulation, SourceFile};

const SANDBOX: &str = include_str!("../../examples/sandbox/app.yaml");

fn endpoint_pods(sim: &Simulation, ns: &str, name: &str) -> Vec<String> {
    let cluster = sim.cluster();
    let svc = cluster.service(ns, name).expect("service exists");
    svc.endpoints.iter().filter_map(|e| e.pod.map(|id| cluster.pod(id).key())).collect()
}

#[test]
fn service_endpoints_are_the_pods_its_selector_matches() {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("app.yaml", SANDBOX)]);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let created: Vec<String> = outcome.changes.iter().map(|c| format!("{} {}", c.object, c.action.as_str())).collect();
    assert_eq!(created, ["deployment.apps/web created", "service/web created"]);

    let web_pods: Vec<String> = sim
        .cluster()
        .pods
        .iter()
        .filter(|p| p.pod.meta.labels.get("app").map(String::as_str) == Some("web"))
        .map(|p| p.key())
        .collect();
    assert_eq!(web_pods.len(), 3);
    let mut endpoints = endpoint_pods(&sim, "default", "web");
    endpoints.sort();
    assert_eq!(endpoints, web_pods);
}

#[test]
fn a_selector_typo_leaves_the_service_without_endpoints() {
    let mut sim = Simulation::new();
    let typo = SANDBOX.replace("    app: web\n  ports", "    app: webb\n  ports");
    assert_ne!(typo, SANDBOX);
    let outcome = sim.apply(&[SourceFile::new("app.yaml", typo)]);
    assert!(!outcome.has_errors());
    assert!(endpoint_pods(&sim, "default", "web").is_empty());
}

#[test]
fn reapplying_reports_unchanged_then_configured_and_keeps_allocations() {
    let mut sim = Simulation::new();
    let files = [SourceFile::new("app.yaml", SANDBOX)];
    sim.apply(&files);
    let ip_before = sim.cluster().service("default", "web").and_then(|s| s.cluster_ip);
    let pods_before: Vec<(String, Option<std::net::IpAddr>)> =
        sim.cluster().pods.iter().map(|p| (p.key(), p.ip)).collect();

    let again = sim.apply(&files);
    assert!(again.changes.iter().all(|c| c.action == Action::Unchanged), "{:?}", again.changes);

    // Scaling the Deployment reconfigures it, keeps the Service's address and the pods' IPs.
    let scaled = SANDBOX.replace("replicas: 3", "replicas: 4");
    let outcome = sim.apply(&[SourceFile::new("app.yaml", scaled)]);
    let actions: Vec<String> = outcome.changes.iter().map(|c| format!("{} {}", c.object, c.action.as_str())).collect();
    assert_eq!(actions, ["deployment.apps/web configured", "service/web unchanged"]);
    assert_eq!(sim.cluster().service("default", "web").and_then(|s| s.cluster_ip), ip_before);
    for (key, ip) in pods_before {
        let now = sim.cluster().pods.iter().find(|p| p.key() == key).map(|p| p.ip);
        assert_eq!(now, Some(ip), "pod {key} kept its IP");
    }

    // Deleting the Service from the workspace reports it deleted.
    let deployment_only = SANDBOX.split("---").next().unwrap_or_default().to_string();
    let outcome = sim.apply(&[SourceFile::new("app.yaml", deployment_only)]);
    assert!(outcome.changes.iter().any(|c| c.object.name == "web" && c.action == Action::Deleted));
}

#[test]
fn a_yaml_syntax_error_is_a_value_with_line_and_column_and_keeps_the_cluster() {
    let mut sim = Simulation::new();
    sim.apply(&[SourceFile::new("app.yaml", SANDBOX)]);
    let before = sim.cluster().clone();
    let broken = SANDBOX.replace("replicas: 3", "replicas: [3");
    let outcome = sim.apply(&[SourceFile::new("app.yaml", broken)]);
    assert!(outcome.stale);
    let d = outcome.diagnostics.first().expect("a syntax error");
    assert_eq!(d.file, "app.yaml");
    assert!(d.span.start.line >= 9, "{d}");
    assert_eq!(*sim.cluster(), before);
}

#[test]
fn kubectl_apply_prune_prunes_nothing_when_an_object_is_rejected() {
    // kubectl's ApplyOptions.Run returns the errors of failed objects before it runs the
    // post-processor that prunes: the live version of a rejected object stays, and so does an
    // object whose text was removed in the same apply.
    let mut sim = Simulation::new();
    sim.apply(&[SourceFile::new("app.yaml", SANDBOX)]);
    let ip_before = sim.cluster().service("default", "web").and_then(|s| s.cluster_ip);
    assert!(ip_before.is_some());
    let invalid = SANDBOX.replace("replicas: 3", "replicas: 4").replace("      port: 80\n", "      port: 80000\n");
    assert_ne!(invalid, SANDBOX.replace("replicas: 3", "replicas: 4"), "the Service's port is in the sandbox");
    let outcome = sim.apply(&[SourceFile::new("app.yaml", invalid)]);
    assert!(outcome.has_errors() && !outcome.stale);
    let actions: Vec<String> = outcome.changes.iter().map(|c| format!("{} {}", c.object, c.action.as_str())).collect();
    assert_eq!(actions, ["deployment.apps/web configured"], "the valid object applies; nothing is deleted");
    assert_eq!(outcome.kept.iter().map(|r| r.to_string()).collect::<Vec<_>>(), ["service/web"]);
    assert_eq!(sim.cluster().service("default", "web").and_then(|s| s.cluster_ip), ip_before, "the live Service stays");
    assert_eq!(endpoint_pods(&sim, "default", "web").len(), 4, "and selects the scaled pods");
    assert!(outcome.diagnostics.iter().all(|d| d.file == "app.yaml"), "no diagnostic points into vanished text");

    // Removing the Deployment's text while the Service is still invalid: still no prune.
    let service_only =
        SANDBOX.split("---").nth(1).unwrap_or_default().replace("      port: 80\n", "      port: 80000\n");
    let outcome = sim.apply(&[SourceFile::new("app.yaml", service_only)]);
    assert!(outcome.changes.is_empty(), "{:?}", outcome.changes);
    assert_eq!(outcome.kept.len(), 2);
    assert!(sim.cluster().pods.iter().any(|p| p.pod.meta.labels.get("app").map(String::as_str) == Some("web")));

    // Once the workspace is valid, the prune runs: the Deployment is deleted, the Service is
    // unchanged (its old version is what the text says again) and keeps its address.
    let valid_service = SANDBOX.split("---").nth(1).unwrap_or_default().to_string();
    let outcome = sim.apply(&[SourceFile::new("app.yaml", valid_service)]);
    let actions: Vec<String> = outcome.changes.iter().map(|c| format!("{} {}", c.object, c.action.as_str())).collect();
    assert_eq!(actions, ["service/web unchanged", "deployment.apps/web deleted"]);
    assert_eq!(sim.cluster().service("default", "web").and_then(|s| s.cluster_ip), ip_before);
}

/// `kubectl apply -f` over files that declare one object twice applies both in order, so the
/// later declaration is what stays; other objects keep their place.
#[test]
fn an_object_declared_twice_is_the_later_declaration_once() {
    let svc = |name: &str, port: u16| {
        format!("apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  ports:\n  - port: {port}\n")
    };
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[
        SourceFile::new("a.yaml", format!("{}---\n{}", svc("web", 80), svc("db", 5432))),
        SourceFile::new("b.yaml", svc("web", 8080)),
    ]);
    assert!(outcome.diagnostics.iter().any(|d| d.message.contains("also declared at a.yaml:1")));
    let names: Vec<(&str, u16)> = sim
        .cluster()
        .services
        .iter()
        .filter(|s| !s.system)
        .map(|s| (s.service.meta.name.as_str(), s.service.spec.ports[0].port))
        .collect();
    assert_eq!(names, [("db", 5432), ("web", 8080)]);
}

//! Goals against workspaces: every shipped lesson's start fails a goal and its solution passes
//! them all, and each goal kind passes and fails for the right reason, saying what the model
//! does instead.

mod lessons_support;

use kubeplay_core::lessons::goal::Destination;
use kubeplay_core::lessons::{check, Check, Lesson, Report};
use kubeplay_core::simulation::{Simulation, SourceFile};
use lessons_support::{shipped, START};

#[test]
fn every_start_fails_a_goal_and_every_solution_passes_all() {
    for l in shipped() {
        let start = check(&l, &l.start);
        assert!(!start.passed(), "{}: the start workspace already passes every goal", l.folder);
        let solved = check(&l, &l.solved());
        for r in &solved.results {
            assert!(r.passed, "{}: goal {} fails on the solution: {}", l.folder, r.id, r.actual);
        }
        let errors: Vec<String> = solved.diagnostics.iter().map(ToString::to_string).collect();
        assert!(errors.is_empty(), "{}: the solution has problems: {errors:#?}", l.folder);
    }
}

/// The pods (`ns/name`) and Services a goal names.
fn references(check: &Check) -> (Vec<String>, Vec<String>) {
    let pod = |text: &str| {
        let special = text.starts_with("node/") || text.starts_with("external") || !text.contains('/');
        (!special).then(|| text.to_string())
    };
    match check {
        Check::Connection(c) => {
            let mut pods: Vec<String> = pod(&c.from).into_iter().collect();
            let mut services = Vec::new();
            match &c.to {
                Destination::Address(to) => pods.extend(pod(to)),
                Destination::Service { service, .. } => services.push(service.clone()),
            }
            (pods, services)
        }
        Check::Dns(d) => (vec![d.from.clone()], vec![]),
        Check::Service(s) => (vec![], vec![s.service.clone()]),
        Check::Isolation(i) => (vec![i.pod.clone()], vec![]),
        Check::Env(e) => (vec![e.pod.clone()], vec![]),
        Check::Matrix(m) => {
            let labels = m.table.columns.iter().chain(m.table.rows.iter().map(|(row, _)| row));
            (labels.filter_map(|l| pod(l)).collect(), vec![])
        }
        Check::Pods(_) | Check::NoErrors => (vec![], vec![]),
    }
}

#[test]
fn every_goal_refers_to_objects_of_the_start_or_the_solution() {
    for l in shipped() {
        let mut clusters = Vec::new();
        for files in [l.start.clone(), l.solved()] {
            let mut sim = Simulation::new();
            sim.apply(&files);
            clusters.push(sim.cluster().clone());
        }
        for goal in &l.file.goals {
            let (pods, services) = references(&goal.check);
            for key in pods {
                let (ns, name) = key.split_once('/').expect("ns/name");
                let found = clusters.iter().any(|c| c.find_pod(ns, name).is_some());
                assert!(found, "{}: goal {} names pod {key}, which exists in neither workspace", l.folder, goal.id);
            }
            for key in services {
                let (ns, name) = key.split_once('/').unwrap_or(("default", &key));
                let found = clusters.iter().any(|c| c.service(ns, name).is_some());
                assert!(found, "{}: goal {} names Service {key}, which exists in neither workspace", l.folder, goal.id);
            }
        }
    }
}

/// A lesson over the shared workspace with `goals`.
fn lesson(goals: &str) -> Lesson {
    let text = format!("id: t\ntitle: T\nlevel: beginner\ntask: t\neditable: [app.yaml]\ngoals:\n{goals}");
    let files = [SourceFile::new("lesson.yaml", text), SourceFile::new("start/app.yaml", START)];
    Lesson::parse("00-t", &files).unwrap_or_else(|p| panic!("{p:#?}"))
}

fn run(goals: &str, extra: &str) -> Report {
    let l = lesson(goals);
    check(&l, &[SourceFile::new("app.yaml", format!("{START}---\n{extra}"))])
}

fn one(report: &Report) -> (bool, &str) {
    (report.results[0].passed, report.results[0].actual.as_str())
}

const WEB: &str = "  - id: g\n    description: d\n    connection:\n      from: default/client\n      to: web\n";

#[test]
fn a_connection_through_a_service_is_delivered_to_a_selected_pod() {
    let r = run(&format!("{WEB}      expect: delivered\n      podLabels: {{app: web}}\n"), "");
    assert!(one(&r).0, "{}", one(&r).1);
    assert!(one(&r).1.starts_with("delivered to pod default/web-a on "), "{}", one(&r).1);
}

#[test]
fn delivery_to_a_pod_without_the_labels_says_which_pod_it_reached() {
    // The Service selects app=api instead: the connection still lands, on the wrong pod.
    let l = lesson(&format!("{WEB}      expect: delivered\n      podLabels: {{app: web}}\n"));
    let wrong = START.replace("selector: {app: web}", "selector: {app: api}");
    let report = check(&l, &[SourceFile::new("app.yaml", wrong)]);
    assert_eq!(one(&report), (false, "reached default/api, not a pod with app=web"));
}

#[test]
fn a_service_whose_selector_matches_nothing_refuses() {
    // kube-proxy REJECTs a Service port without endpoints (virtual-ips docs).
    let l = lesson(&format!("{WEB}      expect: delivered\n"));
    let typo = START.replace("selector: {app: web}", "selector: {app: wbe}");
    let report = check(&l, &[SourceFile::new("app.yaml", typo)]);
    let (passed, actual) = one(&report);
    assert!(!passed);
    assert!(actual.starts_with("refused: ") && actual.contains("app=wbe"), "{actual}");
}

const DENY: &str = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata: {name: deny-all}
spec: {podSelector: {}, policyTypes: [Ingress]}
";

#[test]
fn denied_names_the_policy_and_fails_for_another_one() {
    let named = |name: &str| format!("{WEB}      expect: denied\n      policy: {name}\n");
    let report = run(&named("default/deny-all"), DENY);
    assert!(one(&report).0, "{}", one(&report).1);
    assert!(one(&report).1.contains("NetworkPolicy default/deny-all denies ingress to pod default/web-a"));
    assert!(!one(&run(&named("default/other"), DENY)).0);
    let open = run(&named("default/deny-all"), "");
    assert!(!one(&open).0);
    assert!(one(&open).1.starts_with("delivered to pod default/web-a"), "{}", one(&open).1);
}

#[test]
fn a_missing_source_pod_is_reported_not_guessed() {
    let goal = "  - id: g\n    description: d\n    connection:\n      from: default/nobody\n      to: web\n      expect: delivered\n";
    assert_eq!(
        one(&run(goal, "")),
        (false, "Error from server (NotFound): pods \"nobody\" not found in namespace \"default\"")
    );
}

#[test]
fn dns_goals_check_the_answer_and_failures() {
    let dns = |name: &str, expect: &str| {
        format!("  - id: g\n    description: d\n    dns:\n      from: default/client\n      name: {name}\n      expect: {expect}\n")
    };
    let r = run(&dns("web", "answer"), "");
    assert!(one(&r).0, "{}", one(&r).1);
    assert!(one(&r).1.starts_with("web: NOERROR: web.default.svc.cluster.local A 10.1"), "{}", one(&r).1);
    // glibc tries the three search domains then the name itself (ndots:5): four queries.
    let r = run(&dns("nothere", "NXDOMAIN"), "");
    assert_eq!(one(&r), (true, "nothere: NXDOMAIN after 4 queries"));
    assert!(!one(&run(&dns("web", "NXDOMAIN"), "")).0);
}

#[test]
fn service_goals_count_ready_endpoints_and_the_external_address() {
    let goal = |body: &str| format!("  - id: g\n    description: d\n    service:\n      name: default/web\n{body}");
    assert_eq!(one(&run(&goal("      readyEndpoints: 1\n"), "")), (true, "1 ready endpoint"));
    assert!(!one(&run(&goal("      readyEndpoints: 2\n"), "")).0);
    let lb = "apiVersion: v1\nkind: Service\nmetadata: {name: edge}\nspec: {type: LoadBalancer, selector: {app: web}, ports: [{port: 80}]}\n";
    let goal = "  - id: g\n    description: d\n    service:\n      name: default/edge\n      externalAddress: true\n";
    let report = run(goal, lb);
    let (passed, actual) = one(&report);
    assert!(passed && actual.starts_with("external address 172.18.255."), "{actual}");
}

#[test]
fn isolation_goals_follow_policy_types() {
    let goal = |direction: &str| {
        format!("  - id: g\n    description: d\n    isolation:\n      pod: default/web-a\n      direction: {direction}\n      by: default/deny-all\n")
    };
    assert_eq!(
        one(&run(&goal("ingress"), DENY)),
        (true, "default/web-a is isolated for ingress by NetworkPolicy default/deny-all")
    );
    // policyTypes: [Ingress] does not isolate for egress.
    assert_eq!(one(&run(&goal("egress"), DENY)), (false, "no NetworkPolicy isolates default/web-a for egress"));
}

#[test]
fn pods_goals_count_by_labels_and_phase() {
    let goal = "  - id: g\n    description: d\n    pods:\n      labels: {app: web}\n      count: 2\n";
    assert_eq!(one(&run(goal, "")), (false, "1 pod with app=web"));
}

#[test]
fn matrix_goals_compare_every_cell_and_name_the_wrong_ones() {
    let table = "      table: |\n        -           default/client  default/web-a\n        default/client  .  X\n        default/web-a   .  .\n";
    let goal = format!("  - id: g\n    description: d\n    matrix:\n      port: 80\n{table}");
    assert_eq!(one(&run(&goal, "")), (false, "default/client -> default/web-a is allowed"));
    let only_web = DENY.replace("podSelector: {}", "podSelector: {matchLabels: {app: web}}");
    // web-a is isolated for ingress: the client is denied; web-a reaching itself is always allowed.
    assert_eq!(one(&run(&goal, &only_web)), (true, "the matrix is as expected"));
    let unknown = goal.replace("default/web-a   .", "default/ghost   .");
    assert!(one(&run(&unknown, "")).1.starts_with("default/ghost is in no row of the matrix"));
}

#[test]
fn no_errors_reports_the_first_error() {
    let goal = "  - id: g\n    description: d\n    noErrors: true\n";
    assert_eq!(one(&run(goal, "")), (true, "the workspace applies without errors"));
    let bad = "apiVersion: v1\nkind: Service\nmetadata: {name: bad}\nspec: {ports: [{port: 0}]}\n";
    let report = run(goal, bad);
    let (passed, actual) = one(&report);
    assert!(!passed && actual.starts_with("2 errors; the first: app.yaml:26:16: spec.ports[0].targetPort"), "{actual}");
}

#[test]
fn files_the_learner_may_not_edit_are_the_lessons() {
    let text = "id: t\ntitle: T\nlevel: beginner\ntask: t\neditable: [mine.yaml]\ngoals:\n  - id: g\n    description: d\n    noErrors: true\n";
    let files = [
        SourceFile::new("lesson.yaml", text),
        SourceFile::new("start/app.yaml", START),
        SourceFile::new("start/mine.yaml", ""),
    ];
    let l = Lesson::parse("00-t", &files).expect("valid");
    let workspace = l.workspace(&[SourceFile::new("app.yaml", "garbage: ["), SourceFile::new("mine.yaml", "")]);
    assert_eq!(workspace[0], SourceFile::new("app.yaml", START));
    assert_eq!(workspace.len(), 2);
    let mut sim = Simulation::new();
    assert!(!sim.apply(&workspace).has_errors());
}

#[test]
fn env_goals_see_only_services_created_before_the_pod() {
    // The kubelet computes Service variables when the container starts (envvars.go): the
    // client pod comes before the Service web in the file, so it has no WEB_SERVICE_HOST.
    let goal = "  - id: g\n    description: d\n    env:\n      pod: default/client\n      name: WEB_SERVICE_HOST\n      expect: set\n";
    assert_eq!(one(&run(goal, "")), (false, "WEB_SERVICE_HOST is not set in default/client"));
    let unset = goal.replace("expect: set", "expect: unset");
    assert!(one(&run(&unset, "")).0);
    let late = "apiVersion: v1\nkind: Pod\nmetadata: {name: late}\nspec: {containers: [{name: c, image: busybox}]}\n";
    let goal =
        goal.replace("default/client", "default/late").replace("expect: set", "expect: set\n      value: 10.96.0.1");
    let report = run(&goal, late);
    let (passed, actual) = one(&report);
    assert!(!passed && actual.starts_with("WEB_SERVICE_HOST=10.") && actual.ends_with(" in default/late"), "{actual}");
}

#[test]
fn an_encapsulation_goal_passes_only_on_the_path_it_names_and_says_which_path_was_taken() {
    let l = shipped().into_iter().find(|l| l.file.id == "overlay-or-routed").expect("shipped");
    let result = |report: &Report, id: &str| report.results.iter().find(|r| r.id == id).cloned().expect("goal");
    // calico routes between nodes: delivered, but not wrapped.
    let start = check(&l, &l.start);
    let far = result(&start, "far-is-wrapped");
    assert!(!far.passed);
    assert!(far.actual.contains("routed between the nodes as it is"), "{}", far.actual);
    // The same node needs no encapsulation under any plugin.
    assert!(result(&start, "near-stays-on-the-node").passed);
    let solved = check(&l, &l.solved());
    assert!(result(&solved, "far-is-wrapped").passed);
    assert!(result(&solved, "near-stays-on-the-node").passed);
}

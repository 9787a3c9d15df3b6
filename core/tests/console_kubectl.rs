//! The console's `kubectl get`, `describe`, `apply`, `version` and its errors, against what
//! kubectl 1.33 prints for the same cluster. Table layouts themselves are pinned in
//! `render_kubectl.rs`; here the command line: shell quoting, kubectl's flag forms (pflag's
//! `-n NS`, `-nNS`, `--namespace=NS`, `-A`), resource aliases, `TYPE/NAME` and several names,
//! and the error lines and exit statuses.

mod console_support;

use console_support::Workspace;
use kubeplay_core::render::{self, Format, Query, Resource, Scope};

#[test]
fn get_services_prints_kubectls_table_with_the_alias_and_the_plural_alike() {
    let ws = Workspace::new();
    let out = ws.run("kubectl get svc");
    let expected = render::get(
        ws.simulation.cluster(),
        &Query { resource: Resource::Services, scope: Scope::Namespace("default".into()), name: None },
        Format::Table,
    )
    .expect("services");
    assert_eq!(out.stdout, expected);
    assert!(out.stdout.starts_with("NAME         TYPE        CLUSTER-IP"), "{}", out.stdout);
    assert_eq!(out.stderr, "");
    assert_eq!(out.exit_code, 0);
    assert_eq!(ws.run("kubectl get services").stdout, expected);
    assert_eq!(ws.run("kubectl get service").stdout, expected);
    assert!(out.plays.is_empty());
}

#[test]
fn namespace_flag_forms_of_pflag_all_select_the_namespace() {
    let ws = Workspace::new();
    let expected = ws.run("kubectl get svc -n shop").stdout;
    assert!(expected.contains("\ndb "), "{expected}");
    assert!(!expected.contains("web"), "{expected}");
    for line in [
        "kubectl get svc --namespace=shop",
        "kubectl get svc --namespace shop",
        "kubectl get svc -nshop",
        "kubectl -n shop get svc",
        "kubectl --namespace=shop get svc",
    ] {
        assert_eq!(ws.run(line).stdout, expected, "{line}");
    }
}

#[test]
fn all_namespaces_adds_kubectls_namespace_column() {
    let ws = Workspace::new();
    let out = ws.run("kubectl get svc -A");
    assert!(out.stdout.starts_with("NAMESPACE     NAME "), "{}", out.stdout);
    assert!(out.stdout.contains("\nshop          db "), "{}", out.stdout);
    assert_eq!(ws.run("kubectl get svc --all-namespaces").stdout, out.stdout);
}

#[test]
fn type_slash_name_and_several_names_print_one_table_in_the_order_named() {
    let ws = Workspace::new();
    let out = ws.run("kubectl get svc web empty");
    let rows: Vec<&str> = out.stdout.lines().map(|l| l.split(' ').next().unwrap_or_default()).collect();
    assert_eq!(rows, ["NAME", "web", "empty"]);
    assert_eq!(ws.run("kubectl get svc/web svc/empty").stdout, out.stdout);
}

#[test]
fn a_missing_name_prints_what_was_found_then_not_found_and_exits_one() {
    // kubectl prints the table of the objects it found, then one NotFound line per name.
    let ws = Workspace::new();
    let out = ws.run("kubectl get svc web nope");
    assert!(out.stdout.contains("\nweb "), "{}", out.stdout);
    assert_eq!(out.stderr, "Error from server (NotFound): services \"nope\" not found\n");
    assert_eq!(out.exit_code, 1);
    let one = ws.run("kubectl get deploy nope");
    assert_eq!(one.stdout, "");
    assert_eq!(one.stderr, "Error from server (NotFound): deployments.apps \"nope\" not found\n");
}

#[test]
fn output_name_prints_kind_dot_group_slash_name() {
    let ws = Workspace::new();
    assert_eq!(ws.run("kubectl get svc web -o name").stdout, "service/web\n");
    assert_eq!(ws.run("kubectl get deploy -o name").stdout, "deployment.apps/web\n");
    assert_eq!(ws.run("kubectl get ns shop --output=name").stdout, "namespace/shop\n");
}

#[test]
fn output_json_of_one_name_is_the_object_and_of_two_a_list() {
    let ws = Workspace::new();
    let one: serde_json::Value = serde_json::from_str(&ws.run("kubectl get svc web -o json").stdout).expect("json");
    assert_eq!(one["kind"], "Service");
    let two: serde_json::Value =
        serde_json::from_str(&ws.run("kubectl get svc web empty -o json").stdout).expect("json");
    assert_eq!(two["kind"], "List");
    assert_eq!(two["items"].as_array().map(Vec::len), Some(2));
    assert!(ws.run("kubectl get svc web -o yaml").stdout.starts_with("apiVersion: v1\nkind: Service\n"));
}

#[test]
fn empty_listing_says_no_resources_found_on_stderr_and_exits_zero() {
    let ws = Workspace::new();
    let out = ws.run("kubectl get ingress");
    assert_eq!(
        (out.stdout.as_str(), out.stderr.as_str(), out.exit_code),
        ("", "No resources found in default namespace.\n", 0)
    );
}

#[test]
fn endpoints_print_the_v1_deprecation_warning_first() {
    let ws = Workspace::new();
    let out = ws.run("kubectl get ep web");
    assert_eq!(out.stderr, "Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice\n");
    assert!(out.stdout.starts_with("NAME   ENDPOINTS"), "{}", out.stdout);
}

#[test]
fn errors_are_worded_as_kubectl_words_them() {
    let ws = Workspace::new();
    let cases = [
        ("kubectl get foos", "error: the server doesn't have a resource type \"foos\"\n"),
        ("kubectl get svc web -A", "error: a resource cannot be retrieved by name across all namespaces\n"),
        ("kubectl get svc --bogus", "error: unknown flag: --bogus\nSee 'kubectl get --help' for usage.\n"),
        ("kubectl get svc -x", "error: unknown shorthand flag: 'x' in -x\nSee 'kubectl get --help' for usage.\n"),
        ("kubectl get svc -n", "error: flag needs an argument: 'n' in -n\nSee 'kubectl get --help' for usage.\n"),
        ("kubectl get svc -o foo", "error: unable to match a printer suitable for the output format \"foo\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml\n"),
    ];
    for (line, stderr) in cases {
        let out = ws.run(line);
        assert_eq!((out.stderr.as_str(), out.exit_code), (stderr, 1), "{line}");
    }
}

#[test]
fn unknown_commands_get_kubectls_error_and_the_list_of_what_is_supported() {
    let ws = Workspace::new();
    let out = ws.run("kubectl foo");
    assert!(out.stderr.starts_with("error: unknown command \"foo\" for \"kubectl\"\n"), "{}", out.stderr);
    assert!(out.stderr.contains("kubectl get, describe, apply -f, exec, run"), "{}", out.stderr);
    assert_eq!(out.exit_code, 1);
    let not_modeled = ws.run("kubectl delete pod client");
    assert!(
        not_modeled.stderr.starts_with("error: kubeplay does not model \"kubectl delete\""),
        "{}",
        not_modeled.stderr
    );
    let shell = ws.run("ls -l");
    assert!(shell.stderr.starts_with("sh: ls: not found\n"), "{}", shell.stderr);
    assert!(shell.stderr.contains("kubectl get"), "{}", shell.stderr);
    assert_eq!(shell.exit_code, 127);
    let unmodeled_flag = ws.run("kubectl get pods -l app=web");
    assert_eq!(unmodeled_flag.stderr, "error: the flag --selector is not modeled by kubeplay\n");
}

#[test]
fn quoting_follows_the_posix_shell() {
    let ws = Workspace::new();
    assert_eq!(ws.run("kubectl get 'svc' \"web\"").stdout, ws.run("kubectl get svc web").stdout);
    assert_eq!(ws.run("kubectl  get   s\\vc   web ").stdout, ws.run("kubectl get svc web").stdout);
    let open = ws.run("kubectl get 'svc");
    assert_eq!(open.exit_code, 2);
    assert!(open.stderr.contains("unterminated quoted string"), "{}", open.stderr);
    assert_eq!(ws.run("   "), Default::default());
}

#[test]
fn describe_service_prints_kubectls_description_and_a_prefix_matches_like_kubectl() {
    // kubectl describe falls back to every object whose name starts with the argument
    // (`DescribeMatchingResources`) when no object has that exact name.
    let ws = Workspace::new();
    let out = ws.run("kubectl describe svc web");
    assert!(
        out.stdout.starts_with("Name:                     web\nNamespace:                default\n"),
        "{}",
        out.stdout
    );
    assert_eq!(ws.run("kubectl describe service/we").stdout, out.stdout);
    let missing = ws.run("kubectl describe svc nope");
    assert_eq!(
        (missing.stderr.as_str(), missing.exit_code),
        ("Error from server (NotFound): services \"nope\" not found\n", 1)
    );
    let not_modeled = ws.run("kubectl describe pod client");
    assert!(not_modeled.stderr.contains("kubectl describe for services only"), "{}", not_modeled.stderr);
}

#[test]
fn describe_without_a_name_describes_every_service_separated_by_two_blank_lines() {
    // describe.go: the first object as is, each next one after "\n\n".
    let ws = Workspace::new();
    let out = ws.run("kubectl describe svc -n default");
    let blocks: Vec<&str> = out.stdout.split("\n\n\nName:").collect();
    assert_eq!(blocks.len(), 3, "{}", out.stdout);
}

#[test]
fn apply_reports_each_object_of_the_file_as_kubectl_does() {
    let ws = Workspace::new();
    let out = ws.run("kubectl apply -f app.yaml");
    assert_eq!(out.stdout, "deployment.apps/web unchanged\nservice/web unchanged\n");
    assert_eq!(out.exit_code, 0);
    let all = ws.run("kubectl apply -f .");
    assert!(all.stdout.contains("pod/client unchanged\n"), "{}", all.stdout);
    let missing = ws.run("kubectl apply -f nope.yaml");
    assert_eq!((missing.stderr.as_str(), missing.exit_code), ("error: the path \"nope.yaml\" does not exist\n", 1));
}

#[test]
fn apply_of_an_edited_file_says_configured_and_leaves_the_simulation_unchanged() {
    let mut ws = Workspace::new();
    ws.files[0].text = ws.files[0].text.replace("replicas: 3", "replicas: 2");
    let out = ws.run("kubectl apply -f app.yaml");
    assert_eq!(out.stdout, "deployment.apps/web configured\nservice/web unchanged\n");
    let pods = ws.run("kubectl get pods -o name").stdout;
    assert_eq!(pods.lines().filter(|l| l.starts_with("pod/web-")).count(), 3, "{pods}");
}

#[test]
fn apply_prints_problems_as_file_line_column() {
    let mut ws = Workspace::new();
    ws.files[1].text = ws.files[1].text.replace("port: 5432", "port: 99999");
    let out = ws.run("kubectl apply -f more.yaml");
    assert_eq!(out.exit_code, 1);
    assert!(out.stderr.starts_with("more.yaml:"), "{}", out.stderr);
    assert!(out.stderr.contains("spec.ports[0].port"), "{}", out.stderr);
}

#[test]
fn version_and_help() {
    let ws = Workspace::new();
    assert_eq!(
        ws.run("kubectl version").stdout,
        "Client Version: v1.33.1\nKustomize Version: v5.6.0\nServer Version: v1.33.1\n"
    );
    assert!(ws.run("help").stdout.contains("kubectl exec"));
}

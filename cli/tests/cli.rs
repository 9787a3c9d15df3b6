//! The CLI contract (docs/cli.md), checked by running the real binary.

use assert_cmd::Command;
use serde_json::Value;

const SANDBOX: &str = "../examples/sandbox";

fn kubeplay() -> Command {
    Command::cargo_bin("kubeplay").expect("binary built")
}

fn stdout_json(args: &[&str], stdin: Option<&str>) -> (Value, i32) {
    let mut cmd = kubeplay();
    cmd.args(args);
    if let Some(text) = stdin {
        cmd.write_stdin(text);
    }
    let out = cmd.output().expect("runs");
    let json = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    (json, out.status.code().unwrap_or(-1))
}

#[test]
fn help_and_version_print_and_exit_zero() {
    kubeplay().arg("--help").assert().success().stdout(predicates::str::contains("apply"));
    kubeplay().arg("--version").assert().success().stdout(predicates::str::starts_with("kubeplay "));
}

#[test]
fn apply_prints_kubectl_lines_and_exits_zero() {
    kubeplay()
        .args(["apply", "-f", SANDBOX])
        .assert()
        .success()
        .stdout("deployment.apps/web created\nservice/web created\n");
}

#[test]
fn apply_json_lists_objects_and_errors_with_positions_and_exits_one() {
    let manifest = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n  - port: 80\n    nodePort: 80\n";
    let (json, code) = stdout_json(&["apply", "-f", "-", "-o", "json"], Some(manifest));
    assert_eq!(code, 1);
    assert_eq!(json["objects"], serde_json::json!([]), "the rejected Service is not listed");
    let error = &json["errors"][0];
    assert_eq!(error["file"], "-");
    assert_eq!(error["line"], 11);
    assert_eq!(error["column"], 15);
    assert_eq!(error["field"], "spec.ports[0].nodePort");
    assert_eq!(
        error["message"],
        "Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"
    );
}

#[test]
fn apply_prints_warnings_on_stderr_and_still_exits_zero_and_queries_print_none() {
    // A Service whose selector matches no pod: valid, so created, with a warning.
    let manifest = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n";
    kubeplay()
        .args(["apply", "-f", "-"])
        .write_stdin(manifest)
        .assert()
        .success()
        .stdout("service/web created\n")
        .stderr("-:7:5: warning: spec.selector: no pod in namespace default has the labels app=web: the Service has no endpoints and connections to it are refused (give the pods these labels (for a Deployment, in spec.template.metadata.labels) or change the selector to labels the pods have)\n");
    let (json, code) = stdout_json(&["apply", "-f", "-", "-o", "json"], Some(manifest));
    assert_eq!(code, 0);
    assert_eq!(json["errors"], serde_json::json!([]));
    assert_eq!(json["warnings"][0]["field"], "spec.selector");
    assert_eq!(json["warnings"][0]["line"], 7);
    kubeplay().args(["get", "services", "-f", "-"]).write_stdin(manifest).assert().success().stderr("");
}

#[test]
fn apply_text_errors_are_file_line_col_field_message_on_stderr() {
    let manifest = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    targetport: 8080\n";
    kubeplay()
        .args(["apply", "-f", "-"])
        .write_stdin(manifest)
        .assert()
        .code(1)
        .stderr("-:8:5: spec.ports[0].targetport: unknown field \"spec.ports[0].targetport\" (did you mean \"targetPort\"?)\n");
}

#[test]
fn a_missing_path_is_reported_like_kubectl() {
    kubeplay()
        .args(["apply", "-f", "does-not-exist.yaml"])
        .assert()
        .code(1)
        .stderr("error: the path \"does-not-exist.yaml\" does not exist\n");
}

#[test]
fn get_services_json_is_a_v1_list_with_allocated_fields() {
    let (json, code) = stdout_json(&["get", "services", "-o", "json", "-f", SANDBOX], None);
    assert_eq!(code, 0);
    assert_eq!(json["kind"], "List");
    assert_eq!(json["apiVersion"], "v1");
    let names: Vec<&str> = json["items"].as_array().expect("items").iter().filter_map(|i| i["metadata"]["name"].as_str()).collect();
    assert_eq!(names, ["kubernetes", "web"]);
    let web = &json["items"][1];
    let ip = web["spec"]["clusterIP"].as_str().expect("clusterIP");
    assert!(ip.starts_with("10.") && ip != "10.96.0.1" && ip != "10.96.0.10", "{ip}");
    assert_eq!(web["spec"]["ports"][0]["targetPort"], "http");
}

#[test]
fn get_table_has_kubectl_columns() {
    let out = kubeplay().args(["get", "svc", "-A", "-f", SANDBOX]).output().expect("runs");
    let text = String::from_utf8_lossy(&out.stdout);
    let header: Vec<&str> = text.lines().next().expect("header").split_whitespace().collect();
    assert_eq!(header, ["NAMESPACE", "NAME", "TYPE", "CLUSTER-IP", "EXTERNAL-IP", "PORT(S)", "AGE"]);
    assert!(text.contains("kube-system   kube-dns     ClusterIP   10.96.0.10 "), "{text}");
}

#[test]
fn get_a_missing_object_is_not_found_with_exit_one() {
    kubeplay()
        .args(["get", "svc", "nope", "-f", SANDBOX])
        .assert()
        .code(1)
        .stderr(predicates::str::contains("services \"nope\" not found"));
}

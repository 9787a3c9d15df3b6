//! The `kubeplay matrix` contract (docs/cli.md): the truth table, its JSON, and `--diff`,
//! checked by running the real binary on a workspace from standard input or files.

use assert_cmd::Command;
use serde_json::{json, Value};

fn kubeplay() -> Command {
    Command::cargo_bin("kubeplay").expect("binary built")
}

/// `web` (port 80 named http) and `client` in `default`; with `policy`, web admits only client.
fn workspace(policy: bool) -> String {
    let mut text = String::from(
        "apiVersion: v1
kind: Pod
metadata:
  name: web
  labels: {app: web}
spec:
  containers:
  - name: main
    image: nginx
    ports: [{name: http, containerPort: 80}]
---
apiVersion: v1
kind: Pod
metadata:
  name: client
  labels: {app: client}
spec:
  containers:
  - {name: main, image: curl}
---
apiVersion: v1
kind: Pod
metadata:
  name: other
  labels: {app: other}
spec:
  containers:
  - {name: main, image: curl}
",
    );
    if policy {
        text.push_str(
            "---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: web
spec:
  podSelector: {matchLabels: {app: web}}
  ingress:
  - from:
    - podSelector: {matchLabels: {app: client}}
    ports:
    - port: http
",
        );
    }
    text
}

fn json_of(args: &[&str], stdin: &str) -> (Value, i32) {
    let out = kubeplay().args(args).write_stdin(stdin).output().expect("runs");
    (serde_json::from_slice(&out.stdout).expect("stdout is JSON"), out.status.code().unwrap_or(-1))
}

#[test]
fn matrix_prints_the_upstream_truth_table() {
    // Pods land on kubeplay-worker, kubeplay-worker2, kubeplay-worker in creation order (after
    // CoreDNS): the node that hosts web may always reach it, the others may not.
    let out = kubeplay().args(["matrix", "-f", "-"]).write_stdin(workspace(true)).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "-\tdefault/client\tdefault/other\tdefault/web\tnode/kubeplay-control-plane\tnode/kubeplay-worker\tnode/kubeplay-worker2\texternal"
    );
    assert_eq!(lines[1], "default/client\t.\t.\t.\t.\t.\t.\t.");
    assert_eq!(lines[2], "default/other\t.\t.\tX\t.\t.\t.\t.");
    assert_eq!(lines[7], "external\t.\t.\tX\t.\t.\t.\t.");
    assert_eq!(lines.len(), 8);
}

#[test]
fn matrix_json_has_pods_port_protocol_and_allowed() {
    let (json, code) = json_of(&["matrix", "-f", "-", "-o", "json", "--port", "80"], &workspace(true));
    assert_eq!(code, 0);
    assert_eq!(json["pods"], json!(["default/client", "default/other", "default/web"]));
    assert_eq!(json["port"], 80);
    assert_eq!(json["protocol"], "TCP");
    assert_eq!(json["allowed"], json!([[true, true, true], [true, true, false], [true, true, true]]));
    assert_eq!(
        json["peers"],
        json!(["node/kubeplay-control-plane", "node/kubeplay-worker", "node/kubeplay-worker2", "external"])
    );
    assert_eq!(json["peerToPod"][3], json!([true, true, false]), "external -> web is denied");
    assert_eq!(json["enforced"], true);
    assert_eq!(json["cni"], "calico");
}

#[test]
fn matrix_on_another_port_and_protocol() {
    // The named port resolves to 80/TCP: on 81, or on UDP, nobody reaches web but its node.
    for args in [["--port", "81", "--protocol", "TCP"], ["--port", "80", "--protocol", "UDP"]] {
        let mut all = vec!["matrix", "-f", "-", "-o", "json"];
        all.extend(args);
        let (json, _) = json_of(&all, &workspace(true));
        assert_eq!(json["allowed"], json!([[true, true, false], [true, true, false], [true, true, true]]), "{args:?}");
    }
}

#[test]
fn matrix_namespace_scope_keeps_nodes_and_external() {
    let (json, _) = json_of(&["matrix", "-f", "-", "-o", "json", "-n", "kube-system"], &workspace(true));
    let pods = json["pods"].as_array().expect("list");
    assert_eq!(pods.len(), 2, "the two CoreDNS replicas");
    assert!(pods.iter().all(|p| p.as_str().is_some_and(|p| p.starts_with("kube-system/coredns-"))));
    assert_eq!(json["peers"].as_array().map(Vec::len), Some(4));
}

#[test]
fn matrix_diff_lists_opened_and_closed_pairs() {
    let dir = std::env::temp_dir().join(format!("kubeplay-matrix-diff-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let old = dir.join("old.yaml");
    let new = dir.join("new.yaml");
    std::fs::write(&old, workspace(false)).expect("write");
    std::fs::write(&new, workspace(true)).expect("write");
    let (old, new) = (old.display().to_string(), new.display().to_string());
    kubeplay().args(["matrix", "--diff", &old, &new]).assert().success().stdout(
        "- default/other -> default/web\n\
         - node/kubeplay-control-plane -> default/web\n\
         - node/kubeplay-worker2 -> default/web\n\
         - external -> default/web\n\
         0 opened, 4 closed on 80/TCP\n",
    );
    let out = kubeplay().args(["matrix", "--diff", &new, &old, "-o", "json"]).output().expect("runs");
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["closed"], json!([]));
    assert_eq!(json["opened"][0], json!({"from": "default/other", "to": "default/web"}));
    assert_eq!(json["opened"].as_array().map(Vec::len), Some(4));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn matrix_of_a_workspace_with_errors_exits_one_and_still_prints() {
    let text = format!(
        "{}---\napiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  ports:\n  - port: 0\n",
        workspace(true)
    );
    let out = kubeplay().args(["matrix", "-f", "-", "-o", "json"]).write_stdin(text).output().expect("runs");
    assert_eq!(out.status.code(), Some(1));
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["pods"].as_array().map(Vec::len), Some(3));
    assert!(!out.stderr.is_empty());
}

//! The `kubeplay trace` and `kubeplay exec -- curl|nc` contract (docs/cli.md), checked by
//! running the real binary. Semantics are pinned in core's dataplane tests; here the shapes:
//! the JSON fields autograders read, the exit codes, curl's and nc's messages.

use assert_cmd::Command;
use serde_json::Value;

const WORKSPACE: &str = "apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  nodeName: kubeplay-worker
  containers:
  - name: c
    image: curlimages/curl
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 1
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      nodeName: kubeplay-worker2
      containers:
      - name: app
        image: nginx
        ports:
        - name: http
          containerPort: 8080
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  type: NodePort
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
    nodePort: 30080
---
apiVersion: v1
kind: Service
metadata:
  name: empty
spec:
  selector:
    app: nothing
  ports:
  - port: 80
";

fn kubeplay() -> Command {
    Command::cargo_bin("kubeplay").expect("binary built")
}

fn trace_json(args: &[&str]) -> (Value, i32) {
    let out =
        kubeplay().args(["trace", "-f", "-", "-o", "json"]).args(args).write_stdin(WORKSPACE).output().expect("runs");
    (serde_json::from_slice(&out.stdout).expect("stdout is JSON"), out.status.code().unwrap_or(-1))
}

#[test]
fn trace_json_has_the_documented_fields() {
    let (json, code) = trace_json(&["--from", "default/client", "--to", "web.default", "--seed", "4"]);
    assert_eq!(code, 0);
    assert_eq!(json["verdict"], "delivered");
    assert!(json["reason"].as_str().is_some_and(|r| r.starts_with("delivered to pod default/web-")));
    assert_eq!(json["backend"]["node"], "kubeplay-worker2");
    assert_eq!(json["backend"]["port"], 8080);
    assert!(json["backend"]["pod"].as_str().is_some_and(|p| p.starts_with("default/web-")));
    assert!(json["delivered_as"]["dst"].as_str().is_some_and(|d| d.ends_with(":8080")));
    let hops = json["hops"].as_array().expect("hops");
    for hop in hops {
        for key in ["at", "action", "src", "dst"] {
            assert!(hop[key].is_string(), "{key} in {hop}");
        }
        assert!(hop["rule"].is_string() || hop["rule"].is_null());
    }
    assert!(hops.iter().any(|h| h["rule"].as_str().is_some_and(|r| r.starts_with("-A KUBE-SEP-"))));
    assert!(json["reply"].as_array().is_some_and(|r| !r.is_empty()));
}

#[test]
fn trace_json_to_a_name_carries_its_dns_lookup_and_a_service_target_does_not() {
    let (json, _) = trace_json(&["--from", "default/client", "--to", "web"]);
    assert_eq!(json["dns"]["rcode"], "NOERROR");
    let queries = json["dns"]["queries"].as_array().expect("queries");
    assert_eq!(queries[0]["name"], "web.default.svc.cluster.local");
    assert_eq!((queries[0]["type"].as_str(), queries[1]["type"].as_str()), (Some("A"), Some("AAAA")));
    assert_eq!(json["dns"]["answers"][0]["type"], "A");
    let (json, _) = trace_json(&["--from", "default/client", "--to", "svc/default/web"]);
    assert_eq!(json["verdict"], "delivered");
    assert!(json.get("dns").is_none(), "no lookup, no dns field: {json}");
    let (json, code) = trace_json(&["--from", "default/client", "--to", "nothing"]);
    assert_eq!((code, json["verdict"].as_str()), (0, Some("no-route")));
    assert_eq!(json["dns"]["rcode"], "NXDOMAIN");
}

#[test]
fn trace_to_a_missing_service_target_is_not_found() {
    kubeplay()
        .args(["trace", "-f", "-", "--from", "default/client", "--to", "svc/default/ghost"])
        .write_stdin(WORKSPACE)
        .assert()
        .code(1)
        .stderr("Error from server (NotFound): services \"ghost\" not found in namespace \"default\"\n");
}

#[test]
fn trace_json_shows_snat_for_nodeport_cluster_policy() {
    let (json, code) = trace_json(&["--from", "external", "--to", "172.18.0.3", "--port", "30080"]);
    assert_eq!(code, 0);
    assert_eq!(json["verdict"], "delivered");
    assert!(json["delivered_as"]["src"].as_str().is_some_and(|s| s.starts_with("172.18.0.3:")));
}

#[test]
fn trace_of_a_service_without_endpoints_is_refused_with_null_backend() {
    let (json, code) = trace_json(&["--from", "default/client", "--to", "empty.default"]);
    assert_eq!(code, 0, "a computed trace exits 0 whatever its verdict");
    assert_eq!(json["verdict"], "refused");
    assert!(json["backend"].is_null() && json["delivered_as"].is_null());
    assert_eq!(json["reply"], serde_json::json!([]));
}

#[test]
fn trace_text_prints_a_table_and_the_verdict() {
    let out = kubeplay()
        .args(["trace", "-f", "-", "--from", "default/client", "--to", "web.default"])
        .write_stdin(WORKSPACE)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("utf-8");
    assert!(text.starts_with("#   AT"), "{text}");
    assert!(text.contains("    rule: -A KUBE-SERVICES -m comment --comment \"default/web:http cluster IP\""), "{text}");
    assert!(text.contains("\nVERDICT: delivered\n"), "{text}");
    assert!(text.contains("\nREPLY:\n"), "{text}");
}

#[test]
fn trace_of_an_unknown_source_is_an_error_with_exit_one() {
    kubeplay()
        .args(["trace", "-f", "-", "--from", "default/ghost", "--to", "web.default"])
        .write_stdin(WORKSPACE)
        .assert()
        .code(1)
        .stderr("Error from server (NotFound): pods \"ghost\" not found in namespace \"default\"\n");
}

#[test]
fn exec_curl_prints_curls_messages_and_exit_codes() {
    let run = |url: &str| {
        kubeplay()
            .args(["exec", "-f", "-", "default/client", "--", "curl", url])
            .write_stdin(WORKSPACE)
            .output()
            .expect("runs")
    };
    let ok = run("http://web.default/");
    assert_eq!(ok.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&ok.stderr).starts_with("* Connected to web.default port 80\n"));
    let refused = run("http://empty.default/");
    assert_eq!(refused.status.code(), Some(7));
    assert!(String::from_utf8_lossy(&refused.stderr)
        .starts_with("curl: (7) Failed to connect to empty.default port 80: Connection refused\n"));
    let unknown = run("http://nowhere.default/");
    assert_eq!(unknown.status.code(), Some(6));
    assert!(String::from_utf8_lossy(&unknown.stderr).starts_with("curl: (6) Could not resolve host: nowhere.default\n"));
}

#[test]
fn exec_nc_prints_netcats_messages() {
    let run = |host: &str, port: &str| {
        kubeplay()
            .args(["exec", "-f", "-", "default/client", "--", "nc", "-zv", host, port])
            .write_stdin(WORKSPACE)
            .output()
            .expect("runs")
    };
    let ok = run("web", "80");
    assert_eq!(ok.status.code(), Some(0));
    assert_eq!(String::from_utf8_lossy(&ok.stderr), "Connection to web 80 port [tcp/http] succeeded!\n");
    let refused = run("empty", "80");
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr)
        .starts_with("nc: connect to empty port 80 (tcp) failed: Connection refused\n"));
}

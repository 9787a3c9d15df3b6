//! `kubeplay proxy-rules` (docs/cli.md), checked by running the real binary.

use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;

const SANDBOX: &str = "../examples/sandbox";

fn kubeplay() -> Command {
    Command::cargo_bin("kubeplay").expect("binary built")
}

#[test]
fn every_node_is_printed_after_a_node_line() {
    let out = kubeplay().args(["proxy-rules", "-f", SANDBOX]).output().expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).expect("UTF-8");
    let nodes: Vec<&str> = text.lines().filter(|l| l.starts_with("# Node: ")).collect();
    assert_eq!(nodes, ["# Node: kubeplay-control-plane", "# Node: kubeplay-worker", "# Node: kubeplay-worker2"]);
    assert_eq!(text.matches("*nat\n").count(), 3);
    assert!(text.contains(r#"-A KUBE-SERVICES -m comment --comment "default/web:http cluster IP""#));
}

#[test]
fn one_node_prints_its_iptables_save_alone() {
    kubeplay()
        .args(["proxy-rules", "-f", SANDBOX, "--node", "kubeplay-worker"])
        .assert()
        .success()
        .stdout(predicates::str::starts_with("*filter\n:INPUT ACCEPT [0:0]\n"))
        .stdout(contains("-A KUBE-SVC-CDGGSHYLG3RE2FKL "))
        .stdout(contains("# Node:").not());
}

#[test]
fn an_unknown_node_is_not_found_and_exits_one() {
    kubeplay()
        .args(["proxy-rules", "-f", SANDBOX, "--node", "nope"])
        .assert()
        .code(1)
        .stdout("")
        .stderr("Error from server (NotFound): nodes \"nope\" not found\n");
}

#[test]
fn nftables_mode_prints_the_kube_proxy_table() {
    let config = "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnetworking:\n  kubeProxyMode: nftables\n";
    kubeplay()
        .args(["proxy-rules", "-f", "-", "--node", "kubeplay-worker"])
        .write_stdin(config)
        .assert()
        .success()
        .stdout(predicates::str::starts_with("add table ip kube-proxy { comment \"rules for kube-proxy\" ; }\n"));
}

#[test]
fn ipvs_mode_is_not_modeled_and_exits_one() {
    let config = "apiVersion: kind.x-k8s.io/v1alpha4\nkind: Cluster\nnetworking:\n  kubeProxyMode: ipvs\n";
    kubeplay()
        .args(["proxy-rules", "-f", "-"])
        .write_stdin(config)
        .assert()
        .code(1)
        .stdout("")
        .stderr(contains("ipvs is not modeled"));
}

//! The contract of `kubeplay dns` and the DNS commands of `kubeplay exec` (docs/cli.md),
//! checked by running the real binary on a workspace from standard input.

use assert_cmd::Command;
use serde_json::Value;

const WORKSPACE: &str = "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  clusterIP: 10.96.0.12\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: client\nspec:\n  containers:\n  - name: c\n    image: busybox\n";

fn kubeplay() -> Command {
    Command::cargo_bin("kubeplay").expect("binary built")
}

#[test]
fn dns_json_has_rcode_answers_and_every_query() {
    let out = kubeplay()
        .args(["dns", "-f", "-", "--from", "default/client", "web.shop", "-o", "json"])
        .write_stdin(WORKSPACE)
        .output()
        .expect("runs");
    assert_eq!(out.status.code(), Some(0));
    let json: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let answer =
        serde_json::json!({"name": "web.shop.svc.cluster.local", "type": "A", "ttl": 30, "data": "10.96.0.12"});
    // kube-proxy's DNAT took both queries to the same CoreDNS pod of the two (`kubeplay get pods
    // -A` lists coredns-bd4888547-mghdn and -w74jm): the first rule's random draw for this seed.
    let coredns = "kube-system/coredns-bd4888547-mghdn";
    assert_eq!(
        json,
        serde_json::json!({
            "rcode": "NOERROR",
            "answers": [answer],
            "queries": [
                {"name": "web.shop.default.svc.cluster.local", "type": "A", "rcode": "NXDOMAIN", "answers": [],
                 "server": "10.96.0.10", "answered_by": coredns},
                {"name": "web.shop.svc.cluster.local", "type": "A", "rcode": "NOERROR", "answers": [answer],
                 "server": "10.96.0.10", "answered_by": coredns},
            ]
        })
    );
}

#[test]
fn exec_cat_resolv_conf_and_nslookup_print_what_the_pod_sees() {
    kubeplay()
        .args(["exec", "-f", "-", "default/client", "--", "cat", "/etc/resolv.conf"])
        .write_stdin(WORKSPACE)
        .assert()
        .success()
        .stdout("search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n");
    kubeplay()
        .args(["exec", "-f", "-", "client", "--", "nslookup", "web.shop"])
        .write_stdin(WORKSPACE)
        .assert()
        .success()
        .stdout("Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web.shop\nAddress 1: 10.96.0.12 web.shop.svc.cluster.local\n");
    kubeplay()
        .args(["exec", "-f", "-", "client", "--", "nslookup", "nope"])
        .write_stdin(WORKSPACE)
        .assert()
        .code(1)
        .stderr("nslookup: can't resolve 'nope'\ncommand terminated with exit code 1\n");
}

#[test]
fn exec_of_an_unmodeled_command_or_a_missing_pod_exits_one() {
    kubeplay()
        .args(["exec", "-f", "-", "ghost", "--", "env"])
        .write_stdin(WORKSPACE)
        .assert()
        .code(1)
        .stderr("Error from server (NotFound): pods \"ghost\" not found\n");
}

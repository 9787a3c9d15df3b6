//! Tab completion in the console: what may replace the word before the cursor.

mod console_support;

use console_support::Workspace;

#[test]
fn first_word_and_subcommands() {
    let ws = Workspace::new();
    assert_eq!(ws.complete("ku"), ["kubectl"]);
    assert_eq!(ws.complete("kubectl "), ["apply", "describe", "exec", "get", "help", "run", "version"]);
    assert_eq!(ws.complete("kubectl ge"), ["get"]);
}

#[test]
fn resource_types_with_their_aliases() {
    let ws = Workspace::new();
    assert_eq!(ws.complete("kubectl get s"), ["service", "services", "statefulset", "statefulsets", "sts", "svc"]);
    assert_eq!(ws.complete("kubectl get networkp"), ["networkpolicies", "networkpolicy"]);
}

#[test]
fn object_names_in_the_namespace_of_dash_n() {
    let ws = Workspace::new();
    assert_eq!(ws.complete("kubectl get svc "), ["empty", "kubernetes", "web"]);
    assert_eq!(ws.complete("kubectl get svc -n shop "), ["db"]);
    assert_eq!(ws.complete("kubectl describe svc/w"), ["svc/web"]);
    assert_eq!(
        ws.complete("kubectl get svc -n "),
        ["default", "kube-node-lease", "kube-public", "kube-system", "shop"]
    );
}

#[test]
fn pods_after_exec_then_commands_then_services() {
    let ws = Workspace::new();
    assert_eq!(ws.complete("kubectl exec cl"), ["client"]);
    let pods = ws.complete("kubectl exec -it ");
    assert_eq!(pods.len(), 4, "{pods:?}");
    assert_eq!(ws.complete("kubectl exec client -- "), ["cat", "curl", "dig", "env", "nc", "nslookup", "wget"]);
    assert_eq!(ws.complete("kubectl exec client -- curl w"), ["web"]);
    assert_eq!(ws.complete("kubectl exec client -- cat "), ["/etc/resolv.conf"]);
}

#[test]
fn files_after_apply_f_and_flags_after_a_dash() {
    let ws = Workspace::new();
    assert_eq!(ws.complete("kubectl apply -f "), ["app.yaml", "more.yaml"]);
    assert_eq!(ws.complete("kubectl get svc --all"), ["--all-namespaces"]);
    assert!(ws.complete("kubectl run tmp --").contains(&"--image".to_string()));
}

#[test]
fn a_cursor_inside_a_character_or_an_open_quote_completes_nothing() {
    let ws = Workspace::new();
    let ctx = ws.context();
    assert!(kubeplay_core::console::completions(&ctx, "kubectl get 'sv", 15).is_empty());
    assert!(kubeplay_core::console::completions(&ctx, "é", 1).is_empty());
}

//! The console's `kubectl exec` and `kubectl run`: the pod tools' output (shared with the CLI's
//! `kubeplay exec`), kubectl's own lines around it, and the plays each command hands the front
//! end. Decision pinned here: a connection to a name is ONE play, the trace, whose `dns` field
//! holds the lookup (the lookup is the trace's first hop); nslookup and dig are lookups.

mod console_support;

use console_support::Workspace;
use kubeplay_core::console::Play;

#[test]
fn exec_curl_by_service_name_is_one_trace_play_with_the_lookup_inside() {
    let ws = Workspace::new();
    let out = ws.run("kubectl exec client -- curl http://web");
    assert_eq!(out.exit_code, 0);
    assert!(out.stderr.starts_with("* Connected to web port 80\n"), "{}", out.stderr);
    assert_eq!(out.plays.len(), 1);
    let Some(Play::Trace(trace)) = out.plays.first() else { panic!("{:?}", out.plays) };
    assert_eq!(trace.verdict, "delivered");
    let lookup = trace.dns.as_ref().expect("the lookup of web");
    assert_eq!(lookup.answers.first().map(|a| a.name.as_str()), Some("web.default.svc.cluster.local"));
    assert_eq!(out.featured(), out.plays.first());
}

#[test]
fn exec_of_a_failing_command_adds_kubectls_command_terminated_line() {
    let ws = Workspace::new();
    let out = ws.run("kubectl exec client -- curl empty");
    assert_eq!(
        out.stderr,
        "curl: (7) Failed to connect to empty port 80: Connection refused\ncommand terminated with exit code 7\n"
    );
    assert_eq!(out.exit_code, 7);
    assert!(matches!(out.plays.as_slice(), [Play::Trace(t)] if t.verdict == "refused"));
}

#[test]
fn exec_with_a_tty_puts_the_commands_stderr_on_the_terminal_stream() {
    // With -t the remote process writes to a pty: one stream, which kubectl copies to stdout;
    // kubectl's own "command terminated" line stays on stderr.
    let ws = Workspace::new();
    let out = ws.run("kubectl exec -it client -- curl empty");
    assert_eq!(out.stdout, "curl: (7) Failed to connect to empty port 80: Connection refused\n");
    assert_eq!(out.stderr, "command terminated with exit code 7\n");
}

#[test]
fn exec_wget_prints_busybox_messages() {
    let ws = Workspace::new();
    let out = ws.run("kubectl exec client -- wget -O- web");
    let ip = out.stderr.split(['(', ':']).nth(1).unwrap_or_default().to_string();
    assert!(ip.starts_with("10.96.") || ip.starts_with("10.1"), "{}", out.stderr);
    assert!(out.stderr.starts_with("Connecting to web (10."), "{}", out.stderr);
    assert!(!ws.run("kubectl exec client -- wget -qO- web").stderr.contains("Connecting to"));
    let refused = ws.run("kubectl exec client -- wget -qO- http://empty/");
    assert!(refused.stderr.starts_with("wget: can't connect to remote host (10."), "{}", refused.stderr);
    assert!(
        refused.stderr.contains("): Connection refused\ncommand terminated with exit code 1\n"),
        "{}",
        refused.stderr
    );
    let unknown = ws.run("kubectl exec client -- wget nowhere");
    assert!(unknown.stderr.starts_with("wget: bad address 'nowhere'\n"), "{}", unknown.stderr);
}

#[test]
fn exec_nslookup_prints_busybox_1_28_and_plays_its_lookups() {
    let ws = Workspace::new();
    let out = ws.run("kubectl exec client -- nslookup web");
    assert!(out.stdout.starts_with("Server:    10.96.0.10\nAddress 1: 10.96.0.10 kube-dns.kube-system.svc.cluster.local\n\nName:      web\nAddress 1: "), "{}", out.stdout);
    assert!(out.stdout.ends_with(" web.default.svc.cluster.local\n"), "{}", out.stdout);
    // getnameinfo names the server, the name is resolved, the address is named: three lookups.
    assert_eq!(out.plays.len(), 3);
    let Some(Play::Lookup { client, lookup }) = out.featured() else { panic!("{:?}", out.featured()) };
    assert_eq!(client, "default/client");
    assert_eq!(lookup.queries.first().map(|q| q.record_type), Some("A"));
}

#[test]
fn exec_cat_resolv_conf_and_env() {
    let ws = Workspace::new();
    assert_eq!(
        ws.run("kubectl exec client -- cat /etc/resolv.conf").stdout,
        "search default.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\n"
    );
    let env = ws.run("kubectl exec client -- env").stdout;
    assert!(env.starts_with("HOSTNAME=client\n"), "{env}");
    assert!(env.contains("\nWEB_SERVICE_HOST=10."), "{env}");
}

#[test]
fn exec_errors_are_kubectls() {
    let ws = Workspace::new();
    let cases = [
        ("kubectl exec ghost -- env", "Error from server (NotFound): pods \"ghost\" not found\n"),
        ("kubectl exec client env", "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples\n"),
        ("kubectl exec client", "error: you must specify at least one command for the container\n"),
        ("kubectl exec client -c nope -- env", "Error from server (BadRequest): container nope is not valid for pod client\n"),
        ("kubectl exec client -n shop -- env", "Error from server (NotFound): pods \"client\" not found\n"),
    ];
    for (line, stderr) in cases {
        let out = ws.run(line);
        assert_eq!((out.stderr.as_str(), out.exit_code), (stderr, 1), "{line}");
    }
    assert_eq!(ws.run("kubectl exec pod/client -c c -- env").exit_code, 0);
    let unmodeled = ws.run("kubectl exec client -- ls");
    assert!(unmodeled.stderr.contains("\"ls\" is not modeled (modeled commands: nslookup"), "{}", unmodeled.stderr);
    assert!(!unmodeled.stderr.contains("command terminated"), "{}", unmodeled.stderr);
}

#[test]
fn run_rm_it_prints_the_output_then_pod_deleted_and_leaves_no_pod_behind() {
    // The form of the Kubernetes docs ("Debugging DNS Resolution", "Debug Services").
    let ws = Workspace::new();
    let pods_before = ws.run("kubectl get pods").stdout;
    let out = ws.run("kubectl run tmp --image=busybox:1.28 --rm -it --restart=Never -- nslookup web");
    assert!(out.stdout.starts_with("Server:    10.96.0.10\n"), "{}", out.stdout);
    assert!(out.stdout.ends_with(" web.default.svc.cluster.local\npod \"tmp\" deleted\n"), "{}", out.stdout);
    assert_eq!((out.stderr.as_str(), out.exit_code), ("", 0));
    assert_eq!(out.plays.len(), 3);
    assert_eq!(ws.run("kubectl get pods").stdout, pods_before);
    assert_eq!(ws.run("kubectl get pod tmp").exit_code, 1);
}

#[test]
fn run_is_scheduled_like_a_real_pod_in_its_namespace() {
    // resolv.conf's search list starts with the pod's own namespace.
    let ws = Workspace::new();
    let out = ws.run("kubectl run tmp -n shop --image=busybox --rm -i --restart=Never -- cat /etc/resolv.conf");
    assert_eq!(out.stdout, "search shop.svc.cluster.local svc.cluster.local cluster.local\nnameserver 10.96.0.10\noptions ndots:5\npod \"tmp\" deleted\n");
    let curl = ws.run("kubectl run tmp --image=curlimages/curl --rm -it --restart=Never -- curl -s db.shop:5432");
    assert!(
        curl.stdout.starts_with("curl: (7) Failed to connect to db.shop port 5432: Connection refused\n"),
        "{}",
        curl.stdout
    );
}

#[test]
fn run_of_a_failing_command_with_restart_never_reports_the_pods_exit_status() {
    // run.go: after the deferred deletion, `pod NS/NAME terminated (Reason)` with the
    // container's exit code.
    let ws = Workspace::new();
    let out = ws.run("kubectl run tmp --image=busybox --rm -it --restart=Never -- nslookup nope");
    assert!(out.stdout.ends_with("nslookup: can't resolve 'nope'\npod \"tmp\" deleted\n"), "{}", out.stdout);
    assert_eq!(out.stderr, "pod default/tmp terminated (Error)\n");
    assert_eq!(out.exit_code, 1);
}

#[test]
fn run_validates_as_run_go_does() {
    let ws = Workspace::new();
    let cases = [
        ("kubectl run tmp --rm -it -- env", "error: required flag(s) \"image\" not set\n"),
        (
            "kubectl run --image=busybox",
            "error: NAME is required for run\nSee 'kubectl run -h' for help and examples\n",
        ),
        (
            "kubectl run tmp --image=busybox -t -- env",
            "error: -i/--stdin is required for containers with -t/--tty=true\n",
        ),
        ("kubectl run tmp --image=busybox --rm -- env", "error: --rm should only be used for attached containers\n"),
        ("kubectl run tmp --image=busybox --restart=Sometimes -- env", "error: invalid restart policy: Sometimes\n"),
        (
            "kubectl run client --image=busybox -i -- env",
            "Error from server (AlreadyExists): pods \"client\" already exists\n",
        ),
        (
            "kubectl run tmp -n nowhere --image=busybox -i -- env",
            "Error from server (NotFound): namespaces \"nowhere\" not found\n",
        ),
    ];
    for (line, stderr) in cases {
        let out = ws.run(line);
        assert_eq!((out.stderr.as_str(), out.exit_code), (stderr, 1), "{line}");
    }
    // The API server's Invalid status, printed by kubectl's MultilineError: one cause a line.
    let invalid = ws.run("kubectl run Tmp --image=busybox -i -- env");
    assert!(
        invalid.stderr.starts_with("The Pod \"Tmp\" is invalid: \n* metadata.name: Invalid value: \"Tmp\""),
        "{}",
        invalid.stderr
    );
    assert!(invalid.stderr.contains("\n* spec.containers[0].name: Invalid value: \"Tmp\""), "{}", invalid.stderr);
}

#[test]
fn run_without_attaching_prints_created() {
    let ws = Workspace::new();
    let out = ws.run("kubectl run tmp --image=nginx");
    assert_eq!(out.stdout, "pod/tmp created\n");
    assert_eq!(out.exit_code, 0);
}

#[test]
fn the_same_line_with_another_seed_may_pick_another_endpoint() {
    let ws = Workspace::new();
    let backends: std::collections::BTreeSet<String> = (0..16)
        .map(|seed| {
            let context = kubeplay_core::console::Context { seed, ..ws.context() };
            let out = kubeplay_core::console::run(&context, "kubectl exec client -- curl web");
            match out.plays.first() {
                Some(Play::Trace(t)) => t.backend.as_ref().and_then(|b| b.pod.clone()).unwrap_or_default(),
                _ => String::new(),
            }
        })
        .collect();
    assert_eq!(backends.len(), 3, "{backends:?}");
}

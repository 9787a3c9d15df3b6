//! The console's help, `kubectl version`, and the list of what is supported that every
//! "unknown command" message ends with.

use super::ConsoleOutput;

/// The line that follows every unknown or unmodeled command.
pub const SUPPORTED: &str =
    "kubeplay's console supports: kubectl get, describe, apply -f, exec, run, version; type help for examples.\n";

/// kubectl's other subcommands (`kubectl --help`), answered as "not modeled" rather than
/// "unknown".
pub const KUBECTL_COMMANDS: &[&str] = &[
    "create",
    "expose",
    "set",
    "explain",
    "edit",
    "delete",
    "rollout",
    "scale",
    "autoscale",
    "certificate",
    "cluster-info",
    "top",
    "cordon",
    "uncordon",
    "drain",
    "taint",
    "attach",
    "port-forward",
    "proxy",
    "cp",
    "auth",
    "debug",
    "events",
    "diff",
    "patch",
    "replace",
    "wait",
    "kustomize",
    "label",
    "annotate",
    "completion",
    "alpha",
    "api-resources",
    "api-versions",
    "config",
    "plugin",
    "logs",
];

/// The text of `help`.
pub const HELP: &str = "\
kubeplay console: kubectl against the simulated cluster (the workspace is applied as you type).

  kubectl get TYPE [NAME...] [-n NS | -A] [-o wide|yaml|json|name]
      types: pods (po), services (svc), endpoints (ep), endpointslices, nodes (no),
             namespaces (ns), deployments (deploy), replicasets (rs), statefulsets (sts),
             ingresses (ing), networkpolicies (netpol); also TYPE/NAME
  kubectl describe service NAME [-n NS]
  kubectl apply -f FILE            a workspace file by name (-f . for all of them)
  kubectl exec [-it] POD [-n NS] -- COMMAND
      commands: curl URL, wget -qO- URL, nc -zv HOST PORT, nslookup NAME,
                dig NAME [TYPE] [+search], cat /etc/resolv.conf, env
  kubectl run tmp --image=busybox --rm -it --restart=Never -- nslookup web
  kubectl version
  clear (or Ctrl+L) clears the screen; Up and Down recall commands; Tab completes.

Connections and lookups are animated in the cluster view.
";

/// `kubectl version`: the client and the server kind v0.29 runs.
pub fn version(args: &[String]) -> ConsoleOutput {
    match args {
        [] => ConsoleOutput::out(
            "Client Version: v1.33.1\nKustomize Version: v5.6.0\nServer Version: v1.33.1\n".to_string(),
        ),
        [flag, ..] if flag.starts_with('-') => {
            ConsoleOutput::error(format!("error: the flag {flag} is not modeled by kubeplay"))
        }
        [arg, ..] => ConsoleOutput::error(format!(
            "error: unexpected arguments: [{arg}]\nSee 'kubectl version -h' for help and examples"
        )),
    }
}

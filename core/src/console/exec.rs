//! `kubectl exec` and `kubectl run`: a command in a pod, printed as kubectl shows it.
//!
//! `run NAME --image=IMG [-it] [--rm] [--restart=P] -- COMMAND` creates a bare Pod the way
//! kubectl's generator writes it (label `run=NAME`, one container named NAME, the command as
//! its `args`, or `command` with `--command`), applies it on a copy of the simulation (so it
//! is validated, scheduled and given an address like any pod), runs the command there when
//! attached (`-i` or `--attach`), and prints `pod "NAME" deleted` with `--rm`. The copy is
//! dropped afterwards: the console never adds objects to the workspace.

use super::flags::{self, Flag, Parsed};
use super::get::{flag_error, scope};
use super::tools::{self, InPod, Streams};
use super::{ConsoleOutput, Context};
use crate::cluster::{Cluster, PodId};
use crate::diag::Severity;
use crate::render::Scope;
use crate::simulation::SourceFile;
use serde_json::{json, Value};

const EXEC_FLAGS: &[Flag] = &[
    Flag::value("namespace", Some('n')),
    Flag::value("container", Some('c')),
    Flag::bool("stdin", Some('i')),
    Flag::bool("tty", Some('t')),
    Flag::bool("quiet", Some('q')),
];

const RUN_FLAGS: &[Flag] = &[
    Flag::value("namespace", Some('n')),
    Flag::value("image", None),
    Flag::bool("rm", None),
    Flag::bool("stdin", Some('i')),
    Flag::bool("tty", Some('t')),
    Flag::bool("attach", None),
    Flag::value("restart", None),
    Flag::bool("command", None),
    Flag::value("labels", Some('l')),
    Flag::value("env", None),
    Flag::value("port", None),
    Flag::value("image-pull-policy", None),
    Flag::bool("quiet", Some('q')),
    Flag::unmodeled("overrides", None),
    Flag::unmodeled("dry-run", None),
    Flag::unmodeled("expose", None),
    Flag::unmodeled("privileged", None),
];

/// The flags `exec` and `run` accept (for completion).
pub fn flag_names(command: &str) -> Vec<String> {
    let spec = if command == "exec" { EXEC_FLAGS } else { RUN_FLAGS };
    spec.iter().map(|f| format!("--{}", f.long)).collect()
}

fn namespace(parsed: &Parsed) -> String {
    match scope(parsed) {
        Scope::Namespace(ns) => ns,
        Scope::All => "default".to_string(),
    }
}

fn streams(parsed: &Parsed) -> Streams {
    if parsed.is_set("stdin") && parsed.is_set("tty") {
        Streams::Tty
    } else {
        Streams::Separate
    }
}

/// `kubectl exec [-it] POD [-c C] [-n NS] -- COMMAND...`.
pub fn exec(cluster: &Cluster, words: &[String], seed: u64) -> ConsoleOutput {
    let parsed = match flags::parse(words, EXEC_FLAGS) {
        Ok(parsed) => parsed,
        Err(e) => return flag_error("exec", &e),
    };
    let pod = match parsed.args.as_slice() {
        [] => {
            return ConsoleOutput::error(
                "error: expected 'exec (POD | TYPE/NAME) [-c CONTAINER] [flags] -- COMMAND [args...]'.\nPOD or TYPE/NAME is a required argument for the exec command\nSee 'kubectl exec -h' for help and examples",
            )
        }
        [pod] => pod,
        [_, ..] if parsed.after_dash.is_none() => {
            return ConsoleOutput::error(
                "error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- [COMMAND] instead\nSee 'kubectl exec -h' for help and examples",
            )
        }
        [_, extra, ..] => {
            return ConsoleOutput::error(format!(
                "error: kubeplay exec takes one pod and the command after --; unexpected \"{extra}\""
            ))
        }
    };
    let name = match pod.split_once('/') {
        None => pod.as_str(),
        Some(("pod" | "pods" | "po", name)) => name,
        Some(_) => {
            return ConsoleOutput::error(format!(
                "error: kubeplay execs in a pod by name; \"{pod}\" is not modeled (kubectl get pods lists them)"
            ))
        }
    };
    let command = parsed.after_dash.clone().unwrap_or_default();
    if command.is_empty() {
        return ConsoleOutput::error("error: you must specify at least one command for the container");
    }
    let id = match tools::find_pod(cluster, &namespace(&parsed), name) {
        Ok(id) => id,
        Err(e) => return ConsoleOutput::error(e),
    };
    if let Some(container) = parsed.value("container") {
        if !cluster.pod(id).pod.spec.containers.iter().any(|c| c.name == container) {
            return ConsoleOutput::error(format!(
                "Error from server (BadRequest): container {container} is not valid for pod {name}"
            ));
        }
    }
    tools::exec(cluster, id, &command, seed, streams(&parsed))
}

/// `--restart`: the pod's `restartPolicy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Restart {
    Always,
    OnFailure,
    Never,
}

impl Restart {
    fn as_str(self) -> &'static str {
        match self {
            Restart::Always => "Always",
            Restart::OnFailure => "OnFailure",
            Restart::Never => "Never",
        }
    }
}

/// The options of `kubectl run` that shape the pod and the session.
struct RunOptions {
    name: String,
    namespace: String,
    restart: Restart,
    attach: bool,
    remove: bool,
}

/// `run.go`'s `Validate`, in its order.
fn run_options(parsed: &Parsed) -> Result<RunOptions, ConsoleOutput> {
    let Some(name) = parsed.args.first() else {
        return Err(ConsoleOutput::error(
            "error: NAME is required for run\nSee 'kubectl run -h' for help and examples",
        ));
    };
    if parsed.value("image").is_none_or(str::is_empty) {
        return Err(ConsoleOutput::error("error: required flag(s) \"image\" not set"));
    }
    let interactive = parsed.is_set("stdin");
    if parsed.is_set("tty") && !interactive {
        return Err(ConsoleOutput::error("error: -i/--stdin is required for containers with -t/--tty=true"));
    }
    let restart = match parsed.value("restart") {
        None | Some("") if interactive => Restart::OnFailure,
        None | Some("") => Restart::Always,
        Some("Always") => Restart::Always,
        Some("OnFailure") => Restart::OnFailure,
        Some("Never") => Restart::Never,
        Some(other) => return Err(ConsoleOutput::error(format!("error: invalid restart policy: {other}"))),
    };
    let attach = match parsed.value("attach") {
        Some(value) => value == "true",
        None => interactive,
    };
    let remove = parsed.is_set("rm");
    if remove && !attach {
        return Err(ConsoleOutput::error("error: --rm should only be used for attached containers"));
    }
    Ok(RunOptions { name: name.clone(), namespace: namespace(parsed), restart, attach, remove })
}

/// The Pod kubectl's `run-pod/v1` generator writes.
fn pod_manifest(parsed: &Parsed, options: &RunOptions) -> Value {
    let labels: serde_json::Map<String, Value> = match parsed.value("labels") {
        Some(text) => text
            .split(',')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_string(), Value::from(v)))
            .collect(),
        None => [("run".to_string(), Value::from(options.name.clone()))].into_iter().collect(),
    };
    let mut container = json!({ "name": options.name, "image": parsed.value("image").unwrap_or_default() });
    let words = parsed.args[1..].iter().chain(parsed.after_dash.iter().flatten()).cloned().collect::<Vec<_>>();
    if !words.is_empty() {
        let field = if parsed.is_set("command") { "command" } else { "args" };
        container[field] = Value::from(words);
    }
    let env: Vec<Value> = parsed
        .values("env")
        .iter()
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| json!({ "name": k, "value": v }))
        .collect();
    if !env.is_empty() {
        container["env"] = Value::from(env);
    }
    if let Some(port) = parsed.value("port").and_then(|p| p.parse::<u16>().ok()) {
        container["ports"] = json!([{ "containerPort": port }]);
    }
    if options.attach {
        container["stdin"] = Value::from(parsed.is_set("stdin"));
        container["stdinOnce"] = Value::from(parsed.is_set("stdin"));
        container["tty"] = Value::from(parsed.is_set("tty"));
    }
    json!({
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": { "name": options.name, "namespace": options.namespace, "labels": labels },
        "spec": { "containers": [container], "restartPolicy": options.restart.as_str() },
    })
}

/// `kubectl run NAME --image=IMG [--rm] [-it] [--restart=P] [-n NS] -- COMMAND...`.
pub fn run(context: &Context<'_>, words: &[String]) -> ConsoleOutput {
    let parsed = match flags::parse(words, RUN_FLAGS) {
        Ok(parsed) => parsed,
        Err(e) => return flag_error("run", &e),
    };
    let options = match run_options(&parsed) {
        Ok(options) => options,
        Err(e) => return e,
    };
    let cluster = context.simulation.cluster();
    if !cluster.namespaces.iter().any(|n| n.name == options.namespace) {
        return ConsoleOutput::error(format!(
            "Error from server (NotFound): namespaces \"{}\" not found",
            options.namespace
        ));
    }
    if cluster.find_pod(&options.namespace, &options.name).is_some() {
        return ConsoleOutput::error(format!(
            "Error from server (AlreadyExists): pods \"{}\" already exists",
            options.name
        ));
    }
    let command: Vec<String> = parsed.args[1..].iter().chain(parsed.after_dash.iter().flatten()).cloned().collect();
    if options.attach && command.is_empty() {
        return ConsoleOutput::error(
            "error: kubeplay runs no interactive shell; give the command after --, e.g.\n  kubectl run tmp --image=busybox --rm -it --restart=Never -- nslookup web",
        );
    }
    let manifest = pod_manifest(&parsed, &options);
    let mut simulation = context.simulation.clone();
    let outcome = simulation.apply_without_prune(&[SourceFile::new("kubectl run", manifest.to_string())]);
    let errors: Vec<String> = outcome
        .diagnostics
        .iter()
        .filter(|d| d.severity == Severity::Error)
        .map(|d| if d.field.is_empty() { d.message.clone() } else { format!("{}: {}", d.field, d.message) })
        .collect();
    match errors.as_slice() {
        [] => {}
        [one] => return ConsoleOutput::error(format!("The Pod \"{}\" is invalid: {one}", options.name)),
        many => {
            let list: String = many.iter().map(|e| format!("* {e}\n")).collect();
            return ConsoleOutput::error(format!("The Pod \"{}\" is invalid: \n{list}", options.name));
        }
    }
    let cluster = simulation.cluster();
    let Some(id) = cluster.find_pod(&options.namespace, &options.name) else {
        return ConsoleOutput::error(format!("Error from server (NotFound): pods \"{}\" not found", options.name));
    };
    if !options.attach {
        let mut output = ConsoleOutput::out(format!("pod/{} created\n", options.name));
        output.stderr = "kubeplay: the console keeps nothing it creates (the workspace files are the cluster); add the pod to a file to keep it\n".to_string();
        return output;
    }
    attached(cluster, id, &command, context.seed, &parsed, &options)
}

/// The attached session of `run`: the command's output, the deletion with `--rm`, and the
/// exit status kubectl reports (`waitForPod` and the phase switch of `RunOptions.Run`).
fn attached(
    cluster: &Cluster,
    id: PodId,
    command: &[String],
    seed: u64,
    parsed: &Parsed,
    options: &RunOptions,
) -> ConsoleOutput {
    let deleted = format!("pod \"{}\" deleted\n", options.name);
    let (name, namespace) = (&options.name, &options.namespace);
    if cluster.pod(id).node.is_none() {
        let mut output = ConsoleOutput::error(format!(
            "error: timed out waiting for the condition\nkubeplay: pod {namespace}/{name} stays Pending (kubectl get pods -o wide shows it)"
        ));
        if options.remove {
            output.stdout.push_str(&deleted);
        }
        return output;
    }
    let InPod { mut output, ran } = tools::run_in_pod(cluster, id, command, seed, streams(parsed));
    if options.remove {
        output.stdout.push_str(&deleted);
    }
    let code = output.exit_code;
    if ran && code != 0 {
        match options.restart {
            Restart::Never => output.stderr.push_str(&format!("pod {namespace}/{name} terminated (Error)\n")),
            Restart::OnFailure => {
                output.stderr.push_str(&format!(
                    "kubeplay: the command exited with status {code}; with restartPolicy OnFailure the kubelet restarts it and kubectl keeps waiting (add --restart=Never to see the status)\n"
                ));
                output.exit_code = 1;
            }
            Restart::Always => output.exit_code = 0,
        }
    }
    output
}

//! `kubeplay exec -f PATH... NS/POD -- COMMAND [ARGS...]`: a command run in a pod, printed as
//! `kubectl exec` shows it.
//!
//! The model runs no processes: each modeled command is computed from the cluster. This
//! module finds the pod and dispatches on the command's name; the DNS tools (`nslookup`,
//! `dig`, `cat /etc/resolv.conf`, `env`) live in `exec_dns`, the connection tools (`curl`,
//! `nc`, each built on a trace) in `exec_net`, and other commands are added as dispatch lines
//! beside them. A command that exits non-zero makes kubectl print `command
//! terminated with exit code N` on stderr and exit with N.

use super::{exec_dns, exec_net};
use crate::workspace::apply_workspace;
use kubeplay_core::cluster::{Cluster, PodId};
use kubeplay_core::dns::tools::ToolOutput;
use std::process::ExitCode;

/// Arguments of `kubeplay exec`.
#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (their .yaml/.yml/.json files) or - for standard input
    #[arg(short = 'f', long = "filename", required = true)]
    files: Vec<String>,
    /// The pod, as NAMESPACE/NAME (NAME alone: in default)
    pod: String,
    /// Picks the random choices of connections (curl, nc) reproducibly, as `trace --seed`
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The command and its arguments, after --
    #[arg(last = true, required = true)]
    command: Vec<String>,
}

/// The pod `NAMESPACE/NAME` (or `NAME` in `default`), running.
pub fn find_pod(cluster: &Cluster, reference: &str) -> Result<PodId, String> {
    let (namespace, name) = reference.split_once('/').unwrap_or(("default", reference));
    let id = cluster
        .find_pod(namespace, name)
        .ok_or_else(|| format!("Error from server (NotFound): pods \"{name}\" not found"))?;
    let pod = cluster.pod(id);
    if pod.node.is_none() {
        let container = pod.pod.spec.containers.first().map(|c| c.name.as_str()).unwrap_or_default();
        return Err(format!("error: unable to upgrade connection: container not found (\"{container}\")"));
    }
    Ok(id)
}

/// Runs `exec`: the command's output and exit status (1 also when the workspace has errors).
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let (sim, had_errors) = apply_workspace(&args.files)?;
    let cluster = sim.cluster();
    let id = find_pod(cluster, &args.pod)?;
    let Some((program, rest)) = args.command.split_first() else {
        return Err("error: you must specify at least one command for the container".to_string());
    };
    let output: ToolOutput = match program.as_str() {
        "nslookup" | "dig" | "cat" | "env" => exec_dns::run(cluster, id, program, rest)?,
        "curl" | "nc" => exec_net::run(cluster, id, program, rest, args.seed)?,
        other => {
            return Err(format!(
                "error: kubeplay exec: \"{other}\" is not modeled (modeled commands: nslookup, dig, cat /etc/resolv.conf, env, curl, nc)"
            ))
        }
    };
    print!("{}", output.stdout);
    eprint!("{}", output.stderr);
    if output.exit_code != 0 {
        eprintln!("command terminated with exit code {}", output.exit_code);
        return Ok(ExitCode::from(output.exit_code));
    }
    Ok(if had_errors { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

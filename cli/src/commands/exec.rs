//! `kubeplay exec -f PATH... NS/POD -- COMMAND [ARGS...]`: a command run in a pod, printed as
//! `kubectl exec` shows it.
//!
//! The model runs no processes: each modeled command is computed from the cluster by
//! `kubeplay_core::console::tools`, the same code the web app's console runs. This module finds
//! the pod and prints what the command printed. A command that exits non-zero makes kubectl
//! print `command terminated with exit code N` on stderr and exit with N.

use crate::workspace::apply_workspace;
use kubeplay_core::console::tools::{self, Streams};
use std::process::ExitCode;

/// Arguments of `kubeplay exec`.
#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (their .yaml/.yml/.json files) or - for standard input
    #[arg(short = 'f', long = "filename", required = true)]
    files: Vec<String>,
    /// The pod, as NAMESPACE/NAME (NAME alone: in default)
    pod: String,
    /// Picks the random choices of connections (curl, wget, nc) reproducibly, as `trace --seed`
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// The command and its arguments, after --
    #[arg(last = true, required = true)]
    command: Vec<String>,
}

/// Runs `exec`: the command's output and exit status (1 also when the workspace has errors).
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let (sim, had_errors) = apply_workspace(&args.files)?;
    let cluster = sim.cluster();
    let (namespace, name) = args.pod.split_once('/').unwrap_or(("default", &args.pod));
    let id = tools::find_pod(cluster, namespace, name)?;
    let output = tools::exec(cluster, id, &args.command, args.seed, Streams::Separate);
    print!("{}", output.stdout);
    eprint!("{}", output.stderr);
    Ok(match output.exit_code {
        0 if had_errors => ExitCode::FAILURE,
        code => ExitCode::from(code),
    })
}

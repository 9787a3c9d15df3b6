//! `kubeplay matrix -f PATH... [--port N] [--protocol P] [-n NS | -A] [-o json|table]` and
//! `kubeplay matrix --diff OLD_PATH NEW_PATH`: which pods may open connections to which under
//! the workspace's NetworkPolicies, as the upstream e2e truth tables print it, or what an edit
//! opened and closed.

use crate::workspace::apply_into;
use kubeplay_core::api::Protocol;
use kubeplay_core::policy::Matrix;
use kubeplay_core::render::Scope;
use kubeplay_core::simulation::Simulation;
use std::process::ExitCode;

/// Arguments of `kubeplay matrix`.
#[derive(clap::Args)]
pub struct Args {
    /// The destination port (after Service DNAT: the pod's port)
    #[arg(long, default_value_t = 80, value_parser = clap::value_parser!(u16).range(1..))]
    port: u16,
    /// The protocol
    #[arg(long, default_value = "TCP", value_parser = ["TCP", "UDP", "SCTP"])]
    protocol: String,
    /// The namespace whose pods are shown (default: default)
    #[arg(short = 'n', long = "namespace", default_value = "default")]
    namespace: String,
    /// Show the pods of every namespace
    #[arg(short = 'A', long = "all-namespaces")]
    all_namespaces: bool,
    /// Output format
    #[arg(short = 'o', long = "output", value_parser = ["json", "table"])]
    output: Option<String>,
    /// Files, directories (their .yaml/.yml/.json files) or - for standard input
    #[arg(short = 'f', long = "filename", required_unless_present = "diff", conflicts_with = "diff")]
    files: Vec<String>,
    /// Compare two workspaces: the connections the edit from OLD_PATH to NEW_PATH opened and closed
    #[arg(long, num_args = 2, value_names = ["OLD_PATH", "NEW_PATH"])]
    diff: Vec<String>,
}

/// Runs `matrix`. Exit 1 when a workspace has errors (the matrix of what was accepted is still
/// printed), as `get` does.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    // clap only lets the three spellings through.
    let protocol = Protocol::parse(&args.protocol).unwrap_or_default();
    let scope = if args.all_namespaces { Scope::All } else { Scope::Namespace(args.namespace.clone()) };
    let matrix = |sim: &Simulation| sim.policy_index().matrix(args.port, protocol, &scope);
    let json = args.output.as_deref() == Some("json");
    let mut sim = Simulation::new();
    let (text, had_errors) = if let [old, new] = args.diff.as_slice() {
        let old_errors = apply_into(&mut sim, std::slice::from_ref(old))?;
        let before = matrix(&sim);
        let new_errors = apply_into(&mut sim, std::slice::from_ref(new))?;
        let diff = Matrix::diff(&before, &matrix(&sim));
        (if json { pretty(&diff.to_json())? } else { diff.to_text() }, old_errors || new_errors)
    } else {
        let had_errors = apply_into(&mut sim, &args.files)?;
        let matrix = matrix(&sim);
        (if json { pretty(&matrix.to_json())? } else { matrix.truth_table() }, had_errors)
    };
    print!("{text}");
    Ok(if had_errors { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn pretty(value: &serde_json::Value) -> Result<String, String> {
    serde_json::to_string_pretty(value).map(|text| format!("{text}\n")).map_err(|e| e.to_string())
}

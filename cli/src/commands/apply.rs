//! `kubeplay apply -f PATH... [-o json]`: validate and apply, report per object.

use crate::workspace::read_workspace;
use kubeplay_core::diag::{Diagnostic, Severity};
use kubeplay_core::simulation::{ApplyOutcome, Simulation};
use serde_json::json;
use std::process::ExitCode;

/// Arguments of `kubeplay apply`.
#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (their .yaml/.yml/.json files) or - for standard input
    #[arg(short = 'f', long = "filename", required = true)]
    files: Vec<String>,
    /// Output format: json for scripts (see docs/cli.md)
    #[arg(short = 'o', long = "output", value_parser = ["json"])]
    output: Option<String>,
}

/// Runs `apply`; exits 1 when any object was rejected.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let files = read_workspace(&args.files)?;
    let outcome = Simulation::new().apply(&files);
    if args.output.is_some() {
        println!("{}", serde_json::to_string_pretty(&json_report(&outcome)).map_err(|e| e.to_string())?);
    } else {
        for change in &outcome.changes {
            println!("{} {}", change.object, change.action.as_str());
        }
        for d in &outcome.diagnostics {
            eprintln!("{d}");
        }
    }
    Ok(if outcome.has_errors() { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

fn diagnostic_json(d: &Diagnostic) -> serde_json::Value {
    json!({
        "file": d.file,
        "line": d.span.start.line,
        "column": d.span.start.column,
        "field": d.field,
        "message": d.message,
        "hint": d.hint,
    })
}

/// The `-o json` document: objects with their action, errors, warnings.
fn json_report(outcome: &ApplyOutcome) -> serde_json::Value {
    let objects: Vec<_> = outcome
        .changes
        .iter()
        .map(|c| {
            json!({
                "kind": c.object.kind.as_str(),
                "namespace": c.object.namespace,
                "name": c.object.name,
                "action": c.action.as_str(),
            })
        })
        .collect();
    let of = |severity| outcome.diagnostics.iter().filter(|d| d.severity == severity).map(diagnostic_json).collect::<Vec<_>>();
    json!({ "objects": objects, "errors": of(Severity::Error), "warnings": of(Severity::Warning) })
}

//! `kubeplay check LESSON --workspace DIR [-o json]`: grades a learner's files against a
//! lesson's goals (docs/cli.md). Exit 0 when every goal passes, 1 when some fail, 2 when the
//! lesson or the workspace cannot be read.

use crate::lessons;
use crate::workspace::read_workspace;
use kubeplay_core::lessons::{check, Report};
use kubeplay_core::simulation::SourceFile;
use serde_json::json;
use std::path::Path;
use std::process::ExitCode;

/// The exit code for a lesson or workspace that cannot be read (as for a usage error).
const UNREADABLE: u8 = 2;

/// Arguments of `kubeplay check`.
#[derive(clap::Args)]
pub struct Args {
    /// An embedded lesson's id (see `kubeplay lessons list`) or a lesson folder
    lesson: String,
    /// The learner's workspace: a directory (its .yaml/.yml/.json files) or files
    #[arg(long = "workspace", required = true, num_args = 1..)]
    workspace: Vec<String>,
    /// Output format
    #[arg(short = 'o', long = "output", value_parser = ["json"])]
    output: Option<String>,
}

/// Runs `check`.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let (lesson, files) = match lessons::find(&args.lesson).and_then(|l| Ok((l, learner_files(&args.workspace)?))) {
        Ok(found) => found,
        Err(message) => {
            eprintln!("{message}");
            return Ok(ExitCode::from(UNREADABLE));
        }
    };
    let report = check(&lesson, &files);
    for d in &report.diagnostics {
        eprintln!("{d}");
    }
    if args.output.is_some() {
        println!("{}", serde_json::to_string_pretty(&to_json(&lesson.file.id, &report)).map_err(|e| e.to_string())?);
    } else {
        print!("{}", text(&report));
    }
    Ok(if report.passed() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// The workspace files, named as in the lesson (relative to the workspace directory).
fn learner_files(paths: &[String]) -> Result<Vec<SourceFile>, String> {
    let files = read_workspace(paths)?;
    Ok(files
        .into_iter()
        .map(|f| {
            let name = Path::new(&f.name).file_name().and_then(|n| n.to_str()).unwrap_or(&f.name).to_string();
            SourceFile::new(name, f.text)
        })
        .collect())
}

fn to_json(lesson: &str, report: &Report) -> serde_json::Value {
    json!({
        "lesson": lesson,
        "passed": report.passed(),
        "goals": report.results,
        "diagnostics": report.diagnostics.iter().map(ToString::to_string).collect::<Vec<_>>(),
    })
}

fn text(report: &Report) -> String {
    let mut out = String::new();
    for r in &report.results {
        out.push_str(&format!("{}  {}: {}\n", if r.passed { "PASS" } else { "FAIL" }, r.id, r.description));
        if !r.passed {
            out.push_str(&format!("      actual: {}\n", r.actual));
        }
    }
    let passed = report.results.iter().filter(|r| r.passed).count();
    out.push_str(&format!("\n{passed}/{} goals pass\n", report.results.len()));
    out
}

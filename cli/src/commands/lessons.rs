//! `kubeplay lessons list [-o json]`: the lessons embedded in this binary, in order.

use crate::lessons::embedded;
use serde_json::json;
use std::process::ExitCode;

/// Arguments of `kubeplay lessons`.
#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(clap::Subcommand)]
enum Command {
    /// List the embedded lessons: id, level, number of goals and title
    List {
        /// Output format
        #[arg(short = 'o', long = "output", value_parser = ["json"])]
        output: Option<String>,
    },
}

/// Runs `lessons`.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let Command::List { output } = &args.command;
    let lessons = embedded()?;
    if output.is_some() {
        let list: Vec<_> = lessons
            .iter()
            .map(|l| {
                let f = &l.file;
                json!({"id": f.id, "title": f.title, "level": f.level, "concepts": f.concepts,
                       "summary": f.summary, "goals": f.goals.len()})
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&list).map_err(|e| e.to_string())?);
        return Ok(ExitCode::SUCCESS);
    }
    let width = lessons.iter().map(|l| l.file.id.len()).max().unwrap_or(0).max(2);
    println!("{:<width$}   {:<12}   {:<5}   TITLE", "ID", "LEVEL", "GOALS");
    for l in &lessons {
        let f = &l.file;
        println!("{:<width$}   {:<12}   {:<5}   {}", f.id, f.level.as_str(), f.goals.len(), f.title);
    }
    Ok(ExitCode::SUCCESS)
}

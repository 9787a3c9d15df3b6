//! `kubectl apply -f FILE...`: the named workspace files applied, without pruning, on a copy
//! of the simulation, reported as kubectl reports them (`service/web unchanged`) with every
//! problem on stderr as the CLI prints it (`FILE:LINE:COL: FIELD: MESSAGE`). The web app
//! applies the workspace as it is edited, so the objects are usually `unchanged`.

use super::flags::{self, Flag};
use super::get::flag_error;
use super::{ConsoleOutput, Context};
use crate::simulation::{Action, SourceFile};

const APPLY_FLAGS: &[Flag] = &[
    Flag::value("filename", Some('f')),
    Flag::unmodeled("namespace", Some('n')),
    Flag::unmodeled("output", Some('o')),
    Flag::unmodeled("kustomize", Some('k')),
    Flag::unmodeled("recursive", Some('R')),
    Flag::unmodeled("prune", None),
    Flag::unmodeled("dry-run", None),
    Flag::unmodeled("server-side", None),
];

/// The flags `apply` accepts (for completion).
pub fn flag_names() -> Vec<String> {
    APPLY_FLAGS.iter().map(|f| format!("--{}", f.long)).collect()
}

/// The workspace files `-f` names (`.` or `./` for all of them, a comma-separated list as
/// pflag's string slices allow).
fn named_files<'a>(files: &'a [SourceFile], paths: &[String]) -> Result<Vec<&'a SourceFile>, String> {
    let mut chosen: Vec<&SourceFile> = Vec::new();
    for path in paths.iter().flat_map(|p| p.split(',')) {
        let path = path.strip_prefix("./").unwrap_or(path);
        let found: Vec<&SourceFile> = match path {
            "" | "." => files.iter().collect(),
            name => files.iter().filter(|f| f.name == name).collect(),
        };
        if found.is_empty() {
            return Err(format!("error: the path \"{path}\" does not exist"));
        }
        for file in found {
            if !chosen.iter().any(|c| c.name == file.name) {
                chosen.push(file);
            }
        }
    }
    Ok(chosen)
}

/// `kubectl apply -f FILE...`.
pub fn apply(context: &Context<'_>, words: &[String]) -> ConsoleOutput {
    let parsed = match flags::parse(words, APPLY_FLAGS) {
        Ok(parsed) => parsed,
        Err(e) => return flag_error("apply", &e),
    };
    if let Some(extra) = parsed.args.first() {
        return ConsoleOutput::error(format!(
            "error: Unexpected args: [{extra}]\nSee 'kubectl apply -h' for help and examples"
        ));
    }
    if parsed.values("filename").is_empty() {
        return ConsoleOutput::error(
            "error: must specify one of -f and -k\n\nSee 'kubectl apply -h' for help and examples",
        );
    }
    let files: Vec<SourceFile> = match named_files(context.files, parsed.values("filename")) {
        Ok(files) => files.into_iter().cloned().collect(),
        Err(e) => return ConsoleOutput::error(e),
    };
    let mut simulation = context.simulation.clone();
    let outcome = simulation.apply_without_prune(&files);
    let mut output = ConsoleOutput::default();
    for change in outcome.changes.iter().filter(|c| c.action != Action::Deleted) {
        output.stdout.push_str(&format!("{} {}\n", change.object, change.action.as_str()));
    }
    for d in &outcome.diagnostics {
        output.stderr.push_str(&format!("{d}\n"));
    }
    if outcome.has_errors() {
        output.exit_code = 1;
    }
    output
}

//! Reading `-f` arguments into workspace files, as kubectl does.
//!
//! `-f` takes files, directories and `-` (standard input). A directory contributes its
//! `.yaml`, `.yml` and `.json` files in name order (not recursively, like kubectl without
//! `-R`). File names are kept as given so diagnostics point at what the user typed.

use kubeplay_core::diag::Severity;
use kubeplay_core::simulation::SourceFile;
use std::io::Read;
use std::path::Path;

const EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Reads every `-f` argument, in order. Errors are kubectl-like messages.
pub fn read_workspace(paths: &[String]) -> Result<Vec<SourceFile>, String> {
    if paths.is_empty() {
        return Err("error: must specify one of -f and -k".to_string());
    }
    let mut files = Vec::new();
    for arg in paths {
        if arg == "-" {
            let mut text = String::new();
            std::io::stdin().read_to_string(&mut text).map_err(|e| format!("error: reading standard input: {e}"))?;
            files.push(SourceFile::new("-", text));
            continue;
        }
        let path = Path::new(arg);
        if path.is_dir() {
            let mut entries: Vec<_> = std::fs::read_dir(path)
                .map_err(|e| format!("error: reading directory \"{arg}\": {e}"))?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| EXTENSIONS.iter().any(|e| x == *e)))
                .collect();
            entries.sort();
            for p in entries {
                files.push(read_file(&p)?);
            }
        } else {
            files.push(read_file(path)?);
        }
    }
    Ok(files)
}

fn read_file(path: &Path) -> Result<SourceFile, String> {
    let shown = path.display().to_string();
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(SourceFile::new(shown, text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            Err(format!("error: the path \"{shown}\" does not exist"))
        }
        Err(e) => Err(format!("error: reading \"{shown}\": {e}")),
    }
}

/// Applies `paths` to a fresh simulation and prints every problem on stderr, as
/// `file:line:col: field: message`. Returns the simulation and whether there were errors.
pub fn apply_workspace(paths: &[String]) -> Result<(kubeplay_core::simulation::Simulation, bool), String> {
    let mut sim = kubeplay_core::simulation::Simulation::new();
    let had_errors = apply_into(&mut sim, paths)?;
    Ok((sim, had_errors))
}

/// Applies `paths` to `sim` (as a later `kubectl apply` would: allocations stay) and prints
/// every error on stderr. Warnings are `apply`'s to print, as the API server returns them to
/// `kubectl apply`; a query (`get`, `trace`, `exec`…) prints only what the tool it mimics
/// prints. Returns whether there were errors.
pub fn apply_into(sim: &mut kubeplay_core::simulation::Simulation, paths: &[String]) -> Result<bool, String> {
    let files = read_workspace(paths)?;
    let outcome = sim.apply(&files);
    for d in outcome.diagnostics.iter().filter(|d| d.severity == Severity::Error) {
        eprintln!("{d}");
    }
    Ok(outcome.has_errors())
}

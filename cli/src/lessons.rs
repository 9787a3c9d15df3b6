//! Lessons for the CLI: the ones embedded at build time (cli/build.rs) and a lesson folder on
//! disk, both read by core's one lesson parser.

use kubeplay_core::lessons::{Lesson, LESSON_FILE, SOLUTION_DIR, START_DIR};
use kubeplay_core::simulation::SourceFile;
use std::path::Path;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/lessons.rs"));
}

/// Every embedded lesson, in folder order; an error names the lesson that does not parse.
pub fn embedded() -> Result<Vec<Lesson>, String> {
    embedded::LESSONS
        .iter()
        .map(|(folder, files)| {
            let files: Vec<SourceFile> = files.iter().map(|(name, text)| SourceFile::new(*name, *text)).collect();
            Lesson::parse(folder, &files).map_err(|problems| lines(&problems))
        })
        .collect()
}

/// The lesson `arg` names: a folder on disk when one exists there, else an embedded lesson's
/// id or folder name.
pub fn find(arg: &str) -> Result<Lesson, String> {
    let path = Path::new(arg);
    if path.is_dir() {
        return from_folder(path);
    }
    let all = embedded()?;
    let known: Vec<String> = all.iter().map(|l| l.file.id.clone()).collect();
    all.into_iter()
        .find(|l| l.file.id == arg || l.folder == arg)
        .ok_or_else(|| format!("error: no lesson {arg:?}: give a lesson folder or one of: {}", known.join(", ")))
}

/// Reads a lesson folder: `lesson.yaml`, `start/*` and `solution/*`.
fn from_folder(dir: &Path) -> Result<Lesson, String> {
    let read =
        |path: &Path| std::fs::read_to_string(path).map_err(|e| format!("error: reading \"{}\": {e}", path.display()));
    let mut files = vec![SourceFile::new(LESSON_FILE, read(&dir.join(LESSON_FILE))?)];
    for sub in [START_DIR, SOLUTION_DIR] {
        let Ok(entries) = std::fs::read_dir(dir.join(sub)) else { continue };
        let mut paths: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()).collect();
        paths.sort();
        for path in paths {
            let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
            files.push(SourceFile::new(format!("{sub}{name}"), read(&path)?));
        }
    }
    let folder = dir.display().to_string();
    Lesson::parse(folder.trim_end_matches('/'), &files).map_err(|problems| lines(&problems))
}

fn lines(problems: &[kubeplay_core::diag::Diagnostic]) -> String {
    problems.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")
}

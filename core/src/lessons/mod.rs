//! Lessons as data: a folder holding `lesson.yaml` (words, goals, hints, the editable files),
//! `start/` (the workspace the learner starts from) and `solution/` (the files that solve it).
//! lessons/README.md is the format's guide for teachers.
//!
//! Core takes a lesson as (path, text) pairs relative to its folder and does no IO, so the
//! app's embedded lessons, the CLI's and a teacher's lessons loaded at run time share one
//! validation. Reading goes through the same YAML layer and field decoder as manifests, so a
//! teacher's typo gets a file:line:col message. [`check`] evaluates the goals against a
//! learner's workspace.
//!
//! Invariants: a lesson's goals are a closed set of kinds evaluated by core (no code in
//! lessons); every file of `solution/` is one the learner may edit; the learner's copies of
//! files they may not edit are never graded (the lesson's own are used).

pub mod check;
mod format;
pub mod goal;
pub mod play;
mod probe;
mod read;
pub mod words;

pub use check::{check, GoalResult, Observed, Report};
pub use format::{parse_lesson_file, LessonFile, Level};

use format::{parse_in, Folder};
pub use goal::{Check, Goal};
pub use probe::{connect, ProbeError, PROBE_SEED};

use crate::diag::Diagnostic;
use crate::simulation::SourceFile;

/// The lesson file's name inside a lesson folder.
pub const LESSON_FILE: &str = "lesson.yaml";
/// The folder of the starting workspace.
pub const START_DIR: &str = "start/";
/// The folder of the solution files.
pub const SOLUTION_DIR: &str = "solution/";

/// What a lesson list shows about a lesson.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LessonSummary {
    pub id: String,
    pub title: String,
    pub level: Level,
    pub summary: String,
}

/// A whole lesson: its file and its workspaces.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lesson {
    /// The folder it came from (`02-services`), as named in messages.
    pub folder: String,
    pub file: LessonFile,
    /// The starting workspace, file names relative to `start/`.
    pub start: Vec<SourceFile>,
    /// The solution files, names relative to `solution/`.
    pub solution: Vec<SourceFile>,
}

impl Lesson {
    /// Reads a lesson from its folder's files (`lesson.yaml`, `start/NAME`, `solution/NAME`,
    /// paths relative to the folder); messages name files as `folder/path`.
    pub fn parse(folder: &str, files: &[SourceFile]) -> Result<Lesson, Vec<Diagnostic>> {
        let shown = |name: &str| format!("{folder}/{name}");
        let mut problems = Vec::new();
        let mut start = Vec::new();
        let mut solution = Vec::new();
        let mut lesson_file = None;
        for f in files {
            if f.name == LESSON_FILE {
                lesson_file = Some(f);
            } else if let Some(name) = f.name.strip_prefix(START_DIR) {
                start.push(SourceFile::new(name, f.text.clone()));
            } else if let Some(name) = f.name.strip_prefix(SOLUTION_DIR) {
                solution.push(SourceFile::new(name, f.text.clone()));
            } else {
                let message = "a lesson folder holds lesson.yaml, start/ and solution/ only";
                problems.push(Diagnostic::error(&shown(&f.name), Default::default(), "", message));
            }
        }
        let Some(lesson_file) = lesson_file else {
            problems.push(Diagnostic::error(
                &shown(LESSON_FILE),
                Default::default(),
                "",
                "the lesson has no lesson.yaml",
            ));
            return Err(problems);
        };
        start.sort_by(|a, b| a.name.cmp(&b.name));
        solution.sort_by(|a, b| a.name.cmp(&b.name));
        let names = |files: &[SourceFile]| files.iter().map(|f| f.name.clone()).collect::<Vec<_>>();
        let (start_names, solution_names) = (names(&start), names(&solution));
        let folder_files = Folder { start: &start_names, solution: &solution_names };
        let file = match parse_in(&shown(LESSON_FILE), &lesson_file.text, Some(&folder_files)) {
            Ok(file) => file,
            Err(more) => {
                problems.extend(more);
                return Err(problems);
            }
        };
        if problems.is_empty() {
            Ok(Lesson { folder: folder.to_string(), file, start, solution })
        } else {
            Err(problems)
        }
    }

    /// The list entry.
    pub fn summary(&self) -> LessonSummary {
        let f = &self.file;
        LessonSummary { id: f.id.clone(), title: f.title.clone(), level: f.level, summary: f.summary.clone() }
    }

    /// The workspace that is graded: the lesson's files the learner may not edit, then the
    /// learner's files except their copies of those. Names are relative to the workspace.
    pub fn workspace(&self, learner: &[SourceFile]) -> Vec<SourceFile> {
        let fixed =
            |name: &str| self.start.iter().any(|f| f.name == name) && !self.file.editable.iter().any(|e| e == name);
        let mut files: Vec<SourceFile> = self.start.iter().filter(|f| fixed(&f.name)).cloned().collect();
        files.extend(learner.iter().filter(|f| !fixed(&f.name)).cloned());
        files
    }

    /// The start workspace with the solution files laid over it.
    pub fn solved(&self) -> Vec<SourceFile> {
        let mut files: Vec<SourceFile> =
            self.start.iter().filter(|f| !self.solution.iter().any(|s| s.name == f.name)).cloned().collect();
        files.extend(self.solution.iter().cloned());
        files.sort_by(|a, b| a.name.cmp(&b.name));
        files
    }
}

/// Reads a lesson file alone, for a list that shows summaries.
pub fn parse_summary(file: &str, text: &str) -> Result<LessonSummary, Vec<Diagnostic>> {
    let f = parse_lesson_file(file, text)?;
    Ok(LessonSummary { id: f.id, title: f.title, level: f.level, summary: f.summary })
}

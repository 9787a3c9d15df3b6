//! `lesson.yaml`: a lesson's words, its goals and hints, and which files the learner edits
//! (lessons/README.md documents every field for teachers). Decoded strictly: an unknown field
//! is an error with "did you mean", every problem has file:line:col.

use super::goal::{read_goal, Goal};
use super::read::{enum_value, required, Reader};
use crate::decode::{Decoder, FieldPath, Item, Spanned};
use crate::diag::Diagnostic;
use crate::diag::Span;
use crate::yaml;
use std::collections::BTreeSet;

/// How hard a lesson is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    const ALL: [Level; 3] = [Level::Advanced, Level::Beginner, Level::Intermediate];

    /// The level as written in `lesson.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }
}

/// The contents of `lesson.yaml`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LessonFile {
    pub id: String,
    pub title: String,
    pub level: Level,
    /// The Kubernetes ideas it teaches, as short tags (`Service`, `selector`).
    pub concepts: Vec<String>,
    /// One paragraph for the lesson list.
    pub summary: String,
    /// The introduction, in Markdown.
    pub intro: String,
    /// What the learner must do, in Markdown.
    pub task: String,
    /// The workspace files the learner may edit; the others are fixed.
    pub editable: Vec<String>,
    pub goals: Vec<Goal>,
    /// Hints, revealed one at a time, in order.
    pub hints: Vec<String>,
    /// "What you learned", in Markdown, shown once every goal passes.
    pub learned: String,
}

/// The names of a lesson folder's workspace files, which `editable` is checked against.
pub(super) struct Folder<'a> {
    pub start: &'a [String],
    pub solution: &'a [String],
}

/// Reads `lesson.yaml` (named `file` in messages) alone.
pub fn parse_lesson_file(file: &str, text: &str) -> Result<LessonFile, Vec<Diagnostic>> {
    parse_in(file, text, None)
}

/// Reads `lesson.yaml` and, with `folder`, checks `editable` against the folder's files: every
/// entry is a start or solution file, every solution file is an entry, and `start/` has files.
pub(super) fn parse_in(file: &str, text: &str, folder: Option<&Folder>) -> Result<LessonFile, Vec<Diagnostic>> {
    let parsed = yaml::parse_file(file, text);
    let mut problems = parsed.diagnostics;
    let Some(doc) = parsed.documents.first() else {
        problems.push(Diagnostic::error(file, Default::default(), "", "the lesson file is empty"));
        return Err(problems);
    };
    let mut r = Reader { d: Decoder::new(file, text) };
    let lesson = read(&mut r, &Item::root(&doc.root), folder);
    problems.extend(r.d.into_diagnostics());
    match lesson {
        Some(l) if problems.is_empty() => Ok(l),
        _ => Err(problems),
    }
}

fn read(r: &mut Reader, root: &Item, folder: Option<&Folder>) -> Option<LessonFile> {
    let mut m = r.d.map(root)?;
    let id = m.str(&mut r.d, "id");
    let title = m.str(&mut r.d, "title");
    let level = m.str(&mut r.d, "level");
    let concepts = m.seq(&mut r.d, "concepts");
    let summary = m.str(&mut r.d, "summary");
    let intro = m.str(&mut r.d, "intro");
    let task = m.str(&mut r.d, "task");
    let editable = m.seq(&mut r.d, "editable");
    let goals = m.seq(&mut r.d, "goals");
    let hints = m.seq(&mut r.d, "hints");
    let learned = m.str(&mut r.d, "learned");
    let (span, path) = (m.span(), m.path().clone());
    m.finish(&mut r.d);
    let id = required(r, span, &path, "id", id)?;
    let title = required(r, span, &path, "title", title)?;
    let level_text = required(r, span, &path, "level", level)?;
    let names: Vec<&str> = Level::ALL.iter().map(|l| l.as_str()).collect();
    let level_word = enum_value(r, level_text.span, &path.field("level"), &level_text.value, &names)?;
    let level = Level::ALL.into_iter().find(|l| l.as_str() == level_word)?;
    let task = required(r, span, &path, "task", task)?;
    let goals = required(r, span, &path, "goals", goals)?;
    if goals.is_empty() {
        r.d.error(span, &path.field("goals"), "Required value: a lesson has at least one goal");
    }
    let mut seen = BTreeSet::new();
    let goals: Vec<Goal> = goals.iter().filter_map(|g| read_goal(r, g, &mut seen)).collect();
    let editable_items = editable.unwrap_or_default();
    let editable: Vec<Spanned<String>> = editable_items.iter().filter_map(|i| r.d.str(i)).collect();
    if let Some(folder) = folder {
        check_folder(r, folder, &editable, span, &path);
    }
    let text = |v: Option<Spanned<String>>| v.map(|s| s.value).unwrap_or_default();
    Some(LessonFile {
        id: id.value,
        title: title.value,
        level,
        concepts: strings(r, concepts),
        summary: text(summary),
        intro: text(intro),
        task: task.value,
        editable: editable.into_iter().map(|e| e.value).collect(),
        goals,
        hints: strings(r, hints),
        learned: text(learned),
    })
}

fn check_folder(r: &mut Reader, folder: &Folder, editable: &[Spanned<String>], span: Span, path: &FieldPath) {
    if folder.start.is_empty() {
        r.d.error(span, path, "the lesson has no start/ files");
    }
    for (i, entry) in editable.iter().enumerate() {
        if !folder.start.iter().chain(folder.solution).any(|f| *f == entry.value) {
            let message = format!("Not found: {:?}: neither in start/ nor in solution/", entry.value);
            r.d.error(entry.span, &path.field("editable").index(i), message);
        }
    }
    for name in folder.solution {
        if !editable.iter().any(|e| &e.value == name) {
            let message = format!("solution/{name} is a file the learner may not edit: list it in editable");
            r.d.error(span, &path.field("editable"), message);
        }
    }
}

fn strings(r: &mut Reader, items: Option<Vec<Item>>) -> Vec<String> {
    items.unwrap_or_default().iter().filter_map(|i| r.d.str(i)).map(|s| s.value).collect()
}

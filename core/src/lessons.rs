//! Lessons as data: reading a lesson's `lesson.yaml`.
//!
//! For now a lesson file holds its identity and a summary (lessons/README.md); goals, hints
//! and solutions come with the lessons work. Reading goes through the same YAML layer and
//! field decoder as manifests, so a teacher's typo gets the same file:line:col message.

use crate::decode::{Decoder, Item};
use crate::diag::Diagnostic;
use crate::yaml;

/// How hard a lesson is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Beginner,
    Intermediate,
    Advanced,
}

impl Level {
    /// The level as written in `lesson.yaml`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Beginner => "beginner",
            Level::Intermediate => "intermediate",
            Level::Advanced => "advanced",
        }
    }
}

/// What a lesson list shows about a lesson.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct LessonSummary {
    pub id: String,
    pub title: String,
    pub level: Level,
    pub summary: String,
}

/// Reads `lesson.yaml` (named `file` in messages); every problem is a diagnostic.
pub fn parse_summary(file: &str, text: &str) -> Result<LessonSummary, Vec<Diagnostic>> {
    let parsed = yaml::parse_file(file, text);
    let mut problems = parsed.diagnostics;
    let Some(doc) = parsed.documents.first() else {
        problems.push(Diagnostic::error(file, Default::default(), "", "the lesson file is empty"));
        return Err(problems);
    };
    let mut d = Decoder::new(file, text);
    let item = Item::root(&doc.root);
    let summary = d.map(&item).and_then(|mut m| {
        let id = m.str(&mut d, "id");
        let title = m.str(&mut d, "title");
        let level = m.str(&mut d, "level");
        let summary = m.str(&mut d, "summary");
        let span = m.span();
        m.finish(&mut d);
        let required = |d: &mut Decoder, name: &'static str, value: Option<crate::decode::Spanned<String>>| {
            if value.is_none() {
                d.error(span, &item.path.field(name), "Required value");
            }
            value
        };
        let id = required(&mut d, "id", id)?;
        let title = required(&mut d, "title", title)?;
        let level_text = required(&mut d, "level", level)?;
        let level = match level_text.value.as_str() {
            "beginner" => Level::Beginner,
            "intermediate" => Level::Intermediate,
            "advanced" => Level::Advanced,
            other => {
                d.error(
                    level_text.span,
                    &item.path.field("level"),
                    format!("Unsupported value: {other:?}: supported values: \"advanced\", \"beginner\", \"intermediate\""),
                );
                return None;
            }
        };
        Some(LessonSummary { id: id.value, title: title.value, level, summary: summary.map(|s| s.value).unwrap_or_default() })
    });
    problems.extend(d.into_diagnostics());
    match summary {
        Some(s) if problems.is_empty() => Ok(s),
        _ => Err(problems),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lesson_summary_reads_id_title_level_and_summary() {
        let text = "id: first-look\ntitle: A first look\nlevel: beginner\nsummary: Meet the cluster.\n";
        let lesson = parse_summary("lesson.yaml", text).expect("valid");
        assert_eq!(lesson.id, "first-look");
        assert_eq!(lesson.level, Level::Beginner);
        assert_eq!(lesson.summary, "Meet the cluster.");
    }

    #[test]
    fn a_bad_level_and_an_unknown_field_are_located() {
        let text = "id: x\ntitle: X\nlevel: easy\ntitel: typo\n";
        let problems = parse_summary("lesson.yaml", text).expect_err("invalid");
        let lines: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        assert!(lines.iter().any(|l| l.starts_with("lesson.yaml:3:8: level: Unsupported value: \"easy\"")), "{lines:?}");
        assert!(lines.iter().any(|l| l.starts_with("lesson.yaml:4:1: titel: unknown field \"titel\"")), "{lines:?}");
    }
}

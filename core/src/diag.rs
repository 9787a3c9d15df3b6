//! Diagnostics: every problem the model finds in a learner's files, as a value.
//!
//! A diagnostic always names the file and the 1-based line and column it is about, so the
//! editor can underline it and the CLI can print `file:line:col: field: message`. API errors
//! also carry the field path as kubectl prints it (`spec.ports[0].nodePort`) and a message
//! worded like the API server's. Nothing in the model panics on user input; it reports one
//! of these instead.

use std::fmt;

/// A position in a source file: 1-based line and column (in characters), and the byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Pos {
    pub line: u32,
    pub column: u32,
    pub offset: usize,
}

/// A half-open range of source text, `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
pub struct Span {
    pub start: Pos,
    pub end: Pos,
}

impl Span {
    /// A zero-width span at `pos`.
    pub fn at(pos: Pos) -> Span {
        Span { start: pos, end: pos }
    }
}

/// Moves positions found in a piece of a file that starts at the beginning of a line to the
/// same positions in the file: `lines` lines and `offset` bytes further on (the column stays).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Shift {
    pub lines: u32,
    pub offset: usize,
}

impl Shift {
    /// `pos`, moved.
    pub fn pos(self, pos: Pos) -> Pos {
        Pos { line: pos.line.saturating_add(self.lines), column: pos.column, offset: pos.offset + self.offset }
    }

    /// `span`, moved.
    pub fn span(self, span: Span) -> Span {
        Span { start: self.pos(span.start), end: self.pos(span.end) }
    }
}

/// How bad a diagnostic is: errors reject an object; warnings flag valid input that
/// almost certainly does not do what the learner meant.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem found in a learner's files.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    pub severity: Severity,
    /// The workspace file the problem is in, as the learner named it.
    pub file: String,
    pub span: Span,
    /// The field path as kubectl prints it (`spec.ports[0].nodePort`); empty for YAML syntax
    /// errors and for problems about a whole document.
    pub field: String,
    /// The message, worded like the API server's where the API server has one.
    pub message: String,
    /// An optional suggestion a learner can act on.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// An error at `span` of `file`.
    pub fn error(file: &str, span: Span, field: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            file: file.to_string(),
            span,
            field: field.into(),
            message: message.into(),
            hint: None,
        }
    }

    /// A warning at `span` of `file`.
    pub fn warning(file: &str, span: Span, field: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic { severity: Severity::Warning, ..Diagnostic::error(file, span, field, message) }
    }

    /// The same diagnostic with a hint attached.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// `file:line:col: field: message`, the CLI's one-line format.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}: ", self.file, self.span.start.line, self.span.start.column)?;
        if self.severity == Severity::Warning {
            f.write_str("warning: ")?;
        }
        if !self.field.is_empty() {
            write!(f, "{}: ", self.field)?;
        }
        f.write_str(&self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

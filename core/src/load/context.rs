//! The loading context of one document: its decoder, its source, and the checks' findings.

use crate::api::Kind;
use crate::decode::{Decoder, FieldPath};
use crate::diag::{Diagnostic, Span};
use crate::objects::Source;
use crate::validation::{FieldError, PathError};

/// Everything a kind's loader needs: the decoder over the document, and a place to report
/// validation errors by field path (located through the document's field spans).
pub struct Ctx<'a> {
    pub d: Decoder<'a>,
    source: &'a Source,
    file: &'a str,
    checks: Vec<Diagnostic>,
}

impl<'a> Ctx<'a> {
    /// A context for one document of `file`.
    pub fn new(file: &'a str, text: &'a str, source: &'a Source) -> Ctx<'a> {
        Ctx { d: Decoder::new(file, text), source, file, checks: Vec::new() }
    }

    /// Reports a validation error at its field (or the nearest written ancestor).
    pub fn fail(&mut self, error: PathError) {
        let span = self.source.span_of(&error.field);
        self.checks.push(error.into_diagnostic(self.file, span));
    }

    /// Reports every error of a validator.
    pub fn fail_all(&mut self, errors: Vec<PathError>) {
        for e in errors {
            self.fail(e);
        }
    }

    /// Reports `error` at the field `path`.
    pub fn fail_at(&mut self, path: &FieldPath, error: FieldError) {
        self.fail(error.at(path.to_string()));
    }

    /// Reports each detail of a string validator (`Invalid value: <value>: <detail>`) at `path`.
    pub fn invalid_details(&mut self, path: &FieldPath, value: &str, details: Vec<String>) {
        for detail in details {
            self.fail_at(path, FieldError::invalid(value, detail));
        }
    }

    /// Reports a kind the model knows by name but does not load.
    pub fn unsupported_kind(&mut self, kind: Kind, span: Span) {
        self.checks.push(Diagnostic::error(
            self.file,
            span,
            "kind",
            format!("kubeplay does not model {kind} objects yet"),
        ));
    }

    /// Every problem found in the document: decoding first, then checks, by position.
    pub fn into_diagnostics(self) -> Vec<Diagnostic> {
        let mut all = self.d.into_diagnostics();
        all.extend(self.checks);
        all.sort_by_key(|d| d.span.start);
        all
    }

    /// The document's source.
    pub fn source(&self) -> &Source {
        self.source
    }
}

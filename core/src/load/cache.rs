//! Documents read on their own and remembered between applies, so that an apply reads again
//! only the documents whose text changed.
//!
//! The browser applies the whole workspace on every pause in typing, and usually one document
//! changed. A file whose documents can be read apart ([`crate::yaml::chunks`]) is cut at its
//! `---` lines; each piece is parsed, decoded and validated alone, with positions relative to
//! the piece, and the result is kept under the file's name and the piece's text. The piece's
//! place in the file is not part of the key: positions are moved to the file's when the result
//! is used (a [`Shift`]), so an edit that moves a document does not make it be read again.
//!
//! Invariants: a result depends only on the file's name and the piece's text, so a remembered
//! result is exactly what reading the piece again would give. A file with any piece that has a
//! YAML diagnostic is read whole instead, and a file whose pieces cannot be read apart
//! always is, so what a workspace loads to does not depend on what was read before. The cache
//! holds the pieces of the last apply only.

use super::{load_document, AnyObject, Ctx};
use crate::diag::{Diagnostic, Severity, Shift};
use crate::objects::Source;
use crate::simulation::SourceFile;
use crate::yaml::{self, chunks};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The documents read in the last apply, by file name and piece text.
#[derive(Debug, Clone, Default)]
pub struct LoadCache {
    files: BTreeMap<String, BTreeMap<String, Vec<Read>>>,
}

/// One document read: its source, the object if it passed validation, its fingerprint, and
/// its diagnostics, with positions relative to where it was read from.
#[derive(Debug, Clone)]
pub(super) struct Read {
    pub(super) source: Source,
    pub(super) object: Option<AnyObject>,
    pub(super) fingerprint: u64,
    pub(super) diagnostics: Vec<Diagnostic>,
}

/// What a file was read to: its documents, each with the shift that places it in the file, or
/// the YAML diagnostics that stopped it.
pub(super) struct FileRead {
    pub(super) documents: Vec<(Shift, Read)>,
    pub(super) syntax: Vec<Diagnostic>,
}

impl LoadCache {
    /// Reads `file`, piece by piece where it can, taking what `earlier` remembers and keeping
    /// every piece read in `self`.
    pub(super) fn read(&mut self, earlier: &mut LoadCache, file: &SourceFile) -> FileRead {
        if let Some(pieces) = chunks::split(&file.text) {
            if let Some(documents) = self.read_pieces(earlier, &file.name, &pieces) {
                return FileRead { documents, syntax: Vec::new() };
            }
        }
        let (documents, syntax) = read_text(&file.name, &file.text);
        FileRead { documents: documents.into_iter().map(|read| (Shift::default(), read)).collect(), syntax }
    }

    /// The documents of every piece, or `None` if any piece has a YAML diagnostic.
    fn read_pieces(
        &mut self,
        earlier: &mut LoadCache,
        name: &str,
        pieces: &[chunks::Chunk],
    ) -> Option<Vec<(Shift, Read)>> {
        let mut remembered = self.files.remove(name).unwrap_or_default();
        let documents = read_pieces_into(&mut remembered, earlier, name, pieces);
        if !remembered.is_empty() {
            self.files.insert(name.to_string(), remembered);
        }
        documents
    }
}

/// [`LoadCache::read_pieces`], keeping every piece read in `remembered` (the file's pieces).
fn read_pieces_into(
    remembered: &mut BTreeMap<String, Vec<Read>>,
    earlier: &mut LoadCache,
    name: &str,
    pieces: &[chunks::Chunk],
) -> Option<Vec<(Shift, Read)>> {
    let mut documents = Vec::new();
    for piece in pieces {
        let known = earlier.files.get_mut(name).and_then(|file| file.remove_entry(piece.text));
        let (text, reads) = match known {
            Some(entry) => entry,
            None => {
                let (reads, syntax) = read_text(name, piece.text);
                if !syntax.is_empty() {
                    return None;
                }
                (piece.text.to_string(), reads)
            }
        };
        documents.extend(reads.iter().map(|read| (piece.shift, read.clone())));
        remembered.insert(text, reads);
    }
    Some(documents)
}

/// Parses, decodes and validates every document of `text`, as file `name`; returns them with
/// the YAML diagnostics.
fn read_text(name: &str, text: &str) -> (Vec<Read>, Vec<Diagnostic>) {
    let parsed = yaml::parse_file(name, text);
    let reads = parsed
        .documents
        .into_iter()
        .map(|doc| {
            let root = Arc::new(doc.root);
            let source = Source::new(name, doc.span, Arc::clone(&root));
            let mut ctx = Ctx::new(name, text, &source);
            let object = load_document(&mut ctx, &root);
            let diagnostics = ctx.into_diagnostics();
            let failed = diagnostics.iter().any(|d| d.severity == Severity::Error);
            let object = object.filter(|_| !failed);
            let fingerprint = object.as_ref().map_or(0, |_| super::fingerprint(&root));
            Read { source, object, fingerprint, diagnostics }
        })
        .collect();
    (reads, parsed.diagnostics)
}

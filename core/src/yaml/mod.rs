//! The YAML layer: a learner's file as `kubectl apply` would read it, with a position on
//! every node.
//!
//! [`parse_file`] turns a file into [`Document`]s of [`Node`]s, each carrying the [`Span`] of
//! the text it came from, plus [`Diagnostic`]s for everything wrong. It never panics and never
//! fails: whatever the input, it returns the documents it could read and the reasons it could
//! not read the rest, each with a file, a 1-based line and a 1-based column counted in
//! characters (`Pos::offset` is the byte offset).
//!
//! What a document means follows what kubectl does with the text: sigs.k8s.io/yaml decodes
//! it with go-yaml v2 and converts the result to JSON. That is YAML 1.1 in places (unquoted
//! `yes`, `on` and `y` are booleans, `0755` is octal), so a plain scalar's type is go-yaml v2's
//! (see the `resolve` module), anchors, aliases and merge keys behave as in go-yaml v2, and map
//! keys become JSON object keys (see the `compose` module). kubectl's own stream handling is
//! followed too: documents are split at `---` lines, empty ones (nothing, comments, `null`) are
//! skipped, and it stops at the first error (see the `prescan` module).
//!
//! Modeled: plain-scalar resolution, explicit `!!str`/`!!int`/`!!float`/`!!bool`/`!!null`
//! tags, anchors and aliases (with go-yaml's limit on alias expansion), merge keys, JSON key
//! conversion, duplicate keys, control characters, kubectl's document separators, values JSON
//! cannot hold (`.inf`, `.nan`), tabs between a key's `:` and its value (go-yaml accepts them;
//! saphyr does not, so they are read as spaces).
//!
//! Not modeled: `!!binary` (kept as its base64 text, not decoded), `!!timestamp` (the text is
//! kept without checking the date), YAML 1.1 line breaks U+0085/U+2028/U+2029 (go-yaml counts
//! them as line ends; here they are ordinary characters), content after a `...` end marker
//! without a following `---` (kubectl ignores it; here it is a further document), tabs after a
//! list item's `-` (go-yaml rejects them; saphyr accepts them), anchor names with characters
//! other than letters, digits, `_` and `-` (go-yaml ends the name there; saphyr does not).

pub mod chunks;
mod compose;
mod gofmt;
mod prescan;
mod resolve;
mod source;
mod syntax;

use std::borrow::Cow;

pub use gofmt::quote as go_quote;

use crate::diag::{Diagnostic, Span};

/// One YAML node and the span of text it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The text the node came from; for an alias's copy, the alias.
    pub span: Span,
    /// What the text means.
    pub value: Value,
}

/// The value of a node, typed as go-yaml v2 types it.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `null`, `~`, or nothing at all.
    Null,
    /// `true`, `false`, and YAML 1.1's `yes`, `no`, `on`, `off`, `y`, `n`.
    Bool(bool),
    /// An integer that fits in 64 bits; larger integers are kept as the nearest [`Value::Float`].
    Int(i64),
    /// A floating-point number, including `.inf` and `.nan` (which JSON cannot hold).
    Float(f64),
    /// Any other scalar, and every quoted or block scalar.
    Str(String),
    /// A list, in source order.
    Seq(Vec<Node>),
    /// Entries in source order. Keys are always unique [`Value::Str`]s: YAML keys converted to
    /// the JSON object keys kubectl sends (an unquoted `80:` key is `"80"`).
    Map(Vec<(Node, Node)>),
}

/// One non-empty document of a file.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    /// 0-based position among the file's non-empty documents (counting those not returned).
    pub index: usize,
    /// From the start of the document (its `---` if it has one) to the end of its content.
    pub span: Span,
    /// The document's content.
    pub root: Node,
}

/// What [`parse_file`] read from a file.
#[derive(Debug, Clone, PartialEq)]
pub struct ParsedFile {
    /// The documents without errors, in file order.
    pub documents: Vec<Document>,
    /// Every problem found, in file order.
    pub diagnostics: Vec<Diagnostic>,
}

/// Reads `text`, the contents of workspace file `file`, as `kubectl apply -f` would.
///
/// A document with an error is reported and left out; a syntax error, a control character or a
/// malformed `---` line ends the parse, after which only the documents completed before it are
/// returned.
pub fn parse_file(file: &str, text: &str) -> ParsedFile {
    let mut text = Cow::Borrowed(text);
    let mut tab_fixes = 0;
    loop {
        let source = source::Source::new(&text);
        let stop = prescan::first_stop(file, &source);
        let limit = stop.as_ref().map_or(source.char_len(), |stop| stop.index);
        match compose::compose(file, &source, limit, tab_fixes < MAX_TAB_FIXES) {
            compose::Composed::Done { documents, mut diagnostics } => {
                diagnostics.extend(stop.map(|stop| stop.diagnostic));
                diagnostics.sort_by_key(|d| d.span.start.offset);
                return ParsedFile { documents, diagnostics };
            }
            // Tabs and spaces are one byte and one character each, so positions do not move.
            compose::Composed::TabAfterKey(blanks) => {
                let bytes = source.byte(blanks.start)..source.byte(blanks.end);
                text.to_mut().replace_range(bytes.clone(), &" ".repeat(bytes.len()));
                tab_fixes += 1;
            }
        }
    }
}

/// How many `key:<tab>value` separators one file may have before the rest are reported rather
/// than accepted; each costs one more pass over the file.
const MAX_TAB_FIXES: usize = 1000;

impl Value {
    /// The JSON type name a learner would use for this value: "string", "integer", "number",
    /// "boolean", "array", "object" or "null".
    pub fn type_name(&self) -> &'static str {
        match self {
            Value::Null => "null",
            Value::Bool(_) => "boolean",
            Value::Int(_) => "integer",
            Value::Float(_) => "number",
            Value::Str(_) => "string",
            Value::Seq(_) => "array",
            Value::Map(_) => "object",
        }
    }

    /// The value as API server messages print it: a string as Go's `%q` (`"abc"`), a number or
    /// boolean as Go's `%v` (`80`, `1.5`, `true`), null as `null`; collections as `[...]` and
    /// `{...}`.
    pub fn api_repr(&self) -> String {
        match self {
            Value::Null => "null".to_string(),
            Value::Bool(b) => b.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Float(f) => gofmt::float_v(*f),
            Value::Str(s) => gofmt::quote(s),
            Value::Seq(_) => "[...]".to_string(),
            Value::Map(_) => "{...}".to_string(),
        }
    }
}

impl Node {
    /// The string, if this node is a string.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The entries, if this node is a mapping.
    pub fn as_map(&self) -> Option<&[(Node, Node)]> {
        match &self.value {
            Value::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// The items, if this node is a sequence.
    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.value {
            Value::Seq(items) => Some(items),
            _ => None,
        }
    }

    /// Whether this node is null (written `null`, `~` or nothing at all).
    pub fn is_null(&self) -> bool {
        self.value == Value::Null
    }

    /// The value under `key`, if this node is a mapping that has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.as_map()?.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v)
    }
}

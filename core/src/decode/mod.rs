//! The field decoder: typed Kubernetes fields read out of YAML nodes, as the API server reads
//! them out of JSON.
//!
//! A [`Decoder`] walks a document's tree with a [`FieldPath`] and collects a [`Diagnostic`] for
//! every problem, each with the file, the span of the offending text and the field path as
//! kubectl prints it. Reading an object goes through a [`MapReader`], whose typed getters
//! (`str`, `int32`, `map`, `seq`, …) record each key they are asked for; [`MapReader::finish`]
//! then reports every key that was not read as an unknown field, as the API server's strict
//! field validation does (`unknown field "spec.ports[0].targetport"`), with a "did you mean"
//! hint. Nothing here panics on user input.
//!
//! The API server decodes JSON with Go's `encoding/json` semantics, which these rules follow:
//!
//! - A field whose value is `null` is treated as absent (JSON `null` leaves a Go field at its
//!   zero value, or a pointer nil), so a getter returns `None` for it. A `null` *element* of a
//!   list or value of a map, which Go decodes to the zero value, reads as that zero value
//!   (`""`, `0`, `false`, an empty object): a null label value is the empty string.
//! - A value of the wrong JSON type is an error at the value, naming the expected type and the
//!   type given, as `json: cannot unmarshal string into Go struct field
//!   ServicePort.spec.ports.port of type int32` does; here: `expected an integer (int32), got
//!   string "80"`, with a hint.
//! - A number is an integer if its JSON text is one: go-yaml reads `1e3` as a float, but it is
//!   marshalled as `1000`, so it fills an `int32` field; `1.5` does not.
//! - Map values must be strings where Kubernetes has `map[string]string` (labels,
//!   annotations, selectors): an unquoted `true` or `80` there is the classic mistake, and it
//!   is reported with the quoted form to write instead.

mod path;
mod suggest;

pub use path::FieldPath;

use crate::diag::{Diagnostic, Span};
use crate::yaml::{Node, Value};

/// A decoded value and the span of the text it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spanned<T> {
    /// The decoded value.
    pub value: T,
    /// The text it came from.
    pub span: Span,
}

/// Kubernetes' `intstr.IntOrString`: a port number or a port name, e.g. a `targetPort`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IntOrString {
    /// A number, such as a port number.
    Int(i32),
    /// A name, such as a named container port.
    Str(String),
}

/// A node and the field path it sits at.
#[derive(Debug, Clone, PartialEq)]
pub struct Item<'n> {
    /// Where the node sits, e.g. `spec.ports[0]`.
    pub path: FieldPath,
    /// The node itself.
    pub node: &'n Node,
}

impl<'n> Item<'n> {
    /// A document's root: the node at the empty path.
    pub fn root(node: &'n Node) -> Self {
        Item { path: FieldPath::root(), node }
    }
}

/// Reads typed values out of nodes and collects the problems it finds.
///
/// Its node-level readers (`map`, `str`, …) read a value that must be there, such as a list
/// element: `null` reads as the zero value. [`MapReader`]'s getters read fields, for which
/// `null` means absent.
#[derive(Debug)]
pub struct Decoder<'a> {
    file: &'a str,
    text: &'a str,
    diagnostics: Vec<Diagnostic>,
}

/// The JSON type a field expects, for messages.
#[derive(Debug, Clone, Copy)]
enum Expected {
    String,
    Int32,
    Int64,
    Boolean,
    Object,
    Array,
    IntOrString,
}

impl Expected {
    fn describe(self) -> &'static str {
        match self {
            Expected::String => "a string",
            Expected::Int32 => "an integer (int32)",
            Expected::Int64 => "an integer (int64)",
            Expected::Boolean => "a boolean",
            Expected::Object => "an object",
            Expected::Array => "an array",
            Expected::IntOrString => "an integer or a string",
        }
    }
}

impl<'a> Decoder<'a> {
    /// A decoder for the documents of workspace file `file`, whose contents are `text`.
    pub fn new(file: &'a str, text: &'a str) -> Self {
        Decoder { file, text, diagnostics: Vec::new() }
    }

    /// The problems found so far, in the order they were found.
    pub fn diagnostics(&self) -> &[Diagnostic] {
        &self.diagnostics
    }

    /// The problems found, in file order.
    pub fn into_diagnostics(mut self) -> Vec<Diagnostic> {
        self.diagnostics.sort_by_key(|d| d.span.start.offset);
        self.diagnostics
    }

    /// An error at `span` about the field at `path`, for checks made beyond decoding.
    pub fn error(&mut self, span: Span, path: &FieldPath, message: impl Into<String>) -> &mut Diagnostic {
        self.diagnostics.push(Diagnostic::error(self.file, span, path.to_string(), message));
        let last = self.diagnostics.len() - 1;
        &mut self.diagnostics[last]
    }

    /// Reads an object; `null` reads as an empty one.
    pub fn map<'n>(&mut self, item: &Item<'n>) -> Option<MapReader<'n>> {
        match &item.node.value {
            Value::Map(entries) => Some(MapReader::new(item, entries)),
            Value::Null => Some(MapReader::new(item, &[])),
            _ => self.mismatch(item, Expected::Object),
        }
    }

    /// Reads a list, one [`Item`] per element; `null` reads as an empty list.
    pub fn seq<'n>(&mut self, item: &Item<'n>) -> Option<Vec<Item<'n>>> {
        match &item.node.value {
            Value::Seq(nodes) => {
                Some(nodes.iter().enumerate().map(|(i, node)| Item { path: item.path.index(i), node }).collect())
            }
            Value::Null => Some(Vec::new()),
            _ => self.mismatch(item, Expected::Array),
        }
    }

    /// Reads a string; `null` reads as `""`.
    pub fn str(&mut self, item: &Item) -> Option<Spanned<String>> {
        match &item.node.value {
            Value::Str(s) => Some(spanned(item, s.clone())),
            Value::Null => Some(spanned(item, String::new())),
            _ => self.mismatch(item, Expected::String),
        }
    }

    /// Reads a 64-bit integer; `null` reads as 0.
    pub fn int(&mut self, item: &Item) -> Option<Spanned<i64>> {
        let value = match self.integer(item, Expected::Int64)? {
            Integer::Fits(i) => i,
            Integer::TooLarge => return self.out_of_range(item, "int64"),
        };
        Some(spanned(item, value))
    }

    /// Reads a 32-bit integer, as most Kubernetes numbers are; `null` reads as 0.
    pub fn int32(&mut self, item: &Item) -> Option<Spanned<i32>> {
        self.integer32(item, Expected::Int32).map(|value| spanned(item, value))
    }

    /// Reads a boolean; `null` reads as `false`.
    pub fn bool(&mut self, item: &Item) -> Option<Spanned<bool>> {
        match item.node.value {
            Value::Bool(b) => Some(spanned(item, b)),
            Value::Null => Some(spanned(item, false)),
            _ => self.mismatch(item, Expected::Boolean),
        }
    }

    /// Reads an [`IntOrString`]; `null` reads as the integer 0, as `intstr` decodes it.
    pub fn int_or_string(&mut self, item: &Item) -> Option<Spanned<IntOrString>> {
        if let Value::Str(s) = &item.node.value {
            return Some(spanned(item, IntOrString::Str(s.clone())));
        }
        self.integer32(item, Expected::IntOrString).map(|value| spanned(item, IntOrString::Int(value)))
    }

    /// Reads a `map[string]string` (labels, annotations, selectors) as (key, value) pairs in
    /// source order; a value that is not a string is reported and left out, a `null` value
    /// reads as `""`, and a `null` map reads as an empty one.
    pub fn string_map(&mut self, item: &Item) -> Option<Vec<(Spanned<String>, Spanned<String>)>> {
        let entries = match &item.node.value {
            Value::Map(entries) => entries,
            Value::Null => return Some(Vec::new()),
            _ => return self.mismatch(item, Expected::Object),
        };
        let mut pairs = Vec::with_capacity(entries.len());
        for (key, value) in entries {
            let name = key.as_str().unwrap_or_default();
            let element = Item { path: item.path.key(name), node: value };
            if let Some(text) = self.str(&element) {
                pairs.push((Spanned { value: name.to_string(), span: key.span }, text));
            }
        }
        Some(pairs)
    }

    /// An integer as the JSON text go-yaml's value marshals to would decode into Go: floats
    /// with no fraction below 1e21 are written as integers, larger ones in exponent form.
    fn integer(&mut self, item: &Item, expected: Expected) -> Option<Integer> {
        match item.node.value {
            Value::Int(i) => Some(Integer::Fits(i)),
            Value::Null => Some(Integer::Fits(0)),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 1e21 => {
                // -2^63 ≤ f < 2^63 is exactly the range that converts to i64 without loss.
                let fits = (-9_223_372_036_854_775_808.0..9_223_372_036_854_775_808.0).contains(&f);
                Some(if fits { Integer::Fits(f as i64) } else { Integer::TooLarge })
            }
            _ => self.mismatch(item, expected),
        }
    }

    /// An integer that must fit in 32 bits.
    fn integer32(&mut self, item: &Item, expected: Expected) -> Option<i32> {
        match self.integer(item, expected)? {
            Integer::Fits(i) => i32::try_from(i).ok().or_else(|| self.out_of_range(item, "int32")),
            Integer::TooLarge => self.out_of_range(item, "int32"),
        }
    }

    fn mismatch<T>(&mut self, item: &Item, expected: Expected) -> Option<T> {
        let given = describe(&item.node.value);
        let hint = self.mismatch_hint(item.node, expected);
        let diagnostic =
            self.error(item.node.span, &item.path, format!("expected {}, got {given}", expected.describe()));
        if let Some(hint) = hint {
            diagnostic.hint = Some(hint);
        }
        None
    }

    fn out_of_range<T>(&mut self, item: &Item, bits: &str) -> Option<T> {
        let message = format!("{} is out of range for {bits}", describe(&item.node.value));
        self.error(item.node.span, &item.path, message);
        None
    }

    /// What to write instead, for the mistakes learners make most.
    fn mismatch_hint(&self, node: &Node, expected: Expected) -> Option<String> {
        match (expected, &node.value) {
            (Expected::String, Value::Int(_) | Value::Float(_) | Value::Bool(_)) => {
                let written = self.plain_text(node).map_or_else(|| node.value.api_repr(), str::to_string);
                let quoted = crate::yaml::go_quote(&written);
                Some(format!("quote it to make it a string: {quoted}"))
            }
            (Expected::Int32 | Expected::Int64, Value::Str(s)) if s.trim().parse::<i64>().is_ok() => {
                Some(format!("write the number without quotes: {}", s.trim()))
            }
            (Expected::Boolean, Value::Str(s)) if matches!(s.as_str(), "true" | "false") => {
                Some(format!("write the boolean without quotes: {s}"))
            }
            (Expected::Array, Value::Map(_)) => Some("start each element of a list with '- '".into()),
            _ => None,
        }
    }

    /// The text of a single-line plain scalar as the learner wrote it (`yes`, `1.0`), if the
    /// node's span holds one (not an alias, tagged or quoted value).
    fn plain_text(&self, node: &Node) -> Option<&'a str> {
        let text = self.text.get(node.span.start.offset..node.span.end.offset)?;
        let plain =
            !text.is_empty() && !text.starts_with(['*', '&', '!', '"', '\'', '|', '>']) && !text.contains(['\n', '\r']);
        plain.then_some(text)
    }
}

/// An integer read from a node, or the fact that it is too large for 64 bits.
enum Integer {
    Fits(i64),
    TooLarge,
}

fn spanned<T>(item: &Item, value: T) -> Spanned<T> {
    Spanned { value, span: item.node.span }
}

/// The type and, for a scalar, the value given: `string "80"`, `boolean true`, `array`.
fn describe(value: &Value) -> String {
    match value {
        Value::Seq(_) | Value::Map(_) | Value::Null => value.type_name().to_string(),
        _ => format!("{} {}", value.type_name(), value.api_repr()),
    }
}

/// Reads the fields of one object, remembering which were read.
///
/// Every getter records its key as known. [`finish`](MapReader::finish) reports every key
/// that no getter read as an unknown field.
#[derive(Debug)]
#[must_use = "call finish() to report the fields that were not read"]
pub struct MapReader<'n> {
    path: FieldPath,
    span: Span,
    entries: &'n [(Node, Node)],
    read: ReadFields,
    known: Vec<&'static str>,
}

/// Which of an object's fields were read: a bit per field for the first 64, which hold every
/// object a learner writes without allocating, then a flag per further field.
#[derive(Debug, Default)]
struct ReadFields {
    first: u64,
    rest: Vec<bool>,
}

impl ReadFields {
    fn mark(&mut self, index: usize) {
        match index.checked_sub(64) {
            None => self.first |= 1 << index,
            Some(at) => {
                if self.rest.len() <= at {
                    self.rest.resize(at + 1, false);
                }
                self.rest[at] = true;
            }
        }
    }

    fn contains(&self, index: usize) -> bool {
        match index.checked_sub(64) {
            None => self.first & (1 << index) != 0,
            Some(at) => self.rest.get(at).copied().unwrap_or(false),
        }
    }
}

/// Room for the fields a loader asks one object for, so that the list rarely grows.
const KNOWN_CAPACITY: usize = 16;

impl<'n> MapReader<'n> {
    fn new(item: &Item<'n>, entries: &'n [(Node, Node)]) -> Self {
        MapReader {
            path: item.path.clone(),
            span: item.node.span,
            entries,
            read: ReadFields::default(),
            known: Vec::with_capacity(KNOWN_CAPACITY),
        }
    }

    /// The path of this object.
    pub fn path(&self) -> &FieldPath {
        &self.path
    }

    /// The span of this object's text.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The field `key`, marked as read; `None` when it is missing or `null`.
    pub fn raw(&mut self, key: &'static str) -> Option<Item<'n>> {
        self.known.push(key);
        let index = self.entries.iter().position(|(k, _)| k.as_str() == Some(key))?;
        self.read.mark(index);
        let node = &self.entries[index].1;
        (!node.is_null()).then(|| Item { path: self.path.field(key), node })
    }

    /// Marks fields the API accepts but the model does not read, so they are not reported.
    pub fn ignore(&mut self, keys: &[&'static str]) {
        for &key in keys {
            let _ = self.raw(key);
        }
    }

    /// The object field `key`.
    pub fn map(&mut self, d: &mut Decoder, key: &'static str) -> Option<MapReader<'n>> {
        d.map(&self.raw(key)?)
    }

    /// The list field `key`, one [`Item`] per element.
    pub fn seq(&mut self, d: &mut Decoder, key: &'static str) -> Option<Vec<Item<'n>>> {
        d.seq(&self.raw(key)?)
    }

    /// The string field `key`.
    pub fn str(&mut self, d: &mut Decoder, key: &'static str) -> Option<Spanned<String>> {
        d.str(&self.raw(key)?)
    }

    /// The 64-bit integer field `key`.
    pub fn int(&mut self, d: &mut Decoder, key: &'static str) -> Option<Spanned<i64>> {
        d.int(&self.raw(key)?)
    }

    /// The 32-bit integer field `key`.
    pub fn int32(&mut self, d: &mut Decoder, key: &'static str) -> Option<Spanned<i32>> {
        d.int32(&self.raw(key)?)
    }

    /// The boolean field `key`.
    pub fn bool(&mut self, d: &mut Decoder, key: &'static str) -> Option<Spanned<bool>> {
        d.bool(&self.raw(key)?)
    }

    /// The integer-or-string field `key`, such as `targetPort`.
    pub fn int_or_string(&mut self, d: &mut Decoder, key: &'static str) -> Option<Spanned<IntOrString>> {
        d.int_or_string(&self.raw(key)?)
    }

    /// The `map[string]string` field `key`, such as `labels`.
    pub fn string_map(
        &mut self,
        d: &mut Decoder,
        key: &'static str,
    ) -> Option<Vec<(Spanned<String>, Spanned<String>)>> {
        d.string_map(&self.raw(key)?)
    }

    /// Reports every field no getter read as unknown, as strict field validation does.
    pub fn finish(self, d: &mut Decoder) {
        for (index, (key, _)) in self.entries.iter().enumerate() {
            if self.read.contains(index) {
                continue;
            }
            let name = key.as_str().unwrap_or_default();
            let path = self.path.field_named(name);
            let message = format!("unknown field {}", crate::yaml::go_quote(&path.to_string()));
            let hint = suggest::closest(name, &self.known);
            let diagnostic = d.error(key.span, &path, message);
            if let Some(known) = hint {
                diagnostic.hint = Some(format!("did you mean {}?", crate::yaml::go_quote(known)));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strict_field_validation_reports_every_field_not_read_past_the_64th_too() {
        let text: String = (0..70).map(|i| format!("f{i}: {i}\n")).collect();
        let parsed = crate::yaml::parse_file("t.yaml", &text);
        let mut d = Decoder::new("t.yaml", &text);
        let mut object = d.map(&Item::root(&parsed.documents[0].root)).expect("a mapping");
        assert_eq!(object.int(&mut d, "f3").map(|v| v.value), Some(3));
        assert_eq!(object.int(&mut d, "f66").map(|v| v.value), Some(66));
        object.finish(&mut d);
        let unknown: Vec<&str> = d.diagnostics().iter().map(|d| d.message.as_str()).collect();
        let expected: Vec<String> =
            (0..70).filter(|i| ![3, 66].contains(i)).map(|i| format!("unknown field \"f{i}\"")).collect();
        assert_eq!(unknown, expected);
    }
}

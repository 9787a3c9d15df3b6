//! Composing: from saphyr's event stream to documents of [`Node`]s, as go-yaml v2 builds them.
//!
//! saphyr parses YAML 1.2 syntax and reports events with positions; this module turns them into
//! trees and applies go-yaml v2's decoding rules (`goyaml.v2/decode.go`), which are what
//! `kubectl apply` sees after sigs.k8s.io/yaml has converted the text to JSON:
//!
//! - Scalars resolve as described in [`super::resolve`].
//! - An alias is replaced by a copy of the anchored node, whose own span is moved to the alias
//!   (its children keep theirs, so errors inside point at the anchor's text). Anchors are
//!   per document. Referring to an anchor that is not defined, or to one from inside its own
//!   value, is an error (`unknown anchor 'x' referenced`, `anchor 'x' value contains itself`).
//!   go-yaml refuses documents whose aliases expand to far more nodes than they hold
//!   (`document contains excessive aliasing`), with its ratio; so does this module.
//! - Merge keys: a plain `<<` key (or one tagged `!!merge`) merges a mapping, or a list of
//!   mappings in which earlier ones win, into the mapping that holds it. As in go-yaml v2 (not
//!   v3), the merged keys are written where `<<` stands: they override keys written before it
//!   and are overridden by keys written after it. An alias to a list is not accepted.
//! - Keys become JSON object keys as sigs.k8s.io/yaml makes them: integers and booleans are
//!   printed (`80`, `true` — so an unquoted `yes:` key is `"true"`), floats with
//!   `FormatFloat(f, 'g', -1, 32)`. A null or collection key is an error.
//! - A key written twice in one mapping is an error at the second one, worded as go-yaml's
//!   strict mode words it (`key "port" already set in map`). kubectl itself decodes
//!   non-strictly and silently keeps the last value; the playground flags it instead.
//! - A float value that is infinite or NaN cannot be marshalled to JSON (`json: unsupported
//!   value: +Inf`), so it is an error.
//!
//! Map keys in the result are therefore always unique `Value::Str`s. A document with any such
//! error is reported but not returned. A syntax error ends the parse: the documents completed
//! before it are returned, the one it is in is not. Nesting deeper than [`MAX_DEPTH`] also ends
//! the parse, which keeps every later recursive walk of a tree within a small stack.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::ops::{ControlFlow, Range};

use saphyr_parser::{Event, Parser, ScalarStyle, Span as EventSpan, Tag};

use super::source::Source;
use super::{gofmt, resolve, syntax, Document, Node, Value};
use crate::diag::{Diagnostic, Pos, Span};

/// The deepest nesting of sequences and mappings accepted. saphyr refuses flow collections
/// (`[`, `{`) nested deeper than 255 (its flow level is a `u8`); the same limit applies here to
/// all nesting. go-yaml v3 stops at 10000, but the browser's stack is small, and no manifest
/// comes near 255.
pub(super) const MAX_DEPTH: usize = 255;

/// What composing one text gave.
pub(crate) enum Composed {
    /// The documents and diagnostics.
    Done { documents: Vec<Document>, diagnostics: Vec<Diagnostic> },
    /// saphyr refused tabs between a key's `:` and its value, which go-yaml accepts; the
    /// text should be composed again with the blanks in this range of character indices made
    /// spaces (see [`syntax::tab_after_key`]).
    TabAfterKey(Range<usize>),
}

/// Composes the first `limit` characters of `source`. When `limit` stops short of the end,
/// the document that was open there is not returned: kubectl would have rejected it. With
/// `fix_tabs`, a tab after a key's `:` asks for another pass instead of being an error.
pub(crate) fn compose(file: &str, source: &Source, limit: usize, fix_tabs: bool) -> Composed {
    let text = &source.text()[..source.byte(limit)];
    let mut composer = Composer {
        file,
        source,
        cut_at: (limit < source.char_len()).then_some(limit),
        documents: Vec::new(),
        diagnostics: Vec::new(),
        document: None,
        non_empty: 0,
        stack: Vec::new(),
        previous_end: 0,
    };
    for event in Parser::new_from_str(text) {
        let flow = match event {
            Ok((event, span)) => composer.event(event, span),
            Err(error) => {
                if let Some(blanks) = syntax::tab_after_key(source, &error).filter(|_| fix_tabs) {
                    return Composed::TabAfterKey(blanks);
                }
                composer.diagnostics.push(syntax::diagnostic(file, source, &error));
                ControlFlow::Break(())
            }
        };
        if flow.is_break() {
            break;
        }
    }
    Composed::Done { documents: composer.documents, diagnostics: composer.diagnostics }
}

struct Composer<'a> {
    file: &'a str,
    source: &'a Source<'a>,
    /// Where the text was cut short, if it was.
    cut_at: Option<usize>,
    documents: Vec<Document>,
    diagnostics: Vec<Diagnostic>,
    /// The document being composed.
    document: Option<OpenDocument>,
    /// How many non-empty documents have been seen, returned or not.
    non_empty: usize,
    /// The collections being composed, innermost last.
    stack: Vec<Frame>,
    /// The character index where the previous event ended.
    previous_end: usize,
}

struct OpenDocument {
    start: usize,
    root: Option<Node>,
    failed: bool,
    anchors: BTreeMap<usize, Anchored>,
    /// Nodes decoded so far, and how many of them came from expanding aliases; go-yaml's
    /// `decodeCount` and `aliasCount`.
    decoded: usize,
    aliased: usize,
}

/// An anchored node, with its height (levels of nesting) and size (number of nodes).
struct Anchored {
    node: Node,
    height: usize,
    size: usize,
}

struct Frame {
    start: usize,
    anchor: usize,
    /// Where the last child ended: the end of a block collection.
    last_end: Pos,
    kind: FrameKind,
}

enum FrameKind {
    Sequence(Vec<Node>),
    Mapping { pairs: Vec<Pair>, key: Option<Key> },
}

struct Key {
    node: Node,
    /// Whether this is a merge key (`<<`).
    merge: bool,
}

struct Pair {
    key: Key,
    value: Node,
    value_is_alias: bool,
}

impl Composer<'_> {
    fn event(&mut self, event: Event<'_>, span: EventSpan) -> ControlFlow<()> {
        let (start, end) = (span.start.index(), span.end.index());
        let flow = match event {
            Event::StreamStart | Event::Nothing => ControlFlow::Continue(()),
            Event::StreamEnd => ControlFlow::Break(()),
            Event::DocumentStart(_) => {
                self.stack.clear();
                self.document = Some(OpenDocument {
                    start,
                    root: None,
                    failed: false,
                    anchors: BTreeMap::new(),
                    decoded: 0,
                    aliased: 0,
                });
                ControlFlow::Continue(())
            }
            Event::DocumentEnd => {
                self.end_document(start);
                ControlFlow::Continue(())
            }
            Event::Scalar(text, style, anchor, tag) => self.scalar(text, style, anchor, tag.as_deref(), start, end),
            Event::Alias(id) => self.alias(id, start, end),
            Event::SequenceStart(anchor, _) => self.open(start, end, anchor, FrameKind::Sequence(Vec::new())),
            Event::MappingStart(anchor, _) => {
                self.open(start, end, anchor, FrameKind::Mapping { pairs: Vec::new(), key: None })
            }
            Event::SequenceEnd | Event::MappingEnd => self.close(start, end),
        };
        self.previous_end = end;
        flow
    }

    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        start: usize,
        end: usize,
    ) -> ControlFlow<()> {
        let is_key = self.expects_key();
        let block = matches!(style, ScalarStyle::Literal | ScalarStyle::Folded);
        // saphyr starts a block scalar at its content; the span should start at `|` or `>`
        // (unless a tag or anchor comes first, where saphyr already starts it).
        let start = if block && tag.is_none() && anchor == 0 {
            self.find_indicator(self.previous_end, start, &['|', '>']).unwrap_or(start)
        } else {
            start
        };
        let end = if block { self.trim_trailing_space(start, end) } else { end };
        let span = self.source.span(start, end);
        let tag = tag.map(long_tag);
        let merge = is_key
            && text == "<<"
            && match &tag {
                None => style == ScalarStyle::Plain,
                Some(tag) => tag == "tag:yaml.org,2002:merge",
            };
        // saphyr hands over each scalar's text in a buffer of its own: a string keeps it.
        let value = match &tag {
            None if style == ScalarStyle::Plain => resolve::plain(text),
            None => Value::Str(text.into_owned()),
            Some(tag) => resolve::tagged(tag, &text).unwrap_or_else(|message| {
                self.fail(span, message, "remove the tag or change the value to match it");
                Value::Str(text.into_owned())
            }),
        };
        if let Value::Float(f) = value {
            if !f.is_finite() && !is_key {
                let message = format!("json: unsupported value: {}", gofmt::float_v(f));
                self.fail(span, message, "JSON has no infinity or NaN; quote the value to keep it as text");
            }
        }
        if let Some(document) = &mut self.document {
            document.decoded += 1;
        }
        let node = Node { span, value };
        if anchor > 0 {
            self.remember(anchor, &node, 0, 1);
        }
        self.push(node, merge, false)
    }

    fn alias(&mut self, id: usize, start: usize, end: usize) -> ControlFlow<()> {
        let span = self.source.span(start, end);
        let name: String = self.source.chars(start + 1, end).map(|(_, c)| c).collect();
        let depth = self.stack.len();
        let inside_own_value = self.stack.iter().any(|frame| frame.anchor == id);
        let Some(document) = &mut self.document else {
            return ControlFlow::Continue(());
        };
        let Some(anchored) = document.anchors.get(&id) else {
            let message = if inside_own_value {
                format!("anchor '{name}' value contains itself")
            } else {
                format!("unknown anchor '{name}' referenced")
            };
            let hint = "an alias can only refer to an anchor defined before it in the same document";
            self.fail(span, message, hint);
            // A stand-in that raises no further error: null is a fine value but not a key.
            let value = if self.expects_key() { Value::Str(format!("*{name}")) } else { Value::Null };
            return self.push(Node { span, value }, false, true);
        };
        document.decoded += anchored.size;
        document.aliased += anchored.size;
        let excessive = document.aliased > 100
            && document.decoded > 1000
            && document.aliased as f64 / document.decoded as f64 > allowed_alias_ratio(document.decoded);
        let too_deep = depth + anchored.height > MAX_DEPTH;
        if too_deep {
            return self.fatal(span, format!("exceeded max depth of {MAX_DEPTH}"), DEPTH_HINT);
        }
        if excessive {
            let hint = "its aliases expand to far more nodes than the document holds";
            return self.fatal(span, "document contains excessive aliasing".into(), hint);
        }
        // Copied only now that the copy is known to be allowed.
        let value = self.document.as_ref().and_then(|d| d.anchors.get(&id)).map(|a| a.node.value.clone());
        self.push(Node { span, value: value.unwrap_or(Value::Null) }, false, true)
    }

    fn open(&mut self, start: usize, end: usize, anchor: usize, kind: FrameKind) -> ControlFlow<()> {
        if self.stack.len() >= MAX_DEPTH {
            let span = self.source.span(start, end);
            return self.fatal(span, format!("exceeded max depth of {MAX_DEPTH}"), DEPTH_HINT);
        }
        if let Some(document) = &mut self.document {
            document.decoded += 1;
        }
        // saphyr starts an indentless sequence (`key:` then `- item` at the key's indentation)
        // at its first item; the span should start at the `-`.
        let at_dash = self.source.chars(start, start + 1).any(|(_, c)| c == '-');
        let start = match kind {
            FrameKind::Sequence(_) if start == end && !at_dash => {
                self.find_indicator(self.previous_end, start, &['-']).unwrap_or(start)
            }
            _ => start,
        };
        let last_end = self.source.pos(end.max(start));
        self.stack.push(Frame { start, anchor, last_end, kind });
        ControlFlow::Continue(())
    }

    fn close(&mut self, start: usize, end: usize) -> ControlFlow<()> {
        let Some(frame) = self.stack.pop() else {
            return ControlFlow::Continue(());
        };
        // A flow collection ends with its `]` or `}`; a block one where its last child ends.
        let end = if end > start { self.source.pos(end) } else { frame.last_end };
        let span = Span { start: self.source.pos(frame.start), end };
        let value = match frame.kind {
            FrameKind::Sequence(items) => Value::Seq(items),
            FrameKind::Mapping { pairs, .. } => Value::Map(self.mapping(pairs)),
        };
        let node = Node { span, value };
        if frame.anchor > 0 {
            let (height, size) = measure(&node);
            self.remember(frame.anchor, &node, height, size);
        }
        self.push(node, false, false)
    }

    /// Adds a finished node to the collection being composed, or makes it the root.
    fn push(&mut self, node: Node, merge: bool, is_alias: bool) -> ControlFlow<()> {
        match self.stack.last_mut() {
            None => {
                if let Some(document) = &mut self.document {
                    document.root = Some(node);
                }
            }
            Some(frame) => {
                frame.last_end = node.span.end;
                match &mut frame.kind {
                    FrameKind::Sequence(items) => items.push(node),
                    FrameKind::Mapping { pairs, key } => match key.take() {
                        None => *key = Some(Key { node, merge }),
                        Some(key) => pairs.push(Pair { key, value: node, value_is_alias: is_alias }),
                    },
                }
            }
        }
        ControlFlow::Continue(())
    }

    /// Resolves a mapping's pairs into its entries: merges applied, keys made JSON keys,
    /// duplicates reported.
    fn mapping(&mut self, pairs: Vec<Pair>) -> Vec<(Node, Node)> {
        if plain_string_keys(&pairs) {
            return pairs.into_iter().map(|Pair { key, value, .. }| (key.node, value)).collect();
        }
        let mut entries = Entries::with_capacity(pairs.len());
        for Pair { key, value, value_is_alias } in pairs {
            if key.merge {
                self.merge(&mut entries, value, value_is_alias);
                continue;
            }
            let span = key.node.span;
            // A key that is not a string is printed as written in the duplicate-key message.
            let number_or_bool = match &key.node.value {
                Value::Int(_) | Value::Float(_) | Value::Bool(_) => Some(key.node.value.clone()),
                _ => None,
            };
            let Some(name) = self.key_name(key.node) else {
                continue;
            };
            if let Some(first) = entries.written(&name) {
                let shown = number_or_bool.unwrap_or_else(|| Value::Str(name.clone())).api_repr();
                let message = format!("key {shown} already set in map");
                let hint = format!(
                    "it is first set on line {}; kubectl apply would silently keep only the last value",
                    first.line
                );
                self.fail(span, message, hint);
            }
            entries.set(Node { span, value: Value::Str(name) }, value, Some(span.start));
        }
        entries.into_vec()
    }

    /// go-yaml v2's `merge`: a mapping, or a (non-alias) list of mappings applied last to
    /// first so that earlier ones win.
    fn merge(&mut self, entries: &mut Entries, value: Node, is_alias: bool) {
        let span = value.span;
        match value.value {
            Value::Map(map) => map.into_iter().for_each(|(k, v)| entries.set(k, v, None)),
            Value::Seq(items) if !is_alias && items.iter().all(|i| matches!(i.value, Value::Map(_))) => {
                for item in items.into_iter().rev() {
                    if let Value::Map(map) = item.value {
                        map.into_iter().for_each(|(k, v)| entries.set(k, v, None));
                    }
                }
            }
            _ => self.fail(
                span,
                "map merge requires map or sequence of maps as the value",
                "`<<` takes a mapping (`<<: *base`) or a list of mappings (`<<: [*a, *b]`)",
            ),
        }
    }

    /// The JSON object key for a YAML key, as sigs.k8s.io/yaml's `convertToJSONableObject`
    /// makes it; `None` (after reporting) for keys JSON cannot have.
    fn key_name(&mut self, key: Node) -> Option<String> {
        match key.value {
            Value::Str(s) => Some(s),
            Value::Int(i) => Some(i.to_string()),
            Value::Float(f) => Some(gofmt::float_key(f)),
            Value::Bool(b) => Some(b.to_string()),
            Value::Null => {
                self.fail(
                    key.span,
                    "invalid map key: null",
                    "an empty or `~` key is null, which JSON cannot hold; quote it",
                );
                None
            }
            Value::Seq(_) | Value::Map(_) => {
                let message = format!("invalid map key: an {} cannot be a key", key.value.type_name());
                self.fail(key.span, message, "keys must be strings, numbers or booleans");
                None
            }
        }
    }

    fn end_document(&mut self, at: usize) {
        self.stack.clear();
        let Some(document) = self.document.take() else {
            return;
        };
        if self.cut_at.is_some_and(|cut| at >= cut) {
            return;
        }
        let Some(root) = document.root else {
            return;
        };
        // kubectl skips a document that is empty, only comments, or `null`.
        if root.value == Value::Null {
            return;
        }
        let index = self.non_empty;
        self.non_empty += 1;
        if !document.failed {
            let span = Span { start: self.source.pos(document.start), end: root.span.end };
            self.documents.push(Document { index, span, root });
        }
    }

    fn expects_key(&self) -> bool {
        matches!(self.stack.last(), Some(Frame { kind: FrameKind::Mapping { key: None, .. }, .. }))
    }

    fn remember(&mut self, anchor: usize, node: &Node, height: usize, size: usize) {
        if let Some(document) = &mut self.document {
            document.anchors.insert(anchor, Anchored { node: node.clone(), height, size });
        }
    }

    /// Reports an error that makes go-yaml reject the document; composing goes on.
    fn fail(&mut self, span: Span, message: impl Into<String>, hint: impl Into<String>) {
        self.diagnostics.push(Diagnostic::error(self.file, span, "", message).with_hint(hint));
        if let Some(document) = &mut self.document {
            document.failed = true;
        }
    }

    /// Reports an error after which composing stops.
    fn fatal(&mut self, span: Span, message: String, hint: &str) -> ControlFlow<()> {
        self.diagnostics.push(Diagnostic::error(self.file, span, "", message).with_hint(hint));
        self.document = None;
        self.stack.clear();
        ControlFlow::Break(())
    }

    /// The first of `indicators` between two character indices that starts a token: after a
    /// blank, outside comments and outside anchors, aliases and tags.
    fn find_indicator(&self, from: usize, to: usize, indicators: &[char]) -> Option<usize> {
        let (mut in_comment, mut in_property, mut after_blank) = (false, false, true);
        for (i, c) in self.source.chars(from, to) {
            let blank = c.is_whitespace();
            if in_comment {
                in_comment = !matches!(c, '\n' | '\r');
            } else if in_property {
                in_property = !blank;
            } else if after_blank && indicators.contains(&c) {
                return Some(i);
            } else if after_blank && c == '#' {
                in_comment = true;
            } else if after_blank && matches!(c, '&' | '*' | '!') {
                in_property = true;
            }
            after_blank = blank;
        }
        None
    }

    /// `end` moved back over trailing blanks and line breaks, but not before `start`.
    fn trim_trailing_space(&self, start: usize, end: usize) -> usize {
        let chars: Vec<char> = self.source.chars(start, end).map(|(_, c)| c).collect();
        end.max(start) - chars.iter().rev().take_while(|c| c.is_whitespace()).count()
    }
}

pub(super) const DEPTH_HINT: &str = "kubeplay accepts at most 255 levels of nested lists and mappings";

/// go-yaml v2's `allowedAliasRatio`: 99% of decoded nodes may come from aliases in documents
/// up to 400,000 nodes, falling linearly to 10% at 4,000,000.
fn allowed_alias_ratio(decoded: usize) -> f64 {
    const LOW: f64 = 400_000.0;
    const HIGH: f64 = 4_000_000.0;
    let decoded = decoded as f64;
    if decoded <= LOW {
        0.99
    } else if decoded >= HIGH {
        0.10
    } else {
        0.99 - 0.89 * ((decoded - LOW) / (HIGH - LOW))
    }
}

/// The long form of a tag as go-yaml compares it: `tag:yaml.org,2002:int` for `!!int`,
/// `!custom` for a local tag, `!` for the non-specific tag.
fn long_tag(tag: &Tag) -> String {
    if tag.handle == "!" {
        format!("!{}", tag.suffix)
    } else {
        format!("{}{}", tag.handle, tag.suffix)
    }
}

/// Whether a mapping's pairs are already its entries: every key a string (so it is its own JSON
/// key), none a merge key, none written twice. Most mappings are; the others go through
/// [`Entries`]. Past [`SCAN_LIMIT`] keys, the pairwise comparison is not tried.
fn plain_string_keys(pairs: &[Pair]) -> bool {
    pairs.len() <= SCAN_LIMIT
        && pairs.iter().enumerate().all(|(i, pair)| {
            let Some(name) = pair.key.node.as_str().filter(|_| !pair.key.merge) else { return false };
            pairs[..i].iter().all(|earlier| earlier.key.node.as_str() != Some(name))
        })
}

/// The height (levels of nesting) and size (number of nodes) of a tree.
fn measure(node: &Node) -> (usize, usize) {
    let children: Vec<&Node> = match &node.value {
        Value::Seq(items) => items.iter().collect(),
        Value::Map(entries) => entries.iter().flat_map(|(k, v)| [k, v]).collect(),
        _ => return (0, 1),
    };
    let (height, size) =
        children.into_iter().map(measure).fold((0, 1), |(h, s), (child_h, child_s)| (h.max(child_h), s + child_s));
    (height + 1, size)
}

/// Mapping entries with unique keys; setting a key again replaces its entry and moves it to the
/// end, as writing a Go map key again replaces its value. Each key also keeps where it was
/// first written in the mapping itself (not merged in), for the duplicate-key hint.
struct Entries {
    slots: Vec<Option<Slot>>,
    /// The slot of each key, once there are too many entries to search them one by one.
    index: Option<BTreeMap<String, usize>>,
}

struct Slot {
    key: Node,
    value: Node,
    written: Option<Pos>,
}

/// Up to this many slots, a key is found by comparing it with each; beyond, through an index.
const SCAN_LIMIT: usize = 16;

impl Entries {
    fn with_capacity(capacity: usize) -> Self {
        Entries { slots: Vec::with_capacity(capacity), index: None }
    }

    /// The slot holding `name`, if any.
    fn find(&self, name: &str) -> Option<usize> {
        match &self.index {
            Some(index) => index.get(name).copied(),
            None => self.slots.iter().position(|slot| slot.as_ref().is_some_and(|s| s.key.as_str() == Some(name))),
        }
    }

    /// Where `name` was first written in the mapping itself, if it was.
    fn written(&self, name: &str) -> Option<Pos> {
        self.find(name).and_then(|i| self.slots[i].as_ref()).and_then(|slot| slot.written)
    }

    /// Sets `key` to `value`; `written` is where the mapping writes it, `None` for a merged key.
    fn set(&mut self, key: Node, value: Node, written: Option<Pos>) {
        let name = key.as_str().unwrap_or_default();
        let previous = self.find(name).and_then(|i| self.slots[i].take());
        let written = previous.and_then(|p| p.written).or(written);
        let at = self.slots.len();
        match &mut self.index {
            Some(index) => {
                index.insert(name.to_string(), at);
            }
            None if at >= SCAN_LIMIT => {
                let mut index: BTreeMap<String, usize> = self
                    .slots
                    .iter()
                    .enumerate()
                    .filter_map(|(i, slot)| Some((slot.as_ref()?.key.as_str()?.to_string(), i)))
                    .collect();
                index.insert(name.to_string(), at);
                self.index = Some(index);
            }
            None => {}
        }
        self.slots.push(Some(Slot { key, value, written }));
    }

    fn into_vec(self) -> Vec<(Node, Node)> {
        self.slots.into_iter().flatten().map(|slot| (slot.key, slot.value)).collect()
    }
}

//! YAML syntax errors as diagnostics a learner can act on.
//!
//! saphyr's messages descend from libyaml's, as go-yaml's do, so most are kept as they are
//! (go-yaml, and so kubectl, prints `yaml: line 3: mapping values are not allowed in this
//! context`). A few are reworded to go-yaml's wording where saphyr has its own, each with a
//! hint. Positions are saphyr's, except where saphyr points past the culprit: a missing `:`
//! (noticed on the line after its key) is moved to the start of the key, a refused tab to the
//! tab, a misplaced list item to its `-`. One refusal is saphyr's alone, a tab after a key's
//! `:`; [`tab_after_key`] recognises it so that the text can be read again with a space there.

use std::ops::Range;

use saphyr_parser::ScanError;

use super::source::Source;
use crate::diag::Diagnostic;

/// The diagnostic for a syntax error saphyr reported.
pub(crate) fn diagnostic(file: &str, source: &Source, error: &ScanError) -> Diagnostic {
    let at = error.marker().index().min(source.char_len());
    let info = error.info();
    let (index, message, hint): (usize, String, &str) = match info {
        "simple key expect ':'" | "simple key expected" => (
            key_start(source, at),
            "could not find expected ':'".into(),
            "every line of a mapping needs `key: value`; is a ':' missing?",
        ),
        "tabs disallowed within this context (block indentation)"
        | "tab cannot be used as indentation"
        | "tabs disallowed in this context"
        | "while scanning a plain scalar, found a tab"
        | "a block scalar content cannot start with a tab" => {
            (at, "found a tab character that violates indentation".into(), "YAML indentation must use spaces, not tabs")
        }
        "':' must be followed by a valid YAML whitespace" | "'-' must be followed by a valid YAML whitespace" => (
            first_tab_before(source, at),
            "found a tab character that cannot start any token".into(),
            "separate ':' or '-' from what follows with a space, not a tab",
        ),
        "while parsing node, found unknown anchor" => {
            let name = alias_name(source, at);
            (at, format!("unknown anchor '{name}' referenced"), "define the anchor with `&name` before using `*name`")
        }
        "while parsing a block mapping, did not find expected key" => (
            dash_before(source, at),
            "did not find expected key".into(),
            "this line is not indented like the keys of the mapping it should belong to",
        ),
        "while parsing a block collection, did not find expected '-' indicator" => (
            at,
            "did not find expected '-' indicator".into(),
            "this line is not indented like the list items above it, which start with '- '",
        ),
        "while parsing a flow sequence, expected ',' or ']'" => {
            (at, "did not find expected ',' or ']'".into(), "a `[` list is not closed")
        }
        "while parsing a flow mapping, did not find expected ',' or '}'" => {
            (at, "did not find expected ',' or '}'".into(), "a `{` mapping is not closed")
        }
        "while scanning a quoted scalar, found unexpected end of stream" => {
            (at, "found unexpected end of stream while scanning a quoted scalar".into(), "this quote is never closed")
        }
        "while parsing a node, did not find expected node content" => (
            at,
            "did not find expected node content".into(),
            "a value is missing here, or a bracket or quote before it is not closed",
        ),
        "recursion limit exceeded" => {
            (at, format!("exceeded max depth of {}", super::compose::MAX_DEPTH), super::compose::DEPTH_HINT)
        }
        "unexpected eof" => (at, "unexpected end of file".into(), "something opened here is not closed"),
        _ if info.starts_with("mapping values are not allowed") => {
            (at, info.into(), "': ' starts a key here; quote the value if it contains ': ', or fix the indentation")
        }
        _ if info.starts_with("unexpected character") => (
            at,
            "found character that cannot start any token".into(),
            "'@' and '`' are reserved in YAML; quote the value",
        ),
        _ => (at, info.into(), ""),
    };
    let diagnostic = Diagnostic::error(file, source.span(index, index), "", message);
    if hint.is_empty() {
        diagnostic
    } else {
        diagnostic.with_hint(hint)
    }
}

/// Where the key that lacks its `:` starts. saphyr notices the missing `:` where the next
/// token begins, usually on a later line; the key is the first thing on the last line before
/// that which holds more than blanks or a comment. A key is on one line (YAML simple keys
/// cannot span lines), so when text precedes the error on its own line, the key starts there.
fn key_start(source: &Source, at: usize) -> usize {
    let line = source.line_of(at);
    let before_error = at - source.line_start(line);
    let text_before: String = source.line_text(line).chars().take(before_error).collect();
    let last_line = if text_before.trim().is_empty() { line.checked_sub(1) } else { Some(line) };
    last_line.and_then(|last| (0..=last).rev().find_map(|l| content_start(source, l))).unwrap_or(at)
}

/// The character index of the first character of 0-based line `line`, if the line holds more
/// than blanks or a comment.
fn content_start(source: &Source, line: usize) -> Option<usize> {
    let text = source.line_text(line);
    let content = text.trim_start();
    let indent = text.chars().count() - content.chars().count();
    (!content.is_empty() && !content.starts_with('#')).then(|| source.line_start(line) + indent)
}

/// The blanks between a key's `:` and its value, when saphyr refused them only because they
/// hold a tab.
///
/// go-yaml lets tabs separate a simple key's `:` from its value (`scannerc.go`:
/// `fetch_value` clears `simple_key_allowed`, and `scan_to_next_token` then eats tabs), so
/// `port:<tab>80` is valid for kubectl; saphyr refuses it. After a complex key (`? key` on one
/// line, `:` starting the next) go-yaml refuses the tab too, so that case is left an error.
pub(crate) fn tab_after_key(source: &Source, error: &ScanError) -> Option<Range<usize>> {
    if error.info() != "':' must be followed by a valid YAML whitespace" {
        return None;
    }
    let at = error.marker().index().min(source.char_len());
    let before = before_on_line(source, at);
    let (colon, rest) = before[..before.len() - trailing_blanks(&before)].split_last()?;
    let after_key = colon.1 == ':' && rest.iter().any(|&(_, c)| !c.is_whitespace());
    after_key.then(|| colon.0 + 1..at)
}

/// The first tab of the blanks that end at `at`: saphyr points past the tab that follows a
/// `:` or `-`, at the token after it.
fn first_tab_before(source: &Source, at: usize) -> usize {
    let before = before_on_line(source, at);
    before[before.len() - trailing_blanks(&before)..].iter().find(|&&(_, c)| c == '\t').map_or(at, |&(i, _)| i)
}

/// The `-` that starts the line of `at`, when only a `-` and blanks precede `at` there: saphyr
/// points at the item after a `- ` that cannot follow a mapping, not at the `-` itself.
fn dash_before(source: &Source, at: usize) -> usize {
    let before: Vec<(usize, char)> = before_on_line(source, at).into_iter().filter(|&(_, c)| c != ' ').collect();
    match before.as_slice() {
        [(dash, '-')] => *dash,
        _ => at,
    }
}

/// The characters of `at`'s line that come before it, with their indices.
fn before_on_line(source: &Source, at: usize) -> Vec<(usize, char)> {
    source.chars(source.line_start(source.line_of(at)), at).collect()
}

/// How many of the last characters are spaces or tabs.
fn trailing_blanks(chars: &[(usize, char)]) -> usize {
    chars.iter().rev().take_while(|&&(_, c)| c == ' ' || c == '\t').count()
}

/// The name of the alias (`*name`) that starts at character index `at`.
fn alias_name(source: &Source, at: usize) -> String {
    source
        .chars(at, source.char_len())
        .map(|(_, c)| c)
        .skip_while(|&c| c == '*')
        .take_while(|&c| !c.is_whitespace() && !matches!(c, ',' | '[' | ']' | '{' | '}'))
        .collect()
}

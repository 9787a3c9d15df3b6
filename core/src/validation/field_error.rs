//! Field errors: what the API server says is wrong with one field, as a value.
//!
//! The API server reports a rejected object as a list of `<field path>: <body>` lines, the
//! body being a fixed phrase for the error kind (`Invalid value`, `Required value`, ...),
//! often the offending value, and often a detail sentence. [`FieldError`] is the closed set
//! of those kinds and its `Display` prints exactly the body; the path lives beside it in
//! [`PathError`] and, once located in a file, in [`Diagnostic::field`].
//!
//! Upstream: `k8s.io/apimachinery/pkg/util/validation/field/errors.go` (`ErrorBody`,
//! `ErrorType.String`, and the constructors `Invalid`, `Required`, `NotSupported`,
//! `Duplicate`, `NotFound`, `Forbidden`, `TooLong`, `TooMany`). The kinds upstream has that
//! the model has no use for are left out: `Internal` (not about user input), `TypeInvalid`
//! (only raised by CRD schema validation), `TooShort` and `TooFew` (no built-in networking
//! field uses them).
//!
//! Guarantees: values are echoed the way upstream's `ErrorBody` echoes them — strings with
//! Go's `%q`, integers and booleans bare, lists as Go's `encoding/json` writes them.

use std::fmt::{self, Write as _};

use crate::diag::{Diagnostic, Span};

/// A value as the API server echoes it back in an error message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ShownValue {
    /// A string, printed as Go's `%q` prints it: `"web"`.
    Str(String),
    /// An integer, printed bare: `80`.
    Int(i64),
    /// A boolean, printed bare: `true`.
    Bool(bool),
    /// A list of strings, printed as JSON: `["10.0.0.1","None"]`.
    StrList(Vec<String>),
    /// A composite value already rendered as the API server prints it with Go's `%#v`
    /// (`map[string]string{"app":"web"}`), shown as is.
    Raw(String),
}

impl From<&str> for ShownValue {
    fn from(value: &str) -> Self {
        ShownValue::Str(value.to_string())
    }
}

impl From<String> for ShownValue {
    fn from(value: String) -> Self {
        ShownValue::Str(value)
    }
}

impl From<i64> for ShownValue {
    fn from(value: i64) -> Self {
        ShownValue::Int(value)
    }
}

impl From<bool> for ShownValue {
    fn from(value: bool) -> Self {
        ShownValue::Bool(value)
    }
}

impl From<Vec<String>> for ShownValue {
    fn from(value: Vec<String>) -> Self {
        ShownValue::StrList(value)
    }
}

/// `"web"`, `80`, `true`, `["a","b"]`: the value as it appears after `Invalid value: `.
impl fmt::Display for ShownValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ShownValue::Str(s) => f.write_str(&go_quote(s)),
            ShownValue::Int(n) => write!(f, "{n}"),
            ShownValue::Bool(b) => write!(f, "{b}"),
            ShownValue::Raw(text) => f.write_str(text),
            ShownValue::StrList(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    f.write_str(&json_quote(item))?;
                }
                f.write_char(']')
            }
        }
    }
}

/// What is wrong with one field: the closed set of error kinds the API server reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FieldError {
    /// `Required value`, then `: detail` when there is one.
    Required { detail: String },
    /// `Invalid value: <value>`, then `: detail` when there is one.
    Invalid { value: ShownValue, detail: String },
    /// `Unsupported value: <value>`, then `: supported values: "A", "B"` when any are listed.
    NotSupported { value: ShownValue, supported: Vec<String> },
    /// `Duplicate value: <value>`.
    Duplicate { value: ShownValue },
    /// `Not found: <value>`.
    NotFound { value: ShownValue },
    /// `Forbidden`, then `: detail` when there is one.
    Forbidden { detail: String },
    /// `Too long: may not be more than <max> bytes`; the value itself is never echoed.
    TooLong { max: usize },
    /// `Too many: <actual>: must have at most <max> items`; without `actual` when unknown.
    TooMany { actual: Option<usize>, max: usize },
}

impl FieldError {
    /// `Invalid value: <value>: <detail>`.
    pub fn invalid(value: impl Into<ShownValue>, detail: impl Into<String>) -> FieldError {
        FieldError::Invalid { value: value.into(), detail: detail.into() }
    }

    /// `Required value: <detail>` (or just `Required value` for an empty detail).
    pub fn required(detail: impl Into<String>) -> FieldError {
        FieldError::Required { detail: detail.into() }
    }

    /// `Forbidden: <detail>`.
    pub fn forbidden(detail: impl Into<String>) -> FieldError {
        FieldError::Forbidden { detail: detail.into() }
    }

    /// `Unsupported value: <value>: supported values: ...`, listing `supported` in order.
    pub fn not_supported(value: impl Into<ShownValue>, supported: &[&str]) -> FieldError {
        FieldError::NotSupported { value: value.into(), supported: supported.iter().map(|s| s.to_string()).collect() }
    }

    /// The same error placed at field path `field`.
    pub fn at(self, field: impl Into<String>) -> PathError {
        PathError { field: field.into(), error: self }
    }

    /// An error diagnostic for `field` at `span` of `file`, with this error's body as message.
    pub fn into_diagnostic(self, file: &str, span: Span, field: &str) -> Diagnostic {
        Diagnostic::error(file, span, field, self.to_string())
    }
}

/// The body upstream's `ErrorBody` prints: kind, the value where the kind shows one, detail.
impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FieldError::Required { detail } => with_detail(f, "Required value", detail),
            FieldError::Invalid { value, detail } => {
                write!(f, "Invalid value: {value}")?;
                with_detail(f, "", detail)
            }
            FieldError::NotSupported { value, supported } => {
                write!(f, "Unsupported value: {value}")?;
                if !supported.is_empty() {
                    f.write_str(": supported values: ")?;
                    for (i, s) in supported.iter().enumerate() {
                        if i > 0 {
                            f.write_str(", ")?;
                        }
                        f.write_str(&go_quote(s))?;
                    }
                }
                Ok(())
            }
            FieldError::Duplicate { value } => write!(f, "Duplicate value: {value}"),
            FieldError::NotFound { value } => write!(f, "Not found: {value}"),
            FieldError::Forbidden { detail } => with_detail(f, "Forbidden", detail),
            FieldError::TooLong { max } => {
                write!(f, "Too long: may not be more than {max} {}", plural(*max, "byte", "bytes"))
            }
            FieldError::TooMany { actual, max } => {
                f.write_str("Too many")?;
                if let Some(actual) = actual {
                    write!(f, ": {actual}")?;
                }
                write!(f, ": must have at most {max} {}", plural(*max, "item", "items"))
            }
        }
    }
}

/// A field error together with the field path it is about (`spec.ports[0].port`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PathError {
    /// The field path as kubectl prints it.
    pub field: String,
    /// What is wrong there.
    pub error: FieldError,
}

impl PathError {
    /// An error diagnostic at `span` of `file` carrying this path and message.
    pub fn into_diagnostic(self, file: &str, span: Span) -> Diagnostic {
        self.error.into_diagnostic(file, span, &self.field)
    }
}

/// `spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive`, as upstream's
/// `Error()` prints one error.
impl fmt::Display for PathError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.error)
    }
}

/// Writes `head`, then `: detail` unless the detail is empty.
fn with_detail(f: &mut fmt::Formatter<'_>, head: &str, detail: &str) -> fmt::Result {
    f.write_str(head)?;
    if !detail.is_empty() {
        write!(f, ": {detail}")?;
    }
    Ok(())
}

/// `one` when `n` is 1, `many` otherwise, as upstream words its limits.
fn plural(n: usize, one: &'static str, many: &'static str) -> &'static str {
    if n == 1 {
        one
    } else {
        many
    }
}

/// `s` quoted as Go's `strconv.Quote` (and so `%q`) quotes it.
///
/// Printable characters stay as they are; the rest become `\n`-style escapes, `\xNN` below
/// U+0080, `\uNNNN` or `\UNNNNNNNN`. Go decides printability with Unicode tables
/// (`unicode.IsPrint`); we approximate them with the standard library's control and
/// whitespace classes plus the format and private-use ranges, so only code points that are
/// unassigned in Unicode may be shown differently from upstream.
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if is_go_printable(c) => out.push(c),
            '\u{07}' => out.push_str("\\a"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{0B}' => out.push_str("\\v"),
            c if (c as u32) < 0x80 => {
                let _ = write!(out, "\\x{:02x}", c as u32);
            }
            c if (c as u32) < 0x10000 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => {
                let _ = write!(out, "\\U{:08x}", c as u32);
            }
        }
    }
    out.push('"');
    out
}

/// Whether Go's `strconv.IsPrint` holds for `c`: letters, marks, numbers, punctuation,
/// symbols and the ASCII space.
fn is_go_printable(c: char) -> bool {
    if c == ' ' {
        return true;
    }
    if c.is_control() || c.is_whitespace() {
        return false;
    }
    !matches!(
        c as u32,
        // Format characters (Unicode category Cf).
        0x00AD
            | 0x0600..=0x0605
            | 0x061C
            | 0x06DD
            | 0x070F
            | 0x180E
            | 0x200B..=0x200F
            | 0x202A..=0x202E
            | 0x2060..=0x206F
            | 0xFEFF
            | 0xFFF9..=0xFFFB
            | 0x110BD
            | 0x1D173..=0x1D17A
            | 0xE0001
            | 0xE0020..=0xE007F
            // Private use (Co) and the noncharacters at the end of the BMP.
            | 0xE000..=0xF8FF
            | 0xFFFE..=0xFFFF
            | 0xF0000..=0x10FFFF
    )
}

/// `s` as Go's `encoding/json` writes a string: `<`, `>` and `&` HTML-escaped, control
/// characters as `\n`-style or `\u00NN` escapes, U+2028 and U+2029 escaped.
pub(crate) fn json_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{08}' => out.push_str("\\b"),
            '\u{0C}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || matches!(c, '<' | '>' | '&' | '\u{2028}' | '\u{2029}') => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expected strings follow Go's strconv.Quote rules (strconv/quote.go, appendEscapedRune).
    #[test]
    fn go_quote_escapes_like_strconv_quote() {
        let cases = [
            ("web", r#""web""#),
            ("", r#""""#),
            ("say \"hi\"", r#""say \"hi\"""#),
            ("back\\slash", r#""back\\slash""#),
            ("tab\there", r#""tab\there""#),
            ("bell\u{07}", r#""bell\a""#),
            ("nul\u{0}", r#""nul\x00""#),
            ("del\u{7f}", r#""del\x7f""#),
            ("Tama-nui-te-rā", "\"Tama-nui-te-rā\""),
            ("nbsp\u{a0}", r#""nbsp\u00a0""#),
            ("zwsp\u{200b}", r#""zwsp\u200b""#),
            ("bom\u{feff}", r#""bom\ufeff""#),
            ("emoji🙂", "\"emoji🙂\""),
            ("private\u{F0000}", r#""private\U000f0000""#),
        ];
        for (input, expected) in cases {
            assert_eq!(go_quote(input), expected, "input {input:?}");
        }
    }

    // Expected strings follow Go's encoding/json string encoding with HTML escaping on.
    #[test]
    fn json_quote_escapes_like_encoding_json() {
        let cases = [
            ("10.0.0.1", r#""10.0.0.1""#),
            ("a<b>&c", r#""a\u003cb\u003e\u0026c""#),
            ("line\nbreak", r#""line\nbreak""#),
            ("nul\u{0}", r#""nul\u0000""#),
            ("del\u{7f}", "\"del\u{7f}\""),
            ("sep\u{2028}", r#""sep\u2028""#),
            ("quote\"", r#""quote\"""#),
        ];
        for (input, expected) in cases {
            assert_eq!(json_quote(input), expected, "input {input:?}");
        }
    }
}

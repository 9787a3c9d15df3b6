//! What kubectl rejects before any YAML is parsed.
//!
//! Two checks run on the raw text, ahead of the YAML parser, because kubectl makes them
//! outside its YAML parser too:
//!
//! - kubectl splits a file into documents line by line (`YAMLReader.Read` in
//!   k8s.io/apimachinery `pkg/util/yaml/decoder.go`): a line starting with `---` separates
//!   documents, and anything on it after the `---` other than spaces and a comment is
//!   rejected with `invalid Yaml document separator: …`, so `--- {a: 1}` fails.
//! - go-yaml's reader refuses control characters (`readerc.go`: only tab, line feed, carriage
//!   return, printable ASCII, U+0085 and the non-surrogate code points from U+00A0 up, minus
//!   U+FFFE and U+FFFF, are allowed).
//!
//! kubectl stops at the first of these problems, and so does the parse: [`first_stop`] names
//! where parsing stops; the document that contains that point is not returned.

use super::source::Source;
use crate::diag::Diagnostic;

/// Where parsing stops, and why.
pub(crate) struct Stop {
    /// The character index at which the text stops being parsed.
    pub(crate) index: usize,
    pub(crate) diagnostic: Diagnostic,
}

/// The first point, if any, past which kubectl would not read `source`.
pub(crate) fn first_stop(file: &str, source: &Source) -> Option<Stop> {
    // In ASCII text a character is a byte, and most texts have no control character at all.
    let text = source.text();
    let clean = text.is_ascii() && text.bytes().all(|b| allowed(char::from(b)));
    let first_control = if clean { None } else { source.chars(0, source.char_len()).find(|&(_, c)| !allowed(c)) };
    let control = first_control.map(|(i, c)| {
        let diagnostic = Diagnostic::error(file, source.span(i, i + 1), "", "control characters are not allowed")
            .with_hint(format!("remove the invisible character U+{:04X}", c as u32));
        Stop { index: i, diagnostic }
    });
    let separator = bad_separator(file, source);
    match (control, separator) {
        (Some(a), Some(b)) => Some(if a.index <= b.index { a } else { b }),
        (a, b) => a.or(b),
    }
}

/// go-yaml's reader check (`readerc.go`, "control characters are not allowed").
fn allowed(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='~' | '\u{85}') || (c >= '\u{A0}' && !matches!(c, '\u{FFFE}' | '\u{FFFF}'))
}

/// The first line that starts with `---` and carries anything but spaces or a comment after it.
fn bad_separator(file: &str, source: &Source) -> Option<Stop> {
    let whole = source.text();
    let ascii = whole.is_ascii();
    // Each line (split at line feeds only, as kubectl's reader splits) with its first character
    // index; a line feed is one byte, so each line's bytes are a piece of the text.
    let mut lines = whole.as_bytes().split(|&b| b == b'\n').scan((0, 0), |(start, byte), line| {
        let text = &whole[*byte..*byte + line.len()];
        let at = *start;
        *byte += line.len() + 1;
        *start += if ascii { line.len() } else { text.chars().count() } + 1;
        Some((at, text))
    });
    lines.find_map(|(start, text)| {
        let rest = text.strip_prefix("---")?;
        let trimmed = rest.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            return None;
        }
        let from = start + 3 + rest.chars().take_while(|c| c.is_whitespace()).count();
        let to = from + trimmed.chars().count();
        let diagnostic =
            Diagnostic::error(file, source.span(from, to), "", format!("invalid Yaml document separator: {trimmed}"))
                .with_hint("kubectl only accepts a comment after `---`; start the content on the next line");
        Some(Stop { index: start, diagnostic })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stop(text: &str) -> Option<(usize, String)> {
        first_stop("f.yaml", &Source::new(text)).map(|s| (s.index, s.diagnostic.message))
    }

    #[test]
    fn separators_with_content_are_rejected_like_kubectl() {
        assert_eq!(stop("a: 1\n---\nb: 2\n--- # ok\n"), None);
        assert_eq!(stop("a: 1\n--- {b: 2}\n"), Some((5, "invalid Yaml document separator: {b: 2}".to_string())));
        assert_eq!(stop("a: 1\n----\n"), Some((5, "invalid Yaml document separator: -".to_string())));
    }

    #[test]
    fn control_characters_stop_the_parse_where_they_are() {
        assert_eq!(stop("a: \u{1}b\n"), Some((3, "control characters are not allowed".into())));
        assert_eq!(stop("a: \u{0}\n"), Some((3, "control characters are not allowed".into())));
        assert_eq!(stop("a: é\u{feff}\u{85}\t\r\n"), None);
        assert_eq!(stop("\u{7f}"), Some((0, "control characters are not allowed".into())));
    }
}

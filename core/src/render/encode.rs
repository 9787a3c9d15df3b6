//! `-o json` and `-o yaml` text from a `serde_json::Value`, byte for byte as kubectl writes it.
//!
//! JSON is Go's `json.MarshalIndent(obj, "", "    ")` (cli-runtime's `JSONPrinter`): four-space
//! indent, keys sorted, and Go's string escaping, which also escapes `<`, `>` and `&`. YAML is
//! what cli-runtime's `YAMLPrinter` gets from sigs.k8s.io/yaml, i.e. go-yaml v2's block style:
//! keys sorted, two-space indent, sequences not indented under their key, `{}`/`[]` for empty
//! collections. A string is written plain unless YAML 1.1 would read it as something else
//! (`"80"`, `"true"`, `""`, `"null"`, `"1e3"`, `"2024-01-01"`, `"1:20"` — go-yaml's `resolve`
//! table), in which case it is double-quoted; a string whose characters forbid a plain scalar
//! (an indicator first, `": "`, `" #"`, edge spaces) is single-quoted; one with control
//! characters or line breaks is double-quoted with escapes.
//!
//! A scalar that runs past column 80 (the emitter's `best_width`) is folded as go-yaml folds it:
//! at the first space after that column the line breaks instead, and the scalar continues on
//! the next line two columns right of its key or dash (`yaml_emitter_write_plain_scalar`,
//! `…_single_quoted_scalar`, `…_double_quoted_scalar`). A long scheduler message therefore
//! spans several lines.
//!
//! Both writers are ours rather than a crate's: they are short, and they must match Go's
//! output exactly (key order, quoting style, escapes, folding), which no Rust serializer
//! promises. Known difference from go-yaml: multi-line strings are double-quoted instead of `|`
//! blocks; the model's objects contain none.

use serde_json::{Map, Value};

/// `value` as kubectl's `-o json` prints it, with the final newline.
pub(crate) fn json(value: &Value) -> String {
    let mut out = String::new();
    write_json(&mut out, value, 0);
    out.push('\n');
    out
}

fn sorted(map: &Map<String, Value>) -> Vec<(&String, &Value)> {
    let mut entries: Vec<_> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
}

fn write_json(out: &mut String, value: &Value, depth: usize) {
    let indent = |out: &mut String, depth: usize| out.extend(std::iter::repeat_n("    ", depth));
    match value {
        Value::Array(items) if !items.is_empty() => {
            out.push_str("[\n");
            for (i, item) in items.iter().enumerate() {
                indent(out, depth + 1);
                write_json(out, item, depth + 1);
                out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push(']');
        }
        Value::Object(map) if !map.is_empty() => {
            out.push_str("{\n");
            let entries = sorted(map);
            for (i, (key, item)) in entries.iter().enumerate() {
                indent(out, depth + 1);
                json_string(out, key);
                out.push_str(": ");
                write_json(out, item, depth + 1);
                out.push_str(if i + 1 < entries.len() { ",\n" } else { "\n" });
            }
            indent(out, depth);
            out.push('}');
        }
        Value::Array(_) => out.push_str("[]"),
        Value::Object(_) => out.push_str("{}"),
        Value::String(s) => json_string(out, s),
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => out.push_str(&n.to_string()),
    }
}

/// Go's `encoding/json` string encoding with HTML escaping on (the default).
fn json_string(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '<' | '>' | '&' | '\u{2028}' | '\u{2029}' => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c if u32::from(c) < 0x20 => out.push_str(&format!("\\u{:04x}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
}

/// `value` as kubectl's `-o yaml` prints it.
pub(crate) fn yaml(value: &Value) -> String {
    let mut out = String::new();
    match value {
        Value::Object(map) if !map.is_empty() => yaml_mapping(&mut out, map, 0, false),
        Value::Array(items) if !items.is_empty() => yaml_sequence(&mut out, items, 0, false),
        scalar => {
            out.push_str(&yaml_scalar(scalar));
            out.push('\n');
        }
    }
    out
}

/// A block mapping at `indent`; with `inline_first`, the first key follows a `- ` already written.
fn yaml_mapping(out: &mut String, map: &Map<String, Value>, indent: usize, inline_first: bool) {
    for (i, (key, value)) in sorted(map).into_iter().enumerate() {
        if i > 0 || !inline_first {
            out.extend(std::iter::repeat_n(' ', indent));
        }
        out.push_str(&yaml_string(key));
        out.push(':');
        match value {
            Value::Object(inner) if !inner.is_empty() => {
                out.push('\n');
                yaml_mapping(out, inner, indent + 2, false);
            }
            Value::Array(items) if !items.is_empty() => {
                out.push('\n');
                yaml_sequence(out, items, indent, false);
            }
            scalar => {
                out.push(' ');
                let column = indent + key.chars().count() + 2;
                out.push_str(&fold(&yaml_scalar(scalar), column, indent + 2));
                out.push('\n');
            }
        }
    }
}

/// A block sequence whose dashes are at `indent`; `inline_first` as for [`yaml_mapping`].
fn yaml_sequence(out: &mut String, items: &[Value], indent: usize, inline_first: bool) {
    for (i, item) in items.iter().enumerate() {
        if i > 0 || !inline_first {
            out.extend(std::iter::repeat_n(' ', indent));
        }
        out.push_str("- ");
        match item {
            Value::Object(inner) if !inner.is_empty() => yaml_mapping(out, inner, indent + 2, true),
            Value::Array(inner) if !inner.is_empty() => yaml_sequence(out, inner, indent + 2, true),
            scalar => {
                out.push_str(&fold(&yaml_scalar(scalar), indent + 2, indent + 2));
                out.push('\n');
            }
        }
    }
}

/// go-yaml v2's `best_width`: past this column a scalar breaks at its next space.
const BEST_WIDTH: usize = 80;

/// Folds a scalar already written in its style (`styled`: plain, `'…'` or `"…"`) that starts at
/// `column`, continuing broken lines at `indent`. The emitter breaks at a space when the line
/// is already past [`BEST_WIDTH`], the previous character was not a space and the next one is
/// not; a quoted scalar never breaks at its first or last character, and a double-quoted one
/// escapes a space that would start the next line.
fn fold(styled: &str, column: usize, indent: usize) -> String {
    let chars: Vec<char> = styled.chars().collect();
    let quoted = matches!(chars.first(), Some('\'' | '"')) && chars.len() >= 2;
    let double = chars.first() == Some(&'"');
    let mut out = String::with_capacity(styled.len());
    let mut column = column;
    let mut after_space = false;
    for (k, &c) in chars.iter().enumerate() {
        if c != ' ' {
            out.push(c);
            column += 1;
            after_space = false;
            continue;
        }
        let inner = !quoted || (k > 1 && k + 2 < chars.len());
        let next_is_space = chars.get(k + 1) == Some(&' ');
        if inner && !after_space && column > BEST_WIDTH && (double || !next_is_space) {
            out.push('\n');
            out.extend(std::iter::repeat_n(' ', indent));
            column = indent;
            if double && next_is_space {
                out.push('\\');
                column += 1;
            }
        } else {
            out.push(' ');
            column += 1;
        }
        after_space = true;
    }
    out
}

fn yaml_scalar(value: &Value) -> String {
    match value {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => yaml_string(s),
        Value::Array(_) => "[]".to_string(),
        Value::Object(_) => "{}".to_string(),
    }
}

/// go-yaml v2's choice of scalar style for a string (`encoder.stringv`, then the emitter's
/// `yaml_emitter_select_scalar_style`).
fn yaml_string(s: &str) -> String {
    let special = s.chars().any(|c| c.is_control() || c == '\u{feff}');
    if special || resolves_to_non_string(s) || is_base60_float(s) {
        return double_quoted(s);
    }
    if plain_allowed(s) {
        s.to_string()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{7}' => out.push_str("\\a"),
            '\u{8}' => out.push_str("\\b"),
            '\u{b}' => out.push_str("\\v"),
            '\u{c}' => out.push_str("\\f"),
            '\u{1b}' => out.push_str("\\e"),
            '\u{feff}' => out.push_str("\\uFEFF"),
            c if c.is_control() && u32::from(c) <= 0xff => out.push_str(&format!("\\x{:02X}", u32::from(c))),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// go-yaml v2's `resolve("", s)` returns a tag other than `!!str`: the value would read back as a
/// null, bool, number or timestamp if written plain.
fn resolves_to_non_string(s: &str) -> bool {
    const WORDS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", "n", "N", "no", "No", "NO", "false",
        "False", "FALSE", "off", "Off", "OFF", "", "~", "null", "Null", "NULL", ".nan", ".NaN", ".NAN", ".inf", ".Inf",
        ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", "<<",
    ];
    if WORDS.contains(&s) {
        return true;
    }
    let Some(first) = s.chars().next() else { return true };
    if !(first.is_ascii_digit() || matches!(first, '+' | '-' | '.')) {
        return false;
    }
    let plain = s.replace('_', "");
    is_timestamp(s) || is_go_int(&plain) || is_yaml_float(&plain)
}

/// `strconv.ParseInt(s, 0, 64)` or `ParseUint` succeeds, or the `0b`/`-0b` binary forms.
fn is_go_int(s: &str) -> bool {
    let unsigned = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (digits, radix) = match unsigned.get(..2) {
        Some("0x" | "0X") => (&unsigned[2..], 16),
        Some("0o" | "0O") => (&unsigned[2..], 8),
        Some("0b" | "0B") => (&unsigned[2..], 2),
        _ if unsigned.len() > 1 && unsigned.starts_with('0') => (&unsigned[1..], 8),
        _ => (unsigned, 10),
    };
    !digits.is_empty() && digits.chars().all(|c| c.is_digit(radix))
}

/// go-yaml v2's `yamlStyleFloat`: `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`.
fn is_yaml_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (mantissa, exponent) = match s.find(['e', 'E']) {
        Some(i) => (&s[..i], Some(&s[i + 1..])),
        None => (s, None),
    };
    let digits = |t: &str| t.chars().all(|c| c.is_ascii_digit());
    let mantissa_ok = match mantissa.split_once('.') {
        Some(("", frac)) => !frac.is_empty() && digits(frac),
        Some((int, frac)) => !int.is_empty() && digits(int) && digits(frac),
        None => !mantissa.is_empty() && digits(mantissa),
    };
    let exponent_ok = exponent.is_none_or(|e| {
        let e = e.strip_prefix(['+', '-']).unwrap_or(e);
        !e.is_empty() && digits(e)
    });
    mantissa_ok && exponent_ok
}

/// go-yaml v2's `parseTimestamp` accepts `YYYY-M-D` dates, optionally with a time.
fn is_timestamp(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.len() < 8 || !bytes[..4].iter().all(u8::is_ascii_digit) || bytes[4] != b'-' {
        return false;
    }
    let date_end = s.find(['T', 't', ' ']).unwrap_or(s.len());
    let parts: Vec<&str> = s[..date_end].split('-').collect();
    parts.len() == 3 && parts[1..].iter().all(|p| (1..=2).contains(&p.len()) && p.chars().all(|c| c.is_ascii_digit()))
}

/// go-yaml's `isBase60Float`: `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`.
fn is_base60_float(s: &str) -> bool {
    let s = s.strip_prefix(['+', '-']).unwrap_or(s);
    let (s, fraction) = match s.split_once('.') {
        Some((head, frac)) => (head, Some(frac)),
        None => (s, None),
    };
    let mut parts = s.split(':');
    let head = parts.next().unwrap_or_default();
    let sixties: Vec<&str> = parts.collect();
    head.starts_with(|c: char| c.is_ascii_digit())
        && head.chars().all(|c| c.is_ascii_digit() || c == '_')
        && !sixties.is_empty()
        && sixties.iter().all(|p| match p.as_bytes() {
            [d] => d.is_ascii_digit(),
            [t, d] => (b'0'..=b'5').contains(t) && d.is_ascii_digit(),
            _ => false,
        })
        && fraction.is_none_or(|f| f.chars().all(|c| c.is_ascii_digit() || c == '_'))
}

/// The emitter's `block_plain_allowed` (`yaml_emitter_analyze_scalar`) for a one-line string.
fn plain_allowed(s: &str) -> bool {
    let chars: Vec<char> = s.chars().collect();
    let blank = |i: usize| chars.get(i).is_none_or(|c| *c == ' ');
    if s.starts_with("---") || s.starts_with("...") || chars.first() == Some(&' ') || chars.last() == Some(&' ') {
        return false;
    }
    chars.iter().enumerate().all(|(i, c)| match (i, c) {
        (0, '#' | ',' | '[' | ']' | '{' | '}' | '&' | '*' | '!' | '|' | '>' | '\'' | '"' | '%' | '@' | '`') => false,
        (0, '?' | '-') => !blank(1),
        (_, ':') => !blank(i + 1),
        (_, '#') => i == 0 || chars[i - 1] != ' ',
        _ => true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn json_is_go_marshal_indent_with_four_spaces_and_sorted_keys() {
        let value = json!({"kind": "List", "items": [], "metadata": {"resourceVersion": ""}, "a": [1, {"b": null}]});
        let expected = "{\n    \"a\": [\n        1,\n        {\n            \"b\": null\n        }\n    ],\n    \"items\": [],\n    \"kind\": \"List\",\n    \"metadata\": {\n        \"resourceVersion\": \"\"\n    }\n}\n";
        assert_eq!(json(&value), expected);
        assert_eq!(json(&json!("<none> & co")), "\"\\u003cnone\\u003e \\u0026 co\"\n");
    }

    #[test]
    fn yaml_is_go_yaml_v2_block_style() {
        let value = json!({
            "kind": "List",
            "items": [{"metadata": {"labels": {"app": "web"}, "name": "web"}, "ports": [{"port": 80}]}],
            "empty": {}, "none": [], "nested": [[1, 2], "x"],
        });
        let expected = "\
empty: {}
items:
- metadata:
    labels:
      app: web
    name: web
  ports:
  - port: 80
kind: List
nested:
- - 1
  - 2
- x
none: []
";
        assert_eq!(yaml(&value), expected);
    }

    #[test]
    fn strings_that_would_read_back_as_other_types_are_double_quoted() {
        for s in [
            "",
            "80",
            "true",
            "no",
            "ON",
            "null",
            "~",
            "1.5",
            ".5",
            "1e3",
            "0x1F",
            "0o17",
            "0755",
            "2024-01-01",
            "1:20",
            "+1",
            "-3",
        ] {
            assert_eq!(yaml_string(s), format!("\"{s}\""), "{s:?}");
        }
        for s in [
            "10.96.0.1",
            "web",
            "v1",
            "TCP",
            "<none>",
            "1.2.3",
            "08x",
            "a:b",
            ":8080",
            "-x",
            "fd00::1",
            "kubernetes.io/hostname",
        ] {
            assert_eq!(yaml_string(s), s, "{s:?}");
        }
    }

    #[test]
    fn scalars_past_column_80_fold_at_the_next_space_two_columns_right_of_their_key() {
        // go-yaml v2 (best_width 80), as `kubectl get pod -o yaml` prints an unschedulable pod's
        // PodScheduled message: folded after `control-plane:` (column 110) and `0/3 nodes`.
        let message =
            "0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane: }, \
                       2 node(s) didn't match Pod's node affinity/selector. preemption: 0/3 nodes are available: \
                       3 Preemption is not helpful for scheduling.";
        let value = json!({"conditions": [{"message": message, "type": "PodScheduled"}]});
        let expected = "\
conditions:
- message: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane:
    }, 2 node(s) didn''t match Pod''s node affinity/selector. preemption: 0/3 nodes
    are available: 3 Preemption is not helpful for scheduling.'
  type: PodScheduled
";
        assert_eq!(yaml(&value), expected);
        let plain = "word ".repeat(30);
        let folded = yaml(&json!({"k": plain.trim_end()}));
        assert!(folded.lines().all(|l| l.chars().count() <= 84), "{folded}");
        assert!(folded.lines().skip(1).all(|l| l.starts_with("  word")), "{folded}");
    }

    #[test]
    fn strings_that_cannot_be_plain_are_single_quoted() {
        for s in ["*", "- x", "a: b", "a #b", " lead", "trail ", "@x", "it's: here", "---"] {
            assert_eq!(yaml_string(s), format!("'{}'", s.replace('\'', "''")), "{s:?}");
        }
        assert_eq!(yaml_string("a\nb"), "\"a\\nb\"");
    }
}

//! Property tests: whatever the text, `parse_file` and a decoder walk over its documents never
//! panic, and every position they report lies inside the text and agrees with it.
//!
//! Three kinds of input: arbitrary strings, strings built from YAML fragments (indicators,
//! indentation, tabs, anchors, merge keys, separators, multi-byte and control characters), and
//! real manifests mutated by inserting, deleting and replacing such fragments. Set
//! `PROPTEST_CASES` to run more cases than the default.

use std::collections::HashMap;

use kubeplay_core::decode::{Decoder, Item};
use kubeplay_core::diag::{Pos, Span};
use kubeplay_core::yaml::{parse_file, Node, Value};
use proptest::prelude::*;
use proptest::sample::Index;

const FRAGMENTS: &[&str] = &[
    "key:",
    "key: ",
    "key:\t",
    "- ",
    "  ",
    "    ",
    "\n",
    "\n  ",
    "\n- ",
    "\n    - ",
    "{",
    "}",
    "[",
    "]",
    "\"",
    "'",
    ",",
    ":",
    ": ",
    "? ",
    "#",
    " # c",
    "|",
    "|-",
    ">",
    ">+2",
    "&a ",
    "*a",
    "&b ",
    "*b",
    "<<: ",
    "<<: *a",
    "<<: [*a, *b]",
    "---",
    "\n---\n",
    "--- x",
    "...",
    "\t",
    "\t- ",
    "!!str ",
    "!!int ",
    "!!float ",
    "!!null ",
    "!x ",
    "! ",
    "%YAML 1.1\n",
    "%TAG !e! tag:e,2000:\n",
    "~",
    "null",
    "80",
    "yes",
    "on",
    "y",
    "0x1F",
    "0755",
    "1e3",
    ".inf",
    ".nan",
    "-",
    "é",
    "日本",
    "☸",
    "\r\n",
    "\r",
    "\u{feff}",
    "\u{a0}",
    "\u{85}",
    "\u{2028}",
    "\0",
    "\u{7}",
    "@",
    "`",
    "%",
    "\\",
    "\"\\u00e9\"",
    "'it''s'",
    "name",
    "port",
    "ports",
    "labels",
    "metadata",
    "spec",
    "app",
];

const SEEDS: &[&str] = &[
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    app: web\nspec:\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n",
    "base: &b {port: 80, name: x}\nsvc:\n  <<: *b\n  ports: [1, 2, {a: b}]\n  note: |\n    text\n---\n# c\n---\nkind: Pod\nspec: {containers: [{name: c, ports: [{containerPort: 8080}]}]}\n",
    "a: \"quoted \\\" string\"\nb: 'single'\nc: >-\n  folded\n  text\nd: !!int \"42\"\ne: [*x]\n",
];

/// The byte offset of every valid `(line, column)`, computed independently of the crate:
/// lines end at `\n`, `\r\n` or a lone `\r`; a column may point one past a line's last character.
fn positions(text: &str) -> HashMap<(u32, u32), usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut map = HashMap::new();
    let (mut line, mut column) = (1, 1);
    for (i, &(offset, c)) in chars.iter().enumerate() {
        map.insert((line, column), offset);
        let next = chars.get(i + 1).map(|&(_, c)| c);
        if c == '\n' || (c == '\r' && next != Some('\n')) {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    map.insert((line, column), text.len());
    map
}

fn check_pos(valid: &HashMap<(u32, u32), usize>, pos: Pos, what: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(valid.get(&(pos.line, pos.column)), Some(&pos.offset), "{} at {:?}", what, pos);
    Ok(())
}

fn check_span(valid: &HashMap<(u32, u32), usize>, span: Span, what: &str) -> Result<(), TestCaseError> {
    check_pos(valid, span.start, what)?;
    check_pos(valid, span.end, what)?;
    prop_assert!(span.start.offset <= span.end.offset, "{} span backwards: {:?}", what, span);
    Ok(())
}

fn check_node(valid: &HashMap<(u32, u32), usize>, node: &Node) -> Result<(), TestCaseError> {
    check_span(valid, node.span, "node")?;
    match &node.value {
        Value::Seq(items) => items.iter().try_for_each(|item| check_node(valid, item)),
        Value::Map(entries) => entries.iter().try_for_each(|(k, v)| {
            prop_assert!(k.as_str().is_some(), "non-string key {:?}", k);
            check_node(valid, k)?;
            check_node(valid, v)
        }),
        _ => Ok(()),
    }
}

/// Reads a node with every kind of getter, recursing into a few keys, leaving the rest to be
/// reported as unknown fields.
fn walk(d: &mut Decoder, item: &Item, depth: usize) {
    if depth > 6 {
        return;
    }
    match item.node.value {
        Value::Seq(_) => {
            for element in d.seq(item).unwrap_or_default() {
                walk(d, &element, depth + 1);
            }
        }
        _ => {
            let Some(mut reader) = d.map(item) else { return };
            let _ = reader.str(d, "name");
            let _ = reader.str(d, "kind");
            let _ = reader.int(d, "replicas");
            let _ = reader.int32(d, "port");
            let _ = reader.bool(d, "y");
            let _ = reader.int_or_string(d, "targetPort");
            let _ = reader.string_map(d, "labels");
            let _ = reader.string_map(d, "selector");
            reader.ignore(&["apiVersion"]);
            for key in ["metadata", "spec", "ports", "key", "a", "base", "svc"] {
                if let Some(child) = reader.raw(key) {
                    walk(d, &child, depth + 1);
                }
            }
            if let Some(mut child) = reader.map(d, "containers") {
                let _ = child.int32(d, "containerPort");
                child.finish(d);
            }
            reader.finish(d);
        }
    }
}

fn check_text(text: &str) -> Result<(), TestCaseError> {
    let valid = positions(text);
    let parsed = parse_file("fuzz.yaml", text);
    for diagnostic in &parsed.diagnostics {
        check_span(&valid, diagnostic.span, &diagnostic.to_string())?;
    }
    let mut d = Decoder::new("fuzz.yaml", text);
    for document in &parsed.documents {
        check_span(&valid, document.span, "document")?;
        check_node(&valid, &document.root)?;
        walk(&mut d, &Item::root(&document.root), 0);
    }
    for diagnostic in d.into_diagnostics() {
        check_span(&valid, diagnostic.span, &diagnostic.to_string())?;
        prop_assert!(!diagnostic.message.is_empty());
    }
    Ok(())
}

fn fragments() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(FRAGMENTS), 0..60).prop_map(|parts| parts.concat())
}

/// A seed manifest with a few fragments inserted, characters deleted or characters replaced.
fn mutated() -> impl Strategy<Value = String> {
    let edit = (any::<Index>(), 0..3u8, prop::sample::select(FRAGMENTS));
    (prop::sample::select(SEEDS), prop::collection::vec(edit, 1..8)).prop_map(|(seed, edits)| {
        let mut text = seed.to_string();
        for (at, op, fragment) in edits {
            let boundaries: Vec<usize> = text.char_indices().map(|(b, _)| b).chain([text.len()]).collect();
            let i = at.index(boundaries.len());
            let start = boundaries[i];
            let end = boundaries[(i + if op == 1 { 3 } else { 1 }).min(boundaries.len() - 1)];
            match op {
                0 => text.insert_str(start, fragment),
                1 => text.replace_range(start..end, ""),
                _ => text.replace_range(start..end, fragment),
            }
        }
        text
    })
}

proptest! {
    #[test]
    fn arbitrary_strings_never_panic_and_positions_are_inside(text in any::<String>()) {
        check_text(&text)?;
    }

    #[test]
    fn yaml_fragments_never_panic_and_positions_are_inside(text in fragments()) {
        check_text(&text)?;
    }

    #[test]
    fn mutated_manifests_never_panic_and_positions_are_inside(text in mutated()) {
        check_text(&text)?;
    }
}

#[test]
fn the_seeds_parse_cleanly_so_mutations_start_from_valid_yaml() {
    for seed in &SEEDS[..2] {
        let parsed = parse_file("seed.yaml", seed);
        assert!(parsed.diagnostics.is_empty(), "{seed}: {:?}", parsed.diagnostics);
    }
}

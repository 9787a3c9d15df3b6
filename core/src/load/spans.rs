//! Finding the span of a field by its path, so that checks made after decoding (allocation
//! conflicts, cross-object warnings) can still point at the exact text.
//!
//! Spans are looked up only when a problem must be located, which is rare, so nothing is
//! indexed ahead of time: [`find`] walks the document's tree along the path it is given,
//! visiting only the nodes whose path is a prefix of it.

use crate::diag::Span;
use crate::yaml::{Node, Value};

/// The span of the value whose field path, as kubectl prints it (`spec.ports[0].nodePort`),
/// is exactly `path`; `None` when no field or list element of `root` has that path.
///
/// Each mapping key is one field segment (`.key`, or `key` at the top), whatever characters it
/// holds, and each list element an index segment (`[0]`). A key with a `.` or `[` in it can
/// therefore print the same path as a nested field; the node that comes last in document order
/// (parents before their children) is the one found.
pub fn find(root: &Node, path: &str) -> Option<Span> {
    let mut found = None;
    visit(root, true, path, &mut found);
    found
}

/// Looks for `rest`, the part of the path not yet matched, below `node`; `top` says whether no
/// segment has been matched yet (the first field segment prints without its `.`).
fn visit(node: &Node, top: bool, rest: &str, found: &mut Option<Span>) {
    match &node.value {
        Value::Map(entries) => {
            for (key, value) in entries {
                let name = key.as_str().unwrap_or_default();
                let after = if top { Some(rest) } else { rest.strip_prefix('.') };
                let Some(after) = after.and_then(|r| r.strip_prefix(name)) else { continue };
                // Every segment after the first prints at least one character, so a node whose
                // path is the whole of `path` has no descendant with the same path.
                if after.is_empty() {
                    *found = Some(value.span);
                } else {
                    visit(value, false, after, found);
                }
            }
        }
        Value::Seq(items) => {
            let Some((index, after)) = index_segment(rest) else { return };
            let Some(item) = items.get(index) else { return };
            if after.is_empty() {
                *found = Some(item.span);
            } else {
                visit(item, false, after, found);
            }
        }
        _ => {}
    }
}

/// Splits `[<index>]` off the start of `rest`, the index written as a list index prints
/// (decimal, no sign, no leading zero).
fn index_segment(rest: &str) -> Option<(usize, &str)> {
    let inner = rest.strip_prefix('[')?;
    let close = inner.find(']')?;
    let digits = &inner[..close];
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits.len() == 1 || !digits.starts_with('0'));
    if !canonical {
        return None;
    }
    Some((digits.parse().ok()?, &inner[close + 1..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decode::FieldPath;
    use crate::yaml::parse_file;
    use std::collections::BTreeMap;

    /// Every field and list element of `root` by printed path, a later one replacing an earlier
    /// one with the same path: what [`find`] must agree with.
    fn index(root: &Node) -> BTreeMap<String, Span> {
        fn walk(node: &Node, path: FieldPath, out: &mut BTreeMap<String, Span>) {
            match &node.value {
                Value::Map(entries) => {
                    for (key, value) in entries {
                        let child = path.field_named(key.as_str().unwrap_or_default());
                        out.insert(child.to_string(), value.span);
                        walk(value, child, out);
                    }
                }
                Value::Seq(items) => {
                    for (i, item) in items.iter().enumerate() {
                        let child = path.index(i);
                        out.insert(child.to_string(), item.span);
                        walk(item, child, out);
                    }
                }
                _ => {}
            }
        }
        let mut out = BTreeMap::new();
        walk(root, FieldPath::root(), &mut out);
        out
    }

    fn root(text: &str) -> Node {
        let parsed = parse_file("t.yaml", text);
        assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
        parsed.documents.into_iter().next().expect("one document").root
    }

    #[test]
    fn finds_every_indexed_path_and_nothing_else() {
        let texts = [
            "metadata:\n  name: web\n  labels:\n    app.kubernetes.io/name: web\nspec:\n  ports:\n  - port: 80\n    targetPort: http\n  - port: 443\n",
            // Keys that print like nested paths: the later node in document order wins.
            "a.b: 1\na:\n  b: 2\n  c: [x, y]\n\"a[0]\": 3\n",
            "a:\n  b: 2\na.b: 1\n",
            // An empty key at the top prints as nothing.
            "\"\": {x: 1}\n\"y\": {\"\": 2}\n",
            "- a\n- [b, {c: d}]\n",
            "l: [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]\n",
        ];
        for text in texts {
            let root = root(text);
            let index = index(&root);
            for (path, span) in &index {
                assert_eq!(find(&root, path), Some(*span), "{path} in {text:?}");
            }
            let missing =
                ["", "a.", "a.b.c", "l[01]", "l[13]", "l[-1]", "l[]", "l[1", "[2]", "spec.ports[0].name", "zz"];
            for missing in missing {
                assert_eq!(find(&root, missing), index.get(missing).copied(), "{missing} in {text:?}");
            }
        }
    }
}

//! The span of every field of a document, by field path, so that checks made after decoding
//! (allocation conflicts, cross-object warnings) can still point at the exact text.

use crate::decode::FieldPath;
use crate::diag::Span;
use crate::yaml::{Node, Value};
use std::collections::BTreeMap;

/// Every field and list element of `root`, keyed by its path as kubectl prints it, mapped to
/// the span of its value.
pub fn index(root: &Node) -> BTreeMap<String, Span> {
    fn walk(node: &Node, path: FieldPath, out: &mut BTreeMap<String, Span>) {
        match &node.value {
            Value::Map(entries) => {
                for (key, value) in entries {
                    let child = path.field(key.as_str().unwrap_or_default());
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

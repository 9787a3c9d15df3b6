//! Small readers shared by the lesson file's parts: required fields, enumerated values and
//! label maps, each reporting through the field decoder so every problem has a position.

use crate::api::Labels;
use crate::decode::{Decoder, FieldPath, Item, Spanned};
use crate::diag::Span;
use crate::validation::FieldError;

/// The decoder of one lesson file.
pub(super) struct Reader<'a> {
    pub d: Decoder<'a>,
}

/// `value`, or a "Required value" error at `path.key` (placed at the enclosing object's `span`).
pub(super) fn required<T>(
    r: &mut Reader,
    span: Span,
    path: &FieldPath,
    key: &'static str,
    value: Option<T>,
) -> Option<T> {
    if value.is_none() {
        r.d.error(span, &path.field(key), "Required value");
    }
    value
}

/// `text` when it is one of `supported`, else the API server's "Unsupported value" error.
pub(super) fn enum_value<'s>(
    r: &mut Reader,
    span: Span,
    path: &FieldPath,
    text: &str,
    supported: &[&'s str],
) -> Option<&'s str> {
    let found = supported.iter().find(|s| **s == text).copied();
    if found.is_none() {
        r.d.error(span, path, FieldError::not_supported(text, supported).to_string());
    }
    found
}

/// A label map (`app: web`); absent reads as empty.
pub(super) fn labels(r: &mut Reader, item: Option<&Item>) -> Option<Labels> {
    let Some(item) = item else { return Some(Labels::new()) };
    let pairs = r.d.string_map(item)?;
    Some(pairs.into_iter().map(|(k, v): (Spanned<String>, Spanned<String>)| (k.value, v.value)).collect())
}

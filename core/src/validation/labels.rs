//! Label keys and values: the vocabulary selectors are written in.
//!
//! A label key (upstream: a "qualified name") is an optional DNS-subdomain prefix and a `/`,
//! then a name of at most 63 bytes made of alphanumerics, `-`, `_` and `.` that starts and ends
//! alphanumeric (`app`, `app.kubernetes.io/name`). A label value is the same shape as that
//! name part, or empty. Unlike object names, both allow upper case.
//!
//! Upstream: `k8s.io/apimachinery/pkg/api/validate/content/kube.go` (`IsLabelKey`,
//! `IsLabelValue`; `util/validation`'s `IsQualifiedName` and `IsValidLabelValue` now
//! delegate to them) and `k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go`
//! (`ValidateLabels`, `ValidateLabelName`). Each string validator returns the upstream
//! detail messages in upstream order; an empty list means valid.

use super::names::dns1123_subdomain;
use super::{max_bytes_error, regex_error, FieldError, PathError, EMPTY_ERROR};

/// The longest name part of a label key, and the longest label value, in bytes.
pub const LABEL_MAX_LEN: usize = 63;

const LABEL_KEY_REGEX: &str = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const LABEL_KEY_MSG: &str =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
const LABEL_KEY_EXAMPLES: [&str; 3] = ["MyName", "my.name", "123-abc"];
const LABEL_VALUE_REGEX: &str = "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?";
const LABEL_VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

/// Checks a label key (`[prefix/]name`), as upstream's `IsQualifiedName` does.
pub fn qualified_name(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let parts: Vec<&str> = value.split('/').collect();
    let name = match parts.as_slice() {
        [name] => *name,
        [prefix, name] => {
            if prefix.is_empty() {
                errs.push(format!("prefix part {EMPTY_ERROR}"));
            } else {
                errs.extend(dns1123_subdomain(prefix).into_iter().map(|m| format!("prefix part {m}")));
            }
            *name
        }
        _ => {
            return vec![format!(
                "a valid label key {} with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')",
                regex_error(LABEL_KEY_MSG, LABEL_KEY_REGEX, &LABEL_KEY_EXAMPLES)
            )]
        }
    };
    if name.is_empty() {
        errs.push(format!("name part {EMPTY_ERROR}"));
    } else if name.len() > LABEL_MAX_LEN {
        errs.push(format!("name part {}", max_bytes_error(LABEL_MAX_LEN)));
    }
    if !is_label_name_shape(name) {
        errs.push(format!("name part {}", regex_error(LABEL_KEY_MSG, LABEL_KEY_REGEX, &LABEL_KEY_EXAMPLES)));
    }
    errs
}

/// Checks a label value: empty, or a label-key name part of at most 63 bytes.
pub fn label_value(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > LABEL_MAX_LEN {
        errs.push(max_bytes_error(LABEL_MAX_LEN));
    }
    if !(value.is_empty() || is_label_name_shape(value)) {
        errs.push(regex_error(LABEL_VALUE_MSG, LABEL_VALUE_REGEX, &["MyValue", "my_value", "12345"]));
    }
    errs
}

/// Checks a label map at `path` (`metadata.labels`, `spec.selector.matchLabels`), in entry order.
///
/// As upstream's `ValidateLabels` does, every error is reported at the map's own path and
/// echoes the offending key or value.
pub fn labels(entries: &[(String, String)], path: &str) -> Vec<PathError> {
    let mut errs = Vec::new();
    for (key, value) in entries {
        errs.extend(label_key_errors(key, path));
        errs.extend(label_value(value).into_iter().map(|m| FieldError::invalid(value.as_str(), m).at(path)));
    }
    errs
}

/// Upstream's `ValidateLabelName`: each `qualified_name` message as `Invalid` at `path`.
pub(super) fn label_key_errors(key: &str, path: &str) -> Vec<PathError> {
    qualified_name(key).into_iter().map(|m| FieldError::invalid(key, m).at(path)).collect()
}

/// Whether `value` matches `([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]`, whatever its length.
fn is_label_name_shape(value: &str) -> bool {
    let bytes = value.as_bytes();
    bytes.first().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.last().is_some_and(u8::is_ascii_alphanumeric)
        && bytes.iter().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

//! Validation primitives, worded like the Kubernetes API server.
//!
//! The model must reject what the API server rejects, and say so in the sentences a learner
//! will later meet in real `kubectl` output and paste into a search engine. This module holds
//! the building blocks for that: [`FieldError`], the closed set of error kinds the API server
//! reports after a field path (`Invalid value: 80: ...`, `Required value`, ...), and pure
//! string validators for the formats Kubernetes uses everywhere (DNS names, label keys and
//! values, port numbers and names, IP addresses and CIDRs, label selectors, object metadata).
//!
//! Guarantees:
//! - Every validator is a pure function of its input; it never panics on user input.
//! - A validator returns the API server's detail messages in the API server's order; an empty
//!   list means the value is valid. The wording is taken from the upstream Go sources named
//!   in each submodule, and tests pin every message.
//! - Lengths are counted in bytes, as upstream's `len()` counts them.
//!
//! Upstream is part-way through moving these functions from `k8s.io/apimachinery/pkg/util/validation`
//! into `k8s.io/apimachinery/pkg/api/validate/content`, which says `must be no more than 63 bytes`
//! where the older code said `... 63 characters`. We follow the newest source of each function:
//! DNS-1123 labels and subdomains, label keys and label values have moved (bytes); DNS-1035
//! labels and port names have not (characters).

pub mod field_error;
pub mod labels;
pub mod meta;
pub mod names;
pub mod network;
pub mod ports;
pub mod selector;

pub use field_error::{FieldError, PathError, ShownValue};

/// `must be non-empty`, upstream's `EmptyError()`.
const EMPTY_ERROR: &str = "must be non-empty";

/// The length message of the `content` package's `MaxLenError`.
fn max_bytes_error(max: usize) -> String {
    format!("must be no more than {max} bytes")
}

/// The length message of `util/validation`'s own `MaxLenError`.
fn max_chars_error(max: usize) -> String {
    format!("must be no more than {max} characters")
}

/// Upstream's `RegexError`: the rule in words, then examples and the regex it is checked with.
///
/// The examples are joined as `'a',  or 'b', ` (with two spaces) because upstream appends
/// `', '` after each example and `' or '` before every one but the first.
fn regex_error(msg: &str, regex: &str, examples: &[&str]) -> String {
    let mut out = String::from(msg);
    if examples.is_empty() {
        out.push_str(" (regex used for validation is '");
    } else {
        out.push_str(" (e.g. ");
        for (i, example) in examples.iter().enumerate() {
            if i > 0 {
                out.push_str(" or ");
            }
            out.push('\'');
            out.push_str(example);
            out.push_str("', ");
        }
        out.push_str("regex used for validation is '");
    }
    out.push_str(regex);
    out.push_str("')");
    out
}

/// The path of field `name` inside the object at `path`, as kubectl prints it.
fn child(path: &str, name: &str) -> String {
    if path.is_empty() {
        name.to_string()
    } else {
        format!("{path}.{name}")
    }
}

/// The path of element `index` of the list at `path`, as kubectl prints it.
fn index(path: &str, index: usize) -> String {
    format!("{path}[{index}]")
}

//! Port numbers and port names.
//!
//! A port number in a Service or container port is 1–65535. A port *name* is an IANA service
//! name (RFC 6335 `IANA_SVC_NAME`), restricted by Kubernetes to lower case: at most 15
//! characters of `[-a-z0-9]`, at least one letter (so it can never be mistaken for a number,
//! which is how `targetPort: http` and `targetPort: 8080` are told apart), and no hyphen at
//! either end or twice in a row.
//!
//! Upstream: `k8s.io/apimachinery/pkg/util/validation/validation.go` (`IsValidPortNum`,
//! `IsValidPortName`, `InclusiveRangeError`, and its own `MaxLenError`, which still says
//! "characters"). Each function returns the upstream detail messages in upstream order; an
//! empty list means valid.

use super::max_chars_error;

/// The longest port name, in bytes (upstream's message calls them characters).
pub const PORT_NAME_MAX_LEN: usize = 15;

/// Checks a port number: `must be between 1 and 65535, inclusive`.
pub fn port_number(port: i64) -> Vec<String> {
    if (1..=65535).contains(&port) {
        Vec::new()
    } else {
        vec!["must be between 1 and 65535, inclusive".to_string()]
    }
}

/// Checks a port name (IANA_SVC_NAME, lower case only), reporting every rule it breaks.
pub fn port_name(name: &str) -> Vec<String> {
    let bytes = name.as_bytes();
    let mut errs = Vec::new();
    if name.len() > PORT_NAME_MAX_LEN {
        errs.push(max_chars_error(PORT_NAME_MAX_LEN));
    }
    let charset_ok =
        !bytes.is_empty() && bytes.iter().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-');
    if !charset_ok {
        errs.push("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)".to_string());
    }
    if !bytes.iter().any(u8::is_ascii_lowercase) {
        errs.push("must contain at least one letter (a-z)".to_string());
    }
    if name.contains("--") {
        errs.push("must not contain consecutive hyphens".to_string());
    }
    if name.starts_with('-') || name.ends_with('-') {
        errs.push("must not begin or end with a hyphen".to_string());
    }
    errs
}

//! DNS-style names: the formats of object names, namespace names and label-key prefixes.
//!
//! Kubernetes names most objects after DNS: a Pod, Deployment, ConfigMap or NetworkPolicy
//! name is an RFC 1123 *subdomain* (dot-separated labels, at most 253 bytes), a Namespace name
//! is an RFC 1123 *label* (at most 63 bytes, no dots), and a Service name is an RFC 1035 label
//! (like an RFC 1123 label but starting with a letter), because it becomes a DNS name
//! `<service>.<namespace>.svc.cluster.local` and an environment-variable prefix.
//!
//! Upstream: `k8s.io/apimachinery/pkg/api/validate/content/dns.go` (`IsDNS1123Label`,
//! `IsDNS1123Subdomain`, wording "a lowercase RFC 1123 ...", lengths in bytes) and
//! `k8s.io/apimachinery/pkg/util/validation/validation.go` (`IsDNS1035Label`, lengths in
//! characters; `IsDNS1123SubdomainWithUnderscore`, the relaxed form pod DNS search domains
//! take, lengths in characters). Each function returns the upstream detail messages in
//! upstream order; an empty list means valid.

use super::{max_bytes_error, max_chars_error, regex_error};

/// The longest RFC 1123 label, in bytes.
pub const DNS1123_LABEL_MAX_LEN: usize = 63;
/// The longest RFC 1123 subdomain, in bytes.
pub const DNS1123_SUBDOMAIN_MAX_LEN: usize = 253;
/// The longest RFC 1035 label, in bytes.
pub const DNS1035_LABEL_MAX_LEN: usize = 63;

const DNS1123_LABEL_REGEX: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
const DNS1123_LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_REGEX: &str = "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
const DNS1123_SUBDOMAIN_UNDERSCORE_REGEX: &str =
    "_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*";
const DNS1123_SUBDOMAIN_UNDERSCORE_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character";
const DNS1035_LABEL_REGEX: &str = "[a-z]([-a-z0-9]*[a-z0-9])?";
const DNS1035_LABEL_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";

/// Checks an RFC 1123 label (Namespace names): `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, at most 63 bytes.
pub fn dns1123_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_LABEL_MAX_LEN {
        errs.push(max_bytes_error(DNS1123_LABEL_MAX_LEN));
    }
    if !is_label_shape(value) {
        // Upstream singles out a value that would be a valid subdomain: its only fault is dots.
        if is_subdomain_shape(value) {
            errs.push("must not contain dots".to_string());
        } else {
            errs.push(regex_error(DNS1123_LABEL_MSG, DNS1123_LABEL_REGEX, &["my-name", "123-abc"]));
        }
    }
    errs
}

/// Checks an RFC 1123 subdomain (most object names): dot-separated labels, at most 253 bytes.
pub fn dns1123_subdomain(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LEN {
        errs.push(max_bytes_error(DNS1123_SUBDOMAIN_MAX_LEN));
    }
    if !is_subdomain_shape(value) {
        errs.push(regex_error(DNS1123_SUBDOMAIN_MSG, DNS1123_SUBDOMAIN_REGEX, &["example.com"]));
    }
    errs
}

/// Checks an RFC 1123 subdomain whose labels may start with one `_` and contain `_`
/// (`_sip._tcp.example.com`), as pod `dnsConfig.searches` entries may since
/// `RelaxedDNSSearchValidation`: at most 253 characters.
pub fn dns1123_subdomain_with_underscore(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1123_SUBDOMAIN_MAX_LEN {
        errs.push(max_chars_error(DNS1123_SUBDOMAIN_MAX_LEN));
    }
    let label_ok = |label: &str| {
        let label = label.strip_prefix('_').unwrap_or(label);
        let bytes = label.as_bytes();
        let end_ok = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
        bytes.first().is_some_and(end_ok)
            && bytes.last().is_some_and(end_ok)
            && bytes.iter().all(|b| end_ok(b) || matches!(b, b'-' | b'_'))
    };
    if !value.split('.').all(label_ok) {
        errs.push(regex_error(DNS1123_SUBDOMAIN_UNDERSCORE_MSG, DNS1123_SUBDOMAIN_UNDERSCORE_REGEX, &["example.com"]));
    }
    errs
}

/// Checks an RFC 1035 label (Service names): `[a-z]([-a-z0-9]*[a-z0-9])?`, at most 63 bytes.
pub fn dns1035_label(value: &str) -> Vec<String> {
    let mut errs = Vec::new();
    if value.len() > DNS1035_LABEL_MAX_LEN {
        errs.push(max_chars_error(DNS1035_LABEL_MAX_LEN));
    }
    let starts_with_letter = value.bytes().next().is_some_and(|b| b.is_ascii_lowercase());
    if !(starts_with_letter && is_label_shape(value)) {
        errs.push(regex_error(DNS1035_LABEL_MSG, DNS1035_LABEL_REGEX, &["my-name", "abc-123"]));
    }
    errs
}

/// Whether `value` matches `[a-z0-9]([-a-z0-9]*[a-z0-9])?`, whatever its length.
fn is_label_shape(value: &str) -> bool {
    let bytes = value.as_bytes();
    let end_ok = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    bytes.first().is_some_and(end_ok)
        && bytes.last().is_some_and(end_ok)
        && bytes.iter().all(|b| end_ok(b) || *b == b'-')
}

/// Whether `value` is one or more label shapes joined by dots, whatever its length.
fn is_subdomain_shape(value: &str) -> bool {
    value.split('.').all(is_label_shape)
}

//! DNS-style name validators against the API server's exact messages.
//!
//! Expected strings are copied from upstream: `IsDNS1123Label` and `IsDNS1123Subdomain` in
//! k8s.io/apimachinery/pkg/api/validate/content/dns.go (messages; `MaxLenError` in
//! content/errors.go says "bytes"), and `IsDNS1035Label` in
//! k8s.io/apimachinery/pkg/util/validation/validation.go (whose `MaxLenError` says
//! "characters"). `RegexError` joins examples as `'a',  or 'b', ` with two spaces.

use kubeplay_core::validation::names::{dns1035_label, dns1123_label, dns1123_subdomain};

const LABEL_MSG: &str = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";

fn check(validator: fn(&str) -> Vec<String>, cases: &[(&str, &[&str])]) {
    for (input, expected) in cases {
        assert_eq!(validator(input), *expected, "input {input:?}");
    }
}

#[test]
fn dns1123_label_accepts_lowercase_alphanumerics_and_inner_hyphens() {
    check(dns1123_label, &[("web", &[]), ("123-abc", &[]), ("a--1--2--b", &[]), ("0", &[])]);
}

#[test]
fn dns1123_label_max_length_is_63_bytes() {
    let at_limit = "a".repeat(63);
    let over = "a".repeat(64);
    check(dns1123_label, &[(&at_limit, &[]), (&over, &["must be no more than 63 bytes"])]);
}

#[test]
fn dns1123_label_rejects_uppercase() {
    check(dns1123_label, &[("Web", &[LABEL_MSG]), ("wEB", &[LABEL_MSG])]);
}

#[test]
fn dns1123_label_must_start_and_end_alphanumeric() {
    check(dns1123_label, &[("-bad", &[LABEL_MSG]), ("bad-", &[LABEL_MSG]), ("-", &[LABEL_MSG])]);
}

#[test]
fn dns1123_label_rejects_empty_and_other_characters() {
    check(dns1123_label, &[("", &[LABEL_MSG]), ("a_b", &[LABEL_MSG]), ("a b", &[LABEL_MSG])]);
}

#[test]
fn dns1123_label_says_only_dots_are_wrong_for_a_valid_subdomain() {
    check(dns1123_label, &[("my.ns", &["must not contain dots"]), ("a..b", &[LABEL_MSG])]);
}

#[test]
fn dns1123_label_reports_length_and_format_together() {
    let long_dotted = format!("{}a", "a.".repeat(32));
    let long_upper = "A".repeat(64);
    check(
        dns1123_label,
        &[
            (&long_dotted, &["must be no more than 63 bytes", "must not contain dots"]),
            (&long_upper, &["must be no more than 63 bytes", LABEL_MSG]),
        ],
    );
}

#[test]
fn dns1123_subdomain_accepts_dotted_labels() {
    check(dns1123_subdomain, &[("web", &[]), ("web.default", &[]), ("1.2.3.4", &[])]);
}

#[test]
fn dns1123_subdomain_max_length_is_253_bytes() {
    let at_limit = "a".repeat(253);
    let over = "a".repeat(254);
    check(dns1123_subdomain, &[(&at_limit, &[]), (&over, &["must be no more than 253 bytes"])]);
}

#[test]
fn dns1123_subdomain_rejects_uppercase() {
    check(dns1123_subdomain, &[("Example.com", &[SUBDOMAIN_MSG]), ("web.Default", &[SUBDOMAIN_MSG])]);
}

#[test]
fn dns1123_subdomain_rejects_empty_labels() {
    check(
        dns1123_subdomain,
        &[("", &[SUBDOMAIN_MSG]), ("a..b", &[SUBDOMAIN_MSG]), (".a", &[SUBDOMAIN_MSG]), ("a.", &[SUBDOMAIN_MSG])],
    );
}

#[test]
fn dns1123_subdomain_labels_must_start_and_end_alphanumeric() {
    check(dns1123_subdomain, &[("-bad", &[SUBDOMAIN_MSG]), ("bad-.com", &[SUBDOMAIN_MSG])]);
}

#[test]
fn dns1123_subdomain_reports_length_and_format_together() {
    let over = "A".repeat(254);
    check(dns1123_subdomain, &[(&over, &["must be no more than 253 bytes", SUBDOMAIN_MSG])]);
}

#[test]
fn dns1035_label_must_start_with_a_letter() {
    check(dns1035_label, &[("web", &[]), ("abc-123", &[]), ("123-abc", &[DNS1035_MSG]), ("1web", &[DNS1035_MSG])]);
}

#[test]
fn dns1035_label_max_length_is_63_characters() {
    let at_limit = "a".repeat(63);
    let over = "a".repeat(64);
    check(dns1035_label, &[(&at_limit, &[]), (&over, &["must be no more than 63 characters"])]);
}

#[test]
fn dns1035_label_has_no_special_message_for_dots() {
    check(dns1035_label, &[("my.svc", &[DNS1035_MSG])]);
}

#[test]
fn dns1035_label_rejects_uppercase_empty_and_trailing_hyphen() {
    check(dns1035_label, &[("Web", &[DNS1035_MSG]), ("", &[DNS1035_MSG]), ("web-", &[DNS1035_MSG])]);
}

proptest::proptest! {
    #[test]
    fn a_valid_label_is_a_valid_subdomain(s in "[-a-z0-9.A-Z_]{0,70}") {
        if dns1123_label(&s).is_empty() {
            proptest::prop_assert!(dns1123_subdomain(&s).is_empty());
        }
        if dns1035_label(&s).is_empty() {
            proptest::prop_assert!(dns1123_label(&s).is_empty());
        }
    }
}

//! Port number and port name validators against the API server's exact messages.
//!
//! Expected strings are copied from upstream `IsValidPortNum` (`InclusiveRangeError(1, 65535)`)
//! and `IsValidPortName` in k8s.io/apimachinery/pkg/util/validation/validation.go, whose own
//! `MaxLenError` says "characters".

use kubeplay_core::validation::ports::{port_name, port_number};

const RANGE_MSG: &str = "must be between 1 and 65535, inclusive";
const TOO_LONG_MSG: &str = "must be no more than 15 characters";
const CHARSET_MSG: &str = "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)";
const LETTER_MSG: &str = "must contain at least one letter (a-z)";
const DOUBLE_HYPHEN_MSG: &str = "must not contain consecutive hyphens";
const EDGE_HYPHEN_MSG: &str = "must not begin or end with a hyphen";

fn check_names(cases: &[(&str, &[&str])]) {
    for (input, expected) in cases {
        assert_eq!(port_name(input), *expected, "input {input:?}");
    }
}

#[test]
fn port_number_range_is_1_to_65535_inclusive() {
    let cases: [(i64, &[&str]); 6] =
        [(0, &[RANGE_MSG]), (1, &[]), (80, &[]), (65535, &[]), (65536, &[RANGE_MSG]), (-1, &[RANGE_MSG])];
    for (input, expected) in cases {
        assert_eq!(port_number(input), expected, "input {input}");
    }
}

#[test]
fn port_name_accepts_iana_service_names() {
    check_names(&[("http", &[]), ("re-mail-ck", &[]), ("pop3", &[]), ("a", &[]), ("1-a", &[]), ("a-1-b-2-c", &[])]);
}

#[test]
fn port_name_max_length_is_15_characters() {
    let at_limit = "a".repeat(15);
    let over = "a".repeat(16);
    check_names(&[(&at_limit, &[]), (&over, &[TOO_LONG_MSG]), ("longerthan15characters", &[TOO_LONG_MSG])]);
}

#[test]
fn port_name_requires_a_letter() {
    check_names(&[("8080", &[LETTER_MSG]), ("1-2-3-4", &[LETTER_MSG])]);
}

#[test]
fn port_name_rejects_consecutive_hyphens() {
    check_names(&[("two--hyphens", &[DOUBLE_HYPHEN_MSG])]);
}

#[test]
fn port_name_must_not_begin_or_end_with_a_hyphen() {
    check_names(&[("-begin", &[EDGE_HYPHEN_MSG]), ("end-", &[EDGE_HYPHEN_MSG])]);
}

#[test]
fn port_name_allows_only_lowercase_alphanumerics_and_hyphens() {
    check_names(&[("web_ui", &[CHARSET_MSG]), ("whois++", &[CHARSET_MSG]), ("HTTP", &[CHARSET_MSG, LETTER_MSG])]);
}

#[test]
fn port_name_empty_breaks_charset_and_letter_rules() {
    check_names(&[("", &[CHARSET_MSG, LETTER_MSG])]);
}

#[test]
fn port_name_reports_every_rule_it_breaks_in_upstream_order() {
    check_names(&[
        ("-", &[LETTER_MSG, EDGE_HYPHEN_MSG]),
        ("--", &[LETTER_MSG, DOUBLE_HYPHEN_MSG, EDGE_HYPHEN_MSG]),
        ("-1234567890--_-x", &[TOO_LONG_MSG, CHARSET_MSG, DOUBLE_HYPHEN_MSG, EDGE_HYPHEN_MSG]),
    ]);
}

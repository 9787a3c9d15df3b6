//! Label key and value validators against the API server's exact messages.
//!
//! Expected strings are copied from upstream `IsLabelKey` and `IsLabelValue` in
//! k8s.io/apimachinery/pkg/api/validate/content/kube.go (which `util/validation`'s
//! `IsQualifiedName` and `IsValidLabelValue` now are), the prefix messages from `IsDNS1123Subdomain`
//! in content/dns.go, and the map behaviour from `ValidateLabels` in
//! k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go.

use kubeplay_core::validation::labels::{label_value, labels, qualified_name};

const NAME_PART_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const PREFIX_SUBDOMAIN_MSG: &str = "prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const TOO_MANY_SLASHES_MSG: &str = "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
const VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

fn check(validator: fn(&str) -> Vec<String>, cases: &[(&str, &[&str])]) {
    for (input, expected) in cases {
        assert_eq!(validator(input), *expected, "input {input:?}");
    }
}

#[test]
fn qualified_name_accepts_plain_and_prefixed_keys() {
    check(
        qualified_name,
        &[
            ("app", &[]),
            ("example.com/app", &[]),
            ("app.kubernetes.io/name", &[]),
            ("Uppercase_Is_OK_123", &[]),
            ("example.com/Uppercase_Is_OK", &[]),
            ("1234/5678", &[]),
        ],
    );
}

#[test]
fn qualified_name_name_part_allows_inner_dots_dashes_underscores() {
    check(qualified_name, &[("a..b", &[]), ("a-_.b", &[]), ("example.com/a..b", &[])]);
}

#[test]
fn qualified_name_name_part_must_start_and_end_alphanumeric() {
    check(
        qualified_name,
        &[("-bad", &[NAME_PART_MSG]), ("bad-", &[NAME_PART_MSG]), ("example.com/_app", &[NAME_PART_MSG])],
    );
}

#[test]
fn qualified_name_name_part_max_length_is_63_bytes() {
    let at_limit = "a".repeat(63);
    let over = "a".repeat(64);
    let prefixed_over = format!("example.com/{over}");
    check(
        qualified_name,
        &[
            (&at_limit, &[]),
            (&over, &["name part must be no more than 63 bytes"]),
            (&prefixed_over, &["name part must be no more than 63 bytes"]),
        ],
    );
}

#[test]
fn qualified_name_name_part_must_be_non_empty() {
    check(
        qualified_name,
        &[
            ("", &["name part must be non-empty", NAME_PART_MSG]),
            ("example.com/", &["name part must be non-empty", NAME_PART_MSG]),
        ],
    );
}

#[test]
fn qualified_name_prefix_must_be_non_empty() {
    check(qualified_name, &[("/app", &["prefix part must be non-empty"])]);
}

#[test]
fn qualified_name_prefix_must_be_a_lowercase_subdomain() {
    check(
        qualified_name,
        &[
            ("Example.com/app", &[PREFIX_SUBDOMAIN_MSG]),
            ("example_com/app", &[PREFIX_SUBDOMAIN_MSG]),
            ("a..b/app", &[PREFIX_SUBDOMAIN_MSG]),
        ],
    );
}

#[test]
fn qualified_name_prefix_max_length_is_253_bytes() {
    let at_limit = format!("{}/app", "a".repeat(253));
    let over = format!("{}/app", "a".repeat(254));
    check(qualified_name, &[(&at_limit, &[]), (&over, &["prefix part must be no more than 253 bytes"])]);
}

#[test]
fn qualified_name_reports_prefix_and_name_part_together() {
    check(qualified_name, &[("Example.com/-app", &[PREFIX_SUBDOMAIN_MSG, NAME_PART_MSG])]);
}

#[test]
fn qualified_name_allows_at_most_one_slash() {
    check(qualified_name, &[("only/one/slash", &[TOO_MANY_SLASHES_MSG]), ("a//b", &[TOO_MANY_SLASHES_MSG])]);
}

#[test]
fn label_value_may_be_empty() {
    check(label_value, &[("", &[])]);
}

#[test]
fn label_value_accepts_name_part_shapes_in_any_case() {
    check(label_value, &[("web", &[]), ("MyValue", &[]), ("my_value", &[]), ("12345", &[]), ("a..b", &[])]);
}

#[test]
fn label_value_max_length_is_63_bytes() {
    let at_limit = "a".repeat(63);
    let over = "a".repeat(64);
    check(label_value, &[(&at_limit, &[]), (&over, &["must be no more than 63 bytes"])]);
}

#[test]
fn label_value_must_start_and_end_alphanumeric() {
    check(
        label_value,
        &[("-bad", &[VALUE_MSG]), ("bad-", &[VALUE_MSG]), (".dot", &[VALUE_MSG]), ("under_", &[VALUE_MSG])],
    );
}

#[test]
fn label_value_rejects_other_characters() {
    check(label_value, &[("a/b", &[VALUE_MSG]), ("Tama-nui-te-rā", &[VALUE_MSG]), ("a b", &[VALUE_MSG])]);
}

#[test]
fn label_value_reports_length_and_format_together() {
    let over = format!("{}-", "a".repeat(63));
    check(label_value, &[(&over, &["must be no more than 63 bytes", VALUE_MSG])]);
}

#[test]
fn labels_reports_keys_and_values_at_the_map_path() {
    let entries = vec![
        ("app".to_string(), "web".to_string()),
        ("-bad".to_string(), "ok".to_string()),
        ("tier".to_string(), "bad-".to_string()),
    ];
    let lines: Vec<String> = labels(&entries, "metadata.labels").iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        [
            format!("metadata.labels: Invalid value: \"-bad\": {NAME_PART_MSG}"),
            format!("metadata.labels: Invalid value: \"bad-\": {VALUE_MSG}"),
        ]
    );
}

//! Label selector validation against the API server's exact errors.
//!
//! Expected strings follow upstream `ValidateLabelSelector`, `ValidateLabelSelectorRequirement`
//! (with `AllowInvalidLabelValueInSelector` false, as on create) and `ValidateLabels` in
//! k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go; the key and value details
//! come from content/kube.go, and the bodies from field/errors.go.

use kubeplay_core::validation::selector::{label_selector, LabelSelector, Requirement};

const NAME_PART_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
const VALUE_MSG: &str = "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

fn requirement(key: &str, operator: &str, values: &[&str]) -> Requirement {
    Requirement {
        key: key.to_string(),
        operator: operator.to_string(),
        values: values.iter().map(|v| v.to_string()).collect(),
    }
}

fn errors(selector: &LabelSelector) -> Vec<String> {
    label_selector(selector, "spec.selector").iter().map(ToString::to_string).collect()
}

fn expressions(requirements: Vec<Requirement>) -> LabelSelector {
    LabelSelector { match_labels: Vec::new(), match_expressions: requirements }
}

#[test]
fn selector_accepts_every_operator_used_correctly() {
    let selector = LabelSelector {
        match_labels: vec![("app".to_string(), "web".to_string())],
        match_expressions: vec![
            requirement("tier", "In", &["frontend", "backend"]),
            requirement("env", "NotIn", &["prod"]),
            requirement("example.com/canary", "Exists", &[]),
            requirement("legacy", "DoesNotExist", &[]),
        ],
    };
    assert_eq!(errors(&selector), Vec::<String>::new());
}

#[test]
fn selector_empty_is_valid() {
    assert_eq!(errors(&LabelSelector::default()), Vec::<String>::new());
}

#[test]
fn selector_in_and_notin_require_values() {
    let selector = expressions(vec![requirement("tier", "In", &[]), requirement("tier", "NotIn", &[])]);
    assert_eq!(
        errors(&selector),
        [
            "spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
            "spec.selector.matchExpressions[1].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        ]
    );
}

#[test]
fn selector_exists_and_doesnotexist_forbid_values() {
    let selector =
        expressions(vec![requirement("tier", "Exists", &["web"]), requirement("tier", "DoesNotExist", &["web"])]);
    assert_eq!(
        errors(&selector),
        [
            "spec.selector.matchExpressions[0].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
            "spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'",
        ]
    );
}

#[test]
fn selector_unknown_operator_is_invalid_and_case_sensitive() {
    let selector = expressions(vec![requirement("tier", "Equals", &["web"]), requirement("tier", "in", &["web"])]);
    assert_eq!(
        errors(&selector),
        [
            "spec.selector.matchExpressions[0].operator: Invalid value: \"Equals\": not a valid selector operator",
            "spec.selector.matchExpressions[1].operator: Invalid value: \"in\": not a valid selector operator",
        ]
    );
}

#[test]
fn selector_requirement_key_must_be_a_label_key() {
    let selector = expressions(vec![requirement("-tier", "Exists", &[])]);
    assert_eq!(
        errors(&selector),
        [format!("spec.selector.matchExpressions[0].key: Invalid value: \"-tier\": {NAME_PART_MSG}")]
    );
}

#[test]
fn selector_requirement_values_must_be_label_values() {
    let selector = expressions(vec![requirement("tier", "In", &["web", "bad-"])]);
    assert_eq!(
        errors(&selector),
        [format!("spec.selector.matchExpressions[0].values[1]: Invalid value: \"bad-\": {VALUE_MSG}")]
    );
}

#[test]
fn selector_match_labels_errors_are_reported_at_the_map() {
    let selector =
        LabelSelector { match_labels: vec![("app".to_string(), "-web".to_string())], match_expressions: Vec::new() };
    assert_eq!(errors(&selector), [format!("spec.selector.matchLabels: Invalid value: \"-web\": {VALUE_MSG}")]);
}

#[test]
fn selector_errors_come_in_upstream_order() {
    let selector = LabelSelector {
        match_labels: vec![("-app".to_string(), "web".to_string())],
        match_expressions: vec![requirement("-tier", "Equals", &["bad-"])],
    };
    assert_eq!(
        errors(&selector),
        [
            format!("spec.selector.matchLabels: Invalid value: \"-app\": {NAME_PART_MSG}"),
            "spec.selector.matchExpressions[0].operator: Invalid value: \"Equals\": not a valid selector operator"
                .to_string(),
            format!("spec.selector.matchExpressions[0].key: Invalid value: \"-tier\": {NAME_PART_MSG}"),
            format!("spec.selector.matchExpressions[0].values[0]: Invalid value: \"bad-\": {VALUE_MSG}"),
        ]
    );
}

#[test]
fn selector_at_the_root_path_has_no_leading_dot() {
    let selector = expressions(vec![requirement("tier", "In", &[])]);
    let lines: Vec<String> = label_selector(&selector, "").iter().map(ToString::to_string).collect();
    assert_eq!(
        lines,
        ["matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"]
    );
}

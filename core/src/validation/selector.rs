//! Label selectors: which shapes of `matchLabels` and `matchExpressions` the API server accepts.
//!
//! A selector (Deployment `spec.selector`, NetworkPolicy `podSelector` and `namespaceSelector`)
//! is a map of required labels plus a list of requirements `{key, operator, values}`. The
//! operators are `In` and `NotIn`, which need at least one value, and `Exists` and
//! `DoesNotExist`, which take none. Keys must be label keys and values label values.
//!
//! This module only validates; matching a selector against labels belongs to the model.
//! [`LabelSelector`] is a plain structure the typed API layer maps onto; its operator stays a
//! string so that an operator the API does not know can still be reported, echoed back
//! verbatim. Upstream reports it as `Invalid value: "Equals": not a valid selector operator`
//! (not as `Unsupported value`), and so do we.
//!
//! Upstream: `k8s.io/apimachinery/pkg/apis/meta/v1/validation/validation.go`
//! (`ValidateLabelSelector`, `ValidateLabelSelectorRequirement` with
//! `AllowInvalidLabelValueInSelector` false, as for newly created objects, and `ValidateLabels`).
//! Errors come in upstream's order: `matchLabels` entries first, then each requirement's
//! operator, key and values.

use super::labels::{label_key_errors, label_value, labels, qualified_name};
use super::{child, index, FieldError, PathError};
use std::fmt;

/// A label selector as written: required labels plus requirements, both in source order.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelSelector {
    /// `matchLabels`, as (key, value) pairs.
    pub match_labels: Vec<(String, String)>,
    /// `matchExpressions`.
    pub match_expressions: Vec<Requirement>,
}

/// One entry of `matchExpressions`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The label key the requirement is about.
    pub key: String,
    /// The operator as written: `In`, `NotIn`, `Exists`, `DoesNotExist`, or anything else.
    pub operator: String,
    /// The values for `In` and `NotIn`.
    pub values: Vec<String>,
}

/// Checks the selector at `path` (`spec.selector`), returning every error with its own path.
/// The paths are only built when there is an error to place (valid selectors are the rule).
pub fn label_selector(selector: &LabelSelector, path: impl fmt::Display) -> Vec<PathError> {
    if is_valid(selector) {
        return Vec::new();
    }
    let path = path.to_string();
    let mut errs = labels(&selector.match_labels, &child(&path, "matchLabels"));
    let expressions = child(&path, "matchExpressions");
    for (i, requirement) in selector.match_expressions.iter().enumerate() {
        errs.extend(requirement_errors(requirement, &index(&expressions, i)));
    }
    errs
}

/// Whether [`label_selector`] finds nothing: the same checks, without paths or messages (the
/// validators allocate only for an error).
fn is_valid(selector: &LabelSelector) -> bool {
    let label_key_ok = |key: &str| qualified_name(key).is_empty();
    let label_value_ok = |value: &str| label_value(value).is_empty();
    selector.match_labels.iter().all(|(key, value)| label_key_ok(key) && label_value_ok(value))
        && selector.match_expressions.iter().all(|r| {
            let operator_ok = match r.operator.as_str() {
                "In" | "NotIn" => !r.values.is_empty(),
                "Exists" | "DoesNotExist" => r.values.is_empty(),
                _ => false,
            };
            operator_ok && label_key_ok(&r.key) && r.values.iter().all(|v| label_value_ok(v))
        })
}

/// Checks one requirement at `path` (`spec.selector.matchExpressions[0]`).
fn requirement_errors(requirement: &Requirement, path: &str) -> Vec<PathError> {
    let mut errs = Vec::new();
    let values = child(path, "values");
    match requirement.operator.as_str() {
        "In" | "NotIn" if requirement.values.is_empty() => {
            errs.push(FieldError::required("must be specified when `operator` is 'In' or 'NotIn'").at(&values))
        }
        "Exists" | "DoesNotExist" if !requirement.values.is_empty() => errs.push(
            FieldError::forbidden("may not be specified when `operator` is 'Exists' or 'DoesNotExist'").at(&values),
        ),
        "In" | "NotIn" | "Exists" | "DoesNotExist" => {}
        other => errs.push(FieldError::invalid(other, "not a valid selector operator").at(child(path, "operator"))),
    }
    errs.extend(label_key_errors(&requirement.key, &child(path, "key")));
    for (i, value) in requirement.values.iter().enumerate() {
        let at = index(&values, i);
        errs.extend(label_value(value).into_iter().map(|m| FieldError::invalid(value.as_str(), m).at(&at)));
    }
    errs
}

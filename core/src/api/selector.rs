//! Label selectors and how they match: the one rule every Service, Deployment and
//! NetworkPolicy shares.
//!
//! A selector matches a set of labels when every `matchLabels` pair is present and every
//! `matchExpressions` requirement holds (AND). An empty selector matches everything; the
//! callers that treat "no selector" differently (a Service without a selector selects no
//! pods) decide that before asking.

use super::meta::Labels;
use std::collections::BTreeSet;

/// A `matchExpressions` operator.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist,
}

impl Operator {
    /// Every operator, sorted as the API server lists them in "supported values".
    pub const ALL: [Operator; 4] = [Operator::DoesNotExist, Operator::Exists, Operator::In, Operator::NotIn];

    /// The operator as written in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            Operator::In => "In",
            Operator::NotIn => "NotIn",
            Operator::Exists => "Exists",
            Operator::DoesNotExist => "DoesNotExist",
        }
    }

    /// Parses the exact spelling the API accepts.
    pub fn parse(text: &str) -> Option<Operator> {
        Operator::ALL.into_iter().find(|op| op.as_str() == text)
    }
}

/// One `matchExpressions` entry; `values` is non-empty exactly for In and NotIn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    pub key: String,
    pub operator: Operator,
    pub values: BTreeSet<String>,
}

impl Requirement {
    /// Whether `labels` satisfy this requirement. NotIn and DoesNotExist hold when the key is
    /// absent, as in Kubernetes.
    pub fn matches(&self, labels: &Labels) -> bool {
        let value = labels.get(&self.key);
        match self.operator {
            Operator::In => value.is_some_and(|v| self.values.contains(v)),
            Operator::NotIn => value.is_none_or(|v| !self.values.contains(v)),
            Operator::Exists => value.is_some(),
            Operator::DoesNotExist => value.is_none(),
        }
    }
}

/// A `metav1.LabelSelector`: matchLabels and matchExpressions, ANDed.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelSelector {
    pub match_labels: Labels,
    pub match_expressions: Vec<Requirement>,
}

impl LabelSelector {
    /// A selector of exact label pairs only (what a Service's `selector` is).
    pub fn from_labels(labels: Labels) -> LabelSelector {
        LabelSelector { match_labels: labels, match_expressions: Vec::new() }
    }

    /// Whether the selector is `{}`, which selects everything.
    pub fn is_empty(&self) -> bool {
        self.match_labels.is_empty() && self.match_expressions.is_empty()
    }

    /// Whether `labels` satisfy every pair and every requirement.
    pub fn matches(&self, labels: &Labels) -> bool {
        self.match_labels.iter().all(|(k, v)| labels.get(k) == Some(v))
            && self.match_expressions.iter().all(|r| r.matches(labels))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(pairs: &[(&str, &str)]) -> Labels {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }

    fn req(key: &str, operator: Operator, values: &[&str]) -> Requirement {
        Requirement { key: key.into(), operator, values: values.iter().map(|v| v.to_string()).collect() }
    }

    #[test]
    fn match_labels_are_anded() {
        let sel = LabelSelector::from_labels(labels(&[("app", "web"), ("tier", "front")]));
        assert!(sel.matches(&labels(&[("app", "web"), ("tier", "front"), ("x", "y")])));
        assert!(!sel.matches(&labels(&[("app", "web")])));
        assert!(!sel.matches(&labels(&[("app", "web"), ("tier", "back")])));
    }

    #[test]
    fn empty_selector_matches_everything() {
        assert!(LabelSelector::default().matches(&labels(&[])));
        assert!(LabelSelector::default().matches(&labels(&[("a", "b")])));
    }

    #[test]
    fn not_in_and_does_not_exist_hold_when_the_key_is_absent() {
        let none = labels(&[]);
        assert!(req("env", Operator::NotIn, &["prod"]).matches(&none));
        assert!(req("env", Operator::DoesNotExist, &[]).matches(&none));
        assert!(!req("env", Operator::In, &["prod"]).matches(&none));
        assert!(!req("env", Operator::Exists, &[]).matches(&none));
        let prod = labels(&[("env", "prod")]);
        assert!(!req("env", Operator::NotIn, &["prod", "staging"]).matches(&prod));
        assert!(req("env", Operator::In, &["dev", "prod"]).matches(&prod));
    }
}

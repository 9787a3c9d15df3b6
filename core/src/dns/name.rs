//! Domain names that know whether they are fully qualified.
//!
//! A name typed by a learner (`web`, `web.shop`, `api.example.com.`) is relative unless it ends
//! with a dot; resolv.conf(5) expands relative names through the search list, absolute ones
//! never (see `resolv`). Everything a nameserver sees on the wire is absolute. Comparisons are
//! case-insensitive (RFC 4343; the Kubernetes DNS specification, section 2.1, "All comparisons
//! between query data and data in Kubernetes is case-insensitive"), so names are kept in lower
//! case. Limits are RFC 1035 section 2.3.4's: labels of 1 to 63 octets, at most 253 characters
//! in the presentation form without the final dot.

use std::fmt;

/// Why a string is not a domain name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    Empty,
    /// Two dots in a row, or a leading dot: a label of zero length.
    EmptyLabel,
    /// A label longer than 63 octets.
    LabelTooLong(String),
    /// More than 253 characters.
    TooLong,
    /// Whitespace inside the name.
    Whitespace,
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => f.write_str("empty name"),
            NameError::EmptyLabel => f.write_str("empty label"),
            NameError::LabelTooLong(label) => write!(f, "label \"{label}\" is longer than 63 characters"),
            NameError::TooLong => f.write_str("name is longer than 253 characters"),
            NameError::Whitespace => f.write_str("name contains whitespace"),
        }
    }
}

/// A domain name: lower-case labels, and whether it was written fully qualified.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name {
    /// The labels joined by dots, without a final dot; empty for the root.
    text: String,
    fqdn: bool,
}

impl Name {
    /// Parses a name as typed: a final dot makes it fully qualified; `.` is the root.
    pub fn parse(text: &str) -> Result<Name, NameError> {
        if text.is_empty() {
            return Err(NameError::Empty);
        }
        if text.chars().any(char::is_whitespace) {
            return Err(NameError::Whitespace);
        }
        if text == "." {
            return Ok(Name { text: String::new(), fqdn: true });
        }
        let (body, fqdn) = match text.strip_suffix('.') {
            Some(body) => (body, true),
            None => (text, false),
        };
        if body.len() > 253 {
            return Err(NameError::TooLong);
        }
        for label in body.split('.') {
            if label.is_empty() {
                return Err(NameError::EmptyLabel);
            }
            if label.len() > 63 {
                return Err(NameError::LabelTooLong(label.to_string()));
            }
        }
        Ok(Name { text: body.to_ascii_lowercase(), fqdn })
    }

    /// An absolute name from labels the model itself joined (Kubernetes object names, IPs).
    pub(crate) fn absolute(text: String) -> Name {
        Name { text: text.to_ascii_lowercase(), fqdn: true }
    }

    /// The labels joined by dots, without the final dot (`web.default.svc.cluster.local`).
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// Whether the name was written with a final dot (or is absolute by construction).
    pub fn is_fqdn(&self) -> bool {
        self.fqdn
    }

    /// The number of dots between labels: what resolv.conf's `ndots` is compared with.
    pub fn dots(&self) -> usize {
        self.text.matches('.').count()
    }

    /// The same name, fully qualified.
    pub fn to_fqdn(&self) -> Name {
        Name { text: self.text.clone(), fqdn: true }
    }

    /// `self.domain`, fully qualified: a search-list candidate.
    pub fn join(&self, domain: &Name) -> Name {
        if domain.text.is_empty() {
            return self.to_fqdn();
        }
        Name { text: format!("{}.{}", self.text, domain.text), fqdn: true }
    }

    /// Whether this name is `zone` or below it, label by label.
    pub fn is_within(&self, zone: &Name) -> bool {
        self.relative_to(zone).is_some()
    }

    /// The labels in front of `zone` (`""` for the zone itself), or `None` when the name is not
    /// within `zone`.
    pub fn relative_to(&self, zone: &Name) -> Option<&str> {
        if zone.text.is_empty() {
            return Some(&self.text);
        }
        if self.text == zone.text {
            return Some("");
        }
        self.text.strip_suffix(zone.text.as_str())?.strip_suffix('.')
    }

    /// The number of labels (0 for the root).
    pub fn label_count(&self) -> usize {
        if self.text.is_empty() {
            0
        } else {
            self.dots() + 1
        }
    }
}

impl fmt::Display for Name {
    /// The presentation form, with the final dot when the name is fully qualified.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.text.is_empty() {
            return f.write_str(".");
        }
        f.write_str(&self.text)?;
        if self.fqdn {
            f.write_str(".")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_final_dot_makes_a_name_fully_qualified_and_case_does_not_matter() {
        let n = Name::parse("Web.Shop.").expect("valid");
        assert!(n.is_fqdn());
        assert_eq!(n.as_str(), "web.shop");
        assert_eq!(n.to_string(), "web.shop.");
        assert_eq!(n.dots(), 1);
        assert!(!Name::parse("web").expect("valid").is_fqdn());
    }

    #[test]
    fn empty_labels_and_long_labels_are_rejected() {
        assert_eq!(Name::parse("a..b"), Err(NameError::EmptyLabel));
        assert_eq!(Name::parse(".a"), Err(NameError::EmptyLabel));
        assert!(matches!(Name::parse(&"x".repeat(64)), Err(NameError::LabelTooLong(_))));
        assert_eq!(Name::parse(""), Err(NameError::Empty));
    }

    #[test]
    fn relative_to_works_label_by_label() {
        let zone = Name::parse("cluster.local.").expect("valid");
        let n = Name::parse("web.default.svc.cluster.local.").expect("valid");
        assert_eq!(n.relative_to(&zone), Some("web.default.svc"));
        assert_eq!(zone.relative_to(&zone), Some(""));
        assert_eq!(Name::parse("notcluster.local.").expect("valid").relative_to(&zone), None);
        assert!(n.is_within(&Name::parse(".").expect("root")));
    }
}

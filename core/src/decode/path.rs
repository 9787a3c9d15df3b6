//! Field paths, printed as kubectl prints them.
//!
//! The format is apimachinery's `field.Path.String()`: names joined by `.`, list indices and
//! map keys in brackets without quotes — `spec.ports[0].targetPort`,
//! `metadata.labels[app.kubernetes.io/name]`.

use std::fmt;

/// Where a value sits in an object, e.g. `spec.ports[0].targetPort`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FieldPath {
    segments: Vec<Segment>,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Segment {
    Field(String),
    Index(usize),
    Key(String),
}

impl FieldPath {
    /// The path of a whole object; it prints as the empty string.
    pub fn root() -> Self {
        FieldPath::default()
    }

    /// This path extended by the field `name` (`spec` → `spec.ports`).
    pub fn field(&self, name: &str) -> Self {
        self.with(Segment::Field(name.to_string()))
    }

    /// This path extended by the list index `index` (`spec.ports` → `spec.ports[0]`).
    pub fn index(&self, index: usize) -> Self {
        self.with(Segment::Index(index))
    }

    /// This path extended by the map key `key` (`metadata.labels` → `metadata.labels[app]`).
    pub fn key(&self, key: &str) -> Self {
        self.with(Segment::Key(key.to_string()))
    }

    /// Whether this is the path of a whole object.
    pub fn is_root(&self) -> bool {
        self.segments.is_empty()
    }

    fn with(&self, segment: Segment) -> Self {
        let mut segments = self.segments.clone();
        segments.push(segment);
        FieldPath { segments }
    }
}

/// apimachinery's `field.Path.String()`.
impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments.iter().enumerate() {
            match segment {
                Segment::Field(name) if i == 0 => f.write_str(name)?,
                Segment::Field(name) => write!(f, ".{name}")?,
                Segment::Index(index) => write!(f, "[{index}]")?,
                Segment::Key(key) => write!(f, "[{key}]")?,
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prints_like_apimachinery_field_path() {
        let ports = FieldPath::root().field("spec").field("ports");
        assert_eq!(ports.index(0).field("targetPort").to_string(), "spec.ports[0].targetPort");
        let labels = FieldPath::root().field("metadata").field("labels");
        assert_eq!(labels.key("app.kubernetes.io/name").to_string(), "metadata.labels[app.kubernetes.io/name]");
        assert_eq!(FieldPath::root().to_string(), "");
        assert!(FieldPath::root().is_root());
        assert_eq!(FieldPath::root().index(2).field("kind").to_string(), "[2].kind");
    }
}

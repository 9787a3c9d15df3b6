//! Field paths, printed as kubectl prints them.
//!
//! The format is apimachinery's `field.Path.String()`: names joined by `.`, list indices and
//! map keys in brackets without quotes — `spec.ports[0].targetPort`,
//! `metadata.labels[app.kubernetes.io/name]`.

use std::borrow::Cow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::sync::Arc;

/// Where a value sits in an object, e.g. `spec.ports[0].targetPort`.
///
/// A path is its last segment linked to its parent path, shared: extending a path allocates one
/// link and copies nothing, and cloning one is a reference count. Decoding extends a path for
/// every field it reads and prints one only for an error.
#[derive(Debug, Clone, Default)]
pub struct FieldPath {
    last: Option<Arc<Link>>,
}

#[derive(Debug)]
struct Link {
    parent: FieldPath,
    segment: Segment,
}

#[derive(Debug, PartialEq, Eq, Hash)]
enum Segment {
    Field(Cow<'static, str>),
    Index(usize),
    Key(Box<str>),
}

impl FieldPath {
    /// The path of a whole object; it prints as the empty string.
    pub fn root() -> Self {
        FieldPath::default()
    }

    /// This path extended by the field `name` (`spec` → `spec.ports`).
    pub fn field(&self, name: &'static str) -> Self {
        self.with(Segment::Field(Cow::Borrowed(name)))
    }

    /// This path extended by a field whose name comes from the document (an unknown field).
    pub fn field_named(&self, name: &str) -> Self {
        self.with(Segment::Field(Cow::Owned(name.to_string())))
    }

    /// This path extended by the list index `index` (`spec.ports` → `spec.ports[0]`).
    pub fn index(&self, index: usize) -> Self {
        self.with(Segment::Index(index))
    }

    /// This path extended by the map key `key` (`metadata.labels` → `metadata.labels[app]`).
    pub fn key(&self, key: &str) -> Self {
        self.with(Segment::Key(key.into()))
    }

    /// Whether this is the path of a whole object.
    pub fn is_root(&self) -> bool {
        self.last.is_none()
    }

    fn with(&self, segment: Segment) -> Self {
        FieldPath { last: Some(Arc::new(Link { parent: self.clone(), segment })) }
    }

    /// The segments from the root down.
    fn segments(&self) -> Vec<&Segment> {
        let mut segments = Vec::new();
        let mut at = self;
        while let Some(link) = &at.last {
            segments.push(&link.segment);
            at = &link.parent;
        }
        segments.reverse();
        segments
    }
}

impl PartialEq for FieldPath {
    fn eq(&self, other: &Self) -> bool {
        self.segments() == other.segments()
    }
}

impl Eq for FieldPath {}

impl Hash for FieldPath {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.segments().hash(state);
    }
}

/// apimachinery's `field.Path.String()`.
impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.segments().into_iter().enumerate() {
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

    #[test]
    fn paths_are_equal_when_their_segments_are_whoever_built_them() {
        let written = FieldPath::root().field("spec").field_named("ports");
        assert_eq!(written, FieldPath::root().field("spec").field("ports"));
        assert_ne!(written, FieldPath::root().field("spec").key("ports"));
        assert_ne!(written, FieldPath::root().field("ports"));
    }
}

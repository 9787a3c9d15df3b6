//! Validated Kubernetes objects: the typed form of what a learner's YAML declares.
//!
//! Loaders (`crate::load`) build these only from input that passed validation, so every value
//! here is legal: a port is in range, a selector operator is one of the four, a target port is
//! a number or a name and never both. Field names follow the Kubernetes API; defaults the API
//! server would fill in (protocol TCP, targetPort = port, sessionAffinity None…) are already
//! applied. Nothing here knows about YAML, spans or controllers.

pub mod cluster_config;
pub mod config_map;
pub mod endpoints;
pub mod ingress;
pub mod meta;
pub mod network_policy;
pub mod pod;
pub mod selector;
pub mod service;
pub mod workload;

pub use meta::{Kind, Labels, ObjectMeta, ObjectRef, Protocol};
pub use selector::{LabelSelector, Operator, Requirement};

//! Namespaces and ConfigMaps: objects the model reads but that have no spec of their own.

use super::meta::{Labels, ObjectMeta};

/// A Namespace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Namespace {
    pub meta: ObjectMeta,
}

/// A ConfigMap (the model reads CoreDNS's `Corefile` from `kube-system/coredns`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigMap {
    pub meta: ObjectMeta,
    pub data: Labels,
}

//! Workload controllers' objects: Deployments, ReplicaSets and StatefulSets.

use super::meta::ObjectMeta;
use super::pod::PodTemplate;
use super::selector::LabelSelector;

/// The part every workload shares: how many replicas, which pods it owns, and their template.
/// Validation guarantees that `selector` is non-empty and matches `template.labels`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkloadSpec {
    pub replicas: u32,
    pub selector: LabelSelector,
    pub template: PodTemplate,
}

/// A Deployment (`apps/v1`). Its pods come through a ReplicaSet named after the template's hash.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Deployment {
    pub meta: ObjectMeta,
    pub spec: WorkloadSpec,
}

/// A ReplicaSet written by the learner (`apps/v1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplicaSet {
    pub meta: ObjectMeta,
    pub spec: WorkloadSpec,
}

/// A StatefulSet (`apps/v1`): pods named `<name>-0..N-1` with stable DNS names through the
/// headless Service named in `service_name`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatefulSet {
    pub meta: ObjectMeta,
    pub spec: WorkloadSpec,
    pub service_name: String,
}

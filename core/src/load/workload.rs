//! Deployments, ReplicaSets and StatefulSets (`apps/v1`).
//!
//! Rules (the API server's apps validation): `spec.selector` is required and must not be
//! empty; the template's labels must satisfy it (`selector` does not match template
//! `labels`); `spec.replicas` defaults to 1 and may not be negative; the template must be a
//! valid pod template.

use super::meta::load_selector;
use super::pod::load_template;
use super::Ctx;
use crate::api::workload::{Deployment, ReplicaSet, StatefulSet, WorkloadSpec};
use crate::api::{Labels, ObjectMeta};
use crate::decode::{FieldPath, MapReader};
use crate::validation::{FieldError, ShownValue};

/// Fields of a workload spec the model accepts but does not simulate.
const IGNORED_SPEC_FIELDS: [&str; 10] = [
    "strategy",
    "minReadySeconds",
    "revisionHistoryLimit",
    "progressDeadlineSeconds",
    "paused",
    "updateStrategy",
    "podManagementPolicy",
    "volumeClaimTemplates",
    "persistentVolumeClaimRetentionPolicy",
    "ordinals",
];

/// Go's `%#v` of a `map[string]string`, as validation messages print labels.
fn go_map(labels: &Labels) -> String {
    let entries: Vec<String> = labels.iter().map(|(k, v)| format!("{k:?}:{v:?}")).collect();
    format!("map[string]string{{{}}}", entries.join(", "))
}

/// Reads the spec shared by all workloads; `kind` words the empty-selector message.
fn load_spec(ctx: &mut Ctx, spec: &mut MapReader, kind: &str) -> Option<WorkloadSpec> {
    let path = spec.path().clone();
    let replicas = spec.int32(&mut ctx.d, "replicas");
    let selector = spec.raw("selector").map(|item| load_selector(ctx, &item));
    let template = spec.raw("template").map(|item| load_template(ctx, &item));
    spec.ignore(&IGNORED_SPEC_FIELDS);
    let replicas = match replicas {
        None => 1,
        Some(r) if r.value < 0 => {
            ctx.fail_at(&path.field("replicas"), FieldError::invalid(i64::from(r.value), "must be greater than or equal to 0"));
            return None;
        }
        Some(r) => r.value as u32,
    };
    let selector = match selector {
        None => {
            ctx.fail_at(&path.field("selector"), FieldError::required(""));
            return None;
        }
        Some(s) => s?,
    };
    if selector.is_empty() {
        ctx.fail_at(
            &path.field("selector"),
            FieldError::invalid(
                ShownValue::Raw(
                    "v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}".into(),
                ),
                format!("empty selector is invalid for {kind}"),
            ),
        );
        return None;
    }
    let template = match template {
        None => {
            ctx.fail_at(&path.field("template"), FieldError::required(""));
            return None;
        }
        Some(t) => t?,
    };
    if !selector.matches(&template.labels) {
        let at = path.field("template").field("metadata").field("labels");
        ctx.fail_at(&at, FieldError::invalid(ShownValue::Raw(go_map(&template.labels)), "`selector` does not match template `labels`"));
        return None;
    }
    Some(WorkloadSpec { replicas, selector, template })
}

fn spec_reader<'n>(ctx: &mut Ctx, top: &mut MapReader<'n>) -> Option<MapReader<'n>> {
    let spec = top.map(&mut ctx.d, "spec");
    if spec.is_none() {
        ctx.fail_at(&FieldPath::root().field("spec").field("selector"), FieldError::required(""));
    }
    spec
}

/// A Deployment.
pub fn load_deployment(ctx: &mut Ctx, mut top: MapReader, meta: ObjectMeta) -> Option<Deployment> {
    let mut spec_r = spec_reader(ctx, &mut top)?;
    let spec = load_spec(ctx, &mut spec_r, "deployment");
    spec_r.finish(&mut ctx.d);
    top.ignore(&["status"]);
    top.finish(&mut ctx.d);
    Some(Deployment { meta, spec: spec? })
}

/// A ReplicaSet.
pub fn load_replica_set(ctx: &mut Ctx, mut top: MapReader, meta: ObjectMeta) -> Option<ReplicaSet> {
    let mut spec_r = spec_reader(ctx, &mut top)?;
    let spec = load_spec(ctx, &mut spec_r, "replicaset");
    spec_r.finish(&mut ctx.d);
    top.ignore(&["status"]);
    top.finish(&mut ctx.d);
    Some(ReplicaSet { meta, spec: spec? })
}

/// A StatefulSet, with its `serviceName` (the headless Service that gives pods DNS names).
pub fn load_stateful_set(ctx: &mut Ctx, mut top: MapReader, meta: ObjectMeta) -> Option<StatefulSet> {
    let mut spec_r = spec_reader(ctx, &mut top)?;
    let service_name = spec_r.str(&mut ctx.d, "serviceName").map(|s| s.value).unwrap_or_default();
    let spec = load_spec(ctx, &mut spec_r, "statefulset");
    spec_r.finish(&mut ctx.d);
    top.ignore(&["status"]);
    top.finish(&mut ctx.d);
    Some(StatefulSet { meta, spec: spec?, service_name })
}

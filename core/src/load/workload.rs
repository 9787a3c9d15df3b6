//! Deployments, ReplicaSets and StatefulSets (`apps/v1`): decoding, defaults, validation.
//!
//! Defaults (`pkg/apis/apps/v1/defaults.go`): `replicas` 1, a Deployment's
//! `progressDeadlineSeconds` 600, a StatefulSet's `podManagementPolicy` OrderedReady.
//! Rules (`pkg/apis/apps/validation/validation.go`, `ValidateDeploymentSpec`,
//! `ValidateReplicaSetSpec`, `ValidateStatefulSetSpec`), every one reported:
//! - `replicas` and `minReadySeconds` are not negative (`ValidateNonnegativeField`); a
//!   Deployment's `revisionHistoryLimit` neither, and its `progressDeadlineSeconds` exceeds
//!   `minReadySeconds`; a StatefulSet's `podManagementPolicy` is OrderedReady or Parallel.
//! - `selector` is required; it must be a valid label selector and not empty (the ReplicaSet
//!   message says "for deployment", as upstream's does). A missing selector selects nothing,
//!   so the template's labels are then reported as not matching it too; an invalid one is
//!   reported once more as a whole (`invalid label selector`), and then not matched.
//! - The template's labels must satisfy the selector (`ValidatePodTemplateSpecForReplicaSet`,
//!   `...ForStatefulSet`); a template that is not written is an empty one (the API has no
//!   pointer there), so it fails that match and has no containers.
//! - The template is a valid pod template whose `restartPolicy` is Always and which has no
//!   `activeDeadlineSeconds`.
//!
//! A StatefulSet's `serviceName` is optional and not checked. Upstream does not validate a
//! StatefulSet's pod spec at all: the API server accepts the object and its controller then
//! fails to create the pods. The model cannot show pods failing to be created, so it refuses
//! such a StatefulSet, and every error about its pod spec says, in a hint, what a real cluster
//! does instead. `strategy`, `updateStrategy`, `revisionHistoryLimit` of a StatefulSet,
//! `ordinals` and `volumeClaimTemplates` are accepted and not checked.

use super::meta::{decoded_cleanly, json_labels, json_selector, read_selector, typed_selector, Checks};
use super::pod::{
    check_pod_spec, check_template_metadata, port_warnings, read_template, typed_template, SpecOf, TemplateIn,
};
use super::Ctx;
use crate::api::workload::{Deployment, ReplicaSet, StatefulSet, WorkloadSpec};
use crate::api::ObjectMeta;
use crate::decode::{FieldPath, Item, MapReader};
use crate::validation::selector::{label_selector, LabelSelector as SelectorIn};
use crate::validation::{FieldError, ShownValue};

/// Fields of a workload spec the model accepts but does not simulate.
const IGNORED_SPEC_FIELDS: [&str; 7] = [
    "strategy",
    "paused",
    "updateStrategy",
    "volumeClaimTemplates",
    "persistentVolumeClaimRetentionPolicy",
    "ordinals",
    "revisionHistoryLimit",
];

/// The hint on every error about a StatefulSet's pod spec.
const STATEFUL_SET_POD_HINT: &str = "a real API server accepts this StatefulSet and its controller then fails to create each pod with this error (FailedCreate events); kubeplay refuses it instead";

/// Which workload a spec belongs to; the rules differ in a few words and fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Workload {
    Deployment,
    ReplicaSet,
    StatefulSet,
}

/// A workload's `spec` as written, defaulted.
struct WorkloadIn {
    path: FieldPath,
    replicas: i32,
    min_ready_seconds: i32,
    revision_history_limit: Option<i32>,
    progress_deadline_seconds: i32,
    pod_management_policy: String,
    service_name: String,
    selector: Option<SelectorIn>,
    template: TemplateIn,
}

fn read_spec(ctx: &mut Ctx, spec_item: Option<&Item>, kind: Workload) -> WorkloadIn {
    let path = FieldPath::root().field("spec");
    let mut replicas = None;
    let mut min_ready_seconds = None;
    let mut revision_history_limit = None;
    let mut progress_deadline_seconds = None;
    let mut pod_management_policy = None;
    let mut service_name = None;
    let mut selector = None;
    let mut template_item = None;
    if let Some(mut r) = spec_item.and_then(|item| ctx.d.map(item)) {
        replicas = r.int32(&mut ctx.d, "replicas").map(|n| n.value);
        min_ready_seconds = r.int32(&mut ctx.d, "minReadySeconds").map(|n| n.value);
        if kind == Workload::Deployment {
            revision_history_limit = r.int32(&mut ctx.d, "revisionHistoryLimit").map(|n| n.value);
            progress_deadline_seconds = r.int32(&mut ctx.d, "progressDeadlineSeconds").map(|n| n.value);
        }
        if kind == Workload::StatefulSet {
            service_name = r.str(&mut ctx.d, "serviceName").map(|s| s.value);
            pod_management_policy = r.str(&mut ctx.d, "podManagementPolicy").map(|s| s.value).filter(|p| !p.is_empty());
        }
        selector = r.raw("selector").and_then(|item| read_selector(ctx, &item));
        template_item = r.raw("template");
        r.ignore(&IGNORED_SPEC_FIELDS);
        r.finish(&mut ctx.d);
    }
    WorkloadIn {
        replicas: replicas.unwrap_or(1),
        min_ready_seconds: min_ready_seconds.unwrap_or(0),
        revision_history_limit,
        progress_deadline_seconds: progress_deadline_seconds.unwrap_or(600),
        pod_management_policy: pod_management_policy.unwrap_or_else(|| "OrderedReady".to_string()),
        service_name: service_name.unwrap_or_default(),
        selector,
        template: read_template(ctx, template_item.as_ref(), path.field("template")),
        path,
    }
}

/// `ValidateNonnegativeField`.
fn non_negative(c: &mut Checks, path: &FieldPath, value: i32) {
    if value < 0 {
        c.fail(path, FieldError::invalid(i64::from(value), "must be greater than or equal to 0"));
    }
}

/// The checks of the three workload validators; the typed spec when valid.
fn validate(c: &mut Checks, spec: &WorkloadIn, kind: Workload) -> Option<WorkloadSpec> {
    let path = &spec.path;
    if kind == Workload::StatefulSet && !["OrderedReady", "Parallel"].contains(&spec.pod_management_policy.as_str()) {
        c.fail(
            &path.field("podManagementPolicy"),
            FieldError::invalid(spec.pod_management_policy.as_str(), "must be 'OrderedReady' or 'Parallel'"),
        );
    }
    non_negative(c, &path.field("replicas"), spec.replicas);
    non_negative(c, &path.field("minReadySeconds"), spec.min_ready_seconds);

    // The selector: required, valid, not empty; then the template's labels must match it.
    let selector_path = path.field("selector");
    let mut selector_valid = false;
    match &spec.selector {
        None => c.fail(&selector_path, FieldError::required("")),
        Some(selector) => {
            let errors = label_selector(selector, &selector_path);
            selector_valid = errors.is_empty();
            c.fail_all(errors);
            if selector.match_labels.is_empty() && selector.match_expressions.is_empty() {
                let workload = if kind == Workload::StatefulSet { "statefulset" } else { "deployment" };
                c.fail(
                    &selector_path,
                    FieldError::invalid(
                        ShownValue::Raw(json_selector(selector)),
                        format!("empty selector is invalid for {workload}"),
                    ),
                );
            }
        }
    }
    let template = &spec.template;
    let labels_path = template.path.field("metadata").field("labels");
    match (&spec.selector, selector_valid) {
        (Some(selector), false) => {
            // metav1.LabelSelectorAsSelector failed: the whole selector is reported again.
            let detail = if kind == Workload::StatefulSet { "" } else { "invalid label selector" };
            c.fail(&selector_path, FieldError::invalid(ShownValue::Raw(json_selector(selector)), detail));
        }
        // An empty selector selects everything: nothing to match.
        (Some(selector), true) if selector.match_labels.is_empty() && selector.match_expressions.is_empty() => {}
        (selector, _) => {
            let labels = template.labels.iter().flatten().cloned().collect();
            if !selector.as_ref().is_some_and(|s| typed_selector(s).matches(&labels)) {
                c.fail(
                    &labels_path,
                    FieldError::invalid(
                        ShownValue::Raw(json_labels(template.labels.as_deref())),
                        "`selector` does not match template `labels`",
                    ),
                );
            }
        }
    }

    check_template_metadata(c, template);
    c.hint = (kind == Workload::StatefulSet).then_some(STATEFUL_SET_POD_HINT);
    let pod_spec = check_pod_spec(c, &template.spec, SpecOf::Template);
    c.hint = None;
    let pod_spec_path = template.spec.path();
    if template.spec.restart_policy() != "Always" {
        c.fail(
            &pod_spec_path.field("restartPolicy"),
            FieldError::not_supported(template.spec.restart_policy(), &["Always"]),
        );
    }
    if template.spec.has_active_deadline() {
        let workload = if kind == Workload::StatefulSet { "StatefulSet" } else { "ReplicaSet" };
        c.fail(
            &pod_spec_path.field("activeDeadlineSeconds"),
            FieldError::forbidden(format!("activeDeadlineSeconds in {workload} is not Supported")),
        );
    }
    if kind == Workload::Deployment {
        if let Some(limit) = spec.revision_history_limit {
            non_negative(c, &path.field("revisionHistoryLimit"), limit);
        }
        let deadline = path.field("progressDeadlineSeconds");
        non_negative(c, &deadline, spec.progress_deadline_seconds);
        if spec.progress_deadline_seconds <= spec.min_ready_seconds {
            c.fail(
                &deadline,
                FieldError::invalid(i64::from(spec.progress_deadline_seconds), "must be greater than minReadySeconds"),
            );
        }
    }

    if c.failed() {
        return None;
    }
    port_warnings(c, &template.spec);
    let selector = typed_selector(spec.selector.as_ref()?);
    Some(WorkloadSpec {
        replicas: u32::try_from(spec.replicas).ok()?,
        selector,
        template: typed_template(template, pod_spec?),
    })
}

/// Decodes and checks a workload's spec, finishing the object; `None` when anything is wrong.
fn load_spec(ctx: &mut Ctx, mut top: MapReader, kind: Workload) -> Option<(WorkloadSpec, String)> {
    let spec_item = top.raw("spec");
    top.ignore(&["status"]);
    top.finish(&mut ctx.d);
    let spec = read_spec(ctx, spec_item.as_ref(), kind);
    if !decoded_cleanly(ctx) {
        return None;
    }
    let mut checks = Checks::new(ctx);
    validate(&mut checks, &spec, kind).map(|t| (t, spec.service_name))
}

/// A Deployment.
pub fn load_deployment(ctx: &mut Ctx, top: MapReader, meta: ObjectMeta) -> Option<Deployment> {
    load_spec(ctx, top, Workload::Deployment).map(|(spec, _)| Deployment { meta, spec })
}

/// A ReplicaSet.
pub fn load_replica_set(ctx: &mut Ctx, top: MapReader, meta: ObjectMeta) -> Option<ReplicaSet> {
    load_spec(ctx, top, Workload::ReplicaSet).map(|(spec, _)| ReplicaSet { meta, spec })
}

/// A StatefulSet, with its `serviceName` (the headless Service that gives pods DNS names).
pub fn load_stateful_set(ctx: &mut Ctx, top: MapReader, meta: ObjectMeta) -> Option<StatefulSet> {
    load_spec(ctx, top, Workload::StatefulSet).map(|(spec, service_name)| StatefulSet { meta, spec, service_name })
}

//! `metadata`, label selectors, and the kinds that are little more than metadata
//! (Namespace, ConfigMap).

use super::Ctx;
use crate::api::config_map::{ConfigMap, Namespace};
use crate::api::selector::{LabelSelector, Operator, Requirement};
use crate::api::{Kind, Labels, ObjectMeta};
use crate::decode::{Item, MapReader, Spanned};
use crate::validation::labels::labels as validate_labels;
use crate::validation::meta::{object_meta, NameRule, ObjectMeta as MetaToCheck};
use crate::validation::selector::{label_selector, LabelSelector as SelectorToCheck, Requirement as RequirementToCheck};

/// Fields of `metadata` the server fills in or that only matter to other machinery: accepted
/// and ignored, so that YAML copied from `kubectl get -o yaml` loads.
const SERVER_FIELDS: [&str; 10] = [
    "uid",
    "resourceVersion",
    "generation",
    "creationTimestamp",
    "deletionTimestamp",
    "deletionGracePeriodSeconds",
    "ownerReferences",
    "finalizers",
    "managedFields",
    "selfLink",
];

fn name_rule(kind: Kind) -> NameRule {
    match kind {
        Kind::Service => NameRule::Dns1035Label,
        Kind::Namespace => NameRule::Dns1123Label,
        _ => NameRule::Dns1123Subdomain,
    }
}

fn pairs(entries: &[(Spanned<String>, Spanned<String>)]) -> Vec<(String, String)> {
    entries.iter().map(|(k, v)| (k.value.clone(), v.value.clone())).collect()
}

/// Reads and validates `metadata`; the namespace defaults to `default` for namespaced kinds.
pub fn load(ctx: &mut Ctx, top: &mut MapReader, kind: Kind) -> Option<ObjectMeta> {
    let mut m = top.map(&mut ctx.d, "metadata");
    let (name, namespace, labels, annotations, generate_name) = match m.as_mut() {
        Some(m) => (
            m.str(&mut ctx.d, "name"),
            m.str(&mut ctx.d, "namespace"),
            m.string_map(&mut ctx.d, "labels").unwrap_or_default(),
            m.string_map(&mut ctx.d, "annotations").unwrap_or_default(),
            m.str(&mut ctx.d, "generateName"),
        ),
        None => (None, None, Vec::new(), Vec::new(), None),
    };
    if let Some(mut m) = m {
        m.ignore(&SERVER_FIELDS);
        m.finish(&mut ctx.d);
    }
    if let (None, Some(generate)) = (&name, &generate_name) {
        // `kubectl apply` identifies objects by name, so it refuses generateName.
        ctx.d.error(generate.span, &crate::decode::FieldPath::root().field("metadata").field("generateName"),
            format!("cannot use generate name with apply (generateName: {:?}); give the object a metadata.name", generate.value));
        return None;
    }
    let namespace = kind.is_namespaced().then(|| namespace.map(|n| n.value).unwrap_or_else(|| "default".to_string()));
    let name = name.map(|n| n.value).unwrap_or_default();
    let (label_pairs, annotation_pairs) = (pairs(&labels), pairs(&annotations));
    let errors = object_meta(
        &MetaToCheck {
            name: &name,
            namespace: namespace.as_deref(),
            labels: &label_pairs,
            annotations: &annotation_pairs,
        },
        name_rule(kind),
    );
    let ok = errors.is_empty();
    ctx.fail_all(errors);
    ok.then(|| ObjectMeta {
        name,
        namespace: namespace.unwrap_or_default(),
        labels: label_pairs.into_iter().collect(),
        annotations: annotation_pairs.into_iter().collect(),
    })
}

/// Reads a `map[string]string` of labels at `item` (such as a Service's `selector`) and
/// validates keys and values.
pub fn load_labels(ctx: &mut Ctx, item: &Item) -> Option<Labels> {
    let entries = ctx.d.string_map(item)?;
    let pairs = pairs(&entries);
    let errors = validate_labels(&pairs, &item.path.to_string());
    let ok = errors.is_empty();
    ctx.fail_all(errors);
    ok.then(|| pairs.into_iter().collect())
}

/// Reads and validates a `metav1.LabelSelector` at `item`.
pub fn load_selector(ctx: &mut Ctx, item: &Item) -> Option<LabelSelector> {
    let mut m = ctx.d.map(item)?;
    let match_labels = m.string_map(&mut ctx.d, "matchLabels").unwrap_or_default();
    let mut expressions = Vec::new();
    for e in m.seq(&mut ctx.d, "matchExpressions").unwrap_or_default() {
        let Some(mut r) = ctx.d.map(&e) else { continue };
        let key = r.str(&mut ctx.d, "key").map(|s| s.value).unwrap_or_default();
        let operator = r.str(&mut ctx.d, "operator").map(|s| s.value).unwrap_or_default();
        let values: Vec<String> = r
            .seq(&mut ctx.d, "values")
            .unwrap_or_default()
            .iter()
            .filter_map(|v| ctx.d.str(v).map(|s| s.value))
            .collect();
        r.finish(&mut ctx.d);
        expressions.push(RequirementToCheck { key, operator, values });
    }
    m.finish(&mut ctx.d);
    let written = SelectorToCheck { match_labels: pairs(&match_labels), match_expressions: expressions };
    let errors = label_selector(&written, &item.path.to_string());
    let ok = errors.is_empty();
    ctx.fail_all(errors);
    if !ok {
        return None;
    }
    let match_expressions = written
        .match_expressions
        .into_iter()
        .filter_map(|r| {
            Some(Requirement { key: r.key, operator: Operator::parse(&r.operator)?, values: r.values.into_iter().collect() })
        })
        .collect();
    Some(LabelSelector { match_labels: written.match_labels.into_iter().collect(), match_expressions })
}

/// A Namespace: metadata only (`spec.finalizers` and `status` are accepted and ignored).
pub fn load_namespace(ctx: &mut Ctx, mut top: MapReader, meta: ObjectMeta) -> Option<Namespace> {
    top.ignore(&["spec", "status"]);
    top.finish(&mut ctx.d);
    Some(Namespace { meta })
}

/// A ConfigMap: its string `data` (binaryData and immutable are accepted and ignored).
pub fn load_config_map(ctx: &mut Ctx, mut top: MapReader, meta: ObjectMeta) -> Option<ConfigMap> {
    let data = top.string_map(&mut ctx.d, "data").unwrap_or_default();
    top.ignore(&["binaryData", "immutable"]);
    top.finish(&mut ctx.d);
    Some(ConfigMap { meta, data: pairs(&data).into_iter().collect() })
}

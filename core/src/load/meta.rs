//! `metadata`, label selectors, the kinds that are little more than metadata (Namespace,
//! ConfigMap), and the reporting helpers the kind loaders share.
//!
//! Every loader reads an object the way the API server handles a request: first decoding,
//! where a type error or an unknown field rejects the document before anything is validated
//! ([`decoded_cleanly`] tells the loaders whether to go on), then validation, which reports
//! every problem it finds ([`Checks`]). Values the API server echoes back that are not plain
//! strings or numbers (a label map, a selector) are printed as JSON, as apimachinery's
//! `field.Error.ErrorBody` prints them since Kubernetes 1.34 ([`json_labels`],
//! [`json_selector`]).
//!
//! Name rules by kind (upstream `ValidateObjectMeta` with each kind's name function):
//! Services take an RFC 1035 label (`ValidateServiceName`), Namespaces and StatefulSets an RFC
//! 1123 label (`ValidateNamespaceName`, `ValidateStatefulSetName`), everything else an RFC
//! 1123 subdomain.

use super::Ctx;
use crate::api::config_map::{ConfigMap, Namespace};
use crate::api::selector::{LabelSelector, Operator, Requirement};
use crate::api::{Kind, Labels, ObjectMeta};
use crate::decode::{FieldPath, Item, MapReader, Spanned};
use crate::diag::Severity;
use crate::validation::field_error::json_quote;
use crate::validation::labels::labels as validate_labels;
use crate::validation::meta::{object_meta, NameRule, ObjectMeta as MetaToCheck};
use crate::validation::selector::{LabelSelector as SelectorToCheck, Requirement as RequirementToCheck};
use crate::validation::{FieldError, PathError};

/// Fields of `metadata` the server fills in or that only matter to other machinery: accepted
/// and ignored, so that YAML copied from `kubectl get -o yaml` loads.
pub(super) const SERVER_FIELDS: [&str; 10] = [
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
        // ValidateStatefulSetName is NameIsDNSLabel: a pod name `<set>-<ordinal>` is a label.
        Kind::Namespace | Kind::StatefulSet => NameRule::Dns1123Label,
        _ => NameRule::Dns1123Subdomain,
    }
}

/// `(key, value)` pairs of a decoded `map[string]string`.
pub(super) fn pairs(entries: &[(Spanned<String>, Spanned<String>)]) -> Vec<(String, String)> {
    entries.iter().map(|(k, v)| (k.value.clone(), v.value.clone())).collect()
}

/// Whether decoding the document so far found no error. The API server rejects a document it
/// cannot decode (a value of the wrong type, an unknown field under strict field validation)
/// without validating it, so loaders validate only when this holds.
pub(super) fn decoded_cleanly(ctx: &Ctx) -> bool {
    !ctx.d.diagnostics().iter().any(|d| d.severity == Severity::Error)
}

/// Validation findings for one object, remembering whether any of them was an error.
pub(super) struct Checks<'c, 'a> {
    pub ctx: &'c mut Ctx<'a>,
    failed: bool,
    /// A hint attached to every error reported while it is set.
    pub hint: Option<&'static str>,
}

impl<'c, 'a> Checks<'c, 'a> {
    /// Findings reported into `ctx`.
    pub fn new(ctx: &'c mut Ctx<'a>) -> Self {
        Checks { ctx, failed: false, hint: None }
    }

    /// Whether any error was reported.
    pub fn failed(&self) -> bool {
        self.failed
    }

    /// Reports `error` at the field `path`, located at the field (or its nearest written ancestor).
    pub fn fail(&mut self, path: &FieldPath, error: FieldError) {
        self.fail_near(path, path, error);
    }

    /// Reports `error` about the field `path`, located at the text of `written` (for paths the
    /// learner did not write: `spec.clusterIPs[0]` when only `clusterIP` is written).
    pub fn fail_near(&mut self, written: &FieldPath, path: &FieldPath, error: FieldError) {
        self.failed = true;
        let span = self.ctx.source().span_of(&written.to_string());
        let hint = self.hint;
        let diagnostic = self.ctx.d.error(span, path, error.to_string());
        diagnostic.hint = hint.map(str::to_string);
    }

    /// Reports an error about `path` worded by a tool other than the API server (kind), as is.
    pub fn fail_message(&mut self, path: &FieldPath, message: String) {
        self.failed = true;
        let span = self.ctx.source().span_of(&path.to_string());
        self.ctx.d.error(span, path, message);
    }

    /// Reports errors that carry their own paths.
    pub fn fail_all(&mut self, errors: Vec<PathError>) {
        self.failed |= !errors.is_empty();
        self.ctx.fail_all(errors);
    }

    /// Reports the errors of a validator that puts every error at the path of the map it
    /// checks (`ValidateLabels`) as errors about `path`, located at `written`.
    pub fn fail_map(&mut self, written: &FieldPath, path: &FieldPath, errors: Vec<PathError>) {
        for e in errors {
            self.fail_near(written, path, e.error);
        }
    }

    /// Reports each detail of a string validator as `Invalid value: "<value>": <detail>`.
    pub fn invalid_details(&mut self, path: &FieldPath, value: &str, details: Vec<String>) {
        for detail in details {
            self.fail(path, FieldError::invalid(value, detail));
        }
    }

    /// Reports a warning located at `written`; `field` is the root for the API server's
    /// warnings that name their field in the sentence.
    pub fn warn(&mut self, written: &FieldPath, field: &FieldPath, message: impl Into<String>) {
        let span = self.ctx.source().span_of(&written.to_string());
        self.ctx.d.error(span, field, message).severity = Severity::Warning;
    }
}

/// A `map[string]string` as Go's `encoding/json` writes it: keys sorted, `null` when absent.
pub(super) fn json_labels(labels: Option<&[(String, String)]>) -> String {
    let Some(labels) = labels else { return "null".to_string() };
    let mut sorted: Vec<&(String, String)> = labels.iter().collect();
    sorted.sort();
    let entries: Vec<String> = sorted.iter().map(|(k, v)| format!("{}:{}", json_quote(k), json_quote(v))).collect();
    format!("{{{}}}", entries.join(","))
}

/// A `metav1.LabelSelector` as Go's `encoding/json` writes it (empty fields omitted).
pub(super) fn json_selector(selector: &SelectorToCheck) -> String {
    let mut fields = Vec::new();
    if !selector.match_labels.is_empty() {
        fields.push(format!("\"matchLabels\":{}", json_labels(Some(&selector.match_labels))));
    }
    if !selector.match_expressions.is_empty() {
        let requirements: Vec<String> = selector
            .match_expressions
            .iter()
            .map(|r| {
                let mut out = format!("{{\"key\":{},\"operator\":{}", json_quote(&r.key), json_quote(&r.operator));
                if !r.values.is_empty() {
                    let values: Vec<String> = r.values.iter().map(|v| json_quote(v)).collect();
                    out.push_str(&format!(",\"values\":[{}]", values.join(",")));
                }
                out.push('}');
                out
            })
            .collect();
        fields.push(format!("\"matchExpressions\":[{}]", requirements.join(",")));
    }
    format!("{{{}}}", fields.join(","))
}

/// Reads `metadata` and checks it; the namespace defaults to `default` for namespaced kinds.
///
/// An object whose metadata is invalid is still returned, so that its loader can report the
/// problems of the rest of the document too (as `ValidateObjectMeta` and the kind's spec
/// validation report together); the errors reported here reject the document.
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
        ctx.d.error(
            generate.span,
            &FieldPath::root().field("metadata").field("generateName"),
            format!(
                "cannot use generate name with apply (generateName: {:?}); give the object a metadata.name",
                generate.value
            ),
        );
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
    ctx.fail_all(errors);
    Some(ObjectMeta {
        name,
        namespace: namespace.unwrap_or_default(),
        labels: label_pairs.into_iter().collect(),
        annotations: annotation_pairs.into_iter().collect(),
    })
}

/// Reads a `map[string]string` of labels at `item` (such as a pod's `nodeSelector`) and
/// validates keys and values (`ValidateLabels`, every error at the map's path).
pub fn load_labels(ctx: &mut Ctx, item: &Item) -> Option<Labels> {
    let entries = ctx.d.string_map(item)?;
    let pairs = pairs(&entries);
    let errors = validate_labels(&pairs, &item.path.to_string());
    let ok = errors.is_empty();
    ctx.fail_all(errors);
    ok.then(|| pairs.into_iter().collect())
}

/// Decodes a `metav1.LabelSelector` at `item` as written, without validating it.
pub(super) fn read_selector(ctx: &mut Ctx, item: &Item) -> Option<SelectorToCheck> {
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
    Some(SelectorToCheck { match_labels: pairs(&match_labels), match_expressions: expressions })
}

/// The typed selector of one that passed validation.
pub(super) fn typed_selector(written: &SelectorToCheck) -> LabelSelector {
    let match_expressions = written
        .match_expressions
        .iter()
        .filter_map(|r| {
            let operator = Operator::parse(&r.operator)?;
            Some(Requirement { key: r.key.clone(), operator, values: r.values.iter().cloned().collect() })
        })
        .collect();
    LabelSelector { match_labels: written.match_labels.iter().cloned().collect(), match_expressions }
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

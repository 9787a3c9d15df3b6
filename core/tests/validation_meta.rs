//! Object metadata validation against the API server's exact errors.
//!
//! Expected strings follow upstream `ValidateObjectMetaAccessor`, `ValidateAnnotations` and
//! `TotalAnnotationSizeLimitB` (256 KiB) in k8s.io/apimachinery/pkg/api/validation/objectmeta.go,
//! the name functions in generic.go, the name details in content/dns.go and
//! util/validation/validation.go, and `TooLong` in field/errors.go.

use kubeplay_core::validation::meta::{annotations, object_meta, NameRule, ObjectMeta};

const SUBDOMAIN_MSG: &str = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const DNS1035_MSG: &str = "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')";
const NAME_PART_MSG: &str = "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";

fn meta<'a>(name: &'a str, namespace: Option<&'a str>) -> ObjectMeta<'a> {
    ObjectMeta { name, namespace, labels: &[], annotations: &[] }
}

fn errors(meta: &ObjectMeta<'_>, rule: NameRule) -> Vec<String> {
    object_meta(meta, rule).iter().map(ToString::to_string).collect()
}

fn pairs(entries: &[(&str, &str)]) -> Vec<(String, String)> {
    entries.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

#[test]
fn object_meta_accepts_a_well_formed_object() {
    let labels = pairs(&[("app", "web")]);
    let notes = pairs(&[("Example.com/Owner", "team-a")]);
    let meta = ObjectMeta { name: "web", namespace: Some("default"), labels: &labels, annotations: &notes };
    assert_eq!(errors(&meta, NameRule::Dns1035Label), Vec::<String>::new());
}

#[test]
fn object_meta_name_is_required() {
    assert_eq!(
        errors(&meta("", Some("default")), NameRule::Dns1123Subdomain),
        ["metadata.name: Required value: name or generateName is required"]
    );
}

#[test]
fn service_names_are_dns1035_labels() {
    assert_eq!(
        errors(&meta("123-abc", Some("default")), NameRule::Dns1035Label),
        [format!("metadata.name: Invalid value: \"123-abc\": {DNS1035_MSG}")]
    );
}

#[test]
fn pod_names_are_dns1123_subdomains() {
    assert_eq!(errors(&meta("web.v1", Some("default")), NameRule::Dns1123Subdomain), Vec::<String>::new());
    assert_eq!(
        errors(&meta("Web", Some("default")), NameRule::Dns1123Subdomain),
        [format!("metadata.name: Invalid value: \"Web\": {SUBDOMAIN_MSG}")]
    );
}

#[test]
fn namespace_names_are_dns1123_labels() {
    assert_eq!(
        errors(&meta("team.a", None), NameRule::Dns1123Label),
        ["metadata.name: Invalid value: \"team.a\": must not contain dots"]
    );
}

#[test]
fn object_meta_namespace_is_required_for_namespaced_kinds() {
    assert_eq!(errors(&meta("web", Some("")), NameRule::Dns1123Subdomain), ["metadata.namespace: Required value"]);
}

#[test]
fn object_meta_namespace_must_be_a_dns1123_label() {
    assert_eq!(
        errors(&meta("web", Some("my.ns")), NameRule::Dns1123Subdomain),
        ["metadata.namespace: Invalid value: \"my.ns\": must not contain dots"]
    );
}

#[test]
fn object_meta_reports_labels_at_metadata_labels() {
    let labels = pairs(&[("-app", "web")]);
    let meta = ObjectMeta { name: "web", namespace: Some("default"), labels: &labels, annotations: &[] };
    assert_eq!(
        errors(&meta, NameRule::Dns1123Subdomain),
        [format!("metadata.labels: Invalid value: \"-app\": {NAME_PART_MSG}")]
    );
}

#[test]
fn annotation_keys_are_label_keys_in_any_case() {
    let entries = pairs(&[("Example.COM/Owner", "x"), ("-bad", "y")]);
    let lines: Vec<String> = annotations(&entries, "metadata.annotations").iter().map(ToString::to_string).collect();
    assert_eq!(lines, [format!("metadata.annotations: Invalid value: \"-bad\": {NAME_PART_MSG}")]);
}

#[test]
fn annotations_may_take_256_kib_in_total() {
    let at_limit = pairs(&[("abc", &"x".repeat(256 * 1024 - 3))]);
    assert!(annotations(&at_limit, "metadata.annotations").is_empty());
    let over = pairs(&[("abc", &"x".repeat(256 * 1024 - 3)), ("d", "")]);
    let lines: Vec<String> = annotations(&over, "metadata.annotations").iter().map(ToString::to_string).collect();
    assert_eq!(lines, ["metadata.annotations: Too long: may not be more than 262144 bytes"]);
}

#[test]
fn object_meta_errors_come_in_upstream_order() {
    let labels = pairs(&[("app", "-web")]);
    let notes = pairs(&[("-note", "")]);
    let meta = ObjectMeta { name: "Web", namespace: Some("Team"), labels: &labels, annotations: &notes };
    let fields: Vec<String> = object_meta(&meta, NameRule::Dns1123Subdomain).into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["metadata.name", "metadata.namespace", "metadata.labels", "metadata.annotations"]);
}

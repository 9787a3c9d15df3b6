//! The field decoder on Service-shaped documents: unknown fields, type mismatches, null,
//! label values and field paths, each diagnostic checked in the CLI's one-line format, in file
//! order.

use kubeplay_core::decode::{Decoder, FieldPath, IntOrString, Item, Spanned};
use kubeplay_core::yaml::parse_file;

/// What a small Service decoder read.
#[derive(Debug, Default, PartialEq)]
struct Service {
    name: Option<String>,
    labels: Vec<(String, String)>,
    selector: Option<Vec<(String, String)>>,
    ports: Vec<Port>,
    cluster_ip: Option<String>,
}

#[derive(Debug, Default, PartialEq)]
struct Port {
    name: Option<String>,
    port: Option<i32>,
    target_port: Option<IntOrString>,
}

fn pairs(map: Vec<(Spanned<String>, Spanned<String>)>) -> Vec<(String, String)> {
    map.into_iter().map(|(k, v)| (k.value, v.value)).collect()
}

/// Decodes `text` as the later API layer will: every field of the kinds it models is read,
/// and each object is finished so unknown fields are reported.
fn decode(text: &str) -> (Service, Vec<String>) {
    let parsed = parse_file("svc.yaml", text);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    let mut d = Decoder::new("svc.yaml", text);
    let mut service = Service::default();
    let root = Item::root(&parsed.documents[0].root);
    if let Some(mut object) = d.map(&root) {
        object.ignore(&["apiVersion", "kind"]);
        if let Some(mut metadata) = object.map(&mut d, "metadata") {
            service.name = metadata.str(&mut d, "name").map(|s| s.value);
            service.labels = metadata.string_map(&mut d, "labels").map(pairs).unwrap_or_default();
            metadata.finish(&mut d);
        }
        if let Some(mut spec) = object.map(&mut d, "spec") {
            service.selector = spec.string_map(&mut d, "selector").map(pairs);
            service.cluster_ip = spec.str(&mut d, "clusterIP").map(|s| s.value);
            for item in spec.seq(&mut d, "ports").unwrap_or_default() {
                if let Some(mut p) = d.map(&item) {
                    service.ports.push(Port {
                        name: p.str(&mut d, "name").map(|s| s.value),
                        port: p.int32(&mut d, "port").map(|s| s.value),
                        target_port: p.int_or_string(&mut d, "targetPort").map(|s| s.value),
                    });
                    p.ignore(&["protocol"]);
                    p.finish(&mut d);
                }
            }
            spec.finish(&mut d);
        }
        object.finish(&mut d);
    }
    (service, d.into_diagnostics().iter().map(ToString::to_string).collect())
}

const GOOD: &str = "\
apiVersion: v1
kind: Service
metadata:
  name: web
  labels:
    app: web
spec:
  selector:
    app: web
  ports:
  - name: http
    port: 80
    targetPort: http
  - port: 443
    targetPort: 8443
    protocol: TCP
";

#[test]
fn a_well_formed_service_decodes_without_diagnostics() {
    let (service, diagnostics) = decode(GOOD);
    assert_eq!(diagnostics, Vec::<String>::new());
    assert_eq!(service.name.as_deref(), Some("web"));
    assert_eq!(service.labels, [("app".to_string(), "web".to_string())]);
    assert_eq!(
        service.ports,
        [
            Port { name: Some("http".into()), port: Some(80), target_port: Some(IntOrString::Str("http".into())) },
            Port { name: None, port: Some(443), target_port: Some(IntOrString::Int(8443)) },
        ]
    );
}

#[test]
fn an_unknown_field_is_reported_like_strict_field_validation_with_did_you_mean() {
    let text = GOOD.replace("targetPort: http", "targetport: http").replace("  selector:", "  selectr:");
    let (_, diagnostics) = decode(&text);
    assert_eq!(
        diagnostics,
        [
            "svc.yaml:8:3: spec.selectr: unknown field \"spec.selectr\" (did you mean \"selector\"?)",
            "svc.yaml:13:5: spec.ports[0].targetport: unknown field \"spec.ports[0].targetport\" (did you mean \"targetPort\"?)",
        ]
    );
}

#[test]
fn a_field_far_from_any_known_one_gets_no_suggestion() {
    let (_, diagnostics) = decode(&GOOD.replace("kind: Service\n", "kind: Service\nstatus: {}\n"));
    assert_eq!(diagnostics, ["svc.yaml:3:1: status: unknown field \"status\""]);
}

#[test]
fn type_mismatches_name_the_expected_and_the_given_type() {
    let text = GOOD
        .replace("port: 80", "port: \"80\"")
        .replace("port: 443", "port: https")
        .replace("name: web\n  labels", "name: [web]\n  labels");
    let (service, diagnostics) = decode(&text);
    assert_eq!(
        diagnostics,
        [
            "svc.yaml:4:9: metadata.name: expected a string, got array",
            "svc.yaml:12:11: spec.ports[0].port: expected an integer (int32), got string \"80\" (write the number without quotes: 80)",
            "svc.yaml:14:11: spec.ports[1].port: expected an integer (int32), got string \"https\"",
        ]
    );
    assert_eq!(service.ports[0].port, None);
}

#[test]
fn a_mapping_where_a_list_belongs_is_explained() {
    let text = "spec:\n  ports:\n    name: http\n    port: 80\n";
    let (_, diagnostics) = decode(text);
    assert_eq!(
        diagnostics,
        ["svc.yaml:3:5: spec.ports: expected an array, got object (start each element of a list with '- ')"]
    );
}

#[test]
fn numbers_are_integers_when_their_json_text_is() {
    // go-yaml reads 1e3 as a float, but json.Marshal writes it as 1000; 8080.5 stays a fraction.
    let text = "spec:\n  ports:\n  - port: 1e3\n    targetPort: 8080.5\n  - port: 3000000000\n";
    let (service, diagnostics) = decode(text);
    assert_eq!(service.ports[0].port, Some(1000));
    assert_eq!(
        diagnostics,
        [
            "svc.yaml:4:17: spec.ports[0].targetPort: expected an integer or a string, got number 8080.5",
            "svc.yaml:5:11: spec.ports[1].port: integer 3000000000 is out of range for int32",
        ]
    );
}

#[test]
fn null_fields_are_absent_and_null_elements_are_zero_values() {
    let text = "metadata:\n  name: ~\n  labels:\n    app:\nspec:\n  selector: null\n  clusterIP:\n  ports:\n  - \n";
    let (service, diagnostics) = decode(text);
    assert_eq!(diagnostics, Vec::<String>::new());
    assert_eq!(service.name, None);
    assert_eq!(service.selector, None);
    assert_eq!(service.cluster_ip, None);
    // encoding/json stores a null map value as the zero value, and a null element as a zero struct.
    assert_eq!(service.labels, [("app".to_string(), String::new())]);
    assert_eq!(service.ports, [Port::default()]);
}

#[test]
fn label_values_that_are_not_strings_are_the_classic_error() {
    let text = "metadata:\n  labels:\n    enabled: yes\n    version: 1.0\n    tier: backend\n    port: 80\n";
    let (service, diagnostics) = decode(text);
    assert_eq!(
        diagnostics,
        [
            "svc.yaml:3:14: metadata.labels[enabled]: expected a string, got boolean true (quote it to make it a string: \"yes\")",
            "svc.yaml:4:14: metadata.labels[version]: expected a string, got number 1 (quote it to make it a string: \"1.0\")",
            "svc.yaml:6:11: metadata.labels[port]: expected a string, got integer 80 (quote it to make it a string: \"80\")",
        ]
    );
    assert_eq!(service.labels, [("tier".to_string(), "backend".to_string())]);
}

#[test]
fn a_value_reached_through_an_alias_is_hinted_from_its_value() {
    let text = "x: &t true\nmetadata:\n  labels:\n    on: *t\n";
    let (_, diagnostics) = decode(text);
    assert_eq!(
        diagnostics,
        [
            "svc.yaml:1:1: x: unknown field \"x\"",
            "svc.yaml:4:9: metadata.labels[true]: expected a string, got boolean true (quote it to make it a string: \"true\")",
        ]
    );
}

#[test]
fn diagnostics_carry_the_field_path_and_span() {
    let text = "spec:\n  ports:\n  - port: eighty\n";
    let parsed = parse_file("svc.yaml", text);
    let mut d = Decoder::new("svc.yaml", text);
    let root = Item::root(&parsed.documents[0].root);
    let mut object = d.map(&root).expect("an object");
    let mut spec = object.map(&mut d, "spec").expect("spec");
    let ports = spec.seq(&mut d, "ports").expect("ports");
    assert_eq!(ports[0].path.to_string(), "spec.ports[0]");
    let mut port = d.map(&ports[0]).expect("a port");
    assert_eq!(port.path(), &FieldPath::root().field("spec").field("ports").index(0));
    assert_eq!(port.int32(&mut d, "port"), None);
    port.finish(&mut d);
    spec.finish(&mut d);
    object.finish(&mut d);
    let diagnostics = d.into_diagnostics();
    assert_eq!(diagnostics.len(), 1);
    assert_eq!(diagnostics[0].field, "spec.ports[0].port");
    assert_eq!(&text[diagnostics[0].span.start.offset..diagnostics[0].span.end.offset], "eighty");
}

#[test]
fn a_document_that_is_not_an_object_is_a_type_error_at_its_root() {
    let text = "- a\n- b\n";
    let parsed = parse_file("svc.yaml", text);
    let mut d = Decoder::new("svc.yaml", text);
    assert!(d.map(&Item::root(&parsed.documents[0].root)).is_none());
    assert_eq!(d.diagnostics()[0].to_string(), "svc.yaml:1:1: expected an object, got array");
}

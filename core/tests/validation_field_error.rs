//! How field errors print, against the API server's `ErrorBody`.
//!
//! Expected strings follow upstream k8s.io/apimachinery/pkg/util/validation/field/errors.go:
//! `ErrorType.String` for the kind phrases, `ErrorBody` for which kinds echo the value and how
//! (`%q` for strings, `%v` for numbers and booleans, JSON otherwise), `NotSupported` for the
//! `supported values: "A", "B"` detail, `TooLong` and `TooMany` for their wording.

use kubeplay_core::diag::{Pos, Severity, Span};
use kubeplay_core::validation::{FieldError, ShownValue};

fn body(error: FieldError) -> String {
    error.to_string()
}

#[test]
fn invalid_shows_an_integer_bare() {
    assert_eq!(
        body(FieldError::invalid(80_i64, "must be between 1 and 65535, inclusive")),
        "Invalid value: 80: must be between 1 and 65535, inclusive"
    );
    assert_eq!(
        body(FieldError::invalid(-1_i64, "must be greater than or equal to 0")),
        "Invalid value: -1: must be greater than or equal to 0"
    );
}

#[test]
fn invalid_shows_a_string_go_quoted() {
    assert_eq!(body(FieldError::invalid("Web", "bad")), "Invalid value: \"Web\": bad");
    assert_eq!(body(FieldError::invalid("a\"b\n", "bad")), "Invalid value: \"a\\\"b\\n\": bad");
}

#[test]
fn invalid_shows_a_boolean_bare_and_a_list_as_json() {
    assert_eq!(body(FieldError::invalid(true, "bad")), "Invalid value: true: bad");
    let list = vec!["10.0.0.1".to_string(), "None".to_string()];
    assert_eq!(body(FieldError::invalid(list, "bad")), "Invalid value: [\"10.0.0.1\",\"None\"]: bad");
}

#[test]
fn invalid_without_detail_ends_at_the_value() {
    assert_eq!(body(FieldError::invalid("x", "")), "Invalid value: \"x\"");
}

#[test]
fn required_never_shows_a_value() {
    assert_eq!(body(FieldError::required("")), "Required value");
    assert_eq!(
        body(FieldError::required("name or generateName is required")),
        "Required value: name or generateName is required"
    );
}

#[test]
fn not_supported_lists_supported_values_quoted() {
    assert_eq!(
        body(FieldError::not_supported("Foo", &["SCTP", "TCP", "UDP"])),
        "Unsupported value: \"Foo\": supported values: \"SCTP\", \"TCP\", \"UDP\""
    );
    assert_eq!(body(FieldError::not_supported("Foo", &[])), "Unsupported value: \"Foo\"");
}

#[test]
fn duplicate_and_not_found_show_the_value_only() {
    assert_eq!(body(FieldError::Duplicate { value: ShownValue::from("http") }), "Duplicate value: \"http\"");
    assert_eq!(body(FieldError::Duplicate { value: ShownValue::Int(80) }), "Duplicate value: 80");
    assert_eq!(body(FieldError::NotFound { value: ShownValue::from("web") }), "Not found: \"web\"");
}

#[test]
fn forbidden_never_shows_a_value() {
    assert_eq!(body(FieldError::forbidden("")), "Forbidden");
    assert_eq!(
        body(FieldError::forbidden("may not be specified when `operator` is 'Exists' or 'DoesNotExist'")),
        "Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'"
    );
}

#[test]
fn too_long_omits_the_value_and_counts_bytes() {
    assert_eq!(body(FieldError::TooLong { max: 262144 }), "Too long: may not be more than 262144 bytes");
    assert_eq!(body(FieldError::TooLong { max: 1 }), "Too long: may not be more than 1 byte");
}

#[test]
fn too_many_shows_the_count_when_known() {
    assert_eq!(body(FieldError::TooMany { actual: Some(5), max: 3 }), "Too many: 5: must have at most 3 items");
    assert_eq!(body(FieldError::TooMany { actual: None, max: 1 }), "Too many: must have at most 1 item");
}

#[test]
fn path_error_prints_like_the_api_server() {
    let error = FieldError::invalid(0_i64, "must be between 1 and 65535, inclusive").at("spec.ports[0].port");
    assert_eq!(error.to_string(), "spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive");
}

#[test]
fn into_diagnostic_keeps_path_apart_from_message() {
    let start = Pos { line: 3, column: 7, offset: 40 };
    let span = Span { start, end: Pos { line: 3, column: 8, offset: 41 } };
    let diagnostic = FieldError::invalid(0_i64, "must be between 1 and 65535, inclusive")
        .at("spec.ports[0].port")
        .into_diagnostic("svc.yaml", span);
    assert_eq!(diagnostic.severity, Severity::Error);
    assert_eq!(diagnostic.file, "svc.yaml");
    assert_eq!(diagnostic.span, span);
    assert_eq!(diagnostic.field, "spec.ports[0].port");
    assert_eq!(diagnostic.message, "Invalid value: 0: must be between 1 and 65535, inclusive");
    assert_eq!(
        diagnostic.to_string(),
        "svc.yaml:3:7: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"
    );
}

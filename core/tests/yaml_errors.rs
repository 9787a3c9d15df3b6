//! Syntax errors: the exact line and column, go-yaml's wording, a hint, and the documents read
//! before the error.

use kubeplay_core::diag::Severity;
use kubeplay_core::yaml::parse_file;

/// The single diagnostic for `text`, as `line:col: message`, after checking it is an error
/// with a hint and that no document was returned.
fn error(text: &str) -> String {
    let parsed = parse_file("f.yaml", text);
    assert!(parsed.documents.is_empty(), "documents: {:?}", parsed.documents);
    assert_eq!(parsed.diagnostics.len(), 1, "{:?}", parsed.diagnostics);
    let d = &parsed.diagnostics[0];
    assert_eq!(d.severity, Severity::Error);
    assert!(d.hint.is_some(), "no hint for {d}");
    assert_eq!(d.field, "");
    format!("{}:{}: {}", d.span.start.line, d.span.start.column, d.message)
}

#[test]
fn a_colon_inside_a_plain_value() {
    assert_eq!(error("image: nginx: latest\n"), "1:13: mapping values are not allowed in this context");
}

#[test]
fn a_key_indented_too_far_after_a_scalar() {
    assert_eq!(error("a: 1\n  b: 2\n"), "2:4: mapping values are not allowed in this context");
}

#[test]
fn a_key_indented_less_than_its_siblings() {
    assert_eq!(error("spec:\n  port: 80\n protocol: TCP\n"), "3:2: did not find expected key");
}

#[test]
fn a_list_item_where_a_key_is_expected() {
    assert_eq!(error("a: 1\n- b\n"), "2:1: did not find expected key");
}

#[test]
fn a_key_among_list_items() {
    assert_eq!(error("ports:\n  - 80\n  name: x\n"), "3:3: did not find expected '-' indicator");
}

#[test]
fn a_missing_colon_is_reported_at_its_key_not_on_the_next_line() {
    let text = "spec:\n  ports:\n  - port: 80\n    targetPort 8080\n\n    # comment\n    protocol: TCP\n";
    assert_eq!(error(text), "4:5: could not find expected ':'");
    assert_eq!(error("a: 1\nb 2"), "2:1: could not find expected ':'");
}

#[test]
fn tabs_used_for_indentation() {
    assert_eq!(error("spec:\n\tport: 80\n"), "2:2: found a tab character that violates indentation");
}

#[test]
fn a_tab_after_a_complex_key_colon_is_refused_as_go_yaml_refuses_it() {
    assert_eq!(error("? port\n:\t80\n"), "2:2: found a tab character that cannot start any token");
}

#[test]
fn unclosed_brackets_and_quotes() {
    assert_eq!(error("args: [a, b\n"), "2:1: did not find expected ',' or ']'");
    assert_eq!(error("name: \"web\n"), "1:7: found unexpected end of stream while scanning a quoted scalar");
}

#[test]
fn reserved_indicators() {
    assert_eq!(error("name: @web\n"), "1:7: found character that cannot start any token");
}

#[test]
fn columns_count_characters_after_multibyte_text() {
    assert_eq!(error("名前: 値: x\n"), "1:6: mapping values are not allowed in this context");
}

#[test]
fn documents_completed_before_a_syntax_error_are_returned() {
    let parsed = parse_file("f.yaml", "a: 1\n---\nb: 2\n---\nc: [\n---\nd: 4\n");
    let roots: Vec<_> = parsed.documents.iter().map(|d| d.root.as_map().expect("a map")[0].0.as_str()).collect();
    assert_eq!(roots, [Some("a"), Some("b")]);
    assert_eq!(parsed.diagnostics.len(), 1);
    let d = &parsed.diagnostics[0];
    assert_eq!((d.span.start.line, d.span.start.column), (6, 1));
    assert_eq!(d.message, "did not find expected node content");
}

//! Where nodes are: 1-based lines, 1-based columns counted in characters, byte offsets.

use kubeplay_core::diag::Span;
use kubeplay_core::yaml::{parse_file, Node};

/// `(line, column)` of a span's start and end.
fn at(span: Span) -> ((u32, u32), (u32, u32)) {
    ((span.start.line, span.start.column), (span.end.line, span.end.column))
}

/// The text a span covers.
fn text_of(text: &str, span: Span) -> &str {
    &text[span.start.offset..span.end.offset]
}

fn root(text: &str) -> Node {
    let parsed = parse_file("f.yaml", text);
    assert!(parsed.diagnostics.is_empty(), "{:?}", parsed.diagnostics);
    parsed.documents[0].root.clone()
}

/// The key node and the value node of `key` in a mapping.
fn entry<'n>(map: &'n Node, key: &str) -> (&'n Node, &'n Node) {
    let entries = map.as_map().expect("a mapping");
    let (k, v) = entries.iter().find(|(k, _)| k.as_str() == Some(key)).expect("the key");
    (k, v)
}

const SERVICE: &str = "\
# Überblick: ein Dienst ☸
metadata:
  name: café
spec:
  ports:
  - name: http
    port: 80
    targetPort: web
  selector: {app: ☕}
";

#[test]
fn nested_keys_and_values_after_multibyte_text_have_character_columns_and_byte_offsets() {
    let root = root(SERVICE);
    let (_, metadata) = entry(&root, "metadata");
    let (name_key, name) = entry(metadata, "name");
    assert_eq!(at(name_key.span), ((3, 3), (3, 7)));
    assert_eq!(at(name.span), ((3, 9), (3, 13)));
    assert_eq!(text_of(SERVICE, name.span), "café");

    let (_, spec) = entry(&root, "spec");
    let (_, ports) = entry(spec, "ports");
    let port0 = &ports.as_seq().expect("a list")[0];
    let (port_key, port) = entry(port0, "port");
    assert_eq!(at(port_key.span), ((7, 5), (7, 9)));
    assert_eq!(at(port.span), ((7, 11), (7, 13)));
    assert_eq!(port.span.start.offset, SERVICE.find("80").expect("80"));

    let (_, selector) = entry(spec, "selector");
    let (_, app) = entry(selector, "app");
    assert_eq!(at(app.span), ((9, 19), (9, 20)));
    assert_eq!(text_of(SERVICE, app.span), "☕");
}

#[test]
fn block_collections_span_from_their_first_token_to_the_end_of_their_content() {
    let root = root(SERVICE);
    let (_, spec) = entry(&root, "spec");
    assert_eq!(at(spec.span), ((5, 3), (9, 21)));
    // An indentless sequence (`- ` at the key's indentation) starts at its `-`.
    let (_, ports) = entry(spec, "ports");
    assert_eq!(at(ports.span), ((6, 3), (8, 20)));
    let port0 = &ports.as_seq().expect("a list")[0];
    assert_eq!(at(port0.span), ((6, 5), (8, 20)));
    // A flow collection spans its brackets.
    let (_, selector) = entry(spec, "selector");
    assert_eq!(text_of(SERVICE, selector.span), "{app: ☕}");
    // The document runs from its first token to the end of its content.
    let document = &parse_file("f.yaml", SERVICE).documents[0];
    assert_eq!(at(document.span), ((2, 1), (9, 21)));
}

#[test]
fn scalar_spans_cover_quotes_and_block_scalar_headers() {
    let text = "a: \"q\\\"uoted\"\nb: |\n  line one\n  line two\n\nc: >-\n  folded\nd: 'x'\n";
    let root = root(text);
    assert_eq!(text_of(text, entry(&root, "a").1.span), "\"q\\\"uoted\"");
    let b = entry(&root, "b").1;
    assert_eq!(at(b.span), ((2, 4), (4, 11)));
    assert_eq!(text_of(text, b.span), "|\n  line one\n  line two");
    assert_eq!(text_of(text, entry(&root, "c").1.span), ">-\n  folded");
    assert_eq!(text_of(text, entry(&root, "d").1.span), "'x'");
}

#[test]
fn crlf_line_ends_count_as_one_break() {
    let text = "a: 1\r\nb:\r\n  c: 2\r\n";
    let root = root(text);
    let (_, b) = entry(&root, "b");
    let (c_key, c) = entry(b, "c");
    assert_eq!(at(c_key.span), ((3, 3), (3, 4)));
    assert_eq!(at(c.span), ((3, 6), (3, 7)));
    assert_eq!(c.span.start.offset, 15);
}

#[test]
fn merged_entries_keep_the_spans_of_the_text_they_came_from() {
    let text = "base: &b\n  port: 80\nsvc:\n  <<: *b\n  name: web\n";
    let root = root(text);
    let (_, svc) = entry(&root, "svc");
    let (port_key, port) = entry(svc, "port");
    assert_eq!(at(port_key.span), ((2, 3), (2, 7)));
    assert_eq!(at(port.span), ((2, 9), (2, 11)));
}

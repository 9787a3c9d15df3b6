//! What `parse_file` makes of a file: types, anchors, merges, keys and documents, each test
//! naming the go-yaml v2 / kubectl rule it pins.

use kubeplay_core::yaml::{go_quote, parse_file, Node, ParsedFile, Value};

/// The documents as compact JSON-like text (floats marked as `float(…)` to keep them apart
/// from integers), then the diagnostics in the CLI's one-line format.
fn dump(parsed: &ParsedFile) -> String {
    let mut out = String::new();
    for document in &parsed.documents {
        out.push_str(&format!("{}: {}\n", document.index, json(&document.root)));
    }
    for diagnostic in &parsed.diagnostics {
        out.push_str(&format!("{diagnostic}\n"));
    }
    out
}

fn json(node: &Node) -> String {
    match &node.value {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Float(_) => format!("float({})", node.value.api_repr()),
        Value::Str(s) => go_quote(s),
        Value::Seq(items) => format!("[{}]", items.iter().map(json).collect::<Vec<_>>().join(", ")),
        Value::Map(entries) => format!(
            "{{{}}}",
            entries.iter().map(|(k, v)| format!("{}: {}", json(k), json(v))).collect::<Vec<_>>().join(", ")
        ),
    }
}

fn check(text: &str, expected: &str) {
    assert_eq!(dump(&parse_file("f.yaml", text)), expected, "input:\n{text}");
}

#[test]
fn plain_scalars_resolve_as_go_yaml_v2_resolve_go_does() {
    // YAML 1.1 booleans (even the key `n`, which becomes "false"); 0755 is octal; 08 is not
    // octal, so it falls through to a float; timestamps stay strings; quoted and block scalars
    // are always strings.
    check(
        "a: yes\nb: on\nc: N\nd: \"yes\"\ne: 0755\nf: 0o755\ng: 0x1F\nh: 1_000\ni: 08\nj: 1e3\n\
         k: .5\nl: ~\nm:\nn: Null\no: 2001-12-14\np: '80'\nq: |\n  text\nr: -0\ns: 1.0\nt: <<\n",
        "0: {\"a\": true, \"b\": true, \"c\": false, \"d\": \"yes\", \"e\": 493, \"f\": 493, \"g\": 31, \
         \"h\": 1000, \"i\": float(8), \"j\": float(1000), \"k\": float(0.5), \"l\": null, \"m\": null, \
         \"false\": null, \"o\": \"2001-12-14\", \"p\": \"80\", \"q\": \"text\\n\", \"r\": 0, \"s\": float(1), \
         \"t\": \"<<\"}\n",
    );
}

#[test]
fn explicit_tags_are_honoured_as_go_yaml_v2_decode_go_does() {
    check(
        "a: !!str 80\nb: !!int \"42\"\nc: !!float 1\nd: !!bool \"on\"\ne: !!null ''\nf: !custom 7\ng: ! 7\n",
        "0: {\"a\": \"80\", \"b\": 42, \"c\": float(1), \"d\": true, \"e\": null, \"f\": \"7\", \"g\": \"7\"}\n",
    );
    check(
        "port: !!int eighty\n",
        "f.yaml:1:7: cannot decode !!str `eighty` as a !!int (remove the tag or change the value to match it)\n",
    );
}

#[test]
fn keys_become_json_object_keys_as_sigs_k8s_io_yaml_makes_them() {
    // convertToJSONableObject: ints and bools are printed, floats with FormatFloat(f, 'g', -1, 32).
    check(
        "yes: a\n80: c\n1.5: d\n1e6: e\n\"<<\": f\n",
        "0: {\"true\": \"a\", \"80\": \"c\", \"1.5\": \"d\", \"1e+06\": \"e\", \"<<\": \"f\"}\n",
    );
    // `y` is the boolean true too, so this is the key "true" twice.
    check(
        "yes: a\ny: b\n",
        "f.yaml:2:1: key true already set in map (it is first set on line 1; kubectl apply would silently keep only the last value)\n",
    );
    check(
        "~: a\n? [x]\n: b\nok: c\n",
        "f.yaml:1:1: invalid map key: null (an empty or `~` key is null, which JSON cannot hold; quote it)\n\
         f.yaml:2:3: invalid map key: an array cannot be a key (keys must be strings, numbers or booleans)\n",
    );
}

#[test]
fn anchors_are_copied_where_aliases_stand() {
    check(
        "base: &b {x: 1, list: [a, b]}\nuse: *b\nname: &n web\nagain: *n\n",
        "0: {\"base\": {\"x\": 1, \"list\": [\"a\", \"b\"]}, \"use\": {\"x\": 1, \"list\": [\"a\", \"b\"]}, \
         \"name\": \"web\", \"again\": \"web\"}\n",
    );
    // The copy's own span is the alias's; its children keep the anchor's.
    let parsed = parse_file("f.yaml", "base: &b {x: 1}\nuse: *b\n");
    let used = parsed.documents[0].root.get("use").expect("use");
    assert_eq!((used.span.start.line, used.span.start.column, used.span.end.column), (2, 6, 8));
    let x = used.get("x").expect("x");
    assert_eq!((x.span.start.line, x.span.start.column), (1, 14));
}

#[test]
fn unknown_and_self_referencing_anchors_are_errors_as_in_go_yaml_v2() {
    check(
        "a: *nope\n",
        "f.yaml:1:4: unknown anchor 'nope' referenced (define the anchor with `&name` before using `*name`)\n",
    );
    // Anchors are per document: the second document cannot use the first one's.
    check(
        "a: &x 1\n---\nb: *x\n",
        "0: {\"a\": 1}\n\
         f.yaml:3:4: unknown anchor 'x' referenced (an alias can only refer to an anchor defined before it in the same document)\n",
    );
    check(
        "a: &k key\n---\n*k : 1\n",
        "0: {\"a\": \"key\"}\n\
         f.yaml:3:1: unknown anchor 'k' referenced (an alias can only refer to an anchor defined before it in the same document)\n",
    );
    check(
        "a: &x [1, *x]\n",
        "f.yaml:1:11: anchor 'x' value contains itself (an alias can only refer to an anchor defined before it in the same document)\n",
    );
}

#[test]
fn merge_keys_follow_go_yaml_v2() {
    // v2 writes merged keys where `<<` stands: they override `y` written before it, lose to
    // `z` written after it; in a list of maps the earlier map wins.
    check(
        "a: &A {x: 1, y: 2}\nb:\n  y: 0\n  <<: [*A, {x: 9, w: 9}]\n  z: 3\nc: {<<: *A, x: 5}\n",
        "0: {\"a\": {\"x\": 1, \"true\": 2}, \"b\": {\"w\": 9, \"x\": 1, \"true\": 2, \"z\": 3}, \
         \"c\": {\"true\": 2, \"x\": 5}}\n",
    );
    check(
        "l: &L [{x: 1}]\nm:\n  <<: *L\nn:\n  <<: 3\n",
        "f.yaml:3:7: map merge requires map or sequence of maps as the value (`<<` takes a mapping (`<<: *base`) or a list of mappings (`<<: [*a, *b]`))\n\
         f.yaml:5:7: map merge requires map or sequence of maps as the value (`<<` takes a mapping (`<<: *base`) or a list of mappings (`<<: [*a, *b]`))\n",
    );
}

#[test]
fn duplicate_keys_are_errors_at_the_second_key_and_drop_only_their_document() {
    check(
        "kind: Service\n---\nspec:\n  port: 80\n  port: 81\n---\nkind: Pod\n",
        "0: {\"kind\": \"Service\"}\n2: {\"kind\": \"Pod\"}\n\
         f.yaml:5:3: key \"port\" already set in map (it is first set on line 4; kubectl apply would silently keep only the last value)\n",
    );
}

#[test]
fn empty_documents_are_skipped_as_kubectl_skips_them() {
    // StreamVisitor skips a document whose JSON is empty or `null`.
    check("", "");
    check("# only a comment\n", "");
    check("---\n---\n# comment\n---\nnull\n---\na: 1\n---\n~\n---\nb: 2\n", "0: {\"a\": 1}\n1: {\"b\": 2}\n");
}

#[test]
fn documents_are_numbered_among_non_empty_ones() {
    let parsed = parse_file("f.yaml", "---\n---\na: 1\n---\n- x\n---\nplain\n");
    let indexes: Vec<usize> = parsed.documents.iter().map(|d| d.index).collect();
    assert_eq!(indexes, [0, 1, 2]);
    let spans: Vec<(u32, u32)> = parsed.documents.iter().map(|d| (d.span.start.line, d.span.end.line)).collect();
    assert_eq!(spans, [(2, 3), (4, 5), (6, 7)]);
}

#[test]
fn values_json_cannot_hold_are_errors() {
    // json.Marshal fails with "json: unsupported value: +Inf"; as keys they are just text.
    check(
        "a: .inf\nb: -.Inf\nc: .nan\n.inf: ok\n",
        "f.yaml:1:4: json: unsupported value: +Inf (JSON has no infinity or NaN; quote the value to keep it as text)\n\
         f.yaml:2:4: json: unsupported value: -Inf (JSON has no infinity or NaN; quote the value to keep it as text)\n\
         f.yaml:3:4: json: unsupported value: NaN (JSON has no infinity or NaN; quote the value to keep it as text)\n",
    );
    check(".inf: ok\n", "0: {\".inf\": \"ok\"}\n");
}

#[test]
fn excessive_aliasing_is_refused_as_go_yaml_v2_refuses_it() {
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..10 {
        let previous = format!("*a{}", i - 1);
        text.push_str(&format!("a{i}: &a{i} [{}]\n", vec![previous; 10].join(", ")));
    }
    let parsed = parse_file("f.yaml", &text);
    assert!(parsed.documents.is_empty());
    assert_eq!(parsed.diagnostics.len(), 1);
    assert_eq!(parsed.diagnostics[0].message, "document contains excessive aliasing");
    // Each line multiplies the nodes by ten; on line 4 aliases pass 99% of all decoded nodes.
    assert_eq!(parsed.diagnostics[0].span.start.line, 4);
}

#[test]
fn nesting_deeper_than_the_limit_is_refused_without_overflowing_the_stack() {
    let within = format!("{}{}", "[".repeat(255), "]".repeat(255));
    assert_eq!(parse_file("f.yaml", &within).documents.len(), 1);
    // Flow nesting is refused by saphyr, block nesting by the composer, with the same words.
    let block: String = (0..300).map(|i| format!("{}k{i}:\n", " ".repeat(i))).collect();
    for text in [format!("{}{}", "[".repeat(256), "]".repeat(256)), "[".repeat(100_000), block] {
        let parsed = parse_file("f.yaml", &text);
        assert!(parsed.documents.is_empty());
        assert_eq!(parsed.diagnostics[0].message, "exceeded max depth of 255");
        assert_eq!(parsed.diagnostics[0].span.start.line, if text.starts_with('[') { 1 } else { 256 });
    }
    // An alias cannot smuggle in depth the parser would have refused.
    let deep = format!("a: &d {}1{}\nb: [[*d]]\n", "[".repeat(254), "]".repeat(254));
    let parsed = parse_file("f.yaml", &deep);
    assert_eq!(parsed.diagnostics[0].message, "exceeded max depth of 255");
    assert_eq!(parsed.diagnostics[0].span.start.line, 2);
}

#[test]
fn kubectl_stream_rules_stop_the_parse() {
    // apimachinery YAMLReader: only a comment may follow `---`; the document before the bad
    // separator is lost too, as kubectl returns the error instead of it.
    check(
        "a: 1\n---\nb: 2\n--- {c: 3}\nd: 4\n",
        "0: {\"a\": 1}\n\
         f.yaml:4:5: invalid Yaml document separator: {c: 3} (kubectl only accepts a comment after `---`; start the content on the next line)\n",
    );
    // go-yaml's reader: control characters are not allowed.
    check(
        "a: 1\n---\nb: x\u{7}y\n",
        "0: {\"a\": 1}\n\
         f.yaml:3:5: control characters are not allowed (remove the invisible character U+0007)\n",
    );
}

#[test]
fn tabs_between_a_key_and_its_value_are_accepted_as_go_yaml_accepts_them() {
    // scannerc.go: after a simple key's `:`, tabs are separation, not indentation.
    check(
        "port:\t80\nname:\t\tweb\nflow: {a:\tb}\n",
        "0: {\"port\": 80, \"name\": \"web\", \"flow\": {\"a\": \"b\"}}\n",
    );
    let text = "name:\tcafé\n";
    let parsed = parse_file("f.yaml", text);
    let name = parsed.documents[0].root.get("name").expect("name");
    assert_eq!((name.span.start.column, name.span.end.column), (7, 11));
    assert_eq!(&text[name.span.start.offset..name.span.end.offset], "café");
    // Tabs inside values are content and stay tabs.
    check("a: \"x:\ty\"\n", "0: {\"a\": \"x:\\ty\"}\n");
}

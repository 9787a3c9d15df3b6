//! A file cut into its documents' texts, before any YAML is parsed, so that each document can
//! be read on its own (and a document whose text did not change need not be read again).
//!
//! kubectl splits a file into documents at the lines that start with `---` (see the `prescan`
//! module); [`split`] cuts there too, each piece starting at the beginning of its `---` line.
//! A piece is read as if it were a file of its own, with positions relative to the piece: the
//! piece's [`Shift`] turns them into the file's. Columns need no shift, since every piece starts
//! at the beginning of a line.
//!
//! Invariant: reading the pieces gives the same documents and positions as reading the whole
//! file, whenever no piece has a diagnostic. [`split`] refuses the texts where that could fail
//! because a document's reading depends on more than its own text: directives (`%YAML`,
//! `%TAG`) and `...` end markers at the start of a line, tabs (replaced in a second pass whose
//! limit is per file) and byte order marks. Callers read a file whole when any piece has a
//! diagnostic, so errors are always reported exactly as a whole-file read reports them.

use crate::diag::Shift;

/// One document's text and where it starts in its file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Chunk<'t> {
    /// From the start of the `---` line (or of the file) to the next `---` line (or the end).
    pub text: &'t str,
    /// Turns positions within `text` into positions within the file.
    pub shift: Shift,
}

/// The file `text` cut at its `---` lines, or `None` when its documents cannot be read apart.
pub fn split(text: &str) -> Option<Vec<Chunk<'_>>> {
    let bytes = text.as_bytes();
    if bytes.contains(&b'\t') || text.contains('\u{feff}') {
        return None;
    }
    let mut chunks = Vec::new();
    let (mut start, mut start_line) = (0, 0u32);
    let mut line = 0u32;
    let mut at = 0;
    let any_returns = bytes.contains(&b'\r');
    // Line by line, split at line feeds as kubectl splits; lone carriage returns are line ends
    // for positions, so they are counted.
    for rest in bytes.split_inclusive(|&b| b == b'\n') {
        if rest.starts_with(b"%") || rest.starts_with(b"...") {
            return None;
        }
        if at > start && rest.starts_with(b"---") {
            chunks.push(Chunk { text: &text[start..at], shift: Shift { lines: start_line, offset: start } });
            (start, start_line) = (at, line);
        }
        let returns = if any_returns { lone_returns(rest) } else { 0 };
        line = line.saturating_add(1).saturating_add(returns);
        at += rest.len();
    }
    chunks.push(Chunk { text: &text[start..], shift: Shift { lines: start_line, offset: start } });
    Some(chunks)
}

/// The carriage returns in `line` not followed by a line feed.
fn lone_returns(line: &[u8]) -> u32 {
    if !line.contains(&b'\r') {
        return 0;
    }
    let inner = line.windows(2).filter(|pair| pair[0] == b'\r' && pair[1] != b'\n').count();
    u32::try_from(inner + usize::from(line.last() == Some(&b'\r'))).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diag::Span;
    use crate::yaml::{parse_file, Node, Value};
    use proptest::prelude::*;

    fn pieces(text: &str) -> Option<Vec<(&str, u32, usize)>> {
        split(text).map(|chunks| chunks.iter().map(|c| (c.text, c.shift.lines, c.shift.offset)).collect())
    }

    #[test]
    fn files_are_cut_at_the_start_of_separator_lines() {
        assert_eq!(pieces("a: 1\n---\nb: 2\n"), Some(vec![("a: 1\n", 0, 0), ("---\nb: 2\n", 1, 5)]));
        assert_eq!(pieces("---\na: 1\n--- # c\n\nb: 2"), Some(vec![("---\na: 1\n", 0, 0), ("--- # c\n\nb: 2", 2, 9)]));
        assert_eq!(pieces("a:\n  ---\n"), Some(vec![("a:\n  ---\n", 0, 0)]));
        assert_eq!(pieces(""), Some(vec![("", 0, 0)]));
    }

    #[test]
    fn lone_carriage_returns_count_as_line_ends() {
        assert_eq!(pieces("a: 1\rb: 2\r\n---\n"), Some(vec![("a: 1\rb: 2\r\n", 0, 0), ("---\n", 2, 11)]));
    }

    #[test]
    fn texts_whose_documents_depend_on_each_other_are_not_cut() {
        assert_eq!(pieces("%YAML 1.2\n---\na: 1\n"), None);
        assert_eq!(pieces("a: 1\n...\n---\nb: 2\n"), None);
        assert_eq!(pieces("a:\t1\n"), None);
        assert_eq!(pieces("\u{feff}a: 1\n"), None);
    }

    /// Pieces of text that make up files, each ending a line: documents or parts of them with
    /// the constructs whose reading could depend on what comes before or after (comments,
    /// block scalars kept or clipped, quoted and plain scalars over several lines, anchors and
    /// merge keys, flow collections, multi-byte characters, carriage returns), separators, and
    /// lines that break the YAML.
    const BLOCKS: &[&str] = &[
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n",
        "data: |\n  line one\n\n  line two\n",
        "data: |+\n  kept\n\n",
        "text: >-\n  folded\n  more\n\n",
        "a: &x {k: v}\nb: *x\nc:\n  <<: *x\n  d: 1\n",
        "- item\n- k: v\n  j: w\n",
        "key: 'quoted\n  still quoted'\n",
        "plain: multi\n  line plain\n",
        "items: [a, b,\n  c]\n",
        "? complex\n: value\n",
        "# only a comment\n",
        "\n\n",
        "   \n",
        "é: ü\n日本: 語\n",
        "x: y\r\nz: w\r\n",
        "x: y\rz: w\n",
        "null\n",
        "~\n",
        "port: 80\n",
        "  indented: 1\n",
        "key: \"open\n",
        "[unclosed\n",
        "---\n",
        "---\n",
        "---\n",
        "--- # next\n",
        "---   \n",
        "---\r\n",
    ];

    /// `node` with every position moved by `shift`.
    fn shifted(node: &Node, shift: Shift) -> Node {
        let value = match &node.value {
            Value::Seq(items) => Value::Seq(items.iter().map(|item| shifted(item, shift)).collect()),
            Value::Map(entries) => {
                Value::Map(entries.iter().map(|(k, v)| (shifted(k, shift), shifted(v, shift))).collect())
            }
            scalar => scalar.clone(),
        };
        Node { span: shift.span(node.span), value }
    }

    fn texts() -> impl Strategy<Value = String> {
        (prop::collection::vec(0..BLOCKS.len(), 0..16), any::<bool>()).prop_map(|(blocks, cut_last_break)| {
            let mut text: String = blocks.into_iter().map(|i| BLOCKS[i]).collect();
            if cut_last_break && text.ends_with('\n') {
                text.pop();
            }
            text
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]

        /// The module's invariant: when no piece has a diagnostic, the pieces read alone give
        /// the whole file's documents, spans and positions (the shift applied), and the whole
        /// file has no diagnostic either.
        #[test]
        fn pieces_read_alone_read_as_the_whole_file(text in texts()) {
            let Some(pieces) = split(&text) else { return Ok(()) };
            let mut documents: Vec<(Span, Node)> = Vec::new();
            for piece in &pieces {
                let parsed = parse_file("f.yaml", piece.text);
                if !parsed.diagnostics.is_empty() {
                    return Ok(());
                }
                documents
                    .extend(parsed.documents.iter().map(|d| (piece.shift.span(d.span), shifted(&d.root, piece.shift))));
            }
            let whole = parse_file("f.yaml", &text);
            prop_assert_eq!(&whole.diagnostics, &Vec::new());
            let expected: Vec<(Span, Node)> = whole.documents.into_iter().map(|d| (d.span, d.root)).collect();
            prop_assert_eq!(documents, expected);
        }
    }
}

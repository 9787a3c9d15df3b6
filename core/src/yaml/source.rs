//! Source positions: from the parser's character indices to `Pos` values.
//!
//! saphyr reports positions as character indices into the text. A [`Source`] turns such an
//! index into a [`Pos`]: the 1-based line, the 1-based column counted in characters, and the
//! byte offset. Lines end at `\n`, `\r\n` or a lone `\r`, as in YAML 1.2 and in the browser
//! editor. Every `Pos` it returns lies inside the text (an index past the end is clamped to the
//! end), which is what lets the editor underline every diagnostic.

use crate::diag::{Pos, Span};
use std::cell::Cell;

/// A text with the tables needed to answer position questions quickly.
pub(crate) struct Source<'t> {
    text: &'t str,
    /// Byte offset of every character index, plus one for the end; `None` for ASCII text,
    /// where the two coincide.
    byte_of_char: Option<Vec<usize>>,
    /// Character index at which each line starts; the first line starts at 0.
    line_starts: Vec<usize>,
    char_len: usize,
    /// The line of the last position asked for, where the next is most likely to be.
    last_line: Cell<usize>,
}

impl<'t> Source<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let ascii = text.is_ascii();
        let byte_of_char =
            (!ascii).then(|| text.char_indices().map(|(b, _)| b).chain(std::iter::once(text.len())).collect());
        let mut line_starts = vec![0];
        let mut char_len = 0;
        if ascii {
            // One byte per character: the line breaks can be found byte by byte.
            let bytes = text.as_bytes();
            for (i, b) in bytes.iter().enumerate() {
                let ends_line = match b {
                    b'\n' => true,
                    b'\r' => bytes.get(i + 1) != Some(&b'\n'),
                    _ => false,
                };
                if ends_line {
                    line_starts.push(i + 1);
                }
            }
            char_len = bytes.len();
        } else {
            let mut chars = text.chars().peekable();
            while let Some(c) = chars.next() {
                char_len += 1;
                let ends_line = match c {
                    '\n' => true,
                    '\r' => chars.peek() != Some(&'\n'),
                    _ => false,
                };
                if ends_line {
                    line_starts.push(char_len);
                }
            }
        }
        Source { text, byte_of_char, line_starts, char_len, last_line: Cell::new(0) }
    }

    pub(crate) fn text(&self) -> &'t str {
        self.text
    }

    /// The number of characters in the text.
    pub(crate) fn char_len(&self) -> usize {
        self.char_len
    }

    /// The byte offset of character index `index` (clamped to the end of the text).
    pub(crate) fn byte(&self, index: usize) -> usize {
        let index = index.min(self.char_len);
        match &self.byte_of_char {
            Some(table) => table[index],
            None => index,
        }
    }

    /// The 0-based line that character index `index` is on.
    pub(crate) fn line_of(&self, index: usize) -> usize {
        let index = index.min(self.char_len);
        // The parser asks about positions mostly in order: try the last answer's line and the
        // next one before searching.
        let last = self.last_line.get();
        let starts = &self.line_starts;
        let within = |line: usize| starts[line] <= index && starts.get(line + 1).is_none_or(|&next| index < next);
        let line = if within(last) {
            last
        } else if last + 1 < starts.len() && within(last + 1) {
            last + 1
        } else {
            starts.partition_point(|&start| start <= index) - 1
        };
        self.last_line.set(line);
        line
    }

    /// The character index at which 0-based line `line` starts.
    pub(crate) fn line_start(&self, line: usize) -> usize {
        self.line_starts.get(line).copied().unwrap_or(self.char_len)
    }

    /// The text of 0-based line `line`, without its line break.
    pub(crate) fn line_text(&self, line: usize) -> &'t str {
        let start = self.byte(self.line_start(line));
        let end = self.byte(self.line_start(line + 1));
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    /// The position of character index `index`.
    pub(crate) fn pos(&self, index: usize) -> Pos {
        let index = index.min(self.char_len);
        let line = self.line_of(index);
        Pos { line: to_u32(line + 1), column: to_u32(index - self.line_starts[line] + 1), offset: self.byte(index) }
    }

    /// The span between two character indices.
    pub(crate) fn span(&self, start: usize, end: usize) -> Span {
        Span { start: self.pos(start), end: self.pos(end.max(start)) }
    }

    /// The characters between two character indices, each with its index.
    pub(crate) fn chars(&self, start: usize, end: usize) -> impl Iterator<Item = (usize, char)> + 't {
        let (from, to) = (self.byte(start), self.byte(end.max(start)));
        self.text[from..to].chars().zip(start..).map(|(c, index)| (index, c))
    }
}

/// Line and column numbers beyond `u32` cannot occur in a text the browser can hold; saturate
/// rather than wrap if they ever did.
fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters_and_offsets_count_bytes() {
        let source = Source::new("é: x\n  日本: y\n");
        let pos = source.pos(7); // the '日' on line 2
        assert_eq!((pos.line, pos.column, pos.offset), (2, 3, 8));
        assert_eq!(&source.text()[pos.offset..pos.offset + 3], "日");
    }

    #[test]
    fn crlf_and_lone_cr_end_lines() {
        let source = Source::new("a\r\nb\rc\n");
        assert_eq!(source.pos(3).line, 2);
        assert_eq!(source.pos(5).line, 3);
        assert_eq!(source.line_text(0), "a");
        assert_eq!(source.line_text(1), "b");
    }

    #[test]
    fn lines_are_found_in_any_order() {
        let text = "a\nbb\r\nccc\rd\n\ne";
        let source = Source::new(text);
        let expected: Vec<usize> =
            (0..=text.len()).map(|i| source.line_starts.partition_point(|&start| start <= i) - 1).collect();
        let order: Vec<usize> = (0..=text.len()).chain((0..=text.len()).rev()).chain([3, 9, 0, 14, 7, 7]).collect();
        for i in order {
            assert_eq!(source.line_of(i), expected[i], "index {i}");
        }
        let unicode = Source::new("é\r\n日\rx\n");
        assert_eq!(unicode.line_starts, [0, 3, 5, 7]);
        assert_eq!(source.line_starts, [0, 2, 6, 10, 12, 13]);
    }

    #[test]
    fn indices_past_the_end_are_clamped() {
        let source = Source::new("ab");
        assert_eq!(source.pos(99), Pos { line: 1, column: 3, offset: 2 });
    }
}

//! A command line split into words as a POSIX shell splits it (the Shell Command Language,
//! "Token Recognition" and "Quoting"): blanks separate words, `'…'` keeps everything literally,
//! `"…"` keeps everything but `\` before `"`, `\`, `$` or `` ` ``, and `\` outside quotes keeps
//! the next character. No expansion is performed (no `$VAR`, globs or `~`): the console runs
//! no shell, and kubectl receives its arguments as typed.

/// Why a line could not be split.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SplitError {
    /// A quote that is never closed (a shell would wait for more input).
    UnterminatedQuote(char),
}

/// The words of `line`.
pub fn split(line: &str) -> Result<Vec<String>, SplitError> {
    Ok(split_words(line)?.into_iter().map(|w| w.text).collect())
}

/// One word and the byte offset where it starts in the line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Word {
    pub text: String,
    pub start: usize,
}

/// The words of `line` with their start offsets.
pub fn split_words(line: &str) -> Result<Vec<Word>, SplitError> {
    let mut words = Vec::new();
    let mut current: Option<Word> = None;
    let mut chars = line.char_indices().peekable();
    while let Some((at, c)) = chars.next() {
        let word = || Word { text: String::new(), start: at };
        match c {
            ' ' | '\t' | '\n' => words.extend(current.take()),
            '\'' => {
                let w = current.get_or_insert_with(word);
                loop {
                    match chars.next() {
                        Some((_, '\'')) => break,
                        Some((_, c)) => w.text.push(c),
                        None => return Err(SplitError::UnterminatedQuote('\'')),
                    }
                }
            }
            '"' => {
                let w = current.get_or_insert_with(word);
                loop {
                    match chars.next() {
                        Some((_, '"')) => break,
                        Some((_, '\\')) => match chars.peek() {
                            Some((_, next @ ('"' | '\\' | '$' | '`'))) => {
                                w.text.push(*next);
                                chars.next();
                            }
                            _ => w.text.push('\\'),
                        },
                        Some((_, c)) => w.text.push(c),
                        None => return Err(SplitError::UnterminatedQuote('"')),
                    }
                }
            }
            '\\' => {
                let w = current.get_or_insert_with(word);
                if let Some((_, next)) = chars.next() {
                    w.text.push(next);
                }
            }
            c => current.get_or_insert_with(word).text.push(c),
        }
    }
    words.extend(current);
    Ok(words)
}

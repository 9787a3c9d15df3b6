//! What Tab does with core's candidates for the word before the cursor, as a shell does: one
//! candidate replaces the word (and a space follows), several extend it to their longest
//! common prefix, and when that adds nothing they are listed.

/// The outcome of Tab.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Tab {
    /// Nothing to complete.
    Nothing,
    /// The new line and the cursor's byte offset in it.
    Replace { line: String, cursor: usize },
    /// The candidates to list.
    List(Vec<String>),
}

/// Tab in `line` with the cursor at byte `cursor`, given `candidates` for the word that ends
/// there (the text after the last blank before the cursor).
pub fn tab(line: &str, cursor: usize, candidates: &[String]) -> Tab {
    let Some(before) = line.get(..cursor) else { return Tab::Nothing };
    let start = before.rfind([' ', '\t']).map_or(0, |i| i + 1);
    let word = &before[start..];
    let (replacement, space) = match candidates {
        [] => return Tab::Nothing,
        [only] => (only.clone(), true),
        [first, rest @ ..] => {
            let prefix = rest.iter().fold(first.clone(), |prefix, c| common_prefix(&prefix, c));
            if prefix.len() <= word.len() {
                return Tab::List(candidates.to_vec());
            }
            (prefix, false)
        }
    };
    let after = &line[cursor..];
    let space = if space && !after.starts_with(' ') { " " } else { "" };
    let new_line = format!("{}{replacement}{space}{after}", &line[..start]);
    let cursor = start + replacement.len() + space.len();
    Tab::Replace { line: new_line, cursor }
}

fn common_prefix(a: &str, b: &str) -> String {
    a.chars().zip(b.chars()).take_while(|(x, y)| x == y).map(|(x, _)| x).collect()
}

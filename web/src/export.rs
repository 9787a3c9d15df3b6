//! The workspace as one multi-document YAML file ("Export"), and reading such a file back
//! ("Import", share links).
//!
//! The format is plain YAML that `kubectl apply -f` also reads: each file's text, exactly as
//! typed, after a `# file: NAME` comment line, files separated by a `---` line:
//!
//! ```yaml
//! # file: app.yaml
//! apiVersion: v1
//! ...
//! ---
//! # file: db.yaml
//! ...
//! ```
//!
//! Invariant: [`split`] of [`export`] gives back every name and every text byte for byte
//! (CRLF line endings and non-ASCII text included). A text that does not end with a line break
//! gets one, followed by the [`NO_FINAL_NEWLINE`] comment line, which `split` removes again
//! (the way `diff` marks such a file). A line of a text that could be read as one of these
//! comment lines (`# file: …`, the marker, or either behind more `#`s) gets one more `#` in
//! the export, which `split` takes off: the comments stay comments, and no text can end a file
//! early.

use crate::state::MAX_NAME;
use crate::storage::{SavedFile, SavedWorkspace};

/// The comment line that starts each file.
const HEADER: &str = "# file: ";
/// The line between two files.
const SEPARATOR: &str = "---";
/// The line after a text that had no line break at its end.
pub const NO_FINAL_NEWLINE: &str = "# kubeplay: no newline at end of file";

/// `workspace` as one YAML file, in tab order.
pub fn export(workspace: &SavedWorkspace) -> String {
    let mut out = String::new();
    for (i, file) in workspace.files.iter().enumerate() {
        if i > 0 {
            out.push_str(SEPARATOR);
            out.push('\n');
        }
        out.push_str(HEADER);
        out.push_str(&file.name);
        out.push('\n');
        for line in file.text.split_inclusive('\n') {
            if is_ours(line) {
                out.push('#');
            }
            out.push_str(line);
        }
        if !file.text.is_empty() && !file.text.ends_with('\n') {
            out.push('\n');
            out.push_str(NO_FINAL_NEWLINE);
            out.push('\n');
        }
    }
    out
}

/// Whether `line` is one of the format's comment lines, behind any number of `#`s.
fn is_ours(line: &str) -> bool {
    let rest = line.trim_start_matches('#');
    let marker = &NO_FINAL_NEWLINE[1..];
    line.starts_with('#') && (rest.starts_with(&HEADER[1..]) || rest.trim_end_matches(['\n', '\r']) == marker)
}

/// The name on a `# file: NAME` line (its line break excluded), if `line` is one.
fn header_name(line: &str) -> Option<&str> {
    let name = line.strip_prefix(HEADER)?.trim_end_matches(['\n', '\r']).trim();
    (!name.is_empty()).then_some(name)
}

/// Whether `line` (with its line break) is the separator between two files.
fn is_separator(line: &str) -> bool {
    line.trim_end_matches(['\n', '\r']) == SEPARATOR
}

/// The files of an exported workspace, or `None` when `text` is not one (its first line is
/// not a `# file: NAME` line).
pub fn split(text: &str) -> Option<Vec<SavedFile>> {
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let first = header_name(lines.first()?)?;
    // Each file's name and its text as exported (escapes and marker still in).
    let mut raw = vec![(first, String::new())];
    let mut i = 1;
    while i < lines.len() {
        let next = lines.get(i + 1).and_then(|l| header_name(l));
        match next {
            Some(name) if is_separator(lines[i]) => {
                raw.push((name, String::new()));
                i += 2;
            }
            _ => {
                if let Some((_, text)) = raw.last_mut() {
                    text.push_str(lines[i]);
                }
                i += 1;
            }
        }
    }
    let files = raw
        .into_iter()
        .map(|(name, mut exported)| {
            restore_final_line(&mut exported);
            let text = exported
                .split_inclusive('\n')
                .map(|line| if line.starts_with("##") && is_ours(line) { &line[1..] } else { line })
                .collect();
            SavedFile { name: name.to_string(), text }
        })
        .collect();
    Some(files)
}

/// Removes the [`NO_FINAL_NEWLINE`] line and the line break [`export`] added before it.
fn restore_final_line(text: &mut String) {
    let body = text.trim_end_matches(['\n', '\r']);
    if let Some(kept) = body.strip_suffix(NO_FINAL_NEWLINE).and_then(|t| t.strip_suffix('\n')) {
        let len = kept.len();
        text.truncate(len);
    }
}

/// What an imported text holds: the files of an export, or else the text as one file named
/// `name`.
pub fn files_in(text: &str, name: &str) -> Vec<SavedFile> {
    split(text).unwrap_or_else(|| vec![SavedFile { name: name.to_string(), text: text.to_string() }])
}

/// The name `name` gets beside `taken`: itself when free, else `stem-2.ext`, `stem-3.ext`, …
pub fn free_name(name: &str, taken: &[&str]) -> String {
    if !taken.contains(&name) {
        return name.to_string();
    }
    let (stem, ext) = match name.rfind('.') {
        Some(dot) if dot > 0 => name.split_at(dot),
        _ => (name, ""),
    };
    (2..).map(|n| format!("{stem}-{n}{ext}")).find(|n| !taken.contains(&n.as_str())).unwrap_or_default()
}

/// `name` as a workspace file may be named (what `Playground::rename` accepts): slashes and
/// control characters become `-`, at most [`MAX_NAME`] characters, never empty.
pub fn clean_name(name: &str) -> String {
    let cleaned: String = name
        .trim()
        .chars()
        .map(|c| if c == '/' || c == '\\' || c.is_control() { '-' } else { c })
        .take(MAX_NAME)
        .collect();
    let cleaned = cleaned.trim();
    if cleaned.is_empty() {
        "imported.yaml".to_string()
    } else {
        cleaned.to_string()
    }
}

/// `current` with `incoming` added after its files (names cleaned with [`clean_name`], each
/// clash renamed with [`free_name`]), the first added file open.
pub fn added(current: &SavedWorkspace, incoming: &[SavedFile]) -> SavedWorkspace {
    let mut files = current.files.clone();
    for file in incoming {
        let taken: Vec<&str> = files.iter().map(|f| f.name.as_str()).collect();
        let name = free_name(&clean_name(&file.name), &taken);
        files.push(SavedFile { name, text: file.text.clone() });
    }
    let active = if incoming.is_empty() { current.active } else { current.files.len() };
    SavedWorkspace { files, active }
}

/// What opening a shared workspace over the learner's needs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arrival {
    /// The learner's workspace already holds exactly these files: nothing to do.
    Same,
    /// The learner has no work of their own (the untouched sandbox): open it.
    Open,
    /// The learner has work that differs: ask before anything changes.
    Ask,
}

/// How `shared` arrives over `current`, given the `pristine` (untouched sandbox) files and
/// whether the open workspace is the sandbox at all.
pub fn arrival(current: &[SavedFile], shared: &[SavedFile], pristine: &[SavedFile], in_sandbox: bool) -> Arrival {
    if current == shared {
        Arrival::Same
    } else if in_sandbox && current == pristine {
        Arrival::Open
    } else {
        Arrival::Ask
    }
}

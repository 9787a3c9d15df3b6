//! A lesson folder hosted on the web, loaded at run time from its address ("Open a lesson
//! from a link…", or a page address ending in `#lesson=URL`).
//!
//! A static host cannot list a folder, so the teacher adds a [`MANIFEST`] (`files.txt`) beside
//! `lesson.yaml`: the folder's `start/` and `solution/` files, one path a line (lessons/README.md).
//! The address given may be the folder's, its `lesson.yaml`'s or its `files.txt`'s, absolute or
//! relative to the page. Every file is fetched, then read by
//! [`crate::lesson_folder::parse_folder`], the validation of a folder picked from disk (and so of
//! the embedded lessons and `kubeplay check`).
//!
//! Invariant: all or nothing. Any problem (the network, CORS, an HTTP status, a line of the
//! manifest, a `file:line:col` of the lesson) is listed and no lesson is returned.

use crate::lesson_folder::{lesson_path, parse_folder};
use kubeplay_core::lessons::{Lesson, LESSON_FILE};
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The file listing a hosted lesson folder's files.
pub const MANIFEST: &str = "files.txt";

/// The folder's address (ending in `/`) and its name, from the address the learner gave,
/// resolved against `base` (the page's address).
pub fn folder_of(given: &str, base: &str) -> Result<(String, String), String> {
    let url =
        web_sys::Url::new_with_base(given.trim(), base).map_err(|_| format!("{given}: this is not a web address"))?;
    if !matches!(url.protocol().as_str(), "https:" | "http:") {
        return Err(format!("{given}: only http and https addresses can be loaded"));
    }
    url.set_hash("");
    url.set_search("");
    let path = url.pathname();
    let folder_path = match path.rsplit_once('/') {
        Some((dir, last)) if last == LESSON_FILE || last == MANIFEST || last.is_empty() => format!("{dir}/"),
        _ => format!("{path}/"),
    };
    url.set_pathname(&folder_path);
    let name = folder_path.trim_end_matches('/').rsplit('/').next().filter(|n| !n.is_empty()).unwrap_or("lesson");
    Ok((url.href(), name.to_string()))
}

/// The paths a manifest lists (`lesson.yaml` first, whether listed or not), or each line that
/// is not a lesson path, as `files.txt:LINE: …`. Blank lines and `#` comments are skipped.
pub fn manifest_paths(text: &str) -> Result<Vec<String>, Vec<String>> {
    let mut paths = vec![LESSON_FILE.to_string()];
    let mut problems = Vec::new();
    for (number, line) in (1..).zip(text.lines()) {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line == LESSON_FILE {
            continue;
        }
        if lesson_path(&format!("folder/{line}")).is_none() {
            problems.push(format!(
                "{MANIFEST}:{number}: \"{line}\" is not a lesson file: list start/NAME and solution/NAME files"
            ));
        } else if !paths.iter().any(|p| p == line) {
            paths.push(line.to_string());
        }
    }
    if problems.is_empty() {
        Ok(paths)
    } else {
        Err(problems)
    }
}

/// The lesson at `given`, or every problem found.
pub async fn fetch_lesson(given: &str) -> Result<Lesson, Vec<String>> {
    let base = web_sys::window().and_then(|w| w.document()).and_then(|d| d.base_uri().ok().flatten());
    let (folder_url, folder) = folder_of(given, &base.unwrap_or_default()).map_err(|p| vec![p])?;
    let manifest = fetch_text(&format!("{folder_url}{MANIFEST}")).await.map_err(|p| vec![p])?;
    let paths = manifest_paths(&manifest)?;
    let mut files = Vec::new();
    let mut problems = Vec::new();
    for path in paths {
        match fetch_text(&format!("{folder_url}{path}")).await {
            Ok(text) => files.push((format!("{folder}/{path}"), text)),
            Err(problem) => problems.push(problem),
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    parse_folder(&files)
}

/// The text at `url`; the error names the address and what went wrong.
async fn fetch_text(url: &str) -> Result<String, String> {
    let window = web_sys::window().ok_or_else(|| format!("{url}: no window to fetch from"))?;
    let response = JsFuture::from(window.fetch_with_str(url)).await.map_err(|_| {
        format!(
            "{url}: could not be fetched (the network failed, or its server does not let other sites read it: CORS)"
        )
    })?;
    let response: web_sys::Response = response.unchecked_into();
    if !response.ok() {
        return Err(format!("{url}: the server answered {} {}", response.status(), response.status_text()));
    }
    let text = response.text().map_err(|_| format!("{url}: could not be read"))?;
    let text = JsFuture::from(text).await.map_err(|_| format!("{url}: could not be read"))?;
    text.as_string().ok_or_else(|| format!("{url}: it is not text"))
}

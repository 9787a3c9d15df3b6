//! A teacher's lesson folder opened at run time ("Open a lesson folder…"), so their own lessons
//! need no rebuild. The browser gives every file under the picked folder with its path
//! (`webkitRelativePath`, `my-lesson/start/app.yaml`); the folder's own name is dropped and the
//! rest is what core's [`Lesson::parse`] reads, the validation of the embedded lessons and of
//! `kubeplay check`, so a teacher sees the same `file:line:col` messages.
//!
//! Invariant: like the CLI's folder reader, only `lesson.yaml`, `start/NAME` and `solution/NAME`
//! are read; other files in the folder (a README, deeper folders) are ignored.

use kubeplay_core::lessons::{Lesson, LESSON_FILE, SOLUTION_DIR, START_DIR};
use kubeplay_core::simulation::SourceFile;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// `path` split into the picked folder's name and the path inside it, when a lesson reads it.
pub fn lesson_path(path: &str) -> Option<(&str, &str)> {
    let (folder, inside) = path.split_once('/')?;
    let direct = |dir: &str| inside.strip_prefix(dir).is_some_and(|name| !name.is_empty() && !name.contains('/'));
    (inside == LESSON_FILE || direct(START_DIR) || direct(SOLUTION_DIR)).then_some((folder, inside))
}

/// The lesson in `files` (each with its path under the picked folder), or every problem as
/// `file:line:col: message`.
pub fn parse_folder(files: &[(String, String)]) -> Result<Lesson, Vec<String>> {
    let mut folder = None;
    let mut sources = Vec::new();
    for (path, text) in files {
        if let Some((name, inside)) = lesson_path(path) {
            folder.get_or_insert(name);
            sources.push(SourceFile::new(inside, text.as_str()));
        }
    }
    let Some(folder) = folder else {
        let message = "the folder holds no lesson.yaml, start/ or solution/: pick the folder that holds lesson.yaml";
        return Err(vec![message.to_string()]);
    };
    Lesson::parse(folder, &sources).map_err(|problems| problems.iter().map(ToString::to_string).collect())
}

/// The files the input's picked folder holds that a lesson reads, as (path, text).
pub async fn read_input(input: &web_sys::HtmlInputElement) -> Result<Vec<(String, String)>, String> {
    let Some(list) = input.files() else { return Ok(Vec::new()) };
    let mut files = Vec::new();
    for file in (0..list.length()).filter_map(|i| list.get(i)) {
        // Not in web-sys's File: read as the property it is.
        let path = js_sys::Reflect::get(&file, &"webkitRelativePath".into()).ok().and_then(|p| p.as_string());
        let Some(path) = path.filter(|p| lesson_path(p).is_some()) else { continue };
        let text = JsFuture::from(file.text()).await.map_err(|_| format!("{path}: the browser could not read it"))?;
        let text = text.dyn_into::<js_sys::JsString>().map_err(|_| format!("{path}: it is not text"))?;
        files.push((path, String::from(text)));
    }
    Ok(files)
}

//! The learner's lesson progress, saved in `localStorage` beside the workspace in its own
//! versioned format: which lesson is open, which lessons are complete, and the files of every
//! workspace that is not open (the sandbox's and each lesson's), so that switching never loses
//! text. The open workspace itself is the one [`crate::storage::STORAGE_KEY`] holds.
//!
//! The format, version 1, is one JSON object:
//! `{"format":"kubeplay-progress","version":1,"open":"service-selectors","completed":["pods-flat-network"],
//! "sandbox":{"active":…,"files":[…]},"lessons":{"service-selectors":{"active":…,"files":[…]}}}`
//! (`open` is `null` in the sandbox; a workspace object is the workspace format without its
//! envelope).

use crate::storage::{
    get, read_envelope, read_workspace, set, stringify, workspace_object, SavedWorkspace, Unreadable,
};
use std::collections::{BTreeMap, BTreeSet};
use wasm_bindgen::JsValue;

/// Where the app keeps the progress.
pub const PROGRESS_KEY: &str = "kubeplay.progress";
const FORMAT: &str = "kubeplay-progress";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;

/// Everything saved about lessons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    /// The id of the open lesson; `None` in the sandbox.
    pub open: Option<String>,
    /// Ids of the lessons whose goals all passed once.
    pub completed: BTreeSet<String>,
    /// The sandbox's files while a lesson is open.
    pub sandbox: Option<SavedWorkspace>,
    /// Each lesson's files while it is not open, by lesson id.
    pub lessons: BTreeMap<String, SavedWorkspace>,
}

/// The saved form of `progress`.
pub fn encode(progress: &Progress) -> String {
    let envelope = js_sys::Object::new();
    set(&envelope, "format", &FORMAT.into());
    set(&envelope, "version", &VERSION.into());
    set(&envelope, "open", &progress.open.as_deref().map_or(JsValue::NULL, JsValue::from_str));
    let completed: js_sys::Array = progress.completed.iter().map(|id| JsValue::from_str(id)).collect();
    set(&envelope, "completed", &completed);
    if let Some(sandbox) = &progress.sandbox {
        set(&envelope, "sandbox", &workspace_object(sandbox));
    }
    let lessons = js_sys::Object::new();
    for (id, workspace) in &progress.lessons {
        set(&lessons, id, &workspace_object(workspace));
    }
    set(&envelope, "lessons", &lessons);
    stringify(&envelope)
}

/// Reads what [`encode`] wrote; anything else is [`Unreadable`], with the reason.
pub fn decode(raw: &str) -> Result<Progress, Unreadable> {
    let value = read_envelope(raw, FORMAT, VERSION, "progress")?;
    let damaged = || Unreadable("its contents are damaged".into());
    let open = get(&value, "open");
    let open = if open.is_null() || open.is_undefined() { None } else { Some(open.as_string().ok_or_else(damaged)?) };
    let list = get(&value, "completed");
    if !js_sys::Array::is_array(&list) {
        return Err(damaged());
    }
    let completed =
        js_sys::Array::from(&list).iter().map(|id| id.as_string().ok_or_else(damaged)).collect::<Result<_, _>>()?;
    let sandbox = get(&value, "sandbox");
    let sandbox = if sandbox.is_undefined() { None } else { Some(read_workspace(&sandbox)?) };
    let lessons_value = get(&value, "lessons");
    if !lessons_value.is_object() {
        return Err(damaged());
    }
    let mut lessons = BTreeMap::new();
    for key in js_sys::Object::keys(&lessons_value.clone().into()).iter() {
        let id = key.as_string().ok_or_else(damaged)?;
        lessons.insert(id.clone(), read_workspace(&get(&lessons_value, &id))?);
    }
    Ok(Progress { open, completed, sandbox, lessons })
}

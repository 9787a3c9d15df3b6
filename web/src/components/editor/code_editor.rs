//! The code editor over the open file: CodeMirror once its bundle has loaded (after first
//! paint), and a plain text box until then, or for good if the bundle cannot load, so the
//! learner can always edit.

use super::bridge::{self, Callbacks, CodeMirror};
use crate::state::{use_playground, FileId, Playground};
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

/// Where the editor is in its loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Status {
    Loading,
    Ready,
    /// The bundle could not be loaded or started, and why; the text box stays.
    Failed(String),
}

struct Mounted {
    editor: CodeMirror,
    _callbacks: Callbacks,
}

/// The editor, shared with the problem list so that a click on a problem moves the cursor.
#[derive(Clone, Copy)]
pub struct EditorHandle {
    mounted: StoredValue<Option<Mounted>, LocalStorage>,
    /// Where the editor is in its loading.
    pub status: RwSignal<Status>,
}

impl EditorHandle {
    /// A handle with no editor yet.
    pub fn new() -> EditorHandle {
        EditorHandle { mounted: StoredValue::new_local(None), status: RwSignal::new(Status::Loading) }
    }

    fn with_editor<R>(&self, f: impl FnOnce(&CodeMirror) -> R) -> Option<R> {
        self.mounted.try_with_value(|m| m.as_ref().map(|m| f(&m.editor))).flatten()
    }

    /// Opens file `id` and puts the cursor at `line`, `column` (1-based, in characters).
    pub fn reveal(&self, playground: Playground, id: FileId, line: u32, column: u32) {
        playground.select(id);
        let text = playground.file_untracked(id).map(|f| f.text).unwrap_or_default();
        let shown = self.with_editor(|editor| {
            editor.open(id, &text);
            editor.reveal_line(line, column);
        });
        if shown.is_none() {
            reveal_in_text_box(&text, line, column);
        }
    }
}

impl Default for EditorHandle {
    fn default() -> Self {
        EditorHandle::new()
    }
}

/// The id of the plain text box used until (or instead of) CodeMirror.
const TEXT_BOX_ID: &str = "yaml-fallback";

fn text_box() -> Option<web_sys::HtmlTextAreaElement> {
    let element = web_sys::window()?.document()?.get_element_by_id(TEXT_BOX_ID)?;
    element.dyn_into().ok()
}

/// Moves the text box's cursor to `line`, `column` of `text`.
fn reveal_in_text_box(text: &str, line: u32, column: u32) {
    let Some(text_box) = text_box() else { return };
    let at = utf16_offset(text, line, column);
    let _ = text_box.focus();
    let _ = text_box.set_selection_range(at, at);
}

/// The UTF-16 offset (what the DOM counts) of a 1-based line and character column.
pub fn utf16_offset(text: &str, line: u32, column: u32) -> u32 {
    let mut offset = 0usize;
    for (n, l) in text.split('\n').enumerate() {
        if n + 1 == line as usize {
            let units: usize = l.chars().take(column.saturating_sub(1) as usize).map(char::len_utf16).sum();
            return (offset + units) as u32;
        }
        offset += l.encode_utf16().count() + 1;
    }
    text.encode_utf16().count() as u32
}

/// The editor of the open file.
#[component]
pub fn CodeEditor() -> impl IntoView {
    let playground = use_playground();
    let handle = expect_context::<EditorHandle>();
    let host = NodeRef::<leptos::html::Div>::new();

    host.on_load(move |element| {
        let Some(url) = bridge::bundle_url() else {
            handle.status.set(Status::Failed("this page names no editor bundle".into()));
            return;
        };
        spawn_local(async move {
            let callbacks = Callbacks::new(move |id, text| playground.edit(id, text));
            match bridge::load(&url, &element, &callbacks).await {
                Ok(editor) => {
                    let typing = text_box()
                        .is_some_and(|t| t.owner_document().and_then(|d| d.active_element()).is_some_and(|a| a == **t));
                    let id = playground.active_untracked();
                    editor.open(id, &playground.file_untracked(id).map(|f| f.text).unwrap_or_default());
                    if typing {
                        editor.focus();
                    }
                    if handle.mounted.try_set_value(Some(Mounted { editor, _callbacks: callbacks })).is_none() {
                        handle.status.set(Status::Ready);
                    }
                }
                Err(reason) => {
                    handle.status.try_set(Status::Failed(reason));
                }
            }
        });
    });

    let ready = move || handle.status.get() == Status::Ready;
    // Show the open file when another is selected or its text is replaced from outside.
    Effect::new(move |_| {
        let id = playground.active();
        playground.external_revision();
        if ready() {
            let text = playground.file_untracked(id).map(|f| f.text).unwrap_or_default();
            handle.with_editor(|editor| editor.open(id, &text));
        }
    });
    // Underline the open file's problems.
    Effect::new(move |_| {
        let id = playground.active();
        let name = playground.names().into_iter().find(|(i, _)| *i == id).map(|(_, n)| n).unwrap_or_default();
        let list = playground.diagnostics.with(|ds| bridge::diagnostics_for(&name, ds));
        if ready() {
            handle.with_editor(|editor| editor.set_diagnostics(&list));
        }
    });
    // Forget the editor state of deleted files.
    Effect::new(move |before: Option<Vec<FileId>>| {
        let ids: Vec<FileId> = playground.names().into_iter().map(|(id, _)| id).collect();
        for gone in before.unwrap_or_default().into_iter().filter(|id| !ids.contains(id)) {
            handle.with_editor(|editor| editor.close(gone));
        }
        ids
    });
    on_cleanup(move || {
        if let Some(Some(mounted)) = handle.mounted.try_update_value(Option::take) {
            mounted.editor.destroy();
        }
    });

    let open_text = move || playground.file(playground.active()).map(|f| f.text).unwrap_or_default();
    view! {
        <div class="code-editor">
            <div id="yaml-editor" class="cm-host" node_ref=host hidden=move || !ready()></div>
            <Show when=move || !ready()>
                <textarea
                    id=TEXT_BOX_ID
                    class="yaml-text"
                    spellcheck="false"
                    aria-label="Workspace YAML"
                    prop:value=open_text
                    on:input=move |ev| playground.edit(playground.active_untracked(), event_target_value(&ev))
                ></textarea>
            </Show>
            {move || match handle.status.get() {
                Status::Failed(reason) => {
                    Some(
                        view! {
                            <p class="editor-note" role="status">
                                {format!("The code editor is unavailable: {reason}. A plain text box is used instead.")}
                            </p>
                        },
                    )
                }
                _ => None,
            }}
        </div>
    }
}

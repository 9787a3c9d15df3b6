//! "Import…": a YAML or JSON file from disk, or pasted text, read into files with
//! [`files_in`] (a kubeplay export splits back into its files; anything else is one file).
//! Nothing changes here: the files go on to the choice of adding or replacing.

use super::Modal;
use crate::export::files_in;
use crate::storage::SavedFile;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The name pasted text gets when it is not an export.
const PASTED_NAME: &str = "pasted.yaml";

/// The first picked file's name and text.
async fn read_picked(input: &web_sys::HtmlInputElement) -> Result<(String, String), String> {
    let file = input.files().and_then(|list| list.get(0)).ok_or("no file was picked")?;
    let text =
        JsFuture::from(file.text()).await.map_err(|_| format!("{}: the browser could not read it", file.name()))?;
    let text = text.dyn_into::<js_sys::JsString>().map_err(|_| format!("{}: it is not text", file.name()))?;
    Ok((file.name(), String::from(text)))
}

/// The import dialog; `on_files` receives what was read.
#[component]
pub fn ImportDialog(on_close: Callback<()>, on_files: Callback<Vec<SavedFile>>) -> impl IntoView {
    let pasted = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let picked = move |event: leptos::ev::Event| {
        let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match read_picked(&input).await {
                Ok((name, text)) => on_files.run(files_in(&text, &name)),
                Err(reason) => problem.set(Some(format!("The file could not be imported: {reason}."))),
            }
        });
    };
    let import_pasted = move |_| {
        let text = pasted.get_untracked();
        if !text.trim().is_empty() {
            on_files.run(files_in(&text, PASTED_NAME));
        }
    };
    view! {
        <Modal title="Import files".to_string() on_close=on_close>
            <p class="modal-text">
                "A kubeplay export comes back as its files; any other YAML becomes one new file. "
                "You choose next whether to add it to your workspace or replace it."
            </p>
            <label class="import-file">
                <span class="menu-button">"Choose a file…"</span>
                <input type="file" class="import-file-input" accept=".yaml,.yml,.json" on:change=picked />
                <span class="import-file-help">".yaml, .yml or .json"</span>
            </label>
            <label class="import-paste-label" for="import-paste">"Or paste YAML:"</label>
            <textarea
                id="import-paste"
                class="import-paste"
                rows="10"
                spellcheck="false"
                prop:value=move || pasted.get()
                on:input=move |ev| pasted.set(event_target_value(&ev))
            ></textarea>
            {move || problem.get().map(|p| view! { <p class="modal-problem" role="alert">{p}</p> })}
            <div class="modal-actions">
                <button type="button" class="modal-button" on:click=move |_| on_close.run(())>"Cancel"</button>
                <button
                    type="button"
                    class="modal-button primary"
                    disabled=move || pasted.with(|t| t.trim().is_empty())
                    on:click=import_pasted
                >
                    "Import pasted text"
                </button>
            </div>
        </Modal>
    }
}

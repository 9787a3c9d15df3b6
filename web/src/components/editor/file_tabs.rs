//! One tab per workspace file, with buttons to add, rename and delete files.

use crate::state::{use_playground, FileId};
use leptos::prelude::*;

/// The file tabs of the editor.
#[component]
pub fn FileTabs() -> impl IntoView {
    let playground = use_playground();
    let renaming = RwSignal::new(None::<FileId>);
    let error = RwSignal::new(None::<String>);
    let single = move || playground.names().len() <= 1;
    let start_rename = move || {
        error.set(None);
        renaming.set(Some(playground.active_untracked()));
    };
    view! {
        <div class="editor-tabs">
            <div class="tab-list" role="tablist" aria-label="Workspace files">
                <For each=move || playground.names() key=|entry| entry.clone() let((id, name))>
                    {
                        let name = StoredValue::new(name);
                        move || {
                            if renaming.get() == Some(id) {
                                view! { <RenameBox id name=name.get_value() renaming error /> }.into_any()
                            } else {
                                let selected = move || playground.active() == id;
                                view! {
                                    <button
                                        type="button"
                                        role="tab"
                                        class="tab"
                                        class:active=selected
                                        aria-selected=move || selected().to_string()
                                        aria-controls="editor-panel"
                                        data-file=name.get_value()
                                        on:click=move |_| playground.select(id)
                                        on:dblclick=move |_| start_rename()
                                    >
                                        {name.get_value()}
                                    </button>
                                }
                                    .into_any()
                            }
                        }
                    }
                </For>
            </div>
            <div class="tab-actions">
                <button type="button" class="tab-action add-file" on:click=move |_| {
                    playground.add_file();
                    start_rename();
                }>"+ New file"</button>
                <button type="button" class="tab-action rename-file" on:click=move |_| start_rename()>"Rename"</button>
                <button
                    type="button"
                    class="tab-action delete-file"
                    disabled=single
                    title=move || if single() { "A workspace keeps at least one file" } else { "Delete the open file" }
                    on:click=move |_| playground.delete(playground.active_untracked())
                >
                    "Delete"
                </button>
            </div>
            <p class="tab-error" role="alert" hidden=move || error.with(Option::is_none)>
                {move || error.get().unwrap_or_default()}
            </p>
        </div>
    }
}

/// The text box that replaces a tab while its file is renamed: Enter (or leaving it) keeps the
/// new name, Escape keeps the old one.
#[component]
fn RenameBox(
    id: FileId,
    name: String,
    renaming: RwSignal<Option<FileId>>,
    error: RwSignal<Option<String>>,
) -> impl IntoView {
    let playground = use_playground();
    let input = NodeRef::<leptos::html::Input>::new();
    input.on_load(|el| {
        let _ = el.focus();
        el.select();
    });
    let commit = move |value: String| {
        if renaming.get_untracked() != Some(id) {
            return;
        }
        match playground.rename(id, &value) {
            Ok(()) => {
                error.set(None);
                renaming.set(None);
            }
            Err(message) => error.set(Some(message)),
        }
    };
    view! {
        <input
            class="tab-rename"
            node_ref=input
            aria-label="File name"
            prop:value=name
            on:keydown=move |ev| match ev.key().as_str() {
                "Enter" => commit(event_target_value(&ev)),
                "Escape" => {
                    error.set(None);
                    renaming.set(None);
                }
                _ => {}
            }
            on:blur=move |ev| {
                if renaming.get_untracked() == Some(id) && error.get_untracked().is_none() {
                    commit(event_target_value(&ev));
                } else if renaming.get_untracked() == Some(id) {
                    error.set(None);
                    renaming.set(None);
                }
            }
        />
    }
}

//! The choice for arriving files: add them to the sandbox, replace the sandbox with them
//! (the old files kept in storage), or leave everything as it is.

use super::{outcome_words, Modal, Origin};
use crate::course::use_course;
use crate::incoming::{bring_in, Choice};
use crate::state::use_playground;
use crate::storage::SavedFile;
use leptos::prelude::*;

/// The dialog asking what to do with `files`.
#[component]
pub fn IncomingDialog(origin: Origin, files: Vec<SavedFile>, on_close: Callback<()>) -> impl IntoView {
    let playground = use_playground();
    let course = use_course();
    let names: Vec<String> = files.iter().map(|f| f.name.clone()).collect();
    let files = StoredValue::new(files);
    let choose = move |choice: Choice| {
        on_close.run(());
        let outcome = files.with_value(|files| bring_in(&playground, &course, files, choice));
        playground.notify(outcome_words(&outcome));
    };
    let (title, intro, keep, replace, add) = match origin {
        Origin::Link => (
            "Open the shared workspace?",
            "This link holds a workspace, and yours has work of its own. Nothing changes unless you say so.",
            "Keep mine",
            "Replace mine with it",
            "Add its files to mine",
        ),
        Origin::Import => (
            "Import into your workspace?",
            "Add these files beside yours, or replace your workspace with them.",
            "Cancel",
            "Replace my workspace",
            "Add to my workspace",
        ),
    };
    let lesson_note = course
        .open_index_untracked()
        .is_some()
        .then(|| view! { <p class="modal-text">"This goes into your sandbox; your lesson's files are kept."</p> });
    view! {
        <Modal title=title.to_string() on_close=on_close>
            <p class="modal-text">{intro}</p>
            <ul class="incoming-files">
                {names.into_iter().map(|n| view! { <li><code>{n}</code></li> }).collect_view()}
            </ul>
            {lesson_note}
            <p class="modal-text muted">
                "Replacing keeps a copy of your current files in this browser's storage, so nothing is lost."
            </p>
            <div class="modal-actions">
                <button type="button" class="modal-button" data-choice="keep" on:click=move |_| on_close.run(())>
                    {keep}
                </button>
                <button type="button" class="modal-button" data-choice="replace" on:click=move |_| choose(Choice::Replace)>
                    {replace}
                </button>
                <button type="button" class="modal-button primary" data-choice="add" on:click=move |_| choose(Choice::Add)>
                    {add}
                </button>
            </div>
        </Modal>
    }
}

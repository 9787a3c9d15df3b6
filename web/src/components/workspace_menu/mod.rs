//! The top bar's workspace menu: Export (the workspace as one YAML file), Import… (a file or
//! pasted text) and Share (a link holding the workspace), with their dialogs; and, when the
//! page opens or its fragment changes, what its address asks for (`#w=…` a shared workspace,
//! `#lesson=URL` a lesson).
//!
//! Every change to the workspace goes through [`crate::incoming`], which never loses the
//! learner's files; the words shown are chosen here from its outcomes.

mod import_dialog;
mod incoming_dialog;
mod share_dialog;

use crate::course::{use_course, Course};
use crate::export::{export, Arrival};
use crate::incoming::{arrival_of, open_directly, Outcome};
use crate::lesson_url::fetch_lesson;
use crate::share::{self, Damaged, Fragment};
use crate::state::{use_playground, Playground};
use crate::storage::SavedFile;
use import_dialog::ImportDialog;
use incoming_dialog::IncomingDialog;
use leptos::prelude::*;
use share_dialog::ShareDialog;

/// Where arriving files come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// A share link the page was opened with.
    Link,
    /// A file or pasted text the learner imported.
    Import,
}

/// The dialog open over the page.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Dialog {
    Import,
    Share,
    /// Files waiting for the learner's choice.
    Incoming(Origin, Vec<SavedFile>),
}

/// The notice for what [`crate::incoming::bring_in`] did.
pub fn outcome_words(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Added(names) => format!("Added {}.", names.join(", ")),
        Outcome::Replaced(key) => format!(
            "Your workspace was replaced. Your previous files are kept in this browser's storage under \"{key}\"."
        ),
        Outcome::NotReplaced => {
            "Nothing was replaced: your files could not be kept in this browser's storage first.".to_string()
        }
    }
}

/// Why a share link could not be opened, for the notice.
fn damaged_words(damaged: Damaged) -> String {
    let why = match damaged {
        Damaged::NotBase64 => "it holds characters a share link never has",
        Damaged::Truncated => "it is cut short or altered",
        Damaged::NotText => "it does not hold text",
        Damaged::NotWorkspace => "it does not hold a kubeplay workspace",
    };
    format!("This share link could not be opened: {why}. Ask for the link again. Your own work is as you left it.")
}

/// Handles the page address's fragment once, after the app started.
fn handle_fragment(playground: Playground, course: Course, dialog: RwSignal<Option<Dialog>>) {
    match share::fragment(&share::current_fragment()) {
        Fragment::None => {}
        Fragment::Workspace(payload) => {
            share::clear_fragment();
            leptos::task::spawn_local(async move {
                let files = match share::decode(&payload).await {
                    Ok(files) => files,
                    Err(damaged) => return playground.notify(damaged_words(damaged)),
                };
                match arrival_of(&playground, &course, &files) {
                    Arrival::Same => playground.notify("The shared workspace is already open.".into()),
                    Arrival::Open => {
                        open_directly(&playground, &files);
                        playground.notify("Opened the shared workspace.".into());
                    }
                    Arrival::Ask => dialog.set(Some(Dialog::Incoming(Origin::Link, files))),
                }
            });
        }
        // Kept in the address: a reload loads the lesson again (the learner's files for it stay).
        Fragment::Lesson(url) => leptos::task::spawn_local(async move {
            if !course.add_from_folder(fetch_lesson(&url).await) {
                playground.notify(format!(
                    "The lesson at {url} could not be loaded: its problems are listed under \"All lessons\"."
                ));
            }
        }),
    }
}

/// The file name an export is offered under.
fn export_name(course: &Course) -> String {
    let id = course.open().map_or_else(|| "sandbox".to_string(), |l| l.file.id);
    format!("kubeplay-{id}.yaml")
}

/// Export, Import… and Share, and the open dialog.
#[component]
pub fn WorkspaceMenu() -> impl IntoView {
    let playground = use_playground();
    let course = use_course();
    let dialog = RwSignal::new(None::<Dialog>);
    handle_fragment(playground, course, dialog);
    // A link pasted into the address bar of this open page changes only its fragment.
    let listener = leptos::leptos_dom::helpers::window_event_listener_untyped("hashchange", move |_| {
        handle_fragment(playground, course, dialog)
    });
    on_cleanup(move || listener.remove());
    let close = Callback::new(move |()| dialog.set(None));
    let export_now = move |_| {
        if let Err(reason) = share::download(&export_name(&course), &export(&playground.snapshot())) {
            playground.notify(format!("The export could not be downloaded ({reason})."));
        }
    };
    let arrived = Callback::new(move |files: Vec<SavedFile>| dialog.set(Some(Dialog::Incoming(Origin::Import, files))));
    view! {
        <div class="workspace-menu" role="group" aria-label="Workspace">
            <button type="button" class="menu-button" on:click=export_now title="Download every file as one YAML file">
                "Export"
            </button>
            <button type="button" class="menu-button" on:click=move |_| dialog.set(Some(Dialog::Import))
                title="Add files from a YAML file or pasted text">
                "Import…"
            </button>
            <button type="button" class="menu-button" on:click=move |_| dialog.set(Some(Dialog::Share))
                title="A link that opens this workspace">
                "Share"
            </button>
        </div>
        {move || dialog.get().map(|open| match open {
            Dialog::Import => view! { <ImportDialog on_close=close on_files=arrived /> }.into_any(),
            Dialog::Share => view! { <ShareDialog on_close=close /> }.into_any(),
            Dialog::Incoming(origin, files) => {
                view! { <IncomingDialog origin=origin files=files on_close=close /> }.into_any()
            }
        })}
    }
}

/// A modal dialog's frame: a backdrop, Escape closes it, focus moves into it.
#[component]
fn Modal(
    /// Its heading, also its accessible name.
    title: String,
    on_close: Callback<()>,
    children: Children,
) -> impl IntoView {
    let frame = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if let Some(frame) = frame.get() {
            let _ = frame.focus();
        }
    });
    let keydown = move |event: leptos::ev::KeyboardEvent| {
        if event.key() == "Escape" {
            on_close.run(());
        }
    };
    view! {
        <div class="modal-backdrop" on:keydown=keydown>
            <div node_ref=frame class="modal" role="dialog" aria-modal="true" aria-labelledby="modal-title" tabindex="-1">
                <h2 id="modal-title" class="modal-title">{title}</h2>
                {children()}
            </div>
        </div>
    }
}

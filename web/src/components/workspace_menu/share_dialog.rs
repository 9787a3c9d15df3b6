//! "Share": the link holding the workspace, a button copying it with a visible confirmation,
//! and a warning when the link is longer than [`SAFE_LENGTH`].

use super::Modal;
use crate::share::{self, SAFE_LENGTH};
use crate::state::use_playground;
use leptos::prelude::*;

/// What the copy button last did.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Copied {
    Not,
    Done,
    Failed(String),
}

/// `n` with thousands separated by commas (`11,225`).
fn grouped(n: usize) -> String {
    let digits = n.to_string();
    let groups: Vec<&str> =
        digits.as_bytes().rchunks(3).rev().map(|g| std::str::from_utf8(g).unwrap_or_default()).collect();
    groups.join(",")
}

/// The share dialog.
#[component]
pub fn ShareDialog(on_close: Callback<()>) -> impl IntoView {
    let playground = use_playground();
    let link = RwSignal::new(None::<Result<String, String>>);
    let copied = RwSignal::new(Copied::Not);
    let workspace = playground.snapshot();
    leptos::task::spawn_local(async move {
        let made = share::encode(&workspace).await.map(|payload| share::link(&payload));
        link.set(Some(made));
    });
    let copy = move |_| {
        let Some(Ok(text)) = link.get_untracked() else { return };
        leptos::task::spawn_local(async move {
            copied.set(match share::copy(&text).await {
                Ok(()) => Copied::Done,
                Err(reason) => Copied::Failed(reason),
            });
        });
    };
    let select_all = move |ev: leptos::ev::FocusEvent| {
        use wasm_bindgen::JsCast;
        if let Some(input) = ev.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) {
            input.select();
        }
    };
    let body = move || match link.get() {
        None => view! { <p class="modal-text">"Making the link…"</p> }.into_any(),
        Some(Err(reason)) => view! {
            <p class="modal-problem" role="alert">
                {format!("This browser could not make the link ({reason}). Export the workspace as a file instead.")}
            </p>
        }
        .into_any(),
        Some(Ok(text)) => {
            let length = text.chars().count();
            let warning = (length > SAFE_LENGTH).then(|| {
                view! {
                    <p class="modal-problem share-too-long" role="alert">
                        {format!(
                            "This link is {} characters long. Links over {} characters may be cut short by \
                             servers, chat and mail apps: export the workspace as a file instead.",
                            grouped(length),
                            grouped(SAFE_LENGTH),
                        )}
                    </p>
                }
            });
            view! {
                <label class="share-label" for="share-link">
                    {format!("Anyone opening this link gets a copy of your files ({} characters):", grouped(length))}
                </label>
                <input id="share-link" class="share-link" type="text" readonly=true prop:value=text on:focus=select_all />
                {warning}
                <p class="share-copied" role="status">
                    {move || match copied.get() {
                        Copied::Not => String::new(),
                        Copied::Done => "✓ Link copied to the clipboard.".to_string(),
                        Copied::Failed(reason) => {
                            format!("Could not copy ({reason}): select the link and copy it yourself.")
                        }
                    }}
                </p>
            }
            .into_any()
        }
    };
    view! {
        <Modal title="Share this workspace".to_string() on_close=on_close>
            <p class="modal-text">
                "The files travel inside the link itself (after the #), never through a server."
            </p>
            {body}
            <div class="modal-actions">
                <button type="button" class="modal-button" on:click=move |_| on_close.run(())>"Close"</button>
                <button
                    type="button"
                    class="modal-button primary share-copy"
                    disabled=move || !matches!(link.get(), Some(Ok(_)))
                    on:click=copy
                >
                    "Copy link"
                </button>
            </div>
        </Modal>
    }
}

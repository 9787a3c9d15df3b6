//! A notice about the learner's work (storage, a deleted file), with its one action.

use crate::state::{use_playground, NoticeAction};
use leptos::prelude::*;

/// The notice above the editor, when there is one.
#[component]
pub fn NoticeBar() -> impl IntoView {
    let playground = use_playground();
    move || {
        playground.notice().map(|notice| {
            let action = notice.action.map(|action| {
                let label = match action {
                    NoticeAction::UndoDelete => "Undo",
                    NoticeAction::ApplyNow => "Apply now",
                };
                view! {
                    <button type="button" class="notice-action" on:click=move |_| playground.act(action)>
                        {label}
                    </button>
                }
            });
            view! {
                <div class="notice" role="status">
                    <span class="notice-text">{notice.text}</span>
                    {action}
                    <button
                        type="button"
                        class="notice-dismiss"
                        aria-label="Dismiss"
                        on:click=move |_| playground.dismiss_notice()
                    >
                        "×"
                    </button>
                </div>
            }
        })
    }
}

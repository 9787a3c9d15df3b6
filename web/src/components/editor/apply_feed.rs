//! What the last applies did, one line per object, as `kubectl apply` prints it.

use crate::state::use_playground;
use leptos::prelude::*;

/// The apply output below the problems.
#[component]
pub fn ApplyFeed() -> impl IntoView {
    let playground = use_playground();
    view! {
        <ol class="apply-feed" aria-label="kubectl apply output" aria-live="polite">
            <For each=move || playground.feed() key=|line| line.seq let(line)>
                <li class=format!("feed-line {}", line.action.as_str())>{line.text}</li>
            </For>
        </ol>
    }
}

//! Presentation mode, for a classroom projector: larger type everywhere (the editor, the
//! drawer, the player's words) and more room for the cluster drawing. A toggle in the top bar
//! sets the `presenting` class on the document element; the choice is remembered in this
//! browser (a missing or unreadable entry means off).

use leptos::prelude::*;

/// Where the choice is kept.
const KEY: &str = "kubeplay.presenting";

fn storage() -> Option<web_sys::Storage> {
    window().local_storage().ok().flatten()
}

fn apply(on: bool) {
    if let Some(root) = document().document_element() {
        let _ = if on { root.class_list().add_1("presenting") } else { root.class_list().remove_1("presenting") };
    }
}

/// The top bar's "Present" toggle.
#[component]
pub fn PresentToggle() -> impl IntoView {
    let on = RwSignal::new(storage().and_then(|s| s.get_item(KEY).ok().flatten()).as_deref() == Some("on"));
    Effect::new(move |_| {
        let value = on.get();
        apply(value);
        if let Some(s) = storage() {
            let _ = s.set_item(KEY, if value { "on" } else { "off" });
        }
    });
    view! {
        <button
            class="tool-button present-toggle"
            aria-pressed=move || on.get().to_string()
            title="Larger type for a projector"
            on:click=move |_| on.update(|v| *v = !*v)
        >
            {move || if on.get() { "Exit presentation" } else { "Present" }}
        </button>
    }
}

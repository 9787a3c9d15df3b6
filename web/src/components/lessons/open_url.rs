//! "Open a lesson from a link…": the address of a lesson folder a teacher hosts, fetched by
//! [`fetch_lesson`]; its problems show with a folder's, and nothing is loaded on error.

use crate::course::use_course;
use crate::lesson_url::fetch_lesson;
use leptos::prelude::*;

/// The address field and its button; `on_pick` runs after the lesson opened.
#[component]
pub fn OpenLessonUrl(on_pick: Callback<()>) -> impl IntoView {
    let course = use_course();
    let address = RwSignal::new(String::new());
    let loading = RwSignal::new(false);
    let submit = move |event: leptos::ev::SubmitEvent| {
        event.prevent_default();
        let url = address.get_untracked();
        if url.trim().is_empty() || loading.get_untracked() {
            return;
        }
        loading.set(true);
        leptos::task::spawn_local(async move {
            let read = fetch_lesson(&url).await;
            loading.set(false);
            if course.add_from_folder(read) {
                on_pick.run(());
            }
        });
    };
    view! {
        <form class="open-url" on:submit=submit>
            <label class="open-url-label" for="lesson-url">"Or open a lesson from a link:"</label>
            <div class="open-url-row">
                <input
                    id="lesson-url"
                    class="open-url-input"
                    type="text"
                    inputmode="url"
                    placeholder="https://…/my-lesson/"
                    prop:value=move || address.get()
                    on:input=move |ev| address.set(event_target_value(&ev))
                />
                <button type="submit" class="open-url-button" disabled=move || loading.get()>
                    {move || if loading.get() { "Loading…" } else { "Open" }}
                </button>
            </div>
        </form>
    }
}

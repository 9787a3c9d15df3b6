//! The list of lessons embedded in the app.

use kubeplay_core::lessons::{parse_summary, LessonSummary};
use leptos::prelude::*;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/lessons.rs"));
}

/// Every embedded lesson that parses; a broken one is skipped (the native test suite checks
/// that none is).
fn lessons() -> Vec<LessonSummary> {
    embedded::LESSONS.iter().filter_map(|(folder, text)| parse_summary(folder, text).ok()).collect()
}

/// The collapsible lesson panel: titles and levels.
#[component]
pub fn LessonList() -> impl IntoView {
    let (open, set_open) = signal(true);
    view! {
        <nav class="lessons" class:collapsed=move || !open.get() aria-label="Lessons">
            <button
                class="lessons-toggle"
                aria-expanded=move || open.get().to_string()
                on:click=move |_| set_open.update(|o| *o = !*o)
            >
                {move || if open.get() { "‹ Lessons" } else { "›" }}
            </button>
            <ol class="lesson-list" hidden=move || !open.get()>
                {lessons()
                    .into_iter()
                    .map(|l| {
                        view! {
                            <li class="lesson" data-id=l.id.clone()>
                                <span class="lesson-title">{l.title.clone()}</span>
                                <span class=format!("lesson-level {}", l.level.as_str())>{l.level.as_str()}</span>
                                <p class="lesson-summary">{l.summary.clone()}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </nav>
    }
}

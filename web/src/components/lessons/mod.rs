//! The lesson panel: the list of lessons (and the sandbox), or the open lesson.

mod lesson_list;
mod lesson_view;
mod open_url;

use crate::course::use_course;
use leptos::prelude::*;
pub use lesson_list::LessonList;
pub use lesson_view::LessonView;

/// The collapsible side panel: the open lesson, or the list to pick one from.
#[component]
pub fn LessonPanel() -> impl IntoView {
    let course = use_course();
    let (open, set_open) = signal(true);
    // Browsing the list since which workspace was open: starts on the list in the sandbox, on
    // the lesson otherwise; a lesson opened from elsewhere (a link) ends browsing.
    let browsing_since = RwSignal::new(course.open_index_untracked().is_none().then_some(None));
    let browsing = Signal::derive(move || browsing_since.get() == Some(course.open_index()));
    let picked = Callback::new(move |_| browsing_since.set(None));
    // A lesson opened (from the list or "Next lesson") is read from its top.
    let panel = NodeRef::<leptos::html::Nav>::new();
    Effect::new(move |_| {
        course.open_index();
        browsing.get();
        if let Some(nav) = panel.get_untracked() {
            nav.set_scroll_top(0);
        }
    });
    view! {
        <nav node_ref=panel class="lessons" class:collapsed=move || !open.get() class:reading=move || !browsing.get()
            && course.open_index().is_some() aria-label="Lessons">
            <div class="lessons-bar">
                <button
                    class="lessons-toggle"
                    aria-expanded=move || open.get().to_string()
                    on:click=move |_| set_open.update(|o| *o = !*o)
                >
                    {move || if open.get() { "‹ Lessons" } else { "›" }}
                </button>
                {move || (open.get() && course.open_index().is_some()).then(|| view! {
                    <button class="lessons-browse" on:click=move |_| {
                        browsing_since.set((!browsing.get_untracked()).then(|| course.open_index_untracked()))
                    }>
                        {move || if browsing.get() { "Back to lesson" } else { "All lessons" }}
                    </button>
                })}
            </div>
            <div class="lessons-body" hidden=move || !open.get()>
                {move || match (browsing.get(), course.open()) {
                    (false, Some(lesson)) => view! { <LessonView lesson=lesson /> }.into_any(),
                    _ => view! { <LessonList on_pick=picked /> }.into_any(),
                }}
            </div>
        </nav>
    }
}

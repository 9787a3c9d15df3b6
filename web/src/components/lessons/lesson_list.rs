//! The lesson panel's list: the sandbox, then every lesson with its level and a progress mark.

use crate::course::use_course;
use leptos::prelude::*;

/// The list of workspaces to open; `on_pick` runs after one is opened.
#[component]
pub fn LessonList(on_pick: Callback<()>) -> impl IntoView {
    let course = use_course();
    view! {
        <ol class="lesson-list">
            <li class="lesson sandbox" class:current=move || course.open_index().is_none() data-id="sandbox">
                <button class="lesson-open" on:click=move |_| {
                    course.open_sandbox();
                    on_pick.run(());
                }>
                    <span class="lesson-title">"Sandbox"</span>
                    <span class="lesson-summary">"Your own workspace, kept while you take lessons."</span>
                </button>
            </li>
            {course
                .all()
                .into_iter()
                .enumerate()
                .map(|(index, l)| {
                    let id = l.file.id.clone();
                    let (done, begun) = (id.clone(), id.clone());
                    let mark = move || {
                        if course.completed(&done) {
                            ("mark done", "✓ done")
                        } else if course.started(&begun) || course.open_index() == Some(index) {
                            ("mark begun", "● started")
                        } else {
                            ("mark", "")
                        }
                    };
                    let mark_class = mark.clone();
                    view! {
                        <li class="lesson" class:current=move || course.open_index() == Some(index) data-id=id>
                            <button class="lesson-open" on:click=move |_| {
                                course.open_lesson(index);
                                on_pick.run(());
                            }>
                                <span class="lesson-title">{l.file.title.clone()}</span>
                                <span class="lesson-meta">
                                    <span class=format!(
                                        "lesson-level {}",
                                        l.file.level.as_str(),
                                    )>{l.file.level.as_str()}</span>
                                    <span class=move || mark_class().0>{move || mark().1}</span>
                                </span>
                            </button>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
    }
}

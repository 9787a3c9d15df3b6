//! The lesson panel's list: the sandbox, then every lesson with its level and a progress mark
//! (a lesson opened from a folder says so), and "Open a lesson folder…" with why the last
//! folder picked is not a lesson.

use crate::course::use_course;
use crate::lesson_folder::{parse_folder, read_input};
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// "Open a lesson folder…": a folder picker whose files go through [`parse_folder`], and the
/// problems of the last folder that is not a lesson.
#[component]
fn OpenFolder(on_pick: Callback<()>) -> impl IntoView {
    let course = use_course();
    // Leptos has no `webkitdirectory` attribute; the element's property is set once it exists.
    let picker = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(input) = picker.get() {
            input.set_webkitdirectory(true);
        }
    });
    let picked = move |event: leptos::ev::Event| {
        let Some(input) = event.target().and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok()) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let read = read_input(&input).await.map_err(|problem| vec![problem]).and_then(|files| parse_folder(&files));
            // The same folder picked again after an edit is a change.
            input.set_value("");
            if course.add_from_folder(read) {
                on_pick.run(());
            }
        });
    };
    view! {
        <div class="open-folder">
            <label class="open-folder-button">
                "Open a lesson folder…"
                <input node_ref=picker type="file" class="open-folder-input" multiple=true on:change=picked />
            </label>
            <p class="open-folder-help">"Your own lesson: a folder with lesson.yaml, start/ and solution/."</p>
            {move || {
                let problems = course.folder_problems();
                (!problems.is_empty()).then(|| view! {
                    <div class="folder-problems" role="alert">
                        <p>"That is not a lesson, so nothing was loaded:"</p>
                        <ul>{problems.into_iter().map(|p| view! { <li><code>{p}</code></li> }).collect_view()}</ul>
                    </div>
                })
            }}
        </div>
    }
}

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
            {move || course
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
                    let source = course.is_from_folder(&id).then(|| view! { <span class="lesson-source">"from a folder"</span> });
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
                                    {source}
                                    <span class=move || mark_class().0>{move || mark().1}</span>
                                </span>
                            </button>
                        </li>
                    }
                })
                .collect_view()}
        </ol>
        <OpenFolder on_pick=on_pick />
        <super::open_url::OpenLessonUrl on_pick=on_pick />
    }
}

//! An open lesson: its words, the goal checklist core grades after every apply, hints one at
//! a time, the solution as a diff against the learner's files, and reset.

use crate::course::use_course;
use crate::diff::{self, Change};
use crate::markdown::Markdown;
use crate::player::use_player;
use crate::state::use_playground;
use kubeplay_core::lessons::Lesson;
use leptos::prelude::*;

/// Asks the learner before their text is replaced; `false` when the browser cannot ask.
fn confirm(question: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false)
}

/// The goal checklist, with the "complete" state once every goal passes.
#[component]
fn Goals(learned: String) -> impl IntoView {
    let course = use_course();
    let next = move || course.open_index().map(|i| i + 1).filter(|&i| i < course.count());
    view! {
        <section class="lesson-goals" aria-label="Goals" aria-live="polite">
            <h3>"Goals"</h3>
            {move || match course.report() {
                None => view! { <p class="goal-wait">"Checking…"</p> }.into_any(),
                Some(report) => {
                    let passed = report.passed();
                    let goals = report
                        .results
                        .into_iter()
                        .map(|g| {
                            let (class, mark) = if g.passed { ("goal passed", "✓") } else { ("goal failed", "✗") };
                            let id = g.id.clone();
                            let play = course.goal_playable(&g.id).then(|| {
                                let on_play = move |_| match course.goal_playback(&id) {
                                    Ok(playback) => use_player().play(playback),
                                    Err(why) => use_playground().notify(why),
                                };
                                view! {
                                    <button class="goal-play" aria-label=format!("Play: {}", g.description) title="Animate this goal's probe in the cluster view" on:click=on_play>
                                        "Play"
                                    </button>
                                }
                            });
                            view! {
                                <li class=class data-goal=g.id.clone()>
                                    <span class="goal-mark" aria-hidden="true">{mark}</span>
                                    <span class="goal-text">
                                        <span class="goal-description">{g.description.clone()}</span>
                                        <span class="sr-only">{if g.passed { " (met)" } else { " (not met)" }}</span>
                                        {(!g.passed).then(|| view! { <span class="goal-actual">{g.actual.clone()}</span> })}
                                    </span>
                                    {play}
                                </li>
                            }
                        })
                        .collect_view();
                    view! {
                        <ul class="goal-list">{goals}</ul>
                        {passed.then(|| view! {
                            <div class="lesson-complete" role="status">
                                <strong>"Lesson complete"</strong>
                                <Markdown text=learned.clone() />
                                {next().map(|i| view! {
                                    <button class="primary next-lesson" on:click=move |_| course.open_lesson(i)>
                                        "Next lesson ›"
                                    </button>
                                })}
                            </div>
                        })}
                    }
                        .into_any()
                }
            }}
        </section>
    }
}

/// "Goals met: 1 of 2", always in view under the title.
#[component]
fn GoalCount() -> impl IntoView {
    let course = use_course();
    move || {
        course.report().map(|report| {
            let met = report.results.iter().filter(|g| g.passed).count();
            let total = report.results.len();
            if report.passed() {
                view! { <span class="goal-count complete">"✓ Lesson complete"</span> }.into_any()
            } else {
                view! { <span class="goal-count">{format!("Goals met: {met} of {total}")}</span> }.into_any()
            }
        })
    }
}

/// Hints, revealed one at a time.
#[component]
fn Hints(hints: Vec<String>) -> impl IntoView {
    let course = use_course();
    let total = hints.len();
    view! {
        <section class="lesson-hints" aria-label="Hints">
            <h3>"Hints"</h3>
            <ol class="hint-list">
                {move || {
                    hints
                        .iter()
                        .take(course.hints_shown())
                        .map(|h| view! { <li class="hint"><Markdown text=h.clone() /></li> })
                        .collect_view()
                }}
            </ol>
            {move || {
                let left = total.saturating_sub(course.hints_shown());
                (left > 0).then(|| view! {
                    <button class="show-hint" on:click=move |_| course.next_hint()>
                        {format!("Show a hint ({left} left)")}
                    </button>
                })
            }}
        </section>
    }
}

/// The solution as a line diff against the learner's files, and the actions that replace text.
#[component]
fn Solution(lesson: Lesson) -> impl IntoView {
    let course = use_course();
    let playground = use_playground();
    let (shown, set_shown) = signal(false);
    let files = lesson.solution.clone();
    let diffs = move || {
        files
            .iter()
            .map(|solution| {
                let mine = playground.id_of(&solution.name).and_then(|id| playground.file(id)).map(|f| f.text);
                let mine = mine.unwrap_or_default();
                let rows = diff::lines(&mine, &solution.text)
                    .into_iter()
                    .map(|(change, line)| {
                        let (class, sign) = match change {
                            Change::Same => ("diff-line same", "  "),
                            Change::Removed => ("diff-line removed", "- "),
                            Change::Added => ("diff-line added", "+ "),
                        };
                        view! { <span class=class>{format!("{sign}{line}")}</span> }
                    })
                    .collect_view();
                view! {
                    <figure class="solution-file">
                        <figcaption>{solution.name.clone()}</figcaption>
                        <pre class="diff">{rows}</pre>
                    </figure>
                }
            })
            .collect_view()
    };
    view! {
        <section class="lesson-solution" aria-label="Solution">
            <div class="lesson-actions">
                <button class="show-solution" aria-expanded=move || shown.get().to_string()
                    on:click=move |_| set_shown.update(|s| *s = !*s)>
                    {move || if shown.get() { "Hide solution" } else { "Show solution" }}
                </button>
                <button class="reset-lesson" on:click=move |_| {
                    if confirm("Reset this lesson? Your edits to its files are replaced by the start files.") {
                        course.reset_lesson();
                    }
                }>"Reset lesson"</button>
            </div>
            {move || shown.get().then(|| view! {
                <p class="diff-legend">"Lines marked - are yours, + the solution's."</p>
                {diffs()}
                <button class="apply-solution" on:click=move |_| {
                    if confirm("Replace your files with the solution? Your current text is overwritten.") {
                        course.apply_solution();
                    }
                }>"Apply solution"</button>
            })}
        </section>
    }
}

/// The open lesson.
#[component]
pub fn LessonView(lesson: Lesson) -> impl IntoView {
    let f = lesson.file.clone();
    view! {
        <article class="lesson-view" data-id=f.id.clone()>
            <h2 class="lesson-heading">{f.title.clone()}</h2>
            <p class="lesson-status">
                <span class=format!("lesson-level {}", f.level.as_str())>{f.level.as_str()}</span>
                <GoalCount />
            </p>
            <details class="lesson-intro" open>
                <summary>"Introduction"</summary>
                <Markdown text=f.intro.clone() />
            </details>
            <section class="lesson-task" aria-label="Task">
                <h3>"Your task"</h3>
                <Markdown text=f.task.clone() />
            </section>
            <Goals learned=f.learned.clone() />
            <Hints hints=f.hints.clone() />
            <Solution lesson=lesson />
        </article>
    }
}

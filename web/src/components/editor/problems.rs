//! The problems of the last apply, in every file: click one to put the cursor on it.

use super::bridge;
use super::code_editor::EditorHandle;
use crate::state::use_playground;
use kubeplay_core::diag::Severity;
use leptos::prelude::*;

/// The problem list below the editor.
#[component]
pub fn ProblemList() -> impl IntoView {
    let playground = use_playground();
    let editor = expect_context::<EditorHandle>();
    let count = move |severity| playground.diagnostics.with(|ds| ds.iter().filter(|d| d.severity == severity).count());
    let summary = move || {
        let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));
        let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
        match (errors, warnings) {
            (0, 0) => String::new(),
            (e, 0) => plural(e, "error"),
            (0, w) => plural(w, "warning"),
            (e, w) => format!("{}, {}", plural(e, "error"), plural(w, "warning")),
        }
    };
    view! {
        <section class="problems" aria-label="Problems" hidden=move || playground.diagnostics.with(Vec::is_empty)>
            <h2 class="problems-title">"Problems " <span class="problems-count">{summary}</span></h2>
            <ul class="problem-list">
                <For
                    each=move || playground.diagnostics.get()
                    key=|d| (d.file.clone(), d.span.start.offset, d.severity, d.message.clone())
                    let(d)
                >
                    {
                        let severity = if d.severity == Severity::Error { "error" } else { "warning" };
                        let (line, column) = (d.span.start.line, d.span.start.column);
                        let file = d.file.clone();
                        let jump = move |_| {
                            if let Some(id) = playground.id_of(&file) {
                                editor.reveal(playground, id, line, column);
                            }
                        };
                        view! {
                            <li class=format!("problem {severity}")>
                                <button
                                    type="button"
                                    class="problem-jump"
                                    data-line=line
                                    data-column=column
                                    on:click=jump
                                >
                                    <span class="severity">{severity}</span>
                                    <span class="where">{format!("{}:{line}:{column}", d.file)}</span>
                                    <span class="message">{bridge::message(&d)}</span>
                                </button>
                            </li>
                        }
                    }
                </For>
            </ul>
        </section>
    }
}

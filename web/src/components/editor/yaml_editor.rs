//! The YAML editor: the workspace text and the problems the model found in it.

use crate::state::use_playground;
use leptos::prelude::*;

/// A plain text editor over the workspace file, with the diagnostics listed below it.
#[component]
pub fn YamlEditor() -> impl IntoView {
    let playground = use_playground();
    let problems = move || playground.diagnostics.get();
    view! {
        <div class="editor">
            <div class="editor-tabs" role="tablist">
                <span class="tab active" role="tab" aria-selected="true">{crate::state::SANDBOX_FILE}</span>
            </div>
            <textarea
                id="yaml-editor"
                class="yaml-text"
                spellcheck="false"
                aria-label="Workspace YAML"
                prop:value=move || playground.text.get()
                on:input=move |ev| playground.edit(event_target_value(&ev))
            ></textarea>
            <ul class="problems" aria-label="Problems" aria-live="polite">
                <For
                    each=problems
                    key=|d| (d.file.clone(), d.span.start.offset, d.message.clone())
                    let(d)
                >
                    <li class=format!("problem {}", if d.severity == kubeplay_core::diag::Severity::Error { "error" } else { "warning" })>
                        <span class="where">{format!("{}:{}", d.span.start.line, d.span.start.column)}</span>
                        <span class="field">{d.field.clone()}</span>
                        <span class="message">{d.message.clone()}</span>
                    </li>
                </For>
            </ul>
        </div>
    }
}

//! The inspector panel: shown while [`Selection`](crate::selection::Selection) holds an object,
//! absolutely positioned at the right of its parent (the cluster pane), scrollable, closed by
//! its × button or Escape. Focus moves into it when an object is selected. Its content is
//! core's `inspect` (sections of fields, lines and text blocks), re-read after every apply; an
//! object that is gone says so. A NodePort or LoadBalancer Service's panel also offers
//! "Compare externalTrafficPolicy" ([`super::compare`]).

use super::compare::{comparable, ComparePolicies};
use crate::selection::{use_selection, Selected};
use crate::state::use_playground;
use kubeplay_core::inspect::{inspect, Inspection, Item, Subject};
use leptos::prelude::*;

/// Core's subject for a selection.
fn subject(selected: &Selected) -> Subject {
    match selected {
        Selected::Pod(key) => Subject::Pod(key.clone()),
        Selected::Service(key) => Subject::Service(key.clone()),
        Selected::Node(name) => Subject::Node(name.clone()),
        Selected::NetworkPolicy(key) => Subject::NetworkPolicy(key.clone()),
    }
}

/// The key a selection names.
fn key(selected: &Selected) -> &str {
    match selected {
        Selected::Pod(key) | Selected::Service(key) | Selected::Node(key) | Selected::NetworkPolicy(key) => key,
    }
}

/// The inspector panel (nothing while nothing is selected).
#[component]
pub fn Inspector() -> impl IntoView {
    let selection = use_selection();
    let playground = use_playground();
    let panel = NodeRef::<leptos::html::Aside>::new();
    let inspection = Memo::new(move |_| {
        let selected = selection.get()?;
        let found = playground.with_simulation(|sim| inspect(sim.cluster(), &subject(&selected)));
        Some((selected, found))
    });
    // Focus the panel when the selection changes (after it is drawn).
    Effect::new(move |_| {
        if selection.get().is_some() {
            request_animation_frame(move || {
                if let Some(el) = panel.get_untracked() {
                    let _ = el.focus();
                }
            });
        }
    });
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Escape" {
            ev.stop_propagation();
            selection.clear();
        }
    };
    move || {
        inspection.get().map(|(selected, found)| {
            let title = found.as_ref().map_or_else(|| key(&selected).to_string(), |i| i.title.clone());
            let kind = found.as_ref().map_or("", |i| i.kind);
            let compare = match &selected {
                Selected::Service(key) if comparable(playground, key) => Some(view! { <ComparePolicies key=key.clone() /> }),
                _ => None,
            };
            view! {
                <aside
                    node_ref=panel
                    class="inspector"
                    tabindex="-1"
                    aria-labelledby="inspector-title"
                    on:keydown=on_key
                >
                    <header class="inspector-head">
                        <h2 id="inspector-title">
                            <span class="inspector-kind">{kind}</span>
                            " "
                            {title}
                        </h2>
                        <button
                            type="button"
                            class="inspector-close"
                            aria-label="Close the inspector"
                            title="Close (Escape)"
                            on:click=move |_| selection.clear()
                        >
                            "×"
                        </button>
                    </header>
                    {match found {
                        Some(inspection) => sections(inspection).into_any(),
                        None => view! {
                            <p class="inspector-gone">{format!("{} no longer exists in the cluster.", key(&selected))}</p>
                        }
                        .into_any(),
                    }}
                    {compare}
                </aside>
            }
        })
    }
}

/// Consecutive items of one sort: fields, lines or a block.
enum Run {
    Fields(Vec<(String, String)>),
    Lines(Vec<String>),
    Block(String),
}

/// Groups `items` into runs, so that fields form one description list and lines one list.
fn runs(items: Vec<Item>) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for item in items {
        match (item, runs.last_mut()) {
            (Item::Field { label, value }, Some(Run::Fields(fields))) => fields.push((label, value)),
            (Item::Field { label, value }, _) => runs.push(Run::Fields(vec![(label, value)])),
            (Item::Line(text), Some(Run::Lines(lines))) => lines.push(text),
            (Item::Line(text), _) => runs.push(Run::Lines(vec![text])),
            (Item::Block(text), _) => runs.push(Run::Block(text)),
        }
    }
    runs
}

/// The sections: fields as a description list, lines as a list, blocks as preformatted text.
fn sections(inspection: Inspection) -> impl IntoView {
    inspection
        .sections
        .into_iter()
        .map(|section| {
            let body = runs(section.items)
                .into_iter()
                .map(|run| match run {
                    Run::Fields(fields) => view! {
                        <dl class="inspector-fields">
                            {fields
                                .into_iter()
                                .map(|(label, value)| view! { <div><dt>{label}</dt><dd>{value}</dd></div> })
                                .collect_view()}
                        </dl>
                    }
                    .into_any(),
                    Run::Lines(lines) => view! {
                        <ul class="inspector-lines">
                            {lines.into_iter().map(|text| view! { <li>{text}</li> }).collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Run::Block(text) => view! { <pre class="inspector-block">{text}</pre> }.into_any(),
                })
                .collect_view();
            view! {
                <section class="inspector-section">
                    <h3>{section.heading}</h3>
                    {body}
                </section>
            }
        })
        .collect_view()
}

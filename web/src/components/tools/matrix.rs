//! The Matrix tab: which endpoint may open a connection to which on one port and protocol,
//! under the workspace's NetworkPolicies, as core's `PolicyIndex::matrix` answers it.
//!
//! Rows are sources and columns destinations (pods by `namespace/name`, then the nodes and the
//! outside address); each cell shows ✓ or ✗ as well as its colour. Hovering a cell shows the
//! verdict and clicking it core's explanation (`policy::explain`). The matrix seen last for the
//! same port and protocol is kept, and the pairs an apply opened or closed since (core's
//! `Matrix::diff`) are outlined. A row's pod or node opens in the inspector. The matrix is
//! computed only while the tab is open.

use crate::components::drawer::{use_drawer, DrawerTab};
use crate::selection::{use_selection, Selected};
use crate::state::use_playground;
use kubeplay_core::api::Protocol;
use kubeplay_core::policy::{self, Endpoint, Matrix, MatrixDiff};
use kubeplay_core::render::Scope;
use leptos::prelude::*;

/// The matrix on screen and what the last apply changed in it.
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    revision: u64,
    matrix: Matrix,
    /// Whether each entry is a system pod (CoreDNS), hidden unless asked for.
    system: Vec<bool>,
    /// The pairs opened and closed since the matrix seen before, for the same port and protocol.
    diff: Option<MatrixDiff>,
}

/// How a cell changed in the last apply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Change {
    Opened,
    Closed,
}

impl Shown {
    fn change(&self, from: &str, to: &str) -> Option<Change> {
        let diff = self.diff.as_ref()?;
        let hit = |pairs: &[(String, String)]| pairs.iter().any(|(f, t)| f == from && t == to);
        if hit(&diff.opened) {
            Some(Change::Opened)
        } else if hit(&diff.closed) {
            Some(Change::Closed)
        } else {
            None
        }
    }
}

/// The Matrix tab's content.
#[component]
pub fn MatrixTab() -> impl IntoView {
    let playground = use_playground();
    let drawer = use_drawer();
    let port_choice = RwSignal::new(None::<u16>);
    let protocol_choice = RwSignal::new(None::<Protocol>);
    let show_system = RwSignal::new(false);
    let picked = RwSignal::new(None::<(String, String)>);
    let visible = move || drawer.open.get() == DrawerTab::Matrix && drawer.expanded.get();
    let suggested = Memo::new(move |_| playground.with_simulation(|sim| policy::suggested_port(sim.cluster())));
    let port = move || port_choice.get().unwrap_or_else(|| suggested.get().0);
    let protocol = move || protocol_choice.get().unwrap_or_else(|| suggested.get().1);
    let shown = Memo::new(move |before: Option<&Option<Shown>>| {
        let before = before.and_then(Option::as_ref);
        if !visible() {
            return before.cloned();
        }
        let (port, protocol) = (port(), protocol());
        let revision = playground.applied_revision();
        let same_query = |s: &&Shown| s.matrix.port == port && s.matrix.protocol == protocol;
        if let Some(s) = before.filter(same_query).filter(|s| s.revision == revision) {
            return Some(s.clone());
        }
        let (matrix, system) = playground.with_simulation(|sim| {
            let matrix = sim.policy_index().matrix(port, protocol, &Scope::All);
            let system = (matrix.entries().iter())
                .map(|e| matches!(e.endpoint, Endpoint::Pod(id) if sim.cluster().pod(id).system))
                .collect();
            (matrix, system)
        });
        let diff = before.filter(same_query).map(|s| Matrix::diff(&s.matrix, &matrix));
        Some(Shown { revision, matrix, system, diff })
    });

    let on_port = move |ev: leptos::ev::Event| {
        if let Ok(n) = event_target_value(&ev).trim().parse::<u16>() {
            if n > 0 {
                port_choice.set(Some(n));
            }
        }
    };
    let on_protocol = move |ev: leptos::ev::Event| protocol_choice.set(Protocol::parse(&event_target_value(&ev)));

    view! {
        <div class="tool matrix-tool">
            <form class="tool-form" on:submit=|ev| ev.prevent_default()>
                <label>
                    "Port "
                    <input
                        id="matrix-port"
                        type="number"
                        min="1"
                        max="65535"
                        prop:value=move || port().to_string()
                        on:change=on_port
                    />
                </label>
                <label>
                    "Protocol "
                    <select id="matrix-protocol" on:change=on_protocol>
                        {["TCP", "UDP", "SCTP"]
                            .map(|p| {
                                view! {
                                    <option value=p selected=move || protocol().as_str() == p>
                                        {p}
                                    </option>
                                }
                            })}
                    </select>
                </label>
                <label class="check">
                    <input type="checkbox" prop:checked=move || show_system.get() on:change=move |ev| {
                        show_system.set(event_target_checked(&ev))
                    } />
                    " Show system pods"
                </label>
            </form>
            {move || shown.get().map(|s| matrix_view(s, show_system.get(), picked))}
            {move || picked.get().zip(shown.get()).map(|((from, to), s)| detail(&s, &from, &to, picked))}
        </div>
    }
}

/// The legend and the table.
fn matrix_view(s: Shown, show_system: bool, picked: RwSignal<Option<(String, String)>>) -> AnyView {
    let playground = use_playground();
    let selection = use_selection();
    let entries = s.matrix.entries();
    let shown: Vec<usize> = (0..entries.len()).filter(|&i| show_system || !s.system[i]).collect();
    let summary = match &s.diff {
        Some(d) if !d.opened.is_empty() || !d.closed.is_empty() => {
            format!("The last apply opened {} and closed {} connections (outlined).", d.opened.len(), d.closed.len())
        }
        _ => String::new(),
    };
    let enforced = (!s.matrix.enforced).then(|| {
        format!("The CNI plugin {} does not enforce NetworkPolicy: every connection is allowed.", s.matrix.cni.as_str())
    });
    // Columns are numbered (the full label is the header's title and what a screen reader
    // reads); rows carry the same number before their label.
    let header = (shown.iter().enumerate())
        .map(|(n, &j)| {
            let (label, title) = (entries[j].label.clone(), entries[j].label.clone());
            view! {
                <th scope="col" class="col-head" title=title>
                    <span aria-hidden="true">{n + 1}</span>
                    <span class="sr-only">{label}</span>
                </th>
            }
        })
        .collect_view();
    let rows = playground.with_simulation(|sim| {
        let cluster = sim.cluster();
        (shown.iter().enumerate())
            .map(|(n, &i)| {
                let from = entries[i].label.clone();
                let cells = shown
                    .iter()
                    .map(|&j| {
                        let to = entries[j].label.clone();
                        let allowed = s.matrix.allowed(i, j);
                        let change = s.change(&from, &to);
                        let why = policy::explain(&policy::decide(cluster, &s.matrix.flow(i, j)), cluster);
                        let mut label = why.first().cloned().unwrap_or_default();
                        match change {
                            Some(Change::Opened) => label.push_str(" (opened by the last apply)"),
                            Some(Change::Closed) => label.push_str(" (closed by the last apply)"),
                            None => {}
                        }
                        let title = std::iter::once(label.clone()).chain(why.into_iter().skip(1)).collect::<Vec<_>>().join("\n");
                        let pair = (from.clone(), to.clone());
                        view! {
                            <td
                                class="cell"
                                class:allowed=allowed
                                class:denied=!allowed
                                class:opened=change == Some(Change::Opened)
                                class:closed=change == Some(Change::Closed)
                            >
                                <button
                                    type="button"
                                    title=title
                                    aria-label=label
                                    on:click=move |_| picked.set(Some(pair.clone()))
                                >
                                    {if allowed { "✓" } else { "✗" }}
                                </button>
                            </td>
                        }
                    })
                    .collect_view();
                let inspect = match entries[i].endpoint {
                    Endpoint::Pod(_) => Some(Selected::Pod(from.clone())),
                    Endpoint::Node(id) => Some(Selected::Node(cluster.node(id).name.clone())),
                    Endpoint::External(_) => None,
                };
                let head = match inspect {
                    Some(what) => view! {
                        <button type="button" class="inspect-link" title="Inspect" on:click=move |_| selection.toggle(what.clone())>
                            {from.clone()}
                        </button>
                    }
                    .into_any(),
                    None => from.clone().into_any(),
                };
                view! {
                    <tr>
                        <th scope="row" class="row-head">
                            <span class="entry-number" aria-hidden="true">{n + 1}</span>
                            {head}
                        </th>
                        {cells}
                    </tr>
                }
            })
            .collect_view()
    });
    let caption = format!(
        "Connections allowed on {}/{}: rows are sources, columns destinations.",
        s.matrix.port, s.matrix.protocol
    );
    view! {
        <p class="tool-note">
            <span class="legend allowed">"✓ allowed"</span>
            " "
            <span class="legend denied">"✗ denied"</span>
            " "
            {summary}
            " "
            {enforced}
        </p>
        <div class="matrix-scroll">
            <table class="matrix">
                <caption class="sr-only">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col" class="corner">"from \\ to"</th>
                        {header}
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
    .into_any()
}

/// Core's explanation of one cell.
fn detail(s: &Shown, from: &str, to: &str, picked: RwSignal<Option<(String, String)>>) -> Option<AnyView> {
    let playground = use_playground();
    let (i, j) = (s.matrix.position(from)?, s.matrix.position(to)?);
    let lines = playground.with_simulation(|sim| {
        let cluster = sim.cluster();
        policy::explain(&policy::decide(cluster, &s.matrix.flow(i, j)), cluster)
    });
    Some(
        view! {
            <section class="matrix-detail" aria-label="Why" aria-live="polite">
                <button type="button" class="close" aria-label="Close the explanation" on:click=move |_| picked.set(None)>
                    "×"
                </button>
                {lines.into_iter().map(|line| view! { <p>{line}</p> }).collect_view()}
            </section>
        }
        .into_any(),
    )
}

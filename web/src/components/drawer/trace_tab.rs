//! The Trace tab: the frames the cluster view animates, as a table (the text equivalent of
//! the animation), one table per lane when several packets play together, each headed by its
//! lane's name. The current frame's row is marked; clicking a row (or Enter on it) shows that
//! frame. Each row says where, what happened, the packet's addresses after the hop, and the
//! kube-proxy rule that matched.

use crate::frames::Frame;
use crate::player::{use_player, Player};
use leptos::prelude::*;

/// The Trace tab's content.
#[component]
pub fn TraceTab() -> impl IntoView {
    let player = use_player();
    let tables = move || {
        let loaded = player.loaded()?;
        let tables = loaded
            .lanes
            .iter()
            .enumerate()
            .map(|(n, lane)| {
                let heading =
                    lane.label.clone().map(|label| view! { <h3 class=format!("lane-title lane-{n}")>{label}</h3> });
                view! {
                    <section class=format!("trace-lane lane-{n}")>
                        {heading}
                        {table(player, &lane.frames)}
                    </section>
                }
            })
            .collect_view();
        Some(view! {
            <p class="trace-title">{loaded.title.clone()}</p>
            <div class="trace-lanes">{tables}</div>
        })
    };
    view! {
        <div class="trace-tab">
            {move || tables().map(|r| r.into_any()).unwrap_or_else(|| view! {
                <p class="empty">
                    "No trace yet. Press “Trace…” in the cluster view and pick a source and a destination, "
                    "or run a command in the Console; its hops appear here, one row per step."
                </p>
            }.into_any())}
        </div>
    }
}

/// One lane's frames as a table.
fn table(player: Player, frames: &[Frame]) -> impl IntoView {
    let last = frames.len().saturating_sub(1);
    let rows = frames
        .iter()
        .enumerate()
        .map(|(i, f)| {
            // A lane that has ended stays on its last row.
            let current = move || player.frame.get().min(last) == i;
            let seek = move || player.seek(i);
            let on_key = move |ev: leptos::ev::KeyboardEvent| {
                if ev.key() == "Enter" || ev.key() == " " {
                    ev.prevent_default();
                    seek();
                }
            };
            view! {
                <tr class=format!("frame-row {}", f.event.class()) class:reply=f.reply class:current=current
                    aria-current=move || current().then_some("step") tabindex="0"
                    on:click=move |_| seek() on:keydown=on_key>
                    <td class="num">{i + 1}</td>
                    <td>{if f.reply { format!("↩ {}", f.at) } else { f.at.clone() }}</td>
                    <td>{f.action.clone()}</td>
                    <td class="mono">{f.packet.clone()}{f.outer.clone().map(|o| view! { <br /><span class="outer">{o}</span> })}</td>
                    <td class="mono rule">{f.rule.clone().unwrap_or_default()}</td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <table class="trace-table">
            <thead>
                <tr>
                    <th scope="col">"#"</th>
                    <th scope="col">"Where"</th>
                    <th scope="col">"What happened"</th>
                    <th scope="col">"Packet after the hop"</th>
                    <th scope="col">"Rule"</th>
                </tr>
            </thead>
            <tbody>{rows}</tbody>
        </table>
    }
}

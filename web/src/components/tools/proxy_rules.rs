//! The Proxy rules tab: the rules kube-proxy programmed on one node, as core's `kube_proxy`
//! prints them (`iptables-save`, or the `nft` ruleset in nftables mode), with the rules the
//! playing trace matched on that node highlighted and the first of them scrolled into view.
//!
//! A new trace shows the node where its first rule matched; the learner's own choice of node
//! holds until the next trace is played. The filter keeps the lines containing its text.

use crate::components::drawer::{use_drawer, DrawerTab};
use crate::player::{use_player, Playback};
use crate::state::use_playground;
use kubeplay_core::cluster::NodeId;
use kubeplay_core::kube_proxy::{self, ProgrammedRules};
use leptos::prelude::*;
use std::collections::BTreeSet;

/// The Proxy rules tab's content.
#[component]
pub fn ProxyRulesTab() -> impl IntoView {
    let playground = use_playground();
    let player = use_player();
    let drawer = use_drawer();
    // The node the learner picked, and the player's generation when they did.
    let chosen = RwSignal::new(None::<(String, u64)>);
    let filter = RwSignal::new(String::new());
    let visible = move || drawer.open.get() == DrawerTab::ProxyRules && drawer.expanded.get();
    // The (node, rule line) pairs of the playing trace, in hop order.
    let trace_rules = Memo::new(move |_| match player.playback().as_ref() {
        Some(Playback::Trace { trace, .. }) => (trace.hops.iter().chain(&trace.reply))
            .filter(|h| h.place.kind == "node")
            .filter_map(|h| Some((h.place.key.clone(), h.rule.clone()?)))
            .collect::<Vec<_>>(),
        _ => Vec::new(),
    });
    let nodes =
        Memo::new(move |_| playground.view_memo().with(|v| v.nodes.iter().map(|n| n.name.clone()).collect::<Vec<_>>()));
    let node = Memo::new(move |_| {
        let generation = player.generation.get();
        let picked = chosen.get();
        match picked {
            Some((name, at)) if at == generation => Some(name),
            _ => trace_rules.with(|r| r.first().map(|(n, _)| n.clone())).or(picked.map(|(n, _)| n)),
        }
        .filter(|n| nodes.with(|ns| ns.contains(n)))
        .or_else(|| nodes.with(|ns| ns.first().cloned()))
    });
    let hits = Memo::new(move |_| {
        let node = node.get();
        trace_rules.with(|r| {
            r.iter().filter(|(n, _)| Some(n) == node.as_ref()).map(|(_, line)| line.clone()).collect::<BTreeSet<_>>()
        })
    });
    let text = Memo::new(move |_| {
        if !visible() {
            return Err(String::new());
        }
        let node = node.get().ok_or_else(|| "The cluster has no nodes.".to_string())?;
        playground.with_simulation(|sim| {
            let cluster = sim.cluster();
            let index = cluster.nodes.iter().position(|n| n.name == node).ok_or_else(String::new)?;
            match kube_proxy::programmed_rules(cluster, NodeId(index as u16)) {
                ProgrammedRules::Ipvs => {
                    Err("kubeProxyMode ipvs is not modeled; kubeplay shows iptables and nftables rules.".to_string())
                }
                ProgrammedRules::NoKubeProxy => {
                    Err("kube-proxy does not run (kubeProxyMode: none): there are no rules.".to_string())
                }
                rules => Ok(rules.text().unwrap_or_default()),
            }
        })
    });
    // Scroll the first highlighted line into view when the highlight changes.
    Effect::new(move |_| {
        if hits.with(BTreeSet::is_empty) || !visible() {
            return;
        }
        text.track();
        request_animation_frame(|| {
            if let Some(first) = document().query_selector("#proxy-rules .rule-line.hit").ok().flatten() {
                first.scroll_into_view_with_bool(false);
            }
        });
    });
    let on_node =
        move |ev: leptos::ev::Event| chosen.set(Some((event_target_value(&ev), player.generation.get_untracked())));

    view! {
        <div class="tool proxy-tool">
            <form class="tool-form" on:submit=|ev| ev.prevent_default()>
                <label>
                    "Node "
                    <select id="proxy-node" on:change=on_node>
                        <For each=move || nodes.get() key=|n| n.clone() let(name)>
                            <option value=name.clone() selected=move || node.get().as_ref() == Some(&name)>
                                {name.clone()}
                            </option>
                        </For>
                    </select>
                </label>
                <label>
                    "Filter "
                    <input
                        id="proxy-filter"
                        type="search"
                        placeholder="KUBE-SVC, 10.96.0.10, default/web…"
                        prop:value=move || filter.get()
                        on:input=move |ev| filter.set(event_target_value(&ev))
                    />
                </label>
            </form>
            <p class="tool-note">
                {move || {
                    let n = hits.with(BTreeSet::len);
                    match player.playback().as_ref() {
                        Some(Playback::Trace { title, .. }) if n > 0 => {
                            format!("Highlighted: the {n} rules {title} matched on this node.")
                        }
                        Some(Playback::Trace { title, .. }) => format!("{title} matched no kube-proxy rule on this node."),
                        _ => "Play a trace to highlight the rules its packets matched.".to_string(),
                    }
                }}
            </p>
            {move || match text.get() {
                Err(message) => view! { <p class="tool-note">{message}</p> }.into_any(),
                Ok(text) => {
                    let needle = filter.get();
                    let hits = hits.get();
                    let lines = text
                        .lines()
                        .filter(|l| needle.is_empty() || l.contains(needle.as_str()))
                        .map(|l| {
                            let hit = hits.contains(l);
                            // A block per line, ending with its newline so that copied text keeps it.
                            view! { <span class="rule-line" class:hit=hit>{format!("{l}\n")}</span> }
                        })
                        .collect_view();
                    view! { <pre id="proxy-rules" class="rules" tabindex="0" aria-label="Rules">{lines}</pre> }.into_any()
                }
            }}
        </div>
    }
}

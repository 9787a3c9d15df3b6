//! The DNS tab: a name looked up from a pod, a node or a client outside, as `kubeplay dns`
//! runs it (core's `Dns::lookup` with glibc's search, every query a packet through the
//! dataplane): the queries in order with their rcode and answers, the client's resolv.conf,
//! a button that hands the lookup to the player, and the Corefile CoreDNS runs.
//!
//! The lookup asked last is run again after every apply while the tab is open (and when it is
//! opened again), so the answers follow the workspace.

use crate::components::drawer::{use_drawer, DrawerTab};
use crate::player::{use_player, Playback};
use crate::state::use_playground;
use kubeplay_core::cluster::Cluster;
use kubeplay_core::dataplane::{Dataplane, Source};
use kubeplay_core::dns::view::LookupView;
use kubeplay_core::dns::{Dns, Expansion, Name, Network, RecordType};
use leptos::prelude::*;

/// A lookup to run: `from` as `NAMESPACE/POD`, `node/NAME` or `external`.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Request {
    from: String,
    name: String,
    qtype: RecordType,
}

/// What a lookup found, and the resolv.conf it used.
#[derive(Debug, Clone, PartialEq)]
struct Answer {
    lookup: LookupView,
    resolv_conf: String,
}

/// The record types the form offers.
const TYPES: [RecordType; 4] = [RecordType::A, RecordType::AAAA, RecordType::SRV, RecordType::PTR];

/// Runs `request` in `cluster`, as `kubeplay dns` does.
fn run(cluster: &Cluster, request: &Request) -> Result<Answer, String> {
    let name = Name::parse(&request.name).map_err(|e| format!("\"{}\": {e}", request.name))?;
    let client = Source::parse(cluster, &request.from).map_err(|e| e.to_string())?;
    let dataplane = Dataplane::new(cluster);
    let dns = dataplane.dns();
    let lookup = dns.lookup(&Network::new(&dataplane), client, &name, &[request.qtype], Expansion::Glibc);
    Ok(Answer { lookup: kubeplay_core::dns::view::view(cluster, &lookup), resolv_conf: lookup.resolv_conf.to_string() })
}

/// The DNS tab's content.
#[component]
pub fn DnsTab() -> impl IntoView {
    let playground = use_playground();
    let player = use_player();
    let drawer = use_drawer();
    let visible = move || drawer.open.get() == DrawerTab::Dns && drawer.expanded.get();
    // Where a lookup can run from: running pods, nodes, and the outside (kept as it was while
    // the tab is hidden, and brought up to date when it is shown).
    let sources = Memo::new(move |before: Option<&Vec<String>>| {
        if !visible() {
            return before.cloned().unwrap_or_default();
        }
        playground.view_memo().with(|view| {
            let mut pods: Vec<(String, bool)> =
                view.nodes.iter().flat_map(|n| &n.pods).map(|p| (p.key.clone(), p.system)).collect();
            pods.sort_by(|a, b| (a.1, &a.0).cmp(&(b.1, &b.0)));
            let mut out: Vec<String> = pods.into_iter().map(|(key, _)| key).collect();
            out.extend(view.nodes.iter().map(|n| format!("node/{}", n.name)));
            out.push("external".to_string());
            out
        })
    });
    let from = RwSignal::new(None::<String>);
    let from_value = move || from.get().or_else(|| sources.with(|s| s.first().cloned())).unwrap_or_default();
    let name = RwSignal::new(String::new());
    let qtype = RwSignal::new(RecordType::A);
    let request = RwSignal::new(None::<Request>);
    let answer = Memo::new(move |before: Option<&Option<Result<Answer, String>>>| {
        if !visible() {
            return before.cloned().flatten();
        }
        let request = request.get()?;
        playground.applied_revision();
        Some(playground.with_simulation(|sim| run(sim.cluster(), &request)))
    });
    let corefile = Memo::new(move |_| {
        if !visible() {
            return None;
        }
        playground.with_simulation(|sim| {
            let dns = Dns::new(sim.cluster());
            Some((dns.corefile_text.clone(), dns.problems.iter().map(ToString::to_string).collect::<Vec<_>>()))
        })
    });
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        request.set(Some(Request {
            from: from_value(),
            name: name.get_untracked().trim().to_string(),
            qtype: qtype.get_untracked(),
        }));
    };
    let play = move |_| {
        if let (Some(Ok(answer)), Some(r)) = (answer.get_untracked(), request.get_untracked()) {
            let title = format!("dns {} --type {} from {}", r.name, r.qtype.as_str(), r.from);
            player.play(Playback::Lookup { title, client: r.from.clone(), lookup: answer.lookup });
        }
    };

    view! {
        <div class="tool dns-tool">
            <form class="tool-form" on:submit=submit>
                <label>
                    "From "
                    <select id="dns-from" on:change=move |ev| from.set(Some(event_target_value(&ev)))>
                        <For each=move || sources.get() key=|s| s.clone() let(source)>
                            <option value=source.clone() selected=move || from_value() == source>
                                {source.clone()}
                            </option>
                        </For>
                    </select>
                </label>
                <label>
                    "Name "
                    <input
                        id="dns-name"
                        type="text"
                        required=true
                        spellcheck="false"
                        placeholder="web, web.default.svc.cluster.local, example.com"
                        prop:value=move || name.get()
                        on:input=move |ev| name.set(event_target_value(&ev))
                    />
                </label>
                <label>
                    "Type "
                    <select
                        id="dns-type"
                        on:change=move |ev| {
                            if let Ok(t) = event_target_value(&ev).parse::<RecordType>() {
                                qtype.set(t);
                            }
                        }
                    >
                        {TYPES.map(|t| view! { <option value=t.as_str() selected=move || qtype.get() == t>{t.as_str()}</option> })}
                    </select>
                </label>
                <button type="submit" class="tool-button">"Look up"</button>
            </form>
            {move || answer.get().map(|answer| match answer {
                Err(message) => view! { <p class="tool-error" role="alert">{message}</p> }.into_any(),
                Ok(answer) => result(answer, play).into_any(),
            })}
            <details class="corefile">
                <summary>"Corefile in effect (kube-system/coredns)"</summary>
                {move || corefile.get().map(|(text, problems)| view! {
                    {problems.into_iter().map(|p| view! { <p class="tool-error">{p}</p> }).collect_view()}
                    <pre class="rules">{text}</pre>
                })}
            </details>
        </div>
    }
}

/// The queries, the result and the resolv.conf of one lookup.
fn result(answer: Answer, play: impl Fn(leptos::ev::MouseEvent) + 'static) -> impl IntoView {
    let rcode_class = |rcode: &str| format!("rcode rcode-{}", rcode.to_lowercase());
    let lookup = answer.lookup;
    let rows = lookup
        .queries
        .iter()
        .enumerate()
        .map(|(i, q)| {
            // The record's name only when it is not the name asked (a CNAME's target).
            let answers = (q.answers.iter())
                .map(|a| match a.name == q.name {
                    true => format!("{} {}", a.record_type, a.data),
                    false => format!("{} {} {}", a.name, a.record_type, a.data),
                })
                .collect::<Vec<_>>();
            view! {
                <tr>
                    <td>{i + 1}</td>
                    <td class="mono">{q.name.clone()}</td>
                    <td>{q.record_type}</td>
                    <td><span class=rcode_class(q.rcode)>{q.rcode}</span></td>
                    <td class="mono">{answers.join("\n")}</td>
                    <td class="mono">{q.server.clone()}</td>
                    <td class="mono">{q.answered_by.clone().unwrap_or_else(|| "—".to_string())}</td>
                </tr>
            }
        })
        .collect_view();
    let final_answers =
        lookup.answers.iter().map(|a| format!("{} {} {}", a.name, a.record_type, a.data)).collect::<Vec<_>>();
    view! {
        <div class="dns-result">
            <p class="dns-outcome">
                "Result: "
                <span class=rcode_class(lookup.rcode)>{lookup.rcode}</span>
                " "
                <span class="mono">{final_answers.join(", ")}</span>
                " "
                <button type="button" class="tool-button" on:click=play>"▶ Play"</button>
            </p>
            <table class="dns-queries">
                <caption class="sr-only">"The queries the resolver sent, in order"</caption>
                <thead>
                    <tr>
                        <th scope="col">"#"</th>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Rcode"</th>
                        <th scope="col">"Answers"</th>
                        <th scope="col">"Server"</th>
                        <th scope="col">"Answered by"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
            <h3 class="tool-heading">"resolv.conf"</h3>
            <pre class="rules">{answer.resolv_conf}</pre>
        </div>
    }
}

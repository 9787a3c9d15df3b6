//! The packet benchmark, opened as `?bench=packets`: the sandbox cluster drawn exactly as the
//! app draws it, with [`PACKETS`] packets in flight at once (each its own player, replaying a
//! trace core computed, staggered), and the page's frame rate measured with
//! `requestAnimationFrame` over [`MEASURE_MS`] after a warm-up. The figures go to `#json` as
//! JSON and `data-state="done"` on `<body>`; `make bench-packets` (e2e/bench-packets.mjs) reads them.
//!
//! It measures the real engine (`PacketLayer`, `objects::Drawing`, the layout) and nothing else:
//! no editor, no lessons.

use crate::components::cluster::layout::layout;
use crate::components::cluster::objects::Drawing;
use crate::components::cluster::packet::{now, PacketLayer, TrailLayer};
use crate::components::cluster::picker::Picker;
use crate::player::{Playback, Player};
use crate::selection::Selection;
use crate::state::SANDBOX_TEXT;
use kubeplay_core::api::Protocol;
use kubeplay_core::dataplane::{render, Dataplane, Source, Target, TraceRequest};
use kubeplay_core::simulation::{Simulation, SourceFile};
use leptos::prelude::*;

/// Packets in flight at once (the goal: 60 frames per second with 50).
pub const PACKETS: usize = 50;
const WARM_UP_MS: f64 = 1000.0;
const MEASURE_MS: f64 = 5000.0;

/// Whether the page was opened as the packet benchmark.
pub fn requested() -> bool {
    window().location().search().is_ok_and(|q| q.contains("bench=packets"))
}

/// Traces for the packets: every running pod to the web Service, to kube-dns, and to every
/// other pod, seeds varied so kube-proxy picks different endpoints.
fn playbacks(sim: &Simulation) -> Vec<Playback> {
    let cluster = sim.cluster();
    let dataplane = Dataplane::new(cluster);
    let pods: Vec<String> = cluster.pods.iter().filter(|p| p.ip.is_some()).map(|p| p.key()).collect();
    let mut targets: Vec<String> = vec!["svc/default/web".into(), "svc/kube-system/kube-dns".into()];
    targets.extend(pods.iter().cloned());
    let mut out = Vec::new();
    for (i, (from, to)) in
        pods.iter().flat_map(|f| targets.iter().map(move |t| (f, t))).filter(|(f, t)| f != t).enumerate()
    {
        let (Ok(source), Ok(target)) = (Source::parse(cluster, from), Target::parse(cluster, to)) else { continue };
        let request = TraceRequest { from: source, to: target, port: None, protocol: Protocol::TCP, seed: i as u64 };
        if let Ok(trace) = dataplane.trace(&request) {
            out.push(Playback::Trace { title: format!("{from} -> {to}"), trace: render::view(cluster, &trace) });
        }
    }
    out
}

/// The benchmark page.
#[component]
pub fn PacketBench() -> impl IntoView {
    provide_context(Selection::new());
    provide_context(Picker::new());
    let mut sim = Simulation::new();
    sim.apply(&[SourceFile::new("app.yaml", SANDBOX_TEXT)]);
    let cluster_view = sim.view();
    let view = Memo::new(move |_| cluster_view.clone());
    let layout = Memo::new(move |_| view.with(layout));
    let traces = playbacks(&sim);
    let players: Vec<Player> = (0..PACKETS)
        .filter_map(|i| {
            let playback = traces.get(i % traces.len().max(1))?.clone();
            let player = Player::new();
            player.reduced_motion.set(false);
            player.speed.set(2.0);
            player.play(playback);
            player.frame.set(i % 5);
            // Loop: start again whenever it stops at the end.
            Effect::new(move |_| {
                if !player.playing.get() {
                    player.replay();
                }
            });
            Some(player)
        })
        .collect();
    let in_flight = players.len();
    let result = RwSignal::new(None::<String>);
    measure(result, in_flight);
    let (w, h) = layout.with_untracked(|l| (l.width, l.height));
    view! {
        <main class="bench-packets">
            <h1>{format!("kubeplay packet benchmark: {in_flight} packets in flight")}</h1>
            <p id="status">{move || if result.get().is_some() { "done" } else { "measuring…" }}</p>
            <pre id="json">{move || result.get().unwrap_or_default()}</pre>
            <div class="cluster-stage" style="width: 1200px">
                <svg class="cluster-svg" viewBox=format!("0 0 {w} {h}")>
                    <Drawing view=view layout=layout />
                    {players.iter().map(|&p| view! { <TrailLayer view=view layout=layout player=p lane=0 /> }).collect_view()}
                </svg>
                <svg class="packet-overlay" viewBox=format!("0 0 {w} {h}")>
                    {players.iter().map(|&p| view! { <PacketLayer view=view layout=layout player=p lane=0 /> }).collect_view()}
                </svg>
            </div>
        </main>
    }
}

/// Collects frame times for [`MEASURE_MS`] after [`WARM_UP_MS`], then writes the figures.
fn measure(result: RwSignal<Option<String>>, packets: usize) {
    let start = now();
    let stamps = StoredValue::new(Vec::<f64>::new());
    fn tick(start: f64, stamps: StoredValue<Vec<f64>>, result: RwSignal<Option<String>>, packets: usize) {
        request_animation_frame(move || {
            let t = now();
            if t - start >= WARM_UP_MS {
                stamps.update_value(|s| s.push(t));
            }
            if t - start < WARM_UP_MS + MEASURE_MS {
                tick(start, stamps, result, packets);
                return;
            }
            let mut intervals: Vec<f64> = stamps.with_value(|s| s.windows(2).map(|w| w[1] - w[0]).collect());
            intervals.sort_by(f64::total_cmp);
            let pick =
                |q: f64| intervals.get(((intervals.len() as f64 - 1.0) * q).round() as usize).copied().unwrap_or(0.0);
            let (median, p95) = (pick(0.5), pick(0.95));
            let frames = intervals.len();
            let fps = if frames > 0 { frames as f64 / (MEASURE_MS / 1000.0) } else { 0.0 };
            let user_agent = window().navigator().user_agent().unwrap_or_default();
            result.set(Some(format!(
                "{{\"packets\": {packets}, \"frames\": {frames}, \"fps\": {fps:.1}, \"medianFrameMs\": {median:.2}, \"p95FrameMs\": {p95:.2}, \"userAgent\": {user_agent:?}}}"
            )));
            if let Some(body) = document().body() {
                let _ = body.set_attribute("data-state", "done");
            }
        });
    }
    tick(start, stamps, result, packets);
}

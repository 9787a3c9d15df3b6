//! The player's controls under the drawing: step back, play/pause, step forward, replay,
//! speed, close, and the current frame in words, per lane when several packets play together
//! (also announced to screen readers). The same frames are the Trace tab's rows.

use crate::player::{use_player, SPEEDS};
use leptos::prelude::*;

/// The controls, shown while something is loaded.
#[component]
pub fn PlayerBar() -> impl IntoView {
    let player = use_player();
    // One line per lane, the first starting with the frame's number; each line keeps its
    // whole text in `title` (and the Trace tab), so the caption can have a fixed height and
    // the drawing above it never moves while a trace plays.
    let lines = move || -> Vec<(usize, String)> {
        let Some(loaded) = player.loaded() else { return Vec::new() };
        let Some(i) = loaded.len().checked_sub(1).map(|last| player.frame.get().min(last)) else { return Vec::new() };
        loaded
            .lanes
            .iter()
            .enumerate()
            .filter_map(|(k, lane)| {
                let f = lane.at(i)?;
                let way = if f.reply { "reply · " } else { "" };
                let name = lane.label.as_ref().map(|l| format!("{l}: ")).unwrap_or_default();
                Some((k, format!("{name}{way}{}: {}", f.at, f.action)))
            })
            .enumerate()
            .map(|(n, (k, text))| (k, if n == 0 { format!("{}/{} · {text}", i + 1, loaded.len()) } else { text }))
            .collect()
    };
    let caption = move || {
        lines()
            .into_iter()
            .map(|(k, text)| {
                let title = text.clone();
                view! { <span class=format!("lane-line lane-{k}") title=title>{text}</span> }
            })
            .collect_view()
    };
    let several = move || player.loaded().is_some_and(|l| l.lanes.len() > 1);
    let title = move || player.loaded().map(|l| l.title.clone()).unwrap_or_default();
    let on_speed = move |ev: leptos::ev::Event| {
        if let Ok(speed) = event_target_value(&ev).parse::<f64>() {
            player.speed.set(speed);
        }
    };
    view! {
        <div class="player-bar" role="group" aria-label="Packet animation" hidden=move || player.loaded().is_none()>
            <div class="player-controls">
                <button class="icon-button" aria-label="Step back" title="Step back" on:click=move |_| player.step_back()>{icon(STEP_BACK)}</button>
                <button class="icon-button primary" aria-label=move || if player.playing.get() { "Pause" } else { "Play" }
                    title=move || if player.playing.get() { "Pause" } else { "Play" }
                    on:click=move |_| player.toggle()>
                    {move || icon(if player.playing.get() { PAUSE } else { PLAY })}
                </button>
                <button class="icon-button" aria-label="Step forward" title="Step forward" on:click=move |_| { player.step_forward(); }>{icon(STEP_FORWARD)}</button>
                <button class="icon-button" aria-label="Replay" title="Replay" on:click=move |_| player.replay()>{icon(REPLAY)}</button>
                <label class="speed">
                    <span class="visually-hidden">"Speed"</span>
                    <select aria-label="Speed" on:change=on_speed>
                        {SPEEDS.iter().map(|s| view! {
                            <option value=s.to_string() selected=move || player.speed.get() == *s>{format!("{s}×")}</option>
                        }).collect_view()}
                    </select>
                </label>
                <span class="player-title" title=title>{title}</span>
                <button class="icon-button" aria-label="Close the animation" title="Close" on:click=move |_| player.close()>"×"</button>
            </div>
            <p class="player-caption" class:lanes=several aria-live="polite">{caption}</p>
        </div>
    }
}

/// Icon outlines on a 16 × 16 grid (drawn, so no font needs the media-control glyphs).
const PLAY: &str = "M4 2.5 L13 8 L4 13.5 Z";
const PAUSE: &str = "M3.5 2.5 H6.5 V13.5 H3.5 Z M9.5 2.5 H12.5 V13.5 H9.5 Z";
const STEP_BACK: &str = "M3 2.5 H5 V13.5 H3 Z M13 2.5 L5.5 8 L13 13.5 Z";
const STEP_FORWARD: &str = "M11 2.5 H13 V13.5 H11 Z M3 2.5 L10.5 8 L3 13.5 Z";
const REPLAY: &str = "M8 2.5 A5.5 5.5 0 1 1 2.6 9 H4.6 A3.6 3.6 0 1 0 8 4.4 V7 L4 3.5 L8 0 Z";

fn icon(d: &'static str) -> impl IntoView {
    view! {
        <svg class="icon" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true"><path d=d /></svg>
    }
}

//! The animated packet: the player's current frame drawn over the cluster, moving from the
//! previous frame's place to this one's, with its addresses, its VXLAN wrapping, a flash for
//! a NAT rewrite, a burst where it was dropped, and the trail of where it has been.
//!
//! Two layers, for speed: the trail ([`TrailLayer`]) is part of the cluster's drawing and
//! changes only when the frame does; the packet ([`PacketLayer`]) lives in an overlay SVG of
//! its own (`.packet-overlay`, a composited layer), so that moving it every animation frame
//! repaints neither the drawing nor the trails. Both overlays share the drawing's viewBox.
//!
//! Timing: each frame moves for 60% of its time and rests for the rest, then the player
//! advances if it is playing. One `requestAnimationFrame` loop runs at a time (a token ends
//! the old loop when the frame changes). With reduced motion the packet jumps to each place
//! and nothing advances on its own.

use super::layout::Layout;
use crate::frames::{Event, Frame, Spot};
use crate::player::{Player, FRAME_MS};
use crate::ticker::every_frame;
use kubeplay_core::dataplane::place::Moment;
use kubeplay_core::view::ClusterView;
use leptos::prelude::*;

/// A point in SVG units.
type Point = (f64, f64);

/// The trail of the packet of `player`'s lane `lane`: one straight segment per hop it has made
/// so far, in the cluster's drawing beneath the packets. A segment is added or removed only when the frame
/// changes (a keyed list: the segments already drawn stay untouched), so the moving packet
/// never makes the trail repaint.
#[component]
pub fn TrailLayer(view: Memo<ClusterView>, layout: Memo<Layout>, player: Player, lane: usize) -> impl IntoView {
    let segments = Memo::new(move |_| -> Vec<Segment> {
        let Some(loaded) = player.loaded() else { return Vec::new() };
        let Some(frames) = loaded.lanes.get(lane).map(|l| &l.frames) else { return Vec::new() };
        let Some(last) = frames.len().checked_sub(1) else { return Vec::new() };
        let frame = player.frame.get().min(last);
        view.with(|v| {
            layout.with(|l| {
                let points: Vec<Point> = frames[..=frame].iter().filter_map(|f| l.point(v, &f.spot)).collect();
                points
                    .windows(2)
                    .filter(|w| w[0] != w[1])
                    .enumerate()
                    .map(|(index, w)| Segment::new(index, w[0], w[1]))
                    .collect()
            })
        })
    });
    view! {
        <g class=format!("trail-layer lane-{lane}") aria-hidden="true">
            <For each=move || segments.get() key=|s| *s let(s)>
                <line class="trail" x1=s.x1() y1=s.y1() x2=s.x2() y2=s.y2() />
            </For>
        </g>
    }
}

/// One straight piece of a trail, in tenths of SVG units (so that it can be a key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Segment {
    index: usize,
    from: (i64, i64),
    to: (i64, i64),
}

impl Segment {
    fn new(index: usize, from: Point, to: Point) -> Segment {
        let tenths = |(x, y): Point| ((x * 10.0).round() as i64, (y * 10.0).round() as i64);
        Segment { index, from: tenths(from), to: tenths(to) }
    }

    fn x1(&self) -> String {
        units(self.from.0)
    }

    fn y1(&self) -> String {
        units(self.from.1)
    }

    fn x2(&self) -> String {
        units(self.to.0)
    }

    fn y2(&self) -> String {
        units(self.to.1)
    }
}

/// Tenths of a unit as SVG text.
fn units(tenths: i64) -> String {
    format!("{:.1}", tenths as f64 / 10.0)
}

/// The moving packet of `player`'s lane `lane`: drawn in the packet overlay, above the
/// cluster's drawing and the trails, so that its motion repaints only the overlay (the packet
/// benchmark draws many, each with its own player). With several lanes each packet is set a
/// little apart and carries its lane's name; lane 0's motion loop drives the shared clock.
#[component]
pub fn PacketLayer(view: Memo<ClusterView>, layout: Memo<Layout>, player: Player, lane: usize) -> impl IntoView {
    // How far along its way the packet is (0 to 1). Not a signal: the motion loop writes the
    // packet's transform itself on every animation frame, so the reactive graph sees only the
    // moment the packet arrives.
    let progress = StoredValue::new(1.0_f64);
    let arrived = RwSignal::new(true);
    let token = StoredValue::new(0_u64);
    let node = NodeRef::<leptos::svg::G>::new();
    // What the frame shows, recomputed only when the frame (or the drawing) changes; the
    // packet's position is the only thing that changes on every animation frame.
    let shown = Memo::new(move |_| -> Option<Shown> {
        let loaded = player.loaded()?;
        let lanes = loaded.lanes.len();
        let this = loaded.lanes.get(lane)?;
        let frames = &this.frames;
        let clock = player.frame.get();
        let frame = clock.min(frames.len().checked_sub(1)?);
        // A lane that has ended rests where it ended.
        let previous = if clock > frame { None } else { frame.checked_sub(1) };
        // Lanes are set apart diagonally around the place, so that two packets never hide each other.
        let apart = (lane as f64 - (lanes as f64 - 1.0) / 2.0) * 10.0;
        let label = match &this.label {
            Some(name) => format!("{name} · {}", frames[frame].packet),
            None => frames[frame].packet.clone(),
        };
        view.with(|v| {
            layout.with(|l| {
                let point = |f: &Frame| l.point(v, &f.spot).map(|(x, y)| (x + apart, y + apart));
                let here = point(&frames[frame])?;
                let before = previous.and_then(|i| point(&frames[i])).unwrap_or(here);
                let across = previous.is_some_and(|i| crosses_nodes(&frames[i].spot, &frames[frame].spot));
                // The first lane's label goes above the packet and to its right, the second's
                // under it and to its left (so that two labels cross less), each on the other
                // side where it would leave the drawing.
                let width = label_width(&label, frames[frame].outer.as_deref());
                let below = lane % 2 == 1;
                let fits_right = here.0 + 14.0 + width <= l.width;
                let fits_left = here.0 - 14.0 - width >= 0.0;
                let label_x = if (below && fits_left) || !fits_right { -14.0 - width } else { 14.0 };
                Some(Shown {
                    path: l.path(before, here, across),
                    frame: frames[frame].clone(),
                    label,
                    width,
                    label_x,
                    below,
                    resting: clock > frame,
                })
            })
        })
    });
    // Restart the motion whenever the frame, the playback or the running state changes.
    Effect::new(move |_| {
        let _ = (player.frame.get(), player.generation.get(), player.playing.get(), player.speed.get());
        let reduced = player.reduced_motion.get_untracked();
        token.update_value(|t| *t += 1);
        if reduced {
            progress.set_value(1.0);
            arrived.set(true);
            return;
        }
        progress.set_value(0.0);
        arrived.set(false);
        let motion = Motion { player, drives: lane == 0, mine: token.get_value(), token, start: now() };
        every_frame(move |timestamp| motion.tick(timestamp, &|p| move_to(node, shown, progress, arrived, p)));
    });
    let transform = move || shown.with(|s| s.as_ref().map(|s| position(&s.path, progress.get_value())));
    move || {
        let Shown { frame, label, width, label_x, below, resting, .. } = shown.get()?;
        let class = format!("packet lane-{lane} {}{}", frame.event.class(), if frame.reply { " reply" } else { "" });
        let (drop, deliver) = (frame.event.is_drop(), frame.event == Event::Hop(Moment::Deliver));
        let height = if frame.outer.is_some() { "34" } else { "18" };
        // The label's box top and first baseline: above the packet, or under it.
        let (top, baseline) = if below { (13.0, 26.0) } else { (-27.0, -14.0) };
        Some(view! {
            <g node_ref=node class=class transform=transform() aria-hidden="true">
                {frame.outer.as_ref().map(|_| view! { <rect class="wrapper" x="-13" y="-13" width="26" height="26" rx="6" /> })}
                <circle class="dot" r="8" />
                {move || (drop && (resting || arrived.get())).then(|| view! { <path class="burst" d=burst_path() /> })}
                {move || (deliver && (resting || arrived.get())).then(|| view! { <circle class="arrive" r="16" /> })}
                <rect class="label-bg" x=label_x - 4.0 y=top width=width height=height rx="4" />
                <text class="label-text" x=label_x y=baseline>{label}</text>
                {frame.outer.clone().map(|o| view! { <text class="label-outer" x=label_x y=baseline + 15.0>{o}</text> })}
            </g>
        })
    }
}

/// The packet's `transform` at `progress` along `path`.
fn position(path: &[Point], progress: f64) -> String {
    let (x, y) = along(path, ease(progress));
    format!("translate({x:.1} {y:.1})")
}

/// Moves the packet drawn in `node` to `p` along the shown frame's way: writes its transform
/// straight to the element, and tells the view once it has arrived.
fn move_to(
    node: NodeRef<leptos::svg::G>,
    shown: Memo<Option<Shown>>,
    progress: StoredValue<f64>,
    arrived: RwSignal<bool>,
    p: f64,
) {
    if progress.get_value() >= 1.0 && p >= 1.0 {
        return;
    }
    progress.set_value(p);
    if let (Some(g), Some(transform)) =
        (node.get_untracked(), shown.with_untracked(|s| s.as_ref().map(|s| position(&s.path, p))))
    {
        let _ = g.set_attribute("transform", &transform);
    }
    if p >= 1.0 {
        arrived.set(true);
    }
}

/// One frame as drawn: the way from the last place, the frame, and the label (its text, width,
/// side, and whether it goes under the packet).
#[derive(Debug, Clone, PartialEq)]
struct Shown {
    path: Vec<Point>,
    frame: Frame,
    label: String,
    width: f64,
    label_x: f64,
    below: bool,
    /// The lane has ended: its packet stays where it ended, burst or arrived, whatever the clock.
    resting: bool,
}

/// Whether a packet between these spots crosses the node network (NIC or tunnel of one node to
/// NIC or tunnel of another).
fn crosses_nodes(from: &Spot, to: &Spot) -> bool {
    let wire = |s: &Spot| match s {
        Spot::Node { name, part } if part == "eth0" || part == "tunnel" => Some(name.clone()),
        _ => None,
    };
    matches!((wire(from), wire(to)), (Some(a), Some(b)) if a != b)
}

fn label_width(label: &str, outer: Option<&str>) -> f64 {
    let longest = label.chars().count().max(outer.map_or(0, |o| o.chars().count()));
    longest as f64 * 6.6 + 8.0
}

/// An eight-pointed burst, centred on the origin.
fn burst_path() -> String {
    let mut d = String::new();
    for i in 0..16 {
        let angle = std::f64::consts::PI * i as f64 / 8.0;
        let r = if i % 2 == 0 { 22.0 } else { 10.0 };
        d.push_str(&format!("{}{:.1} {:.1} ", if i == 0 { "M" } else { "L" }, r * angle.cos(), r * angle.sin()));
    }
    d.push('Z');
    d
}

/// Smooth start and stop.
fn ease(t: f64) -> f64 {
    let t = t.clamp(0.0, 1.0);
    t * t * (3.0 - 2.0 * t)
}

/// The point at fraction `t` of the polyline `path`'s length.
fn along(path: &[Point], t: f64) -> Point {
    let lengths: Vec<f64> =
        path.windows(2).map(|w| ((w[1].0 - w[0].0).powi(2) + (w[1].1 - w[0].1).powi(2)).sqrt()).collect();
    let total: f64 = lengths.iter().sum();
    let Some(&first) = path.first() else { return (0.0, 0.0) };
    if total <= 0.0 {
        return *path.last().unwrap_or(&first);
    }
    let mut left = t * total;
    for (segment, len) in path.windows(2).zip(&lengths) {
        if left <= *len && *len > 0.0 {
            let f = left / len;
            return (
                segment[0].0 + (segment[1].0 - segment[0].0) * f,
                segment[0].1 + (segment[1].1 - segment[0].1) * f,
            );
        }
        left -= len;
    }
    *path.last().unwrap_or(&first)
}

/// Milliseconds since the page loaded (`performance.now()`).
pub fn now() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// One motion: a frame's packet moving from the moment `start`, until the frame's time is up.
struct Motion {
    player: Player,
    /// Whether this motion advances the player when its time is up (lane 0's does).
    drives: bool,
    /// The token it was started with; a newer token ends it.
    mine: u64,
    token: StoredValue<u64>,
    start: f64,
}

impl Motion {
    /// One animation frame at `timestamp`: moves the packet (60% of the frame's time, then it
    /// rests), and once the frame's time is up advances the player if this motion drives it.
    /// Returns whether it wants the next animation frame.
    fn tick(&self, timestamp: f64, move_to: &dyn Fn(f64)) -> bool {
        if self.token.try_get_value() != Some(self.mine) {
            return false;
        }
        let frame_ms = FRAME_MS / self.player.speed.get_untracked();
        let elapsed = (timestamp - self.start).max(0.0);
        move_to((elapsed / (frame_ms * 0.6)).min(1.0));
        if elapsed >= frame_ms {
            if self.drives && self.player.playing.get_untracked() {
                self.player.step_forward();
            }
            return false;
        }
        true
    }
}

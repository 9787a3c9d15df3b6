//! The player: what the cluster view is animating (a packet trace or a DNS lookup, or several
//! side by side), which frame it shows, and whether it is running.
//!
//! Anything that runs a probe (the console, a lesson goal's "play", the trace picker, the DNS
//! tab) hands its result to [`Player::play`]; a comparison (the same flow under two
//! `externalTrafficPolicy` values) hands its playbacks to [`Player::play_lanes`]. Each playback
//! is a [`Lane`]: one packet with its frames. All lanes share one clock, `frame`: a lane that
//! has ended stays on its last frame while the others go on. The cluster view draws one packet
//! per lane and the Trace tab lists each lane's frames. The player holds only core's view data
//! (`TraceView`, `LookupView`) and the frames derived from it ([`crate::frames`]): it decides
//! nothing about networking.
//!
//! Invariants: `frame < len()` (the longest lane's frame count) whenever there are frames;
//! every `play` starts at frame 0, running unless the learner prefers reduced motion (then it
//! waits for "step").

use crate::frames::{frames_of, Frame};
use kubeplay_core::dataplane::render::TraceView;
use kubeplay_core::dns::view::LookupView;
use leptos::prelude::*;
use std::sync::Arc;

/// Something to animate.
#[derive(Debug, Clone, PartialEq)]
pub enum Playback {
    /// A connection, hop by hop, and its reply when it was delivered.
    Trace { title: String, trace: TraceView },
    /// A name lookup from `client` (a pod `ns/name`, `node/NAME` or `external`), query by
    /// query along the search path.
    Lookup { title: String, client: String, lookup: LookupView },
}

impl Playback {
    /// The playback's title, as the command or goal that produced it.
    pub fn title(&self) -> &str {
        match self {
            Playback::Trace { title, .. } | Playback::Lookup { title, .. } => title,
        }
    }
}

/// One packet's playback and its frames.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    /// The lane's name when there are several (such as `Cluster` or `Local`).
    pub label: Option<String>,
    pub playback: Playback,
    pub frames: Vec<Frame>,
}

impl Lane {
    /// The frame this lane shows at clock `frame`: its last once it has ended.
    pub fn at(&self, frame: usize) -> Option<&Frame> {
        self.frames.get(frame.min(self.frames.len().checked_sub(1)?))
    }
}

/// A lane to play: its name (when there are several) and its playback.
pub type Named = (Option<String>, Playback);

/// What is loaded in the player: one lane, or several played together.
#[derive(Debug, Clone, PartialEq)]
pub struct Loaded {
    pub title: String,
    pub lanes: Vec<Lane>,
}

impl Loaded {
    /// The number of frames on the shared clock: the longest lane's.
    pub fn len(&self) -> usize {
        self.lanes.iter().map(|l| l.frames.len()).max().unwrap_or(0)
    }

    /// Whether there is no frame at all.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Playback speeds offered, as multipliers of the base pace.
pub const SPEEDS: [f64; 4] = [0.5, 1.0, 2.0, 4.0];
/// How long one frame lasts at speed 1, in milliseconds.
pub const FRAME_MS: f64 = 900.0;

/// The shared player, provided as context by the app.
#[derive(Clone, Copy)]
pub struct Player {
    loaded: RwSignal<Option<Arc<Loaded>>>,
    /// The frame shown.
    pub frame: RwSignal<usize>,
    /// Whether frames advance on their own.
    pub playing: RwSignal<bool>,
    /// One of [`SPEEDS`].
    pub speed: RwSignal<f64>,
    /// Bumped by every `play`, so that playing the same trace twice replays it.
    pub generation: RwSignal<u64>,
    /// Whether the learner prefers reduced motion (no automatic advance, no movement).
    pub reduced_motion: RwSignal<bool>,
}

impl Player {
    pub fn new() -> Player {
        Player {
            loaded: RwSignal::new(None),
            frame: RwSignal::new(0),
            playing: RwSignal::new(false),
            speed: RwSignal::new(1.0),
            generation: RwSignal::new(0),
            reduced_motion: RwSignal::new(prefers_reduced_motion()),
        }
    }

    /// Starts animating `playback` from its first frame.
    pub fn play(&self, playback: Playback) {
        let title = playback.title().to_string();
        self.play_lanes(title, vec![(None, playback)]);
    }

    /// Starts animating `lanes` together (each a label and a playback) from their first frame.
    pub fn play_lanes(&self, title: String, lanes: Vec<Named>) {
        let lanes = lanes
            .into_iter()
            .map(|(label, playback)| {
                let frames = frames_of(&playback);
                Lane { label, playback, frames }
            })
            .collect();
        self.loaded.set(Some(Arc::new(Loaded { title, lanes })));
        self.frame.set(0);
        self.playing.set(!self.reduced_motion.get_untracked());
        self.generation.update(|g| *g += 1);
    }

    /// What is loaded, if anything (tracked).
    pub fn loaded(&self) -> Option<Arc<Loaded>> {
        self.loaded.get()
    }

    /// What the first lane plays, if anything (tracked).
    pub fn playback(&self) -> Option<Playback> {
        self.loaded.with(|l| l.as_ref().and_then(|l| l.lanes.first()).map(|lane| lane.playback.clone()))
    }

    /// The number of lanes loaded (tracked).
    pub fn lanes(&self) -> usize {
        self.loaded.with(|l| l.as_ref().map_or(0, |l| l.lanes.len()))
    }

    /// The number of frames on the clock (untracked).
    fn len(&self) -> usize {
        self.loaded.with_untracked(|l| l.as_ref().map_or(0, |l| l.len()))
    }

    /// Shows frame `index` (clamped) and pauses.
    pub fn seek(&self, index: usize) {
        let len = self.len();
        if len > 0 {
            self.playing.set(false);
            self.frame.set(index.min(len - 1));
        }
    }

    /// One frame on; pauses at the end. Returns whether it moved.
    pub fn step_forward(&self) -> bool {
        let (frame, len) = (self.frame.get_untracked(), self.len());
        if frame + 1 < len {
            self.frame.set(frame + 1);
            true
        } else {
            self.playing.set(false);
            false
        }
    }

    /// One frame back.
    pub fn step_back(&self) {
        self.playing.set(false);
        self.frame.update(|f| *f = f.saturating_sub(1));
    }

    /// Play from the start again.
    pub fn replay(&self) {
        self.frame.set(0);
        self.playing.set(!self.reduced_motion.get_untracked());
    }

    /// Play or pause; at the end, play restarts from the first frame.
    pub fn toggle(&self) {
        if self.playing.get_untracked() {
            self.playing.set(false);
        } else {
            if self.frame.get_untracked() + 1 >= self.len() {
                self.frame.set(0);
            }
            self.playing.set(true);
        }
    }

    /// Unloads the playback.
    pub fn close(&self) {
        self.playing.set(false);
        self.loaded.set(None);
        self.frame.set(0);
    }
}

impl Default for Player {
    fn default() -> Self {
        Player::new()
    }
}

/// The player from context.
pub fn use_player() -> Player {
    expect_context::<Player>()
}

/// Whether the system asks for reduced motion (`prefers-reduced-motion: reduce`).
fn prefers_reduced_motion() -> bool {
    window().match_media("(prefers-reduced-motion: reduce)").ok().flatten().is_some_and(|m| m.matches())
}

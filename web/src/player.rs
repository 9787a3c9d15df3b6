//! The player: what the cluster view is animating (a packet trace or a DNS lookup), and where
//! it is in it.
//!
//! Anything that runs a probe (the console, a lesson goal's "play", the trace picker) hands
//! its result to [`Player::play`]; the cluster view draws the current frame and the Trace tab
//! lists the same hops as text. The player only holds core's view data (`TraceView`,
//! `LookupView`): it never decides anything about networking.
//!
//! Invariant: `frame` is always within `0..=frames()` of the current playback (`frames()` is
//! the last frame, the end state), reset to 0 by every `play`.

use kubeplay_core::dataplane::render::TraceView;
use kubeplay_core::dns::view::LookupView;
use leptos::prelude::*;
use std::sync::Arc;

/// Something to animate.
#[derive(Debug, Clone, PartialEq)]
pub enum Playback {
    /// A connection, hop by hop, and its reply when it was delivered.
    Trace { title: String, trace: TraceView },
    /// A name lookup, query by query along the search path.
    Lookup { title: String, lookup: LookupView },
}

impl Playback {
    /// The playback's title, as the command or goal that produced it.
    pub fn title(&self) -> &str {
        match self {
            Playback::Trace { title, .. } | Playback::Lookup { title, .. } => title,
        }
    }
}

/// The shared player, provided as context by the app.
#[derive(Clone, Copy)]
pub struct Player {
    playback: RwSignal<Option<Arc<Playback>>>,
    /// Bumped by every `play`, so that playing the same trace twice replays it.
    pub generation: RwSignal<u64>,
}

impl Player {
    pub fn new() -> Player {
        Player { playback: RwSignal::new(None), generation: RwSignal::new(0) }
    }

    /// Starts animating `playback` from its first frame.
    pub fn play(&self, playback: Playback) {
        self.playback.set(Some(Arc::new(playback)));
        self.generation.update(|g| *g += 1);
    }

    /// What is playing, if anything (tracked).
    pub fn playback(&self) -> Option<Arc<Playback>> {
        self.playback.get()
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

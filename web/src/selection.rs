//! The object the learner selected in the cluster view, which the inspector shows.
//!
//! Keys are the view's own (`namespace/name` for pods and Services, the node's name), so a
//! selection survives re-applies: after an edit the inspector shows the same object's new
//! state, or says it is gone.

use leptos::prelude::*;

/// What can be selected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selected {
    Pod(String),
    Service(String),
    Node(String),
    NetworkPolicy(String),
}

/// The selection, provided as context by the app.
#[derive(Clone, Copy)]
pub struct Selection(pub RwSignal<Option<Selected>>);

impl Selection {
    pub fn new() -> Selection {
        Selection(RwSignal::new(None))
    }

    /// Selects `what`, or clears the selection when it is already selected.
    pub fn toggle(&self, what: Selected) {
        self.0.update(|s| *s = if s.as_ref() == Some(&what) { None } else { Some(what) });
    }

    pub fn clear(&self) {
        self.0.set(None);
    }

    /// The selected object (tracked).
    pub fn get(&self) -> Option<Selected> {
        self.0.get()
    }
}

impl Default for Selection {
    fn default() -> Self {
        Selection::new()
    }
}

/// The selection from context.
pub fn use_selection() -> Selection {
    expect_context::<Selection>()
}

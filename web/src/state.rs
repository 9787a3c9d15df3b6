//! The playground's shared state: the workspace text and the simulation applied to it.
//!
//! One source of truth: the [`Simulation`] lives in a signal and is written only by
//! [`Playground::edit`], the handler every edit goes through; views read it through closures.

use kubeplay_core::diag::Diagnostic;
use kubeplay_core::simulation::{Simulation, SourceFile};
use kubeplay_core::view::ClusterView;
use leptos::prelude::*;

/// The file name of the default sandbox workspace.
pub const SANDBOX_FILE: &str = "app.yaml";
/// The default sandbox workspace: a Deployment and a Service.
pub const SANDBOX_TEXT: &str = include_str!("../../examples/sandbox/app.yaml");

/// Shared playground state, provided as context to every component.
#[derive(Clone, Copy)]
pub struct Playground {
    /// The workspace file as the learner typed it (never altered by the app).
    pub text: RwSignal<String>,
    file: StoredValue<String>,
    simulation: RwSignal<Simulation>,
    /// Diagnostics of the last apply.
    pub diagnostics: RwSignal<Vec<Diagnostic>>,
    /// Whether the cluster shown predates a syntax error in the text.
    pub stale: RwSignal<bool>,
}

impl Playground {
    /// A playground with one file, already applied.
    pub fn new(file: &str, text: &str) -> Playground {
        let playground = Playground {
            text: RwSignal::new(text.to_string()),
            file: StoredValue::new(file.to_string()),
            simulation: RwSignal::new(Simulation::new()),
            diagnostics: RwSignal::new(Vec::new()),
            stale: RwSignal::new(false),
        };
        playground.edit(text.to_string());
        playground
    }

    /// Takes the learner's new text and applies it to the cluster.
    pub fn edit(&self, text: String) {
        let files = [SourceFile::new(self.file.get_value(), text.clone())];
        self.text.set(text);
        let mut outcome = None;
        self.simulation.update(|sim| outcome = Some(sim.apply(&files)));
        if let Some(outcome) = outcome {
            self.stale.set(outcome.stale);
            self.diagnostics.set(outcome.diagnostics);
        }
    }

    /// The cluster as view structs.
    pub fn view(&self) -> ClusterView {
        self.simulation.with(Simulation::view)
    }
}

/// The playground from context.
pub fn use_playground() -> Playground {
    expect_context::<Playground>()
}

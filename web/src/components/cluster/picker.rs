//! Tracing by picking in the view: "Trace…", then a source (a pod, a node or the external
//! client), then a destination (a pod, a Service, a load balancer or a node), and the
//! connection plays. The request is written in the CLI's own words (`ns/pod`, `node/NAME`,
//! `svc/NS/NAME`, an address) and traced by core, exactly as `kubeplay trace` would.

use crate::player::{use_player, Playback};
use crate::state::use_playground;
use kubeplay_core::api::Protocol;
use kubeplay_core::dataplane::{render, Dataplane, Source, Target, TraceRequest};
use kubeplay_core::view::ClusterView;
use leptos::prelude::*;

/// An object that can be picked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pickable {
    Pod(String),
    Service(String),
    Node(String),
    LoadBalancer(String),
    External,
}

impl Pickable {
    /// The object as `kubeplay trace --from` takes it, if it can send.
    fn as_source(&self) -> Option<String> {
        match self {
            Pickable::Pod(key) => Some(key.clone()),
            Pickable::Node(name) => Some(format!("node/{name}")),
            Pickable::External => Some("external".to_string()),
            Pickable::Service(_) | Pickable::LoadBalancer(_) => None,
        }
    }

    /// The object as `kubeplay trace --to` takes it (a node by its address, a load balancer by
    /// its ingress address when it has one).
    fn as_target(&self, view: &ClusterView) -> Option<String> {
        match self {
            Pickable::Pod(key) => Some(key.clone()),
            Pickable::Service(key) => Some(format!("svc/{key}")),
            Pickable::LoadBalancer(key) => {
                let s = view.services.iter().find(|s| &s.key == key)?;
                Some(if s.external_ip.is_empty() || s.external_ip == "<pending>" {
                    format!("svc/{key}")
                } else {
                    s.external_ip.clone()
                })
            }
            Pickable::Node(name) => view.nodes.iter().find(|n| &n.name == name).map(|n| n.internal_ip.clone()),
            Pickable::External => None,
        }
    }
}

/// Where the picker is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PickStep {
    Off,
    Source,
    /// The source, as the CLI writes it.
    Destination(String),
}

/// The picker's state, provided as context by the cluster view.
#[derive(Clone, Copy)]
pub struct Picker {
    pub step: RwSignal<PickStep>,
    /// The destination port, when the learner gave one (else core's default).
    pub port: RwSignal<Option<u16>>,
    /// Why the last pick was refused, or the trace could not start.
    pub message: RwSignal<Option<String>>,
}

impl Picker {
    pub fn new() -> Picker {
        Picker { step: RwSignal::new(PickStep::Off), port: RwSignal::new(None), message: RwSignal::new(None) }
    }

    /// Whether clicks pick instead of select (untracked).
    pub fn active(&self) -> bool {
        self.step.get_untracked() != PickStep::Off
    }

    pub fn start(&self) {
        self.message.set(None);
        self.step.set(PickStep::Source);
    }

    pub fn cancel(&self) {
        self.message.set(None);
        self.step.set(PickStep::Off);
    }

    /// Takes a click on `what`.
    pub fn pick(&self, what: Pickable) {
        let playground = use_playground();
        match self.step.get_untracked() {
            PickStep::Off => {}
            PickStep::Source => match what.as_source() {
                Some(source) => {
                    self.message.set(None);
                    self.step.set(PickStep::Destination(source));
                }
                None => {
                    self.message.set(Some("A Service only receives: pick a pod, a node or the external client".into()))
                }
            },
            PickStep::Destination(source) => {
                let Some(target) = playground.view_memo().with_untracked(|view| what.as_target(view)) else {
                    self.message.set(Some("The external client cannot be a destination here".into()));
                    return;
                };
                match run(playground, &source, &target, self.port.get_untracked()) {
                    Ok(playback) => {
                        self.step.set(PickStep::Off);
                        self.message.set(None);
                        use_player().play(playback);
                    }
                    Err(e) => self.message.set(Some(e)),
                }
            }
        }
    }
}

impl Default for Picker {
    fn default() -> Self {
        Picker::new()
    }
}

/// The picker from context.
pub fn use_picker() -> Picker {
    expect_context::<Picker>()
}

/// Traces `source` → `target` on the current cluster, as `kubeplay trace` would.
fn run(
    playground: crate::state::Playground,
    source: &str,
    target: &str,
    port: Option<u16>,
) -> Result<Playback, String> {
    playground.with_simulation_untracked(|sim| {
        let cluster = sim.cluster();
        let from = Source::parse(cluster, source).map_err(|e| e.to_string())?;
        let to = Target::parse(cluster, target).map_err(|e| e.to_string())?;
        let request = TraceRequest { from, to, port, protocol: Protocol::TCP, seed: 0 };
        let trace = Dataplane::new(cluster).trace(&request).map_err(|e| e.to_string())?;
        let port = port.map(|p| format!(" --port {p}")).unwrap_or_default();
        Ok(Playback::Trace {
            title: format!("trace --from {source} --to {target}{port}"),
            trace: render::view(cluster, &trace),
        })
    })
}

//! "Compare externalTrafficPolicy", in the inspector of a NodePort or LoadBalancer Service:
//! core traces the same connection from the external client as if the Service said `Cluster`
//! and as if it said `Local` (`dataplane::compare::external_policies`, the workspace
//! untouched), and the player plays both packets together, each lane named by its policy.

use crate::player::{use_player, Named, Playback};
use crate::selection::use_selection;
use crate::state::{use_playground, Playground};
use kubeplay_core::dataplane::compare::external_policies;
use kubeplay_core::dataplane::{render, Target};
use leptos::prelude::*;

/// The button, and why the comparison could not run when it could not.
#[component]
pub fn ComparePolicies(
    /// The Service, `namespace/name`.
    key: String,
) -> impl IntoView {
    let playground = use_playground();
    let player = use_player();
    let selection = use_selection();
    let message = RwSignal::new(None::<String>);
    // Playing closes the inspector, so that the two packets can be seen.
    let on_click = move |_| match comparison(playground, &key) {
        Ok((title, lanes)) => {
            player.play_lanes(title, lanes);
            selection.clear();
        }
        Err(why) => message.set(Some(why)),
    };
    view! {
        <section class="inspector-section inspector-actions">
            <h3>"Traffic from outside"</h3>
            <button type="button" class="tool-button compare-policies" on:click=on_click>
                "Compare externalTrafficPolicy"
            </button>
            <p class="inspector-note">
                "Plays the external client's connection under Cluster and under Local side by side."
            </p>
            <p class="picker-error" hidden=move || message.get().is_none()>{move || message.get()}</p>
        </section>
    }
}

/// Whether Service `key` can be compared: NodePort or LoadBalancer (tracked).
pub fn comparable(playground: Playground, key: &str) -> bool {
    let (namespace, name) = key.split_once('/').unwrap_or(("default", key));
    playground.with_simulation(|sim| {
        sim.cluster().service(namespace, name).is_some_and(|s| s.service.spec.type_.has_node_ports())
    })
}

/// The title and the two lanes (`Cluster`, then `Local`) for Service `key`.
fn comparison(playground: Playground, key: &str) -> Result<(String, Vec<Named>), String> {
    let (namespace, name) = key.split_once('/').unwrap_or(("default", key));
    playground.with_simulation_untracked(|sim| {
        let traces = external_policies(sim, namespace, name, None).map_err(|e| e.to_string())?;
        let [first, _] = &traces;
        let target = match (&first.request.to, first.request.port) {
            (Target::Ip(ip), Some(port)) => format!("{ip}:{port} (a node's nodePort)"),
            _ => format!("svc/{key}"),
        };
        let title = format!("externalTrafficPolicy side by side: external → {target}");
        let lanes = traces
            .iter()
            .map(|t| {
                let policy = t.policy.as_str();
                let trace = render::view(&t.cluster, &t.trace);
                (Some(policy.to_string()), Playback::Trace { title: format!("{title} ({policy})"), trace })
            })
            .collect();
        Ok((title, lanes))
    })
}

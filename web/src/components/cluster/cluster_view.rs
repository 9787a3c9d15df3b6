//! The live cluster view: the SVG drawing of the model (redrawn after every apply) with the
//! packet's trail, the moving packet in an overlay SVG with the same viewBox (see
//! [`super::packet`]), zoom and pan, the trace picker, and the player's controls.

use super::layout::layout;
use super::objects::Drawing;
use super::packet::{PacketLayer, TrailLayer};
use super::picker::{use_picker, PickStep, Picker};
use super::player_bar::PlayerBar;
use super::zoom::{camera_for_key, units_per_pixel, Camera};
use crate::player::use_player;
use crate::selection::use_selection;
use crate::state::use_playground;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// The drawing's size that the `viewBox` fits, following `layout` one frame late: a new
/// `viewBox` makes the browser lay out and paint every object of the drawing again, so an
/// apply's frame draws the objects that changed (in the drawing's current state) and the next
/// frame fits the drawing's new size.
fn fitted_size(layout: Memo<super::layout::Layout>) -> RwSignal<(f64, f64)> {
    let fitted = RwSignal::new(layout.with_untracked(|l| (l.width, l.height)));
    Effect::new(move |_| {
        if layout.with(|l| (l.width, l.height)) != fitted.get_untracked() {
            // The first callback runs before this frame is drawn, the second before the next,
            // and fits the size the layout has then.
            request_animation_frame(move || {
                request_animation_frame(move || {
                    if let Some(size) = layout.try_with_untracked(|l| (l.width, l.height)) {
                        fitted.try_set(size);
                    }
                })
            });
        }
    });
    fitted
}

/// The cluster pane's content.
#[component]
pub fn ClusterView() -> impl IntoView {
    let playground = use_playground();
    let player = use_player();
    provide_context(Picker::new());
    let picker = use_picker();
    let view = playground.view_memo();
    let layout = Memo::new(move |_| view.with(layout));
    let fitted = fitted_size(layout);
    let camera = RwSignal::new(Camera::default());
    let svg_ref = NodeRef::<leptos::svg::Svg>::new();
    let drag = StoredValue::new(None::<(f64, f64, Camera)>);

    // Screen pixels to drawing units, for the current camera and element size.
    let per_pixel = move || {
        let (w, h) = fitted.get_untracked();
        let cam = camera.get_untracked();
        let rect = svg_ref.get_untracked().map(|svg| svg.get_bounding_client_rect());
        let (pw, ph) = rect.as_ref().map_or((w, h), |r| (r.width(), r.height()));
        let upp = units_per_pixel(w / cam.scale, h / cam.scale, pw, ph);
        (upp, rect.map_or((0.0, 0.0), |r| (r.left(), r.top())))
    };
    let on_wheel = move |ev: leptos::ev::WheelEvent| {
        ev.prevent_default();
        let (upp, (left, top)) = per_pixel();
        let cam = camera.get_untracked();
        let px = cam.x + (f64::from(ev.client_x()) - left) * upp;
        let py = cam.y + (f64::from(ev.client_y()) - top) * upp;
        let factor = if ev.delta_y() < 0.0 { 1.15 } else { 1.0 / 1.15 };
        camera.set(cam.zoomed(factor, px, py));
    };
    let on_down = move |ev: leptos::ev::PointerEvent| {
        if ev.button() == 0 {
            drag.set_value(Some((f64::from(ev.client_x()), f64::from(ev.client_y()), camera.get_untracked())));
        }
    };
    let on_move = move |ev: leptos::ev::PointerEvent| {
        if let Some((x0, y0, start)) = drag.get_value() {
            let (upp, _) = per_pixel();
            let (dx, dy) = (f64::from(ev.client_x()) - x0, f64::from(ev.client_y()) - y0);
            if dx.abs() + dy.abs() > 3.0 {
                camera.set(start.panned(-dx * upp, -dy * upp));
            }
        }
    };
    let on_up = move |_| drag.set_value(None);
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        // Keys typed on an object (Enter, Space) are the object's.
        let on_svg =
            ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()).is_some_and(|e| e.tag_name() == "svg");
        if !on_svg {
            return;
        }
        let (w, h) = fitted.get_untracked();
        if let Some(next) = camera_for_key(camera.get_untracked(), &ev.key(), w, h) {
            ev.prevent_default();
            camera.set(next);
        }
    };
    let selection = use_selection();
    let on_background = move |_| {
        if !picker.active() {
            selection.clear();
        }
    };
    let zoom_by = move |factor: f64| {
        let (w, h) = fitted.get_untracked();
        camera.set(camera.get_untracked().zoomed_at_centre(factor, w, h));
    };
    let picking_hint = move || match picker.step.get() {
        PickStep::Off => None,
        PickStep::Source => Some("Pick the source: a pod, a node or the external client".to_string()),
        PickStep::Destination(from) => {
            Some(format!("From {from}: pick the destination (a pod, a Service, a load balancer or a node)"))
        }
    };
    let view_box = move || {
        let (w, h) = fitted.get();
        camera.get().view_box(w, h)
    };
    let on_port = move |ev: leptos::ev::Event| picker.port.set(event_target_value(&ev).trim().parse().ok());

    view! {
        <div
            class="cluster"
            class:stale=move || playground.stale.get()
            class:picking=move || picker.step.get() != PickStep::Off
            data-playing=move || player.loaded().map(|_| player.generation.get().to_string())
        >
            <div class="cluster-caption">
                <span class="cluster-title">
                    {move || view.with(|v| format!("cluster {} · CNI {} · {} nodes", v.name, v.cni, v.nodes.len()))}
                </span>
                <span class="stale-badge" hidden=move || !playground.stale.get()>
                    "stale: fix the YAML error to update"
                </span>
                <span class="caption-tools">
                    <button class="tool-button" class:active=move || picker.step.get() != PickStep::Off
                        on:click=move |_| if picker.active() { picker.cancel() } else { picker.start() }>
                        {move || if picker.active() { "Cancel trace" } else { "Trace…" }}
                    </button>
                    <button class="icon-button" aria-label="Zoom in" title="Zoom in (+)" on:click=move |_| zoom_by(1.25)>"+"</button>
                    <button class="icon-button" aria-label="Zoom out" title="Zoom out (-)" on:click=move |_| zoom_by(0.8)>"−"</button>
                    <button class="icon-button" aria-label="Fit the cluster" title="Fit (0)" on:click=move |_| camera.set(Camera::default())>"⤢"</button>
                </span>
            </div>
            <div class="picker-bar" role="status" hidden=move || picking_hint().is_none()>
                <span>{picking_hint}</span>
                <label>
                    "port "
                    <input type="number" min="1" max="65535" placeholder="auto" class="port-input" on:input=on_port />
                </label>
                <span class="picker-error">{move || picker.message.get()}</span>
            </div>
            <div class="cluster-stage">
                <svg
                    node_ref=svg_ref
                    class="cluster-svg"
                    role="group"
                    tabindex="0"
                    aria-label="Cluster view: the outside world, Services, nodes and pods. Plus and minus zoom, arrow keys pan, 0 fits."
                    viewBox=view_box
                    preserveAspectRatio="xMidYMin meet"
                    on:wheel=on_wheel
                    on:pointerdown=on_down
                    on:pointermove=on_move
                    on:pointerup=on_up
                    on:pointerleave=on_up
                    on:keydown=on_key
                    on:click=on_background
                >
                    <Drawing view=view layout=layout />
                    {move || {
                        (0..player.lanes())
                            .map(|lane| view! { <TrailLayer view=view layout=layout player=player lane=lane /> })
                            .collect_view()
                    }}
                </svg>
                <svg class="packet-overlay" aria-hidden="true" viewBox=view_box preserveAspectRatio="xMidYMin meet">
                    {move || {
                        (0..player.lanes())
                            .map(|lane| view! { <PacketLayer view=view layout=layout player=player lane=lane /> })
                            .collect_view()
                    }}
                </svg>
            </div>
            <PlayerBar />
        </div>
    }
}

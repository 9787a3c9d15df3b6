//! The static objects of the cluster drawing: the outside world (client, load balancers), the
//! cluster boundary, Services, nodes with their kube-proxy strip and NIC, pods with their
//! NetworkPolicy shields, and the dashed lines from Services to their endpoints.
//!
//! Every object is a keyboard-focusable button-like group (`role="button"`, `tabindex`, an
//! ARIA label saying what it is) that selects it for the inspector; the picker, when active,
//! takes the click instead (see `picker`).

use super::layout::{Layout, Rect};
use super::palette::app_colour;
use super::picker::{use_picker, Pickable};
use crate::selection::{use_selection, Selected};
use kubeplay_core::view::{ClusterView, NodeView, PodView, ServiceView};
use leptos::prelude::*;

/// Everything but the packets, drawn from `view` at `layout`'s positions.
pub fn draw(view: &ClusterView, layout: &Layout) -> impl IntoView {
    let links: Vec<_> = view
        .services
        .iter()
        .filter_map(|svc| Some((svc, layout.services.get(&svc.key)?)))
        .flat_map(|(svc, rect)| {
            svc.endpoints.iter().filter_map(|e| {
                let pod = layout.pods.get(e.pod.as_ref()?)?;
                Some(link(rect, pod, e.ready, &svc.key))
            })
        })
        .collect();
    let lb_links: Vec<_> = layout
        .load_balancers
        .iter()
        .filter_map(|(key, lb)| {
            let svc = layout.services.get(key)?;
            let (x1, y1) = lb.right_centre();
            let (x2, y2) = (svc.x, svc.y + svc.h / 2.0);
            Some(view! { <line class="lb-link" x1=x1 y1=y1 x2=x2 y2=y2 /> })
        })
        .collect();
    let services: Vec<_> =
        view.services.iter().filter_map(|s| layout.services.get(&s.key).map(|r| service_box(s, r))).collect();
    let nodes: Vec<_> = view
        .nodes
        .iter()
        .filter_map(|n| {
            layout.nodes.get(&n.name).map(|r| node_panel(n, r.panel, r.proxy, r.eth0, layout, view.policies_enforced))
        })
        .collect();
    let pending: Vec<_> = view
        .pending
        .iter()
        .filter_map(|p| layout.pods.get(&p.key).map(|r| pod_box(p, r, true, view.policies_enforced)))
        .collect();
    let lbs: Vec<_> = view
        .services
        .iter()
        .filter_map(|s| layout.load_balancers.get(&s.key).map(|r| load_balancer(s, r, view.load_balancer_provider)))
        .collect();
    let c = layout.cluster;
    let o = layout.outside;
    view! {
        <g class="zone outside-zone">
            <rect x=o.x y=o.y width=o.w height=o.h rx="14" />
            <text class="zone-label" x=o.x + 14.0 y=o.y + 22.0>"outside the cluster"</text>
        </g>
        <g class="zone cluster-zone">
            <rect x=c.x y=c.y width=c.w height=c.h rx="16" />
            <text class="zone-label" x=c.x + 14.0 y=c.y + 22.0>
                {format!("cluster {} · CNI {}", view.name, view.cni)}
            </text>
        </g>
        {client(layout)}
        <g class="lbs">{lbs}</g>
        <g class="nodes">{nodes}</g>
        <g class="node-network">
            <line class="bus" x1=c.x + 14.0 y1=layout.bus_y x2=c.x + c.w - 14.0 y2=layout.bus_y />
            <text class="bus-label" x=c.x + 14.0 y=layout.bus_y + 16.0>"node network"</text>
            {(!view.pending.is_empty()).then(|| view! {
                <text class="zone-label" x=c.x + 14.0 y=layout.pending_top + 12.0>"Pending: no node can run these pods"</text>
            })}
        </g>
        <g class="links">{links}{lb_links}</g>
        <g class="services">{services}</g>
        <g class="pending">{pending}</g>
    }
}

/// Click and keyboard (Enter, Space) activation of an object: picked when the picker is
/// active, else selected for the inspector.
fn activate(selected: Selected, pickable: Option<Pickable>) -> impl Fn() + Clone + 'static {
    let selection = use_selection();
    let picker = use_picker();
    move || {
        if let Some(p) = pickable.clone().filter(|_| picker.active()) {
            picker.pick(p);
        } else {
            selection.toggle(selected.clone());
        }
    }
}

/// The click and key handlers that make a `<g>` an accessible, selectable object.
fn handlers(
    act: impl Fn() + Clone + 'static,
) -> (impl Fn(leptos::ev::MouseEvent) + 'static, impl Fn(leptos::ev::KeyboardEvent) + 'static) {
    let on_key = act.clone();
    (
        move |ev: leptos::ev::MouseEvent| {
            ev.stop_propagation();
            act()
        },
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() == "Enter" || ev.key() == " " {
                ev.prevent_default();
                on_key()
            }
        },
    )
}

fn is_selected(selected: Selected) -> impl Fn() -> bool + Copy + 'static {
    let selection = use_selection();
    let selected = StoredValue::new(selected);
    move || selection.0.with(|s| s.as_ref() == Some(&selected.get_value()))
}

fn client(layout: &Layout) -> impl IntoView {
    let r = layout.client;
    let picker = use_picker();
    let on_click = move |ev: leptos::ev::MouseEvent| {
        ev.stop_propagation();
        if picker.active() {
            picker.pick(Pickable::External);
        }
    };
    view! {
        <g class="client" data-key="external" role="button" tabindex="0"
            aria-label="External client on the internet (203.0.113.10)" on:click=on_click>
            <rect x=r.x y=r.y width=r.w height=r.h rx="10" />
            <text class="obj-name" x=r.x + 10.0 y=r.y + 20.0>"external client"</text>
            <text class="obj-meta" x=r.x + 10.0 y=r.y + 38.0>"203.0.113.10"</text>
        </g>
    }
}

fn load_balancer(s: &ServiceView, r: &Rect, provider: bool) -> impl IntoView {
    let address = if s.external_ip.is_empty() { "<pending>".to_string() } else { s.external_ip.clone() };
    let note = if provider { "cloud LB" } else { "no LB provider" };
    let pending = address == "<pending>";
    let label = format!("Load balancer of Service {}: {address}", s.key);
    let (on_click, on_key) =
        handlers(activate(Selected::Service(s.key.clone()), Some(Pickable::LoadBalancer(s.key.clone()))));
    view! {
        <g class="lb" class:pending=pending data-key=s.key.clone() role="button" tabindex="0"
            aria-label=label on:click=on_click on:keydown=on_key>
            <rect x=r.x y=r.y width=r.w height=r.h rx="10" />
            <text class="obj-name" x=r.x + 10.0 y=r.y + 19.0>{fit(&format!("LB {}", s.name), r.w - 20.0, 7.5)}</text>
            <text class="obj-meta" x=r.x + 10.0 y=r.y + 36.0>{address}</text>
            <text class="obj-meta" x=r.x + 10.0 y=r.y + 52.0>{note}</text>
        </g>
    }
}

fn link(from: &Rect, to: &Rect, ready: bool, service: &str) -> impl IntoView {
    let (x1, y1) = from.bottom_centre();
    let (x2, y2) = to.top_centre();
    view! {
        <line
            class=if ready { "endpoint-link" } else { "endpoint-link not-ready" }
            data-service=service.to_string()
            x1=x1 y1=y1 x2=x2 y2=y2
        />
    }
}

fn service_box(s: &ServiceView, r: &Rect) -> impl IntoView {
    let label = format!("Service {} ({}), {} {}", s.key, s.type_, s.cluster_ip, s.ports);
    let selected = is_selected(Selected::Service(s.key.clone()));
    let (on_click, on_key) =
        handlers(activate(Selected::Service(s.key.clone()), Some(Pickable::Service(s.key.clone()))));
    let last_line = match (&s.external_ip, &s.external_traffic_policy) {
        (ip, _) if !ip.is_empty() => format!("external {ip}"),
        _ => endpoint_count(s.endpoints.len(), &s.namespace),
    };
    let policy = s.external_traffic_policy.as_ref().map(|p| format!("eTP {p}"));
    view! {
        <g class="service obj" class:system=s.system class:selected=selected data-key=s.key.clone()
            role="button" tabindex="0" aria-label=label on:click=on_click on:keydown=on_key>
            <rect x=r.x y=r.y width=r.w height=r.h rx="10" />
            <text class="obj-name" x=r.x + 10.0 y=r.y + 19.0>{fit(&s.name, r.w - 100.0, 7.5)}</text>
            <text class="svc-type" x=r.x + r.w - 10.0 y=r.y + 19.0 text-anchor="end">{s.type_.clone()}</text>
            <text class="obj-meta" x=r.x + 10.0 y=r.y + 36.0>{s.cluster_ip.clone()}</text>
            <text class="obj-meta" x=r.x + 10.0 y=r.y + 51.0>{s.ports.clone()}</text>
            <text class="obj-meta" x=r.x + 10.0 y=r.y + 66.0>{last_line}</text>
            {policy.map(|p| view! { <text class="svc-type" x=r.x + r.w - 10.0 y=r.y + 51.0 text-anchor="end">{p}</text> })}
        </g>
    }
}

fn endpoint_count(n: usize, namespace: &str) -> String {
    match n {
        0 => format!("no endpoints · {namespace}"),
        1 => format!("1 endpoint · {namespace}"),
        n => format!("{n} endpoints · {namespace}"),
    }
}

fn node_panel(n: &NodeView, r: Rect, proxy: Rect, eth0: Rect, layout: &Layout, enforced: bool) -> impl IntoView {
    let pods: Vec<_> =
        n.pods.iter().filter_map(|p| layout.pods.get(&p.key).map(|rect| pod_box(p, rect, false, enforced))).collect();
    let selected = is_selected(Selected::Node(n.name.clone()));
    let (on_click, on_key) = handlers(activate(Selected::Node(n.name.clone()), Some(Pickable::Node(n.name.clone()))));
    let proxy_text = match n.kube_proxy.as_str() {
        "none" => "no kube-proxy: Cilium eBPF".to_string(),
        mode => format!("kube-proxy · {mode}"),
    };
    view! {
        <g class="node" class:selected=selected data-name=n.name.clone() role="group" aria-label=format!("Node {}", n.name)>
            <rect class="node-panel" x=r.x y=r.y width=r.w height=r.h rx="14" />
            <g class="node-head" role="button" tabindex="0"
                aria-label=format!("Node {} ({}), {}, pod CIDR {}", n.name, n.role, n.internal_ip, n.pod_cidr)
                on:click=on_click on:keydown=on_key>
                <rect class="node-hit" x=r.x y=r.y width=r.w height=56.0 rx="14" />
                <text class="obj-name" x=r.x + 12.0 y=r.y + 21.0>{fit(&n.name, r.w - 24.0, 7.5)}</text>
                <text class="obj-meta" x=r.x + 12.0 y=r.y + 37.0>{format!("{} · {}", n.role, n.internal_ip)}</text>
                <text class="obj-meta" x=r.x + 12.0 y=r.y + 51.0>{format!("pods {}", n.pod_cidr)}</text>
            </g>
            <g class="kube-proxy">
                <rect x=proxy.x y=proxy.y width=proxy.w height=proxy.h rx="6" />
                <text x=proxy.x + 8.0 y=proxy.y + 15.0>{proxy_text}</text>
            </g>
            {pods}
            <g class="eth0">
                <rect x=eth0.x y=eth0.y width=eth0.w height=eth0.h rx="5" />
                <text x=eth0.x + eth0.w / 2.0 y=eth0.y + 13.0 text-anchor="middle">"eth0"</text>
            </g>
        </g>
    }
}

fn pod_box(p: &PodView, r: &Rect, pending: bool, enforced: bool) -> impl IntoView {
    let state = if pending {
        "Pending"
    } else if p.ready {
        "Ready"
    } else {
        "not ready"
    };
    let selected = is_selected(Selected::Pod(p.key.clone()));
    let (on_click, on_key) = handlers(activate(Selected::Pod(p.key.clone()), Some(Pickable::Pod(p.key.clone()))));
    let mut label = format!("Pod {} {} {}", p.key, p.ip, state);
    if !p.isolated_ingress.is_empty() {
        label.push_str(&format!(", ingress isolated by {}", p.isolated_ingress.join(", ")));
    }
    if !p.isolated_egress.is_empty() {
        label.push_str(&format!(", egress isolated by {}", p.isolated_egress.join(", ")));
    }
    let shield_count = usize::from(!p.isolated_ingress.is_empty()) + usize::from(!p.isolated_egress.is_empty());
    let name_room = shield_count as f64 * 30.0;
    let shields = [("in", &p.isolated_ingress), ("out", &p.isolated_egress)]
        .into_iter()
        .filter(|(_, policies)| !policies.is_empty())
        .enumerate()
        .map(|(i, (direction, policies))| {
            let x = r.x + r.w - 30.0 - i as f64 * 30.0;
            let title = format!(
                "{} isolated by {}{}",
                if direction == "in" { "Ingress" } else { "Egress" },
                policies.join(", "),
                if enforced { "" } else { " (not enforced by this CNI)" }
            );
            view! {
                <g class="shield" class:unenforced=!enforced data-direction=direction>
                    <title>{title}</title>
                    <path d=shield_path(x, r.y + 5.0) />
                    <text x=x + 12.0 y=r.y + 19.0 text-anchor="middle">{direction}</text>
                </g>
            }
        })
        .collect_view();
    view! {
        <g
            class="pod obj"
            class:system=p.system
            class:not-ready=!p.ready
            class:pending=pending
            class:selected=selected
            data-key=p.key.clone()
            role="button"
            tabindex="0"
            aria-label=label
            on:click=on_click
            on:keydown=on_key
        >
            <rect x=r.x y=r.y width=r.w height=r.h rx="8" style=format!("--app: {}", app_colour(p.app.as_deref())) />
            <text class="pod-name" x=r.x + 10.0 y=r.y + 18.0>{fit(&p.name, r.w - 20.0 - name_room, 7.0)}</text>
            <text class="pod-ip" x=r.x + 10.0 y=r.y + 34.0>{format!("{} · {}", p.ip, state)}</text>
            {shields}
        </g>
    }
}

/// A small shield outline, 24 wide and 20 high, with its top-left corner at `(x, y)`.
fn shield_path(x: f64, y: f64) -> String {
    format!("M{x} {y} h24 v8 q0 9 -12 12 q-12 -3 -12 -12 z")
}

/// `text` shortened with an ellipsis to fit `width` units at about `per_char` units a
/// character (SVG text does not wrap or clip; the full text is in the object's ARIA label).
fn fit(text: &str, width: f64, per_char: f64) -> String {
    let room = (width / per_char).floor().max(4.0) as usize;
    if text.chars().count() <= room {
        return text.to_string();
    }
    let mut short: String = text.chars().take(room - 1).collect();
    short.push('…');
    short
}

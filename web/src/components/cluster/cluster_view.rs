//! The SVG drawing of the cluster.

use super::layout::{layout, Layout, Rect};
use super::palette::app_colour;
use crate::state::use_playground;
use kubeplay_core::view::{ClusterView as View, NodeView, PodView, ServiceView};
use leptos::prelude::*;

/// The live cluster view: redrawn from the model after every apply.
#[component]
pub fn ClusterView() -> impl IntoView {
    let playground = use_playground();
    let drawing = move || {
        let view = playground.view();
        let layout = layout(&view);
        draw(&view, &layout)
    };
    view! {
        <div class="cluster" class:stale=move || playground.stale.get()>
            <div class="cluster-caption">
                {move || {
                    let v = playground.view();
                    format!("cluster {} · CNI {} · {} nodes", v.name, v.cni, v.nodes.len())
                }}
                <span class="stale-badge" hidden=move || !playground.stale.get()>
                    "stale: fix the YAML error to update"
                </span>
            </div>
            {drawing}
        </div>
    }
}

fn draw(view: &View, layout: &Layout) -> impl IntoView {
    let links: Vec<_> = view
        .services
        .iter()
        .zip(&layout.services)
        .flat_map(|(svc, rect)| {
            svc.endpoints.iter().filter_map(|e| {
                let pod = layout.pods.get(e.pod.as_ref()?)?;
                Some(link(rect, pod, e.ready, &svc.key))
            })
        })
        .collect();
    let services: Vec<_> = view.services.iter().zip(&layout.services).map(|(s, r)| service_box(s, r)).collect();
    let nodes: Vec<_> = view.nodes.iter().zip(&layout.nodes).map(|(n, r)| node_panel(n, r, layout)).collect();
    let pending: Vec<_> =
        view.pending.iter().filter_map(|p| layout.pods.get(&p.key).map(|r| pod_box(p, r, true))).collect();
    view! {
        <svg
            class="cluster-svg"
            role="img"
            aria-label="Cluster view: nodes, pods and Services"
            viewBox=format!("0 0 {} {}", layout.width, layout.height)
            preserveAspectRatio="xMidYMin meet"
        >
            <g class="nodes">{nodes}</g>
            <g class="links">{links}</g>
            <g class="services">{services}</g>
            <g class="pending">{pending}</g>
        </svg>
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
    let external = (!s.external_ip.is_empty()).then(|| format!("external {}", s.external_ip));
    view! {
        <g class="service" class:system=s.system data-key=s.key.clone() role="img" aria-label=label>
            <rect x=r.x y=r.y width=r.w height=r.h rx="10" />
            <text class="svc-name" x=r.x + 10.0 y=r.y + 19.0>{s.name.clone()}</text>
            <text class="svc-type" x=r.x + r.w - 10.0 y=r.y + 19.0 text-anchor="end">{s.type_.clone()}</text>
            <text class="svc-ip" x=r.x + 10.0 y=r.y + 36.0>{s.cluster_ip.clone()}</text>
            <text class="svc-ip" x=r.x + 10.0 y=r.y + 51.0>{s.ports.clone()}</text>
            <text class="svc-ext" x=r.x + 10.0 y=r.y + 66.0>
                {external.unwrap_or_else(|| endpoint_count(s.endpoints.len(), &s.namespace))}
            </text>
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

fn node_panel(n: &NodeView, r: &Rect, layout: &Layout) -> impl IntoView {
    let pods: Vec<_> = n.pods.iter().filter_map(|p| layout.pods.get(&p.key).map(|rect| pod_box(p, rect, false))).collect();
    view! {
        <g class="node" data-name=n.name.clone() role="group" aria-label=format!("Node {}", n.name)>
            <rect class="node-panel" x=r.x y=r.y width=r.w height=r.h rx="14" />
            <text class="node-name" x=r.x + 12.0 y=r.y + 22.0>{n.name.clone()}</text>
            <text class="node-meta" x=r.x + 12.0 y=r.y + 40.0>{format!("{} · {}", n.role, n.internal_ip)}</text>
            <text class="node-meta" x=r.x + 12.0 y=r.y + 54.0>{format!("pods {}", n.pod_cidr)}</text>
            {pods}
        </g>
    }
}

fn pod_box(p: &PodView, r: &Rect, pending: bool) -> impl IntoView {
    let state = if pending { "Pending" } else if p.ready { "Ready" } else { "not ready" };
    view! {
        <g
            class="pod"
            class:system=p.system
            class:not-ready=!p.ready
            class:pending=pending
            data-key=p.key.clone()
            role="img"
            aria-label=format!("Pod {} {} {}", p.key, p.ip, state)
        >
            <rect x=r.x y=r.y width=r.w height=r.h rx="8" style=format!("--app: {}", app_colour(p.app.as_deref())) />
            <text class="pod-name" x=r.x + 10.0 y=r.y + 18.0>{p.name.clone()}</text>
            <text class="pod-ip" x=r.x + 10.0 y=r.y + 34.0>{format!("{} · {}", p.ip, state)}</text>
        </g>
    }
}

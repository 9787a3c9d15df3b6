//! The static objects of the cluster drawing: the outside world (client, load balancers), the
//! cluster boundary, Services, nodes with their kube-proxy strip and NIC, pods with their
//! NetworkPolicy shields, and the dashed lines from Services to their endpoints.
//!
//! Every object is a keyboard-focusable button-like group (`role="button"`, `tabindex`, an
//! ARIA label saying what it is) that selects it for the inspector; the picker, when active,
//! takes the click instead (see `picker`).
//!
//! Redrawing is per object: each kind of object is a keyed list (by its view key) whose rows
//! read their own data from a memo, so an apply rebuilds only the objects whose data or
//! position changed and adds or removes the others; the DOM of an unchanged object is left
//! alone (no attribute rewritten, nothing for the browser to lay out or paint again).

use super::layout::{Layout, NodeRects, Rect};
use super::palette::app_colour;
use super::picker::{use_picker, Pickable};
use crate::selection::{use_selection, Selected};
use kubeplay_core::view::{ClusterView, NodeView, PodView, ServiceView};
use leptos::prelude::*;

/// A pod, as drawn.
#[derive(Debug, Clone, PartialEq)]
struct PodItem {
    pod: PodView,
    pending: bool,
    enforced: bool,
}

/// An object and its place in the drawing.
#[derive(Debug, Clone, PartialEq)]
struct Placed<T> {
    rect: Rect,
    item: T,
}

/// A node (without its pods, which are rows of their own) and where its parts are drawn.
#[derive(Debug, Clone, PartialEq)]
struct NodeItem {
    node: NodeView,
    rects: NodeRects,
}

/// A line from a Service (or its load balancer) to where its traffic goes.
#[derive(Debug, Clone, PartialEq)]
struct LinkItem {
    from: (f64, f64),
    to: (f64, f64),
    ready: bool,
    service: String,
}

/// The fixed parts: zones, client, the node network.
#[derive(Debug, Clone, PartialEq)]
struct Frame {
    outside: Rect,
    cluster: Rect,
    client: Rect,
    title: String,
    bus_y: f64,
    pending_top: f64,
    any_pending: bool,
}

/// Keyed rows of one kind of object, in drawing order.
type Rows<T> = Vec<(String, T)>;

/// Everything but the packets, drawn from `view` at `layout`'s positions, object by object.
#[component]
pub fn Drawing(view: Memo<ClusterView>, layout: Memo<Layout>) -> impl IntoView {
    let frame = Memo::new(move |_| {
        view.with(|v| {
            layout.with(|l| Frame {
                outside: l.outside,
                cluster: l.cluster,
                client: l.client,
                title: format!("cluster {} · CNI {}", v.name, v.cni),
                bus_y: l.bus_y,
                pending_top: l.pending_top,
                any_pending: !v.pending.is_empty(),
            })
        })
    });
    let lbs = Memo::new(move |_| {
        view.with(|v| {
            layout.with(|l| -> Rows<Placed<(ServiceView, bool)>> {
                (v.services.iter())
                    .filter_map(|s| {
                        let rect = *l.load_balancers.get(&s.key)?;
                        Some((s.key.clone(), Placed { rect, item: (s.clone(), v.load_balancer_provider) }))
                    })
                    .collect()
            })
        })
    });
    let nodes = Memo::new(move |_| {
        view.with(|v| {
            layout.with(|l| -> Rows<NodeItem> {
                (v.nodes.iter())
                    .filter_map(|n| {
                        let node = NodeView { pods: Vec::new(), ..n.clone() };
                        Some((n.name.clone(), NodeItem { node, rects: *l.nodes.get(&n.name)? }))
                    })
                    .collect()
            })
        })
    });
    let links = Memo::new(move |_| view.with(|v| layout.with(|l| endpoint_links(v, l))));
    let lb_links = Memo::new(move |_| {
        layout.with(|l| -> Rows<LinkItem> {
            (l.load_balancers.iter())
                .filter_map(|(key, lb)| {
                    let svc = l.services.get(key)?;
                    let to = (svc.x, svc.y + svc.h / 2.0);
                    Some((key.clone(), LinkItem { from: lb.right_centre(), to, ready: true, service: key.clone() }))
                })
                .collect()
        })
    });
    let services = Memo::new(move |_| {
        view.with(|v| {
            layout.with(|l| -> Rows<Placed<ServiceView>> {
                (v.services.iter())
                    .filter_map(|s| Some((s.key.clone(), Placed { rect: *l.services.get(&s.key)?, item: s.clone() })))
                    .collect()
            })
        })
    });
    let pending =
        Memo::new(move |_| view.with(|v| layout.with(|l| pod_rows(&v.pending, l, true, v.policies_enforced))));
    view! {
        {move || frame.with(zones)}
        <g class="lbs">{placed(lbs, |(s, provider), r| load_balancer(s, r, *provider))}</g>
        <g class="nodes">
            <For each=move || keys(nodes) key=String::clone let:name>
                <NodeRow name=name nodes=nodes view=view layout=layout />
            </For>
        </g>
        {move || frame.with(node_network)}
        <g class="links">{keyed(links, |l| link(l, "endpoint-link"))}{keyed(lb_links, |l| link(l, "lb-link"))}</g>
        <g class="services">{placed(services, service_box)}</g>
        <g class="pending">{placed(pending, pod_box)}</g>
    }
}

/// The keys of `rows`, in order.
fn keys<T: Send + Sync + 'static>(rows: Memo<Rows<T>>) -> Vec<String> {
    rows.with(|rs| rs.iter().map(|(k, _)| k.clone()).collect())
}

/// Row `key`'s data in `rows`, as a memo: it changes only when that row's data does.
fn row<T: Clone + PartialEq + Send + Sync + 'static>(rows: Memo<Rows<T>>, key: String) -> Memo<Option<T>> {
    Memo::new(move |_| rows.with(|rs| rs.iter().find(|(k, _)| *k == key).map(|(_, t)| t.clone())))
}

/// One drawn object per row of `rows`, built by `draw_row` from the row's own data: an object
/// is built when its key appears and removed with its key.
fn each_row<T, V>(
    rows: Memo<Rows<T>>,
    draw_row: impl Fn(Memo<Option<T>>) -> V + Clone + Send + 'static,
) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
    V: IntoView + 'static,
{
    view! { <For each=move || keys(rows) key=String::clone let:key>{draw_row(row(rows, key))}</For> }
}

/// One drawn object per row of `rows`, built with `draw` and rebuilt when its own data changes.
fn keyed<T, V>(rows: Memo<Rows<T>>, draw: fn(&T) -> V) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
    V: IntoView + 'static,
{
    each_row(rows, move |data| move || data.with(|d| d.as_ref().map(draw)))
}

/// One drawn object per row of `rows`, each in a group translated to its place and drawn by
/// `draw` at the origin: an object that only moved changes one attribute, one whose own data
/// changed is rebuilt.
fn placed<T, V>(rows: Memo<Rows<Placed<T>>>, draw: fn(&T, &Rect) -> V) -> impl IntoView
where
    T: Clone + PartialEq + Send + Sync + 'static,
    V: IntoView + 'static,
{
    each_row(rows, move |data| {
        let at = Memo::new(move |_| data.with(|d| d.as_ref().map(|p| (p.rect.x, p.rect.y))));
        let item = Memo::new(move |_| data.with(|d| d.as_ref().map(|p| (p.item.clone(), p.rect.w, p.rect.h))));
        view! {
            <g class="place" transform=move || at.get().map(|(x, y)| format!("translate({x} {y})"))>
                {move || item.with(|i| i.as_ref().map(|(t, w, h)| draw(t, &Rect { x: 0.0, y: 0.0, w: *w, h: *h })))}
            </g>
        }
    })
}

/// The pods of `pods` at their places in `layout`.
fn pod_rows(pods: &[PodView], layout: &Layout, pending: bool, enforced: bool) -> Rows<Placed<PodItem>> {
    (pods.iter())
        .filter_map(|p| {
            let item = PodItem { pod: p.clone(), pending, enforced };
            Some((p.key.clone(), Placed { rect: *layout.pods.get(&p.key)?, item }))
        })
        .collect()
}

/// A node's panel, its pods as rows of their own (a pod added to a node redraws neither the
/// node nor its other pods), and its NIC.
#[component]
fn NodeRow(name: String, nodes: Memo<Rows<NodeItem>>, view: Memo<ClusterView>, layout: Memo<Layout>) -> impl IntoView {
    let item = row(nodes, name.clone());
    let pods = {
        let name = name.clone();
        Memo::new(move |_| {
            view.with(|v| {
                let pods = v.nodes.iter().find(|n| n.name == name).map_or(&[][..], |n| &n.pods[..]);
                layout.with(|l| pod_rows(pods, l, false, v.policies_enforced))
            })
        })
    };
    let selected = is_selected(Selected::Node(name.clone()));
    view! {
        <g class="node" class:selected=selected data-name=name.clone() role="group" aria-label=format!("Node {name}")>
            {move || item.with(|i| i.as_ref().map(node_head))}
            {placed(pods, pod_box)}
            {move || item.with(|i| i.as_ref().map(|i| eth0(&i.rects.eth0)))}
        </g>
    }
}

/// The lines from each Service to its endpoints' pods, keyed by Service and pod.
fn endpoint_links(view: &ClusterView, layout: &Layout) -> Rows<LinkItem> {
    (view.services.iter())
        .filter_map(|svc| Some((svc, layout.services.get(&svc.key)?)))
        .flat_map(|(svc, rect)| {
            svc.endpoints.iter().filter_map(move |e| {
                let pod_key = e.pod.as_ref()?;
                let pod = layout.pods.get(pod_key)?;
                let item = LinkItem {
                    from: rect.bottom_centre(),
                    to: pod.top_centre(),
                    ready: e.ready,
                    service: svc.key.clone(),
                };
                Some((format!("{} {pod_key}", svc.key), item))
            })
        })
        .collect()
}

fn zones(f: &Frame) -> impl IntoView {
    let (o, c) = (f.outside, f.cluster);
    view! {
        <g class="zone outside-zone">
            <rect x=o.x y=o.y width=o.w height=o.h rx="14" />
            <text class="zone-label" x=o.x + 14.0 y=o.y + 22.0>"outside the cluster"</text>
        </g>
        <g class="zone cluster-zone">
            <rect x=c.x y=c.y width=c.w height=c.h rx="16" />
            <text class="zone-label" x=c.x + 14.0 y=c.y + 22.0>{f.title.clone()}</text>
        </g>
        {client(&f.client)}
    }
}

fn node_network(f: &Frame) -> impl IntoView {
    let c = f.cluster;
    view! {
        <g class="node-network">
            <line class="bus" x1=c.x + 14.0 y1=f.bus_y x2=c.x + c.w - 14.0 y2=f.bus_y />
            <text class="bus-label" x=c.x + 14.0 y=f.bus_y + 16.0>"node network"</text>
            {f.any_pending.then(|| view! {
                <text class="zone-label" x=c.x + 14.0 y=f.pending_top + 12.0>"Pending: no node can run these pods"</text>
            })}
        </g>
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

fn client(r: &Rect) -> impl IntoView {
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

fn link(l: &LinkItem, class: &'static str) -> impl IntoView {
    let ((x1, y1), (x2, y2)) = (l.from, l.to);
    view! {
        <line
            class=class
            class:not-ready=!l.ready
            data-service=l.service.clone()
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

fn node_head(item: &NodeItem) -> impl IntoView {
    let (n, r, proxy) = (&item.node, item.rects.panel, item.rects.proxy);
    let (on_click, on_key) = handlers(activate(Selected::Node(n.name.clone()), Some(Pickable::Node(n.name.clone()))));
    let proxy_text = match n.kube_proxy.as_str() {
        "none" => "no kube-proxy: Cilium eBPF".to_string(),
        mode => format!("kube-proxy · {mode}"),
    };
    view! {
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
    }
}

fn eth0(eth0: &Rect) -> impl IntoView {
    view! {
        <g class="eth0">
            <rect x=eth0.x y=eth0.y width=eth0.w height=eth0.h rx="5" />
            <text x=eth0.x + eth0.w / 2.0 y=eth0.y + 13.0 text-anchor="middle">"eth0"</text>
        </g>
    }
}

fn pod_box(item: &PodItem, r: &Rect) -> impl IntoView {
    let PodItem { pod: p, pending, enforced } = item;
    let (pending, enforced) = (*pending, *enforced);
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

//! Where each object of the cluster view goes: a pure function of the view data.
//!
//! Left of the cluster boundary, the outside world: the external client and one cloud load
//! balancer per LoadBalancer Service. Inside: Services in rows at the top, then the nodes side
//! by side in configured order, each with its kube-proxy strip and its pods in a column
//! (namespace, name), and under the nodes the node network they share.
//!
//! Stability: positions depend only on the view, so the same cluster always draws the same
//! way; a node's height is the tallest node's, so adding a pod to one node moves nothing on
//! another; an edit that adds no Service, node or LoadBalancer moves no box.

use crate::frames::Spot;
use kubeplay_core::view::ClusterView;
use std::collections::BTreeMap;

/// A rectangle in SVG user units.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

impl Rect {
    pub fn centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// The middle of the top edge.
    pub fn top_centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y)
    }

    /// The middle of the bottom edge.
    pub fn bottom_centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h)
    }

    /// The middle of the right edge.
    pub fn right_centre(&self) -> (f64, f64) {
        (self.x + self.w, self.y + self.h / 2.0)
    }
}

/// A node's drawn parts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NodeRects {
    pub panel: Rect,
    /// The kube-proxy strip under the header (netfilter, where Service rules live).
    pub proxy: Rect,
    /// The node's NIC on the node network, at the bottom edge.
    pub eth0: Rect,
}

/// Positions for everything in a [`ClusterView`].
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// The cluster's boundary.
    pub cluster: Rect,
    /// The outside zone, left of the cluster.
    pub outside: Rect,
    /// The external client.
    pub client: Rect,
    /// By node name.
    pub nodes: BTreeMap<String, NodeRects>,
    /// By pod key.
    pub pods: BTreeMap<String, Rect>,
    /// By Service key.
    pub services: BTreeMap<String, Rect>,
    /// Load balancers, by their Service's key.
    pub load_balancers: BTreeMap<String, Rect>,
    /// The node network's line under the nodes.
    pub bus_y: f64,
    /// Where pods no node could take are listed.
    pub pending_top: f64,
}

/// The width the drawing aims for; more nodes than fit make it wider.
const WIDTH: f64 = 800.0;
const MARGIN: f64 = 16.0;
const GAP: f64 = 14.0;
const OUTSIDE_W: f64 = 150.0;
const SERVICE_W: f64 = 180.0;
const SERVICE_H: f64 = 80.0;
const NODE_HEADER: f64 = 60.0;
const PROXY_H: f64 = 22.0;
const POD_H: f64 = 44.0;
const POD_GAP: f64 = 8.0;
const MIN_NODE_W: f64 = 184.0;
const ETH0_W: f64 = 56.0;
const ETH0_H: f64 = 18.0;

/// Lays out `view`.
pub fn layout(view: &ClusterView) -> Layout {
    let n = view.nodes.len().max(1) as f64;
    let inside_x = MARGIN + OUTSIDE_W + GAP;
    let node_w = MIN_NODE_W.max((WIDTH - inside_x - MARGIN - 2.0 * GAP - (n - 1.0) * GAP) / n);
    let inside_w = n * node_w + (n - 1.0) * GAP + 2.0 * GAP;
    let width = inside_x + inside_w + MARGIN;

    let per_row = ((inside_w - 2.0 * GAP + GAP) / (SERVICE_W + GAP)).floor().max(1.0) as usize;
    let mut services = BTreeMap::new();
    for (i, s) in view.services.iter().enumerate() {
        let rect = Rect {
            x: inside_x + GAP + (i % per_row) as f64 * (SERVICE_W + GAP),
            y: MARGIN + 30.0 + (i / per_row) as f64 * (SERVICE_H + GAP),
            w: SERVICE_W,
            h: SERVICE_H,
        };
        services.insert(s.key.clone(), rect);
    }
    let service_rows = view.services.len().div_ceil(per_row).max(1) as f64;
    let nodes_top = MARGIN + 30.0 + service_rows * (SERVICE_H + GAP) + 36.0;

    let most_pods = view.nodes.iter().map(|node| node.pods.len()).max().unwrap_or(0).max(1) as f64;
    let node_h = NODE_HEADER + PROXY_H + POD_GAP + most_pods * (POD_H + POD_GAP) + ETH0_H + POD_GAP;
    let mut pods = BTreeMap::new();
    let mut nodes = BTreeMap::new();
    for (i, node) in view.nodes.iter().enumerate() {
        let panel = Rect { x: inside_x + GAP + i as f64 * (node_w + GAP), y: nodes_top, w: node_w, h: node_h };
        let proxy = Rect { x: panel.x + 10.0, y: panel.y + NODE_HEADER, w: panel.w - 20.0, h: PROXY_H };
        let eth0 =
            Rect { x: panel.x + (panel.w - ETH0_W) / 2.0, y: panel.y + panel.h - ETH0_H / 2.0, w: ETH0_W, h: ETH0_H };
        let pods_top = proxy.y + PROXY_H + POD_GAP;
        for (j, pod) in node.pods.iter().enumerate() {
            let rect =
                Rect { x: panel.x + 10.0, y: pods_top + j as f64 * (POD_H + POD_GAP), w: panel.w - 20.0, h: POD_H };
            pods.insert(pod.key.clone(), rect);
        }
        nodes.insert(node.name.clone(), NodeRects { panel, proxy, eth0 });
    }
    let bus_y = nodes_top + node_h + 30.0;
    let pending_top = bus_y + 34.0;
    for (j, pod) in view.pending.iter().enumerate() {
        let rect = Rect {
            x: inside_x + GAP + (j % per_row) as f64 * (SERVICE_W + GAP),
            y: pending_top + 20.0 + (j / per_row) as f64 * (POD_H + POD_GAP),
            w: SERVICE_W,
            h: POD_H,
        };
        pods.insert(pod.key.clone(), rect);
    }
    let pending_rows = view.pending.len().div_ceil(per_row) as f64;
    let cluster_bottom = if view.pending.is_empty() {
        bus_y + 26.0
    } else {
        pending_top + 20.0 + pending_rows * (POD_H + POD_GAP) + 8.0
    };
    let cluster = Rect { x: inside_x, y: MARGIN, w: inside_w, h: cluster_bottom - MARGIN };

    let outside = Rect { x: MARGIN, y: MARGIN, w: OUTSIDE_W, h: cluster.h };
    let client = Rect { x: outside.x + 14.0, y: outside.y + 40.0, w: outside.w - 28.0, h: 52.0 };
    let mut load_balancers = BTreeMap::new();
    let lbs = view.services.iter().filter(|s| s.type_ == "LoadBalancer");
    for (i, s) in lbs.enumerate() {
        let rect = Rect { x: client.x, y: nodes_top + i as f64 * (62.0 + GAP), w: client.w, h: 62.0 };
        load_balancers.insert(s.key.clone(), rect);
    }
    let height = cluster.y + cluster.h + MARGIN;
    Layout { width, height, cluster, outside, client, nodes, pods, services, load_balancers, bus_y, pending_top }
}

impl Layout {
    /// Where a frame at `spot` is drawn, or `None` when the object is not in this layout (it
    /// was deleted since the playback was recorded).
    pub fn point(&self, view: &ClusterView, spot: &Spot) -> Option<(f64, f64)> {
        match spot {
            Spot::Pod { key, part } => {
                let rect = self.pods.get(key)?;
                Some(if part == "veth" { (rect.x + 8.0, rect.y + rect.h - 6.0) } else { rect.centre() })
            }
            Spot::Node { name, part } => {
                let node = self.nodes.get(name)?;
                Some(match part.as_str() {
                    "eth0" => node.eth0.centre(),
                    "tunnel" => (node.panel.x + node.panel.w - 30.0, node.eth0.y + node.eth0.h / 2.0),
                    "routing" | "bridge" | "host" => (node.panel.x + node.panel.w - 40.0, node.proxy.y - 10.0),
                    _ => node.proxy.centre(),
                })
            }
            Spot::LoadBalancer { key } => self.load_balancers.get(key).map(Rect::centre),
            Spot::External => Some(self.client.centre()),
            Spot::ServiceIp { ip } => {
                let service = view.services.iter().find(|s| &s.cluster_ip == ip)?;
                self.services.get(&service.key).map(Rect::centre)
            }
        }
    }

    /// The points a packet passes between two frames: straight, except node to node, which
    /// runs down to the node network and along it (the wire is where packets cross nodes).
    pub fn path(&self, from: (f64, f64), to: (f64, f64), across_nodes: bool) -> Vec<(f64, f64)> {
        if across_nodes {
            vec![from, (from.0, self.bus_y), (to.0, self.bus_y), to]
        } else {
            vec![from, to]
        }
    }
}

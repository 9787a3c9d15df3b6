//! Where each object of the cluster view goes: a pure function of the view data.
//!
//! Nodes sit side by side in configured order, each holding its pods in a column sorted by
//! namespace and name; Services form a row above them. Positions depend only on the view, so
//! the same cluster always draws the same way.

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
    /// The middle of the top edge.
    pub fn top_centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y)
    }

    /// The middle of the bottom edge.
    pub fn bottom_centre(&self) -> (f64, f64) {
        (self.x + self.w / 2.0, self.y + self.h)
    }
}

/// Positions for everything in a [`ClusterView`].
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    /// One per node, in view order.
    pub nodes: Vec<Rect>,
    /// By pod key.
    pub pods: BTreeMap<String, Rect>,
    /// One per Service, in view order.
    pub services: Vec<Rect>,
}

/// Width of the drawing.
pub const WIDTH: f64 = 900.0;
const MARGIN: f64 = 16.0;
const GAP: f64 = 14.0;
const SERVICE_W: f64 = 190.0;
const SERVICE_H: f64 = 76.0;
const NODE_HEADER: f64 = 62.0;
const POD_H: f64 = 44.0;
const POD_GAP: f64 = 8.0;

/// Lays out `view`.
pub fn layout(view: &ClusterView) -> Layout {
    let per_row = ((WIDTH - 2.0 * MARGIN + GAP) / (SERVICE_W + GAP)).floor().max(1.0) as usize;
    let services: Vec<Rect> = (0..view.services.len())
        .map(|i| Rect {
            x: MARGIN + (i % per_row) as f64 * (SERVICE_W + GAP),
            y: MARGIN + (i / per_row) as f64 * (SERVICE_H + GAP),
            w: SERVICE_W,
            h: SERVICE_H,
        })
        .collect();
    let service_rows = view.services.len().div_ceil(per_row).max(1) as f64;
    let nodes_top = MARGIN + service_rows * (SERVICE_H + GAP) + 40.0;

    let n = view.nodes.len().max(1) as f64;
    let node_w = (WIDTH - 2.0 * MARGIN - (n - 1.0) * GAP) / n;
    let most_pods = view.nodes.iter().map(|node| node.pods.len()).max().unwrap_or(0) as f64;
    let node_h = NODE_HEADER + most_pods * (POD_H + POD_GAP) + POD_GAP;
    let mut pods = BTreeMap::new();
    let nodes = view
        .nodes
        .iter()
        .enumerate()
        .map(|(i, node)| {
            let rect = Rect { x: MARGIN + i as f64 * (node_w + GAP), y: nodes_top, w: node_w, h: node_h };
            for (j, pod) in node.pods.iter().enumerate() {
                pods.insert(
                    pod.key.clone(),
                    Rect {
                        x: rect.x + 10.0,
                        y: rect.y + NODE_HEADER + j as f64 * (POD_H + POD_GAP),
                        w: rect.w - 20.0,
                        h: POD_H,
                    },
                );
            }
            rect
        })
        .collect();
    let mut height = nodes_top + node_h + MARGIN;
    for (j, pod) in view.pending.iter().enumerate() {
        pods.insert(pod.key.clone(), Rect { x: MARGIN + j as f64 * (SERVICE_W + GAP), y: height + 20.0, w: SERVICE_W, h: POD_H });
    }
    if !view.pending.is_empty() {
        height += 20.0 + POD_H + MARGIN;
    }
    Layout { width: WIDTH, height, nodes, pods, services }
}

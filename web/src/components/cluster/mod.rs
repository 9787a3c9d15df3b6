//! The cluster view: the outside world, Services, nodes with kube-proxy and their pods, the
//! packet animation over them, zoom and pan, and tracing by picking objects.

mod cluster_view;
pub mod layout;
mod objects;
mod packet;
pub mod palette;
pub mod picker;
mod player_bar;
pub mod zoom;

pub use cluster_view::ClusterView;

//! The cluster view: nodes holding their pods, Services above them, lines to endpoints.

mod cluster_view;
pub mod layout;
pub mod palette;

pub use cluster_view::ClusterView;

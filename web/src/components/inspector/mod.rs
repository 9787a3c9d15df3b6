//! The object inspector: a panel over the cluster view showing everything core knows about the
//! selected pod, Service, node or NetworkPolicy (`kubeplay_core::inspect`).

mod compare;
mod panel;

pub use panel::Inspector;

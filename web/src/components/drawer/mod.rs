//! The bottom drawer: one tab per tool (Console, Trace, Matrix, Proxy rules, DNS), under the
//! editor and the cluster view. The drawer can be collapsed to its tab strip; which tab is
//! open is shared as context, so that a command can bring its tab forward.

mod tabs;
mod trace_tab;

pub use tabs::{use_drawer, Drawer, DrawerState, DrawerTab};

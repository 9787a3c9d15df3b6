//! The cluster as the control plane leaves it: every object with what controllers filled in
//! (pods scheduled and addressed, Services allocated, EndpointSlices computed).
//!
//! Objects refer to each other by small `Copy` ids (`NodeId`, `PodId`, `ServiceId`) that index
//! the vectors here; vectors are sorted by namespace and name (nodes: in configured order), so
//! everything printed from a `Cluster` is deterministic.

mod state;

pub use state::*;

//! The cluster as the control plane leaves it: every object with what controllers filled in
//! (pods scheduled and addressed or Pending with the scheduler's reason, Services allocated,
//! EndpointSlices and Endpoints computed, admission defaults applied).
//!
//! Objects refer to each other by small `Copy` ids (`NodeId`, `PodId`, `ServiceId`) that index
//! the vectors here; vectors are sorted by namespace and name (nodes: in configured order), so
//! everything printed from a `Cluster` is deterministic.

mod scheduling;
mod state;

pub use scheduling::*;
pub use state::*;

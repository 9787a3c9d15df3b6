//! kubeplay-core: the pure, deterministic model of a small Kubernetes cluster.
//!
//! It reads a workspace of YAML files, validates them the way the API server does, runs the
//! controllers a control plane would (scheduling, IPAM, EndpointSlices), and answers questions
//! about the result. It does no IO, reads no clock and uses no OS randomness: the same files
//! always give the same cluster. It has no browser dependency and builds natively and to wasm32.
#![forbid(unsafe_code)]

pub mod api;
#[cfg(feature = "bench-fixtures")]
pub mod bench_fixtures;
pub mod cluster;
pub mod console;
pub mod controllers;
pub mod dataplane;
pub mod decode;
pub mod diag;
pub mod dns;
pub mod inspect;
pub mod kube_proxy;
pub mod lessons;
pub mod load;
pub mod objects;
pub mod policy;
pub mod render;
pub mod schema;
pub mod simulation;
pub mod validation;
pub mod view;
pub mod warnings;
pub mod yaml;

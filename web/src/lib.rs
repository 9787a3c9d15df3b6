//! kubeplay-web: the browser front of kubeplay.
//!
//! Presentation only: layout, colours and interaction. Every fact on screen (an address, a
//! readiness, which pods back a Service) was computed by kubeplay-core; this crate decides
//! nothing about networking.

mod app;
pub mod bench_packets;
pub mod components;
pub mod course;
pub mod crash;
pub mod diff;
pub mod export;
pub mod frames;
pub mod incoming;
pub mod lesson_folder;
pub mod lesson_url;
pub mod markdown;
pub mod player;
pub mod progress;
pub mod selection;
pub mod share;
pub mod state;
pub mod storage;
pub mod ticker;

pub use app::App;

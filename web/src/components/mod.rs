//! The playground's components, one folder per area.

pub mod cluster;
pub mod console;
pub mod drawer;
pub mod editor;
pub mod lessons;
pub mod present;

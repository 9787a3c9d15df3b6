//! The playground's components, one folder per area.

pub mod cluster;
pub mod console;
pub mod drawer;
pub mod editor;
pub mod inspector;
pub mod lessons;
pub mod present;
pub mod tools;
pub mod workspace_menu;

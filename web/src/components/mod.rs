//! The playground's components, one folder per area.

pub mod cluster;
pub mod editor;
pub mod lessons;
pub mod workspace_menu;

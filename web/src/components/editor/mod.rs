//! The workspace editor and its problem list.

mod yaml_editor;

pub use yaml_editor::YamlEditor;

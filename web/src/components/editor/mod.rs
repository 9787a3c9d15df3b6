//! The workspace editor: file tabs, the CodeMirror editor (driven through `bridge`), the
//! problem list and the apply feed.

mod apply_feed;
mod bridge;
mod code_editor;
mod file_tabs;
mod notice_bar;
mod problems;
mod yaml_editor;

pub use code_editor::utf16_offset;
pub use yaml_editor::YamlEditor;

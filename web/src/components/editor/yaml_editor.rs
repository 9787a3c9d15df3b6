//! The editor pane: file tabs, the code editor, the problems and the apply feed.

use super::apply_feed::ApplyFeed;
use super::code_editor::{CodeEditor, EditorHandle};
use super::file_tabs::FileTabs;
use super::notice_bar::NoticeBar;
use super::problems::ProblemList;
use leptos::prelude::*;

/// The workspace editor.
#[component]
pub fn YamlEditor() -> impl IntoView {
    provide_context(EditorHandle::new());
    view! {
        <div class="editor">
            <FileTabs />
            <NoticeBar />
            <div id="editor-panel" class="editor-body" role="tabpanel">
                <CodeEditor />
            </div>
            <ProblemList />
            <ApplyFeed />
        </div>
    }
}

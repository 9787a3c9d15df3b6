//! The page: header, lesson panel, editor and cluster view, sharing one [`Playground`] and
//! one [`Course`] context.

use crate::components::cluster::ClusterView;
use crate::components::editor::YamlEditor;
use crate::components::lessons::LessonPanel;
use crate::components::workspace_menu::WorkspaceMenu;
use crate::course::{Course, COURSE_STORE};
use crate::state::Playground;
use crate::storage::{Store, STORAGE_KEY};
use leptos::prelude::*;

/// The whole playground page.
#[component]
pub fn App() -> impl IntoView {
    let playground = Playground::restore(Store::new(STORAGE_KEY));
    provide_context(playground);
    provide_context(Course::new(playground, COURSE_STORE));
    view! {
        <header class="topbar">
            <span class="brand">"kubeplay"</span>
            <span class="tagline">"a Kubernetes networking playground"</span>
            <WorkspaceMenu />
        </header>
        <main class="workbench">
            <LessonPanel />
            <section class="pane editor-pane" aria-label="YAML editor">
                <YamlEditor />
            </section>
            <section class="pane cluster-pane" aria-label="Cluster view">
                <ClusterView />
            </section>
        </main>
    }
}

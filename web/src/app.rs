//! The page: header, lesson panel, editor, cluster view and the tools drawer, sharing one
//! [`Playground`], one [`Course`], one [`Player`] and the drawer's state as context.

use crate::components::cluster::ClusterView;
use crate::components::drawer::{Drawer, DrawerState};
use crate::components::editor::YamlEditor;
use crate::components::lessons::LessonPanel;
use crate::components::present::PresentToggle;
use crate::course::{Course, COURSE_STORE};
use crate::player::Player;
use crate::selection::Selection;
use crate::state::Playground;
use crate::storage::{Store, STORAGE_KEY};
use leptos::prelude::*;

/// The whole playground page.
#[component]
pub fn App() -> impl IntoView {
    let playground = Playground::restore(Store::new(STORAGE_KEY));
    provide_context(playground);
    provide_context(Course::new(playground, COURSE_STORE));
    provide_context(Player::new());
    provide_context(DrawerState::new());
    provide_context(Selection::new());
    view! {
        <header class="topbar">
            <span class="brand">"kubeplay"</span>
            <span class="tagline">"a Kubernetes networking playground"</span>
            <span class="topbar-tools">
                <PresentToggle />
            </span>
        </header>
        <main class="workbench">
            <LessonPanel />
            <section class="pane editor-pane" aria-label="YAML editor">
                <YamlEditor />
            </section>
            <section class="pane cluster-pane" aria-label="Cluster view">
                <ClusterView />
            </section>
            <Drawer />
        </main>
    }
}

//! The drawer's tab strip and its panels (the WAI-ARIA tabs pattern: arrow keys move between
//! tabs, the open panel is labelled by its tab).

use super::trace_tab::TraceTab;
use leptos::prelude::*;

/// The drawer's tabs, in strip order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DrawerTab {
    Console,
    Trace,
    Matrix,
    ProxyRules,
    Dns,
}

impl DrawerTab {
    /// Every tab, in strip order.
    pub const ALL: [DrawerTab; 5] =
        [DrawerTab::Console, DrawerTab::Trace, DrawerTab::Matrix, DrawerTab::ProxyRules, DrawerTab::Dns];

    /// The tab's label.
    pub fn label(self) -> &'static str {
        match self {
            DrawerTab::Console => "Console",
            DrawerTab::Trace => "Trace",
            DrawerTab::Matrix => "Matrix",
            DrawerTab::ProxyRules => "Proxy rules",
            DrawerTab::Dns => "DNS",
        }
    }

    /// The DOM id stem of the tab and its panel.
    pub fn id(self) -> &'static str {
        match self {
            DrawerTab::Console => "console",
            DrawerTab::Trace => "trace",
            DrawerTab::Matrix => "matrix",
            DrawerTab::ProxyRules => "proxy",
            DrawerTab::Dns => "dns",
        }
    }
}

/// Which tab is open and whether the drawer is expanded, shared as context.
#[derive(Clone, Copy)]
pub struct DrawerState {
    pub open: RwSignal<DrawerTab>,
    pub expanded: RwSignal<bool>,
}

impl DrawerState {
    pub fn new() -> DrawerState {
        DrawerState { open: RwSignal::new(DrawerTab::ALL[0]), expanded: RwSignal::new(true) }
    }

    /// Opens `tab` (and the drawer, if collapsed).
    pub fn show(&self, tab: DrawerTab) {
        self.open.set(tab);
        self.expanded.set(true);
    }
}

impl Default for DrawerState {
    fn default() -> Self {
        DrawerState::new()
    }
}

/// The drawer state from context.
pub fn use_drawer() -> DrawerState {
    expect_context::<DrawerState>()
}

/// The drawer: the tab strip, a collapse toggle and the open panel.
#[component]
pub fn Drawer() -> impl IntoView {
    let state = use_drawer();
    let tab_button = move |tab: DrawerTab| {
        let selected = move || state.open.get() == tab;
        let on_key = move |ev: leptos::ev::KeyboardEvent| {
            let here = DrawerTab::ALL.iter().position(|t| *t == tab).unwrap_or(0);
            let n = DrawerTab::ALL.len();
            let next = match ev.key().as_str() {
                "ArrowRight" => (here + 1) % n,
                "ArrowLeft" => (here + n - 1) % n,
                "Home" => 0,
                "End" => n - 1,
                _ => return,
            };
            ev.prevent_default();
            state.show(DrawerTab::ALL[next]);
            focus(&format!("tab-{}", DrawerTab::ALL[next].id()));
        };
        view! {
            <button
                role="tab"
                id=format!("tab-{}", tab.id())
                class="drawer-tab"
                aria-selected=move || selected().to_string()
                aria-controls=format!("panel-{}", tab.id())
                tabindex=move || if selected() { "0" } else { "-1" }
                on:click=move |_| state.show(tab)
                on:keydown=on_key
            >
                {tab.label()}
            </button>
        }
    };
    let panel = move |tab: DrawerTab| {
        view! {
            <div
                role="tabpanel"
                class="drawer-panel"
                id=format!("panel-{}", tab.id())
                aria-labelledby=format!("tab-{}", tab.id())
                hidden=move || state.open.get() != tab || !state.expanded.get()
            >
                {panel_content(tab)}
            </div>
        }
    };
    view! {
        <section class="drawer" class:collapsed=move || !state.expanded.get() aria-label="Tools">
            <div class="drawer-strip">
                <div role="tablist" aria-label="Tools" class="drawer-tabs">
                    {DrawerTab::ALL.iter().map(|t| tab_button(*t)).collect_view()}
                </div>
                <button
                    class="drawer-toggle"
                    aria-expanded=move || state.expanded.get().to_string()
                    on:click=move |_| state.expanded.update(|e| *e = !*e)
                >
                    {move || if state.expanded.get() { "Hide tools ▾" } else { "Show tools ▴" }}
                </button>
            </div>
            {DrawerTab::ALL.iter().map(|t| panel(*t)).collect_view()}
        </section>
    }
}

/// The content of `tab`'s panel.
fn panel_content(tab: DrawerTab) -> AnyView {
    match tab {
        DrawerTab::Console => view! { <crate::components::console::Console /> }.into_any(),
        DrawerTab::Trace => view! { <TraceTab /> }.into_any(),
        DrawerTab::Matrix => crate::components::tools::MatrixTab().into_any(),
        DrawerTab::ProxyRules => crate::components::tools::ProxyRulesTab().into_any(),
        DrawerTab::Dns => crate::components::tools::DnsTab().into_any(),
    }
}

fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = document().get_element_by_id(id).and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok()) {
        let _ = el.focus();
    }
}

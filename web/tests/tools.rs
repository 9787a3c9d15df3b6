//! Browser tests of the drawer's Matrix, Proxy rules and DNS tabs and of the object inspector,
//! mounted with the contexts the app provides, on the sandbox workspace.
#![cfg(target_arch = "wasm32")]

use kubeplay_core::api::Protocol;
use kubeplay_core::dataplane::render::view as trace_view;
use kubeplay_core::dataplane::{Dataplane, Source, Target, TraceRequest};
use kubeplay_web::components::drawer::{Drawer, DrawerState, DrawerTab};
use kubeplay_web::components::inspector::Inspector;
use kubeplay_web::player::{Playback, Player};
use kubeplay_web::selection::{Selected, Selection};
use kubeplay_web::state::Playground;
use kubeplay_web::storage::Store;
use leptos::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const TEST_KEY: &str = "kubeplay.test.tools";

/// A NetworkPolicy that isolates every pod of `default` for ingress and allows nothing in.
const DENY_ALL: &str = "\n---\napiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny-all\nspec:\n  podSelector: {}\n";

/// The contexts the harness provides.
#[derive(Clone, Copy)]
struct Handles {
    playground: Playground,
    player: Player,
    drawer: DrawerState,
    selection: Selection,
}

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

/// The drawer and the inspector over the sandbox, mounted in a fresh element (kept while the
/// handle lives).
async fn mount() -> (web_sys::HtmlElement, Box<dyn std::any::Any>, Handles) {
    Store::new(TEST_KEY).clear();
    let root: web_sys::HtmlElement = document().create_element("div").expect("div").unchecked_into();
    document().body().expect("body").append_child(&root).expect("append");
    let cell: Rc<RefCell<Option<Handles>>> = Rc::new(RefCell::new(None));
    let out = cell.clone();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let handles = Handles {
            playground: Playground::restore(Store::new(TEST_KEY)),
            player: Player::new(),
            drawer: DrawerState::new(),
            selection: Selection::new(),
        };
        provide_context(handles.playground);
        provide_context(handles.player);
        provide_context(handles.drawer);
        provide_context(handles.selection);
        *out.borrow_mut() = Some(handles);
        view! {
            <Drawer />
            <section class="pane cluster-pane">
                <Inspector />
            </section>
        }
    });
    leptos::task::tick().await;
    let handles = (*cell.borrow()).expect("mounted");
    (root, Box::new(handle), handles)
}

async fn settle() {
    leptos::task::tick().await;
    leptos::task::tick().await;
}

fn count(root: &web_sys::HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).expect("valid selector").length()
}

fn text_of(root: &web_sys::HtmlElement, selector: &str) -> String {
    root.query_selector(selector).expect("selector").and_then(|e| e.text_content()).unwrap_or_default()
}

/// The text of every element matching `selector`, without a final newline.
fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).expect("valid selector");
    (0..list.length())
        .filter_map(|i| list.item(i))
        .filter_map(|n| n.text_content())
        .map(|t| t.strip_suffix('\n').map(str::to_string).unwrap_or(t))
        .collect()
}

fn set_value(root: &web_sys::HtmlElement, selector: &str, value: &str, event: &str) {
    let element = root.query_selector(selector).expect("selector").unwrap_or_else(|| panic!("no {selector}"));
    if let Some(input) = element.dyn_ref::<web_sys::HtmlInputElement>() {
        input.set_value(value);
    } else if let Some(select) = element.dyn_ref::<web_sys::HtmlSelectElement>() {
        select.set_value(value);
    }
    element.dispatch_event(&web_sys::Event::new(event).expect("event")).expect("dispatch");
}

fn click(root: &web_sys::HtmlElement, selector: &str) {
    let element: web_sys::HtmlElement =
        root.query_selector(selector).expect("selector").unwrap_or_else(|| panic!("no {selector}")).unchecked_into();
    element.click();
}

#[wasm_bindgen_test]
async fn the_matrix_shows_a_denied_cell_after_a_deny_all_policy_and_outlines_what_it_closed() {
    let (root, _handle, h) = mount().await;
    h.drawer.show(DrawerTab::Matrix);
    settle().await;
    // The sandbox's Service targets port http, 80 on its pods.
    let port: web_sys::HtmlInputElement =
        root.query_selector("#matrix-port").expect("selector").expect("port input").unchecked_into();
    assert_eq!(port.value(), "80");
    // 3 web pods, 3 nodes and the outside; CoreDNS is hidden: 7 x 7 cells, all allowed.
    assert_eq!(count(&root, ".matrix td"), 49);
    assert_eq!(count(&root, ".matrix td.denied"), 0);
    assert_eq!(count(&root, ".matrix th.row-head"), 7);

    let id = h.playground.active_untracked();
    let text = h.playground.file_untracked(id).expect("file").text;
    h.playground.replace_text(id, text + DENY_ALL);
    settle().await;
    let denied = count(&root, ".matrix td.denied");
    assert!(denied > 0, "deny-all denies connections into the web pods");
    // Every denied cell was allowed before: all are outlined as closed, and shown with ✗.
    assert_eq!(count(&root, ".matrix td.closed"), denied);
    assert!(texts(&root, ".matrix td.denied button").iter().all(|t| t == "✗"));
    let note = text_of(&root, ".matrix-tool .tool-note");
    // The count includes the hidden CoreDNS pods' connections to the web pods (2 x 3 more).
    assert!(note.contains(&format!("opened 0 and closed {} connections", denied + 6)), "{note}");

    // Clicking a denied cell explains it in core's words.
    click(&root, ".matrix td.denied button");
    settle().await;
    let why = text_of(&root, ".matrix-detail");
    assert!(why.contains("denied by the ingress policy of default/web-"), "{why}");
    assert!(why.contains("isolated by default/deny-all"), "{why}");

    // System pods on request: CoreDNS's two pods add two rows.
    click(&root, ".matrix-tool input[type=checkbox]");
    settle().await;
    assert_eq!(count(&root, ".matrix th.row-head"), 9);
}

#[wasm_bindgen_test]
async fn proxy_rules_highlight_the_rules_the_playing_trace_matched_on_its_node() {
    let (root, _handle, h) = mount().await;
    h.drawer.show(DrawerTab::ProxyRules);
    settle().await;
    let rules_text = text_of(&root, "#proxy-rules");
    assert!(rules_text.starts_with("*filter\n:INPUT ACCEPT [0:0]\n"), "iptables-save text: {rules_text}");
    assert_eq!(count(&root, ".rule-line.hit"), 0);

    // A web pod connects to the web Service's ClusterIP.
    let trace = untrack(|| {
        h.playground.with_simulation(|sim| {
            let cluster = sim.cluster();
            let pod = cluster.pods.iter().position(|p| !p.system).expect("a web pod");
            let ip = cluster.service("default", "web").and_then(|s| s.cluster_ip).expect("ClusterIP");
            let request = TraceRequest {
                from: Source::Pod(kubeplay_core::cluster::PodId(pod as u32)),
                to: Target::Ip(ip),
                port: Some(80),
                protocol: Protocol::TCP,
                seed: 1,
            };
            trace_view(cluster, &Dataplane::new(cluster).trace(&request).expect("a trace"))
        })
    });
    let rules: Vec<String> = trace.hops.iter().filter_map(|hop| hop.rule.clone()).collect();
    assert!(rules.iter().any(|r| r.starts_with("-A KUBE-SVC-")), "{rules:?}");
    let node = trace.hops.iter().find(|hop| hop.rule.is_some()).map(|hop| hop.place.key.clone()).expect("node");
    h.player.play(Playback::Trace { title: "trace web".into(), trace });
    settle().await;

    let node_select: web_sys::HtmlSelectElement =
        root.query_selector("#proxy-node").expect("selector").expect("select").unchecked_into();
    assert_eq!(node_select.value(), node, "the tab shows the node where the trace matched rules");
    let hits = texts(&root, ".rule-line.hit");
    assert!(!hits.is_empty());
    assert!(hits.iter().all(|line| rules.contains(line)), "{hits:?}");
    assert!(hits.iter().any(|line| line.starts_with("-A KUBE-SVC-")));

    // The filter keeps matching lines only.
    set_value(&root, "#proxy-filter", "KUBE-SEP-", "input");
    settle().await;
    assert!(texts(&root, ".rule-line").iter().all(|l| l.contains("KUBE-SEP-")));
}

#[wasm_bindgen_test]
async fn dns_lookups_show_each_query_and_nxdomain_for_a_missing_name() {
    let (root, _handle, h) = mount().await;
    h.drawer.show(DrawerTab::Dns);
    settle().await;
    let from: web_sys::HtmlSelectElement =
        root.query_selector("#dns-from").expect("selector").expect("select").unchecked_into();
    assert!(from.value().starts_with("default/web-"), "a learner's pod first: {}", from.value());

    set_value(&root, "#dns-name", "nope", "input");
    click(&root, ".dns-tool button[type=submit]");
    settle().await;
    // glibc's search: nope.default.svc.cluster.local, nope.svc.cluster.local,
    // nope.cluster.local, then nope as written; every one NXDOMAIN.
    let names = texts(&root, ".dns-queries tbody tr td:nth-child(2)");
    assert_eq!(names, ["nope.default.svc.cluster.local", "nope.svc.cluster.local", "nope.cluster.local", "nope"]);
    assert_eq!(count(&root, ".dns-queries .rcode-nxdomain"), 4);
    assert_eq!(text_of(&root, ".dns-outcome .rcode"), "NXDOMAIN");
    assert!(text_of(&root, ".dns-result pre").starts_with("search default.svc.cluster.local "));

    set_value(&root, "#dns-name", "web", "input");
    click(&root, ".dns-tool button[type=submit]");
    settle().await;
    assert_eq!(text_of(&root, ".dns-outcome .rcode"), "NOERROR");
    let answered_by = text_of(&root, ".dns-queries tbody tr td:nth-child(7)");
    assert!(answered_by.starts_with("kube-system/coredns-"), "{answered_by}");
    // Play hands the lookup to the player.
    click(&root, ".dns-outcome button");
    settle().await;
    let playing = untrack(|| h.player.playback());
    assert!(matches!(playing.as_ref(), Some(Playback::Lookup { lookup, .. }) if lookup.rcode == "NOERROR"));
}

#[wasm_bindgen_test]
async fn the_inspector_shows_a_pods_variables_and_a_services_endpoints_and_closes_on_escape() {
    let (root, _handle, h) = mount().await;
    assert_eq!(count(&root, ".inspector"), 0);
    let pod =
        untrack(|| h.playground.view()).nodes.iter().flat_map(|n| n.pods.clone()).find(|p| !p.system).expect("pod").key;
    h.selection.toggle(Selected::Pod(pod.clone()));
    settle().await;
    assert_eq!(text_of(&root, "#inspector-title"), format!("Pod {pod}"));
    let env = text_of(&root, ".inspector-block");
    // The Deployment's pods start after the Service exists: they have its variables.
    assert!(env.contains("WEB_SERVICE_HOST=10.") && env.lines().any(|l| l == "WEB_SERVICE_PORT_HTTP=80"), "{env}");
    assert!(env.contains("KUBERNETES_SERVICE_HOST=10.96.0.1"), "{env}");

    h.selection.toggle(Selected::Service("default/web".into()));
    settle().await;
    let lines = texts(&root, ".inspector-lines li");
    assert_eq!(lines.iter().filter(|l| l.contains(" default/web-") && l.ends_with("(ready)")).count(), 3, "{lines:?}");

    let escape = web_sys::KeyboardEventInit::new();
    escape.set_key("Escape");
    escape.set_bubbles(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &escape).expect("event");
    root.query_selector(".inspector").expect("selector").expect("panel").dispatch_event(&event).expect("dispatch");
    settle().await;
    assert_eq!(count(&root, ".inspector"), 0);
    assert_eq!(h.selection.0.get_untracked(), None);
}

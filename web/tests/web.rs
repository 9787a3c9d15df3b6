//! Browser component tests: the app mounted in headless Chromium.
#![cfg(target_arch = "wasm32")]

use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn fresh_root() -> web_sys::HtmlElement {
    let document = web_sys::window().and_then(|w| w.document()).expect("a document");
    let root: web_sys::HtmlElement = document.create_element("div").expect("div").unchecked_into();
    document.body().expect("body").append_child(&root).expect("append");
    root
}

fn count(root: &web_sys::HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).expect("valid selector").length()
}

#[wasm_bindgen_test]
async fn sandbox_shows_three_nodes_and_the_web_pods_behind_their_service() {
    let root = fresh_root();
    let _handle = leptos::mount::mount_to(root.clone(), kubeplay_web::App);
    leptos::task::tick().await;
    assert_eq!(count(&root, "g.node"), 3);
    // Three web pods, each linked from the web Service.
    assert_eq!(count(&root, "g.pod:not(.system)"), 3);
    assert_eq!(count(&root, "line.endpoint-link[data-service='default/web']"), 3);
    // CoreDNS is drawn as system pods behind kube-dns.
    assert_eq!(count(&root, "g.pod.system"), 2);
    // The lesson panel lists the embedded lessons.
    assert!(count(&root, "li.lesson[data-id='first-look']") == 1);
}

#[wasm_bindgen_test]
async fn editing_the_yaml_updates_the_cluster_view() {
    let root = fresh_root();
    let _handle = leptos::mount::mount_to(root.clone(), kubeplay_web::App);
    leptos::task::tick().await;
    let editor: web_sys::HtmlTextAreaElement =
        root.query_selector("#yaml-editor").expect("selector").expect("editor").unchecked_into();
    let text = editor.value().replace("replicas: 3", "replicas: 5");
    editor.set_value(&text);
    editor.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
    leptos::task::tick().await;
    assert_eq!(count(&root, "g.pod:not(.system)"), 5);

    // A selector typo leaves the Service with no endpoints: no links.
    editor.set_value(&text.replace("    app: web\n  ports", "    app: webb\n  ports"));
    editor.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
    leptos::task::tick().await;
    assert_eq!(count(&root, "line.endpoint-link[data-service='default/web']"), 0);
}

#[wasm_bindgen_test]
async fn a_syntax_error_keeps_the_last_cluster_and_marks_it_stale() {
    let root = fresh_root();
    let _handle = leptos::mount::mount_to(root.clone(), kubeplay_web::App);
    leptos::task::tick().await;
    let editor: web_sys::HtmlTextAreaElement =
        root.query_selector("#yaml-editor").expect("selector").expect("editor").unchecked_into();
    editor.set_value(&editor.value().replace("replicas: 3", "replicas: [3"));
    editor.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
    leptos::task::tick().await;
    assert_eq!(count(&root, ".cluster.stale"), 1);
    assert_eq!(count(&root, "g.pod:not(.system)"), 3, "the last good cluster stays on screen");
    assert!(count(&root, ".problem.error") >= 1, "the syntax error is listed");
}

//! The Console tab in headless Chromium: a command typed and entered shows kubectl's output
//! after the echoed prompt, stderr apart; ArrowUp/ArrowDown walk the history (kept in
//! sessionStorage); Tab completes a unique candidate and lists ambiguous ones; `clear` and
//! Ctrl+L empty the scrollback. What the commands print is core's, tested in core/tests.
#![cfg(target_arch = "wasm32")]

use kubeplay_web::components::console::completion::{tab, Tab};
use kubeplay_web::components::console::history::{History, HISTORY_KEY};
use kubeplay_web::course::COURSE_STORE;
use kubeplay_web::storage::{Store, STORAGE_KEY};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

fn session_storage() -> web_sys::Storage {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten()).expect("sessionStorage")
}

/// The app mounted on empty storage (kept mounted while the handle lives), and its console input.
async fn mount_app() -> (web_sys::HtmlElement, Box<dyn std::any::Any>, web_sys::HtmlInputElement) {
    Store::new(STORAGE_KEY).clear();
    COURSE_STORE.clear();
    let _ = session_storage().remove_item(HISTORY_KEY);
    let root: web_sys::HtmlElement = document().create_element("div").expect("div").unchecked_into();
    document().body().expect("body").append_child(&root).expect("append");
    let handle = leptos::mount::mount_to(root.clone(), kubeplay_web::App);
    leptos::task::tick().await;
    let input: web_sys::HtmlInputElement =
        root.query_selector("#console-input").expect("selector").expect("the console input").unchecked_into();
    (root, Box::new(handle), input)
}

fn key(input: &web_sys::HtmlInputElement, key: &str, ctrl: bool) {
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key);
    init.set_ctrl_key(ctrl);
    init.set_bubbles(true);
    init.set_cancelable(true);
    let event = web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).expect("event");
    input.dispatch_event(&event).expect("dispatch");
}

fn type_line(input: &web_sys::HtmlInputElement, text: &str) {
    input.set_value(text);
    let len = text.encode_utf16().count() as u32;
    let _ = input.set_selection_range(len, len);
    input.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
}

async fn enter(input: &web_sys::HtmlInputElement, text: &str) {
    type_line(input, text);
    key(input, "Enter", false);
    leptos::task::tick().await;
}

fn texts(root: &web_sys::HtmlElement, selector: &str) -> Vec<String> {
    let list = root.query_selector_all(selector).expect("selector");
    (0..list.length()).filter_map(|i| list.item(i)).map(|n| n.text_content().unwrap_or_default()).collect()
}

#[wasm_bindgen_test]
async fn console_is_the_first_tab_and_its_log_is_announced() {
    let (root, _handle, input) = mount_app().await;
    let first = root.query_selector(".drawer-tab").expect("selector").expect("a drawer tab");
    assert_eq!(first.text_content().unwrap_or_default(), "Console");
    assert_eq!(first.get_attribute("aria-selected").as_deref(), Some("true"));
    let log = root.query_selector(".console-log").expect("selector").expect("the log");
    assert_eq!(log.get_attribute("role").as_deref(), Some("log"));
    assert_eq!(log.get_attribute("aria-live").as_deref(), Some("polite"));
    let label = root.query_selector("label[for=console-input]").expect("selector").expect("a label");
    assert!(label.text_content().unwrap_or_default().contains("Command"));
    assert_eq!(input.id(), "console-input");
}

#[wasm_bindgen_test]
async fn a_command_and_enter_shows_its_output_after_the_echoed_prompt() {
    let (root, _handle, input) = mount_app().await;
    enter(&input, "kubectl get svc").await;
    assert_eq!(texts(&root, ".console-command"), ["$ kubectl get svc"]);
    let stdout = texts(&root, ".console-stdout").concat();
    assert!(stdout.starts_with("NAME         TYPE        CLUSTER-IP"), "{stdout}");
    assert!(stdout.contains("\nweb          ClusterIP"), "{stdout}");
    assert_eq!(input.value(), "");
    enter(&input, "kubectl get foos").await;
    let entries = root.query_selector_all(".console-entry").expect("selector");
    assert_eq!(entries.length(), 2);
    let last: web_sys::Element = entries.item(1).expect("entry").unchecked_into();
    assert_eq!(last.get_attribute("data-exit").as_deref(), Some("1"));
    let stderr = last.query_selector(".console-stderr").expect("selector").expect("stderr");
    assert_eq!(stderr.text_content().as_deref(), Some("error: the server doesn't have a resource type \"foos\"\n"));
}

#[wasm_bindgen_test]
async fn output_is_text_never_html() {
    let (root, _handle, input) = mount_app().await;
    enter(&input, "kubectl get svc '<b>x</b>'").await;
    assert!(root.query_selector(".console-log b").expect("selector").is_none());
    assert!(texts(&root, ".console-command").concat().contains("<b>x</b>"));
}

#[wasm_bindgen_test]
async fn arrow_keys_walk_the_history_which_is_kept_in_session_storage() {
    let (_root, _handle, input) = mount_app().await;
    enter(&input, "kubectl get svc").await;
    enter(&input, "kubectl get pods").await;
    type_line(&input, "draft");
    key(&input, "ArrowUp", false);
    assert_eq!(input.value(), "kubectl get pods");
    key(&input, "ArrowUp", false);
    assert_eq!(input.value(), "kubectl get svc");
    key(&input, "ArrowUp", false);
    assert_eq!(input.value(), "kubectl get svc");
    key(&input, "ArrowDown", false);
    assert_eq!(input.value(), "kubectl get pods");
    key(&input, "ArrowDown", false);
    assert_eq!(input.value(), "draft");
    let saved = session_storage().get_item(HISTORY_KEY).ok().flatten();
    assert_eq!(saved.as_deref(), Some("kubectl get svc\nkubectl get pods"));
    assert_eq!(History::load().commands(), ["kubectl get svc", "kubectl get pods"]);
}

#[wasm_bindgen_test]
async fn tab_completes_a_unique_candidate_and_lists_ambiguous_ones() {
    let (root, _handle, input) = mount_app().await;
    type_line(&input, "kubectl get sv");
    key(&input, "Tab", false);
    assert_eq!(input.value(), "kubectl get svc ");
    type_line(&input, "kubectl get svc w");
    key(&input, "Tab", false);
    assert_eq!(input.value(), "kubectl get svc web ");
    type_line(&input, "kubectl get st");
    key(&input, "Tab", false);
    leptos::task::tick().await;
    assert_eq!(input.value(), "kubectl get st");
    assert_eq!(texts(&root, ".console-stdout").concat(), "statefulset  statefulsets  sts\n");
}

#[wasm_bindgen_test]
async fn clear_and_ctrl_l_empty_the_scrollback() {
    let (root, _handle, input) = mount_app().await;
    enter(&input, "kubectl version").await;
    assert_eq!(root.query_selector_all(".console-entry").expect("selector").length(), 1);
    enter(&input, "clear").await;
    assert_eq!(root.query_selector_all(".console-entry").expect("selector").length(), 0);
    enter(&input, "kubectl version").await;
    key(&input, "l", true);
    leptos::task::tick().await;
    assert_eq!(root.query_selector_all(".console-entry").expect("selector").length(), 0);
}

#[wasm_bindgen_test]
fn tab_extends_to_the_common_prefix_before_listing() {
    let words = |w: &[&str]| w.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        tab("kubectl get net", 15, &words(&["networkpolicies", "networkpolicy"])),
        Tab::Replace { line: "kubectl get networkpolic".into(), cursor: 24 }
    );
    assert_eq!(tab("kubectl get x", 13, &[]), Tab::Nothing);
    assert_eq!(
        tab("kubectl exec c -- env", 14, &words(&["client"])),
        Tab::Replace { line: "kubectl exec client -- env".into(), cursor: 19 }
    );
}

//! Browser component tests: the app and its state in headless Chromium.
//!
//! The CodeMirror bundle is not served here (the page has no `<meta name="kubeplay-editor">`),
//! so the app falls back to its plain text box; the CodeMirror editor itself is covered by the
//! Playwright tests in e2e/. These tests cover the Rust side: the cluster view following
//! edits, the debounced apply, workspace files, storage and the crash banner.
#![cfg(target_arch = "wasm32")]

use kubeplay_web::course::{Course, COURSE_STORE};
use kubeplay_web::diff::{self, Change};
use kubeplay_web::markdown::{blocks, inlines, Block, Inline};
use kubeplay_web::progress::{self, Progress};
use kubeplay_web::state::{NoticeAction, Playground, SANDBOX_FILE, SANDBOX_TEXT};
use kubeplay_web::storage::{self, Loaded, SavedFile, SavedWorkspace, Store, STORAGE_KEY};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod support;
use support::sleep;

wasm_bindgen_test_configure!(run_in_browser);

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

fn fresh_root() -> web_sys::HtmlElement {
    let root: web_sys::HtmlElement = document().create_element("div").expect("div").unchecked_into();
    document().body().expect("body").append_child(&root).expect("append");
    root
}

fn count(root: &web_sys::HtmlElement, selector: &str) -> u32 {
    root.query_selector_all(selector).expect("valid selector").length()
}

fn local_storage() -> web_sys::Storage {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten()).expect("localStorage")
}

/// The app mounted on an empty storage (kept mounted while the handle lives), and its text box.
async fn mount_app() -> (web_sys::HtmlElement, Box<dyn std::any::Any>, web_sys::HtmlTextAreaElement) {
    Store::new(STORAGE_KEY).clear();
    COURSE_STORE.clear();
    let root = fresh_root();
    let handle = leptos::mount::mount_to(root.clone(), kubeplay_web::App);
    leptos::task::tick().await;
    let text_box: web_sys::HtmlTextAreaElement =
        root.query_selector("#yaml-fallback").expect("selector").expect("the text box").unchecked_into();
    (root, Box::new(handle), text_box)
}

fn click(root: &web_sys::HtmlElement, selector: &str) {
    let element: web_sys::HtmlElement =
        root.query_selector(selector).expect("selector").unwrap_or_else(|| panic!("no {selector}")).unchecked_into();
    element.click();
}

fn text_of(root: &web_sys::HtmlElement, selector: &str) -> String {
    root.query_selector(selector).expect("selector").and_then(|e| e.text_content()).unwrap_or_default()
}

fn type_into(text_box: &web_sys::HtmlTextAreaElement, text: &str) {
    text_box.set_value(text);
    text_box.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
}

#[wasm_bindgen_test]
async fn sandbox_shows_three_nodes_and_the_web_pods_behind_their_service() {
    let (root, _handle, _) = mount_app().await;
    assert_eq!(count(&root, "g.node"), 3);
    assert_eq!(count(&root, "g.pod:not(.system)"), 3);
    assert_eq!(count(&root, "line.endpoint-link[data-service='default/web']"), 3);
    assert_eq!(count(&root, "g.pod.system"), 2);
    assert_eq!(count(&root, "li.lesson[data-id='service-selectors']"), 1);
    // One tab, and the first apply's output in the feed.
    assert_eq!(count(&root, "[role=tab][data-file='app.yaml']"), 1);
    let feed = root.query_selector(".apply-feed").expect("selector").expect("feed").text_content().unwrap_or_default();
    assert!(feed.contains("deployment.apps/web created") && feed.contains("service/web created"), "{feed}");
    // Without the editor bundle, the text box stays and says why.
    assert_eq!(count(&root, ".editor-note"), 1);
}

#[wasm_bindgen_test]
async fn edits_apply_after_a_pause_and_update_the_cluster_view() {
    let (root, _handle, text_box) = mount_app().await;
    let text = text_box.value().replace("replicas: 3", "replicas: 5");
    type_into(&text_box, &text);
    leptos::task::tick().await;
    assert_eq!(count(&root, "g.pod:not(.system)"), 3, "not applied before the pause");
    sleep(300).await;
    assert_eq!(count(&root, "g.pod:not(.system)"), 5);
    let feed = root.query_selector(".apply-feed").expect("selector").expect("feed").text_content().unwrap_or_default();
    assert!(feed.contains("deployment.apps/web configured"), "{feed}");

    // A selector typo leaves the Service with no endpoints: no links.
    type_into(&text_box, &text.replace("    app: web\n  ports", "    app: webb\n  ports"));
    sleep(300).await;
    assert_eq!(count(&root, "line.endpoint-link[data-service='default/web']"), 0);
}

#[wasm_bindgen_test]
async fn a_syntax_error_keeps_the_last_cluster_and_marks_it_stale() {
    let (root, _handle, text_box) = mount_app().await;
    type_into(&text_box, &text_box.value().replace("replicas: 3", "replicas: [3"));
    sleep(300).await;
    assert_eq!(count(&root, ".cluster.stale"), 1);
    assert_eq!(count(&root, "g.pod:not(.system)"), 3, "the last good cluster stays on screen");
    assert!(count(&root, ".problem.error") >= 1, "the syntax error is listed");
}

#[wasm_bindgen_test]
async fn clicking_a_problem_puts_the_cursor_on_it() {
    let (root, _handle, text_box) = mount_app().await;
    let text = text_box.value().replace("      port: 80", "      port: 0");
    type_into(&text_box, &text);
    sleep(300).await;
    let problem: web_sys::HtmlElement =
        root.query_selector(".problem.error .problem-jump").expect("selector").expect("a problem").unchecked_into();
    let line: u32 = problem.get_attribute("data-line").and_then(|l| l.parse().ok()).expect("data-line");
    let column: u32 = problem.get_attribute("data-column").and_then(|c| c.parse().ok()).expect("data-column");
    assert_eq!(text.lines().nth(line as usize - 1), Some("      port: 0"));
    problem.click();
    leptos::task::tick().await;
    let expected = kubeplay_web::components::editor::utf16_offset(&text, line, column);
    assert_eq!(text_box.selection_start().ok().flatten(), Some(expected));
    assert_eq!(document().active_element().map(|e| e.id()), Some("yaml-fallback".to_string()));
}

#[wasm_bindgen_test]
fn utf16_offsets_count_what_the_dom_counts() {
    use kubeplay_web::components::editor::utf16_offset;
    assert_eq!(utf16_offset("ab\ncd", 2, 2), 4);
    // "é" is one UTF-16 unit, "☕" one, "𝄞" two.
    assert_eq!(utf16_offset("é☕𝄞x\ny", 1, 4), 4);
    assert_eq!(utf16_offset("é☕𝄞x\ny", 2, 1), 6);
    assert_eq!(utf16_offset("short", 9, 1), 5);
}

#[wasm_bindgen_test]
fn the_storage_format_round_trips_and_refuses_what_it_does_not_know() {
    let workspace = SavedWorkspace {
        files: vec![
            SavedFile { name: "a.yaml".into(), text: "kind: Service\n# \"quotes\" and ☕\n".into() },
            SavedFile { name: "b.yaml".into(), text: String::new() },
        ],
        active: 1,
    };
    let raw = storage::encode(&workspace);
    assert!(raw.contains("\"version\":1"), "{raw}");
    assert_eq!(storage::decode(&raw), Ok(workspace));

    for (raw, reason) in [
        ("not json at all", "not in kubeplay's workspace format"),
        ("{\"files\":[]}", "not in kubeplay's workspace format"),
        ("{\"format\":\"kubeplay-workspace\",\"version\":7,\"active\":\"a\",\"files\":[]}", "format version 7"),
        ("{\"format\":\"kubeplay-workspace\",\"version\":1,\"active\":\"a\",\"files\":[]}", "no files"),
        ("{\"format\":\"kubeplay-workspace\",\"version\":1,\"active\":\"a\",\"files\":[{\"name\":1}]}", "damaged"),
        ("{\"format\":\"kubeplay-workspace\",\"version\":1,\"active\":\"a\",\"files\":{}}", "damaged"),
        ("[1, 2]", "not in kubeplay's workspace format"),
        (
            "{\"format\":\"kubeplay-workspace\",\"version\":1,\"active\":\"a\",\"files\":[{\"name\":\"a\",\"text\":\"\"},{\"name\":\"a\",\"text\":\"\"}]}",
            "names are damaged",
        ),
    ] {
        let error = storage::decode(raw).expect_err(raw);
        assert!(error.0.contains(reason), "{raw}: {}", error.0);
    }
}

const TEST_KEY: &str = "kubeplay.test.workspace";

#[wasm_bindgen_test]
fn every_change_is_saved_at_once_and_restored() {
    let store = Store::new(TEST_KEY);
    store.clear();
    let owner = Owner::new();
    owner.with(|| {
        let playground = Playground::restore(store);
        assert_eq!(
            store.load(),
            Loaded::Found(SavedWorkspace {
                files: vec![SavedFile { name: SANDBOX_FILE.into(), text: SANDBOX_TEXT.into() }],
                active: 0,
            })
        );
        let id = playground.active_untracked();
        playground.edit(id, "# my work\n".into());
        // Saved before the debounced apply has run.
        assert!(store.raw().unwrap_or_default().contains("# my work"));
        let added = playground.add_file();
        playground.rename(added, "svc.yaml").expect("a fresh name");
        playground.edit(
            added,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  ports:\n  - port: 5432\n".into(),
        );

        let again = Playground::restore(store);
        let names: Vec<String> = again.names().into_iter().map(|(_, n)| n).collect();
        assert_eq!(names, ["app.yaml", "svc.yaml"]);
        assert_eq!(again.file_untracked(again.active_untracked()).map(|f| f.name), Some("svc.yaml".into()));
        assert_eq!(again.file_untracked(0).map(|f| f.text), Some("# my work\n".into()));
        // Every file is applied.
        assert!(again.feed().iter().any(|l| l.text == "service/db created"), "{:?}", again.feed());
    });
    store.clear();
}

#[wasm_bindgen_test]
fn corrupted_or_unknown_storage_starts_clean_and_keeps_the_old_data() {
    let store = Store::new(TEST_KEY);
    store.clear();
    let storage = local_storage();
    for garbage in ["{\"format\":\"kubeplay-workspace\",\"version\":0,\"files\":\"old\"}", "\u{0}<b>not json</b>"] {
        storage.set_item(TEST_KEY, garbage).expect("set");
        let owner = Owner::new();
        owner.with(|| {
            let playground = Playground::restore(store);
            // The sandbox, applied, and saved over the unreadable data.
            assert_eq!(playground.names().into_iter().map(|(_, n)| n).collect::<Vec<_>>(), [SANDBOX_FILE]);
            assert!(!playground.feed().is_empty());
            assert!(matches!(store.load(), Loaded::Found(_)));
            let notice = playground.notice().expect("a notice");
            assert!(notice.text.contains("could not be read"), "{}", notice.text);
            let key = format!("{TEST_KEY}.unreadable-1");
            assert!(notice.text.contains(&key), "{}", notice.text);
            assert_eq!(storage.get_item(&key).ok().flatten().as_deref(), Some(garbage), "kept byte for byte");
        });
        store.clear();
    }
}

#[wasm_bindgen_test]
fn files_can_be_added_renamed_deleted_and_brought_back() {
    let store = Store::new(TEST_KEY);
    store.clear();
    let owner = Owner::new();
    owner.with(|| {
        let playground = Playground::restore(store);
        let first = playground.active_untracked();
        let added = playground.add_file();
        assert_eq!(playground.active_untracked(), added);
        assert_eq!(playground.file_untracked(added).map(|f| f.name), Some("untitled-1.yaml".into()));
        assert!(playground.rename(added, "app.yaml").is_err(), "names are unique");
        assert!(playground.rename(added, "  ").is_err(), "names are not empty");
        assert!(playground.rename(added, "a/b.yaml").is_err(), "names have no slashes");
        playground.rename(added, "db.yaml").expect("renamed");

        // The Service moves to the new file: the workspace, not one file, is applied.
        let service = SANDBOX_TEXT.split("---\n").nth(1).expect("the Service").to_string();
        playground.replace_text(first, SANDBOX_TEXT.split("---\n").next().unwrap_or_default().to_string());
        playground.replace_text(added, service);
        assert_eq!(playground.view().services.iter().filter(|s| s.name == "web").count(), 1);

        playground.delete(added);
        assert_eq!(playground.names().len(), 1);
        assert_eq!(playground.active_untracked(), first);
        assert!(playground.view().services.iter().all(|s| s.name != "web"), "the Service went with its file");
        assert!(playground.feed().iter().any(|l| l.text == "service/web deleted"), "{:?}", playground.feed());
        let notice = playground.notice().expect("a notice");
        assert_eq!(notice.action, Some(NoticeAction::UndoDelete));
        playground.delete(first);
        assert_eq!(playground.names().len(), 1, "the last file stays");

        playground.act(NoticeAction::UndoDelete);
        assert_eq!(playground.names().into_iter().map(|(_, n)| n).collect::<Vec<_>>(), ["app.yaml", "db.yaml"]);
        assert_eq!(playground.view().services.iter().filter(|s| s.name == "web").count(), 1);
        assert!(store.raw().unwrap_or_default().contains("db.yaml"), "saved");
    });
    store.clear();
}

#[wasm_bindgen_test]
fn diagnostics_name_their_file() {
    let store = Store::new(TEST_KEY);
    store.clear();
    let owner = Owner::new();
    owner.with(|| {
        let playground = Playground::restore(store);
        let added = playground.add_file();
        playground.rename(added, "broken.yaml").expect("renamed");
        playground.replace_text(added, "kind: [".into());
        let files: Vec<String> = playground.diagnostics.get_untracked().into_iter().map(|d| d.file).collect();
        assert!(!files.is_empty() && files.iter().all(|f| f == "broken.yaml"), "{files:?}");
        assert!(playground.stale.get_untracked());
    });
    store.clear();
}

#[wasm_bindgen_test]
fn the_crash_banner_says_the_work_is_saved_and_shows_details_as_text() {
    kubeplay_web::crash::show("panicked at <b>core</b>: boom");
    let banner = document().query_selector(".crash-banner").expect("selector").expect("a banner");
    assert_eq!(banner.get_attribute("role").as_deref(), Some("alert"));
    let text = banner.text_content().unwrap_or_default();
    assert!(text.contains("Your work is saved"), "{text}");
    assert!(text.contains("panicked at <b>core</b>: boom"), "{text}");
    assert!(banner.query_selector("b").expect("selector").is_none(), "details are text, not HTML");
    assert!(banner.query_selector("button.crash-reload").expect("selector").is_some());
    // Shown once.
    kubeplay_web::crash::show("again");
    assert_eq!(document().query_selector_all(".crash-banner").expect("selector").length(), 1);
}

#[wasm_bindgen_test]
async fn opening_a_lesson_loads_its_files_grades_its_goals_and_keeps_the_sandbox() {
    let (root, _handle, text_box) = mount_app().await;
    type_into(&text_box, "# my sandbox\n");
    click(&root, "li.lesson[data-id='service-selectors'] button");
    leptos::task::tick().await;
    sleep(50).await;
    // The lesson's start files replace the sandbox's; the editable one is open.
    assert_eq!(count(&root, "[role=tab][data-file='deployment.yaml']"), 1);
    assert_eq!(count(&root, "[role=tab][data-file='app.yaml']"), 0);
    let text_box: web_sys::HtmlTextAreaElement =
        root.query_selector("#yaml-fallback").expect("selector").expect("the text box").unchecked_into();
    assert!(text_box.value().contains("tier: fronted"), "{}", text_box.value());
    assert!(text_of(&root, ".lesson-intro").contains("gives a set of them one stable virtual"));
    // Both goals fail, each saying what the model does instead.
    assert_eq!(count(&root, "li.goal.failed"), 2);
    assert_eq!(count(&root, "li.goal.failed .goal-actual"), 2);
    assert_eq!(count(&root, ".lesson-complete"), 0);
    // Hints one at a time.
    assert_eq!(count(&root, "li.hint"), 0);
    click(&root, ".show-hint");
    leptos::task::tick().await;
    assert_eq!(count(&root, "li.hint"), 1);
    // The solution as a diff against the learner's file: the typo out, the fix in.
    click(&root, ".show-solution");
    leptos::task::tick().await;
    assert_eq!(text_of(&root, ".diff-line.removed"), "-     tier: fronted");
    assert_eq!(text_of(&root, ".diff-line.added"), "+     tier: frontend");

    type_into(&text_box, &text_box.value().replace("tier: fronted", "tier: frontend"));
    sleep(300).await;
    assert_eq!(count(&root, "li.goal.passed"), 2);
    assert_eq!(count(&root, "li.goal.failed"), 0);
    assert_eq!(count(&root, ".lesson-complete .next-lesson"), 1);
    let saved = progress::decode(&COURSE_STORE.raw().unwrap_or_default()).expect("saved progress");
    assert!(saved.completed.contains("service-selectors"), "{saved:?}");
    assert_eq!(saved.open.as_deref(), Some("service-selectors"));

    // Back to the sandbox: the learner's own text is there, and the lesson is marked done.
    click(&root, ".lessons-browse");
    leptos::task::tick().await;
    assert!(text_of(&root, "li.lesson[data-id='service-selectors'] .mark").contains("done"));
    click(&root, "li.lesson[data-id='sandbox'] button");
    leptos::task::tick().await;
    sleep(50).await;
    assert_eq!(count(&root, "[role=tab][data-file='app.yaml']"), 1);
    let text_box: web_sys::HtmlTextAreaElement =
        root.query_selector("#yaml-fallback").expect("selector").expect("the text box").unchecked_into();
    assert_eq!(text_box.value(), "# my sandbox\n");
    // The lesson's edited files are kept for the next visit.
    let saved = progress::decode(&COURSE_STORE.raw().unwrap_or_default()).expect("saved progress");
    let kept = &saved.lessons["service-selectors"];
    assert!(kept.files.iter().any(|f| f.text.contains("tier: frontend")), "{kept:?}");
    Store::new(STORAGE_KEY).clear();
    COURSE_STORE.clear();
}

#[wasm_bindgen_test]
fn the_progress_format_round_trips_and_refuses_what_it_does_not_know() {
    let workspace = SavedWorkspace {
        files: vec![SavedFile { name: "service.yaml".into(), text: "kind: Service\n".into() }],
        active: 0,
    };
    let saved = Progress {
        open: Some("service-selectors".into()),
        completed: ["pods-flat-network".to_string()].into(),
        sandbox: Some(workspace.clone()),
        lessons: [("service-selectors".to_string(), workspace)].into(),
    };
    assert_eq!(progress::decode(&progress::encode(&saved)), Ok(saved));
    assert_eq!(progress::decode(&progress::encode(&Progress::default())), Ok(Progress::default()));
    let newer = r#"{"format":"kubeplay-progress","version":2,"open":null,"completed":[],"lessons":{}}"#;
    assert!(progress::decode(newer).expect_err("newer").0.contains("format version 2"));
    let workspace_text = storage::encode(&SavedWorkspace { files: vec![], active: 0 });
    assert!(progress::decode(&workspace_text).expect_err("a workspace").0.contains("progress format"));
}

#[wasm_bindgen_test]
fn lesson_markdown_and_the_solution_diff() {
    assert_eq!(
        blocks("A **Service**\ngives `one` address.\n\n- first\n  continued\n- second\n"),
        [
            Block::Paragraph("A **Service** gives `one` address.".into()),
            Block::List(vec!["first continued".into(), "second".into()]),
        ]
    );
    assert_eq!(
        inlines("a **b** `c*d` *e* 2 * 3"),
        [
            Inline::Text("a ".into()),
            Inline::Strong("b".into()),
            Inline::Text(" ".into()),
            Inline::Code("c*d".into()),
            Inline::Text(" ".into()),
            Inline::Emphasis("e".into()),
            Inline::Text(" 2 * 3".into()),
        ]
    );
    assert_eq!(
        diff::lines("a\nb\nc\n", "a\nx\nc\nd\n"),
        [(Change::Same, "a"), (Change::Removed, "b"), (Change::Added, "x"), (Change::Same, "c"), (Change::Added, "d")]
    );
    assert_eq!(diff::lines("", "a"), [(Change::Added, "a")]);
}

const TEST_PROGRESS_KEY: &str = "kubeplay.test.progress";

/// The executor effects run on (a mounted app sets it up; these tests mount none).
fn with_executor() {
    let _ = any_spawner::Executor::init_wasm_bindgen(); // Already set up by an earlier test: fine.
}

#[wasm_bindgen_test]
fn apply_solution_and_reset_replace_only_the_lesson_files_and_switching_keeps_each_workspace() {
    let (store, progress_store) = (Store::new(TEST_KEY), Store::new(TEST_PROGRESS_KEY));
    store.clear();
    progress_store.clear();
    with_executor();
    let owner = Owner::new();
    owner.with(|| {
        let playground = Playground::restore(store);
        let course = Course::new(playground, progress_store);
        let index = course.all().iter().position(|l| l.file.id == "service-selectors").expect("lesson 02");
        let text = |name: &str| playground.id_of(name).and_then(|id| playground.file_untracked(id)).map(|f| f.text);
        course.open_lesson(index);
        assert!(text("service.yaml").unwrap_or_default().contains("tier: fronted"));
        let deployment = text("deployment.yaml");

        course.apply_solution();
        assert!(text("service.yaml").unwrap_or_default().contains("tier: frontend"));
        assert_eq!(text("deployment.yaml"), deployment, "a file the solution does not have is left alone");

        course.reset_lesson();
        assert!(text("service.yaml").unwrap_or_default().contains("tier: fronted"));

        // Edits survive a trip to the sandbox and back; the sandbox's own text too.
        let id = playground.id_of("service.yaml").expect("service.yaml");
        playground.edit(id, "# half done\n".into());
        course.open_sandbox();
        assert_eq!(text("app.yaml").as_deref(), Some(SANDBOX_TEXT));
        course.open_lesson(index);
        assert_eq!(text("service.yaml").as_deref(), Some("# half done\n"));
    });
    store.clear();
    progress_store.clear();
}

#[wasm_bindgen_test]
fn unreadable_progress_starts_lessons_afresh_keeps_the_old_data_and_says_so() {
    let (store, progress_store) = (Store::new(TEST_KEY), Store::new(TEST_PROGRESS_KEY));
    store.clear();
    progress_store.clear();
    local_storage().set_item(TEST_PROGRESS_KEY, "{not json").expect("set");
    with_executor();
    let owner = Owner::new();
    owner.with(|| {
        let playground = Playground::restore(store);
        let course = Course::new(playground, progress_store);
        assert_eq!(course.open_index(), None);
        let notice = playground.notice().map(|n| n.text).unwrap_or_default();
        assert!(notice.contains("Your lesson progress could not be read"), "{notice}");
        assert!(notice.contains("kubeplay.test.progress.unreadable-1"), "{notice}");
    });
    assert_eq!(
        local_storage().get_item("kubeplay.test.progress.unreadable-1").ok().flatten().as_deref(),
        Some("{not json")
    );
    store.clear();
    progress_store.clear();
}

/// A teacher's lesson folder as the folder picker gives it: paths under the picked folder.
fn folder(name: &str, lesson_yaml: &str) -> Vec<(String, String)> {
    let pod = "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\n  labels: {app: web}\nspec:\n  containers:\n  - name: web\n    image: nginx\n";
    [
        ("lesson.yaml", lesson_yaml),
        ("start/app.yaml", "# write the pod here\n"),
        ("solution/app.yaml", pod),
        // Not read, like the CLI's folder reader: a README, a deeper folder.
        ("README.md", "notes"),
        ("start/old/app.yaml", "not: [valid"),
    ]
    .into_iter()
    .map(|(path, text)| (format!("{name}/{path}"), text.to_string()))
    .collect()
}

const OWN_LESSON: &str = "id: my-own\ntitle: My own lesson\nlevel: beginner\ntask: Run a pod with app=web.\n\
editable: [app.yaml]\ngoals:\n  - id: web-runs\n    description: A pod with app=web exists\n    pods:\n      \
labels: {app: web}\n      count: 1\n";

#[wasm_bindgen_test]
async fn a_lesson_folder_opened_at_run_time_joins_the_list_and_opens_and_a_broken_one_changes_nothing() {
    use kubeplay_web::components::lessons::LessonPanel;
    use kubeplay_web::lesson_folder::parse_folder;
    let (store, progress_store) = (Store::new(TEST_KEY), Store::new(TEST_PROGRESS_KEY));
    store.clear();
    progress_store.clear();
    let root = fresh_root();
    let shared = std::rc::Rc::new(std::cell::Cell::new(None));
    let slot = shared.clone();
    let handle = leptos::mount::mount_to(root.clone(), move || {
        let playground = Playground::restore(store);
        provide_context(playground);
        let course = Course::new(playground, progress_store);
        provide_context(course);
        slot.set(Some((playground, course)));
        view! { <LessonPanel /> }
    });
    let (playground, course) = shared.get().expect("mounted");
    leptos::task::tick().await;
    let before = course.count();
    let text = |name: &str| playground.id_of(name).and_then(|id| playground.file_untracked(id)).map(|f| f.text);
    let picker: web_sys::HtmlInputElement =
        root.query_selector("input.open-folder-input").expect("selector").expect("the picker").unchecked_into();
    assert!(picker.webkitdirectory() && picker.multiple(), "it picks a folder");

    // A valid folder: added after the embedded lessons, marked, and opened on its start files.
    assert!(course.add_from_folder(parse_folder(&folder("my-lesson", OWN_LESSON))));
    leptos::task::tick().await;
    assert_eq!(course.count(), before + 1);
    assert_eq!(course.open().map(|l| l.file.id).as_deref(), Some("my-own"));
    assert_eq!(course.open().map(|l| l.start.len()), Some(1), "start/old/app.yaml is not read");
    assert_eq!(text("app.yaml").as_deref(), Some("# write the pod here\n"));
    assert_eq!(count(&root, ".lesson-view"), 1, "the panel shows the lesson opened");
    click(&root, ".lessons-browse");
    leptos::task::tick().await;
    assert_eq!(count(&root, "li.lesson.current[data-id='my-own'] .lesson-source"), 1);
    assert_eq!(count(&root, "li.lesson .lesson-source"), 1, "only the loaded lesson says so");
    assert_eq!(count(&root, ".folder-problems"), 0);

    // A misspelt field: its file:line:col message is shown, and nothing else changes.
    let broken = OWN_LESSON.replace("title:", "titel:");
    assert!(!course.add_from_folder(parse_folder(&folder("my-broken", &broken))));
    leptos::task::tick().await;
    let shown = text_of(&root, ".folder-problems");
    assert!(shown.contains("nothing was loaded"), "{shown}");
    assert!(shown.contains("my-broken/lesson.yaml:2:1"), "{shown}");
    assert_eq!(course.count(), before + 1);
    assert_eq!(course.open().map(|l| l.file.id).as_deref(), Some("my-own"));
    assert_eq!(text("app.yaml").as_deref(), Some("# write the pod here\n"));

    // A built-in lesson's id is refused; the picked parent folder is not a lesson either.
    let taken = OWN_LESSON.replace("id: my-own", "id: service-selectors");
    assert!(!course.add_from_folder(parse_folder(&folder("copy", &taken))));
    assert!(course.folder_problems()[0].contains("built-in lesson's id"), "{:?}", course.folder_problems());
    let parent: Vec<(String, String)> =
        folder("my-lesson", OWN_LESSON).into_iter().map(|(path, text)| (format!("lessons/{path}"), text)).collect();
    assert!(!course.add_from_folder(parse_folder(&parent)));
    assert!(course.folder_problems()[0].contains("pick the folder that holds lesson.yaml"));
    assert_eq!(course.count(), before + 1);

    // After a reload the folder's lesson is gone: its files are kept under its id, the sandbox opens.
    let id = playground.id_of("app.yaml").expect("app.yaml");
    playground.edit(id, "# half done\n".into());
    drop(handle);
    with_executor();
    Owner::new().with(|| {
        let playground = Playground::restore(store);
        let course = Course::new(playground, progress_store);
        assert_eq!(course.open_index(), None);
        let text = |name: &str| playground.id_of(name).and_then(|id| playground.file_untracked(id)).map(|f| f.text);
        assert_eq!(text(SANDBOX_FILE).as_deref(), Some(SANDBOX_TEXT));
        let notice = playground.notice().map(|n| n.text).unwrap_or_default();
        assert!(notice.contains("\"my-own\" is not in this app"), "{notice}");
        let saved = progress_store.load_with(progress::decode);
        let Loaded::Found(saved) = saved else { panic!("progress saved") };
        assert_eq!(saved.lessons["my-own"].files[0].text, "# half done\n");
        // Opening the folder again brings the learner's files back.
        assert!(course.add_from_folder(parse_folder(&folder("my-lesson", OWN_LESSON))));
        assert_eq!(text("app.yaml").as_deref(), Some("# half done\n"));
    });
    store.clear();
    progress_store.clear();
}

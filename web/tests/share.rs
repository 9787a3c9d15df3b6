//! Browser tests of bringing work in and out: Export/Import's file format, share links (the
//! browser's own deflate-raw streams), what happens to the learner's files when work arrives,
//! and lessons from a web address.
#![cfg(target_arch = "wasm32")]

use kubeplay_web::course::Course;
use kubeplay_web::export::{added, arrival, export, files_in, free_name, split, Arrival, NO_FINAL_NEWLINE};
use kubeplay_web::incoming::{arrival_of, bring_in, Choice, Outcome};
use kubeplay_web::lesson_url::{fetch_lesson, folder_of, manifest_paths};
use kubeplay_web::share::{self, base64url_decode, base64url_encode, Damaged, Fragment};
use kubeplay_web::state::{Playground, SANDBOX_FILE, SANDBOX_TEXT};
use kubeplay_web::storage::{self, SavedFile, SavedWorkspace, Store, STORAGE_KEY};
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod support;
use support::sleep;

wasm_bindgen_test_configure!(run_in_browser);

const TEST_KEY: &str = "kubeplay.test.share.workspace";
const TEST_PROGRESS_KEY: &str = "kubeplay.test.share.progress";

fn file(name: &str, text: &str) -> SavedFile {
    SavedFile { name: name.into(), text: text.into() }
}

/// Texts an export must carry byte for byte: CRLF line endings, no final line break, nothing
/// at all, non-ASCII, a leading `---`, a trailing `---`, a `---` and `# file:` pair inside a
/// file, the no-final-newline marker written by the learner, and those behind more `#`s.
fn awkward_workspace() -> SavedWorkspace {
    SavedWorkspace {
        files: vec![
            file("app.yaml", SANDBOX_TEXT),
            file("crlf.yaml", "apiVersion: v1\r\nkind: Service\r\nmetadata:\r\n  name: web\r\n"),
            file("no-newline.yaml", "kind: Pod\nmetadata:\n  name: p"),
            file("empty.yaml", ""),
            file("unicode – ü.yaml", "# Grüße, 日本語, emoji 🚀\nmetadata:\n  annotations: {note: \"naïve café\"}\n"),
            file("docs.yaml", "---\nkind: A\n---\n# file: not-a-file.yaml is just a comment here\nkind: B\n---\n"),
            file("cr-only.yaml", "kind: C\r"),
            file("marker.yaml", &format!("kind: D\n{NO_FINAL_NEWLINE}")),
            file("marker-newline.yaml", &format!("kind: E\n{NO_FINAL_NEWLINE}\n")),
            file("hashes.yaml", "## file: x.yaml\n---\n### file: y.yaml\n#file: z\n"),
        ],
        active: 0,
    }
}

#[wasm_bindgen_test]
fn export_then_import_gives_back_every_name_and_text_byte_for_byte() {
    let workspace = awkward_workspace();
    let text = export(&workspace);
    assert!(text.starts_with("# file: app.yaml\n"), "{text}");
    assert!(text.contains("\n---\n# file: crlf.yaml\napiVersion: v1\r\n"), "{text}");
    assert!(text.contains(&format!("  name: p\n{NO_FINAL_NEWLINE}\n---\n")), "{text}");
    assert!(text.contains("---\n## file: not-a-file.yaml"), "a learner's line like ours is escaped: {text}");
    assert_eq!(split(&text), Some(workspace.files.clone()));
    // Import reads an export as its files, and anything else as one file with the given name.
    assert_eq!(files_in(&text, "ignored.yaml"), workspace.files);
    assert_eq!(files_in("kind: Pod\n", "pod.yaml"), [file("pod.yaml", "kind: Pod\n")]);
    assert_eq!(split("kind: Pod\n# file: x.yaml\n"), None, "an export starts with its first file's line");
}

#[wasm_bindgen_test]
fn the_export_is_yaml_kubeplay_applies_like_the_workspace_itself() {
    use kubeplay_core::simulation::{Simulation, SourceFile};
    let workspace = SavedWorkspace {
        files: vec![
            file("deploy.yaml", SANDBOX_TEXT.split("---\n").next().unwrap_or_default()),
            file("svc.yaml", SANDBOX_TEXT.split("---\n").nth(1).unwrap_or_default()),
        ],
        active: 0,
    };
    let mut one = Simulation::new();
    let outcome = one.apply(&[SourceFile::new("export.yaml", export(&workspace))]);
    assert!(outcome.diagnostics.is_empty(), "{:?}", outcome.diagnostics);
    let mut two = Simulation::new();
    two.apply(&workspace.files.iter().map(|f| SourceFile::new(f.name.clone(), f.text.clone())).collect::<Vec<_>>());
    assert_eq!(one.view().services.len(), two.view().services.len());
    let pods = |sim: &Simulation| sim.view().nodes.iter().map(|n| n.pods.len()).sum::<usize>();
    assert_eq!(pods(&one), pods(&two));
    assert!(pods(&one) >= 3, "the Deployment's pods run");
}

#[wasm_bindgen_test]
fn added_files_keep_their_names_unless_taken_and_names_are_made_valid() {
    assert_eq!(free_name("app.yaml", &["app.yaml"]), "app-2.yaml");
    assert_eq!(free_name("app.yaml", &["app.yaml", "app-2.yaml"]), "app-3.yaml");
    assert_eq!(free_name("Makefile", &["Makefile"]), "Makefile-2");
    assert_eq!(free_name(".env", &[".env"]), ".env-2");
    let current = SavedWorkspace { files: vec![file("app.yaml", "mine\n")], active: 0 };
    let incoming =
        [file("app.yaml", "theirs\n"), file("app.yaml", "theirs too\n"), file("a/b.yaml", "x"), file("  ", "y")];
    let result = added(&current, &incoming);
    let names: Vec<&str> = result.files.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["app.yaml", "app-2.yaml", "app-3.yaml", "a-b.yaml", "imported.yaml"]);
    assert_eq!(result.files[0].text, "mine\n", "the learner's file is untouched");
    assert_eq!(result.files[1].text, "theirs\n");
    assert_eq!(result.active, 1, "the first added file opens");
}

#[wasm_bindgen_test]
fn base64url_round_trips_every_length_and_refuses_other_text() {
    let bytes: Vec<u8> = (0..=255).collect();
    for len in 0..40 {
        let encoded = base64url_encode(&bytes[..len]);
        assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'), "{encoded}");
        assert_eq!(base64url_decode(&encoded).as_deref(), Some(&bytes[..len]));
    }
    // RFC 4648's test vectors, in the URL alphabet.
    assert_eq!(base64url_encode(b"foobar"), "Zm9vYmFy");
    assert_eq!(base64url_encode(b"fo"), "Zm8");
    assert_eq!(base64url_encode(&[0xfb, 0xff]), "-_8");
    assert_eq!(base64url_decode("Zm8="), Some(b"fo".to_vec()));
    assert_eq!(base64url_decode("Zm9v+mFy"), None, "+ is standard base64, not base64url");
    assert_eq!(base64url_decode("Z"), None, "one character is never a whole byte");
}

#[wasm_bindgen_test]
async fn a_share_link_gives_back_the_workspace_byte_for_byte() {
    let workspace = awkward_workspace();
    let payload = share::encode(&workspace).await.expect("compressed");
    assert!(payload.len() < export(&workspace).len(), "it is compressed: {} bytes", payload.len());
    assert_eq!(share::decode(&payload).await, Ok(workspace.files.clone()));
    let link = share::link(&payload);
    assert!(link.ends_with(&format!("#w={payload}")), "{link}");
    assert_eq!(share::fragment(&link[link.find('#').unwrap_or(0)..]), Fragment::Workspace(payload));
    assert_eq!(share::fragment("#lesson=https://example.org/l/"), Fragment::Lesson("https://example.org/l/".into()));
    assert_eq!(share::fragment("#lesson="), Fragment::None);
    assert_eq!(share::fragment(""), Fragment::None);
}

#[wasm_bindgen_test]
async fn a_damaged_or_cut_link_is_refused_with_its_reason() {
    let payload = share::encode(&awkward_workspace()).await.expect("compressed");
    assert_eq!(share::decode("not base64!").await, Err(Damaged::NotBase64));
    assert_eq!(share::decode(&payload[..payload.len() / 8 * 4]).await, Err(Damaged::Truncated));
    assert_eq!(share::decode("").await, Err(Damaged::Truncated));
    // Valid deflate-raw of text that is not an export.
    let other = share::encode(&SavedWorkspace { files: vec![], active: 0 }).await.expect("compressed");
    assert_eq!(share::decode(&other).await, Err(Damaged::NotWorkspace));
}

#[wasm_bindgen_test]
fn work_arriving_asks_first_unless_there_is_nothing_to_lose() {
    let pristine = [file(SANDBOX_FILE, SANDBOX_TEXT)];
    let shared = [file("shared.yaml", "kind: Pod\n")];
    let mine = [file(SANDBOX_FILE, "# my own work\n")];
    assert_eq!(arrival(&pristine, &shared, &pristine, true), Arrival::Open, "the untouched sandbox");
    assert_eq!(arrival(&mine, &shared, &pristine, true), Arrival::Ask, "the learner's own work");
    assert_eq!(arrival(&pristine, &shared, &pristine, false), Arrival::Ask, "a lesson is open");
    assert_eq!(arrival(&shared, &shared, &pristine, true), Arrival::Same);
}

/// The executor effects run on (these tests mount no app).
fn with_executor() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
}

#[wasm_bindgen_test]
fn adding_or_replacing_never_loses_the_learners_files() {
    let (store, progress_store) = (Store::new(TEST_KEY), Store::new(TEST_PROGRESS_KEY));
    store.clear();
    progress_store.clear();
    with_executor();
    Owner::new().with(|| {
        let playground = Playground::restore(store);
        let course = Course::new(playground, progress_store);
        let names = || playground.names().into_iter().map(|(_, n)| n).collect::<Vec<_>>();
        let id = playground.id_of(SANDBOX_FILE).expect("app.yaml");
        playground.edit(id, "# my own work\n".into());
        let shared = [file("app.yaml", "apiVersion: v1\nkind: Pod\nmetadata:\n  name: shared\nspec:\n  containers:\n  - name: c\n    image: nginx\n")];
        assert_eq!(arrival_of(&playground, &course, &shared), Arrival::Ask);

        // Add: both files, the clash renamed, applied like any edit.
        let outcome = bring_in(&playground, &course, &shared, Choice::Add);
        assert_eq!(outcome, Outcome::Added(vec!["app-2.yaml".into()]));
        assert_eq!(names(), ["app.yaml", "app-2.yaml"]);
        assert!(playground.view().nodes.iter().flat_map(|n| &n.pods).any(|p| p.name == "shared"), "applied");
        assert!(store.raw().unwrap_or_default().contains("app-2.yaml"), "saved");

        // Replace: the workspace before it is kept in storage, whole.
        let before = playground.snapshot();
        let Outcome::Replaced(key) = bring_in(&playground, &course, &shared, Choice::Replace) else {
            panic!("replaced")
        };
        assert_eq!(key, format!("{TEST_KEY}.replaced-1"));
        assert_eq!(names(), ["app.yaml"]);
        let kept = web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item(&key).ok().flatten())
            .expect("kept");
        assert_eq!(storage::decode(&kept), Ok(before));

        // From a lesson, files arrive in the sandbox; the lesson's own files are kept.
        let lesson = course.all().iter().position(|l| l.file.id == "service-selectors").expect("a lesson");
        course.open_lesson(lesson);
        let service = playground.id_of("service.yaml").expect("service.yaml");
        playground.edit(service, "# half done\n".into());
        assert_eq!(arrival_of(&playground, &course, &shared), Arrival::Ask);
        bring_in(&playground, &course, &shared, Choice::Add);
        assert_eq!(course.open_index(), None);
        course.open_lesson(lesson);
        let text = playground.id_of("service.yaml").and_then(|id| playground.file_untracked(id)).map(|f| f.text);
        assert_eq!(text.as_deref(), Some("# half done\n"));
    });
    store.clear();
    progress_store.clear();
}

#[wasm_bindgen_test]
fn a_lesson_address_names_its_folder_and_its_manifest_lists_lesson_files() {
    let base = "https://teach.example/course/index.html";
    for given in [
        "https://host.example/lessons/my-lesson/",
        "https://host.example/lessons/my-lesson",
        "https://host.example/lessons/my-lesson/lesson.yaml",
        "https://host.example/lessons/my-lesson/files.txt#x",
        "https://host.example/lessons/my-lesson/lesson.yaml?v=2",
    ] {
        let found = folder_of(given, base);
        assert_eq!(found, Ok(("https://host.example/lessons/my-lesson/".into(), "my-lesson".into())), "{given}");
    }
    assert_eq!(folder_of("l/dns/", base), Ok(("https://teach.example/course/l/dns/".into(), "dns".into())));
    assert!(folder_of("javascript:alert(1)", base).is_err());
    assert!(folder_of("file:///etc/", base).is_err());

    let manifest = "# my lesson\nstart/app.yaml\n\nsolution/app.yaml\nlesson.yaml\n";
    assert_eq!(
        manifest_paths(manifest),
        Ok(vec!["lesson.yaml".into(), "start/app.yaml".into(), "solution/app.yaml".into()])
    );
    let problems = manifest_paths("start/app.yaml\nREADME.md\nstart/deep/x.yaml\n").expect_err("not lesson files");
    assert_eq!(problems.len(), 2, "{problems:?}");
    assert!(problems[0].starts_with("files.txt:2: \"README.md\""), "{problems:?}");
    assert!(problems[1].starts_with("files.txt:3: \"start/deep/x.yaml\""), "{problems:?}");
}

#[wasm_bindgen_test]
async fn a_lesson_address_that_is_not_there_loads_nothing_and_says_why() {
    let problems = fetch_lesson("/no-such-lesson/").await.expect_err("nothing there");
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("/no-such-lesson/files.txt: the server answered 404"), "{problems:?}");
}

fn document() -> web_sys::Document {
    web_sys::window().and_then(|w| w.document()).expect("a document")
}

/// The whole app mounted with `hash` as the page's fragment.
async fn mount_with_fragment(hash: &str) -> (web_sys::HtmlElement, Box<dyn std::any::Any>) {
    Store::new(STORAGE_KEY).clear();
    kubeplay_web::course::COURSE_STORE.clear();
    let window = web_sys::window().expect("window");
    let _ = window.location().set_hash(hash);
    let root: web_sys::HtmlElement = document().create_element("div").expect("div").unchecked_into();
    document().body().expect("body").append_child(&root).expect("append");
    let handle = leptos::mount::mount_to(root.clone(), kubeplay_web::App);
    leptos::task::tick().await;
    sleep(100).await;
    (root, Box::new(handle))
}

fn text_of(root: &web_sys::HtmlElement, selector: &str) -> String {
    root.query_selector(selector).expect("selector").and_then(|e| e.text_content()).unwrap_or_default()
}

#[wasm_bindgen_test]
async fn a_corrupt_share_link_shows_a_notice_leaves_the_work_alone_and_leaves_the_address() {
    let (root, _handle) = mount_with_fragment("#w=AAAAthis-is-not-deflate").await;
    let notice = text_of(&root, ".notice-text");
    assert!(notice.contains("This share link could not be opened: it is cut short or altered"), "{notice}");
    assert_eq!(root.query_selector_all("g.pod:not(.system)").expect("selector").length(), 3, "the sandbox runs");
    assert_eq!(share::current_fragment(), "", "the fragment is removed");
    assert_eq!(root.query_selector_all(".modal").expect("selector").length(), 0, "nothing is asked");
}

#[wasm_bindgen_test]
async fn a_share_link_opens_over_the_untouched_sandbox_without_asking() {
    let shared = SavedWorkspace { files: vec![file("shared.yaml", "# from a friend\n")], active: 0 };
    let payload = share::encode(&shared).await.expect("compressed");
    let (root, _handle) = mount_with_fragment(&format!("#w={payload}")).await;
    assert_eq!(root.query_selector_all("[role=tab][data-file='shared.yaml']").expect("selector").length(), 1);
    assert_eq!(root.query_selector_all("[role=tab][data-file='app.yaml']").expect("selector").length(), 0);
    assert!(text_of(&root, ".notice-text").contains("Opened the shared workspace"));
    assert_eq!(share::current_fragment(), "");
}

#[wasm_bindgen_test]
async fn importing_pasted_text_asks_then_adds_it_as_a_file() {
    let (root, _handle) = mount_with_fragment("").await;
    let click = |selector: &str| {
        let element: web_sys::HtmlElement = root
            .query_selector(selector)
            .expect("selector")
            .unwrap_or_else(|| panic!("no {selector}"))
            .unchecked_into();
        element.click();
    };
    click(".workspace-menu .menu-button[title^='Add files']");
    leptos::task::tick().await;
    let paste: web_sys::HtmlTextAreaElement =
        root.query_selector("#import-paste").expect("selector").expect("the paste box").unchecked_into();
    paste.set_value("kind: Pod\n<b>not html</b>: 1\n");
    paste.dispatch_event(&web_sys::Event::new("input").expect("event")).expect("dispatch");
    leptos::task::tick().await;
    click(".modal-button.primary");
    leptos::task::tick().await;
    assert!(text_of(&root, ".modal-title").contains("Import into your workspace?"));
    assert_eq!(text_of(&root, ".incoming-files"), "pasted.yaml");
    click("[data-choice='add']");
    leptos::task::tick().await;
    assert_eq!(root.query_selector_all(".modal").expect("selector").length(), 0);
    assert_eq!(root.query_selector_all("[role=tab][data-file='pasted.yaml']").expect("selector").length(), 1);
    assert_eq!(root.query_selector_all("b").expect("selector").length(), 0, "text is never HTML");
    assert!(text_of(&root, ".notice-text").contains("Added pasted.yaml."));
}

#[wasm_bindgen_test]
async fn a_link_longer_than_is_safe_is_shown_with_a_warning() {
    let (_first, first_app) = mount_with_fragment("").await;
    // Random letters barely compress: well over 8,000 characters of link. Saved, then the app
    // mounted again, as after a reload.
    let noise: String = (0..9_000).map(|_| char::from(b'a' + (js_sys::Math::random() * 26.0) as u8)).collect();
    let store = Store::new(STORAGE_KEY);
    let mut workspace = match store.load() {
        storage::Loaded::Found(w) => w,
        other => panic!("{other:?}"),
    };
    workspace.files.push(file("noise.yaml", &format!("# {noise}\n")));
    store.save(&workspace).expect("saved");
    drop(first_app);
    let root2: web_sys::HtmlElement = document().create_element("div").expect("div").unchecked_into();
    document().body().expect("body").append_child(&root2).expect("append");
    let _again = leptos::mount::mount_to(root2.clone(), kubeplay_web::App);
    leptos::task::tick().await;
    let share: web_sys::HtmlElement = root2
        .query_selector(".workspace-menu .menu-button[title^='A link']")
        .expect("selector")
        .expect("Share")
        .unchecked_into();
    share.click();
    sleep(200).await;
    let warning = text_of(&root2, ".share-too-long");
    assert!(warning.contains("characters long. Links over 8,000 characters may be cut short"), "{warning}");
    let link: web_sys::HtmlInputElement =
        root2.query_selector("#share-link").expect("selector").expect("the link").unchecked_into();
    assert!(link.value().len() > 8_000 && link.value().contains("#w="));
    Store::new(STORAGE_KEY).clear();
}

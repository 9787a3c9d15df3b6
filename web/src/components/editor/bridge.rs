//! The boundary with the CodeMirror bundle (web/editor/codemirror.js): loading it, and the
//! plain objects that cross in each direction.
//!
//! The bundle is a separate ES module, built by web/editor/build.mjs and named in the page's
//! `<meta name="kubeplay-editor">`; it is imported only when the editor mounts, after first
//! paint. What it shows about Kubernetes comes from kubeplay-core through the callbacks built
//! here: completions and hover texts from `kubeplay_core::schema`, diagnostics from the last
//! apply.

use kubeplay_core::diag::{Diagnostic, Severity};
use kubeplay_core::schema::{self, Explanation, Shape, Suggestion};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// The interface version the Rust side expects (`API_VERSION` in codemirror.js).
const API_VERSION: u32 = 1;

#[wasm_bindgen(inline_js = "export function importModule(url) { return import(new URL(url, document.baseURI).href); }")]
extern "C" {
    #[wasm_bindgen(js_name = importModule)]
    fn import_module(url: &str) -> js_sys::Promise;
}

#[wasm_bindgen]
extern "C" {
    /// The bundle's module namespace.
    pub type EditorModule;
    #[wasm_bindgen(method, getter, js_name = API_VERSION)]
    fn api_version(this: &EditorModule) -> JsValue;
    #[wasm_bindgen(method, catch)]
    fn mount(this: &EditorModule, parent: &web_sys::HtmlElement, callbacks: &JsValue) -> Result<CodeMirror, JsValue>;

    /// A mounted editor (the object `mount` returns).
    pub type CodeMirror;
    /// Shows file `key` holding `text`; each file keeps its own undo history and cursor.
    #[wasm_bindgen(method)]
    pub fn open(this: &CodeMirror, key: u32, text: &str);
    /// Forgets a deleted file.
    #[wasm_bindgen(method)]
    pub fn close(this: &CodeMirror, key: u32);
    #[wasm_bindgen(method, js_name = setDiagnostics)]
    pub fn set_diagnostics(this: &CodeMirror, list: &js_sys::Array);
    #[wasm_bindgen(method)]
    pub fn focus(this: &CodeMirror);
    /// Moves the cursor to a 1-based line and character column and focuses the editor.
    #[wasm_bindgen(method, js_name = revealLine)]
    pub fn reveal_line(this: &CodeMirror, line: u32, column: u32);
    #[wasm_bindgen(method)]
    pub fn destroy(this: &CodeMirror);
}

/// The callbacks the editor calls; they must live as long as the editor.
pub struct Callbacks {
    on_change: Closure<dyn FnMut(u32, String)>,
    complete: Closure<dyn FnMut(String, u32, u32) -> JsValue>,
    explain: Closure<dyn FnMut(String, u32, u32) -> JsValue>,
}

impl Callbacks {
    /// Callbacks that report each edit to `on_change` (the file's key and its new text) and
    /// answer from kubeplay-core's schema.
    pub fn new(on_change: impl FnMut(u32, String) + 'static) -> Callbacks {
        Callbacks {
            on_change: Closure::new(on_change),
            complete: Closure::new(|text: String, line: u32, column: u32| -> JsValue {
                schema::complete(&text, line, column).into_iter().map(suggestion).collect::<js_sys::Array>().into()
            }),
            explain: Closure::new(|text: String, line: u32, column: u32| -> JsValue {
                schema::explain(&text, line, column).map_or(JsValue::NULL, explanation)
            }),
        }
    }

    fn object(&self, label: &str) -> JsValue {
        object(&[
            ("onChange", self.on_change.as_ref().clone()),
            ("complete", self.complete.as_ref().clone()),
            ("explain", self.explain.as_ref().clone()),
            ("label", label.into()),
        ])
    }
}

/// Imports the bundle at `url` and mounts an editor in `parent`; the error says what failed.
pub async fn load(url: &str, parent: &web_sys::HtmlElement, callbacks: &Callbacks) -> Result<CodeMirror, String> {
    let module = wasm_bindgen_futures::JsFuture::from(import_module(url))
        .await
        .map_err(|e| format!("the editor could not be downloaded ({})", describe(&e)))?;
    let module: EditorModule = module.unchecked_into();
    let version = module.api_version().as_f64();
    if version != Some(f64::from(API_VERSION)) {
        return Err(format!("the editor bundle is out of date (version {version:?}); reload the page"));
    }
    module
        .mount(parent, &callbacks.object("Workspace YAML"))
        .map_err(|e| format!("the editor could not start ({})", describe(&e)))
}

/// The bundle's URL, as the build wrote it into the page; `None` when the page has none
/// (as in the component tests).
pub fn bundle_url() -> Option<String> {
    let document = web_sys::window()?.document()?;
    let meta = document.query_selector("meta[name='kubeplay-editor']").ok()??;
    meta.get_attribute("content").filter(|c| !c.is_empty())
}

/// The diagnostics of file `file` as the editor wants them.
pub fn diagnostics_for(file: &str, diagnostics: &[Diagnostic]) -> js_sys::Array {
    diagnostics
        .iter()
        .filter(|d| d.file == file)
        .map(|d| {
            object(&[
                ("line", d.span.start.line.into()),
                ("column", d.span.start.column.into()),
                ("endLine", d.span.end.line.into()),
                ("endColumn", d.span.end.column.into()),
                ("severity", if d.severity == Severity::Error { "error" } else { "warning" }.into()),
                ("message", message(d).into()),
            ])
        })
        .collect()
}

/// `spec.ports[0].port: Invalid value: 0: … (hint)`: what the underline's tooltip says.
pub fn message(d: &Diagnostic) -> String {
    let mut text = String::new();
    if !d.field.is_empty() {
        text.push_str(&d.field);
        text.push_str(": ");
    }
    text.push_str(&d.message);
    if let Some(hint) = &d.hint {
        text.push_str(" — ");
        text.push_str(hint);
    }
    text
}

fn suggestion(s: Suggestion) -> JsValue {
    let (kind, detail, info, insert) = match s {
        Suggestion::Field(f) => {
            let insert = match f.shape {
                Shape::Object(_) | Shape::StringMap => "object",
                Shape::ObjectList(_) | Shape::StringList | Shape::EnumList(_) => "list",
                _ => "scalar",
            };
            ("property", f.shape.type_name().to_string(), f.about.to_string(), insert)
        }
        Suggestion::Value(v) => ("enum", String::new(), v.about.to_string(), "value"),
        Suggestion::Kind(k, about) => ("class", k.api_version().to_string(), about.to_string(), "value"),
        Suggestion::ApiVersion(_) => ("namespace", String::new(), String::new(), "value"),
    };
    object(&[
        ("label", s.label().into()),
        ("type", kind.into()),
        ("detail", detail.into()),
        ("info", info.into()),
        ("insert", insert.into()),
    ])
}

fn explanation(e: Explanation) -> JsValue {
    let title = match e.kind {
        Some(kind) => format!("{kind} {}", e.path),
        None => e.path.clone(),
    };
    let mut more = Vec::new();
    if let Some(v) = e.value {
        more.push(format!("{}: {}.", v.name, v.about));
    }
    let values = e.field.shape.values();
    if !values.is_empty() && !matches!(e.field.shape, Shape::Boolean) {
        let names: Vec<&str> = values.iter().map(|v| v.name).collect();
        more.push(format!("One of: {}.", names.join(", ")));
    }
    object(&[
        ("title", title.into()),
        ("type", e.field.shape.type_name().into()),
        ("about", e.field.about.into()),
        ("more", more.into_iter().map(JsValue::from).collect::<js_sys::Array>().into()),
    ])
}

/// A plain JavaScript object with these properties.
fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let object = js_sys::Object::new();
    for (key, value) in entries {
        let _ = js_sys::Reflect::set(&object, &JsValue::from_str(key), value);
    }
    object.into()
}

/// An exception's message, or its text.
fn describe(error: &JsValue) -> String {
    js_sys::Reflect::get(error, &"message".into())
        .ok()
        .and_then(|m| m.as_string())
        .or_else(|| error.as_string())
        .unwrap_or_else(|| "unknown error".into())
}

//! The workspace saved in the browser's `localStorage`, in a versioned format.
//!
//! Every change is written at once (the state module calls [`Store::save`] from each handler,
//! before anything that could fail runs), so a crash or a closed tab loses nothing. Reading
//! never blocks the app: storage that is missing, unreadable, damaged or written in a format
//! this build does not know starts the sandbox instead, and anything that was there is first
//! copied, byte for byte, under a backup key (`kubeplay.workspace.unreadable-1`, `-2`, …) so
//! that it can still be exported. A workspace replaced by an import or a share link is kept the
//! same way, under `kubeplay.workspace.replaced-1`, `-2`, ….
//!
//! The format, version 1, is one JSON object:
//! `{"format":"kubeplay-workspace","version":1,"active":"app.yaml","files":[{"name":"app.yaml","text":"…"}]}`.
//! File names are unique and not empty; `active` names one of the files.

use wasm_bindgen::JsValue;

/// Where the app keeps its workspace.
pub const STORAGE_KEY: &str = "kubeplay.workspace";
/// Set in `sessionStorage` by the crash banner's "Reload without applying" (see crash.js).
const SAFE_START_KEY: &str = "kubeplay.safe-start";
const FORMAT: &str = "kubeplay-workspace";
/// The format version this build writes and reads.
pub const VERSION: u32 = 1;
/// How many backups of unreadable data are kept before the oldest is reused.
const MAX_BACKUPS: u32 = 20;

/// One saved file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedFile {
    pub name: String,
    pub text: String,
}

/// A saved workspace: its files in tab order, and which one is open.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedWorkspace {
    pub files: Vec<SavedFile>,
    /// Index into `files`.
    pub active: usize,
}

/// Why saved data could not be read, in words for the learner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unreadable(pub String);

// The browser's own JSON (`JSON.parse`, `JSON.stringify`) reads and writes the format: it is
// already there, where a Rust JSON library would add to the download.

pub(crate) fn set(object: &js_sys::Object, key: &str, value: &JsValue) {
    let _ = js_sys::Reflect::set(object, &JsValue::from_str(key), value);
}

pub(crate) fn get(object: &JsValue, key: &str) -> JsValue {
    js_sys::Reflect::get(object, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

/// The saved form of `workspace`.
pub fn encode(workspace: &SavedWorkspace) -> String {
    let envelope = workspace_object(workspace);
    set(&envelope, "format", &FORMAT.into());
    set(&envelope, "version", &VERSION.into());
    stringify(&envelope)
}

/// `value` as JSON text.
pub(crate) fn stringify(value: &JsValue) -> String {
    js_sys::JSON::stringify(value).ok().and_then(|s| s.as_string()).unwrap_or_default()
}

/// `workspace` as a `{"active":…,"files":[…]}` object (also used inside the progress format).
pub(crate) fn workspace_object(workspace: &SavedWorkspace) -> js_sys::Object {
    let object = js_sys::Object::new();
    let active = workspace.files.get(workspace.active).map_or("", |f| f.name.as_str());
    set(&object, "active", &active.into());
    let files: js_sys::Array = workspace
        .files
        .iter()
        .map(|f| {
            let file = js_sys::Object::new();
            set(&file, "name", &f.name.as_str().into());
            set(&file, "text", &f.text.as_str().into());
            JsValue::from(file)
        })
        .collect();
    set(&object, "files", &files);
    object
}

/// Reads what [`workspace_object`] wrote.
pub(crate) fn read_workspace(value: &JsValue) -> Result<SavedWorkspace, Unreadable> {
    let damaged = || Unreadable("its contents are damaged".into());
    let list = get(value, "files");
    if !js_sys::Array::is_array(&list) {
        return Err(damaged());
    }
    let mut files = Vec::new();
    for file in js_sys::Array::from(&list).iter() {
        let (Some(name), Some(text)) = (get(&file, "name").as_string(), get(&file, "text").as_string()) else {
            return Err(damaged());
        };
        files.push(SavedFile { name, text });
    }
    if files.is_empty() {
        return Err(Unreadable("it holds no files".into()));
    }
    let mut names = std::collections::BTreeSet::new();
    if files.iter().any(|f| f.name.trim().is_empty() || !names.insert(f.name.as_str())) {
        return Err(Unreadable("its file names are damaged".into()));
    }
    let active_name = get(value, "active").as_string().unwrap_or_default();
    let active = files.iter().position(|f| f.name == active_name).unwrap_or(0);
    Ok(SavedWorkspace { files, active })
}

/// Reads what [`encode`] wrote; anything else is [`Unreadable`], with the reason.
pub fn decode(raw: &str) -> Result<SavedWorkspace, Unreadable> {
    let value = read_envelope(raw, FORMAT, VERSION, "workspace")?;
    read_workspace(&value)
}

/// Parses `raw` and checks that it is `format` at `version` (`what` names it in messages).
pub(crate) fn read_envelope(raw: &str, format: &str, version: u32, what: &str) -> Result<JsValue, Unreadable> {
    let foreign = || Unreadable(format!("it is not in kubeplay's {what} format"));
    let value = js_sys::JSON::parse(raw).map_err(|_| foreign())?;
    if !value.is_object() || get(&value, "format").as_string().as_deref() != Some(format) {
        return Err(foreign());
    }
    match get(&value, "version").as_f64() {
        Some(v) if v == f64::from(version) => Ok(value),
        Some(v) => {
            Err(Unreadable(format!("it was saved in format version {v}; this kubeplay reads version {version}")))
        }
        None => Err(foreign()),
    }
}

/// What [`Store::load`] found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Loaded<T = SavedWorkspace> {
    /// Nothing saved yet (or no storage at all in this browser).
    Nothing,
    Found(T),
    /// Something was saved but cannot be read; it was copied to `kept_as`.
    Unreadable {
        reason: Unreadable,
        kept_as: Option<String>,
    },
}

/// A slot in `localStorage`, named by its key: the workspace, or the lesson progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Store {
    key: &'static str,
}

impl Store {
    /// The slot at `key` (the app uses [`STORAGE_KEY`]; tests use their own).
    pub const fn new(key: &'static str) -> Store {
        Store { key }
    }

    fn storage() -> Result<web_sys::Storage, String> {
        let window = web_sys::window().ok_or("no window")?;
        match window.local_storage() {
            Ok(Some(storage)) => Ok(storage),
            Ok(None) => Err("this browser offers no storage".into()),
            Err(e) => Err(describe(&e)),
        }
    }

    /// Reads the saved workspace. Unreadable data is backed up before it is reported, so the
    /// caller may overwrite the slot.
    pub fn load(self) -> Loaded {
        self.load_with(decode)
    }

    /// Reads the slot with `decode`; unreadable data is backed up as by [`Store::load`].
    pub fn load_with<T>(self, decode: impl FnOnce(&str) -> Result<T, Unreadable>) -> Loaded<T> {
        let Ok(storage) = Self::storage() else { return Loaded::Nothing };
        let raw = match storage.get_item(self.key) {
            Ok(Some(raw)) => raw,
            _ => return Loaded::Nothing,
        };
        match decode(&raw) {
            Ok(value) => Loaded::Found(value),
            Err(reason) => Loaded::Unreadable { reason, kept_as: self.back_up(&storage, &raw, "unreadable") },
        }
    }

    /// Keeps a copy of `workspace` (about to be replaced) under the first free
    /// `KEY.replaced-N` key, which is named; `None` when it could not be written.
    pub fn keep(self, workspace: &SavedWorkspace) -> Option<String> {
        self.back_up(&Self::storage().ok()?, &encode(workspace), "replaced")
    }

    /// Copies `raw` to the first free `KEY.WHY-N` backup key; `None` when it could not be written.
    fn back_up(self, storage: &web_sys::Storage, raw: &str, why: &str) -> Option<String> {
        let keys = (1..=MAX_BACKUPS).map(|n| format!("{}.{why}-{n}", self.key));
        let mut last = None;
        for key in keys {
            match storage.get_item(&key) {
                Ok(Some(existing)) if existing == raw => return Some(key),
                Ok(Some(_)) => last = Some(key),
                _ => return storage.set_item(&key, raw).ok().map(|_| key),
            }
        }
        let key = last?;
        storage.set_item(&key, raw).ok().map(|_| key)
    }

    /// Writes `workspace`; the error says why it could not be saved.
    pub fn save(self, workspace: &SavedWorkspace) -> Result<(), String> {
        self.save_text(&encode(workspace))
    }

    /// Writes `text` (already encoded); the error says why it could not be saved.
    pub fn save_text(self, text: &str) -> Result<(), String> {
        let storage = Self::storage()?;
        storage.set_item(self.key, text).map_err(|e| describe(&e))
    }

    /// The raw text in the slot, if any (for tests and for export of unreadable data).
    pub fn raw(self) -> Option<String> {
        Self::storage().ok()?.get_item(self.key).ok().flatten()
    }

    /// Removes the slot and its backups.
    pub fn clear(self) {
        if let Ok(storage) = Self::storage() {
            let _ = storage.remove_item(self.key);
            for n in 1..=MAX_BACKUPS {
                let _ = storage.remove_item(&format!("{}.unreadable-{n}", self.key));
                let _ = storage.remove_item(&format!("{}.replaced-{n}", self.key));
            }
        }
    }
}

/// Whether the learner asked, from the crash banner, to start without applying the
/// workspace; reading the request clears it.
pub fn take_safe_start() -> bool {
    let Some(storage) = web_sys::window().and_then(|w| w.session_storage().ok().flatten()) else { return false };
    let asked = matches!(storage.get_item(SAFE_START_KEY), Ok(Some(_)));
    if asked {
        let _ = storage.remove_item(SAFE_START_KEY);
    }
    asked
}

/// A JavaScript exception (such as `QuotaExceededError`) in a few words.
fn describe(error: &JsValue) -> String {
    get(error, "name").as_string().or_else(|| error.as_string()).unwrap_or_else(|| "storage refused the write".into())
}

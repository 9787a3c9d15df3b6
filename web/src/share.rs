//! Share links: the whole workspace in the page address's fragment (`#w=…`), which never
//! reaches a server. The payload is the [`export`] text, compressed with the browser's own
//! `CompressionStream("deflate-raw")` (no compressor in the wasm) and written in base64url
//! (RFC 4648 §5, without padding), so it needs no escaping in a URL.
//!
//! Invariant: [`decode`] of [`encode`] gives back every file name and text byte for byte; a
//! payload that is not base64url, is cut short, does not inflate, is not UTF-8 or is not an
//! export is a [`Damaged`] value, never a panic.
//!
//! Also here, the page address itself: reading the fragment ([`Fragment`]) and removing it
//! after it was handled (`history.replaceState`, so a reload does not ask again).

use crate::export::{export, split};
use crate::storage::{SavedFile, SavedWorkspace};
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// A link longer than this may not survive being pasted around. RFC 9110 §4.1 recommends that
/// senders and recipients support URIs of at least 8,000 octets, and that is the limit many
/// HTTP servers and proxies keep (Apache's `LimitRequestLine` 8,190, nginx's 8 KB header
/// buffers); chat and mail clients often cut links shorter still. Browsers themselves accept
/// far longer addresses (Chromium: 2 MB).
pub const SAFE_LENGTH: usize = 8_000;
/// The fragment key of a shared workspace.
const WORKSPACE_KEY: &str = "w=";
/// The fragment key of a lesson's address.
const LESSON_KEY: &str = "lesson=";
/// The browser's name for raw DEFLATE (RFC 1951, no zlib or gzip header).
const FORMAT: &str = "deflate-raw";

#[wasm_bindgen]
extern "C" {
    /// The Compression Streams standard's `CompressionStream` (in every current browser;
    /// web-sys has it only behind its unstable flag).
    #[wasm_bindgen(js_name = CompressionStream)]
    type Compressor;
    #[wasm_bindgen(constructor, js_class = "CompressionStream", catch)]
    fn new(format: &str) -> Result<Compressor, JsValue>;

    /// Its `DecompressionStream`.
    #[wasm_bindgen(js_name = DecompressionStream)]
    type Decompressor;
    #[wasm_bindgen(constructor, js_class = "DecompressionStream", catch)]
    fn new(format: &str) -> Result<Decompressor, JsValue>;

    /// `navigator.clipboard.writeText` (unstable in web-sys); throws where there is no
    /// clipboard (a page not served over HTTPS or from localhost).
    #[wasm_bindgen(js_namespace = ["navigator", "clipboard"], js_name = writeText, catch)]
    fn write_clipboard(text: &str) -> Result<js_sys::Promise, JsValue>;
}

/// Why a share link's workspace could not be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damaged {
    /// It holds characters that base64url does not use.
    NotBase64,
    /// It does not inflate: cut short, or altered.
    Truncated,
    /// It inflates, but not to UTF-8 text.
    NotText,
    /// Its text is not an exported workspace.
    NotWorkspace,
}

/// What the page's fragment asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fragment {
    /// Nothing this app knows.
    None,
    /// Open a shared workspace: the payload after `#w=`.
    Workspace(String),
    /// Load a lesson from this address (after `#lesson=`).
    Lesson(String),
}

/// Reads a fragment (`#w=…`, `#lesson=…`, with or without its `#`).
pub fn fragment(hash: &str) -> Fragment {
    let hash = hash.strip_prefix('#').unwrap_or(hash);
    if let Some(payload) = hash.strip_prefix(WORKSPACE_KEY) {
        Fragment::Workspace(payload.to_string())
    } else if let Some(url) = hash.strip_prefix(LESSON_KEY).filter(|u| !u.trim().is_empty()) {
        Fragment::Lesson(url.trim().to_string())
    } else {
        Fragment::None
    }
}

/// The page's fragment, with its `#` (empty when there is none).
pub fn current_fragment() -> String {
    web_sys::window().and_then(|w| w.location().hash().ok()).unwrap_or_default()
}

/// Removes the fragment from the address bar without a reload or a history entry.
pub fn clear_fragment() {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let url = format!("{}{}", location.pathname().unwrap_or_default(), location.search().unwrap_or_default());
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(&JsValue::NULL, "", Some(&url));
    }
}

/// The link to this page that opens `payload`.
pub fn link(payload: &str) -> String {
    let href = web_sys::window().and_then(|w| w.location().href().ok()).unwrap_or_default();
    let page = href.split('#').next().unwrap_or_default();
    format!("{page}#{WORKSPACE_KEY}{payload}")
}

/// The payload of a link to `workspace`; the error is the browser's, in words.
pub async fn encode(workspace: &SavedWorkspace) -> Result<String, String> {
    let stream = Compressor::new(FORMAT).map_err(|e| describe(&e))?;
    let bytes = pipe(export(workspace).as_bytes(), &stream).await.map_err(|e| describe(&e))?;
    Ok(base64url_encode(&bytes))
}

/// The files of a link's payload.
pub async fn decode(payload: &str) -> Result<Vec<SavedFile>, Damaged> {
    let bytes = base64url_decode(payload.trim()).ok_or(Damaged::NotBase64)?;
    let stream = Decompressor::new(FORMAT).map_err(|_| Damaged::Truncated)?;
    let inflated = pipe(&bytes, &stream).await.map_err(|_| Damaged::Truncated)?;
    let text = String::from_utf8(inflated).map_err(|_| Damaged::NotText)?;
    split(&text).ok_or(Damaged::NotWorkspace)
}

/// `bytes` through a transform stream (anything with `readable` and `writable`).
async fn pipe(bytes: &[u8], transform: &JsValue) -> Result<Vec<u8>, JsValue> {
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts)?;
    let piped = blob.stream().pipe_through(transform.unchecked_ref());
    let response = web_sys::Response::new_with_opt_readable_stream(Some(&piped))?;
    let buffer = JsFuture::from(response.array_buffer()?).await?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// Copies `text` to the clipboard; the error says why it could not.
pub async fn copy(text: &str) -> Result<(), String> {
    let promise = write_clipboard(text).map_err(|e| describe(&e))?;
    JsFuture::from(promise).await.map(|_| ()).map_err(|e| describe(&e))
}

/// Offers `text` as a download named `name`.
pub fn download(name: &str, text: &str) -> Result<(), String> {
    let document = web_sys::window().and_then(|w| w.document()).ok_or("no document")?;
    let parts = js_sys::Array::of1(&JsValue::from_str(text));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type("application/yaml");
    let blob = web_sys::Blob::new_with_str_sequence_and_options(&parts, &options).map_err(|e| describe(&e))?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(|e| describe(&e))?;
    let anchor: web_sys::HtmlAnchorElement = document.create_element("a").map_err(|e| describe(&e))?.unchecked_into();
    anchor.set_href(&url);
    anchor.set_download(name);
    anchor.click();
    // The download has started from the click; the object URL is no longer needed.
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// A JavaScript error in a few words.
fn describe(error: &JsValue) -> String {
    crate::storage::get(error, "message").as_string().or_else(|| error.as_string()).unwrap_or_else(|| "unknown".into())
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// `bytes` in base64url without padding (RFC 4648 §5).
pub fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

/// What [`base64url_encode`] wrote (padding tolerated); `None` for any other text.
pub fn base64url_decode(text: &str) -> Option<Vec<u8>> {
    let text = text.trim_end_matches('=');
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for chunk in text.as_bytes().chunks(4) {
        if chunk.len() == 1 {
            return None;
        }
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            let value = ALPHABET.iter().position(|a| a == c)? as u32;
            n |= value << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    Some(out)
}

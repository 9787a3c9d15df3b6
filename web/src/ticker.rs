//! One `requestAnimationFrame` loop shared by every animation of the page.
//!
//! Each moving packet used to ask the browser for its own animation frame, which costs a JS
//! closure and a call across the wasm boundary per packet per frame; with fifty packets in
//! flight that was most of the page's script time. Here callbacks register with
//! [`every_frame`] and one loop calls them all, once per animation frame, with the frame's
//! timestamp.
//!
//! Invariants: the loop runs only while some callback is registered (an idle page asks for
//! no frames); a callback returning `false` is dropped and never called again; a callback
//! registered during a tick is first called on the next tick, never in the tick that
//! registered it.

use std::cell::RefCell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// A registered callback: called with the frame's timestamp (ms), kept while it returns `true`.
type Callback = Box<dyn FnMut(f64) -> bool>;

#[derive(Default)]
struct Ticker {
    /// The callbacks of the next tick.
    callbacks: Vec<Callback>,
    /// Whether a frame has been requested and not yet run.
    requested: bool,
    /// The loop's closure, made once and reused for every request.
    closure: Option<Closure<dyn FnMut(f64)>>,
}

thread_local! {
    static TICKER: RefCell<Ticker> = RefCell::new(Ticker::default());
}

/// Calls `callback` on every animation frame from the next one on, until it returns `false`.
pub fn every_frame(callback: impl FnMut(f64) -> bool + 'static) {
    TICKER.with(|t| t.borrow_mut().callbacks.push(Box::new(callback)));
    request();
}

/// Asks the browser for the next animation frame, unless one is already on its way.
fn request() {
    TICKER.with(|t| {
        let mut ticker = t.borrow_mut();
        if ticker.requested {
            return;
        }
        let closure = ticker.closure.get_or_insert_with(|| Closure::new(tick));
        let Some(window) = web_sys::window() else { return };
        if window.request_animation_frame(closure.as_ref().unchecked_ref()).is_ok() {
            ticker.requested = true;
        }
    });
}

/// One animation frame: runs the callbacks registered before it, keeps those that want more,
/// and asks for another frame while any remain.
fn tick(timestamp: f64) {
    let mut running = TICKER.with(|t| {
        let mut ticker = t.borrow_mut();
        ticker.requested = false;
        std::mem::take(&mut ticker.callbacks)
    });
    // The ticker is not borrowed while callbacks run, so they may register new ones.
    running.retain_mut(|callback| callback(timestamp));
    let more = TICKER.with(|t| {
        let mut ticker = t.borrow_mut();
        running.append(&mut ticker.callbacks);
        ticker.callbacks = running;
        !ticker.callbacks.is_empty()
    });
    if more {
        request();
    }
}

//! What happens when the app fails: a Rust panic or a WebAssembly trap shows a banner that
//! says the work is saved and offers a reload (see crash.js), instead of a page that silently
//! stops answering.
//!
//! Release builds abort on panic, so nothing can be recovered in place: the banner is drawn by
//! plain JavaScript, and the learner's files come back from storage on reload.

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/crash.js")]
extern "C" {
    #[wasm_bindgen(js_name = showCrashBanner)]
    fn show_crash_banner(detail: &str);
    #[wasm_bindgen(js_name = installCrashHandlers)]
    fn install_crash_handlers();
}

/// Installs the panic hook (the console message, then the banner) and the trap handlers.
pub fn install() {
    install_crash_handlers();
    std::panic::set_hook(Box::new(|info| {
        console_error_panic_hook::hook(info);
        show_crash_banner(&info.to_string());
    }));
}

/// Shows the banner as a panic would, with `detail` as its details.
pub fn show(detail: &str) {
    show_crash_banner(detail);
}

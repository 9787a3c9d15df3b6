// The banner shown when kubeplay's WebAssembly stops: a Rust panic (release builds abort, which
// reaches JavaScript as a WebAssembly.RuntimeError) or any other trap. Plain DOM calls, no wasm:
// after a trap the Rust side cannot be trusted to draw anything. Every text is set as text.
//
// The work is already saved (the Rust side saves before it applies), so the banner offers a
// reload, and a reload that skips the first apply in case the saved files are what triggers
// the error (the Rust side reads the same sessionStorage key, see web/src/storage.rs).

const SAFE_START_KEY = 'kubeplay.safe-start';
let shown = false;

function element(tag, className, text) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (text !== undefined) el.textContent = text;
  return el;
}

/** Shows the banner (once; later calls are ignored). `detail` is the panic message or error. */
export function showCrashBanner(detail) {
  if (shown) return;
  shown = true;
  const banner = element('div', 'crash-banner');
  banner.setAttribute('role', 'alert');
  banner.appendChild(element('strong', 'crash-title', 'kubeplay stopped because of an internal error.'));
  banner.appendChild(element('span', 'crash-text', ' Your work is saved in this browser: reload to continue where you left off.'));
  const actions = banner.appendChild(element('div', 'crash-actions'));
  const reload = actions.appendChild(element('button', 'crash-reload', 'Reload'));
  reload.type = 'button';
  reload.addEventListener('click', () => location.reload());
  const safe = actions.appendChild(element('button', 'crash-safe', 'Reload without applying my files'));
  safe.type = 'button';
  safe.addEventListener('click', () => {
    try { sessionStorage.setItem(SAFE_START_KEY, '1'); } catch { /* still reload */ }
    location.reload();
  });
  const more = banner.appendChild(element('details', 'crash-details'));
  more.appendChild(element('summary', null, 'Details for a bug report'));
  more.appendChild(element('pre', null, String(detail)));
  document.body.prepend(banner);
  reload.focus();
}

/** Shows the banner for any WebAssembly trap that reaches the page uncaught. */
export function installCrashHandlers() {
  const trap = (error) => typeof WebAssembly !== 'undefined' && error instanceof WebAssembly.RuntimeError;
  window.addEventListener('error', (event) => {
    if (trap(event.error)) showCrashBanner(event.error.stack ?? String(event.error));
  });
  window.addEventListener('unhandledrejection', (event) => {
    if (trap(event.reason)) showCrashBanner(event.reason.stack ?? String(event.reason));
  });
}

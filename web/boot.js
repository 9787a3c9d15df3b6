// Starts the app. trunk would start it with an inline <script>, which the page's
// Content-Security-Policy (script-src 'self') forbids; instead Trunk.toml's `pattern_script`
// writes the hashed names of the wasm-bindgen module and the wasm file into the inert
// <template id="kubeplay-wasm"> below, and this file (a module served from the site, hashed
// and given an integrity attribute by trunk) loads them.
const names = document.getElementById('kubeplay-wasm');
const { default: init } = await import(names.dataset.js);
await init({ module_or_path: names.dataset.wasm });

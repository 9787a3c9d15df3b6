#!/usr/bin/env bash
# Installs, when missing, every tool the build and the tests need, from the registries this
# project may reach (crates.io, npm, Debian). Each step is a fast no-op when its tool is present.
#
#   scripts/ensure-tools.sh build   # what `make serve` needs: wasm target, trunk, wasm-bindgen, wasm-opt
#   scripts/ensure-tools.sh test    # build tools plus Chromium, chromedriver and the e2e npm packages
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
# Must equal the wasm-bindgen version pinned in web/Cargo.toml (and so in Cargo.lock);
# core/tests/workspace_invariants.rs keeps them in step.
WASM_BINDGEN_VERSION=0.2.130

say() { printf '\033[1m[tools]\033[0m %s\n' "$*"; }

ensure_wasm_target() {
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding rust target wasm32-unknown-unknown"
    rustup target add wasm32-unknown-unknown
  fi
}

ensure_cargo_tool() { # binary, crate, version, extra install args...
  local bin=$1 crate=$2 version=$3; shift 3
  if command -v "$bin" >/dev/null 2>&1 && "$bin" --version 2>/dev/null | grep -q "$version"; then
    return
  fi
  say "installing $crate $version with cargo (a few minutes, once)"
  cargo install "$crate" --version "$version" "$@"
}

ensure_npm_packages() {
  # e2e/ holds the pinned npm packages: binaryen (wasm-opt), esbuild and the CodeMirror packages
  # (bundled into the site by web/editor/build.mjs, a trunk hook), and playwright-core.
  if [ ! -x e2e/node_modules/.bin/wasm-opt ] || [ ! -d e2e/node_modules/@codemirror/view ] \
    || [ e2e/package-lock.json -nt e2e/node_modules/.package-lock.json ]; then
    say "installing npm packages from e2e/package-lock.json"
    (cd e2e && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

ensure_chromium() {
  if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
    say "installing chromium and chromium-driver from Debian"
    local sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
}

mode=${1:-build}
ensure_wasm_target
ensure_npm_packages
# trunk's own lock file pins its dependencies; wasm-bindgen-cli's lock names a crate version the
# registry mirror lacks, so it is installed without --locked (see ../shared/toolchain.md).
ensure_cargo_tool trunk trunk "$TRUNK_VERSION" --locked
ensure_cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
if [ "$mode" = test ]; then
  ensure_chromium
fi

//! Invariants of the workspace that no compiler checks: kept true by these tests.
//!
//! 1. kubeplay-core has no browser dependency (ARCHITECTURE.md: "core has no browser
//!    dependency, ever"), checked with `cargo tree` for the wasm and native targets.
//! 2. The wasm-bindgen version is the same everywhere it is pinned: web/Cargo.toml, Cargo.lock,
//!    Trunk.toml and the installer script. A mismatch makes trunk try to download a CLI, which
//!    cannot work offline.

use std::collections::BTreeSet;
use std::path::Path;

fn read(relative: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("reading {}: {e}", path.display()))
}

/// The crates `package` needs to build for `target` (normal dependencies only), by name,
/// as `cargo tree` resolves them.
fn build_dependencies(package: &str, target: &str) -> BTreeSet<String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let output = std::process::Command::new(cargo)
        .args(["tree", "-p", package, "-e", "normal", "--target", target, "--prefix", "none", "--format", "{p}"])
        .current_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .output()
        .expect("cargo tree runs");
    assert!(output.status.success(), "cargo tree failed: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .filter_map(|line| line.split(' ').next())
        .map(str::to_string)
        .collect()
}

const BROWSER_CRATES: [&str; 5] = ["wasm-bindgen", "web-sys", "js-sys", "leptos", "gloo"];

fn browser_crates(deps: &BTreeSet<String>) -> Vec<&String> {
    deps.iter().filter(|d| BROWSER_CRATES.iter().any(|b| d.starts_with(b))).collect()
}

#[test]
fn core_has_no_browser_dependency() {
    for target in ["wasm32-unknown-unknown", "x86_64-unknown-linux-gnu"] {
        let deps = build_dependencies("kubeplay-core", target);
        assert!(deps.contains("kubeplay-core"), "cargo tree lists the crate itself");
        assert_eq!(
            browser_crates(&deps),
            Vec::<&String>::new(),
            "kubeplay-core depends on browser crates for {target}"
        );
    }
    // The check must see browser crates where they are: in the web crate.
    assert!(!browser_crates(&build_dependencies("kubeplay-web", "wasm32-unknown-unknown")).is_empty());
}

#[test]
fn wasm_bindgen_is_pinned_to_one_version_everywhere() {
    let manifest = read("web/Cargo.toml");
    let pinned = manifest
        .lines()
        .find_map(|l| l.strip_prefix("wasm-bindgen = \"="))
        .and_then(|rest| rest.split('"').next())
        .expect("web/Cargo.toml pins wasm-bindgen with =");
    let lock = read("Cargo.lock");
    assert!(
        lock.contains(&format!("name = \"wasm-bindgen\"\nversion = \"{pinned}\"")),
        "Cargo.lock has wasm-bindgen {pinned}"
    );
    assert!(read("Trunk.toml").contains(&format!("wasm_bindgen = \"{pinned}\"")), "Trunk.toml pins {pinned}");
    assert!(
        read("scripts/ensure-tools.sh").contains(&format!("WASM_BINDGEN_VERSION={pinned}")),
        "installer pins {pinned}"
    );
}

//! Embeds every lesson under ../lessons at build time: writes `$OUT_DIR/lessons.rs` with one
//! `(folder, lesson.yaml text)` entry per lesson folder, in folder-name order.

use std::fmt::Write;
use std::path::Path;

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../lessons");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.join("lesson.yaml").is_file()).collect())
        .unwrap_or_default();
    folders.sort();
    let mut out = String::from("/// Every lesson folder's name and `lesson.yaml`, embedded at build time.\npub const LESSONS: &[(&str, &str)] = &[\n");
    for folder in folders {
        let name = folder.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let file = folder.join("lesson.yaml");
        println!("cargo:rerun-if-changed={}", file.display());
        let _ = writeln!(out, "    ({name:?}, include_str!({:?})),", file.display().to_string());
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("lessons.rs");
    std::fs::write(dest, out).expect("write lessons.rs");
}

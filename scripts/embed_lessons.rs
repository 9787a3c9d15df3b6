// The lesson embedding shared by cli/build.rs and web/build.rs (each `include!`s this file and
// calls `embed_lessons` from its `main`): writes `$OUT_DIR/lessons.rs` with one entry per
// lesson folder under ../lessons (in name order) listing its `lesson.yaml`, `start/*` and
// `solution/*` files as (path relative to the folder, text).

use std::fmt::Write;
use std::path::{Path, PathBuf};

fn files_in(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.is_file()).collect())
        .unwrap_or_default();
    files.sort();
    files
}

fn embed_lessons() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../lessons");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut folders: Vec<PathBuf> = std::fs::read_dir(&root)
        .map(|entries| {
            entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.join("lesson.yaml").is_file()).collect()
        })
        .unwrap_or_default();
    folders.sort();
    let mut out = String::from(
        "/// Every lesson folder's name and files (path relative to the folder, text), embedded at build time.\n\
         pub const LESSONS: &[(&str, &[(&str, &str)])] = &[\n",
    );
    for folder in folders {
        let name = folder.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
        let _ = writeln!(out, "    ({name:?}, &[");
        let mut files = vec![("lesson.yaml".to_string(), folder.join("lesson.yaml"))];
        for sub in ["start", "solution"] {
            let dir = folder.join(sub);
            println!("cargo:rerun-if-changed={}", dir.display());
            for file in files_in(&dir) {
                let base = file.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_string();
                files.push((format!("{sub}/{base}"), file));
            }
        }
        for (relative, path) in files {
            println!("cargo:rerun-if-changed={}", path.display());
            let _ = writeln!(out, "        ({relative:?}, include_str!({:?})),", path.display().to_string());
        }
        out.push_str("    ]),\n");
    }
    out.push_str("];\n");
    let dest = Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("lessons.rs");
    std::fs::write(dest, out).expect("write lessons.rs");
}

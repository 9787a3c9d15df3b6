//! Every lesson shipped in lessons/ parses: the app embeds them all, so one bad file would
//! break the lesson list.

use std::path::Path;

#[test]
fn every_shipped_lesson_file_parses() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../lessons");
    let mut count = 0;
    for entry in std::fs::read_dir(&root).expect("lessons/ exists") {
        let dir = entry.expect("entry").path();
        let file = dir.join("lesson.yaml");
        if !dir.is_dir() {
            continue;
        }
        let text = std::fs::read_to_string(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
        let lesson = kubeplay_core::lessons::parse_summary(&file.display().to_string(), &text)
            .unwrap_or_else(|problems| panic!("{problems:?}"));
        assert!(!lesson.title.is_empty());
        count += 1;
    }
    assert!(count >= 1, "at least one lesson ships");
}

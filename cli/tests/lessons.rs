//! The `kubeplay check` and `kubeplay lessons list` contract (docs/cli.md), by running the real
//! binary on the shipped lessons: the JSON shape autograders read and the exit codes.

use assert_cmd::Command;
use serde_json::Value;
use std::path::PathBuf;

fn lesson_dir(folder: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../lessons").join(folder)
}

fn kubeplay(args: &[&str]) -> (i32, String, String) {
    let out = Command::cargo_bin("kubeplay").expect("binary").args(args).output().expect("runs");
    let text = |b: Vec<u8>| String::from_utf8(b).expect("utf-8");
    (out.status.code().expect("exit code"), text(out.stdout), text(out.stderr))
}

#[test]
fn check_passes_the_solution_with_exit_0_and_json_per_goal() {
    let solution = lesson_dir("01-pods-flat-network").join("solution");
    let (code, stdout, _) =
        kubeplay(&["check", "pods-flat-network", "--workspace", solution.to_str().unwrap(), "-o", "json"]);
    assert_eq!(code, 0, "{stdout}");
    let doc: Value = serde_json::from_str(&stdout).expect("json");
    assert_eq!(doc["lesson"], "pods-flat-network");
    assert_eq!(doc["passed"], true);
    let goals = doc["goals"].as_array().expect("goals");
    assert_eq!(goals.len(), 2);
    for g in goals {
        assert_eq!(g["passed"], true);
        for key in ["id", "description", "actual"] {
            assert!(g[key].as_str().is_some_and(|s| !s.is_empty()), "{key} in {g}");
        }
    }
    assert_eq!(goals[0]["id"], "web-running");
    assert_eq!(doc["diagnostics"], Value::Array(vec![]));
}

#[test]
fn check_fails_the_start_with_exit_1_and_says_what_happens() {
    let folder = lesson_dir("01-pods-flat-network");
    let start = folder.join("start");
    let (code, stdout, _) = kubeplay(&["check", folder.to_str().unwrap(), "--workspace", start.to_str().unwrap()]);
    assert_eq!(code, 1, "{stdout}");
    assert!(
        stdout.contains(
            "FAIL  web-running: The pod web is Running\n      actual: 1 pod with app=web, 0 of them Running\n"
        ),
        "{stdout}"
    );
    assert!(stdout.ends_with("\n0/2 goals pass\n"), "{stdout}");
}

#[test]
fn an_unknown_lesson_or_workspace_exits_2() {
    let (code, _, stderr) = kubeplay(&["check", "no-such-lesson", "--workspace", "."]);
    assert_eq!(code, 2);
    assert!(
        stderr.starts_with("error: no lesson \"no-such-lesson\": give a lesson folder or one of: pods-flat-network"),
        "{stderr}"
    );
    let (code, _, stderr) = kubeplay(&["check", "pods-flat-network", "--workspace", "/no/such/dir"]);
    assert_eq!(code, 2);
    assert_eq!(stderr, "error: the path \"/no/such/dir\" does not exist\n");
    let (code, _, _) = kubeplay(&["check", "pods-flat-network"]);
    assert_eq!(code, 2, "--workspace is required");
}

#[test]
fn a_broken_lesson_folder_exits_2_with_its_position() {
    let dir = std::env::temp_dir().join(format!("kubeplay-bad-lesson-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("start")).expect("mkdir");
    std::fs::write(
        dir.join("lesson.yaml"),
        "id: x\ntitle: X\nlevel: beginner\ntask: t\ngoals:\n  - id: a\n    descripton: d\n    noErrors: true\n",
    )
    .expect("write");
    std::fs::write(dir.join("start/app.yaml"), "").expect("write");
    let (code, _, stderr) =
        kubeplay(&["check", dir.to_str().unwrap(), "--workspace", dir.join("start").to_str().unwrap()]);
    std::fs::remove_dir_all(&dir).expect("cleanup");
    assert_eq!(code, 2);
    assert!(
        stderr.contains("/lesson.yaml:7:5: goals[0].descripton: unknown field \"goals[0].descripton\""),
        "{stderr}"
    );
}

#[test]
fn lessons_list_names_every_embedded_lesson_in_order() {
    let (code, stdout, _) = kubeplay(&["lessons", "list", "-o", "json"]);
    assert_eq!(code, 0);
    let list: Vec<Value> = serde_json::from_str(&stdout).expect("json");
    assert_eq!(list[0]["id"], "pods-flat-network");
    assert_eq!(list[0]["level"], "beginner");
    assert!(list.iter().all(|l| l["goals"].as_u64().is_some_and(|n| n > 0) && l["title"].is_string()));
    let (code, text, _) = kubeplay(&["lessons", "list"]);
    assert_eq!(code, 0);
    assert!(text.starts_with("ID "), "{text}");
    assert!(text
        .lines()
        .nth(1)
        .is_some_and(|l| l.starts_with("pods-flat-network ") && l.ends_with("Pods and the flat network")));
}

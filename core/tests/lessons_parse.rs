//! Lesson files: every shipped lesson parses and validates, and a teacher's mistakes are
//! reported at file:line:col with the API server's wording (strict fields, did-you-mean).

mod lessons_support;

use kubeplay_core::lessons::{Lesson, LESSON_FILE};
use kubeplay_core::simulation::SourceFile;
use lessons_support::{shipped, START};

#[test]
fn every_shipped_lesson_parses_and_is_complete() {
    let lessons = shipped();
    assert!(lessons.len() >= 22, "the curriculum ships at least twenty-two lessons, found {}", lessons.len());
    let mut ids = std::collections::BTreeSet::new();
    for l in &lessons {
        let f = &l.file;
        assert!(ids.insert(f.id.clone()), "{}: duplicate id {}", l.folder, f.id);
        assert!(l.folder.ends_with(&f.id), "{}: the folder is NN-<id>, the id is {}", l.folder, f.id);
        for (field, text) in [("summary", &f.summary), ("intro", &f.intro), ("task", &f.task), ("learned", &f.learned)]
        {
            assert!(!text.trim().is_empty(), "{}: {field} is empty", l.folder);
        }
        assert!(!f.concepts.is_empty(), "{}: no concepts", l.folder);
        assert!(!f.hints.is_empty(), "{}: no hints", l.folder);
        assert!(!f.editable.is_empty() && !l.solution.is_empty(), "{}: nothing to edit or no solution", l.folder);
    }
}

#[test]
fn every_file_a_hint_names_is_a_workspace_file() {
    for l in shipped() {
        for hint in &l.file.hints {
            for word in hint.split(|c: char| c == '`' || c.is_whitespace()) {
                let word = word.trim_matches(|c: char| !c.is_alphanumeric());
                if word.ends_with(".yaml") && word != LESSON_FILE {
                    let known = l.start.iter().chain(&l.solution).any(|f| f.name == word);
                    assert!(known, "{}: a hint names {word}, which is no workspace file", l.folder);
                }
            }
        }
    }
}

fn problems(lesson_yaml: &str) -> Vec<String> {
    let files = [SourceFile::new("lesson.yaml", lesson_yaml), SourceFile::new("start/app.yaml", START)];
    match Lesson::parse("99-bad", &files) {
        Ok(_) => Vec::new(),
        Err(problems) => problems.iter().map(ToString::to_string).collect(),
    }
}

const HEAD: &str = "id: bad\ntitle: Bad\nlevel: beginner\ntask: t\neditable: [app.yaml]\ngoals:\n";

fn assert_has(problems: &[String], expected: &str) {
    assert!(problems.iter().any(|p| p.starts_with(expected)), "expected {expected:?} in {problems:#?}");
}

#[test]
fn an_unknown_goal_field_is_located_with_did_you_mean() {
    let text = format!("{HEAD}  - id: a\n    description: d\n    connection:\n      from: default/client\n      to: web\n      expct: delivered\n");
    let p = problems(&text);
    assert_has(&p, "99-bad/lesson.yaml:12:7: goals[0].connection.expct: unknown field \"goals[0].connection.expct\"");
    assert!(p.iter().any(|l| l.contains("did you mean \"expect\"")), "{p:#?}");
}

#[test]
fn an_unsupported_expectation_lists_the_supported_ones() {
    let text = format!("{HEAD}  - id: a\n    description: d\n    connection:\n      from: default/client\n      to: web\n      expect: reached\n");
    assert_has(
        &problems(&text),
        "99-bad/lesson.yaml:12:15: goals[0].connection.expect: Unsupported value: \"reached\": supported values: \"delivered\", \"denied\", \"dropped\", \"no-route\", \"refused\", \"timeout\"",
    );
}

#[test]
fn a_goal_has_exactly_one_kind() {
    let none = format!("{HEAD}  - id: a\n    description: d\n");
    assert_has(&problems(&none), "99-bad/lesson.yaml:7:5: goals[0]: Required value: a goal has one of connection, dns");
    let two = format!("{HEAD}  - id: a\n    description: d\n    noErrors: true\n    pods:\n      count: 1\n");
    assert_has(&problems(&two), "99-bad/lesson.yaml:11:7: goals[0].pods: Forbidden: a goal has exactly one kind");
}

#[test]
fn a_missing_field_and_a_bad_level_are_located() {
    let text = "id: bad\ntitle: Bad\nlevel: easy\ntask: t\neditable: [app.yaml]\ngoals:\n  - id: a\n    description: d\n    dns:\n      name: web\n      expect: answer\n";
    let p = problems(text);
    assert_has(&p, "99-bad/lesson.yaml:3:8: level: Unsupported value: \"easy\"");
    let p = problems(&text.replace("level: easy", "level: beginner"));
    assert_has(&p, "99-bad/lesson.yaml:10:7: goals[0].dns.from: Required value");
}

#[test]
fn a_bad_truth_table_says_which_cell() {
    let text = format!("{HEAD}  - id: a\n    description: d\n    matrix:\n      port: 80\n      table: |\n        -  default/a\n        default/a  ok\n");
    let p = problems(&text);
    assert!(
        p.iter().any(|l| l.starts_with("99-bad/lesson.yaml:")
            && l.contains("goals[0].matrix.table: cell \"ok\" of row \"default/a\"")),
        "{p:#?}"
    );
}

#[test]
fn duplicate_goal_ids_are_refused() {
    let text = format!(
        "{HEAD}  - id: a\n    description: d\n    noErrors: true\n  - id: a\n    description: e\n    noErrors: true\n"
    );
    assert_has(&problems(&text), "99-bad/lesson.yaml:10:9: goals[1].id: Duplicate value: \"a\"");
}

#[test]
fn a_solution_file_the_learner_may_not_edit_is_refused() {
    let text = format!("{HEAD}  - id: a\n    description: d\n    noErrors: true\n").replace("[app.yaml]", "[]");
    let files = [
        SourceFile::new("lesson.yaml", text),
        SourceFile::new("start/app.yaml", START),
        SourceFile::new("solution/app.yaml", START),
    ];
    let p: Vec<String> =
        Lesson::parse("99-bad", &files).expect_err("invalid").iter().map(ToString::to_string).collect();
    assert!(
        p.iter()
            .any(|l| l
                .starts_with("99-bad/lesson.yaml:1:1: editable: solution/app.yaml is a file the learner may not edit")),
        "{p:#?}"
    );
}

#[test]
fn an_editable_file_that_does_not_exist_is_located() {
    let text = format!("{HEAD}  - id: a\n    description: d\n    noErrors: true\n")
        .replace("[app.yaml]", "[app.yaml, other.yaml]");
    assert_has(
        &problems(&text),
        "99-bad/lesson.yaml:5:22: editable[1]: Not found: \"other.yaml\": neither in start/ nor in solution/",
    );
}

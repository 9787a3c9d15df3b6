//! The load cache: an apply reads again only the documents whose text changed
//! (`load::LoadCache`, `yaml::chunks`), and nothing it produces may tell.
//!
//! - A load through a cache that remembers the previous workspace equals a load from nothing,
//!   over random edit sequences (documents replaced, added, removed, moved by lines added above
//!   them, made invalid or unreadable).
//! - An apply whose files are read piece by piece equals one whose files are read whole: the
//!   same files with a tab in a comment at their end, which makes the reader refuse to cut them
//!   and changes nothing else. Changes, diagnostics with their positions, kept objects, the
//!   stale flag and the cluster's view are compared after every step.
//! - Positions move with their document: an edit that adds lines above a remembered document
//!   moves its diagnostics, and those found later through its source, by as many lines.

use kubeplay_core::diag::Severity;
use kubeplay_core::load::{load_workspace, load_workspace_cached, LoadCache};
use kubeplay_core::simulation::{ApplyOutcome, Simulation, SourceFile};
use proptest::prelude::*;

/// Documents a workspace is made of: valid objects, objects that draw warnings, objects the
/// API server rejects, a second declaration of an object, a comment-only document, and
/// documents with YAML errors that the parser finds on their own line.
const DOCUMENTS: &[&str] = &[
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetPort: 8080\n",
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: main\n        image: nginx\n        ports:\n        - containerPort: 8080\n",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: lonely\nspec:\n  type: NodePort\n  selector:\n    app: nothing\n  ports:\n  - port: 80\n    nodePort: 30080\n",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: clash\nspec:\n  type: NodePort\n  selector:\n    app: web\n  ports:\n  - port: 81\n    nodePort: 30080\n",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  ports:\n  - port: 70000\n    protocol: TCP\n  selectr:\n    app: web\n",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n  labels:\n    app: client\nspec:\n  containers:\n  - name: c\n    image: curl\n",
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: deny\nspec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          app: client\n    - namespaceSelector:\n        matchLabels:\n          team: a\n",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 8080\n",
    "# nothing here yet\n",
    "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: team-a\n  labels:\n    team: a\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  a: 1\n  a: 2\n",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: indented\n   labels: {}\n",
];

/// One document of a file: which of [`DOCUMENTS`], after how many blank or comment lines.
#[derive(Debug, Clone)]
struct Doc {
    which: usize,
    padding: usize,
}

/// Files of documents, each file written as its documents separated by `---` lines.
#[derive(Debug, Clone)]
struct Workspace(Vec<Vec<Doc>>);

impl Workspace {
    fn files(&self, end: &str) -> Vec<SourceFile> {
        self.0
            .iter()
            .enumerate()
            .map(|(i, docs)| {
                let texts: Vec<String> = docs
                    .iter()
                    .map(|d| {
                        let pad: String = (0..d.padding).map(|p| if p % 2 == 0 { "\n" } else { "# pad\n" }).collect();
                        format!("{pad}{}", DOCUMENTS[d.which])
                    })
                    .collect();
                SourceFile::new(format!("f{i}.yaml"), format!("{}{end}", texts.join("---\n")))
            })
            .collect()
    }
}

#[derive(Debug, Clone)]
enum Edit {
    Replace { file: usize, at: usize, which: usize },
    Insert { file: usize, at: usize, which: usize },
    Remove { file: usize, at: usize },
    Pad { file: usize, at: usize, padding: usize },
}

impl Edit {
    fn apply(&self, workspace: &mut Workspace) {
        let pick = |len: usize, i: usize| if len == 0 { None } else { Some(i % len) };
        let count = workspace.0.len();
        let files = &mut workspace.0;
        match *self {
            Edit::Replace { file, at, which } => {
                let docs = &mut files[file % count];
                if let Some(at) = pick(docs.len(), at) {
                    docs[at].which = which;
                }
            }
            Edit::Insert { file, at, which } => {
                let docs = &mut files[file % count];
                let at = at % (docs.len() + 1);
                docs.insert(at, Doc { which, padding: 0 });
            }
            Edit::Remove { file, at } => {
                let docs = &mut files[file % count];
                if let Some(at) = pick(docs.len(), at) {
                    docs.remove(at);
                }
            }
            Edit::Pad { file, at, padding } => {
                let docs = &mut files[file % count];
                if let Some(at) = pick(docs.len(), at) {
                    docs[at].padding = padding;
                }
            }
        }
    }
}

fn doc() -> impl Strategy<Value = Doc> {
    (0..DOCUMENTS.len(), 0..4usize).prop_map(|(which, padding)| Doc { which, padding })
}

fn workspace() -> impl Strategy<Value = Workspace> {
    prop::collection::vec(prop::collection::vec(doc(), 0..6), 1..3).prop_map(Workspace)
}

fn edit() -> impl Strategy<Value = Edit> {
    let n = DOCUMENTS.len();
    prop_oneof![
        (0..3usize, 0..8usize, 0..n).prop_map(|(file, at, which)| Edit::Replace { file, at, which }),
        (0..3usize, 0..8usize, 0..n).prop_map(|(file, at, which)| Edit::Insert { file, at, which }),
        (0..3usize, 0..8usize).prop_map(|(file, at)| Edit::Remove { file, at }),
        (0..3usize, 0..8usize, 0..5usize).prop_map(|(file, at, padding)| Edit::Pad { file, at, padding }),
    ]
}

/// What an apply produced, and the cluster it left.
fn observed(sim: &mut Simulation, files: &[SourceFile]) -> (ApplyOutcome, kubeplay_core::view::ClusterView) {
    let outcome = sim.apply(files);
    (outcome, sim.view())
}

/// A tab in a comment: the reader does not cut a text with a tab, so the file is read whole;
/// at the end of the file it moves no position.
const READ_WHOLE: &str = "# read whole\t\n";

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_load_through_the_cache_equals_a_load_from_nothing(start in workspace(), edits in prop::collection::vec(edit(), 1..8)) {
        let mut workspace = start;
        let mut cache = LoadCache::default();
        let files = workspace.files("");
        prop_assert_eq!(load_workspace_cached(&files, &mut cache), load_workspace(&files));
        for edit in edits {
            edit.apply(&mut workspace);
            let files = workspace.files("");
            prop_assert_eq!(load_workspace_cached(&files, &mut cache), load_workspace(&files), "after {:?}", edit);
        }
    }

    #[test]
    fn applies_of_files_read_in_pieces_equal_applies_of_files_read_whole(
        start in workspace(),
        edits in prop::collection::vec(edit(), 1..8),
    ) {
        let mut workspace = start;
        let (mut pieces, mut whole) = (Simulation::new(), Simulation::new());
        prop_assert_eq!(observed(&mut pieces, &workspace.files("")), observed(&mut whole, &workspace.files(READ_WHOLE)));
        for edit in edits {
            edit.apply(&mut workspace);
            let (a, b) = (observed(&mut pieces, &workspace.files("")), observed(&mut whole, &workspace.files(READ_WHOLE)));
            prop_assert_eq!(a, b, "after {:?}", edit);
        }
    }
}

/// Where each diagnostic is: `file:line:col severity field`.
fn positions(outcome: &ApplyOutcome) -> Vec<String> {
    outcome
        .diagnostics
        .iter()
        .map(|d| {
            let severity = if d.severity == Severity::Error { "error" } else { "warning" };
            format!(
                "{}:{}:{} {severity} {} @{}",
                d.file, d.span.start.line, d.span.start.column, d.field, d.span.start.offset
            )
        })
        .collect()
}

#[test]
fn lines_added_above_a_remembered_document_move_its_diagnostics_by_as_many_lines() {
    // Document 1: a Service; 2: an invalid Service (found by validation: its port, and the
    // targetPort defaulted from it, reported at the port's item); 3: a Service selecting
    // nothing (a warning found after the controllers, through its source) that declares
    // `service/web` again (a warning naming the earlier declaration's line).
    let second = "apiVersion: v1\nkind: Service\nmetadata:\n  name: bad\nspec:\n  ports:\n  - port: 70000\n";
    let third = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: nothing\n  ports:\n  - port: 80\n";
    let first = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n";
    let file = |first: &str| vec![SourceFile::new("a.yaml", format!("{first}---\n{second}---\n{third}"))];
    let mut sim = Simulation::new();
    let before = sim.apply(&file(first));
    assert_eq!(
        positions(&before),
        [
            "a.yaml:17:5 error spec.ports[0].targetPort @178",
            "a.yaml:17:11 error spec.ports[0].port @184",
            "a.yaml:22:9 warning metadata.name @241",
            "a.yaml:25:5 warning spec.selector @267",
        ]
    );
    assert!(before.diagnostics[2].message.contains("also declared at a.yaml:1;"), "{}", before.diagnostics[2]);

    // Two label lines (23 bytes) in the first document: the others are remembered, not read,
    // and their diagnostics move 2 lines and 23 bytes down.
    let longer = first.replace("  name: web\n", "  name: web\n  labels:\n    app: web\n");
    let after = sim.apply(&file(&longer));
    assert_eq!(
        positions(&after),
        [
            "a.yaml:19:5 error spec.ports[0].targetPort @201",
            "a.yaml:19:11 error spec.ports[0].port @207",
            "a.yaml:24:9 warning metadata.name @264",
            "a.yaml:27:5 warning spec.selector @290",
        ]
    );
    assert_eq!(after.diagnostics, Simulation::new().apply(&file(&longer)).diagnostics);
}

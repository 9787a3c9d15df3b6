//! Shared by the lesson tests: the shipped lessons read from lessons/, and a small workspace.
#![allow(dead_code)]

use kubeplay_core::lessons::Lesson;
use kubeplay_core::simulation::SourceFile;
use std::path::Path;

/// Every lesson folder under lessons/, parsed (a parse error fails the test with its messages).
pub fn shipped() -> Vec<Lesson> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../lessons");
    let mut folders: Vec<_> = std::fs::read_dir(&root)
        .expect("lessons/ exists")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.join("lesson.yaml").is_file())
        .collect();
    folders.sort();
    folders
        .iter()
        .map(|dir| {
            let mut files = vec![SourceFile::new("lesson.yaml", read(&dir.join("lesson.yaml")))];
            for sub in ["start", "solution"] {
                let mut paths: Vec<_> = std::fs::read_dir(dir.join(sub))
                    .map(|d| d.map(|e| e.expect("entry").path()).collect())
                    .unwrap_or_default();
                paths.sort();
                for p in paths {
                    let name = p.file_name().and_then(|n| n.to_str()).expect("utf-8 name").to_string();
                    files.push(SourceFile::new(format!("{sub}/{name}"), read(&p)));
                }
            }
            let folder = dir.file_name().and_then(|n| n.to_str()).expect("utf-8 name");
            Lesson::parse(folder, &files).unwrap_or_else(|problems| {
                let lines: Vec<String> = problems.iter().map(ToString::to_string).collect();
                panic!("{folder} does not parse:\n{}", lines.join("\n"))
            })
        })
        .collect()
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// A client pod, two web pods and a Service selecting them, plus an api pod; all in default.
pub const START: &str = "\
apiVersion: v1
kind: Pod
metadata: {name: client, labels: {app: client}}
spec: {containers: [{name: c, image: busybox}]}
---
apiVersion: v1
kind: Pod
metadata: {name: web-a, labels: {app: web}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Pod
metadata: {name: api, labels: {app: api}}
spec: {containers: [{name: c, image: nginx, ports: [{containerPort: 80}]}]}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
";

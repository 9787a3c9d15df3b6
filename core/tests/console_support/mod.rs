//! The workspace the console tests run against: the sandbox (a Deployment `web` of three pods
//! and its Service), a `client` pod, a Service `empty` that selects nothing, and a namespace
//! `shop` with a Service `db`.
#![allow(dead_code)] // Each test crate uses a different subset of these helpers.

use kubeplay_core::console::{self, ConsoleOutput, Context};
use kubeplay_core::simulation::{Simulation, SourceFile};

pub const APP: &str = include_str!("../../../examples/sandbox/app.yaml");
pub const EXTRA: &str = "apiVersion: v1
kind: Pod
metadata:
  name: client
spec:
  containers:
  - name: c
    image: curlimages/curl
---
apiVersion: v1
kind: Service
metadata:
  name: empty
spec:
  selector: {app: nothing}
  ports:
  - port: 80
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
---
apiVersion: v1
kind: Service
metadata:
  name: db
  namespace: shop
spec:
  selector: {app: db}
  ports:
  - port: 5432
";

/// The workspace files and the simulation they were applied to.
pub struct Workspace {
    pub files: Vec<SourceFile>,
    pub simulation: Simulation,
}

impl Workspace {
    pub fn new() -> Workspace {
        let files = vec![SourceFile::new("app.yaml", APP), SourceFile::new("more.yaml", EXTRA)];
        let mut simulation = Simulation::new();
        let outcome = simulation.apply(&files);
        assert!(!outcome.has_errors(), "{:?}", outcome.diagnostics);
        Workspace { files, simulation }
    }

    pub fn context(&self) -> Context<'_> {
        Context { simulation: &self.simulation, files: &self.files, seed: 0 }
    }

    /// Runs `line` in the console.
    pub fn run(&self, line: &str) -> ConsoleOutput {
        console::run(&self.context(), line)
    }

    /// The completions at the end of `line`.
    pub fn complete(&self, line: &str) -> Vec<String> {
        console::completions(&self.context(), line, line.len())
    }
}

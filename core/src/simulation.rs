//! The façade front ends talk to: apply a workspace, then ask questions.
//!
//! [`Simulation::apply`] behaves like `kubectl apply -f` over the whole workspace followed by
//! a prune: each object is reported `created`, `configured` or `unchanged`, objects that
//! disappeared from the workspace are `deleted`, and allocations (ClusterIPs, nodePorts, pod
//! names and IPs) survive unrelated edits. When any file has a YAML syntax error the cluster
//! is left exactly as it was and the outcome says it is stale, so a half-typed line never
//! wipes the picture. When a document is rejected (a validation error), the valid objects
//! are applied but nothing is pruned, as `kubectl apply --prune` returns on the first failed
//! object before it prunes (`ApplyOptions.Run`): the live version of the rejected object, and of
//! any object whose text is gone, stays, and the outcome lists them as `kept`. The same holds
//! for an object refused in reconcile (an address or nodePort already allocated, a refused
//! ClusterConfig): its live version stays with its allocations, and a refused create is not
//! created. An object refused because its namespace does not exist goes, as a deleted
//! namespace takes its objects with it.
//!
//! A simulation remembers the documents it read ([`LoadCache`]): the next apply parses and
//! validates only the documents whose text changed, with the same outcome as reading them all.

use crate::api::service::TrafficPolicy;
use crate::api::ObjectRef;
use crate::cluster::Cluster;
use crate::controllers::{self, Memory};
use crate::diag::{Diagnostic, Severity};
use crate::load::{self, LoadCache, Loaded};
use crate::objects::{Objects, KEPT_FILE};
use crate::policy::PolicyIndex;
use crate::view::ClusterView;
use crate::warnings;
use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

/// One file of the workspace, as the learner named and wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

impl SourceFile {
    /// A file named `name` holding `text`.
    pub fn new(name: impl Into<String>, text: impl Into<String>) -> Self {
        SourceFile { name: name.into(), text: text.into() }
    }
}

/// What happened to one object in an apply, in kubectl's words.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    Created,
    Configured,
    Unchanged,
    Deleted,
}

impl Action {
    /// The word kubectl prints.
    pub fn as_str(self) -> &'static str {
        match self {
            Action::Created => "created",
            Action::Configured => "configured",
            Action::Unchanged => "unchanged",
            Action::Deleted => "deleted",
        }
    }
}

/// One line of apply output: `service/web configured`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub object: ObjectRef,
    pub action: Action,
}

/// The result of one apply.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ApplyOutcome {
    /// Per object, in apply order, then deletions.
    pub changes: Vec<Change>,
    /// Every error and warning, sorted by file and position.
    pub diagnostics: Vec<Diagnostic>,
    /// True when a syntax error kept the previous cluster in place.
    pub stale: bool,
    /// Live objects the workspace no longer declares validly, kept because an error stopped the
    /// prune (see the module doc).
    pub kept: Vec<ObjectRef>,
}

impl ApplyOutcome {
    /// Whether any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.severity == Severity::Error)
    }
}

/// A simulated cluster that workspaces are applied to.
#[derive(Debug, Clone)]
pub struct Simulation {
    memory: Memory,
    /// Shared with the copies of this simulation (and, before the first apply, with every fresh
    /// one): an apply replaces it whole, never changes it in place.
    cluster: Arc<Cluster>,
    /// Each live object's fingerprint, to tell `configured` from `unchanged`.
    applied: BTreeMap<ObjectRef, u64>,
    /// The objects of the last apply, kept ones included.
    objects: Objects,
    /// The cluster's NetworkPolicies compiled for connectivity matrices, built on first use
    /// after each apply.
    policy_index: OnceLock<PolicyIndex>,
    /// The documents read by the last apply, so that the next reads only those that changed.
    load_cache: LoadCache,
}

impl Default for Simulation {
    fn default() -> Self {
        Simulation::new()
    }
}

impl Simulation {
    /// A fresh cluster with nothing applied: the default topology and its system pods.
    pub fn new() -> Simulation {
        // Reconciling nothing always gives the same cluster and memory: built once, then the
        // memory copied and the cluster shared.
        static FRESH: OnceLock<(Memory, Arc<Cluster>)> = OnceLock::new();
        let (memory, cluster) = FRESH
            .get_or_init(|| {
                let reconciled = controllers::reconcile(&Default::default(), &Memory::default());
                (reconciled.memory, Arc::new(reconciled.cluster))
            })
            .clone();
        Simulation {
            memory,
            cluster,
            applied: BTreeMap::new(),
            objects: Objects::default(),
            policy_index: OnceLock::new(),
            load_cache: LoadCache::default(),
        }
    }

    /// Applies the whole workspace, as `kubectl apply --prune -f` over every file.
    pub fn apply(&mut self, files: &[SourceFile]) -> ApplyOutcome {
        self.apply_files(files, Prune::Workspace)
    }

    /// Applies `files` on top of the live objects, as `kubectl apply -f FILE` without
    /// `--prune`: objects the files do not declare stay as they are and are not reported.
    pub fn apply_without_prune(&mut self, files: &[SourceFile]) -> ApplyOutcome {
        let mut outcome = self.apply_files(files, Prune::Nothing);
        outcome.kept.clear();
        outcome
    }

    fn apply_files(&mut self, files: &[SourceFile], prune: Prune) -> ApplyOutcome {
        let Loaded { mut objects, fingerprints, mut diagnostics, syntax_ok } =
            load::load_workspace_cached(files, &mut self.load_cache);
        if !syntax_ok {
            sort(&mut diagnostics);
            return ApplyOutcome { changes: Vec::new(), diagnostics, stale: true, kept: Vec::new() };
        }
        let rejected_any = diagnostics.iter().any(|d| d.severity == Severity::Error);
        let keep = rejected_any || prune == Prune::Nothing;
        let mut kept = if keep { objects.keep_missing_from(&self.objects) } else { Vec::new() };
        let mut reconciled = controllers::reconcile(&objects, &self.memory);
        // Objects the API server refused in reconcile (their namespace aside): each is taken
        // out, its live version put back (with every object an error keeps from the prune), and
        // the whole reconciled again from the allocations before this apply (`self.memory`,
        // which reconciling only reads), at most once per object. The refusals' errors are the
        // ones reported.
        let mut refused_once = BTreeSet::new();
        let mut refusal_errors = Vec::new();
        loop {
            let refused: BTreeSet<ObjectRef> = reconciled
                .rejected
                .iter()
                .filter(|r| !reconciled.without_namespace.contains(*r) && !refused_once.contains(*r))
                .cloned()
                .collect();
            if refused.is_empty() {
                break;
            }
            refusal_errors.extend(reconciled.diagnostics.into_iter().filter(|d| d.severity == Severity::Error));
            objects.remove(&refused);
            for back in objects.keep_missing_from(&self.objects) {
                if !kept.contains(&back) {
                    kept.push(back);
                }
            }
            refused_once.extend(refused);
            reconciled = controllers::reconcile(&objects, &self.memory);
        }
        diagnostics.extend(reconciled.diagnostics);
        diagnostics.extend(warnings::check(&objects, &reconciled.cluster));
        if !refusal_errors.is_empty() {
            diagnostics = unique(refusal_errors.into_iter().chain(diagnostics));
        }
        diagnostics.retain(|d| d.file != KEPT_FILE);
        sort(&mut diagnostics);

        let mut changes = Vec::new();
        let mut applied = BTreeMap::new();
        for (_, object) in objects.refs() {
            if reconciled.rejected.contains(&object) {
                continue;
            }
            if kept.contains(&object) {
                if let Some(before) = self.applied.get(&object) {
                    applied.insert(object, *before);
                }
                continue;
            }
            let fingerprint = fingerprints.get(&object).copied().unwrap_or_default();
            let action = match self.applied.get(&object) {
                None => Action::Created,
                Some(before) if *before == fingerprint => Action::Unchanged,
                Some(_) => Action::Configured,
            };
            changes.push(Change { object: object.clone(), action });
            applied.insert(object, fingerprint);
        }
        for gone in self.applied.keys().filter(|k| !applied.contains_key(*k)) {
            changes.push(Change { object: gone.clone(), action: Action::Deleted });
        }
        self.applied = applied;
        self.memory = reconciled.memory;
        self.cluster = Arc::new(reconciled.cluster);
        self.objects = objects;
        self.policy_index = OnceLock::new();
        ApplyOutcome { changes, diagnostics, stale: false, kept }
    }

    /// The cluster after the last successful apply.
    pub fn cluster(&self) -> &Cluster {
        &self.cluster
    }

    /// The cluster's NetworkPolicies compiled for connectivity matrices
    /// ([`PolicyIndex::matrix`]), once per apply.
    pub fn policy_index(&self) -> &PolicyIndex {
        self.policy_index.get_or_init(|| PolicyIndex::new(&self.cluster))
    }

    /// The cluster as view structs, for drawing.
    pub fn view(&self) -> ClusterView {
        ClusterView::of(&self.cluster)
    }

    /// The cluster this workspace would give if the declared Service `namespace/name` had
    /// `externalTrafficPolicy: policy`: the same objects reconciled again with a copy of the
    /// allocations, so every address, nodePort, load balancer and pod stays where it is. As the
    /// API server does (`dropTypeDependentFields`), a Service switched to `Cluster` loses its
    /// `healthCheckNodePort` and a LoadBalancer switched to `Local` is allocated one. The
    /// simulation itself is untouched. `None` when no such Service was applied.
    pub fn cluster_with_external_policy(&self, namespace: &str, name: &str, policy: TrafficPolicy) -> Option<Cluster> {
        let mut objects = self.objects.clone();
        let declared =
            objects.services.iter_mut().find(|s| s.object.meta.namespace == namespace && s.object.meta.name == name)?;
        let spec = &mut declared.object.spec;
        if spec.external_traffic_policy != policy {
            spec.external_traffic_policy = policy;
            if policy == TrafficPolicy::Cluster {
                spec.health_check_node_port = None;
            }
        }
        Some(controllers::reconcile(&objects, &self.memory).cluster)
    }
}

/// Whether an apply deletes the live objects its files no longer declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Prune {
    /// `--prune` over the whole workspace (objects declared nowhere are deleted).
    Workspace,
    /// Plain `kubectl apply -f FILE`: nothing is deleted.
    Nothing,
}

/// `diagnostics` without repeats, in their first order.
fn unique(diagnostics: impl Iterator<Item = Diagnostic>) -> Vec<Diagnostic> {
    let mut unique: Vec<Diagnostic> = Vec::new();
    for d in diagnostics {
        if !unique.contains(&d) {
            unique.push(d);
        }
    }
    unique
}

fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| (&a.file, a.span.start, a.severity).cmp(&(&b.file, b.span.start, b.severity)));
}

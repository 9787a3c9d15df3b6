//! The playground's shared state: the workspace files and the simulation applied to them.
//!
//! One source of truth: the [`Simulation`] lives in a signal and is written only by
//! [`Playground::apply_now`], which applies every file of the workspace, as `kubectl apply
//! --prune -f` over a folder would. Edits reach it debounced ([`APPLY_DELAY`] after the last
//! keystroke), so typing stays smooth and the feed shows one line per real change.
//!
//! Every handler that changes the workspace saves it to browser storage before it returns
//! and before anything is applied, so a panic in the model cannot lose the learner's text.
//! A YAML syntax error leaves the last good cluster in place and marks it stale (core's
//! `ApplyOutcome::stale`).

use crate::storage::{Loaded, SavedFile, SavedWorkspace, Store, Unreadable};
use kubeplay_core::diag::Diagnostic;
use kubeplay_core::simulation::{Action, Simulation, SourceFile};
use kubeplay_core::view::ClusterView;
use leptos::prelude::*;
use std::time::Duration;

/// The file name of the default sandbox workspace.
pub const SANDBOX_FILE: &str = "app.yaml";
/// The default sandbox workspace: a Deployment and a Service.
pub const SANDBOX_TEXT: &str = include_str!("../../examples/sandbox/app.yaml");
/// How long the learner must pause before an edit is applied.
pub const APPLY_DELAY: Duration = Duration::from_millis(150);
/// How many lines of apply output the feed keeps.
const FEED_LINES: usize = 6;
/// The longest file name accepted.
pub const MAX_NAME: usize = 64;

/// A file's identity for the lifetime of the page (names change on rename; ids do not).
pub type FileId = u32;

/// One workspace file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceFile {
    pub id: FileId,
    pub name: String,
    /// The text as the learner typed it (never altered by the app).
    pub text: String,
}

/// One line of apply output, as kubectl prints it: `service/web configured`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeedLine {
    /// Increases with every line, to key the list.
    pub seq: u64,
    pub text: String,
    pub action: Action,
}

/// Something the learner should know about their work, shown above the editor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub text: String,
    pub action: Option<NoticeAction>,
}

/// The button a notice offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeAction {
    /// Bring back the file deleted last.
    UndoDelete,
    /// Apply the workspace (after a start without applying).
    ApplyNow,
}

/// Shared playground state, provided as context to every component.
#[derive(Clone, Copy)]
pub struct Playground {
    files: RwSignal<Vec<WorkspaceFile>>,
    active: RwSignal<FileId>,
    /// `(id, name)` of each file in tab order; unchanged by edits to the text.
    names: Memo<Vec<(FileId, String)>>,
    /// Bumped when a file's text changes from outside the editor (restore, undo, lessons).
    external: RwSignal<u64>,
    simulation: RwSignal<Simulation>,
    /// The cluster of the last apply as view structs, computed once per apply for every reader.
    view: Memo<ClusterView>,
    /// Diagnostics of the last apply, for every file (read-only outside this module).
    pub diagnostics: RwSignal<Vec<Diagnostic>>,
    /// Whether the cluster shown predates a syntax error in the workspace (read-only outside
    /// this module).
    pub stale: RwSignal<bool>,
    feed: RwSignal<Vec<FeedLine>>,
    notice: RwSignal<Option<Notice>>,
    /// Bumped by every apply, so that lesson goals are checked again.
    applied: RwSignal<u64>,
    book: StoredValue<Book>,
    store: Store,
}

/// Bookkeeping that nothing on screen reads.
#[derive(Debug, Default)]
struct Book {
    /// The file deleted last, and where it was, for undo.
    deleted: Option<(usize, WorkspaceFile)>,
    next_id: FileId,
    next_feed_line: u64,
    /// The debounced apply waiting to run.
    pending: Option<TimeoutHandle>,
}

impl Playground {
    /// The workspace saved in `store`, or the sandbox when there is none (or it cannot be
    /// read), applied at once unless the learner asked to start without applying.
    pub fn restore(store: Store) -> Playground {
        let sandbox = || SavedWorkspace {
            files: vec![SavedFile { name: SANDBOX_FILE.into(), text: SANDBOX_TEXT.into() }],
            active: 0,
        };
        let (saved, notice) = match store.load() {
            Loaded::Found(saved) => (saved, None),
            Loaded::Nothing => (sandbox(), None),
            Loaded::Unreadable { reason, kept_as } => {
                let text = unreadable("Your saved workspace", &reason, kept_as, "The sandbox was opened instead.");
                (sandbox(), Some(Notice { text, action: None }))
            }
        };
        let playground = Playground::with(store, saved);
        playground.notice.set(notice);
        if crate::storage::take_safe_start() {
            playground.notice.set(Some(Notice {
                text: "kubeplay started without applying your files, after an error. Your files are as you left them."
                    .into(),
                action: Some(NoticeAction::ApplyNow),
            }));
        } else {
            playground.apply_now();
        }
        playground.persist();
        playground
    }

    /// A playground holding `saved`, saving to `store`, not applied yet.
    fn with(store: Store, saved: SavedWorkspace) -> Playground {
        let files: Vec<WorkspaceFile> =
            saved.files.into_iter().zip(0..).map(|(f, id)| WorkspaceFile { id, name: f.name, text: f.text }).collect();
        let active = files.get(saved.active).or(files.first()).map_or(0, |f| f.id);
        let next_id = files.len() as FileId;
        let files = RwSignal::new(files);
        let simulation = RwSignal::new(Simulation::new());
        Playground {
            files,
            active: RwSignal::new(active),
            names: Memo::new(move |_| files.with(|fs| fs.iter().map(|f| (f.id, f.name.clone())).collect())),
            external: RwSignal::new(0),
            simulation,
            view: Memo::new(move |_| simulation.with(Simulation::view)),
            diagnostics: RwSignal::new(Vec::new()),
            stale: RwSignal::new(false),
            feed: RwSignal::new(Vec::new()),
            notice: RwSignal::new(None),
            applied: RwSignal::new(0),
            book: StoredValue::new(Book { next_id, ..Book::default() }),
            store,
        }
    }

    /// `(id, name)` of every file, in tab order.
    pub fn names(&self) -> Vec<(FileId, String)> {
        self.names.get()
    }

    /// The open file's id.
    pub fn active(&self) -> FileId {
        self.active.get()
    }

    /// The open file's id, without subscribing to changes.
    pub fn active_untracked(&self) -> FileId {
        self.active.get_untracked()
    }

    /// A file by id (tracked: re-read on every edit of any file).
    pub fn file(&self, id: FileId) -> Option<WorkspaceFile> {
        self.files.with(|fs| fs.iter().find(|f| f.id == id).cloned())
    }

    /// A file by id, without subscribing to changes.
    pub fn file_untracked(&self, id: FileId) -> Option<WorkspaceFile> {
        self.files.with_untracked(|fs| fs.iter().find(|f| f.id == id).cloned())
    }

    /// The id of the file named `name`, if any.
    pub fn id_of(&self, name: &str) -> Option<FileId> {
        self.names.with(|ns| ns.iter().find(|(_, n)| n == name).map(|(id, _)| *id))
    }

    /// Changes whenever a file's text is replaced from outside the editor.
    pub fn external_revision(&self) -> u64 {
        self.external.get()
    }

    /// Changes after every apply.
    pub fn applied_revision(&self) -> u64 {
        self.applied.get()
    }

    /// Every file as core takes it, without subscribing to changes.
    pub fn sources(&self) -> Vec<SourceFile> {
        self.files.with_untracked(|fs| fs.iter().map(|f| SourceFile::new(f.name.clone(), f.text.clone())).collect())
    }

    /// The whole workspace as it is saved.
    pub fn snapshot(&self) -> SavedWorkspace {
        self.files.with_untracked(|fs| SavedWorkspace {
            files: fs.iter().map(|f| SavedFile { name: f.name.clone(), text: f.text.clone() }).collect(),
            active: fs.iter().position(|f| f.id == self.active.get_untracked()).unwrap_or(0),
        })
    }

    /// Keeps a copy of the workspace in storage before it is replaced; the key it is under.
    pub fn keep_copy(&self) -> Option<String> {
        self.store.keep(&self.snapshot())
    }

    /// Replaces the whole workspace with `saved` (opening a lesson or the sandbox), then saves
    /// and applies it. The caller keeps the old files first.
    pub fn load(&self, saved: SavedWorkspace) {
        let first = self.book.try_update_value(|b| {
            b.deleted = None;
            b.next_id += saved.files.len() as FileId;
            b.next_id - saved.files.len() as FileId
        });
        let first = first.unwrap_or_default();
        let files: Vec<WorkspaceFile> = saved
            .files
            .into_iter()
            .zip(first..)
            .map(|(f, id)| WorkspaceFile { id, name: f.name, text: f.text })
            .collect();
        let active = files.get(saved.active).or(files.first()).map_or(first, |f| f.id);
        self.files.set(files);
        self.active.set(active);
        self.external.update(|n| *n += 1);
        self.notice.set(None);
        self.persist();
        self.apply_now();
    }

    /// The latest apply output, oldest first.
    pub fn feed(&self) -> Vec<FeedLine> {
        self.feed.get()
    }

    /// The notice to show, if any.
    pub fn notice(&self) -> Option<Notice> {
        self.notice.get()
    }

    /// Calls `f` with the simulation of the last apply, without subscribing to changes (for
    /// handlers that compute once: a console command, a trace the learner picked).
    pub fn with_simulation_untracked<R>(&self, f: impl FnOnce(&Simulation) -> R) -> R {
        self.simulation.with_untracked(f)
    }

    /// The cluster as view structs (tracked).
    pub fn view(&self) -> ClusterView {
        self.view.get()
    }

    /// The cluster as view structs, computed once per apply and shared by every reader; an
    /// apply that leaves the view equal notifies no one.
    pub fn view_memo(&self) -> Memo<ClusterView> {
        self.view
    }

    /// Asks the simulation a question (tracked: asked again after every apply).
    pub fn with_simulation<R>(&self, question: impl FnOnce(&Simulation) -> R) -> R {
        self.simulation.with(question)
    }

    /// The learner typed: `text` is file `id`'s new content. Saved now, applied after a pause.
    pub fn edit(&self, id: FileId, text: String) {
        self.files.update(|fs| {
            if let Some(f) = fs.iter_mut().find(|f| f.id == id) {
                f.text = text;
            }
        });
        self.persist();
        self.schedule_apply();
    }

    /// Replaces file `id`'s text from outside the editor (the editor shows the new text).
    pub fn replace_text(&self, id: FileId, text: String) {
        self.files.update(|fs| {
            if let Some(f) = fs.iter_mut().find(|f| f.id == id) {
                f.text = text;
            }
        });
        self.external.update(|n| *n += 1);
        self.persist();
        self.apply_now();
    }

    /// Opens file `id` in the editor.
    pub fn select(&self, id: FileId) {
        if self.active.get_untracked() != id && self.file_untracked(id).is_some() {
            self.active.set(id);
            self.persist();
        }
    }

    /// Adds an empty file with a fresh name, opens it and returns its id.
    pub fn add_file(&self) -> FileId {
        let taken: Vec<String> = self.names.get_untracked().into_iter().map(|(_, n)| n).collect();
        let name = (1..).map(|n| format!("untitled-{n}.yaml")).find(|n| !taken.contains(n)).unwrap_or_default();
        let id = self.fresh_id();
        self.files.update(|fs| fs.push(WorkspaceFile { id, name, text: String::new() }));
        self.active.set(id);
        self.persist();
        id
    }

    /// Renames file `id`; the error says why the name is refused.
    pub fn rename(&self, id: FileId, name: &str) -> Result<(), String> {
        let name = name.trim();
        if name.is_empty() {
            return Err("A file needs a name.".into());
        }
        if name.chars().count() > MAX_NAME {
            return Err(format!("Keep the name under {MAX_NAME} characters."));
        }
        if name.contains(['/', '\\']) || name.chars().any(char::is_control) {
            return Err("A file name cannot contain slashes or control characters.".into());
        }
        let clash = self.names.with_untracked(|ns| ns.iter().any(|(other, n)| *other != id && n == name));
        if clash {
            return Err(format!("There is already a file named {name}."));
        }
        self.files.update(|fs| {
            if let Some(f) = fs.iter_mut().find(|f| f.id == id) {
                f.name = name.to_string();
            }
        });
        self.persist();
        self.apply_now();
        Ok(())
    }

    /// Deletes file `id` (never the last one), offering to undo it.
    pub fn delete(&self, id: FileId) {
        let mut removed = None;
        self.files.update(|fs| {
            if fs.len() > 1 {
                if let Some(index) = fs.iter().position(|f| f.id == id) {
                    removed = Some((index, fs.remove(index)));
                }
            }
        });
        let Some((index, file)) = removed else { return };
        if self.active.get_untracked() == id {
            let next = self.files.with_untracked(|fs| fs[index.min(fs.len() - 1)].id);
            self.active.set(next);
        }
        self.notice
            .set(Some(Notice { text: format!("Deleted {}.", file.name), action: Some(NoticeAction::UndoDelete) }));
        self.book.update_value(|b| b.deleted = Some((index, file)));
        self.persist();
        self.apply_now();
    }

    /// Brings back the file deleted last, under a fresh name if its name was taken since.
    pub fn undo_delete(&self) {
        let Some((index, mut file)) = self.book.try_update_value(|b| b.deleted.take()).flatten() else { return };
        let taken = |name: &str| self.names.with_untracked(|ns| ns.iter().any(|(_, n)| n == name));
        if taken(&file.name) {
            let base = file.name.clone();
            file.name = (2..).map(|n| format!("{n}-{base}")).find(|n| !taken(n)).unwrap_or(base);
        }
        let id = file.id;
        self.files.update(|fs| fs.insert(index.min(fs.len()), file));
        self.active.set(id);
        self.external.update(|n| *n += 1);
        self.notice.set(None);
        self.persist();
        self.apply_now();
    }

    /// Carries out a notice's action.
    pub fn act(&self, action: NoticeAction) {
        match action {
            NoticeAction::UndoDelete => self.undo_delete(),
            NoticeAction::ApplyNow => {
                self.notice.set(None);
                self.apply_now();
            }
        }
    }

    /// Shows `text` as a notice without an action.
    pub fn notify(&self, text: String) {
        self.notice.set(Some(Notice { text, action: None }));
    }

    /// Hides the notice.
    pub fn dismiss_notice(&self) {
        self.notice.set(None);
    }

    /// Applies the workspace now, cancelling a pending debounced apply.
    pub fn apply_now(&self) {
        if let Some(Some(handle)) = self.book.try_update_value(|b| b.pending.take()) {
            handle.clear();
        }
        let Some(files) = self.files.try_with_untracked(|fs| {
            fs.iter().map(|f| SourceFile::new(f.name.clone(), f.text.clone())).collect::<Vec<_>>()
        }) else {
            return; // The playground was disposed (its page was unmounted).
        };
        let Some(outcome) = self.simulation.try_update(|sim| sim.apply(&files)) else { return };
        // Unchanged values are not set again: their readers (the editor's underlines, the
        // problem list) would redo their work for nothing.
        if self.stale.get_untracked() != outcome.stale {
            self.stale.set(outcome.stale);
        }
        if self.diagnostics.with_untracked(|d| *d != outcome.diagnostics) {
            self.diagnostics.set(outcome.diagnostics);
        }
        self.applied.update(|n| *n += 1);
        let changed: Vec<_> = outcome.changes.into_iter().filter(|c| c.action != Action::Unchanged).collect();
        if !changed.is_empty() {
            let count = changed.len() as u64;
            let first = self.book.try_update_value(|b| {
                b.next_feed_line += count;
                b.next_feed_line - count
            });
            let first = first.unwrap_or_default();
            self.feed.update(|feed| {
                for (seq, change) in (first..).zip(changed) {
                    feed.push(FeedLine {
                        seq,
                        text: format!("{} {}", change.object, change.action.as_str()),
                        action: change.action,
                    });
                }
                let excess = feed.len().saturating_sub(FEED_LINES);
                feed.drain(..excess);
            });
        }
    }

    /// Applies [`APPLY_DELAY`] after the last call.
    fn schedule_apply(&self) {
        let this = *self;
        let handle = set_timeout_with_handle(move || this.apply_now(), APPLY_DELAY).ok();
        if let Some(Some(previous)) = self.book.try_update_value(|b| std::mem::replace(&mut b.pending, handle)) {
            previous.clear();
        }
    }

    fn fresh_id(&self) -> FileId {
        self.book
            .try_update_value(|b| {
                b.next_id += 1;
                b.next_id - 1
            })
            .unwrap_or_default()
    }

    /// Saves the workspace; a failure is shown as a notice (once, not on every keystroke).
    fn persist(&self) {
        if self.files.try_with_untracked(|_| ()).is_none() {
            return; // The playground was disposed.
        }
        let saved = self.snapshot();
        if let Err(reason) = self.store.save(&saved) {
            let text = format!("Your changes could not be saved in this browser ({reason}). Keep this tab open.");
            if self.notice.with_untracked(|n| n.as_ref().map(|n| &n.text) != Some(&text)) {
                self.notice.set(Some(Notice { text, action: None }));
            }
        }
    }
}

/// The notice for saved data that could not be read: `what`, why, what was done `instead`, and
/// where the old data is kept.
pub fn unreadable(what: &str, reason: &Unreadable, kept_as: Option<String>, instead: &str) -> String {
    let kept = match kept_as {
        Some(key) => format!("The old data is kept in this browser's storage under \"{key}\"."),
        None => "The old data could not be kept.".to_string(),
    };
    format!("{what} could not be read: {}. {instead} {kept}", reason.0)
}

/// The playground from context.
pub fn use_playground() -> Playground {
    expect_context::<Playground>()
}

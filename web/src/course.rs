//! The lessons' shared state: which lesson is open, its goals as core grades them, the hints
//! shown, and the learner's progress.
//!
//! The open workspace is the [`Playground`]'s; opening a lesson or the sandbox first keeps the
//! files being left in the saved [`Progress`] (so switching never loses text), then loads the
//! other workspace: its kept files, or the lesson's start files the first time. After every
//! apply the open lesson's goals are checked with core's [`check`] against the playground's
//! files; a lesson whose goals all pass is recorded as complete. Every fact shown (a goal
//! passed, what the model does instead) is core's.
//!
//! Lessons opened from a folder ([`crate::lesson_folder`]) join the list for the session; one
//! loaded again replaces its earlier version, and none may take an embedded lesson's id. After
//! a reload such a lesson is gone: when it was open, its files are kept under its id (opening
//! the folder again finds them) and the sandbox opens, so the sandbox is never overwritten.

use crate::player::Playback;
use crate::progress::{self, Progress, PROGRESS_KEY};
use crate::state::{unreadable, Playground, SANDBOX_FILE, SANDBOX_TEXT};
use crate::storage::{Loaded, SavedFile, SavedWorkspace, Store};
use kubeplay_core::lessons::play::{play, playable, GoalPlay};
use kubeplay_core::lessons::{check, Lesson, Report, LESSON_FILE};
use kubeplay_core::simulation::SourceFile;
use leptos::prelude::*;
use std::collections::BTreeSet;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/lessons.rs"));
}

/// Every embedded lesson that parses, in folder order; a broken one is skipped (the native
/// test suite checks that none is).
pub fn lessons() -> Vec<Lesson> {
    embedded::LESSONS
        .iter()
        .filter_map(|(folder, files)| {
            let files: Vec<SourceFile> = files.iter().map(|(name, text)| SourceFile::new(*name, *text)).collect();
            Lesson::parse(folder, &files).ok()
        })
        .collect()
}

/// A lesson's start files, the first editable one open.
fn start_workspace(lesson: &Lesson) -> SavedWorkspace {
    let files: Vec<SavedFile> =
        lesson.start.iter().map(|f| SavedFile { name: f.name.clone(), text: f.text.clone() }).collect();
    let active = files.iter().position(|f| lesson.file.editable.contains(&f.name)).unwrap_or(0);
    SavedWorkspace { files, active }
}

/// The default sandbox: one file of example objects.
fn default_sandbox() -> SavedWorkspace {
    SavedWorkspace { files: vec![SavedFile { name: SANDBOX_FILE.into(), text: SANDBOX_TEXT.into() }], active: 0 }
}

/// Shared lesson state, provided as context.
#[derive(Clone, Copy)]
pub struct Course {
    lessons: RwSignal<Vec<Lesson>>,
    /// Ids of the lessons opened from a folder this session.
    from_folder: RwSignal<BTreeSet<String>>,
    /// Why the last folder opened is not a lesson (empty when it was one).
    folder_problems: RwSignal<Vec<String>>,
    /// Index of the open lesson; `None` in the sandbox.
    open: RwSignal<Option<usize>>,
    /// The open lesson's goals after the last apply.
    report: RwSignal<Option<Report>>,
    /// How many hints of the open lesson are shown.
    hints: RwSignal<usize>,
    progress: RwSignal<Progress>,
    playground: Playground,
    store: Store,
}

impl Course {
    /// The progress saved in `store` (nothing, when it cannot be read: the unreadable data
    /// is kept under a backup key and a notice says so), over `playground`, checking goals
    /// after every apply.
    pub fn new(playground: Playground, store: Store) -> Course {
        let mut progress = match store.load_with(progress::decode) {
            Loaded::Found(progress) => progress,
            Loaded::Nothing => Progress::default(),
            Loaded::Unreadable { reason, kept_as } => {
                let instead = "Lessons start afresh; your open files are as you left them.";
                playground.notify(unreadable("Your lesson progress", &reason, kept_as, instead));
                Progress::default()
            }
        };
        let lessons = lessons();
        let open = progress.open.as_ref().and_then(|id| lessons.iter().position(|l| &l.file.id == id));
        let gone = if open.is_none() { progress.open.take() } else { None };
        if let Some(id) = &gone {
            progress.lessons.insert(id.clone(), playground.snapshot());
            playground.load(progress.sandbox.take().unwrap_or_else(default_sandbox));
            playground.notify(format!(
                "The lesson \"{id}\" is not in this app (a lesson opened from a folder lasts one visit): your \
                 files for it are kept and come back when you open its folder again. The sandbox is open."
            ));
        }
        let course = Course {
            lessons: RwSignal::new(lessons),
            from_folder: RwSignal::new(BTreeSet::new()),
            folder_problems: RwSignal::new(Vec::new()),
            open: RwSignal::new(open),
            report: RwSignal::new(None),
            hints: RwSignal::new(0),
            progress: RwSignal::new(progress),
            playground,
            store,
        };
        Effect::new(move |_| {
            playground.applied_revision();
            course.grade();
        });
        if gone.is_some() {
            course.save();
        }
        course
    }

    /// Every lesson, in order: the embedded ones, then those opened from a folder.
    pub fn all(&self) -> Vec<Lesson> {
        self.lessons.get()
    }

    /// How many lessons there are.
    pub fn count(&self) -> usize {
        self.lessons.with(Vec::len)
    }

    /// The open lesson, if any.
    pub fn open(&self) -> Option<Lesson> {
        let index = self.open.get()?;
        self.lessons.with(|ls| ls.get(index).cloned())
    }

    /// Whether lesson `id` was opened from a folder.
    pub fn is_from_folder(&self, id: &str) -> bool {
        self.from_folder.with(|ids| ids.contains(id))
    }

    /// Why the last folder opened is not a lesson, one `file:line:col: message` a line.
    pub fn folder_problems(&self) -> Vec<String> {
        self.folder_problems.get()
    }

    /// Adds a lesson read from a folder (replacing its earlier version) and opens it; when it
    /// is not a lesson, or takes an embedded lesson's id, shows why and changes nothing else.
    /// Whether it was added.
    pub fn add_from_folder(&self, read: Result<Lesson, Vec<String>>) -> bool {
        let lesson = match read {
            Ok(lesson) => lesson,
            Err(problems) => {
                self.folder_problems.set(problems);
                return false;
            }
        };
        let id = lesson.file.id.clone();
        let index = self.lessons.with_untracked(|ls| ls.iter().position(|l| l.file.id == id));
        if index.is_some() && !self.from_folder.with_untracked(|ids| ids.contains(&id)) {
            let problem =
                format!("{}/{LESSON_FILE}: id \"{id}\" is a built-in lesson's id; give yours another", lesson.folder);
            self.folder_problems.set(vec![problem]);
            return false;
        }
        self.folder_problems.set(Vec::new());
        self.from_folder.update(|ids| {
            ids.insert(id);
        });
        let index = match index {
            Some(index) => {
                self.lessons.update(|ls| ls[index] = lesson);
                index
            }
            None => {
                self.lessons.update(|ls| ls.push(lesson));
                self.count_untracked() - 1
            }
        };
        if self.open.get_untracked() == Some(index) {
            self.grade();
        }
        self.open_lesson(index);
        true
    }

    fn count_untracked(&self) -> usize {
        self.lessons.with_untracked(Vec::len)
    }

    /// Index of the open lesson.
    pub fn open_index(&self) -> Option<usize> {
        self.open.get()
    }

    /// The open lesson's goals as core graded them after the last apply.
    pub fn report(&self) -> Option<Report> {
        self.report.get()
    }

    /// How many hints are shown.
    pub fn hints_shown(&self) -> usize {
        self.hints.get()
    }

    /// Shows one more hint.
    pub fn next_hint(&self) {
        self.hints.update(|n| *n += 1);
    }

    /// Whether lesson `id` was completed.
    pub fn completed(&self, id: &str) -> bool {
        self.progress.with(|p| p.completed.contains(id))
    }

    /// Whether lesson `id` has files kept from an earlier visit.
    pub fn started(&self, id: &str) -> bool {
        self.progress.with(|p| p.lessons.contains_key(id))
    }

    /// Opens lesson `index` (its kept files, or its start files the first time).
    pub fn open_lesson(&self, index: usize) {
        if self.open.get_untracked() == Some(index) {
            return;
        }
        let Some(lesson) = self.lessons.with_untracked(|ls| ls.get(index).cloned()) else { return };
        let id = lesson.file.id.clone();
        let kept = self.progress.try_update(|p| p.lessons.remove(&id)).flatten();
        self.switch(Some(index), Some(id), kept.unwrap_or_else(|| start_workspace(&lesson)));
    }

    /// Opens the sandbox (its kept files, or the default sandbox).
    pub fn open_sandbox(&self) {
        if self.open.get_untracked().is_none() {
            return;
        }
        let kept = self.progress.try_update(|p| p.sandbox.take()).flatten();
        self.switch(None, None, kept.unwrap_or_else(default_sandbox));
    }

    /// Puts the open lesson's start files back (the caller asked the learner first).
    pub fn reset_lesson(&self) {
        if let Some(lesson) = self.open_untracked() {
            self.playground.load(start_workspace(&lesson));
        }
    }

    /// Lays the open lesson's solution files over the learner's (the caller asked first).
    pub fn apply_solution(&self) {
        let Some(lesson) = self.open_untracked() else {
            return;
        };
        let mut workspace = self.playground.snapshot();
        for file in &lesson.solution {
            match workspace.files.iter_mut().find(|f| f.name == file.name) {
                Some(mine) => mine.text = file.text.clone(),
                None => workspace.files.push(SavedFile { name: file.name.clone(), text: file.text.clone() }),
            }
        }
        self.playground.load(workspace);
    }

    /// Runs goal `goal_id`'s probe of the open lesson on the learner's files, for the player:
    /// the trace or lookup as core's view data, or why there is nothing to play.
    pub fn goal_playback(&self, goal_id: &str) -> Result<Playback, String> {
        let lesson = self.open_untracked().ok_or("no lesson is open")?;
        let title =
            lesson.file.goals.iter().find(|g| g.id == goal_id).map(|g| g.description.clone()).unwrap_or_default();
        Ok(match play(&lesson, &self.playground.sources(), goal_id)? {
            GoalPlay::Trace(trace) => Playback::Trace { title, trace },
            GoalPlay::Lookup { client, lookup } => Playback::Lookup { title, client, lookup },
        })
    }

    /// Whether goal `goal_id` of the open lesson has a probe to play (untracked).
    pub fn goal_playable(&self, goal_id: &str) -> bool {
        self.open_untracked().is_some_and(|l| l.file.goals.iter().any(|g| g.id == goal_id && playable(&g.check)))
    }

    fn open_untracked(&self) -> Option<Lesson> {
        let index = self.open.get_untracked()?;
        self.lessons.with_untracked(|ls| ls.get(index).cloned())
    }

    /// Keeps the files being left, records `open_id`, saves, then loads `next`.
    fn switch(&self, index: Option<usize>, open_id: Option<String>, next: SavedWorkspace) {
        let leaving = self.playground.snapshot();
        let leaving_id = self.open_untracked().map(|l| l.file.id);
        self.progress.update(|p| {
            match leaving_id {
                Some(id) => {
                    p.lessons.insert(id, leaving);
                }
                None => p.sandbox = Some(leaving),
            }
            p.open = open_id;
        });
        self.save();
        self.hints.set(0);
        self.report.set(None);
        self.open.set(index);
        self.playground.load(next);
    }

    /// Grades the open lesson against the playground's files; records a completion.
    fn grade(&self) {
        let Some(lesson) = self.open_untracked() else {
            self.report.set(None);
            return;
        };
        let report = check(&lesson, &self.playground.sources());
        if report.passed() && !self.progress.with_untracked(|p| p.completed.contains(&lesson.file.id)) {
            self.progress.update(|p| {
                p.completed.insert(lesson.file.id.clone());
            });
            self.save();
        }
        self.report.set(Some(report));
    }

    fn save(&self) {
        // A failure here shows in the playground's own save of the same storage.
        let _ = self.progress.with_untracked(|p| self.store.save_text(&progress::encode(p)));
    }
}

/// The course from context.
pub fn use_course() -> Course {
    expect_context::<Course>()
}

/// Where the app keeps the progress.
pub const COURSE_STORE: Store = Store::new(PROGRESS_KEY);

//! Files arriving from outside (an imported file, pasted text, a share link) brought into the
//! sandbox the way the learner chose.
//!
//! Invariant: nothing the learner wrote is lost. Adding keeps every file (a clash is renamed);
//! replacing first keeps a copy of the replaced workspace in storage
//! ([`crate::storage::Store::keep`]); an open lesson is left through [`Course::open_sandbox`],
//! which keeps its files. Either way the result is saved and applied by
//! [`crate::state::Playground::load`], the path every workspace change takes, so problems show
//! in the editor as usual.

use crate::course::Course;
use crate::export::{added, arrival, Arrival};
use crate::state::{Playground, SANDBOX_FILE, SANDBOX_TEXT};
use crate::storage::{SavedFile, SavedWorkspace};

/// What the learner chose to do with arriving files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    /// Add them beside the sandbox's files.
    Add,
    /// Make them the sandbox (the old files kept in storage).
    Replace,
}

/// What was done.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The files were added; the names they got, in order.
    Added(Vec<String>),
    /// The sandbox was replaced; the storage key its old files are kept under.
    Replaced(String),
    /// The old files could not be kept in storage, so nothing was replaced.
    NotReplaced,
}

/// How a shared workspace arrives over the learner's open one.
pub fn arrival_of(playground: &Playground, course: &Course, shared: &[SavedFile]) -> Arrival {
    let pristine = [SavedFile { name: SANDBOX_FILE.into(), text: SANDBOX_TEXT.into() }];
    arrival(&playground.snapshot().files, shared, &pristine, course.open_index_untracked().is_none())
}

/// Brings `files` into the sandbox as `choice` says.
pub fn bring_in(playground: &Playground, course: &Course, files: &[SavedFile], choice: Choice) -> Outcome {
    course.open_sandbox();
    let current = playground.snapshot();
    match choice {
        Choice::Add => {
            let workspace = added(&current, files);
            let names = workspace.files[current.files.len()..].iter().map(|f| f.name.clone()).collect();
            playground.load(workspace);
            Outcome::Added(names)
        }
        Choice::Replace => {
            let Some(kept) = playground.keep_copy() else { return Outcome::NotReplaced };
            open_directly(playground, files);
            Outcome::Replaced(kept)
        }
    }
}

/// Opens `files` as the sandbox when the learner has no work there to lose (the untouched
/// sandbox), without asking.
pub fn open_directly(playground: &Playground, files: &[SavedFile]) {
    playground.load(added(&SavedWorkspace { files: Vec::new(), active: 0 }, files));
}

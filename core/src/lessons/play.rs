//! A goal's probe, run again for the app to animate ("play" a goal): the connection of a
//! connection goal as a trace, the lookup of a DNS goal query by query, both as the view data
//! `kubeplay trace -o json` and `kubeplay dns -o json` print. The probe is the very one
//! [`super::check`] grades ([`super::probe::connect`], the same lookup), so what plays is what
//! was judged.

use super::check::{lookup, Observed};
use super::goal::Check;
use super::probe::connect;
use super::Lesson;
use crate::dataplane::render::{self, TraceView};
use crate::dns::view::{self as dns_view, LookupView};
use crate::simulation::{Simulation, SourceFile};

/// What a goal's probe did, ready to animate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GoalPlay {
    Trace(TraceView),
    /// A lookup from the pod `client` (`ns/name`).
    Lookup {
        client: String,
        lookup: LookupView,
    },
}

/// Whether a goal has a probe to play (connection and DNS goals).
pub fn playable(check: &Check) -> bool {
    matches!(check, Check::Connection(_) | Check::Dns(_))
}

/// Applies the learner's files as [`super::check`] does and runs goal `goal_id`'s probe;
/// `Err` says in a sentence why there is nothing to play.
pub fn play(lesson: &Lesson, learner: &[SourceFile], goal_id: &str) -> Result<GoalPlay, String> {
    let goal = (lesson.file.goals.iter().find(|g| g.id == goal_id))
        .ok_or_else(|| format!("lesson {} has no goal \"{goal_id}\"", lesson.file.id))?;
    let mut sim = Simulation::new();
    sim.apply(&lesson.workspace(learner));
    let cluster = sim.cluster();
    let cannot = |observed: Observed| super::words::observed(cluster, &goal.check, &observed);
    match &goal.check {
        Check::Connection(g) => match connect(cluster, &g.from, &g.to, g.port, g.protocol) {
            Ok(trace) => Ok(GoalPlay::Trace(render::view(cluster, &trace))),
            Err(e) => Err(cannot(Observed::Probe(e))),
        },
        Check::Dns(g) => match lookup(cluster, g) {
            Ok(found) => {
                let client = if g.from.contains('/') { g.from.clone() } else { format!("default/{}", g.from) };
                Ok(GoalPlay::Lookup { client, lookup: dns_view::view(cluster, &found) })
            }
            Err(observed) => Err(cannot(*observed)),
        },
        _ => Err(format!("goal \"{goal_id}\" checks state, not a connection: there is nothing to play")),
    }
}

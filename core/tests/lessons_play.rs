//! Playing a goal: its probe run again as view data for the app's animation. What plays must
//! be what was judged: the same connection (verdict and backend) and the same lookup (rcode),
//! for the start and the solution alike.

mod lessons_support;

use kubeplay_core::lessons::play::{play, playable, GoalPlay};
use kubeplay_core::lessons::{check, Lesson};
use lessons_support::shipped;

fn lesson(id: &str) -> Lesson {
    shipped().into_iter().find(|l| l.file.id == id).expect("shipped lesson")
}

#[test]
fn every_playable_goal_of_every_lesson_plays_what_check_judged() {
    for l in shipped() {
        for files in [l.start.clone(), l.solved()] {
            let report = check(&l, &files);
            for (goal, result) in l.file.goals.iter().zip(&report.results) {
                if !playable(&goal.check) {
                    assert!(
                        play(&l, &files, &goal.id).is_err(),
                        "{}: {} plays though it checks state",
                        l.folder,
                        goal.id
                    );
                    continue;
                }
                match play(&l, &files, &goal.id) {
                    // A delivered trace passes a "delivered" goal only; anything else is judged
                    // from the same verdict, so the two agree on the word at least.
                    Ok(GoalPlay::Trace(view)) => {
                        if result.passed && result.actual.contains("delivered") {
                            assert_eq!(view.verdict, "delivered", "{}: {}", l.folder, goal.id);
                        }
                    }
                    Ok(GoalPlay::Lookup { client, lookup }) => {
                        assert!(client.contains('/'), "{client}");
                        assert!(!lookup.queries.is_empty());
                    }
                    // Nothing to play only when the probe could not even start.
                    Err(why) => assert!(!result.passed, "{}: {} passed but cannot play: {why}", l.folder, goal.id),
                }
            }
        }
    }
}

#[test]
fn a_dns_goal_plays_its_lookup_through_the_search_path_from_its_pod() {
    let l = lesson("dns-search-path");
    let Ok(GoalPlay::Lookup { client, lookup }) = play(&l, &l.start, "short-name") else { panic!("a lookup") };
    assert_eq!(client, "tools/reporter");
    // The start's search path has no shop domain: glibc tries every search domain, all NXDOMAIN.
    assert_eq!(lookup.rcode, "NXDOMAIN");
    assert_eq!(lookup.queries[0].name, "web.tools.svc.cluster.local");
    let Ok(GoalPlay::Lookup { lookup, .. }) = play(&l, &l.solved(), "short-name") else { panic!("a lookup") };
    assert_eq!(lookup.rcode, "NOERROR");
    assert!(lookup.queries.iter().any(|q| q.name == "web.shop.svc.cluster.local" && q.rcode == "NOERROR"));
}

#[test]
fn a_connection_goal_plays_its_trace_and_unknown_goals_say_so() {
    let l = lesson("service-selectors");
    let Ok(GoalPlay::Trace(view)) = play(&l, &l.solved(), "client-reaches-web") else { panic!("a trace") };
    assert_eq!(view.verdict, "delivered");
    assert_eq!(view.hops.first().map(|h| h.place.key.as_str()), Some("default/client"));
    assert!(play(&l, &l.start, "no-such-goal").unwrap_err().contains("no goal \"no-such-goal\""));
}

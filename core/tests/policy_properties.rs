//! Properties of the policy engine on random clusters (namespaces, pods with random labels and
//! ports, some on the host network, random policies with every kind of peer and port, any CNI
//! plugin), built as YAML and applied through `Simulation::apply`:
//! - every matrix cell equals `decide` on the cell's flow (the compiled matrix and the
//!   per-connection engine agree);
//! - adding an allow rule to a direction a policy already isolates never closes a pair
//!   (policies are additive);
//! - a policy that selects no pod changes nothing (isolation comes only from selection).

mod policy_support;

use kubeplay_core::policy::{decide, Matrix};
use kubeplay_core::render::Scope;
use kubeplay_core::simulation::Simulation;
use policy_support::{policy, policy_yaml, rule, simulation, workspace, world, PROBES};
use proptest::prelude::*;

fn matrices(sim: &Simulation) -> Vec<Matrix> {
    PROBES.iter().map(|(port, protocol)| sim.policy_index().matrix(*port, *protocol, &Scope::All)).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn every_matrix_cell_equals_decide_on_its_flow(w in world()) {
        let sim = simulation(&workspace(&w, ""));
        for matrix in matrices(&sim) {
            for i in 0..matrix.entries().len() {
                for j in 0..matrix.entries().len() {
                    let flow = matrix.flow(i, j);
                    let decision = decide(sim.cluster(), &flow);
                    prop_assert_eq!(
                        decision.allowed(), matrix.allowed(i, j),
                        "{} -> {} on {}/{}: {:#?}", matrix.entries()[i].label, matrix.entries()[j].label,
                        flow.port, flow.protocol, decision
                    );
                }
            }
        }
    }

    #[test]
    fn adding_an_allow_rule_never_closes_a_pair(w in world(), pick in any::<prop::sample::Index>(), extra in rule(), ingress in any::<bool>()) {
        prop_assume!(!w.policies.is_empty());
        let before = matrices(&simulation(&workspace(&w, "")));
        let mut wider = w.clone();
        let policy = &mut wider.policies[pick.index(w.policies.len())];
        // A rule for a direction the policy lists in policyTypes: adding one elsewhere would
        // change what the policy isolates, not what it allows.
        match (ingress, &mut policy.ingress, &mut policy.egress) {
            (true, Some(rules), _) | (false, _, Some(rules)) | (_, Some(rules), None) | (_, None, Some(rules)) => rules.push(extra),
            (_, None, None) => unreachable!("a policy has at least one type"),
        }
        let after = matrices(&simulation(&workspace(&wider, "")));
        for (old, new) in before.iter().zip(&after) {
            let diff = Matrix::diff(old, new);
            prop_assert!(diff.closed.is_empty(), "closed {:?} on {}/{}", diff.closed, old.port, old.protocol);
        }
    }

    #[test]
    fn a_policy_selecting_no_pod_changes_nothing(w in world(), lonely in policy()) {
        let before = matrices(&simulation(&workspace(&w, "")));
        let extra = policy_yaml(99, &lonely, "{matchLabels: {app: nobody}}");
        let after = matrices(&simulation(&workspace(&w, &extra)));
        prop_assert_eq!(before, after);
    }
}

//! The Deployment, ReplicaSet and StatefulSet controllers: from replicas to pods.
//!
//! A Deployment owns one ReplicaSet per pod template, named `<deployment>-<pod-template-hash>`,
//! whose pods are `<replicaset>-<suffix>` and carry the `pod-template-hash` label; editing the
//! template therefore gives new pod names (a rollout), while editing the replica count keeps the
//! existing ones. A StatefulSet's pods are `<name>-0` … `<name>-(N-1)`, with hostname = pod name
//! and subdomain = `serviceName`, which is what gives them stable DNS names.
//!
//! Not modeled: a StatefulSet's `podManagementPolicy: OrderedReady` (the default), under which
//! the controller creates `<name>-1` only once `<name>-0` is Running and Ready, and so on. The
//! model creates all of a StatefulSet's pods at once, as `Parallel` would, so a not-ready
//! `<name>-0` does not hold back the others here; rolling updates are not modeled either.
//!
//! A playground limit, not a Kubernetes rule: the API server accepts any `replicas` from 0 to
//! 2147483647 and a real controller creates every pod (those beyond what the nodes can run stay
//! Pending, `Too many pods`, see `scheduler`). The model materialises at most [`MAX_PODS`] pods in
//! all, so that `replicas: 100000000` cannot freeze the page: a [`PodBudget`] counts the bare
//! Pods (which always exist) and grants each workload what is left, Deployments first, then
//! ReplicaSets, then StatefulSets, each kind in apply order; a workload granted fewer than it
//! asked for is reported at its `replicas`.

use super::naming::{pod_template_hash_of, random_suffix_of};
use crate::api::meta::ObjectMeta;
use crate::api::pod::{Pod, PodTemplate};
use crate::api::workload::{Deployment, ReplicaSet, WorkloadSpec};
use crate::api::{Kind, ObjectRef};

/// The label carrying the template hash on a Deployment's ReplicaSet and pods.
pub const POD_TEMPLATE_HASH_LABEL: &str = "pod-template-hash";

/// The most pods the playground creates in a cluster, its own and the learner's together.
pub const MAX_PODS: u32 = 2000;

/// What is left of [`MAX_PODS`] while the controllers create pods.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PodBudget {
    left: u32,
}

impl Default for PodBudget {
    fn default() -> Self {
        PodBudget { left: MAX_PODS }
    }
}

impl PodBudget {
    /// Counts pods that exist whatever the budget (bare Pods, each written by the learner).
    pub fn spend(&mut self, pods: u32) {
        self.left = self.left.saturating_sub(pods);
    }

    /// How many of `replicas` pods a workload may create, and spends them.
    pub fn grant(&mut self, replicas: u32) -> u32 {
        let granted = replicas.min(self.left);
        self.left -= granted;
        granted
    }
}

/// A pod a controller wants to exist, with its owner.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedPod {
    pub pod: Pod,
    pub owner: ObjectRef,
}

/// The ReplicaSet a Deployment currently drives.
pub fn replica_set_for(deployment: &Deployment) -> ReplicaSet {
    let hash = pod_template_hash_of(&deployment.spec.template);
    let mut template = deployment.spec.template.clone();
    template.labels.insert(POD_TEMPLATE_HASH_LABEL.into(), hash.clone());
    let mut selector = deployment.spec.selector.clone();
    selector.match_labels.insert(POD_TEMPLATE_HASH_LABEL.into(), hash.clone());
    let mut labels = deployment.spec.template.labels.clone();
    labels.insert(POD_TEMPLATE_HASH_LABEL.into(), hash.clone());
    ReplicaSet {
        meta: ObjectMeta {
            name: format!("{}-{}", deployment.meta.name, hash),
            namespace: deployment.meta.namespace.clone(),
            labels,
            annotations: Default::default(),
        },
        spec: WorkloadSpec { replicas: deployment.spec.replicas, selector, template },
    }
}

/// The pods of a ReplicaSet: `<name>-<suffix>` for each replica, created as they are taken.
pub fn replica_set_pods(rs: &ReplicaSet) -> impl Iterator<Item = OwnedPod> + '_ {
    let owner = ObjectRef::new(Kind::ReplicaSet, &rs.meta.namespace, &rs.meta.name);
    (0..rs.spec.replicas).map(move |i| {
        let name = format!("{}-{}", rs.meta.name, random_suffix_of(format_args!("{}/{}", rs.meta.name, i)));
        OwnedPod { pod: stamp(&rs.spec.template, name, &rs.meta.namespace), owner: owner.clone() }
    })
}

/// The pods of a StatefulSet: `<name>-<ordinal>`, hostname = pod name, subdomain = serviceName,
/// created as they are taken.
pub fn stateful_set_pods<'a>(
    name: &'a str,
    namespace: &'a str,
    spec: &'a WorkloadSpec,
    service_name: &'a str,
) -> impl Iterator<Item = OwnedPod> + 'a {
    let owner = ObjectRef::new(Kind::StatefulSet, namespace, name);
    (0..spec.replicas).map(move |i| {
        let pod_name = format!("{name}-{i}");
        let mut pod = stamp(&spec.template, pod_name.clone(), namespace);
        pod.spec.hostname = Some(pod_name.clone());
        pod.spec.subdomain = Some(service_name.to_string());
        pod.meta.labels.insert("statefulset.kubernetes.io/pod-name".into(), pod_name);
        pod.meta.labels.insert("apps.kubernetes.io/pod-index".into(), i.to_string());
        OwnedPod { pod, owner: owner.clone() }
    })
}

fn stamp(template: &PodTemplate, name: String, namespace: &str) -> Pod {
    Pod {
        meta: ObjectMeta {
            name,
            namespace: namespace.to_string(),
            labels: template.labels.clone(),
            annotations: template.annotations.clone(),
        },
        spec: template.spec.clone(),
        ready: template.ready,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::selector::LabelSelector;

    fn deployment(replicas: u32, image: &str) -> Deployment {
        let labels: crate::api::Labels = [("app".to_string(), "web".to_string())].into();
        let mut template = PodTemplate { labels: labels.clone(), ready: true, ..Default::default() };
        template.spec.containers.push(crate::api::pod::Container {
            name: "web".into(),
            image: image.into(),
            ports: vec![],
        });
        Deployment {
            meta: ObjectMeta { name: "web".into(), namespace: "default".into(), ..Default::default() },
            spec: WorkloadSpec { replicas, selector: LabelSelector::from_labels(labels), template },
        }
    }

    #[test]
    fn deployment_pods_are_named_replicaset_then_suffix_and_carry_the_template_hash() {
        let rs = replica_set_for(&deployment(2, "nginx:1.27"));
        let hash = rs.meta.name.strip_prefix("web-").expect("rs named after the deployment").to_string();
        let pods: Vec<OwnedPod> = replica_set_pods(&rs).collect();
        assert_eq!(pods.len(), 2);
        for p in &pods {
            let suffix = p.pod.meta.name.strip_prefix(&format!("web-{hash}-")).expect("pod named after rs");
            assert_eq!(suffix.len(), 5);
            assert_eq!(p.pod.meta.labels.get(POD_TEMPLATE_HASH_LABEL), Some(&hash));
        }
        assert_ne!(pods[0].pod.meta.name, pods[1].pod.meta.name);
    }

    #[test]
    fn scaling_keeps_pod_names_but_a_template_change_rolls_them() {
        let pods = |d: &Deployment| replica_set_pods(&replica_set_for(d)).collect::<Vec<_>>();
        let two = pods(&deployment(2, "nginx:1.27"));
        let three = pods(&deployment(3, "nginx:1.27"));
        assert_eq!(two[..], three[..2], "scaling up keeps the first pods");
        let rolled = pods(&deployment(2, "nginx:1.28"));
        assert!(rolled.iter().all(|p| two.iter().all(|q| q.pod.meta.name != p.pod.meta.name)));
    }

    #[test]
    fn stateful_set_pods_have_ordinal_names_and_stable_hostnames() {
        let d = deployment(3, "postgres:16");
        let pods: Vec<OwnedPod> = stateful_set_pods("db", "default", &d.spec, "db-headless").collect();
        let names: Vec<&str> = pods.iter().map(|p| p.pod.meta.name.as_str()).collect();
        assert_eq!(names, ["db-0", "db-1", "db-2"]);
        assert_eq!(pods[1].pod.spec.hostname.as_deref(), Some("db-1"));
        assert_eq!(pods[1].pod.spec.subdomain.as_deref(), Some("db-headless"));
    }

    #[test]
    fn the_pod_budget_grants_what_is_left_in_order() {
        let mut budget = PodBudget::default();
        budget.spend(10);
        assert_eq!(budget.grant(5), 5);
        assert_eq!(budget.grant(100_000_000), MAX_PODS - 15);
        assert_eq!(budget.grant(1), 0);
    }
}

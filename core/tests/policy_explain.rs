//! What a learner reads about a connection: `policy::explain` of `policy::decide`, as snapshots,
//! for the classic NetworkPolicy mistakes (kubernetes.io, "Network Policies": "Behavior of to
//! and from selectors", "Targeting a Namespace by its name", default deny egress) and the
//! model's exemptions and plugin-specific behaviour.
//!
//! Workspaces are applied through `Simulation::apply`. Pods spread over the two workers in
//! creation order, taking 10.244.1.2, 10.244.2.2, 10.244.1.3… (the two CoreDNS replicas come
//! first).

use kubeplay_core::api::Protocol;
use kubeplay_core::cluster::Cluster;
use kubeplay_core::policy::{decide, explain, Endpoint, Flow};
use kubeplay_core::simulation::{Simulation, SourceFile};

/// The cluster `text` produces; it must apply without error (the classic mistakes also get
/// warnings, `core/tests/warnings.rs`).
fn cluster(text: &str) -> Cluster {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("w.yaml", text)]);
    assert!(!outcome.has_errors(), "{:#?}", outcome.diagnostics);
    sim.cluster().clone()
}

fn pod(cluster: &Cluster, key: &str) -> Endpoint {
    let (ns, name) = key.split_once('/').expect("ns/name");
    Endpoint::Pod(cluster.find_pod(ns, name).unwrap_or_else(|| panic!("no pod {key}")))
}

/// The explanation of `src` connecting to `dst` on `port`/`protocol`.
#[track_caller]
fn check(cluster: &Cluster, src: Endpoint, dst: Endpoint, port: u16, protocol: Protocol, expected: &[&str]) {
    let decision = decide(cluster, &Flow { src, dst, port, protocol });
    let lines = explain(&decision, cluster);
    assert_eq!(lines, expected, "\n{}", lines.join("\n"));
}

/// Namespaces `web` (labelled `team: web`) and `db`, pods `web/frontend` (`app: frontend`),
/// `web/admin` (`app: admin`), `db/postgres` (`app: postgres`, port 5432 named `pg`), then
/// `extra`.
fn shop(extra: &str) -> String {
    format!(
        "apiVersion: v1
kind: Namespace
metadata:
  name: web
  labels:
    team: web
---
apiVersion: v1
kind: Namespace
metadata:
  name: db
---
apiVersion: v1
kind: Pod
metadata:
  name: frontend
  namespace: web
  labels:
    app: frontend
spec:
  containers:
  - name: main
    image: nginx
    ports:
    - containerPort: 80
---
apiVersion: v1
kind: Pod
metadata:
  name: admin
  namespace: web
  labels:
    app: admin
spec:
  containers:
  - name: main
    image: nginx
---
apiVersion: v1
kind: Pod
metadata:
  name: postgres
  namespace: db
  labels:
    app: postgres
spec:
  containers:
  - name: main
    image: postgres
    ports:
    - name: pg
      containerPort: 5432
---
{extra}"
    )
}

#[test]
fn two_dashes_make_two_peers_and_admit_either() {
    // Meant: pods app=frontend of namespaces team=web. Written: two elements, ORed.
    let c = cluster(&shop(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-frontend
  namespace: db
spec:
  podSelector:
    matchLabels:
      app: postgres
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          team: web
    - podSelector:
        matchLabels:
          app: frontend
",
    ));
    check(&c, pod(&c, "web/admin"), pod(&c, "db/postgres"), 5432, Protocol::TCP, &[
        "web/admin -> db/postgres on 5432/TCP: allowed",
        "egress from web/admin: not isolated: no NetworkPolicy of namespace web selects it, so all egress is allowed",
        "ingress to db/postgres: isolated by db/allow-frontend; allowed by db/allow-frontend ingress[0]: from[0] (namespaceSelector team=web) selects web/admin, on any port (the rule has no ports)",
        "note: db/allow-frontend ingress[0] lists namespaceSelector and podSelector as separate from elements, which are ORed: either one admits a peer; to require both, write them in one element (no dash before podSelector)",
    ]);
}

#[test]
fn one_dash_makes_one_peer_that_needs_both_selectors() {
    let c = cluster(&shop(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-frontend
  namespace: db
spec:
  podSelector:
    matchLabels:
      app: postgres
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          team: web
      podSelector:
        matchLabels:
          app: frontend
",
    ));
    check(&c, pod(&c, "web/admin"), pod(&c, "db/postgres"), 5432, Protocol::TCP, &[
        "web/admin -> db/postgres on 5432/TCP: denied by the ingress policy of db/postgres",
        "egress from web/admin: not isolated: no NetworkPolicy of namespace web selects it, so all egress is allowed",
        "ingress to db/postgres: isolated by db/allow-frontend, and no ingress rule allows this connection",
        "closest rule: db/allow-frontend ingress[0]: namespace web matches from[0] namespaceSelector team=web, but web/admin's labels (app=admin) do not match its podSelector app=frontend: in one element both must match",
    ]);
    check(&c, pod(&c, "web/frontend"), pod(&c, "db/postgres"), 5432, Protocol::TCP, &[
        "web/frontend -> db/postgres on 5432/TCP: allowed",
        "egress from web/frontend: not isolated: no NetworkPolicy of namespace web selects it, so all egress is allowed",
        "ingress to db/postgres: isolated by db/allow-frontend; allowed by db/allow-frontend ingress[0]: from[0] (namespaceSelector team=web with podSelector app=frontend) selects web/frontend, on any port (the rule has no ports)",
    ]);
}

#[test]
fn a_pod_selector_alone_stays_in_the_policy_namespace() {
    let c = cluster(&shop(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-frontend
  namespace: db
spec:
  podSelector:
    matchLabels:
      app: postgres
  ingress:
  - from:
    - podSelector:
        matchLabels:
          app: frontend
",
    ));
    check(&c, pod(&c, "web/frontend"), pod(&c, "db/postgres"), 5432, Protocol::TCP, &[
        "web/frontend -> db/postgres on 5432/TCP: denied by the ingress policy of db/postgres",
        "egress from web/frontend: not isolated: no NetworkPolicy of namespace web selects it, so all egress is allowed",
        "ingress to db/postgres: isolated by db/allow-frontend, and no ingress rule allows this connection",
        "closest rule: db/allow-frontend ingress[0]: from[0] (podSelector app=frontend) has no namespaceSelector, so it only selects pods of the policy's namespace db, and web/frontend is in web; its labels match, so a namespaceSelector in the same element would admit namespace web",
    ]);
}

#[test]
fn a_namespace_selector_on_a_label_the_namespace_does_not_have() {
    // `name: web` is a label people expect; the one every namespace has is
    // kubernetes.io/metadata.name.
    let c = cluster(&shop(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: db
spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          name: web
",
    ));
    check(&c, pod(&c, "web/frontend"), pod(&c, "db/postgres"), 5432, Protocol::TCP, &[
        "web/frontend -> db/postgres on 5432/TCP: denied by the ingress policy of db/postgres",
        "egress from web/frontend: not isolated: no NetworkPolicy of namespace web selects it, so all egress is allowed",
        "ingress to db/postgres: isolated by db/allow-web, and no ingress rule allows this connection",
        "closest rule: db/allow-web ingress[0]: from[0] namespaceSelector name=web does not match namespace web (labels: kubernetes.io/metadata.name=web,team=web)",
        "hint: namespace web has no label name=web; every namespace carries kubernetes.io/metadata.name=<its name>, so select it with kubernetes.io/metadata.name: web",
    ]);
}

#[test]
fn a_default_deny_egress_blocks_dns() {
    let c = cluster(&shop(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny-egress
  namespace: web
spec:
  podSelector: {}
  policyTypes: [Egress]
",
    ));
    let coredns = c.pods.iter().position(|p| p.pod.meta.namespace == "kube-system").expect("CoreDNS runs");
    let coredns = Endpoint::Pod(kubeplay_core::cluster::PodId(coredns as u32));
    check(&c, pod(&c, "web/frontend"), coredns, 53, Protocol::UDP, &[
        "web/frontend -> kube-system/coredns-bd4888547-mghdn on 53/UDP: denied by the egress policy of web/frontend",
        "egress from web/frontend: isolated by web/default-deny-egress, and it has no egress rule, so nothing is allowed out",
        "ingress to kube-system/coredns-bd4888547-mghdn: not isolated: no NetworkPolicy of namespace kube-system selects it, so all ingress is allowed",
        "web/frontend cannot resolve names: its DNS queries go to kube-dns on port 53 (UDP, and TCP for large answers), and its egress policy does not allow them; add an egress rule to namespaceSelector kubernetes.io/metadata.name=kube-system with podSelector k8s-app=kube-dns, ports 53/UDP and 53/TCP",
    ]);
}

#[test]
fn flannel_keeps_policies_but_enforces_none() {
    let c = cluster(&shop(
        "kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
kubeplay:
  cni: flannel
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: db
spec:
  podSelector: {}
",
    ));
    check(&c, pod(&c, "web/frontend"), pod(&c, "db/postgres"), 5432, Protocol::TCP, &[
        "web/frontend -> db/postgres on 5432/TCP: allowed, because NetworkPolicy is not enforced: the CNI plugin flannel has no policy engine",
        "with a plugin that enforces NetworkPolicy (calico, cilium, kindnet) it would be denied by the ingress policy of db/postgres:",
        "egress from web/frontend: not isolated: no NetworkPolicy of namespace web selects it, so all egress is allowed",
        "ingress to db/postgres: isolated by db/default-deny, and it has no ingress rule, so nothing is allowed in",
    ]);
}

#[test]
fn a_named_port_the_destination_pod_does_not_define() {
    let c = cluster(&shop(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-postgres
  namespace: db
spec:
  podSelector:
    matchLabels:
      app: postgres
  ingress:
  - ports:
    - port: postgres
",
    ));
    check(&c, pod(&c, "web/frontend"), pod(&c, "db/postgres"), 5432, Protocol::TCP, &[
        "web/frontend -> db/postgres on 5432/TCP: denied by the ingress policy of db/postgres",
        "egress from web/frontend: not isolated: no NetworkPolicy of namespace web selects it, so all egress is allowed",
        "ingress to db/postgres: isolated by db/allow-postgres, and no ingress rule allows this connection",
        "closest rule: db/allow-postgres ingress[0]: from any source (the rule has no from), but ports[0] (named port postgres/TCP): db/postgres has no TCP container port named postgres",
    ]);
}

#[test]
fn a_numeric_port_that_is_not_the_connection_port() {
    let c = cluster(&shop(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-web
  namespace: db
spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector:
        matchLabels:
          kubernetes.io/metadata.name: web
    ports:
    - port: 5433
",
    ));
    check(&c, pod(&c, "web/frontend"), pod(&c, "db/postgres"), 5432, Protocol::TCP, &[
        "web/frontend -> db/postgres on 5432/TCP: denied by the ingress policy of db/postgres",
        "egress from web/frontend: not isolated: no NetworkPolicy of namespace web selects it, so all egress is allowed",
        "ingress to db/postgres: isolated by db/allow-web, and no ingress rule allows this connection",
        "closest rule: db/allow-web ingress[0]: from[0] (namespaceSelector kubernetes.io/metadata.name=web) selects web/frontend, but ports[0] (5433/TCP) does not include port 5432",
    ]);
    check(&c, pod(&c, "web/frontend"), pod(&c, "db/postgres"), 5432, Protocol::UDP, &[
        "web/frontend -> db/postgres on 5432/UDP: denied by the ingress policy of db/postgres",
        "egress from web/frontend: not isolated: no NetworkPolicy of namespace web selects it, so all egress is allowed",
        "ingress to db/postgres: isolated by db/allow-web, and no ingress rule allows this connection",
        "closest rule: db/allow-web ingress[0]: from[0] (namespaceSelector kubernetes.io/metadata.name=web) selects web/frontend, but ports[0] (5433/TCP) is for TCP, and this connection is UDP",
    ]);
}

#[test]
fn the_own_node_and_the_pod_itself_always_get_through() {
    let c = cluster(&shop(
        "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: default-deny
  namespace: db
spec:
  podSelector: {}
  policyTypes: [Ingress, Egress]
",
    ));
    let postgres = pod(&c, "db/postgres");
    let Endpoint::Pod(id) = postgres else { unreachable!() };
    let own = c.pod(id).node.expect("runs");
    let other =
        c.nodes.iter().position(|n| n.name != c.node(own).name && n.name.contains("worker")).expect("two workers");
    let other = Endpoint::Node(kubeplay_core::cluster::NodeId(other as u16));
    check(&c, Endpoint::Node(own), postgres, 5432, Protocol::TCP, &[
        "node kubeplay-worker -> db/postgres on 5432/TCP: allowed",
        "egress from node kubeplay-worker: not a pod; NetworkPolicies only restrict pods",
        "ingress to db/postgres: isolated by db/default-deny, but connections from its own node kubeplay-worker (such as kubelet probes) are always allowed",
    ]);
    check(
        &c,
        other,
        postgres,
        5432,
        Protocol::TCP,
        &[
            "node kubeplay-worker2 -> db/postgres on 5432/TCP: denied by the ingress policy of db/postgres",
            "egress from node kubeplay-worker2: not a pod; NetworkPolicies only restrict pods",
            "ingress to db/postgres: isolated by db/default-deny, and it has no ingress rule, so nothing is allowed in",
        ],
    );
    check(&c, postgres, postgres, 5432, Protocol::TCP, &[
        "db/postgres -> db/postgres on 5432/TCP: allowed",
        "egress from db/postgres: isolated by db/default-deny, but a pod's connections to itself are always allowed",
        "ingress to db/postgres: isolated by db/default-deny, but a pod's connections to itself are always allowed",
    ]);
}

#[test]
fn an_ip_block_on_a_pod_address_depends_on_the_plugin() {
    let policy = "apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-pod-range
  namespace: db
spec:
  podSelector: {}
  ingress:
  - from:
    - ipBlock:
        cidr: 10.244.0.0/16
        except: [10.244.2.0/24]
";
    let calico = cluster(&shop(policy));
    check(&calico, pod(&calico, "web/frontend"), pod(&calico, "db/postgres"), 5432, Protocol::TCP, &[
        "web/frontend -> db/postgres on 5432/TCP: allowed",
        "egress from web/frontend: not isolated: no NetworkPolicy of namespace web selects it, so all egress is allowed",
        "ingress to db/postgres: isolated by db/allow-pod-range; allowed by db/allow-pod-range ingress[0]: from[0] (ipBlock 10.244.0.0/16 except 10.244.2.0/24) selects web/frontend, on any port (the rule has no ports)",
        "note: calico matches ipBlocks against pod and node addresses too; cilium would not (it matches them only against addresses outside the cluster), so prefer podSelector and namespaceSelector for pods",
    ]);
    check(&calico, pod(&calico, "web/admin"), pod(&calico, "db/postgres"), 5432, Protocol::TCP, &[
        "web/admin -> db/postgres on 5432/TCP: denied by the ingress policy of db/postgres",
        "egress from web/admin: not isolated: no NetworkPolicy of namespace web selects it, so all egress is allowed",
        "ingress to db/postgres: isolated by db/allow-pod-range, and no ingress rule allows this connection",
        "closest rule: db/allow-pod-range ingress[0]: 10.244.2.2 is inside from[0] ipBlock 10.244.0.0/16 but in its except 10.244.2.0/24",
    ]);
    let cilium = cluster(&shop(&format!(
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nkubeplay:\n  cni: cilium\n---\n{policy}"
    )));
    check(&cilium, pod(&cilium, "web/frontend"), pod(&cilium, "db/postgres"), 5432, Protocol::TCP, &[
        "web/frontend -> db/postgres on 5432/TCP: denied by the ingress policy of db/postgres",
        "egress from web/frontend: not isolated: no NetworkPolicy of namespace web selects it, so all egress is allowed",
        "ingress to db/postgres: isolated by db/allow-pod-range, and no ingress rule allows this connection",
        "closest rule: db/allow-pod-range ingress[0]: from[0] ipBlock 10.244.0.0/16 contains 10.244.1.2 (web/frontend), but cilium matches ipBlocks only against addresses outside the cluster, never a pod's or a node's; select pods with podSelector and namespaceSelector instead",
    ]);
    let outside = Endpoint::External("203.0.113.7".parse().expect("address"));
    check(
        &cilium,
        outside,
        pod(&cilium, "db/postgres"),
        5432,
        Protocol::TCP,
        &[
            "203.0.113.7 -> db/postgres on 5432/TCP: denied by the ingress policy of db/postgres",
            "egress from 203.0.113.7: outside the cluster; NetworkPolicies only restrict pods",
            "ingress to db/postgres: isolated by db/allow-pod-range, and no ingress rule allows this connection",
            "closest rule: db/allow-pod-range ingress[0]: 203.0.113.7 is outside from[0] ipBlock 10.244.0.0/16",
        ],
    );
}

#[test]
fn a_host_network_pod_is_its_node() {
    let c = cluster(&shop(
        "apiVersion: v1
kind: Pod
metadata:
  name: agent
  namespace: web
  labels:
    app: agent
spec:
  hostNetwork: true
  containers:
  - name: main
    image: agent
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: allow-agent
  namespace: db
spec:
  podSelector: {}
  ingress:
  - from:
    - namespaceSelector: {}
      podSelector:
        matchLabels:
          app: agent
",
    ));
    check(&c, pod(&c, "web/agent"), pod(&c, "db/postgres"), 5432, Protocol::TCP, &[
        "web/agent -> db/postgres on 5432/TCP: denied by the ingress policy of db/postgres",
        "egress from web/agent: a hostNetwork pod, which NetworkPolicies do not select; its traffic is node kubeplay-worker2's",
        "ingress to db/postgres: isolated by db/allow-agent, and no ingress rule allows this connection",
        "closest rule: db/allow-agent ingress[0]: from[0] (namespaceSelector {} with podSelector app=agent) selects pods on the pod network, and web/agent is a hostNetwork pod; only an ipBlock can match it",
    ]);
}

//! The workspaces the benchmarks measure, shared by the criterion benchmarks (`core/benches`,
//! native) and the browser benchmark page (`web-bench`, wasm) so that both time the same work.
//! Compiled only with the `bench-fixtures` feature; nothing in the model uses it.
//!
//! Each function returns one multi-document YAML text; every workspace applies without error.

use std::fmt::Write;

/// A workspace of `apps` Deployments (each with `replicas` pods listening on 8080 named `http`,
/// and a Service, every fifth a NodePort), `extra_services` Services selecting a tier, and
/// `policies` ingress NetworkPolicies (namespace-and-pod peers), over `namespaces` namespaces.
pub fn apply_workspace(
    apps: usize,
    replicas: usize,
    extra_services: usize,
    policies: usize,
    namespaces: usize,
) -> String {
    let mut text = String::new();
    for n in 0..namespaces {
        let _ =
            write!(text, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns{n}\n  labels:\n    team: t{n}\n---\n");
    }
    for a in 0..apps {
        let ns = a % namespaces;
        let _ = write!(
            text,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{a}\n  namespace: ns{ns}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: app{a}\n  template:\n    metadata:\n      labels:\n        app: app{a}\n        tier: t{}\n    spec:\n      containers:\n      - name: main\n        image: nginx:1.27\n        ports:\n        - name: http\n          containerPort: 8080\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app{a}\n  namespace: ns{ns}\nspec:\n  type: {}\n  selector:\n    app: app{a}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n---\n",
            a % 3,
            if a % 5 == 0 { "NodePort" } else { "ClusterIP" }
        );
    }
    for s in 0..extra_services {
        let ns = s % namespaces;
        let _ = write!(
            text,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: extra{s}\n  namespace: ns{ns}\nspec:\n  selector:\n    tier: t{}\n  ports:\n  - port: 8080\n---\n",
            s % 3
        );
    }
    for p in 0..policies {
        let ns = p % namespaces;
        let _ = write!(
            text,
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: pol{p}\n  namespace: ns{ns}\nspec:\n  podSelector:\n    matchLabels:\n      app: app{}\n  policyTypes: [Ingress]\n  ingress:\n  - from:\n    - namespaceSelector:\n        matchLabels:\n          team: t{}\n      podSelector:\n        matchLabels:\n          tier: t{}\n    ports:\n    - port: 8080\n---\n",
            p % apps.max(1),
            (p + 1) % namespaces,
            p % 3
        );
    }
    text
}

/// The two apply workspaces, by name: lesson size (2 namespaces, 6 Deployments x 3 replicas
/// with their Services, 4 extra Services, 6 policies: 30 declared objects, 18 pods; goal < 1 ms)
/// and large (100 Deployments x 10 replicas = 1,000 pods, 300 Services, 200 policies; goal
/// < 50 ms).
pub fn apply_workspaces() -> [(&'static str, String); 2] {
    [("lesson-30-objects", apply_workspace(6, 3, 4, 6, 2)), ("large-1000-pods", apply_workspace(100, 10, 200, 200, 10))]
}

/// 10 namespaces, 100 Deployments of 10 replicas (1,000 pods) and 200 policies: ingress from
/// namespace-and-pod peers and from pod peers on numeric and named ports, ipBlocks, and
/// egress policies, spread over the namespaces (the matrix goal: < 20 ms native, < 60 ms wasm).
pub fn policy_workspace() -> String {
    let mut text = String::new();
    for n in 0..10 {
        let _ = write!(
            text,
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns{n}\n  labels:\n    team: t{}\n---\n",
            n % 4
        );
    }
    for a in 0..100 {
        let _ = write!(
            text,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{a}\n  namespace: ns{}\nspec:\n  replicas: 10\n  selector:\n    matchLabels:\n      app: app{a}\n  template:\n    metadata:\n      labels:\n        app: app{a}\n        tier: t{}\n    spec:\n      containers:\n      - name: main\n        image: nginx:1.27\n        ports:\n        - name: http\n          containerPort: 80\n---\n",
            a % 10,
            a % 3
        );
    }
    for p in 0..200 {
        let peer = match p % 4 {
            0 => format!("    - namespaceSelector:\n        matchLabels:\n          team: t{}\n      podSelector:\n        matchLabels:\n          tier: t{}\n", p % 4, p % 3),
            1 => format!("    - podSelector:\n        matchExpressions:\n        - {{key: tier, operator: In, values: [t{}, t{}]}}\n", p % 3, (p + 1) % 3),
            2 => "    - ipBlock:\n        cidr: 10.244.0.0/16\n        except: [10.244.1.0/24]\n".to_string(),
            _ => format!("    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: ns{}\n", (p + 3) % 10),
        };
        let (types, key, peers) = if p % 5 == 0 { ("Egress", "egress", "to") } else { ("Ingress", "ingress", "from") };
        let port = if p % 2 == 0 { "http" } else { "80" };
        let _ = write!(
            text,
            "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: pol{p}\n  namespace: ns{}\nspec:\n  podSelector:\n    matchLabels:\n      app: app{}\n  policyTypes: [{types}]\n  {key}:\n  - {peers}:\n{peer}    ports:\n    - port: {port}\n---\n",
            p % 10,
            (p * 7) % 100
        );
    }
    text
}

/// 1,000 Services over 10 namespaces (a tenth of them with a 2-pod Deployment) and a client pod
/// `ns0/client` (the DNS goal: one lookup < 20 µs native).
pub fn dns_workspace() -> String {
    let mut text = String::new();
    for n in 0..10 {
        let _ = write!(text, "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns{n}\n---\n");
    }
    for s in 0..1000 {
        let ns = s % 10;
        let _ = write!(
            text,
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: svc{s}\n  namespace: ns{ns}\nspec:\n  selector:\n    app: app{s}\n  ports:\n  - name: http\n    port: 80\n---\n"
        );
        if s % 10 == 0 {
            let _ = write!(
                text,
                "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{s}\n  namespace: ns{ns}\nspec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: app{s}\n  template:\n    metadata:\n      labels:\n        app: app{s}\n    spec:\n      containers:\n      - name: main\n        image: nginx\n---\n"
            );
        }
    }
    text.push_str("apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n  namespace: ns0\nspec:\n  containers:\n  - name: c\n    image: busybox\n");
    text
}

/// `apps` Deployments of `replicas` pods, each behind a Service (every third one a NodePort),
/// spread over `namespaces` namespaces, and one client pod `ns<n>/client` per namespace (the
/// trace goals: one trace on a lesson-size cluster < 50 µs).
pub fn trace_workspace(apps: usize, replicas: usize, namespaces: usize) -> String {
    let mut text = String::new();
    for n in 0..namespaces {
        let _ = write!(
            text,
            "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: ns{n}\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n  namespace: ns{n}\nspec:\n  containers:\n  - name: c\n    image: curl\n---\n"
        );
    }
    for a in 0..apps {
        let ns = a % namespaces;
        let _ = write!(
            text,
            "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: app{a}\n  namespace: ns{ns}\nspec:\n  replicas: {replicas}\n  selector:\n    matchLabels:\n      app: app{a}\n  template:\n    metadata:\n      labels:\n        app: app{a}\n    spec:\n      containers:\n      - name: main\n        image: nginx\n        ports:\n        - name: http\n          containerPort: 8080\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: app{a}\n  namespace: ns{ns}\nspec:\n  type: {}\n  selector:\n    app: app{a}\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n---\n",
            if a % 3 == 0 { "NodePort" } else { "ClusterIP" }
        );
    }
    text
}

//! Property tests: no input makes `Simulation::apply` panic, every diagnostic points inside the
//! text it is about, and every object an apply reports as created, configured or unchanged is
//! in the resulting cluster.
//!
//! Two kinds of input. Arbitrary strings, and structurally plausible manifests: real manifests
//! of every kind the model loads, parsed into trees, then mutated (values replaced by values of
//! every YAML type, keys deleted, duplicated, misspelt or added from a vocabulary of real field
//! names, list items repeated) and rendered with random indentation, quoting, flow style and
//! comments. Each case applies one version, then a mutated second version to the same
//! simulation, so the allocations remembered between applies are exercised too. Set
//! `PROPTEST_CASES` to run more cases than the default.

use kubeplay_core::api::Kind;
use kubeplay_core::cluster::Cluster;
use kubeplay_core::simulation::{Action, ApplyOutcome, Simulation, SourceFile};
use kubeplay_core::yaml::{parse_file, Node, Value};
use proptest::prelude::*;
use proptest::sample::{select, Index};
use std::collections::HashMap;

/// Valid manifests of every kind the model loads; the seeds mutations start from.
const SEEDS: &[&str] = &[
    include_str!("../../examples/sandbox/app.yaml"),
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  namespace: shop\nspec:\n  type: NodePort\n  externalTrafficPolicy: Local\n  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 600\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n    nodePort: 30080\n  - name: https\n    port: 443\n    protocol: TCP\n---\napiVersion: v1\nkind: Namespace\nmetadata:\n  name: shop\n  labels:\n    team: a\n",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  clusterIP: None\n  publishNotReadyAddresses: true\n  selector:\n    app: db\n  ports:\n  - port: 5432\n---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  serviceName: db\n  replicas: 2\n  podManagementPolicy: Parallel\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      subdomain: db\n      containers:\n      - name: db\n        image: postgres\n        ports:\n        - name: pg\n          containerPort: 5432\n",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: ext\nspec:\n  type: ExternalName\n  externalName: db.example.com.\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: lb\nspec:\n  type: LoadBalancer\n  clusterIP: 10.96.100.7\n  loadBalancerIP: 172.18.255.201\n  loadBalancerSourceRanges: [10.0.0.0/8]\n  allocateLoadBalancerNodePorts: true\n  externalIPs: [192.0.2.10]\n  internalTrafficPolicy: Local\n  trafficDistribution: PreferSameZone\n  selector:\n    app: web\n  ports:\n  - port: 8080\n    targetPort: 80\n    appProtocol: http\n",
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: client\n  annotations:\n    kubeplay.dev/ready: \"false\"\nspec:\n  nodeName: kind-worker\n  nodeSelector:\n    kubernetes.io/os: linux\n  hostname: client\n  dnsPolicy: None\n  dnsConfig:\n    nameservers: [10.96.0.10]\n    searches: [default.svc.cluster.local, svc.cluster.local]\n    options:\n    - name: ndots\n      value: \"2\"\n  restartPolicy: Never\n  containers:\n  - name: curl\n    image: curlimages/curl\n    command: [sleep, infinity]\n    ports:\n    - containerPort: 8080\n      hostPort: 8080\n      protocol: UDP\n  - name: sidecar\n    image: envoy\nstatus:\n  conditions:\n  - type: Ready\n    status: \"False\"\n",
    "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: api\nspec:\n  replicas: 0\n  minReadySeconds: 5\n  selector:\n    matchLabels:\n      app: api\n    matchExpressions:\n    - key: tier\n      operator: In\n      values: [back, middle]\n    - key: canary\n      operator: DoesNotExist\n  template:\n    metadata:\n      labels:\n        app: api\n        tier: back\n    spec:\n      hostNetwork: true\n      dnsPolicy: ClusterFirstWithHostNet\n      containers:\n      - name: api\n        image: api:1\n        ports:\n        - containerPort: 9000\n",
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  mode: fast\n---\napiVersion: networking.k8s.io/v1\nkind: IngressClass\nmetadata:\n  name: nginx\n  annotations:\n    ingressclass.kubernetes.io/is-default-class: \"true\"\nspec:\n  controller: k8s.io/ingress-nginx\n---\napiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\nspec:\n  ingressClassName: nginx\n  rules:\n  - host: shop.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              number: 80\n",
    "apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\nmetadata:\n  name: allow-web\nspec:\n  podSelector:\n    matchLabels:\n      app: db\n  policyTypes: [Ingress, Egress]\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          app: web\n    - namespaceSelector:\n        matchLabels:\n          kubernetes.io/metadata.name: shop\n    - ipBlock:\n        cidr: 10.0.0.0/8\n        except: [10.1.0.0/16]\n    ports:\n    - protocol: TCP\n      port: 5432\n  egress:\n  - to:\n    - podSelector: {}\n    ports:\n    - port: 53\n      protocol: UDP\n",
    "apiVersion: v1\nkind: Service\nmetadata:\n  name: legacy\nspec:\n  ports:\n  - port: 80\n---\napiVersion: v1\nkind: Endpoints\nmetadata:\n  name: legacy\nsubsets:\n- addresses:\n  - ip: 192.0.2.20\n  ports:\n  - port: 80\n---\napiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: legacy-1\n  labels:\n    kubernetes.io/service-name: legacy\naddressType: IPv4\nports:\n- name: \"\"\n  port: 80\n  protocol: TCP\nendpoints:\n- addresses: [192.0.2.21]\n  conditions:\n    ready: true\n",
    "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: play\nnodes:\n- role: control-plane\n- role: worker\n  labels:\n    zone: a\n- role: worker\nnetworking:\n  podSubnet: 10.244.0.0/16\n  serviceSubnet: 10.96.0.0/16\n  kubeProxyMode: ipvs\nkubeplay:\n  cni: cilium\n  loadBalancer:\n    provider: pool\n    addresses: 172.18.255.200-172.18.255.250\n",
];

/// Real field names, for keys that are added or misspelt into another.
const KEYS: &[&str] = &[
    "apiVersion",
    "kind",
    "metadata",
    "name",
    "namespace",
    "labels",
    "annotations",
    "generateName",
    "spec",
    "status",
    "selector",
    "matchLabels",
    "matchExpressions",
    "key",
    "operator",
    "values",
    "ports",
    "port",
    "targetPort",
    "nodePort",
    "protocol",
    "appProtocol",
    "type",
    "clusterIP",
    "clusterIPs",
    "externalName",
    "externalIPs",
    "externalTrafficPolicy",
    "internalTrafficPolicy",
    "sessionAffinity",
    "sessionAffinityConfig",
    "clientIP",
    "timeoutSeconds",
    "loadBalancerIP",
    "loadBalancerSourceRanges",
    "ipFamilies",
    "ipFamilyPolicy",
    "healthCheckNodePort",
    "trafficDistribution",
    "template",
    "containers",
    "image",
    "containerPort",
    "hostPort",
    "hostIP",
    "replicas",
    "serviceName",
    "dnsPolicy",
    "dnsConfig",
    "nameservers",
    "searches",
    "options",
    "hostNetwork",
    "nodeName",
    "nodeSelector",
    "hostname",
    "subdomain",
    "restartPolicy",
    "activeDeadlineSeconds",
    "rules",
    "host",
    "http",
    "paths",
    "path",
    "pathType",
    "backend",
    "service",
    "number",
    "ingressClassName",
    "defaultBackend",
    "tls",
    "podSelector",
    "namespaceSelector",
    "policyTypes",
    "ingress",
    "egress",
    "from",
    "to",
    "ipBlock",
    "cidr",
    "except",
    "subsets",
    "addresses",
    "notReadyAddresses",
    "ip",
    "endpoints",
    "addressType",
    "conditions",
    "ready",
    "nodes",
    "role",
    "networking",
    "podSubnet",
    "serviceSubnet",
    "kubeProxyMode",
    "kubeplay",
    "cni",
    "loadBalancer",
    "provider",
    "data",
    "minReadySeconds",
    "podManagementPolicy",
    "controller",
];

/// Values of every YAML type, written as they appear in the text.
const RAW_VALUES: &[&str] = &[
    "0",
    "1",
    "80",
    "-1",
    "443",
    "65535",
    "65536",
    "30080",
    "32767",
    "86400",
    "86401",
    "2147483648",
    "99999999999999999999",
    "1.5",
    "1e3",
    "0x50",
    "0o17",
    "0755",
    "+12",
    ".inf",
    "-.inf",
    ".nan",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "y",
    "n",
    "null",
    "~",
    "",
    "[]",
    "{}",
    "[1, 2]",
    "[a, {b: c}]",
    "{a: b}",
    "{port: 80}",
    "!!str 80",
    "!!int \"80\"",
    "!!float 1",
    "!!bool yes",
    "!!null x",
    "&a x",
    "*a",
    "'single'",
    "\"\"",
    "\"line\\nbreak\"",
    "\"\\u00e9\"",
];

/// Strings that mean something to some field.
const STRINGS: &[&str] = &[
    "web",
    "Web",
    "web.v1",
    "db",
    "None",
    "10.96.0.10",
    "10.96.0.1",
    "10.96.5.5",
    "10.0.0.5",
    "192.168.0.5/24",
    "10.0.0.0/8",
    "010.0.0.1",
    "::1",
    "fe80::1",
    "2001:db8::1",
    "127.0.0.1",
    "0.0.0.0",
    "169.254.1.1",
    "TCP",
    "UDP",
    "SCTP",
    "tcp",
    "http",
    "HTTP",
    "web-server-metrics",
    "ClusterIP",
    "NodePort",
    "LoadBalancer",
    "ExternalName",
    "Local",
    "Cluster",
    "ClientIP",
    "In",
    "NotIn",
    "Exists",
    "DoesNotExist",
    "Equals",
    "ClusterFirst",
    "ClusterFirstWithHostNet",
    "Default",
    "Always",
    "Never",
    "OnFailure",
    "Parallel",
    "app",
    "app.kubernetes.io/name",
    "a/b/c",
    "a b",
    "café",
    "日本",
    "example.com",
    "_sip._tcp.example.com",
    ".",
    "kube-system",
    "default",
    "shop",
    "v1",
    "apps/v1",
    "networking.k8s.io/v1",
    "networking.k8s.io/v1beta1",
    "discovery.k8s.io/v1",
    "kind.x-k8s.io/v1alpha4",
    "Service",
    "Deployment",
    "Pod",
    "StatefulSet",
    "Node",
    "Cluster",
    "PreferClose",
    "PreferSameNode",
    "Prefix",
    "Exact",
    "ImplementationSpecific",
    "Ingress",
    "Egress",
    "IPv4",
    "IPv6",
    "RequireDualStack",
    "control-plane",
    "worker",
    "iptables",
    "nftables",
    "calico",
    "172.18.255.200-172.18.255.210",
    "quote\"d",
    "back\\slash",
    "tab\there",
    "kubeplay.dev/ready",
    "false",
    "x-very-long-name-that-goes-on-and-on-and-on-well-past-sixty-three-bytes-of-text",
];

/// A YAML tree, rendered to text by [`render`].
#[derive(Debug, Clone)]
enum Y {
    /// A scalar written exactly as given.
    Raw(String),
    /// A string, written plain when that is safe or the style asks, else double-quoted.
    Str(String),
    Map(Vec<(String, Y)>),
    Seq(Vec<Y>),
}

fn from_node(node: &Node) -> Y {
    match &node.value {
        Value::Null => Y::Raw("null".into()),
        Value::Bool(b) => Y::Raw(b.to_string()),
        Value::Int(i) => Y::Raw(i.to_string()),
        Value::Float(f) => Y::Raw(f.to_string()),
        Value::Str(s) => Y::Str(s.clone()),
        Value::Seq(items) => Y::Seq(items.iter().map(from_node).collect()),
        Value::Map(entries) => {
            Y::Map(entries.iter().map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), from_node(v))).collect())
        }
    }
}

/// Every seed document as a tree.
fn seed_documents() -> Vec<Y> {
    SEEDS
        .iter()
        .flat_map(|text| parse_file("seed.yaml", text).documents.into_iter().map(|d| from_node(&d.root)))
        .collect()
}

/// One change to a tree, at the node a pre-order index selects.
#[derive(Debug, Clone)]
enum Op {
    /// Replaces a scalar with another scalar, leaving the structure alone.
    ReplaceScalar(Index, Y),
    Replace(Index, Y),
    Delete(Index),
    Duplicate(Index),
    Insert(Index, String, Y),
    Misspell(Index, u8),
}

/// Paths (child indices from the root) of every node, in pre-order.
fn paths(y: &Y, prefix: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
    out.push(prefix.clone());
    let children: Vec<&Y> = match y {
        Y::Map(entries) => entries.iter().map(|(_, v)| v).collect(),
        Y::Seq(items) => items.iter().collect(),
        _ => Vec::new(),
    };
    for (i, child) in children.into_iter().enumerate() {
        prefix.push(i);
        paths(child, prefix, out);
        prefix.pop();
    }
}

fn node_mut<'a>(y: &'a mut Y, path: &[usize]) -> &'a mut Y {
    match (path.split_first(), y) {
        (None, y) => y,
        (Some((i, rest)), Y::Map(entries)) => node_mut(&mut entries[*i].1, rest),
        (Some((i, rest)), Y::Seq(items)) => node_mut(&mut items[*i], rest),
        (Some(_), y) => y,
    }
}

fn misspelt(key: &str, how: u8) -> String {
    match how % 5 {
        0 => key.to_lowercase(),
        1 => key.to_uppercase(),
        2 => key.chars().skip(1).collect(),
        3 => format!("{key}s"),
        _ => KEYS[usize::from(how) % KEYS.len()].to_string(),
    }
}

fn apply_op(doc: &mut Y, op: &Op) {
    let mut all = Vec::new();
    paths(doc, &mut Vec::new(), &mut all);
    let at = |index: &Index| all[index.index(all.len())].clone();
    match op {
        Op::ReplaceScalar(index, value) => {
            let node = node_mut(doc, &at(index));
            if matches!(node, Y::Raw(_) | Y::Str(_)) {
                *node = value.clone();
            }
        }
        Op::Replace(index, value) => *node_mut(doc, &at(index)) = value.clone(),
        Op::Insert(index, key, value) => match node_mut(doc, &at(index)) {
            Y::Map(entries) => entries.push((key.clone(), value.clone())),
            Y::Seq(items) => items.push(value.clone()),
            other => *other = Y::Map(vec![(key.clone(), value.clone())]),
        },
        Op::Delete(index) | Op::Duplicate(index) | Op::Misspell(index, _) => {
            let path = at(index);
            let Some((last, parent)) = path.split_last() else { return };
            match (node_mut(doc, parent), op) {
                (Y::Map(entries), Op::Delete(_)) => drop(entries.remove(*last)),
                (Y::Seq(items), Op::Delete(_)) => drop(items.remove(*last)),
                (Y::Map(entries), Op::Duplicate(_)) => {
                    let entry = entries[*last].clone();
                    entries.insert(*last + 1, entry);
                }
                (Y::Seq(items), Op::Duplicate(_)) => {
                    let item = items[*last].clone();
                    items.insert(*last + 1, item);
                }
                (Y::Map(entries), Op::Misspell(_, how)) => entries[*last].0 = misspelt(&entries[*last].0, *how),
                _ => {}
            }
        }
    }
}

/// Rendering choices, drawn once per text; per-node choices come from `bits`.
#[derive(Debug, Clone)]
struct Style {
    indent: usize,
    indent_sequences: bool,
    bits: u64,
    crlf: bool,
}

impl Style {
    /// A pseudo-random choice that holds one time in `n`, from the style's bits.
    fn chance(&mut self, n: u64) -> bool {
        self.bits ^= self.bits << 13;
        self.bits ^= self.bits >> 7;
        self.bits ^= self.bits << 17;
        self.bits % n == 0
    }
}

/// Whether `s`, written plain, reads back as the string `s` (not `true`, `80`, `null`...).
fn plain_is_string(s: &str) -> bool {
    let safe = !s.is_empty()
        && s.chars().all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c))
        && !s.starts_with(['-', '.']);
    safe && parse_file("k.yaml", &format!("k: {s}")).documents.first().is_some_and(
        |d| matches!(&d.root.value, Value::Map(entries) if matches!(&entries[0].1.value, Value::Str(v) if v == s)),
    )
}

/// A string scalar: plain when that reads back as the same string (and, now and then, when it
/// does not: `yes` for "yes"), else quoted.
fn scalar(s: &str, style: &mut Style) -> String {
    let safe_chars = !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "._/-".contains(c));
    if (plain_is_string(s) && !style.chance(8)) || (safe_chars && style.chance(40)) {
        return s.to_string();
    }
    if !s.contains(['\'', '\n', '\t', '\\']) && style.chance(3) {
        return format!("'{s}'");
    }
    let escaped: String = s
        .chars()
        .map(|c| match c {
            '"' => "\\\"".to_string(),
            '\\' => "\\\\".to_string(),
            '\n' => "\\n".to_string(),
            '\t' => "\\t".to_string(),
            c => c.to_string(),
        })
        .collect();
    format!("\"{escaped}\"")
}

fn flow(y: &Y, style: &mut Style) -> String {
    match y {
        Y::Raw(r) => r.clone(),
        Y::Str(s) => scalar(s, style),
        Y::Map(entries) => {
            let parts: Vec<String> =
                entries.iter().map(|(k, v)| format!("{}: {}", scalar(k, style), flow(v, style))).collect();
            format!("{{{}}}", parts.join(", "))
        }
        Y::Seq(items) => {
            let parts: Vec<String> = items.iter().map(|i| flow(i, style)).collect();
            format!("[{}]", parts.join(", "))
        }
    }
}

fn small(y: &Y) -> bool {
    match y {
        Y::Map(e) => e.len() <= 2 && e.iter().all(|(_, v)| matches!(v, Y::Raw(_) | Y::Str(_))),
        Y::Seq(i) => i.len() <= 3 && i.iter().all(|v| matches!(v, Y::Raw(_) | Y::Str(_))),
        _ => true,
    }
}

/// Writes `y` in block style at indentation `indent` (scalars and empty collections in flow style).
fn block(y: &Y, indent: usize, style: &mut Style, out: &mut String) {
    let pad = |n: usize| " ".repeat(n);
    match y {
        Y::Map(entries) if !entries.is_empty() => {
            for (k, v) in entries {
                out.push_str(&pad(indent));
                out.push_str(&scalar(k, style));
                out.push(':');
                if style.chance(25) {
                    out.push_str("   ");
                }
                value(v, indent, style, out);
            }
        }
        Y::Seq(items) if !items.is_empty() => {
            for item in items {
                out.push_str(&pad(indent));
                out.push_str("- ");
                match item {
                    Y::Map(entries) if !entries.is_empty() => {
                        // The first entry shares the dash's line; the rest align under it.
                        let mut inner = String::new();
                        block(item, indent + 2, style, &mut inner);
                        out.push_str(inner.trim_start_matches(' '));
                    }
                    _ => {
                        out.push_str(&flow(item, style));
                        out.push('\n');
                    }
                }
            }
        }
        other => {
            out.push_str(&pad(indent));
            out.push_str(&flow(other, style));
            out.push('\n');
        }
    }
}

/// Writes the value of a map entry whose key is already written.
fn value(v: &Y, indent: usize, style: &mut Style, out: &mut String) {
    let nested = match v {
        Y::Map(e) => !e.is_empty(),
        Y::Seq(i) => !i.is_empty(),
        _ => false,
    };
    if nested && !(small(v) && style.chance(3)) {
        if style.chance(20) {
            out.push_str(" # note");
        }
        out.push('\n');
        let child = match v {
            Y::Seq(_) if !style.indent_sequences => indent,
            _ => indent + style.indent,
        };
        block(v, child, style, out);
    } else {
        out.push(' ');
        out.push_str(&flow(v, style));
        out.push('\n');
    }
}

fn render(docs: &[Y], style: &mut Style) -> String {
    let mut out = String::new();
    for (i, doc) in docs.iter().enumerate() {
        if i > 0 || style.chance(5) {
            out.push_str("---\n");
        }
        block(doc, 0, style, &mut out);
    }
    if style.crlf {
        out = out.replace('\n', "\r\n");
    }
    out
}

/// Scalars only: numbers, booleans, nulls and meaningful strings.
fn scalar_strategy() -> impl Strategy<Value = Y> {
    prop_oneof![
        select(&RAW_VALUES[..31]).prop_map(|s| Y::Raw(s.to_string())),
        select(STRINGS).prop_map(|s| Y::Str(s.to_string())),
    ]
}

fn leaf() -> impl Strategy<Value = Y> {
    prop_oneof![
        select(RAW_VALUES).prop_map(|s| Y::Raw(s.to_string())),
        select(STRINGS).prop_map(|s| Y::Str(s.to_string())),
        "[a-z][a-zA-Z0-9.-]{0,12}".prop_map(Y::Str),
        any::<i64>().prop_map(|i| Y::Raw(i.to_string())),
        "\\PC{0,12}".prop_map(Y::Str),
    ]
}

fn value_strategy() -> impl Strategy<Value = Y> {
    leaf().prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            prop::collection::vec((select(KEYS).prop_map(str::to_string), inner.clone()), 0..4).prop_map(Y::Map),
            prop::collection::vec(inner, 0..4).prop_map(Y::Seq),
        ]
    })
}

fn op_strategy() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (any::<Index>(), scalar_strategy()).prop_map(|(i, v)| Op::ReplaceScalar(i, v)),
        2 => (any::<Index>(), value_strategy()).prop_map(|(i, v)| Op::Replace(i, v)),
        2 => any::<Index>().prop_map(Op::Delete),
        1 => any::<Index>().prop_map(Op::Duplicate),
        2 => (any::<Index>(), select(KEYS).prop_map(str::to_string), value_strategy()).prop_map(|(i, k, v)| Op::Insert(i, k, v)),
        2 => (any::<Index>(), any::<u8>()).prop_map(|(i, how)| Op::Misspell(i, how)),
    ]
}

fn style_strategy() -> impl Strategy<Value = Style> {
    (1usize..=4, any::<bool>(), any::<u64>(), prop::bool::weighted(0.1))
        .prop_map(|(indent, indent_sequences, bits, crlf)| Style { indent, indent_sequences, bits: bits | 1, crlf })
}

/// A workspace: some seed documents, mutated, rendered into one or two files; then the same
/// documents mutated further and rendered again, for the second apply.
#[derive(Debug, Clone)]
struct Workspace {
    first: Vec<SourceFile>,
    second: Vec<SourceFile>,
}

fn workspace_strategy() -> impl Strategy<Value = Workspace> {
    let seeds = seed_documents();
    let n = seeds.len();
    (
        prop::collection::vec(0..n, 1..4),
        prop::collection::vec((any::<Index>(), op_strategy()), 0..6),
        prop::collection::vec((any::<Index>(), op_strategy()), 0..4),
        style_strategy(),
        style_strategy(),
        any::<bool>(),
    )
        .prop_map(move |(picked, ops, more_ops, mut style, mut style2, split)| {
            let mut docs: Vec<Y> = picked.iter().map(|&i| seeds[i].clone()).collect();
            for (which, op) in &ops {
                let i = which.index(docs.len());
                apply_op(&mut docs[i], op);
            }
            let files = |docs: &[Y], style: &mut Style| {
                if split && docs.len() > 1 {
                    let (a, b) = docs.split_at(docs.len() / 2);
                    vec![SourceFile::new("a.yaml", render(a, style)), SourceFile::new("b.yaml", render(b, style))]
                } else {
                    vec![SourceFile::new("a.yaml", render(docs, style))]
                }
            };
            let first = files(&docs, &mut style);
            for (which, op) in &more_ops {
                let i = which.index(docs.len());
                apply_op(&mut docs[i], op);
            }
            let second = files(&docs, &mut style2);
            Workspace { first, second }
        })
}

/// The byte offset of every valid `(line, column)` of `text`: lines end at `\n`, `\r\n` or a
/// lone `\r`, and a column may point one past a line's last character.
fn positions(text: &str) -> HashMap<(u32, u32), usize> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut map = HashMap::new();
    let (mut line, mut column) = (1, 1);
    for (i, &(offset, c)) in chars.iter().enumerate() {
        map.insert((line, column), offset);
        let next = chars.get(i + 1).map(|&(_, c)| c);
        if c == '\n' || (c == '\r' && next != Some('\n')) {
            line += 1;
            column = 1;
        } else {
            column += 1;
        }
    }
    map.insert((line, column), text.len());
    map
}

/// Whether the object `kind` `namespace/name` is in the cluster.
fn present(cluster: &Cluster, kind: Kind, namespace: &str, name: &str) -> bool {
    let meta = |m: &kubeplay_core::api::ObjectMeta| m.namespace == namespace && m.name == name;
    match kind {
        Kind::Namespace => cluster.namespaces.iter().any(|n| n.name == name),
        Kind::Pod => cluster.find_pod(namespace, name).is_some(),
        Kind::Service => cluster.service(namespace, name).is_some(),
        Kind::Deployment => cluster.deployments.iter().any(|d| meta(&d.meta)),
        Kind::ReplicaSet => cluster.replica_sets.iter().any(|r| meta(&r.meta)),
        Kind::StatefulSet => cluster.stateful_sets.iter().any(|s| meta(&s.meta)),
        Kind::Ingress => cluster.ingresses.iter().any(|i| meta(&i.meta)),
        Kind::IngressClass => cluster.ingress_classes.iter().any(|c| c.meta.name == name),
        Kind::NetworkPolicy => cluster.network_policies.iter().any(|p| meta(&p.meta)),
        Kind::Endpoints => cluster.endpoints.iter().any(|e| e.namespace == namespace && e.name == name),
        Kind::EndpointSlice => cluster.endpoint_slices.iter().any(|s| s.namespace == namespace && s.name == name),
        Kind::Cluster => cluster.config.name == name,
        // ConfigMaps are declared but no part of the cluster's networking state; Nodes come from
        // the cluster config and are never applied.
        Kind::ConfigMap | Kind::Node => true,
    }
}

/// Applies `files` and checks the outcome against the invariants.
fn apply_and_check(sim: &mut Simulation, files: &[SourceFile]) -> Result<ApplyOutcome, TestCaseError> {
    let before = sim.cluster().clone();
    let outcome = sim.apply(files);
    for d in &outcome.diagnostics {
        let file = files.iter().find(|f| f.name == d.file);
        prop_assert!(file.is_some(), "diagnostic about an unknown file: {}", d);
        let valid = positions(file.map(|f| f.text.as_str()).unwrap_or_default());
        for pos in [d.span.start, d.span.end] {
            prop_assert_eq!(valid.get(&(pos.line, pos.column)), Some(&pos.offset), "{} at {:?}", d, pos);
        }
        prop_assert!(d.span.start.offset <= d.span.end.offset, "{} span backwards", d);
    }
    if outcome.stale {
        prop_assert!(*sim.cluster() == before, "a stale apply changed the cluster");
    }
    for change in outcome.changes.iter().filter(|c| c.action != Action::Deleted) {
        let o = &change.object;
        prop_assert!(
            present(sim.cluster(), o.kind, &o.namespace, &o.name),
            "{} {} is not in the cluster",
            o,
            change.action.as_str()
        );
    }
    Ok(outcome)
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(first in "\\PC*", second in any::<String>()) {
        let mut sim = Simulation::new();
        apply_and_check(&mut sim, &[SourceFile::new("a.yaml", first)])?;
        apply_and_check(&mut sim, &[SourceFile::new("a.yaml", second)])?;
    }

    #[test]
    fn plausible_manifests_never_panic(ws in workspace_strategy()) {
        let mut sim = Simulation::new();
        apply_and_check(&mut sim, &ws.first)?;
        apply_and_check(&mut sim, &ws.second)?;
    }
}

/// The seeds themselves are valid: the mutations start from objects the model accepts.
#[test]
fn seeds_apply_cleanly() {
    for seed in SEEDS {
        let mut sim = Simulation::new();
        let outcome = sim.apply(&[SourceFile::new("seed.yaml", *seed)]);
        let errors: Vec<String> = outcome
            .diagnostics
            .iter()
            .filter(|d| d.severity == kubeplay_core::diag::Severity::Error)
            .map(ToString::to_string)
            .collect();
        assert!(errors.is_empty(), "{seed}\n{errors:#?}");
    }
}

/// Found by `plausible_manifests_never_panic`: the controllers refuse this config (its pod
/// subnet has room for one node's /24, not two) and fall back to the default cluster, so the
/// apply must not report it created.
#[test]
fn a_refused_cluster_config_is_not_reported_created() {
    let text = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nname: play\nnodes:\n- role: control-plane\n- role: worker\nnetworking:\n  podSubnet: 192.168.0.0/24\n";
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("a.yaml", text)]);
    assert!(outcome.has_errors(), "{:?}", outcome.diagnostics);
    assert!(outcome.changes.is_empty(), "{:?}", outcome.changes);
}

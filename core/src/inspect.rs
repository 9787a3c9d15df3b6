//! The object inspector: everything the model knows about one pod, Service, node or
//! NetworkPolicy, as sections of label/value fields, lines and text blocks (plain strings, no
//! markup), for the web app's inspector panel.
//!
//! Every fact comes from the computed cluster or from the module that owns it: the kubelet's
//! Service environment variables (`controllers::envvars`, remembered per pod: a Service created
//! after the pod is missing), the pod's resolv.conf (`dns::resolv`), the policies that select a
//! pod and isolate it per direction (the policy engine's own selection), a Service's kube-proxy
//! rules (`kube_proxy`, on the cluster's first node), and a policy's rules in the engine's
//! words. Values are spelt as kubectl prints them (`<none>`, `<pending>`, `k=v`).

use crate::api::network_policy::{NetworkPolicy, PolicyRule};
use crate::api::service::{ServiceType, SessionAffinity, TargetPort};
use crate::api::Labels;
use crate::cluster::{Cluster, LoadBalancerStatus, NodeId, PendingReason, PodId, ServiceState};
use crate::dns::Dns;
use crate::kube_proxy::{self, ProgrammedRules, TableName, Target};
use crate::policy::{self, Direction};
use crate::render::text::selector_string;
use std::collections::BTreeSet;

/// What to inspect, by the keys the cluster view uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subject {
    /// `namespace/name`.
    Pod(String),
    /// `namespace/name`.
    Service(String),
    /// The node's name.
    Node(String),
    /// `namespace/name`.
    NetworkPolicy(String),
}

/// One object, inspected.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Inspection {
    /// `Pod`, `Service`, `Node` or `NetworkPolicy`.
    pub kind: &'static str,
    /// `namespace/name`, or the node's name.
    pub title: String,
    pub sections: Vec<Section>,
}

/// A titled group of items.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Section {
    pub heading: String,
    pub items: Vec<Item>,
}

/// One piece of a section.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Item {
    /// A label and its value: `IP: 10.244.1.5`.
    Field { label: String, value: String },
    /// One entry of a list (a label `k=v`, a pod, a DNS name).
    Line(String),
    /// Text shown as it is, in a monospace block (a file, rule lines).
    Block(String),
}

impl Section {
    fn new(heading: impl Into<String>) -> Section {
        Section { heading: heading.into(), items: Vec::new() }
    }

    fn field(mut self, label: &str, value: impl Into<String>) -> Section {
        self.items.push(Item::Field { label: label.to_string(), value: value.into() });
        self
    }

    fn line(mut self, text: impl Into<String>) -> Section {
        self.items.push(Item::Line(text.into()));
        self
    }

    fn lines(mut self, lines: impl IntoIterator<Item = String>, none: &str) -> Section {
        let before = self.items.len();
        self.items.extend(lines.into_iter().map(Item::Line));
        if self.items.len() == before {
            self.items.push(Item::Line(none.to_string()));
        }
        self
    }

    fn block(mut self, text: impl Into<String>) -> Section {
        self.items.push(Item::Block(text.into()));
        self
    }
}

/// Inspects `subject` in `cluster`; `None` when it does not exist (any more).
pub fn inspect(cluster: &Cluster, subject: &Subject) -> Option<Inspection> {
    match subject {
        Subject::Pod(key) => {
            let (ns, name) = key.split_once('/')?;
            pod(cluster, cluster.find_pod(ns, name)?)
        }
        Subject::Service(key) => {
            let (ns, name) = key.split_once('/')?;
            Some(service(cluster, cluster.service(ns, name)?))
        }
        Subject::Node(name) => {
            let index = cluster.nodes.iter().position(|n| &n.name == name)?;
            Some(node(cluster, NodeId(index as u16)))
        }
        Subject::NetworkPolicy(key) => {
            let (ns, name) = key.split_once('/')?;
            let policy = cluster.network_policies.iter().find(|p| p.meta.namespace == ns && p.meta.name == name)?;
            Some(network_policy(cluster, policy))
        }
    }
}

/// Labels as `k=v` lines.
fn label_lines(labels: &Labels) -> Vec<String> {
    labels.iter().map(|(k, v)| format!("{k}={v}")).collect()
}

fn pod(cluster: &Cluster, id: PodId) -> Option<Inspection> {
    let state = cluster.pod(id);
    let pod = &state.pod;
    let spec = &pod.spec;
    let mut summary = Section::new("Pod")
        .field("Namespace", pod.meta.namespace.as_str())
        .field("Name", pod.meta.name.as_str())
        .field("Node", state.node.map_or_else(|| "<none>".to_string(), |n| cluster.node(n).name.clone()))
        .field("IP", state.ip.map_or_else(|| "<none>".to_string(), |ip| ip.to_string()))
        .field("Phase", state.phase())
        .field("Ready", if state.is_ready() { "True" } else { "False" });
    if let Some(reason) = &state.pending {
        let why = match reason {
            PendingReason::Unschedulable(why) => why.to_string(),
            PendingReason::NodeNotFound { node } => format!("spec.nodeName names node {node}, which does not exist"),
            PendingReason::NodeOutOfPods { node } => format!("node {node} already runs as many pods as it may"),
        };
        summary = summary.field("Pending", why);
    }
    if spec.host_network {
        summary = summary.field("Host network", "true (the node's address and network namespace)");
    }
    if let Some(owner) = &state.owner {
        summary = summary.field("Controlled by", owner.to_string());
    }
    summary = summary.field("DNS policy", spec.dns_policy.as_str());

    let mut containers = Section::new("Containers");
    for c in &spec.containers {
        let ports: Vec<String> = c
            .ports
            .iter()
            .map(|p| match &p.name {
                Some(name) => format!("{name} {}/{}", p.container_port, p.protocol),
                None => format!("{}/{}", p.container_port, p.protocol),
            })
            .collect();
        let ports = if ports.is_empty() { "no ports declared".to_string() } else { ports.join(", ") };
        containers = containers.field(&c.name, format!("{} · {ports}", c.image));
    }

    let services = cluster.services.iter().filter(|s| {
        s.service.meta.namespace == pod.meta.namespace
            && s.service.spec.type_ != ServiceType::ExternalName
            && s.service
                .spec
                .selector
                .as_ref()
                .is_some_and(|sel| sel.iter().all(|(k, v)| pod.meta.labels.get(k) == Some(v)))
    });
    let services = Section::new("Services selecting it").lines(services.map(ServiceState::key), "none");

    let environment: Vec<String> = cluster.environment(id).iter().map(|(k, v)| format!("{k}={v}")).collect();
    let mut env = Section::new("Service environment variables");
    env = if state.node.is_none() {
        env.line("none yet: the kubelet sets them when the containers start")
    } else {
        env.block(environment.join("\n"))
            .line("set when the containers started: a Service created later is missing until the pod is recreated")
    };

    let dns = Dns::new(cluster);
    let resolv = Section::new("/etc/resolv.conf").block(dns.resolv_conf(cluster, id).to_string());

    Some(Inspection {
        kind: "Pod",
        title: state.key(),
        sections: vec![
            summary,
            Section::new("Labels").lines(label_lines(&pod.meta.labels), "<none>"),
            containers,
            services,
            env,
            resolv,
            pod_policies(cluster, id),
        ],
    })
}

/// The NetworkPolicies that select pod `id`, and whether each direction is isolated.
fn pod_policies(cluster: &Cluster, id: PodId) -> Section {
    let section = Section::new("NetworkPolicies");
    if cluster.pod(id).pod.spec.host_network {
        return section.line("a hostNetwork pod: NetworkPolicies never select it; its traffic is its node's");
    }
    let selecting = policy::selecting(cluster, id);
    let name = |p: &NetworkPolicy| format!("{}/{}", p.meta.namespace, p.meta.name);
    let mut section = section;
    for direction in [Direction::Ingress, Direction::Egress] {
        let isolating: Vec<String> = (policy::isolating(cluster, id, direction).into_iter())
            .map(|p| name(&cluster.network_policies[p.index()]))
            .collect();
        let value = if isolating.is_empty() {
            format!("not isolated: all {} allowed", direction.field())
        } else {
            format!("isolated by {}", isolating.join(", "))
        };
        section = section.field(direction.policy_type(), value);
    }
    let names: Vec<String> = selecting.iter().map(|p| name(&cluster.network_policies[p.index()])).collect();
    section.field("Selected by", if names.is_empty() { "none".to_string() } else { names.join(", ") })
}

fn service(cluster: &Cluster, s: &ServiceState) -> Inspection {
    let spec = &s.service.spec;
    let meta = &s.service.meta;
    let mut summary = Section::new("Service")
        .field("Namespace", meta.namespace.as_str())
        .field("Name", meta.name.as_str())
        .field("Type", spec.type_.as_str())
        .field("Selector", spec.selector.as_ref().map_or_else(|| "<none>".to_string(), |l| label_lines(l).join(",")))
        .field("ClusterIP", s.cluster_ip_text());
    if let Some(name) = &spec.external_name {
        summary = summary.field("External name", name.as_str());
    }
    if !matches!(s.load_balancer, LoadBalancerStatus::NotApplicable) {
        summary = summary.field("External IP", s.load_balancer.to_string());
    }
    if !spec.external_ips.is_empty() {
        let ips: Vec<String> = spec.external_ips.iter().map(ToString::to_string).collect();
        summary = summary.field("External IPs", ips.join(","));
    }
    if spec.type_ != ServiceType::ExternalName {
        summary = summary.field("Internal traffic policy", spec.internal_traffic_policy.as_str());
    }
    if spec.type_.has_node_ports() {
        summary = summary.field("External traffic policy", spec.external_traffic_policy.as_str());
    }
    if let Some(port) = s.health_check_node_port {
        summary = summary.field("Health check nodePort", port.to_string());
    }
    let affinity = match spec.session_affinity {
        SessionAffinity::None => "None",
        SessionAffinity::ClientIp { .. } => "ClientIP",
    };
    summary = summary.field("Session affinity", affinity);

    let mut ports = Section::new("Ports");
    for (p, node_port) in spec.ports.iter().zip(&s.node_ports) {
        let target = match &p.target_port {
            TargetPort::Number(n) => n.to_string(),
            TargetPort::Named(name) => name.clone(),
        };
        let mut value = format!("port {}/{} → targetPort {target}", p.port, p.protocol);
        if let Some(np) = node_port {
            value.push_str(&format!(", nodePort {np}"));
        }
        ports = ports.field(p.name.as_deref().unwrap_or("<unset>"), value);
    }
    if spec.ports.is_empty() {
        ports = ports.line("<none>");
    }

    let endpoints = s.endpoints.iter().map(|e| {
        let who = e.pod.map_or_else(|| "no pod".to_string(), |id| cluster.pod(id).key());
        format!("{} {who} ({})", e.ip, if e.ready { "ready" } else { "not ready" })
    });
    let endpoints = Section::new("Endpoints").lines(endpoints, "<none>");

    Inspection {
        kind: "Service",
        title: s.key(),
        sections: vec![summary, ports, endpoints, service_dns(cluster, s), service_rules(cluster, s)],
    }
}

/// The Service's records (DNS specification, sections 2.3 and 2.4): an A record (a CNAME for
/// ExternalName) and an SRV record per named port.
fn service_dns(cluster: &Cluster, s: &ServiceState) -> Section {
    let meta = &s.service.meta;
    let fqdn = format!("{}.{}.svc.{}", meta.name, meta.namespace, cluster.config.cluster_domain);
    let spec = &s.service.spec;
    let mut section = Section::new("DNS names");
    section = match (&spec.external_name, s.cluster_ip) {
        (Some(target), _) => section.field("CNAME", format!("{fqdn} → {target}")),
        (None, Some(ip)) => section.field("A", format!("{fqdn} → {ip}")),
        (None, None) => section.field("A", format!("{fqdn} → each ready endpoint's address (headless)")),
    };
    for p in spec.ports.iter().filter(|_| spec.external_name.is_none()) {
        if let Some(name) = &p.name {
            let proto = kube_proxy::chains::protocol_lower(p.protocol);
            section = section.field("SRV", format!("_{name}._{proto}.{fqdn} → port {}", p.port));
        }
    }
    section
}

/// The rules kube-proxy on the first node programs for the Service: the entry rules that jump
/// to its chains, those chains (`KUBE-SVC-`, `KUBE-EXT-`, `KUBE-SVL-`, `KUBE-FW-`), then the
/// `KUBE-SEP-` chains they jump to; in nftables mode, the lines that name it.
fn service_rules(cluster: &Cluster, s: &ServiceState) -> Section {
    let Some(first) = cluster.nodes.first() else { return Section::new("kube-proxy rules").line("no nodes") };
    let heading = format!("kube-proxy rules on {}", first.name);
    let meta = &s.service.meta;
    let lines: Vec<String> = match kube_proxy::programmed_rules(cluster, NodeId(0)) {
        ProgrammedRules::Iptables(rules) => {
            let Some(nat) = rules.table(TableName::Nat) else { return Section::new(heading).line("<none>") };
            let mut chains: BTreeSet<String> = BTreeSet::new();
            for p in &s.service.spec.ports {
                let port_name = p.name.as_deref().unwrap_or("");
                let (ns, name, proto) = (meta.namespace.as_str(), meta.name.as_str(), p.protocol);
                chains.insert(kube_proxy::chains::service_chain(ns, name, port_name, proto));
                chains.insert(kube_proxy::chains::external_chain(ns, name, port_name, proto));
                chains.insert(kube_proxy::chains::local_chain(ns, name, port_name, proto));
                chains.insert(kube_proxy::chains::firewall_chain(ns, name, port_name, proto));
            }
            let jumps = |rule: &kube_proxy::Rule| match &rule.target {
                Some(Target::Jump(chain)) => Some(chain.clone()),
                _ => None,
            };
            let endpoint_chains: Vec<String> = (nat.chains.iter().filter(|c| chains.contains(&c.name)))
                .flat_map(|c| c.rules.iter().filter_map(jumps))
                .filter(|c| c.starts_with("KUBE-SEP-"))
                .collect();
            let entry: Vec<String> = (nat.chains.iter().filter(|c| !chains.contains(&c.name)))
                .flat_map(|c| &c.rules)
                .filter(|r| jumps(r).is_some_and(|j| chains.contains(&j)))
                .map(ToString::to_string)
                .collect();
            let rules_of = |names: &BTreeSet<String>| {
                (nat.chains.iter().filter(|c| names.contains(&c.name)))
                    .flat_map(|c| &c.rules)
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
            };
            let endpoint_chains: BTreeSet<String> = endpoint_chains.into_iter().collect();
            [entry, rules_of(&chains), rules_of(&endpoint_chains)].concat()
        }
        ProgrammedRules::Nftables(text) => {
            let needle = format!("{}/{}/", meta.namespace, meta.name);
            text.lines().filter(|l| l.contains(&needle)).map(str::to_string).collect()
        }
        ProgrammedRules::Ipvs => return Section::new(heading).line("ipvs mode is not modeled"),
        ProgrammedRules::NoKubeProxy => {
            return Section::new(heading).line("kube-proxy does not run (kubeProxyMode: none)")
        }
    };
    if lines.is_empty() {
        return Section::new(heading).line("none: kube-proxy does not proxy headless or ExternalName Services");
    }
    Section::new(heading).block(lines.join("\n"))
}

fn node(cluster: &Cluster, id: NodeId) -> Inspection {
    let n = cluster.node(id);
    let cni = cluster.config.cni;
    let summary = Section::new("Node")
        .field("Name", n.name.as_str())
        .field("Role", n.role.as_str())
        .field("InternalIP", n.internal_ip.to_string())
        .field("PodCIDR", n.pod_cidr.to_string())
        .field("kube-proxy mode", cluster.config.kube_proxy_mode.as_str())
        .field(
            "CNI",
            format!(
                "{} ({})",
                cni.as_str(),
                if policy::enforces(cni) { "enforces NetworkPolicy" } else { "does not enforce NetworkPolicy" }
            ),
        );
    let taints = n.taints.iter().map(|t| {
        if t.value.is_empty() {
            format!("{}:{}", t.key, t.effect.as_str())
        } else {
            format!("{}={}:{}", t.key, t.value, t.effect.as_str())
        }
    });
    let pods = cluster.pods.iter().filter(|p| p.node == Some(id)).map(|p| {
        let ip = p.ip.map_or_else(|| "<none>".to_string(), |ip| ip.to_string());
        format!("{} {ip}", p.key())
    });
    Inspection {
        kind: "Node",
        title: n.name.clone(),
        sections: vec![
            summary,
            Section::new("Labels").lines(label_lines(&n.labels), "<none>"),
            Section::new("Taints").lines(taints, "<none>"),
            Section::new("Pods").lines(pods, "none"),
        ],
    }
}

fn network_policy(cluster: &Cluster, p: &NetworkPolicy) -> Inspection {
    let selector = if p.pod_selector.is_empty() {
        "{} (every pod of the namespace)".to_string()
    } else {
        selector_string(&p.pod_selector)
    };
    let types: Vec<&str> = [(p.isolates_ingress, "Ingress"), (p.isolates_egress, "Egress")]
        .into_iter()
        .filter_map(|(on, name)| on.then_some(name))
        .collect();
    let summary = Section::new("NetworkPolicy")
        .field("Namespace", p.meta.namespace.as_str())
        .field("Name", p.meta.name.as_str())
        .field("Pod selector", selector)
        .field("Policy types", types.join(", "));
    let selected = cluster
        .pods
        .iter()
        .filter(|s| {
            s.pod.meta.namespace == p.meta.namespace
                && !s.pod.spec.host_network
                && p.pod_selector.matches(&s.pod.meta.labels)
        })
        .map(|s| s.key());
    Inspection {
        kind: "NetworkPolicy",
        title: format!("{}/{}", p.meta.namespace, p.meta.name),
        sections: vec![
            summary,
            rules_section(p, Direction::Ingress),
            rules_section(p, Direction::Egress),
            Section::new("Pods it selects").lines(selected, "none"),
        ],
    }
}

/// A direction's rules, one field per rule: its peers (ORed) and ports.
fn rules_section(p: &NetworkPolicy, direction: Direction) -> Section {
    let (isolates, rules): (bool, &[PolicyRule]) = match direction {
        Direction::Ingress => (p.isolates_ingress, &p.ingress),
        Direction::Egress => (p.isolates_egress, &p.egress),
    };
    let mut section = Section::new(format!("{} rules", direction.policy_type()));
    if !isolates {
        return section.line(format!("not in policyTypes: this policy does not restrict {}", direction.field()));
    }
    if rules.is_empty() {
        return section.line(format!("none: all {} of the selected pods is denied", direction.field()));
    }
    for (i, rule) in rules.iter().enumerate() {
        let peers = match &rule.peers {
            None => "any peer".to_string(),
            Some(peers) => peers.iter().map(policy::element).collect::<Vec<_>>().join(" or "),
        };
        let ports = if rule.ports.is_empty() {
            "any port".to_string()
        } else {
            rule.ports.iter().map(policy::port_entry).collect::<Vec<_>>().join(", ")
        };
        section = section
            .field(&format!("{}[{i}]", direction.field()), format!("{} {peers}; {ports}", direction.peers_field()));
    }
    section
}

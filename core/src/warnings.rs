//! Warnings for the classic traps: objects the API server accepts that almost certainly do not
//! do what the learner meant. Each is a [`Diagnostic`] of [`Severity::Warning`](crate::diag::Severity)
//! at the span of the field concerned, with a one-line message and a hint that says how to fix
//! it. They run on the reconciled cluster (after the controllers), one function per trap.
//!
//! Invariant: warnings never reject, change or mark stale anything; they only report. A
//! workspace with warnings and no error applies like one without (`kubectl apply` exits 0).
//!
//! Not a warning here: a multi-port Service without port names, which the API server rejects
//! ("spec.ports[1].name: Required value", `ValidateService`), so it is an error in
//! `load::service`.

use crate::api::cluster_config::CniPlugin;
use crate::api::network_policy::{NetworkPolicy, PolicyPeer, PolicyRule};
use crate::api::pod::PodSpec;
use crate::api::service::{Service, ServiceType, TargetPort, TrafficPolicy};
use crate::api::Protocol;
use crate::cluster::{Cluster, NodeId, PodId, PodState};
use crate::controllers::endpoint_slices::PodsByNamespace;
use crate::diag::Diagnostic;
use crate::dns::ResolvConf;
use crate::objects::{Declared, Objects, Source};
use crate::policy::{self, Direction, Endpoint, Flow};
use crate::render::text::{format_labels, selector_string};
use std::net::IpAddr;

/// Every warning of the workspace `objects`, reconciled into `cluster`.
pub fn check(objects: &Objects, cluster: &Cluster) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let pods = PodsByNamespace::new(&cluster.pods);
    for service in &objects.services {
        if let Some(selected) = selected_pods(&service.object, &pods) {
            warnings.extend(service_selects_no_pod(service, &selected));
            warnings.extend(target_ports_not_exposed(service, &selected));
        }
        warnings.extend(local_traffic_policy_without_local_endpoints(service, cluster));
    }
    for pod in &objects.pods {
        warnings.extend(placed_on_no_node(&pod.source, "spec", &pod.object.spec, cluster));
    }
    let templates = objects.deployments.iter().map(|d| (&d.source, &d.object.spec));
    let templates = templates
        .chain(objects.replica_sets.iter().map(|r| (&r.source, &r.object.spec)))
        .chain(objects.stateful_sets.iter().map(|s| (&s.source, &s.object.spec)));
    for (source, spec) in templates.filter(|(_, spec)| spec.replicas > 0) {
        warnings.extend(placed_on_no_node(source, "spec.template.spec", &spec.template.spec, cluster));
    }
    for policy in &objects.network_policies {
        warnings.extend(peers_ored_where_anded_was_meant(policy));
        warnings.extend(namespace_selectors_matching_no_namespace(policy, cluster));
        warnings.extend(egress_isolation_without_dns(policy, cluster));
        warnings.extend(policy_not_enforced(policy, cluster));
    }
    warnings
}

/// A warning at `field` of `source`.
fn warning(source: &Source, field: &str, message: String, hint: String) -> Diagnostic {
    Diagnostic::warning(&source.file, source.span_of(field), field, message).with_hint(hint)
}

/// The pods of its namespace a Service's selector picks (every label of the selector); `None`
/// for a Service without a selector (its endpoints are written by hand) or an ExternalName.
fn selected_pods<'c>(service: &Service, pods: &PodsByNamespace<'c>) -> Option<Vec<&'c PodState>> {
    let selector = service.spec.selector.as_ref().filter(|s| !s.is_empty())?;
    if service.spec.type_ == ServiceType::ExternalName {
        return None;
    }
    Some(pods.selected(&service.meta.namespace, selector).map(|(_, pod)| pod).collect())
}

/// A Service whose selector matches no pod of its namespace (`selected`): it gets no
/// endpoints, and connections to it are refused.
pub fn service_selects_no_pod(service: &Declared<Service>, selected: &[&PodState]) -> Option<Diagnostic> {
    let s = &service.object;
    if !selected.is_empty() {
        return None;
    }
    let selector = format_labels(s.spec.selector.as_ref()?);
    Some(warning(
        &service.source,
        "spec.selector",
        format!(
            "no pod in namespace {} has the labels {selector}: the Service has no endpoints and connections to it are refused",
            s.meta.namespace
        ),
        "give the pods these labels (for a Deployment, in spec.template.metadata.labels) or change the selector to labels the pods have".to_string(),
    ))
}

/// A `targetPort` that no selected pod exposes: a number no container declares (when the pods
/// declare ports at all), or a name no container port has — the EndpointSlice controller
/// leaves such pods out, so the Service port has no endpoints.
pub fn target_ports_not_exposed(service: &Declared<Service>, selected: &[&PodState]) -> Vec<Diagnostic> {
    let s = &service.object;
    let mut warnings = Vec::new();
    if selected.is_empty() {
        return warnings;
    }
    for (i, port) in s.spec.ports.iter().enumerate() {
        let exposes = |pod: &&PodState| match &port.target_port {
            TargetPort::Number(n) => {
                let mut declared = pod.pod.spec.ports().peekable();
                declared.peek().is_none() || declared.any(|c| c.container_port == *n && c.protocol == port.protocol)
            }
            TargetPort::Named(name) => pod.pod.spec.named_port(name, port.protocol).is_some(),
        };
        if selected.iter().any(exposes) {
            continue;
        }
        let field = if service.source.has_field(&format!("spec.ports[{i}].targetPort")) {
            format!("spec.ports[{i}].targetPort")
        } else {
            format!("spec.ports[{i}].port")
        };
        let (message, hint) = match &port.target_port {
            TargetPort::Number(n) => (
                format!("targetPort {n}/{}: no container of the selected pods declares this port", port.protocol),
                format!("set targetPort to the containerPort the pods listen on, or declare {n} in their ports"),
            ),
            TargetPort::Named(name) => (
                format!(
                    "targetPort {name}: no container of the selected pods has a {} port named {name}, so the Service has no endpoints on this port",
                    port.protocol
                ),
                format!("name the container port {name} (ports[].name) or use the port number"),
            ),
        };
        warnings.push(warning(&service.source, &field, message, hint));
    }
    warnings
}

/// `externalTrafficPolicy: Local` on a NodePort or LoadBalancer Service while some nodes run no
/// ready endpoint of it: those nodes drop what reaches their nodePort.
pub fn local_traffic_policy_without_local_endpoints(
    service: &Declared<Service>,
    cluster: &Cluster,
) -> Option<Diagnostic> {
    let s = &service.object;
    if s.spec.external_traffic_policy != TrafficPolicy::Local || !s.spec.type_.has_node_ports() {
        return None;
    }
    let state = cluster
        .services
        .iter()
        .find(|st| st.service.meta.namespace == s.meta.namespace && st.service.meta.name == s.meta.name)?;
    let local = |i: usize| state.endpoints.iter().any(|e| e.ready && e.node.is_some_and(|n| n.index() == i));
    let without: Vec<&str> =
        cluster.nodes.iter().enumerate().filter(|(i, _)| !local(*i)).map(|(_, n)| n.name.as_str()).collect();
    // With no ready endpoint anywhere the Service is broken for every client; other warnings
    // (or the pods' readiness) say why.
    if without.is_empty() || without.len() == cluster.nodes.len() {
        return None;
    }
    Some(warning(
        &service.source,
        "spec.externalTrafficPolicy",
        format!(
            "externalTrafficPolicy: Local: {} {} no ready endpoint of this Service, so traffic to {} nodePort is dropped",
            without.join(", "),
            if without.len() == 1 { "has" } else { "have" },
            if without.len() == 1 { "its" } else { "their" }
        ),
        "send clients only to nodes with an endpoint (a load balancer's health checks do), run a pod on every node, or use externalTrafficPolicy: Cluster (the client address is then masqueraded)"
            .to_string(),
    ))
}

/// The rules of `policy` with their field (`spec.ingress[0]`) and peers field (`from`).
fn rules(policy: &NetworkPolicy) -> Vec<(String, &'static str, &PolicyRule)> {
    let mut all = Vec::new();
    for (direction, rules) in [(Direction::Ingress, &policy.ingress), (Direction::Egress, &policy.egress)] {
        for (i, rule) in rules.iter().enumerate() {
            all.push((format!("spec.{}[{i}]", direction.field()), direction.peers_field(), rule));
        }
    }
    all
}

/// A peer list with an item holding only a `namespaceSelector` and another holding only a
/// `podSelector`: two items are ORed (every pod of those namespaces, or those pods of the
/// policy's namespace), where one item with both (ANDed: those pods of those namespaces) is the
/// usual intent (kubernetes.io, "Behavior of to and from selectors").
pub fn peers_ored_where_anded_was_meant(policy: &Declared<NetworkPolicy>) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (rule_field, peers_field, rule) in rules(&policy.object) {
        let Some(peers) = &rule.peers else { continue };
        let namespace_only = peers
            .iter()
            .position(|p| matches!(p, PolicyPeer::Pods { pod_selector: None, namespace_selector: Some(_) }));
        let pod_only = peers
            .iter()
            .position(|p| matches!(p, PolicyPeer::Pods { pod_selector: Some(_), namespace_selector: None }));
        let (Some(ns), Some(pod)) = (namespace_only, pod_only) else { continue };
        let field = format!("{rule_field}.{peers_field}[{}]", ns.max(pod));
        warnings.push(warning(
            &policy.source,
            &field,
            format!(
                "{peers_field}[{ns}] (namespaceSelector) and {peers_field}[{pod}] (podSelector) are separate items, which are ORed: every pod of the selected namespaces is admitted, and the podSelector only picks pods of namespace {}",
                policy.object.meta.namespace
            ),
            "to admit only pods matching the podSelector in namespaces matching the namespaceSelector, write both in one item: remove the dash before the second selector"
                .to_string(),
        ));
    }
    warnings
}

/// A `namespaceSelector` that no namespace of the cluster matches: its peer admits nothing.
/// The usual cause is selecting by a label the namespace lacks (`name: web`) instead of the
/// `kubernetes.io/metadata.name` label every namespace carries.
pub fn namespace_selectors_matching_no_namespace(
    policy: &Declared<NetworkPolicy>,
    cluster: &Cluster,
) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    for (rule_field, peers_field, rule) in rules(&policy.object) {
        for (j, peer) in rule.peers.iter().flatten().enumerate() {
            let PolicyPeer::Pods { namespace_selector: Some(selector), .. } = peer else { continue };
            if cluster.namespaces.iter().any(|n| selector.matches(&n.labels)) {
                continue;
            }
            let field = format!("{rule_field}.{peers_field}[{j}].namespaceSelector");
            let named = selector
                .match_labels
                .values()
                .find(|v| cluster.namespaces.iter().any(|n| &n.name == *v))
                .map(String::as_str);
            let hint = match named {
                Some(name) => format!(
                    "every namespace carries the label kubernetes.io/metadata.name=<its name>: to select namespace {name}, write kubernetes.io/metadata.name: {name}"
                ),
                None => "label the namespaces you mean (metadata.labels of the Namespace), or select them by kubernetes.io/metadata.name".to_string(),
            };
            warnings.push(warning(
                &policy.source,
                &field,
                format!("no namespace has labels matching {}: this peer admits nothing", selector_string(selector)),
                hint,
            ));
        }
    }
    warnings
}

/// A pod (or a workload's pod template, at `spec_path`) that names a node that does not exist
/// in `nodeName`, or selects labels no node has in `nodeSelector`: its pods never start. A pod
/// with `nodeName` bypasses the scheduler and is bound to the missing node (a real cluster's pod
/// garbage collector deletes it soon after); one whose selector no node matches stays Pending
/// ("didn't match Pod's node affinity/selector").
pub fn placed_on_no_node(source: &Source, spec_path: &str, spec: &PodSpec, cluster: &Cluster) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    let node_names = || cluster.nodes.iter().map(|n| n.name.as_str()).collect::<Vec<_>>().join(", ");
    if let Some(name) = spec.node_name.as_deref().filter(|name| cluster.nodes.iter().all(|n| n.name != *name)) {
        warnings.push(warning(
            source,
            &format!("{spec_path}.nodeName"),
            format!(
                "no node is named {name} (the nodes are {}): the pod skips the scheduler, is bound to a node that does not exist and never starts",
                node_names()
            ),
            "write the name of a node (kubectl get nodes), or remove nodeName and let the scheduler choose, with nodeSelector to pick nodes by label".to_string(),
        ));
    }
    let selector = &spec.node_selector;
    if !selector.is_empty() && !cluster.nodes.iter().any(|n| selector.iter().all(|(k, v)| n.labels.get(k) == Some(v))) {
        warnings.push(warning(
            source,
            &format!("{spec_path}.nodeSelector"),
            format!(
                "no node has the labels {}: the scheduler finds no node for the pod and it stays Pending",
                format_labels(selector)
            ),
            "label a node in the cluster config (nodes[].labels) or select labels a node has, such as kubernetes.io/hostname: <node name>".to_string(),
        ));
    }
    warnings
}

/// An egress policy that isolates pods none of whose egress rules (in any policy) lets them
/// reach their DNS server on 53/UDP: every name lookup of those pods times out. The server is
/// the first nameserver of the pod's resolv.conf ([`ResolvConf::for_pod`]): kube-dns (one of
/// the CoreDNS pods behind it) for `ClusterFirst`, the node's resolver (an address outside the
/// cluster) for `dnsPolicy: Default`, the first `dnsConfig` nameserver for `None`.
pub fn egress_isolation_without_dns(policy: &Declared<NetworkPolicy>, cluster: &Cluster) -> Option<Diagnostic> {
    let p = &policy.object;
    if !p.isolates_egress {
        return None;
    }
    let kube_dns = cluster.service("kube-system", "kube-dns").and_then(|s| s.cluster_ip);
    let node_conf = ResolvConf::node(cluster.config.node_gateway());
    let (pod, server) = cluster.pods.iter().enumerate().find_map(|(i, pod)| {
        if pod.ip.is_none()
            || pod.pod.spec.host_network
            || pod.pod.meta.namespace != p.meta.namespace
            || !p.pod_selector.matches(&pod.pod.meta.labels)
        {
            return None;
        }
        let id = PodId(i as u32);
        let server = dns_server(cluster, ResolvConf::for_pod(cluster, id, kube_dns, &node_conf), kube_dns)?;
        let flow = Flow { src: Endpoint::Pod(id), dst: server.endpoint, port: 53, protocol: Protocol::UDP };
        (!policy::decide(cluster, &flow).egress.verdict.allows()).then_some((pod, server))
    })?;
    let field = if policy.source.has_field("spec.egress") { "spec.egress" } else { "spec.policyTypes" };
    let (to, hint) = match server.kind {
        DnsServerKind::KubeDns => (
            "kube-dns".to_string(),
            "add an egress rule to namespaceSelector kubernetes.io/metadata.name: kube-system with podSelector k8s-app: kube-dns, ports 53/UDP and 53/TCP".to_string(),
        ),
        DnsServerKind::Other(ip) => (
            format!("{ip}, the first nameserver of its resolv.conf (dnsPolicy {})", pod.pod.spec.dns_policy.as_str()),
            format!("add an egress rule to ipBlock cidr: {ip}/32 (or the pod that serves it), ports 53/UDP and 53/TCP"),
        ),
    };
    Some(warning(
        &policy.source,
        field,
        format!(
            "this policy isolates egress of pods such as {} and no egress rule allows DNS (53/UDP to {to}): their name lookups time out",
            pod.key()
        ),
        hint,
    ))
}

/// Where a pod's DNS queries go, as NetworkPolicy sees the destination.
struct DnsServer {
    endpoint: Endpoint,
    kind: DnsServerKind,
}

enum DnsServerKind {
    /// The kube-dns ClusterIP: policy sees the CoreDNS pod behind it (after DNAT).
    KubeDns,
    /// Any other address: a pod, a node, or outside the cluster.
    Other(IpAddr),
}

/// The DNS server of a pod whose resolv.conf is `conf`; `None` when it has no nameserver, or
/// the first is a ClusterIP other than kube-dns (its backend is not known without a trace).
fn dns_server(cluster: &Cluster, conf: ResolvConf, kube_dns: Option<IpAddr>) -> Option<DnsServer> {
    let ip = *conf.nameservers.first()?;
    if Some(ip) == kube_dns {
        let core_dns = cluster.pods.iter().position(|pod| {
            pod.system && pod.ip.is_some() && pod.pod.meta.labels.get("k8s-app").is_some_and(|v| v == "kube-dns")
        })?;
        return Some(DnsServer { endpoint: Endpoint::Pod(PodId(core_dns as u32)), kind: DnsServerKind::KubeDns });
    }
    if cluster.services.iter().any(|s| s.cluster_ip == Some(ip)) {
        return None;
    }
    let endpoint = if let Some(i) = cluster.pods.iter().position(|p| p.ip == Some(ip) && !p.pod.spec.host_network) {
        Endpoint::Pod(PodId(i as u32))
    } else if let Some(i) = cluster.nodes.iter().position(|n| IpAddr::V4(n.internal_ip) == ip) {
        Endpoint::Node(NodeId(i as u16))
    } else {
        Endpoint::External(ip)
    };
    Some(DnsServer { endpoint, kind: DnsServerKind::Other(ip) })
}

/// A NetworkPolicy on a cluster whose CNI plugin has no policy engine (flannel): it is stored
/// and selects pods, but blocks nothing.
pub fn policy_not_enforced(policy: &Declared<NetworkPolicy>, cluster: &Cluster) -> Option<Diagnostic> {
    let cni = cluster.config.cni;
    if policy::enforces(cni) {
        return None;
    }
    Some(warning(
        &policy.source,
        "kind",
        format!("the cluster's CNI plugin {} does not enforce NetworkPolicy: this policy blocks nothing", cni.as_str()),
        format!("choose a plugin that enforces policies in the cluster config (kubeplay.cni: {})", enforcing_plugins()),
    ))
}

/// `calico, cilium or kindnet`: the plugins that enforce NetworkPolicy.
fn enforcing_plugins() -> String {
    let names: Vec<&str> = CniPlugin::ALL.iter().filter(|c| policy::enforces(**c)).map(|c| c.as_str()).collect();
    match names.split_last() {
        Some((last, [])) => last.to_string(),
        Some((last, rest)) => format!("{} or {last}", rest.join(", ")),
        None => String::new(),
    }
}

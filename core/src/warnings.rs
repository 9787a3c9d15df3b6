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
use crate::api::service::{Service, ServiceType, TargetPort, TrafficPolicy};
use crate::api::Protocol;
use crate::cluster::{Cluster, PodId, PodState};
use crate::controllers::endpoint_slices::PodsByNamespace;
use crate::diag::Diagnostic;
use crate::objects::{Declared, Objects, Source};
use crate::policy::{self, Direction, Endpoint, Flow};
use crate::render::text::{format_labels, selector_string};

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

/// An egress policy that isolates pods none of whose egress rules (in any policy) lets them
/// reach cluster DNS on 53/UDP: every name lookup of those pods times out.
pub fn egress_isolation_without_dns(policy: &Declared<NetworkPolicy>, cluster: &Cluster) -> Option<Diagnostic> {
    let p = &policy.object;
    if !p.isolates_egress {
        return None;
    }
    let dns = cluster.pods.iter().position(|pod| {
        pod.system && pod.ip.is_some() && pod.pod.meta.labels.get("k8s-app").is_some_and(|v| v == "kube-dns")
    })?;
    let dns = Endpoint::Pod(PodId(dns as u32));
    let cut_off = cluster.pods.iter().enumerate().find(|(i, pod)| {
        pod.ip.is_some()
            && !pod.pod.spec.host_network
            && pod.pod.meta.namespace == p.meta.namespace
            && p.pod_selector.matches(&pod.pod.meta.labels)
            && {
                let flow = Flow { src: Endpoint::Pod(PodId(*i as u32)), dst: dns, port: 53, protocol: Protocol::UDP };
                !policy::decide(cluster, &flow).egress.verdict.allows()
            }
    })?;
    let field = if policy.source.has_field("spec.egress") { "spec.egress" } else { "spec.policyTypes" };
    Some(warning(
        &policy.source,
        field,
        format!(
            "this policy isolates egress of pods such as {} and no egress rule allows DNS (53/UDP to kube-dns): their name lookups time out",
            cut_off.1.key()
        ),
        "add an egress rule to namespaceSelector kubernetes.io/metadata.name: kube-system with podSelector k8s-app: kube-dns, ports 53/UDP and 53/TCP"
            .to_string(),
    ))
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

//! Words for a [`Trace`]: each hop's place and action, the verdict's reason, and the view the
//! CLI prints as JSON and the web app draws. Nothing here decides anything; it reads the trace's
//! data (and the cluster, for names) and says it as the real tools would (`10.96.0.10:80`,
//! `default/web`, `KUBE-SVC-…`).

use super::place::{moment, place, Moment, PlaceView};
use super::types::*;
use crate::api::cluster_config::CniPlugin;
use crate::api::Labels;
use crate::cluster::{Cluster, NodeId, PodId, ServiceId};
use crate::dns::view::LookupView;
use crate::dns::{Lookup, Name, RData};
use sha2::{Digest, Sha256};
use std::fmt::Write;
use std::net::IpAddr;

/// A trace as strings, shaped like `kubeplay trace -o json` (docs/cli.md).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TraceView {
    /// `delivered`, `refused`, `dropped`, `timeout` or `no-route`.
    pub verdict: &'static str,
    pub reason: String,
    /// Who received the packet, when it was delivered.
    pub backend: Option<BackendView>,
    /// The packet as the backend received it (so SNAT is visible).
    pub delivered_as: Option<AddressesView>,
    pub hops: Vec<HopView>,
    /// The reply's hops, when the connection was delivered.
    pub reply: Vec<HopView>,
    /// The DNS lookup of the target name, when the target was a name (absent otherwise).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub dns: Option<LookupView>,
}

/// The receiving end of a delivered trace.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct BackendView {
    /// `namespace/name`, or `None` for a node process or a host outside.
    pub pod: Option<String>,
    pub node: Option<String>,
    pub ip: String,
    pub port: u16,
}

/// A packet's addresses as `ip:port` text.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct AddressesView {
    pub src: String,
    pub dst: String,
}

/// One hop in words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct HopView {
    pub at: String,
    pub action: String,
    pub src: String,
    pub dst: String,
    /// The iptables rule line that matched, if a rule did.
    pub rule: Option<String>,
    /// Where the hop is drawn: an object of the cluster view and its part.
    pub place: PlaceView,
    /// The kind of event at the hop.
    pub moment: Moment,
    /// The outer (VXLAN) header while the packet is encapsulated: node to node addresses.
    pub outer: Option<AddressesView>,
}

/// The whole trace in words.
pub fn view(cluster: &Cluster, trace: &Trace) -> TraceView {
    let hop = |h: &Hop| HopView {
        at: location(cluster, &h.at),
        action: match h.step {
            Step::Stopped => stopped(&trace.verdict),
            _ => action(cluster, &h.step),
        },
        src: h.packet.src.to_string(),
        dst: h.packet.dst.to_string(),
        rule: h.rule.as_ref().map(|r| r.line.to_string()),
        place: place(cluster, h),
        moment: moment(&h.step),
        outer: h.outer.map(|o| AddressesView {
            src: std::net::SocketAddr::new(o.src, o.port).to_string(),
            dst: std::net::SocketAddr::new(o.dst, o.port).to_string(),
        }),
    };
    let (backend, delivered_as) = match &trace.verdict {
        Verdict::Delivered { backend, delivered_as, .. } => (
            Some(BackendView {
                pod: backend.pod.map(|p| cluster.pod(p).key()),
                node: backend.node.map(|n| cluster.node(n).name.clone()),
                ip: backend.addr.ip().to_string(),
                port: backend.addr.port(),
            }),
            Some(AddressesView { src: delivered_as.src.to_string(), dst: delivered_as.dst.to_string() }),
        ),
        _ => (None, None),
    };
    TraceView {
        verdict: trace.verdict.word(),
        reason: reason(cluster, &trace.verdict),
        backend,
        delivered_as,
        hops: trace.hops.iter().map(hop).collect(),
        reply: trace.reply.iter().map(hop).collect(),
        dns: trace.hops.iter().find_map(|h| match &h.step {
            Step::Resolved { lookup, .. } => Some(crate::dns::view::view(cluster, lookup)),
            _ => None,
        }),
    }
}

fn node(cluster: &Cluster, id: NodeId) -> &str {
    &cluster.node(id).name
}

fn pod(cluster: &Cluster, id: PodId) -> String {
    cluster.pod(id).key()
}

fn service(cluster: &Cluster, id: ServiceId) -> String {
    cluster.services[id.0 as usize].key()
}

/// `namespace/name:port` as kube-proxy names a service port.
fn service_port(cluster: &Cluster, id: ServiceId, port: usize) -> String {
    let s = &cluster.services[id.0 as usize];
    match s.service.spec.ports.get(port).and_then(|p| p.name.as_deref()) {
        Some(name) => format!("{}:{name}", s.key()),
        None => s.key(),
    }
}

/// The host side of a pod's veth as the CNI names it: `cali` + 11 hex digits (calico),
/// `lxc` + 12 (Cilium), `veth` + 8 (the bridge and ptp plugins flannel and kindnet use), from a
/// hash of the pod's key.
pub fn veth_name(cluster: &Cluster, id: PodId) -> String {
    let digest = Sha256::digest(cluster.pod(id).key().as_bytes());
    let hex: String = digest.iter().take(6).map(|b| format!("{b:02x}")).collect();
    match cluster.config.cni {
        CniPlugin::Calico => format!("cali{}", &hex[..11]),
        CniPlugin::Cilium => format!("lxc{}", &hex[..12]),
        CniPlugin::Flannel | CniPlugin::Kindnet => format!("veth{}", &hex[..8]),
    }
}

/// Where a hop happens, in words.
pub fn location(cluster: &Cluster, at: &Location) -> String {
    match *at {
        Location::External(ip) => format!("external {ip}"),
        Location::LoadBalancer { service: s, ip } => format!("load balancer {ip} ({})", service(cluster, s)),
        Location::PodEth0(p) => format!("pod {} eth0", pod(cluster, p)),
        Location::Veth { node: n, pod: p } => format!("{} {}", node(cluster, n), veth_name(cluster, p)),
        Location::Bridge(n) => format!("{} cni0", node(cluster, n)),
        Location::Routing(n) => format!("{} routing", node(cluster, n)),
        Location::Netfilter { node: n, hook } => {
            let hook = match hook {
                Hook::Prerouting => "nat PREROUTING",
                Hook::Output => "nat OUTPUT",
                Hook::Forward => "filter FORWARD",
                Hook::Input => "filter INPUT",
                Hook::Postrouting => "nat POSTROUTING",
            };
            format!("{} iptables {hook}", node(cluster, n))
        }
        Location::Ebpf(n) => format!("{} cilium eBPF", node(cluster, n)),
        Location::Tunnel(n) => {
            let device = if cluster.config.cni == CniPlugin::Cilium { "cilium_vxlan" } else { "flannel.1" };
            format!("{} {device}", node(cluster, n))
        }
        Location::NodeEth0(n) => format!("{} eth0", node(cluster, n)),
        Location::Host(n) => format!("{} host", node(cluster, n)),
    }
}

fn route(cluster: &Cluster, r: &Route) -> String {
    match *r {
        Route::LocalPod(p) => format!("route to {} on this node", pod(cluster, p)),
        Route::PodCidrOf(n) => {
            let target = cluster.node(n);
            let how = match cluster.config.cni {
                CniPlugin::Calico => format!("BGP route via {}, no encapsulation", target.internal_ip),
                CniPlugin::Kindnet => format!("static route via {}", target.internal_ip),
                CniPlugin::Flannel => "route via flannel.1 (VXLAN)".to_string(),
                CniPlugin::Cilium => "eBPF redirect to cilium_vxlan".to_string(),
            };
            format!("route {} ({}): {how}", target.pod_cidr, target.name)
        }
        Route::Node(n) => format!("route to node {} on the node network", node(cluster, n)),
        Route::Local => "local address: deliver on this node".to_string(),
        Route::DefaultGateway => "no specific route: default gateway".to_string(),
    }
}

fn policy(outcome: &PolicyOutcome) -> String {
    match outcome {
        PolicyOutcome::NotEnforced => "allowed (the CNI plugin does not enforce NetworkPolicy)".to_string(),
        PolicyOutcome::NotIsolated => "allowed (no policy selects the pod)".to_string(),
        PolicyOutcome::Allowed { policies } => format!("allowed by {}", policies.join(", ")),
        PolicyOutcome::Denied { policies } => format!("denied (isolated by {})", policies.join(", ")),
    }
}

/// What happened at a hop, in words (a `Stopped` hop is worded from the verdict, see [`view`]).
pub fn action(cluster: &Cluster, step: &Step) -> String {
    match step {
        Step::Send => "send".to_string(),
        Step::Resolved { name, answer, lookup } => resolved(name, *answer, lookup),
        Step::ServiceAddress { service: s, answer } => {
            let svc = &cluster.services[s.0 as usize];
            match answer {
                Some(ip) => format!("use the address of Service {}: {ip} (no DNS)", svc.key()),
                None => format!("Service {} has no address to use", svc.key()),
            }
        }
        Step::EnterNode => "veth into the node".to_string(),
        Step::LeaveNode => "veth into the pod".to_string(),
        Step::Routed(r) => route(cluster, r),
        Step::Bridged => "bridge forwards".to_string(),
        Step::Transmit => "transmit".to_string(),
        Step::Receive => "receive".to_string(),
        Step::Encapsulate(o) => format!("VXLAN encapsulate: outer {} -> {} udp/{}", o.src, o.dst, o.port),
        Step::Decapsulate(o) => format!("VXLAN decapsulate: outer {} -> {} udp/{}", o.src, o.dst, o.port),
        Step::ServiceMatched { service: s, port, frontend } => {
            let what = match frontend {
                Frontend::ClusterIp => "cluster IP",
                Frontend::NodePort => "node port",
                Frontend::ExternalIp => "external IP",
                Frontend::LoadBalancerIp => "load balancer IP",
            };
            format!("match Service {} {what}", service_port(cluster, *s, *port))
        }
        Step::NodePorts => "local destination: KUBE-NODEPORTS".to_string(),
        Step::MarkMasquerade => "mark for masquerade (KUBE-MARK-MASQ)".to_string(),
        Step::ShortCircuit => {
            "source in the cluster: Cluster endpoints despite externalTrafficPolicy: Local".to_string()
        }
        Step::LocalEndpoints => "externalTrafficPolicy: Local: this node's endpoints, client address kept".to_string(),
        Step::EndpointChosen { endpoint, choice, local_only } => {
            let among = if *local_only { " among this node's endpoints" } else { "" };
            match choice {
                Choice::Random { index, of } => {
                    format!("choose endpoint {endpoint}{among}: random, rule {} of {of}, each 1/{of}", index + 1)
                }
                Choice::Affinity { timeout_seconds } => {
                    format!("choose endpoint {endpoint}{among}: ClientIP session affinity ({timeout_seconds}s)")
                }
            }
        }
        Step::Dnat { from, to } => format!("DNAT {from} -> {to}"),
        Step::Snat { from, to, by: Masquerader::KubeProxy } => format!("MASQUERADE (SNAT) {from} -> {to}"),
        Step::Snat { from, to, by: Masquerader::Cni } => {
            let who = match cluster.config.cni {
                CniPlugin::Calico => "calico natOutgoing",
                CniPlugin::Cilium => "Cilium eBPF masquerade",
                CniPlugin::Flannel => "flannel --ip-masq",
                CniPlugin::Kindnet => "kindnet masquerade",
            };
            format!("leaving the cluster: {who} SNAT {from} -> {to}")
        }
        Step::Balanced { node: n, candidates, from, to } => {
            format!("forward to {} (one of {candidates} healthy nodes): {from} -> {to}", node(cluster, *n))
        }
        Step::HostPort { from, to } => format!("hostPort (CNI portmap) DNAT {from} -> {to}"),
        Step::Policy { direction, pod: p, outcome } => {
            let direction = match direction {
                Direction::Egress => "egress from",
                Direction::Ingress => "ingress to",
            };
            format!("NetworkPolicy {direction} {}: {}", pod(cluster, *p), policy(outcome))
        }
        Step::Stopped => "stopped".to_string(),
        Step::Deliver => "deliver".to_string(),
        Step::Return => "reply passes".to_string(),
        Step::UnDnat { from, to } => format!("conntrack reverses DNAT: source {from} -> {to}"),
        Step::UnSnat { from, to } => format!("conntrack reverses SNAT: destination {from} -> {to}"),
    }
}

/// The action of the hop where a trace stopped, from the verdict.
fn stopped(verdict: &Verdict) -> String {
    match verdict {
        Verdict::Refused(Reason::NoEndpoints { .. }) => "REJECT: no endpoints".to_string(),
        Verdict::Dropped(Reason::NoLocalEndpoints { .. }) => "DROP: no local endpoints".to_string(),
        Verdict::Refused(Reason::NotListening { .. }) => "nothing listens: reset".to_string(),
        Verdict::Dropped(Reason::SourceRangeDenied { .. }) => {
            "drop: client not in loadBalancerSourceRanges".to_string()
        }
        Verdict::Timeout(Reason::NoHealthyNodes { .. }) => "no healthy node to forward to".to_string(),
        Verdict::Timeout(Reason::PortNotExposed { .. }) => "no listener for this port".to_string(),
        Verdict::NoRoute(Reason::NoHost { .. }) => "no host with this address (no ARP reply)".to_string(),
        _ => "stopped".to_string(),
    }
}

fn selector_text(selector: &Labels) -> String {
    selector.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(",")
}

/// Why the trace ended as it did, in a sentence.
pub fn reason(cluster: &Cluster, verdict: &Verdict) -> String {
    match verdict {
        Verdict::Delivered { backend, listener, .. } => delivered(cluster, backend, *listener),
        Verdict::Refused(r) | Verdict::Dropped(r) | Verdict::Timeout(r) | Verdict::NoRoute(r) => because(cluster, r),
    }
}

fn delivered(cluster: &Cluster, backend: &Backend, listener: Listener) -> String {
    let addr = backend.addr;
    let mut text = match (backend.pod, backend.node) {
        (Some(p), Some(n)) => format!("delivered to pod {} on {} ({addr})", pod(cluster, p), node(cluster, n)),
        (None, Some(n)) => format!("delivered to node {} ({addr})", node(cluster, n)),
        _ => format!("delivered to {addr} outside the cluster"),
    };
    let _ = match listener {
        Listener::Declared => Ok(()),
        Listener::Assumed => write!(
            text,
            "; the pod declares no containerPort, so the model assumes its process listens on {}",
            addr.port()
        ),
        Listener::ApiServer => write!(text, ": the API server"),
        Listener::Etcd => write!(text, ": etcd"),
        Listener::Kubelet => write!(text, ": the kubelet"),
        Listener::KubeProxy => write!(text, ": kube-proxy's health check"),
        Listener::ExternalHost => write!(text, " (the model assumes that host answers)"),
    };
    text
}

/// `resolve web -> 10.96.0.12 (web.default.svc.cluster.local, 2 queries)`, with the aliases
/// (CNAME) the answer went through and, when no address came back, every name the search tried.
fn resolved(name: &Name, answer: Option<IpAddr>, lookup: &Lookup) -> String {
    let queries = match lookup.queries.len() {
        1 => "1 query".to_string(),
        n => format!("{n} queries"),
    };
    let records = match answer {
        Some(_) => &lookup.answers[..],
        None => lookup.queries.last().map_or(&[][..], |q| q.outcome.answers()),
    };
    let aliases: Vec<String> = records
        .iter()
        .filter_map(|r| match &r.data {
            RData::Cname(target) => Some(format!("{} is an alias (CNAME) for {target}", r.name)),
            _ => None,
        })
        .collect();
    let Some(ip) = answer else {
        let mut text = format!("resolve {name}: {} ({queries}: {})", lookup.rcode, tried_names(lookup).join(", "));
        if !aliases.is_empty() {
            let _ = write!(text, "; {}", aliases.join("; "));
        }
        return text;
    };
    let via = match (aliases.is_empty(), lookup.answers.first()) {
        (false, _) => aliases.join("; "),
        (true, Some(first)) => first.name.to_string(),
        (true, None) => name.to_string(),
    };
    format!("resolve {name} -> {ip} ({via}; {queries})")
}

/// The names a lookup asked for, in order, each once.
fn tried_names(lookup: &Lookup) -> Vec<String> {
    let mut names: Vec<String> = Vec::new();
    for q in &lookup.queries {
        let n = q.name.to_string();
        if !names.contains(&n) {
            names.push(n);
        }
    }
    names
}

fn because(cluster: &Cluster, reason: &Reason) -> String {
    match reason {
        Reason::NoEndpoints { service: s, port } => {
            let state = &cluster.services[s.0 as usize];
            let name = service_port(cluster, *s, *port);
            let why = match &state.service.spec.selector {
                Some(selector) if state.endpoints.is_empty() => format!(
                    "its selector {} matches no running pod in namespace {}",
                    selector_text(selector),
                    state.service.meta.namespace
                ),
                Some(_) if state.endpoints.iter().all(|e| !e.ready) => {
                    format!("none of its {} endpoints is ready", state.endpoints.len())
                }
                Some(_) => "no endpoint serves this port (a named targetPort no pod declares)".to_string(),
                None => "it has no selector and no Endpoints or EndpointSlice lists a ready address for this port"
                    .to_string(),
            };
            format!("{name} has no endpoints: {why}; kube-proxy REJECTs the connection")
        }
        Reason::NoLocalEndpoints { service: s, port, node: n, policy } => {
            let field = match policy {
                TrafficPolicyKind::Internal => "internalTrafficPolicy",
                TrafficPolicyKind::External => "externalTrafficPolicy",
            };
            format!(
                "{} has no local endpoints on {}: with {field}: Local kube-proxy DROPs the packet and the client times out",
                service_port(cluster, *s, *port),
                node(cluster, *n)
            )
        }
        Reason::NotListening { at, port, protocol } => match at {
            Closed::Pod(p) => {
                let declared: Vec<String> = cluster
                    .pod(*p)
                    .pod
                    .spec
                    .ports()
                    .map(|c| format!("{}/{}", c.container_port, c.protocol))
                    .collect();
                format!(
                    "nothing listens on {port}/{protocol} in pod {} (it declares {}): connection refused; check the Service's targetPort",
                    pod(cluster, *p),
                    declared.join(", ")
                )
            }
            Closed::Node(n) => {
                format!("nothing listens on {port}/{protocol} on node {}: connection refused", node(cluster, *n))
            }
        },
        Reason::PolicyDenied { direction, pod: p, policies } => {
            let direction = match direction {
                Direction::Egress => "egress from",
                Direction::Ingress => "ingress to",
            };
            format!("NetworkPolicy {} denies {direction} pod {}: dropped", policies.join(", "), pod(cluster, *p))
        }
        Reason::SourceRangeDenied { service: s, client } => {
            let ranges: Vec<String> = cluster.services[s.0 as usize]
                .service
                .spec
                .load_balancer_source_ranges
                .iter()
                .map(ToString::to_string)
                .collect();
            format!(
                "client {client} is outside loadBalancerSourceRanges ({}) of {}: the load balancer drops it",
                ranges.join(", "),
                service(cluster, *s)
            )
        }
        Reason::NoHealthyNodes { service: s } => format!(
            "no node passes the load balancer's health check for {} (externalTrafficPolicy: Local and no node with a ready local endpoint)",
            service(cluster, *s)
        ),
        Reason::PortNotExposed { service: s, port, protocol } => format!(
            "{} does not expose {port}/{protocol}: no rule translates it, and a Service address is virtual: nothing answers",
            service(cluster, *s)
        ),
        Reason::Unanswered { ip, proxied: true } => {
            format!("nothing has the address {ip}: the packet leaves by the default gateway and nothing answers")
        }
        Reason::Unanswered { ip, proxied: false } => format!(
            "no kube-proxy (kubeProxyMode: none) translates the Service address {ip}: it leaves by the default gateway and nothing answers"
        ),
        Reason::NoHost { ip } => format!("no host has the address {ip} (no ARP reply): no route to host"),
        Reason::NotRoutableFromOutside { ip, kind } => match kind {
            AddressKind::Pod => format!("{ip} is a pod address: not routable from outside the cluster"),
            AddressKind::ClusterIp => {
                format!("{ip} is a Service ClusterIP: virtual, reachable only from inside the cluster")
            }
            AddressKind::Other => format!("{ip} is not an address of this cluster"),
        },
        Reason::LoadBalancerPending { service: s } => format!(
            "{} is a LoadBalancer Service whose address is <pending>: there is nothing to send to",
            service(cluster, *s)
        ),
        Reason::ExternalName { service: s } => {
            let state = &cluster.services[s.0 as usize];
            format!(
                "{} is an ExternalName Service: only DNS is involved (a CNAME for {}); kube-proxy programs nothing for it, so it has no address of its own: connect to its name",
                state.key(),
                state.service.spec.external_name.as_deref().unwrap_or("")
            )
        }
        Reason::NoAddress { service: s } => {
            format!("headless Service {} has no ready endpoint: its name has no address", service(cluster, *s))
        }
        Reason::Unresolved { name, rcode, lost } => {
            let ended = match *rcode {
                "NXDOMAIN" => "no such name (NXDOMAIN)",
                "NOERROR" => "the name has no address record (NODATA)",
                "TIMEOUT" => "no DNS server answered (timeout)",
                "UNREACHABLE" => "the DNS server is unreachable",
                "SERVFAIL" => "the DNS server failed (SERVFAIL)",
                other => other,
            };
            let mut text = format!("could not resolve host {name}: {ended}");
            if let Some(lost) = lost {
                let _ = write!(text, "; a DNS query got no answer: {}", because(cluster, lost));
            }
            text
        }
    }
}

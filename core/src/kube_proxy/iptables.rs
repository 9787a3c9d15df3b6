//! The rules kube-proxy programs in iptables mode on one node, generated as its
//! `syncProxyRules` does (`pkg/proxy/iptables/proxier.go`): the jumps from the built-in
//! chains (`iptablesJumpChains`, each prepended in list order, after the kubelet's own
//! `KUBE-FIREWALL` jumps), the fixed chains, then for every Service port its capture rules in
//! `KUBE-SERVICES`/`KUBE-NODEPORTS`, its filter-table REJECT/DROP rules, and its
//! `KUBE-SVC-`, `KUBE-SVL-`, `KUBE-EXT-`, `KUBE-FW-` and `KUBE-SEP-` chains.
//!
//! The node runs kube-proxy as kind configures it, every other setting at its default:
//! masquerade bit 14 (mark `0x4000`), local traffic detected by the cluster's pod CIDR,
//! NodePorts on every local address including localhost (`localhostNodePorts: true`, hence
//! the kubelet's "block incoming localnet connections" rule), `nf_conntrack_tcp_be_liberal`
//! off (hence the INVALID drop), nfacct counters available, `masqueradeAll` off.

use super::chains;
use super::rules::{Addr, Chain, ConnState, Match, Rule, RuleSet, Side, Table, TableName, Target};
use super::service_ports::{service_ports, EndpointInfo, ServicePortInfo};
use crate::api::meta::Protocol;
use crate::cluster::{Cluster, NodeId};
use ipnet::IpNet;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// The masquerade mark: `1 << masqueradeBit`, the bit defaulting to 14.
pub const MASQUERADE_MARK: u32 = 0x4000;

const KUBE_SERVICES: &str = "KUBE-SERVICES";
const KUBE_EXTERNAL_SERVICES: &str = "KUBE-EXTERNAL-SERVICES";
const KUBE_NODEPORTS: &str = "KUBE-NODEPORTS";
const KUBE_POSTROUTING: &str = "KUBE-POSTROUTING";
const KUBE_MARK_MASQ: &str = "KUBE-MARK-MASQ";
const KUBE_FORWARD: &str = "KUBE-FORWARD";
const KUBE_PROXY_FIREWALL: &str = "KUBE-PROXY-FIREWALL";
const KUBE_FIREWALL: &str = "KUBE-FIREWALL";

/// nfacct counter of localhost NodePort traffic (`metrics.LocalhostNodePortAcceptedNFAcctCounter`).
const LOCALHOST_NODEPORT_COUNTER: &str = "localhost_nps_accepted_pkts";
/// nfacct counter of INVALID packets dropped (`metrics.IPTablesCTStateInvalidDroppedNFAcctCounter`).
const INVALID_DROPPED_COUNTER: &str = "ct_state_invalid_dropped_pkts";
/// Past this many endpoints kube-proxy leaves the comments off endpoint rules
/// (`largeClusterEndpointsThreshold`).
const LARGE_CLUSTER_ENDPOINTS: usize = 1000;

/// The rules kube-proxy in iptables mode programs on `node`.
pub fn node_rules(cluster: &Cluster, node: NodeId) -> RuleSet {
    let state = cluster.node(node);
    let ports = service_ports(cluster, node);
    let mut sync = Sync {
        node_ip: IpAddr::V4(state.internal_ip),
        pod_cidr: IpNet::V4(cluster.config.pod_subnet),
        large_cluster: ports.iter().map(|p| p.endpoints.len()).sum::<usize>() > LARGE_CLUSTER_ENDPOINTS,
        filter: Builder::new(TableName::Filter, &["INPUT", "FORWARD", "OUTPUT"]),
        nat: Builder::new(TableName::Nat, &["PREROUTING", "INPUT", "OUTPUT", "POSTROUTING"]),
    };
    sync.jump_chains();
    sync.fixed_chains();
    for port in &ports {
        sync.service_port(port);
    }
    sync.closing_rules();
    RuleSet { node: state.name.clone(), tables: vec![sync.filter.finish(), sync.nat.finish()] }
}

/// A table being filled: chains in declaration order, rules appended to them.
struct Builder {
    name: TableName,
    builtins: usize,
    chains: Vec<Chain>,
    index: BTreeMap<String, usize>,
}

impl Builder {
    fn new(name: TableName, builtins: &[&str]) -> Builder {
        let chains: Vec<Chain> =
            builtins.iter().map(|c| Chain { name: c.to_string(), builtin: true, rules: Vec::new() }).collect();
        let index = chains.iter().enumerate().map(|(i, c)| (c.name.clone(), i)).collect();
        Builder { name, builtins: builtins.len(), chains, index }
    }

    /// Writes the chain line (`:NAME - [0:0]`); declaring twice is harmless.
    fn declare(&mut self, name: &str) {
        if !self.index.contains_key(name) {
            self.index.insert(name.to_string(), self.chains.len());
            self.chains.push(Chain { name: name.to_string(), builtin: false, rules: Vec::new() });
        }
    }

    /// `-A chain matches target`.
    fn append(&mut self, chain: &str, matches: Vec<Match>, target: Option<Target>) {
        self.declare(chain);
        let rule = Rule { chain: chain.to_string(), matches, target };
        self.chains[self.index[chain]].rules.push(rule);
    }

    /// `-I chain 1 matches target`, as `EnsureRule(Prepend, …)` does.
    fn prepend(&mut self, chain: &str, matches: Vec<Match>, target: Target) {
        self.declare(chain);
        let rule = Rule { chain: chain.to_string(), matches, target: Some(target) };
        self.chains[self.index[chain]].rules.insert(0, rule);
    }

    /// The table in print order: built-ins, `KUBE-NODEPORTS`, `KUBE-SERVICES`, the rest by name.
    fn finish(self) -> Table {
        let mut chains = self.chains;
        let mut rest = chains.split_off(self.builtins);
        rest.sort_by(|a, b| (rank(&a.name), &a.name).cmp(&(rank(&b.name), &b.name)));
        chains.extend(rest);
        Table { name: self.name, chains }
    }
}

fn rank(chain: &str) -> u8 {
    match chain {
        KUBE_NODEPORTS => 0,
        KUBE_SERVICES => 1,
        _ => 2,
    }
}

fn comment(text: impl Into<String>) -> Match {
    Match::Comment(text.into())
}

fn host(ip: IpAddr) -> Addr {
    Addr::Host(ip)
}

/// `127.0.0.0/8`.
fn loopback() -> Addr {
    Addr::Net("127.0.0.0/8".parse().unwrap_or_else(|_| unreachable!("constant CIDR")))
}

fn jump(chain: &str) -> Option<Target> {
    Some(Target::Jump(chain.to_string()))
}

fn new_connections() -> Match {
    Match::ConnState { states: vec![ConnState::New], negated: false }
}

/// One run of `syncProxyRules` for one node.
struct Sync {
    node_ip: IpAddr,
    pod_cidr: IpNet,
    large_cluster: bool,
    filter: Builder,
    nat: Builder,
}

/// The chain names of one Service port.
struct PortChains {
    cluster: String,
    local: String,
    external: String,
    firewall: String,
}

impl Sync {
    /// The kubelet's jumps to `KUBE-FIREWALL` (made before kube-proxy starts), then
    /// `iptablesJumpChains`, each prepended: the last in the list ends up first.
    fn jump_chains(&mut self) {
        for chain in ["INPUT", "OUTPUT"] {
            self.filter.prepend(chain, Vec::new(), Target::Jump(KUBE_FIREWALL.into()));
        }
        let jumps: [(TableName, &str, &str, &str, bool); 12] = [
            (TableName::Filter, KUBE_EXTERNAL_SERVICES, "INPUT", "kubernetes externally-visible service portals", true),
            (
                TableName::Filter,
                KUBE_EXTERNAL_SERVICES,
                "FORWARD",
                "kubernetes externally-visible service portals",
                true,
            ),
            (TableName::Filter, KUBE_NODEPORTS, "INPUT", "kubernetes health check service ports", false),
            (TableName::Filter, KUBE_SERVICES, "FORWARD", "kubernetes service portals", true),
            (TableName::Filter, KUBE_SERVICES, "OUTPUT", "kubernetes service portals", true),
            (TableName::Filter, KUBE_FORWARD, "FORWARD", "kubernetes forwarding rules", false),
            (TableName::Filter, KUBE_PROXY_FIREWALL, "INPUT", "kubernetes load balancer firewall", true),
            (TableName::Filter, KUBE_PROXY_FIREWALL, "OUTPUT", "kubernetes load balancer firewall", true),
            (TableName::Filter, KUBE_PROXY_FIREWALL, "FORWARD", "kubernetes load balancer firewall", true),
            (TableName::Nat, KUBE_SERVICES, "OUTPUT", "kubernetes service portals", false),
            (TableName::Nat, KUBE_SERVICES, "PREROUTING", "kubernetes service portals", false),
            (TableName::Nat, KUBE_POSTROUTING, "POSTROUTING", "kubernetes postrouting rules", false),
        ];
        for (table, to, from, text, only_new) in jumps {
            let mut matches = Vec::new();
            if only_new {
                matches.push(new_connections());
            }
            matches.push(comment(text));
            let builder = match table {
                TableName::Filter => &mut self.filter,
                TableName::Nat => &mut self.nat,
            };
            builder.prepend(from, matches, Target::Jump(to.into()));
        }
    }

    /// The chains every sync writes, and the masquerade machinery.
    fn fixed_chains(&mut self) {
        for chain in [KUBE_SERVICES, KUBE_EXTERNAL_SERVICES, KUBE_FORWARD, KUBE_NODEPORTS, KUBE_PROXY_FIREWALL] {
            self.filter.declare(chain);
        }
        for chain in [KUBE_SERVICES, KUBE_NODEPORTS, KUBE_POSTROUTING, KUBE_MARK_MASQ] {
            self.nat.declare(chain);
        }
        let mark = MASQUERADE_MARK;
        self.nat.append(KUBE_POSTROUTING, vec![Match::Mark { mark, negated: true }], Some(Target::Return));
        self.nat.append(KUBE_POSTROUTING, Vec::new(), Some(Target::MarkXor(mark)));
        self.nat.append(
            KUBE_POSTROUTING,
            vec![comment("kubernetes service traffic requiring SNAT")],
            Some(Target::Masquerade),
        );
        self.nat.append(KUBE_MARK_MASQ, Vec::new(), Some(Target::MarkOr(mark)));
        let loopback = loopback();
        self.filter.append(
            KUBE_FIREWALL,
            vec![
                comment("block incoming localnet connections"),
                Match::Destination { addr: loopback, negated: false },
                Match::Source { addr: loopback, negated: true },
                Match::ConnState {
                    states: vec![ConnState::Related, ConnState::Established, ConnState::Dnat],
                    negated: true,
                },
            ],
            Some(Target::Drop),
        );
    }

    /// Everything kube-proxy writes for one Service port.
    fn service_port(&mut self, svc: &ServicePortInfo) {
        let name = svc.name_string();
        let (ns, n, p, proto) = (svc.namespace.as_str(), svc.name.as_str(), svc.port_name.as_str(), svc.protocol);
        let chains = PortChains {
            cluster: chains::service_chain(ns, n, p, proto),
            local: chains::local_chain(ns, n, p, proto),
            external: chains::external_chain(ns, n, p, proto),
            firewall: chains::firewall_chain(ns, n, p, proto),
        };
        let eps = svc.categorize();
        let has_endpoints = eps.has_any;
        let uses_cluster_chain = !eps.cluster.is_empty() && svc.uses_cluster_endpoints();
        let uses_local_chain = !eps.local.is_empty() && svc.uses_local_endpoints();

        let (internal_chain, has_internal) = if svc.internal_policy_local {
            (&chains.local, has_endpoints && !eps.local.is_empty())
        } else {
            (&chains.cluster, has_endpoints)
        };
        let (external_policy_chain, has_external) = if svc.external_policy_local {
            (&chains.local, has_endpoints && !eps.local.is_empty())
        } else {
            (&chains.cluster, has_endpoints)
        };
        let uses_external_chain = has_endpoints && svc.externally_accessible();
        let uses_fw_chain = has_endpoints && !svc.load_balancer_ips.is_empty() && !svc.source_ranges.is_empty();
        let lb_chain = if uses_fw_chain { &chains.firewall } else { &chains.external };

        // What the filter table does with traffic that has nowhere to go: REJECT when the
        // Service has no endpoint at all, DROP when only a Local policy leaves none here.
        let (filter_target, filter_text) = if has_endpoints {
            (Target::Drop, format!("{name} has no local endpoints"))
        } else {
            (Target::Reject, format!("{name} has no endpoints"))
        };
        let to = |ip: IpAddr, port: u16| {
            vec![
                Match::Protocol(proto),
                Match::Destination { addr: host(ip), negated: false },
                Match::DestinationPort(port),
            ]
        };
        let with_comment = |text: String, rest: Vec<Match>| {
            let mut matches = vec![comment(text)];
            matches.extend(rest);
            matches
        };

        // Capture the clusterIP.
        if has_internal {
            let matches = with_comment(format!("{name} cluster IP"), to(svc.cluster_ip, svc.port));
            self.nat.append(KUBE_SERVICES, matches, jump(internal_chain));
        } else {
            let matches = with_comment(filter_text.clone(), to(svc.cluster_ip, svc.port));
            self.filter.append(KUBE_SERVICES, matches, Some(filter_target.clone()));
        }

        // Capture externalIPs.
        for &ip in &svc.external_ips {
            if has_endpoints {
                let matches = with_comment(format!("{name} external IP"), to(ip, svc.port));
                self.nat.append(KUBE_SERVICES, matches, jump(&chains.external));
            }
            if !has_external {
                let matches = with_comment(filter_text.clone(), to(ip, svc.port));
                self.filter.append(KUBE_EXTERNAL_SERVICES, matches, Some(filter_target.clone()));
            }
        }

        // Capture load-balancer ingress.
        for &ip in &svc.load_balancer_ips {
            if has_endpoints {
                let matches = with_comment(format!("{name} loadbalancer IP"), to(ip, svc.port));
                self.nat.append(KUBE_SERVICES, matches, jump(lb_chain));
            }
            if uses_fw_chain {
                let text = format!("{name} traffic not accepted by {}", chains.firewall);
                self.filter.append(KUBE_PROXY_FIREWALL, with_comment(text, to(ip, svc.port)), Some(Target::Drop));
            }
        }
        if !has_external {
            for &ip in &svc.load_balancer_ips {
                let matches = with_comment(filter_text.clone(), to(ip, svc.port));
                self.filter.append(KUBE_EXTERNAL_SERVICES, matches, Some(filter_target.clone()));
            }
        }

        // Capture nodeports.
        if let Some(node_port) = svc.node_port {
            if has_endpoints {
                self.nat.append(
                    KUBE_NODEPORTS,
                    vec![
                        comment(name.clone()),
                        Match::Protocol(proto),
                        Match::Destination { addr: loopback(), negated: false },
                        Match::DestinationPort(node_port),
                        Match::Nfacct(LOCALHOST_NODEPORT_COUNTER.into()),
                    ],
                    jump(&chains.external),
                );
                self.nat.append(
                    KUBE_NODEPORTS,
                    vec![comment(name.clone()), Match::Protocol(proto), Match::DestinationPort(node_port)],
                    jump(&chains.external),
                );
            }
            if !has_external {
                self.filter.append(
                    KUBE_EXTERNAL_SERVICES,
                    vec![
                        comment(filter_text.clone()),
                        Match::LocalAddress(Side::Destination),
                        Match::Protocol(proto),
                        Match::DestinationPort(node_port),
                    ],
                    Some(filter_target.clone()),
                );
            }
        }

        // Capture healthCheckNodePorts: always TCP, whatever the Service's protocol.
        if let Some(health) = svc.health_check_node_port {
            self.filter.append(
                KUBE_NODEPORTS,
                vec![
                    comment(format!("{name} health check node port")),
                    Match::Protocol(Protocol::TCP),
                    Match::DestinationPort(health),
                ],
                Some(Target::Accept),
            );
        }

        // Internal traffic from outside the pod network is masqueraded.
        if has_internal {
            let mut matches = with_comment(format!("{name} cluster IP"), to(svc.cluster_ip, svc.port));
            matches.push(Match::Source { addr: Addr::Net(self.pod_cidr), negated: true });
            self.nat.append(internal_chain, matches, jump(KUBE_MARK_MASQ));
        }

        if uses_external_chain {
            self.external_chain(svc, &name, &chains, external_policy_chain, has_external);
        }
        if uses_fw_chain {
            self.firewall_chain(svc, &name, &chains);
        }
        if uses_cluster_chain {
            self.nat.declare(&chains.cluster);
            self.endpoint_dispatch(svc, &name, &chains.cluster, &eps.cluster);
        }
        if uses_local_chain {
            self.nat.declare(&chains.local);
            self.endpoint_dispatch(svc, &name, &chains.local, &eps.local);
        }
        for ep in &eps.reachable {
            self.endpoint_chain(svc, &name, ep);
        }
    }

    /// `KUBE-EXT-…`: masquerade (Cluster policy), or keep the client address and short-circuit
    /// pods and the node itself to the cluster-wide chain (Local policy).
    fn external_chain(
        &mut self,
        svc: &ServicePortInfo,
        name: &str,
        chains: &PortChains,
        policy: &str,
        has_external: bool,
    ) {
        let ext = chains.external.as_str();
        self.nat.declare(ext);
        if !svc.external_policy_local {
            let text = format!("masquerade traffic for {name} external destinations");
            self.nat.append(ext, vec![comment(text)], jump(KUBE_MARK_MASQ));
        } else {
            let text = format!("pod traffic for {name} external destinations");
            let pods = Match::Source { addr: Addr::Net(self.pod_cidr), negated: false };
            self.nat.append(ext, vec![comment(text), pods], jump(&chains.cluster));
            let text = format!("masquerade LOCAL traffic for {name} external destinations");
            self.nat.append(ext, vec![comment(text), Match::LocalAddress(Side::Source)], jump(KUBE_MARK_MASQ));
            let text = format!("route LOCAL traffic for {name} external destinations");
            self.nat.append(ext, vec![comment(text), Match::LocalAddress(Side::Source)], jump(&chains.cluster));
        }
        if has_external {
            self.nat.append(ext, Vec::new(), jump(policy));
        }
    }

    /// `KUBE-FW-…`: the `loadBalancerSourceRanges` let through to `KUBE-EXT-…`; anything else
    /// falls off the end and `KUBE-PROXY-FIREWALL` drops it.
    fn firewall_chain(&mut self, svc: &ServicePortInfo, name: &str, chains: &PortChains) {
        let fw = chains.firewall.as_str();
        self.nat.declare(fw);
        let text = format!("{name} loadbalancer IP");
        for range in &svc.source_ranges {
            let from = Match::Source { addr: Addr::Net(*range), negated: false };
            self.nat.append(fw, vec![comment(text.clone()), from], jump(&chains.external));
        }
        // A node reaching its own VIP-style load balancer loops back with the VIP as source.
        if svc.source_ranges.iter().any(|r| r.contains(&self.node_ip)) {
            for &ip in &svc.load_balancer_ips {
                let from = Match::Source { addr: host(ip), negated: false };
                self.nat.append(fw, vec![comment(text.clone()), from], jump(&chains.external));
            }
        }
        let text = format!("other traffic to {name} will be dropped by KUBE-PROXY-FIREWALL");
        self.nat.append(fw, vec![comment(text)], None);
    }

    /// `writeServiceToEndpointRules`: affinity checks, then one rule per endpoint, each taking
    /// 1/n of what the ones before left, the last taking the rest.
    fn endpoint_dispatch(&mut self, svc: &ServicePortInfo, name: &str, chain: &str, endpoints: &[EndpointInfo]) {
        let chain_of = |ep: &EndpointInfo| {
            chains::endpoint_chain(&svc.namespace, &svc.name, &svc.port_name, svc.protocol, &ep.address.to_string())
        };
        if let Some(seconds) = svc.affinity_seconds {
            for ep in endpoints {
                let sep = chain_of(ep);
                let mut matches = self.endpoint_comment(format!("{name} -> {}", ep.address));
                matches.push(Match::RecentCheck { name: sep.clone(), seconds });
                self.nat.append(chain, matches, jump(&sep));
            }
        }
        let n = endpoints.len();
        for (i, ep) in endpoints.iter().enumerate() {
            let mut matches = self.endpoint_comment(format!("{name} -> {}", ep.address));
            if i + 1 < n {
                matches.push(Match::Random { one_in: n - i });
            }
            self.nat.append(chain, matches, jump(&chain_of(ep)));
        }
    }

    /// `KUBE-SEP-…`: mark hairpin traffic (a pod reaching itself) for masquerade, record the
    /// client for affinity, DNAT to the endpoint.
    fn endpoint_chain(&mut self, svc: &ServicePortInfo, name: &str, ep: &EndpointInfo) {
        let address = ep.address.to_string();
        let sep = chains::endpoint_chain(&svc.namespace, &svc.name, &svc.port_name, svc.protocol, &address);
        self.nat.declare(&sep);
        let mut matches = self.endpoint_comment(name.to_string());
        matches.push(Match::Source { addr: host(ep.address.ip()), negated: false });
        self.nat.append(&sep, matches, jump(KUBE_MARK_MASQ));
        let mut matches = self.endpoint_comment(name.to_string());
        if svc.affinity_seconds.is_some() {
            matches.push(Match::RecentSet { name: sep.clone() });
        }
        matches.push(Match::Protocol(svc.protocol));
        self.nat.append(&sep, matches, Some(Target::Dnat(ep.address)));
    }

    /// `appendServiceCommentLocked`: the comment, unless the cluster is large.
    fn endpoint_comment(&self, text: String) -> Vec<Match> {
        if self.large_cluster {
            Vec::new()
        } else {
            vec![comment(text)]
        }
    }

    /// The last rule of `KUBE-SERVICES` and the `KUBE-FORWARD` rules.
    fn closing_rules(&mut self) {
        self.nat.append(
            KUBE_SERVICES,
            vec![
                comment("kubernetes service nodeports; NOTE: this must be the last rule in this chain"),
                Match::LocalAddress(Side::Destination),
            ],
            jump(KUBE_NODEPORTS),
        );
        self.filter.append(
            KUBE_FORWARD,
            vec![
                Match::ConnState { states: vec![ConnState::Invalid], negated: false },
                Match::Nfacct(INVALID_DROPPED_COUNTER.into()),
            ],
            Some(Target::Drop),
        );
        self.filter.append(
            KUBE_FORWARD,
            vec![comment("kubernetes forwarding rules"), Match::Mark { mark: MASQUERADE_MARK, negated: false }],
            Some(Target::Accept),
        );
        self.filter.append(
            KUBE_FORWARD,
            vec![
                comment("kubernetes forwarding conntrack rule"),
                Match::ConnState { states: vec![ConnState::Related, ConnState::Established], negated: false },
            ],
            Some(Target::Accept),
        );
    }
}

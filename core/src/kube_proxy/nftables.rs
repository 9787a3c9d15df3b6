//! The rules kube-proxy programs in nftables mode on one node, as the transaction it sends to
//! `nft` (`pkg/proxy/nftables/proxier.go`; the text is in the form of upstream's
//! `TestOverallNFTablesRules` expectations): the `ip kube-proxy` table with its base chains,
//! the `service-ips` and `service-nodeports` verdict maps that dispatch to per-port
//! `service-HASH-ns/name/proto/port` chains, `numgen random` endpoint selection, affinity
//! sets, and the `no-endpoint-*` and `firewall-ips` maps that reject, drop or filter.
//!
//! As in iptables mode the node runs kind's configuration: masquerade mark `0x4000`, local
//! traffic detected by the pod CIDR. NodePorts answer on the node's own address only (the
//! nftables default `--nodeport-addresses primary`), and traffic to unallocated addresses of
//! the service CIDR is dropped.

use super::chains::{nft_endpoint_base, nft_service_base, protocol_lower};
use super::iptables::MASQUERADE_MARK;
use super::service_ports::{service_ports, EndpointInfo, ServicePortInfo};
use crate::cluster::{Cluster, NodeId};
use std::collections::BTreeSet;
use std::fmt::Write;
use std::net::IpAddr;

/// The nftables transaction kube-proxy applies on `node`, one `add …` command a line, each
/// Service port's part headed by a `# namespace/name:port` comment.
pub fn nft_transaction(cluster: &Cluster, node: NodeId) -> String {
    let node_ip = IpAddr::V4(cluster.node(node).internal_ip);
    let pod_cidr = cluster.config.pod_subnet.to_string();
    let mut out = base(node_ip, &cluster.config.service_subnet.to_string());
    let mut cluster_ips = BTreeSet::new();
    for svc in service_ports(cluster, node) {
        let port = Port::new(&svc, &pod_cidr, node_ip);
        out.push('\n');
        port.write(&mut out, cluster_ips.insert(svc.cluster_ip));
    }
    out
}

/// `setupNFTables`: the table, its sets, maps, base chains and dispatch rules.
fn base(node_ip: IpAddr, service_cidr: &str) -> String {
    let table = "ip kube-proxy";
    let mut out = format!("add table {table} {{ comment \"rules for kube-proxy\" ; }}\n\n");
    for (set, comment) in [("cluster-ips", "Active ClusterIPs"), ("nodeport-ips", "IPs that accept NodePort traffic")] {
        let _ = writeln!(out, "add set {table} {set} {{ type ipv4_addr ; comment \"{comment}\" ; }}");
    }
    out.push('\n');
    let five_tuple = "ipv4_addr . inet_proto . inet_service : verdict";
    let port_key = "inet_proto . inet_service : verdict";
    for (map, key, comment) in [
        ("firewall-ips", five_tuple, "destinations that are subject to LoadBalancerSourceRanges"),
        ("no-endpoint-nodeports", port_key, "vmap to drop or reject packets to service nodeports with no endpoints"),
        ("no-endpoint-services", five_tuple, "vmap to drop or reject packets to services with no endpoints"),
        ("service-ips", five_tuple, "ClusterIP, ExternalIP and LoadBalancer IP traffic"),
        ("service-nodeports", port_key, "NodePort traffic"),
    ] {
        let _ = writeln!(out, "add map {table} {map} {{ type {key} ; comment \"{comment}\" ; }}");
    }
    out.push('\n');
    for (chain, spec) in [
        ("cluster-ips-check", ""),
        ("filter-prerouting-pre-dnat", " { type filter hook prerouting priority -110 ; }"),
        ("filter-output-pre-dnat", " { type filter hook output priority -110 ; }"),
        ("filter-forward", " { type filter hook forward priority 0 ; }"),
        ("filter-input", " { type filter hook input priority 0 ; }"),
        ("filter-output", " { type filter hook output priority 0 ; }"),
        ("firewall-check", ""),
        ("mark-for-masquerade", ""),
        ("masquerading", ""),
        ("nat-output", " { type nat hook output priority -100 ; }"),
        ("nat-postrouting", " { type nat hook postrouting priority 100 ; }"),
        ("nat-prerouting", " { type nat hook prerouting priority -100 ; }"),
        ("nodeport-endpoints-check", ""),
        ("reject-chain", " { comment \"helper for @no-endpoint-services / @no-endpoint-nodeports\" ; }"),
        ("services", ""),
        ("service-endpoints-check", ""),
    ] {
        let _ = writeln!(out, "add chain {table} {chain}{spec}");
    }
    out.push('\n');
    let dispatch = "ip daddr . meta l4proto . th dport vmap";
    for (chain, rule) in [
        (
            "cluster-ips-check",
            "ip daddr @cluster-ips reject comment \"Reject traffic to invalid ports of ClusterIPs\"".to_string(),
        ),
        (
            "cluster-ips-check",
            format!("ip daddr {{ {service_cidr} }} drop comment \"Drop traffic to unallocated ClusterIPs\""),
        ),
        ("filter-prerouting-pre-dnat", "ct state new jump firewall-check".into()),
        ("filter-forward", "ct state new jump service-endpoints-check".into()),
        ("filter-forward", "ct state new jump cluster-ips-check".into()),
        ("filter-input", "ct state new jump nodeport-endpoints-check".into()),
        ("filter-input", "ct state new jump service-endpoints-check".into()),
        ("filter-output", "ct state new jump service-endpoints-check".into()),
        ("filter-output-pre-dnat", "ct state new jump firewall-check".into()),
        ("filter-output", "ct state new jump cluster-ips-check".into()),
        ("firewall-check", format!("{dispatch} @firewall-ips")),
        ("mark-for-masquerade", format!("mark set mark or {MASQUERADE_MARK:#x}")),
        ("masquerading", format!("mark and {MASQUERADE_MARK:#x} == 0 return")),
        ("masquerading", format!("mark set mark xor {MASQUERADE_MARK:#x}")),
        ("masquerading", "masquerade fully-random".into()),
        ("nat-output", "jump services".into()),
        ("nat-postrouting", "jump masquerading".into()),
        ("nat-prerouting", "jump services".into()),
        (
            "nodeport-endpoints-check",
            "ip daddr @nodeport-ips meta l4proto . th dport vmap @no-endpoint-nodeports".into(),
        ),
        ("reject-chain", "reject".into()),
        ("services", format!("{dispatch} @service-ips")),
        ("services", "ip daddr @nodeport-ips meta l4proto . th dport vmap @service-nodeports".into()),
        ("service-endpoints-check", format!("{dispatch} @no-endpoint-services")),
    ] {
        let _ = writeln!(out, "add rule {table} {chain} {rule}");
    }
    let _ = writeln!(out, "\nadd element {table} nodeport-ips {{ {node_ip} }}");
    out
}

/// One Service port's chains, sets and map elements.
struct Port<'a> {
    svc: &'a ServicePortInfo,
    pod_cidr: &'a str,
    node_ip: IpAddr,
    base: String,
    proto: &'static str,
}

impl<'a> Port<'a> {
    fn new(svc: &'a ServicePortInfo, pod_cidr: &'a str, node_ip: IpAddr) -> Port<'a> {
        let base = nft_service_base(&svc.namespace, &svc.name, &svc.port_name, svc.protocol);
        Port { svc, pod_cidr, node_ip, base, proto: protocol_lower(svc.protocol) }
    }

    fn endpoint_base(&self, ep: &EndpointInfo) -> String {
        let svc = self.svc;
        nft_endpoint_base(&svc.namespace, &svc.name, &svc.port_name, svc.protocol, &ep.address.to_string())
    }

    /// The port's part of the transaction; `new_cluster_ip` is false when an earlier port of
    /// the same Service already added its address to `cluster-ips`.
    fn write(&self, out: &mut String, new_cluster_ip: bool) {
        let svc = self.svc;
        let table = "ip kube-proxy";
        let name = svc.name_string();
        let eps = svc.categorize();
        let has_endpoints = eps.has_any;
        let cluster_chain = format!("service-{}", self.base);
        let local_chain = format!("local-{}", self.base);
        let external_chain = format!("external-{}", self.base);
        let firewall_chain = format!("firewall-{}", self.base);
        let uses_cluster_chain = !eps.cluster.is_empty() && svc.uses_cluster_endpoints();
        let uses_local_chain = !eps.local.is_empty() && svc.uses_local_endpoints();
        let (internal_chain, has_internal) = if svc.internal_policy_local {
            (&local_chain, has_endpoints && !eps.local.is_empty())
        } else {
            (&cluster_chain, has_endpoints)
        };
        let (external_policy_chain, has_external) = if svc.external_policy_local {
            (&local_chain, has_endpoints && !eps.local.is_empty())
        } else {
            (&cluster_chain, has_endpoints)
        };
        let uses_external_chain = has_endpoints && svc.externally_accessible();
        let uses_fw_chain = !svc.load_balancer_ips.is_empty() && !svc.source_ranges.is_empty();
        let verdict = if has_endpoints { "drop" } else { "goto reject-chain" };

        let _ = writeln!(out, "# {name}");
        if let Some(seconds) = svc.affinity_seconds {
            for ep in &eps.reachable {
                let set = format!("affinity-{}", self.endpoint_base(ep));
                let _ = writeln!(
                    out,
                    "add set {table} {set} {{ type ipv4_addr ; flags dynamic,timeout ; timeout {seconds}s ; }}"
                );
            }
        }
        let masquerade_internal =
            format!("ip daddr {} ip saddr != {} jump mark-for-masquerade", svc.cluster_ip, self.pod_cidr);
        for (chain, endpoints, used) in
            [(&cluster_chain, &eps.cluster, uses_cluster_chain), (&local_chain, &eps.local, uses_local_chain)]
        {
            if !used {
                continue;
            }
            let _ = writeln!(out, "add chain {table} {chain}");
            if has_internal && chain == internal_chain {
                let _ = writeln!(out, "add rule {table} {chain} {masquerade_internal}");
            }
            self.dispatch(out, chain, endpoints);
        }
        if uses_external_chain {
            let _ = writeln!(out, "add chain {table} {external_chain}");
            let mut rules = Vec::new();
            if !svc.external_policy_local {
                rules.push("jump mark-for-masquerade".to_string());
            } else {
                let pods = self.pod_cidr;
                rules.push(format!("ip saddr {pods} goto {cluster_chain} comment \"short-circuit pod traffic\""));
                rules.push("fib saddr type local jump mark-for-masquerade comment \"masquerade local traffic\"".into());
                rules
                    .push(format!("fib saddr type local goto {cluster_chain} comment \"short-circuit local traffic\""));
            }
            if has_external {
                rules.push(format!("goto {external_policy_chain}"));
            }
            for rule in rules {
                let _ = writeln!(out, "add rule {table} {external_chain} {rule}");
            }
        }
        if uses_fw_chain {
            let mut sources: Vec<String> = svc.source_ranges.iter().map(ToString::to_string).collect();
            if svc.source_ranges.iter().any(|r| r.contains(&self.node_ip)) {
                sources.extend(svc.load_balancer_ips.iter().map(ToString::to_string));
            }
            let _ = writeln!(out, "add chain {table} {firewall_chain}");
            let _ = writeln!(out, "add rule {table} {firewall_chain} ip saddr != {{ {} }} drop", sources.join(" , "));
        }
        let mut endpoint_chains: Vec<(String, &EndpointInfo)> =
            eps.reachable.iter().map(|ep| (self.endpoint_base(ep), ep)).collect();
        endpoint_chains.sort_by(|a, b| a.0.cmp(&b.0));
        for (base, ep) in endpoint_chains {
            let chain = format!("endpoint-{base}");
            let _ = writeln!(out, "add chain {table} {chain}");
            let _ = writeln!(out, "add rule {table} {chain} ip saddr {} jump mark-for-masquerade", ep.address.ip());
            if svc.affinity_seconds.is_some() {
                let _ = writeln!(out, "add rule {table} {chain} update @affinity-{base} {{ ip saddr }}");
            }
            let _ = writeln!(out, "add rule {table} {chain} meta l4proto {} dnat to {}", self.proto, ep.address);
        }

        // Map elements, as syncProxyRules adds them.
        let key = |ip: IpAddr| format!("{ip} . {} . {}", self.proto, svc.port);
        let element = |out: &mut String, map: &str, key: String, value: &str| {
            let _ = writeln!(out, "add element {table} {map} {{ {key} : {value} }}");
        };
        let no_endpoint = |out: &mut String, map: &str, key: String| {
            let _ = writeln!(out, "add element {table} {map} {{ {key} comment \"{name}\" : {verdict} }}");
        };
        if new_cluster_ip {
            let _ = writeln!(out, "add element {table} cluster-ips {{ {} }}", svc.cluster_ip);
        }
        if has_internal {
            element(out, "service-ips", key(svc.cluster_ip), &format!("goto {internal_chain}"));
        } else {
            no_endpoint(out, "no-endpoint-services", key(svc.cluster_ip));
        }
        for &ip in &svc.external_ips {
            if has_endpoints {
                element(out, "service-ips", key(ip), &format!("goto {external_chain}"));
            }
            if !has_external {
                no_endpoint(out, "no-endpoint-services", key(ip));
            }
        }
        for &ip in &svc.load_balancer_ips {
            if has_endpoints {
                element(out, "service-ips", key(ip), &format!("goto {external_chain}"));
            }
            if uses_fw_chain {
                element(out, "firewall-ips", key(ip), &format!("goto {firewall_chain}"));
            }
        }
        if !has_external {
            for &ip in &svc.load_balancer_ips {
                no_endpoint(out, "no-endpoint-services", key(ip));
            }
        }
        if let Some(node_port) = svc.node_port {
            let key = format!("{} . {node_port}", self.proto);
            if has_endpoints {
                element(out, "service-nodeports", key.clone(), &format!("goto {external_chain}"));
            }
            if !has_external {
                no_endpoint(out, "no-endpoint-nodeports", key);
            }
        }
    }

    /// `writeServiceToEndpointRules`: affinity lookups, then `numgen random mod N`.
    fn dispatch(&self, out: &mut String, chain: &str, endpoints: &[EndpointInfo]) {
        let table = "ip kube-proxy";
        if self.svc.affinity_seconds.is_some() {
            for ep in endpoints {
                let base = self.endpoint_base(ep);
                let _ = writeln!(out, "add rule {table} {chain} ip saddr @affinity-{base} goto endpoint-{base}");
            }
        }
        let arms: Vec<String> = endpoints
            .iter()
            .enumerate()
            .map(|(i, ep)| format!("{i} : goto endpoint-{}", self.endpoint_base(ep)))
            .collect();
        let _ = writeln!(
            out,
            "add rule {table} {chain} numgen random mod {} vmap {{ {} }}",
            endpoints.len(),
            arms.join(" , ")
        );
    }
}

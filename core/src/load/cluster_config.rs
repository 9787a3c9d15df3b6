//! kind's cluster configuration (`kind: Cluster`, `apiVersion: kind.x-k8s.io/v1alpha4`) and
//! the playground's own `kubeplay:` block.
//!
//! kind's fields used: `name`, `nodes[].role` (`control-plane` or `worker`), `nodes[].labels`,
//! `networking.podSubnet`, `networking.serviceSubnet`, `networking.kubeProxyMode`
//! (`iptables`, `nftables`, `ipvs`, `none`) and `networking.ipFamily`. Other kind fields are
//! accepted and ignored. kind decodes strictly (an unknown field is an error), defaults
//! (`nodes` absent or empty means one control-plane node) and then checks the result with
//! `Cluster.Validate` (`sigs.k8s.io/kind/pkg/internal/apis/config/validate.go`), whose
//! messages are reused word for word: the cluster name matches `^[a-z0-9.-]+$`, subnets
//! parse as CIDRs of the cluster's family (host bits allowed, as Go's `net.ParseCIDR` allows
//! them; the model keeps the network), the proxy mode is known, each node role is known and
//! some node is a control-plane node.
//!
//! The `kubeplay:` block (kind itself has no such field) holds what kind leaves to the
//! environment: `cni` (calico, cilium, flannel, kindnet), `loadBalancer` (`provider: none`, or
//! `provider: pool` with `addresses: FIRST-LAST`), `nodeSubnet` and `clusterDomain`.
//! kubeplay models an IPv4 single-stack cluster, so `ipFamily: ipv6` and `dual` are refused,
//! and at most [`MAX_NODES`] nodes (kind sets no limit), which keeps every view and trace of
//! the cluster bounded.

use super::meta::{decoded_cleanly, load_labels, Checks};
use super::Ctx;
use crate::api::cluster_config::{
    ClusterConfig, CniPlugin, KubeProxyMode, LoadBalancerProvider, NodeConfig, NodeRole, MAX_NODES,
};
use crate::decode::{FieldPath, Item, MapReader};
use crate::validation::names::dns1123_subdomain;
use crate::validation::network::{cidr, ip_address};
use crate::validation::FieldError;
use crate::yaml::go_quote;
use ipnet::{IpNet, Ipv4Net};
use std::net::IpAddr;

/// kind's `validNameRE`.
const CLUSTER_NAME_RE: &str = "^[a-z0-9.-]+$";
const SINGLE_STACK: &str = "kubeplay models an IPv4 single-stack cluster";

/// A kind config as written.
struct ConfigIn {
    name: Option<String>,
    /// `(role, path)` of each node, and its labels once validated.
    nodes: Vec<(String, FieldPath, Option<crate::api::Labels>)>,
    pod_subnet: Option<String>,
    service_subnet: Option<String>,
    kube_proxy_mode: Option<String>,
    ip_family: Option<String>,
}

/// A subnet as kind's `validateSubnets` accepts it (IPv4 family): the network it names.
fn subnet(c: &mut Checks, path: &FieldPath, which: &str, text: &str) -> Option<Ipv4Net> {
    match text.parse::<IpNet>() {
        Ok(IpNet::V4(net)) => Some(net.trunc()),
        Ok(IpNet::V6(_)) => {
            c.fail_message(path, format!("invalid {which} subnet expected IPv4 CIDR for IPv4 family"));
            None
        }
        Err(_) => {
            c.fail_message(
                path,
                format!(
                    "invalid {which} subnet failed to parse cidr value:{} with error: invalid CIDR address: {text}",
                    go_quote(text)
                ),
            );
            None
        }
    }
}

fn read_nodes(ctx: &mut Ctx, top: &mut MapReader) -> Vec<(String, FieldPath, Option<crate::api::Labels>)> {
    let mut nodes = Vec::new();
    for item in top.seq(&mut ctx.d, "nodes").unwrap_or_default() {
        let Some(mut n) = ctx.d.map(&item) else { continue };
        let role = n.str(&mut ctx.d, "role").map(|s| s.value).unwrap_or_else(|| NodeRole::ControlPlane.as_str().into());
        let labels = match n.raw("labels") {
            Some(item) => load_labels(ctx, &item),
            None => Some(Default::default()),
        };
        n.ignore(&[
            "image",
            "extraMounts",
            "extraPortMappings",
            "kubeadmConfigPatches",
            "kubeadmConfigPatchesJSON6902",
        ]);
        let path = n.path().clone();
        n.finish(&mut ctx.d);
        nodes.push((role, path, labels));
    }
    nodes
}

fn load_pool(c: &mut Checks, path: FieldPath, text: &str) -> Option<LoadBalancerProvider> {
    let parsed = match text.split_once('-') {
        Some((first, last)) => match (ip_address(first.trim()), ip_address(last.trim())) {
            (Ok(IpAddr::V4(first)), Ok(IpAddr::V4(last))) if first <= last => Some((first, last)),
            _ => None,
        },
        None => match cidr(text.trim()) {
            Ok(IpNet::V4(net)) => Some((net.network(), net.broadcast())),
            _ => None,
        },
    };
    match parsed {
        Some((first, last)) => Some(LoadBalancerProvider::Pool { first, last }),
        None => {
            c.fail(
                &path,
                FieldError::invalid(
                    text,
                    "must be an IPv4 range FIRST-LAST (e.g. 172.18.255.200-172.18.255.250) or a CIDR",
                ),
            );
            None
        }
    }
}

/// The `kubeplay:` block, applied to `config`.
fn load_kubeplay(c: &mut Checks, k: &mut MapReader, config: &mut ClusterConfig) {
    if let Some(cni) = k.str(&mut c.ctx.d, "cni") {
        let names: Vec<&str> = CniPlugin::ALL.iter().map(|p| p.as_str()).collect();
        match CniPlugin::ALL.into_iter().find(|p| p.as_str() == cni.value) {
            Some(p) => config.cni = p,
            None => c.fail(&k.path().field("cni"), FieldError::not_supported(cni.value.as_str(), &names)),
        }
    }
    if let Some(mut lb) = k.map(&mut c.ctx.d, "loadBalancer") {
        let provider = lb.str(&mut c.ctx.d, "provider").map(|s| s.value).unwrap_or_else(|| "pool".into());
        let addresses = lb.str(&mut c.ctx.d, "addresses");
        let lb_path = lb.path().clone();
        lb.finish(&mut c.ctx.d);
        match (provider.as_str(), addresses) {
            ("none", _) => config.load_balancer = LoadBalancerProvider::None,
            ("pool", Some(a)) => {
                if let Some(p) = load_pool(c, lb_path.field("addresses"), &a.value) {
                    config.load_balancer = p;
                }
            }
            ("pool", None) => {}
            (other, _) => c.fail(&lb_path.field("provider"), FieldError::not_supported(other, &["none", "pool"])),
        }
    }
    if let Some(text) = k.str(&mut c.ctx.d, "nodeSubnet") {
        let path = k.path().field("nodeSubnet");
        match cidr(&text.value) {
            Ok(IpNet::V4(net)) => config.node_subnet = net,
            Ok(IpNet::V6(_)) => c.fail(&path, FieldError::invalid(text.value.as_str(), SINGLE_STACK)),
            Err(details) => c.invalid_details(&path, &text.value, details),
        }
    }
    if let Some(domain) = k.str(&mut c.ctx.d, "clusterDomain") {
        c.invalid_details(&k.path().field("clusterDomain"), &domain.value, dns1123_subdomain(&domain.value));
        config.cluster_domain = domain.value;
    }
}

/// The cluster config; every omitted field takes the playground default.
pub fn load(ctx: &mut Ctx, mut top: MapReader) -> Option<ClusterConfig> {
    let root = FieldPath::root();
    let name = top.str(&mut ctx.d, "name").map(|s| s.value);
    let nodes = read_nodes(ctx, &mut top);
    let mut written =
        ConfigIn { name, nodes, pod_subnet: None, service_subnet: None, kube_proxy_mode: None, ip_family: None };
    if let Some(mut net) = top.map(&mut ctx.d, "networking") {
        written.pod_subnet = net.str(&mut ctx.d, "podSubnet").map(|s| s.value);
        written.service_subnet = net.str(&mut ctx.d, "serviceSubnet").map(|s| s.value);
        written.kube_proxy_mode = net.str(&mut ctx.d, "kubeProxyMode").map(|s| s.value);
        written.ip_family = net.str(&mut ctx.d, "ipFamily").map(|s| s.value);
        net.ignore(&["apiServerAddress", "apiServerPort", "disableDefaultCNI", "dnsSearch"]);
        net.finish(&mut ctx.d);
    }
    let kubeplay: Option<Item> = top.raw("kubeplay");
    top.ignore(&[
        "featureGates",
        "runtimeConfig",
        "kubeadmConfigPatches",
        "kubeadmConfigPatchesJSON6902",
        "containerdConfigPatches",
        "containerdConfigPatchesJSON6902",
    ]);
    top.finish(&mut ctx.d);
    let mut kubeplay = kubeplay.and_then(|item| ctx.d.map(&item));
    if !decoded_cleanly(ctx) {
        return None;
    }

    let mut c = Checks::new(ctx);
    let mut config = ClusterConfig::default();
    // Cluster.Validate, in its order.
    if let Some(name) = written.name {
        let valid = !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'-');
        if !valid {
            c.fail_message(
                &root.field("name"),
                format!("'{name}' is not a valid cluster name, cluster names must match `{CLUSTER_NAME_RE}`"),
            );
        }
        config.name = name;
    }
    let networking = root.field("networking");
    match written.ip_family.as_deref() {
        None | Some("") | Some("ipv4") => {}
        Some(family @ ("ipv6" | "dual")) => {
            c.fail(&networking.field("ipFamily"), FieldError::invalid(family, SINGLE_STACK))
        }
        Some(other) => c.fail_message(&networking.field("ipFamily"), format!("invalid ipFamily: {other}")),
    }
    if let Some(text) = &written.pod_subnet {
        if let Some(net) = subnet(&mut c, &networking.field("podSubnet"), "pod", text) {
            config.pod_subnet = net;
        }
    }
    if let Some(text) = &written.service_subnet {
        if let Some(net) = subnet(&mut c, &networking.field("serviceSubnet"), "service", text) {
            config.service_subnet = net;
        }
    }
    if let Some(mode) = &written.kube_proxy_mode {
        let modes = [KubeProxyMode::Iptables, KubeProxyMode::Nftables, KubeProxyMode::Ipvs, KubeProxyMode::None];
        match modes.into_iter().find(|m| m.as_str() == mode) {
            Some(m) => config.kube_proxy_mode = m,
            None => c.fail_message(&networking.field("kubeProxyMode"), format!("invalid kubeProxyMode: {mode}")),
        }
    }
    if !written.nodes.is_empty() {
        let mut nodes = Vec::new();
        for (i, (role, path, labels)) in written.nodes.into_iter().enumerate() {
            let role = match role.as_str() {
                "control-plane" => Some(NodeRole::ControlPlane),
                "worker" => Some(NodeRole::Worker),
                _ => {
                    let message =
                        format!("invalid configuration for node {i}: {} is not a valid node role", go_quote(&role));
                    c.fail_message(&path.field("role"), message);
                    None
                }
            };
            if let (Some(role), Some(labels)) = (role, labels) {
                nodes.push(NodeConfig { role, labels });
            }
        }
        if !nodes.iter().any(|n| n.role == NodeRole::ControlPlane) {
            c.fail_message(&root.field("nodes"), "must have at least one control-plane node".to_string());
        }
        if nodes.len() > MAX_NODES {
            let too_many = FieldError::TooMany { actual: Some(nodes.len()), max: MAX_NODES };
            let why = "kubeplay models clusters up to the largest size Kubernetes supports";
            c.fail_message(&root.field("nodes"), format!("{too_many} ({why})"));
        }
        config.nodes = nodes;
    }
    if let Some(k) = kubeplay.as_mut() {
        load_kubeplay(&mut c, k, &mut config);
    }
    if let Some(k) = kubeplay {
        k.finish(&mut c.ctx.d);
    }
    (!c.failed()).then_some(config)
}

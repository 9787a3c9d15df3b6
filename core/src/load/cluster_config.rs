//! kind's cluster configuration (`kind: Cluster`, `apiVersion: kind.x-k8s.io/v1alpha4`) and
//! the playground's own `kubeplay:` block.
//!
//! kind's fields used: `name`, `nodes[].role` (`control-plane` or `worker`), `nodes[].labels`,
//! `networking.podSubnet`, `networking.serviceSubnet`, `networking.kubeProxyMode`
//! (`iptables`, `nftables`, `ipvs`, `none`). Other kind fields are accepted and ignored.
//! The `kubeplay:` block (kind itself has no such field) holds what kind leaves to the
//! environment: `cni` (calico, cilium, flannel, kindnet), `loadBalancer` (`provider: none`, or
//! `provider: pool` with `addresses: FIRST-LAST`), `nodeSubnet` and `clusterDomain`.

use super::meta::load_labels;
use super::Ctx;
use crate::api::cluster_config::{ClusterConfig, CniPlugin, KubeProxyMode, LoadBalancerProvider, NodeConfig, NodeRole};
use crate::decode::{FieldPath, MapReader};
use crate::validation::names::dns1123_subdomain;
use crate::validation::network::{cidr, ip_address};
use crate::validation::FieldError;
use ipnet::{IpNet, Ipv4Net};
use std::net::IpAddr;

fn ipv4_net(ctx: &mut Ctx, r: &mut MapReader, key: &'static str) -> Option<Option<Ipv4Net>> {
    let Some(text) = r.str(&mut ctx.d, key) else { return Some(None) };
    let path = r.path().field(key);
    match cidr(&text.value) {
        Ok(IpNet::V4(net)) => Some(Some(net)),
        Ok(IpNet::V6(_)) => {
            ctx.fail_at(&path, FieldError::invalid(text.value.as_str(), "kubeplay models an IPv4 single-stack cluster"));
            None
        }
        Err(details) => {
            ctx.invalid_details(&path, &text.value, details);
            None
        }
    }
}

fn choose<T: Copy>(ctx: &mut Ctx, path: FieldPath, value: &str, options: &[(&str, T)]) -> Option<T> {
    let found = options.iter().find(|(n, _)| *n == value).map(|(_, v)| *v);
    if found.is_none() {
        let names: Vec<&str> = options.iter().map(|(n, _)| *n).collect();
        ctx.fail_at(&path, FieldError::not_supported(value, &names));
    }
    found
}

fn load_pool(ctx: &mut Ctx, path: FieldPath, text: &str) -> Option<LoadBalancerProvider> {
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
            ctx.fail_at(&path, FieldError::invalid(text, "must be an IPv4 range FIRST-LAST (e.g. 172.18.255.200-172.18.255.250) or a CIDR"));
            None
        }
    }
}

/// The cluster config; every omitted field takes the playground default.
pub fn load(ctx: &mut Ctx, mut top: MapReader) -> Option<ClusterConfig> {
    let mut config = ClusterConfig::default();
    let mut ok = true;
    if let Some(name) = top.str(&mut ctx.d, "name") {
        let details = dns1123_subdomain(&name.value);
        ok &= details.is_empty();
        ctx.invalid_details(&FieldPath::root().field("name"), &name.value, details);
        config.name = name.value;
    }
    if let Some(items) = top.seq(&mut ctx.d, "nodes") {
        let mut nodes = Vec::new();
        for item in &items {
            let Some(mut n) = ctx.d.map(item) else { ok = false; continue };
            let role_text = n.str(&mut ctx.d, "role").map(|s| s.value).unwrap_or_else(|| "control-plane".into());
            let role = choose(ctx, n.path().field("role"), &role_text, &[("control-plane", NodeRole::ControlPlane), ("worker", NodeRole::Worker)]);
            let labels = match n.raw("labels") {
                Some(item) => load_labels(ctx, &item),
                None => Some(Default::default()),
            };
            n.ignore(&["image", "extraMounts", "extraPortMappings", "kubeadmConfigPatches", "kubeadmConfigPatchesJSON6902"]);
            n.finish(&mut ctx.d);
            match (role, labels) {
                (Some(role), Some(labels)) => nodes.push(NodeConfig { role, labels }),
                _ => ok = false,
            }
        }
        if !nodes.iter().any(|n| n.role == NodeRole::ControlPlane) {
            ctx.fail_at(&FieldPath::root().field("nodes"), FieldError::invalid(nodes.len() as i64, "must have at least one node with role control-plane"));
            ok = false;
        }
        config.nodes = nodes;
    }
    if let Some(mut net) = top.map(&mut ctx.d, "networking") {
        match ipv4_net(ctx, &mut net, "podSubnet") {
            Some(Some(v)) => config.pod_subnet = v,
            Some(None) => {}
            None => ok = false,
        }
        match ipv4_net(ctx, &mut net, "serviceSubnet") {
            Some(Some(v)) => config.service_subnet = v,
            Some(None) => {}
            None => ok = false,
        }
        if let Some(mode) = net.str(&mut ctx.d, "kubeProxyMode") {
            let modes = [
                ("iptables", KubeProxyMode::Iptables),
                ("nftables", KubeProxyMode::Nftables),
                ("ipvs", KubeProxyMode::Ipvs),
                ("none", KubeProxyMode::None),
            ];
            match choose(ctx, net.path().field("kubeProxyMode"), &mode.value, &modes) {
                Some(m) => config.kube_proxy_mode = m,
                None => ok = false,
            }
        }
        net.ignore(&["ipFamily", "apiServerAddress", "apiServerPort", "disableDefaultCNI", "dnsSearch"]);
        net.finish(&mut ctx.d);
    }
    if let Some(mut k) = top.map(&mut ctx.d, "kubeplay") {
        if let Some(cni) = k.str(&mut ctx.d, "cni") {
            let options: Vec<(&str, CniPlugin)> = CniPlugin::ALL.iter().map(|c| (c.as_str(), *c)).collect();
            match choose(ctx, k.path().field("cni"), &cni.value, &options) {
                Some(c) => config.cni = c,
                None => ok = false,
            }
        }
        if let Some(mut lb) = k.map(&mut ctx.d, "loadBalancer") {
            let provider = lb.str(&mut ctx.d, "provider").map(|s| s.value).unwrap_or_else(|| "pool".into());
            let addresses = lb.str(&mut ctx.d, "addresses");
            let lb_path = lb.path().clone();
            lb.finish(&mut ctx.d);
            match (provider.as_str(), addresses) {
                ("none", _) => config.load_balancer = LoadBalancerProvider::None,
                ("pool", Some(a)) => match load_pool(ctx, lb_path.field("addresses"), &a.value) {
                    Some(p) => config.load_balancer = p,
                    None => ok = false,
                },
                ("pool", None) => {}
                (other, _) => {
                    ctx.fail_at(&lb_path.field("provider"), FieldError::not_supported(other, &["none", "pool"]));
                    ok = false;
                }
            }
        }
        match ipv4_net(ctx, &mut k, "nodeSubnet") {
            Some(Some(v)) => config.node_subnet = v,
            Some(None) => {}
            None => ok = false,
        }
        if let Some(domain) = k.str(&mut ctx.d, "clusterDomain") {
            let details = dns1123_subdomain(&domain.value);
            ok &= details.is_empty();
            ctx.invalid_details(&k.path().field("clusterDomain"), &domain.value, details);
            config.cluster_domain = domain.value;
        }
        k.finish(&mut ctx.d);
    }
    top.ignore(&["featureGates", "runtimeConfig", "kubeadmConfigPatches", "kubeadmConfigPatchesJSON6902", "containerdConfigPatches", "containerdConfigPatchesJSON6902"]);
    top.finish(&mut ctx.d);
    ok.then_some(config)
}

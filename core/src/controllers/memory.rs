//! What the control plane remembers between applies, so allocations stay put.
//!
//! In a real cluster a Service keeps its ClusterIP and nodePorts, and a pod its node and IP,
//! for as long as the object exists; unrelated edits never move them. The model gets the same
//! stability by remembering each allocation by object and reusing it on the next apply while
//! it is still valid. Memory only ever holds allocations of objects that exist after the last
//! apply: deleting an object releases what it held.
//!
//! It also keeps what was fixed when an object came into being and does not change after:
//! the environment the kubelet gave a pod's containers when they started, and the class the
//! `DefaultIngressClass` admission plugin wrote into an Ingress when it was created.

use crate::api::Kind;
use crate::cluster::Environment;
use std::collections::BTreeMap;
use std::net::IpAddr;

/// Allocations and creation order carried from one apply to the next.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Memory {
    /// When each object (by `kind/namespace/name`) was created; pods included.
    pub created: BTreeMap<String, u64>,
    /// The next creation sequence number to hand out.
    pub next_seq: u64,
    /// Pod key -> node name.
    pub pod_nodes: BTreeMap<String, String>,
    /// Pod key -> IP.
    pub pod_ips: BTreeMap<String, IpAddr>,
    /// Service key -> ClusterIP.
    pub cluster_ips: BTreeMap<String, IpAddr>,
    /// (Service key, port, protocol) -> nodePort.
    pub node_ports: BTreeMap<(String, u16, String), u16>,
    /// Service key -> LoadBalancer address.
    pub load_balancer_ips: BTreeMap<String, IpAddr>,
    /// Service key -> `healthCheckNodePort`.
    pub health_check_node_ports: BTreeMap<String, u16>,
    /// Pod key -> the Service environment variables its containers started with.
    pub pod_environments: BTreeMap<String, Environment>,
    /// Ingress key -> the IngressClass admission defaulted it to at creation.
    pub defaulted_ingress_classes: BTreeMap<String, String>,
}

/// The key [`Memory::created`] files an object under: `kind/namespace/name`
/// (`Pod/default/web-0`; the namespace is empty for a cluster-scoped kind).
pub fn object_key(kind: Kind, namespace: &str, name: &str) -> String {
    let kind = kind.as_str();
    let mut key = String::with_capacity(kind.len() + namespace.len() + name.len() + 2);
    for (i, part) in [kind, namespace, name].into_iter().enumerate() {
        if i > 0 {
            key.push('/');
        }
        key.push_str(part);
    }
    key
}

impl Memory {
    /// Whether `key` (`kind/namespace/name`) existed before the apply being reconciled (asked of
    /// the previous apply's memory).
    pub fn existed(&self, key: &str) -> bool {
        self.created.contains_key(key)
    }

    /// The creation sequence of `key`: the one `previous` remembers, or else the next one this
    /// memory (the next apply's) hands out; recorded here either way.
    pub fn created(&mut self, previous: &Memory, key: String) -> u64 {
        let seq = match previous.created.get(&key) {
            Some(seq) => *seq,
            None => {
                let seq = self.next_seq;
                self.next_seq += 1;
                seq
            }
        };
        self.created.insert(key, seq);
        seq
    }
}

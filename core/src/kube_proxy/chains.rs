//! The names kube-proxy gives its per-Service and per-endpoint chains, computed exactly as
//! upstream does, so a name printed here is the name a learner finds on a real node.
//!
//! iptables mode (`pkg/proxy/iptables/proxier.go`, `portProtoHash` and
//! `servicePortEndpointChainName`): a prefix (`KUBE-SVC-`, `KUBE-SVL-`, `KUBE-EXT-`,
//! `KUBE-FW-`, `KUBE-SEP-`) and the first 16 characters of the standard base32 encoding
//! (RFC 4648 §6) of the SHA-256 of the service port's name (`namespace/name`, plus
//! `:portName` when the port has a name, as `proxy.ServicePortName.String()` prints it)
//! followed by the lower-case protocol, and for `KUBE-SEP-` the endpoint's `ip:port`.
//! Iptables limits chain names to 28 characters, hence the hash.
//!
//! nftables mode (`pkg/proxy/nftables/proxier.go`, `hashAndTruncate`): readable names,
//! `service-<hash8>-ns/name/tcp/port` and `endpoint-<hash8>-ns/name/tcp/port__ip/port`,
//! where the 8-character hash is the same encoding over the readable part itself.

use crate::api::meta::Protocol;
use sha2::{Digest, Sha256};

/// The protocol as kube-proxy lower-cases it in chain hashes, matches and nftables names.
pub fn protocol_lower(protocol: Protocol) -> &'static str {
    match protocol {
        Protocol::TCP => "tcp",
        Protocol::UDP => "udp",
        Protocol::SCTP => "sctp",
    }
}

/// `proxy.ServicePortName.String()`: `namespace/name`, and `:port` when the port is named.
pub fn service_port_name(namespace: &str, name: &str, port_name: &str) -> String {
    if port_name.is_empty() {
        format!("{namespace}/{name}")
    } else {
        format!("{namespace}/{name}:{port_name}")
    }
}

/// The `KUBE-SVC-…` chain of a service port: its endpoints under `Cluster` traffic policy.
pub fn service_chain(namespace: &str, name: &str, port_name: &str, protocol: Protocol) -> String {
    format!("KUBE-SVC-{}", port_proto_hash(namespace, name, port_name, protocol))
}

/// The `KUBE-SVL-…` chain of a service port: its node-local endpoints, for `Local` internal
/// or external traffic policy.
pub fn local_chain(namespace: &str, name: &str, port_name: &str, protocol: Protocol) -> String {
    format!("KUBE-SVL-{}", port_proto_hash(namespace, name, port_name, protocol))
}

/// The `KUBE-EXT-…` chain of a service port: where NodePort, LoadBalancer and external-IP
/// traffic goes before its traffic policy chain.
pub fn external_chain(namespace: &str, name: &str, port_name: &str, protocol: Protocol) -> String {
    format!("KUBE-EXT-{}", port_proto_hash(namespace, name, port_name, protocol))
}

/// The `KUBE-FW-…` chain of a service port: its `loadBalancerSourceRanges` filter.
pub fn firewall_chain(namespace: &str, name: &str, port_name: &str, protocol: Protocol) -> String {
    format!("KUBE-FW-{}", port_proto_hash(namespace, name, port_name, protocol))
}

/// The `KUBE-SEP-…` chain of one endpoint (`endpoint` is `ip:port`) of a service port: the
/// DNAT to that endpoint.
pub fn endpoint_chain(namespace: &str, name: &str, port_name: &str, protocol: Protocol, endpoint: &str) -> String {
    let input = format!("{}{}{endpoint}", service_port_name(namespace, name, port_name), protocol_lower(protocol));
    format!("KUBE-SEP-{}", hash_prefix(&input, 16))
}

/// The nftables chain-name base of a service port, `HASH-namespace/name/protocol/port`
/// (`servicePortChainNameBase`); the chains are `service-`, `local-`, `external-` and
/// `firewall-` followed by it.
pub fn nft_service_base(namespace: &str, name: &str, port_name: &str, protocol: Protocol) -> String {
    hash_and_truncate(&format!("{namespace}/{name}/{}/{port_name}", protocol_lower(protocol)))
}

/// The nftables chain-name base of one endpoint, `HASH-namespace/name/protocol/port__ip/port`
/// (`servicePortEndpointChainNameBase`); the chain is `endpoint-` followed by it, the
/// session-affinity set `affinity-` followed by it.
pub fn nft_endpoint_base(namespace: &str, name: &str, port_name: &str, protocol: Protocol, endpoint: &str) -> String {
    let (ip, port) = endpoint.rsplit_once(':').unwrap_or((endpoint, ""));
    let ip = ip.trim_start_matches('[').trim_end_matches(']').replace(':', ".");
    hash_and_truncate(&format!("{namespace}/{name}/{}/{port_name}__{ip}/{port}", protocol_lower(protocol)))
}

/// `portProtoHash`: the 16-character hash shared by a service port's chains.
fn port_proto_hash(namespace: &str, name: &str, port_name: &str, protocol: Protocol) -> String {
    hash_prefix(&format!("{}{}", service_port_name(namespace, name, port_name), protocol_lower(protocol)), 16)
}

/// nftables' `hashAndTruncate`: an 8-character hash, `-`, the name; cut to 240 characters
/// (`knftables.NameLengthMax` less the longest prefix) with `...` when longer, which
/// Kubernetes' name limits make impossible for service chains.
fn hash_and_truncate(name: &str) -> String {
    const BASE_LENGTH_MAX: usize = 256 - 16;
    let mut full = format!("{}-{name}", hash_prefix(name, 8));
    if full.len() > BASE_LENGTH_MAX {
        full.truncate(BASE_LENGTH_MAX - 3);
        full.push_str("...");
    }
    full
}

/// The first `chars` characters of `base32.StdEncoding.EncodeToString(sha256(input))`.
fn hash_prefix(input: &str, chars: usize) -> String {
    let digest = Sha256::digest(input.as_bytes());
    base32(&digest).chars().take(chars).collect()
}

/// RFC 4648 base32 with the standard alphabet. Callers only take a prefix shorter than the
/// unpadded text, so padding is never written.
fn base32(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    for &byte in bytes {
        buffer = (buffer << 8) | u32::from(byte);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(char::from(ALPHABET[((buffer >> bits) & 31) as usize]));
        }
    }
    if bits > 0 {
        out.push(char::from(ALPHABET[((buffer << (5 - bits)) & 31) as usize]));
    }
    out
}

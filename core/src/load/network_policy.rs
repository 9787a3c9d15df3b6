//! NetworkPolicies (`networking.k8s.io/v1`), loaded as written; what they allow is the policy
//! engine's business.
//!
//! A policy is read as the API server reads one: decoding first (a document that does not
//! decode is not validated), then the v1 defaults (`pkg/apis/networking/v1/defaults.go`), then
//! `ValidateNetworkPolicySpec`, `ValidateNetworkPolicyPeer`, `ValidateNetworkPolicyPort` and
//! `ValidateIPBlock` (`pkg/apis/networking/validation/validation.go`):
//!
//! - `podSelector` is a label selector. It is optional: omitted, like `{}`, it selects every
//!   pod of the namespace.
//! - A peer (`from[]`/`to[]` element) sets `podSelector` and/or `namespaceSelector` (ANDed), or
//!   an `ipBlock` alone. An `ipBlock` needs a `cidr`; each `except` must be a strict subset of
//!   it. CIDRs are read strictly (KEP-4858): no host bits, no leading zeros.
//! - A port's `protocol` is TCP, UDP or SCTP (TCP when not written); `port` is a number
//!   (1-65535) or an IANA_SVC_NAME; `endPort` needs a numeric `port` and is at least `port`.
//! - `policyTypes` holds at most two of Ingress and Egress. When it is not written (or empty)
//!   it defaults to Ingress, plus Egress when `egress` has at least one rule: `egress: []`
//!   does not make the policy isolate egress.
//!
//! A missing or empty `from`/`to` means every peer, a missing or empty `ports` every port, and
//! `ingress: []` no rule at all. Rules of a direction that `policyTypes` leaves out are valid
//! but have no effect; kubeplay warns about them.

use super::meta::{decoded_cleanly, read_selector, typed_selector, Checks};
use super::Ctx;
use crate::api::network_policy::{IpBlock, NetworkPolicy, PolicyPeer, PolicyPort, PolicyPortValue, PolicyRule};
use crate::api::{LabelSelector, ObjectMeta, Protocol};
use crate::decode::{FieldPath, IntOrString, Item, MapReader};
use crate::validation::network::cidr;
use crate::validation::ports::{port_name, port_number};
use crate::validation::selector::{label_selector, LabelSelector as SelectorIn};
use crate::validation::{FieldError, ShownValue};
use ipnet::IpNet;

/// The policy types, in the order upstream lists them as supported values.
const POLICY_TYPES: [&str; 2] = ["Ingress", "Egress"];
/// The protocols, in the order `ValidateNetworkPolicyPort` lists them.
const PROTOCOLS: [&str; 3] = ["TCP", "UDP", "SCTP"];

/// `spec` as written.
#[derive(Default)]
struct SpecIn {
    pod_selector: Option<SelectorIn>,
    ingress: Vec<RuleIn>,
    egress: Vec<RuleIn>,
    policy_types: Vec<String>,
}

/// One ingress or egress rule as written.
struct RuleIn {
    ports: Vec<PortIn>,
    peers: Vec<PeerIn>,
}

/// One `from[]`/`to[]` element as written.
struct PeerIn {
    path: FieldPath,
    pod_selector: Option<SelectorIn>,
    namespace_selector: Option<SelectorIn>,
    ip_block: Option<IpBlockIn>,
}

/// An `ipBlock` as written.
struct IpBlockIn {
    path: FieldPath,
    cidr: String,
    except: Vec<String>,
}

/// One `ports[]` entry as written (`protocol` not yet defaulted).
struct PortIn {
    path: FieldPath,
    protocol: Option<String>,
    port: Option<IntOrString>,
    end_port: Option<i32>,
}

fn read_selector_at(ctx: &mut Ctx, item: Option<Item>) -> Option<SelectorIn> {
    item.map(|item| read_selector(ctx, &item).unwrap_or_default())
}

fn read_spec(ctx: &mut Ctx, item: &Item) -> SpecIn {
    let Some(mut r) = ctx.d.map(item) else { return SpecIn::default() };
    let pod_selector = r.raw("podSelector");
    let pod_selector = read_selector_at(ctx, pod_selector);
    let ingress = r.seq(&mut ctx.d, "ingress").unwrap_or_default();
    let egress = r.seq(&mut ctx.d, "egress").unwrap_or_default();
    let types = r.seq(&mut ctx.d, "policyTypes").unwrap_or_default();
    r.finish(&mut ctx.d);
    SpecIn {
        pod_selector,
        ingress: ingress.iter().map(|rule| read_rule(ctx, rule, "from")).collect(),
        egress: egress.iter().map(|rule| read_rule(ctx, rule, "to")).collect(),
        policy_types: types.iter().filter_map(|t| ctx.d.str(t).map(|s| s.value)).collect(),
    }
}

/// An ingress rule (peers under `from`) or an egress rule (peers under `to`).
fn read_rule(ctx: &mut Ctx, item: &Item, peers_key: &'static str) -> RuleIn {
    let Some(mut r) = ctx.d.map(item) else { return RuleIn { ports: Vec::new(), peers: Vec::new() } };
    let ports = r.seq(&mut ctx.d, "ports").unwrap_or_default();
    let peers = r.seq(&mut ctx.d, peers_key).unwrap_or_default();
    r.finish(&mut ctx.d);
    RuleIn {
        ports: ports.iter().filter_map(|p| read_port(ctx, p)).collect(),
        peers: peers.iter().filter_map(|p| read_peer(ctx, p)).collect(),
    }
}

fn read_peer(ctx: &mut Ctx, item: &Item) -> Option<PeerIn> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    let pod = r.raw("podSelector");
    let namespace = r.raw("namespaceSelector");
    let block = r.raw("ipBlock");
    r.finish(&mut ctx.d);
    Some(PeerIn {
        path,
        pod_selector: read_selector_at(ctx, pod),
        namespace_selector: read_selector_at(ctx, namespace),
        ip_block: block.and_then(|item| read_ip_block(ctx, &item)),
    })
}

fn read_ip_block(ctx: &mut Ctx, item: &Item) -> Option<IpBlockIn> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    let cidr = r.str(&mut ctx.d, "cidr").map(|s| s.value).unwrap_or_default();
    let except = r.seq(&mut ctx.d, "except").unwrap_or_default();
    r.finish(&mut ctx.d);
    let except = except.iter().filter_map(|e| ctx.d.str(e).map(|s| s.value)).collect();
    Some(IpBlockIn { path, cidr, except })
}

fn read_port(ctx: &mut Ctx, item: &Item) -> Option<PortIn> {
    let mut r = ctx.d.map(item)?;
    let path = r.path().clone();
    let protocol = r.str(&mut ctx.d, "protocol").map(|s| s.value);
    let port = r.int_or_string(&mut ctx.d, "port").map(|p| p.value);
    let end_port = r.int32(&mut ctx.d, "endPort").map(|e| e.value);
    r.finish(&mut ctx.d);
    Some(PortIn { path, protocol, port, end_port })
}

/// A NetworkPolicy.
pub fn load(ctx: &mut Ctx, mut top: MapReader<'_>, meta: ObjectMeta) -> Option<NetworkPolicy> {
    let spec_item = top.raw("spec");
    top.finish(&mut ctx.d);
    let spec = spec_item.map(|item| read_spec(ctx, &item)).unwrap_or_default();
    if !decoded_cleanly(ctx) {
        return None;
    }
    let mut checks = Checks::new(ctx);
    let policy = validate(&mut checks, spec, meta);
    policy.filter(|_| !checks.failed())
}

/// `ValidateNetworkPolicySpec` after defaulting; the typed policy when valid.
fn validate(c: &mut Checks, spec: SpecIn, meta: ObjectMeta) -> Option<NetworkPolicy> {
    let spec_path = FieldPath::root().field("spec");
    let pod_selector = match &spec.pod_selector {
        None => Some(LabelSelector::default()),
        Some(selector) => check_selector(c, &spec_path.field("podSelector"), selector),
    };
    let ingress: Vec<Option<PolicyRule>> = spec.ingress.iter().map(|rule| check_rule(c, rule)).collect();
    let egress: Vec<Option<PolicyRule>> = spec.egress.iter().map(|rule| check_rule(c, rule)).collect();

    let types_path = spec_path.field("policyTypes");
    if spec.policy_types.len() > POLICY_TYPES.len() {
        let shown = ShownValue::StrList(spec.policy_types.clone());
        c.fail(&types_path, FieldError::invalid(shown, "may not specify more than two policyTypes"));
    } else {
        for (i, t) in spec.policy_types.iter().enumerate() {
            if !POLICY_TYPES.contains(&t.as_str()) {
                c.fail(&types_path.index(i), FieldError::not_supported(t.as_str(), &POLICY_TYPES));
            }
        }
    }
    // SetDefaults_NetworkPolicy: no policyTypes means Ingress, plus Egress if there are egress
    // rules.
    let (isolates_ingress, isolates_egress) = if spec.policy_types.is_empty() {
        (true, !spec.egress.is_empty())
    } else {
        (spec.policy_types.iter().any(|t| t == "Ingress"), spec.policy_types.iter().any(|t| t == "Egress"))
    };
    let directions =
        [("ingress", "Ingress", &spec.ingress, isolates_ingress), ("egress", "Egress", &spec.egress, isolates_egress)];
    for (key, type_, rules, isolates) in directions {
        if !rules.is_empty() && !isolates {
            let at = spec_path.field(key);
            c.warn(&at, &at, format!("policyTypes does not include {type_}, so these {key} rules have no effect"));
        }
    }
    let ingress: Option<Vec<PolicyRule>> = ingress.into_iter().collect();
    let egress: Option<Vec<PolicyRule>> = egress.into_iter().collect();
    Some(NetworkPolicy {
        meta,
        pod_selector: pod_selector?,
        ingress: ingress?,
        egress: egress?,
        isolates_ingress,
        isolates_egress,
    })
}

/// `ValidateLabelSelector` at `path`; the typed selector when valid.
fn check_selector(c: &mut Checks, path: &FieldPath, selector: &SelectorIn) -> Option<LabelSelector> {
    let errors = label_selector(selector, path);
    let ok = errors.is_empty();
    c.fail_all(errors);
    ok.then(|| typed_selector(selector))
}

fn check_rule(c: &mut Checks, rule: &RuleIn) -> Option<PolicyRule> {
    let ports: Vec<Option<PolicyPort>> = rule.ports.iter().map(|p| check_port(c, p)).collect();
    let peers: Vec<Option<PolicyPeer>> = rule.peers.iter().map(|p| check_peer(c, p)).collect();
    let ports: Option<Vec<PolicyPort>> = ports.into_iter().collect();
    let peers: Option<Vec<PolicyPeer>> = peers.into_iter().collect();
    let peers = peers?;
    Some(PolicyRule { peers: (!peers.is_empty()).then_some(peers), ports: ports? })
}

/// `ValidateNetworkPolicyPeer`: one kind of peer, or both selectors; an ipBlock stays alone.
fn check_peer(c: &mut Checks, peer: &PeerIn) -> Option<PolicyPeer> {
    let pod_selector = peer.pod_selector.as_ref().map(|s| check_selector(c, &peer.path.field("podSelector"), s));
    let namespace_selector =
        peer.namespace_selector.as_ref().map(|s| check_selector(c, &peer.path.field("namespaceSelector"), s));
    let ip_block = peer.ip_block.as_ref().map(|block| check_ip_block(c, block));
    let written = usize::from(pod_selector.is_some())
        + usize::from(namespace_selector.is_some())
        + usize::from(ip_block.is_some());
    if written == 0 {
        c.fail(&peer.path, FieldError::required("must specify a peer"));
        return None;
    }
    if let Some(block) = ip_block {
        if written > 1 {
            c.fail(&peer.path, FieldError::forbidden("may not specify both ipBlock and another peer"));
            return None;
        }
        return block.map(PolicyPeer::IpBlock);
    }
    // A selector that was written but is invalid (`Some(None)`) rejects the peer.
    let pod_selector = pod_selector.map(|s| s.ok_or(())).transpose().ok()?;
    let namespace_selector = namespace_selector.map(|s| s.ok_or(())).transpose().ok()?;
    Some(PolicyPeer::Pods { pod_selector, namespace_selector })
}

/// A CIDR as `netutils.ParseCIDRSloppy` reads it, host bits cleared: what upstream checks the
/// `except` entries against even when the strict rules reject the text. (The standard parser
/// stands in for the sloppy one; a CIDR with leading zeros in its address is not read.)
fn sloppy_cidr(text: &str) -> Option<IpNet> {
    text.parse::<IpNet>().ok().map(|net| net.trunc())
}

/// `ValidateIPBlock`.
fn check_ip_block(c: &mut Checks, block: &IpBlockIn) -> Option<IpBlock> {
    let cidr_path = block.path.field("cidr");
    if block.cidr.is_empty() {
        c.fail(&cidr_path, FieldError::required(""));
        return None;
    }
    let outer = match cidr(&block.cidr) {
        Ok(net) => Some(net),
        Err(details) => {
            c.invalid_details(&cidr_path, &block.cidr, details);
            None
        }
    };
    // Upstream goes on to the except entries when the sloppy parse succeeds.
    let container = outer.or_else(|| sloppy_cidr(&block.cidr))?;
    let mut except = Vec::new();
    for (i, text) in block.except.iter().enumerate() {
        let at = block.path.field("except").index(i);
        let inner = match cidr(text) {
            Ok(net) => Some(net),
            Err(details) => {
                c.invalid_details(&at, text, details);
                None
            }
        };
        let Some(checked) = inner.or_else(|| sloppy_cidr(text)) else { continue };
        if !container.contains(&checked.network()) || container.prefix_len() >= checked.prefix_len() {
            c.fail(&at, FieldError::invalid(text.as_str(), "must be a strict subset of `cidr`"));
        }
        except.extend(inner);
    }
    Some(IpBlock { cidr: outer?, except })
}

/// `ValidateNetworkPolicyPort`, after defaulting the protocol to TCP.
fn check_port(c: &mut Checks, port: &PortIn) -> Option<PolicyPort> {
    let protocol = match &port.protocol {
        None => Some(Protocol::TCP),
        Some(text) => {
            let parsed = Protocol::parse(text);
            if parsed.is_none() {
                c.fail(&port.path.field("protocol"), FieldError::not_supported(text.as_str(), &PROTOCOLS));
            }
            parsed
        }
    };
    let port_path = port.path.field("port");
    let end_path = port.path.field("endPort");
    let invalid_end = |c: &mut Checks, detail: &str| {
        if let Some(end) = port.end_port {
            c.fail(&end_path, FieldError::invalid(i64::from(end), detail));
        }
    };
    let value = match &port.port {
        None => {
            invalid_end(c, "may not be specified when `port` is not specified");
            None
        }
        Some(IntOrString::Int(n)) => {
            for detail in port_number(i64::from(*n)) {
                c.fail(&port_path, FieldError::invalid(i64::from(*n), detail));
            }
            if port.end_port.is_some_and(|end| end < *n) {
                invalid_end(c, "must be greater than or equal to `port`");
            }
            if let Some(end) = port.end_port {
                for detail in port_number(i64::from(end)) {
                    c.fail(&end_path, FieldError::invalid(i64::from(end), detail));
                }
            }
            let number = |n: i32| u16::try_from(n).ok().filter(|n| *n != 0);
            let end_port = match port.end_port {
                None => None,
                Some(end) => Some(number(end)?),
            };
            Some(PolicyPortValue::Number { port: number(*n)?, end_port })
        }
        Some(IntOrString::Str(name)) => {
            invalid_end(c, "may not be specified when `port` is non-numeric");
            c.invalid_details(&port_path, name, port_name(name));
            Some(PolicyPortValue::Named(name.clone()))
        }
    };
    Some(PolicyPort { protocol: protocol?, port: value })
}

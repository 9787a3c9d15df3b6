//! IP addresses and CIDRs, with the strictness current Kubernetes applies.
//!
//! Kubernetes long parsed IPs "sloppily" (Go 1.16's `net.ParseIP`, kept as
//! `k8s.io/utils/net.ParseIPSloppy`): IPv4 octets with leading zeros were read as decimal
//! (`010.0.0.1` = `10.0.0.1`), while most libc-based software reads them as octal, and
//! `192.168.0.5/24` was accepted as a CIDR although it is ambiguous (the subnet
//! `192.168.0.0/24`, or the single address `192.168.0.5/32`?). KEP-4858 ("IP/CIDR validation
//! improvements", feature gate `StrictIPCIDRValidation`: alpha in 1.33, on by default since
//! 1.36 beta, GA in 1.38) makes the API server reject these in the fields that used to allow
//! them: Service `clusterIP(s)` and `externalIPs`, NetworkPolicy `ipBlock.cidr` and `except`,
//! and the rest of the "legacy" IP and CIDR fields.
//!
//! We model the strict rules, because that is what a learner's cluster does now:
//! - an IP address or CIDR written with leading zeros is rejected (`must not have leading 0s`,
//!   `must not have leading 0s in IP or prefix length`), and so is an IPv4-mapped IPv6 address
//!   (`::ffff:10.0.0.1`);
//! - a CIDR with bits set beyond the prefix length is rejected
//!   (`must not have bits set beyond the prefix length`), so a returned [`IpNet`] always has
//!   its host bits zero and `addr() == network()`;
//! - non-canonical IPv6 text (`2001:DB8:0::1`) is accepted, as these legacy fields accept it;
//!   upstream only warns about it.
//!
//! Addresses that are valid but make no sense as a destination (unspecified, loopback,
//! link-local) are refused where traffic is sent to them: [`non_special_ip`], upstream's
//! `ValidateNonSpecialIP` (`pkg/apis/core/validation/validation.go`), used for Service
//! `externalIPs` and for Endpoints and EndpointSlice addresses.
//!
//! Upstream: `k8s.io/apimachinery/pkg/util/validation/ip.go` (`IsValidIPForLegacyField`,
//! `IsValidCIDRForLegacyField` with strict validation, and their helpers `parseIP`,
//! `parseCIDR`). The standard library's strict parsers stand in for Go's `net/netip`; the
//! sloppy parse is reproduced by dropping leading zeros and parsing strictly again, which
//! tells "invalid" apart from "valid but for leading zeros" exactly as upstream does.

use std::net::IpAddr;

use ipnet::IpNet;

const INVALID_IP: &str = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
const IP_LEADING_ZEROS: &str = "must not have leading 0s";
const IP_MAPPED: &str = "must not be an IPv4-mapped IPv6 address";
const INVALID_CIDR: &str = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
const CIDR_LEADING_ZEROS: &str = "must not have leading 0s in IP or prefix length";
const CIDR_MAPPED: &str = "must not have an IPv4-mapped IPv6 address";
const CIDR_HOST_BITS: &str = "must not have bits set beyond the prefix length";

/// Parses an IP address as the API server validates one, or returns its detail messages.
pub fn ip_address(value: &str) -> Result<IpAddr, Vec<String>> {
    match value.parse::<IpAddr>() {
        Ok(ip) if is_ipv4_mapped(ip) => Err(vec![IP_MAPPED.to_string()]),
        Ok(ip) => Ok(ip),
        Err(_) if without_leading_zeros(value).parse::<IpAddr>().is_ok() => Err(vec![IP_LEADING_ZEROS.to_string()]),
        Err(_) => Err(vec![INVALID_IP.to_string()]),
    }
}

/// Parses a subnet in CIDR notation as the API server validates one, or returns its detail
/// messages.
pub fn cidr(value: &str) -> Result<IpNet, Vec<String>> {
    let fail = |msg: &str| Err(vec![msg.to_string()]);
    let Some((addr_text, len_text)) = value.split_once('/') else {
        return fail(INVALID_CIDR);
    };
    // First the sloppy reading: if even that fails, the value is no CIDR at all.
    let addr = addr_text.parse::<IpAddr>().or_else(|_| without_leading_zeros(addr_text).parse::<IpAddr>());
    let len = decimal(len_text);
    let (Ok(addr), Some(len)) = (addr, len) else {
        return fail(INVALID_CIDR);
    };
    let Some(net) = u8::try_from(len).ok().and_then(|len| IpNet::new(addr, len).ok()) else {
        return fail(INVALID_CIDR);
    };
    // Then the strict one, one complaint at most, in upstream's order.
    let padded_len = len_text.len() > 1 && len_text.starts_with('0');
    if padded_len || addr_text.parse::<IpAddr>().is_err() {
        return fail(CIDR_LEADING_ZEROS);
    }
    if is_ipv4_mapped(addr) {
        return fail(CIDR_MAPPED);
    }
    if net.addr() != net.network() {
        return fail(CIDR_HOST_BITS);
    }
    Ok(net)
}

/// Whether `ip` is an IPv4-mapped IPv6 address (`::ffff:a.b.c.d`).
fn is_ipv4_mapped(ip: IpAddr) -> bool {
    matches!(ip, IpAddr::V6(v6) if v6.to_ipv4_mapped().is_some())
}

/// A prefix length as Go's sloppy parser reads it: one or more ASCII digits, leading zeros
/// allowed.
fn decimal(text: &str) -> Option<u32> {
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    match text.trim_start_matches('0') {
        "" => Some(0),
        digits if digits.len() <= 3 => digits.parse().ok(),
        _ => None,
    }
}

/// `value` with leading zeros dropped from every IPv4 octet and IPv6 group, the one liberty
/// the sloppy parser takes that the strict one does not.
fn without_leading_zeros(value: &str) -> String {
    value
        .split(':')
        .map(|group| group.split('.').map(trim_zeros).collect::<Vec<_>>().join("."))
        .collect::<Vec<_>>()
        .join(":")
}

/// A run of hex digits without its leading zeros (keeping one digit); anything else unchanged.
fn trim_zeros(field: &str) -> &str {
    if field.len() > 1 && field.bytes().all(|b| b.is_ascii_hexdigit()) {
        let trimmed = field.trim_start_matches('0');
        if trimmed.is_empty() {
            "0"
        } else {
            trimmed
        }
    } else {
        field
    }
}

/// Checks that a valid address is not one traffic cannot meaningfully be sent to, as
/// upstream's `ValidateNonSpecialIP` does; `text` is the address as written, which the
/// unspecified-address message echoes.
pub fn non_special_ip(ip: IpAddr, text: &str) -> Vec<String> {
    let mut errs = Vec::new();
    let (unspecified, loopback, link_local, link_local_multicast) = match ip {
        IpAddr::V4(v4) => {
            let o = v4.octets();
            (v4.is_unspecified(), v4.is_loopback(), o[0] == 169 && o[1] == 254, o[0] == 224 && o[1] == 0 && o[2] == 0)
        }
        IpAddr::V6(v6) => {
            let s = v6.segments();
            (v6.is_unspecified(), v6.is_loopback(), s[0] & 0xffc0 == 0xfe80, s[0] & 0xff0f == 0xff02)
        }
    };
    if unspecified {
        errs.push(format!("may not be unspecified ({text})"));
    }
    if loopback {
        errs.push("may not be in the loopback range (127.0.0.0/8, ::1/128)".to_string());
    }
    if link_local {
        errs.push("may not be in the link-local range (169.254.0.0/16, fe80::/10)".to_string());
    }
    if link_local_multicast {
        errs.push("may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)".to_string());
    }
    errs
}

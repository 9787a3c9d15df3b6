//! IP address and CIDR validation against the API server's strict (KEP-4858) rules.
//!
//! Expected strings are copied from upstream `parseIP` and `parseCIDR` in
//! k8s.io/apimachinery/pkg/util/validation/ip.go, as called by `IsValidIPForLegacyField` and
//! `IsValidCIDRForLegacyField` with strict validation (StrictIPCIDRValidation, on by default
//! since Kubernetes 1.36).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;
use kubeplay_core::validation::network::{cidr, ip_address};

const INVALID_IP: &str = "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)";
const IP_LEADING_ZEROS: &str = "must not have leading 0s";
const IP_MAPPED: &str = "must not be an IPv4-mapped IPv6 address";
const INVALID_CIDR: &str = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";
const CIDR_LEADING_ZEROS: &str = "must not have leading 0s in IP or prefix length";
const CIDR_MAPPED: &str = "must not have an IPv4-mapped IPv6 address";
const CIDR_HOST_BITS: &str = "must not have bits set beyond the prefix length";

fn ip_errors(input: &str) -> Vec<String> {
    ip_address(input).err().unwrap_or_default()
}

fn cidr_errors(input: &str) -> Vec<String> {
    cidr(input).err().unwrap_or_default()
}

#[test]
fn ip_accepts_ipv4_and_ipv6() {
    assert_eq!(ip_address("10.96.0.10"), Ok(IpAddr::V4(Ipv4Addr::new(10, 96, 0, 10))));
    assert_eq!(ip_address("2001:db8::1"), Ok("2001:db8::1".parse::<IpAddr>().unwrap()));
    assert_eq!(ip_address("0.0.0.0"), Ok(IpAddr::V4(Ipv4Addr::UNSPECIFIED)));
}

#[test]
fn ip_legacy_fields_accept_non_canonical_ipv6() {
    assert_eq!(ip_address("2001:DB8:0:0::0001"), Ok("2001:db8::1".parse::<IpAddr>().unwrap()));
}

#[test]
fn ip_rejects_ipv4_leading_zeros() {
    for input in ["010.0.0.1", "10.0.0.01", "10.000.0.1", "::ffff:010.0.0.1", "1.2.3.0004"] {
        assert_eq!(ip_errors(input), [IP_LEADING_ZEROS], "input {input:?}");
    }
}

#[test]
fn ip_rejects_ipv6_groups_padded_past_four_digits() {
    assert_eq!(ip_errors("2001:db8::00001"), [IP_LEADING_ZEROS]);
}

#[test]
fn ip_rejects_ipv4_mapped_ipv6() {
    assert_eq!(ip_errors("::ffff:10.0.0.1"), [IP_MAPPED]);
    assert_eq!(ip_errors("::ffff:a00:1"), [IP_MAPPED]);
}

#[test]
fn ip_rejects_what_is_no_ip_at_all() {
    for input in
        ["", "10.0.0", "10.0.0.256", "10.0.0.1.2", " 10.0.0.1", "fe80::1%eth0", "2001:db8::12345", "web", "10.0.0.0/8"]
    {
        assert_eq!(ip_errors(input), [INVALID_IP], "input {input:?}");
    }
}

#[test]
fn cidr_accepts_subnets() {
    assert_eq!(cidr("10.0.0.0/8"), Ok("10.0.0.0/8".parse::<IpNet>().unwrap()));
    assert_eq!(cidr("10.0.0.1/32"), Ok("10.0.0.1/32".parse::<IpNet>().unwrap()));
    assert_eq!(cidr("0.0.0.0/0"), Ok("0.0.0.0/0".parse::<IpNet>().unwrap()));
    assert_eq!(cidr("2001:db8::/32"), Ok("2001:db8::/32".parse::<IpNet>().unwrap()));
    assert_eq!(cidr("::/0"), Ok("::/0".parse::<IpNet>().unwrap()));
}

#[test]
fn cidr_rejects_bits_set_beyond_the_prefix_length() {
    for input in ["192.168.0.5/24", "10.0.0.1/8", "2001:db8::1/32"] {
        assert_eq!(cidr_errors(input), [CIDR_HOST_BITS], "input {input:?}");
    }
}

#[test]
fn cidr_rejects_leading_zeros_in_ip_or_prefix_length() {
    for input in ["010.0.0.0/8", "10.0.0.0/08", "10.0.0.0/0008", "010.0.0.5/8"] {
        assert_eq!(cidr_errors(input), [CIDR_LEADING_ZEROS], "input {input:?}");
    }
}

#[test]
fn cidr_rejects_ipv4_mapped_ipv6() {
    assert_eq!(cidr_errors("::ffff:10.0.0.0/104"), [CIDR_MAPPED]);
}

#[test]
fn cidr_rejects_what_is_no_cidr_at_all() {
    for input in [
        "",
        "10.0.0.0",
        "10.0.0.0/",
        "/8",
        "10.0.0.0/33",
        "2001:db8::/129",
        "10.0.0.0/256",
        "10.0.0.0/1000",
        "10.0.0.0/-1",
        "10.0.0.0/+8",
        "10.0.0.0/8/8",
        "10.0.0.256/8",
        "fe80::%eth0/64",
    ] {
        assert_eq!(cidr_errors(input), [INVALID_CIDR], "input {input:?}");
    }
}

proptest::proptest! {
    #[test]
    fn ip_accepts_every_canonical_address(octets in proptest::array::uniform4(0u8..), segments in proptest::array::uniform8(0u16..)) {
        let v4 = IpAddr::V4(Ipv4Addr::from(octets));
        proptest::prop_assert_eq!(ip_address(&v4.to_string()), Ok(v4));
        let v6 = Ipv6Addr::from(segments);
        if v6.to_ipv4_mapped().is_none() {
            proptest::prop_assert_eq!(ip_address(&v6.to_string()), Ok(IpAddr::V6(v6)));
        }
    }

    #[test]
    fn cidr_accepts_every_canonical_subnet(octets in proptest::array::uniform4(0u8..), len in 0u8..=32) {
        let net = IpNet::new(IpAddr::V4(Ipv4Addr::from(octets)), len).unwrap().trunc();
        proptest::prop_assert_eq!(cidr(&net.to_string()), Ok(net));
    }

    #[test]
    fn validators_never_panic(s in "[0-9a-fA-F:./%x ]{0,45}") {
        let _ = ip_address(&s);
        if let Ok(net) = cidr(&s) {
            proptest::prop_assert_eq!(net.addr(), net.network());
        }
    }
}

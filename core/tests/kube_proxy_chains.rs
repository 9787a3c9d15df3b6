//! Chain names, against names kube-proxy itself produced for known Services.
//!
//! Sources of the expected names, none of them kubeplay's output:
//! - `pkg/proxy/iptables/proxier_test.go`, `TestOverallIPTablesRules`: the expected
//!   `iptables-restore` text names the chains of ns1/svc1:p80 … ns5/svc5:p80 (TCP) and of
//!   their endpoints 10.180.0.1:80 …
//! - `pkg/proxy/nftables/proxier_test.go`, `TestOverallNFTablesRules`: the same Services'
//!   nftables chains (`service-ULMVA6XW-ns1/svc1/tcp/p80`, …).
//! - Every kubeadm or kind cluster: `default/kubernetes:https` is `KUBE-SVC-NPX46M4PTMTKRN6Y`
//!   and CoreDNS's `kube-system/kube-dns` ports are `KUBE-SVC-TCOU7JCQXEZGVUNU` (dns, UDP),
//!   `KUBE-SVC-ERIFXISQEP7F7OF4` (dns-tcp) and `KUBE-SVC-JD5MR3NA4I4DYORP` (metrics), as
//!   countless published `iptables-save` dumps show.
//! - For an unnamed port, coreutils over the documented input (`namespace/name` + protocol):
//!   `printf 'default/webtcp' | sha256sum | xxd -r -p | base32 | cut -c1-16`.

use kubeplay_core::api::meta::Protocol;
use kubeplay_core::kube_proxy::chains::{
    endpoint_chain, external_chain, firewall_chain, local_chain, nft_endpoint_base, nft_service_base, service_chain,
};

#[test]
fn iptables_chain_names_match_kube_proxys_own_test_fixtures() {
    let tcp = Protocol::TCP;
    assert_eq!(service_chain("ns1", "svc1", "p80", tcp), "KUBE-SVC-XPGD46QRK7WJZT7O");
    assert_eq!(endpoint_chain("ns1", "svc1", "p80", tcp, "10.180.0.1:80"), "KUBE-SEP-SXIVWICOYRO3J4NJ");
    // ns2/svc2 has every per-port chain: they share one hash.
    assert_eq!(service_chain("ns2", "svc2", "p80", tcp), "KUBE-SVC-GNZBNJ2PO5MGZ6GT");
    assert_eq!(external_chain("ns2", "svc2", "p80", tcp), "KUBE-EXT-GNZBNJ2PO5MGZ6GT");
    assert_eq!(local_chain("ns2", "svc2", "p80", tcp), "KUBE-SVL-GNZBNJ2PO5MGZ6GT");
    assert_eq!(firewall_chain("ns2", "svc2", "p80", tcp), "KUBE-FW-GNZBNJ2PO5MGZ6GT");
    assert_eq!(endpoint_chain("ns2", "svc2", "p80", tcp, "10.180.0.2:80"), "KUBE-SEP-RS4RBKLTHTF2IUXJ");
    assert_eq!(external_chain("ns3", "svc3", "p80", tcp), "KUBE-EXT-X27LE4BHSL4DOUIK");
    assert_eq!(endpoint_chain("ns3", "svc3", "p80", tcp, "10.180.0.3:80"), "KUBE-SEP-OYPFS5VJICHGATKP");
    assert_eq!(service_chain("ns4", "svc4", "p80", tcp), "KUBE-SVC-4SW47YFZTEDKD3PK");
    assert_eq!(endpoint_chain("ns4", "svc4", "p80", tcp, "10.180.0.4:80"), "KUBE-SEP-UKSFD7AGPMPPLUHC");
    assert_eq!(endpoint_chain("ns4", "svc4", "p80", tcp, "10.180.0.5:80"), "KUBE-SEP-C6EBXVWJJZMIWKLZ");
    assert_eq!(firewall_chain("ns5", "svc5", "p80", tcp), "KUBE-FW-NUKIZ6OKUXPJNT4C");
    // The same endpoint address in another Service gets another chain.
    assert_eq!(endpoint_chain("ns5", "svc5", "p80", tcp, "10.180.0.3:80"), "KUBE-SEP-I77PXRDZVX7PMWMN");
}

#[test]
fn every_kubeadm_cluster_shows_these_names() {
    assert_eq!(service_chain("default", "kubernetes", "https", Protocol::TCP), "KUBE-SVC-NPX46M4PTMTKRN6Y");
    assert_eq!(service_chain("kube-system", "kube-dns", "dns", Protocol::UDP), "KUBE-SVC-TCOU7JCQXEZGVUNU");
    assert_eq!(service_chain("kube-system", "kube-dns", "dns-tcp", Protocol::TCP), "KUBE-SVC-ERIFXISQEP7F7OF4");
    assert_eq!(service_chain("kube-system", "kube-dns", "metrics", Protocol::TCP), "KUBE-SVC-JD5MR3NA4I4DYORP");
}

#[test]
fn an_unnamed_port_hashes_namespace_and_name_only() {
    assert_eq!(service_chain("default", "web", "", Protocol::TCP), "KUBE-SVC-LOLE4ISW44XBNF3G");
    // The protocol is part of the input: the same port over UDP is another chain.
    assert_ne!(service_chain("default", "web", "", Protocol::UDP), service_chain("default", "web", "", Protocol::TCP));
}

#[test]
fn nftables_chain_names_match_kube_proxys_own_test_fixtures() {
    let tcp = Protocol::TCP;
    assert_eq!(nft_service_base("ns1", "svc1", "p80", tcp), "ULMVA6XW-ns1/svc1/tcp/p80");
    assert_eq!(
        nft_endpoint_base("ns1", "svc1", "p80", tcp, "10.180.0.1:80"),
        "5OJB2KTY-ns1/svc1/tcp/p80__10.180.0.1/80"
    );
    assert_eq!(nft_service_base("ns2", "svc2", "p80", tcp), "42NFTM6N-ns2/svc2/tcp/p80");
    assert_eq!(
        nft_endpoint_base("ns4", "svc4", "p80", tcp, "10.180.0.5:80"),
        "5RFCDDV7-ns4/svc4/tcp/p80__10.180.0.5/80"
    );
    assert_eq!(nft_service_base("ns5", "svc5", "p80", tcp), "HVFWP5L3-ns5/svc5/tcp/p80");
    assert_eq!(
        nft_endpoint_base("ns5", "svc5", "p80", tcp, "10.180.0.3:80"),
        "GTK6MW7G-ns5/svc5/tcp/p80__10.180.0.3/80"
    );
}

//! Endpoints and EndpointSlice loading through the public entry: subsets, addresses, ports,
//! address types and conditions, each rule checked with its exact field path, position and
//! upstream message, and each way kube-proxy reads a slice differently from how it is written
//! checked with its warning.

use kubeplay_core::api::endpoints::{AddressType, EndpointAddress, EndpointPort, EndpointSlice, Endpoints};
use kubeplay_core::api::Protocol;
use kubeplay_core::load::{load_workspace, Loaded};
use kubeplay_core::simulation::SourceFile;

/// Lines 1-4 of every Endpoints test document; `subsets` starts on line 5.
const ENDPOINTS: &str = "apiVersion: v1\nkind: Endpoints\nmetadata:\n  name: db\n";
/// Lines 1-6 of every EndpointSlice test document, labelled for Service `db`.
const SLICE: &str =
    "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: db-1\n  labels:\n    kubernetes.io/service-name: db\n";
/// The API server's warning on every v1 Endpoints request (KEP-4974), at `kind`.
const DEPRECATED: &str =
    "x.yaml:2:7: warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice";

fn load(text: &str) -> Loaded {
    load_workspace(&[SourceFile::new("x.yaml", text)])
}

fn lines(loaded: &Loaded) -> Vec<String> {
    loaded.diagnostics.iter().map(|d| d.to_string()).collect()
}

fn address(ip: &str, ready: bool) -> EndpointAddress {
    EndpointAddress {
        ip: ip.parse().expect("test address"),
        ready,
        serving: ready,
        terminating: false,
        hostname: None,
        node_name: None,
    }
}

fn port(name: Option<&str>, number: u16, protocol: Protocol) -> EndpointPort {
    EndpointPort { name: name.map(str::to_string), port: number, protocol }
}

/// The Endpoints object `body` declares; its only diagnostic must be the deprecation warning.
fn endpoints(body: &str) -> Endpoints {
    let loaded = load(&format!("{ENDPOINTS}{body}"));
    assert_eq!(lines(&loaded), [DEPRECATED]);
    loaded.objects.endpoints[0].object.clone()
}

/// Asserts that the Endpoints object `body` declares is rejected with exactly `expected`
/// after the deprecation warning.
fn endpoints_rejected(body: &str, expected: &[&str]) {
    let loaded = load(&format!("{ENDPOINTS}{body}"));
    let mut all = vec![DEPRECATED.to_string()];
    all.extend(expected.iter().map(|e| e.to_string()));
    assert_eq!(lines(&loaded), all);
    assert!(loaded.objects.endpoints.is_empty());
}

/// The slice `body` declares, which must load without any diagnostic.
fn slice(body: &str) -> EndpointSlice {
    let loaded = load(&format!("{SLICE}{body}"));
    assert!(loaded.diagnostics.is_empty(), "{:#?}", loaded.diagnostics);
    loaded.objects.endpoint_slices[0].object.clone()
}

/// Asserts that the slice `body` declares loads with exactly the warnings `expected`.
fn slice_warned(body: &str, expected: &[&str]) -> EndpointSlice {
    let loaded = load(&format!("{SLICE}{body}"));
    assert_eq!(lines(&loaded), expected);
    loaded.objects.endpoint_slices[0].object.clone()
}

/// Asserts that the slice `body` declares is rejected with exactly `expected`.
fn slice_rejected(body: &str, expected: &[&str]) {
    let loaded = load(&format!("{SLICE}{body}"));
    assert_eq!(lines(&loaded), expected);
    assert!(loaded.objects.endpoint_slices.is_empty());
}

#[test]
fn endpoints_load_ready_and_not_ready_addresses_with_their_ports() {
    let got = endpoints(
        "subsets:
- addresses:
  - ip: 10.0.0.5
    hostname: db-0
    nodeName: worker
    targetRef:
      kind: Pod
      name: db-0
      namespace: default
  notReadyAddresses:
  - ip: 10.0.0.6
  ports:
  - name: pg
    port: 5432
  - name: metrics
    port: 9187
    protocol: TCP
    appProtocol: http
",
    );
    let mut ready = address("10.0.0.5", true);
    ready.hostname = Some("db-0".into());
    ready.node_name = Some("worker".into());
    assert_eq!(
        got.subsets,
        [(
            vec![ready, address("10.0.0.6", false)],
            vec![port(Some("pg"), 5432, Protocol::TCP), port(Some("metrics"), 9187, Protocol::TCP)]
        )]
    );
}

#[test]
fn endpoints_are_deprecated_with_the_api_server_warning() {
    let got = endpoints("subsets: []\n");
    assert!(got.subsets.is_empty());
}

#[test]
fn endpoints_subset_needs_addresses_or_not_ready_addresses() {
    endpoints_rejected(
        "subsets:\n- ports:\n  - port: 80\n",
        &["x.yaml:6:3: subsets[0]: Required value: must specify `addresses` or `notReadyAddresses`"],
    );
}

#[test]
fn endpoints_address_ip_must_be_a_valid_ip() {
    endpoints_rejected(
        "subsets:\n- addresses:\n  - ip: 10.0.0.300\n",
        &["x.yaml:7:9: subsets[0].addresses[0].ip: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"],
    );
    endpoints_rejected(
        "subsets:\n- notReadyAddresses:\n  - ip: 10.0.0.05\n",
        &["x.yaml:7:9: subsets[0].notReadyAddresses[0].ip: Invalid value: \"10.0.0.05\": must not have leading 0s"],
    );
}

#[test]
fn endpoints_address_may_not_be_loopback_link_local_or_unspecified() {
    endpoints_rejected(
        "subsets:\n- addresses:\n  - ip: 127.0.0.1\n  - ip: 169.254.169.254\n  - ip: 0.0.0.0\n",
        &[
            "x.yaml:7:9: subsets[0].addresses[0].ip: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)",
            "x.yaml:8:9: subsets[0].addresses[1].ip: Invalid value: \"169.254.169.254\": may not be in the link-local range (169.254.0.0/16, fe80::/10)",
            "x.yaml:9:9: subsets[0].addresses[2].ip: Invalid value: \"0.0.0.0\": may not be unspecified (0.0.0.0)",
        ],
    );
}

#[test]
fn endpoints_address_hostname_is_a_dns_label_and_node_name_a_subdomain() {
    endpoints_rejected(
        "subsets:\n- addresses:\n  - ip: 10.0.0.5\n    hostname: db.0\n    nodeName: Worker\n",
        &[
            "x.yaml:8:15: subsets[0].addresses[0].hostname: Invalid value: \"db.0\": must not contain dots",
            "x.yaml:9:15: subsets[0].addresses[0].nodeName: Invalid value: \"Worker\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ],
    );
}

#[test]
fn endpoints_port_name_is_required_when_there_are_several() {
    endpoints_rejected(
        "subsets:\n- addresses:\n  - ip: 10.0.0.5\n  ports:\n  - port: 80\n  - name: https\n    port: 443\n",
        &["x.yaml:9:5: subsets[0].ports[0].name: Required value"],
    );
}

#[test]
fn endpoints_port_must_be_in_range() {
    endpoints_rejected(
        "subsets:\n- addresses:\n  - ip: 10.0.0.5\n  ports:\n  - name: http\n",
        &["x.yaml:9:5: subsets[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive"],
    );
}

#[test]
fn endpoints_port_protocol_defaults_to_tcp_and_must_be_supported() {
    let got = endpoints("subsets:\n- addresses:\n  - ip: 10.0.0.5\n  ports:\n  - port: 53\n    protocol: \"\"\n");
    assert_eq!(got.subsets[0].1, [port(None, 53, Protocol::TCP)]);
    endpoints_rejected(
        "subsets:\n- addresses:\n  - ip: 10.0.0.5\n  ports:\n  - port: 53\n    protocol: DNS\n",
        &["x.yaml:10:15: subsets[0].ports[0].protocol: Unsupported value: \"DNS\": supported values: \"SCTP\", \"TCP\", \"UDP\""],
    );
}

#[test]
fn endpoints_port_app_protocol_is_a_qualified_name() {
    endpoints_rejected(
        "subsets:\n- addresses:\n  - ip: 10.0.0.5\n  ports:\n  - port: 80\n    appProtocol: h2 c\n",
        &["x.yaml:10:18: subsets[0].ports[0].appProtocol: Invalid value: \"h2 c\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')"],
    );
}

#[test]
fn endpoint_slice_loads_ipv4_endpoints_with_unwritten_conditions_read_as_ready() {
    // EndpointConditions: a nil `ready` or `serving` means true, a nil `terminating` false.
    let got = slice(
        "addressType: IPv4
endpoints:
- addresses: [10.0.0.5]
  hostname: db-0
  nodeName: worker
  zone: zone-a
  targetRef:
    kind: Pod
    name: db-0
ports:
- name: pg
  port: 5432
  protocol: TCP
",
    );
    assert_eq!(got.address_type, AddressType::IPv4);
    let mut expected = address("10.0.0.5", true);
    expected.hostname = Some("db-0".into());
    expected.node_name = Some("worker".into());
    assert_eq!(got.endpoints, [expected]);
    assert_eq!(got.ports, [port(Some("pg"), 5432, Protocol::TCP)]);
}

#[test]
fn endpoint_slice_conditions_are_kept_as_written() {
    let got = slice(
        "addressType: IPv4\nendpoints:\n- addresses: [10.0.0.5]\n  conditions:\n    ready: false\n    serving: true\n    terminating: true\nports:\n- port: 5432\n",
    );
    let endpoint = &got.endpoints[0];
    assert!(!endpoint.ready && endpoint.serving && endpoint.terminating);
    // A missing port name defaults to "", a missing protocol to TCP.
    assert_eq!(got.ports, [port(None, 5432, Protocol::TCP)]);
}

#[test]
fn endpoint_slice_address_type_is_required() {
    slice_rejected("endpoints: []\n", &["x.yaml:1:1: addressType: Required value"]);
}

#[test]
fn endpoint_slice_address_type_must_be_supported() {
    slice_rejected(
        "addressType: IP\n",
        &["x.yaml:7:14: addressType: Unsupported value: \"IP\": supported values: \"FQDN\", \"IPv4\", \"IPv6\""],
    );
}

#[test]
fn endpoint_slice_endpoint_needs_at_least_one_address() {
    slice_rejected(
        "addressType: IPv4\nendpoints:\n- addresses: []\n",
        &["x.yaml:9:14: endpoints[0].addresses: Required value: must contain at least 1 address"],
    );
}

#[test]
fn endpoint_slice_endpoint_holds_at_most_100_addresses() {
    let many: Vec<String> = (1..=101).map(|i| format!("10.0.{}.{}", i / 200, i % 200 + 1)).collect();
    slice_rejected(
        &format!("addressType: IPv4\nendpoints:\n- addresses: [{}]\n", many.join(", ")),
        &["x.yaml:9:14: endpoints[0].addresses: Too many: 101: must have at most 100 items"],
    );
}

#[test]
fn endpoint_slice_ipv4_addresses_must_be_ipv4() {
    slice_rejected(
        "addressType: IPv4\nendpoints:\n- addresses: [\"fd00::5\", 10.0.0.300, 010.0.0.5]\n",
        &[
            "x.yaml:9:15: endpoints[0].addresses[0]: Invalid value: \"fd00::5\": must be a valid IPv4 address",
            "x.yaml:9:26: endpoints[0].addresses[1]: Invalid value: \"10.0.0.300\": must be a valid IPv4 address",
            "x.yaml:9:38: endpoints[0].addresses[2]: Invalid value: \"010.0.0.5\": must be a valid IPv4 address",
        ],
    );
}

#[test]
fn endpoint_slice_addresses_may_not_be_link_local() {
    slice_rejected(
        "addressType: IPv4\nendpoints:\n- addresses: [169.254.0.7]\n",
        &["x.yaml:9:15: endpoints[0].addresses[0]: Invalid value: \"169.254.0.7\": may not be in the link-local range (169.254.0.0/16, fe80::/10)"],
    );
}

#[test]
fn endpoint_slice_hostname_must_be_a_dns_label() {
    slice_rejected(
        "addressType: IPv4\nendpoints:\n- addresses: [10.0.0.5]\n  hostname: DB\n",
        &["x.yaml:10:13: endpoints[0].hostname: Invalid value: \"DB\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"],
    );
}

#[test]
fn endpoint_slice_kube_proxy_uses_only_the_first_address() {
    let got = slice_warned(
        "addressType: IPv4\nendpoints:\n- addresses: [10.0.0.5, 10.0.0.6]\n",
        &["x.yaml:9:25: warning: endpoints[0].addresses[1]: kube-proxy uses only the first address of an endpoint; list each address as an endpoint of its own"],
    );
    assert_eq!(got.endpoints, [address("10.0.0.5", true)]);
}

#[test]
fn endpoint_slice_without_service_name_label_belongs_to_no_service() {
    let loaded = load(
        "apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\nmetadata:\n  name: orphan\naddressType: IPv4\nendpoints:\n- addresses: [10.0.0.5]\n",
    );
    assert_eq!(
        lines(&loaded),
        ["x.yaml:4:3: warning: metadata.labels: this EndpointSlice has no kubernetes.io/service-name label, so it belongs to no Service and kube-proxy ignores it; label it kubernetes.io/service-name: <the Service's name>"]
    );
    assert_eq!(loaded.objects.endpoint_slices.len(), 1);
}

#[test]
fn endpoint_slice_port_names_are_unique() {
    slice_rejected(
        "addressType: IPv4\nports:\n- port: 80\n- port: 8080\n",
        &["x.yaml:10:3: ports[1].name: Duplicate value: \"\""],
    );
}

#[test]
fn endpoint_slice_port_name_is_a_dns_label_and_app_protocol_a_qualified_name() {
    slice_rejected(
        "addressType: IPv4\nports:\n- name: HTTP\n  port: 80\n  appProtocol: kubernetes.io/h2c\n- name: grpc\n  port: 9090\n  appProtocol: \"-grpc\"\n",
        &[
            "x.yaml:9:9: ports[0].name: Invalid value: \"HTTP\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')",
            "x.yaml:14:16: ports[1].appProtocol: Invalid value: \"-grpc\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        ],
    );
}

#[test]
fn endpoint_slice_port_without_a_number_is_ignored_by_kube_proxy() {
    let got = slice_warned(
        "addressType: IPv4\nports:\n- name: all\n- name: zero\n  port: 0\n- name: web\n  port: 80\n",
        &[
            "x.yaml:9:3: warning: ports[0]: a port without a number means \"all ports\", which kube-proxy does not implement: it ignores this port",
            "x.yaml:11:9: warning: ports[1].port: 0 is not a port number (1-65535), so kube-proxy ignores this port",
        ],
    );
    assert_eq!(got.ports, [port(Some("web"), 80, Protocol::TCP)]);
}

#[test]
fn endpoint_slice_ipv6_and_fqdn_slices_load_without_reachable_addresses() {
    let got = slice_warned(
        "addressType: IPv6\nendpoints:\n- addresses: [\"fd00::5\"]\n",
        &["x.yaml:7:14: warning: addressType: kubeplay models an IPv4 single-stack cluster: kube-proxy does not use IPv6 EndpointSlices, so these endpoints get no traffic"],
    );
    assert_eq!(got.address_type, AddressType::IPv6);
    assert!(got.endpoints.is_empty());
    let got = slice_warned(
        "addressType: FQDN\nendpoints:\n- addresses: [db.example.com.]\n",
        &["x.yaml:7:14: warning: addressType: kubeplay models an IPv4 single-stack cluster: kube-proxy does not use FQDN EndpointSlices, so these endpoints get no traffic"],
    );
    assert!(got.endpoints.is_empty());
}

#[test]
fn endpoint_slice_ipv6_addresses_must_be_ipv6() {
    slice_rejected(
        "addressType: IPv6\nendpoints:\n- addresses: [10.0.0.5, \"::ffff:10.0.0.5\"]\n",
        &[
            "x.yaml:9:15: endpoints[0].addresses[0]: Invalid value: \"10.0.0.5\": must be a valid IPv6 address",
            "x.yaml:9:25: endpoints[0].addresses[1]: Invalid value: \"::ffff:10.0.0.5\": must be a valid IPv6 address",
        ],
    );
}

#[test]
fn endpoint_slice_fqdn_addresses_must_be_fully_qualified() {
    slice_rejected(
        "addressType: FQDN\nendpoints:\n- addresses: [db, Db.example.com]\n",
        &[
            "x.yaml:9:15: endpoints[0].addresses[0]: Invalid value: \"db\": should be a domain with at least two segments separated by dots",
            "x.yaml:9:19: endpoints[0].addresses[1]: Invalid value: \"Db.example.com\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        ],
    );
}

//! The cluster's own objects, present before the learner applies anything: the built-in
//! namespaces, the `kubernetes` Service with the Endpoints and EndpointSlice the API server
//! keeps for it, and CoreDNS (Deployment `coredns` and Service `kube-dns` in kube-system), as
//! kubeadm and kind install them.

use super::endpoint_slices::SKIP_MIRROR_LABEL;
use crate::api::cluster_config::NodeRole;
use crate::api::endpoints::{AddressType, EndpointPort, SERVICE_NAME_LABEL};
use crate::api::meta::{Labels, ObjectMeta, Protocol};
use crate::api::pod::{Container, ContainerPort, PodTemplate};
use crate::api::selector::LabelSelector;
use crate::api::service::{ClusterIpSpec, Service, ServicePort, ServiceSpec, TargetPort};
use crate::api::workload::{Deployment, WorkloadSpec};
use crate::cluster::{
    Endpoint, EndpointSliceState, EndpointSubset, EndpointsOrigin, EndpointsState, NodeId, NodeState, SliceOrigin,
};
use std::net::IpAddr;

/// The namespaces every cluster has.
pub const BUILTIN_NAMESPACES: [&str; 4] = ["default", "kube-node-lease", "kube-public", "kube-system"];

/// The CoreDNS image kind ships with Kubernetes 1.31–1.33.
pub const COREDNS_IMAGE: &str = "registry.k8s.io/coredns/coredns:v1.11.3";

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn meta(namespace: &str, name: &str, pairs: &[(&str, &str)]) -> ObjectMeta {
    ObjectMeta { name: name.into(), namespace: namespace.into(), labels: labels(pairs), annotations: Labels::new() }
}

fn port(name: &str, number: u16, protocol: Protocol) -> ServicePort {
    ServicePort {
        name: Some(name.into()),
        protocol,
        port: number,
        target_port: TargetPort::Number(number),
        node_port: None,
        app_protocol: None,
    }
}

/// `default/kubernetes`: the API server's Service at the first address of the service CIDR.
/// It has no selector; its endpoint is the control plane's API server (see the pipeline).
pub fn kubernetes_service(ip: IpAddr) -> Service {
    let mut https = port("https", 443, Protocol::TCP);
    https.target_port = TargetPort::Number(6443);
    Service {
        meta: meta("default", "kubernetes", &[("component", "apiserver"), ("provider", "kubernetes")]),
        spec: ServiceSpec { ports: vec![https], cluster_ip: ClusterIpSpec::Fixed(ip), ..Default::default() },
    }
}

/// The API server's own endpoints for `default/kubernetes`: each control-plane node's address on
/// port 6443, as the API server's endpoint reconciler writes them
/// (`pkg/controlplane/reconcilers`, `endpointsadapter.go`): the Endpoints object carries
/// `endpointslice.kubernetes.io/skip-mirror: "true"`, the EndpointSlice only
/// `kubernetes.io/service-name`; the addresses have no node name and are simply ready.
pub fn api_server_endpoints(nodes: &[NodeState]) -> (EndpointsState, EndpointSliceState) {
    let ports = vec![EndpointPort { name: Some("https".into()), port: 6443, protocol: Protocol::TCP }];
    let endpoints: Vec<Endpoint> = nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| n.role == NodeRole::ControlPlane)
        .map(|(i, n)| Endpoint {
            pod: None,
            ip: IpAddr::V4(n.internal_ip),
            node: Some(NodeId(i as u16)),
            node_name: None,
            ready: true,
            serving: true,
            terminating: false,
            hostname: None,
        })
        .collect();
    let object = EndpointsState {
        name: "kubernetes".into(),
        namespace: "default".into(),
        origin: EndpointsOrigin::ApiServer,
        labels: labels(&[(SKIP_MIRROR_LABEL, "true")]),
        annotations: Labels::new(),
        subsets: vec![EndpointSubset {
            addresses: endpoints.clone(),
            not_ready_addresses: Vec::new(),
            ports: ports.clone(),
        }],
    };
    let slice = EndpointSliceState {
        name: "kubernetes".into(),
        namespace: "default".into(),
        service: Some("kubernetes".into()),
        origin: SliceOrigin::ApiServer,
        address_type: AddressType::IPv4,
        labels: labels(&[(SERVICE_NAME_LABEL, "kubernetes")]),
        annotations: Labels::new(),
        ports,
        endpoints,
    };
    (object, slice)
}

/// `kube-system/kube-dns`: CoreDNS behind the tenth address of the service CIDR.
pub fn kube_dns_service(ip: IpAddr) -> Service {
    Service {
        meta: meta(
            "kube-system",
            "kube-dns",
            &[("k8s-app", "kube-dns"), ("kubernetes.io/cluster-service", "true"), ("kubernetes.io/name", "CoreDNS")],
        ),
        spec: ServiceSpec {
            selector: Some(labels(&[("k8s-app", "kube-dns")])),
            ports: vec![
                port("dns", 53, Protocol::UDP),
                port("dns-tcp", 53, Protocol::TCP),
                port("metrics", 9153, Protocol::TCP),
            ],
            cluster_ip: ClusterIpSpec::Fixed(ip),
            ..Default::default()
        },
    }
}

/// `kube-system/coredns`: two replicas serving DNS on 53/UDP and 53/TCP.
pub fn coredns_deployment() -> Deployment {
    let pod_labels = labels(&[("k8s-app", "kube-dns")]);
    let container_port = |name: &str, number: u16, protocol: Protocol| ContainerPort {
        name: Some(name.into()),
        container_port: number,
        protocol,
        host_port: None,
    };
    let mut template = PodTemplate { labels: pod_labels.clone(), ready: true, ..Default::default() };
    template.spec.containers.push(Container {
        name: "coredns".into(),
        image: COREDNS_IMAGE.into(),
        ports: vec![
            container_port("dns", 53, Protocol::UDP),
            container_port("dns-tcp", 53, Protocol::TCP),
            container_port("metrics", 9153, Protocol::TCP),
        ],
    });
    template.spec.node_selector = labels(&[("kubernetes.io/os", "linux")]);
    template.spec.dns_policy = crate::api::pod::DnsPolicy::Default;
    Deployment {
        meta: meta("kube-system", "coredns", &[("k8s-app", "kube-dns")]),
        spec: WorkloadSpec { replicas: 2, selector: LabelSelector::from_labels(pod_labels), template },
    }
}

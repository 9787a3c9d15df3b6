//! Pods, pod templates and containers.

use super::meta::{ObjectMeta, Protocol};

/// A container port, as declared in `containers[].ports[]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContainerPort {
    /// The port's IANA_SVC_NAME, which Services and NetworkPolicies may refer to.
    pub name: Option<String>,
    pub container_port: u16,
    pub protocol: Protocol,
    /// A port on the node forwarded to this container, when set.
    pub host_port: Option<u16>,
}

/// A container: the model only needs its name, image and ports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Container {
    pub name: String,
    pub image: String,
    pub ports: Vec<ContainerPort>,
}

/// `dnsPolicy`: which resolv.conf the kubelet writes for the pod.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum DnsPolicy {
    #[default]
    ClusterFirst,
    ClusterFirstWithHostNet,
    Default,
    None,
}

impl DnsPolicy {
    /// Every policy, sorted as the API server lists supported values.
    pub const ALL: [DnsPolicy; 4] =
        [DnsPolicy::ClusterFirst, DnsPolicy::ClusterFirstWithHostNet, DnsPolicy::Default, DnsPolicy::None];

    /// The policy as written in YAML.
    pub fn as_str(self) -> &'static str {
        match self {
            DnsPolicy::ClusterFirst => "ClusterFirst",
            DnsPolicy::ClusterFirstWithHostNet => "ClusterFirstWithHostNet",
            DnsPolicy::Default => "Default",
            DnsPolicy::None => "None",
        }
    }
}

/// `dnsConfig`: resolver settings merged into (or, with dnsPolicy None, making up) resolv.conf.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct DnsConfig {
    pub nameservers: Vec<String>,
    pub searches: Vec<String>,
    /// `options` entries: name and optional value (`ndots` / `"2"`).
    pub options: Vec<(String, Option<String>)>,
}

/// What a pod runs and where: the part of a Pod that a template stamps out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PodSpec {
    pub containers: Vec<Container>,
    /// A node the pod must run on (`spec.nodeName`), bypassing the scheduler.
    pub node_name: Option<String>,
    /// Node labels the scheduler must find on the chosen node.
    pub node_selector: super::Labels,
    pub host_network: bool,
    pub hostname: Option<String>,
    pub subdomain: Option<String>,
    pub dns_policy: DnsPolicy,
    pub dns_config: Option<DnsConfig>,
    /// `enableServiceLinks` (default true): whether the kubelet sets environment variables for
    /// the Services of the pod's namespace; those of `default/kubernetes` are set regardless.
    pub enable_service_links: bool,
}

impl Default for PodSpec {
    fn default() -> Self {
        PodSpec {
            containers: Vec::new(),
            node_name: None,
            node_selector: super::Labels::new(),
            host_network: false,
            hostname: None,
            subdomain: None,
            dns_policy: DnsPolicy::default(),
            dns_config: None,
            enable_service_links: true,
        }
    }
}

impl PodSpec {
    /// Every container port of the pod, in declaration order.
    pub fn ports(&self) -> impl Iterator<Item = &ContainerPort> {
        self.containers.iter().flat_map(|c| c.ports.iter())
    }

    /// The number of the first container port named `name` with `protocol`, as kube-proxy and
    /// the EndpointSlice controller resolve a named targetPort.
    pub fn named_port(&self, name: &str, protocol: Protocol) -> Option<u16> {
        self.ports().find(|p| p.name.as_deref() == Some(name) && p.protocol == protocol).map(|p| p.container_port)
    }
}

/// A pod template (`spec.template` of a workload): the labels and spec each replica gets.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PodTemplate {
    pub labels: super::Labels,
    pub annotations: super::Labels,
    pub spec: PodSpec,
    /// Whether pods from this template report Ready (see [`Pod::ready`]).
    pub ready: bool,
}

/// A pod as declared by a learner (a bare Pod) or stamped out by a controller.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pod {
    pub meta: ObjectMeta,
    pub spec: PodSpec,
    /// Readiness. The playground has no running containers, so readiness is declared: a Pod's
    /// `status.conditions` entry of type Ready, or the `kubeplay.dev/ready` annotation on a pod
    /// or pod template; pods are Ready unless one of them says "False".
    pub ready: bool,
}

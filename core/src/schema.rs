//! The fields a learner can write, per kind, each with a one-line explanation in our own
//! words, and the two questions an editor asks about them: what may I write here
//! ([`complete`]), and what is this ([`explain`]).
//!
//! The schema lists the fields the model reads (the loaders accept more, such as a
//! container's `command`, and ignore them; those are left out so that completion only offers
//! what changes the picture). Each [`Field`] has a [`Shape`] named the way `kubectl explain`
//! names types (`<string>`, `<[]Object>`, `<map[string]string>`), and enumerations carry a
//! line about each value, so hovering `NodePort` says what a NodePort Service is.
//!
//! Completion works on text that is being typed, so it cannot wait for a YAML parser to
//! succeed: [`complete`] and [`explain`] read the cursor's place from indentation alone, the
//! way a person reads a YAML file: the document around the cursor (between `---` lines), its
//! top-level `kind:`, and the chain of less-indented keys and `- ` list items above the cursor.
//! Flow collections are understood only on the cursor's own line (`policyTypes: [Ingress, E`);
//! block scalars (`|`) are not recognised, so text inside one may be read as keys.
//!
//! Positions are 1-based lines and 1-based columns counted in characters, as in
//! [`crate::diag::Pos`]. Tests check every field against the loaders: each is read by the
//! model (writing it raises no "unknown field"), and each enumerated value is accepted.

use crate::api::Kind;

/// One field of an object, as it is written in YAML.
#[derive(Debug, PartialEq, Eq)]
pub struct Field {
    /// The key, as written (`targetPort`).
    pub name: &'static str,
    /// What its value looks like.
    pub shape: Shape,
    /// What it means, in one line.
    pub about: &'static str,
}

/// What a field's value looks like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    String,
    Integer,
    Boolean,
    /// A number or a name, such as a port (`80` or `http`).
    IntOrString,
    /// One of a fixed set of strings.
    Enum(&'static [EnumValue]),
    /// Free string keys with string values, such as labels.
    StringMap,
    /// A nested object with its own fields.
    Object(&'static [Field]),
    /// A list of objects.
    ObjectList(&'static [Field]),
    /// A list of strings.
    StringList,
    /// A list whose items are each one of a fixed set of strings.
    EnumList(&'static [EnumValue]),
}

impl Shape {
    /// The type as `kubectl explain` prints it.
    pub fn type_name(self) -> &'static str {
        match self {
            Shape::String | Shape::Enum(_) => "<string>",
            Shape::Integer => "<integer>",
            Shape::Boolean => "<boolean>",
            Shape::IntOrString => "<IntOrString>",
            Shape::StringMap => "<map[string]string>",
            Shape::Object(_) => "<Object>",
            Shape::ObjectList(_) => "<[]Object>",
            Shape::StringList | Shape::EnumList(_) => "<[]string>",
        }
    }

    /// The values allowed for the field (or for each item of the list), if they are fixed.
    pub fn values(self) -> &'static [EnumValue] {
        match self {
            Shape::Enum(values) | Shape::EnumList(values) => values,
            Shape::Boolean => BOOLEANS,
            _ => &[],
        }
    }
}

/// One allowed value of an enumerated field.
#[derive(Debug, PartialEq, Eq)]
pub struct EnumValue {
    /// The value as written.
    pub name: &'static str,
    /// What choosing it does, in one line.
    pub about: &'static str,
}

const fn field(name: &'static str, shape: Shape, about: &'static str) -> Field {
    Field { name, shape, about }
}

const fn value(name: &'static str, about: &'static str) -> EnumValue {
    EnumValue { name, about }
}

const BOOLEANS: &[EnumValue] = &[value("true", "yes"), value("false", "no")];

const PROTOCOLS: &[EnumValue] = &[
    value("TCP", "a connection-oriented stream; the default"),
    value("UDP", "single datagrams, no connection; DNS queries use it"),
    value("SCTP", "message-oriented, used by telecom software; rare in tutorials"),
];

const META: &[Field] = &[
    field("name", Shape::String, "The object's name, unique among objects of its kind in its namespace."),
    field("namespace", Shape::String, "The namespace the object lives in; `default` when left out."),
    field("labels", Shape::StringMap, "Key-value tags that selectors (Services, Deployments, policies) match on."),
    field("annotations", Shape::StringMap, "Key-value notes for tools; selectors never look at them."),
];

const TEMPLATE_META: &[Field] = &[
    field(
        "labels",
        Shape::StringMap,
        "The labels every pod created from this template carries; the selector must match them.",
    ),
    field("annotations", Shape::StringMap, "Annotations copied onto every pod created from this template."),
];

const REQUIREMENT: &[Field] = &[
    field("key", Shape::String, "The label key the rule looks at."),
    field(
        "operator",
        Shape::Enum(&[
            value("In", "the label's value is one of `values`"),
            value("NotIn", "the label is missing or its value is none of `values`"),
            value("Exists", "the label is present, whatever its value"),
            value("DoesNotExist", "the label is absent"),
        ]),
        "How the label is compared with `values`.",
    ),
    field("values", Shape::StringList, "The values for In and NotIn; must be empty for Exists and DoesNotExist."),
];

const SELECTOR: &[Field] = &[
    field("matchLabels", Shape::StringMap, "Labels an object must carry, all of them, with exactly these values."),
    field("matchExpressions", Shape::ObjectList(REQUIREMENT), "Set-based rules, all of which must hold as well."),
];

const CONTAINER_PORT: &[Field] = &[
    field(
        "name",
        Shape::String,
        "A name for the port, which a Service's targetPort can refer to instead of the number.",
    ),
    field("containerPort", Shape::Integer, "The port the process listens on, on the pod's IP."),
    field("protocol", Shape::Enum(PROTOCOLS), "The transport protocol; TCP when left out."),
    field(
        "hostPort",
        Shape::Integer,
        "Also expose the port on the node's IP at this port; it occupies the port on that node.",
    ),
    field(
        "hostIP",
        Shape::String,
        "The node address the hostPort binds to; all of the node's addresses when left out.",
    ),
];

const CONTAINER: &[Field] = &[
    field("name", Shape::String, "The container's name, unique within the pod."),
    field("image", Shape::String, "The image the container would run; kubeplay never pulls it."),
    field(
        "ports",
        Shape::ObjectList(CONTAINER_PORT),
        "The ports the container listens on: documentation, and names for Services to use.",
    ),
];

const DNS_OPTION: &[Field] = &[
    field("name", Shape::String, "A resolver option such as `ndots`."),
    field("value", Shape::String, "The option's value, for options that take one (`ndots: \"2\"`)."),
];

const DNS_CONFIG: &[Field] = &[
    field("nameservers", Shape::StringList, "Extra DNS servers written into the pod's /etc/resolv.conf."),
    field("searches", Shape::StringList, "Extra search domains appended to the pod's search list."),
    field("options", Shape::ObjectList(DNS_OPTION), "Resolver options for /etc/resolv.conf, such as ndots."),
];

const CONTAINERS: Field =
    field("containers", Shape::ObjectList(CONTAINER), "The containers of the pod; they share its IP address.");
const NODE_NAME: Field = field("nodeName", Shape::String, "Put the pod on this node directly, skipping the scheduler.");
const NODE_SELECTOR: Field =
    field("nodeSelector", Shape::StringMap, "Labels a node must carry for the pod to be scheduled there.");
const HOST_NETWORK: Field = field(
    "hostNetwork",
    Shape::Boolean,
    "Use the node's network namespace: the pod gets the node's IP instead of its own.",
);
const HOSTNAME: Field = field("hostname", Shape::String, "The pod's host name; the pod's name when left out.");
const SUBDOMAIN: Field = field(
    "subdomain",
    Shape::String,
    "With a headless Service of this name, gives the pod the DNS name hostname.subdomain.",
);
const DNS_POLICY: Field = field(
    "dnsPolicy",
    Shape::Enum(&[
        value("ClusterFirst", "resolve through the cluster DNS (kube-dns); the default"),
        value("ClusterFirstWithHostNet", "cluster DNS even for a pod on the host network"),
        value("Default", "inherit the node's resolver configuration, not the cluster DNS"),
        value("None", "no generated configuration: dnsConfig supplies all of it"),
    ]),
    "Where the pod's /etc/resolv.conf comes from.",
);
const DNS_CONFIG_FIELD: Field =
    field("dnsConfig", Shape::Object(DNS_CONFIG), "Additions to the pod's /etc/resolv.conf.");
const SERVICE_LINKS: Field = field(
    "enableServiceLinks",
    Shape::Boolean,
    "Whether Services are announced to the containers as environment variables; true by default.",
);

const POD_SPEC: &[Field] = &[
    CONTAINERS,
    NODE_NAME,
    NODE_SELECTOR,
    HOST_NETWORK,
    HOSTNAME,
    SUBDOMAIN,
    DNS_POLICY,
    DNS_CONFIG_FIELD,
    field(
        "restartPolicy",
        Shape::Enum(&[
            value("Always", "restart containers whenever they stop; the default"),
            value("OnFailure", "restart containers that exit with an error"),
            value("Never", "never restart containers"),
        ]),
        "When containers are restarted.",
    ),
    field("activeDeadlineSeconds", Shape::Integer, "How long the pod may run before it is stopped."),
    SERVICE_LINKS,
];

/// A workload's pod template: its pods must restart forever and run without a deadline.
const TEMPLATE_POD_SPEC: &[Field] = &[
    CONTAINERS,
    NODE_NAME,
    NODE_SELECTOR,
    HOST_NETWORK,
    HOSTNAME,
    SUBDOMAIN,
    DNS_POLICY,
    DNS_CONFIG_FIELD,
    field(
        "restartPolicy",
        Shape::Enum(&[value("Always", "restart containers whenever they stop; the only choice in a workload")]),
        "When containers are restarted.",
    ),
    SERVICE_LINKS,
];

const TEMPLATE: &[Field] = &[
    field("metadata", Shape::Object(TEMPLATE_META), "Labels and annotations of the pods this template creates."),
    field("spec", Shape::Object(TEMPLATE_POD_SPEC), "The spec of every pod created from this template."),
];

const CONDITION: &[Field] = &[
    field("type", Shape::String, "Which condition; kubeplay reads `Ready`."),
    field(
        "status",
        Shape::Enum(&[
            value("True", "the condition holds"),
            value("False", "the condition does not hold: for Ready, the pod is left out of Services"),
            value("Unknown", "nobody knows yet"),
        ]),
        "Whether the condition holds; `Ready: \"False\"` declares the pod not ready.",
    ),
];

const POD_STATUS: &[Field] = &[field(
    "conditions",
    Shape::ObjectList(CONDITION),
    "Declared conditions; a Ready condition with status False makes the pod not ready.",
)];

const DEPLOYMENT_SPEC: &[Field] = &[
    field(
        "replicas",
        Shape::Integer,
        "How many pods to run; 1 when left out. The playground creates at most 2000 pods in all.",
    ),
    field(
        "selector",
        Shape::Object(SELECTOR),
        "Which pods belong to this Deployment; must match the template's labels.",
    ),
    field("template", Shape::Object(TEMPLATE), "The pod to create, as many times as replicas says."),
    field("minReadySeconds", Shape::Integer, "How long a new pod must be ready before it counts as available."),
    field("revisionHistoryLimit", Shape::Integer, "How many old ReplicaSets to keep for rollbacks."),
    field("progressDeadlineSeconds", Shape::Integer, "How long a rollout may take before it is reported as stuck."),
];

const REPLICA_SET_SPEC: &[Field] = &[
    field(
        "replicas",
        Shape::Integer,
        "How many pods to run; 1 when left out. The playground creates at most 2000 pods in all.",
    ),
    field(
        "selector",
        Shape::Object(SELECTOR),
        "Which pods belong to this ReplicaSet; must match the template's labels.",
    ),
    field("template", Shape::Object(TEMPLATE), "The pod to create, as many times as replicas says."),
    field("minReadySeconds", Shape::Integer, "How long a new pod must be ready before it counts as available."),
];

const STATEFUL_SET_SPEC: &[Field] = &[
    field(
        "replicas",
        Shape::Integer,
        "How many pods to run, named NAME-0, NAME-1, …; 1 when left out. The playground creates at most 2000 pods \
         in all.",
    ),
    field("serviceName", Shape::String, "The headless Service that gives each pod a stable DNS name."),
    field(
        "selector",
        Shape::Object(SELECTOR),
        "Which pods belong to this StatefulSet; must match the template's labels.",
    ),
    field("template", Shape::Object(TEMPLATE), "The pod to create for each ordinal."),
    field(
        "podManagementPolicy",
        Shape::Enum(&[
            value("OrderedReady", "create pods one at a time, in order; the default"),
            value("Parallel", "create all pods at once"),
        ]),
        "Whether pods are created one by one or all together.",
    ),
    field("minReadySeconds", Shape::Integer, "How long a new pod must be ready before it counts as available."),
];

const SERVICE_TYPES: &[EnumValue] = &[
    value("ClusterIP", "a virtual IP reachable only inside the cluster; the default"),
    value("NodePort", "a ClusterIP, plus the same port opened on every node's IP (30000-32767)"),
    value("LoadBalancer", "a NodePort, plus an external address from the cloud's load balancer"),
    value("ExternalName", "no proxying at all: the Service's DNS name is a CNAME to externalName"),
];

const TRAFFIC_POLICIES: &[EnumValue] = &[
    value("Cluster", "send traffic to any ready endpoint in the cluster; the default"),
    value("Local", "send traffic only to endpoints on the node it arrived at, keeping the client's IP"),
];

const SERVICE_PORT: &[Field] = &[
    field("name", Shape::String, "The port's name; required when the Service has more than one port."),
    field("protocol", Shape::Enum(PROTOCOLS), "The transport protocol; TCP when left out."),
    field("port", Shape::Integer, "The port clients connect to, on the Service's ClusterIP."),
    field(
        "targetPort",
        Shape::IntOrString,
        "The port on the pods that traffic goes to: a number or a container port's name; `port` when left out.",
    ),
    field(
        "nodePort",
        Shape::Integer,
        "For NodePort and LoadBalancer: the port opened on every node; picked from 30000-32767 when left out.",
    ),
    field("appProtocol", Shape::String, "A hint about the application protocol (such as `http`) for proxies."),
];

const CLIENT_IP: &[Field] = &[field(
    "timeoutSeconds",
    Shape::Integer,
    "How long a client stays pinned to the same pod; 10800 (3 hours) by default.",
)];

const AFFINITY_CONFIG: &[Field] =
    &[field("clientIP", Shape::Object(CLIENT_IP), "Settings for ClientIP session affinity.")];

const SERVICE_SPEC: &[Field] = &[
    field("type", Shape::Enum(SERVICE_TYPES), "How the Service is exposed; ClusterIP when left out."),
    field("selector", Shape::StringMap, "Labels a pod must carry, all of them, to receive this Service's traffic."),
    field("ports", Shape::ObjectList(SERVICE_PORT), "The ports the Service listens on and where each one forwards."),
    field(
        "clusterIP",
        Shape::String,
        "The Service's virtual IP; allocated when left out, `None` for a headless Service.",
    ),
    field("clusterIPs", Shape::StringList, "The Service's virtual IPs, one per IP family; kubeplay models one."),
    field("externalName", Shape::String, "For ExternalName: the DNS name the Service's name is an alias for."),
    field("externalIPs", Shape::StringList, "Extra addresses that nodes accept traffic for, on the Service's ports."),
    field(
        "externalTrafficPolicy",
        Shape::Enum(TRAFFIC_POLICIES),
        "Where traffic from outside the cluster may be sent.",
    ),
    field("internalTrafficPolicy", Shape::Enum(TRAFFIC_POLICIES), "Where traffic from inside the cluster may be sent."),
    field(
        "sessionAffinity",
        Shape::Enum(&[
            value("None", "each connection may go to any endpoint; the default"),
            value("ClientIP", "connections from one client IP keep going to the same pod"),
        ]),
        "Whether a client sticks to one pod.",
    ),
    field("sessionAffinityConfig", Shape::Object(AFFINITY_CONFIG), "Settings for session affinity."),
    field("loadBalancerIP", Shape::String, "An external address to ask the load balancer for (deprecated upstream)."),
    field(
        "loadBalancerSourceRanges",
        Shape::StringList,
        "CIDRs allowed to reach the load balancer; everyone when left out.",
    ),
    field("loadBalancerClass", Shape::String, "Which load balancer implementation should serve this Service."),
    field(
        "publishNotReadyAddresses",
        Shape::Boolean,
        "List pods as endpoints even before they are ready (used for peer discovery).",
    ),
    field(
        "trafficDistribution",
        Shape::Enum(&[
            value("PreferClose", "prefer endpoints topologically close to the client"),
            value("PreferSameZone", "prefer endpoints in the client's zone"),
            value("PreferSameNode", "prefer endpoints on the client's node"),
        ]),
        "A preference for nearby endpoints.",
    ),
    field(
        "allocateLoadBalancerNodePorts",
        Shape::Boolean,
        "For LoadBalancer: whether node ports are allocated too; true by default.",
    ),
    field(
        "ipFamilies",
        Shape::EnumList(&[value("IPv4", "an IPv4 ClusterIP"), value("IPv6", "an IPv6 ClusterIP (not modeled)")]),
        "The IP families of the Service's ClusterIPs.",
    ),
    field(
        "ipFamilyPolicy",
        Shape::Enum(&[
            value("SingleStack", "one IP family"),
            value("PreferDualStack", "both families when the cluster has them (not modeled)"),
            value("RequireDualStack", "both families, or fail (not modeled)"),
        ]),
        "Whether the Service wants one IP family or two.",
    ),
    field(
        "healthCheckNodePort",
        Shape::Integer,
        "For LoadBalancer with externalTrafficPolicy Local: the node port the load balancer probes.",
    ),
];

const IP_BLOCK: &[Field] = &[
    field("cidr", Shape::String, "A range of IP addresses, such as 10.0.0.0/8."),
    field("except", Shape::StringList, "Ranges inside cidr that are left out."),
];

const PEER: &[Field] = &[
    field(
        "podSelector",
        Shape::Object(SELECTOR),
        "Pods with these labels, in the policy's namespace unless namespaceSelector is set in the same item.",
    ),
    field(
        "namespaceSelector",
        Shape::Object(SELECTOR),
        "All pods of namespaces with these labels (with podSelector in the same item: both must match).",
    ),
    field("ipBlock", Shape::Object(IP_BLOCK), "Addresses by CIDR, typically outside the cluster."),
];

const POLICY_PORT: &[Field] = &[
    field("protocol", Shape::Enum(PROTOCOLS), "The transport protocol; TCP when left out."),
    field("port", Shape::IntOrString, "A port number or a named container port; every port when left out."),
    field("endPort", Shape::Integer, "With a numeric port: the last port of the range port..endPort."),
];

const INGRESS_RULE: &[Field] = &[
    field(
        "from",
        Shape::ObjectList(PEER),
        "Who may connect; each item is an alternative (OR), everyone when left out.",
    ),
    field("ports", Shape::ObjectList(POLICY_PORT), "Which destination ports are allowed; all ports when left out."),
];

const EGRESS_RULE: &[Field] = &[
    field(
        "to",
        Shape::ObjectList(PEER),
        "Where the pods may connect; each item is an alternative (OR), anywhere when left out.",
    ),
    field("ports", Shape::ObjectList(POLICY_PORT), "Which destination ports are allowed; all ports when left out."),
];

const NETWORK_POLICY_SPEC: &[Field] = &[
    field(
        "podSelector",
        Shape::Object(SELECTOR),
        "The pods this policy applies to, in its namespace; `{}` selects them all.",
    ),
    field(
        "policyTypes",
        Shape::EnumList(&[
            value("Ingress", "the selected pods accept only the incoming traffic some policy allows"),
            value("Egress", "the selected pods may send only the outgoing traffic some policy allows"),
        ]),
        "Which directions the policy isolates; Ingress, plus Egress when egress rules are written, when left out.",
    ),
    field("ingress", Shape::ObjectList(INGRESS_RULE), "Incoming traffic to allow; an empty list allows none."),
    field(
        "egress",
        Shape::ObjectList(EGRESS_RULE),
        "Outgoing traffic to allow; an empty list allows none (not even DNS).",
    ),
];

const BACKEND_PORT: &[Field] = &[
    field("number", Shape::Integer, "The Service's port number."),
    field("name", Shape::String, "The name of the Service's port, instead of its number."),
];

const BACKEND_SERVICE: &[Field] = &[
    field("name", Shape::String, "The Service to send the requests to, in the Ingress's namespace."),
    field("port", Shape::Object(BACKEND_PORT), "Which port of that Service."),
];

const BACKEND_RESOURCE: &[Field] = &[
    field("apiGroup", Shape::String, "The API group of the object."),
    field("kind", Shape::String, "The kind of the object."),
    field("name", Shape::String, "The object's name."),
];

const BACKEND: &[Field] = &[
    field("service", Shape::Object(BACKEND_SERVICE), "A Service to send matching requests to."),
    field(
        "resource",
        Shape::Object(BACKEND_RESOURCE),
        "Another object to send matching requests to, such as a storage bucket.",
    ),
];

const HTTP_PATH: &[Field] = &[
    field("path", Shape::String, "The URL path to match, starting with /."),
    field(
        "pathType",
        Shape::Enum(&[
            value(
                "Prefix",
                "matches the path and everything below it, element by element (/app matches /app/x, not /apple)",
            ),
            value("Exact", "matches this exact path only"),
            value("ImplementationSpecific", "the ingress controller decides how to match"),
        ]),
        "How the path is matched; required.",
    ),
    field("backend", Shape::Object(BACKEND), "Where matching requests go."),
];

const HTTP_RULE: &[Field] = &[field("paths", Shape::ObjectList(HTTP_PATH), "Paths and the backend each one sends to.")];

const INGRESS_RULE_L7: &[Field] = &[
    field("host", Shape::String, "The host name this rule answers for; every host when left out."),
    field("http", Shape::Object(HTTP_RULE), "The HTTP paths of this host."),
];

const INGRESS_TLS: &[Field] = &[
    field("hosts", Shape::StringList, "Host names covered by the certificate."),
    field("secretName", Shape::String, "The Secret holding the certificate and key."),
];

const INGRESS_SPEC: &[Field] = &[
    field("ingressClassName", Shape::String, "Which ingress controller serves this Ingress (an IngressClass's name)."),
    field("defaultBackend", Shape::Object(BACKEND), "Where requests that match no rule go."),
    field("rules", Shape::ObjectList(INGRESS_RULE_L7), "Host and path rules, each with a backend."),
    field("tls", Shape::ObjectList(INGRESS_TLS), "Which hosts are served over HTTPS, and with which certificate."),
];

const CLASS_PARAMETERS: &[Field] = &[
    field("apiGroup", Shape::String, "The API group of the parameters object."),
    field("kind", Shape::String, "The kind of the parameters object."),
    field("name", Shape::String, "The parameters object's name."),
    field(
        "scope",
        Shape::Enum(&[
            value("Cluster", "the parameters object is cluster-wide; the default"),
            value("Namespace", "the parameters object lives in `namespace`"),
        ]),
        "Whether the parameters object is namespaced.",
    ),
    field("namespace", Shape::String, "The parameters object's namespace, with scope Namespace."),
];

const INGRESS_CLASS_SPEC: &[Field] = &[
    field("controller", Shape::String, "The ingress controller implementing this class, such as k8s.io/ingress-nginx."),
    field("parameters", Shape::Object(CLASS_PARAMETERS), "An object holding the controller's settings."),
];

const ENDPOINT_REF: &[Field] = &[
    field("kind", Shape::String, "The kind of the object behind the address, usually Pod."),
    field("namespace", Shape::String, "That object's namespace."),
    field("name", Shape::String, "That object's name."),
];

const ENDPOINT_ADDRESS: &[Field] = &[
    field("ip", Shape::String, "The endpoint's IP address."),
    field("hostname", Shape::String, "A host name for the endpoint, for DNS."),
    field("nodeName", Shape::String, "The node the endpoint runs on."),
    field("targetRef", Shape::Object(ENDPOINT_REF), "The object (usually a pod) behind the address."),
];

const ENDPOINT_PORT: &[Field] = &[
    field("name", Shape::String, "Must equal the name of the Service port it serves."),
    field("port", Shape::Integer, "The port on the endpoints."),
    field("protocol", Shape::Enum(PROTOCOLS), "The transport protocol; TCP when left out."),
    field("appProtocol", Shape::String, "A hint about the application protocol."),
];

const SUBSET: &[Field] = &[
    field("addresses", Shape::ObjectList(ENDPOINT_ADDRESS), "Ready addresses: they receive traffic."),
    field("notReadyAddresses", Shape::ObjectList(ENDPOINT_ADDRESS), "Addresses that exist but receive no traffic."),
    field("ports", Shape::ObjectList(ENDPOINT_PORT), "The ports all these addresses serve."),
];

const SLICE_CONDITIONS: &[Field] = &[
    field("ready", Shape::Boolean, "Whether the endpoint receives traffic."),
    field("serving", Shape::Boolean, "Whether the endpoint answers, even while terminating."),
    field("terminating", Shape::Boolean, "Whether the endpoint is shutting down."),
];

const SLICE_ENDPOINT: &[Field] = &[
    field("addresses", Shape::StringList, "The endpoint's address (one)."),
    field("conditions", Shape::Object(SLICE_CONDITIONS), "Whether it is ready, serving, terminating."),
    field("hostname", Shape::String, "A host name for the endpoint, for DNS."),
    field("nodeName", Shape::String, "The node the endpoint runs on."),
    field("targetRef", Shape::Object(ENDPOINT_REF), "The object (usually a pod) behind the address."),
];

const CLUSTER_NODE: &[Field] = &[
    field(
        "role",
        Shape::Enum(&[
            value("control-plane", "runs the API server and system pods; tainted against ordinary pods"),
            value("worker", "runs the learners' pods"),
        ]),
        "What the node is for.",
    ),
    field("labels", Shape::StringMap, "Labels on the node, for nodeSelector."),
];

const CLUSTER_NETWORKING: &[Field] = &[
    field(
        "podSubnet",
        Shape::String,
        "The range pod IPs come from; each node gets a /24 of it. 10.244.0.0/16 by default.",
    ),
    field("serviceSubnet", Shape::String, "The range ClusterIPs come from. 10.96.0.0/12 by default."),
    field(
        "kubeProxyMode",
        Shape::Enum(&[
            value("iptables", "kube-proxy writes iptables rules; the default"),
            value("nftables", "kube-proxy writes nftables rules"),
            value("ipvs", "kube-proxy programs the kernel's IPVS load balancer"),
            value("none", "no kube-proxy"),
        ]),
        "How kube-proxy implements Services.",
    ),
    field(
        "ipFamily",
        Shape::Enum(&[
            value("ipv4", "IPv4 only; the default and the only one modeled"),
            value("ipv6", "IPv6 only (not modeled)"),
            value("dual", "both (not modeled)"),
        ]),
        "The cluster's IP family.",
    ),
];

const KUBEPLAY_LB: &[Field] = &[
    field(
        "provider",
        Shape::Enum(&[
            value("pool", "LoadBalancer Services get addresses from `addresses`; the default"),
            value("none", "no load balancer: external IPs stay <pending>"),
        ]),
        "Whether LoadBalancer Services get an external address.",
    ),
    field("addresses", Shape::String, "The pool, as FIRST-LAST or a CIDR."),
];

const KUBEPLAY_BLOCK: &[Field] = &[
    field(
        "cni",
        Shape::Enum(&[
            value("kindnet", "kind's default network plugin; does not enforce NetworkPolicies"),
            value("calico", "a network plugin that enforces NetworkPolicies"),
            value("cilium", "an eBPF network plugin that enforces NetworkPolicies"),
            value("flannel", "a simple overlay network; does not enforce NetworkPolicies"),
        ]),
        "The network plugin, which decides whether NetworkPolicies are enforced.",
    ),
    field("loadBalancer", Shape::Object(KUBEPLAY_LB), "Where LoadBalancer Services get their external addresses."),
    field("nodeSubnet", Shape::String, "The range node IPs come from."),
    field("clusterDomain", Shape::String, "The DNS suffix of the cluster; cluster.local by default."),
];

const API_VERSION: Field =
    field("apiVersion", Shape::String, "The API group and version of the kind, such as apps/v1.");
const KIND: Field = field("kind", Shape::String, "What sort of object this document declares.");
const METADATA: Field = field("metadata", Shape::Object(META), "The object's name, namespace, labels and annotations.");

/// Every kind the schema describes, what it is, and its top-level fields.
const KINDS: &[(Kind, &str, &[Field])] = &[
    (
        Kind::Deployment,
        "runs a number of identical pods and replaces them on change",
        &[
            API_VERSION,
            KIND,
            METADATA,
            field("spec", Shape::Object(DEPLOYMENT_SPEC), "How many pods, which ones, and what they look like."),
        ],
    ),
    (
        Kind::Service,
        "one stable address in front of a changing set of pods",
        &[
            API_VERSION,
            KIND,
            METADATA,
            field(
                "spec",
                Shape::Object(SERVICE_SPEC),
                "Which pods the Service sends to, on which ports, and how it is exposed.",
            ),
        ],
    ),
    (
        Kind::Pod,
        "one or more containers sharing an IP address, on one node",
        &[
            API_VERSION,
            KIND,
            METADATA,
            field("spec", Shape::Object(POD_SPEC), "The pod's containers and where and how it runs."),
            field("status", Shape::Object(POD_STATUS), "Declared status; kubeplay reads the Ready condition."),
        ],
    ),
    (
        Kind::NetworkPolicy,
        "a firewall for the pods it selects",
        &[
            API_VERSION,
            KIND,
            METADATA,
            field(
                "spec",
                Shape::Object(NETWORK_POLICY_SPEC),
                "Which pods are isolated, and what traffic they still allow.",
            ),
        ],
    ),
    (
        Kind::Ingress,
        "HTTP routing by host and path to Services",
        &[
            API_VERSION,
            KIND,
            METADATA,
            field("spec", Shape::Object(INGRESS_SPEC), "Which requests go to which Service."),
        ],
    ),
    (
        Kind::IngressClass,
        "names an ingress controller that Ingresses can ask for",
        &[
            API_VERSION,
            KIND,
            METADATA,
            field("spec", Shape::Object(INGRESS_CLASS_SPEC), "The controller behind the class."),
        ],
    ),
    (Kind::Namespace, "a named group of objects", &[API_VERSION, KIND, METADATA]),
    (
        Kind::ConfigMap,
        "configuration as key-value pairs",
        &[API_VERSION, KIND, METADATA, field("data", Shape::StringMap, "The configuration entries.")],
    ),
    (
        Kind::ReplicaSet,
        "keeps a number of identical pods running (Deployments manage these)",
        &[
            API_VERSION,
            KIND,
            METADATA,
            field("spec", Shape::Object(REPLICA_SET_SPEC), "How many pods, which ones, and what they look like."),
        ],
    ),
    (
        Kind::StatefulSet,
        "pods with stable names and DNS names, NAME-0, NAME-1, …",
        &[
            API_VERSION,
            KIND,
            METADATA,
            field("spec", Shape::Object(STATEFUL_SET_SPEC), "How many pods, their Service, and what they look like."),
        ],
    ),
    (
        Kind::Endpoints,
        "the addresses behind a Service, written by hand for a Service without a selector",
        &[
            API_VERSION,
            KIND,
            METADATA,
            field("subsets", Shape::ObjectList(SUBSET), "Groups of addresses that serve the same ports."),
        ],
    ),
    (
        Kind::EndpointSlice,
        "a slice of the endpoints behind a Service",
        &[
            API_VERSION,
            KIND,
            METADATA,
            field(
                "addressType",
                Shape::Enum(&[
                    value("IPv4", "the endpoints are IPv4 addresses"),
                    value("IPv6", "the endpoints are IPv6 addresses (not modeled)"),
                    value("FQDN", "the endpoints are DNS names"),
                ]),
                "What sort of addresses the slice holds.",
            ),
            field(
                "endpoints",
                Shape::ObjectList(SLICE_ENDPOINT),
                "The endpoints, each with its address and readiness.",
            ),
            field("ports", Shape::ObjectList(ENDPOINT_PORT), "The ports every endpoint serves."),
        ],
    ),
    (
        Kind::Cluster,
        "the cluster's topology, in kind's configuration format",
        &[
            API_VERSION,
            KIND,
            field("name", Shape::String, "The cluster's name."),
            field("nodes", Shape::ObjectList(CLUSTER_NODE), "The nodes; one control-plane node when left out."),
            field(
                "networking",
                Shape::Object(CLUSTER_NETWORKING),
                "Pod and Service address ranges and the proxy mode.",
            ),
            field(
                "kubeplay",
                Shape::Object(KUBEPLAY_BLOCK),
                "kubeplay's own settings: network plugin and load balancer.",
            ),
        ],
    ),
];

/// The top-level fields of a document whose kind is not known yet.
const ANY_KIND: &[Field] = &[
    API_VERSION,
    KIND,
    METADATA,
    field("spec", Shape::Object(&[]), "What the object should be; its fields depend on the kind."),
];

/// The kinds the schema describes, each with one line about it, in the order completion offers them.
pub fn kinds() -> impl Iterator<Item = (Kind, &'static str)> {
    KINDS.iter().map(|(kind, about, _)| (*kind, *about))
}

/// The top-level fields of `kind`; `None` for a kind the schema does not describe.
pub fn fields_of(kind: Kind) -> Option<&'static [Field]> {
    KINDS.iter().find(|(k, _, _)| *k == kind).map(|(_, _, fields)| *fields)
}

fn kind_named(name: &str) -> Option<Kind> {
    KINDS.iter().map(|(k, _, _)| *k).find(|k| k.as_str() == name)
}

/// One step of a path from a document's root: a key, or "an item of this list".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    Key(String),
    Item,
}

/// What a completion offers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suggestion {
    /// A field name, to write as a key.
    Field(&'static Field),
    /// A value of an enumerated field or list.
    Value(&'static EnumValue),
    /// A kind, for `kind:`.
    Kind(Kind, &'static str),
    /// An apiVersion, for `apiVersion:`, with the kinds it serves.
    ApiVersion(&'static str),
}

impl Suggestion {
    /// The text the suggestion writes.
    pub fn label(self) -> &'static str {
        match self {
            Suggestion::Field(f) => f.name,
            Suggestion::Value(v) => v.name,
            Suggestion::Kind(k, _) => k.as_str(),
            Suggestion::ApiVersion(v) => v,
        }
    }
}

/// What is at a position, for a hover: the field, its path, and the value there if the field
/// is enumerated and the value is one of its values.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    /// The document's kind, when known.
    pub kind: Option<Kind>,
    /// The field's path from the document root, with `[]` for list items (`spec.ports[].protocol`).
    pub path: String,
    pub field: &'static Field,
    pub value: Option<&'static EnumValue>,
}

/// The suggestions for the cursor at `line`, `column` of `text`: the fields that may be
/// written there, or the values the field being written may take. Empty where nothing is
/// known (inside labels, a comment, an unknown field).
pub fn complete(text: &str, line: u32, column: u32) -> Vec<Suggestion> {
    let Some(place) = Place::at(text, line, column) else { return Vec::new() };
    let kind = place.kind.as_deref().and_then(kind_named);
    match &place.at {
        At::Key => match resolve(kind, &place.parents) {
            Some(Container::Fields(fields)) => fields.iter().map(Suggestion::Field).collect(),
            Some(Container::Values(values)) => values.iter().map(Suggestion::Value).collect(),
            None => Vec::new(),
        },
        At::Value(key) => {
            if place.parents.is_empty() && key == "kind" {
                return kinds().map(|(k, about)| Suggestion::Kind(k, about)).collect();
            }
            if place.parents.is_empty() && key == "apiVersion" {
                let mut versions: Vec<&'static str> = match kind {
                    Some(kind) => vec![kind.api_version()],
                    None => kinds().map(|(k, _)| k.api_version()).collect(),
                };
                versions.sort_unstable();
                versions.dedup();
                return versions.into_iter().map(Suggestion::ApiVersion).collect();
            }
            match resolve(kind, &place.parents) {
                Some(Container::Fields(fields)) => match fields.iter().find(|f| f.name == key) {
                    Some(f) => f.shape.values().iter().map(Suggestion::Value).collect(),
                    None => Vec::new(),
                },
                _ => Vec::new(),
            }
        }
    }
}

/// What the field at `line`, `column` of `text` is: the key under the cursor, or the key
/// whose value is under the cursor. `None` where the schema knows nothing.
pub fn explain(text: &str, line: u32, column: u32) -> Option<Explanation> {
    let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
    let index = usize::try_from(line).ok()?.checked_sub(1)?;
    let parsed = Line::parse(lines.get(index)?);
    let column = usize::try_from(column).ok()?.checked_sub(1)?;
    if parsed.content.is_empty() || parsed.content.starts_with('#') || column < parsed.content_col {
        return None;
    }
    let (start, end) = document(&lines, index)?;
    let kind_name = document_kind(&lines[start..end]);
    let kind = kind_name.and_then(kind_named);
    let mut parents = parents_above(&lines[start..index], parsed.content_col, parsed.last_dash);
    let (name, written) = match split_key(parsed.content) {
        Some((key, rest)) => (key, rest),
        None => {
            // A list item's scalar, such as `- Ingress`: explain the list's field and the value.
            let (Some(Step::Item), Some(Step::Key(key))) = (parents.pop(), parents.pop()) else { return None };
            let field = lookup_field(kind, &parents, &key)?;
            let value = field.shape.values().iter().find(|v| v.name == unquote(strip_comment(parsed.content)));
            parents.push(Step::Key(key));
            return Some(Explanation { kind, path: path_string(&parents) + "[]", field, value });
        }
    };
    let field = lookup_field(kind, &parents, name)?;
    let value = field.shape.values().iter().find(|v| v.name == unquote(strip_comment(written)));
    parents.push(Step::Key(name.to_string()));
    Some(Explanation { kind, path: path_string(&parents), field, value })
}

fn lookup_field(kind: Option<Kind>, parents: &[Step], name: &str) -> Option<&'static Field> {
    match resolve(kind, parents)? {
        Container::Fields(fields) => fields.iter().find(|f| f.name == name),
        Container::Values(_) => None,
    }
}

fn path_string(steps: &[Step]) -> String {
    let mut out = String::new();
    for step in steps {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(key);
            }
            Step::Item => out.push_str("[]"),
        }
    }
    out
}

/// What the cursor sits in: the fields of an object, or the values of an enumerated list.
enum Container {
    Fields(&'static [Field]),
    Values(&'static [EnumValue]),
}

/// The container at `steps` below the root of a document of `kind`.
fn resolve(kind: Option<Kind>, steps: &[Step]) -> Option<Container> {
    let top = match kind {
        Some(kind) => fields_of(kind)?,
        None if steps.is_empty() => ANY_KIND,
        None => return None,
    };
    let mut shape = Shape::Object(top);
    let mut steps = steps.iter();
    loop {
        let step = steps.next();
        match (shape, step) {
            (Shape::Object(fields), None) => return Some(Container::Fields(fields)),
            (Shape::Object(fields), Some(Step::Key(key))) => shape = fields.iter().find(|f| f.name == key)?.shape,
            (Shape::ObjectList(fields), Some(Step::Item)) => shape = Shape::Object(fields),
            (Shape::EnumList(values), Some(Step::Item)) if steps.len() == 0 => return Some(Container::Values(values)),
            _ => return None,
        }
    }
}

/// Where the cursor is: in which document, below which keys, writing a key or a value.
struct Place {
    kind: Option<String>,
    parents: Vec<Step>,
    at: At,
}

enum At {
    /// Writing a key (or a list item's value, when the parents end in an enumerated list).
    Key,
    /// Writing the value of this key.
    Value(String),
}

impl Place {
    fn at(text: &str, line: u32, column: u32) -> Option<Place> {
        let lines: Vec<&str> = text.split('\n').map(|l| l.strip_suffix('\r').unwrap_or(l)).collect();
        let index = usize::try_from(line).ok()?.checked_sub(1)?;
        let full = *lines.get(index)?;
        let column = usize::try_from(column).ok()?.checked_sub(1)?;
        let cut = full.char_indices().nth(column).map_or(full.len(), |(i, _)| i);
        let prefix = &full[..cut];
        let (start, end) = document(&lines, index)?;
        let kind = document_kind(&lines[start..end]).map(str::to_string);
        let parsed = Line::parse(prefix);
        if parsed.content.contains(" #") || parsed.content.starts_with('#') {
            return None;
        }
        let mut parents = parents_above(&lines[start..index], parsed.content_col, parsed.last_dash);
        let at = match split_key(parsed.content) {
            Some((key, rest)) => {
                if let Some(flow) = rest.strip_prefix('[') {
                    // `policyTypes: [Ingress, E`: an item of the flow list.
                    if flow.contains(']') {
                        return None;
                    }
                    parents.push(Step::Key(key.to_string()));
                    parents.push(Step::Item);
                    At::Key
                } else if rest.starts_with(['{', '|', '>', '&', '*', '!']) {
                    return None;
                } else {
                    At::Value(key.to_string())
                }
            }
            None if parsed.content.chars().all(|c| c.is_ascii_alphanumeric() || "_-./\"'".contains(c)) => At::Key,
            None => return None,
        };
        Some(Place { kind, parents, at })
    }
}

/// One line split into its indentation, its `- ` list markers and its content.
struct Line<'t> {
    /// The column (0-based) where the content starts, after spaces and `- ` markers.
    content_col: usize,
    /// The column of the last `- ` marker, if the line starts a list item.
    last_dash: Option<usize>,
    content: &'t str,
}

impl<'t> Line<'t> {
    fn parse(text: &'t str) -> Line<'t> {
        let bytes = text.as_bytes();
        let mut i = 0;
        let mut last_dash = None;
        loop {
            while i < bytes.len() && bytes[i] == b' ' {
                i += 1;
            }
            if i < bytes.len() && bytes[i] == b'-' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') {
                last_dash = Some(i);
                i += 1;
            } else {
                break;
            }
        }
        // Spaces, dashes and the ASCII before them are one byte per column.
        Line { content_col: i, last_dash, content: text[i..].trim_end() }
    }
}

/// `key: rest` → `(key, rest)`, where the colon is followed by a space or ends the text.
fn split_key(content: &str) -> Option<(&str, &str)> {
    let bytes = content.as_bytes();
    let mut quote = None;
    for (i, &b) in bytes.iter().enumerate() {
        match (quote, b) {
            (None, b'"' | b'\'') if i == 0 => quote = Some(b),
            (Some(q), _) if b == q => quote = None,
            (Some(_), _) => {}
            (None, b'#') if i == 0 || bytes[i - 1] == b' ' => return None,
            (None, b':') if i + 1 == bytes.len() || bytes[i + 1] == b' ' || bytes[i + 1] == b'\t' => {
                return Some((unquote(content[..i].trim()), content[i + 1..].trim_start()));
            }
            (None, b'{' | b'[') if i == 0 => return None,
            _ => {}
        }
    }
    None
}

fn unquote(text: &str) -> &str {
    let t = text.trim();
    for q in ['"', '\''] {
        if let Some(inner) = t.strip_prefix(q).and_then(|t| t.strip_suffix(q)) {
            return inner;
        }
    }
    t
}

fn strip_comment(value: &str) -> &str {
    match value.find(" #") {
        Some(i) => &value[..i],
        None if value.starts_with('#') => "",
        None => value,
    }
}

/// The lines `start..end` of the document holding line `index`, between `---` lines.
fn document(lines: &[&str], index: usize) -> Option<(usize, usize)> {
    let separator = |l: &&str| *l == "---" || l.starts_with("--- ") || *l == "...";
    if separator(&lines[index]) {
        return None;
    }
    let start = lines[..index].iter().rposition(separator).map_or(0, |i| i + 1);
    let end = lines[index..].iter().position(separator).map_or(lines.len(), |i| index + i);
    Some((start, end))
}

/// The value of the document's top-level `kind:`.
fn document_kind<'t>(lines: &[&'t str]) -> Option<&'t str> {
    lines.iter().find_map(|l| {
        let rest = l.strip_prefix("kind:")?;
        Some(unquote(strip_comment(rest.trim())))
    })
}

/// The keys and list items enclosing a line whose content starts at `col` (after a `- `
/// marker at `dash`, if any), read upwards through `above` by indentation.
fn parents_above(above: &[&str], col: usize, dash: Option<usize>) -> Vec<Step> {
    let mut steps = Vec::new();
    let mut target = col;
    // While set, the enclosing mapping is an item of a list whose `- ` markers sit at this
    // column; the next line left of it (or at it, without a marker) names the list.
    let mut item_of = dash;
    for text in above.iter().rev() {
        let line = Line::parse(text);
        if line.content.is_empty() || line.content.starts_with('#') {
            continue;
        }
        let indent = line.last_dash.map_or(line.content_col, |_| text.len() - text.trim_start().len());
        if let Some(d) = item_of {
            let sibling = indent == d && line.last_dash.is_some();
            if indent > d || sibling {
                continue;
            }
            let Some((key, _)) = split_key(line.content) else { return Vec::new() };
            steps.push(Step::Item);
            steps.push(Step::Key(key.to_string()));
            target = line.content_col;
            item_of = line.last_dash;
            continue;
        }
        if line.content_col > target {
            continue;
        }
        if line.content_col == target {
            if line.last_dash.is_some() {
                item_of = line.last_dash;
            }
            continue;
        }
        let Some((key, _)) = split_key(line.content) else { return Vec::new() };
        steps.push(Step::Key(key.to_string()));
        target = line.content_col;
        item_of = line.last_dash;
    }
    steps.reverse();
    steps
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::simulation::{Simulation, SourceFile};

    /// The labels suggested at the `|` in `text`.
    fn labels_at(text: &str) -> Vec<&'static str> {
        let (line, column) = cursor(text);
        complete(&text.replace('|', ""), line, column).into_iter().map(Suggestion::label).collect()
    }

    fn cursor(text: &str) -> (u32, u32) {
        let offset = text.find('|').expect("a cursor");
        let before = &text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().unwrap_or_default().chars().count() + 1;
        (line as u32, column as u32)
    }

    fn explained_at(text: &str) -> Option<(String, &'static str, Option<&'static str>)> {
        let (line, column) = cursor(text);
        explain(&text.replace('|', ""), line, column).map(|e| (e.path, e.field.name, e.value.map(|v| v.name)))
    }

    #[test]
    fn top_level_fields_before_and_after_the_kind() {
        assert_eq!(labels_at("|"), ["apiVersion", "kind", "metadata", "spec"]);
        assert_eq!(labels_at("kind: Pod\nst|"), ["apiVersion", "kind", "metadata", "spec", "status"]);
        assert_eq!(labels_at("kind: |"), kinds().map(|(k, _)| k.as_str()).collect::<Vec<_>>());
        assert_eq!(labels_at("apiVersion: |\nkind: Deployment\n"), ["apps/v1"]);
    }

    #[test]
    fn service_type_protocols_and_port_fields() {
        let service = "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: |\n";
        assert_eq!(labels_at(service), ["ClusterIP", "NodePort", "LoadBalancer", "ExternalName"]);
        let port = "kind: Service\nspec:\n  ports:\n  - name: http\n    protocol: |\n";
        assert_eq!(labels_at(port), ["TCP", "UDP", "SCTP"]);
        let key = "kind: Service\nspec:\n  ports:\n  - name: http\n    |\n";
        assert_eq!(labels_at(key), ["name", "protocol", "port", "targetPort", "nodePort", "appProtocol"]);
        let first_key = "kind: Service\nspec:\n  selector:\n    app: web\n  ports:\n    - |";
        assert!(labels_at(first_key).contains(&"targetPort"));
        // Inside labels the keys are the learner's own.
        assert_eq!(labels_at("kind: Service\nspec:\n  selector:\n    |\n"), Vec::<&str>::new());
    }

    #[test]
    fn ingress_path_type_and_policy_types() {
        let ingress = "kind: Ingress\nspec:\n  rules:\n  - host: a.example\n    http:\n      paths:\n      - path: /\n        pathType: |\n";
        assert_eq!(labels_at(ingress), ["Prefix", "Exact", "ImplementationSpecific"]);
        let block = "kind: NetworkPolicy\nspec:\n  podSelector: {}\n  policyTypes:\n  - Ingress\n  - |\n";
        assert_eq!(labels_at(block), ["Ingress", "Egress"]);
        let flow = "kind: NetworkPolicy\nspec:\n  policyTypes: [Ingress, |\n";
        assert_eq!(labels_at(flow), ["Ingress", "Egress"]);
        let peer = "kind: NetworkPolicy\nspec:\n  ingress:\n  - from:\n    - |\n";
        assert_eq!(labels_at(peer), ["podSelector", "namespaceSelector", "ipBlock"]);
        let policy_port = "kind: NetworkPolicy\nspec:\n  egress:\n  - ports:\n    - port: 53\n      protocol: |";
        assert_eq!(labels_at(policy_port), ["TCP", "UDP", "SCTP"]);
    }

    #[test]
    fn the_document_under_the_cursor_decides_the_kind() {
        let text = "kind: Service\nspec:\n  type: NodePort\n---\nkind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        |\n";
        assert_eq!(labels_at(text), ["name", "image", "ports"]);
        assert_eq!(
            labels_at("kind: Deployment\nspec:\n  replicas: 3\n  |"),
            ["replicas", "selector", "template", "minReadySeconds", "revisionHistoryLimit", "progressDeadlineSeconds"]
        );
    }

    #[test]
    fn nothing_in_comments_unknown_fields_or_block_values() {
        assert!(labels_at("kind: Service\nspec:\n  # ty|").is_empty());
        assert!(labels_at("kind: Service\nspec:\n  bogus:\n    |").is_empty());
        assert!(labels_at("kind: Service\nspec:\n  type: |\n".replace("kind: Service", "kind: Nonsense").as_str())
            .is_empty());
    }

    #[test]
    fn hover_explains_keys_values_and_list_items() {
        let text = "kind: Service\nspec:\n  type: Node|Port\n  ports:\n  - port: 80\n";
        assert_eq!(explained_at(text), Some(("spec.type".into(), "type", Some("NodePort"))));
        let text = "kind: Service\nspec:\n  ports:\n  - na|me: http\n    port: 80\n";
        assert_eq!(explained_at(text), Some(("spec.ports[].name".into(), "name", None)));
        let text = "kind: NetworkPolicy\nspec:\n  policyTypes:\n  - Egr|ess\n";
        assert_eq!(explained_at(text), Some(("spec.policyTypes[]".into(), "policyTypes", Some("Egress"))));
        assert_eq!(explained_at("kind: Service\nspec:\n  selector:\n    a|pp: web\n"), None);
    }

    #[test]
    fn positions_count_characters_not_bytes() {
        let text = "kind: Service\nmetadata:\n  annotations:\n    note: \"café ☕\"\nspec:\n  type: |";
        assert_eq!(labels_at(text).len(), 4);
    }

    /// A document of `kind` that sets the field at `path` (each key with whether it holds a
    /// list of objects) to `value`, writing each list item's first key on its `- ` line.
    fn document_with(kind: Kind, path: &[(&str, bool)], value: &str) -> String {
        let mut out = format!("apiVersion: {}\nkind: {}\n", kind.api_version(), kind.as_str());
        if kind == Kind::Cluster {
            out.push_str("name: c\n");
        } else if path.first().map(|(k, _)| *k) != Some("metadata") {
            out.push_str("metadata:\n  name: x\n");
        }
        let mut indent = 0;
        let mut after_dash = false;
        for (i, (key, is_list)) in path.iter().enumerate() {
            let pad = if after_dash { String::new() } else { " ".repeat(indent) };
            after_dash = false;
            if i + 1 == path.len() {
                out.push_str(&format!("{pad}{key}: {value}\n"));
            } else if *is_list {
                out.push_str(&format!("{pad}{key}:\n{}- ", " ".repeat(indent)));
                indent += 2;
                after_dash = true;
            } else {
                out.push_str(&format!("{pad}{key}:\n"));
                indent += 2;
            }
        }
        out
    }

    /// A placeholder of the right type for a field, so that decoding goes on past it.
    fn sample(shape: Shape) -> String {
        match shape {
            Shape::String => "\"x\"".into(),
            Shape::Integer => "1".into(),
            Shape::Boolean => "true".into(),
            Shape::IntOrString => "80".into(),
            Shape::Enum(values) => values[0].name.into(),
            Shape::StringMap => "{a: b}".into(),
            Shape::Object(_) => "{}".into(),
            Shape::ObjectList(_) => "[]".into(),
            Shape::StringList => "[\"x\"]".into(),
            Shape::EnumList(values) => format!("[{}]", values[0].name),
        }
    }

    /// A field path as written: each key, with whether it holds a list of objects.
    type Path<'a> = [(&'a str, bool)];

    /// Calls `f` with the path and the field of every field below `fields`, depth first.
    fn each_field(fields: &'static [Field], path: &mut Vec<(&'static str, bool)>, f: &mut dyn FnMut(&Path, &Field)) {
        for field in fields {
            path.push((field.name, matches!(field.shape, Shape::ObjectList(_))));
            f(path, field);
            match field.shape {
                Shape::Object(inner) | Shape::ObjectList(inner) => each_field(inner, path, f),
                _ => {}
            }
            path.pop();
        }
    }

    fn diagnostics_of(text: &str) -> Vec<String> {
        let outcome = Simulation::new().apply(&[SourceFile::new("t.yaml", text)]);
        outcome.diagnostics.iter().map(|d| format!("{}: {}", d.field, d.message)).collect()
    }

    fn field_path(path: &[(&str, bool)]) -> String {
        let mut out = String::new();
        for (i, (key, is_list)) in path.iter().enumerate() {
            if i > 0 {
                out.push('.');
            }
            out.push_str(key);
            if *is_list && i + 1 < path.len() {
                out.push_str("[0]");
            }
        }
        out
    }

    #[test]
    fn every_field_is_read_by_the_model_and_a_misspelling_is_not() {
        let mut checked = 0;
        let mut failures = Vec::new();
        for (kind, _, fields) in KINDS {
            each_field(fields, &mut Vec::new(), &mut |path, field| {
                if matches!(field.name, "apiVersion" | "kind") && path.len() == 1 {
                    return;
                }
                let text = document_with(*kind, path, &sample(field.shape));
                let unknown: Vec<String> =
                    diagnostics_of(&text).into_iter().filter(|d| d.contains("unknown field")).collect();
                if !unknown.is_empty() {
                    failures.push(format!("{kind} {}: {unknown:?}", field_path(path)));
                }
                let mut misspelt: Vec<(&str, bool)> = path.to_vec();
                let wrong = format!("{}Zz", field.name);
                misspelt.last_mut().expect("a field").0 = &wrong;
                let text = document_with(*kind, &misspelt, &sample(field.shape));
                let expected = format!("unknown field \"{}\"", field_path(&misspelt));
                if !diagnostics_of(&text).iter().any(|d| d.contains(&expected)) {
                    failures.push(format!("{kind} {}: a misspelling is not reported", field_path(path)));
                }
                checked += 1;
            });
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(checked > 150, "only {checked} fields checked");
    }

    #[test]
    fn every_enumerated_value_is_accepted_by_the_model() {
        let mut checked = 0;
        for (kind, _, fields) in KINDS {
            each_field(fields, &mut Vec::new(), &mut |path, field| {
                let (values, at) = match field.shape {
                    Shape::Enum(values) => (values, field_path(path)),
                    Shape::EnumList(values) => (values, format!("{}[0]", field_path(path))),
                    _ => return,
                };
                for v in values.iter().filter(|v| !v.about.contains("not modeled")) {
                    let written = match field.shape {
                        Shape::EnumList(_) => format!("[{}]", v.name),
                        _ => v.name.to_string(),
                    };
                    let text = document_with(*kind, path, &written);
                    let outcome = Simulation::new().apply(&[SourceFile::new("t.yaml", text.as_str())]);
                    let refused: Vec<&str> = outcome
                        .diagnostics
                        .iter()
                        .filter(|d| d.field == at || d.field == field_path(path))
                        .map(|d| d.message.as_str())
                        // Some values are refused in some contexts only ("may only be set for
                        // externally-accessible services"); a refused value reads like these.
                        .filter(|m| {
                            m.starts_with("Unsupported value")
                                || m.starts_with("invalid ")
                                || m.contains("is not a valid")
                        })
                        .collect();
                    assert!(refused.is_empty(), "{kind} {at}: {}: {refused:?}\n{text}", v.name);
                    checked += 1;
                }
            });
        }
        assert!(checked > 50, "only {checked} values checked");
    }
}

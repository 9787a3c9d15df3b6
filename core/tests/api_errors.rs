//! The API server's answers to invalid manifests, as a table.
//!
//! Each row is a small manifest and every line kubeplay must print for it (`Diagnostic`'s
//! Display: `file:line:col: field: message (hint)`), nothing more and nothing less. The
//! expected lines were written from the upstream rules each row names (Kubernetes'
//! `pkg/apis/core/validation`, `pkg/apis/apps/validation`, the v1 defaulting, the Service
//! registry's allocators, `pkg/api/{pod,service}/warnings.go`, kubectl's own checks, kind's
//! `Cluster.Validate`) and kubeplay's location rule: an error sits at the value of its field,
//! or at the nearest ancestor the learner wrote; decoding errors sit at the offending key or
//! value. Values that are not strings or numbers are echoed as JSON, as apimachinery has done
//! since 1.34. Manifests go through `Simulation::apply`, so allocation errors are included.

use kubeplay_core::simulation::{Simulation, SourceFile};

/// Applies `text` as `x.yaml` to a fresh cluster and returns every diagnostic, printed.
fn apply(text: &str) -> Vec<String> {
    let mut sim = Simulation::new();
    let outcome = sim.apply(&[SourceFile::new("x.yaml", text)]);
    outcome.diagnostics.iter().map(ToString::to_string).collect()
}

/// Checks every row, reporting all mismatches at once.
fn check(rows: &[(&str, &str, &[&str])]) {
    let mut failures = Vec::new();
    for (name, text, expected) in rows {
        let got = apply(text);
        if got != *expected {
            failures.push(format!("{name}:\n  expected: {expected:#?}\n  got:      {got:#?}"));
        }
    }
    assert!(failures.is_empty(), "{} of {} rows differ:\n{}", failures.len(), rows.len(), failures.join("\n"));
}

/// Services: `ValidateService`, `validateServicePort`, `ValidateServiceClusterIPsRelatedFields`,
/// `validateServiceExternalTrafficPolicy`, `validateClientIPAffinityConfig`, and allocation.
const SERVICES: &[(&str, &str, &[&str])] = &[
    (
        // Strict field validation: unknown field, with the known field it was probably meant to be.
        "misspelt targetport",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n  ports:\n  - port: 80\n    targetport: 8080\n",
        &[r#"x.yaml:10:5: spec.ports[0].targetport: unknown field "spec.ports[0].targetport" (did you mean "targetPort"?)"#],
    ),
    (
        // The node-port allocator: ErrNotInRange.
        "nodePort 80 is outside the node-port range",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 80\n",
        &["x.yaml:9:15: spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767"],
    ),
    (
        // ValidateService: nodePort only where the type allocates one.
        "nodePort on a ClusterIP Service",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    nodePort: 30080\n",
        &["x.yaml:8:15: spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"],
    ),
    (
        // The node-port allocator: ErrAllocated; the first Service applied keeps the port.
        "the same nodePort in two Services",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: a\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30080\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: b\nspec:\n  type: NodePort\n  ports:\n  - port: 80\n    nodePort: 30080\n",
        &["x.yaml:19:15: spec.ports[0].nodePort: Invalid value: 30080: provided port is already allocated"],
    ),
    (
        // ValidateService: duplicate (protocol, nodePort) within one Service.
        "the same nodePort twice in one Service",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  ports:\n  - name: a\n    port: 80\n    nodePort: 30080\n  - name: b\n    port: 81\n    nodePort: 30080\n",
        &["x.yaml:13:15: spec.ports[1].nodePort: Duplicate value: 30080"],
    ),
    (
        // ValidateServiceName is NameIsDNS1035Label.
        "Service name with upper case",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: Web\nspec:\n  ports:\n  - port: 80\n",
        &[concat!("x.yaml:4:9: metadata.name: Invalid value: \"Web\": ", "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")],
    ),
    (
        "Service name with dots",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web.v1\nspec:\n  ports:\n  - port: 80\n",
        &[concat!("x.yaml:4:9: metadata.name: Invalid value: \"web.v1\": ", "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')")],
    ),
    (
        // Decoding: `yes` is a boolean in YAML 1.1; labels are map[string]string.
        "label value yes unquoted",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\n  labels:\n    public: yes\nspec:\n  ports:\n  - port: 80\n",
        &[r#"x.yaml:6:13: metadata.labels[public]: expected a string, got boolean true (quote it to make it a string: "yes")"#],
    ),
    (
        // ValidateService -> validateServicePort: names are required with more than one port.
        "multi-port Service without names",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n  - port: 443\n",
        &["x.yaml:7:5: spec.ports[0].name: Required value", "x.yaml:8:5: spec.ports[1].name: Required value"],
    ),
    (
        "two ports with the same name",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - name: http\n    port: 80\n  - name: http\n    port: 8080\n",
        &[r#"x.yaml:9:11: spec.ports[1].name: Duplicate value: "http""#],
    ),
    (
        // ValidateService: duplicate (protocol, port); the key is the internal core.ServicePort.
        "two ports with the same number and protocol",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - name: a\n    port: 80\n  - name: b\n    port: 80\n",
        &[r#"x.yaml:9:5: spec.ports[1]: Duplicate value: {"Name":"","Protocol":"TCP","AppProtocol":null,"Port":80,"TargetPort":0,"NodePort":0}"#],
    ),
    (
        // IsValidPortNum on port, and on targetPort, which defaulting set to the port (0).
        "a port without a number",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - name: web\n",
        &[
            "x.yaml:7:5: spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
            "x.yaml:7:5: spec.ports[0].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive",
        ],
    ),
    (
        // ValidatePortNumOrName: a string targetPort is an IANA_SVC_NAME.
        "targetPort name in upper case",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    targetPort: HTTP\n",
        &[
            r#"x.yaml:8:17: spec.ports[0].targetPort: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"#,
            r#"x.yaml:8:17: spec.ports[0].targetPort: Invalid value: "HTTP": must contain at least one letter (a-z)"#,
        ],
    ),
    (
        "targetPort name longer than 15 characters",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    targetPort: web-server-metrics\n",
        &[r#"x.yaml:8:17: spec.ports[0].targetPort: Invalid value: "web-server-metrics": must be no more than 15 characters"#],
    ),
    (
        "targetPort number out of range",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n    targetPort: 70000\n",
        &["x.yaml:8:17: spec.ports[0].targetPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
    ),
    (
        "protocol in lower case",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 53\n    protocol: udp\n",
        &[r#"x.yaml:8:15: spec.ports[0].protocol: Unsupported value: "udp": supported values: "SCTP", "TCP", "UDP""#],
    ),
    (
        "ports are required",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web\n",
        &["x.yaml:6:3: spec.ports: Required value"],
    ),
    (
        "a type that does not exist",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: Nodeport\n  ports:\n  - port: 80\n",
        &[r#"x.yaml:6:9: spec.type: Unsupported value: "Nodeport": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort""#],
    ),
    (
        // ValidateService, ExternalName case: ClusterIPs (normalized from clusterIP) must be empty.
        "ExternalName with a clusterIP",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: db.example.com\n  clusterIP: 10.96.5.5\n",
        &["x.yaml:8:14: spec.clusterIPs: Forbidden: may not be set for ExternalName services"],
    ),
    (
        "ExternalName without externalName",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n",
        &["x.yaml:6:3: spec.externalName: Required value"],
    ),
    (
        "ExternalName with an underscore",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: db\nspec:\n  type: ExternalName\n  externalName: db_1.example.com.\n",
        &[r#"x.yaml:7:17: spec.externalName: Invalid value: "db_1.example.com": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"#],
    ),
    (
        "headless NodePort Service",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  clusterIP: None\n  ports:\n  - port: 80\n",
        &[r#"x.yaml:7:14: spec.clusterIPs[0]: Invalid value: "None": may not be set to 'None' for NodePort services"#],
    ),
    (
        "externalTrafficPolicy Local on a ClusterIP Service",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  externalTrafficPolicy: Local\n  ports:\n  - port: 80\n",
        &[r#"x.yaml:6:26: spec.externalTrafficPolicy: Invalid value: "Local": may only be set for externally-accessible services"#],
    ),
    (
        // Any value, even the default, is refused where the Service is not externally accessible.
        "externalTrafficPolicy Cluster on a ClusterIP Service",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  externalTrafficPolicy: Cluster\n  ports:\n  - port: 80\n",
        &[r#"x.yaml:6:26: spec.externalTrafficPolicy: Invalid value: "Cluster": may only be set for externally-accessible services"#],
    ),
    (
        "externalTrafficPolicy in lower case on a NodePort Service",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  type: NodePort\n  externalTrafficPolicy: local\n  ports:\n  - port: 80\n",
        &[r#"x.yaml:7:26: spec.externalTrafficPolicy: Unsupported value: "local": supported values: "Cluster", "Local""#],
    ),
    (
        "ClientIP affinity timeout of 0",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 0\n  ports:\n  - port: 80\n",
        &["x.yaml:9:23: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400"],
    ),
    (
        "ClientIP affinity timeout over a day",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  sessionAffinity: ClientIP\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 86401\n  ports:\n  - port: 80\n",
        &["x.yaml:9:23: spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 86401: must be greater than 0 and less than 86400"],
    ),
    (
        "sessionAffinity that does not exist",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  sessionAffinity: Sticky\n  ports:\n  - port: 80\n",
        &[r#"x.yaml:6:20: spec.sessionAffinity: Unsupported value: "Sticky": supported values: "ClientIP", "None""#],
    ),
    (
        // ValidateServiceClusterIPsRelatedFields: clusterIPs alone is not synced into clusterIP.
        "clusterIPs without clusterIP",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIPs: [10.96.5.5]\n  ports:\n  - port: 80\n",
        &[r#"x.yaml:6:15: spec.clusterIPs: Invalid value: ["10.96.5.5"]: must be empty when `clusterIP` is not specified"#],
    ),
    (
        "clusterIP that is no address",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: 10.96.0.300\n  ports:\n  - port: 80\n",
        &[r#"x.yaml:6:14: spec.clusterIPs[0]: Invalid value: "10.96.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"#],
    ),
    (
        // ValidateService: IsValidIP, then ValidateNonSpecialIP.
        "loopback external IP",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  externalIPs: [127.0.0.1]\n  ports:\n  - port: 80\n",
        &[r#"x.yaml:6:17: spec.externalIPs[0]: Invalid value: "127.0.0.1": may not be in the loopback range (127.0.0.0/8, ::1/128)"#],
    ),
    (
        // ValidateService names this field with a capital L in its errors.
        "loadBalancerSourceRanges on a ClusterIP Service",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  loadBalancerSourceRanges: [10.0.0.0/8]\n  ports:\n  - port: 80\n",
        &["x.yaml:6:29: spec.LoadBalancerSourceRanges: Forbidden: may only be used when `type` is 'LoadBalancer'"],
    ),
    (
        "selector label value with a space",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  selector:\n    app: web app\n  ports:\n  - port: 80\n",
        &[r#"x.yaml:7:5: spec.selector: Invalid value: "web app": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"#],
    ),
    (
        // SetDefaults_Service drops sessionAffinityConfig when sessionAffinity is None: accepted;
        // kubeplay says the setting does nothing.
        "sessionAffinityConfig without ClientIP affinity",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  sessionAffinityConfig:\n    clientIP:\n      timeoutSeconds: 60\n  ports:\n  - port: 80\n",
        &["x.yaml:7:5: warning: spec.sessionAffinityConfig: ignored: the API server drops sessionAffinityConfig when sessionAffinity is None"],
    ),
    (
        // pkg/api/service/warnings.go: accepted, with a warning.
        "externalIPs are deprecated",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  externalIPs: [192.0.2.10]\n  ports:\n  - port: 80\n",
        &["x.yaml:6:16: warning: spec.externalIPs is deprecated and may no longer be implemented in some clusters"],
    ),
    (
        // pkg/api/service/warnings.go: accepted, with a warning.
        "trafficDistribution PreferClose is deprecated",
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  trafficDistribution: PreferClose\n  ports:\n  - port: 80\n",
        &[r#"x.yaml:6:24: warning: spec.trafficDistribution: "PreferClose" is deprecated; use "PreferSameZone""#],
    ),
];

/// Pods and containers: `ValidatePodSpec`, `validateContainers`, `validateContainerPorts`,
/// `validatePodDNSConfig`, `validateDNSPolicy`, and the pod warnings.
const PODS: &[(&str, &str, &[&str])] = &[
    (
        "a pod without containers",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec: {}\n",
        &["x.yaml:5:7: spec.containers: Required value"],
    ),
    (
        "a container without image",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n",
        &["x.yaml:7:5: spec.containers[0].image: Required value"],
    ),
    (
        "a Pod's image with a trailing space",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: \"nginx \"\n",
        &[r#"x.yaml:8:12: spec.containers[0].image: Invalid value: "nginx ": must not have leading or trailing whitespace"#],
    ),
    (
        "container name with upper case",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: Web\n    image: nginx\n",
        &[r#"x.yaml:7:11: spec.containers[0].name: Invalid value: "Web": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"#],
    ),
    (
        "two containers with the same name",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n  - name: web\n    image: busybox\n",
        &[r#"x.yaml:9:11: spec.containers[1].name: Duplicate value: "web""#],
    ),
    (
        "a container port without containerPort",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - name: http\n",
        &["x.yaml:10:7: spec.containers[0].ports[0].containerPort: Required value"],
    ),
    (
        // validateContainerPorts: port names are unique within a container.
        "two ports named alike in one container",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - name: http\n      containerPort: 80\n    - name: http\n      containerPort: 8080\n",
        &[r#"x.yaml:12:13: spec.containers[0].ports[1].name: Duplicate value: "http""#],
    ),
    (
        // Across containers it is only a warning (pkg/api/pod/warnings.go); the pod is created.
        "two containers with a port named alike",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - name: http\n      containerPort: 80\n  - name: sidecar\n    image: envoy\n    ports:\n    - name: http\n      containerPort: 8080\n",
        &[r#"x.yaml:15:7: warning: spec.containers[1].ports[0]: duplicate port name "http" with spec.containers[0].ports[0], services and probes that select ports by name will use spec.containers[0].ports[0]"#],
    ),
    (
        "a port name in upper case",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - name: HTTP\n      containerPort: 80\n",
        &[
            r#"x.yaml:10:13: spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)"#,
            r#"x.yaml:10:13: spec.containers[0].ports[0].name: Invalid value: "HTTP": must contain at least one letter (a-z)"#,
        ],
    ),
    (
        "hostPort out of range",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: 80\n      hostPort: 70000\n",
        &["x.yaml:11:17: spec.containers[0].ports[0].hostPort: Invalid value: 70000: must be between 1 and 65535, inclusive"],
    ),
    (
        // checkHostPortConflicts: key protocol/hostIP/hostPort.
        "the same hostPort in two containers",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: 80\n      hostPort: 8080\n  - name: api\n    image: api\n    ports:\n    - containerPort: 81\n      hostPort: 8080\n",
        &[r#"x.yaml:16:17: spec.containers[1].ports[0].hostPort: Duplicate value: "TCP//8080""#],
    ),
    (
        "hostNetwork with a hostPort other than the containerPort",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  hostNetwork: true\n  containers:\n  - name: web\n    image: nginx\n    ports:\n    - containerPort: 80\n      hostPort: 8081\n",
        &["x.yaml:12:17: spec.containers[0].ports[0].hostPort: Invalid value: 8081: must match `containerPort` when `hostNetwork` is true"],
    ),
    (
        "dnsPolicy None without dnsConfig",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  dnsPolicy: None\n  containers:\n  - name: web\n    image: nginx\n",
        &["x.yaml:6:3: spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None"],
    ),
    (
        "dnsPolicy None without nameservers",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  dnsPolicy: None\n  dnsConfig:\n    searches: [example.com]\n  containers:\n  - name: web\n    image: nginx\n",
        &["x.yaml:8:5: spec.dnsConfig.nameservers: Required value: must provide at least one DNS nameserver when `dnsPolicy` is None"],
    ),
    (
        "four nameservers",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  dnsConfig:\n    nameservers: [1.1.1.1, 8.8.8.8, 9.9.9.9, 1.0.0.1]\n  containers:\n  - name: web\n    image: nginx\n",
        &[r#"x.yaml:7:18: spec.dnsConfig.nameservers: Invalid value: ["1.1.1.1","8.8.8.8","9.9.9.9","1.0.0.1"]: must not have more than 3 nameservers"#],
    ),
    (
        "a search domain with a space",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  dnsConfig:\n    searches: [\"my domain.local\"]\n  containers:\n  - name: web\n    image: nginx\n",
        &[r#"x.yaml:7:16: spec.dnsConfig.searches[0]: Invalid value: "my domain.local": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '_', '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '_?[a-z0-9]([-_a-z0-9]*[a-z0-9])?(\._?[a-z0-9]([-_a-z0-9]*[a-z0-9])?)*')"#],
    ),
    (
        "dnsPolicy that does not exist",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  dnsPolicy: ClusterFirstWithHostNetwork\n  containers:\n  - name: web\n    image: nginx\n",
        &[r#"x.yaml:6:14: spec.dnsPolicy: Unsupported value: "ClusterFirstWithHostNetwork": supported values: "ClusterFirstWithHostNet", "ClusterFirst", "Default", "None""#],
    ),
];

/// Workloads: `ValidateDeploymentSpec`, `ValidateReplicaSetSpec`, `ValidateStatefulSetSpec`,
/// `ValidateLabelSelector`, `ValidatePodTemplateSpecForReplicaSet`.
const WORKLOADS: &[(&str, &str, &[&str])] = &[
    (
        "Deployment selector not matching the template",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: api\n    spec:\n      containers:\n      - name: web\n        image: nginx\n",
        &[r#"x.yaml:12:9: spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`"#],
    ),
    (
        // A missing selector selects nothing, so the template cannot match it either.
        "Deployment without selector",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n",
        &[
            "x.yaml:6:3: spec.selector: Required value",
            r#"x.yaml:9:9: spec.template.metadata.labels: Invalid value: {"app":"web"}: `selector` does not match template `labels`"#,
        ],
    ),
    (
        "Deployment with an empty selector",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector: {}\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n",
        &["x.yaml:6:13: spec.selector: Invalid value: {}: empty selector is invalid for deployment"],
    ),
    (
        // Upstream's ReplicaSet message says "deployment" too.
        "ReplicaSet with an empty selector",
        "apiVersion: apps/v1\nkind: ReplicaSet\nmetadata:\n  name: web\nspec:\n  selector: {}\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n",
        &["x.yaml:6:13: spec.selector: Invalid value: {}: empty selector is invalid for deployment"],
    ),
    (
        // ValidateLabelSelectorRequirement, then LabelSelectorAsSelector's failure.
        "matchExpressions operator that does not exist",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchExpressions:\n    - key: app\n      operator: Equals\n      values: [web]\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n",
        &[
            r#"x.yaml:7:5: spec.selector: Invalid value: {"matchExpressions":[{"key":"app","operator":"Equals","values":["web"]}]}: invalid label selector"#,
            r#"x.yaml:9:17: spec.selector.matchExpressions[0].operator: Invalid value: "Equals": not a valid selector operator"#,
        ],
    ),
    (
        "matchExpressions In without values",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchExpressions:\n    - key: app\n      operator: In\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n",
        &[
            r#"x.yaml:7:5: spec.selector: Invalid value: {"matchExpressions":[{"key":"app","operator":"In"}]}: invalid label selector"#,
            "x.yaml:8:7: spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'",
        ],
    ),
    (
        "negative replicas",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: -1\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      containers:\n      - name: web\n        image: nginx\n",
        &["x.yaml:6:13: spec.replicas: Invalid value: -1: must be greater than or equal to 0"],
    ),
    (
        // The template is a struct, not a pointer: an absent one is empty.
        "Deployment without template",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n",
        &[
            "x.yaml:6:3: spec.template.metadata.labels: Invalid value: null: `selector` does not match template `labels`",
            "x.yaml:6:3: spec.template.spec.containers: Required value",
        ],
    ),
    (
        "Deployment template with restartPolicy Never",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: web\n        image: nginx\n",
        &[r#"x.yaml:14:22: spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always""#],
    ),
    (
        // ValidatePodTemplateSpec reports template labels at `spec.template.labels`.
        "template label value with a slash",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  selector:\n    matchLabels:\n      app: web\n  template:\n    metadata:\n      labels:\n        app: web\n        tier: front/end\n    spec:\n      containers:\n      - name: web\n        image: nginx\n",
        &[r#"x.yaml:12:9: spec.template.labels: Invalid value: "front/end": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')"#],
    ),
    (
        // ValidateStatefulSetName is NameIsDNSLabel.
        "StatefulSet name with a dot",
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db.v1\nspec:\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: db\n        image: postgres\n",
        &[r#"x.yaml:4:9: metadata.name: Invalid value: "db.v1": must not contain dots"#],
    ),
    (
        // serviceName is optional: this StatefulSet is valid.
        "StatefulSet without serviceName",
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: db\n        image: postgres\n",
        &[],
    ),
    (
        "StatefulSet with an empty selector",
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  selector: {}\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: db\n        image: postgres\n",
        &["x.yaml:6:13: spec.selector: Invalid value: {}: empty selector is invalid for statefulset"],
    ),
    (
        // Upstream does not validate a StatefulSet's pod spec; kubeplay refuses it and says so.
        "StatefulSet container without image",
        "apiVersion: apps/v1\nkind: StatefulSet\nmetadata:\n  name: db\nspec:\n  selector:\n    matchLabels:\n      app: db\n  template:\n    metadata:\n      labels:\n        app: db\n    spec:\n      containers:\n      - name: db\n",
        &["x.yaml:15:9: spec.template.spec.containers[0].image: Required value (a real API server accepts this StatefulSet and its controller then fails to create each pod with this error (FailedCreate events); kubeplay refuses it instead)"],
    ),
];

/// apiVersion and kind: kubectl's own checks and the API's discovery.
const KINDS: &[(&str, &str, &[&str])] = &[
    (
        "Ingress at networking.k8s.io/v1beta1",
        "apiVersion: networking.k8s.io/v1beta1\nkind: Ingress\nmetadata:\n  name: web\nspec: {}\n",
        &[
            r#"x.yaml:1:13: apiVersion: no matches for kind "Ingress" in version "networking.k8s.io/v1beta1" (networking.k8s.io/v1beta1 Ingress was removed in Kubernetes 1.22; use networking.k8s.io/v1 with backend.service.name / backend.service.port.number)"#,
        ],
    ),
    (
        "Deployment at extensions/v1beta1",
        "apiVersion: extensions/v1beta1\nkind: Deployment\nmetadata:\n  name: web\n",
        &[
            r#"x.yaml:1:13: apiVersion: no matches for kind "Deployment" in version "extensions/v1beta1" (extensions/v1beta1 Deployment was removed in Kubernetes 1.16; use apps/v1 (spec.selector is now required))"#,
        ],
    ),
    (
        "kind in lower case",
        "apiVersion: v1\nkind: service\nmetadata:\n  name: web\n",
        &[r#"x.yaml:2:7: kind: no matches for kind "service" in version "v1" (did you mean kind: Service?)"#],
    ),
    (
        "Deployment at v1",
        "apiVersion: v1\nkind: Deployment\nmetadata:\n  name: web\n",
        &[
            r#"x.yaml:1:13: apiVersion: no matches for kind "Deployment" in version "v1" (Deployment is served as apiVersion: apps/v1)"#,
        ],
    ),
    (
        "missing apiVersion",
        "kind: Service\nmetadata:\n  name: web\nspec:\n  ports:\n  - port: 80\n",
        &["x.yaml:1:1: apiVersion: apiVersion not set"],
    ),
];

/// kind's cluster configuration: `Cluster.Validate`.
const CLUSTER: &[(&str, &str, &[&str])] = &[
    (
        "kubeProxyMode that does not exist",
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  kubeProxyMode: userspace\n",
        &["x.yaml:4:18: networking.kubeProxyMode: invalid kubeProxyMode: userspace"],
    ),
    (
        "a node role that does not exist",
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: control-plane\n- role: master\n",
        &[r#"x.yaml:5:9: nodes[1].role: invalid configuration for node 1: "master" is not a valid node role"#],
    ),
    (
        "podSubnet that is no CIDR",
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  podSubnet: 10.244.0.0\n",
        &[
            r#"x.yaml:4:14: networking.podSubnet: invalid pod subnet failed to parse cidr value:"10.244.0.0" with error: invalid CIDR address: 10.244.0.0"#,
        ],
    ),
    (
        "no control-plane node",
        "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnodes:\n- role: worker\n",
        &["x.yaml:4:1: nodes: must have at least one control-plane node"],
    ),
];

/// A cluster config over kubeplay's node limit (5,000: Kubernetes' largest supported cluster),
/// with a pod subnet big enough for every node's /24.
#[test]
fn a_cluster_over_five_thousand_nodes_is_refused() {
    let config = |workers: usize| {
        let mut text = "kind: Cluster\napiVersion: kind.x-k8s.io/v1alpha4\nnetworking:\n  podSubnet: 10.0.0.0/8\nnodes:\n- role: control-plane\n".to_string();
        text.push_str(&"- role: worker\n".repeat(workers));
        text
    };
    check(&[(
        "5,001 nodes",
        &config(5000),
        &["x.yaml:6:1: nodes: Too many: 5001: must have at most 5000 items (kubeplay models clusters up to the largest size Kubernetes supports)"],
    )]);
    check(&[("5,000 nodes", &config(4999), &[])]);
}

#[test]
fn services_are_checked_like_the_api_server() {
    check(SERVICES);
}

#[test]
fn pods_are_checked_like_the_api_server() {
    check(PODS);
}

#[test]
fn workloads_are_checked_like_the_api_server() {
    check(WORKLOADS);
}

#[test]
fn api_versions_and_kinds_are_checked_like_kubectl() {
    check(KINDS);
}

#[test]
fn cluster_configs_are_checked_like_kind() {
    check(CLUSTER);
}

#[test]
fn the_table_covers_at_least_forty_manifests() {
    let rows = [SERVICES, PODS, WORKLOADS, KINDS, CLUSTER].iter().map(|t| t.len()).sum::<usize>();
    assert!(rows >= 40, "{rows} rows");
}

/// A requested clusterIP: the registry's IP allocator (`MetaAllocator`, the default since
/// MultiCIDRServiceAllocator went GA in 1.33) refuses one outside every service CIDR with
/// `ErrMismatchedNetwork` and one already taken (kube-dns holds 10.96.0.10) with
/// `ErrAllocated`; the value is `spec.clusterIPs`, printed as JSON; the error sits at the
/// `clusterIP` the learner wrote.
#[test]
fn requested_cluster_ips_are_allocated_like_the_registry() {
    check(&[
        (
            "clusterIP outside 10.96.0.0/12",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: 10.0.0.5\n  ports:\n  - port: 80\n",
            &[r#"x.yaml:6:14: spec.clusterIPs: Invalid value: ["10.0.0.5"]: failed to allocate IP 10.0.0.5: the provided network does not match the current range"#],
        ),
        (
            "clusterIP of kube-dns",
            "apiVersion: v1\nkind: Service\nmetadata:\n  name: web\nspec:\n  clusterIP: 10.96.0.10\n  ports:\n  - port: 80\n",
            &[r#"x.yaml:6:14: spec.clusterIPs: Invalid value: ["10.96.0.10"]: failed to allocate IP 10.96.0.10: provided IP is already allocated"#],
        ),
    ]);
}

//! What `kubectl get`, `kubectl get -o json|yaml` and `kubectl describe service` print for a
//! reconciled cluster, checked against outputs written from kubectl's rules.
//!
//! Column rules are cited per test: the print functions of kubernetes/kubernetes
//! `pkg/printers/internalversion/printers.go`; layout from cli-runtime `tableprinter.go` (headers
//! upper-cased, `-o wide` columns, NAMESPACE first with `-A`) and `tabwriter.go` (minwidth 6,
//! padding 3: each column as wide as its widest cell plus three spaces, the last unpadded); the
//! describer from kubectl `pkg/describe/describe.go` (tab writer with padding 2). The model has
//! no clock, so AGE is `<unknown>` (printers.go `translateTimestampSince` of a zero time) and
//! timestamps are `null`.
//!
//! Addresses are predictable: the two workers take pod IPs from 10.244.1.0/24 and 10.244.2.0/24
//! starting at .2, pods spreading to the emptier worker in creation order; ClusterIPs and
//! nodePorts are pinned in the fixtures; the default LoadBalancer pool starts at 172.18.255.200.

use kubeplay_core::api::cluster_config::{ClusterConfig, LoadBalancerProvider};
use kubeplay_core::api::ingress::{
    Ingress, IngressBackend, IngressPath, IngressRule, IngressTls, PathType, ServicePortRef,
};
use kubeplay_core::api::network_policy::NetworkPolicy;
use kubeplay_core::api::pod::{Container, ContainerPort, Pod, PodSpec, PodTemplate};
use kubeplay_core::api::selector::{LabelSelector, Operator, Requirement};
use kubeplay_core::api::service::{ClusterIpSpec, Service, ServicePort, ServiceSpec, ServiceType, TargetPort};
use kubeplay_core::api::workload::{Deployment, WorkloadSpec};
use kubeplay_core::api::{Labels, ObjectMeta, Protocol};
use kubeplay_core::cluster::Cluster;
use kubeplay_core::controllers::workloads::{replica_set_for, replica_set_pods};
use kubeplay_core::controllers::{reconcile, Memory};
use kubeplay_core::objects::{Declared, Objects, Source};
use kubeplay_core::render::{describe_service, get, Format, GetError, Query, Resource, Scope};
use serde_json::Value;

// ---------------------------------------------------------------------------------------------
// Fixtures

fn labels(pairs: &[(&str, &str)]) -> Labels {
    pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
}

fn meta(name: &str, pairs: &[(&str, &str)]) -> ObjectMeta {
    ObjectMeta { name: name.into(), namespace: "default".into(), labels: labels(pairs), annotations: Labels::new() }
}

fn container(name: &str, image: &str, port: Option<(&str, u16)>) -> Container {
    let ports = port
        .map(|(name, number)| ContainerPort {
            name: Some(name.into()),
            container_port: number,
            protocol: Protocol::TCP,
            host_port: None,
        })
        .into_iter()
        .collect();
    Container { name: name.into(), image: image.into(), ports }
}

fn pod(name: &str, app: &str, ready: bool) -> Pod {
    let spec =
        PodSpec { containers: vec![container("api", "example/api:1.0", Some(("http", 8080)))], ..Default::default() };
    Pod { meta: meta(name, &[("app", app)]), spec, ready }
}

fn port(name: Option<&str>, port: u16, target: TargetPort, node_port: Option<u16>) -> ServicePort {
    ServicePort {
        name: name.map(str::to_string),
        protocol: Protocol::TCP,
        port,
        target_port: target,
        node_port,
        app_protocol: None,
    }
}

fn service(
    name: &str,
    type_: ServiceType,
    selector: Option<&str>,
    ports: Vec<ServicePort>,
    ip: ClusterIpSpec,
) -> Service {
    let spec = ServiceSpec {
        type_,
        selector: selector.map(|app| labels(&[("app", app)])),
        ports,
        cluster_ip: ip,
        allocate_load_balancer_node_ports: type_ == ServiceType::LoadBalancer,
        ..Default::default()
    };
    Service { meta: meta(name, &[]), spec }
}

fn fixed(ip: &str) -> ClusterIpSpec {
    ClusterIpSpec::Fixed(ip.parse().expect("test IP"))
}

fn web_deployment() -> Deployment {
    let app = labels(&[("app", "web")]);
    let mut template = PodTemplate { labels: app.clone(), ready: true, ..Default::default() };
    template.spec.containers.push(container("web", "nginx:1.27", Some(("http", 80))));
    Deployment {
        meta: meta("web", &[]),
        spec: WorkloadSpec { replicas: 2, selector: LabelSelector::from_labels(app), template },
    }
}

/// Declares objects in order and reconciles them.
#[derive(Default)]
struct Workspace {
    objects: Objects,
    seq: u64,
}

impl Workspace {
    fn declare<T>(&mut self, object: T) -> Declared<T> {
        self.seq += 1;
        Declared { object, source: Source::default(), seq: self.seq }
    }

    fn pod(mut self, p: Pod) -> Self {
        let d = self.declare(p);
        self.objects.pods.push(d);
        self
    }

    fn service(mut self, s: Service) -> Self {
        let d = self.declare(s);
        self.objects.services.push(d);
        self
    }

    fn cluster(&self) -> Cluster {
        reconcile(&self.objects, &Memory::default()).cluster
    }
}

/// Three bare pods — one ready, one running but not ready, one that no node fits (a
/// nodeSelector nobody matches) — behind the Service `api`.
fn api_pods() -> Cluster {
    let mut pending = pod("pending", "batch", true);
    pending.spec.containers = vec![container("app", "busybox", None)];
    pending.spec.node_selector = labels(&[("disktype", "ssd")]);
    Workspace::default()
        .pod(pod("api-0", "api", true))
        .pod(pod("api-1", "api", false))
        .pod(pending)
        .service(service(
            "api",
            ServiceType::ClusterIP,
            Some("api"),
            vec![port(Some("http"), 80, TargetPort::Named("http".into()), None)],
            fixed("10.96.200.1"),
        ))
        .cluster()
}

/// A two-replica Deployment behind every kind of Service: ClusterIP (named targetPort),
/// NodePort, LoadBalancer, headless, and an ExternalName.
fn web(config: Option<ClusterConfig>) -> Cluster {
    let mut lb = service(
        "web-lb",
        ServiceType::LoadBalancer,
        Some("web"),
        vec![port(None, 80, TargetPort::Number(80), Some(30081))],
        fixed("10.96.100.12"),
    );
    lb.meta.labels = labels(&[("app", "web"), ("tier", "frontend")]);
    let mut docs = service("docs", ServiceType::ExternalName, None, vec![], ClusterIpSpec::Auto);
    docs.spec.external_name = Some("docs.example.com".into());
    let mut ws = Workspace::default()
        .service(service(
            "web",
            ServiceType::ClusterIP,
            Some("web"),
            vec![port(Some("http"), 80, TargetPort::Named("http".into()), None)],
            fixed("10.96.100.10"),
        ))
        .service(service(
            "web-np",
            ServiceType::NodePort,
            Some("web"),
            vec![port(None, 80, TargetPort::Number(80), Some(30080))],
            fixed("10.96.100.11"),
        ))
        .service(lb)
        .service(service(
            "web-headless",
            ServiceType::ClusterIP,
            Some("web"),
            vec![port(None, 80, TargetPort::Number(80), None)],
            ClusterIpSpec::Headless,
        ))
        .service(docs);
    let d = ws.declare(web_deployment());
    ws.objects.deployments.push(d);
    if let Some(config) = config {
        let d = ws.declare(config);
        ws.objects.cluster_config = Some(d);
    }
    ws.cluster()
}

fn query(resource: Resource, scope: Scope, name: Option<&str>) -> Query {
    Query { resource, scope, name: name.map(str::to_string) }
}

fn default_ns() -> Scope {
    Scope::Namespace("default".into())
}

fn table(cluster: &Cluster, resource: Resource, scope: Scope, format: Format) -> String {
    get(cluster, &query(resource, scope, None), format).unwrap_or_else(|e| panic!("{e}"))
}

fn json_of(cluster: &Cluster, resource: Resource, name: &str) -> Value {
    let text = get(cluster, &query(resource, default_ns(), Some(name)), Format::Json).unwrap_or_else(|e| panic!("{e}"));
    serde_json::from_str(&text).expect("valid JSON")
}

/// Lays out rows as cli-runtime's tab writer does (minwidth 6, padding 3, last column as is),
/// for tables whose names the model generates (`web-<hash>`), so that expected cells can still
/// be written by hand.
fn layout(rows: &[Vec<String>]) -> String {
    let columns = rows[0].len();
    let widths: Vec<usize> =
        (0..columns - 1).map(|c| rows.iter().map(|r| r[c].len() + 3).max().unwrap_or(0).max(6)).collect();
    rows.iter()
        .map(|r| {
            let mut line: String = (0..columns - 1).map(|c| format!("{:<w$}", r[c], w = widths[c])).collect();
            line.push_str(&r[columns - 1]);
            line + "\n"
        })
        .collect()
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| c.to_string()).collect()
}

// ---------------------------------------------------------------------------------------------
// kubectl get: tables

#[test]
fn pods_show_ready_containers_phase_and_with_wide_ip_and_node() {
    // printPod: READY is ready/total containers, STATUS the phase, RESTARTS 0; wide adds IP and
    // NODE (`<none>` for the Pending pod), NOMINATED NODE and READINESS GATES (`<none>`).
    let cluster = api_pods();
    let expected = "\
NAME      READY   STATUS    RESTARTS   AGE
api-0     1/1     Running   0          <unknown>
api-1     0/1     Running   0          <unknown>
pending   0/1     Pending   0          <unknown>
";
    assert_eq!(table(&cluster, Resource::Pods, default_ns(), Format::Table), expected);
    let expected = "\
NAME      READY   STATUS    RESTARTS   AGE         IP           NODE               NOMINATED NODE   READINESS GATES
api-0     1/1     Running   0          <unknown>   10.244.1.2   kubeplay-worker    <none>           <none>
api-1     0/1     Running   0          <unknown>   10.244.2.2   kubeplay-worker2   <none>           <none>
pending   0/1     Pending   0          <unknown>   <none>       <none>             <none>           <none>
";
    assert_eq!(table(&cluster, Resource::Pods, default_ns(), Format::Wide), expected);
}

#[test]
fn services_show_type_addresses_and_ports() {
    // printService: CLUSTER-IP is clusterIPs[0] (`None` headless, `<none>` ExternalName);
    // getServiceExternalIP: `<none>`, the LoadBalancer ingress IP, the externalName; makePortString:
    // `port/proto`, `port:nodePort/proto`, `<none>` without ports; wide adds FormatLabels(selector).
    let cluster = web(None);
    let expected = "\
NAME           TYPE           CLUSTER-IP     EXTERNAL-IP        PORT(S)        AGE
docs           ExternalName   <none>         docs.example.com   <none>         <unknown>
kubernetes     ClusterIP      10.96.0.1      <none>             443/TCP        <unknown>
web            ClusterIP      10.96.100.10   <none>             80/TCP         <unknown>
web-headless   ClusterIP      None           <none>             80/TCP         <unknown>
web-lb         LoadBalancer   10.96.100.12   172.18.255.200     80:30081/TCP   <unknown>
web-np         NodePort       10.96.100.11   <none>             80:30080/TCP   <unknown>
";
    assert_eq!(table(&cluster, Resource::Services, default_ns(), Format::Table), expected);
    let expected = "\
NAME           TYPE           CLUSTER-IP     EXTERNAL-IP        PORT(S)        AGE         SELECTOR
docs           ExternalName   <none>         docs.example.com   <none>         <unknown>   <none>
kubernetes     ClusterIP      10.96.0.1      <none>             443/TCP        <unknown>   <none>
web            ClusterIP      10.96.100.10   <none>             80/TCP         <unknown>   app=web
web-headless   ClusterIP      None           <none>             80/TCP         <unknown>   app=web
web-lb         LoadBalancer   10.96.100.12   172.18.255.200     80:30081/TCP   <unknown>   app=web
web-np         NodePort       10.96.100.11   <none>             80:30080/TCP   <unknown>   app=web
";
    assert_eq!(table(&cluster, Resource::Services, default_ns(), Format::Wide), expected);
}

#[test]
fn all_namespaces_adds_a_namespace_column_first() {
    // tableprinter.go decorateTable: WithNamespace prepends NAMESPACE; rows in list order.
    let cluster = web(None);
    let expected = "\
NAMESPACE     NAME           TYPE           CLUSTER-IP     EXTERNAL-IP        PORT(S)                  AGE
default       docs           ExternalName   <none>         docs.example.com   <none>                   <unknown>
default       kubernetes     ClusterIP      10.96.0.1      <none>             443/TCP                  <unknown>
default       web            ClusterIP      10.96.100.10   <none>             80/TCP                   <unknown>
default       web-headless   ClusterIP      None           <none>             80/TCP                   <unknown>
default       web-lb         LoadBalancer   10.96.100.12   172.18.255.200     80:30081/TCP             <unknown>
default       web-np         NodePort       10.96.100.11   <none>             80:30080/TCP             <unknown>
kube-system   kube-dns       ClusterIP      10.96.0.10     <none>             53/UDP,53/TCP,9153/TCP   <unknown>
";
    assert_eq!(table(&cluster, Resource::Services, Scope::All, Format::Table), expected);
}

#[test]
fn a_load_balancer_without_a_provider_is_pending() {
    // getServiceExternalIP: a LoadBalancer with no ingress and no externalIPs shows `<pending>`.
    let config = ClusterConfig { load_balancer: LoadBalancerProvider::None, ..ClusterConfig::default() };
    let cluster = web(Some(config));
    let text = get(&cluster, &query(Resource::Services, default_ns(), Some("web-lb")), Format::Table).expect("found");
    let expected = "\
NAME     TYPE           CLUSTER-IP     EXTERNAL-IP   PORT(S)        AGE
web-lb   LoadBalancer   10.96.100.12   <pending>     80:30081/TCP   <unknown>
";
    assert_eq!(text, expected);
    assert_eq!(json_of(&cluster, Resource::Services, "web-lb")["status"], serde_json::json!({"loadBalancer": {}}));
}

#[test]
fn endpoints_list_ready_addresses_with_their_ports() {
    // printEndpoints/formatEndpoints: ready addresses only (api-1 is not ready), `ip:port` per
    // subset port; a selector-less Service (the ExternalName `docs`) has no Endpoints object.
    let cluster = api_pods();
    let expected = "\
NAME         ENDPOINTS         AGE
api          10.244.1.2:8080   <unknown>
kubernetes   172.18.0.2:6443   <unknown>
";
    assert_eq!(table(&cluster, Resource::Endpoints, default_ns(), Format::Table), expected);
    let cluster = web(None);
    let expected = "\
NAME           ENDPOINTS                     AGE
kubernetes     172.18.0.2:6443               <unknown>
web            10.244.1.2:80,10.244.2.2:80   <unknown>
web-headless   10.244.1.2:80,10.244.2.2:80   <unknown>
web-lb         10.244.1.2:80,10.244.2.2:80   <unknown>
web-np         10.244.1.2:80,10.244.2.2:80   <unknown>
";
    assert_eq!(table(&cluster, Resource::Endpoints, default_ns(), Format::Table), expected);
    assert_eq!(
        Resource::Endpoints.warning(),
        Some("Warning: v1 Endpoints is deprecated in v1.33+; use discovery.k8s.io/v1 EndpointSlice")
    );
}

#[test]
fn endpoints_cut_after_three_addresses() {
    // formatEndpoints: at most three `ip:port` entries, then ` + N more...` over all of them;
    // SortSubsets orders addresses as text (LessEndpointAddress), so .10 comes before .2.
    let mut ws = Workspace::default();
    for i in 0..20 {
        ws = ws.pod(pod(&format!("api-{i}"), "api", true));
    }
    let svc = service(
        "api",
        ServiceType::ClusterIP,
        Some("api"),
        vec![port(None, 80, TargetPort::Number(8080), None)],
        fixed("10.96.200.1"),
    );
    let cluster = ws.service(svc).cluster();
    // Twenty pods alternate between the workers: 10.244.1.2-11 and 10.244.2.2-11.
    let text = get(&cluster, &query(Resource::Endpoints, default_ns(), Some("api")), Format::Table).expect("found");
    let expected = "\
NAME   ENDPOINTS                                                        AGE
api    10.244.1.10:8080,10.244.1.11:8080,10.244.1.2:8080 + 17 more...   <unknown>
";
    assert_eq!(text, expected);
}

#[test]
fn endpoint_slices_list_every_address_and_port() {
    // printEndpointSlice: ADDRESSTYPE, formatDiscoveryPorts (port numbers) and
    // formatDiscoveryEndpoints (all addresses, ready or not).
    let cluster = api_pods();
    let slice =
        cluster.endpoint_slices.iter().find(|s| s.service.as_deref() == Some("api")).expect("api slice").name.clone();
    let expected = layout(&[
        row(&["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"]),
        row(&[&slice, "IPv4", "8080", "10.244.1.2,10.244.2.2", "<unknown>"]),
        row(&["kubernetes", "IPv4", "6443", "172.18.0.2", "<unknown>"]),
    ]);
    assert_eq!(table(&cluster, Resource::EndpointSlices, default_ns(), Format::Table), expected);
}

#[test]
fn workloads_show_ready_and_desired_replicas() {
    // printDeployment: READY ready/desired, UP-TO-DATE, AVAILABLE; wide adds CONTAINERS, IMAGES
    // (layoutContainerCells) and the selector. printReplicaSet: DESIRED, CURRENT, READY; wide
    // adds FormatLabelSelector, which includes the pod-template-hash.
    let cluster = web(None);
    let expected = "\
NAME   READY   UP-TO-DATE   AVAILABLE   AGE
web    2/2     2            2           <unknown>
";
    assert_eq!(table(&cluster, Resource::Deployments, default_ns(), Format::Table), expected);
    let expected = "\
NAME   READY   UP-TO-DATE   AVAILABLE   AGE         CONTAINERS   IMAGES       SELECTOR
web    2/2     2            2           <unknown>   web          nginx:1.27   app=web
";
    assert_eq!(table(&cluster, Resource::Deployments, default_ns(), Format::Wide), expected);
    let rs = replica_set_for(&web_deployment()).meta.name;
    let hash = rs.strip_prefix("web-").expect("rs named after the deployment");
    let selector = format!("app=web,pod-template-hash={hash}");
    let expected = layout(&[
        row(&["NAME", "DESIRED", "CURRENT", "READY", "AGE", "CONTAINERS", "IMAGES", "SELECTOR"]),
        row(&[&rs, "2", "2", "2", "<unknown>", "web", "nginx:1.27", &selector]),
    ]);
    assert_eq!(table(&cluster, Resource::ReplicaSets, default_ns(), Format::Wide), expected);
}

#[test]
fn pending_replicas_are_current_but_not_ready() {
    // A Deployment whose pods no node fits: READY 0/2 while UP-TO-DATE counts both replicas.
    let mut d = web_deployment();
    d.spec.template.spec.node_selector = labels(&[("disktype", "ssd")]);
    let mut ws = Workspace::default();
    let declared = ws.declare(d.clone());
    ws.objects.deployments.push(declared);
    let cluster = ws.cluster();
    let expected = "\
NAME   READY   UP-TO-DATE   AVAILABLE   AGE
web    0/2     2            0           <unknown>
";
    assert_eq!(table(&cluster, Resource::Deployments, default_ns(), Format::Table), expected);
    let mut names: Vec<String> = replica_set_pods(&replica_set_for(&d)).map(|p| p.pod.meta.name).collect();
    names.sort();
    let mut rows = vec![row(&["NAME", "READY", "STATUS", "RESTARTS", "AGE"])];
    rows.extend(names.iter().map(|n| row(&[n, "0/1", "Pending", "0", "<unknown>"])));
    assert_eq!(table(&cluster, Resource::Pods, default_ns(), Format::Table), layout(&rows));
}

#[test]
fn nodes_show_roles_version_and_with_wide_their_system() {
    // printNode: STATUS from the Ready condition, ROLES from node-role.kubernetes.io/* labels
    // (`<none>` without), VERSION the kubelet's; wide adds getNodeInternalIP,
    // getNodeExternalIP (`<none>`), OS-IMAGE, KERNEL-VERSION, CONTAINER-RUNTIME.
    let cluster = api_pods();
    let expected = "\
NAME                     STATUS   ROLES           AGE         VERSION
kubeplay-control-plane   Ready    control-plane   <unknown>   v1.33.1
kubeplay-worker          Ready    <none>          <unknown>   v1.33.1
kubeplay-worker2         Ready    <none>          <unknown>   v1.33.1
";
    assert_eq!(table(&cluster, Resource::Nodes, default_ns(), Format::Table), expected);
    let expected = "\
NAME                     STATUS   ROLES           AGE         VERSION   INTERNAL-IP   EXTERNAL-IP   OS-IMAGE                         KERNEL-VERSION     CONTAINER-RUNTIME
kubeplay-control-plane   Ready    control-plane   <unknown>   v1.33.1   172.18.0.2    <none>        Debian GNU/Linux 12 (bookworm)   6.8.0-60-generic   containerd://2.1.1
kubeplay-worker          Ready    <none>          <unknown>   v1.33.1   172.18.0.3    <none>        Debian GNU/Linux 12 (bookworm)   6.8.0-60-generic   containerd://2.1.1
kubeplay-worker2         Ready    <none>          <unknown>   v1.33.1   172.18.0.4    <none>        Debian GNU/Linux 12 (bookworm)   6.8.0-60-generic   containerd://2.1.1
";
    // Cluster-scoped: -A adds no NAMESPACE column (get.go: RESTScopeNameRoot).
    assert_eq!(table(&cluster, Resource::Nodes, Scope::All, Format::Wide), expected);
}

#[test]
fn namespaces_are_active() {
    // printNamespace: STATUS is the phase.
    let expected = "\
NAME              STATUS   AGE
default           Active   <unknown>
kube-node-lease   Active   <unknown>
kube-public       Active   <unknown>
kube-system       Active   <unknown>
";
    assert_eq!(table(&api_pods(), Resource::Namespaces, default_ns(), Format::Table), expected);
}

#[test]
fn network_policies_show_their_pod_selector() {
    // printNetworkPolicy: metav1.FormatLabelSelector — requirements sorted by key, `in (a,b)`,
    // `<none>` for the empty selector.
    let policy = |name: &str, pod_selector: LabelSelector| NetworkPolicy {
        meta: meta(name, &[]),
        pod_selector,
        ingress: vec![],
        egress: vec![],
        isolates_ingress: true,
        isolates_egress: false,
    };
    let complex = LabelSelector {
        match_labels: labels(&[("tier", "db")]),
        match_expressions: vec![Requirement {
            key: "env".into(),
            operator: Operator::In,
            values: ["staging".to_string(), "prod".to_string()].into(),
        }],
    };
    let mut ws = Workspace::default();
    for p in [
        policy("default-deny", LabelSelector::default()),
        policy("allow-web", LabelSelector::from_labels(labels(&[("app", "web")]))),
        policy("complex", complex),
    ] {
        let d = ws.declare(p);
        ws.objects.network_policies.push(d);
    }
    let expected = "\
NAME           POD-SELECTOR                    AGE
allow-web      app=web                         <unknown>
complex        env in (prod,staging),tier=db   <unknown>
default-deny   <none>                          <unknown>
";
    assert_eq!(table(&ws.cluster(), Resource::NetworkPolicies, default_ns(), Format::Table), expected);
}

#[test]
fn ingresses_show_class_hosts_and_ports() {
    // printIngress: CLASS or `<none>`; formatHosts (three, then ` + N more...`, `*` without
    // hosts); ADDRESS empty (no controller status); formatPorts `80`, or `80, 443` with TLS.
    let backend = IngressBackend { service_name: "web".into(), port: ServicePortRef::Number(80) };
    let rule = |host: Option<&str>| IngressRule {
        host: host.map(str::to_string),
        paths: vec![IngressPath { path: "/".into(), path_type: PathType::Prefix, backend: backend.clone() }],
    };
    let ingress = |name: &str, class: Option<&str>, rules: Vec<IngressRule>, tls: Vec<IngressTls>| Ingress {
        meta: meta(name, &[]),
        ingress_class_name: class.map(str::to_string),
        default_backend: None,
        rules,
        tls,
    };
    let hosts = ["a", "b", "c", "d"].map(|h| rule(Some(&format!("{h}.example.com")))).to_vec();
    let tls = vec![IngressTls { hosts: vec!["a.example.com".into()], secret_name: Some("tls".into()) }];
    let mut ws = Workspace::default();
    for i in [
        ingress("web", Some("nginx"), vec![rule(Some("web.example.com"))], vec![]),
        ingress("multi", None, hosts, tls),
        ingress("any", None, vec![rule(None)], vec![]),
    ] {
        let d = ws.declare(i);
        ws.objects.ingresses.push(d);
    }
    let expected = "\
NAME    CLASS    HOSTS                                                   ADDRESS   PORTS     AGE
any     <none>   *                                                                 80        <unknown>
multi   <none>   a.example.com,b.example.com,c.example.com + 1 more...             80, 443   <unknown>
web     nginx    web.example.com                                                   80        <unknown>
";
    assert_eq!(table(&ws.cluster(), Resource::Ingresses, default_ns(), Format::Table), expected);
}

#[test]
fn empty_results_and_missing_names_are_errors_worded_like_kubectl() {
    // get.go: "No resources found in <ns> namespace." or, with -A, "No resources found";
    // a missing name is the API server's NotFound.
    let cluster = api_pods();
    let err = get(&cluster, &query(Resource::Deployments, default_ns(), None), Format::Table).unwrap_err();
    assert_eq!(err.to_string(), "No resources found in default namespace.");
    let err = get(&cluster, &query(Resource::StatefulSets, Scope::All, None), Format::Wide).unwrap_err();
    assert_eq!(err, GetError::NoResources(Scope::All));
    assert_eq!(err.to_string(), "No resources found");
    let err = get(&cluster, &query(Resource::Deployments, default_ns(), Some("web")), Format::Yaml).unwrap_err();
    assert_eq!(err.to_string(), "Error from server (NotFound): deployments.apps \"web\" not found");
    let err = get(&cluster, &query(Resource::Pods, Scope::All, Some("api-0")), Format::Table).unwrap_err();
    assert_eq!(err.to_string(), "error: a resource cannot be retrieved by name across all namespaces");
    // Another namespace's objects are not listed.
    let err =
        get(&cluster, &query(Resource::Pods, Scope::Namespace("kube-public".into()), None), Format::Table).unwrap_err();
    assert_eq!(err.to_string(), "No resources found in kube-public namespace.");
}

#[test]
fn resource_names_parse_like_kubectl() {
    for (text, resource) in [
        ("po", Resource::Pods),
        ("Pods", Resource::Pods),
        ("svc", Resource::Services),
        ("service", Resource::Services),
        ("ep", Resource::Endpoints),
        ("endpoints", Resource::Endpoints),
        ("endpointslices", Resource::EndpointSlices),
        ("endpointslice.discovery.k8s.io", Resource::EndpointSlices),
        ("no", Resource::Nodes),
        ("deploy", Resource::Deployments),
        ("deployments.apps", Resource::Deployments),
        ("rs", Resource::ReplicaSets),
        ("sts", Resource::StatefulSets),
        ("ing", Resource::Ingresses),
        ("netpol", Resource::NetworkPolicies),
        ("networkpolicies.networking.k8s.io", Resource::NetworkPolicies),
        ("ns", Resource::Namespaces),
    ] {
        assert_eq!(Resource::parse(text), Some(resource), "{text}");
    }
    assert_eq!(Resource::parse("deployments.networking.k8s.io"), None);
    assert_eq!(Resource::parse("cm"), None);
}

// ---------------------------------------------------------------------------------------------
// kubectl get -o json / -o yaml

#[test]
fn a_node_port_service_as_json() {
    // JSONPrinter: json.MarshalIndent with four spaces; keys sorted (unstructured maps). The
    // API server defaults sessionAffinity, ipFamilies/ipFamilyPolicy, internalTrafficPolicy and,
    // for NodePort/LoadBalancer, externalTrafficPolicy; a non-LoadBalancer status is `{}`.
    let cluster = web(None);
    let text = get(&cluster, &query(Resource::Services, default_ns(), Some("web-np")), Format::Json).expect("found");
    let expected = r#"{
    "apiVersion": "v1",
    "kind": "Service",
    "metadata": {
        "creationTimestamp": null,
        "name": "web-np",
        "namespace": "default"
    },
    "spec": {
        "clusterIP": "10.96.100.11",
        "clusterIPs": [
            "10.96.100.11"
        ],
        "externalTrafficPolicy": "Cluster",
        "internalTrafficPolicy": "Cluster",
        "ipFamilies": [
            "IPv4"
        ],
        "ipFamilyPolicy": "SingleStack",
        "ports": [
            {
                "nodePort": 30080,
                "port": 80,
                "protocol": "TCP",
                "targetPort": 80
            }
        ],
        "selector": {
            "app": "web"
        },
        "sessionAffinity": "None",
        "type": "NodePort"
    },
    "status": {
        "loadBalancer": {}
    }
}
"#;
    assert_eq!(text, expected);
}

#[test]
fn a_load_balancer_service_as_yaml() {
    // YAMLPrinter (sigs.k8s.io/yaml over go-yaml v2): sorted keys, sequences at their key's
    // indentation; status.loadBalancer.ingress carries the pool address with ipMode VIP.
    let cluster = web(None);
    let text = get(&cluster, &query(Resource::Services, default_ns(), Some("web-lb")), Format::Yaml).expect("found");
    let expected = "\
apiVersion: v1
kind: Service
metadata:
  creationTimestamp: null
  labels:
    app: web
    tier: frontend
  name: web-lb
  namespace: default
spec:
  allocateLoadBalancerNodePorts: true
  clusterIP: 10.96.100.12
  clusterIPs:
  - 10.96.100.12
  externalTrafficPolicy: Cluster
  internalTrafficPolicy: Cluster
  ipFamilies:
  - IPv4
  ipFamilyPolicy: SingleStack
  ports:
  - nodePort: 30081
    port: 80
    protocol: TCP
    targetPort: 80
  selector:
    app: web
  sessionAffinity: None
  type: LoadBalancer
status:
  loadBalancer:
    ingress:
    - ip: 172.18.255.200
      ipMode: VIP
";
    assert_eq!(text, expected);
}

#[test]
fn headless_external_name_and_named_target_ports_as_yaml_fields() {
    let cluster = web(None);
    let headless = json_of(&cluster, Resource::Services, "web-headless");
    assert_eq!(headless["spec"]["clusterIP"], "None");
    assert_eq!(headless["spec"]["clusterIPs"], serde_json::json!(["None"]));
    let docs = json_of(&cluster, Resource::Services, "docs");
    assert_eq!(docs["spec"]["externalName"], "docs.example.com");
    assert_eq!(docs["spec"]["type"], "ExternalName");
    for absent in ["clusterIP", "clusterIPs", "ipFamilies", "ipFamilyPolicy", "internalTrafficPolicy", "ports"] {
        assert!(docs["spec"].get(absent).is_none(), "{absent}");
    }
    let web = get(&cluster, &query(Resource::Services, default_ns(), Some("web")), Format::Yaml).expect("found");
    assert!(web.contains("  - name: http\n    port: 80\n    protocol: TCP\n    targetPort: http\n"), "{web}");
}

#[test]
fn an_empty_list_is_printed_not_reported() {
    // printGeneric: without a name, the items are wrapped in a v1 List, even when empty.
    let cluster = api_pods();
    let q = query(Resource::Services, Scope::Namespace("nowhere".into()), None);
    let expected = r#"{
    "apiVersion": "v1",
    "items": [],
    "kind": "List",
    "metadata": {
        "resourceVersion": ""
    }
}
"#;
    assert_eq!(get(&cluster, &q, Format::Json).expect("a list"), expected);
    assert_eq!(
        get(&cluster, &q, Format::Yaml).expect("a list"),
        "apiVersion: v1\nitems: []\nkind: List\nmetadata:\n  resourceVersion: \"\"\n"
    );
}

#[test]
fn a_pending_pod_as_yaml() {
    // An unschedulable pod: no nodeName, no IPs, PodScheduled False/Unschedulable with the
    // scheduler's FitError (the control plane is tainted, the workers lack `disktype`), folded
    // past column 80 as go-yaml folds it; the spec carries the API server's and admission's
    // defaults.
    let cluster = api_pods();
    let text = get(&cluster, &query(Resource::Pods, default_ns(), Some("pending")), Format::Yaml).expect("found");
    let expected = "\
apiVersion: v1
kind: Pod
metadata:
  creationTimestamp: null
  labels:
    app: batch
  name: pending
  namespace: default
spec:
  containers:
  - image: busybox
    imagePullPolicy: Always
    name: app
    resources: {}
    terminationMessagePath: /dev/termination-log
    terminationMessagePolicy: File
  dnsPolicy: ClusterFirst
  enableServiceLinks: true
  nodeSelector:
    disktype: ssd
  preemptionPolicy: PreemptLowerPriority
  priority: 0
  restartPolicy: Always
  schedulerName: default-scheduler
  securityContext: {}
  serviceAccount: default
  serviceAccountName: default
  terminationGracePeriodSeconds: 30
  tolerations:
  - effect: NoExecute
    key: node.kubernetes.io/not-ready
    operator: Exists
    tolerationSeconds: 300
  - effect: NoExecute
    key: node.kubernetes.io/unreachable
    operator: Exists
    tolerationSeconds: 300
status:
  conditions:
  - lastProbeTime: null
    lastTransitionTime: null
    message: '0/3 nodes are available: 1 node(s) had untolerated taint {node-role.kubernetes.io/control-plane:
      }, 2 node(s) didn''t match Pod''s node affinity/selector. preemption: 0/3 nodes
      are available: 3 Preemption is not helpful for scheduling.'
    reason: Unschedulable
    status: \"False\"
    type: PodScheduled
  phase: Pending
  qosClass: BestEffort
";
    assert_eq!(text, expected);
}

#[test]
fn running_pods_carry_node_ips_and_readiness() {
    let cluster = api_pods();
    let pod = json_of(&cluster, Resource::Pods, "api-1");
    assert_eq!(pod["spec"]["nodeName"], "kubeplay-worker2");
    assert_eq!(
        pod["spec"]["containers"][0]["ports"],
        serde_json::json!([{"containerPort": 8080, "name": "http", "protocol": "TCP"}])
    );
    assert_eq!(pod["spec"]["containers"][0]["imagePullPolicy"], "IfNotPresent");
    let status = &pod["status"];
    assert_eq!(status["phase"], "Running");
    assert_eq!(status["podIP"], "10.244.2.2");
    assert_eq!(status["podIPs"], serde_json::json!([{"ip": "10.244.2.2"}]));
    assert_eq!(status["hostIP"], "172.18.0.4");
    let conditions: Vec<(String, String)> = status["conditions"]
        .as_array()
        .expect("conditions")
        .iter()
        .map(|c| (c["type"].as_str().unwrap_or("").to_string(), c["status"].as_str().unwrap_or("").to_string()))
        .collect();
    let expected: Vec<(String, String)> = [
        ("PodReadyToStartContainers", "True"),
        ("Initialized", "True"),
        ("Ready", "False"),
        ("ContainersReady", "False"),
        ("PodScheduled", "True"),
    ]
    .iter()
    .map(|(t, s)| (t.to_string(), s.to_string()))
    .collect();
    assert_eq!(conditions, expected);
    assert_eq!(status["conditions"][2]["reason"], "ContainersNotReady");
    assert_eq!(status["conditions"][2]["message"], "containers with unready status: [api]");
}

#[test]
fn endpoint_slices_and_endpoints_as_json() {
    let cluster = api_pods();
    let slice_name =
        cluster.endpoint_slices.iter().find(|s| s.service.as_deref() == Some("api")).expect("slice").name.clone();
    let slice = json_of(&cluster, Resource::EndpointSlices, &slice_name);
    assert_eq!(slice["addressType"], "IPv4");
    assert_eq!(slice["ports"], serde_json::json!([{"name": "http", "port": 8080, "protocol": "TCP"}]));
    assert_eq!(
        slice["endpoints"][1],
        serde_json::json!({
            "addresses": ["10.244.2.2"],
            "conditions": {"ready": false, "serving": false, "terminating": false},
            "nodeName": "kubeplay-worker2",
            "targetRef": {"kind": "Pod", "name": "api-1", "namespace": "default"},
        })
    );
    assert_eq!(slice["metadata"]["labels"]["kubernetes.io/service-name"], "api");
    assert_eq!(
        slice["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"],
        "endpointslice-controller.k8s.io"
    );
    assert_eq!(slice["metadata"]["ownerReferences"][0]["kind"], "Service");

    let endpoints = json_of(&cluster, Resource::Endpoints, "api");
    let subset = &endpoints["subsets"][0];
    assert_eq!(subset["addresses"][0]["ip"], "10.244.1.2");
    assert_eq!(subset["addresses"][0]["targetRef"]["name"], "api-0");
    assert_eq!(subset["notReadyAddresses"][0]["ip"], "10.244.2.2");
    assert_eq!(subset["ports"], serde_json::json!([{"name": "http", "port": 8080, "protocol": "TCP"}]));
}

#[test]
fn nodes_and_workloads_as_json() {
    let cluster = web(None);
    let node =
        get(&cluster, &query(Resource::Nodes, default_ns(), Some("kubeplay-worker")), Format::Json).expect("found");
    let node: Value = serde_json::from_str(&node).expect("json");
    assert_eq!(node["spec"]["podCIDR"], "10.244.1.0/24");
    assert_eq!(node["spec"]["podCIDRs"], serde_json::json!(["10.244.1.0/24"]));
    assert_eq!(
        node["status"]["addresses"],
        serde_json::json!([{"address": "172.18.0.3", "type": "InternalIP"}, {"address": "kubeplay-worker", "type": "Hostname"}])
    );
    let deployment = json_of(&cluster, Resource::Deployments, "web");
    assert_eq!(deployment["spec"]["selector"], serde_json::json!({"matchLabels": {"app": "web"}}));
    assert_eq!(
        deployment["spec"]["template"]["metadata"],
        serde_json::json!({"creationTimestamp": null, "labels": {"app": "web"}})
    );
    assert_eq!(
        deployment["status"],
        serde_json::json!({"availableReplicas": 2, "readyReplicas": 2, "replicas": 2, "updatedReplicas": 2})
    );
}

#[test]
fn a_list_holds_every_object_in_order() {
    let cluster = web(None);
    let list: Value =
        serde_json::from_str(&table(&cluster, Resource::Services, default_ns(), Format::Json)).expect("json");
    assert_eq!(list["kind"], "List");
    let names: Vec<&str> =
        list["items"].as_array().expect("items").iter().map(|i| i["metadata"]["name"].as_str().unwrap_or("")).collect();
    assert_eq!(names, ["docs", "kubernetes", "web", "web-headless", "web-lb", "web-np"]);
}

// ---------------------------------------------------------------------------------------------
// kubectl describe service

#[test]
fn describe_a_cluster_ip_service() {
    // describeService: labels padded to the longest ("Internal Traffic Policy:") plus two; each
    // port's name is its own column; Endpoints from formatEndpointSlices (ready only).
    let cluster = api_pods();
    let expected = "\
Name:                     api
Namespace:                default
Labels:                   <none>
Annotations:              <none>
Selector:                 app=api
Type:                     ClusterIP
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.200.1
IPs:                      10.96.200.1
Port:                     http  80/TCP
TargetPort:               http/TCP
Endpoints:                10.244.1.2:8080
Session Affinity:         None
Internal Traffic Policy:  Cluster
Events:                   <none>
";
    assert_eq!(describe_service(&cluster, "default", "api").expect("found"), expected);
}

#[test]
fn describe_a_load_balancer_service() {
    // describeService: multi-line labels continue in the value column; LoadBalancer Ingress with
    // its ipMode (buildIngressString); NodePort and External Traffic Policy for node-port types.
    let cluster = web(None);
    let expected = "\
Name:                     web-lb
Namespace:                default
Labels:                   app=web
                          tier=frontend
Annotations:              <none>
Selector:                 app=web
Type:                     LoadBalancer
IP Family Policy:         SingleStack
IP Families:              IPv4
IP:                       10.96.100.12
IPs:                      10.96.100.12
LoadBalancer Ingress:     172.18.255.200 (VIP)
Port:                     <unset>  80/TCP
TargetPort:               80/TCP
NodePort:                 <unset>  30081/TCP
Endpoints:                10.244.1.2:80,10.244.2.2:80
Session Affinity:         None
External Traffic Policy:  Cluster
Internal Traffic Policy:  Cluster
Events:                   <none>
";
    assert_eq!(describe_service(&cluster, "default", "web-lb").expect("found"), expected);
}

#[test]
fn describe_an_external_name_service() {
    // describeService: no IP family policy, `IP Families: <none>`, an empty IP and `IPs: <none>`,
    // External Name; no ports, so no Endpoints line. The longest label is "Session Affinity:".
    let cluster = web(None);
    let expected = "\
Name:              docs
Namespace:         default
Labels:            <none>
Annotations:       <none>
Selector:          <none>
Type:              ExternalName
IP Families:       <none>
IP:                
IPs:               <none>
External Name:     docs.example.com
Session Affinity:  None
Events:            <none>
";
    assert_eq!(describe_service(&cluster, "default", "docs").expect("found"), expected);
    let err = describe_service(&cluster, "default", "nope").unwrap_err();
    assert_eq!(err.to_string(), "Error from server (NotFound): services \"nope\" not found");
}

//! The environment variables the kubelet gives every container for the Services it can see.
//!
//! Rules (kubernetes/kubernetes `pkg/kubelet/envvars/envvars.go` `FromServices`, and
//! `pkg/kubelet/kubelet_pods.go` `getServiceEnvVarMap`; concept page "Service → Discovering
//! services → Environment variables"):
//! - The Services are those of the pod's namespace, plus `default/kubernetes` for every pod
//!   whatever its namespace. `enableServiceLinks: false` keeps only `kubernetes`. A Service of
//!   the pod's namespace that is itself named `kubernetes` takes that name's place.
//! - Only Services with a ClusterIP count: not headless ones, not ExternalName.
//! - For a Service `my-svc` (upper-cased, `-` → `_`: `MY_SVC`) with ClusterIP `ip` and first port
//!   `p`: `MY_SVC_SERVICE_HOST=ip`, `MY_SVC_SERVICE_PORT=p`, `MY_SVC_SERVICE_PORT_<NAME>=port` for
//!   every named port, then the Docker-link variables `MY_SVC_PORT=tcp://ip:p` and, per port,
//!   `MY_SVC_PORT_<port>_<PROTO>=<proto>://ip:port` with `…_PROTO`, `…_PORT` and `…_ADDR`.
//! - They are computed once, when the container starts, from the Services that exist then: a
//!   Service created after the pod is missing until the pod is recreated, and a Service deleted
//!   or changed afterwards keeps its old values in the pod (the model remembers each pod's
//!   environment in `Memory::pod_environments`). In apply order, a pod sees the Services created
//!   before it; a controller's pods appear after everything `kubectl apply` created in the same
//!   apply, and a Pending pod's containers start only when it is scheduled, so both see every
//!   Service that exists by then. The cluster's own Services always precede learners' pods.
//!
//! The kubelet collects the variables in a Go map and hands them to the runtime in map order,
//! which is unspecified; the model sorts them by name. Variables a container declares itself
//! (`env`, `envFrom`) win over these in real clusters; the model does not load them.

use crate::api::service::ServicePort;
use crate::cluster::ServiceState;
use std::collections::BTreeMap;
use std::net::{IpAddr, SocketAddr};

/// The Service whose variables every pod gets (`masterServices`), in `default`.
const MASTER_SERVICE: &str = "kubernetes";

/// `makeEnvVariableName`: upper case, `-` becomes `_`.
fn env_name(name: &str) -> String {
    name.replace('-', "_").to_uppercase()
}

/// `FromServices` for one Service with ClusterIP `ip`.
fn service_variables(name: &str, ip: IpAddr, ports: &[ServicePort], out: &mut BTreeMap<String, String>) {
    let Some(first) = ports.first() else { return };
    let prefix = env_name(name);
    let variable = |suffix: &str| [prefix.as_str(), suffix].concat();
    let host = ip.to_string();
    out.insert(variable("_SERVICE_HOST"), host.clone());
    out.insert(variable("_SERVICE_PORT"), first.port.to_string());
    for port in ports {
        if let Some(port_name) = &port.name {
            out.insert(format!("{prefix}_SERVICE_PORT_{}", env_name(port_name)), port.port.to_string());
        }
    }
    // makeLinkVariables: Docker's link variables, the first port special-cased.
    for (i, port) in ports.iter().enumerate() {
        let proto = port.protocol.as_str().to_lowercase();
        let url = format!("{proto}://{}", SocketAddr::new(ip, port.port));
        if i == 0 {
            out.insert(variable("_PORT"), url.clone());
        }
        let port_prefix = format!("{prefix}_PORT_{}_{}", port.port, port.protocol.as_str());
        out.insert([port_prefix.as_str(), "_PROTO"].concat(), proto);
        out.insert([port_prefix.as_str(), "_PORT"].concat(), port.port.to_string());
        out.insert([port_prefix.as_str(), "_ADDR"].concat(), host.clone());
        out.insert(port_prefix, url);
    }
}

/// The Service variables of a container starting in `namespace` while `services` exist,
/// sorted by name.
pub fn service_environment<'a>(
    namespace: &str,
    enable_service_links: bool,
    services: impl Iterator<Item = &'a ServiceState>,
) -> Vec<(String, String)> {
    // getServiceEnvVarMap: one Service per name; the namespace's own wins over the master one.
    let mut by_name: BTreeMap<&str, &ServiceState> = BTreeMap::new();
    let mut master = None;
    for s in services {
        if s.cluster_ip.is_none() {
            continue;
        }
        let meta = &s.service.meta;
        if meta.namespace == "default" && meta.name == MASTER_SERVICE {
            master = Some(s);
        } else if meta.namespace == namespace && enable_service_links {
            by_name.insert(&meta.name, s);
        }
    }
    if let Some(master) = master {
        by_name.entry(MASTER_SERVICE).or_insert(master);
    }
    let mut out = BTreeMap::new();
    for (name, s) in by_name {
        if let Some(ip) = s.cluster_ip {
            service_variables(name, ip, &s.service.spec.ports, &mut out);
        }
    }
    out.into_iter().collect()
}

//! The DNS side of a pod's commands: `nslookup NAME`, `dig NAME [TYPE] [+search]`,
//! `cat /etc/resolv.conf` and `env`, as they print in a pod of the simulated cluster.
//!
//! Every query is a packet through the cluster's dataplane and NetworkPolicy, and every lookup
//! is a [`Play`]. `env` prints `HOSTNAME` and the Service variables the kubelet set (the image's
//! own variables are not modeled).

use super::super::{ConsoleOutput, Play};
use crate::cluster::{Cluster, PodId};
use crate::dataplane::Dataplane;
use crate::dns::tools::{self, ToolOutput};
use crate::dns::{view, Network, RecordType};

/// The output of a lookup tool run in pod `id`, its lookups as plays.
fn ran(cluster: &Cluster, id: PodId, tool: ToolOutput) -> ConsoleOutput {
    let client = cluster.pod(id).key();
    ConsoleOutput {
        stdout: tool.stdout,
        stderr: tool.stderr,
        exit_code: tool.exit_code,
        plays: tool
            .lookups
            .iter()
            .map(|l| Play::Lookup { client: client.clone(), lookup: view::view(cluster, l) })
            .collect(),
    }
}

/// Runs `program` (`cat`, `env`, `nslookup` or `dig`) with `args` in pod `id`.
pub fn run(dataplane: &Dataplane, id: PodId, program: &str, args: &[String]) -> Result<ConsoleOutput, String> {
    let cluster: &Cluster = dataplane.cluster();
    let network = Network::new(dataplane);
    let dns = dataplane.dns();
    match program {
        "cat" => match args {
            [path] if path == "/etc/resolv.conf" => Ok(ConsoleOutput::out(dns.resolv_conf(cluster, id).to_string())),
            [path] => Ok(ConsoleOutput::failed(
                format!("cat: can't open '{path}': not modeled (kubeplay models /etc/resolv.conf)\n"),
                1,
            )),
            _ => Err("error: kubeplay exec: cat takes one file: cat /etc/resolv.conf".to_string()),
        },
        "env" => {
            let pod = cluster.pod(id);
            let hostname = match (&pod.pod.spec.hostname, pod.pod.spec.host_network, pod.node) {
                (_, true, Some(node)) => cluster.node(node).name.clone(),
                (Some(h), _, _) => h.clone(),
                _ => pod.pod.meta.name.clone(),
            };
            let mut text = format!("HOSTNAME={hostname}\n");
            for (k, v) in cluster.environment(id) {
                text.push_str(&format!("{k}={v}\n"));
            }
            Ok(ConsoleOutput::out(text))
        }
        "nslookup" => match args {
            [name] => tools::nslookup(dns, &network, id, name)
                .map(|t| ran(cluster, id, t))
                .map_err(|e| format!("nslookup: {name}: {e}")),
            _ => Err("error: kubeplay exec: usage: nslookup NAME".to_string()),
        },
        _ => {
            let search = args.iter().any(|a| a == "+search");
            let words: Vec<&String> = args.iter().filter(|a| !a.starts_with('+')).collect();
            let (name, qtype) = match words.as_slice() {
                [name] => (name, RecordType::A),
                [name, qtype] => (name, qtype.parse::<RecordType>().map_err(|e| format!("dig: {e}"))?),
                _ => return Err("error: kubeplay exec: usage: dig NAME [TYPE] [+search]".to_string()),
            };
            tools::dig(dns, &network, id, name, qtype, search)
                .map(|t| ran(cluster, id, t))
                .map_err(|e| format!("dig: '{name}': {e}"))
        }
    }
}

//! The DNS side of `kubeplay exec`: `nslookup NAME`, `dig NAME [TYPE] [+search]`,
//! `cat /etc/resolv.conf` and `env`, as they print in a pod of the simulated cluster.
//!
//! Every query is a packet through the cluster's dataplane and NetworkPolicy; problems in the
//! `coredns` or upstream ConfigMaps are printed on stderr first. `env` prints `HOSTNAME` and
//! the Service variables the kubelet set (the image's own variables are not modeled).

use kubeplay_core::cluster::{Cluster, PodId};
use kubeplay_core::dataplane::Dataplane;
use kubeplay_core::dns::tools::{self, ToolOutput};
use kubeplay_core::dns::{Network, RecordType};

fn output(stdout: String) -> ToolOutput {
    ToolOutput { stdout, stderr: String::new(), exit_code: 0, lookups: Vec::new() }
}

/// Runs `program` with `args` in pod `id`.
pub fn run(cluster: &Cluster, id: PodId, program: &str, args: &[String]) -> Result<ToolOutput, String> {
    let dataplane = Dataplane::new(cluster);
    let network = Network::new(&dataplane);
    let dns = dataplane.dns();
    for problem in &dns.problems {
        eprintln!("{problem}");
    }
    match program {
        "cat" => match args {
            [path] if path == "/etc/resolv.conf" => Ok(output(dns.resolv_conf(cluster, id).to_string())),
            [path] => Ok(ToolOutput {
                stdout: String::new(),
                stderr: format!("cat: can't open '{path}': not modeled (kubeplay models /etc/resolv.conf)\n"),
                exit_code: 1,
                lookups: Vec::new(),
            }),
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
            Ok(output(text))
        }
        "nslookup" => match args {
            [name] => tools::nslookup(dns, &network, id, name).map_err(|e| format!("nslookup: {name}: {e}")),
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
            tools::dig(dns, &network, id, name, qtype, search).map_err(|e| format!("dig: '{name}': {e}"))
        }
    }
}

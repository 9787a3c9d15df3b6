//! The commands a pod can run (`kubectl exec POD -- COMMAND`), shared by the console and the
//! CLI's `kubeplay exec`. The model runs no processes: each modeled command is computed from
//! the cluster. `dns` holds the resolver's tools (`nslookup`, `dig`, `cat /etc/resolv.conf`,
//! `env`), `net` the connection tools (`curl`, `wget`, `nc`), each built on a trace.
//!
//! [`exec`] prints what `kubectl exec` shows: problems in the `coredns` or upstream ConfigMaps
//! first (for the DNS tools), the command's output, and for a non-zero exit status kubectl's
//! `command terminated with exit code N` line, with that status.

mod dns;
mod net;

use super::ConsoleOutput;
use crate::cluster::{Cluster, PodId};
use crate::dataplane::Dataplane;

/// The commands modeled, as the message for other commands lists them.
pub const MODELED: &str = "nslookup, dig, cat /etc/resolv.conf, env, curl, wget, nc";

/// The pod `name` in `namespace`, running: kubectl's errors otherwise.
pub fn find_pod(cluster: &Cluster, namespace: &str, name: &str) -> Result<PodId, String> {
    let id = cluster
        .find_pod(namespace, name)
        .ok_or_else(|| format!("Error from server (NotFound): pods \"{name}\" not found"))?;
    let pod = cluster.pod(id);
    if pod.node.is_none() {
        let container = pod.pod.spec.containers.first().map(|c| c.name.as_str()).unwrap_or_default();
        return Err(format!("error: unable to upgrade connection: container not found (\"{container}\")"));
    }
    Ok(id)
}

/// How the command's output reaches kubectl.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Streams {
    /// stdout and stderr apart (no `-t`).
    Separate,
    /// A terminal (`-it`): the command's stderr arrives on the same stream as its stdout.
    Tty,
}

/// A command run in a pod: its output and status, and whether it ran at all (a command the
/// model does not know, or a usage it does not model, is refused before it runs).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InPod {
    pub output: ConsoleOutput,
    pub ran: bool,
}

/// Runs `command` in pod `id`; `seed` picks the random choices of connections. Problems in the
/// cluster's DNS configuration come first on stderr for the DNS tools.
pub fn run_in_pod(cluster: &Cluster, id: PodId, command: &[String], seed: u64, streams: Streams) -> InPod {
    let Some((program, args)) = command.split_first() else {
        let output =
            ConsoleOutput::failed("error: you must specify at least one command for the container\n".into(), 1);
        return InPod { output, ran: false };
    };
    let dataplane = Dataplane::new(cluster);
    let mut output = ConsoleOutput::default();
    let ran = match program.as_str() {
        "nslookup" | "dig" | "cat" | "env" => {
            for problem in &dataplane.dns().problems {
                output.stderr.push_str(&format!("{problem}\n"));
            }
            dns::run(&dataplane, id, program, args)
        }
        "curl" | "wget" | "nc" => net::run(&dataplane, id, program, args, seed),
        other => Err(format!("error: kubeplay exec: \"{other}\" is not modeled (modeled commands: {MODELED})")),
    };
    match ran {
        Ok(mut ran) => {
            if streams == Streams::Tty {
                let stderr = std::mem::take(&mut ran.stderr);
                ran.stdout.push_str(&stderr);
            }
            output.exit_code = ran.exit_code;
            output.append(ran);
            InPod { output, ran: true }
        }
        Err(message) => {
            output.stderr.push_str(&message);
            output.stderr.push('\n');
            output.exit_code = 1;
            InPod { output, ran: false }
        }
    }
}

/// `kubectl exec POD -- COMMAND`: the command's output, and for a non-zero status kubectl's
/// `command terminated with exit code N` on stderr.
pub fn exec(cluster: &Cluster, id: PodId, command: &[String], seed: u64, streams: Streams) -> ConsoleOutput {
    let InPod { mut output, ran } = run_in_pod(cluster, id, command, seed, streams);
    if ran && output.exit_code != 0 {
        output.stderr.push_str(&format!("command terminated with exit code {}\n", output.exit_code));
    }
    output
}

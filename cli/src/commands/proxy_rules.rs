//! `kubeplay proxy-rules -f PATH... [--node NAME]`: the rules kube-proxy programs on each
//! node, as `iptables-save` prints them (or the `nft` transaction in nftables mode).

use crate::workspace::apply_workspace;
use kubeplay_core::kube_proxy::{self, ProgrammedRules};
use std::process::ExitCode;

/// Arguments of `kubeplay proxy-rules`.
#[derive(clap::Args)]
pub struct Args {
    /// Only this node's rules (default: every node, each after a `# Node: NAME` line)
    #[arg(long = "node")]
    node: Option<String>,
    /// Files, directories (their .yaml/.yml/.json files) or - for standard input
    #[arg(short = 'f', long = "filename", required = true)]
    files: Vec<String>,
}

/// Runs `proxy-rules`. Exit 1 when the workspace has errors, the node does not exist or the
/// cluster's kube-proxy runs in ipvs mode (not modeled).
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let (sim, had_errors) = apply_workspace(&args.files)?;
    let cluster = sim.cluster();
    let nodes: Vec<_> = match &args.node {
        Some(name) => {
            let index = cluster
                .nodes
                .iter()
                .position(|n| &n.name == name)
                .ok_or_else(|| format!("Error from server (NotFound): nodes \"{name}\" not found"))?;
            vec![index]
        }
        None => (0..cluster.nodes.len()).collect(),
    };
    let mut out = String::new();
    for index in nodes {
        let id = kubeplay_core::cluster::NodeId(index as u16);
        match kube_proxy::programmed_rules(cluster, id) {
            ProgrammedRules::Ipvs => {
                return Err(
                    "error: kubeProxyMode ipvs is not modeled; kubeplay shows iptables and nftables rules".into()
                )
            }
            ProgrammedRules::NoKubeProxy => {
                eprintln!("kube-proxy does not run (kubeProxyMode: none): there are no rules");
                break;
            }
            rules => {
                if args.node.is_none() {
                    out.push_str(&format!("# Node: {}\n", cluster.nodes[index].name));
                }
                out.push_str(&rules.text().unwrap_or_default());
            }
        }
    }
    print!("{out}");
    Ok(if had_errors { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

//! `kubeplay dns -f PATH... --from NS/POD NAME [--type TYPE] [-o json]`: a name resolved from
//! a pod as its C library resolves it, with every query the resolver sent.
//!
//! Text output lists each query (`NAME TYPE RCODE`, its answers indented), then the result.
//! JSON output is the contract of docs/cli.md: `rcode`, `answers` and `queries`, names
//! without their final dot.

use crate::workspace::apply_workspace;
use kubeplay_core::console::tools::find_pod;
use kubeplay_core::dataplane::{Dataplane, Source};
use kubeplay_core::dns::{Expansion, Name, Network, RecordType};
use std::process::ExitCode;

/// Arguments of `kubeplay dns`.
#[derive(clap::Args)]
pub struct Args {
    /// The name to resolve
    name: String,
    /// Where the lookup runs: a pod as NAMESPACE/NAME (NAME alone: in default), node/NAME (the
    /// node's resolver), or external (a public resolver)
    #[arg(long = "from", required = true)]
    from: String,
    /// The record type to ask for
    #[arg(long = "type", default_value = "A", value_parser = ["A", "AAAA", "SRV", "PTR", "CNAME"], ignore_case = true)]
    qtype: String,
    /// Output format
    #[arg(short = 'o', long = "output", value_parser = ["json"])]
    output: Option<String>,
    /// Files, directories (their .yaml/.yml/.json files) or - for standard input
    #[arg(short = 'f', long = "filename", required = true)]
    files: Vec<String>,
}

/// Runs `dns`; exits 1 when the workspace has errors or the pod cannot run the lookup.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let qtype: RecordType = args.qtype.parse()?;
    let name = Name::parse(&args.name).map_err(|e| format!("error: \"{}\": {e}", args.name))?;
    let (sim, had_errors) = apply_workspace(&args.files)?;
    let cluster = sim.cluster();
    let client = match args.from.as_str() {
        text if text == "external" || text.starts_with("external:") || text.starts_with("node/") => {
            Source::parse(cluster, text).map_err(|e| e.to_string())?
        }
        text => {
            let (namespace, name) = text.split_once('/').unwrap_or(("default", text));
            Source::Pod(find_pod(cluster, namespace, name)?)
        }
    };
    let dataplane = Dataplane::new(cluster);
    let dns = dataplane.dns();
    for problem in &dns.problems {
        eprintln!("{problem}");
    }
    let lookup = dns.lookup(&Network::new(&dataplane), client, &name, &[qtype], Expansion::Glibc);
    if args.output.is_some() {
        let doc = kubeplay_core::dns::view::view(cluster, &lookup);
        println!("{}", serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?);
    } else {
        for q in &lookup.queries {
            println!("{}\t{}\t{}", q.name, q.qtype, q.outcome.rcode_text());
            for r in q.outcome.answers() {
                println!("    {r}");
            }
        }
        println!("\n{}", lookup.rcode);
        for r in &lookup.answers {
            println!("{r}");
        }
    }
    Ok(if had_errors { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

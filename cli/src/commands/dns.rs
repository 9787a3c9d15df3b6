//! `kubeplay dns -f PATH... --from NS/POD NAME [--type TYPE] [-o json]`: a name resolved from
//! a pod as its C library resolves it, with every query the resolver sent.
//!
//! Text output lists each query (`NAME TYPE RCODE`, its answers indented), then the result.
//! JSON output is the contract of docs/cli.md: `rcode`, `answers` and `queries`, names
//! without their final dot.

use super::exec::find_pod;
use crate::workspace::apply_workspace;
use kubeplay_core::dns::{Dns, Expansion, Name, PolicyNetwork, Record, RecordType};
use serde_json::{json, Value};
use std::process::ExitCode;

/// Arguments of `kubeplay dns`.
#[derive(clap::Args)]
pub struct Args {
    /// The name to resolve
    name: String,
    /// The pod the lookup runs in, as NAMESPACE/NAME (NAME alone: in default)
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

fn records_json(records: &[Record]) -> Value {
    Value::Array(
        records
            .iter()
            .map(|r| json!({"name": r.name.as_str(), "type": r.record_type().as_str(), "ttl": r.ttl, "data": r.data_text()}))
            .collect(),
    )
}

/// Runs `dns`; exits 1 when the workspace has errors or the pod cannot run the lookup.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let qtype: RecordType = args.qtype.parse()?;
    let name = Name::parse(&args.name).map_err(|e| format!("error: \"{}\": {e}", args.name))?;
    let (sim, had_errors) = apply_workspace(&args.files)?;
    let cluster = sim.cluster();
    let id = find_pod(cluster, &args.from)?;
    let dns = Dns::new(cluster);
    for problem in &dns.problems {
        eprintln!("{problem}");
    }
    let lookup = dns.lookup(cluster, id, &name, &[qtype], Expansion::Glibc, &PolicyNetwork);
    if args.output.is_some() {
        let queries: Vec<Value> = lookup
            .queries
            .iter()
            .map(|q| {
                json!({
                    "name": q.name.as_str(),
                    "type": q.qtype.as_str(),
                    "rcode": q.outcome.rcode_text(),
                    "answers": records_json(q.outcome.answers()),
                })
            })
            .collect();
        let doc = json!({"rcode": lookup.rcode, "answers": records_json(&lookup.answers), "queries": queries});
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

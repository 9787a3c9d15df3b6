//! `kubeplay trace -f PATH... --from SOURCE --to TARGET [--port N] [--protocol P] [--seed N]
//! [-o json]`: one connection through the simulated cluster, hop by hop, with the verdict and
//! the reply path (docs/cli.md).

use crate::workspace::apply_workspace;
use kubeplay_core::api::Protocol;
use kubeplay_core::dataplane::render::{self, HopView, TraceView};
use kubeplay_core::dataplane::{Dataplane, Source, Target, TraceRequest};
use std::fmt::Write;
use std::process::ExitCode;

/// Arguments of `kubeplay trace`.
#[derive(clap::Args)]
pub struct Args {
    /// Files, directories (their .yaml/.yml/.json files) or - for standard input
    #[arg(short = 'f', long = "filename", required = true)]
    files: Vec<String>,
    /// Where the connection starts: NAMESPACE/POD, node/NAME, external or external:IP
    #[arg(long)]
    from: String,
    /// Where it goes: NAMESPACE/POD, an IP, or a Service name (svc.ns, svc.ns.svc.cluster.local)
    #[arg(long)]
    to: String,
    /// Destination port (default: the Service's first port, the pod's first containerPort, or 80)
    #[arg(long)]
    port: Option<u16>,
    /// TCP, UDP or SCTP
    #[arg(long, default_value = "TCP", value_parser = parse_protocol)]
    protocol: Protocol,
    /// Picks the random choices (source port, endpoint, load-balancer node) reproducibly
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Output format: json for scripts (see docs/cli.md)
    #[arg(short = 'o', long = "output", value_parser = ["json"])]
    output: Option<String>,
}

/// `--protocol`, case-insensitively.
pub fn parse_protocol(text: &str) -> Result<Protocol, String> {
    Protocol::parse(&text.to_ascii_uppercase())
        .ok_or_else(|| format!("unsupported protocol \"{text}\": use TCP, UDP or SCTP"))
}

/// Runs `trace`: exit 0 when a trace was computed (whatever its verdict), 1 when the workspace
/// has errors or the source or target does not exist.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let (sim, had_errors) = apply_workspace(&args.files)?;
    let cluster = sim.cluster();
    let from = Source::parse(cluster, &args.from).map_err(|e| e.to_string())?;
    let to = Target::parse(cluster, &args.to).map_err(|e| e.to_string())?;
    let request = TraceRequest { from, to, port: args.port, protocol: args.protocol, seed: args.seed };
    let trace = Dataplane::new(cluster).trace(&request).map_err(|e| e.to_string())?;
    let view = render::view(cluster, &trace);
    if args.output.is_some() {
        println!("{}", serde_json::to_string_pretty(&view).map_err(|e| e.to_string())?);
    } else {
        print!("{}", text(&view));
    }
    Ok(if had_errors { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

/// The readable form: the hops as a table (each matched rule on the line below its hop), the
/// verdict, and the reply's hops.
fn text(view: &TraceView) -> String {
    let mut out = table(&view.hops);
    let _ = writeln!(out, "\nVERDICT: {}\nREASON:  {}", view.verdict, view.reason);
    if let Some(d) = &view.delivered_as {
        let _ = writeln!(out, "DELIVERED AS: {} -> {}", d.src, d.dst);
    }
    if !view.reply.is_empty() {
        let _ = writeln!(out, "\nREPLY:");
        out.push_str(&table(&view.reply));
    }
    out
}

fn table(hops: &[HopView]) -> String {
    let width = |f: fn(&HopView) -> &str, title: &str| {
        hops.iter().map(|h| f(h).chars().count()).max().unwrap_or(0).max(title.len())
    };
    let (at, action, src) = (width(|h| &h.at, "AT"), width(|h| &h.action, "ACTION"), width(|h| &h.src, "SRC"));
    let mut out = format!("{:<3} {:<at$}   {:<action$}   {:<src$}   DST\n", "#", "AT", "ACTION", "SRC");
    for (i, h) in hops.iter().enumerate() {
        let _ = writeln!(out, "{:<3} {:<at$}   {:<action$}   {:<src$}   {}", i + 1, h.at, h.action, h.src, h.dst);
        if let Some(rule) = &h.rule {
            let _ = writeln!(out, "    rule: {rule}");
        }
    }
    out
}

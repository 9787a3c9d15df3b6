//! `kubeplay`: the playground's cluster model from the command line.
//!
//! Every command reads a workspace (`-f` files, directories or `-`), applies it to a fresh
//! simulated cluster exactly as the web app does, and prints what kubectl would. Output
//! formats are a contract for teachers' scripts: see docs/cli.md.

mod commands;
mod lessons;
mod workspace;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// A Kubernetes networking playground: a simulated cluster you drive with real YAML.
#[derive(Parser)]
#[command(name = "kubeplay", version, about, long_about = None, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate and apply manifests to a fresh simulated cluster (like `kubectl apply -f`)
    Apply(commands::apply::Args),
    /// Display objects of the simulated cluster, as `kubectl get` prints them
    Get(commands::get::Args),
    /// Show the details of an object, as `kubectl describe` prints them
    Describe(commands::describe::Args),
    /// Which pods may connect to which under the NetworkPolicies, as a truth table (or a diff)
    Matrix(commands::matrix::Args),
    /// Run a command in a pod (nslookup, dig, cat /etc/resolv.conf, env), as `kubectl exec` shows it
    Exec(commands::exec::Args),
    /// Resolve a name from a pod, listing every query its resolver sends
    Dns(commands::dns::Args),
    /// Print the rules kube-proxy programs on each node, as `iptables-save` shows them
    ProxyRules(commands::proxy_rules::Args),
    /// Follow one connection hop by hop through the simulated cluster network
    Trace(commands::trace::Args),
    /// Grade a workspace against a lesson's goals (exit 0 when all pass)
    Check(commands::check::Args),
    /// The lessons built into kubeplay
    Lessons(commands::lessons::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Apply(args) => commands::apply::run(&args),
        Command::Get(args) => commands::get::run(&args),
        Command::Describe(args) => commands::describe::run(&args),
        Command::Matrix(args) => commands::matrix::run(&args),
        Command::Exec(args) => commands::exec::run(&args),
        Command::Dns(args) => commands::dns::run(&args),
        Command::ProxyRules(args) => commands::proxy_rules::run(&args),
        Command::Trace(args) => commands::trace::run(&args),
        Command::Check(args) => commands::check::run(&args),
        Command::Lessons(args) => commands::lessons::run(&args),
    };
    match result {
        Ok(code) => code,
        Err(message) => {
            eprintln!("{message}");
            ExitCode::FAILURE
        }
    }
}

//! `kubeplay get RESOURCE [NAME] [-n NS | -A] [-o wide|json|yaml] -f PATH...`: kubectl's view.

use crate::workspace::apply_workspace;
use kubeplay_core::render::{self, Format, GetError, Query, Resource, Scope};
use std::process::ExitCode;

/// Arguments of `kubeplay get`.
#[derive(clap::Args)]
pub struct Args {
    /// The resource type: pods, services, endpoints, endpointslices, nodes, deployments, ...
    resource: String,
    /// Only the object with this name
    name: Option<String>,
    /// The namespace to list (default: default)
    #[arg(short = 'n', long = "namespace", default_value = "default")]
    namespace: String,
    /// List across all namespaces
    #[arg(short = 'A', long = "all-namespaces")]
    all_namespaces: bool,
    /// Output format
    #[arg(short = 'o', long = "output", value_parser = ["wide", "json", "yaml"])]
    output: Option<String>,
    /// Files, directories (their .yaml/.yml/.json files) or - for standard input
    #[arg(short = 'f', long = "filename", required = true)]
    files: Vec<String>,
}

/// The output format named by `-o`.
pub fn format(output: Option<&str>) -> Format {
    match output {
        Some("wide") => Format::Wide,
        Some("json") => Format::Json,
        Some("yaml") => Format::Yaml,
        _ => Format::Table,
    }
}

/// Runs `get`. Exit 1 when the workspace has errors or a named object does not exist; "No
/// resources found" is a message on stderr with exit 0, as kubectl does.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    let resource = Resource::parse(&args.resource).ok_or_else(|| {
        format!("error: the server doesn't have a resource type \"{}\"", args.resource)
    })?;
    let (sim, had_errors) = apply_workspace(&args.files)?;
    let scope = if args.all_namespaces { Scope::All } else { Scope::Namespace(args.namespace.clone()) };
    if let Some(warning) = resource.warning() {
        eprintln!("{warning}");
    }
    let query = Query { resource, scope, name: args.name.clone() };
    let failed = match render::get(sim.cluster(), &query, format(args.output.as_deref())) {
        Ok(text) => {
            print!("{text}");
            false
        }
        Err(e @ GetError::NoResources(_)) => {
            eprintln!("{e}");
            false
        }
        Err(e) => {
            eprintln!("{e}");
            true
        }
    };
    Ok(if failed || had_errors { ExitCode::FAILURE } else { ExitCode::SUCCESS })
}

//! `kubeplay describe service NAME [-n NS] -f PATH...`: kubectl's describe text.

use crate::workspace::apply_workspace;
use kubeplay_core::render::{self, Resource};
use std::process::ExitCode;

/// Arguments of `kubeplay describe`.
#[derive(clap::Args)]
pub struct Args {
    /// The resource type (services is supported)
    resource: String,
    /// The object's name
    name: String,
    /// The object's namespace
    #[arg(short = 'n', long = "namespace", default_value = "default")]
    namespace: String,
    /// Files, directories (their .yaml/.yml/.json files) or - for standard input
    #[arg(short = 'f', long = "filename", required = true)]
    files: Vec<String>,
}

/// Runs `describe`; exits 1 when the object does not exist or the workspace has errors.
pub fn run(args: &Args) -> Result<ExitCode, String> {
    match Resource::parse(&args.resource) {
        Some(Resource::Services) => {}
        Some(_) => return Err(format!("error: kubeplay can describe services; \"{}\" is not supported yet", args.resource)),
        None => return Err(format!("error: the server doesn't have a resource type \"{}\"", args.resource)),
    }
    let (sim, had_errors) = apply_workspace(&args.files)?;
    match render::describe_service(sim.cluster(), &args.namespace, &args.name) {
        Ok(text) => {
            print!("{text}");
            Ok(if had_errors { ExitCode::FAILURE } else { ExitCode::SUCCESS })
        }
        Err(e) => Err(e.to_string()),
    }
}

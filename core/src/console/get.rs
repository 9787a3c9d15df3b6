//! `kubectl get` and `kubectl describe`: the arguments as kubectl reads them (`TYPE [NAME...]`
//! or `TYPE/NAME...`, `-n`, `-A`, `-o`), printed by [`crate::render`].

use super::flags::{self, Flag, Parsed};
use super::ConsoleOutput;
use crate::cluster::Cluster;
use crate::render::{self, Format, GetError, Resource, Scope};

const GET_FLAGS: &[Flag] = &[
    Flag::value("namespace", Some('n')),
    Flag::bool("all-namespaces", Some('A')),
    Flag::value("output", Some('o')),
    Flag::unmodeled("selector", Some('l')),
    Flag::unmodeled("watch", Some('w')),
    Flag::unmodeled("show-labels", None),
    Flag::unmodeled("show-kind", None),
    Flag::unmodeled("sort-by", None),
    Flag::unmodeled("label-columns", Some('L')),
    Flag::unmodeled("field-selector", None),
];

const DESCRIBE_FLAGS: &[Flag] = &[
    Flag::value("namespace", Some('n')),
    Flag::bool("all-namespaces", Some('A')),
    Flag::unmodeled("selector", Some('l')),
    Flag::unmodeled("show-events", None),
];

/// The flags `get` and `describe` accept (for completion).
pub fn flag_names(command: &str) -> Vec<String> {
    let spec = if command == "get" { GET_FLAGS } else { DESCRIBE_FLAGS };
    spec.iter().map(|f| format!("--{}", f.long)).collect()
}

/// A flag error as kubectl prints it for `command`.
pub fn flag_error(command: &str, e: &flags::FlagError) -> ConsoleOutput {
    match e {
        flags::FlagError::Unmodeled(_) => ConsoleOutput::error(format!("error: {e}")),
        _ => ConsoleOutput::error(format!("error: {e}\nSee 'kubectl {command} --help' for usage.")),
    }
}

/// The namespace scope of `-n` and `-A`.
pub fn scope(parsed: &Parsed) -> Scope {
    if parsed.is_set("all-namespaces") {
        Scope::All
    } else {
        Scope::Namespace(parsed.value("namespace").unwrap_or("default").to_string())
    }
}

/// What the positional arguments name: one type and the names asked for (none: all).
fn target(args: &[String]) -> Result<(Resource, Vec<String>), ConsoleOutput> {
    let unknown = |t: &str| ConsoleOutput::error(format!("error: the server doesn't have a resource type \"{t}\""));
    let parse = |t: &str| {
        if t == "all" || t.contains(',') {
            return Err(ConsoleOutput::error(format!(
                "error: kubeplay prints one resource type at a time; \"{t}\" is not modeled"
            )));
        }
        Resource::parse(t).ok_or_else(|| unknown(t))
    };
    let Some(first) = args.first() else {
        return Err(ConsoleOutput::error(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples",
        ));
    };
    if !first.contains('/') {
        if let Some(slashed) = args[1..].iter().find(|a| a.contains('/')) {
            return Err(ConsoleOutput::error(format!(
                "error: there is no need to specify a resource type as a separate argument when passing arguments in resource/name form (e.g. 'kubectl get resource/<resource_name>' instead of 'kubectl get resource resource/<resource_name>'\n(argument: {slashed})"
            )));
        }
        return Ok((parse(first)?, args[1..].to_vec()));
    }
    let mut resource = None;
    let mut names = Vec::new();
    for arg in args {
        let Some((t, name)) = arg.split_once('/').filter(|(_, n)| !n.is_empty()) else {
            return Err(ConsoleOutput::error(format!(
                "error: arguments in resource/name form must have a single resource and name (argument: {arg})"
            )));
        };
        let r = parse(t)?;
        if resource.is_some_and(|seen| seen != r) {
            return Err(ConsoleOutput::error("error: kubeplay prints one resource type at a time"));
        }
        resource = Some(r);
        names.push(name.to_string());
    }
    resource.map(|r| (r, names)).ok_or_else(|| unknown(first))
}

fn format(output: Option<&str>) -> Result<Format, ConsoleOutput> {
    match output {
        None => Ok(Format::Table),
        Some("wide") => Ok(Format::Wide),
        Some("json") => Ok(Format::Json),
        Some("yaml") => Ok(Format::Yaml),
        Some("name") => Ok(Format::Name),
        Some(other) if ["jsonpath", "custom-columns", "go-template", "template"].iter().any(|p| other.starts_with(p)) => {
            Err(ConsoleOutput::error(format!("error: -o {other} is not modeled by kubeplay (use wide, yaml, json or name)")))
        }
        Some(other) => Err(ConsoleOutput::error(format!(
            "error: unable to match a printer suitable for the output format \"{other}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
        ))),
    }
}

/// `kubectl get ARGS...`.
pub fn get(cluster: &Cluster, words: &[String]) -> ConsoleOutput {
    let parsed = match flags::parse(words, GET_FLAGS) {
        Ok(parsed) => parsed,
        Err(e) => return flag_error("get", &e),
    };
    let (resource, names) = match target(&parsed.args) {
        Ok(target) => target,
        Err(e) => return e,
    };
    let format = match format(parsed.value("output")) {
        Ok(format) => format,
        Err(e) => return e,
    };
    let scope = scope(&parsed);
    if !names.is_empty() && scope == Scope::All {
        return ConsoleOutput::error(GetError::NameAcrossNamespaces.to_string());
    }
    let mut output = ConsoleOutput::default();
    if let Some(warning) = resource.warning() {
        output.stderr.push_str(&format!("{warning}\n"));
    }
    let listing = render::get_named(cluster, resource, &scope, &names, format);
    output.stdout = listing.text;
    for e in &listing.errors {
        output.stderr.push_str(&format!("{e}\n"));
        if !matches!(e, GetError::NoResources(_)) {
            output.exit_code = 1;
        }
    }
    output
}

/// `kubectl describe ARGS...`: services (kubectl's `ServiceDescriber`); several objects are
/// separated by two blank lines, and a name that matches nothing describes every object whose
/// name starts with it (`DescribeMatchingResources`).
pub fn describe(cluster: &Cluster, words: &[String]) -> ConsoleOutput {
    let parsed = match flags::parse(words, DESCRIBE_FLAGS) {
        Ok(parsed) => parsed,
        Err(e) => return flag_error("describe", &e),
    };
    if parsed.args.is_empty() {
        return ConsoleOutput::error(
            "You must specify the type of resource to describe. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nSee 'kubectl describe -h' for help and examples",
        );
    }
    let (resource, names) = match target(&parsed.args) {
        Ok(target) => target,
        Err(e) => return e,
    };
    if resource != Resource::Services {
        return ConsoleOutput::error(format!(
            "error: kubeplay models kubectl describe for services only; try: kubectl get {} -o yaml",
            resource.qualified_name()
        ));
    }
    let scope = scope(&parsed);
    let in_scope: Vec<(&str, &str)> = {
        let mut all: Vec<(&str, &str)> = cluster
            .services
            .iter()
            .map(|s| (s.service.meta.namespace.as_str(), s.service.meta.name.as_str()))
            .filter(|(ns, _)| match &scope {
                Scope::Namespace(want) => ns == want,
                Scope::All => true,
            })
            .collect();
        all.sort();
        all
    };
    let mut output = ConsoleOutput::default();
    let mut chosen: Vec<(&str, &str)> = Vec::new();
    if names.is_empty() {
        chosen = in_scope.clone();
        if chosen.is_empty() {
            output.stderr = format!("{}\n", GetError::NoResources(scope.clone()));
        }
    }
    for name in &names {
        let exact: Vec<(&str, &str)> = in_scope.iter().filter(|(_, n)| n == name).copied().collect();
        let matching = if exact.is_empty() {
            in_scope.iter().filter(|(_, n)| n.starts_with(name.as_str())).copied().collect()
        } else {
            exact
        };
        if matching.is_empty() {
            output.stderr.push_str(&format!("{}\n", GetError::NotFound { resource, name: name.clone() }));
            output.exit_code = 1;
        }
        chosen.extend(matching);
    }
    let texts: Vec<String> =
        chosen.iter().filter_map(|(ns, name)| render::describe_service(cluster, ns, name).ok()).collect();
    output.stdout = texts.join("\n\n");
    output
}

//! Tab completion for the console: the words that may replace the word the cursor ends
//! (commands, kubectl's subcommands and flags, resource types, object names in the namespace
//! of `-n`, pod names after `exec`, namespaces after `-n`, workspace files after `apply -f`,
//! the pod commands after `--`). Sorted, without duplicates, each starting with what is typed.

use super::words::split_words;
use super::{apply, exec, get, Context};
use crate::render::{self, Resource, Scope};

const SUBCOMMANDS: &[&str] = &["apply", "describe", "exec", "get", "help", "run", "version"];
const POD_COMMANDS: &[&str] = &["cat", "curl", "dig", "env", "nc", "nslookup", "wget"];
/// Flags whose value is the next word when not written with `=`.
const VALUE_FLAGS: &[&str] = &[
    "-n",
    "--namespace",
    "-c",
    "--container",
    "-o",
    "--output",
    "-f",
    "--filename",
    "-l",
    "--labels",
    "--selector",
    "--image",
    "--restart",
    "--env",
    "--port",
];

/// Candidates for the word that ends at byte `cursor` of `line` (the text after the last
/// unquoted blank before the cursor).
pub fn completions(context: &Context<'_>, line: &str, cursor: usize) -> Vec<String> {
    let Some(before) = line.get(..cursor) else { return Vec::new() };
    let Ok(mut words) = split_words(before) else { return Vec::new() };
    let at_blank = before.is_empty() || before.ends_with([' ', '\t']);
    let current = if at_blank { String::new() } else { words.pop().map(|w| w.text).unwrap_or_default() };
    let previous: Vec<String> = words.into_iter().map(|w| w.text).collect();
    let mut candidates = candidates(context, &previous, &current);
    candidates.retain(|c| c.starts_with(current.as_str()));
    candidates.sort();
    candidates.dedup();
    candidates
}

fn strings(words: &[&str]) -> Vec<String> {
    words.iter().map(|w| w.to_string()).collect()
}

fn candidates(context: &Context<'_>, previous: &[String], current: &str) -> Vec<String> {
    let cluster = context.simulation.cluster();
    let Some((program, rest)) = previous.split_first() else { return strings(&["kubectl", "help", "clear"]) };
    if program != "kubectl" && program != "k" {
        return Vec::new();
    }
    let Some((sub, rest)) = rest.split_first() else { return strings(SUBCOMMANDS) };
    let namespaces = || cluster.namespaces.iter().map(|n| n.name.clone()).collect::<Vec<_>>();
    let last = rest.last().map(String::as_str);
    if matches!(last, Some("-n" | "--namespace")) {
        return namespaces();
    }
    if let Some(value) = current.strip_prefix("--namespace=") {
        return namespaces().into_iter().filter(|n| n.starts_with(value)).map(|n| format!("--namespace={n}")).collect();
    }
    if sub == "apply" && matches!(last, Some("-f" | "--filename")) {
        return context.files.iter().map(|f| f.name.clone()).collect();
    }
    if let Some(dash) = rest.iter().position(|w| w == "--") {
        return after_dash(context, &rest[dash + 1..], &namespace_of(rest));
    }
    if current.starts_with('-') {
        return match sub.as_str() {
            "get" | "describe" => get::flag_names(sub),
            "exec" | "run" => exec::flag_names(sub),
            "apply" => apply::flag_names(),
            _ => Vec::new(),
        };
    }
    let scope = Scope::Namespace(namespace_of(rest));
    let positionals = positionals(rest);
    match (sub.as_str(), positionals.as_slice()) {
        ("get" | "describe", []) => match current.split_once('/') {
            Some((t, _)) => Resource::parse(t)
                .map(|r| render::names(cluster, r, &scope).into_iter().map(|n| format!("{t}/{n}")).collect())
                .unwrap_or_default(),
            None => Resource::ALL.iter().flat_map(|r| r.spellings()).map(str::to_string).collect(),
        },
        ("get" | "describe", [t, ..]) => {
            Resource::parse(t).map(|r| render::names(cluster, r, &scope)).unwrap_or_default()
        }
        ("exec", []) => render::names(cluster, Resource::Pods, &scope),
        ("exec" | "run", [_, ..]) => strings(&["--"]),
        _ => Vec::new(),
    }
}

/// The namespace `-n`/`--namespace` names among `words` (default: `default`).
fn namespace_of(words: &[String]) -> String {
    let mut namespace = "default".to_string();
    let mut iter = words.iter().take_while(|w| *w != "--");
    while let Some(word) = iter.next() {
        if word == "-n" || word == "--namespace" {
            if let Some(value) = iter.next() {
                namespace = value.clone();
            }
        } else if let Some(value) = word.strip_prefix("--namespace=").or_else(|| word.strip_prefix("-n")) {
            if !value.is_empty() && !word.starts_with("--") || word.starts_with("--namespace=") {
                namespace = value.to_string();
            }
        }
    }
    namespace
}

/// The positional arguments among `words` (flags and their values left out).
fn positionals(words: &[String]) -> Vec<&String> {
    let mut out = Vec::new();
    let mut iter = words.iter();
    while let Some(word) = iter.next() {
        if VALUE_FLAGS.contains(&word.as_str()) {
            iter.next();
        } else if !word.starts_with('-') {
            out.push(word);
        }
    }
    out
}

/// Candidates after `--`: a pod command, then for `cat` the file modeled and for the network
/// tools the Services of the namespace.
fn after_dash(context: &Context<'_>, command: &[String], namespace: &str) -> Vec<String> {
    match command.first().map(String::as_str) {
        None => strings(POD_COMMANDS),
        Some("cat") => strings(&["/etc/resolv.conf"]),
        Some("env") => Vec::new(),
        Some(_) => {
            render::names(context.simulation.cluster(), Resource::Services, &Scope::Namespace(namespace.to_string()))
        }
    }
}

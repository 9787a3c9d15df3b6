//! The playground's console: a kubectl command line interpreted over the simulated cluster,
//! with no IO. [`run`] takes one line as a learner types it at a shell prompt and returns what
//! the terminal would show ([`ConsoleOutput`]: stdout, stderr, the exit status) and every
//! network exchange the command made ([`Play`]s), for the front end to animate.
//!
//! The line is split like a POSIX shell splits it (`words`), kubectl's flags are parsed as
//! cobra and pflag parse them (`flags`), and each subcommand prints what kubectl 1.33 prints:
//! `get` and `describe` through [`crate::render`], `apply -f FILE` on a copy of the
//! simulation (`apply`), `exec POD -- COMMAND` through the pod tools of [`tools`] (shared with
//! the CLI's `kubeplay exec`), and `run NAME --image=IMG -- COMMAND` in a throwaway pod added
//! to a copy of the simulation (`run`). Errors are kubectl's own words; commands and flags that
//! kubectl has but the playground does not model say so and list what is supported.
//!
//! Invariants: `run` never changes the simulation it is given (a command that creates objects
//! works on a copy, dropped afterwards, so `run --rm` leaves no pod behind); the same line on
//! the same simulation with the same seed gives the same output; no input panics.

mod apply;
mod complete;
mod exec;
mod flags;
mod get;
mod help;
pub mod tools;
pub mod words;

pub use complete::completions;

use crate::dataplane::render::TraceView;
use crate::dns::view::LookupView;
use crate::simulation::{Simulation, SourceFile};

/// A network exchange a command made, for the front end to animate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Play {
    /// One connection, hop by hop (with the lookup of its target name inside, when it had one).
    Trace(Box<TraceView>),
    /// One name lookup (nslookup, dig) from the pod `client` (`namespace/name`), query by query.
    Lookup { client: String, lookup: LookupView },
}

impl Play {
    /// Whether this is a reverse lookup only (getnameinfo naming an address: PTR queries).
    fn is_reverse_lookup(&self) -> bool {
        match self {
            Play::Lookup { lookup, .. } => lookup.queries.iter().all(|q| q.record_type == "PTR"),
            Play::Trace(_) => false,
        }
    }
}

/// What a command printed, its exit status, and the exchanges it made in the order they
/// happened.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConsoleOutput {
    pub stdout: String,
    pub stderr: String,
    pub exit_code: u8,
    pub plays: Vec<Play>,
}

impl ConsoleOutput {
    /// Success with `stdout`.
    pub fn out(stdout: String) -> ConsoleOutput {
        ConsoleOutput { stdout, ..ConsoleOutput::default() }
    }

    /// Failure with `stderr` (ending with a newline) and `exit_code`.
    pub fn failed(stderr: String, exit_code: u8) -> ConsoleOutput {
        ConsoleOutput { stderr, exit_code, ..ConsoleOutput::default() }
    }

    /// A kubectl error: `message` on stderr, exit status 1.
    fn error(message: impl Into<String>) -> ConsoleOutput {
        let mut stderr = message.into();
        if !stderr.ends_with('\n') {
            stderr.push('\n');
        }
        ConsoleOutput::failed(stderr, 1)
    }

    /// Appends `other`'s output and plays (the exit status stays `self`'s).
    fn append(&mut self, other: ConsoleOutput) {
        self.stdout.push_str(&other.stdout);
        self.stderr.push_str(&other.stderr);
        self.plays.extend(other.plays);
    }

    /// The play a front end shows when it shows one: the last connection, else the first
    /// lookup of a name (the reverse lookups nslookup makes to name addresses are bookkeeping).
    pub fn featured(&self) -> Option<&Play> {
        self.plays
            .iter()
            .rev()
            .find(|p| matches!(p, Play::Trace(_)))
            .or_else(|| self.plays.iter().find(|p| !p.is_reverse_lookup()))
            .or_else(|| self.plays.first())
    }
}

/// What a command runs against: the simulation, the workspace files it was applied from
/// (`apply -f` reads them by name) and the seed of connections' random choices (a front end
/// passes a new one per command, so that repeated connections spread over endpoints).
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    pub simulation: &'a Simulation,
    pub files: &'a [SourceFile],
    pub seed: u64,
}

/// Runs one command line.
pub fn run(context: &Context<'_>, line: &str) -> ConsoleOutput {
    let words = match words::split(line) {
        Ok(words) => words,
        Err(words::SplitError::UnterminatedQuote(q)) => {
            return ConsoleOutput::failed(format!("sh: syntax error: unterminated quoted string ({q})\n"), 2)
        }
    };
    let Some((program, args)) = words.split_first() else { return ConsoleOutput::default() };
    match program.as_str() {
        "kubectl" | "k" => kubectl(context, args),
        "help" => ConsoleOutput::out(help::HELP.to_string()),
        other => ConsoleOutput::failed(format!("sh: {other}: not found\n{}", help::SUPPORTED), 127),
    }
}

/// kubectl's global `-n NS` (`--namespace NS`, `--namespace=NS`, `-nNS`) may come before the
/// subcommand (`kubectl -n shop get pods`); it is moved after it, where each command reads it.
fn subcommand_first(args: &[String]) -> Vec<String> {
    let mut global = Vec::new();
    let mut rest = args.iter().peekable();
    while let Some(word) = rest.next_if(|w| w.starts_with('-') && w.as_str() != "--") {
        let takes_next = word == "-n" || word == "--namespace";
        let is_namespace =
            takes_next || word.starts_with("--namespace=") || (word.starts_with("-n") && !word.starts_with("--"));
        if !is_namespace {
            return args.to_vec();
        }
        global.push(word.clone());
        if takes_next {
            global.extend(rest.next().cloned());
        }
    }
    match rest.next() {
        Some(command) => std::iter::once(command.clone()).chain(global).chain(rest.cloned()).collect(),
        None => global,
    }
}

/// `kubectl SUBCOMMAND ARGS...`.
fn kubectl(context: &Context<'_>, args: &[String]) -> ConsoleOutput {
    let args = subcommand_first(args);
    let Some((command, rest)) = args.split_first() else { return ConsoleOutput::out(help::HELP.to_string()) };
    let cluster = context.simulation.cluster();
    match command.as_str() {
        "get" => get::get(cluster, rest),
        "describe" => get::describe(cluster, rest),
        "exec" => exec::exec(cluster, rest, context.seed),
        "run" => exec::run(context, rest),
        "apply" => apply::apply(context, rest),
        "version" => help::version(rest),
        "help" | "--help" | "-h" => ConsoleOutput::out(help::HELP.to_string()),
        flag if flag.starts_with('-') => ConsoleOutput::error(format!(
            "error: unknown flag: {flag}\nSee 'kubectl --help' for usage.\n{}",
            help::SUPPORTED
        )),
        other if help::KUBECTL_COMMANDS.contains(&other) => {
            ConsoleOutput::error(format!("error: kubeplay does not model \"kubectl {other}\"\n{}", help::SUPPORTED))
        }
        other => {
            ConsoleOutput::error(format!("error: unknown command \"{other}\" for \"kubectl\"\n{}", help::SUPPORTED))
        }
    }
}

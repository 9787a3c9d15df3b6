//! kubectl's command-line flags as cobra and pflag parse them: `--name=value`, `--name value`,
//! `-n value`, `-nvalue`, grouped boolean shorthands (`-it`), `--bool=false`, and `--`, after
//! which every word is an argument (`cmd.ArgsLenAtDash`). Errors carry pflag's wording.

use std::collections::BTreeMap;

/// One flag a command accepts.
#[derive(Debug, Clone, Copy)]
pub struct Flag {
    pub long: &'static str,
    pub short: Option<char>,
    pub kind: FlagKind,
}

/// What a flag takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FlagKind {
    /// A boolean (`--rm`, `-i`).
    Bool,
    /// A value (`-n default`, `--image=busybox`).
    Value,
    /// A real kubectl flag the playground does not model: named in the error.
    Unmodeled,
}

impl Flag {
    pub const fn value(long: &'static str, short: Option<char>) -> Flag {
        Flag { long, short, kind: FlagKind::Value }
    }
    pub const fn bool(long: &'static str, short: Option<char>) -> Flag {
        Flag { long, short, kind: FlagKind::Bool }
    }
    pub const fn unmodeled(long: &'static str, short: Option<char>) -> Flag {
        Flag { long, short, kind: FlagKind::Unmodeled }
    }
}

/// A parsed command line: the arguments before `--`, the flags set (each value given, in
/// order; `"true"`/`"false"` for booleans) and the words after `--`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Parsed {
    pub args: Vec<String>,
    pub flags: BTreeMap<&'static str, Vec<String>>,
    pub after_dash: Option<Vec<String>>,
}

impl Parsed {
    /// The last value of flag `long`.
    pub fn value(&self, long: &str) -> Option<&str> {
        self.flags.get(long).and_then(|v| v.last()).map(String::as_str)
    }

    /// Every value of flag `long`, in order.
    pub fn values(&self, long: &str) -> &[String] {
        self.flags.get(long).map(Vec::as_slice).unwrap_or_default()
    }

    /// Whether boolean flag `long` is set (and not `=false`).
    pub fn is_set(&self, long: &str) -> bool {
        self.value(long).is_some_and(|v| v != "false")
    }
}

/// Why a command line was refused, in pflag's words (without kubectl's `error: ` prefix).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FlagError {
    UnknownFlag(String),
    UnknownShorthand { c: char, word: String },
    NeedsArgument(String),
    BadBool { flag: String, value: String },
    Unmodeled(&'static str),
}

impl std::fmt::Display for FlagError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FlagError::UnknownFlag(name) => write!(f, "unknown flag: {name}"),
            FlagError::UnknownShorthand { c, word } => write!(f, "unknown shorthand flag: '{c}' in {word}"),
            FlagError::NeedsArgument(flag) => write!(f, "flag needs an argument: {flag}"),
            FlagError::BadBool { flag, value } => {
                write!(f, "invalid argument \"{value}\" for \"{flag}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax")
            }
            FlagError::Unmodeled(long) => write!(f, "the flag --{long} is not modeled by kubeplay"),
        }
    }
}

/// Parses `words` (the words after the command's name) against `spec`.
pub fn parse(words: &[String], spec: &[Flag]) -> Result<Parsed, FlagError> {
    let mut parsed = Parsed::default();
    let mut rest = words.iter();
    while let Some(word) = rest.next() {
        if word == "--" {
            parsed.after_dash = Some(rest.cloned().collect());
            break;
        }
        if let Some(long) = word.strip_prefix("--") {
            let (name, inline) = match long.split_once('=') {
                Some((name, value)) => (name, Some(value.to_string())),
                None => (long, None),
            };
            let flag =
                spec.iter().find(|f| f.long == name).ok_or_else(|| FlagError::UnknownFlag(format!("--{name}")))?;
            let value = match (flag.kind, inline) {
                (FlagKind::Unmodeled, _) => return Err(FlagError::Unmodeled(flag.long)),
                (FlagKind::Bool, Some(v)) => bool_value(&format!("--{name}"), v)?,
                (FlagKind::Bool, None) => "true".to_string(),
                (FlagKind::Value, Some(v)) => v,
                (FlagKind::Value, None) => {
                    rest.next().cloned().ok_or_else(|| FlagError::NeedsArgument(format!("--{name}")))?
                }
            };
            parsed.flags.entry(flag.long).or_default().push(value);
        } else if word.len() > 1 && word.starts_with('-') {
            let shorts: Vec<char> = word[1..].chars().collect();
            let mut i = 0;
            while i < shorts.len() {
                let c = shorts[i];
                let flag = spec
                    .iter()
                    .find(|f| f.short == Some(c))
                    .ok_or_else(|| FlagError::UnknownShorthand { c, word: word.clone() })?;
                let tail: String = shorts[i + 1..].iter().collect();
                let value = match flag.kind {
                    FlagKind::Unmodeled => return Err(FlagError::Unmodeled(flag.long)),
                    FlagKind::Bool => match tail.strip_prefix('=') {
                        Some(v) => {
                            i = shorts.len();
                            bool_value(&format!("-{c}"), v.to_string())?
                        }
                        None => "true".to_string(),
                    },
                    FlagKind::Value => {
                        i = shorts.len();
                        match tail.strip_prefix('=').unwrap_or(&tail) {
                            "" => rest
                                .next()
                                .cloned()
                                .ok_or_else(|| FlagError::NeedsArgument(format!("'{c}' in -{c}")))?,
                            v => v.to_string(),
                        }
                    }
                };
                parsed.flags.entry(flag.long).or_default().push(value);
                i += 1;
            }
        } else {
            parsed.args.push(word.clone());
        }
    }
    Ok(parsed)
}

fn bool_value(flag: &str, value: String) -> Result<String, FlagError> {
    match value.as_str() {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Ok("true".to_string()),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Ok("false".to_string()),
        _ => Err(FlagError::BadBool { flag: flag.to_string(), value }),
    }
}

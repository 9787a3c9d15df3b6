//! One module per subcommand. Each `run` returns the exit code, or a message for stderr.

pub mod apply;
pub mod check;
pub mod describe;
pub mod dns;
pub mod exec;
pub mod get;
pub mod lessons;
pub mod matrix;
pub mod proxy_rules;
pub mod trace;

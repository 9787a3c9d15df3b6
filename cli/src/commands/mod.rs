//! One module per subcommand. Each `run` returns the exit code, or a message for stderr.

pub mod apply;
pub mod describe;
pub mod get;

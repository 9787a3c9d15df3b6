//! The Console tab: a terminal-like prompt that runs kubectl command lines through core's
//! `console` against the playground's simulation, keeps a scrollback (each command echoed after
//! `$ `, stdout and stderr apart), recalls earlier commands with the arrow keys (`history`),
//! completes names with Tab (`completion`), and hands each command's featured play to the
//! player. It decides nothing: every line it shows was printed by core.

pub mod completion;
mod terminal;
pub mod history;

pub use terminal::Console;

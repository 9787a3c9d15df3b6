//! The console's command history, as a shell keeps it: ArrowUp walks back through earlier
//! commands, ArrowDown forward and finally back to the line being typed (the draft). Kept in
//! `sessionStorage` (one command a line: a command never holds a newline), so it survives a
//! reload of the tab but not a new session.

/// Where the history is kept.
pub const HISTORY_KEY: &str = "kubeplay.console.history";
/// How many commands are kept.
pub const MAX_COMMANDS: usize = 200;

/// The commands entered, oldest first, and the position of an ArrowUp/ArrowDown walk.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    commands: Vec<String>,
    /// The command shown, while walking; `None` on the draft.
    at: Option<usize>,
    /// The line being typed when the walk started.
    draft: String,
}

impl History {
    /// A history holding `commands` (oldest first).
    pub fn with(commands: Vec<String>) -> History {
        History { commands, at: None, draft: String::new() }
    }

    /// The history saved in `sessionStorage` (empty when there is none or no storage).
    pub fn load() -> History {
        let text = session_storage().and_then(|s| s.get_item(HISTORY_KEY).ok().flatten()).unwrap_or_default();
        History::with(text.lines().filter(|l| !l.is_empty()).map(str::to_string).collect())
    }

    /// The commands, oldest first.
    pub fn commands(&self) -> &[String] {
        &self.commands
    }

    /// Records `command` (not a blank one, nor a repeat of the last) and ends any walk.
    pub fn push(&mut self, command: &str) {
        self.at = None;
        self.draft.clear();
        let command = command.trim();
        if command.is_empty() || self.commands.last().is_some_and(|last| last == command) {
            return;
        }
        self.commands.push(command.to_string());
        if self.commands.len() > MAX_COMMANDS {
            self.commands.remove(0);
        }
    }

    /// Saves the history to `sessionStorage` (nothing happens without storage).
    pub fn save(&self) {
        if let Some(storage) = session_storage() {
            let _ = storage.set_item(HISTORY_KEY, &self.commands.join("\n"));
        }
    }

    /// ArrowUp with `current` in the prompt: the previous command, or `None` at the oldest.
    pub fn up(&mut self, current: &str) -> Option<String> {
        let at = match self.at {
            None if self.commands.is_empty() => return None,
            None => {
                self.draft = current.to_string();
                self.commands.len() - 1
            }
            Some(0) => return None,
            Some(i) => i - 1,
        };
        self.at = Some(at);
        self.commands.get(at).cloned()
    }

    /// ArrowDown: the next command, or the draft after the newest; `None` when not walking.
    pub fn down(&mut self) -> Option<String> {
        let at = self.at?;
        if at + 1 < self.commands.len() {
            self.at = Some(at + 1);
            return self.commands.get(at + 1).cloned();
        }
        self.at = None;
        Some(std::mem::take(&mut self.draft))
    }
}

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window().and_then(|w| w.session_storage().ok().flatten())
}

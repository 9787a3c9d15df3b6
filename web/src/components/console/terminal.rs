//! The console component (a terminal): the scrollback (`role="log"`) and the prompt.

use super::completion::{self, Tab};
use super::history::History;
use crate::player::{use_player, Playback};
use crate::state::Playground;
use kubeplay_core::console::{self, ConsoleOutput, Context, Play};
use leptos::prelude::*;

/// One block of the scrollback: a command as typed and what it printed.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Entry {
    /// Increases with every entry, to key the list (and seed the command's connections).
    seq: u64,
    command: String,
    stdout: String,
    stderr: String,
    exit_code: u8,
}

/// The byte offset of the UTF-16 offset `utf16` in `text` (what `selectionStart` counts).
fn byte_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (i, c) in text.char_indices() {
        if units >= utf16 {
            return i;
        }
        units += c.len_utf16();
    }
    text.len()
}

/// The UTF-16 offset of byte offset `byte` in `text`.
fn utf16_offset(text: &str, byte: usize) -> u32 {
    text[..byte.min(text.len())].encode_utf16().count() as u32
}

/// The playback of a command's featured play, titled with the command.
fn playback(command: &str, output: &ConsoleOutput) -> Option<Playback> {
    let title = command.to_string();
    match output.featured()? {
        Play::Trace(trace) => Some(Playback::Trace { title, trace: (**trace).clone() }),
        Play::Lookup { client, lookup } => {
            Some(Playback::Lookup { title, client: client.clone(), lookup: lookup.clone() })
        }
    }
}

/// The Console tab.
#[component]
pub fn Console() -> impl IntoView {
    let playground = expect_context::<Playground>();
    let player = use_player();
    let entries = RwSignal::new(Vec::<Entry>::new());
    let line = RwSignal::new(String::new());
    let history = StoredValue::new(History::load());
    let next_seq = StoredValue::new(0u64);
    let log = NodeRef::<leptos::html::Div>::new();
    let input = NodeRef::<leptos::html::Input>::new();

    // Keep the newest output in sight (a DOM sync, no signal written).
    Effect::new(move |_| {
        entries.track();
        if let Some(log) = log.get() {
            log.set_scroll_top(log.scroll_height());
        }
    });

    let push = move |command: String, output: ConsoleOutput| {
        let seq = next_seq.get_value();
        next_seq.set_value(seq + 1);
        let ConsoleOutput { stdout, stderr, exit_code, .. } = output;
        entries.update(|es| es.push(Entry { seq, command, stdout, stderr, exit_code }));
    };
    let run = move || {
        let command = line.get_untracked();
        line.set(String::new());
        history.update_value(|h| {
            h.push(&command);
            h.save();
        });
        if command.trim() == "clear" {
            entries.set(Vec::new());
            return;
        }
        let files = playground.sources();
        let seed = next_seq.get_value();
        let output = playground
            .with_simulation_untracked(|simulation| console::run(&Context { simulation, files: &files, seed }, &command));
        let play = playback(&command, &output);
        push(command, output);
        if let Some(play) = play {
            player.play(play);
        }
    };
    let set_line = move |text: String, cursor: Option<usize>| {
        line.set(text.clone());
        if let Some(el) = input.get() {
            el.set_value(&text);
            let at = utf16_offset(&text, cursor.unwrap_or(text.len()));
            let _ = el.set_selection_range(at, at);
        }
    };
    let complete = move |el: &web_sys::HtmlInputElement| {
        let text = el.value();
        let cursor = byte_offset(&text, el.selection_start().ok().flatten().unwrap_or(0) as usize);
        let files = playground.sources();
        let candidates = playground.with_simulation_untracked(|simulation| {
            console::completions(&Context { simulation, files: &files, seed: 0 }, &text, cursor)
        });
        match completion::tab(&text, cursor, &candidates) {
            Tab::Nothing => {}
            Tab::Replace { line, cursor } => set_line(line, Some(cursor)),
            Tab::List(list) => push(text, ConsoleOutput::out(format!("{}\n", list.join("  ")))),
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        let Some(el) = input.get() else { return };
        match ev.key().as_str() {
            "Enter" => {
                ev.prevent_default();
                line.set(el.value());
                run();
            }
            "ArrowUp" => {
                ev.prevent_default();
                if let Some(text) = history.try_update_value(|h| h.up(&el.value())).flatten() {
                    set_line(text, None);
                }
            }
            "ArrowDown" => {
                ev.prevent_default();
                if let Some(text) = history.try_update_value(|h| h.down()).flatten() {
                    set_line(text, None);
                }
            }
            // Tab completes only when there is something to complete, so that an empty
            // prompt never traps keyboard focus.
            "Tab" if !ev.shift_key() && !el.value().trim().is_empty() => {
                ev.prevent_default();
                complete(&el);
            }
            "l" | "L" if ev.ctrl_key() => {
                ev.prevent_default();
                entries.set(Vec::new());
            }
            _ => {}
        }
    };

    view! {
        <div class="console">
            <div
                class="console-log"
                node_ref=log
                role="log"
                aria-live="polite"
                aria-label="Console output"
                tabindex="0"
            >
                <For each=move || entries.get() key=|e| e.seq let(entry)>
                    {
                        let Entry { command, stdout, stderr, exit_code, .. } = entry;
                        let (no_stdout, no_stderr) = (stdout.is_empty(), stderr.is_empty());
                        view! {
                            <div class="console-entry" data-exit=exit_code>
                                <div class="console-command">
                                    <span class="console-ps1" aria-hidden="true">"$ "</span>
                                    {command}
                                </div>
                                <pre class="console-stdout" hidden=no_stdout>{stdout}</pre>
                                <pre class="console-stderr" hidden=no_stderr>{stderr}</pre>
                            </div>
                        }
                    }
                </For>
            </div>
            <div class="console-prompt">
                <label for="console-input" class="console-ps1">
                    <span aria-hidden="true">"$"</span>
                    <span class="sr-only">"Command (Enter runs it, Up and Down recall, Tab completes)"</span>
                </label>
                <input
                    id="console-input"
                    class="console-input"
                    node_ref=input
                    type="text"
                    autocomplete="off"
                    autocapitalize="off"
                    spellcheck="false"
                    placeholder="kubectl get pods — type help"
                    prop:value=move || line.get()
                    on:input=move |ev| line.set(event_target_value(&ev))
                    on:keydown=on_key
                />
            </div>
        </div>
    }
}

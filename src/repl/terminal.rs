//! The REPL's front ends: rustyline on a terminal (completion, hints,
//! history, multi-line input), and plain lines from a pipe (no prompts, no
//! colour), both driving the same [`Session`].

use super::{Reply, Session, is_incomplete};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::{Hinter, HistoryHinter};
use rustyline::history::DefaultHistory;
use rustyline::validate::{ValidationContext, ValidationResult, Validator};
use rustyline::{Context, Editor, Helper};
use std::borrow::Cow;
use std::io::{BufRead, Write};
use std::path::PathBuf;

struct PolHelper {
    names: Vec<String>,
    hinter: HistoryHinter,
}

impl Completer for PolHelper {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let before = &line[..pos];
        let start = before
            .char_indices()
            .rev()
            .find(|&(_, c)| !(c.is_alphanumeric() || c == '_' || c == '.' || c == ':'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let word = &before[start..];
        let candidates = self
            .names
            .iter()
            .filter(|n| n.starts_with(word) && n.as_str() != word)
            .map(|n| Pair {
                display: n.clone(),
                replacement: n.clone(),
            })
            .collect();
        Ok((start, candidates))
    }
}

impl Hinter for PolHelper {
    type Hint = String;

    fn hint(&self, line: &str, pos: usize, ctx: &Context<'_>) -> Option<String> {
        self.hinter.hint(line, pos, ctx)
    }
}

impl Highlighter for PolHelper {
    fn highlight_hint<'h>(&self, hint: &'h str) -> Cow<'h, str> {
        Cow::Owned(format!("\x1b[2m{hint}\x1b[0m"))
    }
}

impl Validator for PolHelper {
    fn validate(&self, ctx: &mut ValidationContext) -> rustyline::Result<ValidationResult> {
        Ok(if is_incomplete(ctx.input()) {
            ValidationResult::Incomplete
        } else {
            ValidationResult::Valid(None)
        })
    }
}

impl Helper for PolHelper {}

/// Where the history is kept: the user's data directory.
fn history_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    let dir = base.join("pol");
    std::fs::create_dir_all(&dir).ok()?;
    Some(dir.join("history"))
}

fn print(reply: &Reply) {
    if !reply.out.is_empty() {
        print!("{}", reply.out);
        let _ = std::io::stdout().flush();
    }
    if !reply.err.is_empty() {
        eprint!("{}", reply.err);
    }
}

/// Runs the REPL on a terminal. Returns the exit code.
pub fn run_terminal(mut session: Session) -> i32 {
    let mut editor: Editor<PolHelper, DefaultHistory> = match Editor::new() {
        Ok(e) => e,
        Err(e) => {
            eprintln!("error: cannot start the line editor: {e}");
            return crate::exit::EXIT_USAGE;
        }
    };
    editor.set_helper(Some(PolHelper {
        names: session.completions(),
        hinter: HistoryHinter::new(),
    }));
    let history = history_file();
    if let Some(h) = &history {
        let _ = editor.load_history(h);
    }
    println!("pol repl — `:help` lists the commands, Ctrl-D leaves");
    loop {
        match editor.readline("pol> ") {
            Ok(line) => {
                if !line.trim().is_empty() {
                    let _ = editor.add_history_entry(line.as_str());
                }
                let reply = session.handle(&line);
                print(&reply);
                if reply.quit {
                    break;
                }
                if let Some(h) = editor.helper_mut() {
                    h.names = session.completions();
                }
            }
            // Ctrl-C cancels the line; the session goes on.
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("error: {e}");
                break;
            }
        }
    }
    if let Some(h) = &history {
        let _ = editor.save_history(h);
    }
    0
}

/// Runs the REPL on lines from a pipe: no prompt, no colour; a line that
/// leaves an expression unfinished continues on the next. Returns 0, or 1
/// when a line was an error (so that scripts can tell).
pub fn run_piped(mut session: Session, mut input: impl BufRead) -> i32 {
    let mut pending = String::new();
    let mut failed = false;
    let mut number = 0usize;
    let mut bytes = Vec::new();
    loop {
        bytes.clear();
        match input.read_until(b'\n', &mut bytes) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e) => {
                eprintln!("error: cannot read the script: {e}");
                return 1;
            }
        }
        // A line that is not UTF-8 is reported and skipped; the script goes
        // on (a later `:save` must not be lost to one bad byte).
        let Ok(text) = String::from_utf8(std::mem::take(&mut bytes)) else {
            number += 1;
            eprintln!(
                "error: line {number} of the script is not UTF-8 text and was skipped: save the script as UTF-8"
            );
            failed = true;
            continue;
        };
        let mut ok = true;
        // A lone `\r` ends a line too (old Mac files).
        for line in text
            .trim_end_matches('\n')
            .trim_end_matches('\r')
            .split(['\r', '\n'])
        {
            number += 1;
            if !handle_line(&mut session, &mut pending, &mut failed, line) {
                ok = false;
                break;
            }
        }
        if !ok {
            return i32::from(failed);
        }
    }
    if !pending.trim().is_empty() {
        let reply = session.handle(&pending);
        failed |= reply.is_error();
        print(&reply);
    }
    i32::from(failed)
}

/// Adds one line of a script to `pending` and runs it once it is complete;
/// `false` when the session asked to quit.
fn handle_line(session: &mut Session, pending: &mut String, failed: &mut bool, line: &str) -> bool {
    if !pending.is_empty() {
        pending.push('\n');
    }
    pending.push_str(line);
    if is_incomplete(pending) {
        return true;
    }
    let reply = session.handle(&std::mem::take(pending));
    *failed |= reply.is_error();
    print(&reply);
    !reply.quit
}

//! The command line: argument parsing lives in `main.rs`; these functions
//! run each command and return its exit code.

use crate::diagnostic::{RenderOptions, render_all};
use crate::package::{self, Failure};
use std::io::{IsTerminal, Write};
use std::path::Path;

/// 0: clean; 1: errors in the program or the data; 2: usage or I/O.
pub const EXIT_OK: i32 = 0;
pub const EXIT_PROGRAM: i32 = 1;
pub const EXIT_USAGE: i32 = 2;

fn stderr_options() -> RenderOptions {
    let color = std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    RenderOptions {
        width: if color { 120 } else { 100 },
        color,
    }
}

/// Reports a failure to load or check a package on stderr; returns the exit code.
pub fn report_failure(failure: &Failure) -> i32 {
    let mut err = std::io::stderr().lock();
    match failure {
        Failure::Load(e) => {
            let _ = writeln!(err, "error: {e}");
            EXIT_USAGE
        }
        Failure::Program(sources, diags) => {
            let _ = write!(err, "{}", render_all(diags, sources, stderr_options()));
            let n = diags.len();
            let _ = writeln!(
                err,
                "error: {n} error{} found",
                if n == 1 { "" } else { "s" }
            );
            EXIT_PROGRAM
        }
    }
}

/// `pol check PATH`
pub fn check(path: &Path) -> i32 {
    match package::load(path) {
        Ok(checked) => {
            let p = checked.program();
            let files = checked.sources().files().count();
            let plural =
                |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
            println!(
                "{}: no errors ({}, {}, {}, {})",
                path.display(),
                plural(files, "file"),
                plural(p.clauses.len(), "clause"),
                plural(p.inputs.len(), "input"),
                plural(p.tests.len(), "test"),
            );
            EXIT_OK
        }
        Err(f) => report_failure(&f),
    }
}

//! The checks the fuzz targets (`fuzz/`) run on arbitrary input, here so
//! that `cargo test` replays every saved input (`tests/fuzz/`) through the
//! same code. Each panics when Pol misbehaves: a crash, a program that
//! formats to another program, a lost or duplicated batch row, a type error
//! at run time.

use crate::batch::{self, Batch, Format};
use crate::diagnostic::{RenderOptions, render_all};
use crate::eval::{Case, ErrorKind, Plan};
use crate::package::{Failure, check_sources};
use crate::source::{FileId, SourceMap};
use std::path::Path;

/// Arbitrary text as a program: parsed, checked, rendered, formatted and
/// evaluated with no facts.
pub fn program_text(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut sources = SourceMap::new();
    sources.add("fuzz.pol", None, text.to_string());
    match check_sources(sources, Path::new(".")) {
        Ok(checked) => {
            if let Ok(formatted) = crate::fmt::format_source(text) {
                let (a, _) = crate::syntax::parse_module(FileId(0), text);
                let (b, errors) = crate::syntax::parse_module(FileId(0), &formatted);
                assert!(
                    errors.is_empty(),
                    "the formatted text does not parse:\n{formatted}"
                );
                assert_eq!(a, b, "formatting changed the program:\n{formatted}");
                let again = crate::fmt::format_source(&formatted).expect("formatted text formats");
                assert_eq!(again, formatted, "formatting is not idempotent");
            }
            let plan = Plan::new(&checked);
            for (_, r) in plan.evaluate(&Case::empty(checked.program())) {
                if let Err(e) = r {
                    assert_ne!(e.kind, ErrorKind::Internal, "{}", e.message);
                }
            }
        }
        Err(Failure::Program(sources, diags)) => {
            let _ = render_all(&diags, &sources, RenderOptions::plain());
        }
        Err(Failure::Load(_)) => {}
    }
}

/// Arbitrary bytes as a JSON case, and as the rows of a CSV batch under
/// `header`, against a checked package.
pub fn case_data(checked: &crate::check::Checked, header: &str, data: &[u8]) {
    let plan = Plan::new(checked);
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(case) = crate::eval::case::from_json_text(checked.program(), text)
    {
        for (_, r) in plan.evaluate(&case) {
            if let Err(e) = r {
                assert_ne!(e.kind, ErrorKind::Internal, "{}", e.message);
            }
        }
    }
    let mut input = format!("{header}\n").into_bytes();
    input.extend_from_slice(data);
    // Records as RFC 4180 reads them (a quoted cell may hold line breaks).
    let rows = batch::csv::records(data, true).0.len() as u64;
    let fast = Batch::new(checked, None);
    let mut out = Vec::new();
    let summary =
        batch::run(&fast, Format::Csv, &input[..], &mut out, &|_| {}).expect("a batch runs");
    assert_eq!(summary.cases, rows, "one output row per input row");
    let slow = Batch::new(checked, None).row_by_row();
    let mut out2 = Vec::new();
    batch::run(&slow, Format::Csv, &input[..], &mut out2, &|_| {}).expect("a batch runs");
    assert!(out == out2, "the fast path and the row evaluator differ");
}

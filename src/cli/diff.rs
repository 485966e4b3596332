//! `pol diff OLD NEW --cases FILE`: what a change of a package does to a
//! population.

use super::{EXIT_INTERRUPTED, EXIT_OK, EXIT_PROGRAM, EXIT_USAGE, Progress, open_cases};
use crate::batch::{BatchError, Format};
use crate::diff::version::{Version, VersionError};
use crate::diff::{Diff, chart, report};
use crate::files::{self, shown};
use crate::i18n::tr;
use crate::lang::scalar::Date;
use std::io::Write;
use std::path::Path;

/// How the summary is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DiffFormat {
    Text,
    Json,
    Html,
}

/// What `pol diff` is asked.
pub struct DiffOptions<'a> {
    pub old: &'a str,
    pub new: &'a str,
    pub cases: &'a Path,
    pub on: Option<Date>,
    pub results: Option<&'a [String]>,
    pub by: &'a [String],
    pub out: Option<&'a Path>,
    pub format: DiffFormat,
    pub plot: Option<&'a Path>,
    pub explain_row: Option<u64>,
    pub encoding: crate::batch::encoding::Encoding,
}

fn load(which: &str, spec: &str) -> Result<Version, i32> {
    Version::load(spec).map_err(|e| match e {
        VersionError::Load(e) => {
            let e = e.to_string();
            if which == "old" {
                eprintln!("{}", tr!("cli-diff-old-load", error = e));
            } else {
                eprintln!("{}", tr!("cli-diff-new-load", error = e));
            }
            EXIT_USAGE
        }
        VersionError::Program(f) => {
            if which == "old" {
                eprintln!("{}", tr!("cli-diff-1", spec = spec));
            } else {
                eprintln!("{}", tr!("cli-diff-new-errors", spec = spec));
            }
            super::report_failure(&f)
        }
    })
}

/// `pol diff OLD NEW --cases FILE [--on DATE] [--results …] [--by FACT]
/// [--out FILE] [--format text|json|html] [--plot FILE.svg] [--explain-row N]`
pub fn diff(o: &DiffOptions) -> i32 {
    if o.out.is_some_and(files::is_stdin) {
        eprintln!("{}", tr!("cli-diff-2"));
        return EXIT_USAGE;
    }
    let out = o.out;
    let workbook = out.is_some_and(super::is_workbook);
    if let Some(p) = out.filter(|_| !workbook) {
        if Format::of(p).is_none() {
            eprintln!("{}", tr!("cli-diff-3", shown = (shown(p)).to_string()));
            return EXIT_USAGE;
        }
        if !files::is_stdin(o.cases) && files::same_file(o.cases, p) {
            eprintln!("{}", tr!("cli-diff-4", shown = (shown(p)).to_string()));
            return EXIT_USAGE;
        }
    }
    if let Some(p) = o.plot
        && p.extension().and_then(|e| e.to_str()) != Some("svg")
    {
        eprintln!("{}", tr!("cli-diff-5", shown = (shown(p)).to_string()));
        return EXIT_USAGE;
    }
    let old = match load("old", o.old) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let new = match load("new", o.new) {
        Ok(v) => v,
        Err(code) => return code,
    };
    let mut diff = match Diff::new(
        (&old.name, &old.checked),
        (&new.name, &new.checked),
        o.results,
        o.by,
        o.on,
    ) {
        Ok(d) => d,
        Err(e) => {
            eprintln!("{}", tr!("cli-error", message = e.0.to_string()));
            return EXIT_USAGE;
        }
    };
    let (input, format, size) = match open_cases(o.cases, o.encoding) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    if let Some(n) = o.explain_row {
        return explain_row(&mut diff, format, input, n);
    }
    let mut file_out = match out.map(files::Output::create).transpose() {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{}", tr!("cli-diff-6", e = e.to_string()));
            return EXIT_USAGE;
        }
    };
    files::catch_interrupt();
    let bar = Progress::on_stderr(size);
    let progress = |bytes: u64| bar.read(bytes);
    let out_format = out.and_then(Format::of);
    let result = match (&mut file_out, out_format) {
        // A workbook: the changed cases as CSV, then as a sheet.
        (Some(f), _) if workbook => {
            let mut rows = Vec::new();
            diff.run(format, input, Some((Format::Csv, &mut rows)), &progress)
                .and_then(|summary| {
                    let bytes = crate::batch::xlsx::csv_workbook(
                        &String::from_utf8_lossy(&rows),
                        "changes",
                    )
                    .map_err(BatchError::Io)?;
                    f.writer()
                        .write_all(&bytes)
                        .map_err(|e| BatchError::Io(e.to_string()))?;
                    Ok(summary)
                })
        }
        (Some(f), Some(fmt)) => {
            let mut w = std::io::BufWriter::with_capacity(1 << 20, f.writer());
            diff.run(format, input, Some((fmt, &mut w)), &progress)
        }
        _ => diff.run(format, input, None, &progress),
    };
    bar.finish();
    let summary = match result {
        Ok(s) => s,
        Err(BatchError::Interrupted(rows)) => {
            eprintln!("{}", tr!("cli-diff-7", rows = rows.to_string()));
            return EXIT_INTERRUPTED;
        }
        Err(BatchError::Io(e)) => {
            eprintln!("{}", tr!("cli-error", message = e));
            return EXIT_USAGE;
        }
        Err(BatchError::Header(errors)) => {
            for e in &errors {
                eprintln!(
                    "{}",
                    crate::diagnostic::error_in_file(
                        "pol::batch::header",
                        &shown(o.cases).to_string(),
                        &e.to_string()
                    )
                );
            }
            eprintln!("{}", tr!("cli-diff-8"));
            return EXIT_PROGRAM;
        }
    };
    if let Some(f) = file_out
        && let Err(e) = f.commit()
    {
        eprintln!("{}", tr!("cli-diff-9", e = e.to_string()));
        return EXIT_USAGE;
    }
    let svg = || chart::svg(&diff, &summary);
    if let Some(p) = o.plot {
        let written =
            svg().and_then(|s| files::write_atomic(p, s.as_bytes()).map_err(|e| e.to_string()));
        if let Err(e) = written {
            eprintln!(
                "{}",
                tr!(
                    "cli-diff-10",
                    shown = (shown(p)).to_string(),
                    e = e.to_string()
                )
            );
            return EXIT_USAGE;
        }
    }
    match o.format {
        DiffFormat::Text => print!("{}", report::text(&diff, &summary)),
        DiffFormat::Json => {
            let json = report::json(&diff, &summary);
            println!(
                "{}",
                serde_json::to_string_pretty(&json).unwrap_or_else(|_| json.to_string())
            );
        }
        DiffFormat::Html => match svg() {
            Ok(s) => print!("{}", chart::html(&diff, &summary, &s)),
            Err(e) => {
                eprintln!("{}", tr!("cli-diff-11", e = e.to_string()));
                return EXIT_USAGE;
            }
        },
    }
    if summary.errors_before + summary.errors_after > 0 {
        eprintln!(
            "{}",
            tr!("cli-diff-12", cases = (shown(o.cases)).to_string())
        );
        EXIT_PROGRAM
    } else {
        EXIT_OK
    }
}

/// `--explain-row N`: the explanations of each result that changed, the
/// old one beside the new one, and the first line where they differ.
fn explain_row(diff: &mut Diff, format: Format, input: impl std::io::BufRead, n: u64) -> i32 {
    use crate::batch::RowLookupError;
    let (old_case, new_case) = match diff.cases_of_row(format, input, n) {
        Ok(c) => c,
        Err(e @ RowLookupError::NoSuchRow(_)) => {
            eprintln!("{}", tr!("cli-error", message = e.to_string()));
            return EXIT_USAGE;
        }
        Err(e) => {
            eprintln!("{}", tr!("cli-error", message = e.to_string()));
            return EXIT_PROGRAM;
        }
    };
    let (old_case, new_case) = match (old_case, new_case) {
        (Ok(a), Ok(b)) => (a, b),
        (Err(e), _) | (_, Err(e)) => {
            eprintln!(
                "{}",
                tr!(
                    "cli-error-code",
                    code = e.code,
                    message = tr!("cli-row", row = n, message = e.message.as_str())
                )
            );
            return EXIT_PROGRAM;
        }
    };
    match crate::diff::explain_row(diff, &old_case, &new_case, n) {
        Ok(text) => {
            print!("{text}");
            EXIT_OK
        }
        Err(e) => {
            eprintln!(
                "{}",
                tr!(
                    "cli-error",
                    message = tr!("cli-row", row = n, message = e.to_string())
                )
            );
            EXIT_PROGRAM
        }
    }
}

//! The command line: argument parsing lives in `main.rs`; these functions
//! run each command and return its exit code.

use crate::diagnostic::{RenderOptions, render_all};
use crate::i18n::tr;
use crate::package::{self, Failure};
use std::io::{IsTerminal, Write};
use std::path::Path;

pub use crate::exit::{EXIT_INTERRUPTED, EXIT_OK, EXIT_PROGRAM, EXIT_USAGE};

mod diff;
mod duckdb;
pub use diff::{DiffFormat, DiffOptions, diff};

/// How many diagnostics are rendered at most: past that, a count (100,000
/// errors once printed 23 MB).
const MAX_SHOWN_ERRORS: usize = 50;

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
            let _ = writeln!(err, "{}", tr!("cli-error", message = e.to_string()));
            EXIT_USAGE
        }
        Failure::Program(sources, diags) => {
            let shown = &diags[..diags.len().min(MAX_SHOWN_ERRORS)];
            let _ = write!(err, "{}", render_all(shown, sources, stderr_options()));
            if diags.len() > shown.len() {
                let _ = writeln!(
                    err,
                    "{}",
                    tr!("cli-more-errors", count = diags.len() - shown.len())
                );
            }
            let n = diags.len();
            let _ = writeln!(err, "{}", tr!("cli-errors-found", count = n));
            EXIT_PROGRAM
        }
    }
}

/// `pol check PATH [--format json]`
pub fn check(path: &Path, json: bool) -> i32 {
    let loaded = package::load(path);
    if json {
        let (ok, body) = match &loaded {
            Ok(checked) => {
                let p = checked.program();
                (
                    true,
                    serde_json::json!({
                        "path": path.display().to_string(),
                        "ok": true,
                        "files": checked.sources().files().count(),
                        "clauses": p.clauses.len(),
                        "inputs": p.inputs.len(),
                        "tests": p.tests.len(),
                        "diagnostics": [],
                    }),
                )
            }
            Err(Failure::Program(sources, diags)) => (
                false,
                serde_json::json!({
                    "path": path.display().to_string(),
                    "ok": false,
                    "diagnostics": diags
                        .iter()
                        .map(|d| crate::diagnostic::to_json(d, sources))
                        .collect::<Vec<_>>(),
                }),
            ),
            Err(f @ Failure::Load(_)) => return report_failure(f),
        };
        print_json(&body);
        return if ok { EXIT_OK } else { EXIT_PROGRAM };
    }
    match loaded {
        Ok(checked) => {
            let p = checked.program();
            let files = checked.sources().files().count();
            println!(
                "{}",
                tr!(
                    "cli-check-ok",
                    path = path.display().to_string(),
                    files = files,
                    clauses = p.clauses.len(),
                    inputs = p.inputs.len(),
                    tests = p.tests.len()
                )
            );
            EXIT_OK
        }
        Err(f) => report_failure(&f),
    }
}

/// The output format of `pol eval`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    /// The letter for the citizen, as HTML.
    Html,
    /// The letter for the citizen, as Markdown.
    Markdown,
}

fn print_json(json: &serde_json::Value) {
    let text = serde_json::to_string_pretty(json).unwrap_or_else(|_| json.to_string());
    println!("{text}");
}

/// The plan of a package, for the results named by `--results` (all
/// without it); an unknown name is a usage error, reported here.
fn plan_of<'c>(
    checked: &'c crate::check::Checked,
    results: Option<&[String]>,
) -> Result<crate::eval::Plan<'c>, i32> {
    let plan = crate::eval::Plan::new(checked);
    match results {
        None => Ok(plan),
        Some(names) => plan.select(names).map_err(|e| {
            eprintln!("{}", tr!("cli-error", message = format!("--results: {e}")));
            EXIT_USAGE
        }),
    }
}

/// Reports a case that cannot be read; returns the exit code.
fn report_case_error(e: &crate::eval::case::CaseError, file: &Path, format: Format) -> i32 {
    match format {
        Format::Json => print_json(&crate::eval::output::error_json(e.code, &e.to_string())),
        Format::Text | Format::Html | Format::Markdown => {
            eprintln!(
                "{}",
                crate::diagnostic::error_in_file(
                    e.code,
                    &file.display().to_string(),
                    &e.to_string()
                )
            )
        }
    }
    EXIT_PROGRAM
}

/// `pol eval PACKAGE [--case FILE] [--on DATE] [--format text|json] [--explain [RESULT]]`
///
/// `explain` is `Some(None)` to explain every result, `Some(Some(name))`
/// for one.
pub fn eval(
    path: &Path,
    case_file: Option<&Path>,
    on: Option<crate::lang::scalar::Date>,
    format: Format,
    explain: Option<Option<String>>,
    results: Option<&[String]>,
) -> i32 {
    use crate::eval::{Case, case, output};
    let checked = match package::load(path) {
        Ok(c) => c,
        Err(f) => return report_failure(&f),
    };
    let plan = match plan_of(&checked, results) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let program = plan.program();
    let mut the_case = match case_file {
        None => Case::empty(program),
        Some(file) => {
            let text = match crate::files::read_text(file, crate::files::MAX_TEXT_BYTES) {
                Ok(t) => t,
                Err(e) => {
                    eprintln!("{}", tr!("cli-cannot-read-case", error = e.to_string()));
                    return EXIT_USAGE;
                }
            };
            match case::from_json_text(program, &text) {
                Ok(c) => c,
                Err(e) => return report_case_error(&e, file, format),
            }
        }
    };
    if on.is_some() {
        the_case.today = on;
    }
    if let Format::Html | Format::Markdown = format {
        return letter(&checked, plan, &the_case, explain.flatten(), format);
    }
    if let Some(only) = explain {
        return explain_results(&plan, &the_case, only.as_deref(), format);
    }
    let results = plan.evaluate(&the_case);
    match format {
        Format::Json => print_json(&output::results_json(&plan, the_case.today, &results)),
        Format::Text | Format::Html | Format::Markdown => {
            print!("{}", output::results_text(&plan, the_case.today, &results))
        }
    }
    // Each failing value once, with its place, after the results it blanks.
    let errors = output::distinct_errors(results.iter().map(|(_, r)| r));
    if format == Format::Text {
        for e in &errors {
            eprint!(
                "{}",
                crate::diagnostic::render(&e.to_diagnostic(), checked.sources(), stderr_options())
            );
        }
    }
    if errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_PROGRAM
    }
}

/// What `pol sql PATH …` asks for.
pub struct SqlRequest<'a> {
    pub path: &'a Path,
    pub dialect: crate::sql::Dialect,
    pub results: Option<&'a [String]>,
    pub on: Option<crate::lang::scalar::Date>,
    pub table: &'a str,
    /// The `CREATE TABLE` of the cases instead of the query.
    pub schema: bool,
}

/// `pol sql PATH --dialect D [--results …] [--on DATE] [--table NAME]
/// [--schema]`: the query (or the table), or every result it refuses,
/// each with its place.
pub fn sql(r: &SqlRequest) -> i32 {
    let checked = match package::load(r.path) {
        Ok(c) => c,
        Err(f) => return report_failure(&f),
    };
    let plan = match plan_of(&checked, r.results) {
        Ok(p) => p,
        Err(code) => return code,
    };
    let options = crate::sql::Options {
        dialect: r.dialect,
        on: r.on,
        table: r.table,
    };
    if r.schema {
        print!("{}", crate::sql::schema(plan.program(), options));
        return EXIT_OK;
    }
    match crate::sql::compile(&plan, options) {
        Ok(query) => {
            print!("{}", query.sql);
            EXIT_OK
        }
        Err(refused) => {
            let diags: Vec<_> = refused.iter().map(|r| r.to_diagnostic()).collect();
            let shown = &diags[..diags.len().min(MAX_SHOWN_ERRORS)];
            eprint!("{}", render_all(shown, checked.sources(), stderr_options()));
            if diags.len() > shown.len() {
                eprintln!(
                    "{}",
                    tr!("cli-more-errors", count = diags.len() - shown.len())
                );
            }
            let compiled = plan.results.len() - refused.len();
            eprintln!(
                "{}",
                tr!(
                    "cli-sql-refused",
                    count = refused.len(),
                    compiled = compiled
                )
            );
            EXIT_PROGRAM
        }
    }
}

/// What `pol test PATH …` asks for.
pub struct TestRequest<'a> {
    pub path: &'a Path,
    /// Only the tests whose names contain this text.
    pub filter: Option<&'a str>,
    /// JSON for programs instead of text.
    pub json: bool,
    /// Where to write a JUnit XML report too.
    pub junit: Option<&'a Path>,
}

/// `pol test PATH [--filter TEXT] [--format json] [--junit FILE]`: every
/// `test` block (or those whose names contain TEXT); failures with their
/// place, the expectation, and the expected and actual values; then
/// `N passed, N failed`, and the clauses no test names.
pub fn test(r: &TestRequest) -> i32 {
    use crate::eval::{Plan, testing};
    let checked = match package::load(r.path) {
        Ok(c) => c,
        Err(f) => return report_failure(&f),
    };
    let plan = Plan::new(&checked);
    if plan.program().tests.is_empty() {
        eprintln!(
            "{}",
            tr!("cli-no-tests", path = crate::files::shown(r.path))
        );
        return EXIT_PROGRAM;
    }
    let mut outcomes = testing::run_all(&plan);
    if let Some(text) = r.filter {
        outcomes.retain(|o| o.name.contains(text));
        if outcomes.is_empty() {
            eprintln!("{}", tr!("cli-no-test-matches", filter = text));
            return EXIT_USAGE;
        }
    }
    if let Some(file) = r.junit {
        let suite = r.path.display().to_string();
        let xml = testing::report_junit(&plan, &suite, &outcomes);
        if let Err(e) = crate::files::write_atomic(file, xml.as_bytes()) {
            eprintln!("{}", tr!("cli-cannot-write-junit", error = e.to_string()));
            return EXIT_USAGE;
        }
    }
    if r.json {
        print_json(&testing::report_json(&plan, &outcomes));
    } else {
        let report = testing::report(&plan, &outcomes);
        // Which clauses the tests leave alone, when all of them ran: before
        // the count, which stays the last line.
        let uncovered = testing::uncovered_clauses(plan.program());
        let (body, last) = report
            .trim_end_matches('\n')
            .rsplit_once('\n')
            .unwrap_or(("", report.trim_end_matches('\n')));
        if !body.is_empty() {
            println!("{body}");
        }
        if r.filter.is_none() && !uncovered.is_empty() {
            println!(
                "{}",
                tr!(
                    "cli-uncovered",
                    count = uncovered.len(),
                    all = plan.program().clauses.len(),
                    clauses = uncovered.join(", ")
                )
            );
        }
        println!("{last}");
    }
    let failed = outcomes.iter().any(|o| !o.passed());
    if failed { EXIT_PROGRAM } else { EXIT_OK }
}

fn report_eval_error(plan: &crate::eval::Plan, e: &crate::eval::EvalError, format: Format) -> i32 {
    match format {
        Format::Json => print_json(&crate::eval::output::eval_error_json(plan, e)),
        Format::Text | Format::Html | Format::Markdown => eprint!(
            "{}",
            crate::diagnostic::render(
                &e.to_diagnostic(),
                plan.checked().sources(),
                stderr_options()
            )
        ),
    }
    EXIT_PROGRAM
}

/// `pol eval … --format html|markdown`: the letter of one case, of every
/// result or of the one named by `--explain RESULT`.
fn letter(
    checked: &crate::check::Checked,
    plan: crate::eval::Plan,
    case: &crate::eval::Case,
    only: Option<String>,
    format: Format,
) -> i32 {
    use crate::explain::letter::{LetterFormat, letter};
    let plan = match only {
        None => plan,
        Some(name) => match plan.select(std::slice::from_ref(&name)) {
            Ok(p) => p,
            Err(e) => {
                eprintln!("{}", tr!("cli-error", message = format!("--explain: {e}")));
                return EXIT_USAGE;
            }
        },
    };
    let form = if format == Format::Html {
        LetterFormat::Html
    } else {
        LetterFormat::Markdown
    };
    match letter(&plan, case, form) {
        Ok(text) => {
            print!("{text}");
            EXIT_OK
        }
        Err(e) => {
            eprint!(
                "{}",
                crate::diagnostic::render(&e.to_diagnostic(), checked.sources(), stderr_options())
            );
            EXIT_PROGRAM
        }
    }
}

/// `pol eval … --explain [RESULT]`
fn explain_results(
    plan: &crate::eval::Plan,
    case: &crate::eval::Case,
    only: Option<&str>,
    format: Format,
) -> i32 {
    use crate::explain::{self, render};
    let program = plan.program();
    match explain::explain(plan, case, only) {
        Err(e) => report_eval_error(plan, &e, format),
        Ok(None) => {
            let names = explain::result_names(plan);
            let name = only.unwrap_or_default();
            let hint =
                match crate::check::suggest::did_you_mean(name, names.iter().map(String::as_str)) {
                    Some(s) => tr!("did-you-mean", name = s),
                    None => tr!("cli-the-results-are", names = names.join(", ")),
                };
            eprintln!(
                "{}",
                tr!("cli-no-result-to-explain", name = name, hint = hint)
            );
            EXIT_USAGE
        }
        Ok(Some(explanations)) => {
            match format {
                Format::Json => print_json(&render::json(program, case.today, &explanations)),
                Format::Text if only.is_none() => {
                    print!(
                        "{}",
                        render::text_of_case(program, case.today, &explanations)
                    );
                }
                Format::Text | Format::Html | Format::Markdown => {
                    print!("{}", render::text(program, case.today, &explanations))
                }
            }
            EXIT_OK
        }
    }
}

/// `pol repl [PACKAGE] [--case FILE] [--on DATE]`: a terminal session, or
/// commands read line by line from a pipe.
pub fn repl(
    path: Option<&Path>,
    case_file: Option<&Path>,
    on: Option<crate::lang::scalar::Date>,
) -> i32 {
    use crate::diagnostic::RenderOptions;
    use crate::repl::{Session, terminal};
    let interactive = std::io::stdin().is_terminal();
    let render = if interactive {
        stderr_options()
    } else {
        RenderOptions::plain()
    };
    let mut session = Session::new(render);
    let mut startup = Vec::new();
    if let Some(p) = path {
        startup.push(session.load(p));
    }
    if let Some(c) = case_file {
        startup.push(session.load_case(c));
    }
    if let Some(d) = on {
        startup.push(session.set_on(&d.to_string()));
    }
    let mut failed = false;
    for r in &startup {
        failed |= r.is_error();
        if interactive || r.is_error() {
            print!("{}", r.out);
            eprint!("{}", r.err);
        }
    }
    if interactive {
        terminal::run_terminal(session)
    } else {
        let code = terminal::run_piped(session, std::io::stdin().lock());
        if failed { EXIT_PROGRAM } else { code }
    }
}

/// The format of a batch read from standard input: JSONL if its first
/// character (after blanks) opens an object, CSV otherwise.
fn sniff_format(input: &mut impl std::io::BufRead) -> crate::batch::Format {
    match input.fill_buf() {
        Ok(bytes) => match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
            Some(b'{') => crate::batch::Format::Jsonl,
            _ => crate::batch::Format::Csv,
        },
        Err(_) => crate::batch::Format::Csv,
    }
}

/// Whether a path names an Excel workbook (`.xlsx`, `.xlsm`, `.xls`).
fn is_workbook(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e.to_ascii_lowercase().as_str(), "xlsx" | "xlsm" | "xls"))
}

/// Opens the cases of a batch: the reader, its format (from the file's
/// extension, or sniffed on standard input) and its size in bytes (0 for
/// standard input); a problem is reported here, as its exit code.
fn open_cases(
    cases: &Path,
    encoding: crate::batch::encoding::Encoding,
) -> Result<(Box<dyn std::io::BufRead>, crate::batch::Format, u64), i32> {
    use crate::files::{self, shown};
    if is_workbook(cases) {
        // A workbook's first sheet, read as the rows of a CSV.
        return match crate::batch::xlsx::read_as_csv(cases) {
            Ok(text) => {
                let size = text.len() as u64;
                let input: Box<dyn std::io::BufRead> =
                    Box::new(std::io::Cursor::new(text.into_bytes()));
                Ok((input, crate::batch::Format::Csv, size))
            }
            Err(e) => {
                eprintln!("{}", tr!("cli-error", message = e.to_string()));
                Err(EXIT_USAGE)
            }
        };
    }
    let mut input: Box<dyn std::io::BufRead> = if files::is_stdin(cases) {
        Box::new(std::io::BufReader::with_capacity(
            1 << 20,
            std::io::stdin().lock(),
        ))
    } else {
        match files::open_regular(cases) {
            Ok(f) => Box::new(std::io::BufReader::with_capacity(1 << 20, f)),
            Err(e) => {
                eprintln!("{}", tr!("cli-cannot-read-cases", error = e.to_string()));
                return Err(EXIT_USAGE);
            }
        }
    };
    let format = if files::is_stdin(cases) {
        sniff_format(&mut input)
    } else {
        match crate::batch::Format::of(cases) {
            Some(f) => f,
            None => {
                eprintln!("{}", tr!("cli-text-1", cases = (shown(cases)).to_string()));
                return Err(EXIT_USAGE);
            }
        }
    };
    let size = if files::is_stdin(cases) {
        0
    } else {
        std::fs::metadata(cases).map(|m| m.len()).unwrap_or(0)
    };
    let input = match crate::batch::encoding::decoded(input, encoding, &shown(cases)) {
        Ok((input, note)) => {
            if let Some(n) = note {
                eprintln!("{n}");
            }
            input
        }
        Err(e) => {
            eprintln!(
                "{}",
                tr!(
                    "cli-error-code",
                    code = "pol::batch::encoding",
                    message = e.to_string()
                )
            );
            return Err(EXIT_PROGRAM);
        }
    };
    Ok((input, format, size))
}

/// Reads the files of `--list LIST=FILE` and joins them to the cases by
/// `--key`; the exit code when a request or a file is wrong.
fn link_lists(
    checked: &crate::check::Checked,
    cases: &Path,
    lists: &[String],
    key: Option<&str>,
    encoding: crate::batch::encoding::Encoding,
) -> Result<crate::batch::linked::Link, i32> {
    use crate::batch::linked::{self, Link};
    use crate::files::{self, shown};
    let Some(key) = key else {
        eprintln!("{}", tr!("cli-list-needs-key"));
        return Err(EXIT_USAGE);
    };
    if files::is_stdin(cases) {
        eprintln!("{}", tr!("cli-list-needs-file"));
        return Err(EXIT_USAGE);
    }
    let mut read = Vec::new();
    for spec in lists {
        let Some((list, file)) = spec.split_once('=') else {
            eprintln!("{}", tr!("cli-list-form", spec = spec.as_str()));
            return Err(EXIT_USAGE);
        };
        let file = Path::new(file.trim());
        let (input, format, _) = open_cases(file, encoding)?;
        if format != crate::batch::Format::Csv {
            eprintln!("{}", tr!("cli-list-csv", file = shown(file)));
            return Err(EXIT_USAGE);
        }
        match linked::read_list(checked, list.trim(), key, &shown(file), input) {
            Ok(l) => read.push(l),
            Err(e) => {
                eprintln!(
                    "{}",
                    tr!("cli-error-code", code = "pol::batch::list", message = e)
                );
                return Err(EXIT_PROGRAM);
            }
        }
    }
    let (input, format, _) = open_cases(cases, encoding)?;
    if format != crate::batch::Format::Csv {
        eprintln!("{}", tr!("cli-list-cases-csv"));
        return Err(EXIT_USAGE);
    }
    let keys = match linked::case_keys(key, &shown(cases), input) {
        Ok(k) => k,
        Err(e) => {
            eprintln!(
                "{}",
                tr!("cli-error-code", code = "pol::batch::list", message = e)
            );
            return Err(EXIT_PROGRAM);
        }
    };
    Link::join(key.to_string(), read, &keys, &shown(cases)).map_err(|e| {
        eprintln!(
            "{}",
            tr!("cli-error-code", code = "pol::batch::list", message = e)
        );
        EXIT_PROGRAM
    })
}

/// A progress bar over `size` bytes on a terminal's stderr; nothing
/// elsewhere.
struct Progress(Option<indicatif::ProgressBar>);

impl Progress {
    fn on_stderr(size: u64) -> Progress {
        Progress(std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new(size);
            bar.set_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {bytes}/{total_bytes} {elapsed} ({eta} left)",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        }))
    }

    /// `bytes` of the input have been read.
    fn read(&self, bytes: u64) {
        if let Some(b) = &self.0 {
            b.set_position(bytes);
        }
    }

    fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

/// `pol eval PACKAGE --cases FILE [--out FILE] [--on DATE] [--explain-row N]`
/// What `pol eval PACKAGE --cases FILE …` asks for.
pub struct BatchRequest<'a> {
    pub path: &'a Path,
    pub cases: &'a Path,
    pub out: Option<&'a Path>,
    pub on: Option<crate::lang::scalar::Date>,
    pub explain_row: Option<u64>,
    pub results: Option<&'a [String]>,
    pub encoding: crate::batch::encoding::Encoding,
    /// `--list LIST=FILE`: lists given in files of their own.
    pub lists: &'a [String],
    /// `--key COLUMN`: the column that joins them to the cases.
    pub key: Option<&'a str>,
    /// Which engine evaluates the rows.
    pub engine: Engine,
}

/// What evaluates a batch: the built-in evaluator, or DuckDB running the
/// package compiled to SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Builtin,
    DuckDb,
}

pub fn eval_batch(request: &BatchRequest) -> i32 {
    use crate::batch::{self, Batch, BatchError};
    use crate::files::{self, shown};
    let BatchRequest {
        path,
        cases,
        out,
        on,
        explain_row,
        results,
        encoding,
        lists,
        key,
        engine,
    } = *request;
    let duckdb = engine == Engine::DuckDb;
    let out = out.filter(|o| !files::is_stdin(o));
    let (input, format, size) = match open_cases(cases, encoding) {
        Ok(opened) => opened,
        Err(code) => return code,
    };
    let workbook_out = out.is_some_and(is_workbook);
    if duckdb
        && (workbook_out || out.is_some_and(|o| batch::Format::of(o) != Some(batch::Format::Csv)))
    {
        eprintln!("{}", tr!("duckdb-csv-only"));
        return EXIT_USAGE;
    }
    if workbook_out && format != batch::Format::Csv {
        eprintln!("{}", tr!("cli-text-2"));
        return EXIT_USAGE;
    }
    if let Some(o) = out
        && !files::is_stdin(cases)
        && files::same_file(cases, o)
    {
        eprintln!("{}", tr!("cli-text-3", o = (shown(o)).to_string()));
        return EXIT_USAGE;
    }
    if let Some(o) = out.filter(|_| !workbook_out && !duckdb) {
        if batch::Format::of(o) != Some(format) {
            eprintln!(
                "{}",
                tr!(
                    "cli-text-4",
                    o = (shown(o)).to_string(),
                    extension = (format.extension()).to_string()
                )
            );
            return EXIT_USAGE;
        }
        if !files::is_stdin(cases) && files::same_file(cases, o) {
            eprintln!("{}", tr!("cli-text-5", o = (shown(o)).to_string()));
            return EXIT_USAGE;
        }
    }
    let checked = match package::load(path) {
        Ok(c) => c,
        Err(f) => return report_failure(&f),
    };
    let mut batch = match plan_of(&checked, results) {
        Ok(plan) => Batch::of_plan(plan, on),
        Err(code) => return code,
    };
    if !lists.is_empty() {
        match link_lists(&checked, cases, lists, key, encoding) {
            Ok(link) => batch = batch.with_link(link),
            Err(code) => return code,
        }
    }
    if duckdb {
        return duckdb::eval(&batch, format, input, out, size, cases);
    }
    if let Some(n) = explain_row {
        return match batch::case_of_row(&batch, format, input, n) {
            Ok(case) => match crate::explain::explain(&batch.plan, &case, None) {
                Ok(Some(explanations)) => {
                    print!(
                        "{}",
                        crate::explain::render::text_of_case(
                            batch.program(),
                            case.today,
                            &explanations
                        )
                    );
                    EXIT_OK
                }
                Ok(None) => EXIT_OK,
                Err(e) => report_eval_error(&batch.plan, &e, Format::Text),
            },
            Err(e @ batch::RowLookupError::NoSuchRow(_)) => {
                eprintln!("{}", tr!("cli-error", message = e.to_string()));
                EXIT_USAGE
            }
            Err(e) => {
                eprintln!("{}", tr!("cli-error", message = e.to_string()));
                EXIT_PROGRAM
            }
        };
    }
    // Results go to a temporary file beside --out, which takes its place
    // only when the batch has finished: an error, a full disk or Ctrl-C
    // leaves an existing file as it was.
    let mut file_out = match out.map(files::Output::create).transpose() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{}", tr!("cli-text-6", e = e.to_string()));
            return EXIT_USAGE;
        }
    };
    files::catch_interrupt();
    let bar = Progress::on_stderr(size);
    let progress = |bytes: u64| bar.read(bytes);
    let result = match &mut file_out {
        // A workbook is written whole, from the rows of the batch.
        Some(o) if workbook_out => {
            let mut rows = Vec::new();
            batch::run(&batch, format, input, &mut rows, &progress).and_then(|summary| {
                let text = String::from_utf8_lossy(&rows);
                let bytes =
                    batch::xlsx::results_workbook(&batch.plan, &text).map_err(BatchError::Io)?;
                o.writer()
                    .write_all(&bytes)
                    .map_err(|e| BatchError::Io(e.to_string()))?;
                Ok(summary)
            })
        }
        Some(o) => batch::run(
            &batch,
            format,
            input,
            std::io::BufWriter::with_capacity(1 << 20, o.writer()),
            &progress,
        ),
        None => batch::run(
            &batch,
            format,
            input,
            std::io::BufWriter::new(std::io::stdout().lock()),
            &progress,
        ),
    };
    bar.finish();
    batch_ended(&batch, result, file_out, cases)
}

/// Reports how a batch ended (the summary, or why it stopped), commits
/// `--out` if it finished: the exit code.
fn batch_ended(
    batch: &crate::batch::Batch,
    result: Result<crate::batch::Summary, crate::batch::BatchError>,
    file_out: Option<crate::files::Output>,
    cases: &Path,
) -> i32 {
    use crate::batch::BatchError;
    use crate::files::{self, shown};
    let untouched = |o: &Option<files::Output>| match o {
        Some(o) => tr!("cli-text-7", target = (shown(o.target())).to_string()),
        None => tr!("cli-text-8"),
    };
    match result {
        Ok(summary) => {
            if let Some(o) = file_out
                && let Err(e) = o.commit()
            {
                eprintln!("{}", tr!("cli-text-9", e = e.to_string()));
                return EXIT_USAGE;
            }
            eprint!("{}", summary.text(batch));
            if summary.errors > 0 {
                EXIT_PROGRAM
            } else {
                EXIT_OK
            }
        }
        Err(BatchError::Interrupted(rows)) => {
            eprintln!(
                "{}",
                tr!("cli-text-10", rows = rows, file_out = untouched(&file_out))
            );
            EXIT_INTERRUPTED
        }
        Err(BatchError::Io(e)) => {
            eprintln!(
                "{}",
                tr!(
                    "cli-error",
                    message = format!("{e}{}", untouched(&file_out))
                )
            );
            EXIT_USAGE
        }
        Err(BatchError::Header(errors)) => {
            for e in &errors {
                eprintln!(
                    "{}",
                    crate::diagnostic::error_in_file(
                        "pol::batch::header",
                        &shown(cases).to_string(),
                        &e.to_string()
                    )
                );
            }
            eprintln!("{}", tr!("cli-text-11"));
            EXIT_PROGRAM
        }
    }
}

/// `pol lsp`: the language server, on stdin and stdout.
pub fn lsp() -> i32 {
    match crate::lsp::run() {
        Ok(()) => EXIT_OK,
        Err(e) => {
            eprintln!("{}", tr!("cli-error", message = e.to_string()));
            EXIT_USAGE
        }
    }
}

/// `pol serve PACKAGE [--addr ADDR] [--reload]`
pub fn serve(path: &Path, addr: std::net::SocketAddr, reload: bool) -> i32 {
    match crate::serve::run(path, addr, reload) {
        Ok(()) => EXIT_OK,
        Err(crate::serve::ServeError::Package(f)) => {
            let code = report_failure(&f);
            eprintln!("{}", tr!("cli-server-not-started"));
            code
        }
        Err(crate::serve::ServeError::Start(e)) => {
            eprintln!("{}", tr!("cli-error", message = e.to_string()));
            EXIT_USAGE
        }
    }
}

/// `pol fmt PATH [--check] [--fix]`: formats the `.pol` files of a package
/// in place; with `--check`, names the files that would change and exits
/// 1; with `--fix`, first writes full-width punctuation in code in ASCII.
pub fn fmt(path: &Path, check: bool, fix: bool) -> i32 {
    let files = match package::files(path) {
        Ok(f) => f,
        Err(e) => {
            eprintln!("{}", tr!("cli-error", message = e.to_string()));
            return EXIT_USAGE;
        }
    };
    let mut changed = Vec::new();
    let mut failed = false;
    for file in &files {
        let text = match package::read_file(file) {
            Ok(t) => t,
            Err(e) => {
                eprintln!("{}", tr!("cli-error", message = e.to_string()));
                return EXIT_USAGE;
            }
        };
        let fixed = if fix {
            crate::syntax::scan::to_ascii(&text, false)
        } else {
            text.clone()
        };
        match crate::fmt::format_source(&fixed) {
            Err(diags) => {
                let mut sources = crate::source::SourceMap::new();
                sources.add(file.display().to_string(), Some(file), text);
                eprint!("{}", render_all(&diags, &sources, stderr_options()));
                failed = true;
            }
            // `pol fmt -` is a filter: the formatted text goes out.
            Ok(formatted) if crate::files::is_stdin(file) => {
                if !check {
                    print!("{formatted}");
                } else if formatted != text {
                    changed.push(file);
                }
            }
            Ok(formatted) if formatted != text => {
                if !check && let Err(e) = crate::files::write_atomic(file, formatted.as_bytes()) {
                    eprintln!(
                        "{}",
                        tr!("cli-cannot-write-formatted", error = e.to_string())
                    );
                    return EXIT_USAGE;
                }
                changed.push(file);
            }
            Ok(_) => {}
        }
    }
    if failed {
        eprintln!("{}", tr!("cli-fmt-syntax-errors"));
        return EXIT_PROGRAM;
    }
    if check {
        for f in &changed {
            println!(
                "{}",
                tr!("cli-would-reformat", file = f.display().to_string())
            );
        }
        if changed.is_empty() {
            EXIT_OK
        } else {
            EXIT_PROGRAM
        }
    } else {
        for f in &changed {
            println!("{}", tr!("cli-formatted", file = f.display().to_string()));
        }
        EXIT_OK
    }
}

//! `pol eval --cases FILE --engine duckdb`: the batch handed to DuckDB.
//!
//! Pol reads the cases as the built-in evaluator does (the same cell
//! parser, the same error rows), writes the facts of the rows DuckDB can
//! hold to a table in a DuckDB database of its own in a temporary folder,
//! runs the query `pol sql --dialect duckdb` compiles over it with the
//! `duckdb` program, and writes DuckDB's rows in the order of the input.
//! A row DuckDB cannot hold (a decimal of more than 10 places) is
//! evaluated by the built-in evaluator instead; a row that cannot be read
//! is the built-in's error row. Every row of the input has a row in the
//! output, and no other.

use crate::batch::{self, Batch, BatchError, Column, Format, RowError, RowResult, Summary};
use crate::eval::Case;
use crate::i18n::tr;
use crate::lang::types::Type;
use crate::lang::value::Value;
use crate::sql::{Dialect, Options, Query};
use std::io::{BufRead, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};

/// The table of cases in DuckDB.
const TABLE: &str = "cases";
/// The places of a decimal fact SQL holds (`DECIMAL(38,10)`).
const DECIMAL_PLACES: u32 = 10;

/// Why the DuckDB engine cannot run a batch.
#[derive(Debug)]
pub enum EngineError {
    /// The `duckdb` program is not there.
    NoDuckDb(String),
    /// DuckDB failed: its message.
    DuckDb(String),
    /// The results cannot be handed to DuckDB: the report.
    Refused(String),
    Batch(BatchError),
}

impl From<BatchError> for EngineError {
    fn from(e: BatchError) -> EngineError {
        EngineError::Batch(e)
    }
}

/// The `duckdb` program: `POL_DUCKDB`, or `duckdb` on the PATH.
fn duckdb_program() -> Result<PathBuf, EngineError> {
    if let Some(p) = std::env::var_os("POL_DUCKDB") {
        let p = PathBuf::from(p);
        return if p.is_file() {
            Ok(p)
        } else {
            Err(EngineError::NoDuckDb(tr!(
                "duckdb-not-found-env",
                path = p.display().to_string()
            )))
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|d| d.join("duckdb"))
        .find(|p| p.is_file())
        .ok_or_else(|| EngineError::NoDuckDb(tr!("duckdb-not-found")))
}

/// A column of the table of cases: its name, where its fact is in a case
/// (the input and the fields under it), its type.
struct Fact {
    name: String,
    input: usize,
    steps: Vec<usize>,
    ty: Type,
}

/// The columns of the table, in the order of `pol sql --schema`.
fn facts(program: &crate::check::ir::Program) -> Vec<Fact> {
    fn walk(
        program: &crate::check::ir::Program,
        name: String,
        input: usize,
        steps: Vec<usize>,
        ty: &Type,
        out: &mut Vec<Fact>,
    ) {
        match ty {
            Type::Record(r) => {
                for (i, f) in program.records[r.index()].fields.iter().enumerate() {
                    let mut s = steps.clone();
                    s.push(i);
                    walk(program, format!("{name}.{}", f.name), input, s, &f.ty, out);
                }
            }
            _ if crate::sql::column_type(Dialect::DuckDb, ty).is_some() => out.push(Fact {
                name,
                input,
                steps,
                ty: ty.clone(),
            }),
            // Lists and periods have no column (the query refuses what
            // reads them).
            _ => {}
        }
    }
    let mut out = Vec::new();
    for (i, input) in program.inputs.iter().enumerate() {
        walk(
            program,
            input.name.clone(),
            i,
            Vec::new(),
            &input.ty,
            &mut out,
        );
    }
    out
}

/// The value of a fact in a case.
fn fact_of<'v>(case: &'v Case, f: &Fact) -> &'v Value {
    let mut v = &case.inputs[f.input];
    for &s in &f.steps {
        match v {
            Value::Record(_, fields) => v = &fields[s],
            _ => return v,
        }
    }
    v
}

/// Appends a fact as a cell of the table's CSV; `false` if DuckDB cannot
/// hold it as the built-in evaluator does.
fn push_fact(out: &mut String, program: &crate::check::ir::Program, v: &Value) -> bool {
    match v {
        Value::Unknown(_) | Value::Record(..) => {}
        Value::Decimal(d) if d.scale() > DECIMAL_PLACES => {
            let normal = d.normalize();
            if normal.scale() > DECIMAL_PLACES {
                return false;
            }
            batch::push_cell(out, program, &Value::Decimal(normal));
        }
        // An empty text is not an unknown one.
        Value::Text(t) if t.is_empty() => out.push_str("\"\""),
        v => batch::push_cell(out, program, v),
    }
    true
}

/// What a part of the input gives besides the table's rows: the rows the
/// built-in evaluator wrote, with their numbers, and their summary.
struct Part {
    own: Vec<(u64, String)>,
    summary: Summary,
    held: u64,
}

/// Runs the batch in DuckDB; the summary, or why it could not.
pub fn run(
    batch: &Batch,
    format: Format,
    mut input: impl BufRead,
    output: impl Write,
    progress: &dyn Fn(u64),
    temp_in: Option<&Path>,
) -> Result<Summary, EngineError> {
    let program = batch.program();
    let query = compiled(batch)?;
    let duckdb = duckdb_program()?;
    let dir = match temp_in {
        Some(d) => tempfile::Builder::new().prefix(".pol-duckdb").tempdir_in(d),
        None => tempfile::Builder::new().prefix("pol-duckdb").tempdir(),
    }
    .map_err(|e| BatchError::Io(e.to_string()))?;
    let io = |e: std::io::Error| BatchError::Io(e.to_string());
    let (columns, bytes_read) = if format == Format::Csv {
        let (names, n) = batch::header_names(&mut input)?;
        (batch.columns_of(&names).map_err(BatchError::Header)?, n)
    } else {
        (Vec::new(), 0)
    };
    let facts = facts(program);
    // The facts of the rows DuckDB holds, as CSV.
    let cases_path = dir.path().join("cases.csv");
    let mut cases =
        std::io::BufWriter::with_capacity(1 << 20, std::fs::File::create(&cases_path).map_err(io)?);
    let mut header = String::from("row");
    if batch.on().is_none() {
        header.push_str(",today");
    }
    for f in &facts {
        header.push(',');
        header.push_str(&batch::csv::quote(&f.name));
    }
    header.push('\n');
    cases.write_all(header.as_bytes()).map_err(io)?;
    let mut summary = Summary::new(batch);
    let mut own: Vec<(u64, String)> = Vec::new();
    let mut held: u64 = 0;
    let work = |block: &[u8], part: &[Range<usize>], first: u64| {
        table_rows(batch, &columns, format, &facts, block, part, first)
    };
    let count = batch::each_block(
        format,
        input,
        bytes_read,
        &mut cases,
        progress,
        &work,
        |p: Part| {
            summary.merge(&p.summary);
            held += p.held;
            own.extend(p.own);
        },
    )?;
    cases.flush().map_err(io)?;
    drop(cases);
    let out_path = dir.path().join("results.csv");
    let script = script(batch, &facts, &query, &cases_path, &out_path);
    let script_path = dir.path().join("run.sql");
    std::fs::write(&script_path, script).map_err(io)?;
    let ran = std::process::Command::new(&duckdb)
        .arg("-no-init")
        .arg("-bail")
        .arg("-batch")
        .arg("-f")
        .arg(&script_path)
        .arg(dir.path().join("cases.duckdb"))
        .stdin(std::process::Stdio::null())
        .output()
        .map_err(|e| EngineError::DuckDb(format!("{}: {e}", duckdb.display())))?;
    if crate::files::interrupted() {
        return Err(BatchError::Interrupted(count).into());
    }
    if !ran.status.success() {
        let text = String::from_utf8_lossy(&ran.stderr).trim().to_string();
        let text = if text.is_empty() {
            String::from_utf8_lossy(&ran.stdout).trim().to_string()
        } else {
            text
        };
        return Err(EngineError::DuckDb(text));
    }
    let results = std::io::BufReader::new(std::fs::File::open(&out_path).map_err(io)?);
    let written = merge(batch, &query, results, own, output, &mut summary)?;
    if written != count || summary.cases != count {
        return Err(EngineError::DuckDb(tr!(
            "duckdb-rows-lost",
            rows = count,
            written = written,
            held = held
        )));
    }
    Ok(summary)
}

/// The query of the batch's results, or the report of those refused.
fn compiled(batch: &Batch) -> Result<Query, EngineError> {
    let options = Options {
        dialect: Dialect::DuckDb,
        on: batch.on(),
        table: TABLE,
    };
    match crate::sql::compile(&batch.plan, options) {
        Ok(q) if !q.lists.is_empty() => Err(EngineError::Refused(tr!(
            "duckdb-lists",
            lists = q.lists.join(", ")
        ))),
        Ok(q) => Ok(q),
        Err(refused) => {
            let mut text = String::new();
            for r in refused.iter().take(super::MAX_SHOWN_ERRORS) {
                text.push_str(&super::render_all(
                    &[r.to_diagnostic()],
                    batch.plan.checked().sources(),
                    super::stderr_options(),
                ));
            }
            text.push_str(&tr!("duckdb-refused", count = refused.len()));
            Err(EngineError::Refused(text))
        }
    }
}

/// Reads one part of a block: the table's rows of those DuckDB holds, the
/// built-in's rows of the others.
fn table_rows(
    batch: &Batch,
    columns: &[Column],
    format: Format,
    facts: &[Fact],
    block: &[u8],
    records: &[Range<usize>],
    first: u64,
) -> (String, Part) {
    let program = batch.program();
    let mut text = String::new();
    let mut part = Part {
        own: Vec::new(),
        summary: Summary::new(batch),
        held: 0,
    };
    for (i, r) in records.iter().enumerate() {
        let number = first + i as u64 + 1;
        let case = match std::str::from_utf8(&block[r.clone()]) {
            Err(_) => Err(RowError::new("pol::batch::utf8", tr!("batch-text-10"))),
            Ok(line) => batch.case_of(columns, format, line),
        };
        let case = match case {
            Ok(c) => c,
            Err(e) => {
                let row: RowResult = Err(e);
                part.summary.add(batch, &row);
                part.own.push((number, own_row(batch, number, &row)));
                continue;
            }
        };
        let at = text.len();
        crate::lang::scalar::push_int(&mut text, number as i64);
        if batch.on().is_none() {
            text.push(',');
            if let Some(d) = case.today {
                text.push_str(&d.to_string());
            }
        }
        let mut holds = true;
        for f in facts {
            text.push(',');
            holds &= push_fact(&mut text, program, fact_of(&case, f));
        }
        if holds {
            text.push('\n');
            part.held += 1;
        } else {
            text.truncate(at);
            let row: RowResult = Ok(batch.evaluate(&case));
            part.summary.add(batch, &row);
            part.own.push((number, own_row(batch, number, &row)));
        }
    }
    (text, part)
}

/// A row the built-in evaluator wrote: `row`, the results, `error`.
fn own_row(batch: &Batch, number: u64, row: &RowResult) -> String {
    let mut out = String::new();
    crate::lang::scalar::push_int(&mut out, number as i64);
    match row {
        Ok(row) => {
            let mut errors = Vec::new();
            for (slot, outcome) in batch.plan.results.iter().zip(&row.outcomes) {
                out.push(',');
                match outcome {
                    Ok(v) => batch::push_cell(&mut out, batch.program(), v),
                    Err(e) => errors.push(format!("{}: {}", slot.key, batch.eval_error(e))),
                }
            }
            out.push(',');
            out.push_str(&batch::csv::quote(&errors.join("; ")));
        }
        Err(e) => {
            for _ in &batch.plan.results {
                out.push(',');
            }
            out.push(',');
            out.push_str(&batch::csv::quote(&format!(
                "error[{}]: {}",
                e.code, e.message
            )));
        }
    }
    out.push('\n');
    out
}

/// A text as an SQL string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// The script DuckDB runs: the table from the CSV, the query's rows to
/// `out` as CSV.
fn script(batch: &Batch, facts: &[Fact], query: &Query, cases: &Path, out: &Path) -> String {
    let mut types = vec![format!("{}: 'BIGINT'", literal("row"))];
    if batch.on().is_none() {
        types.push(format!("{}: 'DATE'", literal("today")));
    }
    for f in facts {
        let ty = crate::sql::column_type(Dialect::DuckDb, &f.ty).unwrap_or_default();
        types.push(format!("{}: {}", literal(&f.name), literal(&ty)));
    }
    let sql = query.sql.trim().trim_end_matches(';');
    format!(
        "SET preserve_insertion_order = false;\n\
         CREATE TABLE {table} AS SELECT * FROM read_csv({cases}, header = true, auto_detect = false, \
         delim = ',', quote = '\"', escape = '\"', allow_quoted_nulls = false, columns = {{{types}}});\n\
         COPY ({sql}\n) TO {out} (FORMAT csv, HEADER true);\n",
        table = Dialect::DuckDb.quote(TABLE),
        cases = literal(&cases.display().to_string()),
        types = types.join(", "),
        out = literal(&out.display().to_string()),
    )
}

/// Writes DuckDB's rows and the built-in's, in the order of the input;
/// counts DuckDB's in the summary. Gives the number of rows written.
fn merge(
    batch: &Batch,
    query: &Query,
    mut results: impl BufRead,
    own: Vec<(u64, String)>,
    mut output: impl Write,
    summary: &mut Summary,
) -> Result<u64, EngineError> {
    let io = |e: std::io::Error| EngineError::Batch(BatchError::Io(e.to_string()));
    let program = batch.program();
    let types: Vec<Type> = batch
        .plan
        .results
        .iter()
        .map(|s| crate::sql::result_type(program, s))
        .collect();
    let mut head = String::from("row");
    for key in &query.results {
        head.push(',');
        head.push_str(&batch::csv::quote(key));
    }
    head.push_str(",error\n");
    output.write_all(head.as_bytes()).map_err(io)?;
    let mut own = own.into_iter().peekable();
    let mut written: u64 = 0;
    let mut record = String::new();
    let mut first = true;
    let mut line = String::new();
    let mut out = String::new();
    loop {
        line.clear();
        let n = results.read_line(&mut line).map_err(io)?;
        if n == 0 {
            break;
        }
        record.push_str(&line);
        // A quoted cell may hold a line end: the record goes on.
        if record.bytes().filter(|&b| b == b'"').count() % 2 == 1 {
            continue;
        }
        let text = std::mem::take(&mut record);
        let text = text.trim_end_matches(['\n', '\r']);
        if first {
            first = false;
            continue;
        }
        let cells = batch::csv::split(text).map_err(|e| EngineError::DuckDb(e.to_string()))?;
        if cells.len() != types.len() + 2 {
            return Err(EngineError::DuckDb(tr!("duckdb-bad-row", row = text)));
        }
        let number: u64 = cells[0]
            .parse()
            .map_err(|_| EngineError::DuckDb(tr!("duckdb-bad-row", row = text)))?;
        while let Some((_, row)) = own.next_if(|(n, _)| *n < number) {
            output.write_all(row.as_bytes()).map_err(io)?;
            written += 1;
        }
        out.clear();
        crate::lang::scalar::push_int(&mut out, number as i64);
        let error = &cells[types.len() + 1];
        let failed: Vec<&str> = error
            .split("; ")
            .filter_map(|e| e.split_once(": error[").map(|(k, _)| k))
            .collect();
        summary.cases += 1;
        if !error.is_empty() {
            summary.errors += 1;
        }
        for (i, ty) in types.iter().enumerate() {
            out.push(',');
            let cell: &str = &cells[i + 1];
            let value = value_of(program, ty, cell)
                .ok_or_else(|| EngineError::DuckDb(tr!("duckdb-bad-row", row = text)))?;
            if batch.is_benefit(i) {
                match &value {
                    Value::Money(m) => summary.totals[i] += crate::lang::scalar::fen_of(*m),
                    _ if failed.contains(&query.results[i].as_str()) => summary.failed[i] += 1,
                    _ => summary.undetermined[i] += 1,
                }
            }
            batch::push_cell(&mut out, program, &value);
        }
        out.push(',');
        out.push_str(&batch::csv::quote(error));
        out.push('\n');
        output.write_all(out.as_bytes()).map_err(io)?;
        written += 1;
    }
    for (_, row) in own {
        output.write_all(row.as_bytes()).map_err(io)?;
        written += 1;
    }
    output.flush().map_err(io)?;
    Ok(written)
}

/// A cell of DuckDB's rows as the value it stands for (unknown if empty);
/// `None` if it is not one of the type.
fn value_of(program: &crate::check::ir::Program, ty: &Type, cell: &str) -> Option<Value> {
    use rust_decimal::Decimal;
    use std::str::FromStr;
    if cell.is_empty() {
        return Some(Value::missing(""));
    }
    Some(match ty {
        Type::Bool => Value::Bool(match cell {
            "true" => true,
            "false" => false,
            _ => return None,
        }),
        Type::Int => Value::Int(cell.parse().ok()?),
        Type::Money => Value::Money(Decimal::from_str(cell).ok()?),
        Type::Decimal => Value::Decimal(Decimal::from_str(cell).ok()?.normalize()),
        Type::Date => Value::Date(crate::lang::scalar::Date::parse(cell)?),
        Type::Enum(e) => {
            let at = program.enums[e.index()]
                .variants
                .iter()
                .position(|v| v == cell)?;
            Value::Enum(*e, at as u32)
        }
        // Text, durations and periods are written as DuckDB wrote them.
        _ => Value::Text(cell.into()),
    })
}

/// `pol eval --cases … --engine duckdb`, from the batch `eval_batch` made:
/// the exit code.
pub(super) fn eval(
    batch: &Batch,
    format: Format,
    input: Box<dyn BufRead>,
    out: Option<&Path>,
    size: u64,
    cases: &Path,
) -> i32 {
    use super::{EXIT_PROGRAM, EXIT_USAGE};
    use crate::files::{self, shown};
    let mut file_out = match out.map(files::Output::create).transpose() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("{}", tr!("cli-text-6", e = e.to_string()));
            return EXIT_USAGE;
        }
    };
    files::catch_interrupt();
    let bar = super::Progress::on_stderr(size);
    let progress = |bytes: u64| bar.read(bytes);
    // The database goes beside --out, where there is room for the results.
    let temp_in = out
        .and_then(Path::parent)
        .filter(|p| !p.as_os_str().is_empty());
    let result = match &mut file_out {
        Some(o) => run(
            batch,
            format,
            input,
            std::io::BufWriter::with_capacity(1 << 20, o.writer()),
            &progress,
            temp_in,
        ),
        None => run(
            batch,
            format,
            input,
            std::io::BufWriter::new(std::io::stdout().lock()),
            &progress,
            None,
        ),
    };
    bar.finish();
    let result = match result {
        Ok(summary) => Ok(summary),
        Err(EngineError::Batch(e)) => Err(e),
        Err(EngineError::Refused(e)) => {
            eprintln!("{e}");
            return EXIT_PROGRAM;
        }
        Err(EngineError::NoDuckDb(e)) => {
            eprintln!("{}", tr!("cli-error", message = e));
            return EXIT_USAGE;
        }
        Err(EngineError::DuckDb(e)) => {
            let untouched = match &file_out {
                Some(o) => tr!("cli-text-7", target = (shown(o.target())).to_string()),
                None => tr!("cli-text-8"),
            };
            eprintln!(
                "{}",
                tr!("duckdb-failed", message = e, file_out = untouched)
            );
            return EXIT_PROGRAM;
        }
    };
    super::batch_ended(batch, result, file_out, cases)
}

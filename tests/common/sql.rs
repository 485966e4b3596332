//! What the SQL tests share: generated cases, CSV cells, the engines
//! (DuckDB's Python package, a PostgreSQL server of the test's own) and
//! the comparison of their rows with the interpreter's.

use super::text;
use pol::lang::types::Type;
use rust_decimal::Decimal;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::str::FromStr;

/// A small deterministic generator (xorshift64*): the same cases on every run.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

/// Every fact column SQL holds, with its type: `employer.size` → enum.
pub fn fact_types(program: &pol::check::ir::Program) -> BTreeMap<String, Type> {
    fn walk(
        p: &pol::check::ir::Program,
        path: String,
        ty: &Type,
        out: &mut BTreeMap<String, Type>,
    ) {
        match ty {
            Type::Record(r) => {
                for f in &p.records[r.index()].fields {
                    walk(p, format!("{path}.{}", f.name), &f.ty, out);
                }
            }
            _ => {
                out.insert(path, ty.clone());
            }
        }
    }
    let mut out = BTreeMap::new();
    for i in &program.inputs {
        walk(program, i.name.clone(), &i.ty, &mut out);
    }
    out
}

/// The ranges of the facts with one, by their column's path; `item` gives
/// those of a list's items, by the path within the item.
pub fn fact_ranges(
    program: &pol::check::ir::Program,
    item: Option<&Type>,
) -> BTreeMap<String, pol::check::ir::FactRange> {
    fn walk(
        p: &pol::check::ir::Program,
        path: String,
        ty: &Type,
        range: Option<&pol::check::ir::FactRange>,
        out: &mut BTreeMap<String, pol::check::ir::FactRange>,
    ) {
        if let Some(r) = range {
            out.insert(path.clone(), r.clone());
        }
        if let Type::Record(r) = ty {
            for f in &p.records[r.index()].fields {
                let sub = if path.is_empty() {
                    f.name.clone()
                } else {
                    format!("{path}.{}", f.name)
                };
                walk(p, sub, &f.ty, f.range.as_ref(), out);
            }
        }
    }
    let mut out = BTreeMap::new();
    match item {
        Some(ty) => walk(program, String::new(), ty, None, &mut out),
        None => {
            for i in &program.inputs {
                walk(program, i.name.clone(), &i.ty, i.range.as_ref(), &mut out);
            }
        }
    }
    out
}

/// A cell of a fact with a range: inside it nine times in ten (drawn
/// again until it is), else whatever `cell` gives, so that cases outside a
/// range come up without crowding out the rest.
pub fn ranged_cell(
    rng: &mut Rng,
    program: &pol::check::ir::Program,
    ty: &Type,
    range: Option<&pol::check::ir::FactRange>,
) -> String {
    let Some(range) = range else {
        return cell(rng, program, ty);
    };
    let outside_ok = rng.chance(10);
    let mut c = cell(rng, program, ty);
    for _ in 0..50 {
        let inside = pol::eval::case::text_cell(program, ty, &c, "")
            .is_ok_and(|v| pol::eval::case::value_in_range(&v, range));
        if inside || outside_ok {
            break;
        }
        c = cell(rng, program, ty);
    }
    c
}

pub fn date(rng: &mut Rng, from_year: u64, years: u64) -> String {
    let y = from_year + rng.below(years);
    let m = 1 + rng.below(12);
    let days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][(m - 1) as usize];
    // Month ends, where month arithmetic clamps, come often.
    let d = if rng.chance(20) {
        days
    } else {
        1 + rng.below(days)
    };
    format!("{y}-{m:02}-{d:02}")
}

pub fn cell(rng: &mut Rng, program: &pol::check::ir::Program, ty: &Type) -> String {
    match ty {
        Type::Bool => if rng.chance(50) { "true" } else { "false" }.into(),
        Type::Int => rng.below(40).to_string(),
        Type::Decimal => format!("0.{:02}", rng.below(100)),
        Type::Money => {
            let yuan = match rng.below(4) {
                0 => rng.below(100),
                1 => rng.below(2_000),
                _ => rng.below(60_000),
            };
            format!(
                "{yuan}.{:02}",
                if rng.chance(50) { 0 } else { rng.below(100) }
            )
        }
        Type::Date => date(rng, 2017, 8),
        Type::Enum(e) => {
            let v = &program.enums[e.index()].variants;
            v[rng.below(v.len() as u64) as usize].clone()
        }
        Type::Text => format!("t{}", rng.below(3)),
        Type::Duration => {
            let n = if rng.chance(10) { 0 } else { rng.below(40) };
            let unit = [
                "months", "years", "days", "weeks", "个月", "年", "month", "天",
            ];
            format!("{n} {}", unit[rng.below(unit.len() as u64) as usize])
        }
        _ => String::new(),
    }
}

pub fn csv_quote(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// The cells of a CSV file (quotes and doubled quotes; no newlines in cells).
pub fn read_csv(text: &str) -> Vec<Vec<String>> {
    text.lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut cells = Vec::new();
            let mut cur = String::new();
            let mut quoted = false;
            let mut chars = line.chars().peekable();
            while let Some(c) = chars.next() {
                match (c, quoted) {
                    ('"', true) if chars.peek() == Some(&'"') => {
                        cur.push('"');
                        chars.next();
                    }
                    ('"', _) => quoted = !quoted,
                    (',', false) => cells.push(std::mem::take(&mut cur)),
                    _ => cur.push(c),
                }
            }
            cells.push(cur);
            cells
        })
        .collect()
}

/// The (result, code) pairs of an `error` cell: `c.amount: error[CODE]…`.
pub fn errors_of(cell: &str, results: &[String]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    // An error of the whole case (a fact outside its range), before any
    // result's.
    if let Some(rest) = cell.strip_prefix("error[") {
        let code = rest.split(']').next().unwrap_or_default();
        out.push(("the case".to_string(), code.to_string()));
    }
    for r in results {
        let marker = format!("{r}: error[");
        if let Some(at) = cell.find(&marker) {
            let rest = &cell[at + marker.len()..];
            let code = rest.split(']').next().unwrap_or_default();
            out.push((r.clone(), code.to_string()));
        }
    }
    out
}

/// A PostgreSQL server of the test's own, on a socket in a private
/// directory; stopped when dropped.
pub struct Postgres {
    bin: PathBuf,
    dir: tempfile::TempDir,
    as_root: bool,
}

impl Postgres {
    pub fn start() -> Result<Postgres, String> {
        let bin = std::fs::read_dir("/usr/lib/postgresql")
            .ok()
            .and_then(|d| {
                d.flatten()
                    .map(|e| e.path().join("bin"))
                    .find(|b| b.join("initdb").exists())
            })
            .ok_or("PostgreSQL's server is not installed (Debian's `postgresql`)")?;
        let dir = tempfile::tempdir().map_err(|e| e.to_string())?;
        // SAFETY: geteuid has no preconditions.
        let as_root = unsafe { libc::geteuid() } == 0;
        if as_root {
            let _ = Command::new("chown")
                .args(["postgres", &dir.path().display().to_string()])
                .status();
        }
        let pg = Postgres { bin, dir, as_root };
        let data = pg.dir.path().join("data");
        let out = pg
            .tool(
                "initdb",
                &[
                    "-D",
                    &data.display().to_string(),
                    "-A",
                    "trust",
                    "-U",
                    "postgres",
                ],
            )
            .map_err(|e| format!("initdb: {e}"))?;
        if !out.status.success() {
            return Err(format!("initdb failed: {}", text(&out.stderr)));
        }
        let opts = format!("-k {} -c listen_addresses=''", pg.dir.path().display());
        let log = pg.dir.path().join("log").display().to_string();
        let out = pg
            .tool(
                "pg_ctl",
                &[
                    "-D",
                    &data.display().to_string(),
                    "-o",
                    &opts,
                    "-l",
                    &log,
                    "-w",
                    "start",
                ],
            )
            .map_err(|e| format!("pg_ctl: {e}"))?;
        if !out.status.success() {
            return Err(format!("the server did not start: {}", text(&out.stderr)));
        }
        Ok(pg)
    }

    fn tool(&self, tool: &str, args: &[&str]) -> std::io::Result<std::process::Output> {
        let exe = self.bin.join(tool);
        if self.as_root {
            Command::new("runuser")
                .args(["-u", "postgres", "--"])
                .arg(exe)
                .args(args)
                .output()
        } else {
            Command::new(exe).args(args).output()
        }
    }

    /// Loads `cases` (a CSV with `row` and the fact columns `header`) into
    /// a new table made by `schema`, and each list's table (its columns and
    /// its CSV), and runs `query`: its rows as CSV.
    pub fn evaluate(
        &self,
        schema: &str,
        query: &str,
        cases: &Path,
        header: &[String],
        lists: &[(String, Vec<String>, PathBuf)],
    ) -> Result<String, String> {
        let quoted = |names: &[String]| {
            names
                .iter()
                .map(|h| format!("\"{}\"", h.replace('"', "\"\"")))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let mut cols = vec!["row".to_string()];
        cols.extend(header.iter().cloned());
        // As docs/sql.md advises: LLVM's compile of the query's long
        // expressions costs far more than running them.
        let mut script = String::from("SET jit = off;\nDROP TABLE IF EXISTS cases;\n");
        for (table, ..) in lists {
            script.push_str(&format!("DROP TABLE IF EXISTS \"{table}\";\n"));
        }
        script.push_str(schema);
        script.push_str(&format!(
            "\\copy cases({}) FROM '{}' WITH (FORMAT csv, HEADER true)\n",
            quoted(&cols),
            cases.display()
        ));
        for (table, columns, file) in lists {
            script.push_str(&format!(
                "\\copy \"{table}\"({}) FROM '{}' WITH (FORMAT csv, HEADER true)\n",
                quoted(columns),
                file.display()
            ));
        }
        script.push_str(query);
        let file = cases.with_extension("psql");
        std::fs::write(&file, script).map_err(|e| e.to_string())?;
        self.psql(&file)
    }

    /// Runs a psql script; its last query's rows as CSV.
    pub fn psql(&self, script: &Path) -> Result<String, String> {
        let out = Command::new(self.bin.join("psql"))
            .args([
                "-X",
                "-q",
                "-v",
                "ON_ERROR_STOP=1",
                "--csv",
                "-U",
                "postgres",
                "-d",
                "postgres",
                "-p",
                "5432",
            ])
            .arg("-h")
            .arg(self.dir.path())
            .arg("-f")
            .arg(script)
            .env("PGTZ", "UTC")
            .output()
            .map_err(|e| e.to_string())?;
        if !out.status.success() {
            return Err(text(&out.stderr));
        }
        Ok(text(&out.stdout))
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.dir.path().join("data").display().to_string();
        let _ = self.tool("pg_ctl", &["-D", &data, "-m", "immediate", "stop"]);
    }
}

pub const DUCKDB_RUNNER: &str = r#"
import csv, sys, duckdb
# Jobs of five arguments each: the schema, the query, the cases, the output,
# and the lists' tables (TABLE=FILE, separated by |, or nothing).
args = sys.argv[1:]
for k in range(0, len(args), 5):
    schema, query, cases, out, lists = args[k:k + 5]
    con = duckdb.connect()
    con.execute(open(schema).read())
    con.execute("INSERT INTO cases BY NAME SELECT * FROM read_csv(?, header = true, all_varchar = true)", [cases])
    for spec in filter(None, lists.split("|")):
        table, path = spec.split("=", 1)
        con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM read_csv(?, header = true, all_varchar = true)', [path])
    cur = con.execute(open(query).read())
    cols = [d[0] for d in cur.description]
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(cols)
        for row in cur.fetchall():
            w.writerow(["" if v is None else "true" if v is True else "false" if v is False else str(v) for v in row])
"#;

pub const SPARK_RUNNER: &str = r#"
import csv, sys
from pyspark.sql import SparkSession
from pyspark.sql import functions as F
spark = (SparkSession.builder.master("local[2]")
         .config("spark.ui.enabled", "false")
         .config("spark.ui.showConsoleProgress", "false")
         .config("spark.sql.shuffle.partitions", "4")
         # As docs/sql.md says: Spark must not round decimals to fit.
         .config("spark.sql.decimalOperations.allowPrecisionLoss", "false")
         .getOrCreate())
spark.sparkContext.setLogLevel("ERROR")

def load(name, create, path):
    # The table as `pol sql --schema` makes it, filled from a CSV of text
    # cells cast to its types (a column the CSV lacks is NULL).
    spark.sql(f"DROP TABLE IF EXISTS `{name}`")
    spark.sql(create)
    types = [(f.name, f.dataType) for f in spark.table(f"`{name}`").schema.fields]
    spark.sql(f"DROP TABLE `{name}`")
    raw = spark.read.option("header", True).csv(path)
    cols = [(F.col(f"`{n}`").cast(t) if n in raw.columns else F.lit(None).cast(t)).alias(n) for n, t in types]
    raw.select(*cols).createOrReplaceTempView(f"`{name}`")

# Jobs of five arguments each, as DuckDB's.
args = sys.argv[1:]
for k in range(0, len(args), 5):
    schema, query, cases, out, lists = args[k:k + 5]
    creates = {}
    for stmt in open(schema).read().split(";"):
        stmt = "\n".join(l for l in stmt.splitlines() if not l.startswith("--")).strip()
        if stmt:
            creates[stmt.split("`")[1]] = stmt
    load("cases", creates["cases"], cases)
    for spec in filter(None, lists.split("|")):
        table, path = spec.split("=", 1)
        load(table, creates[table], path)
    df = spark.sql(open(query).read().rstrip().rstrip(";"))
    with open(out, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(df.columns)
        for row in df.collect():
            w.writerow(["" if v is None else "true" if v is True else "false" if v is False else str(v) for v in row])
"#;

/// Whether a local Spark can run here: pyspark, and a Java it accepts.
pub fn spark_available() -> Result<(), String> {
    match Command::new("python3")
        .args(["-c", "import pyspark"])
        .output()
    {
        Ok(o) if o.status.success() => {}
        Ok(_) => return Err("pyspark is not installed (`pip install pyspark`)".into()),
        Err(e) => return Err(format!("python3 cannot run: {e}")),
    }
    match Command::new("java").arg("-version").output() {
        Ok(o) if o.status.success() => Ok(()),
        _ => Err("no Java runtime for Spark (Debian's `openjdk-17-jre-headless`)".into()),
    }
}

/// Runs jobs in one local Spark (`local[2]`).
pub fn spark_jobs(dir: &Path, jobs: &[Job]) -> Result<(), String> {
    run_jobs(dir, "run_spark.py", SPARK_RUNNER, jobs)
}

pub fn duckdb_available() -> Result<(), String> {
    match Command::new("python3")
        .args(["-c", "import duckdb"])
        .output()
    {
        Ok(o) if o.status.success() => Ok(()),
        Ok(_) => Err("the duckdb Python package is not installed (`pip install duckdb`)".into()),
        Err(e) => Err(format!("python3 cannot run: {e}")),
    }
}

/// Whether the DuckDB command-line program `pol eval --engine duckdb`
/// runs is on PATH.
pub fn duckdb_cli_available() -> Result<(), String> {
    match Command::new("duckdb").arg("-version").output() {
        Ok(o) if o.status.success() => Ok(()),
        _ => Err("the duckdb program is not on PATH (`pip install duckdb-cli`)".into()),
    }
}

/// A cell of the interpreter and one of SQL hold the same value.
pub fn same(ty: &Type, want: &str, got: &str) -> bool {
    if want.is_empty() || got.is_empty() {
        return want == got;
    }
    match ty {
        Type::Money | Type::Decimal => match (Decimal::from_str(want), Decimal::from_str(got)) {
            (Ok(a), Ok(b)) => a == b,
            _ => false,
        },
        Type::Bool => {
            let b = |s: &str| matches!(s, "true" | "t");
            b(want) == b(got) && matches!(got, "true" | "t" | "false" | "f")
        }
        _ => want == got,
    }
}

/// The first difference between the interpreter's rows (`pol eval
/// --cases`) and an engine's, over the compiled results: its row (from 1)
/// and what differs.
pub fn first_mismatch(
    results: &[String],
    types: &BTreeMap<String, Type>,
    expected: &[Vec<String>],
    got: &[Vec<String>],
) -> Option<(usize, String)> {
    if got.len() != expected.len() {
        return Some((
            0,
            format!(
                "{} rows, not {}",
                got.len().saturating_sub(1),
                expected.len() - 1
            ),
        ));
    }
    let (want_head, got_head) = (&expected[0], &got[0]);
    let col = |head: &Vec<String>, name: &str| head.iter().position(|h| h == name);
    let (Some(we), Some(ge)) = (col(want_head, "error"), col(got_head, "error")) else {
        return Some((0, "no error column".into()));
    };
    for (i, (want, row)) in expected[1..].iter().zip(&got[1..]).enumerate() {
        let (a, b) = (errors_of(&want[we], results), errors_of(&row[ge], results));
        if a != b {
            return Some((
                i + 1,
                format!("errors {a:?} in the interpreter, {b:?} in SQL"),
            ));
        }
        for r in results {
            let (Some(wc), Some(gc)) = (col(want_head, r), col(got_head, r)) else {
                return Some((0, format!("no column {r}")));
            };
            if !same(&types[r], &want[wc], &row[gc]) {
                return Some((
                    i + 1,
                    format!(
                        "{r} is {:?} in the interpreter, {:?} in SQL",
                        want[wc], row[gc]
                    ),
                ));
            }
        }
    }
    None
}

/// Runs DuckDB jobs in one process: each the schema, the query, the cases
/// (a CSV with `row`) and where to write the rows.
pub fn duckdb_jobs(dir: &Path, jobs: &[Job]) -> Result<(), String> {
    run_jobs(dir, "run_duckdb.py", DUCKDB_RUNNER, jobs)
}

fn run_jobs(dir: &Path, name: &str, runner_text: &str, jobs: &[Job]) -> Result<(), String> {
    let runner = dir.join(name);
    std::fs::write(&runner, runner_text).map_err(|e| e.to_string())?;
    let mut command = Command::new("python3");
    command.arg(&runner);
    for j in jobs {
        let lists: Vec<String> = j
            .lists
            .iter()
            .map(|(t, _, f)| format!("{t}={}", f.display()))
            .collect();
        command
            .args([&j.schema, &j.query, &j.cases, &j.out])
            .arg(lists.join("|"));
    }
    let out = command.output().map_err(|e| e.to_string())?;
    if out.status.success() {
        Ok(())
    } else {
        Err(text(&out.stderr))
    }
}

/// One query for DuckDB: its schema, the query, the cases (a CSV with
/// `row`), where to write the rows, and each list's table (its name, its
/// columns, its CSV with `row` and `item`).
pub struct Job {
    pub schema: PathBuf,
    pub query: PathBuf,
    pub cases: PathBuf,
    pub out: PathBuf,
    pub lists: Vec<(String, Vec<String>, PathBuf)>,
}

/// The columns of a list's item and their types: a record's fields
/// (`hired_on`, `address.city`), or `value`.
pub fn item_fields(program: &pol::check::ir::Program, item: &Type) -> Vec<(String, Type)> {
    fn walk(p: &pol::check::ir::Program, path: String, ty: &Type, out: &mut Vec<(String, Type)>) {
        match ty {
            Type::Record(r) => {
                for f in &p.records[r.index()].fields {
                    let sub = if path.is_empty() {
                        f.name.clone()
                    } else {
                        format!("{path}.{}", f.name)
                    };
                    walk(p, sub, &f.ty, out);
                }
            }
            Type::List(_) | Type::Period => {}
            _ => out.push((
                if path.is_empty() {
                    "value".into()
                } else {
                    path
                },
                ty.clone(),
            )),
        }
    }
    let mut out = Vec::new();
    walk(program, String::new(), item, &mut out);
    out
}

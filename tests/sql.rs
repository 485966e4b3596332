//! `pol sql` against the interpreter: the same cases evaluated by
//! `pol eval --cases` and by the compiled query in a real DuckDB (its
//! Python package) and a real PostgreSQL server started here for the test
//! (Debian's `postgresql`), row for row and value for value —
//! undetermined ↔ NULL, and errors by result and code. An engine that is
//! not installed is reported as skipped, with the reason.

mod common;

use common::sql::*;
use common::{pol, pol_command, text};
use pol::lang::types::Type;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

/// One package's cases, evaluated by the interpreter and compared with
/// each engine's rows.
struct Differential<'a> {
    package: &'a str,
    results: Vec<String>,
    types: BTreeMap<String, Type>,
    rows: Vec<Vec<String>>,
    header: Vec<String>,
    /// Each list the results read.
    lists: Vec<List>,
    dir: tempfile::TempDir,
}

/// A list of the cases: its path, its columns, and its items (the case's
/// row from 1, and the cells).
type List = (String, Vec<String>, Vec<(usize, Vec<String>)>);

impl Differential<'_> {
    fn new<'a>(
        package: &'a str,
        only: Option<Vec<String>>,
        count: usize,
        seed: u64,
    ) -> Differential<'a> {
        let checked = pol::package::load(Path::new(package)).expect("the package checks");
        let program = checked.program();
        let plan = pol::eval::Plan::new(&checked);
        let options = pol::sql::Options {
            dialect: pol::sql::Dialect::DuckDb,
            on: None,
            table: "cases",
        };
        let keys: Vec<String> = match only {
            Some(k) => k,
            None => pol::sql::compilable(&plan, options)
                .into_iter()
                .filter(|(_, ok)| ok.is_ok())
                .map(|(k, _)| k)
                .collect(),
        };
        let plan = plan.select(&keys).expect("the results exist");
        let query = pol::sql::compile(&plan, options).expect("the results compile");
        let facts = fact_types(program);
        let ranges = fact_ranges(program, None);
        let mut rng = Rng(seed);
        let header: Vec<String> = query.reads.clone();
        let mut rows = Vec::new();
        for _ in 0..count {
            let row = header
                .iter()
                .map(|col| {
                    if rng.chance(12) {
                        return String::new();
                    }
                    if col == "today" {
                        return date(&mut rng, 2019, 6);
                    }
                    ranged_cell(&mut rng, program, &facts[col], ranges.get(col))
                })
                .collect();
            rows.push(row);
        }
        // Each list: none to four items a case, their cells as the facts'.
        let mut lists = Vec::new();
        for path in &query.lists {
            let Type::List(item) = &facts[path] else {
                panic!("{path} is a list");
            };
            let fields = item_fields(program, item);
            let item_ranges = fact_ranges(program, Some(item));
            let mut items = Vec::new();
            for case in 1..=count {
                for _ in 0..rng.below(5) {
                    let cells = fields
                        .iter()
                        .map(|(name, ty)| {
                            if rng.chance(10) {
                                String::new()
                            } else {
                                ranged_cell(&mut rng, program, ty, item_ranges.get(name))
                            }
                        })
                        .collect();
                    items.push((case, cells));
                }
            }
            let names = fields.into_iter().map(|(n, _)| n).collect();
            lists.push((path.clone(), names, items));
        }
        let mut types = BTreeMap::new();
        for slot in &plan.results {
            types.insert(
                slot.key.clone(),
                match slot.member {
                    pol::check::ir::Member::Eligible(_) => Type::Bool,
                    pol::check::ir::Member::Def(d) => program.defs[d.index()].ty.clone(),
                },
            );
        }
        Differential {
            package,
            results: query.results,
            types,
            rows,
            header,
            lists,
            dir: tempfile::tempdir().expect("a temporary directory"),
        }
    }

    fn write_cases(&self, with_key: bool) -> PathBuf {
        let name = if with_key {
            "sql_cases.csv"
        } else {
            "cases.csv"
        };
        let path = self.dir.path().join(name);
        let mut out = String::new();
        let mut head: Vec<String> = self.header.iter().map(|h| csv_quote(h)).collect();
        // SQL's key, or the key the interpreter's `--list` files join by.
        if with_key {
            head.insert(0, "row".into());
        } else if !self.lists.is_empty() {
            head.insert(0, "id".into());
        }
        out.push_str(&head.join(","));
        out.push('\n');
        for (i, row) in self.rows.iter().enumerate() {
            let mut cells: Vec<String> = row.iter().map(|c| csv_quote(c)).collect();
            if with_key || !self.lists.is_empty() {
                cells.insert(0, (i + 1).to_string());
            }
            out.push_str(&cells.join(","));
            out.push('\n');
        }
        std::fs::write(&path, out).expect("cases written");
        path
    }

    /// Each list's items as a CSV: for SQL its table (`row`, `item`, the
    /// fields), else a `--list` file (`id`, the fields).
    fn write_lists(&self, sql: bool) -> Vec<(String, Vec<String>, PathBuf)> {
        let mut out = Vec::new();
        for (k, (path, names, items)) in self.lists.iter().enumerate() {
            let file = self
                .dir
                .path()
                .join(format!("list{k}-{}.csv", if sql { "sql" } else { "pol" }));
            let mut columns: Vec<String> = if sql {
                vec!["row".into(), "item".into()]
            } else {
                vec!["id".into()]
            };
            columns.extend(names.iter().cloned());
            let mut text = columns
                .iter()
                .map(|c| csv_quote(c))
                .collect::<Vec<_>>()
                .join(",");
            text.push('\n');
            let mut place = 0;
            let mut last = 0;
            for (case, cells) in items {
                place = if *case == last { place + 1 } else { 0 };
                last = *case;
                let mut row = vec![case.to_string()];
                if sql {
                    row.push(place.to_string());
                }
                row.extend(cells.iter().map(|c| csv_quote(c)));
                text.push_str(&row.join(","));
                text.push('\n');
            }
            std::fs::write(&file, text).expect("list written");
            out.push((path.clone(), columns, file));
        }
        out
    }

    fn sql(&self, dialect: &str, schema: bool) -> PathBuf {
        let mut args = vec!["sql", self.package, "--dialect", dialect, "--results"];
        let joined = self.results.join(",");
        args.push(&joined);
        if schema {
            args.push("--schema");
        }
        let out = pol(&args);
        assert!(out.status.success(), "pol sql: {}", text(&out.stderr));
        let path = self.dir.path().join(format!(
            "{dialect}-{}.sql",
            if schema { "schema" } else { "query" }
        ));
        std::fs::write(&path, &out.stdout).expect("SQL written");
        path
    }

    /// The interpreter's rows: `pol eval --cases`.
    fn interpreter(&self) -> Vec<Vec<String>> {
        let cases = self.write_cases(false);
        let out_file = self.dir.path().join("pol-out.csv");
        let mut command = pol_command();
        command
            .args(["eval", self.package, "--cases"])
            .arg(&cases)
            .arg("--out")
            .arg(&out_file)
            .args(["--results", &self.results.join(",")]);
        for (path, _, file) in self.write_lists(false) {
            command
                .arg("--list")
                .arg(format!("{path}={}", file.display()));
        }
        if !self.lists.is_empty() {
            command.args(["--key", "id"]);
        }
        let out = command.output().expect("pol runs");
        assert!(
            out_file.exists(),
            "pol eval --cases wrote nothing: {}",
            text(&out.stderr)
        );
        read_csv(&std::fs::read_to_string(out_file).expect("output read"))
    }

    fn compare(&self, engine: &str, expected: &[Vec<String>], got: &str) {
        let got = read_csv(got);
        if let Some((row, what)) = first_mismatch(&self.results, &self.types, expected, &got) {
            panic!(
                "{engine}, {}: row {row}: {what}\ncase: {:?}\nheader: {:?}",
                self.package,
                self.rows.get(row.wrapping_sub(1)),
                self.header
            );
        }
        if std::env::var_os("POL_SQL_STATS").is_some() {
            let errors = expected[1..]
                .iter()
                .filter(|r| !r.last().is_none_or(|c| c.is_empty()))
                .count();
            eprintln!(
                "{engine} {}: {} rows, {} error rows",
                self.package,
                expected.len() - 1,
                errors
            );
        }
    }

    fn duckdb(&self, expected: &[Vec<String>]) {
        if let Err(why) = duckdb_available() {
            eprintln!("skipped: DuckDB for {}: {why}", self.package);
            return;
        }
        let out_file = self.dir.path().join("duckdb-out.csv");
        let job = Job {
            schema: self.sql("duckdb", true),
            query: self.sql("duckdb", false),
            cases: self.write_cases(true),
            out: out_file.clone(),
            lists: self.write_lists(true),
        };
        if let Err(e) = duckdb_jobs(self.dir.path(), &[job]) {
            panic!("DuckDB: {e}");
        }
        self.compare(
            "DuckDB",
            expected,
            &std::fs::read_to_string(out_file).expect("read"),
        );
    }

    /// `pol eval --cases --engine duckdb` of the same cases, compared with
    /// the interpreter's rows: the same values, cell for cell as text.
    fn engine(&self, expected: &[Vec<String>]) {
        let cases = self.write_cases(false);
        let out_file = self.dir.path().join("engine-out.csv");
        let out = pol_command()
            .args(["eval", self.package, "--engine", "duckdb", "--cases"])
            .arg(&cases)
            .arg("--out")
            .arg(&out_file)
            .args(["--results", &self.results.join(",")])
            .output()
            .expect("pol runs");
        let got = std::fs::read_to_string(&out_file)
            .unwrap_or_else(|_| panic!("--engine duckdb wrote nothing: {}", text(&out.stderr)));
        self.compare("pol eval --engine duckdb", expected, &got);
        let got = read_csv(&got);
        let col = |head: &Vec<String>, name: &str| head.iter().position(|h| h == name).unwrap();
        for r in &self.results {
            let (w, g) = (col(&expected[0], r), col(&got[0], r));
            for (i, (want, row)) in expected[1..].iter().zip(&got[1..]).enumerate() {
                assert_eq!(
                    want[w],
                    row[g],
                    "{}: row {}: {r} as written",
                    self.package,
                    i + 1
                );
            }
        }
    }

    /// The job of this package's query for a local Spark.
    fn spark_job(&self) -> Job {
        Job {
            schema: self.sql("spark", true),
            query: self.sql("spark", false),
            cases: self.write_cases(true),
            out: self.dir.path().join("spark-out.csv"),
            // Spark's table names hold no dots.
            lists: self
                .write_lists(true)
                .into_iter()
                .map(|(t, c, f)| (t.replace('.', "__"), c, f))
                .collect(),
        }
    }

    fn postgres(&self, pg: &Postgres, expected: &[Vec<String>]) {
        let schema = std::fs::read_to_string(self.sql("postgres", true)).expect("schema");
        let query = std::fs::read_to_string(self.sql("postgres", false)).expect("query");
        let cases = self.write_cases(true);
        let got = pg
            .evaluate(
                &schema,
                &query,
                &cases,
                &self.header,
                &self.write_lists(true),
            )
            .unwrap_or_else(|e| panic!("PostgreSQL: {e}"));
        self.compare("PostgreSQL", expected, &got);
    }
}

#[test]
fn compiled_queries_agree_with_the_interpreter_on_duckdb_and_postgresql() {
    let benchmark = Differential::new("benches/hiring", None, 3_000, 7);
    assert_eq!(
        benchmark.results.len(),
        4,
        "every benchmark result compiles"
    );
    let xuchang = Differential::new("policies/xuchang-2021", None, 3_000, 11);
    assert!(
        xuchang.results.len() >= 120,
        "{} Xuchang results compile",
        xuchang.results.len()
    );
    // Defaults on inputs, on fields and on the fields of a list's items.
    let defaults = Differential::new("tests/eval/pass/defaults.pol", None, 500, 3);
    assert_eq!(defaults.results.len(), 4, "every defaults result compiles");
    // Ranges: a case with a fact outside one is refused whole.
    let ranges = Differential::new("tests/eval/pass/ranges.pol", None, 500, 5);
    assert_eq!(ranges.results.len(), 4, "every ranges result compiles");
    // allocate, with caps that are sometimes below zero.
    let allocate = Differential::new("tests/eval/pass/allocate.pol", None, 500, 9);
    assert_eq!(allocate.results.len(), 2, "every allocate result compiles");
    // Exceptions that combine: the highest, the lowest, the sum, the first.
    let combine = Differential::new("tests/eval/pass/combine.pol", None, 800, 13);
    assert_eq!(combine.results.len(), 5, "every combine result compiles");
    let stats = std::env::var_os("POL_SQL_STATS").is_some();
    let timed = |what: &str, start: std::time::Instant| {
        if stats {
            eprintln!("{what}: {:.2} s", start.elapsed().as_secs_f64());
        }
    };
    let start = std::time::Instant::now();
    let runs: Vec<(&Differential, Vec<Vec<String>>)> = [
        &benchmark, &xuchang, &defaults, &ranges, &allocate, &combine,
    ]
    .into_iter()
    .map(|d| (d, d.interpreter()))
    .collect();
    timed("the interpreter", start);
    for (d, expected) in &runs {
        let start = std::time::Instant::now();
        d.duckdb(expected);
        timed(&format!("DuckDB, {}", d.package), start);
    }
    match Postgres::start() {
        Ok(pg) => {
            for (d, expected) in &runs {
                let start = std::time::Instant::now();
                d.postgres(&pg, expected);
                timed(&format!("PostgreSQL, {}", d.package), start);
            }
        }
        Err(why) => eprintln!("skipped: PostgreSQL: {why}"),
    }
}

/// Spark SQL, through a local Spark: the benchmark package and the Xuchang
/// results that compile, as on the other engines (fewer cases: Spark takes
/// seconds to start).
#[test]
fn compiled_queries_agree_with_the_interpreter_on_spark() {
    if let Err(why) = spark_available() {
        eprintln!("skipped: Spark: {why}");
        return;
    }
    let benchmark = Differential::new("benches/hiring", None, 1_000, 5);
    let xuchang = Differential::new("policies/xuchang-2021", None, 1_000, 13);
    let packages = [&benchmark, &xuchang];
    let expected: Vec<_> = packages.iter().map(|d| d.interpreter()).collect();
    let jobs: Vec<Job> = packages.iter().map(|d| d.spark_job()).collect();
    // One Spark for both: it takes seconds to start.
    if let Err(e) = spark_jobs(benchmark.dir.path(), &jobs) {
        panic!("Spark: {e}");
    }
    for ((d, job), want) in packages.iter().zip(&jobs).zip(&expected) {
        d.compare(
            "Spark",
            want,
            &std::fs::read_to_string(&job.out).expect("Spark wrote rows"),
        );
    }
}

/// The results of a package that compile without reading a list.
fn flat_results(package: &str) -> Vec<String> {
    let checked = pol::package::load(Path::new(package)).expect("the package checks");
    let plan = pol::eval::Plan::new(&checked);
    let options = pol::sql::Options {
        dialect: pol::sql::Dialect::DuckDb,
        on: None,
        table: "cases",
    };
    pol::sql::compilable(&plan, options)
        .into_iter()
        .filter(|(_, ok)| ok.is_ok())
        .map(|(k, _)| k)
        .filter(|k| {
            let one = pol::eval::Plan::new(&checked)
                .select(std::slice::from_ref(k))
                .expect("the result exists");
            pol::sql::compile(&one, options).is_ok_and(|q| q.lists.is_empty())
        })
        .collect()
}

#[test]
fn eval_with_engine_duckdb_gives_what_the_builtin_evaluator_gives() {
    if let Err(why) = duckdb_cli_available() {
        eprintln!("skipped: pol eval --engine duckdb: {why}");
        return;
    }
    for (package, seed) in [
        ("benches/hiring", 5),
        ("policies/xuchang-2021", 13),
        ("tests/eval/pass/defaults.pol", 3),
        ("tests/eval/pass/ranges.pol", 5),
    ] {
        let flat = flat_results(package);
        assert!(flat.len() >= 3, "{package}: {} results compile", flat.len());
        let d = Differential::new(package, Some(flat), 2_000, seed);
        let expected = d.interpreter();
        d.engine(&expected);
    }
}

#[test]
fn eval_with_engine_duckdb_keeps_every_row_and_says_what_it_cannot_do() {
    if let Err(why) = duckdb_cli_available() {
        eprintln!("skipped: pol eval --engine duckdb: {why}");
        return;
    }
    // Broken rows are the built-in's error rows, in their places, with
    // the same messages; the summary is the built-in's.
    let args = [
        "eval",
        "benches/hiring",
        "--cases",
        "tests/batch/bad_rows.csv",
    ];
    let builtin = pol(&args);
    let engine = pol(&[&args[..], &["--engine", "duckdb"]].concat());
    assert_eq!(engine.status.code(), Some(1), "{}", text(&engine.stderr));
    assert_eq!(text(&engine.stderr), text(&builtin.stderr));
    let (want, got) = (
        read_csv(&text(&builtin.stdout)),
        read_csv(&text(&engine.stdout)),
    );
    assert_eq!(want.len(), got.len());
    for (w, g) in want.iter().zip(&got).skip(1) {
        assert_eq!(w[..5], g[..5], "values");
        assert_eq!(w[6], g[5], "errors");
    }
    // JSONL cases, written as CSV.
    let jsonl = pol(&[
        "eval",
        "benches/hiring",
        "--cases",
        "tests/batch/cases.jsonl",
        "--engine",
        "duckdb",
    ]);
    assert!(
        text(&jsonl.stdout).starts_with("row,"),
        "{}",
        text(&jsonl.stderr)
    );
    // Lists are not handed over yet: said, with what to do.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cases = dir.path().join("cases.csv");
    std::fs::write(&cases, "employer.size\nsmall\n").expect("written");
    let lists = pol_command()
        .args([
            "eval",
            "policies/xuchang-2021",
            "--engine",
            "duckdb",
            "--cases",
        ])
        .arg(&cases)
        .output()
        .expect("pol runs");
    assert_eq!(lists.status.code(), Some(1));
    let said = text(&lists.stderr);
    assert!(said.contains("evaluate without --engine duckdb"), "{said}");
    assert!(!said.contains("only part of the results"), "{said}");
    // Only CSV out.
    let out = pol(&[&args[..], &["--engine", "duckdb", "--out", "x.jsonl"]].concat());
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("writes CSV"));
    // No DuckDB: said, with how to install it.
    let missing = pol_command()
        .args(args)
        .args(["--engine", "duckdb"])
        .env("POL_DUCKDB", dir.path().join("no-such-duckdb"))
        .output()
        .expect("pol runs");
    assert_eq!(missing.status.code(), Some(2));
    assert!(
        text(&missing.stderr).contains("POL_DUCKDB"),
        "{}",
        text(&missing.stderr)
    );
}

use clap::{CommandFactory, Parser, Subcommand, ValueEnum};
use pol::lang::scalar::Date;
use std::path::PathBuf;

/// Pol: the computable rules of policy documents, checked and explained.
#[derive(Parser)]
#[command(name = "pol", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// The language of messages and explanations: en or zh (default: from LC_ALL,
    /// LC_MESSAGES or LANG; en when none names one). Codes and JSON keys do not change.
    #[arg(long, global = true, value_parser = parse_lang)]
    lang: Option<pol::i18n::Lang>,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
    /// A letter for the citizen: one self-contained page to print or send.
    Html,
    /// The same letter in Markdown.
    Markdown,
}

#[derive(Clone, Copy, ValueEnum)]
enum TestFormat {
    Text,
    Json,
}

#[derive(Clone, Copy, ValueEnum)]
enum DiffFormat {
    Text,
    Json,
    Html,
}

#[derive(Subcommand)]
enum Command {
    /// Check a package (a `.pol` file or a directory of them): syntax, names and types.
    Check {
        /// The package: a `.pol` file or a directory.
        path: PathBuf,
        /// `text` for people, `json` for programs (the diagnostics with their places).
        #[arg(long, value_enum, default_value = "text")]
        format: TestFormat,
    },
    /// Evaluate every result of a package for one case.
    Eval {
        /// The package: a `.pol` file or a directory.
        path: PathBuf,
        /// The case: a JSON object of facts (`-`: standard input; without it, every fact is unknown).
        #[arg(long, conflicts_with = "cases")]
        case: Option<PathBuf>,
        /// Many cases: a .csv (columns are fact paths) or .jsonl (one case per line) file; `-`
        /// reads standard input (JSONL if it starts with `{`, else CSV).
        #[arg(long, conflicts_with_all = ["format", "explain"])]
        cases: Option<PathBuf>,
        /// Where to write one row of results per case (.csv or .jsonl, as the cases; `-` or
        /// none: stdout). The file is replaced only when the batch has finished.
        #[arg(long, requires = "cases", conflicts_with_all = ["case", "explain_row"])]
        out: Option<PathBuf>,
        /// Explain row N (from 1) of the cases instead of evaluating them all.
        #[arg(long, value_name = "N", requires = "cases")]
        explain_row: Option<u64>,
        /// The evaluation date (YYYY-MM-DD); without it, the case's "today".
        #[arg(long, value_parser = parse_date)]
        on: Option<Date>,
        /// `text` for people, `json` for programs, `html` or `markdown` for a letter to the
        /// citizen: the decision, the facts, each clause with its quote and amount or the reason
        /// it does not apply, and the total (one case; a batch's format is its file's).
        #[arg(long, value_enum)]
        format: Option<Format>,
        /// Explain every result, or the one named (`--explain hiring_subsidy.amount`).
        #[arg(long, value_name = "RESULT", num_args = 0..=1, default_missing_value = "")]
        explain: Option<String>,
        /// Only these results, and what they need: clauses (all their results) or
        /// `clause.name`, separated by commas.
        #[arg(long, value_name = "NAME,…", value_delimiter = ',')]
        results: Option<Vec<String>>,
        /// The text encoding of the cases: utf-8, gbk (GB18030), or auto (UTF-8 if the file
        /// starts as UTF-8, else GBK).
        #[arg(long, default_value = "auto", value_parser = parse_encoding)]
        encoding: pol::batch::encoding::Encoding,
        /// A list of each case in a CSV of its own, a row per item: `--list
        /// employer.hires=hires.csv` (with `--key`); may be repeated.
        #[arg(long, value_name = "LIST=FILE", requires = "cases")]
        list: Vec<String>,
        /// The column that joins `--list` files to the cases: each of their rows names its
        /// case by it.
        #[arg(long, value_name = "COLUMN", requires = "list")]
        key: Option<String>,
        /// What evaluates the cases: `builtin`, or `duckdb` (the package compiled to SQL and
        /// run by the `duckdb` program, on PATH or named by POL_DUCKDB; writes CSV).
        #[arg(
            long,
            value_enum,
            default_value = "builtin",
            requires = "cases",
            conflicts_with = "explain_row"
        )]
        engine: Engine,
    },
    /// Compile a package to one SQL query over a table of cases, for DuckDB, PostgreSQL or Spark.
    Sql {
        /// The package: a `.pol` file or a directory.
        path: PathBuf,
        /// The engine whose SQL to write.
        #[arg(long, value_enum)]
        dialect: SqlDialect,
        /// Only these results, and what they need: clauses (all their results) or
        /// `clause.name`, separated by commas.
        #[arg(long, value_name = "NAME,…", value_delimiter = ',')]
        results: Option<Vec<String>>,
        /// The evaluation date of every case (YYYY-MM-DD); without it, the table's `today`
        /// column.
        #[arg(long, value_parser = parse_date)]
        on: Option<Date>,
        /// The table of cases.
        #[arg(long, default_value = "cases")]
        table: String,
        /// Print the table's `CREATE TABLE` instead of the query.
        #[arg(long)]
        schema: bool,
    },
    /// Compare two versions of a package over a population: who gains, who loses, what it costs.
    Diff {
        /// The version before: a directory, a `.pol` file, or `git:REV:PATH` (a package at a
        /// revision of the git repository here).
        old: String,
        /// The version after, named as OLD is.
        new: String,
        /// The cases: .csv (columns are fact paths of either version) or .jsonl; `-` reads
        /// standard input.
        #[arg(long)]
        cases: PathBuf,
        /// The evaluation date (YYYY-MM-DD); without it, each case's "today".
        #[arg(long, value_parser = parse_date)]
        on: Option<Date>,
        /// Only these results (clauses or `clause.name`, separated by commas), in either version.
        #[arg(long, value_name = "NAME,…", value_delimiter = ',')]
        results: Option<Vec<String>>,
        /// Break the comparison down by a bool or enum fact (`--by employer.size`); may be repeated.
        #[arg(long, value_name = "FACT")]
        by: Vec<String>,
        /// Write one row per changed case (.csv or .jsonl): before, after and difference of
        /// each changed result.
        #[arg(long, conflicts_with = "explain_row")]
        out: Option<PathBuf>,
        /// `text` for people, `json` for programs, `html` for a one-page report with the chart.
        #[arg(long, value_enum, default_value = "text")]
        format: DiffFormat,
        /// Draw the distribution of gains and losses (and totals by group) as an SVG file.
        #[arg(long, value_name = "FILE.svg", conflicts_with = "explain_row")]
        plot: Option<PathBuf>,
        /// Explain row N (from 1): the two explanations side by side, and where they part.
        #[arg(long, value_name = "N")]
        explain_row: Option<u64>,
        /// The text encoding of the cases: utf-8, gbk (GB18030), or auto.
        #[arg(long, default_value = "auto", value_parser = parse_encoding)]
        encoding: pol::batch::encoding::Encoding,
    },
    /// Serve a package over HTTP: an API (/api/…) and a caseworker's page (/).
    Serve {
        /// The package: a `.pol` file or a directory.
        path: PathBuf,
        /// The address to listen on (port 0: any free port, printed at start).
        #[arg(long, default_value = "127.0.0.1:8080")]
        addr: std::net::SocketAddr,
        /// Check the package again when its files change; the last version that checked is
        /// served until the new one does.
        #[arg(long)]
        reload: bool,
    },
    /// Speak the Language Server Protocol on stdin and stdout, for an editor.
    Lsp,
    /// Explore a package interactively: set facts, see what changes and why.
    Repl {
        /// The package to load: a `.pol` file or a directory.
        path: Option<PathBuf>,
        /// A case to start from (JSON).
        #[arg(long)]
        case: Option<PathBuf>,
        /// The evaluation date (YYYY-MM-DD).
        #[arg(long, value_parser = parse_date)]
        on: Option<Date>,
    },
    /// Format the `.pol` files of a package in their canonical layout.
    Fmt {
        /// The package: a `.pol` file or a directory.
        path: PathBuf,
        /// Change nothing; name the files that would change, and exit 1 if any would.
        #[arg(long)]
        check: bool,
        /// Also write full-width punctuation typed in code (`，（）：“”；`) in ASCII.
        #[arg(long)]
        fix: bool,
    },
    /// Run every `test` block of a package.
    Test {
        /// The package: a `.pol` file or a directory.
        path: PathBuf,
        /// Only the tests whose names contain this text.
        #[arg(long, value_name = "TEXT")]
        filter: Option<String>,
        /// `text` for people, `json` for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: TestFormat,
        /// Also write a JUnit XML report, for CI systems.
        #[arg(long, value_name = "FILE")]
        junit: Option<PathBuf>,
    },
    /// Print a shell's completion script (`pol completions bash > /etc/bash_completion.d/pol`).
    Completions {
        /// The shell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page, in roff (`pol man > pol.1; man ./pol.1`).
    Man,
}

/// What evaluates a batch.
#[derive(Clone, Copy, ValueEnum)]
enum Engine {
    Builtin,
    Duckdb,
}

/// The SQL engines `pol sql` writes for.
#[derive(Clone, Copy, clap::ValueEnum)]
enum SqlDialect {
    Duckdb,
    Postgres,
    Spark,
}

fn parse_encoding(s: &str) -> Result<pol::batch::encoding::Encoding, String> {
    pol::batch::encoding::Encoding::of(s)
}

fn parse_lang(s: &str) -> Result<pol::i18n::Lang, String> {
    pol::i18n::Lang::parse(s)
        .ok_or_else(|| format!("`{s}` is no language of Pol's: write en or zh"))
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s).ok_or_else(|| pol::lang::scalar::date_problem(s))
}

/// Commands run on a thread with a large stack: evaluation follows
/// definitions by recursion, and deep (but bounded) programs must not
/// exhaust the main thread's.
const STACK_BYTES: usize = 256 << 20;

fn main() {
    // A closed pipe (`pol … | head`, `2>&1 | head`) ends Pol quietly, as it
    // does any Unix tool, instead of a panic on the next print.
    #[cfg(unix)]
    // SAFETY: restoring the default action of a signal, before any thread starts.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
    let code = std::thread::Builder::new()
        .name("pol".into())
        .stack_size(STACK_BYTES)
        .spawn(run)
        .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
        .unwrap_or_else(|e| {
            eprintln!("error: cannot start: {e}");
            2
        });
    std::process::exit(code);
}

fn run() -> i32 {
    let cli = Cli::parse();
    pol::i18n::set(cli.lang.unwrap_or_else(pol::i18n::from_env));
    let code = match cli.command {
        Command::Check { path, format } => {
            pol::cli::check(&path, matches!(format, TestFormat::Json))
        }
        Command::Lsp => pol::cli::lsp(),
        Command::Serve { path, addr, reload } => pol::cli::serve(&path, addr, reload),
        Command::Diff {
            old,
            new,
            cases,
            on,
            results,
            by,
            out,
            format,
            plot,
            explain_row,
            encoding,
        } => pol::cli::diff(&pol::cli::DiffOptions {
            old: &old,
            new: &new,
            cases: &cases,
            on,
            results: results.as_deref(),
            by: &by,
            out: out.as_deref(),
            format: match format {
                DiffFormat::Text => pol::cli::DiffFormat::Text,
                DiffFormat::Json => pol::cli::DiffFormat::Json,
                DiffFormat::Html => pol::cli::DiffFormat::Html,
            },
            plot: plot.as_deref(),
            explain_row,
            encoding,
        }),
        Command::Eval {
            path,
            cases: Some(cases),
            out,
            on,
            explain_row,
            results,
            encoding,
            list,
            key,
            engine,
            ..
        } => pol::cli::eval_batch(&pol::cli::BatchRequest {
            path: &path,
            cases: &cases,
            out: out.as_deref(),
            on,
            explain_row,
            results: results.as_deref(),
            encoding,
            lists: &list,
            key: key.as_deref(),
            engine: match engine {
                Engine::Builtin => pol::cli::Engine::Builtin,
                Engine::Duckdb => pol::cli::Engine::DuckDb,
            },
        }),
        Command::Eval {
            path,
            case,
            on,
            format,
            explain,
            results,
            ..
        } => {
            let format = match format {
                Some(Format::Json) => pol::cli::Format::Json,
                Some(Format::Html) => pol::cli::Format::Html,
                Some(Format::Markdown) => pol::cli::Format::Markdown,
                Some(Format::Text) | None => pol::cli::Format::Text,
            };
            let explain = explain.map(|name| if name.is_empty() { None } else { Some(name) });
            pol::cli::eval(
                &path,
                case.as_deref(),
                on,
                format,
                explain,
                results.as_deref(),
            )
        }
        Command::Test {
            path,
            filter,
            format,
            junit,
        } => pol::cli::test(&pol::cli::TestRequest {
            path: &path,
            filter: filter.as_deref(),
            json: matches!(format, TestFormat::Json),
            junit: junit.as_deref(),
        }),
        Command::Sql {
            path,
            dialect,
            results,
            on,
            table,
            schema,
        } => pol::cli::sql(&pol::cli::SqlRequest {
            path: &path,
            dialect: match dialect {
                SqlDialect::Duckdb => pol::sql::Dialect::DuckDb,
                SqlDialect::Postgres => pol::sql::Dialect::Postgres,
                SqlDialect::Spark => pol::sql::Dialect::Spark,
            },
            results: results.as_deref(),
            on,
            table: &table,
            schema,
        }),
        Command::Fmt { path, check, fix } => pol::cli::fmt(&path, check, fix),
        Command::Repl { path, case, on } => pol::cli::repl(path.as_deref(), case.as_deref(), on),
        Command::Completions { shell } => {
            clap_complete::generate(shell, &mut Cli::command(), "pol", &mut std::io::stdout());
            0
        }
        Command::Man => {
            match clap_mangen::Man::new(Cli::command()).render(&mut std::io::stdout()) {
                Ok(()) => 0,
                Err(e) => {
                    eprintln!("error: cannot write the manual page: {e}");
                    2
                }
            }
        }
    };
    std::process::exit(code);
}

/// Evaluating allocates many small values (records, lists, what an unknown
/// lacks); mimalloc serves them faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

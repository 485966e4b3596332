use clap::{Parser, Subcommand, ValueEnum};
use pol::value::Date;
use std::path::PathBuf;

/// Pol: the computable rules of policy documents, checked and explained.
#[derive(Parser)]
#[command(name = "pol", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    Text,
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Check a package (a `.pol` file or a directory of them): syntax, names and types.
    Check {
        /// The package: a `.pol` file or a directory.
        path: PathBuf,
    },
    /// Evaluate every result of a package for one case.
    Eval {
        /// The package: a `.pol` file or a directory.
        path: PathBuf,
        /// The case: a JSON object of facts (without it, every fact is unknown).
        #[arg(long, conflicts_with = "cases")]
        case: Option<PathBuf>,
        /// Many cases: a .csv (columns are fact paths) or .jsonl (one case per line) file.
        #[arg(long)]
        cases: Option<PathBuf>,
        /// Where to write one row of results per case (.csv or .jsonl; `-` or none: stdout).
        #[arg(long, requires = "cases")]
        out: Option<PathBuf>,
        /// Explain row N (from 1) of the cases instead of evaluating them all.
        #[arg(long, value_name = "N", requires = "cases")]
        explain_row: Option<u64>,
        /// The evaluation date (YYYY-MM-DD); without it, the case's "today".
        #[arg(long, value_parser = parse_date)]
        on: Option<Date>,
        /// `text` for people, `json` for programs.
        #[arg(long, value_enum, default_value = "text")]
        format: Format,
        /// Explain every result, or the one named (`--explain hiring_subsidy.amount`).
        #[arg(long, value_name = "RESULT", num_args = 0..=1, default_missing_value = "")]
        explain: Option<String>,
    },
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
    },
    /// Run every `test` block of a package.
    Test {
        /// The package: a `.pol` file or a directory.
        path: PathBuf,
    },
}

fn parse_date(s: &str) -> Result<Date, String> {
    Date::parse(s)
        .ok_or_else(|| format!("`{s}` is not a date: write YYYY-MM-DD, such as 2020-06-01"))
}

/// Commands run on a thread with a large stack: evaluation follows
/// definitions by recursion, and deep (but bounded) programs must not
/// exhaust the main thread's.
const STACK_BYTES: usize = 256 << 20;

fn main() {
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
    let code = match cli.command {
        Command::Check { path } => pol::cli::check(&path),
        Command::Eval {
            path,
            cases: Some(cases),
            out,
            on,
            explain_row,
            ..
        } => pol::cli::eval_batch(&path, &cases, out.as_deref(), on, explain_row),
        Command::Eval {
            path,
            case,
            on,
            format,
            explain,
            ..
        } => {
            let format = match format {
                Format::Text => pol::cli::Format::Text,
                Format::Json => pol::cli::Format::Json,
            };
            let explain = explain.map(|name| if name.is_empty() { None } else { Some(name) });
            pol::cli::eval(&path, case.as_deref(), on, format, explain)
        }
        Command::Test { path } => pol::cli::test(&path),
        Command::Fmt { path, check } => pol::cli::fmt(&path, check),
        Command::Repl { path, case, on } => pol::cli::repl(path.as_deref(), case.as_deref(), on),
    };
    std::process::exit(code);
}

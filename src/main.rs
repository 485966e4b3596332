use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// Pol: the computable rules of policy documents, checked and explained.
#[derive(Parser)]
#[command(name = "pol", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a package (a `.pol` file or a directory of them): syntax, names and types.
    Check {
        /// The package: a `.pol` file or a directory.
        path: PathBuf,
    },
}

fn main() {
    let cli = Cli::parse();
    let code = match cli.command {
        Command::Check { path } => pol::cli::check(&path),
    };
    std::process::exit(code);
}

//! A line typed at the REPL, parsed into a typed command, so that each
//! command's argument and whether it needs a package are decided in one
//! place.

/// One line of the REPL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command<'a> {
    Quit,
    Help,
    Load(&'a str),
    Case(&'a str),
    On(&'a str),
    Unset(&'a str),
    Why(&'a str),
    Save(&'a str),
    Test(&'a str),
    /// `:results` (every result), or `:results NAME,…` (clauses or results).
    Results(&'a str),
    Needs,
    /// `:diff`, or `:diff --policy OTHER` (the argument, trimmed).
    Diff(&'a str),
    Baseline,
    Reset,
    Facts,
    /// `PATH = VALUE` or an expression.
    Code(&'a str),
}

/// Why a line is not a command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CommandError {
    /// `:load` without its argument; `usage` is the command's line of help.
    MissingArgument {
        name: String,
        usage: String,
    },
    Unknown {
        name: String,
        hint: String,
    },
}

impl std::fmt::Display for CommandError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CommandError::MissingArgument { name, usage } => {
                write!(
                    f,
                    "{}",
                    crate::i18n::tr!(
                        "repl-command-1",
                        name = name.to_string(),
                        usage = usage.to_string()
                    )
                )
            }
            CommandError::Unknown { name, hint } => {
                write!(
                    f,
                    "{}",
                    crate::i18n::tr!(
                        "repl-command-2",
                        name = name.to_string(),
                        hint = hint.to_string()
                    )
                )
            }
        }
    }
}

impl<'a> Command<'a> {
    /// Parses a trimmed, non-empty line.
    pub fn parse(line: &'a str) -> Result<Command<'a>, CommandError> {
        let Some(command) = line.strip_prefix(':') else {
            return Ok(Command::Code(line));
        };
        let (name, arg) = command
            .split_once(char::is_whitespace)
            .unwrap_or((command, ""));
        let arg = arg.trim();
        let with_arg = |make: fn(&'a str) -> Command<'a>| {
            if arg.is_empty() {
                let usage = super::COMMANDS
                    .iter()
                    .find(|(c, _)| c.starts_with(&format!(":{name} ")))
                    .map_or(name.to_string(), |(c, _)| c.to_string());
                Err(CommandError::MissingArgument {
                    name: name.to_string(),
                    usage,
                })
            } else {
                Ok(make(arg))
            }
        };
        match name {
            "quit" | "q" | "exit" => Ok(Command::Quit),
            "help" | "h" | "?" => Ok(Command::Help),
            "load" => with_arg(Command::Load),
            "case" => with_arg(Command::Case),
            "on" => with_arg(Command::On),
            "unset" => with_arg(Command::Unset),
            "why" => with_arg(Command::Why),
            "save" => with_arg(Command::Save),
            "test" => with_arg(|a| Command::Test(a.trim_matches('"'))),
            "results" => Ok(Command::Results(arg)),
            "needs" => Ok(Command::Needs),
            "diff" => Ok(Command::Diff(arg)),
            "baseline" => Ok(Command::Baseline),
            "reset" => Ok(Command::Reset),
            "facts" => Ok(Command::Facts),
            other => {
                let names: Vec<&str> = super::COMMANDS
                    .iter()
                    .filter_map(|(c, _)| c.strip_prefix(':'))
                    .map(|c| c.split(' ').next().unwrap_or(c))
                    .collect();
                let hint = crate::check::suggest::did_you_mean(other, names.iter().copied())
                    .map_or("`:help` lists the commands".to_string(), |s| {
                        crate::i18n::tr!("did-you-mean", name = format!(":{s}"))
                    });
                Err(CommandError::Unknown {
                    name: other.to_string(),
                    hint,
                })
            }
        }
    }

    /// Whether the command works on a loaded package.
    pub fn needs_package(self) -> bool {
        !matches!(self, Command::Quit | Command::Help | Command::Load(_))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_their_arguments() {
        assert_eq!(
            Command::parse(":load  p/x.pol "),
            Ok(Command::Load("p/x.pol"))
        );
        assert_eq!(Command::parse(":test \"a b\""), Ok(Command::Test("a b")));
        assert_eq!(Command::parse(":q"), Ok(Command::Quit));
        assert_eq!(Command::parse("x.amount"), Ok(Command::Code("x.amount")));
        assert!(matches!(
            Command::parse(":why"),
            Err(CommandError::MissingArgument { .. })
        ));
        assert!(matches!(
            Command::parse(":reslts"),
            Err(CommandError::Unknown { hint, .. }) if hint.contains(":results")
        ));
        assert!(Command::Why("x").needs_package());
        assert!(Command::Results("").needs_package());
        assert_eq!(
            Command::parse(":results a, b.x"),
            Ok(Command::Results("a, b.x"))
        );
        assert!(!Command::Load("x").needs_package());
        assert!(!Command::Help.needs_package());
    }
}

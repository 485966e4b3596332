//! The documentation cannot drift from the language: every example in
//! `README.md` and `docs/` is run.
//!
//! - ```` ```pol ```` blocks are whole programs: each must check clean, and
//!   its `test` blocks must pass.
//! - ```` ```pol-error CODE ```` blocks are programs that must fail to check
//!   with that error code.
//! - ```` ```console ```` blocks are sessions: each `$ pol …` line is run
//!   from the repository's top, and what it prints must be what the block
//!   shows; a line `…` stands for any lines, a line ending in `…` for any
//!   line that starts the same way.
//! - ```` ```repl ```` blocks are REPL sessions: the lines after `pol> ` are
//!   typed, and what the REPL answers must be what the block shows (with
//!   `…` as above). The first line, `$ pol repl …`, starts it.
//!
//! Other blocks (` ```sh `, ` ```text `, ` ```json `) are shown, not run.

mod common;
use common::pol_command as pol;

use std::path::{Path, PathBuf};
use std::process::Stdio;

struct Block {
    file: PathBuf,
    line: usize,
    kind: String,
    info: String,
    body: String,
}

fn blocks() -> Vec<Block> {
    let mut files = vec![PathBuf::from("README.md")];
    let mut stack = vec![PathBuf::from("docs")];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).expect("docs/") {
            let p = e.expect("an entry").path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md") {
                files.push(p);
            }
        }
    }
    files.sort();
    let mut out = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a readable file");
        let mut lines = text.lines().enumerate();
        while let Some((n, line)) = lines.next() {
            let Some(info) = line.trim_start().strip_prefix("```") else {
                continue;
            };
            if info.is_empty() {
                continue;
            }
            let mut body = String::new();
            for (_, l) in lines.by_ref() {
                if l.trim_start().starts_with("```") {
                    break;
                }
                body.push_str(l);
                body.push('\n');
            }
            let mut words = info.split_whitespace();
            let kind = words.next().unwrap_or("").to_string();
            out.push(Block {
                file: file.clone(),
                line: n + 1,
                kind,
                info: words.collect::<Vec<_>>().join(" "),
                body,
            });
        }
    }
    out
}

fn place(b: &Block) -> String {
    format!("{}:{}", b.file.display(), b.line)
}

/// Whether `actual` is what `expected` shows, `…` standing for lines.
fn matches(expected: &[&str], actual: &[&str]) -> bool {
    let Some((first, rest)) = expected.split_first() else {
        return actual.is_empty();
    };
    if first.trim() == "…" {
        return (0..=actual.len()).any(|k| matches(rest, &actual[k..]));
    }
    let Some((a, arest)) = actual.split_first() else {
        return false;
    };
    let same = match first.strip_suffix('…') {
        Some(prefix) => a.trim_end().starts_with(prefix.trim_end()),
        None => a.trim_end() == first.trim_end(),
    };
    same && matches(rest, arest)
}

fn split_args(line: &str) -> Vec<String> {
    // Words, with "double quotes" grouping.
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '"' => quoted = !quoted,
            ' ' if !quoted => {
                if !word.is_empty() {
                    out.push(std::mem::take(&mut word));
                }
            }
            c => word.push(c),
        }
    }
    if !word.is_empty() {
        out.push(word);
    }
    out
}

fn check_program(b: &Block) -> Result<(), String> {
    let dir = std::env::temp_dir().join(format!("pol-docs-{}-{}", std::process::id(), b.line));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let file = dir.join("example.pol");
    std::fs::write(&file, &b.body).map_err(|e| e.to_string())?;
    // An example with tests runs them; one without is checked (`pol test`
    // refuses a package that has no tests).
    let command = if b.body.contains("test \"") {
        "test"
    } else {
        "check"
    };
    let out = pol()
        .arg(command)
        .arg(&file)
        .output()
        .map_err(|e| e.to_string())?;
    std::fs::remove_dir_all(&dir).ok();
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    match (b.kind.as_str(), out.status.code()) {
        ("pol", Some(0)) => Ok(()),
        ("pol", _) => Err(format!("does not check or its tests fail:\n{all}")),
        (_, Some(1)) if all.contains(&b.info) && !b.info.is_empty() => Ok(()),
        _ => Err(format!("should fail with `{}`, but:\n{all}", b.info)),
    }
}

fn check_console(b: &Block) -> Result<(), String> {
    let mut lines = b.body.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(command) = line.strip_prefix("$ ") else {
            return Err(format!("expected a `$ pol …` line, found `{line}`"));
        };
        let mut expected = Vec::new();
        while let Some(l) = lines.peek() {
            if l.starts_with("$ ") {
                break;
            }
            expected.push(*l);
            lines.next();
        }
        let args = split_args(command);
        if args.first().map(String::as_str) != Some("pol") {
            return Err(format!("only `pol` commands are run: `{command}`"));
        }
        let out = pol().args(&args[1..]).output().map_err(|e| e.to_string())?;
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        let actual: Vec<&str> = text.lines().collect();
        if !matches(&expected, &actual) {
            return Err(format!(
                "`{command}` printed:\n{text}\nbut the documentation shows:\n{}",
                expected.join("\n")
            ));
        }
    }
    Ok(())
}

fn check_repl(b: &Block) -> Result<(), String> {
    let mut lines = b.body.lines();
    let start = lines
        .next()
        .and_then(|l| l.strip_prefix("$ "))
        .ok_or("a repl block starts with `$ pol repl …`")?;
    let args = split_args(start);
    let mut input = String::new();
    let mut expected = Vec::new();
    for l in lines {
        match l.strip_prefix("pol> ") {
            Some(typed) => input.push_str(&format!("{typed}\n")),
            None => expected.push(l),
        }
    }
    let mut child = pol()
        .args(&args[1..])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| e.to_string())?;
    std::io::Write::write_all(&mut child.stdin.take().ok_or("stdin")?, input.as_bytes())
        .map_err(|e| e.to_string())?;
    let out = child.wait_with_output().map_err(|e| e.to_string())?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let actual: Vec<&str> = text.lines().collect();
    if matches(&expected, &actual) {
        Ok(())
    } else {
        Err(format!(
            "the REPL answered:\n{text}\nbut the documentation shows:\n{}",
            expected.join("\n")
        ))
    }
}

#[test]
fn every_example_in_the_documentation_runs() {
    assert!(Path::new("docs").is_dir());
    let mut failures = Vec::new();
    let mut run = 0;
    for b in blocks() {
        let result = match b.kind.as_str() {
            "pol" | "pol-error" => check_program(&b),
            "console" => check_console(&b),
            "repl" => check_repl(&b),
            _ => continue,
        };
        run += 1;
        if let Err(e) = result {
            failures.push(format!("{}: {e}", place(&b)));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n\n"));
    assert!(run >= 40, "only {run} examples run");
}

#[test]
fn wildcards() {
    assert!(matches(&["a", "…", "d"], &["a", "b", "c", "d"]));
    assert!(matches(&["a…"], &["abc"]));
    assert!(!matches(&["a", "d"], &["a", "b", "d"]));
}

/// docs/xuchang-2021.md has a row for every clause of the package, so the
/// table cannot silently fall behind the encoding.
#[test]
fn the_xuchang_table_lists_every_clause() {
    let doc = std::fs::read_to_string("docs/xuchang-2021.md").expect("the page");
    let files = common::files("policies/xuchang-2021", "pol");
    let mut missing = Vec::new();
    let mut clauses = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("a policy file");
        for line in text.lines() {
            let Some(rest) = line.strip_prefix("clause ") else {
                continue;
            };
            let name = rest.split_whitespace().next().unwrap_or_default();
            let id = rest
                .split('[')
                .nth(1)
                .and_then(|r| r.split(']').next())
                .unwrap_or_default();
            clauses += 1;
            let row = format!("| {id} | `{name}`");
            if !doc.contains(&row) {
                missing.push(format!("{}: {row}", file.display()));
            }
        }
    }
    assert!(clauses >= 70, "only {clauses} clauses found");
    assert!(missing.is_empty(), "rows missing:\n{}", missing.join("\n"));
}

/// Every source file `docs/architecture.md` names exists.
#[test]
fn the_architecture_names_files_that_exist() {
    let doc = std::fs::read_to_string("docs/architecture.md").expect("docs/architecture.md");
    let mut missing = Vec::new();
    for part in doc.split('`') {
        if (part.starts_with("src/") || part.starts_with("grammar/"))
            && !part.contains(' ')
            && !std::path::Path::new(part).exists()
        {
            missing.push(part.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "named in docs/architecture.md, not in the tree: {missing:?}"
    );
}

//! `pol fmt`: the formatted program is the same program, formatting twice
//! changes nothing, comments stay, and the repository's own `.pol` files are
//! formatted.

use pol::fmt::format_source;
use pol::source::FileId;
use pol::syntax::parse_module;
use std::path::{Path, PathBuf};

fn pol_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries {
        let p = e.expect("an entry").path();
        if p.is_dir() {
            pol_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "pol") {
            out.push(p);
        }
    }
}

fn all(dirs: &[&str]) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for d in dirs {
        pol_files(Path::new(d), &mut out);
    }
    out.sort();
    out
}

fn comments(text: &str) -> Vec<String> {
    // Comment texts in order (texts in quotes hold no `#` in this corpus
    // but the scan skips them anyway).
    let mut out = Vec::new();
    for line in text.lines() {
        let mut in_text = false;
        for (i, c) in line.char_indices() {
            match c {
                '"' => in_text = !in_text,
                '#' if !in_text => {
                    out.push(line[i..].trim_end().to_string());
                    break;
                }
                _ => {}
            }
        }
    }
    out
}

#[test]
fn formatting_keeps_the_program_and_its_comments() {
    let files = all(&[
        "policies",
        "benches",
        "tests/pass",
        "tests/eval",
        "tests/batch",
        "tests/fail",
    ]);
    let mut checked = 0;
    for f in files {
        let src = std::fs::read_to_string(&f).expect("a readable file");
        let (before, errors) = parse_module(FileId(0), &src);
        if !errors.is_empty() {
            continue; // bad syntax on purpose (tests/fail/syntax)
        }
        let once = format_source(&src).unwrap_or_else(|e| panic!("{}: {e:?}", f.display()));
        let (after, errors) = parse_module(FileId(0), &once);
        assert!(
            errors.is_empty(),
            "{}: the formatted text does not parse:\n{once}\n{errors:?}",
            f.display()
        );
        assert_eq!(
            before,
            after,
            "{}: formatting changed the program:\n{once}",
            f.display()
        );
        assert_eq!(
            comments(&src),
            comments(&once),
            "{}: comments changed:\n{once}",
            f.display()
        );
        let twice = format_source(&once).expect("formatted text formats");
        assert_eq!(once, twice, "{}: formatting is not idempotent", f.display());
        checked += 1;
    }
    assert!(checked > 60, "only {checked} files");
}

#[test]
fn the_repository_is_formatted() {
    // tests/fail keeps its layout: its snapshots point at lines and columns.
    let files = all(&[
        "policies",
        "benches",
        "tests/pass",
        "tests/eval",
        "tests/batch",
    ]);
    let unformatted: Vec<String> = files
        .iter()
        .filter(|f| {
            let src = std::fs::read_to_string(f).expect("a readable file");
            format_source(&src).is_ok_and(|out| out != src)
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(unformatted.is_empty(), "run `pol fmt` on: {unformatted:?}");
}

#[test]
fn fmt_check_names_the_files_and_exits_1() {
    let dir = std::env::temp_dir().join(format!("pol-fmt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let file = dir.join("a.pol");
    std::fs::write(
        &file,
        "input   x :int   # the count\nclause c{output y=x+1}\n",
    )
    .expect("write");
    let pol = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_pol"))
            .env("LC_ALL", "C.UTF-8")
            .args(args)
            .output()
            .expect("pol runs")
    };
    let d = dir.to_str().expect("UTF-8");
    let check = pol(&["fmt", "--check", d]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stdout).contains("would reformat"));
    assert_eq!(pol(&["fmt", d]).status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "input x: int  # the count\n\nclause c {\n  output y = x + 1\n}\n"
    );
    assert_eq!(pol(&["fmt", "--check", d]).status.code(), Some(0));
    std::fs::write(&file, "clause c {").expect("write");
    let broken = pol(&["fmt", d]);
    assert_eq!(broken.status.code(), Some(1));
    assert_eq!(
        std::fs::read_to_string(&file).expect("read"),
        "clause c {",
        "left as it was"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Found by property testing: parentheses around a whole definition made
/// the first formatting break a line that the second did not.
#[test]
fn parentheses_around_a_whole_definition_go() {
    let src = "input i: int\ninput m: money\n\nclause p {\n  output x = (((if true then i else i) < floor(1.5)) and (10000.00 yuan > sum(allocate(10万元, [m, m]))))\n}\n";
    let once = format_source(src).expect("it parses");
    assert_eq!(format_source(&once).expect("it parses"), once);
    assert!(
        once.contains("  output x = ((if true then i else i) < floor(1.5))\n"),
        "{once}"
    );
}

/// A chain of conditions or an `if` its author wrote over lines keeps those
/// lines: the policy lists its conditions one under another, and the
/// program reads as the text does. Nothing else moves.
#[test]
fn the_authors_line_breaks_in_conditions_and_branches_stay() {
    let src = "input a: int\ninput b: int\ninput c: bool\ninput zone: int\n\nclause x {\n  eligible if (a > 1 and b > 2)\n    or c\n  benefit amount = if a > 10\n    then 100 yuan\n    else 50 yuan\n  output rate = if zone = 1 then 1\n    else if zone = 2 then 2\n    else 3\n  output all = a > 1 and b > 1\n      and c and a < 9\n  output flat = if c then 1 else 2\n}\n";
    let once = format_source(src).expect("it parses");
    assert_eq!(
        format_source(&once).expect("it parses"),
        once,
        "formatting twice changes nothing"
    );
    for kept in [
        "  eligible if (a > 1 and b > 2)\n      or c\n",
        "  benefit amount = if a > 10\n      then 100 yuan\n      else 50 yuan\n",
        "  output rate = if zone = 1 then 1\n      else if zone = 2 then 2\n      else 3\n",
        "  output all = a > 1 and b > 1\n      and c and a < 9\n",
        "  output flat = if c then 1 else 2\n",
    ] {
        assert!(once.contains(kept), "{kept:?} in:\n{once}");
    }
    // The same program on one line stays on one line.
    let joined = "input a: int\ninput c: bool\n\nclause x {\n  eligible if a > 1 or c\n}\n";
    assert_eq!(format_source(joined).expect("it parses"), joined);
}

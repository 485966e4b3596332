//! What Pol reads and writes: nothing lost, nothing leaked, nothing hangs.
//! Each test is a defect once found by using Pol as a user would, or as an
//! adversary would.

mod common;
use common::{pol, pol_command, text};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Stdio;

const BENCH: &str = "benches/hiring";
const CASES: &str = "tests/batch/bench_100.csv";

fn scratch() -> tempfile::TempDir {
    tempfile::tempdir().expect("a temporary directory")
}

fn s(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

/// The names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = std::fs::read_dir(dir)
        .expect("a directory")
        .map(|e| {
            e.expect("an entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    v.sort();
    v
}

fn copy_cases(dir: &Path) -> PathBuf {
    let cases = dir.join("cases.csv");
    std::fs::copy(CASES, &cases).expect("copy");
    cases
}

#[test]
fn out_naming_the_cases_file_is_refused_and_the_cases_survive() {
    let dir = scratch();
    let cases = copy_cases(dir.path());
    let before = std::fs::read(&cases).expect("read");
    let link = dir.path().join("link.csv");
    std::os::unix::fs::symlink(&cases, &link).expect("symlink");
    let hard = dir.path().join("hard.csv");
    std::fs::hard_link(&cases, &hard).expect("hard link");
    let dotted = dir.path().join(".").join("cases.csv");
    for out in [&cases, &link, &hard, &dotted] {
        let o = pol(&["eval", BENCH, "--cases", s(&cases), "--out", s(out)]);
        assert_eq!(o.status.code(), Some(2), "{}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("is the cases file itself"),
            "{}",
            text(&o.stderr)
        );
        assert_eq!(std::fs::read(&cases).expect("read"), before);
    }
}

#[test]
fn a_failed_batch_leaves_an_existing_out_file_as_it_was() {
    let dir = scratch();
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, "no_such_fact\n1\n").expect("write");
    let out = dir.path().join("results.csv");
    std::fs::write(&out, "yesterday's results\n").expect("write");
    let o = pol(&["eval", BENCH, "--cases", s(&bad), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(&out).expect("read"),
        "yesterday's results\n"
    );
    assert_eq!(names(dir.path()), ["bad.csv", "results.csv"]);
}

#[test]
fn a_finished_batch_replaces_out_and_leaves_no_temporary_file() {
    let dir = scratch();
    let out = dir.path().join("results.csv");
    std::fs::write(&out, "old\n").expect("write");
    let o = pol(&["eval", BENCH, "--cases", CASES, "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let written = std::fs::read_to_string(&out).expect("read");
    assert!(written.starts_with("row,"), "{written}");
    assert_eq!(written.lines().count(), 101);
    assert_eq!(names(dir.path()), ["results.csv"]);
}

#[test]
fn an_interrupted_batch_writes_nothing_and_says_so() {
    let dir = scratch();
    let out = dir.path().join("results.csv");
    std::fs::write(&out, "old\n").expect("write");
    let mut child = pol_command()
        .args(["eval", BENCH, "--cases", "-", "--out", s(&out)])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pol starts");
    let mut stdin = child.stdin.take().expect("stdin");
    let rows = std::fs::read_to_string(CASES).expect("read");
    stdin.write_all(rows.as_bytes()).expect("write");
    // Pol is now waiting for more rows; Ctrl-C arrives.
    std::thread::sleep(std::time::Duration::from_millis(500));
    // SAFETY: a signal to our own child process.
    unsafe {
        libc::kill(child.id() as i32, libc::SIGINT);
    }
    drop(stdin);
    let o = child.wait_with_output().expect("pol ends");
    assert_eq!(o.status.code(), Some(130), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    assert!(err.contains("interrupted after 100 rows"), "{err}");
    assert!(err.contains("was not written"), "{err}");
    assert_eq!(std::fs::read_to_string(&out).expect("read"), "old\n");
    assert_eq!(names(dir.path()), ["results.csv"]);
}

#[test]
fn special_files_are_refused_at_once() {
    let dir = scratch();
    let fifo = dir.path().join("cases.csv");
    let c = std::ffi::CString::new(s(&fifo)).expect("a path");
    // SAFETY: a FIFO in our own temporary directory.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let zero = dir.path().join("zero.csv");
    std::os::unix::fs::symlink("/dev/zero", &zero).expect("symlink");
    let zero_pol = dir.path().join("zero.pol");
    std::os::unix::fs::symlink("/dev/zero", &zero_pol).expect("symlink");
    for args in [
        vec!["eval", BENCH, "--cases", s(&fifo)],
        vec!["eval", BENCH, "--cases", s(&zero)],
        vec!["eval", BENCH, "--case", "/dev/zero"],
        vec!["check", s(&zero_pol)],
    ] {
        let o = pol(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("not a regular file"),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
}

/// A package in a temporary directory, with `files` as (name, text).
fn package(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = scratch();
    for (name, body) in files {
        let path = dir.path().join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(path, body).expect("write");
    }
    dir
}

const QUOTING: &str =
    "policy \"P\" source \"SOURCE\"\nclause c {\n  quote \"root:x\"\n  output x = 1\n}\n";

#[test]
fn a_source_document_must_lie_inside_the_package() {
    let outside = scratch();
    std::fs::write(outside.path().join("secret.txt"), "root:x:0:0").expect("write");
    let cases = [
        "/etc/passwd".to_string(),
        "../secret.txt".to_string(),
        "/proc/self/environ".to_string(),
        "link.txt".to_string(),
    ];
    for source in cases {
        let dir = package(&[("p/main.pol", &QUOTING.replace("SOURCE", &source))]);
        let pkg = dir.path().join("p");
        std::fs::copy(
            outside.path().join("secret.txt"),
            dir.path().join("secret.txt"),
        )
        .expect("copy");
        std::os::unix::fs::symlink(outside.path().join("secret.txt"), pkg.join("link.txt"))
            .expect("symlink");
        let o = pol(&["check", s(&pkg)]);
        let err = text(&o.stderr);
        assert_eq!(o.status.code(), Some(1), "{source}: {err}");
        assert!(err.contains("pol::check::source"), "{source}: {err}");
        assert!(err.contains("lies outside"), "{source}: {err}");
        assert!(!err.contains("root:x:0"), "{source} leaked: {err}");
    }
}

#[test]
fn a_source_document_inside_the_package_is_read() {
    let dir = package(&[
        ("main.pol", &QUOTING.replace("SOURCE", "doc/text.txt")),
        ("doc/text.txt", "root:x and more"),
    ]);
    let o = pol(&["check", s(dir.path())]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

#[test]
fn a_pol_link_leading_outside_the_package_is_refused_and_not_rewritten() {
    let outside = scratch();
    let target = outside.path().join("elsewhere.pol");
    let messy = "clause   c {\n output x=1\n}\n";
    std::fs::write(&target, messy).expect("write");
    let dir = package(&[("main.pol", "clause d {\n  output y = 2\n}\n")]);
    std::os::unix::fs::symlink(&target, dir.path().join("linked.pol")).expect("symlink");
    for cmd in ["check", "fmt"] {
        let o = pol(&[cmd, s(dir.path())]);
        assert_eq!(o.status.code(), Some(2), "{cmd}: {}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("lies outside"),
            "{}",
            text(&o.stderr)
        );
    }
    assert_eq!(std::fs::read_to_string(&target).expect("read"), messy);
}

#[test]
fn fmt_keeps_a_link_inside_the_package_and_the_file_mode() {
    use std::os::unix::fs::PermissionsExt;
    let dir = package(&[("real.pol", "clause   c {\n output x=1\n}\n")]);
    let real = dir.path().join("real.pol");
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o640)).expect("chmod");
    // A second name for the same file, inside the package.
    let sub = dir.path().join("sub");
    std::fs::create_dir(&sub).expect("mkdir");
    std::os::unix::fs::symlink(&real, sub.join("alias.pol")).expect("symlink");
    let o = pol(&["fmt", s(&real)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read_to_string(&real).expect("read"),
        "clause c {\n  output x = 1\n}\n"
    );
    let mode = std::fs::metadata(&real).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode, 0o640);
    assert!(
        std::fs::symlink_metadata(sub.join("alias.pol"))
            .expect("meta")
            .file_type()
            .is_symlink()
    );
    assert_eq!(names(dir.path()), ["real.pol", "sub"]);
}

#[test]
fn a_dash_reads_standard_input() {
    let run = |args: &[&str], input: &str| {
        let mut child = pol_command()
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("pol starts");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write");
        child.wait_with_output().expect("pol ends")
    };
    let o = run(&["check", "-"], "clause c {\n  output x = 1\n}\n");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    let o = run(&["check", "-"], "clause c {\n  output x = 1 +\n}\n");
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("<stdin>:3"), "{}", text(&o.stderr));

    let o = run(
        &["eval", BENCH, "--case", "-", "--format", "json"],
        r#"{"today": "2021-01-01", "contract_months": 12}"#,
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("\"today\": \"2021-01-01\""));

    let csv = std::fs::read_to_string(CASES).expect("read");
    let o = run(&["eval", BENCH, "--cases", "-"], &csv);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout).lines().count(), 101);
    assert!(text(&o.stderr).contains("100 cases"));

    let o = run(
        &["eval", BENCH, "--cases", "-"],
        "{\"contract_months\": 12}\n{\"contract_months\": 24}\n",
    );
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(
        text(&o.stdout).starts_with("{\"row\":1"),
        "{}",
        text(&o.stdout)
    );
    assert!(text(&o.stderr).contains("2 cases"));

    let o = run(&["fmt", "-"], "clause   c {\n output x=1\n}\n");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(text(&o.stdout), "clause c {\n  output x = 1\n}\n");
}

#[test]
fn a_closed_stderr_ends_pol_quietly() {
    let mut child = pol_command()
        .args(["eval", BENCH, "--case", "no/such/case.json"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pol starts");
    drop(child.stderr.take());
    let status = child.wait().expect("pol ends");
    assert_ne!(status.code(), Some(101), "pol panicked on a closed stderr");
}

#[test]
fn control_characters_from_data_are_escaped() {
    let dir = scratch();
    let cases = dir.path().join("evil.csv");
    std::fs::write(&cases, "contract_months\n\u{1b}[31mred\u{7}\n").expect("write");
    let out = dir.path().join("out.csv");
    let o = pol(&["eval", BENCH, "--cases", s(&cases), "--out", s(&out)]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let written = std::fs::read_to_string(&out).expect("read");
    assert!(!written.contains('\u{1b}'), "{written}");
    assert!(written.contains("\\u{1b}[31mred\\u{7}"), "{written}");
    let named = dir.path().join("bad\u{1b}[2Jname.csv");
    std::fs::write(&named, "x\n").expect("write");
    let o = pol(&["eval", BENCH, "--cases", s(&named)]);
    assert!(!text(&o.stderr).contains('\u{1b}'), "{}", text(&o.stderr));
}

#[test]
fn header_names_that_repeat_after_trimming_are_refused() {
    let dir = scratch();
    let cases = dir.path().join("c.csv");
    std::fs::write(&cases, "contract_months, contract_months\n12,24\n").expect("write");
    let o = pol(&["eval", BENCH, "--cases", s(&cases)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("names the same fact as column 1"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn a_csv_with_a_byte_order_mark_is_read() {
    let dir = scratch();
    let cases = dir.path().join("excel.csv");
    std::fs::write(&cases, "\u{feff}contract_months\n12\n").expect("write");
    let o = pol(&["eval", BENCH, "--cases", s(&cases)]);
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
}

#[test]
fn dates_that_do_not_exist_say_which_part_is_wrong() {
    for (date, says) in [
        ("2024-13-01", "there is no month 13"),
        ("0000-01-05", "years run from 0001 to 9999"),
        ("2023-02-29", "2023-02 has 28 days"),
        ("2023/02/01", "write YYYY-MM-DD"),
    ] {
        let o = pol(&["eval", BENCH, "--on", date]);
        assert_eq!(o.status.code(), Some(2));
        assert!(
            text(&o.stderr).contains(says),
            "{date}: {}",
            text(&o.stderr)
        );
    }
    let dir = scratch();
    let case = dir.path().join("case.json");
    std::fs::write(&case, r#"{"today": "0000-01-31"}"#).expect("write");
    let o = pol(&["eval", BENCH, "--case", s(&case)]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        text(&o.stderr).contains("years run from 0001 to 9999"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn flags_that_do_not_combine_are_refused() {
    for args in [
        vec!["eval", BENCH, "--case", "x.json", "--out", "o.csv"],
        vec!["eval", BENCH, "--cases", CASES, "--format", "json"],
        vec!["eval", BENCH, "--cases", CASES, "--explain"],
        vec![
            "eval",
            BENCH,
            "--cases",
            CASES,
            "--explain-row",
            "1",
            "--format",
            "json",
        ],
        vec![
            "eval",
            BENCH,
            "--cases",
            CASES,
            "--explain-row",
            "1",
            "--explain",
            "x",
        ],
        vec![
            "eval",
            BENCH,
            "--cases",
            CASES,
            "--explain-row",
            "1",
            "--out",
            "o.csv",
        ],
    ] {
        let o = pol(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}: {}", text(&o.stderr));
        assert!(
            text(&o.stderr).contains("cannot be used with") || text(&o.stderr).contains("required"),
            "{args:?}: {}",
            text(&o.stderr)
        );
    }
}

#[test]
fn a_missing_row_and_a_missing_result_are_both_usage_errors() {
    let row = pol(&["eval", BENCH, "--cases", CASES, "--explain-row", "5000"]);
    let result = pol(&["eval", BENCH, "--explain", "no_such_result"]);
    assert_eq!(row.status.code(), Some(2), "{}", text(&row.stderr));
    assert_eq!(result.status.code(), row.status.code());
}

#[test]
fn completions_and_a_manual_page() {
    let o = pol(&["completions", "bash"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).contains("--explain-row"));
    let o = pol(&["man"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(text(&o.stdout).starts_with(".ie"), "{}", text(&o.stdout));
    assert!(text(&o.stdout).contains("pol"));
}

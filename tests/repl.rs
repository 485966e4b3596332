//! The REPL: its backend driven directly, and the binary through a pipe.

use pol::diagnostic::RenderOptions;
use pol::repl::{Session, is_incomplete};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

const PACKAGE: &str = "tests/pass/spec/first_look_package";
const CASE: &str = "policies/xuchang-2021/cases/graduate-at-small-firm.json";

fn session() -> Session {
    let mut s = Session::new(RenderOptions::plain());
    assert!(!s.load(Path::new(PACKAGE)).is_error());
    assert!(!s.load_case(Path::new(CASE)).is_error());
    s
}

#[test]
fn expressions_print_with_their_type() {
    let mut s = session();
    assert_eq!(
        s.handle("hiring_subsidy.amount").out,
        "1000.00 yuan : money\n"
    );
    assert_eq!(s.handle("hire.si_months * 2").out, "28 : int\n");
    assert_eq!(s.handle("(hire.si_months = 14)").out, "true : bool\n");
    assert_eq!(
        s.handle("hire.hired_on + 1 month").out,
        "2020-04-02 : date\n"
    );
}

#[test]
fn periods_and_event_dates_at_the_prompt() {
    // The bundled policy, whose [1b] tests the hire date (LANGUAGE.md §8).
    let mut s = Session::new(RenderOptions::plain());
    assert!(!s.load(Path::new("policies/xuchang-2021")).is_error());
    assert!(!s.load_case(Path::new(CASE)).is_error());
    assert_eq!(
        s.handle("span(hire.hired_on, 1 year)").out,
        "2020-03-02..2021-03-01 : period\n"
    );
    assert_eq!(
        s.handle("months_in(2020-01-15..2020-03-10, year_of(today))")
            .out,
        "3 : int\n"
    );
    // The hire is in 2020: the subsidy is paid on a 2021 claim date.
    s.handle(":on 2021-01-20");
    assert_eq!(
        s.handle("hiring_subsidy.amount").out,
        "1000.00 yuan : money\n"
    );
    s.handle("hire.hired_on = 2021-01-05");
    assert_eq!(s.handle("hiring_subsidy.amount").out, "0.00 yuan : money\n");
}

#[test]
fn a_type_error_points_into_the_line_and_the_session_goes_on() {
    let mut s = session();
    let r = s.handle("hiring_subsidy.amount + 5");
    assert!(r.is_error());
    assert!(r.err.contains("pol::check::operator"), "{}", r.err);
    assert!(r.err.contains("<repl:"), "{}", r.err);
    assert!(r.err.contains("write `5 yuan`"), "{}", r.err);
    assert_eq!(
        s.handle("hiring_subsidy.amount").out,
        "1000.00 yuan : money\n"
    );
}

#[test]
fn setting_a_fact_shows_what_changed() {
    let mut s = session();
    let r = s.handle("hire.contract_term = 6 months");
    assert!(!r.is_error(), "{}", r.err);
    assert!(
        r.out
            .contains("hiring_subsidy.amount: 1000.00 yuan → 0.00 yuan"),
        "{}",
        r.out
    );
    assert!(
        s.handle(":diff")
            .out
            .contains("hiring_subsidy.eligible: true → false")
    );
    let same = s.handle("hire.contract_term = 6 months");
    assert_eq!(same.out, "  no result changed\n");
}

#[test]
fn a_wrong_fact_leaves_the_case_unchanged() {
    let mut s = session();
    let before = s.handle(":facts").out;
    let wrong_type = s.handle("hire.contract_term = 6");
    assert!(
        wrong_type.err.contains("write `6 months` or `6 days`"),
        "{}",
        wrong_type.err
    );
    let unknown_path = s.handle("hire.contract_trem = 6 months");
    assert!(
        unknown_path.err.contains("did you mean `contract_term`?"),
        "{}",
        unknown_path.err
    );
    assert_eq!(s.handle(":facts").out, before);
}

#[test]
fn unset_baseline_and_reset() {
    let mut s = session();
    let r = s.handle(":unset hire.si_months");
    assert!(
        r.out
            .contains("9748.80 yuan → undetermined (needs hire.si_months)"),
        "{}",
        r.out
    );
    assert!(
        s.handle(":needs")
            .out
            .contains("hiring_subsidy.social_insurance needs hire.si_months")
    );
    s.handle(":baseline");
    assert!(
        s.handle(":diff")
            .out
            .contains("no result differs from the baseline")
    );
    s.handle("hire.si_months = 3");
    let reset = s.handle(":reset");
    assert!(
        reset.out.contains("2437.20 yuan → undetermined"),
        "{}",
        reset.out
    );
}

#[test]
fn why_explains_a_result() {
    let mut s = session();
    s.handle("hire.contract_term = 6 months");
    let why = s.handle(":why hiring_subsidy.amount");
    assert!(
        why.out.contains("✗ hire.contract_term >= 1 year"),
        "{}",
        why.out
    );
    assert!(
        why.out.contains("were at least 1 year — it is 6 months"),
        "{}",
        why.out
    );
}

#[test]
fn the_on_date_changes_results() {
    let mut s = session();
    let r = s.handle(":on 2021-01-01");
    assert!(
        r.out.contains("hiring_subsidy.eligible: true → false"),
        "{}",
        r.out
    );
    assert!(s.handle(":on 2021-02-30").err.contains("is not a date"));
}

#[test]
fn a_case_can_be_saved_and_written_as_a_test() {
    let mut s = session();
    s.handle("hire.contract_term = 6 months");
    let file = std::env::temp_dir().join(format!("pol-repl-{}.json", std::process::id()));
    assert!(!s.handle(&format!(":save {}", file.display())).is_error());
    let mut again = session();
    assert!(!again.load_case(&file).is_error());
    assert_eq!(
        again.handle("hiring_subsidy.amount").out,
        "0.00 yuan : money\n"
    );
    std::fs::remove_file(&file).ok();

    let block = s.handle(":test \"a six-month contract\"").out;
    assert!(
        block.starts_with("test \"a six-month contract\" {\n  today = 2020-06-01\n"),
        "{block}"
    );
    assert!(block.contains("contract_term: 6 months"), "{block}");
    assert!(
        block.contains("  expect not hiring_subsidy.eligible\n"),
        "{block}"
    );
    assert!(
        block.contains("  expect hiring_subsidy.amount = 0.00 yuan\n"),
        "{block}"
    );
}

#[test]
fn a_package_that_does_not_check_keeps_the_session_going() {
    let mut s = session();
    let r = s.handle(":load tests/fail/types/money_plus_int.pol");
    assert!(r.err.contains("pol::check::operator"), "{}", r.err);
    assert!(r.err.contains("the session keeps"), "{}", r.err);
    assert_eq!(
        s.handle("hiring_subsidy.amount").out,
        "1000.00 yuan : money\n"
    );
}

#[test]
fn bad_commands_are_errors_not_the_end() {
    let mut s = session();
    assert!(s.handle(":lod x").err.contains("did you mean `:load`?"));
    assert!(s.handle(":why").err.contains("needs an argument"));
    assert!(s.handle(":case no/such.json").err.contains("cannot read"));
    assert!(s.handle(":quit").quit);
}

#[test]
fn completion_knows_the_names() {
    let s = session();
    let names = s.completions();
    for n in [
        "hiring_subsidy.amount",
        "hire.contract_term",
        "small",
        "EnterpriseSize.small",
        ":why",
        "min",
    ] {
        assert!(names.iter().any(|x| x == n), "{n} missing");
    }
}

#[test]
fn unfinished_lines_continue() {
    assert!(is_incomplete("min(hire.si_months,"));
    assert!(is_incomplete("hire.si_months +"));
    assert!(is_incomplete("if hire.graduate then"));
    assert!(!is_incomplete("hire.si_months + 1"));
    assert!(!is_incomplete(":why hiring_subsidy.amount"));
    assert!(!is_incomplete("\"(\""));
    assert!(!is_incomplete("hire.si_months # (a note"));
}

#[test]
fn the_binary_reads_commands_from_a_pipe() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_pol"))
        .env("LC_ALL", "C.UTF-8")
        .args(["repl", PACKAGE, "--case", CASE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pol repl runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(b"hiring_subsidy.amount\nhire.contract_term = 6 months\nmin(hire.si_months,\n  12)\n:nonsense\nhiring_subsidy.social_insurance\n:quit\nhiring_subsidy.amount\n")
        .expect("write");
    let out = child.wait_with_output().expect("pol repl ends");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    insta::assert_snapshot!(format!(
        "--- stdout\n{stdout}--- stderr\n{stderr}--- exit {:?}\n",
        out.status.code()
    ));
}

/// What-ifs on one item of a list: the enterprise case of the Xuchang policy,
/// its first hire's contract shortened, an item that does not exist, and a
/// path that indexes what is not a list.
#[test]
fn an_item_of_a_list_can_be_changed_and_unset() {
    let mut s = Session::new(RenderOptions::plain());
    assert!(!s.load(Path::new("policies/xuchang-2021")).is_error());
    let case = "policies/xuchang-2021/cases/sme-hires-graduate-and-unemployed.json";
    assert!(!s.load_case(Path::new(case)).is_error());

    let r = s.handle("employer.hires[0].contract_term = 6 months");
    assert!(!r.is_error(), "{}", r.err);
    assert!(
        r.out
            .contains("hiring_subsidies.amount: 2000.00 yuan → 1000.00 yuan"),
        "{}",
        r.out
    );

    let before = s.handle(":facts").out;
    let missing = s.handle("employer.hires[5].contract_term = 1 year");
    assert_eq!(
        missing.err,
        "error[pol::eval::no_item]: `employer.hires` has 2 items, so there is no [5]\n  help: items are counted from 0: [0] to [1]\n"
    );
    let not_a_list = s.handle("employer.size[0] = small");
    assert!(
        not_a_list.err.contains("EnterpriseSize is not a list"),
        "{}",
        not_a_list.err
    );
    let no_item_step = s.handle("employer.hires.contract_term = 1 year");
    assert!(
        no_item_step
            .err
            .contains("pick an item first (`employer.hires[0].contract_term`)"),
        "{}",
        no_item_step.err
    );
    assert_eq!(s.handle(":facts").out, before, "errors change nothing");

    let r = s.handle(":unset employer.hires[1].graduate");
    assert!(!r.is_error(), "{}", r.err);
    assert!(
        r.out.contains("needs employer.hires[1].graduate"),
        "{}",
        r.out
    );
}

#[test]
fn commands_that_need_a_package_say_so_without_one() {
    let mut s = Session::new(RenderOptions::plain());
    for line in [
        ":why x", ":results", ":needs", ":diff", ":facts", ":test t", "x + 1",
    ] {
        let r = s.handle(line);
        assert!(r.is_error(), "{line}");
        assert!(r.err.contains("load a package first"), "{line}: {}", r.err);
    }
    assert!(!s.handle(":help").is_error());
}

#[test]
fn diff_compares_with_the_baseline_as_it_was_after_a_new_version_or_date() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let v1 = dir.path().join("v1.pol");
    let v2 = dir.path().join("v2.pol");
    let program = "input n: int\nclause c {\n  in force 2020-01-01 to 2020-12-31\n  benefit amount = AMOUNT yuan\n  output twice = n * 2\n}\n";
    std::fs::write(&v1, program.replace("AMOUNT", "1000")).expect("write");
    std::fs::write(&v2, program.replace("AMOUNT", "1500")).expect("write");
    let mut s = Session::new(RenderOptions::plain());
    assert!(!s.load(&v1).is_error());
    assert!(!s.handle("n = 2").is_error());
    assert!(!s.handle(":on 2020-06-01").is_error());
    assert!(!s.handle(":baseline").is_error());
    assert!(!s.load(&v2).is_error());
    let d = s.handle(":diff").out;
    assert!(d.contains("c.amount: 1000.00 yuan → 1500.00 yuan"), "{d}");
    assert!(!s.handle(":on 2021-06-01").is_error());
    let d = s.handle(":diff").out;
    assert!(d.contains("c.amount: 1000.00 yuan → 0.00 yuan"), "{d}");
    assert!(d.contains("c.eligible: true → false"), "{d}");
}

#[test]
fn a_failing_result_shows_its_error_and_the_others_their_values() {
    let mut s = Session::new(RenderOptions::plain());
    assert!(!s.load(Path::new("tests/eval/fail/no_date.pol")).is_error());
    let r = s.handle(":results");
    assert!(r.out.contains("undated.n   1"), "{}", r.out);
    assert!(
        r.out.contains("c.recent    error[pol::eval::no_date]"),
        "{}",
        r.out
    );
    assert!(r.is_error());
}

#[test]
fn save_writes_the_date_the_case_is_evaluated_on() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("case.json");
    let mut s = session();
    assert!(!s.handle(":on 2021-03-01").is_error());
    assert!(!s.handle(&format!(":save {}", file.display())).is_error());
    let saved = std::fs::read_to_string(&file).expect("read");
    assert!(saved.contains("\"today\": \"2021-03-01\""), "{saved}");
    assert!(s.handle(":test t").out.contains("today = 2021-03-01"));
}

#[test]
fn a_script_line_that_is_not_utf8_is_reported_and_the_script_goes_on() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("case.json");
    let mut script = format!(":load {PACKAGE}\n").into_bytes();
    script.extend_from_slice(b"hire.si_months = \xff\xfe 3\n");
    // Old Mac line ends: `\r` alone.
    script.extend_from_slice(format!(":case {CASE}\r:save {}\r", file.display()).as_bytes());
    let mut child = Command::new(env!("CARGO_BIN_EXE_pol"))
        .env("LC_ALL", "C.UTF-8")
        .arg("repl")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pol starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(&script)
        .expect("write");
    let out = child.wait_with_output().expect("pol ends");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2 of the script is not UTF-8"), "{err}");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        file.exists(),
        "the :save after the bad line was skipped: {err}"
    );
}

#[test]
fn results_lists_only_the_names_given() {
    let mut s = session();
    let r = s.handle(":results hiring_subsidy.amount");
    assert_eq!(
        r.out,
        "on 2020-06-01\n  hiring_subsidy.amount  1000.00 yuan\n"
    );
    let r = s.handle(":results hiring_subsidy.amout");
    assert!(
        r.err.contains("did you mean `hiring_subsidy.amount`?"),
        "{}",
        r.err
    );
}

#[test]
fn help_lists_every_built_in_function_with_what_it_gives() {
    let mut s = Session::new(RenderOptions::plain());
    let reply = s.handle(":help");
    assert!(!reply.is_error());
    for b in pol::lang::builtins::Builtin::CALLED {
        let line = reply
            .out
            .lines()
            .find(|l| l.trim_start().starts_with(b.usage()))
            .unwrap_or_else(|| panic!("`{}` is not in :help", b.usage()));
        assert!(line.contains(&b.summary()), "{line}");
    }
}

#[test]
fn diff_policy_evaluates_the_case_under_another_version_too() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let v1 = dir.path().join("v1.pol");
    let v2 = dir.path().join("v2.pol");
    std::fs::write(
        &v1,
        "input n: int\ninput note: text\nclause c {\n  benefit amount = 100 yuan * n\n}\n",
    )
    .expect("write");
    std::fs::write(
        &v2,
        "input n: int\ninput zone: bool\nclause c {\n  benefit amount = 150 yuan * n\n}\nclause d {\n  eligible if zone\n  benefit amount = 10 yuan\n}\n",
    )
    .expect("write");
    let mut s = Session::new(RenderOptions::plain());
    assert!(!s.load(&v1).is_error());
    assert!(!s.handle("n = 2").is_error());
    assert!(!s.handle("note = \"x\"").is_error());
    let r = s.handle(&format!(":diff --policy {}", v2.display()));
    assert!(!r.is_error(), "{}", r.err);
    assert!(
        r.out.contains("c.amount: 200.00 yuan → 300.00 yuan"),
        "{}",
        r.out
    );
    // A fact the other version lacks is left out, and said so; one it
    // needs leaves its results undetermined.
    assert!(r.out.contains("has no note"), "{}", r.out);
    assert!(r.out.contains("d.amount: (only in"), "{}", r.out);
    assert!(r.out.contains("undetermined (needs zone)"), "{}", r.out);
    // The same version: nothing differs. No version, or a bad one: an error.
    let r = s.handle(&format!(":diff --policy {}", v1.display()));
    assert!(r.out.contains("no result differs"), "{}", r.out);
    for bad in [":diff --policy", ":diff --policy /nonexistent", ":diff now"] {
        let r = s.handle(bad);
        assert!(r.is_error(), "{bad}: {}", r.out);
    }
    // The session's own package and case are untouched.
    let r = s.handle(":diff");
    assert!(r.out.contains("c.amount"), "{}", r.out);
}

//! The semantics of LANGUAGE.md §4–6 as a corpus: every `test` block under
//! `tests/eval/pass/` must pass; the tests under `tests/eval/fail/` must
//! fail, and what `pol test` reports for them is snapshotted.

mod common;

use pol::eval::{Plan, testing};
use pol::package::{self, Failure};
use std::path::{Path, PathBuf};

fn pol_files(dir: &str) -> Vec<PathBuf> {
    common::files(dir, "pol")
}

fn load(path: &Path) -> pol::check::Checked {
    match package::load(path) {
        Ok(c) => c,
        Err(Failure::Load(e)) => panic!("{e}"),
        Err(Failure::Program(sources, diags)) => panic!(
            "{}",
            pol::diagnostic::render_all(&diags, &sources, pol::diagnostic::RenderOptions::plain())
        ),
    }
}

#[test]
fn semantics_hold() {
    let mut tests = 0;
    for file in pol_files("tests/eval/pass") {
        let checked = load(&file);
        let plan = Plan::new(&checked);
        let outcomes = testing::run_all(&plan);
        assert!(!outcomes.is_empty(), "{} has no tests", file.display());
        tests += outcomes.len();
        assert!(
            outcomes.iter().all(|o| o.passed()),
            "{}:\n{}",
            file.display(),
            testing::report(&plan, &outcomes)
        );
    }
    assert!(tests >= 25, "only {tests} semantic tests");
}

#[test]
fn failures_are_reported_with_expected_and_actual_values() {
    for file in pol_files("tests/eval/fail") {
        let checked = load(&file);
        let plan = Plan::new(&checked);
        let outcomes = testing::run_all(&plan);
        assert!(
            outcomes.iter().any(|o| !o.passed()),
            "{}: every test passed",
            file.display()
        );
        let name = file
            .file_stem()
            .expect("a file name")
            .to_string_lossy()
            .to_string();
        insta::with_settings!({ snapshot_path => "eval/snapshots", prepend_module_to_snapshot => false }, {
            insta::assert_snapshot!(name, testing::report(&plan, &outcomes));
        });
    }
}

/// Definitions are memoised: per case, and per subject for per-subject
/// clauses.
#[test]
fn each_definition_is_computed_once_per_subject() {
    let checked = load(Path::new("tests/eval/pass/per_subject.pol"));
    let plan = Plan::new(&checked);
    let program = plan.program();
    let test = &program.tests[0];
    let case = testing::case_of(program, test).expect("the facts of the test");
    let mut ev = plan.evaluation(&case);
    for slot in &plan.results {
        ev.member(slot.member, None).expect("a value");
    }
    let first = ev.computed();
    // per_hire: eligible, amount, share for 3 hires; same_hire: doubled for
    // 3 hires; total: its applicability (for its benefit), paid, shares,
    // graduates, doubled.
    assert_eq!(first, 3 * 3 + 3 + 5);
    for slot in &plan.results {
        ev.member(slot.member, None).expect("a value");
    }
    assert_eq!(ev.computed(), first, "a second read computes nothing");
}

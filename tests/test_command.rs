//! `pol test` for CI and for drafters: JSON, a JUnit report, a name
//! filter, and the clauses no test names; `pol check --format json`.

mod common;
use common::{pol, text};
use serde_json::Value as Json;

const PACKAGE: &str = "clause a \"[1] A\" {\n  output x = 1\n}\n\nclause b {\n  output y = 2\n}\n\ntest \"a is one\" {\n  expect a.x = 1\n}\n\ntest \"a is two\" {\n  expect a.x = 2\n}\n";

fn package() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let p = dir.path().join("p.pol");
    std::fs::write(&p, PACKAGE).expect("write");
    let path = p.display().to_string();
    (dir, path)
}

#[test]
fn the_text_report_names_the_clauses_no_test_names() {
    let (_dir, p) = package();
    let out = pol(&["test", &p]);
    assert_eq!(out.status.code(), Some(1), "one test fails");
    let t = text(&out.stdout);
    assert!(t.contains("FAIL  a is two"), "{t}");
    assert!(t.contains("1 passed, 1 failed"), "{t}");
    assert!(
        t.contains("not named by any test: 1 of 2 clauses (b)"),
        "{t}"
    );
}

#[test]
fn json_gives_each_test_its_place_and_failures() {
    let (_dir, p) = package();
    let out = pol(&["test", &p, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let j: Json = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(j["passed"], 1);
    assert_eq!(j["failed"], 1);
    assert_eq!(j["uncovered"], serde_json::json!(["b"]));
    let failing = &j["tests"][1];
    assert_eq!(failing["name"], "a is two");
    assert_eq!(failing["passed"], false);
    assert_eq!(failing["line"], 13);
    assert_eq!(failing["failures"][0]["expect"], "expect a.x = 2");
    assert_eq!(failing["failures"][0]["expected"], "2");
    assert_eq!(failing["failures"][0]["actual"], "1");
    assert_eq!(failing["failures"][0]["line"], 14);
}

#[test]
fn a_junit_report_has_a_testcase_per_test() {
    let (dir, p) = package();
    let xml = dir.path().join("report.xml");
    let out = pol(&["test", &p, "--junit", xml.to_str().expect("a path")]);
    assert_eq!(out.status.code(), Some(1));
    let report = std::fs::read_to_string(&xml).expect("the report");
    assert!(report.starts_with("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"));
    assert!(
        report.contains("<testsuite name=\"") && report.contains("tests=\"2\" failures=\"1\""),
        "{report}"
    );
    assert_eq!(report.matches("<testcase ").count(), 2, "{report}");
    assert_eq!(report.matches("<failure ").count(), 1, "{report}");
    assert!(
        report.contains("<failure message=\"expect a.x = 2\">"),
        "{report}"
    );
    // Every element is closed: as many `<testcase` as `/>` or `</testcase>`.
    assert_eq!(
        report.matches("<testcase ").count(),
        report.matches("\"/>").count() + report.matches("</testcase>").count()
    );
}

#[test]
fn a_filter_runs_the_tests_whose_names_contain_it() {
    let (_dir, p) = package();
    let out = pol(&["test", &p, "--filter", "one"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(
        t.contains("ok    a is one") && !t.contains("a is two"),
        "{t}"
    );
    assert!(t.contains("1 passed, 0 failed"), "{t}");
    let out = pol(&["test", &p, "--filter", "nothing like it"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("no test's name contains"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn check_in_json_gives_each_diagnostic_with_its_place() {
    let out = pol(&[
        "check",
        "tests/fail/syntax/ampersand.pol",
        "--format",
        "json",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let j: Json = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(j["ok"], false);
    let d = &j["diagnostics"][0];
    assert_eq!(d["code"], "pol::syntax::operator");
    assert_eq!(
        (d["line"].as_u64(), d["column"].as_u64()),
        (Some(5), Some(25))
    );
    assert_eq!(d["help"], "write `and`");
    let out = pol(&["check", "policies/xuchang-2021", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let j: Json = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(j["ok"], true);
    assert_eq!(j["clauses"], 78);
    assert_eq!(j["diagnostics"], serde_json::json!([]));
}

//! Facts and programs as users hand them in: nothing read with a guessed
//! value, nothing silently dropped.

mod common;
use common::{pol, pol_command, text};
use std::io::Write;
use std::process::Stdio;

const PACKAGE: &str = "tests/pass/spec/first_look_package";

fn eval_case(json: &str) -> std::process::Output {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let case = dir.path().join("case.json");
    std::fs::write(&case, json).expect("write");
    pol(&[
        "eval",
        PACKAGE,
        "--case",
        case.to_str().expect("UTF-8"),
        "--format",
        "json",
    ])
}

#[test]
fn a_key_given_twice_is_an_error_that_names_its_path() {
    for (json, path) in [
        (
            r#"{"hire": {"si_months": 14, "si_months": 2}}"#,
            "hire.si_months",
        ),
        (
            r#"{"hire": {"si_months": 14}, "hire": {"si_months": 2}}"#,
            "hire",
        ),
        (r#"{"today": "2020-06-01", "today": "2021-06-01"}"#, "today"),
    ] {
        let out = eval_case(json);
        assert_eq!(out.status.code(), Some(1), "{json}");
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        assert_eq!(v["error"]["code"], "pol::case::duplicate", "{json}: {v}");
        assert!(
            v["error"]["message"]
                .as_str()
                .is_some_and(|m| m.contains(&format!("`{path}`"))),
            "{json}: {v}"
        );
    }
    // In a list, the path names the item.
    let checked =
        pol::package::load(std::path::Path::new("policies/xuchang-2021")).expect("checks");
    let e = pol::eval::case::from_json_text(
        checked.program(),
        r#"{"employer": {"hires": [{"si_months": 1}, {"si_months": 1, "si_months": 2}]}}"#,
    )
    .expect_err("a duplicate");
    assert_eq!(e.path, "employer.hires[1].si_months");
}

#[test]
fn a_duplicate_key_in_a_jsonl_row_is_an_error_row() {
    let mut child = pol_command()
        .args(["eval", PACKAGE, "--cases", "-"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("pol starts");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(
            b"{\"hire\": {\"si_months\": 1, \"si_months\": 2}}\n{\"hire\": {\"si_months\": 1}}\n",
        )
        .expect("write");
    let out = child.wait_with_output().expect("pol ends");
    let rows: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["error"]["code"], "pol::case::duplicate");
    assert!(rows[1].get("error").is_none());
}

#[test]
fn money_with_more_digits_than_a_decimal_holds_is_refused() {
    let out =
        eval_case(r#"{"hire": {"employer_si_monthly": "812.409999999999999999999999999999"}}"#);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["error"]["code"], "pol::case::money", "{v}");
    assert!(
        v["error"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("28 significant digits")),
        "{v}"
    );
    // Trailing zeros are not significant.
    let out = eval_case(
        r#"{"today": "2020-06-01", "hire": {"employer_si_monthly": "812.400000000000000000000000000000"}}"#,
    );
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
}

#[test]
fn a_file_whose_lines_end_in_cr_alone_is_read_line_by_line() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("mac.pol");
    std::fs::write(
        &file,
        "# a comment\rclause c {\r  output x = 1\r}\rtest \"t\" {\r  expect c.x = 1\r}\r",
    )
    .expect("write");
    let f = file.to_str().expect("UTF-8");
    let out = pol(&["check", f]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("1 clause"),
        "{}",
        text(&out.stdout)
    );
    let out = pol(&["test", f]);
    assert!(
        text(&out.stdout).contains("1 passed, 0 failed"),
        "{}",
        text(&out.stdout)
    );
    // Errors name the right line.
    std::fs::write(&file, "clause c {\r  output x = 1 +\r}\r").expect("write");
    let out = pol(&["check", f]);
    assert!(
        text(&out.stderr).contains("mac.pol:3:1"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_package_without_tests_is_not_a_passing_test_run() {
    let out = pol(&["test", "tests/pass/spec/first_look_package/types.pol"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stdout));
    assert!(
        text(&out.stderr).contains("has no tests"),
        "{}",
        text(&out.stderr)
    );
    assert!(!text(&out.stdout).contains("0 passed"));
}

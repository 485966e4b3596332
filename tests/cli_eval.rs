//! `pol eval` and `pol test` as users run them.

mod common;
use common::{pol, text};

use std::process::Output;

const PACKAGE: &str = "tests/pass/spec/first_look_package";
const CASE: &str = "policies/xuchang-2021/cases/graduate-at-small-firm.json";

#[test]
fn json_results_are_exactly_the_format_of_the_spec() {
    let out = pol(&["eval", PACKAGE, "--case", CASE, "--format", "json"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        json,
        serde_json::json!({
            "today": "2020-06-01",
            "results": {
                "hiring_subsidy.eligible": true,
                "hiring_subsidy.amount": "1000.00",
                "hiring_subsidy.social_insurance": "9748.80"
            },
            "undetermined": {}
        })
    );
}

#[test]
fn on_overrides_the_date_of_the_case() {
    let out = pol(&[
        "eval",
        PACKAGE,
        "--case",
        CASE,
        "--on",
        "2021-01-01",
        "--format",
        "json",
    ]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(json["today"], "2021-01-01");
    assert_eq!(json["results"]["hiring_subsidy.eligible"], false);
    assert_eq!(json["results"]["hiring_subsidy.amount"], "0.00");
}

#[test]
fn undetermined_results_list_the_missing_facts_sorted() {
    let dir = std::env::temp_dir().join(format!("pol-case-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let case = dir.join("case.json");
    std::fs::write(&case, r#"{"today": "2020-06-01", "employer": {"size": "small"}, "hire": {"graduate": false, "registered_unemployed": true, "hired_on": "2020-03-01", "unemployed_since": "2019-01-01", "social_insurance_paid": true}}"#).expect("write");
    let out = pol(&[
        "eval",
        PACKAGE,
        "--case",
        case.to_str().expect("UTF-8"),
        "--format",
        "json",
    ]);
    std::fs::remove_dir_all(&dir).ok();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        json["undetermined"]["hiring_subsidy.eligible"],
        serde_json::json!(["hire.contract_term"])
    );
    assert_eq!(
        json["undetermined"]["hiring_subsidy.social_insurance"],
        serde_json::json!([
            "hire.contract_term",
            "hire.employer_si_monthly",
            "hire.si_months"
        ])
    );
}

#[test]
fn text_results_show_labels_and_aligned_values() {
    let out = pol(&["eval", PACKAGE, "--case", CASE]);
    assert_eq!(out.status.code(), Some(0));
    insta::assert_snapshot!(text(&out.stdout));
}

#[test]
fn bad_cases_name_the_path_and_exit_1() {
    let files = common::files("tests/cases/bad", "");
    let mut report = String::new();
    for file in &files {
        let f = file.to_str().expect("UTF-8");
        let out = pol(&["eval", PACKAGE, "--case", f]);
        assert_eq!(out.status.code(), Some(1), "{f}");
        assert!(out.stdout.is_empty(), "{f}: nothing is evaluated");
        report.push_str(&format!("$ pol eval … --case {f}\n{}\n", text(&out.stderr)));
        let json = pol(&["eval", PACKAGE, "--case", f, "--format", "json"]);
        assert_eq!(json.status.code(), Some(1));
        let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("an error object");
        assert!(
            v["error"]["code"]
                .as_str()
                .is_some_and(|c| c.starts_with("pol::case::")),
            "{f}: {v}"
        );
    }
    assert!(files.len() >= 12);
    insta::assert_snapshot!(report);
}

#[test]
fn usage_and_io_problems_exit_2() {
    let out = pol(&["eval", PACKAGE, "--case", "no/such/case.json"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("cannot read the case"));
    let out = pol(&["eval", PACKAGE, "--on", "2020-02-30"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is not a date"));
    let out = pol(&["eval", PACKAGE, "--format", "xml"]);
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn an_evaluation_error_blanks_only_the_results_that_need_it() {
    // LANGUAGE.md §6 (v1): errors belong to the results that need the
    // failing value; every other result is printed, and the exit code is 1.
    let out = pol(&["eval", "tests/eval/fail/no_date.pol", "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["results"]["undated.n"], 1, "{v}");
    assert_eq!(v["errors"]["c.recent"]["code"], "pol::eval::no_date");
    assert!(
        v["errors"]["c.recent"]["message"]
            .as_str()
            .is_some_and(|m| m.contains("no_date.pol:7:31")),
        "{v}"
    );
    assert_eq!(v["errors"]["c.amount"]["code"], "pol::eval::no_date");
    let out = pol(&["eval", "tests/eval/fail/no_date.pol"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("undated\n  n  1"), "{stdout}");
    assert!(
        stdout.contains("recent    error[pol::eval::no_date]"),
        "{stdout}"
    );
    // Each failing place once on stderr, with its source.
    assert_eq!(
        text(&out.stderr)
            .matches("× this needs the evaluation date")
            .count(),
        2
    );

    // In a batch: the row keeps the results that do not need the date.
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cases = dir.path().join("c.jsonl");
    std::fs::write(
        &cases,
        "{\"hired_on\": \"2020-03-01\"}\n{\"today\": \"2020-06-01\"}\n",
    )
    .expect("write");
    let out = pol(&[
        "eval",
        "tests/eval/fail/no_date.pol",
        "--cases",
        cases.to_str().expect("UTF-8"),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let rows: Vec<serde_json::Value> = text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(rows[0]["results"]["undated.n"], 1, "{}", rows[0]);
    assert_eq!(rows[0]["errors"]["c.recent"]["code"], "pol::eval::no_date");
    // The date used is the row's own.
    assert_eq!(rows[1]["today"], "2020-06-01", "{}", rows[1]);
    assert!(rows[1].get("errors").is_none(), "{}", rows[1]);
    assert!(
        text(&out.stderr).contains("1 error row"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn pol_test_counts_and_exits() {
    let ok = pol(&["test", "tests/eval/pass/exceptions.pol"]);
    assert_eq!(ok.status.code(), Some(0));
    assert!(
        text(&ok.stdout).ends_with("8 passed, 0 failed\n"),
        "{}",
        text(&ok.stdout)
    );
    let bad = pol(&["test", "tests/eval/fail/wrong_expectations.pol"]);
    assert_eq!(bad.status.code(), Some(1));
    assert!(text(&bad.stdout).ends_with("0 passed, 4 failed\n"));
    let broken = pol(&["test", "tests/fail/types/money_plus_int.pol"]);
    assert_eq!(broken.status.code(), Some(1));
    assert!(text(&broken.stderr).contains("pol::check::operator"));
}

/// Every evaluation and case error code in the source is documented.
#[test]
fn every_evaluation_and_case_error_is_documented() {
    let doc = std::fs::read_to_string("docs/cli.md").expect("docs/cli.md");
    let mut codes = Vec::new();
    for file in ["src/eval/mod.rs", "src/eval/case.rs"] {
        let src = std::fs::read_to_string(file).expect("a source file");
        for part in src.split('"') {
            if (part.starts_with("pol::eval::") || part.starts_with("pol::case::"))
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '_')
            {
                codes.push(part.to_string());
            }
        }
    }
    assert!(codes.len() >= 10, "{codes:?}");
    let missing: Vec<_> = codes
        .iter()
        .filter(|c| !doc.contains(&format!("`{c}`")))
        .collect();
    assert!(missing.is_empty(), "not in docs/cli.md: {missing:?}");
}

#[test]
fn explain_says_why_not_and_what_would_change_it() {
    let dir = std::env::temp_dir().join(format!("pol-explain-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let case = dir.join("case.json");
    let facts = std::fs::read_to_string(CASE)
        .expect("the case")
        .replace("2 years", "6 months");
    std::fs::write(&case, facts).expect("write");
    let case = case.to_str().expect("UTF-8");
    let out = pol(&[
        "eval",
        PACKAGE,
        "--case",
        case,
        "--explain",
        "hiring_subsidy.amount",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text_of(&out));
    let shown = text(&out.stdout);
    assert!(
        shown.contains("0 yuan: the clause does not apply"),
        "{shown}"
    );
    assert!(
        shown.contains("it would apply if hire.contract_term (劳动合同期限) were at least 1 year — it is 6 months"),
        "{shown}"
    );
    // The failing condition comes before those that held.
    assert!(
        shown
            .find("✗ hire.contract_term")
            .expect("the failing condition")
            < shown.find("✓ sme").expect("a held one")
    );

    let json = pol(&[
        "eval",
        PACKAGE,
        "--case",
        case,
        "--explain",
        "--format",
        "json",
    ]);
    std::fs::remove_dir_all(&dir).ok();
    let v: serde_json::Value = serde_json::from_slice(&json.stdout).expect("JSON");
    let explanations = v["explanations"].as_array().expect("a list");
    assert_eq!(explanations.len(), 3);
    assert_eq!(explanations[1]["result"], "hiring_subsidy.amount");
    let tree = &explanations[1]["tree"];
    assert_eq!(tree["kind"], "value");
    assert_eq!(tree["value"], "0.00");
    assert_eq!(tree["children"][0]["kind"], "clause");
}

fn text_of(out: &Output) -> String {
    format!("{}{}", text(&out.stdout), text(&out.stderr))
}

#[test]
fn explaining_an_unknown_result_suggests_one() {
    let out = pol(&[
        "eval",
        PACKAGE,
        "--case",
        CASE,
        "--explain",
        "hiring_subsidy.amout",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean `hiring_subsidy.amount`?"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_formula_is_shown_with_its_values_substituted() {
    let out = pol(&[
        "eval",
        PACKAGE,
        "--case",
        CASE,
        "--explain",
        "hiring_subsidy.social_insurance",
    ]);
    let shown = text(&out.stdout);
    assert!(shown.contains("= 812.40 yuan × min(14, 12)\n"), "{shown}");
    assert!(shown.contains("= 812.40 yuan × 12\n"), "{shown}");
    assert!(shown.contains("= 9748.80 yuan\n"), "{shown}");
}

/// Every code with `prefix` in `files` is documented in docs/cli.md.
fn assert_documented(prefix: &str, files: &[&str], at_least: usize) {
    let doc = std::fs::read_to_string("docs/cli.md").expect("docs/cli.md");
    let src: String = files
        .iter()
        .map(|f| std::fs::read_to_string(f).unwrap_or_else(|e| panic!("{f}: {e}")))
        .collect();
    let codes: Vec<&str> = src
        .split(['"', '[', ']'])
        .filter(|p| {
            p.starts_with(prefix)
                && p.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == ':' || c == '_')
        })
        .collect();
    assert!(codes.len() >= at_least, "{codes:?}");
    let missing: Vec<_> = codes
        .iter()
        .filter(|c| !doc.contains(&format!("`{c}`")))
        .collect();
    assert!(missing.is_empty(), "not in docs/cli.md: {missing:?}");
}

/// Every batch error code in the source is documented.
#[test]
fn every_batch_error_is_documented() {
    assert_documented("pol::batch::", &["src/batch/mod.rs", "src/cli/mod.rs"], 5);
}

/// Every error code of `pol serve` is documented.
#[test]
fn every_server_error_is_documented() {
    assert_documented(
        "pol::serve::",
        &["src/serve/mod.rs", "src/serve/api.rs"],
        10,
    );
}

/// The bundled cases of the Xuchang policy are golden files: what each one is
/// determined to receive is kept in a snapshot, so a change to a clause that
/// moves a real case's answer shows up in review.
#[test]
fn the_bundled_xuchang_cases_keep_their_answers() {
    let files = common::files("policies/xuchang-2021/cases", "json");
    assert!(files.len() >= 5, "{files:?}");
    let mut report = String::new();
    for file in &files {
        let f = file.to_str().expect("UTF-8");
        let out = pol(&[
            "eval",
            "policies/xuchang-2021",
            "--case",
            f,
            "--format",
            "json",
        ]);
        assert_eq!(out.status.code(), Some(0), "{f}: {}", text(&out.stderr));
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
        let results = json["results"].as_object().expect("results");
        assert!(!results.is_empty(), "{f}: nothing was determined");
        report.push_str(&format!("{f}\n"));
        for (name, value) in results {
            report.push_str(&format!("  {name} = {value}\n"));
        }
    }
    insta::assert_snapshot!(report);
}

/// A case decides a few clauses of a large package: those come first, in
/// full; the clauses it cannot decide are one line each at the end, in the
/// plain output and under `--explain`.
#[test]
fn what_a_case_cannot_decide_comes_last_a_line_per_clause() {
    let case = "policies/xuchang-2021/cases/graduate-at-small-firm.json";
    let out = pol(&["eval", "policies/xuchang-2021", "--case", case]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let plain = text(&out.stdout);
    let (decided, undecided) = plain
        .split_once("\nundetermined: ")
        .expect("a summary of the undetermined clauses");
    assert!(decided.contains("hiring_subsidy  [1b]"), "{decided}");
    assert!(!decided.contains("undetermined"), "{decided}");
    assert!(undecided.contains(
        "spring_festival_hiring  [1a] 春节保供企业一次性吸纳就业补贴 — needs supplier.activity, supplier.new_hires, supplier.operated_in_spring_festival"
    ));
    let clauses = undecided.lines().count() - 1;
    assert!(
        undecided.starts_with(&format!("{clauses} clauses need facts")),
        "{undecided}"
    );

    let out = pol(&["eval", "policies/xuchang-2021", "--case", case, "--explain"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let explained = text(&out.stdout);
    let (trees, summary) = explained
        .split_once("\nundetermined: ")
        .expect("a summary of the undetermined results");
    assert!(trees.contains("hiring_subsidy.social_insurance = 9748.80 yuan"));
    assert!(!trees.contains("is not given\n  to decide it"), "{trees}");
    assert!(summary.contains("hiring_subsidies 「[1b] 一次性吸纳就业补贴(企业合计)」 hires, amount, social_insurance: needs employer.hires"), "{summary}");

    // One result asked for by name is explained in full, undetermined or not.
    let out = pol(&[
        "eval",
        "policies/xuchang-2021",
        "--case",
        case,
        "--explain",
        "spring_festival_hiring.amount",
    ]);
    assert!(text(&out.stdout).contains("to decide it, give these facts:"));
}

#[test]
fn results_evaluates_only_what_is_named_and_what_it_needs() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pkg = dir.path().join("p.pol");
    std::fs::write(
        &pkg,
        "input n: int\nclause cheap {\n  output twice = n * 2\n  output thrice = n * 3\n}\nclause broken {\n  output x = n / 0\n}\n",
    )
    .expect("write");
    let case = dir.path().join("case.json");
    std::fs::write(&case, r#"{"n": 2}"#).expect("write");
    let p = pkg.to_str().expect("UTF-8");
    let c = case.to_str().expect("UTF-8");
    // All results: the broken clause fails (exit 1).
    let out = pol(&["eval", p, "--case", c, "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    // Only `cheap.twice`: the broken clause is never evaluated.
    let out = pol(&[
        "eval",
        p,
        "--case",
        c,
        "--format",
        "json",
        "--results",
        "cheap.twice",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(v["results"], serde_json::json!({"cheap.twice": 4}));
    // A clause names all its results.
    let out = pol(&[
        "eval",
        p,
        "--case",
        c,
        "--format",
        "json",
        "--results",
        "cheap",
    ]);
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(
        v["results"],
        serde_json::json!({"cheap.twice": 4, "cheap.thrice": 6})
    );
    // In a batch, the columns are the results named.
    let cases = dir.path().join("c.csv");
    std::fs::write(&cases, "n\n1\n5\n").expect("write");
    let out = pol(&[
        "eval",
        p,
        "--cases",
        cases.to_str().expect("UTF-8"),
        "--results",
        "cheap.thrice",
    ]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert_eq!(
        text(&out.stdout),
        "row,cheap.thrice,needs,error\n1,3,,\n2,15,,\n"
    );
    // An unknown name is a usage error with a suggestion.
    let out = pol(&["eval", p, "--results", "cheap.twise"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean `cheap.twice`?"),
        "{}",
        text(&out.stderr)
    );
}

//! Large and deep inputs give results or errors with a place, never a
//! crash.

use pol::package::{self, Failure};
use pol::source::SourceMap;
use std::fmt::Write;
use std::path::Path;

fn check(text: String) -> Result<pol::check::Checked, Vec<pol::diagnostic::Diagnostic>> {
    let mut sources = SourceMap::new();
    sources.add("big.pol", None, text);
    match package::check_sources(sources, Path::new(".")) {
        Ok(c) => Ok(c),
        Err(Failure::Program(_, d)) => Err(d),
        Err(Failure::Load(e)) => panic!("{e}"),
    }
}

/// A file of `n` clauses; with `chain`, each needs the one before.
fn clauses(n: usize, chain: bool) -> String {
    let mut text = String::from("input x: int\n");
    for k in 0..n {
        let prev = if k == 0 || !chain {
            "x".to_string()
        } else {
            format!("c{}.v", k - 1)
        };
        writeln!(text, "clause c{k} {{\n  output v = {prev} + 1\n}}").expect("write");
    }
    let last = n - 1;
    let want = if chain { n } else { 1 };
    writeln!(
        text,
        "test \"the last\" {{\n  x = 0\n  expect c{last}.v = {want}\n}}"
    )
    .expect("write");
    text
}

#[test]
fn a_long_file_with_thousands_of_clauses() {
    let checked = check(clauses(5000, false)).expect("it checks");
    let plan = pol::eval::Plan::new(&checked);
    let outcomes = pol::eval::testing::run_all(&plan);
    assert!(
        outcomes.iter().all(|o| o.passed()),
        "{}",
        pol::eval::testing::report(&plan, &outcomes)
    );
}

#[test]
fn a_long_chain_of_definitions_is_refused_before_it_could_overflow() {
    let checked = check(clauses(200, true)).expect("a chain of 200 checks");
    let plan = pol::eval::Plan::new(&checked);
    let outcomes = pol::eval::testing::run_all(&plan);
    assert!(
        outcomes.iter().all(|o| o.passed()),
        "{}",
        pol::eval::testing::report(&plan, &outcomes)
    );
    let diags = check(clauses(3000, true)).expect_err("a chain of 3000 is refused");
    assert_eq!(diags.len(), 1);
    assert_eq!(diags[0].code, "pol::check::too_deep");
    assert!(
        diags[0].message.contains("chain of 3000 definitions"),
        "{}",
        diags[0].message
    );
}

#[test]
fn a_long_list_of_subjects() {
    let mut hires = Vec::new();
    for k in 0..20_000 {
        hires.push(format!("{{wage: {} yuan}}", 1000 + k % 100));
    }
    let text = format!(
        "record Hire {{ wage: money }}\nrecord Enterprise {{ hires: list of Hire }}\ninput e: Enterprise\n\
         clause per for h: Hire {{\n  benefit amount = h.wage * 10%\n}}\n\
         clause total {{\n  benefit paid = sum(per(h).amount for h in e.hires)\n}}\n\
         test \"many\" {{\n  e.hires = [{}]\n  expect total.paid > 0 yuan\n}}\n",
        hires.join(", ")
    );
    let checked = check(text).expect("it checks");
    let plan = pol::eval::Plan::new(&checked);
    let outcomes = pol::eval::testing::run_all(&plan);
    assert!(
        outcomes[0].passed(),
        "{}",
        pol::eval::testing::report(&plan, &outcomes)
    );
}

#[test]
fn huge_numbers_are_errors_with_a_place() {
    for (text, code) in [
        (
            "clause c { output x = 123456789012345678901234567890 }",
            "pol::syntax::number",
        ),
        (
            "clause c { output x = 1.12345678901234567890123456789012 }",
            "pol::syntax::number",
        ),
        (
            "clause c { benefit x = 900000000000000000000000000 yuan }",
            "pol::syntax::number",
        ),
        (
            "clause c { output x = 99999999999999999999 months }",
            "pol::syntax::duration",
        ),
    ] {
        let diags = check(text.to_string())
            .err()
            .unwrap_or_else(|| panic!("{text} checked"));
        assert_eq!(diags[0].code, code, "{text}");
        assert!(
            diags[0].span.end > diags[0].span.start,
            "{text}: the error has a place"
        );
    }
}

#[test]
fn deep_nesting_is_refused_not_a_crash() {
    let deep = format!(
        "clause c {{ output x = {}1{} }}",
        "(".repeat(10_000),
        ")".repeat(10_000)
    );
    assert_eq!(
        check(deep).expect_err("refused")[0].code,
        "pol::syntax::too_deep"
    );
    let nots = format!(
        "input b: bool\nclause c {{ eligible if {}b }}",
        "not ".repeat(100_000)
    );
    assert_eq!(
        check(nots).expect_err("refused")[0].code,
        "pol::syntax::too_deep"
    );
    let chain = format!(
        "clause c {{ output x = {} }}",
        vec!["1"; 100_000].join(" + ")
    );
    assert_eq!(
        check(chain).expect_err("refused")[0].code,
        "pol::syntax::too_deep"
    );
}

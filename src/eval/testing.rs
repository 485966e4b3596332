//! Running a package's `test` blocks (`pol test`).

use super::{Case, Evaluation, Plan, Value};
use crate::check::ir::{Program, TestExpect, TestInfo};
use crate::i18n::tr;
use crate::lang::ops;
use crate::source::Span;

/// What one `test` block found.
#[derive(Debug, Clone)]
pub struct TestOutcome {
    pub name: String,
    pub span: Span,
    pub failures: Vec<ExpectFailure>,
}

impl TestOutcome {
    pub fn passed(&self) -> bool {
        self.failures.is_empty()
    }
}

/// An expectation that did not hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExpectFailure {
    /// The `expect` line.
    pub span: Span,
    /// What was expected, written as in the language.
    pub expected: String,
    /// What was found (a value, `undetermined (needs …)`, or an error).
    pub actual: String,
}

/// Runs every test of the package, in order, on a thread with a large
/// stack (evaluation follows definitions by recursion).
pub fn run_all(plan: &Plan) -> Vec<TestOutcome> {
    std::thread::scope(|s| {
        std::thread::Builder::new()
            .stack_size(super::STACK_BYTES)
            .spawn_scoped(s, || {
                plan.program().tests.iter().map(|t| run(plan, t)).collect()
            })
            .map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .unwrap_or_else(|_| plan.program().tests.iter().map(|t| run(plan, t)).collect())
    })
}

/// The case a test describes: its `today` and its facts.
pub fn case_of(program: &Program, test: &TestInfo) -> Result<Case, super::EvalError> {
    let mut case = Case::empty(program);
    let blank = Case::empty(program);
    if let Some(t) = &test.today {
        let mut ev = Evaluation::new(program, &blank);
        if let Value::Date(d) = ev.value_of(t)? {
            case.today = Some(d);
        }
    }
    let dated = Case {
        today: case.today,
        ..blank
    };
    for fact in &test.facts {
        let mut ev = Evaluation::new(program, &dated);
        let value = ev.value_of(&fact.value)?;
        super::case::set_fact(program, &mut case, fact, value)?;
    }
    Ok(case)
}

fn run(plan: &Plan, test: &TestInfo) -> TestOutcome {
    let program = plan.program();
    let sources = plan.checked().sources();
    let error = |e: &super::EvalError| {
        format!(
            "error[{}] at {}: {}",
            e.code,
            sources.place(e.span),
            e.message
        )
    };
    let mut failures = Vec::new();
    let case = match case_of(program, test) {
        Ok(c) => c,
        Err(e) => {
            failures.push(ExpectFailure {
                span: e.span,
                expected: "the facts of the test to evaluate".into(),
                actual: error(&e),
            });
            return TestOutcome {
                name: test.name.clone(),
                span: test.span,
                failures,
            };
        }
    };
    let mut ev = Evaluation::new(program, &case);
    let show = |v: &Value| v.show(program).to_string();
    for expect in &test.expects {
        let (span, result) = match expect {
            TestExpect::True(e, span) => (
                *span,
                match ev.value_of(e) {
                    Ok(Value::Bool(true)) => None,
                    Ok(v) => Some(("true".to_string(), show(&v))),
                    Err(err) => Some(("true".to_string(), error(&err))),
                },
            ),
            TestExpect::Undetermined(e, span) => (
                *span,
                match ev.value_of(e) {
                    Ok(Value::Unknown(_)) => None,
                    Ok(v) => Some(("undetermined".to_string(), show(&v))),
                    Err(err) => Some(("undetermined".to_string(), error(&err))),
                },
            ),
            TestExpect::Equal(a, b, span) => {
                let want = ev.value_of(b);
                let got = ev.value_of(a);
                (
                    *span,
                    match (got, want) {
                        (Err(err), _) | (_, Err(err)) => {
                            Some((sources.slice(b.span).to_string(), error(&err)))
                        }
                        (Ok(got), Ok(want)) => {
                            let same = !got.is_unknown()
                                && !want.is_unknown()
                                && ops::equal(&got, &want).unwrap_or(false);
                            (!same).then(|| (show(&want), show(&got)))
                        }
                    },
                )
            }
        };
        if let Some((expected, actual)) = result {
            failures.push(ExpectFailure {
                span,
                expected,
                actual,
            });
        }
    }
    TestOutcome {
        name: test.name.clone(),
        span: test.span,
        failures,
    }
}

/// The report `pol test` prints: a line per test, each failure with its
/// place, expectation, and expected and actual values, then
/// `N passed, N failed`.
pub fn report(plan: &Plan, outcomes: &[TestOutcome]) -> String {
    let sources = plan.checked().sources();
    let mut out = String::new();
    for o in outcomes {
        if o.passed() {
            out.push_str(&format!("ok    {}\n", o.name));
            continue;
        }
        out.push_str(&format!("FAIL  {}  ({})\n", o.name, sources.place(o.span)));
        for f in &o.failures {
            out.push_str(&format!(
                "  {}  {}\n",
                sources.place(f.span),
                sources.slice(f.span)
            ));
            out.push_str(&format!(
                "    {}\n",
                tr!("test-expected", value = &f.expected)
            ));
            out.push_str(&format!("    {}\n", tr!("test-actual", value = &f.actual)));
        }
    }
    let failed = outcomes.iter().filter(|o| !o.passed()).count();
    out.push_str(&tr!(
        "test-summary",
        passed = outcomes.len() - failed,
        failed = failed
    ));
    out.push('\n');
    out
}

/// The clauses whose results no test names in an `expect`: what the
/// package's tests leave uncovered, in the package's order.
pub fn uncovered_clauses(program: &crate::check::ir::Program) -> Vec<String> {
    use crate::check::ir::{Member, TExpr, TExprKind, TestExpect};
    fn walk(program: &crate::check::ir::Program, e: &TExpr, out: &mut Vec<bool>) {
        let clause = match &e.kind {
            TExprKind::Member(Member::Eligible(c)) | TExprKind::Call { clause: c, .. } => Some(*c),
            TExprKind::Member(Member::Def(d)) => Some(program.defs[d.index()].clause),
            _ => None,
        };
        if let Some(c) = clause {
            out[c.index()] = true;
        }
        for child in e.children() {
            walk(program, child, out);
        }
    }
    let mut covered = vec![false; program.clauses.len()];
    for t in &program.tests {
        for x in &t.expects {
            match x {
                TestExpect::True(e, _) | TestExpect::Undetermined(e, _) => {
                    walk(program, e, &mut covered)
                }
                TestExpect::Equal(a, b, _) => {
                    walk(program, a, &mut covered);
                    walk(program, b, &mut covered);
                }
            }
        }
    }
    program
        .clauses
        .iter()
        .zip(covered)
        .filter(|(_, c)| !c)
        .map(|(c, _)| c.name.clone())
        .collect()
}

/// The outcomes as JSON: each test with its place and failures, the
/// counts, and the clauses no test covers.
pub fn report_json(plan: &Plan, outcomes: &[TestOutcome]) -> serde_json::Value {
    let sources = plan.checked().sources();
    let place = |span: Span| {
        let file = sources.file(span.file);
        let (line, column) = file.line_col(span.start as usize);
        (file.name.clone(), line, column)
    };
    let tests: Vec<serde_json::Value> = outcomes
        .iter()
        .map(|o| {
            let (file, line, _) = place(o.span);
            let failures: Vec<serde_json::Value> = o
                .failures
                .iter()
                .map(|f| {
                    let (_, line, column) = place(f.span);
                    serde_json::json!({
                        "line": line,
                        "column": column,
                        "expect": sources.slice(f.span),
                        "expected": f.expected,
                        "actual": f.actual,
                    })
                })
                .collect();
            serde_json::json!({
                "name": o.name,
                "file": file,
                "line": line,
                "passed": o.passed(),
                "failures": failures,
            })
        })
        .collect();
    let failed = outcomes.iter().filter(|o| !o.passed()).count();
    serde_json::json!({
        "passed": outcomes.len() - failed,
        "failed": failed,
        "tests": tests,
        "uncovered": uncovered_clauses(plan.program()),
    })
}

/// The outcomes as a JUnit XML report, for CI systems: one `testcase` per
/// test, its failures as `failure` elements.
pub fn report_junit(plan: &Plan, suite: &str, outcomes: &[TestOutcome]) -> String {
    let sources = plan.checked().sources();
    let xml = |t: &str| {
        t.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
            .replace('"', "&quot;")
    };
    let failed = outcomes.iter().filter(|o| !o.passed()).count();
    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    out.push_str(&format!(
        "<testsuites tests=\"{}\" failures=\"{failed}\">\n<testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\">\n",
        outcomes.len(),
        xml(suite),
        outcomes.len()
    ));
    for o in outcomes {
        let file = &sources.file(o.span.file).name;
        out.push_str(&format!(
            "  <testcase name=\"{}\" classname=\"{}\" file=\"{}\"",
            xml(&o.name),
            xml(suite),
            xml(file)
        ));
        if o.passed() {
            out.push_str("/>\n");
            continue;
        }
        out.push_str(">\n");
        for f in &o.failures {
            let place = sources.place(f.span);
            out.push_str(&format!(
                "    <failure message=\"{}\">{}\n{}\n{}</failure>\n",
                xml(sources.slice(f.span)),
                xml(&place),
                xml(&tr!("test-expected", value = &f.expected)),
                xml(&tr!("test-actual", value = &f.actual))
            ));
        }
        out.push_str("  </testcase>\n");
    }
    out.push_str("</testsuite>\n</testsuites>\n");
    out
}

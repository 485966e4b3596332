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

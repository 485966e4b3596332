//! Running a package's `test` blocks (`pol test`).

use super::{Case, Evaluation, Plan, Value};
use crate::check::ir::{Fact, InputId, Program, TestExpect, TestInfo};
use crate::check::types::Type;
use crate::ops;
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
        set_fact(program, &mut case, fact, value)?;
    }
    Ok(case)
}

/// Sets a fact of a case (a test's, or one typed at the REPL). A fact on
/// an item of a list (`employer.hires[1].wage`) needs that item in the case.
pub fn set_fact(
    program: &Program,
    case: &mut Case,
    fact: &Fact,
    value: Value,
) -> Result<(), super::EvalError> {
    set_at(program, case, fact.input, &fact.fields, value).map_err(|e| {
        super::EvalError::new(super::ErrorKind::NoItem, fact.span, e.message).help(e.help)
    })
}

/// A fact on an item of a list the case does not have
/// (`pol::eval::no_item`).
#[derive(Debug)]
pub struct NoItem {
    pub message: String,
    /// What to do instead.
    pub help: String,
}

impl NoItem {
    pub const CODE: &'static str = "pol::eval::no_item";
}

/// Sets the fact at an input and the steps below it (a field's index in a
/// record, an item's place in a list); `Value::missing` of its path makes
/// it unknown again. Records on the way are made (their other fields stay
/// unknown); a list item must exist: the error says what is missing, and
/// what to do.
pub fn set_at(
    program: &Program,
    case: &mut Case,
    input: InputId,
    steps: &[usize],
    value: Value,
) -> Result<(), NoItem> {
    let info = &program.inputs[input.index()];
    let slot = &mut case.inputs[input.index()];
    set_path(program, slot, &info.ty, &info.name, steps, value)
}

fn set_path(
    program: &Program,
    slot: &mut Value,
    ty: &Type,
    path: &str,
    steps: &[usize],
    value: Value,
) -> Result<(), NoItem> {
    let Some((&first, rest)) = steps.split_first() else {
        *slot = repath(program, value, path);
        return Ok(());
    };
    match ty {
        Type::Record(r) => {
            let record = &program.records[r.index()];
            let mut values: Vec<Value> = match slot {
                Value::Record(_, vs) => vs.to_vec(),
                _ => record
                    .fields
                    .iter()
                    .map(|f| Value::missing(format!("{path}.{}", f.name)))
                    .collect(),
            };
            let field = &record.fields[first];
            set_path(
                program,
                &mut values[first],
                &field.ty,
                &format!("{path}.{}", field.name),
                rest,
                value,
            )?;
            *slot = Value::Record(*r, values.into());
            Ok(())
        }
        Type::List(item) => {
            let Value::List(items) = slot else {
                return Err(NoItem {
                    message: format!("`{path}` is not given, so it has no item [{first}]"),
                    help: format!("give the list first: `{path} = [{{…}}, …]`"),
                });
            };
            if first >= items.len() {
                let n = items.len();
                return Err(NoItem {
                    message: format!(
                        "`{path}` has {n} item{}, so there is no [{first}]",
                        if n == 1 { "" } else { "s" }
                    ),
                    help: match n {
                        0 => format!("give the list first: `{path} = [{{…}}, …]`"),
                        1 => "items are counted from 0: the only one is [0]".to_string(),
                        n => format!("items are counted from 0: [0] to [{}]", n - 1),
                    },
                });
            }
            let mut items = items.to_vec();
            set_path(
                program,
                &mut items[first],
                item,
                &format!("{path}[{first}]"),
                rest,
                value,
            )?;
            *slot = Value::List(items.into());
            Ok(())
        }
        // The checker admits steps only into records and lists.
        _ => Err(NoItem {
            message: format!("`{path}` has no part {first}"),
            help: "this is a bug in Pol: please report it".to_string(),
        }),
    }
}

/// Gives the unknown parts of a value written in a test the path of the
/// fact they stand for (`hire.si_months`, `employer.hires[0].wage`).
fn repath(program: &Program, value: Value, path: &str) -> Value {
    match value {
        Value::Unknown(m) if m.exact => Value::missing(path),
        Value::Record(r, fields) => {
            let names = &program.records[r.index()].fields;
            let fields: Vec<Value> = fields
                .iter()
                .zip(names)
                .map(|(v, f)| repath(program, v.clone(), &format!("{path}.{}", f.name)))
                .collect();
            Value::Record(r, fields.into())
        }
        Value::List(items) => Value::List(
            items
                .iter()
                .enumerate()
                .map(|(i, v)| repath(program, v.clone(), &format!("{path}[{i}]")))
                .collect::<Vec<_>>()
                .into(),
        ),
        other => other,
    }
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
            out.push_str(&format!("    expected  {}\n", f.expected));
            out.push_str(&format!("    actual    {}\n", f.actual));
        }
    }
    let failed = outcomes.iter().filter(|o| !o.passed()).count();
    out.push_str(&format!(
        "{} passed, {} failed\n",
        outcomes.len() - failed,
        failed
    ));
    out
}

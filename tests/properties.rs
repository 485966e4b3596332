//! Properties over generated programs and cases: formatting keeps the
//! program; a checked program never meets a runtime type error; money is
//! always whole fen; `allocate` hands out exactly `min(total, Σ caps)`; a
//! batch gives, cell for cell, what the single-case evaluator gives.

mod common;

use pol::check::ir::Program;
use pol::eval::{Case, ErrorKind, Evaluation, Plan, Value};
use pol::lang::scalar::Date;
use pol::lang::types::Type;
use pol::package::{self, Failure};
use pol::source::{FileId, SourceMap};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use rust_decimal::Decimal;
use std::path::Path;

const PRELUDE: &str = "enum Size { small, large }
input i: int
input j: int
input d: decimal
input m: money
input n: money
input dt: date
input du: duration
input b: bool
input c: bool
input s: Size
input pe: period
";

#[derive(Clone, Copy, Debug)]
enum T {
    Int,
    Dec,
    Money,
    Bool,
    Date,
    Dur,
    Per,
}

/// A leaf of type `t`; without `all`, only what the block path of batches
/// evaluates (no periods, no duration facts).
fn leaf_of(t: T, all: bool) -> BoxedStrategy<String> {
    match t {
        T::Int => prop_oneof![
            Just("i".to_string()),
            Just("j".to_string()),
            (-1000i64..1000).prop_map(|x| x.to_string()),
            Just("9223372036854775807".into())
        ]
        .boxed(),
        T::Dec => prop_oneof![
            Just("d".to_string()),
            (0u32..10000).prop_map(|x| format!("{}.{:02}", x / 100, x % 100)),
            (0u32..200).prop_map(|x| format!("{x}%"))
        ]
        .boxed(),
        T::Money => prop_oneof![
            Just("m".to_string()),
            Just("n".to_string()),
            (0u64..10_000_000).prop_map(|x| format!("{}.{:02} yuan", x / 100, x % 100)),
            (1u32..50).prop_map(|x| format!("{x}万元"))
        ]
        .boxed(),
        T::Bool => prop_oneof![
            Just("b".to_string()),
            Just("c".to_string()),
            Just("true".to_string()),
            Just("s = small".to_string())
        ]
        .boxed(),
        T::Date => prop_oneof![
            Just("dt".to_string()),
            Just("today".to_string()),
            (2000i32..2030, 1u32..13, 1u32..29)
                .prop_map(|(y, mo, da)| format!("{y}-{mo:02}-{da:02}"))
        ]
        .boxed(),
        T::Dur if !all => prop_oneof![
            (0u32..40).prop_map(|x| format!("{x} months")),
            (0u32..800).prop_map(|x| format!("{x} days")),
        ]
        .boxed(),
        T::Dur => prop_oneof![
            Just("du".to_string()),
            (0u32..40).prop_map(|x| format!("{x} months")),
            (0u32..800).prop_map(|x| format!("{x} days")),
            Just("1 year".to_string())
        ]
        .boxed(),
        T::Per => prop_oneof![
            Just("pe".to_string()),
            (2000i32..2030, 1u32..13, 1u32..29, 0u32..900).prop_map(|(y, mo, da, len)| {
                let start = Date::from_ymd(y, mo, da).expect("a date");
                let end = start.add_days(i64::from(len)).expect("a date");
                format!("{start}..{end}")
            })
        ]
        .boxed(),
    }
}

/// Source text of an expression of type `t`.
fn expr(t: T, depth: u32) -> BoxedStrategy<String> {
    expr_of(t, depth, true)
}

/// An expression of type `t`; without `all`, of the part of the language
/// the block path of batches evaluates (no periods, no dates between
/// dates).
fn expr_of(t: T, depth: u32, all: bool) -> BoxedStrategy<String> {
    if depth == 0 {
        return leaf_of(t, all);
    }
    let sub = move |t: T| expr_of(t, depth - 1, all);
    let binary = move |a: T, ops: &'static [&'static str], b: T| {
        (sub(a), proptest::sample::select(ops), sub(b))
            .prop_map(|(x, o, y)| format!("({x} {o} {y})"))
            .boxed()
    };
    let call1 = move |f: &'static str, a: T| sub(a).prop_map(move |x| format!("{f}({x})")).boxed();
    let call2 = move |f: &'static str, a: T, b: T| {
        (sub(a), sub(b))
            .prop_map(move |(x, y)| format!("{f}({x}, {y})"))
            .boxed()
    };
    let choice = move |a: T| {
        (sub(T::Bool), sub(a), sub(a))
            .prop_map(|(c, x, y)| format!("(if {c} then {x} else {y})"))
            .boxed()
    };
    let mut options: Vec<BoxedStrategy<String>> = vec![leaf_of(t, all)];
    match t {
        T::Int => {
            options.push(binary(T::Int, &["+", "-", "*"], T::Int));
            options.push(sub(T::Int).prop_map(|a| format!("-({a})")).boxed());
            options.push(call2("min", T::Int, T::Int));
            options.push(call1("round", T::Dec));
            options.push(call1("floor", T::Dec));
            options.push(call1("ceil", T::Dec));
            options.push(choice(T::Int));
            if all {
                options.push(call2("months_between", T::Date, T::Date));
                options.push(call1("days_in", T::Per));
                options.push(call2("months_in", T::Per, T::Per));
            }
        }
        T::Dec => {
            options.push(binary(T::Int, &["/"], T::Int));
            options.push(binary(T::Dec, &["+", "-", "*", "/"], T::Dec));
            options.push(binary(T::Money, &["/"], T::Money));
            options.push(call2("max", T::Dec, T::Int));
            options.push(sub(T::Dec).prop_map(|a| format!("-({a})")).boxed());
            options.push(call1("abs", T::Dec));
        }
        T::Money => {
            options.push(binary(T::Money, &["+", "-"], T::Money));
            options.push(binary(T::Money, &["*"], T::Int));
            options.push(binary(T::Dec, &["of"], T::Money));
            options.push(binary(T::Money, &["/"], T::Dec));
            options.push(call2("min", T::Money, T::Money));
            options.push(call2("max", T::Money, T::Money));
            options.push(
                (sub(T::Money), sub(T::Money), sub(T::Money))
                    .prop_map(|(t, x, y)| format!("sum(allocate({t}, [{x}, {y}]))"))
                    .boxed(),
            );
            options.push(choice(T::Money));
            options.push(call1("abs", T::Money));
            options.push(sub(T::Money).prop_map(|a| format!("-({a})")).boxed());
            options.push(call1("round", T::Money));
        }
        T::Bool => {
            options.push(binary(T::Bool, &["and", "or"], T::Bool));
            options.push(sub(T::Bool).prop_map(|a| format!("not ({a})")).boxed());
            options.push(binary(T::Int, &["<", ">=", "=", "!="], T::Int));
            options.push(binary(T::Money, &[">", "=", "<="], T::Money));
            options.push(binary(T::Dec, &["<"], T::Int));
            options.push(binary(T::Date, &["<="], T::Date));
            options.push(binary(T::Dur, &[">="], T::Dur));
            options.push(
                (sub(T::Int), sub(T::Int), sub(T::Int))
                    .prop_map(|(x, a, b)| format!("({x} between {a} and {b})"))
                    .boxed(),
            );
            options.push(Just("s in {small, large}".to_string()).boxed());
            options.push(Just("s = large".to_string()).boxed());
            if all {
                options.push(binary(T::Date, &["in"], T::Per));
                options.push(call2("overlaps", T::Per, T::Per));
                options.push(binary(T::Per, &["="], T::Per));
            }
        }
        T::Date => {
            options.push(binary(T::Date, &["+", "-"], T::Dur));
            options.push(call2("max", T::Date, T::Date));
            if all {
                options.push(sub(T::Per).prop_map(|p| format!("({p}).start")).boxed());
                options.push(sub(T::Per).prop_map(|p| format!("({p}).end")).boxed());
            }
        }
        T::Dur => {
            options.push(binary(T::Dur, &["+"], T::Dur));
            options.push(binary(T::Dur, &["*"], T::Int));
            options.push(binary(T::Date, &["-"], T::Date));
        }
        T::Per => {
            if all {
                options.push(call2("span", T::Date, T::Dur));
                options.push(call2("period", T::Date, T::Date));
                options.push(call1("year_of", T::Date));
                options.push(call1("month_of", T::Date));
            }
        }
    }
    proptest::strategy::Union::new(options).boxed()
}

fn typed_expr() -> impl Strategy<Value = (T, String)> {
    prop_oneof![6 => scalar_type(), 1 => Just(T::Per)]
        .prop_flat_map(|t| expr(t, 3).prop_map(move |e| (t, e)))
}

fn program(e: &str) -> String {
    format!("{PRELUDE}\nclause p {{\n  output x = {e}\n}}\n")
}

fn check(text: &str) -> Option<pol::check::Checked> {
    let mut sources = SourceMap::new();
    sources.add("p.pol", None, text.to_string());
    match package::check_sources(sources, Path::new(".")) {
        Ok(c) => Some(c),
        Err(Failure::Program(..)) => None,
        Err(Failure::Load(e)) => panic!("{e}"),
    }
}

/// A random case of the declared types: each fact given or not.
fn case_for(program: &Program) -> impl Strategy<Value = Case> + use<> {
    let types: Vec<Type> = program.inputs.iter().map(|i| i.ty.clone()).collect();
    (
        proptest::collection::vec(any::<(bool, i64, u32)>(), types.len()),
        proptest::option::of((2000i32..2030, 1u32..13, 1u32..29)),
    )
        .prop_map(move |(facts, today)| {
            let inputs = facts
                .into_iter()
                .zip(&types)
                .enumerate()
                .map(|(k, ((given, x, y), ty))| {
                    if !given {
                        return Value::missing(format!("fact{k}"));
                    }
                    let small = x % 100_000;
                    match ty {
                        Type::Enum(e) => Value::Enum(*e, y % 2),
                        Type::Int => Value::Int(if y % 17 == 0 { x } else { small }),
                        Type::Decimal => Value::Decimal(Decimal::new(small, y % 5)),
                        Type::Money => Value::money(Decimal::new(small, 2)),
                        Type::Date => Value::Date(
                            Date::from_ymd(2000 + (y % 30) as i32, 1 + y % 12, 1 + y % 28)
                                .expect("a date"),
                        ),
                        Type::Duration => Value::Duration(if y % 2 == 0 {
                            pol::lang::scalar::Duration::Months(small % 50)
                        } else {
                            pol::lang::scalar::Duration::Days(small % 1000)
                        }),
                        Type::Period => {
                            let start =
                                Date::from_ymd(2000 + (y % 30) as i32, 1 + y % 12, 1 + y % 28)
                                    .expect("a date");
                            let end = start.add_days(small.rem_euclid(1000)).expect("a date");
                            Value::Period(
                                pol::lang::scalar::Period::new(start, end).expect("ordered"),
                            )
                        }
                        _ => Value::Bool(y % 2 == 0),
                    }
                })
                .collect();
            Case {
                inputs,
                today: today.map(|(yy, mo, da)| Date::from_ymd(yy, mo, da).expect("a date")),
            }
        })
}

fn same_type(t: T, v: &Value) -> bool {
    matches!(
        (t, v),
        (T::Int, Value::Int(_))
            | (T::Dec, Value::Decimal(_))
            | (T::Money, Value::Money(_))
            | (T::Bool, Value::Bool(_))
            | (T::Date, Value::Date(_))
            | (T::Dur, Value::Duration(_))
            | (T::Per, Value::Period(_))
            | (_, Value::Unknown(_))
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, .. ProptestConfig::default() })]

    /// Generated programs, and their halves, as files open in an editor:
    /// the language server answers every request without a panic.
    #[test]
    fn the_language_server_takes_any_generated_program((_, e) in typed_expr()) {
        let text = program(&e);
        pol::lsp::exercise(&text);
        let mut cut = text.len() * 2 / 3;
        while !text.is_char_boundary(cut) {
            cut += 1;
        }
        pol::lsp::exercise(&text[..cut]);
    }

    /// Formatting a program and parsing it back gives the same program.
    #[test]
    fn formatting_keeps_the_program((_, e) in typed_expr()) {
        let text = program(&e);
        let (before, errors) = pol::syntax::parse_module(FileId(0), &text);
        prop_assume!(errors.is_empty());
        let once = pol::fmt::format_source(&text).expect("it parses");
        let (after, errors) = pol::syntax::parse_module(FileId(0), &once);
        prop_assert!(errors.is_empty(), "{once}");
        prop_assert_eq!(before, after);
        prop_assert_eq!(pol::fmt::format_source(&once).expect("it parses"), once);
    }

    /// A checked program evaluated on a well-typed case gives a value of
    /// its type, or one of the errors a case can cause — never a type
    /// error. Money is whole fen.
    #[test]
    fn checked_programs_meet_no_type_error((t, e) in typed_expr(), seed in any::<u64>()) {
        let Some(checked) = check(&program(&e)) else { return Ok(()) };
        let plan = Plan::new(&checked);
        let mut runner = proptest::test_runner::TestRunner::new_with_rng(
            ProptestConfig::default(),
            proptest::test_runner::TestRng::from_seed(proptest::test_runner::RngAlgorithm::ChaCha, &seed.to_le_bytes().repeat(4)),
        );
        for _ in 0..8 {
            let case = case_for(checked.program()).new_tree(&mut runner).expect("a case").current();
            let program = checked.program();
            let mut ev = Evaluation::new(program, &case);
            let slot = plan.results.iter().find(|s| s.key == "p.x").expect("p.x");
            match ev.member(slot.member, None) {
                Ok(v) => {
                    prop_assert!(same_type(t, &v), "{e} gave {v:?}");
                    if let Value::Money(m) = v {
                        prop_assert_eq!(m.scale(), 2);
                        prop_assert_eq!(m, pol::lang::scalar::round_money(m));
                    }
                }
                // Every error a user can meet is fine here; a type error at
                // run time is a bug in the checker.
                Err(err) => prop_assert_ne!(err.kind, ErrorKind::Internal, "a type error at run time in `{}`: {}", e, err.message),
            }
        }
    }

    /// The calendar of periods holds together: a period's days and months
    /// are those of its calendar months; a span of D ends the day before
    /// its start plus D; months_in of two periods counts the months of the
    /// days they share.
    #[test]
    fn periods_add_up_by_month(
        (y, mo, da) in (2000i32..2030, 1u32..13, 1u32..29),
        len in 0i64..2000,
        (y2, mo2, da2) in (2000i32..2030, 1u32..13, 1u32..29),
        len2 in 0i64..2000,
        months in 1i64..60,
    ) {
        let a = Date::from_ymd(y, mo, da).expect("a date");
        let b = Date::from_ymd(y2, mo2, da2).expect("a date");
        let (p, q) = (format!("{a}..{}", a.add_days(len).expect("a date")), format!("{b}..{}", b.add_days(len2).expect("a date")));
        let text = format!(
            "clause k {{\n  output days = days_in({p}) = sum(days_in(m) for m in months({p}))\n  output months = months_in({p}) = count(m in months({p}))\n  output span_end = span({a}, {months} months).end + 1 day = {a} + {months} months\n  output shared = months_in({p}, {q}) = count(m in months({p}) if overlaps(m, {q}))\n  output symmetric = days_in({p}, {q}) = days_in({q}, {p})\n  output length = days_in({p}) = {}\n}}\n",
            len + 1
        );
        let checked = check(&text).expect("it checks");
        let plan = Plan::new(&checked);
        for (key, value) in plan.evaluate(&Case { inputs: Vec::new(), today: None }) {
            prop_assert_eq!(value, Ok(Value::Bool(true)), "{} in\n{}", key, text);
        }
    }

    /// 依次扣减 hands out min(total, Σ caps), never more than the total
    /// nor more than any cap.
    #[test]
    fn allocate_hands_out_what_it_may(total in 0u64..10_000_000, caps in proptest::collection::vec(0u64..5_000_000, 0..7)) {
        let yuan = |fen: u64| format!("{}.{:02} yuan", fen / 100, fen % 100);
        let list: Vec<String> = caps.iter().map(|c| yuan(*c)).collect();
        let text = format!("clause a {{\n  output parts = allocate({}, [{}])\n}}\n", yuan(total), list.join(", "));
        let checked = check(&text).expect("it checks");
        let plan = Plan::new(&checked);
        let case = Case { inputs: Vec::new(), today: None };
        let values = plan.evaluate(&case);
        let Ok(Value::List(parts)) = &values[0].1 else { panic!("a list") };
        let fen = |v: &Value| match v { Value::Money(m) => (*m * Decimal::ONE_HUNDRED).try_into().unwrap_or(0u64), _ => panic!("money") };
        let handed: u64 = parts.iter().map(fen).sum();
        prop_assert_eq!(handed, total.min(caps.iter().sum()));
        for (p, c) in parts.iter().zip(&caps) {
            prop_assert!(fen(p) <= *c);
        }
        prop_assert!(handed <= total);
    }
}

/// A package for the batch paths: outputs of every scalar type, a benefit
/// under a condition with an exception and an amendment, a `let` reused.
fn batch_program(
    outputs: &[(T, String)],
    condition: &str,
    amount: &str,
    (exception_if, exception): (&str, &str),
    (amend_if, amended): (&str, &str),
) -> String {
    let mut text = format!(
        "{PRELUDE}\nclause p {{\n  let shared = {amount}\n  eligible if {condition}\n  benefit amount = shared\n      unless {exception_if} then {exception}\n"
    );
    for (k, (_, e)) in outputs.iter().enumerate() {
        text.push_str(&format!("  output x{k} = {e}\n"));
    }
    text.push_str(&format!(
        "}}\n\nclause q {{\n  amend p.amount when {amend_if} then {amended}\n  output twice = shared_twice\n}}\n"
    ));
    // `q` reads `p`'s `let` through an output of `p`.
    text.replace(
        "  output twice = shared_twice\n",
        "  output twice = p.amount + p.amount\n",
    )
}

/// A CSV cell for a fact: a value as a spreadsheet writes it, with spaces,
/// signs and zeros of every form, or empty (unknown).
fn cell(ty: &Type, pick: (u8, i64, u32)) -> String {
    let (form, x, y) = pick;
    if form % 7 == 0 {
        return String::new();
    }
    let small = x % 100_000;
    match ty {
        Type::Int => match form % 5 {
            0 => "0".into(),
            1 => format!(" {small}"),
            _ => small.to_string(),
        },
        Type::Decimal => match form % 4 {
            0 => "-0".into(),
            1 => format!("{}%", small % 300),
            _ => Decimal::new(small, y % 5).to_string(),
        },
        Type::Money => match form % 6 {
            0 => "0".into(),
            1 => " 0".into(),
            2 => "-0".into(),
            3 => "-0.00".into(),
            _ => Decimal::new(small, 2).to_string(),
        },
        Type::Date => Date::from_ymd(2000 + (y % 30) as i32, 1 + y % 12, 1 + y % 28)
            .expect("a date")
            .to_string(),
        Type::Duration => {
            if y % 2 == 0 {
                format!("{} months", small.rem_euclid(50))
            } else {
                format!("{} days", small.rem_euclid(1000))
            }
        }
        Type::Period => "2020-01-01..2020-12-31".into(),
        Type::Enum(_) => ["small", "large"][(y % 2) as usize].into(),
        _ => ["true", "false"][(y % 2) as usize].into(),
    }
}

fn scalar_type() -> impl Strategy<Value = T> {
    prop_oneof![
        Just(T::Int),
        Just(T::Dec),
        Just(T::Money),
        Just(T::Bool),
        Just(T::Date),
        Just(T::Dur)
    ]
}

/// The expressions of a batch package: from all of the language (the block
/// path then leaves the package to the row path), or, three times in four,
/// from the part the block path evaluates.
#[allow(clippy::type_complexity)]
fn batch_parts() -> impl Strategy<
    Value = (
        Vec<(T, String)>,
        String,
        String,
        (String, String),
        (String, String),
    ),
> {
    prop_oneof![1 => Just(true), 3 => Just(false)].prop_flat_map(|all| {
        (
            proptest::collection::vec(
                scalar_type().prop_flat_map(move |t| expr_of(t, 2, all).prop_map(move |e| (t, e))),
                1..4,
            ),
            expr_of(T::Bool, 2, all),
            expr_of(T::Money, 2, all),
            (expr_of(T::Bool, 1, all), expr_of(T::Money, 1, all)),
            (expr_of(T::Bool, 1, all), expr_of(T::Money, 1, all)),
        )
    })
}

/// A CSV cell of a fact as the JSON of a JSONL case (`None`: left out).
fn json_of_cell(ty: &Type, cell: &str) -> Option<String> {
    if cell.is_empty() {
        return None;
    }
    Some(match ty {
        Type::Int if cell.trim().parse::<i64>().is_ok() => cell.trim().to_string(),
        Type::Bool => cell.to_string(),
        _ => serde_json::Value::from(cell).to_string(),
    })
}

fn run_batch(batch: &pol::batch::Batch, input: &str) -> (String, pol::batch::Summary) {
    run_format(batch, pol::batch::Format::Csv, input)
}

fn run_format(
    batch: &pol::batch::Batch,
    format: pol::batch::Format,
    input: &str,
) -> (String, pol::batch::Summary) {
    let mut out = Vec::new();
    let summary = pol::batch::run(batch, format, input.as_bytes(), &mut out, &|_| {})
        .unwrap_or_else(|_| panic!("the batch runs"));
    (String::from_utf8(out).expect("UTF-8"), summary)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(150), .. ProptestConfig::default() })]

    /// The block path of batches (columns, where it applies) gives, row by
    /// row and cell by cell, what the single-case evaluator gives — the
    /// same values, the same sign of zero, the same unknowns and errors.
    #[test]
    fn batches_give_what_single_cases_give(
        (outputs, condition, amount, exception, amendment) in batch_parts(),
        rows in proptest::collection::vec(proptest::collection::vec(any::<(u8, i64, u32)>(), 11), 1..60),
        on in proptest::option::of((2000i32..2030, 1u32..13, 1u32..29)),
    ) {
        let text = batch_program(
            &outputs,
            &condition,
            &amount,
            (&exception.0, &exception.1),
            (&amendment.0, &amendment.1),
        );
        let Some(checked) = check(&text) else {
            return Ok(());
        };
        let program = checked.program();
        // Durations and periods are not columns, so that the block path
        // takes the package; they stay unknown.
        let columns: Vec<_> = program
            .inputs
            .iter()
            .filter(|i| !matches!(i.ty, Type::Duration | Type::Period))
            .collect();
        let names: Vec<&str> = columns.iter().map(|i| i.name.as_str()).collect();
        let mut input = names.join(",");
        input.push('\n');
        let mut jsonl = String::new();
        for (k, row) in rows.iter().enumerate() {
            let cells: Vec<String> = columns
                .iter()
                .zip(row)
                .map(|(i, pick)| cell(&i.ty, *pick))
                .collect();
            let quoted: Vec<String> = cells.iter().map(|c| pol::batch::csv::quote(c)).collect();
            input.push_str(&quoted.join(","));
            input.push('\n');
            // The same facts as a JSONL case, a few rows with a date of
            // their own.
            let mut facts: Vec<String> = columns
                .iter()
                .zip(&cells)
                .filter_map(|(i, c)| json_of_cell(&i.ty, c).map(|j| format!("\"{}\": {j}", i.name)))
                .collect();
            if k % 5 == 3 {
                facts.push(format!("\"today\": \"20{:02}-03-0{}\"", 10 + k % 3, 1 + k % 2));
            }
            jsonl.push_str(&format!("{{{}}}\n", facts.join(", ")));
        }
        let on = on.map(|(y, m, d)| Date::from_ymd(y, m, d).expect("a date"));
        let blocks = pol::batch::Batch::new(&checked, on);
        let single = pol::batch::Batch::new(&checked, on).row_by_row();
        let (a, sa) = run_batch(&blocks, &input);
        let (b, sb) = run_batch(&single, &input);
        prop_assert_eq!(&a, &b, "{}\n{}", text, input);
        prop_assert_eq!(sa.totals, sb.totals);
        prop_assert_eq!(sa.errors, sb.errors);
        prop_assert_eq!(sa.cases, rows.len() as u64);
        let (c, sc) = run_format(&blocks, pol::batch::Format::Jsonl, &jsonl);
        let (d, sd) = run_format(&single, pol::batch::Format::Jsonl, &jsonl);
        prop_assert_eq!(&c, &d, "{}\n{}", text, jsonl);
        prop_assert_eq!(sc.totals, sd.totals);
        prop_assert_eq!(sc.errors, sd.errors);
    }
}

const RECORDS: &str = "enum Size { small, large }
record Hire {
  wage: money
  start: date
  months: int
  term: duration
  note: text
  size: Size
}
input hires: list of Hire
input rate: decimal
input flag: bool
input window: period
input boss: Hire
";

/// JSON text of a value for a fact of the package above: mostly of the
/// right type, sometimes not; with spaces, escapes, nulls, keys given twice,
/// keys the package does not have.
fn json_text(depth: u32) -> BoxedStrategy<String> {
    let scalar = prop_oneof![
        Just("null".to_string()),
        Just("true".to_string()),
        Just("false".to_string()),
        (-100_000i64..100_000).prop_map(|n| n.to_string()),
        (0u32..100_000, 0u32..4).prop_map(|(n, s)| Decimal::new(i64::from(n), s).to_string()),
        Just("1e3".to_string()),
        Just("-0".to_string()),
        Just("01".to_string()),
        Just("\"812.40\"".to_string()),
        Just("\"812.405\"".to_string()),
        Just("\"15%\"".to_string()),
        Just("\"2020-06-01\"".to_string()),
        Just("\"2020-02-30\"".to_string()),
        Just("\"6 months\"".to_string()),
        Just("\"2020-01-01..2020-12-31\"".to_string()),
        Just("\"small\"".to_string()),
        Just("\"a \\\"quoted\\\" note\"".to_string()),
        Just("\"\\u0041\"".to_string()),
        Just("\"tab\there\"".to_string()),
    ];
    if depth == 0 {
        return scalar.boxed();
    }
    let field = prop_oneof![
        Just("wage"),
        Just("start"),
        Just("months"),
        Just("term"),
        Just("note"),
        Just("size"),
        Just("wages"),
    ];
    prop_oneof![
        3 => scalar,
        1 => proptest::collection::vec(json_text(depth - 1), 0..4)
            .prop_map(|items| format!("[{}]", items.join(", "))),
        2 => proptest::collection::vec((field, json_text(depth - 1)), 0..7).prop_map(|fields| {
            let parts: Vec<String> = fields.iter().map(|(k, v)| format!("\"{k}\":{v}")).collect();
            format!("{{ {} }}", parts.join(","))
        }),
    ]
    .boxed()
}

fn case_text() -> impl Strategy<Value = String> {
    let key = prop_oneof![
        Just("hires"),
        Just("rate"),
        Just("flag"),
        Just("window"),
        Just("boss"),
        Just("today"),
        Just("hire"),
    ];
    (
        proptest::collection::vec((key, json_text(3)), 0..6),
        prop_oneof![Just(""), Just(" "), Just("\n"), Just("x")],
    )
        .prop_map(|(facts, after)| {
            let parts: Vec<String> = facts.iter().map(|(k, v)| format!("\"{k}\": {v}")).collect();
            format!("{{{}}}{after}", parts.join(", "))
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(2000), .. ProptestConfig::default() })]

    /// Reading a case straight from its text gives what reading it through
    /// a JSON tree gives: the same facts, or the same error.
    #[test]
    fn cases_read_the_same_either_way(text in case_text()) {
        let checked = check(RECORDS).expect("the package checks");
        let program = checked.program();
        let direct = pol::eval::case::from_json_text(program, &text);
        let tree = pol::eval::case::parse_json(&text)
            .and_then(|json| pol::eval::case::from_json(program, &json));
        match (direct, tree) {
            (Ok(a), Ok(b)) => {
                prop_assert_eq!(a.inputs, b.inputs, "{}", text);
                prop_assert_eq!(a.today, b.today, "{}", text);
            }
            (Err(a), Err(b)) => prop_assert_eq!(a, b, "{}", text),
            (a, b) => prop_assert!(false, "{text}: {:?} / {:?}", a.map(|c| c.inputs), b.map(|c| c.inputs)),
        }
    }
}

/// Generated packages compiled to SQL give, on DuckDB, what the batch gives:
/// for every result that compiles, the same values, unknowns and errors.
#[test]
fn compiled_sql_gives_what_the_interpreter_gives_for_generated_programs() {
    use common::sql::*;
    if let Err(why) = duckdb_available() {
        eprintln!("skipped: generated programs on DuckDB: {why}");
        return;
    }
    let mut runner = proptest::test_runner::TestRunner::deterministic();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let mut jobs = Vec::new();
    let mut expected = Vec::new();
    let mut rng = Rng(3);
    let programs = std::env::var("POL_SQL_PROGRAMS")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(60);
    while jobs.len() < programs {
        let (outputs, condition, amount, exception, amendment) = batch_parts()
            .new_tree(&mut runner)
            .expect("a program")
            .current();
        let text = batch_program(
            &outputs,
            &condition,
            &amount,
            (&exception.0, &exception.1),
            (&amendment.0, &amendment.1),
        );
        let Some(checked) = check(&text) else {
            continue;
        };
        let program = checked.program();
        let plan = Plan::new(&checked);
        let on = rng
            .chance(30)
            .then(|| Date::from_ymd(2021, 6, 30).expect("a date"));
        let options = pol::sql::Options {
            dialect: pol::sql::Dialect::DuckDb,
            on,
            table: "cases",
        };
        let keys: Vec<String> = pol::sql::compilable(&plan, options)
            .into_iter()
            .filter(|(_, ok)| ok.is_ok())
            .map(|(k, _)| k)
            .collect();
        if keys.is_empty() {
            continue;
        }
        let plan = plan.select(&keys).expect("the results exist");
        let query = pol::sql::compile(&plan, options).expect("what compiles compiles");
        // A CSV of cases has a column at least.
        if query.reads.is_empty() {
            continue;
        }
        let facts = fact_types(program);
        let mut interp = query.reads.join(",");
        let mut sql_cases = format!("row,{interp}");
        interp.push('\n');
        sql_cases.push('\n');
        for row in 1..=40 {
            let cells: Vec<String> = query
                .reads
                .iter()
                .map(|col| match col.as_str() {
                    _ if rng.chance(15) => String::new(),
                    "today" => date(&mut rng, 2000, 30),
                    _ => cell(&mut rng, program, &facts[col]),
                })
                .collect();
            interp.push_str(&cells.join(","));
            interp.push('\n');
            sql_cases.push_str(&format!("{row},{}\n", cells.join(",")));
        }
        let batch = pol::batch::Batch::new(&checked, on);
        let (out, _) = run_batch(&batch, &interp);
        let k = jobs.len();
        let file = |name: &str| dir.path().join(format!("{k}-{name}"));
        std::fs::write(file("schema.sql"), pol::sql::schema(program, options)).expect("written");
        std::fs::write(file("query.sql"), &query.sql).expect("written");
        std::fs::write(file("cases.csv"), sql_cases).expect("written");
        let mut types = std::collections::BTreeMap::new();
        for slot in &plan.results {
            types.insert(
                slot.key.clone(),
                match slot.member {
                    pol::check::ir::Member::Eligible(_) => Type::Bool,
                    pol::check::ir::Member::Def(d) => program.defs[d.index()].ty.clone(),
                },
            );
        }
        let pg_options = pol::sql::Options {
            dialect: pol::sql::Dialect::Postgres,
            ..options
        };
        let pg = (
            pol::sql::schema(program, pg_options),
            pol::sql::compile(&plan, pg_options)
                .expect("what compiles compiles")
                .sql,
        );
        jobs.push(Job {
            schema: file("schema.sql"),
            query: file("query.sql"),
            cases: file("cases.csv"),
            out: file("out.csv"),
            lists: Vec::new(),
        });
        expected.push((
            text,
            interp,
            query.results,
            types,
            read_csv(&out),
            pg,
            query.reads,
        ));
    }
    duckdb_jobs(dir.path(), &jobs).unwrap_or_else(|e| panic!("DuckDB: {e}"));
    for (job, (text, cases, results, types, want, ..)) in jobs.iter().zip(&expected) {
        let got = read_csv(&std::fs::read_to_string(&job.out).expect("DuckDB wrote rows"));
        if let Some((row, what)) = first_mismatch(results, types, want, &got) {
            panic!("DuckDB: row {row}: {what}\n{text}\n{cases}");
        }
    }
    // The same on PostgreSQL, when its server can be started here.
    let pg = match Postgres::start() {
        Ok(pg) => pg,
        Err(why) => {
            eprintln!("skipped: generated programs on PostgreSQL: {why}");
            return;
        }
    };
    for (job, (text, cases, results, types, want, (schema, query), reads)) in
        jobs.iter().zip(&expected)
    {
        let got = pg
            .evaluate(schema, query, &job.cases, reads, &[])
            .unwrap_or_else(|e| panic!("PostgreSQL: {e}\n{text}"));
        if let Some((row, what)) = first_mismatch(results, types, want, &read_csv(&got)) {
            panic!("PostgreSQL: row {row}: {what}\n{text}\n{cases}");
        }
    }
}

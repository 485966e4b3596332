//! The operator table: which operand types each operator takes, what it
//! gives, and what to write instead when the types do not go together
//! (LANGUAGE.md §5, "Arithmetic and types").

use crate::i18n::tr;
use crate::lang::types::Type;
use crate::lang::words::{BinOp, UnOp};

/// An operand as the table sees it: its type and, for a plain number
/// literal, its text (to suggest `5 yuan` for `5`).
pub struct Operand<'a> {
    pub ty: &'a Type,
    pub number_literal: Option<&'a str>,
    pub text: &'a str,
}

/// A well-typed use of an operator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Typing {
    pub result: Type,
    /// An int operand that widens to a decimal.
    pub widen_left: bool,
    pub widen_right: bool,
}

fn ok(result: Type) -> Typing {
    Typing {
        result,
        widen_left: false,
        widen_right: false,
    }
}

fn widened(result: Type, widen_left: bool, widen_right: bool) -> Typing {
    Typing {
        result,
        widen_left,
        widen_right,
    }
}

/// Why an operator does not apply: a message and what to write instead.
pub struct Refusal {
    pub message: String,
    pub help: String,
}

/// Names of types for messages.
pub type Namer<'a> = &'a dyn Fn(&Type) -> String;

pub fn binary(op: BinOp, l: &Operand, r: &Operand, name: Namer) -> Result<Typing, Refusal> {
    use Type::*;
    let (lt, rt) = (l.ty, r.ty);
    if lt.is_error() || rt.is_error() {
        return Ok(ok(match op {
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::In => {
                Bool
            }
            BinOp::And | BinOp::Or => Bool,
            _ => Error,
        }));
    }
    let refuse = |verb: &str, help: String| {
        let (lt, rt, l, op, r) = (name(lt), name(rt), l.text, op.symbol(), r.text);
        Refusal {
            message: match verb {
                "add" => tr!("ops-cannot-add", lt = lt, rt = rt, l = l, op = op, r = r),
                "subtract" => tr!(
                    "ops-cannot-subtract",
                    lt = lt,
                    rt = rt,
                    l = l,
                    op = op,
                    r = r
                ),
                "multiply" => tr!(
                    "ops-cannot-multiply",
                    lt = lt,
                    rt = rt,
                    l = l,
                    op = op,
                    r = r
                ),
                _ => tr!("ops-cannot-divide", lt = lt, rt = rt, l = l, op = op, r = r),
            },
            help,
        }
    };
    match op {
        BinOp::And | BinOp::Or => match (lt, rt) {
            (Bool, Bool) => Ok(ok(Bool)),
            _ => Err(Refusal {
                message: tr!(
                    "ops-1",
                    op = (op.symbol()).to_string(),
                    lt = (name(lt)).to_string(),
                    rt = (name(rt)).to_string()
                ),
                help: tr!("ops-2"),
            }),
        },
        BinOp::Add | BinOp::Sub => {
            let verb = if op == BinOp::Add { "add" } else { "subtract" };
            match (lt, rt) {
                (Int, Int) => Ok(ok(Int)),
                (Int, Decimal) => Ok(widened(Decimal, true, false)),
                (Decimal, Int) => Ok(widened(Decimal, false, true)),
                (Decimal, Decimal) => Ok(ok(Decimal)),
                (Money, Money) => Ok(ok(Money)),
                (Date, Duration) => Ok(ok(Date)),
                (Duration, Date) if op == BinOp::Add => Ok(ok(Date)),
                (Date, Date) if op == BinOp::Sub => Ok(ok(Duration)),
                (Duration, Duration) => Ok(ok(Duration)),
                (Money, Int | Decimal) | (Int | Decimal, Money) => {
                    let number = if lt == &Money { r } else { l };
                    Err(refuse(verb, write_with_unit(number, "yuan", "1 yuan")))
                }
                (Date | Duration, Int | Decimal) | (Int | Decimal, Date | Duration) => {
                    let number = if matches!(lt, Date | Duration) { r } else { l };
                    Err(refuse(verb, write_with_unit(number, "days", "1 day")))
                }
                (Date, Date) => Err(refuse(verb, tr!("ops-3"))),
                (Duration, Date) => Err(refuse(verb, tr!("ops-4"))),
                (Money, Date | Duration) | (Date | Duration, Money) => {
                    Err(refuse(verb, tr!("ops-5")))
                }
                (Text, Text) => Err(refuse(verb, tr!("ops-6"))),
                (Period, _) | (_, Period) => Err(refuse(verb, tr!("ops-7"))),
                _ => Err(refuse(verb, tr!("ops-8"))),
            }
        }
        BinOp::Mul | BinOp::Of => match (lt, rt) {
            (Int, Int) => Ok(ok(Int)),
            (Int, Decimal) => Ok(widened(Decimal, true, false)),
            (Decimal, Int) => Ok(widened(Decimal, false, true)),
            (Decimal, Decimal) => Ok(ok(Decimal)),
            (Money, Int | Decimal) | (Int | Decimal, Money) => Ok(ok(Money)),
            (Duration, Int) | (Int, Duration) => Ok(ok(Duration)),
            (Money, Money) => Err(refuse("multiply", tr!("ops-9"))),
            (Duration, Decimal) | (Decimal, Duration) => Err(refuse("multiply", tr!("ops-10"))),
            _ => Err(refuse("multiply", tr!("ops-11"))),
        },
        BinOp::Div => match (lt, rt) {
            (Int, Int) | (Decimal, Decimal) => Ok(ok(Decimal)),
            (Int, Decimal) => Ok(widened(Decimal, true, false)),
            (Decimal, Int) => Ok(widened(Decimal, false, true)),
            (Money, Int | Decimal) => Ok(ok(Money)),
            (Money, Money) => Ok(ok(Decimal)),
            (Int | Decimal, Money) => Err(refuse("divide", tr!("ops-12"))),
            (Duration, _) | (_, Duration) => Err(refuse("divide", tr!("ops-13"))),
            _ => Err(refuse("divide", tr!("ops-14"))),
        },
        BinOp::Eq | BinOp::Ne => compare_types(op, l, r, name, false),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => compare_types(op, l, r, name, true),
        BinOp::In => match rt {
            // `hire.hired_on in 2020-01-01..2020-12-31` (LANGUAGE.md §8).
            Period if lt == &Date => Ok(ok(Bool)),
            Period => Err(Refusal {
                message: tr!("ops-15", lt = (name(lt)).to_string()),
                help: if lt == &Period {
                    tr!("ops-16")
                } else {
                    tr!("ops-17")
                },
            }),
            Set(e) | List(e) => {
                if crate::lang::types::unify(lt, e).is_some() {
                    Ok(ok(Bool))
                } else {
                    Err(Refusal {
                        message: tr!(
                            "ops-18",
                            l = l.text.to_string(),
                            lt = (name(lt)).to_string(),
                            e = (name(e)).to_string()
                        ),
                        help: tr!("ops-19"),
                    })
                }
            }
            _ => Err(Refusal {
                message: tr!("ops-20", rt = (name(rt)).to_string()),
                help: tr!("ops-21"),
            }),
        },
    }
}

fn compare_types(
    op: BinOp,
    l: &Operand,
    r: &Operand,
    name: Namer,
    ordered: bool,
) -> Result<Typing, Refusal> {
    use Type::*;
    let (lt, rt) = (l.ty, r.ty);
    let refuse = |help: String| Refusal {
        message: tr!(
            "ops-22",
            lt = (name(lt)).to_string(),
            rt = (name(rt)).to_string(),
            l = l.text.to_string(),
            op = (op.symbol()).to_string(),
            r = r.text.to_string()
        ),
        help,
    };
    let common = crate::lang::types::unify(lt, rt);
    match common {
        Some(t) => {
            if ordered && t == Period {
                return Err(Refusal {
                    message: tr!(
                        "ops-23",
                        op = (op.symbol()).to_string(),
                        l = l.text.to_string(),
                        r = r.text.to_string()
                    ),
                    help: tr!(
                        "ops-24",
                        l = l.text.to_string(),
                        op = (op.symbol()).to_string(),
                        r = r.text.to_string()
                    ),
                });
            }
            if ordered && !t.is_ordered() {
                return Err(Refusal {
                    message: tr!(
                        "ops-25",
                        op = (op.symbol()).to_string(),
                        t = (name(&t)).to_string()
                    ),
                    help: tr!("ops-26"),
                });
            }
            if matches!(t, Set(_)) {
                return Err(refuse(tr!("ops-27")));
            }
            Ok(widened(
                Bool,
                lt == &Int && t == Decimal,
                rt == &Int && t == Decimal,
            ))
        }
        None => match (lt, rt) {
            (Money, Int | Decimal) | (Int | Decimal, Money) => {
                let number = if lt == &Money { r } else { l };
                Err(refuse(write_with_unit(number, "yuan", "1 yuan")))
            }
            (Duration, Int | Decimal) | (Int | Decimal, Duration) => {
                let number = if lt == &Duration { r } else { l };
                Err(refuse(write_with_unit(number, "months", "1 month")))
            }
            (Date, Text) | (Text, Date) => Err(refuse(tr!("ops-28"))),
            (Date, Int) | (Int, Date) => Err(refuse(tr!("ops-29"))),
            (Date, Period) | (Period, Date) => {
                let (d, p) = if lt == &Date { (l, r) } else { (r, l) };
                Err(refuse(tr!(
                    "ops-30",
                    d = d.text.to_string(),
                    text = p.text.to_string()
                )))
            }
            _ => Err(refuse(tr!("ops-31"))),
        },
    }
}

/// "write `5 yuan`" for a literal, or a conversion for any other number.
fn write_with_unit(number: &Operand, unit: &str, one: &str) -> String {
    match number.number_literal {
        Some(n) => tr!("ops-write-with-unit", value = format!("{n} {unit}")),
        None => tr!(
            "ops-32",
            number = number.text.to_string(),
            one = one.to_string()
        ),
    }
}

/// `-x`: ints, decimals, money and durations.
pub fn negate(t: &Type) -> bool {
    matches!(
        t,
        Type::Int | Type::Decimal | Type::Money | Type::Duration | Type::Error
    )
}

// ------------------------------------------------------------ evaluation

use crate::lang::kernel;
use crate::lang::value::Value;
use rust_decimal::Decimal;
use std::cmp::Ordering;

pub use crate::lang::kernel::Fault;

fn dec(v: &Value) -> Option<Decimal> {
    match v {
        Value::Int(n) => Some(Decimal::from(*n)),
        Value::Decimal(d) => Some(*d),
        _ => None,
    }
}

/// The order of two values of one ordered type.
pub fn compare(l: &Value, r: &Value) -> Result<Ordering, Fault> {
    match (l, r) {
        (Value::Int(a), Value::Int(b)) => Ok(a.cmp(b)),
        (Value::Money(a), Value::Money(b)) => Ok(kernel::money_cmp(*a, *b)),
        (Value::Date(a), Value::Date(b)) => Ok(a.cmp(b)),
        (Value::Duration(a), Value::Duration(b)) => kernel::dur_cmp(*a, *b),
        (Value::Int(_) | Value::Decimal(_), Value::Int(_) | Value::Decimal(_)) => {
            match (dec(l), dec(r)) {
                (Some(a), Some(b)) => Ok(a.cmp(&b)),
                _ => Err(Fault::Internal("compare")),
            }
        }
        _ => Err(Fault::Internal("compare")),
    }
}

/// Equality of two values of one type. Durations of different kinds are
/// not silently unequal: that is a fault.
pub fn equal(l: &Value, r: &Value) -> Result<bool, Fault> {
    match (l, r) {
        (Value::Duration(a), Value::Duration(b)) => Ok(kernel::dur_cmp(*a, *b)?.is_eq()),
        (Value::Int(_) | Value::Decimal(_), Value::Int(_) | Value::Decimal(_)) => {
            Ok(dec(l) == dec(r))
        }
        (Value::List(a), Value::List(b)) | (Value::Record(_, a), Value::Record(_, b)) => {
            if a.len() != b.len() {
                return Ok(false);
            }
            for (x, y) in a.iter().zip(b.iter()) {
                if !equal(x, y)? {
                    return Ok(false);
                }
            }
            Ok(true)
        }
        _ => Ok(l == r),
    }
}

/// `-x` or `not x` on a known value.
pub fn unary(op: UnOp, v: &Value) -> Result<Value, Fault> {
    match (op, v) {
        (UnOp::Not, Value::Bool(b)) => Ok(Value::Bool(!b)),
        (UnOp::Neg, Value::Int(n)) => kernel::int_neg(*n).map(Value::Int),
        (UnOp::Neg, Value::Decimal(d)) => Ok(Value::Decimal(kernel::dec_neg(*d))),
        (UnOp::Neg, Value::Money(m)) => kernel::money_neg(*m).map(Value::Money),
        (UnOp::Neg, Value::Duration(d)) => kernel::dur_neg(*d).map(Value::Duration),
        _ => Err(Fault::Internal("- or not")),
    }
}

/// `l OP r` on known values: arithmetic and comparisons (`and`/`or` are
/// evaluated lazily by the evaluator).
pub fn apply(op: BinOp, l: &Value, r: &Value) -> Result<Value, Fault> {
    use Value::*;
    let number = |v: &Value, what| dec(v).ok_or(Fault::Internal(what));
    match op {
        BinOp::Add | BinOp::Sub => {
            let sub = op == BinOp::Sub;
            match (l, r) {
                (Int(a), Int(b)) => if sub {
                    kernel::int_sub(*a, *b)
                } else {
                    kernel::int_add(*a, *b)
                }
                .map(Int),
                (Money(a), Money(b)) => if sub {
                    kernel::money_sub(*a, *b)
                } else {
                    kernel::money_add(*a, *b)
                }
                .map(Money),
                (Date(d), Duration(du)) => {
                    kernel::date_shift(*d, *du, if sub { -1 } else { 1 }).map(Date)
                }
                (Duration(du), Date(d)) if !sub => kernel::date_shift(*d, *du, 1).map(Date),
                (Date(a), Date(b)) if sub => Ok(Duration(kernel::date_diff(*a, *b))),
                (Duration(a), Duration(b)) => if sub {
                    kernel::dur_sub(*a, *b)
                } else {
                    kernel::dur_add(*a, *b)
                }
                .map(Duration),
                _ => {
                    let (a, b) = (number(l, "+ or -")?, number(r, "+ or -")?);
                    if sub {
                        kernel::dec_sub(a, b)
                    } else {
                        kernel::dec_add(a, b)
                    }
                    .map(Decimal)
                }
            }
        }
        BinOp::Mul | BinOp::Of => match (l, r) {
            (Int(a), Int(b)) => kernel::int_mul(*a, *b).map(Int),
            (Money(m), Int(k)) | (Int(k), Money(m)) => kernel::money_times(*m, *k).map(Money),
            (Money(m), Decimal(k)) | (Decimal(k), Money(m)) => {
                kernel::money_scale(*m, *k).map(Money)
            }
            (Duration(d), Int(k)) | (Int(k), Duration(d)) => {
                kernel::dur_scale(*d, *k).map(Duration)
            }
            _ => kernel::dec_mul(number(l, "*")?, number(r, "*")?).map(Decimal),
        },
        BinOp::Div => match (l, r) {
            (Money(m), n @ (Int(_) | Decimal(_))) => {
                kernel::money_div(*m, number(n, "/")?).map(Money)
            }
            (Money(a), Money(b)) => kernel::money_ratio(*a, *b).map(Decimal),
            _ => kernel::dec_div(number(l, "/")?, number(r, "/")?).map(Decimal),
        },
        BinOp::Eq => equal(l, r).map(Bool),
        BinOp::Ne => equal(l, r).map(|e| Bool(!e)),
        BinOp::Lt => compare(l, r).map(|o| Bool(o == Ordering::Less)),
        BinOp::Le => compare(l, r).map(|o| Bool(o != Ordering::Greater)),
        BinOp::Gt => compare(l, r).map(|o| Bool(o == Ordering::Greater)),
        BinOp::Ge => compare(l, r).map(|o| Bool(o != Ordering::Less)),
        BinOp::In => match r {
            List(items) => {
                for item in items.iter() {
                    if equal(l, item)? {
                        return Ok(Bool(true));
                    }
                }
                Ok(Bool(false))
            }
            _ => Err(Fault::Internal("in")),
        },
        BinOp::And | BinOp::Or => Err(Fault::Internal("and/or are lazy")),
    }
}

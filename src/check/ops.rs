//! The operator table: which operand types each operator takes, what it
//! gives, and what to write instead when the types do not go together
//! (LANGUAGE.md §5, "Arithmetic and types").

use super::types::Type;
use crate::syntax::ast::BinOp;

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
    let refuse = |verb: &str, help: String| Refusal {
        message: format!(
            "cannot {verb} {} and {} (`{}` {} `{}`)",
            name(lt),
            name(rt),
            l.text,
            op.symbol(),
            r.text
        ),
        help,
    };
    match op {
        BinOp::And | BinOp::Or => match (lt, rt) {
            (Bool, Bool) => Ok(ok(Bool)),
            _ => Err(Refusal {
                message: format!(
                    "`{}` joins conditions, but this is {} {} {}",
                    op.symbol(),
                    name(lt),
                    op.symbol(),
                    name(rt)
                ),
                help: "both sides must be true/false conditions, such as `x >= 1 year`".into(),
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
                (Date, Date) => Err(refuse(
                    verb,
                    "subtract two dates for the duration between them, or add a duration to a date".into(),
                )),
                (Duration, Date) => Err(refuse(verb, "write the date first: `DATE - DURATION`".into())),
                (Money, Date | Duration) | (Date | Duration, Money) => {
                    Err(refuse(verb, "money and time do not add up: check which value was meant".into()))
                }
                (Text, Text) => Err(refuse(verb, "texts cannot be added".into())),
                _ => Err(refuse(
                    verb,
                    "`+` and `-` take numbers, money, dates with durations, or durations".into(),
                )),
            }
        }
        BinOp::Mul | BinOp::Of => match (lt, rt) {
            (Int, Int) => Ok(ok(Int)),
            (Int, Decimal) => Ok(widened(Decimal, true, false)),
            (Decimal, Int) => Ok(widened(Decimal, false, true)),
            (Decimal, Decimal) => Ok(ok(Decimal)),
            (Money, Int | Decimal) | (Int | Decimal, Money) => Ok(ok(Money)),
            (Duration, Int) | (Int, Duration) => Ok(ok(Duration)),
            (Money, Money) => Err(refuse(
                "multiply",
                "one side must be a number: `815 yuan * 12`, `15% of wage`".into(),
            )),
            (Duration, Decimal) | (Decimal, Duration) => Err(refuse(
                "multiply",
                "a duration multiplies only by an int; use a smaller unit (`18 months`, not `1.5 years`)".into(),
            )),
            _ => Err(refuse(
                "multiply",
                "`*` takes numbers, money by a number, or a duration by an int".into(),
            )),
        },
        BinOp::Div => match (lt, rt) {
            (Int, Int) | (Decimal, Decimal) => Ok(ok(Decimal)),
            (Int, Decimal) => Ok(widened(Decimal, true, false)),
            (Decimal, Int) => Ok(widened(Decimal, false, true)),
            (Money, Int | Decimal) => Ok(ok(Money)),
            (Money, Money) => Ok(ok(Decimal)),
            (Int | Decimal, Money) => Err(refuse(
                "divide",
                "a number cannot be divided by money; divide money by money for a ratio".into(),
            )),
            (Duration, _) | (_, Duration) => Err(refuse(
                "divide",
                "durations do not divide; compare them, or count whole units with `months_between`".into(),
            )),
            _ => Err(refuse("divide", "`/` takes numbers, or money by a number or by money".into())),
        },
        BinOp::Eq | BinOp::Ne => compare(op, l, r, name, false),
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => compare(op, l, r, name, true),
        BinOp::In => match rt {
            Set(e) | List(e) => {
                if super::types::unify(lt, e).is_some() {
                    Ok(ok(Bool))
                } else {
                    Err(Refusal {
                        message: format!(
                            "`{}` is {}, but the values after `in` are {}",
                            l.text,
                            name(lt),
                            name(e)
                        ),
                        help: "the value and the members of the set must be of one type".into(),
                    })
                }
            }
            _ => Err(Refusal {
                message: format!("`in` needs a set or a list on its right, not {}", name(rt)),
                help: "write the members in braces: `size in {micro, small}`".into(),
            }),
        },
    }
}

fn compare(
    op: BinOp,
    l: &Operand,
    r: &Operand,
    name: Namer,
    ordered: bool,
) -> Result<Typing, Refusal> {
    use Type::*;
    let (lt, rt) = (l.ty, r.ty);
    let refuse = |help: String| Refusal {
        message: format!(
            "cannot compare {} with {} (`{}` {} `{}`)",
            name(lt),
            name(rt),
            l.text,
            op.symbol(),
            r.text
        ),
        help,
    };
    let common = super::types::unify(lt, rt);
    match common {
        Some(t) => {
            if ordered && !t.is_ordered() {
                return Err(Refusal {
                    message: format!(
                        "`{}` orders numbers, money, dates and durations, not {}",
                        op.symbol(),
                        name(&t)
                    ),
                    help: "use `=` or `!=` to compare these values".into(),
                });
            }
            if matches!(t, Set(_)) {
                return Err(refuse("a set can only follow `in`".into()));
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
            (Date, Text) | (Text, Date) => {
                Err(refuse("write the date without quotes: `2020-12-31`".into()))
            }
            (Date, Int) | (Int, Date) => Err(refuse("write a date as `2020-12-31`".into())),
            _ => Err(refuse("both sides must be of one type".into())),
        },
    }
}

/// "write `5 yuan`" for a literal, or a conversion for any other number.
fn write_with_unit(number: &Operand, unit: &str, one: &str) -> String {
    match number.number_literal {
        Some(n) => format!("write `{n} {unit}`"),
        None => format!("give the number its unit: `{} * {one}`", number.text),
    }
}

/// `-x`: ints, decimals, money and durations.
pub fn negate(t: &Type) -> bool {
    matches!(
        t,
        Type::Int | Type::Decimal | Type::Money | Type::Duration | Type::Error
    )
}

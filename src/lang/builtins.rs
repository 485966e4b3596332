//! The built-in functions (LANGUAGE.md §5 and §8), each declared once: its
//! name, how it is called, what it does, its typing rule ([`Builtin::typing`])
//! and its evaluation ([`Builtin::apply`]). The checker, the evaluator, the
//! REPL's completions and help all read them from here.

use crate::i18n::tr;
use crate::lang::kernel;
use crate::lang::ops::{self, Fault};
use crate::lang::scalar::Period;
use crate::lang::types::{Type, fits, unify};
use crate::lang::value::Value;
use crate::lang::words::BinOp;

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Builtin {
    Min,
    Max,
    Round,
    Floor,
    Ceil,
    Abs,
    YearsBetween,
    MonthsBetween,
    DaysBetween,
    SumList,
    Allocate,
    // Periods (LANGUAGE.md §8).
    Period,
    Span,
    YearOf,
    MonthOf,
    DaysIn,
    MonthsIn,
    Months,
    Overlaps,
    /// `P.start`
    Start,
    /// `P.end`
    End,
}

impl Builtin {
    /// The functions called by name, in the order help lists them (`.start`
    /// and `.end` are written as fields).
    pub const CALLED: [Builtin; 19] = [
        Builtin::Min,
        Builtin::Max,
        Builtin::Round,
        Builtin::Floor,
        Builtin::Ceil,
        Builtin::Abs,
        Builtin::YearsBetween,
        Builtin::MonthsBetween,
        Builtin::DaysBetween,
        Builtin::SumList,
        Builtin::Allocate,
        Builtin::Period,
        Builtin::Span,
        Builtin::YearOf,
        Builtin::MonthOf,
        Builtin::DaysIn,
        Builtin::MonthsIn,
        Builtin::Months,
        Builtin::Overlaps,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Builtin::Min => "min",
            Builtin::Max => "max",
            Builtin::Round => "round",
            Builtin::Floor => "floor",
            Builtin::Ceil => "ceil",
            Builtin::Abs => "abs",
            Builtin::YearsBetween => "years_between",
            Builtin::MonthsBetween => "months_between",
            Builtin::DaysBetween => "days_between",
            Builtin::SumList => "sum",
            Builtin::Allocate => "allocate",
            Builtin::Period => "period",
            Builtin::Span => "span",
            Builtin::YearOf => "year_of",
            Builtin::MonthOf => "month_of",
            Builtin::DaysIn => "days_in",
            Builtin::MonthsIn => "months_in",
            Builtin::Months => "months",
            Builtin::Overlaps => "overlaps",
            Builtin::Start => "start",
            Builtin::End => "end",
        }
    }

    /// The function called `name`, if one is built in.
    pub fn called(name: &str) -> Option<Builtin> {
        Builtin::CALLED.into_iter().find(|b| b.name() == name)
    }

    /// How it is called, for help: `span(START, DURATION)`.
    pub fn usage(self) -> &'static str {
        match self {
            Builtin::Min => "min(a, b)",
            Builtin::Max => "max(a, b)",
            Builtin::Allocate => "allocate(TOTAL, [A, B, …])",
            Builtin::YearsBetween => "years_between(FROM, TO)",
            Builtin::MonthsBetween => "months_between(FROM, TO)",
            Builtin::DaysBetween => "days_between(FROM, TO)",
            Builtin::SumList => "sum(LIST) or sum(E for x in LIST)",
            Builtin::Period => "period(FIRST_DAY, LAST_DAY)",
            Builtin::Span => "span(START, DURATION)",
            Builtin::YearOf => "year_of(DATE)",
            Builtin::MonthOf => "month_of(DATE)",
            Builtin::DaysIn => "days_in(PERIOD, …)",
            Builtin::MonthsIn => "months_in(PERIOD, …)",
            Builtin::Months => "months(PERIOD)",
            Builtin::Overlaps => "overlaps(PERIOD, PERIOD)",
            Builtin::Round => "round(x)",
            Builtin::Floor => "floor(x)",
            Builtin::Ceil => "ceil(x)",
            Builtin::Abs => "abs(x)",
            Builtin::Start => "PERIOD.start",
            Builtin::End => "PERIOD.end",
        }
    }

    /// What it gives, in a line (for help and completions).
    pub fn summary(self) -> String {
        match self {
            Builtin::Min => tr!("builtin-1"),
            Builtin::Max => tr!("builtin-2"),
            Builtin::Round => {
                tr!("builtin-3")
            }
            Builtin::Floor => tr!("builtin-4"),
            Builtin::Ceil => tr!("builtin-5"),
            Builtin::Abs => tr!("builtin-6"),
            Builtin::YearsBetween => tr!("builtin-7"),
            Builtin::MonthsBetween => tr!("builtin-8"),
            Builtin::DaysBetween => tr!("builtin-9"),
            Builtin::SumList => tr!("builtin-10"),
            Builtin::Allocate => tr!("builtin-11"),
            Builtin::Period => tr!("builtin-12"),
            Builtin::Span => tr!("builtin-13"),
            Builtin::YearOf => tr!("builtin-14"),
            Builtin::MonthOf => tr!("builtin-15"),
            Builtin::DaysIn => tr!("builtin-16"),
            Builtin::MonthsIn => {
                tr!("builtin-17")
            }
            Builtin::Months => tr!("builtin-18"),
            Builtin::Overlaps => tr!("builtin-19"),
            Builtin::Start => tr!("builtin-20"),
            Builtin::End => tr!("builtin-21"),
        }
    }
}

/// A call's arguments that the function does not take.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallError {
    /// The wrong number of arguments: what the function takes
    /// ("two dates").
    Arity(String),
    /// Argument `index` is of a type the function does not take: what it
    /// takes, and what to write.
    Argument {
        index: usize,
        want: String,
        help: String,
    },
    /// `min`/`max` of values of different types: argument `index` does not
    /// go with the type of those before it.
    Mixed { index: usize, common: Type },
}

/// A well-typed call: the type of its value, and the type each argument is
/// taken as (an int widens to a decimal; an empty list takes its element
/// type).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallTyping {
    pub result: Type,
    pub args: Vec<Type>,
}

impl Builtin {
    /// The typing rule: the types of the arguments give the type of the
    /// call, or why the call is refused. `text(i)` is argument `i` as written,
    /// for help that quotes it.
    pub fn typing(
        self,
        args: &[Type],
        text: &dyn Fn(usize) -> String,
    ) -> Result<CallTyping, CallError> {
        let n = args.len();
        let arity = |ok: bool, what: String| {
            if ok {
                Ok(())
            } else {
                Err(CallError::Arity(what))
            }
        };
        let argument =
            |index: usize, want: String, help: String| CallError::Argument { index, want, help };
        let all = |want: &Type, name: String, help: String| match args
            .iter()
            .position(|t| !fits(t, want))
        {
            Some(i) => Err(argument(i, name, help)),
            None => Ok(()),
        };
        let same = |result: Type| CallTyping {
            result,
            args: args.to_vec(),
        };
        match self {
            Builtin::Min | Builtin::Max => {
                arity(n >= 2, tr!("builtin-22"))?;
                let mut common = args[0].clone();
                for (i, t) in args.iter().enumerate().skip(1) {
                    common = unify(&common, t).ok_or(CallError::Mixed {
                        index: i,
                        common: common.clone(),
                    })?;
                }
                if !common.is_ordered() && !common.is_error() {
                    return Err(argument(0, tr!("builtin-23"), tr!("builtin-24")));
                }
                Ok(CallTyping {
                    result: common.clone(),
                    args: vec![common; n],
                })
            }
            Builtin::Round | Builtin::Floor | Builtin::Ceil | Builtin::Abs => {
                arity(n == 1, tr!("builtin-25"))?;
                let result = match (self, &args[0]) {
                    (_, Type::Error) => Type::Error,
                    (Builtin::Round, Type::Money) => Type::Money,
                    (
                        Builtin::Round | Builtin::Floor | Builtin::Ceil,
                        Type::Decimal | Type::Int,
                    ) => Type::Int,
                    (
                        Builtin::Abs,
                        t @ (Type::Int | Type::Decimal | Type::Money | Type::Duration),
                    ) => t.clone(),
                    (Builtin::Floor | Builtin::Ceil, Type::Money) => {
                        return Err(argument(0, tr!("builtin-w3"), tr!("builtin-26")));
                    }
                    (Builtin::Abs, _) => {
                        return Err(argument(0, tr!("builtin-27"), tr!("builtin-28")));
                    }
                    (Builtin::Round, _) => {
                        return Err(argument(0, tr!("builtin-29"), tr!("builtin-30")));
                    }
                    _ => return Err(argument(0, tr!("builtin-w4"), tr!("builtin-31"))),
                };
                let arg = match (self, &args[0]) {
                    (Builtin::Abs, t) | (_, t @ Type::Money) => t.clone(),
                    (_, Type::Int) => Type::Decimal,
                    (_, t) => t.clone(),
                };
                Ok(CallTyping {
                    result,
                    args: vec![arg],
                })
            }
            Builtin::YearsBetween | Builtin::MonthsBetween | Builtin::DaysBetween => {
                arity(n == 2, tr!("builtin-32"))?;
                all(&Type::Date, tr!("builtin-w5"), tr!("builtin-33"))?;
                Ok(same(Type::Int))
            }
            Builtin::SumList => {
                arity(n == 1, tr!("builtin-34"))?;
                match &args[0] {
                    Type::List(t)
                        if matches!(
                            **t,
                            Type::Int
                                | Type::Decimal
                                | Type::Money
                                | Type::Duration
                                | Type::Nothing
                                | Type::Error
                        ) =>
                    {
                        let t = if **t == Type::Nothing {
                            Type::Int
                        } else {
                            (**t).clone()
                        };
                        Ok(same(t))
                    }
                    Type::Error => Ok(same(Type::Error)),
                    _ => Err(argument(0, tr!("builtin-35"), tr!("builtin-36"))),
                }
            }
            Builtin::Period => {
                arity(n == 2, tr!("builtin-37"))?;
                all(&Type::Date, tr!("builtin-w6"), tr!("builtin-38"))?;
                Ok(same(Type::Period))
            }
            Builtin::Span => {
                arity(n == 2, tr!("builtin-39"))?;
                if !fits(&args[0], &Type::Date) {
                    return Err(argument(0, tr!("builtin-40"), tr!("builtin-w9")));
                }
                if !fits(&args[1], &Type::Duration) {
                    return Err(argument(1, tr!("builtin-41"), tr!("builtin-42")));
                }
                Ok(same(Type::Period))
            }
            Builtin::YearOf | Builtin::MonthOf => {
                arity(n == 1, tr!("builtin-43"))?;
                all(&Type::Date, tr!("builtin-w7"), tr!("builtin-44"))?;
                Ok(same(Type::Period))
            }
            Builtin::DaysIn | Builtin::MonthsIn | Builtin::Overlaps => {
                if self == Builtin::Overlaps {
                    arity(n == 2, tr!("builtin-45"))?;
                } else {
                    arity(n >= 1, tr!("builtin-46"))?;
                }
                if let Some(i) = args.iter().position(|t| !fits(t, &Type::Period)) {
                    let help = if args[i] == Type::Date {
                        tr!("builtin-47", i = (text(i)).to_string())
                    } else {
                        tr!("builtin-48")
                    };
                    return Err(CallError::Argument {
                        index: i,
                        want: tr!("builtin-w8"),
                        help,
                    });
                }
                Ok(same(if self == Builtin::Overlaps {
                    Type::Bool
                } else {
                    Type::Int
                }))
            }
            Builtin::Months => {
                arity(n == 1, tr!("builtin-49"))?;
                all(&Type::Period, tr!("builtin-w1"), tr!("builtin-50"))?;
                Ok(same(Type::List(Box::new(Type::Period))))
            }
            Builtin::Start | Builtin::End => {
                arity(n == 1, tr!("builtin-51"))?;
                all(&Type::Period, tr!("builtin-w2"), tr!("builtin-52"))?;
                Ok(same(Type::Date))
            }
            Builtin::Allocate => {
                arity(n == 2, tr!("builtin-53"))?;
                if !fits(&args[0], &Type::Money) {
                    return Err(argument(0, tr!("builtin-54"), tr!("builtin-55")));
                }
                let money_list = Type::List(Box::new(Type::Money));
                if !fits(&args[1], &money_list) {
                    return Err(argument(1, tr!("builtin-56"), tr!("builtin-57")));
                }
                Ok(CallTyping {
                    result: money_list.clone(),
                    args: vec![args[0].clone(), money_list],
                })
            }
        }
    }

    /// The evaluation rule. `result` is the call's type (the zero of an
    /// empty `sum`). An unknown argument, or an unknown item of a list
    /// argument, makes the value unknown with what they lack.
    pub fn apply(self, args: &[Value], result: &Type) -> Result<Value, Fault> {
        if let Some(u) = Value::unknown_of(args.iter()) {
            return Ok(u);
        }
        let date = |v: &Value| match v {
            Value::Date(d) => Ok(*d),
            _ => Err(Fault::Internal("date")),
        };
        match self {
            Builtin::Min | Builtin::Max => {
                let mut best = &args[0];
                for v in &args[1..] {
                    let ord = ops::compare(v, best)?;
                    if (self == Builtin::Min && ord.is_lt())
                        || (self == Builtin::Max && ord.is_gt())
                    {
                        best = v;
                    }
                }
                Ok(best.clone())
            }
            Builtin::Round => match &args[0] {
                Value::Money(m) => kernel::round_money_value(*m).map(Value::Money),
                Value::Decimal(d) => kernel::round(*d).map(Value::Int),
                Value::Int(n) => Ok(Value::Int(*n)),
                _ => Err(Fault::Internal("round")),
            },
            Builtin::Floor | Builtin::Ceil => match &args[0] {
                Value::Decimal(d) if self == Builtin::Floor => kernel::floor(*d).map(Value::Int),
                Value::Decimal(d) => kernel::ceil(*d).map(Value::Int),
                Value::Int(n) => Ok(Value::Int(*n)),
                _ => Err(Fault::Internal("floor")),
            },
            Builtin::Abs => match &args[0] {
                Value::Int(n) => kernel::int_abs(*n).map(Value::Int),
                Value::Decimal(d) => Ok(Value::Decimal(d.abs())),
                Value::Money(m) => kernel::money_abs(*m).map(Value::Money),
                Value::Duration(d) => kernel::dur_abs(*d).map(Value::Duration),
                _ => Err(Fault::Internal("abs")),
            },
            Builtin::YearsBetween => Ok(Value::Int(
                date(&args[0])?.months_until(date(&args[1])?) / 12,
            )),
            Builtin::MonthsBetween => Ok(Value::Int(date(&args[0])?.months_until(date(&args[1])?))),
            Builtin::DaysBetween => Ok(Value::Int(date(&args[0])?.days_until(date(&args[1])?))),
            Builtin::SumList => match &args[0] {
                Value::List(items) => {
                    if let Some(u) = Value::unknown_of(items.iter()) {
                        return Ok(u);
                    }
                    let mut acc = Value::zero(result);
                    for v in items.iter() {
                        acc = ops::apply(BinOp::Add, &acc, v)?;
                    }
                    Ok(acc)
                }
                _ => Err(Fault::Internal("sum")),
            },
            Builtin::Period | Builtin::Span => {
                let start = date(&args[0])?;
                let last = match (self, &args[1]) {
                    (Builtin::Period, v) => date(v)?,
                    // `span(A, D)` is `period(A, A + D - 1 day)`.
                    (_, Value::Duration(d)) => {
                        let Value::Date(after) =
                            ops::apply(BinOp::Add, &args[0], &Value::Duration(*d))?
                        else {
                            return Err(Fault::Internal("span"));
                        };
                        after.add_days(-1).ok_or(Fault::DateRange)?
                    }
                    _ => return Err(Fault::Internal("span")),
                };
                Period::new(start, last).map(Value::Period).ok_or_else(|| {
                    if self == Builtin::Period {
                        Fault::PeriodOrder {
                            message: tr!(
                                "builtin-58",
                                last = last.to_string(),
                                start = start.to_string()
                            ),
                            help: tr!("builtin-59"),
                        }
                    } else {
                        let length = match &args[1] {
                            Value::Duration(d) => d.to_string(),
                            _ => String::new(),
                        };
                        Fault::PeriodOrder {
                            message: tr!(
                                "builtin-60",
                                start = start.to_string(),
                                length = length.to_string()
                            ),
                            help: tr!("builtin-61"),
                        }
                    }
                })
            }
            Builtin::YearOf => Ok(Value::Period(Period::year_of(date(&args[0])?))),
            Builtin::MonthOf => Ok(Value::Period(Period::month_of(date(&args[0])?))),
            Builtin::Start | Builtin::End => match &args[0] {
                Value::Period(p) => Ok(Value::Date(if self == Builtin::Start {
                    p.start()
                } else {
                    p.end()
                })),
                _ => Err(Fault::Internal("start/end")),
            },
            Builtin::DaysIn | Builtin::MonthsIn | Builtin::Overlaps => {
                // The days all the periods share, if any.
                let mut common: Option<Period> = None;
                for (i, a) in args.iter().enumerate() {
                    let Value::Period(p) = a else {
                        return Err(Fault::Internal("period"));
                    };
                    common = if i == 0 {
                        Some(*p)
                    } else {
                        common.and_then(|c| c.intersect(*p))
                    };
                }
                Ok(match self {
                    Builtin::DaysIn => Value::Int(common.map_or(0, Period::days)),
                    Builtin::MonthsIn => Value::Int(common.map_or(0, Period::month_count)),
                    _ => Value::Bool(common.is_some()),
                })
            }
            Builtin::Months => match &args[0] {
                Value::Period(p) => Ok(Value::List(
                    p.months()
                        .into_iter()
                        .map(Value::Period)
                        .collect::<Vec<_>>()
                        .into(),
                )),
                _ => Err(Fault::Internal("months")),
            },
            Builtin::Allocate => {
                let (Value::Money(total), Value::List(caps)) = (&args[0], &args[1]) else {
                    return Err(Fault::Internal("allocate"));
                };
                if let Some(u) = Value::unknown_of(caps.iter()) {
                    return Ok(u);
                }
                let mut rest = *total;
                let mut out = Vec::with_capacity(caps.len());
                for cap in caps.iter() {
                    let Value::Money(c) = cap else {
                        return Err(Fault::Internal("allocate"));
                    };
                    out.push(Value::Money(kernel::allocate_step(&mut rest, *c)?));
                }
                Ok(Value::List(out.into()))
            }
        }
    }
}

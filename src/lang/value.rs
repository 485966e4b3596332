//! Runtime values, and unknown facts with the paths that would decide them.

use crate::lang::scalar::{Date, Duration, Period, format_decimal, format_money};
use crate::lang::types::{EnumId, RecordId, Type, TypeNames};
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

/// The facts an unknown value is missing.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Missing {
    pub paths: BTreeSet<String>,
    /// The value is exactly the fact at the one path (so a field of it is
    /// the fact at `path.field`).
    pub exact: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Decimal(Decimal),
    /// Always whole fen.
    Money(Decimal),
    Date(Date),
    Duration(Duration),
    Period(Period),
    Text(Arc<str>),
    Enum(EnumId, u32),
    /// Fields in declaration order; a field not given is `Unknown`.
    Record(RecordId, Arc<[Value]>),
    List(Arc<[Value]>),
    /// A fact that is not known, or a value that needs one.
    Unknown(Arc<Missing>),
}

impl Value {
    /// The fact at `path`, not given.
    pub fn missing(path: impl Into<String>) -> Value {
        Value::Unknown(Arc::new(Missing {
            paths: BTreeSet::from([path.into()]),
            exact: true,
        }))
    }

    /// Unknown for want of all the facts of `parts`.
    pub fn unknown_from<'a>(parts: impl IntoIterator<Item = &'a Missing>) -> Value {
        let mut paths = BTreeSet::new();
        for m in parts {
            paths.extend(m.paths.iter().cloned());
        }
        Value::Unknown(Arc::new(Missing {
            paths,
            exact: false,
        }))
    }

    pub fn is_unknown(&self) -> bool {
        matches!(self, Value::Unknown(_))
    }

    /// The unknown value of the unknowns among `values`, with every fact
    /// they lack; `None` when all are known.
    pub fn unknown_of<'a>(values: impl IntoIterator<Item = &'a Value>) -> Option<Value> {
        let missing: Vec<&Arc<Missing>> = values
            .into_iter()
            .filter_map(|v| match v {
                Value::Unknown(m) => Some(m),
                _ => None,
            })
            .collect();
        let first = missing.first()?;
        // What one unknown value lacks, carried on as it is: the common case
        // of an unknown passed up through a chain of operations.
        if !first.exact
            && missing
                .iter()
                .all(|m| Arc::ptr_eq(m, first) || m.paths == first.paths)
        {
            return Some(Value::Unknown(Arc::clone(first)));
        }
        Some(Value::unknown_from(missing.into_iter().map(|m| &**m)))
    }

    /// The same value with none of its parts shared with `self` (a copy a
    /// thread may count references to on its own).
    pub fn deep_copy(&self) -> Value {
        match self {
            Value::Text(t) => Value::Text(Arc::from(&**t)),
            Value::Record(r, fields) => {
                Value::Record(*r, fields.iter().map(Value::deep_copy).collect())
            }
            Value::List(items) => Value::List(items.iter().map(Value::deep_copy).collect()),
            Value::Unknown(m) => Value::Unknown(Arc::new((**m).clone())),
            other => other.clone(),
        }
    }

    /// The zero of a number type (of an empty `sum`).
    pub fn zero(ty: &Type) -> Value {
        match ty {
            Type::Money => Value::money(Decimal::ZERO),
            Type::Decimal => Value::Decimal(Decimal::ZERO),
            Type::Duration => Value::Duration(Duration::Days(0)),
            _ => Value::Int(0),
        }
    }

    pub fn money(amount: Decimal) -> Value {
        let mut a = amount;
        a.rescale(2);
        Value::Money(a)
    }

    /// A value written as in the language (`812.40 yuan`, `2 years`…).
    pub fn show<'a, N: TypeNames + ?Sized>(&'a self, names: &'a N) -> Shown<'a, N> {
        Shown(self, names)
    }
}

pub struct Shown<'a, N: ?Sized>(&'a Value, &'a N);

impl<N: TypeNames + ?Sized> fmt::Display for Shown<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let program = self.1;
        match self.0 {
            Value::Bool(b) => write!(f, "{b}"),
            Value::Int(n) => write!(f, "{n}"),
            Value::Decimal(d) => write!(f, "{}", format_decimal(*d)),
            Value::Money(m) => write!(f, "{} yuan", format_money(*m)),
            Value::Date(d) => write!(f, "{d}"),
            Value::Duration(d) => write!(f, "{d}"),
            Value::Period(p) => write!(f, "{p}"),
            Value::Text(t) => write!(f, "{t:?}"),
            Value::Enum(e, v) => write!(f, "{}", program.variant_name(*e, *v)),
            Value::Record(r, fields) => {
                write!(f, "{{")?;
                let mut first = true;
                for (i, v) in fields.iter().enumerate() {
                    if v.is_unknown() {
                        continue;
                    }
                    if !first {
                        write!(f, ", ")?;
                    }
                    first = false;
                    write!(f, "{}: {}", program.field_name(*r, i), Shown(v, program))?;
                }
                write!(f, "}}")
            }
            Value::List(items) => {
                write!(f, "[")?;
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        write!(f, ", ")?;
                    }
                    write!(f, "{}", Shown(v, program))?;
                }
                write!(f, "]")
            }
            Value::Unknown(m) => {
                let paths: Vec<&str> = m.paths.iter().map(String::as_str).collect();
                write!(f, "undetermined (needs {})", paths.join(", "))
            }
        }
    }
}

impl Value {
    /// The value as Pol source (`812.40 yuan`, `{size: small}`), for test
    /// blocks written from a case. Unknown record fields are left out.
    pub fn source<N: TypeNames + ?Sized>(&self, program: &N) -> String {
        match self {
            Value::Text(t) => {
                let escaped = t
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace('\n', "\\n");
                format!("\"{escaped}\"")
            }
            Value::Enum(e, v) => {
                let name = program.variant_name(*e, *v);
                if program.variant_is_shared(name) {
                    format!("{}.{name}", program.enum_name(*e))
                } else {
                    name.to_string()
                }
            }
            Value::Record(r, fields) => {
                let parts: Vec<String> = fields
                    .iter()
                    .enumerate()
                    .filter(|(_, v)| !v.is_unknown())
                    .map(|(i, v)| format!("{}: {}", program.field_name(*r, i), v.source(program)))
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
            Value::List(items) => {
                let parts: Vec<String> = items.iter().map(|v| v.source(program)).collect();
                format!("[{}]", parts.join(", "))
            }
            other => other.show(program).to_string(),
        }
    }
}

//! Runtime values, and unknown facts with the paths that would decide them.

use crate::check::ir::Program;
use crate::check::types::{EnumId, RecordId};
use crate::value::{Date, Duration, Period, format_decimal, format_money};
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

    pub fn money(amount: Decimal) -> Value {
        let mut a = amount;
        a.rescale(2);
        Value::Money(a)
    }

    /// A value written as in the language (`812.40 yuan`, `2 years`…).
    pub fn show<'a>(&'a self, program: &'a Program) -> Shown<'a> {
        Shown(self, program)
    }
}

pub struct Shown<'a>(&'a Value, &'a Program);

impl fmt::Display for Shown<'_> {
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
            Value::Enum(e, v) => write!(f, "{}", program.enums[e.index()].variants[*v as usize]),
            Value::Record(r, fields) => {
                let names = &program.records[r.index()].fields;
                write!(f, "{{")?;
                let mut first = true;
                for (field, v) in names.iter().zip(fields.iter()) {
                    if v.is_unknown() {
                        continue;
                    }
                    if !first {
                        write!(f, ", ")?;
                    }
                    first = false;
                    write!(f, "{}: {}", field.name, Shown(v, program))?;
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
    pub fn source(&self, program: &Program) -> String {
        match self {
            Value::Text(t) => {
                let escaped = t
                    .replace('\\', "\\\\")
                    .replace('"', "\\\"")
                    .replace('\n', "\\n");
                format!("\"{escaped}\"")
            }
            Value::Enum(e, v) => {
                let name = &program.enums[e.index()].variants[*v as usize];
                let shared = program
                    .enums
                    .iter()
                    .filter(|en| en.variants.contains(name))
                    .count()
                    > 1;
                if shared {
                    format!("{}.{name}", program.enums[e.index()].name)
                } else {
                    name.clone()
                }
            }
            Value::Record(r, fields) => {
                let names = &program.records[r.index()].fields;
                let parts: Vec<String> = names
                    .iter()
                    .zip(fields.iter())
                    .filter(|(_, v)| !v.is_unknown())
                    .map(|(f, v)| format!("{}: {}", f.name, v.source(program)))
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

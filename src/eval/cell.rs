//! Reading one value written as text — a CSV cell, a JSON string or
//! number — as the declared type has it, and the error that says what is
//! wrong with it.

use super::Value;
use crate::check::ir::Program;
use crate::i18n::tr;
use crate::lang::scalar::{Date, Duration};
use crate::lang::types::Type;
use rust_decimal::Decimal;
use serde_json::Value as Json;
use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// A fact of a case that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseError {
    /// Stable code: `pol::case::json`, `pol::case::type`,
    /// `pol::case::unknown_field`…
    pub code: &'static str,
    /// The fact's path (`hire.si_months`), empty for the whole case.
    pub path: String,
    pub message: String,
    pub help: Option<String>,
}

impl CaseError {
    pub(crate) fn new(code: &'static str, path: &str, message: impl Into<String>) -> CaseError {
        CaseError {
            code,
            path: path.to_string(),
            message: message.into(),
            help: None,
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> CaseError {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for CaseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Messages quote the user's data: no control character of it
        // reaches the terminal.
        let safe = crate::diagnostic::escape_controls;
        if self.path.is_empty() {
            write!(f, "{}", safe(&self.message))?;
        } else {
            let path = format!("`{}`", safe(&self.path));
            write!(
                f,
                "{}",
                tr!("cli-in-file", file = path, message = safe(&self.message))
            )?;
        }
        if let Some(h) = &self.help {
            write!(f, "\n  {}", tr!("cli-help", help = safe(h)))?;
        }
        Ok(())
    }
}

pub(crate) type Read<T> = Result<T, CaseError>;

/// What a value of a type looks like in a case, for messages.
pub fn expected(program: &Program, ty: &Type) -> String {
    match ty {
        Type::Bool => tr!("cell-text-1"),
        Type::Int => tr!("cell-text-2"),
        Type::Decimal => tr!("cell-text-3"),
        Type::Money => tr!("cell-text-4"),
        Type::Date => "a date \"YYYY-MM-DD\"".into(),
        Type::Duration => tr!("cell-text-5"),
        Type::Period => "a period \"YYYY-MM-DD..YYYY-MM-DD\"".into(),
        Type::Text => "a text".into(),
        Type::Enum(e) => {
            let variants = &program.enums[e.index()].variants;
            tr!(
                "cell-text-6",
                arg = (variants
                    .iter()
                    .map(|v| format!("\"{v}\""))
                    .collect::<Vec<_>>()
                    .join(", "))
                .to_string()
            )
        }
        Type::Record(r) => tr!(
            "cell-text-7",
            index = (program.records[r.index()].name).to_string()
        ),
        Type::List(t) => tr!("cell-text-8", t = (program.show(t)).to_string()),
        Type::Set(_) | Type::Nothing | Type::Error => "a value".into(),
    }
}

pub(crate) fn shown(json: &Json) -> String {
    let s = json.to_string();
    if s.chars().count() > 40 {
        format!("{}…", s.chars().take(40).collect::<String>())
    } else {
        s
    }
}

/// A number as a decimal: `0.5`, `"15%"`. More significant digits than a
/// decimal holds exactly is not a decimal (it would be rounded silently).
pub(crate) fn parse_decimal(s: &str) -> Option<Decimal> {
    let s = s.trim();
    if !s.contains(['e', 'E']) && significant_digits(s.trim_end_matches('%')) > MAX_DIGITS {
        return None;
    }
    if let Some(p) = s.strip_suffix('%') {
        return Decimal::from_str(p.trim())
            .ok()
            .map(|d| d / Decimal::ONE_HUNDRED);
    }
    Decimal::from_str(s)
        .or_else(|_| Decimal::from_scientific(s))
        .ok()
}

/// The significant digits of a number written in decimal (`0.0120` has 2):
/// more than a decimal holds (28) would be rounded silently when parsed.
fn significant_digits(text: &str) -> usize {
    let t = text.trim().trim_start_matches(['-', '+']);
    let (whole, frac) = t.split_once('.').unwrap_or((t, ""));
    let digits: String = format!("{whole}{}", frac.trim_end_matches('0'));
    digits.trim_start_matches('0').len()
}

/// Most significant digits a number may have to be read exactly.
const MAX_DIGITS: usize = 28;

/// Money from its text, when [`money`] would read it without an error.
pub(crate) fn money_value(text: &str) -> Option<Value> {
    if let Some(fen) = crate::lang::scalar::plain_fen(text.as_bytes()) {
        return Some(Value::Money(Decimal::new(fen, 2)));
    }
    if significant_digits(text) > MAX_DIGITS {
        return None;
    }
    let amount = Decimal::from_str(text.trim()).ok()?;
    if !crate::lang::scalar::money_fits(amount) || amount.normalize().scale() > 2 {
        return None;
    }
    Some(Value::money(amount))
}

pub(crate) fn money(text: &str, path: &str, json: &Json) -> Read<Value> {
    if significant_digits(text) > MAX_DIGITS {
        return Err(CaseError::new(
            "pol::case::money",
            path,
            tr!(
                "cell-text-9",
                json = (shown(json)).to_string(),
                max_digits = MAX_DIGITS.to_string()
            ),
        )
        .help(tr!("cell-text-10")));
    }
    let Some(amount) = Decimal::from_str(text.trim()).ok() else {
        return Err(CaseError::new(
            "pol::case::type",
            path,
            tr!("cell-text-11", json = (shown(json)).to_string()),
        ));
    };
    if !crate::lang::scalar::money_fits(amount) {
        return Err(CaseError::new(
            "pol::case::money",
            path,
            tr!("cell-text-12", json = (shown(json)).to_string()),
        )
        .help(tr!("cell-text-13")));
    }
    if amount.normalize().scale() > 2 {
        return Err(CaseError::new(
            "pol::case::money",
            path,
            tr!("cell-text-14", json = (shown(json)).to_string()),
        )
        .help(tr!(
            "cell-text-15",
            amount = (crate::lang::scalar::round_money(amount)).to_string()
        )));
    }
    Ok(Value::money(amount))
}

/// `"2020-01-01..2020-12-31"`: both ends dates, the first not after the
/// last. A wrong end is named, with what is wrong with it.
fn period_cell(s: &str, path: &str) -> Read<Value> {
    let form = tr!("cell-text-16");
    let Some((a, b)) = s.trim().split_once("..") else {
        return Err(CaseError::new(
            "pol::case::period",
            path,
            tr!("cell-text-17", s = s.to_string()),
        )
        .help(form));
    };
    let end = |text: &str, which: &str| {
        Date::parse(text.trim()).ok_or_else(|| {
            let problem = crate::lang::scalar::date_problem(text);
            let why = problem
                .split_once(": ")
                .or_else(|| problem.split_once('：'))
                .map_or(problem.as_str(), |(_, h)| h);
            CaseError::new(
                "pol::case::period",
                path,
                if which == "first" {
                    tr!("cell-first-not-date", s = s, day = text.trim())
                } else {
                    tr!("cell-last-not-date", s = s, day = text.trim())
                },
            )
            .help(why.to_string())
        })
    };
    let (start, last) = (end(a, "first")?, end(b, "last")?);
    crate::lang::scalar::Period::new(start, last)
        .map(Value::Period)
        .ok_or_else(|| {
            CaseError::new(
                "pol::case::period",
                path,
                tr!("cell-text-19", s = s.to_string()),
            )
            .help(tr!(
                "cell-write-period",
                last = last.to_string(),
                start = start.to_string()
            ))
        })
}

/// Reads a scalar written as text: a JSON string, or a CSV cell.
pub fn text_cell(program: &Program, ty: &Type, s: &str, path: &str) -> Read<Value> {
    let wrong = |help: Option<String>| CaseError {
        code: "pol::case::type",
        path: path.to_string(),
        message: tr!(
            "cell-expected-got",
            expected = expected(program, ty),
            got = s
        ),
        help,
    };
    match ty {
        Type::Date => Date::parse(s.trim()).map(Value::Date).ok_or_else(|| {
            let problem = crate::lang::scalar::date_problem(s);
            let help = problem
                .split_once(": ")
                .map_or(problem.as_str(), |(_, h)| h)
                .to_string();
            CaseError::new(
                "pol::case::date",
                path,
                tr!("cell-text-20", s = s.to_string()),
            )
            .help(help)
        }),
        Type::Duration => Duration::parse(s)
            .map(Value::Duration)
            .ok_or_else(|| wrong(Some(tr!("cell-text-21")))),
        Type::Period => period_cell(s, path),
        Type::Enum(e) => {
            let variants = &program.enums[e.index()].variants;
            match variants.iter().position(|v| v == s) {
                Some(i) => Ok(Value::Enum(*e, i as u32)),
                None => Err(CaseError::new(
                    "pol::case::variant",
                    path,
                    tr!(
                        "cell-text-22",
                        s = s.to_string(),
                        index = (program.enums[e.index()].name).to_string()
                    ),
                )
                .help(
                    match crate::check::suggest::did_you_mean(
                        s,
                        variants.iter().map(String::as_str),
                    ) {
                        Some(v) => tr!("cell-text-23", v = v.to_string()),
                        None => tr!("cell-text-24", variants = (variants.join(", ")).to_string()),
                    },
                )),
            }
        }
        // 是/否, as a spreadsheet kept in Chinese writes yes and no.
        Type::Bool => match s.trim() {
            "true" | "1" | "是" => Ok(Value::Bool(true)),
            "false" | "0" | "否" => Ok(Value::Bool(false)),
            _ => Err(wrong(Some(tr!("cell-text-25")))),
        },
        Type::Int => s
            .trim()
            .parse::<i64>()
            .map(Value::Int)
            .map_err(|_| wrong(None)),
        Type::Decimal => parse_decimal(s)
            .map(Value::Decimal)
            .ok_or_else(|| wrong(None)),
        Type::Money => money(s, path, &Json::String(s.to_string())),
        Type::Text => Ok(Value::Text(Arc::from(s))),
        Type::Record(_) | Type::List(_) | Type::Set(_) | Type::Nothing | Type::Error => {
            Err(wrong(None))
        }
    }
}

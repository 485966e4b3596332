//! Reading a case: JSON (and text cells, for batches) checked against the
//! declared inputs. A value of the wrong type is an error that names its
//! path and what was expected; nothing is guessed.

pub(crate) use super::cell::parse_decimal;
pub use super::cell::{CaseError, expected, text_cell};
use super::cell::{Read, money, shown};
use super::{Case, ErrorKind, EvalError, Value};
use crate::check::ir::Program;
use crate::check::ir::{Fact, FactRange, InputId};
use crate::i18n::tr;
use crate::lang::types::Type;
use crate::syntax::ast::Literal;
use serde_json::Value as Json;
use std::fmt;
use std::sync::Arc;

/// The case of JSON text in its plain form, read straight into values
/// (`None`: read it with [`from_json_text`], which says what is wrong).
pub fn plain_case(program: &Program, text: &str) -> Option<Case> {
    super::plain::case(program, text).filter(|c| check_ranges(program, c).is_ok())
}

/// Reads a case from JSON text: straight into values where the text is in
/// its plain form ([`super::plain`]), else through a JSON tree, which says
/// what is wrong.
pub fn from_json_text(program: &Program, text: &str) -> Read<Case> {
    if let Some(case) = super::plain::case(program, text) {
        check_ranges(program, &case)?;
        return Ok(case);
    }
    let json = parse_json(text)?;
    from_json(program, &json)
}

/// Parses a case's JSON text. A key given twice in one object is an error
/// that names its path: JSON parsers keep the last silently, and a case
/// must not hold a fact the user did not mean. One pass builds the value and
/// checks the keys.
pub fn parse_json(text: &str) -> Read<Json> {
    let mut de = serde_json::Deserializer::from_str(text);
    let mut path = Vec::new();
    let mut twice = None;
    let built = serde::de::DeserializeSeed::deserialize(
        Build {
            path: &mut path,
            twice: &mut twice,
        },
        &mut de,
    )
    .and_then(|json| de.end().map(|()| json));
    match (built, twice) {
        (_, Some(path)) => Err(
            CaseError::new("pol::case::duplicate", &path, tr!("case-text-1"))
                .help(tr!("case-text-2")),
        ),
        (Ok(json), None) => Ok(json),
        (Err(e), None) => {
            Err(
                CaseError::new("pol::case::json", "", tr!("case-text-3", e = e.to_string()))
                    .help(tr!("case-text-4")),
            )
        }
    }
}

/// How serde_json hands over a number kept exact (its `arbitrary_precision`
/// feature): as a map with this one key and the number's text.
const EXACT_NUMBER: &str = "$serde_json::private::Number";

/// Builds the JSON value, stopping at the first key given twice in an
/// object and recording its path (`hire.contract_term`,
/// `employer.hires[1].wage`).
struct Build<'p> {
    path: &'p mut Vec<String>,
    twice: &'p mut Option<String>,
}

impl Build<'_> {
    fn path_with(&self, last: &str) -> String {
        let mut out = String::new();
        for part in self.path.iter().map(String::as_str).chain([last]) {
            if !out.is_empty() && !part.starts_with('[') {
                out.push('.');
            }
            out.push_str(part);
        }
        out
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for Build<'_> {
    type Value = Json;
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<Json, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Build<'_> {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, b: bool) -> Result<Json, E> {
        Ok(Json::Bool(b))
    }
    fn visit_i64<E>(self, n: i64) -> Result<Json, E> {
        Ok(Json::Number(n.into()))
    }
    fn visit_u64<E>(self, n: u64) -> Result<Json, E> {
        Ok(Json::Number(n.into()))
    }
    fn visit_f64<E: serde::de::Error>(self, n: f64) -> Result<Json, E> {
        serde_json::Number::from_f64(n)
            .map(Json::Number)
            .ok_or_else(|| E::custom("not a finite number"))
    }
    fn visit_str<E>(self, s: &str) -> Result<Json, E> {
        Ok(Json::String(s.to_string()))
    }
    fn visit_string<E>(self, s: String) -> Result<Json, E> {
        Ok(Json::String(s))
    }
    fn visit_unit<E>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        loop {
            self.path.push(format!("[{}]", items.len()));
            let item = seq.next_element_seed(Build {
                path: self.path,
                twice: self.twice,
            });
            self.path.pop();
            match item? {
                Some(v) => items.push(v),
                None => return Ok(Json::Array(items)),
            }
        }
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut out = serde_json::Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if out.is_empty() && key == EXACT_NUMBER {
                let text: String = map.next_value()?;
                return text
                    .parse::<serde_json::Number>()
                    .map(Json::Number)
                    .map_err(serde::de::Error::custom);
            }
            if out.contains_key(&key) {
                *self.twice = Some(self.path_with(&key));
                return Err(serde::de::Error::custom("a key given twice"));
            }
            self.path.push(key);
            let value = map.next_value_seed(Build {
                path: self.path,
                twice: self.twice,
            });
            let key = self.path.pop().unwrap_or_default();
            out.insert(key, value?);
        }
        Ok(Json::Object(out))
    }
}

/// Reads a case from a parsed JSON object.
pub fn from_json(program: &Program, json: &Json) -> Read<Case> {
    let Json::Object(fields) = json else {
        return Err(CaseError::new(
            "pol::case::not_object",
            "",
            tr!("case-text-5", json = (json_kind(json)).to_string()),
        )
        .help(tr!("case-text-6")));
    };
    let mut case = Case::empty(program);
    for (key, value) in fields {
        if key == "today" {
            if !value.is_null() {
                let Value::Date(d) = read(program, &Type::Date, value, "today")? else {
                    unreachable!("a date reads as a date")
                };
                case.today = Some(d);
            }
            continue;
        }
        let Some(i) = program.inputs.iter().position(|inp| inp.name == *key) else {
            return Err(unknown_key(
                key,
                program.inputs.iter().map(|i| i.name.as_str()),
                "",
                "input",
            ));
        };
        case.inputs[i] = read(program, &program.inputs[i].ty, value, key)?;
    }
    check_ranges(program, &case)?;
    Ok(case)
}

/// Every fact of the case within the range its declaration gives it
/// (`si_months: int >= 0`); the first outside is an error that names its
/// path. A fact not given is in every range.
pub fn check_ranges(program: &Program, case: &Case) -> Read<()> {
    let ranged = program.inputs.iter().any(|i| i.range.is_some())
        || program
            .records
            .iter()
            .any(|r| r.fields.iter().any(|f| f.range.is_some()));
    if !ranged {
        return Ok(());
    }
    for (info, v) in program.inputs.iter().zip(&case.inputs) {
        check_value(
            program,
            &info.ty,
            info.range.as_ref(),
            &info.name,
            v,
            &info.name,
        )?;
    }
    Ok(())
}

fn check_value(
    program: &Program,
    ty: &Type,
    range: Option<&FactRange>,
    name: &str,
    v: &Value,
    path: &str,
) -> Read<()> {
    if let Some(r) = range
        && !value_in_range(v, r)
    {
        return Err(CaseError::new(
            "pol::case::range",
            path,
            tr!(
                "case-range",
                value = v.show(program).to_string(),
                range = &r.written
            ),
        )
        .help(tr!(
            "case-range-help",
            fact = format!("{name}: {}", program.show(ty)),
            range = &r.written
        )));
    }
    match (ty, v) {
        (Type::Record(r), Value::Record(_, values)) if bounds_inside(program, ty, 0) => {
            for (f, fv) in program.records[r.index()].fields.iter().zip(values.iter()) {
                let at = format!("{path}.{}", f.name);
                check_value(program, &f.ty, f.range.as_ref(), &f.name, fv, &at)?;
            }
        }
        (Type::List(item), Value::List(items)) if bounds_inside(program, item, 0) => {
            for (i, it) in items.iter().enumerate() {
                check_value(program, item, None, name, it, &format!("{path}[{i}]"))?;
            }
        }
        _ => {}
    }
    Ok(())
}

/// Whether a value of type `ty` has parts with ranges of their own.
fn bounds_inside(program: &Program, ty: &Type, depth: usize) -> bool {
    // Records nest as deep as their declarations, which the checker
    // bounds; the depth only guards a record that holds a list of itself.
    if depth > 64 {
        return true;
    }
    match ty {
        Type::Record(r) => program.records[r.index()]
            .fields
            .iter()
            .any(|f| f.range.is_some() || bounds_inside(program, &f.ty, depth + 1)),
        Type::List(item) => bounds_inside(program, item, depth + 1),
        _ => false,
    }
}

/// Whether a value is in a range; an unknown value is in every range.
pub fn value_in_range(v: &Value, range: &FactRange) -> bool {
    let literal = match v {
        Value::Int(n) => Literal::Int(*n),
        Value::Decimal(d) => Literal::Decimal(*d),
        Value::Money(m) => Literal::Money(*m),
        Value::Date(d) => Literal::Date(*d),
        _ => return true,
    };
    crate::check::literal_in_range(&literal, range)
}

fn unknown_key<'a>(
    key: &str,
    names: impl Iterator<Item = &'a str> + Clone,
    parent: &str,
    what: &str,
) -> CaseError {
    let path = if parent.is_empty() {
        key.to_string()
    } else {
        format!("{parent}.{key}")
    };
    let help = match crate::check::suggest::did_you_mean(key, names.clone()) {
        Some(s) => tr!("case-text-7", s = s.to_string()),
        None => {
            let all: Vec<&str> = names.collect();
            if all.is_empty() {
                tr!("case-text-8", what = what.to_string())
            } else {
                format!("the {what}s are: {}", all.join(", "))
            }
        }
    };
    CaseError::new(
        "pol::case::unknown_field",
        &path,
        tr!(
            "case-text-9",
            what = what.to_string(),
            key = key.to_string()
        ),
    )
    .help(help)
}

fn json_kind(json: &Json) -> String {
    match json {
        Json::Null => "null".to_string(),
        Json::Bool(_) => tr!("case-json-bool"),
        Json::Number(_) => tr!("case-json-number"),
        Json::String(_) => tr!("case-json-text"),
        Json::Array(_) => tr!("case-json-list"),
        Json::Object(_) => tr!("case-text-10"),
    }
}

/// Reads the value of a fact of type `ty` at `path`. `null` is a fact not
/// given.
pub fn read(program: &Program, ty: &Type, json: &Json, path: &str) -> Read<Value> {
    if json.is_null() {
        return Ok(Value::missing(path));
    }
    let wrong = || {
        CaseError::new(
            "pol::case::type",
            path,
            format!("expected {}, got {}", expected(program, ty), shown(json)),
        )
    };
    match (ty, json) {
        (Type::Bool, Json::Bool(b)) => Ok(Value::Bool(*b)),
        (Type::Int, Json::Number(n)) => {
            let text = n.to_string();
            text.parse::<i64>().map(Value::Int).map_err(|_| {
                if text.contains(['.', 'e', 'E']) {
                    wrong().help(tr!("case-text-11"))
                } else {
                    wrong().help(tr!("case-text-12"))
                }
            })
        }
        (Type::Decimal, Json::Number(n)) => parse_decimal(&n.to_string())
            .ok_or_else(wrong)
            .map(Value::Decimal),
        (Type::Decimal, Json::String(s)) => parse_decimal(s).ok_or_else(wrong).map(Value::Decimal),
        (Type::Money, Json::Number(n)) => money(&n.to_string(), path, json),
        (Type::Money, Json::String(s)) => money(s, path, json),
        (Type::Text, Json::String(s)) => Ok(Value::Text(Arc::from(s.as_str()))),
        (Type::List(t), Json::Array(items)) => {
            let values = items
                .iter()
                .enumerate()
                .map(|(i, item)| read(program, t, item, &format!("{path}[{i}]")))
                .collect::<Read<Vec<_>>>()?;
            Ok(Value::List(values.into()))
        }
        (Type::Record(r), Json::Object(fields)) => {
            let record = &program.records[r.index()];
            let mut values: Vec<Value> = record
                .fields
                .iter()
                .map(|f| Value::missing(format!("{path}.{}", f.name)))
                .collect();
            for (key, value) in fields {
                let Some(i) = record.fields.iter().position(|f| f.name == *key) else {
                    return Err(unknown_key(
                        key,
                        record.fields.iter().map(|f| f.name.as_str()),
                        path,
                        "field",
                    ));
                };
                values[i] = read(
                    program,
                    &record.fields[i].ty,
                    value,
                    &format!("{path}.{key}"),
                )?;
            }
            Ok(Value::Record(*r, values.into()))
        }
        (Type::Date | Type::Duration | Type::Period | Type::Enum(_), Json::String(s)) => {
            text_cell(program, ty, s, path)
        }
        (Type::Int, Json::String(s)) if s.trim().parse::<i64>().is_ok() => {
            Err(wrong().help(tr!("case-text-13", trim = (s.trim()).to_string())))
        }
        (Type::Bool, Json::String(s)) if matches!(s.as_str(), "true" | "false") => {
            Err(wrong().help(tr!("case-text-14", s = s.to_string())))
        }
        _ => Err(wrong()),
    }
}

/// Sets a fact of a case (a test's, or one typed at the REPL). A fact on
/// an item of a list (`employer.hires[1].wage`) needs that item in the case.
pub fn set_fact(
    program: &Program,
    case: &mut Case,
    fact: &Fact,
    value: Value,
) -> Result<(), EvalError> {
    set_at(program, case, fact.input, &fact.fields, value)
        .map_err(|e| EvalError::new(ErrorKind::NoItem, fact.span, e.message).help(e.help))?;
    check_ranges(program, case).map_err(|e| {
        let error = EvalError::new(
            ErrorKind::Range,
            fact.span,
            CaseError {
                help: None,
                ..e.clone()
            }
            .to_string(),
        );
        match e.help {
            Some(h) => error.help(h),
            None => error,
        }
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
    pub const CODE: &'static str = ErrorKind::NoItem.code();
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

/// Sets the part at `steps` of `slot` (of type `ty`, at `path`), making
/// every record on the way.
pub(crate) fn set_in(
    program: &Program,
    slot: &mut Value,
    ty: &Type,
    path: &str,
    steps: &[usize],
    value: Value,
) -> Result<(), NoItem> {
    set_path(program, slot, ty, path, steps, value)
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
                    message: tr!(
                        "case-text-15",
                        path = path.to_string(),
                        first = first.to_string()
                    ),
                    help: tr!("case-text-16", path = path.to_string()),
                });
            };
            if first >= items.len() {
                let n = items.len();
                return Err(NoItem {
                    message: tr!(
                        "case-text-17",
                        path = path.to_string(),
                        n = n,
                        first = first.to_string()
                    ),
                    help: match n {
                        0 => tr!("case-text-18", path = path.to_string()),
                        1 => tr!("case-text-19"),
                        n => tr!("case-text-20", n = (n - 1).to_string()),
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
            message: tr!(
                "case-text-21",
                path = path.to_string(),
                first = first.to_string()
            ),
            help: tr!("eval-internal-help"),
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

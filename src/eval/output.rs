//! Writing results: the JSON of LANGUAGE.md §6, and aligned text for people.

use super::{ClauseId, EvalError, Outcome, Plan, Value};
use crate::check::ir::Program;
use crate::i18n::tr;
use crate::lang::scalar::{Date, format_decimal, format_money};
use serde_json::{Map, Number, Value as Json};

/// A value as §6 writes it: money `"1000.00"`, a decimal in its shortest
/// form, an int a number, a duration `"N months"`…
pub fn to_json(program: &Program, value: &Value) -> Json {
    match value {
        Value::Bool(b) => Json::Bool(*b),
        Value::Int(n) => Json::Number(Number::from(*n)),
        Value::Decimal(d) => Json::String(format_decimal(*d)),
        Value::Money(m) => Json::String(format_money(*m)),
        Value::Date(d) => Json::String(d.to_string()),
        Value::Period(p) => Json::String(p.to_string()),
        Value::Duration(d) => Json::String(d.to_string()),
        Value::Text(t) => Json::String(t.to_string()),
        Value::Enum(e, v) => Json::String(program.enums[e.index()].variants[*v as usize].clone()),
        Value::Record(r, fields) => {
            let names = &program.records[r.index()].fields;
            let mut map = Map::new();
            for (name, v) in names.iter().zip(fields.iter()) {
                if !v.is_unknown() {
                    map.insert(name.name.clone(), to_json(program, v));
                }
            }
            Json::Object(map)
        }
        Value::List(items) => Json::Array(items.iter().map(|v| to_json(program, v)).collect()),
        Value::Unknown(_) => Json::Null,
    }
}

/// Appends a value as [`to_json`] gives it, written as JSON text, without
/// building the JSON value for the values batches write most.
pub fn push_json(out: &mut String, program: &Program, value: &Value) {
    match value {
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => crate::lang::scalar::push_int(out, *n),
        Value::Money(m) => {
            out.push('"');
            crate::lang::scalar::push_fen(out, crate::lang::scalar::fen_of(*m));
            out.push('"');
        }
        other => out.push_str(&to_json(program, other).to_string()),
    }
}

/// One row of a JSONL batch, as the object of [`results_json`] with the
/// row's number first: `{"row": N, "today": …, "results": {…},
/// "undetermined": {…}}`, and `"errors"` when a result failed. `keys` are
/// the results' names, written as JSON strings.
pub fn push_json_row<'v>(
    out: &mut String,
    plan: &Plan,
    number: u64,
    today: Option<Date>,
    keys: &[String],
    outcomes: impl Iterator<Item = std::borrow::Cow<'v, Outcome>> + Clone,
) {
    use std::fmt::Write;
    let program = plan.program();
    out.push_str("{\"row\":");
    crate::lang::scalar::push_int(out, number as i64);
    out.push_str(",\"today\":");
    match today {
        Some(d) => {
            let _ = write!(out, "\"{d}\"");
        }
        None => out.push_str("null"),
    }
    let section = |out: &mut String, name: &str, pick: &dyn Fn(&mut String, &Outcome) -> bool| {
        let _ = write!(out, ",\"{name}\":{{");
        let mut first = true;
        for (key, outcome) in keys.iter().zip(outcomes.clone()) {
            let at = out.len();
            if !first {
                out.push(',');
            }
            out.push_str(key);
            out.push(':');
            if pick(out, &outcome) {
                first = false;
            } else {
                out.truncate(at);
            }
        }
        out.push('}');
    };
    section(out, "results", &|out, o| match o {
        Ok(Value::Unknown(_)) | Err(_) => false,
        Ok(v) => {
            push_json(out, program, v);
            true
        }
    });
    section(out, "undetermined", &|out, o| match o {
        Ok(Value::Unknown(m)) => {
            let paths = Json::Array(m.paths.iter().map(|p| Json::String(p.clone())).collect());
            out.push_str(&paths.to_string());
            true
        }
        _ => false,
    });
    if outcomes.clone().any(|o| o.is_err()) {
        section(out, "errors", &|out, o| match o {
            Err(e) => {
                out.push_str(&error_object(plan, e).to_string());
                true
            }
            Ok(_) => false,
        });
    }
    out.push_str("}\n");
}

/// `{"today": …, "results": {…}, "undetermined": {…}}`, and `"errors": {…}`
/// when a result failed (an object `{code, message}` per result, the
/// message naming the place).
pub fn results_json(plan: &Plan, today: Option<Date>, results: &[(String, Outcome)]) -> Json {
    let program = plan.program();
    let mut determined = Map::new();
    let mut undetermined = Map::new();
    let mut errors = Map::new();
    for (key, outcome) in results {
        match outcome {
            Err(e) => {
                errors.insert(key.clone(), error_object(plan, e));
            }
            Ok(Value::Unknown(m)) => {
                undetermined.insert(
                    key.clone(),
                    Json::Array(m.paths.iter().map(|p| Json::String(p.clone())).collect()),
                );
            }
            Ok(v) => {
                determined.insert(key.clone(), to_json(program, v));
            }
        }
    }
    let mut out = Map::new();
    out.insert(
        "today".into(),
        today.map_or(Json::Null, |d| Json::String(d.to_string())),
    );
    out.insert("results".into(), Json::Object(determined));
    out.insert("undetermined".into(), Json::Object(undetermined));
    if !errors.is_empty() {
        out.insert("errors".into(), Json::Object(errors));
    }
    Json::Object(out)
}

/// `{"code": …, "message": …}` of an evaluation error, the message naming
/// the place.
fn error_object(plan: &Plan, e: &EvalError) -> Json {
    let place = plan.checked().sources().place(e.span);
    let mut inner = Map::new();
    inner.insert("code".into(), Json::String(e.code.to_string()));
    inner.insert(
        "message".into(),
        Json::String(format!("{} (at {place})", e.message)),
    );
    Json::Object(inner)
}

/// The evaluation errors of some results, each once (several results may
/// need the same failing value), in the order first met.
pub fn distinct_errors<'r>(results: impl IntoIterator<Item = &'r Outcome>) -> Vec<&'r EvalError> {
    let mut out: Vec<&EvalError> = Vec::new();
    for r in results {
        if let Err(e) = r
            && !out
                .iter()
                .any(|o| o.code == e.code && o.message == e.message && o.span.same_place(&e.span))
        {
            out.push(e);
        }
    }
    out
}

/// `{"error": {"code": …, "message": …}}`
pub fn error_json(code: &str, message: &str) -> Json {
    let mut inner = Map::new();
    inner.insert("code".into(), Json::String(code.to_string()));
    inner.insert("message".into(), Json::String(message.to_string()));
    let mut out = Map::new();
    out.insert("error".into(), Json::Object(inner));
    Json::Object(out)
}

/// The error object of an evaluation error, with its place in the message.
pub fn eval_error_json(plan: &Plan, e: &EvalError) -> Json {
    let mut out = Map::new();
    out.insert("error".into(), error_object(plan, e));
    Json::Object(out)
}

/// Results for people: one block per clause, with its label, values
/// aligned. Clauses the case cannot decide at all (every result
/// undetermined) come last, a line each with the facts they need: a package
/// covers many situations and a case only one, and they would otherwise bury
/// the results the case does decide.
pub fn results_text(plan: &Plan, today: Option<Date>, results: &[(String, Outcome)]) -> String {
    let program = plan.program();
    let mut out = String::new();
    match today {
        Some(d) => out.push_str(&tr!("explain-on", date = d.to_string())),
        None => out.push_str(&tr!("explain-no-date")),
    }
    out.push('\n');
    // Names line up within each clause's block.
    let width_of = |clause| {
        plan.results
            .iter()
            .filter(|s| s.clause == clause)
            .map(|s| {
                s.key
                    .split_once('.')
                    .map_or(0, |(_, n)| crate::source::display_width(n))
            })
            .max()
            .unwrap_or(0)
    };
    let slots: Vec<_> = plan.results.iter().zip(results).collect();
    // The clauses with at least one determined result.
    let decided: std::collections::HashSet<ClauseId> = slots
        .iter()
        .filter(|(_, (_, v))| !matches!(v, Ok(Value::Unknown(_))))
        .map(|(s, _)| s.clause)
        .collect();
    let mut current = None;
    let mut width = 0;
    let mut summary: Vec<(ClauseId, std::collections::BTreeSet<&str>)> = Vec::new();
    for &(slot, (_, value)) in &slots {
        if !decided.contains(&slot.clause) {
            if let Ok(Value::Unknown(m)) = value {
                let needs = m.paths.iter().map(String::as_str);
                match summary.iter_mut().find(|(c, _)| *c == slot.clause) {
                    Some((_, paths)) => paths.extend(needs),
                    None => summary.push((slot.clause, needs.collect())),
                }
            }
            continue;
        }
        if current != Some(slot.clause) {
            current = Some(slot.clause);
            width = width_of(slot.clause);
            let clause = &program.clauses[slot.clause.index()];
            out.push('\n');
            match &clause.label {
                Some(l) => out.push_str(&format!("{}  {l}\n", clause.name)),
                None => out.push_str(&format!("{}\n", clause.name)),
            }
        }
        let name = slot
            .key
            .split_once('.')
            .map_or(slot.key.as_str(), |(_, n)| n);
        let shown = match value {
            Err(e) => tr!(
                "result-error",
                code = e.code,
                message = &e.message,
                place = plan.checked().sources().place(e.span)
            ),
            Ok(Value::Bool(true)) if name == "eligible" => tr!("result-eligible-yes"),
            Ok(Value::Bool(false)) if name == "eligible" => tr!("result-eligible-no"),
            Ok(Value::Unknown(m)) => tr!(
                "result-undetermined",
                needs = m.paths.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            Ok(v) => v.show(program).to_string(),
        };
        let pad = width.saturating_sub(crate::source::display_width(name));
        out.push_str(&format!("  {name}{}  {shown}\n", " ".repeat(pad)));
    }
    if !summary.is_empty() {
        out.push('\n');
        out.push_str(&tr!("result-undetermined-clauses", count = summary.len()));
        out.push('\n');
        for (clause, needs) in &summary {
            let clause = &program.clauses[clause.index()];
            let needs = needs.iter().copied().collect::<Vec<_>>().join(", ");
            let name = match &clause.label {
                Some(l) => format!("{}  {l}", clause.name),
                None => clause.name.clone(),
            };
            out.push_str("  ");
            out.push_str(&tr!("result-clause-needs", clause = name, needs = needs));
            out.push('\n');
        }
    }
    out
}

//! What the endpoints of `pol serve` compute, apart from HTTP: the spec of
//! a package, one case evaluated (and explained), a what-if, a batch. Each
//! answer is the JSON the CLI gives for the same request; each failure is
//! an [`ApiError`] with the HTTP status it deserves.

use crate::check::Checked;
use crate::check::ir::Program;
use crate::eval::output::to_json;
use crate::eval::{Case, Evaluation, Plan, Value, case as case_reader};
use crate::i18n::tr;
use crate::lang::scalar::Date;
use crate::lang::types::Type;
use serde_json::{Map, Value as Json, json};

/// An error answer: `{"error": {"code", "message", "path"}}` with a status.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiError {
    pub status: u16,
    pub code: String,
    pub message: String,
    pub path: Option<String>,
}

impl ApiError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> ApiError {
        ApiError {
            status,
            code: code.to_string(),
            message: message.into(),
            path: None,
        }
    }

    pub fn json(&self) -> Json {
        let mut e = Map::new();
        e.insert("code".into(), json!(self.code));
        e.insert("message".into(), json!(self.message));
        if let Some(p) = &self.path {
            e.insert("path".into(), json!(p));
        }
        json!({ "error": e })
    }

    /// A case that cannot be read: 400 for text that is no JSON object,
    /// 422 for a JSON case whose facts are wrong.
    fn of_case(e: case_reader::CaseError) -> ApiError {
        let status = match e.code {
            "pol::case::json" | "pol::case::not_object" => 400,
            _ => 422,
        };
        // The message with its help, on one line.
        let message = e.to_string().replace("\n  help: ", " — help: ");
        ApiError {
            status,
            code: e.code.to_string(),
            message,
            path: (!e.path.is_empty()).then_some(e.path),
        }
    }
}

/// The query of an evaluation: `?on=DATE&results=A,B&explain=true`.
#[derive(Debug, Default, Clone)]
pub struct Query {
    pub on: Option<Date>,
    pub results: Option<Vec<String>>,
    pub explain: bool,
}

impl Query {
    /// Reads the query's pairs; an unknown parameter or a bad value is a 400.
    pub fn parse(pairs: &[(String, String)]) -> Result<Query, ApiError> {
        let mut q = Query::default();
        for (k, v) in pairs {
            match k.as_str() {
                "on" => {
                    q.on = Some(Date::parse(v).ok_or_else(|| {
                        ApiError::new(
                            400,
                            "pol::serve::query",
                            format!("?on={v}: {}", crate::lang::scalar::date_problem(v)),
                        )
                    })?)
                }
                "results" => {
                    q.results = Some(
                        v.split(',')
                            .map(str::trim)
                            .filter(|s| !s.is_empty())
                            .map(str::to_string)
                            .collect(),
                    )
                }
                "explain" => {
                    q.explain = match v.as_str() {
                        "" | "true" | "1" | "yes" => true,
                        "false" | "0" | "no" => false,
                        _ => {
                            return Err(ApiError::new(
                                400,
                                "pol::serve::query",
                                tr!("serve-api-1", v = v.to_string()),
                            ));
                        }
                    }
                }
                other => {
                    return Err(ApiError::new(
                        400,
                        "pol::serve::query",
                        tr!("serve-api-2", other = other.to_string()),
                    ));
                }
            }
        }
        Ok(q)
    }

    /// The plan of the results asked for; an unknown name is a 404.
    fn plan<'c>(&self, checked: &'c Checked) -> Result<Plan<'c>, ApiError> {
        let plan = Plan::new(checked);
        match &self.results {
            None => Ok(plan),
            Some(names) => plan
                .select(names)
                .map_err(|e| ApiError::new(404, "pol::serve::no_result", e)),
        }
    }
}

/// A type as the spec shows it.
pub fn type_json(program: &Program, ty: &Type) -> Json {
    match ty {
        Type::Bool => json!({"kind": "bool"}),
        Type::Int => json!({"kind": "int"}),
        Type::Decimal => json!({"kind": "decimal"}),
        Type::Money => json!({"kind": "money"}),
        Type::Date => json!({"kind": "date"}),
        Type::Duration => json!({"kind": "duration"}),
        Type::Period => json!({"kind": "period"}),
        Type::Text => json!({"kind": "text"}),
        Type::Enum(e) => json!({"kind": "enum", "enum": program.enums[e.index()].name}),
        Type::Record(r) => json!({"kind": "record", "record": program.records[r.index()].name}),
        Type::List(t) => json!({"kind": "list", "of": type_json(program, t)}),
        other => json!({"kind": program.show(other).to_string()}),
    }
}

/// `GET /api/spec`: what a client needs to build a form and read answers.
pub fn spec(checked: &Checked) -> Json {
    let program = checked.program();
    let empty = Case::empty(program);
    // A fact's default, as a case would give it (absent: none).
    let default = |d: &Option<crate::check::ir::TExpr>| {
        d.as_ref()
            .and_then(|d| Evaluation::new(program, &empty).value_of(d).ok())
            .map(|v| to_json(program, &v))
    };
    let params: Vec<Json> = program
        .params
        .iter()
        .map(|p| {
            let values: Vec<Json> = p
                .values
                .iter()
                .map(|(from, e)| {
                    let v = Evaluation::new(program, &empty)
                        .value_of(e)
                        .map(|v| to_json(program, &v))
                        .unwrap_or(Json::Null);
                    json!({"from": from.to_string(), "value": v})
                })
                .collect();
            json!({"name": p.name, "label": p.label, "type": type_json(program, &p.ty), "values": values})
        })
        .collect();
    let plan = Plan::new(checked);
    let clauses: Vec<Json> = program
        .clauses
        .iter()
        .map(|c| {
            let results: Vec<&str> = plan
                .results
                .iter()
                .filter(|s| s.key.split_once('.').is_some_and(|(k, _)| k == c.name))
                .map(|s| s.key.as_str())
                .collect();
            let in_force = c
                .in_force
                .as_ref()
                .map(|f| json!({"from": f.from.to_string(), "to": f.to.map(|d| d.to_string())}));
            json!({
                "name": c.name,
                "label": c.label,
                "quotes": c.quotes,
                "in_force": in_force,
                "per_subject": c.subject.is_some(),
                "results": results,
            })
        })
        .collect();
    json!({
        "policy": program.policy.as_ref().map(|p| json!({
            "title": p.title,
            "issued": p.issued.map(|d| d.to_string()),
            "source": p.source,
        })),
        "inputs": program.inputs.iter().map(|i| json!({
            "name": i.name, "label": i.label, "type": type_json(program, &i.ty),
            "default": default(&i.default),
            "range": i.range.as_ref().map(|r| &r.written),
        })).collect::<Vec<_>>(),
        "records": program.records.iter().map(|r| json!({
            "name": r.name,
            "fields": r.fields.iter().map(|f| json!({
                "name": f.name, "label": f.label, "type": type_json(program, &f.ty),
                "default": default(&f.default),
                "range": f.range.as_ref().map(|r| &r.written),
            })).collect::<Vec<_>>(),
        })).collect::<Vec<_>>(),
        "enums": program.enums.iter().map(|e| json!({"name": e.name, "variants": e.variants})).collect::<Vec<_>>(),
        "parameters": params,
        "clauses": clauses,
    })
}

/// Reads a case from a request body (`--case` JSON).
pub fn read_case(program: &Program, body: &[u8]) -> Result<Case, ApiError> {
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::new(400, "pol::serve::utf8", tr!("serve-api-3")))?;
    case_reader::from_json_text(program, text).map_err(ApiError::of_case)
}

/// `POST /api/evaluate`: the JSON of `pol eval --format json`, with the
/// explanation trees of `--explain --format json` under `"explanations"`
/// when asked.
pub fn evaluate(checked: &Checked, body: &[u8], query: &Query) -> Result<Json, ApiError> {
    let plan = query.plan(checked)?;
    let mut case = read_case(checked.program(), body)?;
    if query.on.is_some() {
        case.today = query.on;
    }
    let results = plan.evaluate(&case);
    let mut out = crate::eval::output::results_json(&plan, case.today, &results);
    if query.explain {
        match crate::explain::explain(&plan, &case, None) {
            Ok(Some(e)) => {
                let trees = crate::explain::render::json(plan.program(), case.today, &e);
                if let (Json::Object(o), Json::Object(t)) = (&mut out, trees) {
                    o.insert(
                        "explanations".into(),
                        t.get("explanations").cloned().unwrap_or(Json::Null),
                    );
                }
            }
            Ok(None) => {}
            Err(e) => {
                return Err(ApiError::new(
                    422,
                    e.code,
                    format!("{} (at {})", e.message, checked.sources().place(e.span)),
                ));
            }
        }
    }
    Ok(out)
}

/// A fact path as tests and the REPL write it: `hire.contract_term`,
/// `employer.hires[1].graduate`.
fn path_steps(path: &str) -> Option<Vec<Result<String, usize>>> {
    let mut steps = Vec::new();
    for part in path.split('.') {
        let (name, rest) = part.split_once('[').map_or((part, ""), |(n, r)| (n, r));
        let name = name.trim();
        if name.is_empty() || !name.chars().all(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        steps.push(Ok(name.to_string()));
        let mut rest = rest;
        while !rest.is_empty() {
            let (index, after) = rest.split_once(']')?;
            steps.push(Err(index.trim().parse().ok()?));
            rest = after.strip_prefix('[').unwrap_or(after);
            if !after.is_empty() && !after.starts_with('[') {
                return None;
            }
        }
    }
    Some(steps)
}

/// Sets `value` at `path` in a case's JSON, making the records on the way;
/// an item of a list must exist.
fn set_json(case: &mut Json, path: &str, value: Json) -> Result<(), ApiError> {
    let bad = |m: String| ApiError {
        status: 422,
        code: "pol::serve::path".into(),
        message: m,
        path: Some(path.to_string()),
    };
    let steps = path_steps(path).ok_or_else(|| bad(tr!("serve-api-4", path = path.to_string())))?;
    let mut at = case;
    for (i, step) in steps.iter().enumerate() {
        let last = i + 1 == steps.len();
        match step {
            Ok(name) => {
                if !at.is_object() {
                    *at = Json::Object(Map::new());
                }
                let Json::Object(m) = at else {
                    unreachable!("made an object")
                };
                if last {
                    m.insert(name.clone(), value);
                    return Ok(());
                }
                at = m.entry(name.clone()).or_insert(Json::Null);
            }
            Err(index) => {
                let Json::Array(items) = at else {
                    return Err(bad(tr!(
                        "serve-api-5",
                        path = path.to_string(),
                        index = index.to_string()
                    )));
                };
                let n = items.len();
                let Some(item) = items.get_mut(*index) else {
                    return Err(bad(tr!(
                        "serve-api-6",
                        path = path.to_string(),
                        n = n.to_string()
                    )));
                };
                if last {
                    *item = value;
                    return Ok(());
                }
                at = item;
            }
        }
    }
    Ok(())
}

/// The JSON of a case, as `--case` reads it.
fn case_json(program: &Program, case: &Case) -> Json {
    let mut m = Map::new();
    if let Some(d) = case.today {
        m.insert("today".into(), json!(d.to_string()));
    }
    for (input, v) in program.inputs.iter().zip(&case.inputs) {
        if !v.is_unknown() {
            m.insert(input.name.clone(), to_json(program, v));
        }
    }
    Json::Object(m)
}

/// `POST /api/whatif`: `{"case": {…}, "changes": {PATH: VALUE, …}}`, each
/// value written as the case's JSON writes it (`"6 months"`, `true`, `null`
/// to make a fact unknown). The answer is every result that changed, with
/// its value before and after, as the REPL's `:diff` lists them.
pub fn whatif(checked: &Checked, body: &[u8], query: &Query) -> Result<Json, ApiError> {
    let program = checked.program();
    let text = std::str::from_utf8(body)
        .map_err(|_| ApiError::new(400, "pol::serve::utf8", tr!("serve-api-7")))?;
    let request = case_reader::parse_json(text).map_err(ApiError::of_case)?;
    let Json::Object(mut request) = request else {
        return Err(ApiError::new(
            400,
            "pol::serve::whatif",
            "write {\"case\": {…}, \"changes\": {\"hire.contract_term\": \"6 months\"}}",
        ));
    };
    let case_value = request.remove("case").unwrap_or(Json::Object(Map::new()));
    let changes = match request.remove("changes") {
        Some(Json::Object(c)) => c,
        _ => {
            return Err(ApiError::new(400, "pol::serve::whatif", tr!("serve-api-8")));
        }
    };
    if let Some(k) = request.keys().next() {
        return Err(ApiError::new(
            400,
            "pol::serve::whatif",
            tr!("serve-api-9", k = k.to_string()),
        ));
    }
    let plan = query.plan(checked)?;
    let mut before = case_reader::from_json(program, &case_value).map_err(ApiError::of_case)?;
    if query.on.is_some() {
        before.today = query.on;
    }
    // The case as read (values normalised), then each change on its JSON.
    let mut changed = case_json(program, &before);
    for (path, value) in changes {
        if path == "today" {
            return Err(ApiError::new(422, "pol::serve::path", tr!("serve-api-10")));
        }
        set_json(&mut changed, &path, value)?;
    }
    let after = case_reader::from_json(program, &changed).map_err(ApiError::of_case)?;
    let a = plan.evaluate(&before);
    let b = plan.evaluate(&after);
    let show = |o: &crate::eval::Outcome| match o {
        Ok(Value::Unknown(m)) => json!({"undetermined": m.paths.iter().collect::<Vec<_>>()}),
        Ok(v) => to_json(program, v),
        Err(e) => json!({"error": {"code": e.code, "message": e.message}}),
    };
    let mut diffs = Vec::new();
    for ((key, x), (_, y)) in a.iter().zip(&b) {
        if show(x) != show(y) {
            diffs.push(json!({"result": key, "before": show(x), "after": show(y)}));
        }
    }
    Ok(json!({
        "today": after.today.map(|d| d.to_string()),
        "case": changed,
        "changed": diffs,
    }))
}

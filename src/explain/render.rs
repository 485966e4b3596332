//! Renderings of an explanation tree: text for people, JSON for programs.
//! Both read the same tree; neither computes anything.

use super::{Explanation, Kind, Node, Outcome};
use crate::check::ir::Program;
use crate::eval::Value;
use crate::eval::output::to_json;
use crate::i18n::tr;
use crate::lang::scalar::Date;
use serde_json::{Map, Value as Json, json};

fn labelled(name: &str, label: &Option<String>) -> String {
    match label {
        Some(l) => format!("{name} ({l})"),
        None => name.to_string(),
    }
}

fn mark(o: Outcome) -> &'static str {
    match o {
        Outcome::Held => "✓",
        Outcome::Failed => "✗",
        Outcome::Unknown => "?",
    }
}

/// Lists longer than this are shown by their first members.
const LIST_SHOWN: usize = 5;

fn shown(program: &Program, v: &Value) -> String {
    match v {
        Value::List(items) if items.len() > LIST_SHOWN => {
            let first: Vec<String> = items[..LIST_SHOWN]
                .iter()
                .map(|i| shown(program, i))
                .collect();
            tr!(
                "explain-list-more",
                first = first.join(", "),
                count = items.len()
            )
        }
        Value::Unknown(m) => tr!(
            "explain-undetermined-needs",
            needs = m.paths.iter().cloned().collect::<Vec<_>>().join(", ")
        ),
        v => v.show(program).to_string(),
    }
}

/// The line of an `in force` test: the dates, the date tested, and whether
/// it lies within them.
fn in_force_line(
    program: &Program,
    dates: &str,
    on: Option<&str>,
    date: &Value,
    holds: Outcome,
) -> String {
    let tested = match (on, date) {
        (Some(e), Value::Unknown(_)) => format!("`{e}`"),
        (Some(e), d) => format!("{e} = {}", shown(program, d)),
        (None, d) => shown(program, d),
    };
    match holds {
        Outcome::Held => tr!("explain-in-force-held", dates = dates, tested = tested),
        Outcome::Failed if on.is_some() => {
            tr!("explain-in-force-failed-on", dates = dates, tested = tested)
        }
        Outcome::Failed => {
            tr!("explain-in-force-failed", dates = dates, tested = tested)
        }
        Outcome::Unknown => {
            let needs = match date {
                Value::Unknown(m) => m.paths.iter().cloned().collect::<Vec<_>>().join(", "),
                _ => String::new(),
            };
            tr!(
                "explain-in-force-undetermined",
                dates = dates,
                tested = tested,
                needs = needs
            )
        }
    }
}

/// One line of text for a node (without its children).
pub(crate) fn line(program: &Program, kind: &Kind) -> String {
    match kind {
        Kind::Value { name, label, value } => {
            format!("{} = {}", labelled(name, label), shown(program, value))
        }
        Kind::Clause { name, label, .. } => match label {
            Some(l) => tr!("explain-clause-labelled", clause = name, label = l),
            None => tr!("explain-clause", clause = name),
        },
        Kind::InForce {
            dates,
            on,
            date,
            holds,
            inherited,
            ..
        } => {
            let line = in_force_line(program, dates, on.as_deref(), date, *holds);
            if *inherited {
                tr!("explain-in-force-inherited", line = line)
            } else {
                line
            }
        }
        Kind::Group { title, .. } => title.clone(),
        Kind::Condition { text, outcome } => format!("{} {text}", mark(*outcome)),
        Kind::Fact {
            path,
            label,
            value,
            default,
        } => match value {
            Value::Unknown(_) => tr!("explain-fact-not-given", fact = labelled(path, label)),
            v if *default => tr!(
                "explain-fact-default",
                fact = labelled(path, label),
                value = shown(program, v)
            ),
            v => format!("{} = {}", labelled(path, label), shown(program, v)),
        },
        Kind::Formula { steps } => {
            let one = steps.join(" = ");
            if one.chars().count() <= 100 {
                format!("= {one}")
            } else {
                steps
                    .iter()
                    .map(|s| format!("= {s}"))
                    .collect::<Vec<_>>()
                    .join("\n")
            }
        }
        Kind::Exception {
            clause,
            label,
            amendment,
            applied,
            condition,
            value,
        } => {
            let what = if *amendment {
                tr!("explain-amendment-from", clause = labelled(clause, label))
            } else {
                tr!("explain-exception-unless")
            };
            match (applied, value) {
                (Some(true), Some(v)) => tr!(
                    "explain-exception-applies",
                    what = what,
                    condition = condition,
                    value = v.show(program).to_string()
                ),
                (None, _) => tr!(
                    "explain-exception-undetermined",
                    what = what,
                    condition = condition
                ),
                _ => tr!(
                    "explain-exception-does-not-apply",
                    what = what,
                    condition = condition
                ),
            }
        }
        Kind::Parameter {
            name,
            label,
            on,
            from,
            value,
        } => tr!(
            "explain-parameter",
            parameter = labelled(name, label),
            value = value.show(program).to_string(),
            on = on.to_string(),
            from = from.to_string()
        ),
        Kind::Call {
            clause,
            subject,
            subject_path,
            member,
            value,
            ..
        } => match subject_path {
            Some(path) => format!("{clause}({path}).{member} = {}", shown(program, value)),
            None => format!(
                "{clause}({}).{member} = {}",
                subject.show(program),
                shown(program, value)
            ),
        },
        Kind::Needs { path, label, by } => {
            if by.is_empty() {
                labelled(path, label)
            } else {
                tr!(
                    "explain-needed-by",
                    fact = labelled(path, label),
                    by = by.join("; ")
                )
            }
        }
        Kind::Change {
            path,
            label,
            relation,
            written,
            current,
            ..
        } => {
            let were = match relation.as_str() {
                "" => tr!("relation-equal", value = written),
                "at least" => tr!("relation-at-least", value = written),
                "at most" => tr!("relation-at-most", value = written),
                "more than" => tr!("relation-more-than", value = written),
                "less than" => tr!("relation-less-than", value = written),
                "on or after" => tr!("relation-on-or-after", value = written),
                "on or before" => tr!("relation-on-or-before", value = written),
                other => format!("{other} {written}"),
            };
            tr!(
                "explain-would-apply-if",
                fact = labelled(path, label),
                were = were,
                current = shown(program, current)
            )
        }
        Kind::Note { text } => text.clone(),
    }
}

fn write_node(program: &Program, node: &Node, depth: usize, out: &mut String) {
    let indent = "  ".repeat(depth);
    for (i, l) in line(program, &node.kind).lines().enumerate() {
        let extra = if i > 0 { "  " } else { "" };
        out.push_str(&format!("{indent}{extra}{l}\n"));
    }
    if let Kind::Clause { quotes, .. } = &node.kind {
        for q in quotes {
            out.push_str(&format!("{indent}  “{q}”\n"));
        }
    }
    for c in &node.children {
        write_node(program, c, depth + 1, out);
    }
}

/// The explanations as text, one tree after another.
pub fn text(program: &Program, today: Option<Date>, explanations: &[Explanation]) -> String {
    let mut out = match today {
        Some(d) => tr!("explain-on", date = d.to_string()),
        None => tr!("explain-no-date"),
    };
    out.push('\n');
    for e in explanations {
        out.push('\n');
        write_node(program, &e.root, 0, &mut out);
    }
    out
}

/// Every result of a case, as text for a reader: each determined result
/// with its whole tree, then the undetermined ones, a line per clause with
/// the facts they need. A package covers many situations and a case only
/// one, so the results a case cannot decide would otherwise bury the ones it
/// does; `--explain NAME` still gives the whole tree of any one of them.
pub fn text_of_case(
    program: &Program,
    today: Option<Date>,
    explanations: &[Explanation],
) -> String {
    let undetermined = |e: &Explanation| {
        matches!(
            &e.root.kind,
            Kind::Value {
                value: Value::Unknown(_),
                ..
            }
        )
    };
    let decided: Vec<Explanation> = explanations
        .iter()
        .filter(|e| !undetermined(e))
        .cloned()
        .collect();
    let mut out = text(program, today, &decided);
    // Clause by clause, in the package's order: its undetermined results
    // and the facts that would decide them.
    let mut groups: Vec<(&str, Vec<&str>, std::collections::BTreeSet<&str>)> = Vec::new();
    for e in explanations.iter().filter(|e| undetermined(e)) {
        let Kind::Value {
            value: Value::Unknown(m),
            ..
        } = &e.root.kind
        else {
            continue;
        };
        let (clause, result) = e.key.split_once('.').unwrap_or((e.key.as_str(), ""));
        let needs = m.paths.iter().map(String::as_str);
        match groups.iter_mut().find(|g| g.0 == clause) {
            Some(g) => {
                g.1.push(result);
                g.2.extend(needs);
            }
            None => groups.push((clause, vec![result], needs.collect())),
        }
    }
    if !groups.is_empty() {
        out.push('\n');
        out.push_str(&tr!("explain-undetermined-clauses", count = groups.len()));
        out.push('\n');
        for (clause, results, needs) in &groups {
            let label = program
                .clauses
                .iter()
                .find(|c| c.name == *clause)
                .and_then(|c| c.label.as_deref());
            let name = match label {
                Some(l) => format!("{clause} 「{l}」"),
                None => (*clause).to_string(),
            };
            out.push_str("  ");
            out.push_str(&tr!(
                "explain-undetermined-clause",
                clause = name,
                results = results.join(", "),
                needs = needs.iter().copied().collect::<Vec<_>>().join(", ")
            ));
            out.push('\n');
        }
    }
    out
}

fn value_json(program: &Program, v: &Value) -> Json {
    match v {
        Value::Unknown(m) => json!({ "undetermined": m.paths.iter().collect::<Vec<_>>() }),
        v => to_json(program, v),
    }
}

fn outcome_json(o: Outcome) -> &'static str {
    match o {
        Outcome::Held => "held",
        Outcome::Failed => "failed",
        Outcome::Unknown => "undetermined",
    }
}

/// One node as JSON: `{"kind": …, fields…, "children": […]}`.
pub fn node_json(program: &Program, node: &Node) -> Json {
    let mut m = Map::new();
    let v = |x: &Value| value_json(program, x);
    let fields: Vec<(&str, Json)> = match &node.kind {
        Kind::Value { name, label, value } => vec![
            ("kind", json!("value")),
            ("name", json!(name)),
            ("label", json!(label)),
            ("value", v(value)),
        ],
        Kind::Clause {
            name,
            label,
            quotes,
        } => vec![
            ("kind", json!("clause")),
            ("name", json!(name)),
            ("label", json!(label)),
            ("quotes", json!(quotes)),
        ],
        Kind::InForce {
            from,
            to,
            on,
            date,
            holds,
            inherited,
            ..
        } => {
            let date = match date {
                Value::Date(d) => json!(d.to_string()),
                _ => Json::Null,
            };
            let holds = match holds {
                Outcome::Held => json!(true),
                Outcome::Failed => json!(false),
                Outcome::Unknown => Json::Null,
            };
            let mut fields = vec![
                ("kind", json!("in_force")),
                ("from", json!(from.to_string())),
                ("to", json!(to.map(|t| t.to_string()))),
            ];
            match on {
                // v0's field: the evaluation date.
                None => fields.push(("today", date)),
                Some(e) => {
                    fields.push(("on", json!(e)));
                    fields.push(("date", date));
                }
            }
            fields.push(("holds", holds));
            fields.push(("inherited", json!(inherited)));
            fields
        }
        Kind::Group { title, role } => vec![
            ("kind", json!("group")),
            ("role", json!(role.name())),
            ("title", json!(title)),
        ],
        Kind::Condition { text, outcome } => vec![
            ("kind", json!("condition")),
            ("text", json!(text)),
            ("outcome", json!(outcome_json(*outcome))),
        ],
        Kind::Fact {
            path,
            label,
            value,
            default,
        } => vec![
            ("kind", json!("fact")),
            ("path", json!(path)),
            ("label", json!(label)),
            ("value", v(value)),
            ("default", json!(default)),
        ],
        Kind::Formula { steps } => vec![("kind", json!("formula")), ("steps", json!(steps))],
        Kind::Exception {
            clause,
            label,
            amendment,
            applied,
            condition,
            value,
        } => vec![
            ("kind", json!("exception")),
            ("clause", json!(clause)),
            ("label", json!(label)),
            ("form", json!(if *amendment { "amend" } else { "unless" })),
            ("applied", json!(applied)),
            ("condition", json!(condition)),
            ("value", value.as_ref().map_or(Json::Null, v)),
        ],
        Kind::Parameter {
            name,
            label,
            on,
            from,
            value,
        } => vec![
            ("kind", json!("parameter")),
            ("name", json!(name)),
            ("label", json!(label)),
            ("on", json!(on.to_string())),
            ("from", json!(from.to_string())),
            ("value", v(value)),
        ],
        Kind::Call {
            clause,
            label,
            subject,
            subject_path,
            member,
            value,
        } => vec![
            ("kind", json!("call")),
            ("clause", json!(clause)),
            ("label", json!(label)),
            ("subject", v(subject)),
            ("subject_path", json!(subject_path)),
            ("member", json!(member)),
            ("value", v(value)),
        ],
        Kind::Needs { path, label, by } => vec![
            ("kind", json!("needs")),
            ("path", json!(path)),
            ("label", json!(label)),
            ("needed_by", json!(by)),
        ],
        Kind::Change {
            path,
            label,
            relation,
            proposed,
            current,
            ..
        } => vec![
            ("kind", json!("change")),
            ("path", json!(path)),
            ("label", json!(label)),
            ("relation", json!(relation)),
            ("proposed", v(proposed)),
            ("current", v(current)),
        ],
        Kind::Note { text } => vec![("kind", json!("note")), ("text", json!(text))],
    };
    for (k, val) in fields {
        m.insert(k.to_string(), val);
    }
    // The node as `--explain` writes it, in the language of `--lang`: for
    // pages that show the tree and would otherwise write its sentences
    // again.
    m.insert("line".into(), json!(line(program, &node.kind)));
    m.insert(
        "children".into(),
        Json::Array(
            node.children
                .iter()
                .map(|c| node_json(program, c))
                .collect(),
        ),
    );
    Json::Object(m)
}

/// `{"today": …, "explanations": [{"result": …, "tree": …}, …]}`
pub fn json(program: &Program, today: Option<Date>, explanations: &[Explanation]) -> Json {
    json!({
        "today": today.map(|d| d.to_string()),
        "explanations": explanations
            .iter()
            .map(|e| json!({ "result": e.key, "tree": node_json(program, &e.root) }))
            .collect::<Vec<_>>(),
    })
}

/// One tree as text, without a heading.
pub fn node_text(program: &Program, node: &Node) -> String {
    let mut out = String::new();
    write_node(program, node, 0, &mut out);
    out
}

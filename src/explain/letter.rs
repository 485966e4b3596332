//! A letter for the citizen: one case's decision as a document a caseworker
//! prints or sends (`pol eval … --explain --format html|markdown`).
//!
//! The letter is read from the same evaluation and explanation trees as
//! `--explain`: the clauses that apply, with their quotes and amounts; the
//! ones that do not, with the conditions that failed and what would change
//! them; the ones the case cannot decide, with the facts they need; and the
//! total. It is written in the reader's language (`--lang`); the policy's
//! labels and quotes are shown as written.
//!
//! The total counts each amount once: a benefit that another benefit of the
//! letter reads (`hiring_subsidies.amount` adds up each hire's
//! `hire_subsidy(h).amount`; a clause that takes the larger of two others)
//! is shown as included in that one, not added again
//! (docs/decisions/letter.md).

use super::{Explanation, Kind, Node, Outcome, Role, render};
use crate::check::ir::{DefId, Member, Program};
use crate::eval::{Case, EvalError, Plan, Value};
use crate::i18n::{self, tr};
use crate::lang::scalar::{Date, Duration, fen_of, format_money};
use crate::lang::types::Type;
use crate::syntax::ast::DefKind;
use std::collections::{BTreeSet, HashMap, HashSet};

/// The form of the letter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LetterFormat {
    /// One self-contained HTML page, styled for the screen and for print.
    Html,
    /// Markdown, for mail and for documents that take it.
    Markdown,
}

/// A fact of the case as the letter shows it.
enum Fact {
    Line {
        label: String,
        value: String,
    },
    /// A list of records (the hires of an enterprise): one row per item.
    Table {
        label: String,
        columns: Vec<String>,
        rows: Vec<Vec<String>>,
    },
}

/// A result of a clause, with the words for its name.
struct Amount {
    name: String,
    value: String,
    /// Shown as part of another amount of the letter, and not added again.
    included_in: Option<String>,
}

struct Section {
    title: String,
    quotes: Vec<String>,
    amounts: Vec<Amount>,
    /// Why it does not apply: the conditions that failed, in words.
    reasons: Vec<String>,
    /// What would change it.
    changes: Vec<String>,
    /// The facts that would decide it.
    needs: Vec<String>,
}

struct Letter {
    title: String,
    issued: Option<Date>,
    today: Option<Date>,
    facts: Vec<Fact>,
    applies: Vec<Section>,
    does_not_apply: Vec<Section>,
    undecided: Vec<Section>,
    failed: Vec<(String, String)>,
    total: Option<String>,
    undetermined_amounts: usize,
}

/// Renders the letter of `case` under `plan`.
pub fn letter(plan: &Plan, case: &Case, format: LetterFormat) -> Result<String, EvalError> {
    let letter = build(plan, case)?;
    Ok(match format {
        LetterFormat::Html => html(&letter),
        LetterFormat::Markdown => markdown(&letter),
    })
}

fn build(plan: &Plan, case: &Case) -> Result<Letter, EvalError> {
    let program = plan.program();
    let explanations = super::explain(plan, case, None)?.unwrap_or_default();
    let trees: HashMap<&str, &Explanation> =
        explanations.iter().map(|e| (e.key.as_str(), e)).collect();
    let results = plan.evaluate(case);
    let values: HashMap<&str, &Result<Value, EvalError>> =
        results.iter().map(|(k, v)| (k.as_str(), v)).collect();
    let included = included_in(plan);

    let mut letter = Letter {
        title: program
            .policy
            .as_ref()
            .map(|p| p.title.clone())
            .unwrap_or_else(|| tr!("letter-untitled")),
        issued: program.policy.as_ref().and_then(|p| p.issued),
        today: case.today,
        facts: facts(program, case),
        applies: Vec::new(),
        does_not_apply: Vec::new(),
        undecided: Vec::new(),
        failed: Vec::new(),
        total: None,
        undetermined_amounts: 0,
    };
    let mut total: i128 = 0;
    let mut any_amount = false;

    // Clause by clause, in the package's order.
    let mut clauses: Vec<crate::check::ir::ClauseId> = Vec::new();
    for slot in &plan.results {
        if !clauses.contains(&slot.clause) {
            clauses.push(slot.clause);
        }
    }
    for c in clauses {
        let info = &program.clauses[c.index()];
        let slots: Vec<_> = plan.results.iter().filter(|s| s.clause == c).collect();
        let title = match &info.label {
            Some(l) => tr!("letter-clause-title", label = l, clause = &info.name),
            None => info.name.clone(),
        };
        if let Some(e) = slots
            .iter()
            .find_map(|s| values.get(s.key.as_str()).and_then(|v| v.as_ref().err()))
        {
            letter.failed.push((title, e.message.clone()));
            continue;
        }
        let value = |key: &str| match values.get(key) {
            Some(Ok(v)) => Some(v),
            _ => None,
        };
        let eligible = slots
            .iter()
            .find(|s| matches!(s.member, Member::Eligible(_)))
            .and_then(|s| value(&s.key));
        let benefit_slots: Vec<_> = slots
            .iter()
            .filter(|s| is_def(program, s.member, DefKind::Benefit))
            .collect();
        let output_slots: Vec<_> = slots
            .iter()
            .filter(|s| is_def(program, s.member, DefKind::Output))
            .collect();
        let paid = benefit_slots
            .iter()
            .any(|s| matches!(value(&s.key), Some(Value::Money(m)) if !m.is_zero()));
        let status = match eligible {
            Some(Value::Bool(true)) => Status::Applies,
            Some(Value::Bool(false)) => Status::DoesNotApply,
            Some(_) => Status::Undecided,
            None if paid => Status::Applies,
            None if !benefit_slots.is_empty()
                && benefit_slots
                    .iter()
                    .all(|s| matches!(value(&s.key), Some(Value::Money(m)) if m.is_zero())) =>
            {
                Status::DoesNotApply
            }
            None => {
                let all_known = slots
                    .iter()
                    .all(|s| value(&s.key).is_some_and(|v| !matches!(v, Value::Unknown(_))));
                if all_known {
                    Status::Applies
                } else {
                    Status::Undecided
                }
            }
        };
        let mut section = Section {
            title,
            quotes: info.quotes.clone(),
            amounts: Vec::new(),
            reasons: Vec::new(),
            changes: Vec::new(),
            needs: Vec::new(),
        };
        match status {
            Status::Applies => {
                for s in benefit_slots.iter().chain(output_slots.iter()) {
                    let Some(v) = value(&s.key) else { continue };
                    let name = s.key.split_once('.').map_or(s.key.as_str(), |(_, n)| n);
                    let into = match s.member {
                        Member::Def(d) => included.get(&d).cloned(),
                        Member::Eligible(_) => None,
                    };
                    if let Value::Money(m) = v
                        && into.is_none()
                    {
                        total += fen_of(*m);
                        any_amount = true;
                    }
                    if matches!(v, Value::Unknown(_)) && is_def(program, s.member, DefKind::Benefit)
                    {
                        letter.undetermined_amounts += 1;
                    }
                    section.amounts.push(Amount {
                        name: name.to_string(),
                        value: humane(program, v),
                        included_in: into,
                    });
                }
                letter.applies.push(section);
            }
            Status::DoesNotApply => {
                let key = slots
                    .iter()
                    .find(|s| matches!(s.member, Member::Eligible(_)))
                    .or(benefit_slots.first().copied())
                    .map(|s| s.key.as_str());
                if let Some(e) = key.and_then(|k| trees.get(k)) {
                    reasons(program, &e.root, &mut section);
                }
                letter.does_not_apply.push(section);
            }
            Status::Undecided => {
                let mut needs = BTreeSet::new();
                for s in &slots {
                    if let Some(Value::Unknown(m)) = value(&s.key) {
                        needs.extend(m.paths.iter().cloned());
                    }
                }
                section.needs = needs
                    .into_iter()
                    .map(|p| match super::label_of_path(program, &p) {
                        Some(l) => tr!("letter-clause-title", label = l, clause = p),
                        None => p,
                    })
                    .collect();
                if benefit_slots
                    .iter()
                    .any(|s| matches!(value(&s.key), Some(Value::Unknown(_))))
                {
                    letter.undetermined_amounts += 1;
                }
                letter.undecided.push(section);
            }
        }
    }
    if any_amount {
        letter.total = Some(money(total));
    }
    Ok(letter)
}

enum Status {
    Applies,
    DoesNotApply,
    Undecided,
}

fn is_def(program: &Program, member: Member, kind: DefKind) -> bool {
    matches!(member, Member::Def(d) if program.defs[d.index()].kind == kind)
}

/// For each benefit of the plan that another benefit of the plan reads
/// (through any definitions, exceptions and amendments between them), the
/// key of the one that reads it.
fn included_in(plan: &Plan) -> HashMap<DefId, String> {
    let program = plan.program();
    let benefits: Vec<(DefId, &str)> = plan
        .results
        .iter()
        .filter_map(|s| match s.member {
            Member::Def(d) if program.defs[d.index()].kind == DefKind::Benefit => {
                Some((d, s.key.as_str()))
            }
            _ => None,
        })
        .collect();
    let direct = |d: DefId| -> Vec<DefId> {
        let info = &program.defs[d.index()];
        let mut out = Vec::new();
        info.expr.defs_read(&mut out);
        for (cond, then) in &info.unless {
            cond.defs_read(&mut out);
            then.defs_read(&mut out);
        }
        for a in &program.amends {
            if a.target == d {
                a.cond.defs_read(&mut out);
                a.then.defs_read(&mut out);
            }
        }
        out
    };
    let mut out = HashMap::new();
    for &(b, key) in &benefits {
        let mut seen = HashSet::new();
        let mut stack = direct(b);
        while let Some(d) = stack.pop() {
            if d == b || !seen.insert(d) {
                continue;
            }
            if benefits.iter().any(|&(other, _)| other == d) {
                out.entry(d).or_insert_with(|| key.to_string());
            }
            stack.extend(direct(d));
        }
    }
    out
}

/// The facts of the case that are given, with their labels.
fn facts(program: &Program, case: &Case) -> Vec<Fact> {
    let mut out = Vec::new();
    for (input, value) in program.inputs.iter().zip(&case.inputs) {
        let label = input.label.clone().unwrap_or_else(|| input.name.clone());
        fact(program, &label, &input.ty, value, &mut out);
    }
    out
}

fn fact(program: &Program, label: &str, ty: &Type, value: &Value, out: &mut Vec<Fact>) {
    match value {
        Value::Unknown(_) => {}
        Value::Record(r, fields) => {
            let info = &program.records[r.index()];
            for (f, v) in info.fields.iter().zip(fields.iter()) {
                let name = f.label.clone().unwrap_or_else(|| f.name.clone());
                fact(program, &format!("{label} · {name}"), &f.ty, v, out);
            }
        }
        Value::List(items) if matches!(ty, Type::List(t) if matches!(**t, Type::Record(_))) => {
            let Type::List(t) = ty else { return };
            let Type::Record(r) = &**t else { return };
            let info = &program.records[r.index()];
            // The columns any item gives.
            let given: Vec<usize> = (0..info.fields.len())
                .filter(|&i| {
                    items.iter().any(|item| {
                        matches!(item, Value::Record(_, f) if !matches!(f[i], Value::Unknown(_)))
                    })
                })
                .collect();
            let columns = given
                .iter()
                .map(|&i| {
                    let f = &info.fields[i];
                    f.label.clone().unwrap_or_else(|| f.name.clone())
                })
                .collect();
            let rows = items
                .iter()
                .map(|item| match item {
                    Value::Record(_, f) => given
                        .iter()
                        .map(|&i| match &f[i] {
                            Value::Unknown(_) => String::new(),
                            v => humane(program, v),
                        })
                        .collect(),
                    v => vec![humane(program, v)],
                })
                .collect();
            out.push(Fact::Table {
                label: label.to_string(),
                columns,
                rows,
            });
        }
        v => out.push(Fact::Line {
            label: label.to_string(),
            value: humane(program, v),
        }),
    }
}

fn money(fen: i128) -> String {
    let mut text = String::new();
    crate::lang::scalar::push_fen(&mut text, fen);
    tr!("letter-money", amount = text)
}

/// A value in words a citizen reads: yes and no, amounts in yuan, months.
fn humane(program: &Program, v: &Value) -> String {
    match v {
        Value::Bool(true) => tr!("letter-yes"),
        Value::Bool(false) => tr!("letter-no"),
        Value::Money(m) => tr!("letter-money", amount = format_money(*m)),
        Value::Duration(Duration::Months(n)) if *n != 0 && n % 12 == 0 => {
            tr!("letter-years", count = n / 12)
        }
        Value::Duration(Duration::Months(n)) => tr!("letter-months", count = *n),
        Value::Duration(Duration::Days(n)) => tr!("letter-days", count = *n),
        Value::Period(p) => tr!(
            "letter-period",
            start = p.start().to_string(),
            end = p.end().to_string()
        ),
        Value::Unknown(_) => tr!("letter-not-given"),
        Value::List(items) => items
            .iter()
            .map(|i| humane(program, i))
            .collect::<Vec<_>>()
            .join(&tr!("list-separator")),
        Value::Text(t) => t.to_string(),
        v => v.show(program).to_string(),
    }
}

/// The failed conditions (and the `in force` dates) and the changes that
/// would make the clause apply, read from its explanation.
fn reasons(program: &Program, root: &Node, section: &mut Section) {
    let mut queue = std::collections::VecDeque::from([root]);
    let mut found_failed = false;
    while let Some(node) = queue.pop_front() {
        match &node.kind {
            Kind::InForce {
                holds: Outcome::Failed,
                ..
            } => section
                .reasons
                .push(strip_mark(&render::line(program, &node.kind))),
            Kind::Group {
                role: Role::Failed, ..
            } if !found_failed => {
                found_failed = true;
                for c in &node.children {
                    for leaf in failed_leaves(c) {
                        let reason = condition(program, leaf);
                        if !section.reasons.contains(&reason) {
                            section.reasons.push(reason);
                        }
                    }
                }
            }
            Kind::Group {
                role: Role::WouldChange,
                ..
            } => {
                for c in &node.children {
                    section.changes.push(render::line(program, &c.kind));
                }
            }
            // The reasons of the clause itself, not of what it calls.
            Kind::Call { .. } => continue,
            _ => {}
        }
        if !matches!(
            &node.kind,
            Kind::Group {
                role: Role::Failed | Role::Held | Role::WouldChange | Role::Needs,
                ..
            }
        ) {
            queue.extend(node.children.iter());
        }
    }
}

/// The conditions that failed at the bottom of `node`: where a failed
/// condition is a clause it calls (`hire_subsidy(hire).eligible`), the
/// conditions of that clause that failed, and so on down.
fn failed_leaves(node: &Node) -> Vec<&Node> {
    let mut queue = std::collections::VecDeque::from([node]);
    while let Some(n) = queue.pop_front() {
        if let Kind::Group {
            role: Role::Failed, ..
        } = &n.kind
        {
            return n.children.iter().flat_map(failed_leaves).collect();
        }
        if !matches!(
            &n.kind,
            Kind::Group {
                role: Role::Held | Role::Undetermined | Role::WouldChange | Role::Needs,
                ..
            }
        ) {
            queue.extend(n.children.iter());
        }
    }
    vec![node]
}

fn strip_mark(line: &str) -> String {
    line.trim_start_matches(['✓', '✗', '?', ' ']).to_string()
}

/// A failed condition in words: what was asked and the facts it read.
fn condition(program: &Program, node: &Node) -> String {
    let text = match &node.kind {
        Kind::Condition { text, .. } => text.clone(),
        k => strip_mark(&render::line(program, k)),
    };
    let mut facts = Vec::new();
    collect_facts(program, node, &mut facts);
    if facts.is_empty() {
        text
    } else {
        format!("{text} — {}", facts.join(&tr!("list-separator")))
    }
}

fn collect_facts(program: &Program, node: &Node, out: &mut Vec<String>) {
    for c in &node.children {
        match &c.kind {
            Kind::Fact {
                path, label, value, ..
            } => {
                let name = label.clone().unwrap_or_else(|| path.clone());
                let shown = tr!("letter-fact", name = name, value = humane(program, value));
                if !out.contains(&shown) && out.len() < 6 {
                    out.push(shown);
                }
            }
            Kind::Call { .. }
            | Kind::Group {
                role: Role::Held | Role::Undetermined | Role::WouldChange | Role::Needs,
                ..
            } => {}
            _ => collect_facts(program, c, out),
        }
    }
}

fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Lists of at most this many records are shown an item a column.
const ITEMS_ACROSS: usize = 6;

const STYLE: &str = "
body { font-family: 'Noto Serif CJK SC', 'Source Han Serif SC', 'Songti SC', SimSun, serif;
  max-width: 46rem; margin: 2rem auto; padding: 0 1.5rem; color: #1b1b1b; line-height: 1.6; }
h1 { font-size: 1.5rem; margin-bottom: .25rem; }
h2 { font-size: 1.15rem; border-bottom: 1px solid #999; padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 .3rem; }
.meta { color: #555; margin-top: 0; }
.total { font-size: 1.3rem; font-weight: bold; }
blockquote { margin: .4rem 0; padding: .3rem .8rem; border-left: 3px solid #bbb; color: #333; }
table { border-collapse: collapse; width: 100%; margin: .4rem 0; }
th, td { border: 1px solid #bbb; padding: .25rem .5rem; text-align: left; vertical-align: top; overflow-wrap: break-word; }
th[scope=row] { width: 40%; font-weight: normal; }
th { background: #f2f2f2; }
td.amount { text-align: right; white-space: nowrap; }
table.items td { white-space: nowrap; }
table.items th[scope=row] { width: auto; }
.note { color: #555; font-size: .9rem; }
.undecided li { margin-bottom: .2rem; }
footer { margin-top: 2.5rem; color: #666; font-size: .85rem; border-top: 1px solid #ccc; padding-top: .5rem; }
@media print { body { margin: 0; max-width: none; } h2 { break-after: avoid; } article { break-inside: avoid; } }
";

/// The parts a letter is made of, written as HTML or as Markdown.
trait Doc {
    fn title(&mut self, title: &str, meta: &str);
    fn section(&mut self, id: &str, heading: &str);
    fn end_section(&mut self) {}
    fn clause(&mut self, class: &str, title: &str);
    fn end_clause(&mut self) {}
    fn paragraph(&mut self, class: Option<&str>, text: &str);
    fn quote(&mut self, text: &str);
    fn list(&mut self, class: Option<&str>, items: &[String]);
    /// A label and a value a line; `note` after the value.
    fn pairs(&mut self, class: &str, rows: &[(String, String, Option<String>)]);
    /// A list of records: its label, the fields and a row per item.
    fn items(&mut self, label: &str, columns: &[String], rows: &[Vec<String>]);
    /// Lines with a title in bold: `title — text`.
    fn titled(&mut self, items: &[(String, String)]);
    fn footer(&mut self, text: &str);
}

/// The letter, part by part, in whichever form `doc` writes.
fn write(l: &Letter, doc: &mut impl Doc) {
    doc.title(&tr!("letter-heading", title = l.title.as_str()), &meta(l));
    // The decision first.
    doc.section("decision", &tr!("letter-decision"));
    let total = match &l.total {
        Some(t) => tr!("letter-total", amount = t.as_str()),
        None => tr!("letter-no-amount"),
    };
    doc.paragraph(Some("total"), &total);
    doc.paragraph(
        None,
        &tr!(
            "letter-counts",
            applies = l.applies.len(),
            not = l.does_not_apply.len(),
            undecided = l.undecided.len()
        ),
    );
    if l.undetermined_amounts > 0 {
        doc.paragraph(
            Some("note"),
            &tr!(
                "letter-undetermined-amounts",
                count = l.undetermined_amounts
            ),
        );
    }
    doc.end_section();

    doc.section("facts", &tr!("letter-facts"));
    if l.facts.is_empty() {
        doc.paragraph(None, &tr!("letter-no-facts"));
    }
    let lines: Vec<(String, String, Option<String>)> = l
        .facts
        .iter()
        .filter_map(|f| match f {
            Fact::Line { label, value } => Some((label.clone(), value.clone(), None)),
            Fact::Table { .. } => None,
        })
        .collect();
    if !lines.is_empty() {
        doc.pairs("facts", &lines);
    }
    for f in &l.facts {
        if let Fact::Table {
            label,
            columns,
            rows,
        } = f
        {
            doc.items(label, columns, rows);
        }
    }
    doc.end_section();

    if !l.applies.is_empty() {
        doc.section("applies", &tr!("letter-applies"));
        for s in &l.applies {
            doc.clause("clause applies", &s.title);
            for q in &s.quotes {
                doc.quote(q);
            }
            let amounts: Vec<(String, String, Option<String>)> = s
                .amounts
                .iter()
                .map(|a| {
                    let note = a
                        .included_in
                        .as_ref()
                        .map(|by| tr!("letter-included-in", result = by.as_str()));
                    (a.name.clone(), a.value.clone(), note)
                })
                .collect();
            if !amounts.is_empty() {
                doc.pairs("amounts", &amounts);
            }
            doc.end_clause();
        }
        doc.end_section();
    }

    if !l.does_not_apply.is_empty() {
        doc.section("does-not-apply", &tr!("letter-does-not-apply"));
        for s in &l.does_not_apply {
            doc.clause("clause does-not-apply", &s.title);
            for q in &s.quotes {
                doc.quote(q);
            }
            if !s.reasons.is_empty() {
                doc.paragraph(None, &tr!("letter-because"));
                doc.list(None, &s.reasons);
            }
            if !s.changes.is_empty() {
                doc.paragraph(None, &tr!("explain-what-would-change"));
                doc.list(Some("changes"), &s.changes);
            }
            doc.end_clause();
        }
        doc.end_section();
    }

    if !l.undecided.is_empty() {
        doc.section("undecided", &tr!("letter-undecided"));
        doc.paragraph(Some("note"), &tr!("letter-undecided-note"));
        let separator = tr!("list-separator");
        let items: Vec<(String, String)> = l
            .undecided
            .iter()
            .map(|s| {
                (
                    s.title.clone(),
                    tr!("letter-needs", needs = s.needs.join(&separator)),
                )
            })
            .collect();
        doc.titled(&items);
        doc.end_section();
    }

    if !l.failed.is_empty() {
        doc.section("failed", &tr!("letter-failed"));
        doc.titled(&l.failed);
        doc.end_section();
    }
    doc.footer(&tr!("letter-footer", title = l.title.as_str()));
}

/// One self-contained page: its style inline, no script, nothing loaded.
struct Html(String);

impl Doc for Html {
    fn title(&mut self, title: &str, meta: &str) {
        self.0.push_str(&format!(
            "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
            i18n::current().code(),
            escape(title)
        ));
        self.0.push_str(&format!(
            "<header>\n<h1>{}</h1>\n<p class=\"meta\">{}</p>\n</header>\n",
            escape(title),
            escape(meta)
        ));
    }

    fn section(&mut self, id: &str, heading: &str) {
        let class = if id == "undecided" {
            " class=\"undecided\""
        } else {
            ""
        };
        self.0.push_str(&format!(
            "<section id=\"{id}\"{class}>\n<h2>{}</h2>\n",
            escape(heading)
        ));
    }

    fn end_section(&mut self) {
        self.0.push_str("</section>\n");
    }

    fn clause(&mut self, class: &str, title: &str) {
        self.0.push_str(&format!(
            "<article class=\"{class}\">\n<h3>{}</h3>\n",
            escape(title)
        ));
    }

    fn end_clause(&mut self) {
        self.0.push_str("</article>\n");
    }

    fn paragraph(&mut self, class: Option<&str>, text: &str) {
        match class {
            Some(c) => self
                .0
                .push_str(&format!("<p class=\"{c}\">{}</p>\n", escape(text))),
            None => self.0.push_str(&format!("<p>{}</p>\n", escape(text))),
        }
    }

    fn quote(&mut self, text: &str) {
        self.0
            .push_str(&format!("<blockquote>{}</blockquote>\n", escape(text)));
    }

    fn list(&mut self, class: Option<&str>, items: &[String]) {
        match class {
            Some(c) => self.0.push_str(&format!("<ul class=\"{c}\">\n")),
            None => self.0.push_str("<ul>\n"),
        }
        for i in items {
            self.0.push_str(&format!("<li>{}</li>\n", escape(i)));
        }
        self.0.push_str("</ul>\n");
    }

    fn pairs(&mut self, class: &str, rows: &[(String, String, Option<String>)]) {
        let value_class = if class == "amounts" {
            " class=\"amount\""
        } else {
            ""
        };
        self.0.push_str(&format!("<table class=\"{class}\">\n"));
        for (label, value, note) in rows {
            let note = note
                .as_ref()
                .map(|n| format!(" <span class=\"note\">{}</span>", escape(n)))
                .unwrap_or_default();
            self.0.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td{value_class}>{}{note}</td></tr>\n",
                escape(label),
                escape(value)
            ));
        }
        self.0.push_str("</table>\n");
    }

    fn items(&mut self, label: &str, columns: &[String], rows: &[Vec<String>]) {
        let o = &mut self.0;
        o.push_str(&format!(
            "<h3>{}</h3>\n<table class=\"items\">\n<tr><th>#</th>",
            escape(label)
        ));
        if rows.len() <= ITEMS_ACROSS {
            // A few items side by side, a field a row: a page is narrower
            // than a record is long.
            for i in 0..rows.len() {
                o.push_str(&format!("<th>{}</th>", i + 1));
            }
            o.push_str("</tr>\n");
            for (f, c) in columns.iter().enumerate() {
                o.push_str(&format!("<tr><th scope=\"row\">{}</th>", escape(c)));
                for row in rows {
                    let cell = row.get(f).map_or("", String::as_str);
                    o.push_str(&format!("<td>{}</td>", escape(cell)));
                }
                o.push_str("</tr>\n");
            }
        } else {
            for c in columns {
                o.push_str(&format!("<th>{}</th>", escape(c)));
            }
            o.push_str("</tr>\n");
            for (i, row) in rows.iter().enumerate() {
                o.push_str(&format!("<tr><td>{}</td>", i + 1));
                for cell in row {
                    o.push_str(&format!("<td>{}</td>", escape(cell)));
                }
                o.push_str("</tr>\n");
            }
        }
        o.push_str("</table>\n");
    }

    fn titled(&mut self, items: &[(String, String)]) {
        self.0.push_str("<ul>\n");
        for (title, text) in items {
            self.0.push_str(&format!(
                "<li><strong>{}</strong> — {}</li>\n",
                escape(title),
                escape(text)
            ));
        }
        self.0.push_str("</ul>\n");
    }

    fn footer(&mut self, text: &str) {
        self.0.push_str(&format!(
            "<footer>{}</footer>\n</body>\n</html>\n",
            escape(text)
        ));
    }
}

fn html(l: &Letter) -> String {
    let mut doc = Html(String::new());
    write(l, &mut doc);
    doc.0
}

/// Markdown, for mail and for documents that take it.
struct Markdown(String);

impl Doc for Markdown {
    fn title(&mut self, title: &str, meta: &str) {
        self.0
            .push_str(&format!("# {}\n\n{}\n\n", md(title), md(meta)));
    }

    fn section(&mut self, _id: &str, heading: &str) {
        self.0.push_str(&format!("## {}\n\n", md(heading)));
    }

    fn clause(&mut self, _class: &str, title: &str) {
        self.0.push_str(&format!("### {}\n\n", md(title)));
    }

    fn paragraph(&mut self, class: Option<&str>, text: &str) {
        if class == Some("total") {
            self.0.push_str(&format!("**{}**\n\n", md(text)));
        } else {
            self.0.push_str(&format!("{}\n\n", md(text)));
        }
    }

    fn quote(&mut self, text: &str) {
        self.0.push_str(&format!("> {}\n\n", md(text)));
    }

    fn list(&mut self, _class: Option<&str>, items: &[String]) {
        for i in items {
            self.0.push_str(&format!("- {}\n", md(i)));
        }
        self.0.push('\n');
    }

    fn pairs(&mut self, _class: &str, rows: &[(String, String, Option<String>)]) {
        for (label, value, note) in rows {
            let note = note
                .as_ref()
                .map(|n| format!(" ({})", md(n)))
                .unwrap_or_default();
            self.0.push_str(&format!(
                "- {}{note}\n",
                md(&tr!(
                    "letter-fact",
                    name = label.as_str(),
                    value = value.as_str()
                ))
            ));
        }
        self.0.push('\n');
    }

    fn items(&mut self, label: &str, columns: &[String], rows: &[Vec<String>]) {
        let o = &mut self.0;
        o.push_str(&format!("### {}\n\n| # |", md(label)));
        for c in columns {
            o.push_str(&format!(" {} |", md(c)));
        }
        o.push_str("\n|---|");
        for _ in columns {
            o.push_str("---|");
        }
        o.push('\n');
        for (i, row) in rows.iter().enumerate() {
            o.push_str(&format!("| {} |", i + 1));
            for cell in row {
                o.push_str(&format!(" {} |", md(cell)));
            }
            o.push('\n');
        }
        o.push('\n');
    }

    fn titled(&mut self, items: &[(String, String)]) {
        for (title, text) in items {
            self.0
                .push_str(&format!("- **{}** — {}\n", md(title), md(text)));
        }
        self.0.push('\n');
    }

    fn footer(&mut self, text: &str) {
        self.0.push_str(&format!("---\n\n{}\n", md(text)));
    }
}

fn markdown(l: &Letter) -> String {
    let mut doc = Markdown(String::new());
    write(l, &mut doc);
    doc.0
}

fn meta(l: &Letter) -> String {
    let on = match l.today {
        Some(d) => tr!("letter-evaluated-on", date = d.to_string()),
        None => tr!("explain-no-date"),
    };
    match l.issued {
        Some(d) => format!("{} · {on}", tr!("letter-issued", date = d.to_string())),
        None => on,
    }
}

/// Markdown text: `|` and line breaks in a table cell, and the characters
/// that would start markup (`*`, `` ` ``, `<` of a tag), written so that they
/// stay text. A `>` inside a line is text (`a >= 1 year`); no line of the
/// letter starts with one that is not a quote.
fn md(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' | '`' | '*' | '<' | '|' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

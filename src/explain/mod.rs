//! Explanations (LANGUAGE.md §7): why a result has its value, why not
//! another, what is still needed, and what single change of a fact would
//! change it.
//!
//! A traced evaluation records how it found every value
//! ([`Trace`](crate::eval::Trace)); [`explain`] turns that record into one
//! tree of [`Node`]s per result, and `render` writes the tree as text or
//! JSON. The tree is the only thing both renderings read.

pub mod letter;
pub mod render;

use crate::check::Checked;
use crate::check::ir::*;
use crate::eval::{
    Case, EligibleTrace, EvalError, Evaluation, ExceptionSource, ExprTrace, InForceTrace, Plan,
    Trace, Value,
};
use crate::i18n::tr;
use crate::lang::scalar::{Date, Duration};
use crate::lang::types::Type;
use crate::lang::words::Binding;
use crate::syntax::ast::Combine;
use crate::syntax::ast::{BinOp, UnOp};
use rust_decimal::Decimal;
use std::collections::HashSet;

/// The explanation of one result.
#[derive(Debug, Clone, PartialEq)]
pub struct Explanation {
    pub key: String,
    pub root: Node,
}

/// A node of an explanation: what it says, and what explains it further.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub kind: Kind,
    pub children: Vec<Node>,
}

/// How a condition came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Held,
    Failed,
    Unknown,
}

impl Outcome {
    fn of(v: &Value) -> Outcome {
        match v {
            Value::Bool(true) => Outcome::Held,
            Value::Bool(false) => Outcome::Failed,
            _ => Outcome::Unknown,
        }
    }
}

/// What the nodes under a [`Kind::Group`] are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Conditions that failed.
    Failed,
    /// Conditions whose outcome is undetermined.
    Undetermined,
    /// Conditions that held.
    Held,
    /// A clause that applies, and why.
    Applies,
    /// A clause that does not apply (its amount is 0), and why.
    DoesNotApply,
    /// A clause of which it is undetermined whether it applies.
    Undecided,
    /// The facts that would decide an undetermined result.
    Needs,
    /// The single changes of a fact that would make the clause apply.
    WouldChange,
}

impl Role {
    /// Its name in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Role::Failed => "failed",
            Role::Undetermined => "undetermined",
            Role::Held => "held",
            Role::Applies => "applies",
            Role::DoesNotApply => "does_not_apply",
            Role::Undecided => "undecided",
            Role::Needs => "needs",
            Role::WouldChange => "would_change",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// A result or a definition and its value (`hiring_subsidy.amount`).
    Value {
        name: String,
        label: Option<String>,
        value: Value,
    },
    /// The clause a result belongs to, with its label and quotes.
    Clause {
        name: String,
        label: Option<String>,
        quotes: Vec<String>,
    },
    /// Whether the clause's `in force` period holds `today`, or the date
    /// its `on` names (LANGUAGE.md §8).
    InForce {
        /// `from 2020-01-01 to 2020-12-31`, `from 2021-01-20`.
        dates: String,
        from: Date,
        to: Option<Date>,
        /// The `on` expression as written; `None`: `today`.
        on: Option<String>,
        /// The date tested (unknown when `on` needs facts).
        date: Value,
        holds: Outcome,
        /// The policy's validity, which the clause takes for want of its own.
        inherited: bool,
    },
    /// A heading for the nodes below it ("does not apply, because:"), and
    /// what the nodes below it are, for programs and renderings that must
    /// not read the title.
    Group { title: String, role: Role },
    /// A condition and how it came out.
    Condition { text: String, outcome: Outcome },
    /// A fact of the case that was read, with its label.
    Fact {
        path: String,
        label: Option<String>,
        value: Value,
        /// The case did not give the fact: the value is its default.
        default: bool,
    },
    /// A formula, then the same with the values substituted, step by step.
    Formula { steps: Vec<String> },
    /// An exception to a definition: `unless`, or an amendment from a clause.
    Exception {
        clause: String,
        label: Option<String>,
        amendment: bool,
        /// Whether it applied; `None` when its condition is undetermined.
        applied: Option<bool>,
        condition: String,
        value: Option<Value>,
    },
    /// A parameter, read on a date, with the date its value is from.
    Parameter {
        name: String,
        label: Option<String>,
        on: Date,
        from: Date,
        value: Value,
    },
    /// A per-subject clause called for a subject.
    Call {
        clause: String,
        label: Option<String>,
        subject: Value,
        /// The fact the subject is, when the call names one (`C(hire)`).
        subject_path: Option<String>,
        member: String,
        value: Value,
    },
    /// A fact that is missing, and the conditions that need it.
    Needs {
        path: String,
        label: Option<String>,
        by: Vec<String>,
    },
    /// A single change of a fact that would change the result.
    Change {
        path: String,
        label: Option<String>,
        /// `at least`, `more than`, `at most`, `less than`, or empty.
        relation: String,
        proposed: Value,
        /// The proposed value as the program writes it (`1 year`).
        written: String,
        current: Value,
    },
    /// Plain words.
    Note { text: String },
}

impl Node {
    fn leaf(kind: Kind) -> Node {
        Node {
            kind,
            children: Vec::new(),
        }
    }

    fn with(kind: Kind, children: Vec<Node>) -> Node {
        Node { kind, children }
    }
}

/// Explains every result of `plan` for `case` (or the one named `only`).
/// Returns `Ok(None)` when `only` names no result.
pub fn explain(
    plan: &Plan,
    case: &Case,
    only: Option<&str>,
) -> Result<Option<Vec<Explanation>>, EvalError> {
    let program = plan.program();
    let slots: Vec<&crate::eval::ResultSlot> = plan
        .results
        .iter()
        .filter(|s| only.is_none_or(|name| s.key == name))
        .collect();
    if slots.is_empty() && only.is_some() {
        return Ok(None);
    }
    let mut ev = Evaluation::traced(program, case);
    for slot in &slots {
        ev.member(slot.member, None)?;
    }
    let explainer = Explainer {
        checked: plan.checked(),
        program,
        trace: ev.trace(),
        case,
    };
    Ok(Some(
        slots
            .iter()
            .map(|slot| Explanation {
                key: slot.key.clone(),
                root: explainer.result(slot.member),
            })
            .collect(),
    ))
}

/// Explains the value of any expression for a case: a clause's result
/// (`hiring_subsidy.amount`, `per_hire(h).amount`) as a result, anything
/// else as a formula with what it read. For tests and the REPL.
pub fn explain_expression(checked: &Checked, case: &Case, e: &TExpr) -> Result<Node, EvalError> {
    let program = checked.program();
    let mut ev = Evaluation::traced(program, case);
    let (value, trace) = ev.traced_value_of(e)?;
    let explainer = Explainer {
        checked,
        program,
        trace: ev.trace(),
        case,
    };
    let mut ctx = Ctx {
        seen: HashSet::new(),
        subject: None,
    };
    let node = match (&e.kind, &trace) {
        (TExprKind::Member(m), _) => explainer.result(*m),
        (
            TExprKind::Call {
                clause,
                member,
                subject: arg,
            },
            Some(t),
        ) => {
            let mut out = Vec::new();
            let subject = t.children.first().map(|c| c.value.clone());
            let path = explainer.fact_ref_in(arg, None).map(|f| f.path);
            explainer.push_call(
                *clause,
                *member,
                (subject, path),
                &value,
                &mut ctx,
                &mut out,
            );
            let mut node = out.pop().unwrap_or(Node::leaf(Kind::Note {
                text: String::new(),
            }));
            node.children.insert(0, explainer.clause_node(*clause));
            node
        }
        (_, Some(t)) => Node::with(
            Kind::Value {
                name: explainer.text(e.span),
                label: None,
                value: value.clone(),
            },
            if e.ty == Type::Bool {
                vec![explainer.condition(t, &mut ctx)]
            } else {
                explainer.formula(t, &mut ctx)
            },
        ),
        (_, None) => Node::leaf(Kind::Value {
            name: explainer.text(e.span),
            label: None,
            value,
        }),
    };
    Ok(node)
}

/// The names of the results that can be explained, for messages.
pub fn result_names(plan: &Plan) -> Vec<String> {
    plan.results.iter().map(|s| s.key.clone()).collect()
}

/// How many subjects of a list are shown.
const MAX_SUBJECTS: usize = 10;

struct Explainer<'e, 'a> {
    checked: &'e Checked,
    program: &'a Program,
    trace: &'e Trace<'a>,
    case: &'e Case,
}

/// What is being explained, so that a definition is explained once.
struct Ctx {
    seen: HashSet<(DefId, Option<Value>)>,
    subject: Option<Value>,
}

impl<'e, 'a> Explainer<'e, 'a> {
    fn text(&self, span: crate::source::Span) -> String {
        let t = self.checked.sources().slice(span);
        // One line: continuation lines of a long condition are joined.
        t.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn clause_node(&self, c: ClauseId) -> Node {
        let clause = &self.program.clauses[c.index()];
        Node::leaf(Kind::Clause {
            name: clause.name.clone(),
            label: clause.label.clone(),
            quotes: clause.quotes.clone(),
        })
    }

    fn result(&self, member: Member) -> Node {
        let mut ctx = Ctx {
            seen: HashSet::new(),
            subject: None,
        };
        match member {
            Member::Eligible(c) => self.eligible_result(c, &mut ctx),
            Member::Def(d) => self.def(d, &mut ctx, true),
        }
    }

    fn eligible_result(&self, c: ClauseId, ctx: &mut Ctx) -> Node {
        let clause = &self.program.clauses[c.index()];
        let record = self.trace.eligible.get(&(c, ctx.subject.clone()));
        let value = record.map_or(Value::Bool(false), |r| r.value.clone());
        let mut children = vec![self.clause_node(c)];
        if let Some(r) = record {
            children.extend(self.applicability(c, r, ctx, true, true));
        }
        Node::with(
            Kind::Value {
                name: format!("{}.eligible", clause.name),
                label: None,
                value,
            },
            children,
        )
    }

    /// How a clause's `in force` dates were tested: on `today`, or on the
    /// date its `on` names.
    fn in_force_node(&self, f: &InForce, t: &InForceTrace<'a>) -> Node {
        Node::leaf(Kind::InForce {
            dates: f.describe(),
            from: f.from,
            to: f.to,
            on: f.on.as_ref().map(|e| self.text(e.span).to_string()),
            date: t.date.clone(),
            holds: Outcome::of(&t.holds),
            inherited: f.inherited,
        })
    }

    /// The `in force` period and the conditions of a clause: failing ones
    /// first, then unknown ones, then those that held; what is needed; and
    /// what single change would make it apply.
    fn applicability(
        &self,
        c: ClauseId,
        r: &EligibleTrace<'a>,
        ctx: &mut Ctx,
        needs: bool,
        change: bool,
    ) -> Vec<Node> {
        let mut out = Vec::new();
        let clause = &self.program.clauses[c.index()];
        let in_force_holds = r
            .in_force
            .as_ref()
            .is_none_or(|f| f.holds == Value::Bool(true));
        if let (Some(f), Some(t)) = (&clause.in_force, &r.in_force) {
            out.push(self.in_force_node(f, t));
        }
        let Some(cond) = &r.cond else {
            if in_force_holds && clause.eligible.is_none() {
                out.push(Node::leaf(Kind::Note {
                    text: tr!("explain-no-conditions"),
                }));
            }
            return out;
        };
        let mut parts = Vec::new();
        flatten(cond, BinOp::And, &mut parts);
        let (mut failed, mut unknown, mut held) = (Vec::new(), Vec::new(), Vec::new());
        for p in &parts {
            let node = self.condition(p, ctx);
            match Outcome::of(&p.value) {
                Outcome::Failed => failed.push(node),
                Outcome::Unknown => unknown.push(node),
                Outcome::Held => held.push(node),
            }
        }
        let (nf, nu) = (failed.len(), unknown.len());
        if nf > 0 {
            out.push(Node::with(
                Kind::Group {
                    title: tr!("explain-conditions-fail", count = nf),
                    role: Role::Failed,
                },
                failed,
            ));
        }
        if nu > 0 {
            out.push(Node::with(
                Kind::Group {
                    title: tr!("explain-conditions-undetermined"),
                    role: Role::Undetermined,
                },
                unknown,
            ));
        }
        if !held.is_empty() {
            let title = if nf + nu == 0 {
                tr!("explain-every-condition-holds")
            } else {
                tr!("explain-these-hold")
            };
            out.push(Node::with(
                Kind::Group {
                    title,
                    role: Role::Held,
                },
                held,
            ));
        }
        if needs && let Value::Unknown(m) = &r.value {
            out.push(self.needs(&m.paths, &parts));
        }
        if change && r.value == Value::Bool(false) && in_force_holds && ctx.subject.is_none() {
            out.push(self.what_would_change(c, cond));
        }
        out
    }

    /// A condition: `and`/`or` become groups, anything else a line with
    /// the facts, parameters and definitions it read.
    fn condition(&self, t: &ExprTrace<'a>, ctx: &mut Ctx) -> Node {
        match &t.expr.kind {
            TExprKind::Binary(op @ (BinOp::And | BinOp::Or), ..) => {
                let mut parts = Vec::new();
                flatten(t, *op, &mut parts);
                let title = if *op == BinOp::And {
                    tr!("explain-all-of")
                } else {
                    tr!("explain-one-of")
                };
                let children = parts.iter().map(|p| self.condition(p, ctx)).collect();
                Node::with(
                    Kind::Condition {
                        text: title,
                        outcome: Outcome::of(&t.value),
                    },
                    children,
                )
            }
            TExprKind::Member(Member::Def(d)) if t.expr.ty == Type::Bool => {
                // A condition named by a definition (`sme`): its own
                // conditions below it.
                let subject = self.member_subject(Member::Def(*d), ctx);
                let saved = std::mem::replace(&mut ctx.subject, subject);
                let node = self.def(*d, ctx, false);
                ctx.subject = saved;
                Node::with(
                    Kind::Condition {
                        text: self.text(t.expr.span),
                        outcome: Outcome::of(&t.value),
                    },
                    node.children,
                )
            }
            _ => {
                let mut reads = self.reads(t, ctx);
                // A condition that is one call (`hire_subsidy(hire).eligible`):
                // the call's own explanation, without repeating its line.
                if matches!(t.expr.kind, TExprKind::Call { .. })
                    && reads.len() == 1
                    && matches!(reads[0].kind, Kind::Call { .. })
                {
                    reads = reads.remove(0).children;
                } else if matches!(&t.expr.kind, TExprKind::Binary(op, ..) if op.is_comparison())
                    && !t.value.is_unknown()
                    && t.children.iter().any(computes)
                {
                    // A comparison with a computed side (`today >= 注册日期 +
                    // 1年`): the values compared, `today` and the computed
                    // date included, as a formula line before the facts.
                    reads = self.formula(t, ctx);
                    // The condition's line already shows it as written.
                    if let Some(Node {
                        kind: Kind::Formula { steps },
                        ..
                    }) = reads.first_mut()
                        && steps.len() > 1
                    {
                        steps.remove(0);
                    }
                }
                Node::with(
                    Kind::Condition {
                        text: self.text(t.expr.span),
                        outcome: Outcome::of(&t.value),
                    },
                    reads,
                )
            }
        }
    }

    /// What an expression read: facts, parameters, definitions (explained
    /// once), per-subject calls.
    fn reads(&self, t: &ExprTrace<'a>, ctx: &mut Ctx) -> Vec<Node> {
        let mut out = Vec::new();
        let mut seen_facts = HashSet::new();
        self.collect_reads(t, ctx, &mut out, &mut seen_facts);
        out
    }

    fn collect_reads(
        &self,
        t: &ExprTrace<'a>,
        ctx: &mut Ctx,
        out: &mut Vec<Node>,
        seen: &mut HashSet<String>,
    ) {
        if let Some((path, label)) = self.fact_path(t.expr, ctx.subject.is_some()) {
            if seen.insert(path.clone()) {
                out.push(Node::leaf(Kind::Fact {
                    path,
                    label,
                    value: t.value.clone(),
                    default: self.defaulted(t),
                }));
            }
            return;
        }
        match &t.expr.kind {
            TExprKind::Param(p, at) => {
                let info = &self.program.params[p.index()];
                let on = match at {
                    None => self.case_today(),
                    Some(_) => t.children.last().and_then(|c| match c.value {
                        Value::Date(d) => Some(d),
                        _ => None,
                    }),
                };
                if let Some(on) = on
                    && let Some(pt) = self.trace.params.get(&(*p, on))
                    && seen.insert(format!("parameter {} {on}", info.name))
                {
                    out.push(Node::leaf(Kind::Parameter {
                        name: info.name.clone(),
                        label: info.label.clone(),
                        on,
                        from: pt.from,
                        value: pt.value.clone(),
                    }));
                }
                for c in &t.children {
                    self.collect_reads(c, ctx, out, seen);
                }
            }
            TExprKind::Member(m) => {
                let subject = self.member_subject(*m, ctx);
                let saved = std::mem::replace(&mut ctx.subject, subject);
                match m {
                    Member::Def(d) => out.push(self.def(*d, ctx, false)),
                    Member::Eligible(c) => out.push(self.eligible_result(*c, ctx)),
                }
                ctx.subject = saved;
            }
            TExprKind::Call {
                clause,
                member,
                subject: arg,
            } => {
                let subject = t.children.first().map(|c| c.value.clone());
                let path = self.fact_ref_in(arg, None).map(|f| f.path);
                self.push_call(*clause, *member, (subject, path), &t.value, ctx, out);
            }
            TExprKind::Comprehension { slot, list, .. } => {
                let calls = t
                    .children
                    .iter()
                    .filter(|c| matches!(c.expr.kind, TExprKind::Call { .. }))
                    .count();
                // Over a list that is a fact, a call on an item names the
                // item by its place: `hire_subsidy(employer.hires[1])`.
                let items = match (self.fact_ref_in(list, None), t.children.first()) {
                    (Some(f), Some(first)) => match &first.value {
                        Value::List(items) => Some((f.path, items)),
                        _ => None,
                    },
                    _ => None,
                };
                for c in &t.children {
                    if matches!(c.expr.kind, TExprKind::Call { .. })
                        && out.len() >= MAX_SUBJECTS
                        && calls > MAX_SUBJECTS
                    {
                        continue;
                    }
                    if let TExprKind::Call {
                        clause,
                        member,
                        subject: arg,
                    } = &c.expr.kind
                        && matches!(arg.kind, TExprKind::Local(s) if s == *slot)
                        && let Some((path, items)) = &items
                        && let Some(value) = c.children.first().map(|a| &a.value)
                        && let Some(i) = items.iter().position(|x| x == value)
                    {
                        let subject = (Some(value.clone()), Some(format!("{path}[{i}]")));
                        self.push_call(*clause, *member, subject, &c.value, ctx, out);
                        continue;
                    }
                    self.collect_reads(c, ctx, out, seen);
                }
                if calls > MAX_SUBJECTS {
                    out.push(Node::leaf(Kind::Note {
                        text: tr!("explain-more-subjects", count = calls - MAX_SUBJECTS),
                    }));
                }
            }
            _ => {
                for c in &t.children {
                    self.collect_reads(c, ctx, out, seen);
                }
            }
        }
    }

    fn push_call(
        &self,
        clause: ClauseId,
        member: Member,
        (subject, subject_path): (Option<Value>, Option<String>),
        value: &Value,
        ctx: &mut Ctx,
        out: &mut Vec<Node>,
    ) {
        let info = &self.program.clauses[clause.index()];
        let Some(subject) = subject else { return };
        let member_name = match member {
            Member::Eligible(_) => "eligible".to_string(),
            Member::Def(d) => self.program.defs[d.index()].name.clone(),
        };
        let saved = ctx.subject.replace(subject.clone());
        let mut children = Vec::new();
        match member {
            Member::Def(d) => {
                let node = self.def(d, ctx, false);
                children.extend(node.children);
            }
            Member::Eligible(c) => {
                if let Some(r) = self.trace.eligible.get(&(c, Some(subject.clone()))) {
                    children.extend(self.applicability(c, r, ctx, false, false));
                }
            }
        }
        ctx.subject = saved;
        out.push(Node::with(
            Kind::Call {
                clause: info.name.clone(),
                label: info.label.clone(),
                subject,
                subject_path,
                member: member_name,
                value: value.clone(),
            },
            children,
        ));
    }

    fn member_subject(&self, m: Member, ctx: &Ctx) -> Option<Value> {
        let clause = match m {
            Member::Eligible(c) => c,
            Member::Def(d) => self.program.defs[d.index()].clause,
        };
        self.program.clauses[clause.index()]
            .subject
            .as_ref()
            .and(ctx.subject.clone())
    }

    fn case_today(&self) -> Option<Date> {
        self.case.today
    }

    /// A definition: its value, and how it was found. `top` adds the clause.
    fn def(&self, d: DefId, ctx: &mut Ctx, top: bool) -> Node {
        let info = &self.program.defs[d.index()];
        let key = (d, ctx.subject.clone());
        let name = if top || ctx.subject.is_none() {
            self.program.def_path(d)
        } else {
            info.name.clone()
        };
        let Some(record) = self.trace.defs.get(&key) else {
            return Node::leaf(Kind::Note {
                text: tr!("explain-not-needed", name = &name),
            });
        };
        let value_kind = Kind::Value {
            name,
            label: None,
            value: record.value.clone(),
        };
        // Each definition is explained once per subject; where it is met
        // again, its value stands alone. The tree is shown whole: a
        // definition's explanation is never cut for its depth.
        if !top && !ctx.seen.insert(key) {
            return Node::leaf(value_kind);
        }
        let mut children = Vec::new();
        if top {
            children.push(self.clause_node(info.clause));
        }
        if let Some(applicable) = &record.applicable {
            let er = self.trace.eligible.get(&(info.clause, ctx.subject.clone()));
            match applicable {
                Value::Bool(false) => {
                    let title = tr!("explain-zero-does-not-apply");
                    let details = er
                        .map(|r| self.applicability(info.clause, r, ctx, false, top))
                        .unwrap_or_default();
                    children.push(Node::with(
                        Kind::Group {
                            title,
                            role: Role::DoesNotApply,
                        },
                        details,
                    ));
                }
                Value::Bool(true)
                    if !self.program.clauses[info.clause.index()].has_eligibility_result() => {}
                Value::Bool(true) => {
                    // In brief: the `eligible` result explains each condition.
                    let details = er
                        .map(|r| self.applicability(info.clause, r, ctx, false, false))
                        .unwrap_or_default()
                        .into_iter()
                        .map(brief)
                        .collect();
                    children.push(Node::with(
                        Kind::Group {
                            title: tr!("explain-clause-applies"),
                            role: Role::Applies,
                        },
                        details,
                    ));
                }
                _ => {
                    let details = er
                        .map(|r| self.applicability(info.clause, r, ctx, false, false))
                        .unwrap_or_default();
                    children.push(Node::with(
                        Kind::Group {
                            title: tr!("explain-whether-applies-undetermined"),
                            role: Role::Undecided,
                        },
                        details,
                    ));
                }
            }
        }
        if record
            .applicable
            .as_ref()
            .is_none_or(|a| *a != Value::Bool(false))
        {
            children.extend(self.exceptions(d, record, ctx));
            if let Some(base) = &record.base {
                let applied_exception = record.exceptions.iter().any(|e| e.then.is_some());
                if !applied_exception {
                    if info.ty == Type::Bool {
                        // A condition named by a definition reads as one.
                        children.push(self.condition(base, ctx));
                    } else {
                        children.extend(self.formula(base, ctx));
                    }
                }
            }
        }
        if top && let Value::Unknown(m) = &record.value {
            let mut parts = Vec::new();
            if let Some(base) = &record.base {
                parts.push(base);
            }
            parts.extend(record.exceptions.iter().filter_map(|e| e.cond.as_ref()));
            if let Some(r) = self.trace.eligible.get(&(info.clause, ctx.subject.clone()))
                && let Some(cond) = &r.cond
            {
                flatten(cond, BinOp::And, &mut parts);
            }
            children.push(self.needs(&m.paths, &parts));
        }
        Node::with(value_kind, children)
    }

    fn exceptions(&self, d: DefId, record: &crate::eval::DefTrace<'a>, ctx: &mut Ctx) -> Vec<Node> {
        let info = &self.program.defs[d.index()];
        let mut out = Vec::new();
        for e in &record.exceptions {
            let (clause, amendment, cond_expr) = match e.source {
                ExceptionSource::Unless(i) => (info.clause, false, &info.unless[i].0),
                ExceptionSource::Amend(a) => {
                    let am = &self.program.amends[a.index()];
                    (am.clause, true, &am.cond)
                }
            };
            let c = &self.program.clauses[clause.index()];
            let mut children = Vec::new();
            match &e.cond {
                Some(ct) => children.push(self.condition(ct, ctx)),
                None => match (&c.in_force, &e.in_force) {
                    (Some(f), Some(t)) => children.push(self.in_force_node(f, t)),
                    _ => children.push(Node::leaf(Kind::Note {
                        text: tr!("explain-clause-not-in-force", clause = &c.name),
                    })),
                },
            }
            if let Some(then) = &e.then {
                children.extend(self.formula(then, ctx));
            }
            out.push(Node::with(
                Kind::Exception {
                    clause: c.name.clone(),
                    label: c.label.clone(),
                    amendment,
                    applied: match e.cond.as_ref().map(|c| &c.value) {
                        Some(Value::Unknown(_)) => None,
                        _ => Some(e.then.is_some()),
                    },
                    condition: self.text(cond_expr.span),
                    value: e.then.as_ref().map(|t| t.value.clone()),
                },
                children,
            ));
        }
        // Several applied: how the definition's rule made one value of them.
        let applied: Vec<String> = record
            .exceptions
            .iter()
            .filter(|e| e.then.is_some())
            .map(|e| match e.source {
                ExceptionSource::Unless(i) => {
                    format!("`unless {}`", self.text(info.unless[i].0.span))
                }
                ExceptionSource::Amend(a) => {
                    let clause = self.program.amends[a.index()].clause;
                    self.program.clauses[clause.index()].name.clone()
                }
            })
            .collect();
        if let Some(rule) = info.combine
            && applied.len() > 1
        {
            out.push(Node::leaf(Kind::Note {
                text: tr!(
                    "explain-combined",
                    clauses = applied.join(", "),
                    rule = match rule {
                        Combine::Highest => tr!("combine-highest"),
                        Combine::Lowest => tr!("combine-lowest"),
                        Combine::Sum => tr!("combine-sum"),
                        Combine::First => tr!("combine-first"),
                    },
                    value = record.value.show(self.program).to_string()
                ),
            }));
        }
        out
    }

    /// A formula: as written, then with values substituted, step by step
    /// to its value; then what it read.
    fn formula(&self, t: &ExprTrace<'a>, ctx: &mut Ctx) -> Vec<Node> {
        let written = self.text(t.expr.span);
        if matches!(t.expr.kind, TExprKind::Call { .. }) {
            // `C(x).m`: the call's own line says it, with its explanation.
            return self.reads(t, ctx);
        }
        if matches!(t.expr.kind, TExprKind::Lit(_)) {
            return vec![Node::leaf(Kind::Formula {
                steps: vec![written],
            })];
        }
        let mut steps = vec![written];
        if !is_leaf(t) {
            let mut level = 0;
            loop {
                let (text, done) = self.substituted(t, level);
                if steps.last() != Some(&text) {
                    steps.push(text);
                }
                if done {
                    break;
                }
                level += 1;
            }
        }
        let shown = t.value.show(self.program).to_string();
        if steps.last() != Some(&shown) {
            steps.push(shown);
        }
        let mut out = vec![Node::leaf(Kind::Formula { steps })];
        out.extend(self.reads(t, ctx));
        out
    }

    /// The expression with every node at least `level` deep from the
    /// bottom shown as its value; `true` when the whole is a value.
    fn substituted(&self, t: &ExprTrace<'a>, level: usize) -> (String, bool) {
        let height = height(t);
        if height <= level || is_leaf(t) {
            return (self.shown_value(t), height <= level);
        }
        let child = |i: usize| -> String {
            t.children
                .get(i)
                .map(|c| {
                    let (s, _) = self.substituted(c, level);
                    if needs_parens(t, c) {
                        format!("({s})")
                    } else {
                        s
                    }
                })
                .unwrap_or_else(|| "…".into())
        };
        let text = match &t.expr.kind {
            TExprKind::Widen(_) => child(0),
            TExprKind::Unary(UnOp::Neg, _) => format!("-{}", child(0)),
            TExprKind::Unary(UnOp::Not, _) => format!("not {}", child(0)),
            TExprKind::Binary(op, ..) => {
                let sym = match op {
                    BinOp::Mul => "×",
                    BinOp::Div => "÷",
                    other => other.symbol(),
                };
                format!("{} {sym} {}", child(0), child(1))
            }
            TExprKind::Between(..) => format!("{} between {} and {}", child(0), child(1), child(2)),
            // The trace holds the condition and the branch taken; the other
            // branch is shown as written.
            TExprKind::If(_, then, otherwise) => {
                let cond = child(0);
                match t.children.first().map(|c| &c.value) {
                    Some(Value::Bool(true)) => {
                        format!(
                            "if {cond} then {} else {}",
                            child(1),
                            self.text(otherwise.span)
                        )
                    }
                    Some(Value::Bool(false)) => {
                        format!("if {cond} then {} else {}", self.text(then.span), child(1))
                    }
                    _ => format!(
                        "if {cond} then {} else {}",
                        self.text(then.span),
                        self.text(otherwise.span)
                    ),
                }
            }
            TExprKind::Builtin(b @ (Builtin::Start | Builtin::End), _) => {
                format!("{}.{}", child(0), b.name())
            }
            TExprKind::Builtin(b, _) => {
                let args: Vec<String> = (0..t.children.len()).map(child).collect();
                format!("{}({})", b.name(), args.join(", "))
            }
            TExprKind::Set(_) => format!(
                "{{{}}}",
                (0..t.children.len())
                    .map(child)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            TExprKind::List(_) => format!(
                "[{}]",
                (0..t.children.len())
                    .map(child)
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
            _ => self.shown_value(t),
        };
        (text, false)
    }

    fn shown_value(&self, t: &ExprTrace<'a>) -> String {
        match (&t.expr.kind, &t.value) {
            // Literals and sets as written (`1 year`, not `12 months`); an
            // unknown part by its name.
            (TExprKind::Lit(_) | TExprKind::Set(_), _) | (_, Value::Unknown(_)) => {
                self.text(t.expr.span)
            }
            _ => t.value.show(self.program).to_string(),
        }
    }

    /// `hire.contract_term`, with its label, when `e` reads a fact of the
    /// case (an input, or fields of one), or a field of the subject (slot 0
    /// when `subject`). A comprehension's variable changes from one element
    /// to the next, so its fields are not listed as facts.
    fn fact_path(&self, e: &TExpr, subject: bool) -> Option<(String, Option<String>)> {
        match &e.kind {
            TExprKind::Input(i) => {
                let input = &self.program.inputs[i.index()];
                Some((input.name.clone(), input.label.clone()))
            }
            TExprKind::Field(base, idx) => {
                let Type::Record(r) = &base.ty else {
                    return None;
                };
                let field = &self.program.records[r.index()].fields[*idx as usize];
                let base_path = match &base.kind {
                    TExprKind::Local(0) if subject => self.text(base.span),
                    _ => self.fact_path(base, subject)?.0,
                };
                Some((format!("{base_path}.{}", field.name), field.label.clone()))
            }
            _ => None,
        }
    }

    /// Whether a fact was read as its default: the evaluation of the
    /// default is among what reading it evaluated.
    fn defaulted(&self, t: &ExprTrace<'a>) -> bool {
        let default = match &t.expr.kind {
            TExprKind::Input(i) => self.program.inputs[i.index()].default.as_ref(),
            TExprKind::Field(base, idx) => match &base.ty {
                Type::Record(r) => self.program.records[r.index()].fields[*idx as usize]
                    .default
                    .as_ref(),
                _ => None,
            },
            _ => None,
        };
        default.is_some_and(|d| t.children.iter().any(|c| std::ptr::eq(c.expr, d)))
    }

    /// The missing facts of an undetermined result, each with the
    /// conditions that need it.
    fn needs(&self, paths: &std::collections::BTreeSet<String>, parts: &[&ExprTrace<'a>]) -> Node {
        let children = paths
            .iter()
            .map(|path| {
                let by: Vec<String> = parts
                    .iter()
                    .filter(|p| needs_path(p, path))
                    .map(|p| self.text(p.expr.span))
                    .collect();
                Node::leaf(Kind::Needs {
                    path: path.clone(),
                    label: label_of_path(self.program, path),
                    by,
                })
            })
            .collect();
        Node::with(
            Kind::Group {
                title: tr!("explain-give-these-facts"),
                role: Role::Needs,
            },
            children,
        )
    }

    /// The smallest single-fact changes that make a clause apply: proposed
    /// from the conditions that failed, and each checked by evaluating the
    /// clause again with the fact changed.
    fn what_would_change(&self, c: ClauseId, cond: &ExprTrace<'a>) -> Node {
        let mut proposals: Vec<Proposal> = Vec::new();
        self.propose(cond, None, &mut proposals);
        let mut changes: Vec<Node> = Vec::new();
        for p in proposals {
            let same_path = changes
                .iter_mut()
                .find(|n| matches!(&n.kind, Kind::Change { path, .. } if *path == p.path));
            if let Some(Node {
                kind: Kind::Change { relation, .. },
                ..
            }) = &same_path
                && (!relation.is_empty() || !p.relation.is_empty())
            {
                continue;
            }
            let mut case = self.case.clone();
            if !set_fact(
                &mut case.inputs[p.input.index()],
                &p.fields,
                p.proposed.clone(),
            ) {
                continue;
            }
            let mut ev = Evaluation::new(self.program, &case);
            if ev.eligible(c, None) != Ok(Value::Bool(true)) {
                continue;
            }
            let written = p
                .written
                .unwrap_or_else(|| p.proposed.show(self.program).to_string());
            match same_path {
                // Several values that would each do: `were micro or small`.
                Some(Node {
                    kind: Kind::Change { written: w, .. },
                    ..
                }) => {
                    w.push_str(" or ");
                    w.push_str(&written);
                }
                _ => changes.push(Node::leaf(Kind::Change {
                    label: label_of_path(self.program, &p.path),
                    path: p.path,
                    relation: p.relation.into(),
                    proposed: p.proposed,
                    written,
                    current: p.current,
                })),
            }
        }
        if changes.is_empty() {
            let mut failed = Vec::new();
            flatten(cond, BinOp::And, &mut failed);
            let n = failed
                .iter()
                .filter(|p| p.value == Value::Bool(false))
                .count();
            let text = tr!("explain-no-single-change", count = n);
            return Node::with(
                Kind::Group {
                    title: tr!("explain-what-would-change"),
                    role: Role::WouldChange,
                },
                vec![Node::leaf(Kind::Note { text })],
            );
        }
        Node::with(
            Kind::Group {
                title: tr!("explain-what-would-change"),
                role: Role::WouldChange,
            },
            changes,
        )
    }

    /// Candidate changes, from the failed parts of a condition. `subject` is
    /// set inside a per-subject clause called on a fact (`C(hire).eligible`):
    /// the fact the subject is, and its value, so that a change to a field of
    /// the subject is proposed as a change to that fact.
    fn propose(&self, t: &ExprTrace<'a>, subject: Option<&Bound>, out: &mut Vec<Proposal>) {
        if t.value == Value::Bool(true) {
            return;
        }
        if let Some(p) = self.fact_ref_in(t.expr, subject)
            && let Value::Bool(b) = t.value
        {
            out.push(p.proposal("", Value::Bool(!b), t.value.clone()));
            return;
        }
        match &t.expr.kind {
            TExprKind::Binary(op, l, r) if op.is_comparison() && t.children.len() == 2 => {
                let (lt, rt) = (&t.children[0], &t.children[1]);
                // The bound as the program writes it (`1 year`), else its value.
                let bound = |side: &ExprTrace<'a>| match side.expr.kind {
                    TExprKind::Lit(_) => self.text(side.expr.span),
                    _ => side.value.show(self.program).to_string(),
                };
                if let Some(f) = self.fact_ref_in(l, subject) {
                    let before = out.len();
                    self.compare_proposals(f, *op, &lt.value, &rt.value, out);
                    for p in out.iter_mut().skip(before) {
                        p.written.get_or_insert_with(|| bound(rt));
                    }
                }
                if let Some(f) = self.fact_ref_in(r, subject) {
                    let before = out.len();
                    self.compare_proposals(f, mirror(*op), &rt.value, &lt.value, out);
                    for p in out.iter_mut().skip(before) {
                        p.written.get_or_insert_with(|| bound(lt));
                    }
                }
                // A side that is a fact moved by an amount (`注册日期 + 1年`,
                // `wage - 100 yuan`): the fact must move by the same amount
                // as the bound, `today - 1年` for `today >= 注册日期 + 1年`.
                for (side, side_t, other_t, side_op) in [(l, lt, rt, *op), (r, rt, lt, mirror(*op))]
                {
                    let TExprKind::Binary(shift @ (BinOp::Add | BinOp::Sub), x, _) = &side.kind
                    else {
                        continue;
                    };
                    let (Some(f), [x_t, by_t]) =
                        (self.fact_ref_in(x, subject), side_t.children.as_slice())
                    else {
                        continue;
                    };
                    let undo = if *shift == BinOp::Add {
                        BinOp::Sub
                    } else {
                        BinOp::Add
                    };
                    if let Ok(target) = crate::lang::ops::apply(undo, &other_t.value, &by_t.value) {
                        let before = out.len();
                        self.compare_proposals(f, side_op, &x_t.value, &target, out);
                        let written = target.show(self.program).to_string();
                        for p in out.iter_mut().skip(before) {
                            p.written.get_or_insert_with(|| written.clone());
                        }
                    }
                }
            }
            TExprKind::Between(x, ..) if t.children.len() == 3 => {
                if let Some(f) = self.fact_ref_in(x, subject) {
                    let (cur, lo, hi) = (
                        &t.children[0].value,
                        &t.children[1].value,
                        &t.children[2].value,
                    );
                    out.push(f.clone().proposal("at least", lo.clone(), cur.clone()));
                    out.push(f.proposal("at most", hi.clone(), cur.clone()));
                }
            }
            TExprKind::Member(Member::Def(d)) => {
                // A condition named by a `let`: propose from its definition.
                let key = (*d, subject.map(|b| b.value.clone()));
                if let Some(record) = self.trace.defs.get(&key)
                    && let Some(base) = &record.base
                {
                    self.propose(base, subject, out);
                }
            }
            TExprKind::Call {
                subject: arg,
                member,
                ..
            } => {
                // `C(fact).member`: propose inside C, with its subject bound
                // to that fact. Only calls on a fact; a computed subject
                // has no fact to change.
                let (Some(fact), Some(value)) = (
                    self.fact_ref_in(arg, subject),
                    t.children.first().map(|c| c.value.clone()),
                ) else {
                    return;
                };
                let inner = Bound { fact, value };
                let key = Some(inner.value.clone());
                let cond = match member {
                    Member::Eligible(c) => self
                        .trace
                        .eligible
                        .get(&(*c, key))
                        .and_then(|r| r.cond.as_ref()),
                    Member::Def(d) => self
                        .trace
                        .defs
                        .get(&(*d, key))
                        .and_then(|r| r.base.as_ref()),
                };
                if let Some(cond) = cond {
                    self.propose(cond, Some(&inner), out);
                }
            }
            _ => {
                for c in &t.children {
                    self.propose(c, subject, out);
                }
            }
        }
    }

    fn compare_proposals(
        &self,
        f: FactRef,
        op: BinOp,
        current: &Value,
        other: &Value,
        out: &mut Vec<Proposal>,
    ) {
        // Dates are earlier and later, not less and more.
        let date = matches!(other, Value::Date(_));
        let (at_least, at_most) = if date {
            ("on or after", "on or before")
        } else {
            ("at least", "at most")
        };
        match op {
            BinOp::Ge => out.push(f.proposal(at_least, other.clone(), current.clone())),
            BinOp::Le => out.push(f.proposal(at_most, other.clone(), current.clone())),
            BinOp::Eq => out.push(f.proposal("", other.clone(), current.clone())),
            BinOp::Gt => {
                if let Some(v) = step(other, 1) {
                    out.push(f.proposal(
                        if date { "on or after" } else { "more than" },
                        v,
                        current.clone(),
                    ));
                }
            }
            BinOp::Lt => {
                if let Some(v) = step(other, -1) {
                    out.push(f.proposal(
                        if date { "on or before" } else { "less than" },
                        v,
                        current.clone(),
                    ));
                }
            }
            BinOp::In => {
                if let Value::List(items) = other {
                    for item in items.iter() {
                        let mut p = f.clone().proposal("", item.clone(), current.clone());
                        p.written = Some(item.show(self.program).to_string());
                        out.push(p);
                    }
                }
            }
            _ => {}
        }
    }

    /// A fact of the case at a fixed place: an input and field indexes.
    /// The fact an expression reads, if it is one: an input, a field of one,
    /// or (inside a per-subject clause called on a fact) the subject or a
    /// field of it.
    fn fact_ref_in(&self, e: &TExpr, subject: Option<&Bound>) -> Option<FactRef> {
        match &e.kind {
            TExprKind::Local(0) => subject.map(|b| b.fact.clone()),
            TExprKind::Input(i) => Some(FactRef {
                input: *i,
                fields: Vec::new(),
                path: self.program.inputs[i.index()].name.clone(),
            }),
            TExprKind::Field(base, idx) => {
                let Type::Record(r) = &base.ty else {
                    return None;
                };
                let mut f = self.fact_ref_in(base, subject)?;
                f.fields.push(*idx as usize);
                f.path = format!(
                    "{}.{}",
                    f.path,
                    self.program.records[r.index()].fields[*idx as usize].name
                );
                Some(f)
            }
            TExprKind::Widen(x) => self.fact_ref_in(x, subject),
            _ => None,
        }
    }
}

/// A node with its conditions listed without what they read.
fn brief(node: Node) -> Node {
    match node.kind {
        Kind::Condition { .. } => Node::leaf(node.kind),
        kind => Node::with(kind, node.children.into_iter().map(brief).collect()),
    }
}

/// A per-subject clause's subject, when it is a fact of the case.
struct Bound {
    fact: FactRef,
    value: Value,
}

#[derive(Clone)]
struct FactRef {
    input: InputId,
    fields: Vec<usize>,
    path: String,
}

struct Proposal {
    input: InputId,
    fields: Vec<usize>,
    path: String,
    relation: &'static str,
    proposed: Value,
    /// The proposed value as written in the program, when it is a literal.
    written: Option<String>,
    current: Value,
}

impl FactRef {
    fn proposal(self, relation: &'static str, proposed: Value, current: Value) -> Proposal {
        Proposal {
            input: self.input,
            fields: self.fields,
            path: self.path,
            relation,
            proposed,
            written: None,
            current,
        }
    }
}

/// `a < b` read from `b`'s side.
fn mirror(op: BinOp) -> BinOp {
    match op {
        BinOp::Lt => BinOp::Gt,
        BinOp::Le => BinOp::Ge,
        BinOp::Gt => BinOp::Lt,
        BinOp::Ge => BinOp::Le,
        other => other,
    }
}

/// The next value up or down: a day, a fen, one.
fn step(v: &Value, by: i64) -> Option<Value> {
    match v {
        Value::Int(n) => n.checked_add(by).map(Value::Int),
        Value::Money(m) => Some(Value::money(*m + Decimal::new(by, 2))),
        Value::Date(d) => d.add_days(by).map(Value::Date),
        Value::Duration(Duration::Months(n)) => Some(Value::Duration(Duration::Months(n + by))),
        Value::Duration(Duration::Days(n)) => Some(Value::Duration(Duration::Days(n + by))),
        _ => None,
    }
}

/// Whether a value is computed rather than read as it stands: it reads the
/// evaluation date or is the result of arithmetic.
fn computes(t: &ExprTrace<'_>) -> bool {
    match &t.expr.kind {
        TExprKind::Today => true,
        TExprKind::Binary(op, ..)
            if !op.is_comparison() && !matches!(op, BinOp::And | BinOp::Or) =>
        {
            true
        }
        _ => t.children.iter().any(computes),
    }
}

/// Sets a fact below an input; `false` when the place does not exist.
fn set_fact(slot: &mut Value, fields: &[usize], value: Value) -> bool {
    let Some((&first, rest)) = fields.split_first() else {
        *slot = value;
        return true;
    };
    let Value::Record(r, values) = slot else {
        return false;
    };
    let mut values = values.to_vec();
    if first >= values.len() || !set_fact(&mut values[first], rest, value) {
        return false;
    }
    *slot = Value::Record(*r, values.into());
    true
}

/// The operands of a chain of `op` (`a and b and c` → a, b, c).
fn flatten<'t, 'a>(t: &'t ExprTrace<'a>, op: BinOp, out: &mut Vec<&'t ExprTrace<'a>>) {
    match &t.expr.kind {
        TExprKind::Binary(o, ..) if *o == op && !t.children.is_empty() => {
            for c in &t.children {
                flatten(c, op, out);
            }
        }
        _ => out.push(t),
    }
}

/// Whether an expression is shown as one value in a formula.
fn is_leaf(t: &ExprTrace) -> bool {
    match &t.expr.kind {
        TExprKind::Widen(_) => t.children.first().is_none_or(is_leaf),
        TExprKind::Unary(..)
        | TExprKind::Binary(..)
        | TExprKind::Between(..)
        | TExprKind::If(..)
        | TExprKind::Builtin(..)
        | TExprKind::List(_) => t.children.is_empty() || t.value.is_unknown(),
        _ => true,
    }
}

/// Levels of operators above the leaves.
fn height(t: &ExprTrace) -> usize {
    if is_leaf(t) {
        0
    } else {
        let below = t.children.iter().map(height).max().unwrap_or(0);
        if matches!(t.expr.kind, TExprKind::Widen(_)) {
            below
        } else {
            below + 1
        }
    }
}

fn precedence(e: &TExpr) -> Binding {
    match &e.kind {
        TExprKind::If(..) => Binding::If,
        TExprKind::Binary(op, ..) => op.binding(),
        TExprKind::Between(..) => Binding::Compare,
        TExprKind::Unary(op, _) => op.binding(),
        TExprKind::Widen(x) => precedence(x),
        _ => Binding::Atom,
    }
}

fn needs_parens(parent: &ExprTrace, child: &ExprTrace) -> bool {
    if is_leaf(child)
        || matches!(
            parent.expr.kind,
            TExprKind::Builtin(..) | TExprKind::Set(_) | TExprKind::List(_)
        )
    {
        return false;
    }
    let (p, c) = (precedence(parent.expr), precedence(child.expr));
    c < p
        || (c == p
            && matches!(
                parent.expr.kind,
                TExprKind::Binary(BinOp::Sub | BinOp::Div, ..)
            )
            && std::ptr::eq(child, parent.children.last().unwrap_or(child))
            && parent.children.len() > 1)
}

/// Whether a part of a condition is undetermined for want of `path`.
fn needs_path(t: &ExprTrace, path: &str) -> bool {
    match &t.value {
        Value::Unknown(m) => m.paths.contains(path),
        _ => false,
    }
}

/// The label of the field or input a path names (`hire.contract_term` →
/// 劳动合同期限).
pub fn label_of_path(program: &Program, path: &str) -> Option<String> {
    let mut segments = path.split('.').map(|s| s.split('[').next().unwrap_or(s));
    let first = segments.next()?;
    let input = program.inputs.iter().find(|i| i.name == first)?;
    let mut ty = &input.ty;
    let mut label = input.label.clone();
    for seg in segments {
        while let Type::List(t) = ty {
            ty = t;
        }
        let Type::Record(r) = ty else { return None };
        let field = program.records[r.index()]
            .fields
            .iter()
            .find(|f| f.name == seg)?;
        label = field.label.clone();
        ty = &field.ty;
    }
    label
}

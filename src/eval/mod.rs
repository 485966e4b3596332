//! Evaluating a case: the semantics of LANGUAGE.md §4–6.
//!
//! A [`Plan`] is made once per checked package; an [`Evaluation`] evaluates
//! one case against it, lazily and with a memo per definition (and per
//! subject for per-subject clauses).

pub mod case;
mod cell;
pub mod output;
mod plain;
pub mod testing;
pub mod trace;

use crate::check::Checked;
use crate::check::ir::*;
use crate::diagnostic::Diagnostic;
use crate::i18n::tr;
use crate::lang::ops::{self, Fault};
use crate::lang::scalar::Date;
use crate::lang::types::Type;
pub use crate::lang::value::{Missing, Value};
use crate::source::Span;
use crate::syntax::ast::Combine;
use crate::syntax::ast::{Aggregate, BinOp, DefKind, Literal, UnOp};
use rust_decimal::Decimal;
// Memo keys are the program's own indexes and values, never hostile to a
// hash table: the fast Fx hash instead of SipHash (a fifth of a batch's time).
use rustc_hash::FxHashMap as HashMap;
use std::sync::Arc;
pub use trace::{
    DefTrace, EligibleTrace, ExceptionSource, ExceptionTrace, ExprTrace, InForceTrace, ParamTrace,
    Trace,
};

/// The stack for threads that evaluate: deep (but bounded) chains of
/// definitions recurse.
pub const STACK_BYTES: usize = 256 << 20;

/// A case: the values of the inputs, and the evaluation date.
#[derive(Debug, Clone)]
pub struct Case {
    /// One per input, in declaration order; a fact not given is unknown.
    pub inputs: Vec<Value>,
    pub today: Option<Date>,
}

impl Case {
    /// A case where nothing is known.
    pub fn empty(program: &Program) -> Case {
        Case {
            inputs: program
                .inputs
                .iter()
                .map(|i| Value::missing(i.name.clone()))
                .collect(),
            today: None,
        }
    }
}

/// An error while evaluating: overflow, division by zero, a month count
/// met with a day count, conflicting exceptions, no evaluation date, a
/// parameter read before its first value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EvalError {
    pub kind: ErrorKind,
    /// The stable code of the kind (`pol::eval::overflow`).
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub help: Option<String>,
}

/// Every way an evaluation of a checked program can fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Something reads the evaluation date, and none was given.
    NoDate,
    /// A parameter read before its first value.
    ParameterDate,
    /// Several exceptions apply with different values.
    Conflict,
    DivisionByZero,
    Overflow,
    /// A month count met a day count.
    DurationKinds,
    /// Date arithmetic left the years 1–9999.
    DateRange,
    /// `period(A, B)` or `span(A, D)` whose last day comes before its first.
    PeriodOrder,
    /// A fact names an item of a list the case does not have
    /// (`employer.hires[5]` of two hires).
    NoItem,
    /// A fact set outside the range its declaration gives it.
    Range,
    /// `allocate` given a cap below zero.
    NegativeCap,
    /// Values of types the checker keeps apart met: a bug in Pol.
    Internal,
}

impl ErrorKind {
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::NoDate => "pol::eval::no_date",
            ErrorKind::ParameterDate => "pol::eval::parameter_date",
            ErrorKind::Conflict => "pol::eval::conflict",
            ErrorKind::DivisionByZero => "pol::eval::division_by_zero",
            ErrorKind::Overflow => "pol::eval::overflow",
            ErrorKind::DurationKinds => "pol::eval::duration_kinds",
            ErrorKind::DateRange => "pol::eval::date_range",
            ErrorKind::PeriodOrder => "pol::eval::period_order",
            ErrorKind::NoItem => "pol::eval::no_item",
            ErrorKind::Range => "pol::case::range",
            ErrorKind::NegativeCap => "pol::eval::negative_cap",
            ErrorKind::Internal => "pol::eval::internal",
        }
    }
}

impl EvalError {
    pub(crate) fn new(kind: ErrorKind, span: Span, message: impl Into<String>) -> EvalError {
        EvalError {
            kind,
            code: kind.code(),
            message: message.into(),
            span,
            help: None,
        }
    }

    pub(crate) fn help(mut self, help: impl Into<String>) -> EvalError {
        self.help = Some(help.into());
        self
    }

    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::new(self.code, self.span, self.message.clone())
            .label(tr!("diag-mod-label"))
            .maybe_help(self.help.clone())
    }
}

type Eval<T> = Result<T, EvalError>;

/// What one result comes to for a case: its value (determined or not), or
/// the evaluation error of a value it needs.
pub type Outcome = Result<Value, EvalError>;

/// One result of a package: `clause.eligible`, `clause.BENEFIT` or
/// `clause.OUTPUT` of a clause without a subject.
#[derive(Debug, Clone)]
pub struct ResultSlot {
    pub key: String,
    pub clause: ClauseId,
    pub member: Member,
}

/// What is computed once per package: the list of results, in order.
#[derive(Debug, Clone)]
pub struct Plan<'c> {
    checked: &'c Checked,
    pub results: Vec<ResultSlot>,
}

impl<'c> Plan<'c> {
    pub fn new(checked: &'c Checked) -> Plan<'c> {
        let program = checked.program();
        let mut results = Vec::new();
        for (i, clause) in program.clauses.iter().enumerate() {
            if clause.subject.is_some() {
                continue;
            }
            let id = ClauseId(i as u32);
            if clause.has_eligibility_result() {
                results.push(ResultSlot {
                    key: format!("{}.eligible", clause.name),
                    clause: id,
                    member: Member::Eligible(id),
                });
            }
            for d in &clause.defs {
                let def = &program.defs[d.index()];
                if def.kind != DefKind::Let {
                    results.push(ResultSlot {
                        key: format!("{}.{}", clause.name, def.name),
                        clause: id,
                        member: Member::Def(*d),
                    });
                }
            }
        }
        Plan { checked, results }
    }

    pub fn checked(&self) -> &'c Checked {
        self.checked
    }

    /// The plan for some results only: each name is a clause (all its
    /// results) or a result (`clause.name`). Evaluation is lazy, so only
    /// what those results need is computed. An unknown name is an error
    /// that says what there is.
    pub fn select(mut self, names: &[String]) -> Result<Plan<'c>, String> {
        let mut keep = vec![false; self.results.len()];
        for name in names {
            let name = name.trim();
            let mut found = false;
            for (slot, k) in self.results.iter().zip(keep.iter_mut()) {
                let clause = slot.key.split_once('.').map_or("", |(c, _)| c);
                if slot.key == name || clause == name {
                    *k = true;
                    found = true;
                }
            }
            if !found {
                let keys: Vec<&str> = self.results.iter().map(|s| s.key.as_str()).collect();
                let clauses: Vec<&str> = keys
                    .iter()
                    .filter_map(|k| k.split_once('.'))
                    .map(|(c, _)| c)
                    .collect();
                let hint = match crate::check::suggest::did_you_mean(
                    name,
                    keys.iter().chain(clauses.iter()).copied(),
                ) {
                    Some(s) => tr!("eval-text-1", s = s.to_string()),
                    None => tr!("eval-text-2"),
                };
                return Err(tr!(
                    "eval-text-3",
                    name = name.to_string(),
                    hint = hint.to_string()
                ));
            }
        }
        let mut k = keep.into_iter();
        self.results.retain(|_| k.next().unwrap_or(false));
        Ok(self)
    }

    pub fn program(&self) -> &'c Program {
        self.checked.program()
    }

    pub fn evaluation<'a>(&'a self, case: &'a Case) -> Evaluation<'a> {
        Evaluation::new(self.program(), case)
    }

    /// Every result of the package for one case. An evaluation error
    /// belongs to the results that need the failing value (LANGUAGE.md §6,
    /// v1): each result is evaluated on its own, and one failing clause
    /// never blanks the others.
    pub fn evaluate(&self, case: &Case) -> Vec<(String, Outcome)> {
        self.results
            .iter()
            .zip(self.outcomes(case))
            .map(|(slot, o)| (slot.key.clone(), o))
            .collect()
    }

    /// What each result comes to for one case, in the order of
    /// [`Plan::results`].
    pub fn outcomes(&self, case: &Case) -> Vec<Outcome> {
        let mut ev = self.evaluation(case);
        self.results
            .iter()
            .map(|slot| ev.member(slot.member, None))
            .collect()
    }
}

/// What one case (or one subject of it) has computed.
#[derive(Default)]
struct Memo {
    defs: HashMap<DefId, Value>,
    eligible: HashMap<ClauseId, Value>,
}

/// The slots of the variables in scope: the subject (slot 0, in a
/// per-subject clause) and comprehension variables.
struct Env {
    slots: Vec<Value>,
}

/// One case being evaluated, with its memo. With `TRACE`, it also records
/// how it found every value, for explanations; without, it records
/// nothing (the branches on `TRACE` are removed at compile time).
pub struct Evaluation<'a, const TRACE: bool = false> {
    program: &'a Program,
    case: &'a Case,
    today: Option<Date>,
    top: Memo,
    /// Memos of subjects held by reference (records, lists), by the
    /// address of what they hold: hashing a whole record on every member
    /// read cost more than the reads. The subject is kept with its memo, so
    /// the address stays its own for the whole evaluation.
    shared_subjects: HashMap<usize, (Value, Memo)>,
    /// Memos of other subjects (periods, scalars), by value.
    subjects: HashMap<Value, Memo>,
    params: HashMap<(ParamId, Date), Value>,
    /// How many definitions were computed (not read from the memo).
    computed: usize,
    trace: Trace<'a>,
}

/// The value of several exceptions that apply together, by the
/// definition's `combine` rule: the highest, the lowest, the sum, or the
/// first in the order written. An unknown value among them leaves the
/// result unknown, except after the first for `first`.
fn combined(rule: Combine, found: &[(Value, ClauseId, Span)]) -> Eval<Value> {
    if rule == Combine::First {
        return Ok(found[0].0.clone());
    }
    if let Some(u) = Value::unknown_of(found.iter().map(|(v, ..)| v)) {
        return Ok(u);
    }
    let mut best = found[0].0.clone();
    for (v, _, span) in &found[1..] {
        best = match rule {
            Combine::Sum => ops::apply(BinOp::Add, &best, v).map_err(|f| fault(f, *span))?,
            _ => {
                let order = ops::compare(v, &best).map_err(|f| fault(f, *span))?;
                let better = match rule {
                    Combine::Highest => order.is_gt(),
                    _ => order.is_lt(),
                };
                if better { v.clone() } else { best }
            }
        };
    }
    Ok(best)
}

fn fault(f: Fault, span: Span) -> EvalError {
    match f {
        Fault::Overflow => EvalError::new(ErrorKind::Overflow, span, tr!("eval-overflow"))
            .help(tr!("eval-overflow-help")),
        Fault::DivisionByZero => EvalError::new(
            ErrorKind::DivisionByZero,
            span,
            tr!("eval-division-by-zero"),
        )
        .help(tr!("eval-division-by-zero-help")),
        Fault::DurationKinds(a, b) => EvalError::new(
            ErrorKind::DurationKinds,
            span,
            tr!("eval-duration-kinds", a = a.to_string(), b = b.to_string()),
        )
        .help(tr!("eval-duration-kinds-help")),
        Fault::DateRange => EvalError::new(ErrorKind::DateRange, span, tr!("eval-date-range")),
        Fault::NegativeCap(cap) => EvalError::new(
            ErrorKind::NegativeCap,
            span,
            tr!(
                "eval-negative-cap",
                cap = crate::lang::scalar::format_money(cap)
            ),
        )
        .help(tr!("eval-negative-cap-help")),
        Fault::PeriodOrder { message, help } => {
            EvalError::new(ErrorKind::PeriodOrder, span, message).help(help)
        }
        Fault::Internal(what) => EvalError::new(
            ErrorKind::Internal,
            span,
            tr!("eval-internal", what = what.to_string()),
        )
        .help(tr!("eval-internal-help")),
    }
}

impl<'a> Evaluation<'a, false> {
    pub fn new(program: &'a Program, case: &'a Case) -> Evaluation<'a, false> {
        Evaluation::with(program, case)
    }
}

impl<'a> Evaluation<'a, true> {
    /// An evaluation that records how it finds every value.
    pub fn traced(program: &'a Program, case: &'a Case) -> Evaluation<'a, true> {
        Evaluation::with(program, case)
    }
}

impl<'a, const TRACE: bool> Evaluation<'a, TRACE> {
    fn with(program: &'a Program, case: &'a Case) -> Evaluation<'a, TRACE> {
        Evaluation {
            program,
            case,
            today: case.today,
            top: Memo::default(),
            shared_subjects: HashMap::default(),
            subjects: HashMap::default(),
            params: HashMap::default(),
            computed: 0,
            trace: Trace::default(),
        }
    }

    pub fn program(&self) -> &'a Program {
        self.program
    }

    pub fn case(&self) -> &'a Case {
        self.case
    }

    /// What a traced evaluation recorded (empty when not traced).
    pub fn trace(&self) -> &Trace<'a> {
        &self.trace
    }

    /// Evaluates `e`; when tracing, returns its trace too.
    fn capture(&mut self, e: &'a TExpr, env: &mut Env) -> Eval<(Value, Option<ExprTrace<'a>>)> {
        if !TRACE {
            return Ok((self.expr(e, env)?, None));
        }
        self.trace.stack.push(Vec::new());
        let result = self.expr(e, env);
        let mut frame = self.trace.stack.pop().unwrap_or_default();
        Ok((result?, frame.pop()))
    }

    /// Runs `f` with an empty stack of expressions, so that what a
    /// definition computes is recorded under it, not under whichever
    /// expression first needed it.
    fn isolated<T>(&mut self, f: impl FnOnce(&mut Self) -> T) -> T {
        if !TRACE {
            return f(self);
        }
        let saved = std::mem::take(&mut self.trace.stack);
        let result = f(self);
        self.trace.stack = saved;
        result
    }

    pub fn today(&self) -> Option<Date> {
        self.today
    }

    /// How many definitions and eligibilities this evaluation computed;
    /// each is computed at most once per subject.
    pub fn computed(&self) -> usize {
        self.computed
    }

    fn today_at(&self, span: Span) -> Eval<Date> {
        self.today.ok_or_else(|| {
            EvalError::new(ErrorKind::NoDate, span, tr!("eval-no-date"))
                .help(tr!("eval-no-date-help"))
        })
    }

    fn memo(&mut self, subject: Option<&Value>) -> &mut Memo {
        match subject {
            None => &mut self.top,
            Some(s @ (Value::Record(_, parts) | Value::List(parts))) => {
                let address = Arc::as_ptr(parts) as *const Value as usize;
                &mut self
                    .shared_subjects
                    .entry(address)
                    .or_insert_with(|| (s.clone(), Memo::default()))
                    .1
            }
            Some(s) => self.subjects.entry(s.clone()).or_default(),
        }
    }

    /// A clause member, for a subject when the clause is per-subject.
    pub fn member(&mut self, m: Member, subject: Option<&Value>) -> Eval<Value> {
        match m {
            Member::Eligible(c) => self.eligible(c, subject),
            Member::Def(d) => self.def(d, subject),
        }
    }

    /// Whether the clause is in force: `today`, or the date of its `on`
    /// (LANGUAGE.md §8), lies within its dates. `true` without dates;
    /// unknown when the `on` date needs facts the case does not give.
    fn in_force(&mut self, c: ClauseId, env: &mut Env) -> Eval<Option<InForceTrace<'a>>> {
        let program = self.program;
        let clause = &program.clauses[c.index()];
        let Some(f) = &clause.in_force else {
            return Ok(None);
        };
        let (date, on) = match &f.on {
            None => (Value::Date(self.today_at(f.span)?), None),
            Some(e) => self.capture(e, env)?,
        };
        let holds = match &date {
            Value::Date(d) => Value::Bool(f.contains(*d)),
            Value::Unknown(_) => date.clone(),
            _ => return Err(fault(Fault::Internal("in force on"), f.span)),
        };
        Ok(Some(InForceTrace { date, holds, on }))
    }

    /// `CLAUSE.eligible`: in force, and its `eligible if` holds.
    pub fn eligible(&mut self, c: ClauseId, subject: Option<&Value>) -> Eval<Value> {
        if let Some(v) = self.memo(subject).eligible.get(&c) {
            return Ok(v.clone());
        }
        self.computed += 1;
        let (value, record) = self.isolated(|ev| ev.compute_eligible(c, subject))?;
        if let Some(record) = record {
            self.trace.eligible.insert((c, subject.cloned()), record);
        }
        self.memo(subject).eligible.insert(c, value.clone());
        Ok(value)
    }

    fn compute_eligible(
        &mut self,
        c: ClauseId,
        subject: Option<&Value>,
    ) -> Eval<(Value, Option<EligibleTrace<'a>>)> {
        let clause = &self.program.clauses[c.index()];
        let mut env = Env {
            slots: subject.into_iter().cloned().collect(),
        };
        let in_force = self.in_force(c, &mut env)?;
        let holds = in_force
            .as_ref()
            .map_or(Value::Bool(true), |f| f.holds.clone());
        let (value, cond) = match (&holds, &clause.eligible) {
            (Value::Bool(false), _) => (Value::Bool(false), None),
            (_, None) => (holds.clone(), None),
            (_, Some(e)) => {
                let (v, t) = self.capture(e, &mut env)?;
                // An unknown date is `unknown and CONDITION`: a condition
                // that fails still decides.
                let v = match (&holds, v) {
                    (Value::Unknown(_), Value::Bool(false)) => Value::Bool(false),
                    (Value::Unknown(_), v) => Value::unknown_of([&holds, &v]).unwrap_or(v),
                    (_, v) => v,
                };
                (v, t)
            }
        };
        let record = TRACE.then(|| EligibleTrace {
            value: value.clone(),
            in_force,
            cond,
        });
        Ok((value, record))
    }

    fn def(&mut self, d: DefId, subject: Option<&Value>) -> Eval<Value> {
        if let Some(v) = self.memo(subject).defs.get(&d) {
            return Ok(v.clone());
        }
        self.computed += 1;
        let mut record = DefTrace {
            value: Value::Bool(false),
            applicable: None,
            exceptions: Vec::new(),
            base: None,
        };
        let value = self.isolated(|ev| ev.compute_def(d, subject, &mut record))?;
        if TRACE {
            record.value = value.clone();
            self.trace.defs.insert((d, subject.cloned()), record);
        }
        self.memo(subject).defs.insert(d, value.clone());
        Ok(value)
    }

    fn compute_def(
        &mut self,
        d: DefId,
        subject: Option<&Value>,
        record: &mut DefTrace<'a>,
    ) -> Eval<Value> {
        let program = self.program;
        let info = &program.defs[d.index()];
        if info.kind == DefKind::Benefit {
            // A benefit is 0 yuan when its clause does not apply.
            let applicable = self.eligible(info.clause, subject)?;
            if TRACE {
                record.applicable = Some(applicable.clone());
            }
            match applicable {
                Value::Bool(true) => {}
                Value::Bool(false) => return Ok(Value::money(Decimal::ZERO)),
                Value::Unknown(m) => {
                    // Undetermined: the facts that decide whether the
                    // clause applies, and those its amount needs.
                    let amount = self
                        .exceptions_or_base(d, subject, record)
                        .unwrap_or(Value::Bool(false));
                    return Ok(Value::unknown_of([&Value::Unknown(m), &amount])
                        .unwrap_or(Value::Bool(false)));
                }
                _ => return Err(fault(Fault::Internal("eligible"), info.span)),
            }
        }
        self.exceptions_or_base(d, subject, record)
    }

    /// A definition's value: its applicable exceptions, else its base.
    fn exceptions_or_base(
        &mut self,
        d: DefId,
        subject: Option<&Value>,
        record: &mut DefTrace<'a>,
    ) -> Eval<Value> {
        let program = self.program;
        let info = &program.defs[d.index()];
        let mut env = Env {
            slots: subject.into_iter().cloned().collect(),
        };
        let mut found: Vec<(Value, ClauseId, Span)> = Vec::new();
        // Each exception that may or may not apply, with how many had
        // applied before it (for `combine first`).
        let mut unknown: Vec<(Value, usize)> = Vec::new();
        for (i, (cond, then)) in info.unless.iter().enumerate() {
            let (holds, cond_trace) = self.capture(cond, &mut env)?;
            let mut then_trace = None;
            match holds {
                Value::Bool(true) => {
                    let (v, t) = self.capture(then, &mut env)?;
                    then_trace = t;
                    found.push((v, info.clause, then.span));
                }
                Value::Bool(false) => {}
                u @ Value::Unknown(_) => unknown.push((u, found.len())),
                _ => return Err(fault(Fault::Internal("unless"), cond.span)),
            }
            if TRACE {
                record.exceptions.push(ExceptionTrace {
                    source: ExceptionSource::Unless(i),
                    cond: cond_trace,
                    then: then_trace,
                    in_force: None,
                });
            }
        }
        for a in &info.amendments {
            self.amendment(*a, &mut env, &mut found, &mut unknown, record)?;
        }
        // An exception whose condition is unknown may or may not apply;
        // with `combine first`, only one before the first that applies
        // matters.
        let deciding = unknown
            .iter()
            .filter(|(_, before)| info.combine != Some(Combine::First) || *before == 0)
            .map(|(u, _)| u);
        if let Some(u) = Value::unknown_of(deciding) {
            return Ok(u);
        }
        match (found.len(), info.combine) {
            (0, _) => {
                let (v, base) = self.capture(&info.expr, &mut env)?;
                record.base = base;
                Ok(v)
            }
            (1, _) | (_, None) => self.one_value(d, found),
            (_, Some(rule)) => combined(rule, &found),
        }
    }

    /// The value of several applicable exceptions: equal values are fine,
    /// different ones are a conflict naming every clause involved. A value
    /// that is unknown may or may not equal the others: unless two known
    /// values already differ, the definition is undetermined.
    fn one_value(&self, d: DefId, found: Vec<(Value, ClauseId, Span)>) -> Eval<Value> {
        let mut known = found.iter().filter(|(v, ..)| !v.is_unknown());
        let mut all_equal = true;
        if let Some((first, ..)) = known.next() {
            for (v, _, span) in known {
                if !ops::equal(first, v).map_err(|f| fault(f, *span))? {
                    all_equal = false;
                }
            }
        }
        if all_equal {
            return Ok(Value::unknown_of(found.iter().map(|(v, ..)| v))
                .unwrap_or_else(|| found[0].0.clone()));
        }
        let program = self.program;
        let parts: Vec<String> = found
            .iter()
            .map(|(v, c, _)| {
                let clause = &program.clauses[c.index()];
                let label = clause
                    .label
                    .as_deref()
                    .map(|l| format!(" {l}"))
                    .unwrap_or_default();
                tr!(
                    "eval-text-5",
                    v = (v.show(program)).to_string(),
                    clause = clause.name.to_string(),
                    label = label.to_string()
                )
            })
            .collect();
        let def = &program.defs[d.index()];
        Err(EvalError::new(
            ErrorKind::Conflict,
            def.span,
            tr!(
                "eval-conflict",
                d = (program.def_path(d)).to_string(),
                parts = (parts.join("; ")).to_string()
            ),
        )
        .help(tr!("eval-conflict-help")))
    }

    /// An amendment node: its children first; if none yields a value, its
    /// own condition (on dates when its clause is in force).
    fn amendment(
        &mut self,
        a: AmendId,
        env: &mut Env,
        found: &mut Vec<(Value, ClauseId, Span)>,
        unknown: &mut Vec<(Value, usize)>,
        record: &mut DefTrace<'a>,
    ) -> Eval<()> {
        let info = &self.program.amends[a.index()];
        let (found_before, unknown_before) = (found.len(), unknown.len());
        for child in &info.children {
            self.amendment(*child, env, found, unknown, record)?;
        }
        if found.len() > found_before || unknown.len() > unknown_before {
            return Ok(());
        }
        let mut trace = ExceptionTrace {
            source: ExceptionSource::Amend(a),
            cond: None,
            then: None,
            in_force: None,
        };
        // An amendment applies on the dates its own clause is in force on
        // (with `on`, its own date); an unknown date may or may not let it.
        let in_force = self.in_force(info.clause, env)?;
        let holds = in_force.as_ref().map(|f| f.holds.clone());
        if TRACE {
            trace.in_force = in_force;
        }
        match holds {
            Some(u @ Value::Unknown(_)) => unknown.push((u, found.len())),
            Some(Value::Bool(false)) => {}
            _ => {
                let (holds, cond_trace) = self.capture(&info.cond, env)?;
                trace.cond = cond_trace;
                match holds {
                    Value::Bool(true) => {
                        let (v, t) = self.capture(&info.then, env)?;
                        trace.then = t;
                        found.push((v, info.clause, info.span));
                    }
                    Value::Bool(false) => {}
                    u @ Value::Unknown(_) => unknown.push((u, found.len())),
                    _ => return Err(fault(Fault::Internal("when"), info.cond.span)),
                }
            }
        }
        if TRACE {
            record.exceptions.push(trace);
        }
        Ok(())
    }

    /// A parameter's value on a date: the one from the latest `from` not
    /// after it.
    pub fn param(&mut self, p: ParamId, date: Date, span: Span) -> Eval<Value> {
        if let Some(v) = self.params.get(&(p, date)) {
            return Ok(v.clone());
        }
        let program = self.program;
        let info = &program.params[p.index()];
        let Some((_, expr)) = info.values.iter().rev().find(|(from, _)| *from <= date) else {
            let first = info
                .values
                .first()
                .map(|(d, _)| d.to_string())
                .unwrap_or_default();
            return Err(EvalError::new(
                ErrorKind::ParameterDate,
                span,
                tr!(
                    "eval-parameter-date",
                    info = info.name.to_string(),
                    date = date.to_string(),
                    first = first.to_string()
                ),
            )
            .help(tr!(
                "eval-parameter-date-help",
                first = first.to_string(),
                info = info.name.to_string()
            )));
        };
        let from = info
            .values
            .iter()
            .rev()
            .find(|(f, _)| *f <= date)
            .map_or(date, |(f, _)| *f);
        // A parameter's value is read as of the date it is read for.
        let saved = self.today.replace(date);
        let value = self.isolated(|ev| ev.expr(expr, &mut Env { slots: Vec::new() }));
        self.today = saved;
        let value = value?;
        if TRACE {
            self.trace.params.insert(
                (p, date),
                ParamTrace {
                    from,
                    value: value.clone(),
                },
            );
        }
        self.params.insert((p, date), value.clone());
        Ok(value)
    }

    /// Evaluates an expression outside any clause (a test's expectation, a
    /// line typed at the REPL).
    pub fn value_of(&mut self, e: &'a TExpr) -> Eval<Value> {
        self.expr(e, &mut Env { slots: Vec::new() })
    }

    /// Evaluates an expression outside any clause, with its trace when
    /// tracing.
    pub fn traced_value_of(&mut self, e: &'a TExpr) -> Eval<(Value, Option<ExprTrace<'a>>)> {
        self.capture(e, &mut Env { slots: Vec::new() })
    }

    /// Evaluates an expression of the checked program.
    fn expr(&mut self, e: &'a TExpr, env: &mut Env) -> Eval<Value> {
        if !TRACE {
            return self.expr_inner(e, env);
        }
        self.trace.stack.push(Vec::new());
        let result = self.expr_inner(e, env);
        let children = self.trace.stack.pop().unwrap_or_default();
        if let (Ok(value), Some(parent)) = (&result, self.trace.stack.last_mut()) {
            parent.push(ExprTrace {
                expr: e,
                value: value.clone(),
                children,
            });
        }
        result
    }

    fn expr_inner(&mut self, e: &'a TExpr, env: &mut Env) -> Eval<Value> {
        let program = self.program;
        let span = e.span;
        let fail = |f: Fault| fault(f, span);
        match &e.kind {
            TExprKind::Lit(l) => Ok(match l {
                Literal::Bool(b) => Value::Bool(*b),
                Literal::Int(n) => Value::Int(*n),
                Literal::Decimal(d) => Value::Decimal(*d),
                Literal::Money(m) => Value::money(*m),
                Literal::Date(d) => Value::Date(*d),
                Literal::Duration(d) => Value::Duration(*d),
                Literal::Period(p) => Value::Period(*p),
                Literal::Text(t) => Value::Text(Arc::from(t.as_str())),
            }),
            TExprKind::Today => self.today_at(span).map(Value::Date),
            TExprKind::Input(i) => {
                let v = &self.case.inputs[i.index()];
                match (v, &program.inputs[i.index()].default) {
                    // A fact the case does not give takes its default.
                    (Value::Unknown(_), Some(d)) => self.expr(d, env),
                    _ => Ok(v.clone()),
                }
            }
            TExprKind::Param(p, at) => {
                let date = match at {
                    None => self.today_at(span)?,
                    Some(d) => match self.expr(d, env)? {
                        Value::Date(d) => d,
                        Value::Unknown(m) => return Ok(Value::Unknown(m)),
                        _ => return Err(fail(Fault::Internal("at"))),
                    },
                };
                self.param(*p, date, span)
            }
            TExprKind::Member(m) => {
                let clause = match m {
                    Member::Eligible(c) => *c,
                    Member::Def(d) => program.defs[d.index()].clause,
                };
                let subject = if program.clauses[clause.index()].subject.is_some() {
                    Some(
                        env.slots
                            .first()
                            .cloned()
                            .ok_or_else(|| fail(Fault::Internal("subject")))?,
                    )
                } else {
                    None
                };
                self.member(*m, subject.as_ref())
            }
            TExprKind::Call {
                subject, member, ..
            } => {
                let s = self.expr(subject, env)?;
                if s.is_unknown() {
                    return Ok(s);
                }
                self.member(*member, Some(&s))
            }
            TExprKind::Local(slot) => env
                .slots
                .get(*slot as usize)
                .cloned()
                .ok_or_else(|| fail(Fault::Internal("local"))),
            TExprKind::Field(base, index) => {
                let b = self.expr(base, env)?;
                let default = match &base.ty {
                    Type::Record(r) => program.records[r.index()]
                        .fields
                        .get(*index as usize)
                        .and_then(|f| f.default.as_ref()),
                    _ => None,
                };
                let v = match b {
                    Value::Record(_, fields) => fields
                        .get(*index as usize)
                        .cloned()
                        .ok_or_else(|| fail(Fault::Internal("field")))?,
                    // The field of a record fact the case does not give.
                    Value::Unknown(m) if m.exact && default.is_some() => Value::missing(""),
                    Value::Unknown(m) => return Ok(self.field_of_unknown(&m, &base.ty, *index)),
                    _ => return Err(fail(Fault::Internal("field"))),
                };
                match (v, default) {
                    // A field not given takes its default.
                    (Value::Unknown(_), Some(d)) => self.expr(d, env),
                    (v, _) => Ok(v),
                }
            }
            TExprKind::Variant(en, v) => Ok(Value::Enum(*en, *v)),
            TExprKind::Widen(x) => match self.expr(x, env)? {
                Value::Int(n) => Ok(Value::Decimal(Decimal::from(n))),
                other => Ok(other),
            },
            TExprKind::Unary(UnOp::Not, x) => match self.expr(x, env)? {
                Value::Bool(b) => Ok(Value::Bool(!b)),
                u @ Value::Unknown(_) => Ok(u),
                _ => Err(fail(Fault::Internal("not"))),
            },
            TExprKind::Unary(UnOp::Neg, x) => match self.expr(x, env)? {
                u @ Value::Unknown(_) => Ok(u),
                v => ops::unary(UnOp::Neg, &v).map_err(fail),
            },
            TExprKind::Binary(BinOp::And, l, r) => self.logic(l, r, env, false),
            TExprKind::Binary(BinOp::Or, l, r) => self.logic(l, r, env, true),
            TExprKind::Binary(BinOp::In, l, r) => {
                let x = self.expr(l, env)?;
                let set = self.expr(r, env)?;
                if let Some(u) = Value::unknown_of([&x, &set]) {
                    return Ok(u);
                }
                let items = match &set {
                    Value::List(items) => items,
                    // `date in period`
                    Value::Period(p) => {
                        let Value::Date(d) = x else {
                            return Err(fail(Fault::Internal("in")));
                        };
                        return Ok(Value::Bool(p.contains(d)));
                    }
                    _ => return Err(fail(Fault::Internal("in"))),
                };
                let mut unknown = Vec::new();
                for item in items.iter() {
                    if item.is_unknown() {
                        unknown.push(item);
                    } else if ops::equal(&x, item).map_err(fail)? {
                        return Ok(Value::Bool(true));
                    }
                }
                Ok(Value::unknown_of(unknown.iter().copied()).unwrap_or(Value::Bool(false)))
            }
            TExprKind::Binary(op, l, r) => {
                let a = self.expr(l, env)?;
                let b = self.expr(r, env)?;
                if let Some(u) = Value::unknown_of([&a, &b]) {
                    return Ok(u);
                }
                ops::apply(*op, &a, &b).map_err(fail)
            }
            TExprKind::Between(x, lo, hi) => {
                let x = self.expr(x, env)?;
                let lo = self.expr(lo, env)?;
                let hi = self.expr(hi, env)?;
                if let Some(u) = Value::unknown_of([&x, &lo, &hi]) {
                    return Ok(u);
                }
                let above = ops::compare(&x, &lo).map_err(fail)? != std::cmp::Ordering::Less;
                let below = ops::compare(&x, &hi).map_err(fail)? != std::cmp::Ordering::Greater;
                Ok(Value::Bool(above && below))
            }
            TExprKind::If(c, a, b) => match self.expr(c, env)? {
                Value::Bool(true) => self.expr(a, env),
                Value::Bool(false) => self.expr(b, env),
                u @ Value::Unknown(_) => Ok(u),
                _ => Err(fail(Fault::Internal("if"))),
            },
            TExprKind::Set(items) | TExprKind::List(items) => {
                let values = items
                    .iter()
                    .map(|i| self.expr(i, env))
                    .collect::<Eval<Vec<_>>>()?;
                Ok(Value::List(values.into()))
            }
            TExprKind::Record(r, fields) => {
                let names = &program.records[r.index()].fields;
                let mut values = Vec::with_capacity(fields.len());
                for (f, name) in fields.iter().zip(names) {
                    values.push(match f {
                        Some(x) => self.expr(x, env)?,
                        None => Value::missing(name.name.clone()),
                    });
                }
                Ok(Value::Record(*r, values.into()))
            }
            TExprKind::Builtin(b, args) => {
                let values = args
                    .iter()
                    .map(|a| self.expr(a, env))
                    .collect::<Eval<Vec<_>>>()?;
                self.builtin(*b, &values, &e.ty, span)
            }
            TExprKind::Comprehension {
                func,
                body,
                slot,
                list,
                filter,
            } => self.comprehension(
                *func,
                body.as_deref(),
                *slot,
                list,
                filter.as_deref(),
                &e.ty,
                env,
            ),
        }
    }

    /// A field of a record that is not known: the fact at `path.field`
    /// when the record is exactly one missing fact.
    fn field_of_unknown(&self, m: &Arc<Missing>, ty: &Type, index: u32) -> Value {
        if m.exact
            && m.paths.len() == 1
            && let Type::Record(r) = ty
            && let Some(path) = m.paths.iter().next()
        {
            let field = &self.program.records[r.index()].fields[index as usize].name;
            return Value::missing(format!("{path}.{field}"));
        }
        Value::Unknown(m.clone())
    }

    /// `and` / `or` with three values: `false and ?` is false, `true or ?`
    /// is true; the right side is evaluated only when it can matter.
    fn logic(&mut self, l: &'a TExpr, r: &'a TExpr, env: &mut Env, is_or: bool) -> Eval<Value> {
        let decisive = Value::Bool(is_or);
        let a = self.expr(l, env)?;
        if a == decisive {
            if TRACE {
                // An explanation lists every condition, so the side that
                // did not matter is evaluated too; what it finds (even an
                // error) does not change the value.
                let _ = self.expr(r, env);
            }
            return Ok(a);
        }
        let b = self.expr(r, env)?;
        if b == decisive {
            return Ok(b);
        }
        match (&a, &b) {
            (Value::Bool(_), Value::Bool(_)) => Ok(Value::Bool(!is_or)),
            _ => Ok(Value::unknown_of([&a, &b]).unwrap_or(Value::Bool(!is_or))),
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn comprehension(
        &mut self,
        func: Aggregate,
        body: Option<&'a TExpr>,
        slot: u32,
        list: &'a TExpr,
        filter: Option<&'a TExpr>,
        ty: &Type,
        env: &mut Env,
    ) -> Eval<Value> {
        let span = list.span;
        let items = match self.expr(list, env)? {
            Value::List(items) => items,
            u @ Value::Unknown(_) => return Ok(u),
            _ => return Err(fault(Fault::Internal("list"), span)),
        };
        let mut acc = Value::zero(ty);
        let mut count: i64 = 0;
        let mut unknown: Vec<Value> = Vec::new();
        let mut decided = false;
        for item in items.iter() {
            env.slots.truncate(slot as usize);
            env.slots.push(item.clone());
            if let Some(f) = filter {
                match self.expr(f, env)? {
                    Value::Bool(true) => {}
                    Value::Bool(false) => continue,
                    other => {
                        unknown.push(other);
                        continue;
                    }
                }
            }
            match func {
                Aggregate::Count => count += 1,
                Aggregate::Sum => {
                    let v = self.expr(body.expect("sum has a body"), env)?;
                    if v.is_unknown() {
                        unknown.push(v);
                    } else if unknown.is_empty() {
                        acc = ops::apply(BinOp::Add, &acc, &v).map_err(|f| fault(f, span))?;
                    }
                }
                Aggregate::Any | Aggregate::All => {
                    let v = self.expr(body.expect("any/all have a body"), env)?;
                    match v {
                        // any: one true decides; all: one false decides.
                        Value::Bool(b) if b == (func == Aggregate::Any) => {
                            decided = true;
                            break;
                        }
                        Value::Bool(_) => {}
                        other => unknown.push(other),
                    }
                }
            }
        }
        env.slots.truncate(slot as usize);
        if decided {
            return Ok(Value::Bool(func == Aggregate::Any));
        }
        if let Some(u) = Value::unknown_of(&unknown) {
            return Ok(u);
        }
        Ok(match func {
            Aggregate::Count => Value::Int(count),
            Aggregate::Sum => acc,
            Aggregate::Any => Value::Bool(false),
            Aggregate::All => Value::Bool(true),
        })
    }

    fn builtin(&mut self, b: Builtin, args: &[Value], ty: &Type, span: Span) -> Eval<Value> {
        b.apply(args, ty).map_err(|f| fault(f, span))
    }
}

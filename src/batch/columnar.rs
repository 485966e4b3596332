//! The fast path of batches: the checked program evaluated over columns —
//! one vector per fact and per definition for a block of rows — instead of
//! one row at a time.
//!
//! It covers the part of the language that population runs use (scalar
//! facts, arithmetic, comparisons, conditions, clause applicability and
//! exceptions, parameters on a fixed date, `min`/`max`/`round`/…,
//! `allocate` over a list written in the program). A package that uses
//! anything else is evaluated row by row; so is a row with a missing or
//! unusual cell, and a block where an operation fails (an overflow, a
//! division by zero, conflicting exceptions), so that every error is
//! reported by the row evaluator exactly as for a single case.
//!
//! Every operator and built-in is computed here by the same function as for
//! a single case (`lang::kernel`), on the same representation (money is a
//! `Decimal` of whole fen); what is this module's own is only how columns
//! are combined: conditions as masks, exceptions and amendments as overlays.
//! A property test holds both paths to the same output
//! (`tests/properties.rs`, `batches_give_what_single_cases_give`).

use crate::check::ir::*;
use crate::eval::{Case, Evaluation, Value};
use crate::lang::kernel;
use crate::lang::ops::Fault;
use crate::lang::scalar::{Date, Duration};
use crate::lang::types::{EnumId, Type};
use crate::syntax::ast::{BinOp, DefKind, Literal, UnOp};
use rust_decimal::Decimal;
use std::collections::HashMap;

/// A column of values for a block of rows, each as a single case holds it.
#[derive(Debug, Clone)]
pub enum Col {
    Bool(Vec<bool>),
    Int(Vec<i64>),
    /// Whole fen, two decimals, as `Value::Money`.
    Money(Vec<Decimal>),
    Decimal(Vec<Decimal>),
    Date(Vec<Date>),
    Duration(Vec<Duration>),
    Enum(EnumId, Vec<u32>),
    /// A list of fixed length (written in the program): one column per
    /// member.
    List(Vec<Col>),
}

/// Why the block falls back to the row evaluator.
#[derive(Debug)]
pub struct Fallback;

type Cols<T> = Result<T, Fallback>;

impl From<Fault> for Fallback {
    /// A fault in a row: the row evaluator reports it, with its place.
    fn from(_: Fault) -> Fallback {
        Fallback
    }
}

impl Col {
    /// The value of row `i`, as the row evaluator would give it.
    pub fn value(&self, i: usize) -> Value {
        match self {
            Col::Bool(v) => Value::Bool(v[i]),
            Col::Int(v) => Value::Int(v[i]),
            Col::Money(v) => Value::Money(v[i]),
            Col::Decimal(v) => Value::Decimal(v[i]),
            Col::Date(v) => Value::Date(v[i]),
            Col::Duration(v) => Value::Duration(v[i]),
            Col::Enum(e, v) => Value::Enum(*e, v[i]),
            Col::List(cols) => {
                Value::List(cols.iter().map(|c| c.value(i)).collect::<Vec<_>>().into())
            }
        }
    }

    /// How many rows the column holds.
    pub fn rows(&self) -> usize {
        match self {
            Col::Bool(v) => v.len(),
            Col::Int(v) => v.len(),
            Col::Money(v) | Col::Decimal(v) => v.len(),
            Col::Date(v) => v.len(),
            Col::Duration(v) => v.len(),
            Col::Enum(_, v) => v.len(),
            Col::List(cols) => cols.first().map_or(0, Col::rows),
        }
    }

    /// Appends a row's known value of the column's type; `false` for an
    /// unknown or another type (the row then goes row by row).
    pub fn push(&mut self, v: &Value) -> bool {
        match (self, v) {
            (Col::Bool(c), Value::Bool(b)) => c.push(*b),
            (Col::Int(c), Value::Int(n)) => c.push(*n),
            (Col::Money(c), Value::Money(m)) => c.push(*m),
            (Col::Decimal(c), Value::Decimal(d)) => c.push(*d),
            (Col::Date(c), Value::Date(d)) => c.push(*d),
            (Col::Duration(c), Value::Duration(d)) => c.push(*d),
            (Col::Enum(e, c), Value::Enum(f, x)) if e == f => c.push(*x),
            _ => return false,
        }
        true
    }

    /// A value repeated for every row.
    fn splat(v: &Value, n: usize) -> Cols<Col> {
        Ok(match v {
            Value::Bool(b) => Col::Bool(vec![*b; n]),
            Value::Int(x) => Col::Int(vec![*x; n]),
            Value::Money(m) => Col::Money(vec![*m; n]),
            Value::Decimal(d) => Col::Decimal(vec![*d; n]),
            Value::Date(d) => Col::Date(vec![*d; n]),
            Value::Duration(d) => Col::Duration(vec![*d; n]),
            Value::Enum(e, x) => Col::Enum(*e, vec![*x; n]),
            Value::List(items) => Col::List(
                items
                    .iter()
                    .map(|v| Col::splat(v, n))
                    .collect::<Cols<_>>()?,
            ),
            Value::Text(_) | Value::Period(_) | Value::Record(..) | Value::Unknown(_) => {
                return Err(Fallback);
            }
        })
    }
}

/// Which expressions the fast path can evaluate.
fn supported(program: &Program, e: &TExpr) -> bool {
    let ok = match &e.kind {
        TExprKind::Lit(Literal::Text(_) | Literal::Period(_)) => false,
        TExprKind::Lit(_) | TExprKind::Today | TExprKind::Variant(..) => true,
        TExprKind::Input(i) => scalar(&program.inputs[i.index()].ty),
        TExprKind::Param(_, at) => at.is_none() && scalar(&e.ty),
        TExprKind::Member(m) => match m {
            Member::Eligible(c) => program.clauses[c.index()].subject.is_none(),
            Member::Def(d) => program.clauses[program.defs[d.index()].clause.index()]
                .subject
                .is_none(),
        },
        TExprKind::Widen(_) | TExprKind::Unary(..) | TExprKind::Between(..) | TExprKind::If(..) => {
            true
        }
        TExprKind::Binary(op, _, r) => {
            *op != BinOp::In || matches!(r.kind, TExprKind::Set(_) | TExprKind::List(_))
        }
        TExprKind::Set(_) | TExprKind::List(_) => true,
        TExprKind::Builtin(b, _) => matches!(
            b,
            Builtin::Min
                | Builtin::Max
                | Builtin::Round
                | Builtin::Floor
                | Builtin::Ceil
                | Builtin::Abs
                | Builtin::SumList
                | Builtin::Allocate
        ),
        TExprKind::Call { .. }
        | TExprKind::Local(_)
        | TExprKind::Field(..)
        | TExprKind::Record(..)
        | TExprKind::Comprehension { .. } => false,
    };
    ok && e.children().into_iter().all(|c| supported(program, c))
}

fn scalar(ty: &Type) -> bool {
    matches!(
        ty,
        Type::Bool
            | Type::Int
            | Type::Money
            | Type::Decimal
            | Type::Date
            | Type::Duration
            | Type::Enum(_)
    )
}

/// Whether every result of the package can be evaluated over columns.
pub fn package_supported(program: &Program, results: &[Member]) -> bool {
    let mut seen_defs = vec![false; program.defs.len()];
    let mut seen_clauses = vec![false; program.clauses.len()];
    let mut stack: Vec<Member> = results.to_vec();
    while let Some(m) = stack.pop() {
        let exprs: Vec<&TExpr> = match m {
            Member::Eligible(c) => {
                if std::mem::replace(&mut seen_clauses[c.index()], true) {
                    continue;
                }
                let clause = &program.clauses[c.index()];
                if clause.subject.is_some()
                    || clause.in_force.as_ref().is_some_and(|f| f.on.is_some())
                {
                    return false;
                }
                clause.eligible.iter().collect()
            }
            Member::Def(d) => {
                if std::mem::replace(&mut seen_defs[d.index()], true) {
                    continue;
                }
                let def = &program.defs[d.index()];
                if !scalar(&def.ty) && !matches!(def.ty, Type::List(_)) {
                    return false;
                }
                // Exceptions that combine (`combine highest`) go row by row.
                if def.combine.is_some() {
                    return false;
                }
                if def.kind == DefKind::Benefit {
                    stack.push(Member::Eligible(def.clause));
                }
                let mut v: Vec<&TExpr> = vec![&def.expr];
                for (c, t) in &def.unless {
                    v.push(c);
                    v.push(t);
                }
                let mut amends = def.amendments.clone();
                while let Some(a) = amends.pop() {
                    let am = &program.amends[a.index()];
                    let by = &program.clauses[am.clause.index()];
                    if by.in_force.as_ref().is_some_and(|f| f.on.is_some()) {
                        return false;
                    }
                    v.push(&am.cond);
                    v.push(&am.then);
                    amends.extend(am.children.iter().copied());
                }
                v
            }
        };
        for e in exprs {
            if !supported(program, e) {
                return false;
            }
            collect_members(e, &mut stack);
        }
    }
    true
}

fn collect_members(e: &TExpr, out: &mut Vec<Member>) {
    if let TExprKind::Member(m) = &e.kind {
        out.push(*m);
    }
    for c in e.children() {
        collect_members(c, out);
    }
}

/// One block of rows being evaluated.
pub struct Block<'p> {
    program: &'p Program,
    /// One column per input (`None`: not in the file).
    inputs: &'p [Option<Col>],
    today: Option<Date>,
    n: usize,
    defs: HashMap<DefId, Col>,
    eligible: HashMap<ClauseId, Col>,
    params: HashMap<ParamId, Value>,
}

/// A kernel applied row by row; a fault in any row sends the block to the
/// row evaluator.
fn zip_map<A: Copy, B: Copy, C>(
    a: &[A],
    b: &[B],
    f: impl Fn(A, B) -> Result<C, Fault>,
) -> Cols<Vec<C>> {
    let mut out = Vec::with_capacity(a.len());
    for (x, y) in a.iter().zip(b) {
        out.push(f(*x, *y)?);
    }
    Ok(out)
}

fn map<A: Copy, C>(a: &[A], f: impl Fn(A) -> Result<C, Fault>) -> Cols<Vec<C>> {
    let mut out = Vec::with_capacity(a.len());
    for x in a {
        out.push(f(*x)?);
    }
    Ok(out)
}

fn cmp_op<T: Ord + Copy>(op: BinOp, a: &[T], b: &[T]) -> Vec<bool> {
    a.iter()
        .zip(b)
        .map(|(x, y)| kernel::holds(op, x.cmp(y)))
        .collect()
}

impl<'p> Block<'p> {
    pub fn new(
        program: &'p Program,
        inputs: &'p [Option<Col>],
        today: Option<Date>,
        n: usize,
    ) -> Block<'p> {
        Block {
            program,
            inputs,
            today,
            n,
            defs: HashMap::new(),
            eligible: HashMap::new(),
            params: HashMap::new(),
        }
    }

    pub fn member(&mut self, m: Member) -> Cols<Col> {
        match m {
            Member::Eligible(c) => self.eligible(c),
            Member::Def(d) => self.def(d),
        }
    }

    fn eligible(&mut self, c: ClauseId) -> Cols<Col> {
        if let Some(col) = self.eligible.get(&c) {
            return Ok(col.clone());
        }
        let clause = &self.program.clauses[c.index()];
        let in_force = match &clause.in_force {
            None => true,
            // A date of each case's own: the row evaluator's.
            Some(f) if f.on.is_some() => return Err(Fallback),
            Some(f) => f.contains(self.today.ok_or(Fallback)?),
        };
        let col = match (&clause.eligible, in_force) {
            (_, false) => Col::Bool(vec![false; self.n]),
            (None, true) => Col::Bool(vec![true; self.n]),
            (Some(e), true) => self.expr(e)?,
        };
        self.eligible.insert(c, col.clone());
        Ok(col)
    }

    fn def(&mut self, d: DefId) -> Cols<Col> {
        if let Some(col) = self.defs.get(&d) {
            return Ok(col.clone());
        }
        let program = self.program;
        let info = &program.defs[d.index()];
        let mut value = self.expr(&info.expr)?;
        // Exceptions: at most one may apply per row (several equal values
        // would also do, but are left to the row evaluator).
        let mut taken = vec![false; self.n];
        for (cond, then) in &info.unless {
            let Col::Bool(c) = self.expr(cond)? else {
                return Err(Fallback);
            };
            if c.iter().any(|&x| x) {
                let t = self.expr(then)?;
                value = self.overlay(&mut taken, &c, value, t)?;
            }
        }
        for a in &info.amendments {
            if let Some((applies, v)) = self.amendment(*a)? {
                value = self.overlay(&mut taken, &applies, value, v)?;
            }
        }
        if info.kind == DefKind::Benefit {
            let Col::Bool(ok) = self.eligible(info.clause)? else {
                return Err(Fallback);
            };
            let Col::Money(v) = value else {
                return Err(Fallback);
            };
            value = Col::Money(
                v.iter()
                    .zip(&ok)
                    .map(|(x, o)| if *o { *x } else { Decimal::new(0, 2) })
                    .collect(),
            );
        }
        self.defs.insert(d, value.clone());
        Ok(value)
    }

    /// Puts `then` where `cond` holds; a row taken twice goes to the row
    /// evaluator (it decides whether the values conflict).
    fn overlay(&self, taken: &mut [bool], cond: &[bool], base: Col, then: Col) -> Cols<Col> {
        for (t, c) in taken.iter_mut().zip(cond) {
            if *c {
                if *t {
                    return Err(Fallback);
                }
                *t = true;
            }
        }
        select(cond, &then, &base)
    }

    /// An amendment node: where it applies, and its value there.
    fn amendment(&mut self, a: AmendId) -> Cols<Option<(Vec<bool>, Col)>> {
        let program = self.program;
        let info = &program.amends[a.index()];
        let mut taken = vec![false; self.n];
        let mut value: Option<Col> = None;
        for child in &info.children {
            if let Some((applies, v)) = self.amendment(*child)? {
                let base = match value.take() {
                    Some(b) => b,
                    None => v.clone(),
                };
                value = Some(self.overlay(&mut taken, &applies, base, v)?);
            }
        }
        let clause = &program.clauses[info.clause.index()];
        let in_force = match &clause.in_force {
            None => true,
            // A date of each case's own: the row evaluator's.
            Some(f) if f.on.is_some() => return Err(Fallback),
            Some(f) => f.contains(self.today.ok_or(Fallback)?),
        };
        if in_force {
            let Col::Bool(cond) = self.expr(&info.cond)? else {
                return Err(Fallback);
            };
            // The node's own value where no child applied.
            let own: Vec<bool> = cond.iter().zip(&taken).map(|(c, t)| *c && !*t).collect();
            if own.iter().any(|&x| x) {
                let v = self.expr(&info.then)?;
                let base = value.take().unwrap_or_else(|| v.clone());
                value = Some(select(&own, &v, &base)?);
                for (t, o) in taken.iter_mut().zip(&own) {
                    *t |= *o;
                }
            }
        }
        Ok(value
            .filter(|_| taken.iter().any(|&t| t))
            .map(|v| (taken, v)))
    }

    fn expr(&mut self, e: &TExpr) -> Cols<Col> {
        let n = self.n;
        match &e.kind {
            TExprKind::Lit(l) => Col::splat(
                &match l {
                    Literal::Bool(b) => Value::Bool(*b),
                    Literal::Int(i) => Value::Int(*i),
                    Literal::Decimal(d) => Value::Decimal(*d),
                    Literal::Money(m) => Value::money(*m),
                    Literal::Date(d) => Value::Date(*d),
                    Literal::Duration(d) => Value::Duration(*d),
                    Literal::Text(_) | Literal::Period(_) => return Err(Fallback),
                },
                n,
            ),
            TExprKind::Today => Ok(Col::Date(vec![self.today.ok_or(Fallback)?; n])),
            TExprKind::Variant(en, v) => Ok(Col::Enum(*en, vec![*v; n])),
            TExprKind::Input(i) => self.inputs[i.index()].clone().ok_or(Fallback),
            TExprKind::Param(p, None) => {
                let v = match self.params.get(p) {
                    Some(v) => v.clone(),
                    None => {
                        // A parameter on a fixed date is one value for the
                        // block: the row evaluator finds it once.
                        let case = Case {
                            inputs: Vec::new(),
                            today: self.today,
                        };
                        let mut ev = Evaluation::new(self.program, &case);
                        let v = ev
                            .param(*p, self.today.ok_or(Fallback)?, e.span)
                            .map_err(|_| Fallback)?;
                        self.params.insert(*p, v.clone());
                        v
                    }
                };
                Col::splat(&v, n)
            }
            TExprKind::Member(m) => self.member(*m),
            TExprKind::Widen(x) => match self.expr(x)? {
                Col::Int(v) => Ok(Col::Decimal(v.into_iter().map(Decimal::from).collect())),
                other => Ok(other),
            },
            TExprKind::Unary(UnOp::Not, x) => match self.expr(x)? {
                Col::Bool(v) => Ok(Col::Bool(v.into_iter().map(|b| !b).collect())),
                _ => Err(Fallback),
            },
            TExprKind::Unary(UnOp::Neg, x) => match self.expr(x)? {
                Col::Int(v) => Ok(Col::Int(map(&v, kernel::int_neg)?)),
                Col::Money(v) => Ok(Col::Money(map(&v, kernel::money_neg)?)),
                Col::Decimal(v) => Ok(Col::Decimal(v.into_iter().map(kernel::dec_neg).collect())),
                Col::Duration(v) => Ok(Col::Duration(map(&v, kernel::dur_neg)?)),
                _ => Err(Fallback),
            },
            TExprKind::Binary(BinOp::And, a, b) | TExprKind::Binary(BinOp::Or, a, b) => {
                let is_and = matches!(e.kind, TExprKind::Binary(BinOp::And, ..));
                let (Col::Bool(x), Col::Bool(y)) = (self.expr(a)?, self.expr(b)?) else {
                    return Err(Fallback);
                };
                Ok(Col::Bool(
                    x.iter()
                        .zip(&y)
                        .map(|(p, q)| if is_and { *p && *q } else { *p || *q })
                        .collect(),
                ))
            }
            TExprKind::Binary(BinOp::In, x, set) => {
                let x = self.expr(x)?;
                let members: Vec<&TExpr> = match &set.kind {
                    TExprKind::Set(m) | TExprKind::List(m) => m.iter().collect(),
                    _ => return Err(Fallback),
                };
                let mut out = vec![false; n];
                for m in members {
                    let Col::Bool(eq) = compare(BinOp::Eq, &x, &self.expr(m)?)? else {
                        return Err(Fallback);
                    };
                    for (o, q) in out.iter_mut().zip(eq) {
                        *o |= q;
                    }
                }
                Ok(Col::Bool(out))
            }
            TExprKind::Binary(op, a, b) => {
                let (x, y) = (self.expr(a)?, self.expr(b)?);
                if op.is_comparison() {
                    compare(*op, &x, &y)
                } else {
                    arith(*op, x, y)
                }
            }
            TExprKind::Between(x, lo, hi) => {
                let (x, lo, hi) = (self.expr(x)?, self.expr(lo)?, self.expr(hi)?);
                let (Col::Bool(a), Col::Bool(b)) =
                    (compare(BinOp::Ge, &x, &lo)?, compare(BinOp::Le, &x, &hi)?)
                else {
                    return Err(Fallback);
                };
                Ok(Col::Bool(a.iter().zip(&b).map(|(p, q)| *p && *q).collect()))
            }
            TExprKind::If(c, a, b) => {
                let Col::Bool(c) = self.expr(c)? else {
                    return Err(Fallback);
                };
                let (a, b) = (self.expr(a)?, self.expr(b)?);
                select(&c, &a, &b)
            }
            TExprKind::Set(items) | TExprKind::List(items) => Ok(Col::List(
                items.iter().map(|i| self.expr(i)).collect::<Cols<_>>()?,
            )),
            TExprKind::Builtin(bi, args) => {
                let cols = args
                    .iter()
                    .map(|a| self.expr(a))
                    .collect::<Cols<Vec<_>>>()?;
                builtin(*bi, cols)
            }
            _ => Err(Fallback),
        }
    }
}

fn select(cond: &[bool], a: &Col, b: &Col) -> Cols<Col> {
    fn pick<T: Copy>(c: &[bool], a: &[T], b: &[T]) -> Vec<T> {
        c.iter()
            .zip(a.iter().zip(b))
            .map(|(c, (x, y))| if *c { *x } else { *y })
            .collect()
    }
    Ok(match (a, b) {
        (Col::Bool(x), Col::Bool(y)) => Col::Bool(pick(cond, x, y)),
        (Col::Int(x), Col::Int(y)) => Col::Int(pick(cond, x, y)),
        (Col::Money(x), Col::Money(y)) => Col::Money(pick(cond, x, y)),
        (Col::Decimal(x), Col::Decimal(y)) => Col::Decimal(pick(cond, x, y)),
        (Col::Date(x), Col::Date(y)) => Col::Date(pick(cond, x, y)),
        (Col::Duration(x), Col::Duration(y)) => Col::Duration(pick(cond, x, y)),
        (Col::Enum(e, x), Col::Enum(_, y)) => Col::Enum(*e, pick(cond, x, y)),
        (Col::List(x), Col::List(y)) if x.len() == y.len() => Col::List(
            x.iter()
                .zip(y)
                .map(|(p, q)| select(cond, p, q))
                .collect::<Cols<_>>()?,
        ),
        _ => return Err(Fallback),
    })
}

fn compare(op: BinOp, x: &Col, y: &Col) -> Cols<Col> {
    Ok(Col::Bool(match (x, y) {
        (Col::Int(a), Col::Int(b)) => cmp_op(op, a, b),
        (Col::Money(a), Col::Money(b)) => a
            .iter()
            .zip(b)
            .map(|(x, y)| kernel::holds(op, kernel::money_cmp(*x, *y)))
            .collect(),
        (Col::Decimal(a), Col::Decimal(b)) => cmp_op(op, a, b),
        (Col::Date(a), Col::Date(b)) => cmp_op(op, a, b),
        // A month count against a day count is a fault of that row.
        (Col::Duration(a), Col::Duration(b)) => zip_map(a, b, |p, q| {
            kernel::dur_cmp(p, q).map(|o| kernel::holds(op, o))
        })?,
        (Col::Bool(a), Col::Bool(b)) if matches!(op, BinOp::Eq | BinOp::Ne) => cmp_op(op, a, b),
        (Col::Enum(_, a), Col::Enum(_, b)) if matches!(op, BinOp::Eq | BinOp::Ne) => {
            cmp_op(op, a, b)
        }
        _ => return Err(Fallback),
    }))
}

fn arith(op: BinOp, x: Col, y: Col) -> Cols<Col> {
    use Col::*;
    use kernel as k;
    let sub = op == BinOp::Sub;
    let sign = if sub { -1 } else { 1 };
    let int = rust_decimal::Decimal::from;
    Ok(match (op, x, y) {
        (BinOp::Add, Int(a), Int(b)) => Int(zip_map(&a, &b, k::int_add)?),
        (BinOp::Sub, Int(a), Int(b)) => Int(zip_map(&a, &b, k::int_sub)?),
        (BinOp::Add, Money(a), Money(b)) => Money(zip_map(&a, &b, k::money_add)?),
        (BinOp::Sub, Money(a), Money(b)) => Money(zip_map(&a, &b, k::money_sub)?),
        (BinOp::Add, Decimal(a), Decimal(b)) => Decimal(zip_map(&a, &b, k::dec_add)?),
        (BinOp::Sub, Decimal(a), Decimal(b)) => Decimal(zip_map(&a, &b, k::dec_sub)?),
        (BinOp::Add, Duration(a), Duration(b)) => Duration(zip_map(&a, &b, k::dur_add)?),
        (BinOp::Sub, Duration(a), Duration(b)) => Duration(zip_map(&a, &b, k::dur_sub)?),
        (BinOp::Add | BinOp::Sub, Date(a), Duration(b)) => {
            Date(zip_map(&a, &b, |d, du| k::date_shift(d, du, sign))?)
        }
        (BinOp::Add, Duration(b), Date(a)) => {
            Date(zip_map(&a, &b, |d, du| k::date_shift(d, du, 1))?)
        }
        (BinOp::Sub, Date(a), Date(b)) => Duration(zip_map(&a, &b, |p, q| Ok(k::date_diff(p, q)))?),
        (BinOp::Mul | BinOp::Of, Int(a), Int(b)) => Int(zip_map(&a, &b, k::int_mul)?),
        (BinOp::Mul | BinOp::Of, Money(m), Int(n)) | (BinOp::Mul | BinOp::Of, Int(n), Money(m)) => {
            Money(zip_map(&m, &n, k::money_times)?)
        }
        (BinOp::Mul | BinOp::Of, Money(m), Decimal(n))
        | (BinOp::Mul | BinOp::Of, Decimal(n), Money(m)) => Money(zip_map(&m, &n, k::money_scale)?),
        (BinOp::Mul | BinOp::Of, Decimal(a), Decimal(b)) => Decimal(zip_map(&a, &b, k::dec_mul)?),
        (BinOp::Mul | BinOp::Of, Duration(a), Int(n))
        | (BinOp::Mul | BinOp::Of, Int(n), Duration(a)) => Duration(zip_map(&a, &n, k::dur_scale)?),
        (BinOp::Div, Money(m), Int(n)) => Money(zip_map(&m, &n, |p, q| k::money_div(p, int(q)))?),
        (BinOp::Div, Money(m), Decimal(n)) => Money(zip_map(&m, &n, k::money_div)?),
        (BinOp::Div, Money(a), Money(b)) => Decimal(zip_map(&a, &b, k::money_ratio)?),
        (BinOp::Div, Int(a), Int(b)) => {
            Decimal(zip_map(&a, &b, |p, q| k::dec_div(int(p), int(q)))?)
        }
        (BinOp::Div, Decimal(a), Decimal(b)) => Decimal(zip_map(&a, &b, k::dec_div)?),
        _ => return Err(Fallback),
    })
}

fn builtin(b: Builtin, mut args: Vec<Col>) -> Cols<Col> {
    use Col::*;
    fn fold<T: Copy>(
        cols: &[&Vec<T>],
        min: bool,
        cmp: impl Fn(T, T) -> std::cmp::Ordering,
    ) -> Vec<T> {
        let mut out = cols[0].clone();
        for c in &cols[1..] {
            for (o, x) in out.iter_mut().zip(c.iter()) {
                let ord = cmp(*x, *o);
                if (min && ord.is_lt()) || (!min && ord.is_gt()) {
                    *o = *x;
                }
            }
        }
        out
    }
    Ok(match b {
        Builtin::Min | Builtin::Max => {
            let min = b == Builtin::Min;
            match &args[0] {
                Int(_) => Int(fold(
                    &args
                        .iter()
                        .map(|a| if let Int(v) = a { Ok(v) } else { Err(Fallback) })
                        .collect::<Cols<Vec<_>>>()?,
                    min,
                    |a: i64, b: i64| a.cmp(&b),
                )),
                Money(_) => Money(fold(
                    &args
                        .iter()
                        .map(|a| {
                            if let Money(v) = a {
                                Ok(v)
                            } else {
                                Err(Fallback)
                            }
                        })
                        .collect::<Cols<Vec<_>>>()?,
                    min,
                    kernel::money_cmp,
                )),
                Decimal(_) => Decimal(fold(
                    &args
                        .iter()
                        .map(|a| {
                            if let Decimal(v) = a {
                                Ok(v)
                            } else {
                                Err(Fallback)
                            }
                        })
                        .collect::<Cols<Vec<_>>>()?,
                    min,
                    |a: rust_decimal::Decimal, b: rust_decimal::Decimal| a.cmp(&b),
                )),
                Date(_) => Date(fold(
                    &args
                        .iter()
                        .map(|a| {
                            if let Date(v) = a {
                                Ok(v)
                            } else {
                                Err(Fallback)
                            }
                        })
                        .collect::<Cols<Vec<_>>>()?,
                    min,
                    |a: crate::lang::scalar::Date, b: crate::lang::scalar::Date| a.cmp(&b),
                )),
                _ => return Err(Fallback),
            }
        }
        Builtin::Round | Builtin::Floor | Builtin::Ceil => match args.remove(0) {
            Money(v) => Money(map(&v, kernel::round_money_value)?),
            Int(v) => Int(v),
            Decimal(v) => Int(map(
                &v,
                match b {
                    Builtin::Round => kernel::round,
                    Builtin::Floor => kernel::floor,
                    _ => kernel::ceil,
                },
            )?),
            _ => return Err(Fallback),
        },
        Builtin::Abs => match args.remove(0) {
            Int(v) => Int(map(&v, kernel::int_abs)?),
            Money(v) => Money(map(&v, kernel::money_abs)?),
            Decimal(v) => Decimal(v.into_iter().map(|x| x.abs()).collect()),
            Duration(v) => Duration(map(&v, kernel::dur_abs)?),
            _ => return Err(Fallback),
        },
        Builtin::SumList => match args.remove(0) {
            List(items) if !items.is_empty() => {
                let mut acc = items[0].clone();
                for c in items.into_iter().skip(1) {
                    acc = arith(BinOp::Add, acc, c)?;
                }
                acc
            }
            _ => return Err(Fallback),
        },
        Builtin::Allocate => {
            let caps = args.pop().ok_or(Fallback)?;
            let Money(total) = args.pop().ok_or(Fallback)? else {
                return Err(Fallback);
            };
            let List(caps) = caps else {
                return Err(Fallback);
            };
            let mut rest = total;
            let mut out = Vec::with_capacity(caps.len());
            for cap in caps {
                let Money(c) = cap else { return Err(Fallback) };
                let take = rest
                    .iter_mut()
                    .zip(&c)
                    .map(|(r, c)| kernel::allocate_step(r, *c).map_err(Fallback::from))
                    .collect::<Cols<Vec<_>>>()?;
                out.push(Money(take));
            }
            List(out)
        }
        // Rows with dates between them, and periods, are the row evaluator's.
        Builtin::YearsBetween
        | Builtin::MonthsBetween
        | Builtin::DaysBetween
        | Builtin::Period
        | Builtin::Span
        | Builtin::YearOf
        | Builtin::MonthOf
        | Builtin::DaysIn
        | Builtin::MonthsIn
        | Builtin::Months
        | Builtin::Overlaps
        | Builtin::Start
        | Builtin::End => {
            return Err(Fallback);
        }
    })
}

//! Expressions of the checked program as SQL expressions, with the
//! interpreter's semantics: NULL is unknown (SQL's `AND`, `OR` and `NOT`
//! are Kleene's, as Pol's are), and every value carries an error
//! expression that is NULL when its evaluation does not fail.

use super::Compiler;
use super::dialect::Dialect;
use crate::check::ir::*;
use crate::i18n::tr;
use crate::lang::scalar::Duration;
use crate::lang::types::Type;
use crate::source::Span;
use crate::syntax::ast::{Aggregate, BinOp, Literal, UnOp};

/// A construct that is not compiled to SQL: refused by name, never
/// miscompiled.
#[derive(Debug, Clone)]
pub struct Refusal {
    pub span: Span,
    /// What is not compiled, in words (`a list`, `a per-subject clause`).
    pub what: String,
}

pub(super) type Compiled = Result<Code, Refusal>;

pub(super) fn refuse(span: Span, what: String) -> Refusal {
    Refusal { span, what }
}

/// The kind a duration counts in, known from the program alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    Months,
    Days,
}

/// How a value is laid out in SQL.
#[derive(Clone, Debug)]
pub(super) enum Repr {
    /// One column: a bool, an int, a decimal, money, a date, a duration's
    /// count, text or an enum's variant name.
    One(String),
    /// A period: its first and last day (both NULL when unknown).
    Pair(String, String),
    /// A record: its fields.
    Fields(Vec<Code>),
    /// A list written in the program (`[a, b]`, `{a, b}`), item by item.
    Items(Vec<Code>),
    /// The shares of `allocate`, item by item, and what they come to
    /// together.
    Shares(Vec<Code>, String),
    /// A duration whose kind only the case says (a fact): its count, and
    /// whether it counts months (else days).
    Dur(String, String),
    /// A list of a case: its table (named by the list's path), and the
    /// type of its items.
    Table(String, Type),
    /// A field of a fact that SQL does not hold: refused where it is read.
    Refused(Box<Refusal>),
}

/// A compiled expression.
#[derive(Clone, Debug)]
pub(super) struct Code {
    pub v: Repr,
    /// The error of its evaluation (`error[CODE]`), NULL when none.
    pub e: Option<String>,
    /// For a duration: the kind it counts in.
    pub kind: Option<Kind>,
    /// The deepest computed column it reads (0: only the table's).
    pub level: usize,
}

impl Code {
    pub fn one(v: String) -> Code {
        Code {
            v: Repr::One(v),
            e: None,
            kind: None,
            level: 0,
        }
    }

    pub fn sql(&self) -> &str {
        match &self.v {
            Repr::One(s) => s,
            // The start of a period, or a duration's count, says whether it
            // is known.
            Repr::Pair(s, _) | Repr::Dur(s, _) => s,
            _ => "NULL",
        }
    }

    /// Whether the value is unknown.
    pub fn is_null(&self) -> String {
        format!("({}) IS NULL", self.sql())
    }
}

/// The error text of a failing evaluation.
pub(super) fn error_text(code: &str) -> String {
    format!("'error[{code}]'")
}

/// The first error of several evaluated in order (`COALESCE` keeps the
/// first that is not NULL).
pub(super) fn first_error(errors: impl IntoIterator<Item = Option<String>>) -> Option<String> {
    let all: Vec<String> = errors.into_iter().flatten().collect();
    match all.len() {
        0 => None,
        1 => all.into_iter().next(),
        _ => Some(format!("COALESCE({})", all.join(", "))),
    }
}

/// An error that only happens when `guard` holds.
pub(super) fn guarded(guard: &str, e: &Option<String>) -> Option<String> {
    e.as_ref()
        .map(|e| format!("CASE WHEN COALESCE({guard}, FALSE) THEN {e} END"))
}

fn level(codes: &[&Code]) -> usize {
    codes.iter().map(|c| c.level).max().unwrap_or(0)
}

/// NULL when any of `codes` is unknown, else `value`.
fn known_then(codes: &[&Code], value: String) -> String {
    let nulls: Vec<String> = codes.iter().map(|c| c.is_null()).collect();
    format!(
        "CASE WHEN {} THEN NULL ELSE {value} END",
        nulls.join(" OR ")
    )
}

fn ints(d: Dialect, what: &str, of: &str) -> String {
    let _ = d;
    format!("CAST(EXTRACT({what} FROM {of}) AS BIGINT)")
}

impl Compiler<'_> {
    pub(super) fn expr(&mut self, e: &TExpr) -> Compiled {
        let d = self.dialect;
        match &e.kind {
            TExprKind::Lit(l) => self.literal(l, e.span),
            TExprKind::Today => Ok(self.today()),
            TExprKind::Input(i) => {
                let program = self.program;
                let input = &program.inputs[i.index()];
                let c = self.fact(&input.name, &input.ty, e.span)?;
                self.with_default(c, input.default.as_ref(), &input.ty, e.span)
            }
            TExprKind::Param(p, at) => self.param(*p, at.as_deref(), e.span),
            TExprKind::Member(m) => {
                let clause = match m {
                    Member::Eligible(c) => *c,
                    Member::Def(d) => self.program.defs[d.index()].clause,
                };
                if self.program.clauses[clause.index()].subject.is_some() && self.locals.is_empty()
                {
                    return Err(self.per_subject(clause, e.span));
                }
                self.member(*m)
            }
            TExprKind::Call {
                clause,
                subject,
                member,
            } => {
                // A per-subject clause is written in place for its subject:
                // an item of a list (in the subquery over them), a record of
                // the case, or a value.
                let s = self.expr(subject)?;
                if matches!(
                    s.v,
                    Repr::Table(..) | Repr::Refused(_) | Repr::Items(_) | Repr::Shares(..)
                ) {
                    return Err(self.per_subject(*clause, e.span));
                }
                let saved = std::mem::replace(&mut self.locals, vec![s.clone()]);
                let result = self.member(*member);
                self.locals = saved;
                let r = result?;
                // An unknown subject (a value, not a record) leaves the
                // member unknown, and unevaluated.
                match (&s.v, &r.v) {
                    (Repr::One(_) | Repr::Pair(..), Repr::One(v)) => Ok(Code {
                        v: Repr::One(format!("CASE WHEN {} THEN NULL ELSE {v} END", s.is_null())),
                        e: first_error([
                            s.e.clone(),
                            guarded(&format!("NOT {}", s.is_null()), &r.e),
                        ]),
                        kind: r.kind,
                        level: r.level.max(s.level),
                    }),
                    (Repr::One(_) | Repr::Pair(..), _) => {
                        Err(refuse(e.span, tr!("sql-what-operation")))
                    }
                    _ => Ok(Code {
                        e: first_error([s.e.clone(), r.e.clone()]),
                        level: r.level.max(s.level),
                        ..r
                    }),
                }
            }
            TExprKind::Local(slot) => self
                .locals
                .get(*slot as usize)
                .cloned()
                .ok_or_else(|| refuse(e.span, tr!("sql-what-local"))),
            TExprKind::Field(base, index) => {
                let b = self.expr(base)?;
                match b.v {
                    Repr::Fields(mut fields) if (*index as usize) < fields.len() => {
                        let mut f = fields.swap_remove(*index as usize);
                        if let Repr::Refused(r) = f.v {
                            return Err(refuse(e.span, r.what));
                        }
                        f.e = first_error([b.e, f.e]);
                        Ok(f)
                    }
                    _ => Err(refuse(e.span, tr!("sql-what-record"))),
                }
            }
            TExprKind::Variant(en, v) => Ok(Code::one(text_literal(
                &self.program.enums[en.index()].variants[*v as usize],
            ))),
            TExprKind::Widen(x) => {
                let c = self.expr(x)?;
                Ok(Code {
                    v: Repr::One(d.widen(c.sql())),
                    ..c
                })
            }
            TExprKind::Unary(UnOp::Not, x) => {
                let c = self.expr(x)?;
                Ok(Code {
                    v: Repr::One(format!("(NOT {})", c.sql())),
                    ..c
                })
            }
            TExprKind::Unary(UnOp::Neg, x) => {
                let c = self.expr(x)?;
                if x.ty == Type::Period {
                    return Err(refuse(e.span, tr!("sql-what-operation")));
                }
                if is_dur(&c) {
                    return Err(refuse(e.span, tr!("sql-what-duration-kinds")));
                }
                if matches!(x.ty, Type::Int | Type::Duration) {
                    let wide = format!("(-{})", d.widen(c.sql()));
                    return Ok(self.int_checked(wide, c.kind, c.level, c.e.clone()));
                }
                Ok(Code {
                    v: Repr::One(format!("(-{})", c.sql())),
                    ..c
                })
            }
            TExprKind::Binary(BinOp::And | BinOp::Or, l, r) => {
                let is_or = matches!(e.kind, TExprKind::Binary(BinOp::Or, ..));
                let a = self.expr(l)?;
                let b = self.expr(r)?;
                // The right side is evaluated only when the left does not
                // decide: its errors count only then.
                let undecided = if is_or {
                    format!("NOT COALESCE({}, FALSE)", a.sql())
                } else {
                    format!("COALESCE({}, TRUE)", a.sql())
                };
                let op = if is_or { "OR" } else { "AND" };
                Ok(Code {
                    v: Repr::One(format!("({} {op} {})", a.sql(), b.sql())),
                    e: first_error([a.e.clone(), guarded(&undecided, &b.e)]),
                    kind: None,
                    level: level(&[&a, &b]),
                })
            }
            TExprKind::Binary(BinOp::In, l, r) => {
                let x = self.expr(l)?;
                let set = self.expr(r)?;
                let e_all = |items: &[Code]| {
                    first_error(
                        std::iter::once(x.e.clone())
                            .chain(std::iter::once(set.e.clone()))
                            .chain(items.iter().map(|i| i.e.clone())),
                    )
                };
                match &set.v {
                    Repr::Pair(s, t) => Ok(Code {
                        v: Repr::One(format!("(({x}) >= ({s}) AND ({x}) <= ({t}))", x = x.sql())),
                        e: e_all(&[]),
                        kind: None,
                        level: level(&[&x, &set]),
                    }),
                    Repr::Items(items) | Repr::Shares(items, _) if matches!(x.v, Repr::One(_)) => {
                        if items.iter().any(|i| !matches!(i.v, Repr::One(_))) {
                            return Err(refuse(e.span, tr!("sql-what-operation")));
                        }
                        let v = if items.is_empty() {
                            format!("CASE WHEN {} THEN NULL ELSE FALSE END", x.is_null())
                        } else {
                            let list: Vec<&str> = items.iter().map(|i| i.sql()).collect();
                            format!("(({}) IN ({}))", x.sql(), list.join(", "))
                        };
                        let mut all: Vec<&Code> = items.iter().collect();
                        all.push(&x);
                        Ok(Code {
                            v: Repr::One(v),
                            e: e_all(items),
                            kind: None,
                            level: level(&all).max(set.level),
                        })
                    }
                    _ => Err(refuse(r.span, tr!("sql-what-list"))),
                }
            }
            TExprKind::Binary(op, l, r) => {
                let a = self.expr(l)?;
                let b = self.expr(r)?;
                self.binary(*op, l, r, a, b, e.span)
            }
            TExprKind::Between(x, lo, hi) => {
                let (x, lo, hi) = (self.expr(x)?, self.expr(lo)?, self.expr(hi)?);
                if is_dur(&lo) || is_dur(&hi) {
                    return Err(refuse(e.span, tr!("sql-what-duration-kinds")));
                }
                let mut mixed = Vec::new();
                if is_dur(&x) {
                    mixed.push(Some(self.mixed_kinds(&x, &lo, e.span)?));
                    mixed.push(Some(self.mixed_kinds(&x, &hi, e.span)?));
                } else {
                    self.same_kind(&[&x, &lo, &hi], e.span)?;
                }
                let v = known_then(
                    &[&x, &lo, &hi],
                    format!(
                        "(({x}) >= ({lo}) AND ({x}) <= ({hi}))",
                        x = x.sql(),
                        lo = lo.sql(),
                        hi = hi.sql()
                    ),
                );
                Ok(Code {
                    v: Repr::One(v),
                    e: first_error(
                        [x.e.clone(), lo.e.clone(), hi.e.clone()]
                            .into_iter()
                            .chain(mixed),
                    ),
                    kind: None,
                    level: level(&[&x, &lo, &hi]),
                })
            }
            TExprKind::If(c, a, b) => {
                let c = self.expr(c)?;
                let scale = self.scale_of(e);
                let a = self.expr(a)?;
                let b = self.expr(b)?;
                let (a, b) = (self.unify(a, &e.ty, scale), self.unify(b, &e.ty, scale));
                let kind = self.joined_kind(&a, &b, e.span)?;
                let pick = |x: &str, y: &str| {
                    format!(
                        "CASE WHEN {c} THEN {x} WHEN NOT {c} THEN {y} END",
                        c = c.sql()
                    )
                };
                let v = match (&a.v, &b.v) {
                    (Repr::One(x), Repr::One(y)) => Repr::One(pick(x, y)),
                    (Repr::Pair(x0, x1), Repr::Pair(y0, y1)) => {
                        Repr::Pair(pick(x0, y0), pick(x1, y1))
                    }
                    _ => return Err(refuse(e.span, tr!("sql-what-record"))),
                };
                Ok(Code {
                    v,
                    e: first_error([
                        c.e.clone(),
                        guarded(c.sql(), &a.e),
                        guarded(&format!("NOT {}", c.sql()), &b.e),
                    ]),
                    kind,
                    level: level(&[&c, &a, &b]),
                })
            }
            TExprKind::Set(items) | TExprKind::List(items) => {
                let codes = items
                    .iter()
                    .map(|i| self.expr(i))
                    .collect::<Result<Vec<_>, _>>()?;
                let lv = level(&codes.iter().collect::<Vec<_>>());
                Ok(Code {
                    v: Repr::Items(codes),
                    e: None,
                    kind: None,
                    level: lv,
                })
            }
            TExprKind::Record(r, fields) => {
                let program = self.program;
                let mut codes = Vec::with_capacity(fields.len());
                for (f, info) in fields.iter().zip(&program.records[r.index()].fields) {
                    codes.push(match (f, &info.default) {
                        (Some(x), _) => self.expr(x)?,
                        // A field not written takes its default.
                        (None, Some(d)) => self.expr(d)?,
                        (None, None) => Code::one("NULL".into()),
                    });
                }
                let lv = level(&codes.iter().collect::<Vec<_>>());
                Ok(Code {
                    v: Repr::Fields(codes),
                    e: None,
                    kind: None,
                    level: lv,
                })
            }
            TExprKind::Builtin(b, args) => {
                let codes = args
                    .iter()
                    .map(|a| self.expr(a))
                    .collect::<Result<Vec<_>, _>>()?;
                let arg_int = args.first().is_some_and(|a| a.ty == Type::Int);
                let codes = if matches!(b, Builtin::Min | Builtin::Max) {
                    let scale = self.scale_of(e);
                    codes
                        .into_iter()
                        .map(|c| self.unify(c, &e.ty, scale))
                        .collect()
                } else {
                    codes
                };
                self.builtin(*b, codes, &e.ty, arg_int, e.span)
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
                e.span,
            ),
        }
    }

    fn per_subject(&self, clause: ClauseId, span: Span) -> Refusal {
        refuse(
            span,
            tr!(
                "sql-what-per-subject",
                clause = self.program.clauses[clause.index()].name.clone()
            ),
        )
    }

    pub(super) fn literal(&self, l: &Literal, span: Span) -> Compiled {
        let d = self.dialect;
        Ok(match l {
            Literal::Bool(b) => Code::one(if *b { "TRUE" } else { "FALSE" }.into()),
            Literal::Int(n) => Code::one(format!("CAST({n} AS BIGINT)")),
            Literal::Decimal(x) => Code::one(format!("CAST({x} AS {})", d.decimal(x.scale()))),
            Literal::Money(m) => Code::one(format!("CAST({m} AS {})", d.decimal(2))),
            Literal::Date(x) => Code::one(format!("DATE '{x}'")),
            Literal::Duration(x) => {
                let (n, kind) = match x {
                    Duration::Months(n) => (*n, Kind::Months),
                    Duration::Days(n) => (*n, Kind::Days),
                };
                Code {
                    kind: Some(kind),
                    ..Code::one(format!("CAST({n} AS BIGINT)"))
                }
            }
            Literal::Period(p) => Code {
                v: Repr::Pair(
                    format!("DATE '{}'", p.start()),
                    format!("DATE '{}'", p.end()),
                ),
                e: None,
                kind: None,
                level: 0,
            },
            Literal::Text(t) => {
                let _ = span;
                Code::one(text_literal(t))
            }
        })
    }

    /// The value of a fact at `path`: its column, or its fields' columns.
    /// A fact read with its default: the default where the column is NULL.
    fn with_default(
        &mut self,
        code: Code,
        default: Option<&TExpr>,
        ty: &Type,
        span: Span,
    ) -> Compiled {
        let Some(d) = default else {
            return Ok(code);
        };
        if *ty == Type::Duration || !matches!(code.v, Repr::One(_)) {
            return Err(refuse(span, tr!("sql-what-default")));
        }
        let value = self.expr(d)?;
        // In the column's own type: an engine may otherwise take the
        // default's scale for both (DuckDB makes `0.25` of DECIMAL(38,10)
        // and `0.5` of DECIMAL(38,1) a DECIMAL(38,1)).
        let value = match super::column_type(self.dialect, ty) {
            Some(t) => format!("CAST({} AS {t})", value.sql()),
            None => value.sql().to_string(),
        };
        Ok(Code {
            v: Repr::One(format!("COALESCE({}, {value})", code.sql())),
            ..code
        })
    }

    pub(super) fn fact(&mut self, path: &str, ty: &Type, span: Span) -> Compiled {
        let d = self.dialect;
        match ty {
            Type::Record(r) => {
                let fields = self.program.records[r.index()].fields.clone();
                let mut codes = Vec::with_capacity(fields.len());
                for f in &fields {
                    let sub = format!("{path}.{}", f.name);
                    // A field a rule never reads may be one SQL does not
                    // hold; it is refused only if read.
                    let code = self
                        .fact(&sub, &f.ty, f.span)
                        .and_then(|c| self.with_default(c, f.default.as_ref(), &f.ty, f.span));
                    codes.push(match code {
                        Ok(c) => c,
                        Err(r) => Code {
                            v: Repr::Refused(Box::new(r)),
                            ..Code::one(String::new())
                        },
                    });
                }
                Ok(Code {
                    v: Repr::Fields(codes),
                    e: None,
                    kind: None,
                    level: 0,
                })
            }
            Type::List(item) => {
                if matches!(**item, Type::List(_)) {
                    return Err(refuse(span, tr!("sql-what-list-fact", path = path)));
                }
                self.read_list(path);
                Ok(Code {
                    v: Repr::Table(path.to_string(), (**item).clone()),
                    ..Code::one(String::new())
                })
            }
            Type::Duration => {
                self.read(path);
                if self.inline > 0 {
                    return Ok(self.duration_of(&super::outer(d, path)));
                }
                // Read once into its count and kind, for every use.
                if let Some(done) = self.durations.get(path) {
                    return Ok(done.clone());
                }
                let code = self.duration_of(&super::outer(d, path));
                let code = self.materialize(code)?;
                self.durations.insert(path.to_string(), code.clone());
                Ok(code)
            }
            Type::Period => Err(refuse(span, tr!("sql-what-period-fact", path = path))),
            _ => {
                self.read(path);
                Ok(Code::one(super::outer(d, path)))
            }
        }
    }

    fn binary(
        &mut self,
        op: BinOp,
        l: &TExpr,
        r: &TExpr,
        a: Code,
        b: Code,
        span: Span,
    ) -> Compiled {
        let d = self.dialect;
        let (lt, rt) = (&l.ty, &r.ty);
        let lv = level(&[&a, &b]);
        let e = first_error([a.e.clone(), b.e.clone()]);
        let make = |v: String, kind: Option<Kind>| Code {
            v: Repr::One(v),
            e: e.clone(),
            kind,
            level: lv,
        };
        let (x, y) = (a.sql().to_string(), b.sql().to_string());
        match op {
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let sym = match op {
                    BinOp::Eq => "=",
                    BinOp::Ne => "<>",
                    BinOp::Lt => "<",
                    BinOp::Le => "<=",
                    BinOp::Gt => ">",
                    _ => ">=",
                };
                match (&a.v, &b.v) {
                    (Repr::One(_), Repr::One(_)) => {
                        self.same_kind(&[&a, &b], span)?;
                        Ok(make(format!("(({x}) {sym} ({y}))"), None))
                    }
                    (Repr::Dur(..), Repr::One(_)) | (Repr::One(_), Repr::Dur(..)) => {
                        let mixed = self.mixed_kinds(&a, &b, span)?;
                        Ok(Code {
                            e: first_error([e.clone(), Some(mixed)]),
                            ..make(format!("(({x}) {sym} ({y}))"), None)
                        })
                    }
                    (Repr::Pair(a0, a1), Repr::Pair(b0, b1))
                        if matches!(op, BinOp::Eq | BinOp::Ne) =>
                    {
                        let eq = format!("(({a0}) = ({b0}) AND ({a1}) = ({b1}))");
                        Ok(make(
                            if op == BinOp::Eq {
                                eq
                            } else {
                                format!("(NOT {eq})")
                            },
                            None,
                        ))
                    }
                    _ => Err(refuse(span, tr!("sql-what-record"))),
                }
            }
            BinOp::Add | BinOp::Sub => {
                let sign = if op == BinOp::Add { "+" } else { "-" };
                match (lt, rt) {
                    (Type::Date, Type::Duration) if matches!(b.v, Repr::Dur(..)) => {
                        let Repr::Dur(count, months) = &b.v else {
                            return Err(refuse(span, tr!("sql-what-operation")));
                        };
                        let n = if op == BinOp::Add {
                            count.clone()
                        } else {
                            format!("(-{count})")
                        };
                        Ok(make(
                            format!(
                                "CASE WHEN {months} THEN {} ELSE {} END",
                                d.add_months(&x, &n),
                                d.add_days(&x, &n)
                            ),
                            None,
                        ))
                    }
                    _ if is_dur(&a) || is_dur(&b) => {
                        Err(refuse(span, tr!("sql-what-duration-kinds")))
                    }
                    (Type::Date, Type::Duration) => {
                        let kind = a_kind(&b, span)?;
                        let n = if op == BinOp::Add {
                            y.clone()
                        } else {
                            format!("(-{y})")
                        };
                        let moved = match kind {
                            Kind::Months => d.add_months(&x, &n),
                            Kind::Days => d.add_days(&x, &n),
                        };
                        Ok(make(moved, None))
                    }
                    (Type::Date, Type::Date) => Ok(make(d.days_from(&y, &x), Some(Kind::Days))),
                    (Type::Duration, Type::Duration) => {
                        let kind = self.joined_kind(&a, &b, span)?;
                        Ok(self.int_checked(
                            format!("({} {sign} {})", d.widen(&x), d.widen(&y)),
                            kind,
                            lv,
                            e,
                        ))
                    }
                    (Type::Int, Type::Int) => Ok(self.int_checked(
                        format!("({} {sign} {})", d.widen(&x), d.widen(&y)),
                        None,
                        lv,
                        e,
                    )),
                    _ => Ok(make(format!("({x} {sign} {y})"), None)),
                }
            }
            BinOp::Mul | BinOp::Of if is_dur(&a) || is_dur(&b) => {
                Err(refuse(span, tr!("sql-what-duration-kinds")))
            }
            BinOp::Mul | BinOp::Of => match (lt, rt) {
                (Type::Money, Type::Decimal) | (Type::Decimal, Type::Money) => {
                    Ok(make(self.round_fen(&format!("({x} * {y})")), None))
                }
                (Type::Duration, _) | (_, Type::Duration) | (Type::Int, Type::Int) => {
                    let kind = a.kind.or(b.kind);
                    let wide = format!("({} * {})", d.widen(&x), d.widen(&y));
                    Ok(self.int_checked(wide, kind, lv, e))
                }
                _ => Ok(make(format!("({x} * {y})"), None)),
            },
            BinOp::Div => match (lt, rt, &r.kind) {
                (Type::Money, Type::Int, _) => Ok(self.money_div(a, b, None)),
                // A decimal literal of few places: scaled to whole numbers.
                (Type::Money, Type::Decimal, TExprKind::Lit(Literal::Decimal(x)))
                    if x.scale() <= 6 =>
                {
                    Ok(self.money_div(a, b, Some(x.scale())))
                }
                _ => Err(refuse(span, tr!("sql-what-division"))),
            },
            _ => Err(refuse(span, tr!("sql-what-operation"))),
        }
    }

    /// A decimal cast to `scale` places where values of several expressions
    /// meet (`if`, `min`, exceptions): DuckDB's common type of two
    /// `DECIMAL(38,…)` keeps the smaller scale and would round. Every value
    /// has at most `scale` places, so the cast is exact.
    pub(super) fn unify(&self, code: Code, ty: &Type, scale: u32) -> Code {
        match (&code.v, ty) {
            (Repr::One(s), Type::Decimal) => Code {
                v: Repr::One(format!("CAST({s} AS {})", self.dialect.decimal(scale))),
                ..code
            },
            _ => code,
        }
    }

    /// The most decimal places a value of `e` can have.
    pub(super) fn scale_of(&self, e: &TExpr) -> u32 {
        let scale = match e.ty {
            Type::Money => return 2,
            Type::Decimal => match &e.kind {
                TExprKind::Lit(Literal::Decimal(x)) => x.scale(),
                TExprKind::Widen(_) => 0,
                TExprKind::Unary(_, x) => self.scale_of(x),
                TExprKind::Binary(BinOp::Add | BinOp::Sub, a, b) => {
                    self.scale_of(a).max(self.scale_of(b))
                }
                TExprKind::Binary(BinOp::Mul | BinOp::Of, a, b) => {
                    self.scale_of(a) + self.scale_of(b)
                }
                TExprKind::If(_, a, b) => self.scale_of(a).max(self.scale_of(b)),
                TExprKind::Builtin(_, args) => {
                    args.iter().map(|a| self.scale_of(a)).max().unwrap_or(0)
                }
                TExprKind::Member(Member::Def(d)) => self.def_scale(&self.program.defs[d.index()]),
                TExprKind::Param(p, _) => self.program.params[p.index()]
                    .values
                    .iter()
                    .map(|(_, v)| self.scale_of(v))
                    .max()
                    .unwrap_or(0),
                // A fact's column.
                _ => 10,
            },
            _ => 0,
        };
        scale.min(38)
    }

    /// The most places of a definition's value: its base or any exception's.
    pub(super) fn def_scale(&self, info: &DefInfo) -> u32 {
        let mut scale = self.scale_of(&info.expr);
        for (_, then) in &info.unless {
            scale = scale.max(self.scale_of(then));
        }
        let mut stack: Vec<AmendId> = info.amendments.clone();
        while let Some(a) = stack.pop() {
            let amend = &self.program.amends[a.index()];
            scale = scale.max(self.scale_of(&amend.then));
            stack.extend(amend.children.iter().copied());
        }
        scale
    }

    /// An int computed exactly as a decimal (`wide`), then made a BIGINT:
    /// past 64 bits it is an overflow, an error of the row, as in the
    /// interpreter, and never the engine's own error.
    fn int_checked(
        &self,
        wide: String,
        kind: Option<Kind>,
        level: usize,
        e: Option<String>,
    ) -> Code {
        let range = format!("({wide}) BETWEEN -9223372036854775808 AND 9223372036854775807");
        Code {
            v: Repr::One(format!("CAST(CASE WHEN {range} THEN {wide} END AS BIGINT)")),
            e: first_error([
                e,
                Some(format!(
                    "CASE WHEN NOT ({range}) THEN {} END",
                    error_text("pol::eval::overflow")
                )),
            ]),
            kind,
            level,
        }
    }

    /// Money rounded to the fen, half away from zero (every engine's
    /// `ROUND` of an exact decimal).
    fn round_fen(&self, x: &str) -> String {
        format!("ROUND({x}, 2)")
    }

    /// Money divided by an int (or by a decimal literal with `scale`
    /// places), rounded to the fen half away from zero, in exact integer
    /// arithmetic: no engine's decimal division is exact.
    fn money_div(&self, a: Code, b: Code, scale: Option<u32>) -> Code {
        let d = self.dialect;
        let lv = level(&[&a, &b]);
        let ten = 10i64.pow(scale.unwrap_or(0));
        let fen = format!("CAST(({}) * {} AS BIGINT)", a.sql(), 100 * ten);
        let n = match scale {
            None => format!("CAST({} AS BIGINT)", b.sql()),
            Some(_) => format!("CAST(({}) * {ten} AS BIGINT)", b.sql()),
        };
        let abs = |s: &str| format!("ABS({s})");
        let q = d.int_div(
            &format!("2 * {} + {}", abs(&fen), abs(&n)),
            &format!("2 * {}", abs(&format!("NULLIF({n}, 0)"))),
        );
        let signed = format!("CASE WHEN ({fen} < 0) <> ({n} < 0) THEN -{q} ELSE {q} END");
        let v = format!(
            "(CAST({signed} AS {}) * CAST(0.01 AS {}))",
            d.decimal(0),
            d.decimal(2)
        );
        let zero = format!(
            "CASE WHEN ({n}) = 0 THEN {} END",
            error_text("pol::eval::division_by_zero")
        );
        Code {
            v: Repr::One(v),
            e: first_error([a.e, b.e, Some(zero)]),
            kind: None,
            level: lv,
        }
    }

    /// Durations compared or joined must count in one kind, as the program
    /// alone shows; else refused.
    fn same_kind(&self, codes: &[&Code], span: Span) -> Result<(), Refusal> {
        // Even a zero of the other kind: which kind a sum of the two
        // counts in then depends on whether a value is zero when it runs.
        let kinds: Vec<Kind> = codes.iter().filter_map(|c| c.kind).collect();
        if kinds.windows(2).any(|w| w[0] != w[1]) {
            return Err(refuse(span, tr!("sql-what-duration-kinds")));
        }
        Ok(())
    }

    fn joined_kind(&self, a: &Code, b: &Code, span: Span) -> Result<Option<Kind>, Refusal> {
        self.same_kind(&[a, b], span)?;
        Ok(a.kind.or(b.kind))
    }

    fn builtin(
        &mut self,
        b: Builtin,
        args: Vec<Code>,
        ty: &Type,
        arg_int: bool,
        span: Span,
    ) -> Compiled {
        let d = self.dialect;
        let all: Vec<&Code> = args.iter().collect();
        let lv = level(&all);
        let e = first_error(args.iter().map(|a| a.e.clone()));
        let one = |v: String| Code {
            v: Repr::One(v),
            e: e.clone(),
            kind: None,
            level: lv,
        };
        let ones = || -> Result<Vec<&str>, Refusal> {
            args.iter()
                .map(|a| match &a.v {
                    Repr::One(s) => Ok(s.as_str()),
                    _ => Err(refuse(span, tr!("sql-what-operation"))),
                })
                .collect()
        };
        match b {
            Builtin::Min | Builtin::Max => {
                self.same_kind(&all, span)?;
                let f = if b == Builtin::Min {
                    "LEAST"
                } else {
                    "GREATEST"
                };
                // Engines' LEAST skips NULLs; Pol's min of an unknown is unknown.
                let v = known_then(&all, format!("{f}({})", ones()?.join(", ")));
                let kind = args.iter().find_map(|a| a.kind);
                Ok(Code { kind, ..one(v) })
            }
            Builtin::Round | Builtin::Floor | Builtin::Ceil => {
                let x = ones()?[0].to_string();
                let whole = match (ty, b) {
                    (Type::Money, _) => return Ok(one(x)),
                    _ if arg_int => return Ok(one(x)),
                    (_, Builtin::Round) => format!("ROUND({x})"),
                    (_, Builtin::Floor) => format!("FLOOR({x})"),
                    _ => format!("CEIL({x})"),
                };
                Ok(self.int_checked(whole, None, lv, e.clone()))
            }
            Builtin::Abs => {
                let x = ones()?[0].to_string();
                if arg_int || args[0].kind.is_some() {
                    let wide = format!("ABS({})", d.widen(&x));
                    return Ok(self.int_checked(wide, args[0].kind, lv, e.clone()));
                }
                Ok(one(format!("ABS({x})")))
            }
            Builtin::YearsBetween | Builtin::MonthsBetween => {
                let v = ones()?;
                let months = self.months_until(v[0], v[1]);
                Ok(one(if b == Builtin::MonthsBetween {
                    months
                } else {
                    let m = months;
                    format!(
                        "CASE WHEN ({m}) < 0 THEN -{} ELSE {} END",
                        d.int_div(&format!("-({m})"), "12"),
                        d.int_div(&m, "12")
                    )
                }))
            }
            Builtin::DaysBetween => {
                let v = ones()?;
                Ok(one(d.days_from(v[0], v[1])))
            }
            Builtin::SumList => {
                if let Repr::Table(path, item) = &args[0].v {
                    let (path, item) = (path.clone(), item.clone());
                    return self.over_items(
                        &path,
                        &item,
                        ty,
                        span,
                        |_, item| Ok((None, Some(item))),
                        Aggregate::Sum,
                    );
                }
                if let Repr::Shares(_, total) = &args[0].v {
                    return Ok(Code {
                        v: Repr::One(total.clone()),
                        ..args[0].clone()
                    });
                }
                let Repr::Items(items) = &args[0].v else {
                    return Err(refuse(span, tr!("sql-what-list")));
                };
                let mut errors = vec![args[0].e.clone()];
                errors.extend(items.iter().map(|i| i.e.clone()));
                let v = if items.is_empty() {
                    zero_of(d, ty)
                } else {
                    let parts: Vec<&str> = items.iter().map(|i| i.sql()).collect();
                    format!("({})", parts.join(" + "))
                };
                let lv = level(&items.iter().collect::<Vec<_>>()).max(lv);
                Ok(Code {
                    v: Repr::One(v),
                    e: first_error(errors),
                    kind: None,
                    level: lv,
                })
            }
            Builtin::Allocate => {
                let Repr::One(total) = &args[0].v else {
                    return Err(refuse(span, tr!("sql-what-operation")));
                };
                let Repr::Items(caps) = &args[1].v else {
                    return Err(refuse(span, tr!("sql-what-list")));
                };
                // What the first i caps take together is min(total, the
                // sum of their caps), neither below zero; each cap takes the
                // difference of two such sums. An unknown cap (or total)
                // makes every share unknown.
                let zero = format!("CAST(0 AS {})", d.decimal(2));
                let pos = |s: &str| format!("GREATEST({s}, {zero})");
                let t = pos(total);
                let mut prefix: Vec<String> = Vec::new();
                let mut taken = vec![zero.clone()];
                for c in caps {
                    prefix.push(pos(c.sql()));
                    taken.push(format!("LEAST({t}, {})", prefix.join(" + ")));
                }
                let mut guard_codes: Vec<&Code> = caps.iter().collect();
                guard_codes.push(&args[0]);
                let shares: Vec<Code> = (0..caps.len())
                    .map(|i| Code {
                        v: Repr::One(known_then(
                            &guard_codes,
                            format!("({} - {})", taken[i + 1], taken[i]),
                        )),
                        e: None,
                        kind: None,
                        level: 0,
                    })
                    .collect();
                let mut errors = vec![e.clone()];
                errors.extend(caps.iter().map(|c| c.e.clone()));
                // A cap below zero is an error, once every cap is known.
                let negative: Vec<String> = caps
                    .iter()
                    .map(|c| format!("{} < {zero}", c.sql()))
                    .collect();
                if !negative.is_empty() {
                    errors.push(Some(known_then(
                        &guard_codes,
                        format!(
                            "CASE WHEN {} THEN {} END",
                            negative.join(" OR "),
                            error_text("pol::eval::negative_cap")
                        ),
                    )));
                }
                let lv = level(&guard_codes);
                // The shares together are what all the caps take.
                let together = known_then(&guard_codes, taken[caps.len()].clone());
                Ok(Code {
                    v: Repr::Shares(shares, together),
                    e: first_error(errors),
                    kind: None,
                    level: lv,
                })
            }
            Builtin::Period => {
                let v = ones()?;
                let (s, t) = (v[0].to_string(), v[1].to_string());
                let order = format!(
                    "CASE WHEN ({t}) < ({s}) THEN {} END",
                    error_text("pol::eval::period_order")
                );
                Ok(Code {
                    v: Repr::Pair(known_then(&all, s), known_then(&all, t)),
                    e: first_error([e.clone(), Some(order)]),
                    kind: None,
                    level: lv,
                })
            }
            Builtin::Span => {
                let k = a_kind(&args[1], span)?;
                let v = ones()?;
                let moved = match k {
                    Kind::Months => d.add_months(v[0], v[1]),
                    Kind::Days => d.add_days(v[0], v[1]),
                };
                let last = d.add_days(&moved, "-1");
                let order = format!(
                    "CASE WHEN ({last}) < ({}) THEN {} END",
                    v[0],
                    error_text("pol::eval::period_order")
                );
                Ok(Code {
                    v: Repr::Pair(known_then(&all, v[0].to_string()), known_then(&all, last)),
                    e: first_error([e.clone(), Some(order)]),
                    kind: None,
                    level: lv,
                })
            }
            Builtin::YearOf | Builtin::MonthOf => {
                let x = ones()?[0].to_string();
                let y = ints(d, "YEAR", &x);
                let (s, t) = if b == Builtin::YearOf {
                    (d.make_date(&y, "1", "1"), d.make_date(&y, "12", "31"))
                } else {
                    (d.make_date(&y, &ints(d, "MONTH", &x), "1"), d.last_day(&x))
                };
                Ok(Code {
                    v: Repr::Pair(s, t),
                    e: e.clone(),
                    kind: None,
                    level: lv,
                })
            }
            Builtin::Start | Builtin::End => match &args[0].v {
                Repr::Pair(s, t) => Ok(one(if b == Builtin::Start { s } else { t }.clone())),
                _ => Err(refuse(span, tr!("sql-what-operation"))),
            },
            Builtin::DaysIn | Builtin::MonthsIn | Builtin::Overlaps => {
                let mut starts = Vec::new();
                let mut ends = Vec::new();
                for a in &args {
                    let Repr::Pair(s, t) = &a.v else {
                        return Err(refuse(span, tr!("sql-what-operation")));
                    };
                    starts.push(s.clone());
                    ends.push(t.clone());
                }
                let (s, t) = if starts.len() == 1 {
                    (starts[0].clone(), ends[0].clone())
                } else {
                    (
                        format!("GREATEST({})", starts.join(", ")),
                        format!("LEAST({})", ends.join(", ")),
                    )
                };
                let value = match b {
                    Builtin::Overlaps => format!("(({s}) <= ({t}))"),
                    Builtin::DaysIn => format!(
                        "CASE WHEN ({s}) > ({t}) THEN CAST(0 AS BIGINT) ELSE {} + 1 END",
                        d.days_from(&s, &t)
                    ),
                    _ => format!(
                        "CASE WHEN ({s}) > ({t}) THEN CAST(0 AS BIGINT) ELSE ({ye} * 12 + {me}) - ({ys} * 12 + {ms}) + 1 END",
                        ye = ints(d, "YEAR", &t),
                        me = ints(d, "MONTH", &t),
                        ys = ints(d, "YEAR", &s),
                        ms = ints(d, "MONTH", &s),
                    ),
                };
                Ok(one(known_then(&all, value)))
            }
            Builtin::Months => Err(refuse(span, tr!("sql-what-list"))),
        }
    }

    /// A duration fact's cell (`2 years`, `6个月`, `30 days`: as in a CSV;
    /// the table's `CHECK` holds it to that form) as its count and kind.
    fn duration_of(&self, cell: &str) -> Code {
        let d = self.dialect;
        let number = d.regexp_extract(cell, super::DURATION_COUNT);
        let unit = format!(
            "trim({})",
            d.regexp_replace(cell, super::DURATION_COUNT, "")
        );
        let n = format!("CAST(replace({number}, '_', '') AS BIGINT)");
        let per = format!(
            "CASE {unit} WHEN 'year' THEN 12 WHEN 'years' THEN 12 WHEN '年' THEN 12 \
             WHEN 'week' THEN 7 WHEN 'weeks' THEN 7 WHEN '周' THEN 7 ELSE 1 END"
        );
        let months = format!("({unit} IN ('month', 'months', '个月', 'year', 'years', '年'))");
        Code {
            v: Repr::Dur(format!("({n} * {per})"), months),
            ..Code::one(String::new())
        }
    }

    /// The error of a duration fact met with a duration the program fixes
    /// the kind of: a month count with a day count is an error unless one
    /// of them is zero (LANGUAGE.md §5).
    fn mixed_kinds(&self, a: &Code, b: &Code, span: Span) -> Result<String, Refusal> {
        let (dur, other) = if is_dur(a) { (a, b) } else { (b, a) };
        let Repr::Dur(count, months) = &dur.v else {
            return Err(refuse(span, tr!("sql-what-duration-kinds")));
        };
        let kind = a_kind(other, span)?;
        let fixed = if kind == Kind::Months {
            "TRUE"
        } else {
            "FALSE"
        };
        Ok(format!(
            "CASE WHEN ({months}) <> {fixed} AND ({count}) <> 0 AND ({}) <> 0 THEN {} END",
            other.sql(),
            error_text("pol::eval::duration_kinds")
        ))
    }

    #[allow(clippy::too_many_arguments)]
    fn comprehension(
        &mut self,
        func: Aggregate,
        body: Option<&TExpr>,
        slot: u32,
        list: &TExpr,
        filter: Option<&TExpr>,
        ty: &Type,
        span: Span,
    ) -> Compiled {
        let l = self.expr(list)?;
        let Repr::Table(path, item) = l.v else {
            return Err(refuse(list.span, tr!("sql-what-list")));
        };
        self.over_items(
            &path,
            &item,
            ty,
            span,
            |me, item| {
                let saved = me.locals.clone();
                me.locals.truncate(slot as usize);
                me.locals.push(item);
                let f = filter.map(|f| me.expr(f)).transpose();
                let b = body.map(|b| me.expr(b)).transpose();
                me.locals = saved;
                Ok((f?, b?))
            },
            func,
        )
    }

    /// `sum`, `count`, `any` or `all` over the items of a list: a subquery
    /// over its table, with the interpreter's unknowns (an item whose
    /// filter or value is unknown makes the result unknown, unless `any` or
    /// `all` is decided by another) and its first error in the items'
    /// order (for `any` and `all`, before the item that decides).
    fn over_items(
        &mut self,
        path: &str,
        item: &Type,
        ty: &Type,
        span: Span,
        parts: impl FnOnce(&mut Self, Code) -> Result<(Option<Code>, Option<Code>), Refusal>,
        func: Aggregate,
    ) -> Compiled {
        let d = self.dialect;
        // A list inside an item's work (a comprehension in a per-subject
        // clause called over another list's items) would need a subquery
        // per item of the outer one.
        if !self.frames.is_empty() {
            return Err(refuse(span, tr!("sql-what-nested-list")));
        }
        let alias = self.alias();
        let item_code = self.item_code(&alias, item, None, span)?;
        self.frames.push(super::Frame::new(&alias));
        self.inline += 1;
        let compiled = parts(self, item_code).and_then(|(filter, body)| {
            // The filter, the value and the item's error as columns of
            // the items, which the aggregates read.
            let item_error = first_error([
                filter.as_ref().and_then(|f| f.e.clone()),
                guarded(
                    filter.as_ref().map_or("TRUE", |f| f.sql()),
                    &body.as_ref().and_then(|b| b.e.clone()),
                ),
            ]);
            let f = match filter {
                Some(f) => Some(self.materialize(Code { e: None, ..f })?),
                None => None,
            };
            let b = match body {
                Some(b) if !matches!(b.v, Repr::One(_)) => {
                    return Err(refuse(span, tr!("sql-what-operation")));
                }
                Some(b) => Some(self.materialize(Code { e: None, ..b })?),
                None => None,
            };
            let e = match item_error {
                Some(ie) => Some(self.materialize(Code {
                    level: f.iter().chain(b.iter()).map(|c| c.level).max().unwrap_or(0),
                    ..Code::one(ie)
                })?),
                None => None,
            };
            Ok((f, b, e))
        });
        self.inline -= 1;
        let mut frame = self.frames.pop().expect("the frame pushed above");
        let (filter, body, item_error) = compiled?;
        let f = filter
            .as_ref()
            .map_or("TRUE".to_string(), |f| f.sql().to_string());
        let b = body.as_ref().map(|b| b.sql().to_string());
        let a = d.quote(&alias);
        let item_col = format!("{a}.{}", d.quote(super::ITEM));
        // For `any` and `all`, the place of the first item that decides:
        // no item after it is evaluated, so none of its errors counts.
        if let (Aggregate::Any | Aggregate::All, Some(b), Some(_)) = (func, &b, &item_error) {
            let decisive = if func == Aggregate::Any {
                "TRUE"
            } else {
                "FALSE"
            };
            let top = frame.columns.iter().map(|c| c.level).max().unwrap_or(0);
            frame.columns.push(super::Column {
                name: "_d".into(),
                sql: format!(
                    "MIN(CASE WHEN COALESCE({f}, FALSE) AND ({b}) = {decisive} THEN {item_col} END) OVER ()"
                ),
                level: top + 1,
            });
        }
        let from = format!("FROM {}", frame.table(d, path));
        let flag = |cond: String| format!("MAX(CASE WHEN {cond} THEN 1 ELSE 0 END) = 1");
        let unknown_filter = format!("({f}) IS NULL");
        let value = match (func, &b) {
            (Aggregate::Count, _) => format!(
                "(SELECT CASE WHEN {} THEN NULL ELSE COALESCE(SUM(CASE WHEN {f} THEN 1 ELSE 0 END), 0) END {from})",
                flag(unknown_filter.clone())
            ),
            (Aggregate::Sum, Some(b)) => {
                let unknown = flag(format!("{unknown_filter} OR (({f}) AND ({b}) IS NULL)"));
                let zero = zero_of(d, ty);
                format!(
                    "(SELECT CASE WHEN {unknown} THEN NULL ELSE COALESCE(SUM(CASE WHEN {f} THEN {b} END), {zero}) END {from})"
                )
            }
            (Aggregate::Any | Aggregate::All, Some(b)) => {
                let is_any = func == Aggregate::Any;
                let decisive = if is_any { "TRUE" } else { "FALSE" };
                let other = if is_any { "FALSE" } else { "TRUE" };
                let decides = flag(format!("COALESCE({f}, FALSE) AND ({b}) = {decisive}"));
                let unknown = flag(format!(
                    "{unknown_filter} OR (COALESCE({f}, FALSE) AND ({b}) IS NULL)"
                ));
                format!(
                    "(SELECT CASE WHEN {decides} THEN {decisive} WHEN {unknown} THEN NULL ELSE {other} END {from})"
                )
            }
            _ => return Err(refuse(span, tr!("sql-what-operation"))),
        };
        // The error of the first item that fails, in the list's order.
        let e = item_error.map(|ie| {
            let ie = ie.sql().to_string();
            let mut cond = format!("{from} WHERE ({ie}) IS NOT NULL");
            if matches!(func, Aggregate::Any | Aggregate::All) && b.is_some() {
                let decided = format!("{a}.{}", d.quote("_d"));
                cond.push_str(&format!(
                    " AND ({decided} IS NULL OR {item_col} <= {decided})"
                ));
            }
            d.first_by(&ie, &item_col, &cond)
        });
        let level = frame.outer_level;
        let v = match (func, ty) {
            (Aggregate::Count, _) | (Aggregate::Sum, Type::Int | Type::Duration) => {
                let kind = body.as_ref().and_then(|b| b.kind);
                return Ok(self.int_checked(value, kind, level, e));
            }
            _ => value,
        };
        Ok(Code {
            v: Repr::One(v),
            e,
            kind: None,
            level,
        })
    }

    /// An item of a list's table, read through `alias`: a record's fields
    /// as their columns (`hired_on`, `address.city`), a scalar as `value`.
    fn item_code(&mut self, alias: &str, ty: &Type, prefix: Option<&str>, span: Span) -> Compiled {
        let d = self.dialect;
        match ty {
            Type::Record(r) => {
                let fields = self.program.records[r.index()].fields.clone();
                let mut codes = Vec::with_capacity(fields.len());
                for f in &fields {
                    let name = match prefix {
                        Some(p) => format!("{p}.{}", f.name),
                        None => f.name.clone(),
                    };
                    let code = self
                        .item_code(alias, &f.ty, Some(&name), f.span)
                        .and_then(|c| self.with_default(c, f.default.as_ref(), &f.ty, f.span));
                    codes.push(match code {
                        Ok(c) => c,
                        Err(r) => Code {
                            v: Repr::Refused(Box::new(r)),
                            ..Code::one(String::new())
                        },
                    });
                }
                Ok(Code {
                    v: Repr::Fields(codes),
                    ..Code::one(String::new())
                })
            }
            Type::Duration => Ok(self.duration_of(&format!(
                "{}.{}",
                d.quote(alias),
                d.quote(prefix.unwrap_or(super::VALUE))
            ))),
            _ if super::column_type(d, ty).is_some() => Ok(Code::one(format!(
                "{}.{}",
                d.quote(alias),
                d.quote(prefix.unwrap_or(super::VALUE))
            ))),
            _ => {
                let path = prefix.unwrap_or(super::VALUE).to_string();
                Err(refuse(
                    span,
                    match ty {
                        Type::Period => tr!("sql-what-period-fact", path = path),
                        _ => tr!("sql-what-list-fact", path = path),
                    },
                ))
            }
        }
    }

    /// Whole months from date `a` to date `b` (negative when `b` is
    /// earlier): a month is complete when the same day of the month,
    /// clamped to the month's end, is reached.
    fn months_until(&self, a: &str, b: &str) -> String {
        let d = self.dialect;
        let forward = |from: &str, to: &str| {
            format!(
                "(({yt} - {yf}) * 12 + {mt} - {mf} - CASE WHEN {df} > {dt} AND ({to}) <> {last} THEN 1 ELSE 0 END)",
                yt = ints(d, "YEAR", to),
                yf = ints(d, "YEAR", from),
                mt = ints(d, "MONTH", to),
                mf = ints(d, "MONTH", from),
                df = ints(d, "DAY", from),
                dt = ints(d, "DAY", to),
                last = d.last_day(to),
            )
        };
        format!(
            "CASE WHEN ({b}) < ({a}) THEN -{} ELSE {} END",
            forward(b, a),
            forward(a, b)
        )
    }
}

fn is_dur(c: &Code) -> bool {
    matches!(c.v, Repr::Dur(..))
}

/// The kind of a duration the program fixes; else refused.
fn a_kind(c: &Code, span: Span) -> Result<Kind, Refusal> {
    c.kind
        .ok_or_else(|| refuse(span, tr!("sql-what-duration-kinds")))
}

pub(super) fn text_literal(t: &str) -> String {
    format!("'{}'", t.replace('\'', "''"))
}

fn zero_of(d: Dialect, ty: &Type) -> String {
    match ty {
        Type::Money => format!("CAST(0 AS {})", d.decimal(2)),
        Type::Decimal => format!("CAST(0 AS {})", d.decimal(0)),
        _ => "CAST(0 AS BIGINT)".into(),
    }
}

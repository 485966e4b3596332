//! Typing expressions: names, fields, calls, operators and built-ins.

use super::ir::*;
use super::{Checker, Ctx, Global, Node, Scope, error_expr, suggest};
use crate::diagnostic::Diagnostic;
use crate::i18n::tr;
use crate::lang::builtins::CallError;
use crate::lang::ops::{self, Operand};
use crate::lang::types::{Type, fits, unify};
use crate::source::Span;
use crate::syntax::ast::{Aggregate, BinOp, Expr, ExprKind, Ident, Literal, UnOp};

fn texpr(kind: TExprKind, ty: Type, span: Span) -> TExpr {
    TExpr { kind, ty, span }
}

fn boxed(e: TExpr) -> Box<TExpr> {
    Box::new(e)
}

/// Wraps an int in a widening to decimal when `to` is decimal.
fn widen_to(e: TExpr, to: &Type) -> TExpr {
    if e.ty == Type::Int && *to == Type::Decimal {
        let span = e.span;
        texpr(TExprKind::Widen(boxed(e)), Type::Decimal, span)
    } else {
        e
    }
}

impl<'a> Checker<'a> {
    pub(super) fn expr(&mut self, e: &Expr, scope: &mut Scope, expected: Option<&Type>) -> TExpr {
        let span = e.span;
        match &e.kind {
            ExprKind::Lit(l) => {
                let ty = match l {
                    Literal::Bool(_) => Type::Bool,
                    Literal::Int(_) => Type::Int,
                    Literal::Decimal(_) => Type::Decimal,
                    Literal::Money(_) => Type::Money,
                    Literal::Date(_) => Type::Date,
                    Literal::Duration(_) => Type::Duration,
                    Literal::Period(_) => Type::Period,
                    Literal::Text(_) => Type::Text,
                };
                texpr(TExprKind::Lit(l.clone()), ty, span)
            }
            ExprKind::Today if scope.ctx == Ctx::Default => {
                self.err(
                    Diagnostic::new("pol::check::not_constant", span, tr!("check-default-today"))
                        .label(tr!("check-not-constant-label"))
                        .help(tr!("check-default-today-help")),
                );
                error_expr(span)
            }
            ExprKind::Today => texpr(TExprKind::Today, Type::Date, span),
            ExprKind::Name(id) => self.name(id, scope, expected),
            ExprKind::Field(base, field) => self.field(base, field, scope, span),
            ExprKind::At(base, date) => self.at(base, date, scope, span),
            ExprKind::Call(f, args) => self.call(f, args, scope, span, expected),
            ExprKind::Comprehension {
                func,
                func_span: _,
                body,
                var,
                list,
                filter,
            } => self.comprehension(
                *func,
                body.as_deref(),
                var,
                list,
                filter.as_deref(),
                scope,
                span,
            ),
            ExprKind::Unary(op, x) => {
                let x = self.expr(x, scope, expected);
                match op {
                    UnOp::Not => {
                        let x = self.expect_bool(x, "`not`");
                        texpr(TExprKind::Unary(UnOp::Not, boxed(x)), Type::Bool, span)
                    }
                    UnOp::Neg => {
                        if !ops::negate(&x.ty) {
                            let shown = self.show(&x.ty);
                            self.err(
                                Diagnostic::new(
                                    "pol::check::operator",
                                    span,
                                    tr!("check-operator", shown = shown.to_string()),
                                )
                                .label(tr!("check-operator-label", shown = shown.to_string()))
                                .help(tr!("check-operator-help")),
                            );
                            return error_expr(span);
                        }
                        let ty = x.ty.clone();
                        texpr(TExprKind::Unary(UnOp::Neg, boxed(x)), ty, span)
                    }
                }
            }
            ExprKind::Binary(op, l, r) => self.binary(*op, l, r, scope, span),
            ExprKind::Between(x, lo, hi) => {
                let x = self.expr(x, scope, None);
                let lo = self.expr(lo, scope, Some(&x.ty));
                let hi = self.expr(hi, scope, Some(&x.ty));
                let (x, lo) = self.comparable(x, lo, BinOp::Le);
                let (x, hi) = self.comparable(x, hi, BinOp::Le);
                texpr(
                    TExprKind::Between(boxed(x), boxed(lo), boxed(hi)),
                    Type::Bool,
                    span,
                )
            }
            ExprKind::If(c, a, b) => {
                let c = self.expr(c, scope, Some(&Type::Bool));
                let c = self.expect_bool(c, "`if`");
                let a = self.expr(a, scope, expected);
                let b = self.expr(b, scope, expected.or(Some(&a.ty)));
                match unify(&a.ty, &b.ty) {
                    Some(t) => {
                        let (a, b) = (widen_to(a, &t), widen_to(b, &t));
                        texpr(TExprKind::If(boxed(c), boxed(a), boxed(b)), t, span)
                    }
                    None => {
                        let (at, bt) = (self.show(&a.ty), self.show(&b.ty));
                        self.err(
                            Diagnostic::new(
                                "pol::check::branches",
                                b.span,
                                tr!("check-branches", at = at.to_string(), bt = bt.to_string()),
                            )
                            .label(bt.to_string())
                            .also(a.span, at.clone())
                            .help(tr!("check-branches-help", at = at.to_string())),
                        );
                        error_expr(span)
                    }
                }
            }
            ExprKind::Set(items) | ExprKind::List(items) => {
                let is_set = matches!(e.kind, ExprKind::Set(_));
                let elem_expected = match expected {
                    Some(Type::List(t)) | Some(Type::Set(t)) => Some((**t).clone()),
                    _ => None,
                };
                let mut elem = elem_expected.clone().unwrap_or(Type::Nothing);
                let mut typed = Vec::new();
                for item in items {
                    let hint = if elem == Type::Nothing {
                        elem_expected.as_ref()
                    } else {
                        Some(&elem)
                    };
                    let hint = hint.cloned();
                    let te = self.expr(item, scope, hint.as_ref());
                    match unify(&elem, &te.ty) {
                        Some(t) => elem = t,
                        None => {
                            let (want, got) = (self.show(&elem), self.show(&te.ty));
                            self.err(
                                Diagnostic::new(
                                    "pol::check::mismatch",
                                    te.span,
                                    tr!(
                                        "check-mismatch-2",
                                        want = want.to_string(),
                                        got = got.to_string()
                                    ),
                                )
                                .label(tr!(
                                    "check-mismatch-2-label",
                                    got = got.to_string(),
                                    want = want.to_string()
                                ))
                                .help(tr!("check-mismatch-2-help")),
                            );
                        }
                    }
                    typed.push(te);
                }
                let typed = typed.into_iter().map(|t| widen_to(t, &elem)).collect();
                if is_set {
                    texpr(TExprKind::Set(typed), Type::Set(Box::new(elem)), span)
                } else {
                    texpr(TExprKind::List(typed), Type::List(Box::new(elem)), span)
                }
            }
            ExprKind::Record(fields) => self.record(fields, scope, expected, span),
        }
    }

    fn record(
        &mut self,
        fields: &[(Ident, Expr)],
        scope: &mut Scope,
        expected: Option<&Type>,
        span: Span,
    ) -> TExpr {
        let Some(Type::Record(r)) = expected else {
            if expected.is_some_and(Type::is_error) {
                return error_expr(span);
            }
            let help = match expected {
                Some(t) => tr!("expr-text-1", t = (self.show(t)).to_string()),
                None => tr!("expr-text-2"),
            };
            self.err(
                Diagnostic::new("pol::check::record_value", span, tr!("check-record-value"))
                    .label(tr!("check-record-value-label"))
                    .help(help),
            );
            return error_expr(span);
        };
        let r = *r;
        let n = self.program.records[r.index()].fields.len();
        let mut values: Vec<Option<TExpr>> = vec![None; n];
        for (name, value) in fields {
            let pos = self.program.records[r.index()]
                .fields
                .iter()
                .position(|f| f.name == name.name);
            let Some(i) = pos else {
                self.unknown_field(r, name);
                continue;
            };
            if values[i].is_some() {
                self.err(
                    Diagnostic::new(
                        "pol::check::duplicate",
                        name.span,
                        tr!("check-duplicate-11", name = name.name.to_string()),
                    )
                    .label(tr!("check-duplicate-11-label"))
                    .help(tr!("check-duplicate-11-help")),
                );
                continue;
            }
            let ty = self.program.records[r.index()].fields[i].ty.clone();
            let te = self.expr(value, scope, Some(&ty));
            values[i] = Some(self.coerce(te, &ty, &tr!("what-field", name = &name.name)));
        }
        texpr(TExprKind::Record(r, values), Type::Record(r), span)
    }

    /// A bare name: a local, the clause's own definition, an input, a
    /// parameter, or a bare enum variant.
    fn name(&mut self, id: &Ident, scope: &mut Scope, expected: Option<&Type>) -> TExpr {
        let span = id.span;
        if let Some((_, ty, slot)) = scope.locals.iter().rev().find(|(n, _, _)| *n == id.name) {
            return texpr(TExprKind::Local(*slot), ty.clone(), span);
        }
        if let Some(c) = scope.clause
            && let Some(&d) = self.members[c.index()].get(&id.name)
        {
            return self.member_ref(Member::Def(d), scope, span);
        }
        // A variant of the expected enum takes precedence over an ambiguity,
        // and over a global that is never a value (a clause, an enum, a
        // record); an input or a parameter of that name is still read.
        if let Some(Type::Enum(e)) = expected
            && !matches!(
                self.globals.get(&id.name),
                Some((Global::Input(_) | Global::Param(_), _))
            )
            && let Some(v) = self.program.enums[e.index()]
                .variants
                .iter()
                .position(|v| *v == id.name)
        {
            return texpr(TExprKind::Variant(*e, v as u32), Type::Enum(*e), span);
        }
        match self.globals.get(&id.name).copied() {
            Some((Global::Input(i), _)) => {
                if matches!(scope.ctx, Ctx::Param | Ctx::Fact | Ctx::Default) {
                    return self.not_here(id, &tr!("expr-text-3"), scope.ctx);
                }
                texpr(
                    TExprKind::Input(i),
                    self.program.inputs[i.index()].ty.clone(),
                    span,
                )
            }
            Some((Global::Param(p), _)) => {
                if matches!(scope.ctx, Ctx::Fact | Ctx::Default) {
                    return self.not_here(id, "a parameter", scope.ctx);
                }
                self.edge(scope.node, Node::Param(p), span);
                texpr(
                    TExprKind::Param(p, None),
                    self.program.params[p.index()].ty.clone(),
                    span,
                )
            }
            Some((Global::Clause(c), _)) => {
                let mut names: Vec<String> = self.members[c.index()].keys().cloned().collect();
                names.sort();
                let example = names.first().cloned().unwrap_or_else(|| "eligible".into());
                self.err(
                    Diagnostic::new(
                        "pol::check::clause_value",
                        span,
                        tr!("check-clause-value", id = id.name.to_string()),
                    )
                    .label(tr!("check-clause-value-label"))
                    .help(tr!(
                        "check-clause-value-help",
                        id = id.name.to_string(),
                        example = example.to_string()
                    )),
                );
                error_expr(span)
            }
            Some((Global::Enum(_), _)) => {
                let variants = self.enum_variants(&id.name);
                self.err(
                    Diagnostic::new(
                        "pol::check::enum_value",
                        span,
                        tr!("check-enum-value", id = id.name.to_string()),
                    )
                    .label(tr!("check-enum-value-label"))
                    .help(tr!(
                        "check-enum-value-help",
                        id = id.name.to_string(),
                        variants = (variants.first().cloned().unwrap_or_default()).to_string()
                    )),
                );
                error_expr(span)
            }
            Some((Global::Record(r), _)) => {
                let inputs: Vec<String> = self
                    .program
                    .inputs
                    .iter()
                    .filter(|i| i.ty == Type::Record(r))
                    .map(|i| format!("`{}`", i.name))
                    .collect();
                let help = if inputs.is_empty() {
                    tr!("expr-text-4", id = id.name.to_string())
                } else {
                    tr!("expr-text-5", or = (inputs.join(" or ")).to_string())
                };
                self.err(
                    Diagnostic::new(
                        "pol::check::record_name",
                        span,
                        tr!("check-record-name", id = id.name.to_string()),
                    )
                    .label(tr!("check-record-name-label"))
                    .help(help),
                );
                error_expr(span)
            }
            None => {
                let candidates = self.variants.get(&id.name).cloned().unwrap_or_default();
                match candidates.as_slice() {
                    [(e, v)] => texpr(TExprKind::Variant(*e, *v), Type::Enum(*e), span),
                    [] => {
                        self.unknown_name(id, scope);
                        error_expr(span)
                    }
                    many => {
                        let options: Vec<String> = many
                            .iter()
                            .map(|(e, _)| {
                                format!("`{}.{}`", self.program.enums[e.index()].name, id.name)
                            })
                            .collect();
                        self.err(
                            Diagnostic::new(
                                "pol::check::ambiguous_variant",
                                span,
                                tr!("check-ambiguous-variant", id = id.name.to_string()),
                            )
                            .label(tr!("check-ambiguous-variant-label"))
                            .help(tr!(
                                "check-ambiguous-variant-help",
                                or = (options.join(" or ")).to_string()
                            )),
                        );
                        error_expr(span)
                    }
                }
            }
        }
    }

    fn enum_variants(&self, name: &str) -> Vec<String> {
        match self.globals.get(name) {
            Some((Global::Enum(e), _)) => self.program.enums[e.index()].variants.clone(),
            _ => Vec::new(),
        }
    }

    fn not_here(&mut self, id: &Ident, what: &str, ctx: Ctx) -> TExpr {
        let (message, help) = match ctx {
            Ctx::Param => (
                tr!(
                    "expr-text-6",
                    what = what.to_string(),
                    id = id.name.to_string()
                ),
                tr!("expr-text-7"),
            ),
            Ctx::Default => (
                tr!(
                    "check-default-not-constant",
                    what = what.to_string(),
                    id = id.name.to_string()
                ),
                tr!("expr-text-9"),
            ),
            _ => (
                tr!(
                    "expr-text-8",
                    what = what.to_string(),
                    id = id.name.to_string()
                ),
                tr!("expr-text-9"),
            ),
        };
        self.err(
            Diagnostic::new("pol::check::not_constant", id.span, message)
                .label(tr!("check-not-constant-label"))
                .help(help),
        );
        error_expr(id.span)
    }

    fn unknown_name(&mut self, id: &Ident, scope: &Scope) {
        let mut candidates: Vec<String> = scope.locals.iter().map(|(n, _, _)| n.clone()).collect();
        if let Some(c) = scope.clause {
            candidates.extend(self.members[c.index()].keys().cloned());
        }
        candidates.extend(self.globals.keys().cloned());
        candidates.extend(self.variants.keys().cloned());
        let help = match suggest::did_you_mean(&id.name, candidates.iter().map(String::as_str)) {
            Some(s) => tr!("expr-text-10", s = s.to_string()),
            None if scope.clause.is_none() && scope.ctx == Ctx::Expect => {
                tr!("expr-text-11")
            }
            None => tr!("expr-text-12"),
        };
        self.err(
            Diagnostic::new(
                "pol::check::unknown_name",
                id.span,
                tr!("check-unknown-name", id = id.name.to_string()),
            )
            .label(tr!("check-unknown-name-label"))
            .help(help),
        );
    }

    /// A reference to a clause member in the current subject context.
    fn member_ref(&mut self, m: Member, scope: &mut Scope, span: Span) -> TExpr {
        let (node, ty) = match m {
            Member::Def(d) => (Node::Def(d), self.ensure_def(d)),
            Member::Eligible(c) => (Node::Eligible(c), Type::Bool),
        };
        self.edge(scope.node, node, span);
        texpr(TExprKind::Member(m), ty, span)
    }

    fn clause_member(&mut self, c: ClauseId, field: &Ident) -> Option<Member> {
        if field.name == "eligible" {
            return Some(Member::Eligible(c));
        }
        match self.members[c.index()].get(&field.name) {
            Some(&d) => Some(Member::Def(d)),
            None => {
                self.unknown_member(c, field);
                None
            }
        }
    }

    fn field(&mut self, base: &Expr, field: &Ident, scope: &mut Scope, span: Span) -> TExpr {
        // `CLAUSE.NAME` and `Enum.variant`, unless a local hides the name.
        if let ExprKind::Name(n) = &base.kind
            && !scope.locals.iter().any(|(l, _, _)| *l == n.name)
            && !scope
                .clause
                .is_some_and(|c| self.members[c.index()].contains_key(&n.name))
        {
            match self.globals.get(&n.name).copied() {
                Some((Global::Clause(c), _)) => {
                    if matches!(scope.ctx, Ctx::Param | Ctx::Fact | Ctx::Default) {
                        return self.not_here(n, "a clause", scope.ctx);
                    }
                    let Some(m) = self.clause_member(c, field) else {
                        return error_expr(span);
                    };
                    if let Some((var, subject_ty)) = self.program.clauses[c.index()].subject.clone()
                        && scope.subject.as_ref().is_none_or(|s| !fits(s, &subject_ty))
                    {
                        let shown = self.show(&subject_ty);
                        self.err(
                            Diagnostic::new(
                                "pol::check::per_subject",
                                span,
                                tr!(
                                    "check-per-subject",
                                    n = n.name.to_string(),
                                    shown = shown.to_string()
                                ),
                            )
                            .label(tr!("check-per-subject-label"))
                            .help(tr!(
                                "check-per-subject-help",
                                n = n.name.to_string(),
                                var = var.to_string(),
                                field = field.name.to_string()
                            )),
                        );
                        return error_expr(span);
                    }
                    return self.member_ref(m, scope, span);
                }
                Some((Global::Enum(e), _)) => {
                    let variants = &self.program.enums[e.index()].variants;
                    return match variants.iter().position(|v| *v == field.name) {
                        Some(v) => texpr(TExprKind::Variant(e, v as u32), Type::Enum(e), span),
                        None => {
                            let help = match suggest::did_you_mean(
                                &field.name,
                                variants.iter().map(String::as_str),
                            ) {
                                Some(s) => tr!("expr-text-13", s = s.to_string()),
                                None => format!("`{}` has: {}", n.name, variants.join(", ")),
                            };
                            self.err(
                                Diagnostic::new(
                                    "pol::check::unknown_variant",
                                    field.span,
                                    tr!(
                                        "check-unknown-variant",
                                        n = n.name.to_string(),
                                        field = field.name.to_string()
                                    ),
                                )
                                .label(tr!("check-unknown-variant-label"))
                                .help(help),
                            );
                            error_expr(span)
                        }
                    };
                }
                _ => {}
            }
        }
        // `C(subject).NAME`
        if let ExprKind::Call(f, args) = &base.kind
            && let Some(c) = self.lookup_clause(&f.name)
        {
            return self.subject_call(c, f, args, field, scope, span);
        }
        let b = self.expr(base, scope, None);
        if b.ty == Type::Period && matches!(field.name.as_str(), "start" | "end") {
            let end = if field.name == "start" {
                Builtin::Start
            } else {
                Builtin::End
            };
            return texpr(TExprKind::Builtin(end, vec![b]), Type::Date, span);
        }
        match &b.ty {
            Type::Record(r) => {
                let r = *r;
                match self.program.records[r.index()]
                    .fields
                    .iter()
                    .position(|f| f.name == field.name)
                {
                    Some(i) => {
                        let ty = self.program.records[r.index()].fields[i].ty.clone();
                        texpr(TExprKind::Field(boxed(b), i as u32), ty, span)
                    }
                    None => {
                        self.unknown_field(r, field);
                        error_expr(span)
                    }
                }
            }
            Type::Error => error_expr(span),
            other => {
                let shown = self.show(other);
                let help = if matches!(other, Type::List(_)) {
                    tr!("expr-text-14", field = field.name.to_string())
                } else if matches!(other, Type::Period) {
                    tr!("expr-text-15")
                } else {
                    tr!("expr-text-16")
                };
                self.err(
                    Diagnostic::new(
                        "pol::check::no_field",
                        field.span,
                        tr!(
                            "check-no-field-3",
                            shown = shown.to_string(),
                            field = field.name.to_string()
                        ),
                    )
                    .label(tr!(
                        "check-no-field-3-label",
                        b = (self.text(b.span)).to_string(),
                        shown = shown.to_string()
                    ))
                    .help(help),
                );
                error_expr(span)
            }
        }
    }

    fn subject_call(
        &mut self,
        c: ClauseId,
        f: &Ident,
        args: &[Expr],
        field: &Ident,
        scope: &mut Scope,
        span: Span,
    ) -> TExpr {
        let Some((_, subject_ty)) = self.program.clauses[c.index()].subject.clone() else {
            self.err(
                Diagnostic::new(
                    "pol::check::not_per_subject",
                    f.span,
                    tr!("check-not-per-subject", f = f.name.to_string()),
                )
                .label(tr!("check-not-per-subject-label"))
                .help(tr!(
                    "check-not-per-subject-help",
                    f = f.name.to_string(),
                    field = field.name.to_string()
                )),
            );
            return error_expr(span);
        };
        if matches!(scope.ctx, Ctx::Param | Ctx::Fact | Ctx::Default) {
            return self.not_here(f, "a clause", scope.ctx);
        }
        if args.len() != 1 {
            self.err(
                Diagnostic::new(
                    "pol::check::arity",
                    span,
                    tr!(
                        "check-arity",
                        f = f.name.to_string(),
                        args = (args.len()).to_string()
                    ),
                )
                .label(tr!("check-arity-label"))
                .help(tr!(
                    "check-arity-help",
                    f = f.name.to_string(),
                    field = field.name.to_string()
                )),
            );
            return error_expr(span);
        }
        let subject = self.expr(&args[0], scope, Some(&subject_ty));
        let subject = self.coerce(
            subject,
            &subject_ty,
            &tr!("expr-text-17", f = f.name.to_string()),
        );
        let Some(member) = self.clause_member(c, field) else {
            return error_expr(span);
        };
        let (node, ty) = match member {
            Member::Def(d) => (Node::Def(d), self.ensure_def(d)),
            Member::Eligible(c) => (Node::Eligible(c), Type::Bool),
        };
        self.edge(scope.node, node, span);
        texpr(
            TExprKind::Call {
                clause: c,
                subject: boxed(subject),
                member,
            },
            ty,
            span,
        )
    }

    fn at(&mut self, base: &Expr, date: &Expr, scope: &mut Scope, span: Span) -> TExpr {
        let param = match &base.kind {
            ExprKind::Name(n) => match self.globals.get(&n.name) {
                Some((Global::Param(p), _)) => Some(*p),
                _ => None,
            },
            _ => None,
        };
        let Some(p) = param else {
            self.err(
                Diagnostic::new("pol::check::at", base.span, tr!("check-at"))
                    .label(tr!("check-at-label"))
                    .help(tr!("check-at-help")),
            );
            return error_expr(span);
        };
        if matches!(scope.ctx, Ctx::Fact | Ctx::Default)
            && let ExprKind::Name(n) = &base.kind
        {
            return self.not_here(n, "a parameter", scope.ctx);
        }
        let d = self.expr(date, scope, Some(&Type::Date));
        let d = self.coerce(d, &Type::Date, &tr!("expr-text-18"));
        self.edge(scope.node, Node::Param(p), base.span);
        let ty = self.program.params[p.index()].ty.clone();
        texpr(TExprKind::Param(p, Some(boxed(d))), ty, span)
    }

    fn operand<'t>(&self, te: &'t TExpr, expr_text: &'t str) -> Operand<'t> {
        let number_literal = match te.kind {
            TExprKind::Lit(Literal::Int(_) | Literal::Decimal(_)) => Some(expr_text),
            _ => None,
        };
        Operand {
            ty: &te.ty,
            number_literal,
            text: expr_text,
        }
    }

    fn binary(&mut self, op: BinOp, l: &Expr, r: &Expr, scope: &mut Scope, span: Span) -> TExpr {
        let (lt, rt) = match op {
            BinOp::And | BinOp::Or => {
                let lt = self.expr(l, scope, Some(&Type::Bool));
                let rt = self.expr(r, scope, Some(&Type::Bool));
                (lt, rt)
            }
            BinOp::In => {
                let lt = self.expr(l, scope, None);
                let hint = Type::Set(Box::new(lt.ty.clone()));
                let rt = self.expr(r, scope, Some(&hint));
                (lt, rt)
            }
            _ => {
                // A bare variant on either side takes the other side's enum.
                let lt = self.expr(l, scope, None);
                let hint = lt.ty.clone();
                let rt = self.expr(r, scope, Some(&hint));
                (lt, rt)
            }
        };
        if matches!(op, BinOp::Add | BinOp::Sub) || (op.is_comparison() && op != BinOp::In) {
            self.same_duration_kinds(op, &lt, &rt, span);
        }
        if op.is_comparison() && op != BinOp::In {
            let (lt, rt) = self.comparable(lt, rt, op);
            return texpr(
                TExprKind::Binary(op, boxed(lt), boxed(rt)),
                Type::Bool,
                span,
            );
        }
        let (ltext, rtext) = (self.text(lt.span), self.text(rt.span));
        let program = &self.program;
        let namer = |t: &Type| program.show(t).to_string();
        let result = ops::binary(
            op,
            &self.operand(&lt, ltext),
            &self.operand(&rt, rtext),
            &namer,
        );
        match result {
            Ok(typing) => {
                let lt = if typing.widen_left {
                    widen_to(lt, &Type::Decimal)
                } else {
                    lt
                };
                let rt = if typing.widen_right {
                    widen_to(rt, &Type::Decimal)
                } else {
                    rt
                };
                texpr(
                    TExprKind::Binary(op, boxed(lt), boxed(rt)),
                    typing.result,
                    span,
                )
            }
            Err(refusal) => {
                self.err(
                    Diagnostic::new("pol::check::operator", span, refusal.message)
                        .label(tr!(
                            "check-operator-2-label",
                            op = (op.symbol()).to_string()
                        ))
                        .help(refusal.help),
                );
                if op == BinOp::And || op == BinOp::Or || op == BinOp::In {
                    texpr(TExprKind::Lit(Literal::Bool(false)), Type::Error, span)
                } else {
                    error_expr(span)
                }
            }
        }
    }

    /// Durations of two kinds (days and months) do not meet: where both
    /// kinds are known here, that is an error now rather than on every case
    /// (`today - registered >= 1 year` counts days against months).
    fn same_duration_kinds(&mut self, op: BinOp, lt: &TExpr, rt: &TExpr, span: Span) {
        if lt.ty != Type::Duration || rt.ty != Type::Duration {
            return;
        }
        let (Some(l), Some(r)) = (duration_kind(lt), duration_kind(rt)) else {
            return;
        };
        if l == r {
            return;
        }
        let kind = |months: bool| {
            if months {
                tr!("duration-kind-months")
            } else {
                tr!("duration-kind-days")
            }
        };
        let (ltext, rtext) = (
            self.text(lt.span).to_string(),
            self.text(rt.span).to_string(),
        );
        // `A - B >= D` is `A >= B + D`, which adds the duration to a date.
        let help = match &lt.kind {
            TExprKind::Binary(BinOp::Sub, a, b)
                if a.ty == Type::Date && b.ty == Type::Date && op.is_comparison() =>
            {
                tr!(
                    "check-duration-kinds-help-date",
                    written = format!(
                        "{} {} {} + {rtext}",
                        self.text(a.span),
                        op.symbol(),
                        self.text(b.span)
                    )
                )
            }
            _ => tr!("check-duration-kinds-help"),
        };
        self.err(
            Diagnostic::new(
                "pol::check::duration_kinds",
                span,
                tr!(
                    "check-duration-kinds",
                    left = ltext.as_str(),
                    left_kind = kind(l),
                    right = rtext.as_str(),
                    right_kind = kind(r)
                ),
            )
            .label(tr!("check-duration-kinds-label"))
            .also(lt.span, kind(l))
            .also(rt.span, kind(r))
            .help(help),
        );
    }

    /// Two operands of a comparison, widened to their common type.
    pub(super) fn comparable(&mut self, lt: TExpr, rt: TExpr, op: BinOp) -> (TExpr, TExpr) {
        let (ltext, rtext) = (self.text(lt.span), self.text(rt.span));
        let program = &self.program;
        let namer = |t: &Type| program.show(t).to_string();
        match ops::binary(
            op,
            &self.operand(&lt, ltext),
            &self.operand(&rt, rtext),
            &namer,
        ) {
            Ok(t) => {
                let lt = if t.widen_left {
                    widen_to(lt, &Type::Decimal)
                } else {
                    lt
                };
                let rt = if t.widen_right {
                    widen_to(rt, &Type::Decimal)
                } else {
                    rt
                };
                (lt, rt)
            }
            Err(refusal) => {
                let span = lt.span.to(rt.span);
                self.err(
                    Diagnostic::new("pol::check::comparison", span, refusal.message)
                        .label(tr!("check-comparison-label"))
                        .help(refusal.help),
                );
                (error_expr(lt.span), error_expr(rt.span))
            }
        }
    }

    fn call(
        &mut self,
        f: &Ident,
        args: &[Expr],
        scope: &mut Scope,
        span: Span,
        expected: Option<&Type>,
    ) -> TExpr {
        if let Some(c) = self.lookup_clause(&f.name) {
            let has_subject = self.program.clauses[c.index()].subject.is_some();
            let help = if has_subject {
                tr!("expr-text-19", f = f.name.to_string())
            } else {
                tr!("expr-text-20", f = f.name.to_string())
            };
            self.err(
                Diagnostic::new(
                    "pol::check::clause_value",
                    span,
                    tr!("check-clause-value-2", f = f.name.to_string()),
                )
                .label(tr!("check-clause-value-2-label"))
                .help(help),
            );
            return error_expr(span);
        }
        let builtin = match Builtin::called(&f.name) {
            Some(b) => b,
            // `count(L)`: the number of items of a list, as `count(x in L)`.
            None if f.name == "count" && args.len() == 1 => {
                let var = Ident {
                    name: String::new(),
                    span: args[0].span,
                };
                return self.comprehension(
                    Aggregate::Count,
                    None,
                    &var,
                    &args[0],
                    None,
                    scope,
                    span,
                );
            }
            None if matches!(f.name.as_str(), "count" | "any" | "all") => {
                let list = args.first().map_or("LIST", |a| self.text(a.span));
                let form = if f.name == "count" {
                    format!("count(x in {list} if CONDITION)")
                } else {
                    format!("{}(CONDITION for x in {list})", f.name)
                };
                self.err(
                    Diagnostic::new(
                        "pol::check::comprehension",
                        span,
                        tr!("check-comprehension", f = f.name.to_string()),
                    )
                    .label(tr!("check-comprehension-label"))
                    .help(tr!("check-comprehension-help", form = form.to_string())),
                );
                return error_expr(span);
            }
            None => {
                let mut candidates: Vec<&str> = super::builtin_functions();
                candidates.extend(
                    self.program
                        .clauses
                        .iter()
                        .filter(|c| c.subject.is_some())
                        .map(|c| c.name.as_str()),
                );
                let help = match suggest::did_you_mean(&f.name, candidates.iter().copied()) {
                    Some(s) => tr!("expr-text-21", s = s.to_string()),
                    None => tr!(
                        "expr-text-22",
                        builtin_functions = (super::builtin_functions().join(", ")).to_string()
                    ),
                };
                self.err(
                    Diagnostic::new(
                        "pol::check::unknown_function",
                        f.span,
                        tr!("check-unknown-function", f = f.name.to_string()),
                    )
                    .label(tr!("check-unknown-function-label"))
                    .help(help),
                );
                return error_expr(span);
            }
        };
        let typed: Vec<TExpr> = args.iter().map(|a| self.expr(a, scope, expected)).collect();
        self.builtin(builtin, f, typed, span)
    }

    fn arity(&mut self, f: &Ident, want: &str, got: usize, span: Span) -> TExpr {
        self.err(
            Diagnostic::new(
                "pol::check::arity",
                span,
                tr!(
                    "check-arity-2",
                    f = f.name.to_string(),
                    want = want.to_string(),
                    got = got.to_string()
                ),
            )
            .label(tr!("check-arity-2-label", got = got))
            .help(tr!(
                "check-arity-2-help",
                usage = (Builtin::called(&f.name).map_or("f(x)", Builtin::usage)).to_string()
            )),
        );
        error_expr(span)
    }

    fn bad_argument(&mut self, f: &Ident, arg: &TExpr, want: &str, help: &str) -> TExpr {
        let shown = self.show(&arg.ty);
        self.err(
            Diagnostic::new(
                "pol::check::argument",
                arg.span,
                tr!(
                    "check-argument",
                    f = f.name.to_string(),
                    want = want.to_string(),
                    shown = shown.to_string()
                ),
            )
            .label(shown.to_string())
            .help(help.to_string()),
        );
        error_expr(arg.span)
    }

    /// A call of a built-in function, typed by its rule
    /// ([`Builtin::typing`]); a refusal becomes a diagnostic here.
    fn builtin(&mut self, b: Builtin, f: &Ident, args: Vec<TExpr>, span: Span) -> TExpr {
        let any_error = args.iter().any(|a| a.ty.is_error());
        let types: Vec<Type> = args.iter().map(|a| a.ty.clone()).collect();
        let text = |i: usize| self.text(args[i].span).to_string();
        match b.typing(&types, &text) {
            Ok(typing) => {
                let args = args
                    .into_iter()
                    .zip(typing.args)
                    .map(|(a, to)| match (&a.ty, &to) {
                        (Type::Int, Type::Decimal) => widen_to(a, &to),
                        // An empty list takes the element type the function wants.
                        (Type::List(t), Type::List(_)) if **t == Type::Nothing => {
                            TExpr { ty: to, ..a }
                        }
                        _ => a,
                    })
                    .collect();
                texpr(TExprKind::Builtin(b, args), typing.result, span).with_error_if(any_error)
            }
            Err(CallError::Arity(want)) => self.arity(f, &want, args.len(), span),
            Err(CallError::Argument { index, want, help }) => {
                let arg = args[index].clone();
                self.bad_argument(f, &arg, &want, &help)
            }
            Err(CallError::Mixed { index, common }) => {
                let a = &args[index];
                let (want, got) = (self.show(&common), self.show(&a.ty));
                let help = if common == Type::Money && a.ty == Type::Int {
                    tr!("check-write-yuan", text = self.text(a.span))
                } else {
                    tr!("expr-text-23")
                };
                self.err(
                    Diagnostic::new(
                        "pol::check::argument",
                        a.span,
                        tr!(
                            "check-argument-2",
                            f = f.name.to_string(),
                            want = want.to_string(),
                            got = got.to_string()
                        ),
                    )
                    .label(tr!(
                        "check-argument-2-label",
                        got = got.to_string(),
                        want = want.to_string()
                    ))
                    .help(help),
                );
                error_expr(span)
            }
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn comprehension(
        &mut self,
        func: Aggregate,
        body: Option<&Expr>,
        var: &Ident,
        list: &Expr,
        filter: Option<&Expr>,
        scope: &mut Scope,
        span: Span,
    ) -> TExpr {
        let l = self.expr(list, scope, None);
        let elem = match &l.ty {
            Type::List(t) => (**t).clone(),
            Type::Error => Type::Error,
            other => {
                let shown = self.show(other);
                self.err(
                    Diagnostic::new(
                        "pol::check::not_a_list",
                        l.span,
                        tr!(
                            "check-not-a-list",
                            func = (func.name()).to_string(),
                            shown = shown.to_string()
                        ),
                    )
                    .label(tr!("check-not-a-list-label", shown = shown.to_string()))
                    .help(tr!("check-not-a-list-help")),
                );
                Type::Error
            }
        };
        let slot = scope.slots;
        scope.slots += 1;
        scope.locals.push((var.name.clone(), elem, slot));
        let body_t = body.map(|b| {
            let want = matches!(func, Aggregate::Any | Aggregate::All).then_some(Type::Bool);
            self.expr(b, scope, want.as_ref())
        });
        let filter_t = filter.map(|c| {
            let c = self.expr(c, scope, Some(&Type::Bool));
            self.expect_bool(c, &tr!("expr-text-24"))
        });
        scope.locals.pop();
        scope.slots -= 1;
        let (ty, body_t) = match func {
            Aggregate::Count => (Type::Int, None),
            Aggregate::Any | Aggregate::All => {
                let b = body_t.map(|b| self.expect_bool(b, &format!("`{}`", func.name())));
                (Type::Bool, b)
            }
            Aggregate::Sum => {
                let b = body_t.expect("sum has a body");
                match &b.ty {
                    Type::Int | Type::Decimal | Type::Money | Type::Duration | Type::Error => {
                        (b.ty.clone(), Some(b))
                    }
                    other => {
                        let shown = self.show(other);
                        self.err(
                            Diagnostic::new(
                                "pol::check::argument",
                                b.span,
                                tr!("check-argument-3", shown = shown.to_string()),
                            )
                            .label(shown.to_string())
                            .help(tr!("check-argument-3-help")),
                        );
                        (Type::Error, Some(b))
                    }
                }
            }
        };
        texpr(
            TExprKind::Comprehension {
                func,
                body: body_t.map(boxed),
                slot,
                list: boxed(l),
                filter: filter_t.map(boxed),
            },
            ty,
            span,
        )
    }
}

/// Whether a duration counts months (`Some(true)`) or days
/// (`Some(false)`), where the expression alone says so: a literal that is
/// not zero, the days between two dates, and what is made of them. `None`
/// where it depends on the case (a fact) or on more than the expression.
fn duration_kind(e: &TExpr) -> Option<bool> {
    use crate::lang::scalar::Duration;
    match &e.kind {
        TExprKind::Lit(Literal::Duration(Duration::Months(n))) if *n != 0 => Some(true),
        TExprKind::Lit(Literal::Duration(Duration::Days(n))) if *n != 0 => Some(false),
        TExprKind::Binary(BinOp::Sub, a, b) if a.ty == Type::Date && b.ty == Type::Date => {
            Some(false)
        }
        TExprKind::Binary(BinOp::Add | BinOp::Sub, a, b) => {
            duration_kind(a).or_else(|| duration_kind(b))
        }
        TExprKind::Binary(BinOp::Mul, a, b) => {
            if a.ty == Type::Duration {
                duration_kind(a)
            } else {
                duration_kind(b)
            }
        }
        TExprKind::Unary(_, a) => duration_kind(a),
        TExprKind::If(_, a, b) => {
            let k = duration_kind(a);
            (k == duration_kind(b)).then_some(k).flatten()
        }
        _ => None,
    }
}

trait WithError {
    fn with_error_if(self, error: bool) -> Self;
}

impl WithError for TExpr {
    /// An expression over an erroneous argument has an erroneous type, so
    /// that the error is not reported again further out.
    fn with_error_if(self, error: bool) -> TExpr {
        if error {
            TExpr {
                ty: Type::Error,
                ..self
            }
        } else {
            self
        }
    }
}

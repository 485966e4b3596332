//! The abstract syntax of a package, as written (names not yet resolved).

use crate::lang::scalar::{Date, Duration, Period};
use crate::source::Span;
use rust_decimal::Decimal;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A text written in double quotes, after escapes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq)]
pub enum Literal {
    Bool(bool),
    Int(i64),
    Decimal(Decimal),
    Money(Decimal),
    Date(Date),
    Duration(Duration),
    /// `2020-01-01..2020-12-31`
    Period(Period),
    Text(String),
}

pub use crate::lang::words::{Aggregate, BinOp, UnOp};

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExprKind {
    Lit(Literal),
    Today,
    Name(Ident),
    Field(Box<Expr>, Ident),
    /// `NAME at DATE`
    At(Box<Expr>, Box<Expr>),
    /// `f(a, b)`: a built-in or a per-subject clause.
    Call(Ident, Vec<Expr>),
    /// `sum(E for x in L if C)`, `count(x in L if C)`, `any(C for x in L)`…
    Comprehension {
        func: Aggregate,
        func_span: Span,
        body: Option<Box<Expr>>,
        var: Ident,
        list: Box<Expr>,
        filter: Option<Box<Expr>>,
    },
    Unary(UnOp, Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `X between A and B`, both ends included.
    Between(Box<Expr>, Box<Expr>, Box<Expr>),
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    Set(Vec<Expr>),
    List(Vec<Expr>),
    Record(Vec<(Ident, Expr)>),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeExpr {
    Named(Ident),
    List(Box<TypeExpr>, Span),
}

impl TypeExpr {
    pub fn span(&self) -> Span {
        match self {
            TypeExpr::Named(id) => id.span,
            TypeExpr::List(_, span) => *span,
        }
    }
}

/// One `.pol` file.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Module {
    pub decls: Vec<Decl>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Decl {
    Policy(PolicyDecl),
    Enum(EnumDecl),
    Record(RecordDecl),
    Input(InputDecl),
    Parameter(ParamDecl),
    Clause(ClauseDecl),
    Test(TestDecl),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PolicyDecl {
    pub title: Text,
    pub issued: Option<(Date, Span)>,
    pub source: Option<Text>,
    /// The validity of the whole policy, which every clause without an
    /// `in force` of its own takes.
    pub in_force: Option<InForce>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct EnumDecl {
    pub name: Ident,
    pub variants: Vec<Ident>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordDecl {
    pub name: Ident,
    pub fields: Vec<FieldDecl>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldDecl {
    pub name: Ident,
    pub ty: TypeExpr,
    /// `>= 0`, `between 0 and 1`: the values a case may give.
    pub range: Option<FactRange>,
    /// `= VALUE`: what the fact is when the case does not give it.
    pub default: Option<Expr>,
    pub label: Option<Text>,
}

/// The values a case may give a fact: a bound on one side (`>= 0`,
/// `< 100`), or on both (`between 0 and 1`, both included).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FactRange {
    /// The lowest value, and whether it is allowed itself.
    pub lower: Option<(Expr, bool)>,
    /// The highest value, and whether it is allowed itself.
    pub upper: Option<(Expr, bool)>,
    pub span: Span,
}

impl FactRange {
    /// The bounds' expressions, the lower first.
    pub fn bounds(&self) -> impl Iterator<Item = &Expr> {
        self.lower.iter().chain(&self.upper).map(|(e, _)| e)
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputDecl {
    pub name: Ident,
    pub ty: TypeExpr,
    /// `>= 0`, `between 0 and 1`: the values a case may give.
    pub range: Option<FactRange>,
    /// `= VALUE`: what the fact is when the case does not give it.
    pub default: Option<Expr>,
    pub label: Option<Text>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamDecl {
    pub name: Ident,
    pub ty: TypeExpr,
    pub label: Option<Text>,
    pub values: Vec<ParamValue>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamValue {
    pub from: Date,
    pub from_span: Span,
    pub value: Expr,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClauseDecl {
    pub name: Ident,
    pub label: Option<Text>,
    pub subject: Option<(Ident, TypeExpr)>,
    pub in_force: Option<InForce>,
    pub items: Vec<ClauseItem>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InForce {
    pub from: Date,
    /// `None`: `in force from DATE`, with no end.
    pub to: Option<Date>,
    /// `on EXPR`: the date tested, instead of `today` (§8).
    pub on: Option<Expr>,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClauseItem {
    Quote(Text),
    Def(Def),
    Eligible(Expr, Span),
    Amend(Amend),
}

#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DefKind {
    Let,
    Benefit,
    Output,
}

impl DefKind {
    pub fn keyword(self) -> &'static str {
        match self {
            DefKind::Let => "let",
            DefKind::Benefit => "benefit",
            DefKind::Output => "output",
        }
    }
}

/// `let`, `benefit` or `output`, with its `unless` exceptions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Def {
    pub kind: DefKind,
    pub name: Ident,
    pub ty: Option<TypeExpr>,
    pub expr: Expr,
    pub unless: Vec<Unless>,
    /// `combine highest`: how exceptions that apply together give one
    /// value (else different values are a conflict).
    pub combine: Option<(Combine, Span)>,
    pub span: Span,
}

/// How several exceptions of a definition that apply together give one
/// value.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Combine {
    /// 就高: the highest of their values.
    Highest,
    /// 就低: the lowest.
    Lowest,
    /// Their sum.
    Sum,
    /// The first in the order they are written.
    First,
}

impl Combine {
    pub fn word(self) -> &'static str {
        match self {
            Combine::Highest => "highest",
            Combine::Lowest => "lowest",
            Combine::Sum => "sum",
            Combine::First => "first",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unless {
    pub cond: Expr,
    pub then: Expr,
    pub span: Span,
}

/// `amend CLAUSE.NAME [over CLAUSE2] when COND then EXPR`
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Amend {
    pub clause: Ident,
    pub name: Ident,
    pub over: Option<Ident>,
    pub cond: Expr,
    pub then: Expr,
    pub span: Span,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TestDecl {
    pub name: Text,
    pub items: Vec<TestItem>,
    pub span: Span,
}

/// The path of a fact: an input, then fields and list items
/// (`employer.hires[0].contract_term`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FactPath {
    pub input: Ident,
    pub steps: Vec<Step>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// `.field`
    Field(Ident),
    /// `[N]`: an item of a list, counted from 0.
    Index(usize, Span),
}

impl FactPath {
    /// The path as written, in canonical form.
    pub fn written(&self) -> String {
        let mut out = self.input.name.clone();
        for step in &self.steps {
            match step {
                Step::Field(f) => {
                    out.push('.');
                    out.push_str(&f.name);
                }
                Step::Index(i, _) => out.push_str(&format!("[{i}]")),
            }
        }
        out
    }

    pub fn span(&self) -> Span {
        match self.steps.last() {
            Some(Step::Field(f)) => self.input.span.to(f.span),
            Some(Step::Index(_, s)) => self.input.span.to(*s),
            None => self.input.span,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TestItem {
    Today(Expr, Span),
    Fact(FactPath, Expr, Span),
    Expect(Expect, Span),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Expect {
    /// `expect EXPR`: must be true.
    True(Expr),
    /// `expect A = B`: must be equal (shown with both values when not).
    Equal(Expr, Expr),
    /// `expect EXPR undetermined`
    Undetermined(Expr),
}

impl Expr {
    /// The expressions directly inside this one.
    pub fn children(&self) -> Vec<&Expr> {
        match &self.kind {
            ExprKind::Lit(_) | ExprKind::Today | ExprKind::Name(_) => Vec::new(),
            ExprKind::Field(e, _) | ExprKind::Unary(_, e) => vec![e],
            ExprKind::At(a, b) | ExprKind::Binary(_, a, b) => vec![a, b],
            ExprKind::Call(_, args) | ExprKind::Set(args) | ExprKind::List(args) => {
                args.iter().collect()
            }
            ExprKind::Comprehension {
                body, list, filter, ..
            } => body
                .iter()
                .chain(std::iter::once(list))
                .chain(filter.iter())
                .map(|b| &**b)
                .collect(),
            ExprKind::Between(a, b, c) | ExprKind::If(a, b, c) => vec![a, b, c],
            ExprKind::Record(fields) => fields.iter().map(|(_, e)| e).collect(),
        }
    }

    /// How deeply expressions nest here (a literal is 1), counted without
    /// recursion so that any tree can be measured.
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(self, 1usize)];
        while let Some((e, d)) = stack.pop() {
            deepest = deepest.max(d);
            stack.extend(e.children().into_iter().map(|c| (c, d + 1)));
        }
        deepest
    }
}

impl Decl {
    /// Every top-level expression of a declaration.
    pub fn exprs(&self) -> Vec<&Expr> {
        match self {
            Decl::Policy(_) | Decl::Enum(_) => Vec::new(),
            Decl::Record(r) => r
                .fields
                .iter()
                .flat_map(|f| f.range.iter().flat_map(FactRange::bounds).chain(&f.default))
                .collect(),
            Decl::Input(i) => i
                .range
                .iter()
                .flat_map(FactRange::bounds)
                .chain(&i.default)
                .collect(),
            Decl::Parameter(p) => p.values.iter().map(|v| &v.value).collect(),
            Decl::Clause(c) => c
                .items
                .iter()
                .flat_map(|item| match item {
                    ClauseItem::Quote(_) => Vec::new(),
                    ClauseItem::Eligible(e, _) => vec![e],
                    ClauseItem::Def(d) => std::iter::once(&d.expr)
                        .chain(d.unless.iter().flat_map(|u| [&u.cond, &u.then]))
                        .collect(),
                    ClauseItem::Amend(a) => vec![&a.cond, &a.then],
                })
                .collect(),
            Decl::Test(t) => t
                .items
                .iter()
                .flat_map(|item| match item {
                    TestItem::Today(e, _) | TestItem::Fact(_, e, _) => vec![e],
                    TestItem::Expect(Expect::True(e) | Expect::Undetermined(e), _) => vec![e],
                    TestItem::Expect(Expect::Equal(a, b), _) => vec![a, b],
                })
                .collect(),
        }
    }
}

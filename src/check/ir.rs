//! The checked program: every name resolved to an index, every expression
//! typed. This is what the evaluator compiles; it can only be built by
//! [`check`](super::check).

pub use crate::lang::builtins::Builtin;
use crate::lang::scalar::Date;
use crate::lang::types::{EnumId, RecordId, Type, TypeNames};
use crate::source::Span;
use crate::syntax::ast::{Aggregate, BinOp, Combine, DefKind, Literal, UnOp};

macro_rules! id {
    ($name:ident) => {
        #[derive(
            Clone,
            Copy,
            Debug,
            PartialEq,
            Eq,
            Hash,
            PartialOrd,
            Ord,
            serde::Serialize,
            serde::Deserialize,
        )]
        pub struct $name(pub u32);
        impl $name {
            pub fn index(self) -> usize {
                self.0 as usize
            }
        }
    };
}

id!(InputId);
id!(ParamId);
id!(ClauseId);
id!(DefId);
id!(AmendId);

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Program {
    pub policy: Option<Policy>,
    pub enums: Vec<EnumInfo>,
    pub records: Vec<RecordInfo>,
    pub inputs: Vec<InputInfo>,
    pub params: Vec<ParamInfo>,
    pub clauses: Vec<ClauseInfo>,
    pub defs: Vec<DefInfo>,
    pub amends: Vec<AmendInfo>,
    pub tests: Vec<TestInfo>,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Policy {
    pub title: String,
    /// The validity of the whole policy (`policy … in force FROM to TO`).
    pub in_force: Option<InForce>,
    pub issued: Option<Date>,
    pub source: Option<String>,
    pub source_span: Option<Span>,
    pub span: Span,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct EnumInfo {
    pub name: String,
    pub variants: Vec<String>,
    pub span: Span,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct RecordInfo {
    pub name: String,
    pub fields: Vec<FieldInfo>,
    pub span: Span,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct FieldInfo {
    pub name: String,
    pub ty: Type,
    pub label: Option<String>,
    /// The values a case may give (`>= 0`, `between 0 and 1`).
    pub range: Option<FactRange>,
    /// What the field is when the case does not give it (a constant).
    pub default: Option<TExpr>,
    pub span: Span,
}

/// The values a case may give a fact; a value outside is an error of the
/// case.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct FactRange {
    /// The lowest value, and whether it is allowed itself.
    pub lower: Option<(Literal, bool)>,
    /// The highest value, and whether it is allowed itself.
    pub upper: Option<(Literal, bool)>,
    /// As the declaration writes it: `>= 0`, `between 0 and 1`.
    pub written: String,
    pub span: Span,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct InputInfo {
    pub name: String,
    pub ty: Type,
    pub label: Option<String>,
    /// The values a case may give (`>= 0`, `between 0 and 1`).
    pub range: Option<FactRange>,
    /// What the input is when the case does not give it (a constant).
    pub default: Option<TExpr>,
    pub span: Span,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct ParamInfo {
    pub name: String,
    pub ty: Type,
    pub label: Option<String>,
    /// Sorted by date, earliest first.
    pub values: Vec<(Date, TExpr)>,
    pub span: Span,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct ClauseInfo {
    pub name: String,
    pub label: Option<String>,
    /// The subject of a per-subject clause: its name and type.
    pub subject: Option<(String, Type)>,
    pub in_force: Option<InForce>,
    pub quotes: Vec<String>,
    pub eligible: Option<TExpr>,
    /// Its `let`s, `benefit`s and `output`s, in the order written.
    pub defs: Vec<DefId>,
    pub span: Span,
}

/// `in force FROM to TO [on EXPR]` (LANGUAGE.md §4, §8).
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct InForce {
    pub from: Date,
    /// `None`: in force from `from` on, with no end.
    pub to: Option<Date>,
    /// The date tested; `None`: `today`.
    pub on: Option<TExpr>,
    /// Where `in force` is written.
    pub span: Span,
    /// Taken from the policy's validity: the clause has none of its own.
    #[serde(default)]
    pub inherited: bool,
}

impl InForce {
    /// Whether `date` lies within the dates, both ends included.
    pub fn contains(&self, date: Date) -> bool {
        self.from <= date && self.to.is_none_or(|to| date <= to)
    }

    /// The dates as written: `from 2020-01-01 to 2020-12-31`, `from 2021-01-20`.
    pub fn describe(&self) -> String {
        match self.to {
            Some(to) => crate::i18n::tr!(
                "in-force-from-to",
                from = self.from.to_string(),
                to = to.to_string()
            ),
            None => crate::i18n::tr!("in-force-from", from = self.from.to_string()),
        }
    }
}

impl ClauseInfo {
    /// `CLAUSE.eligible` is a result of clauses with `eligible if` or `in force`.
    pub fn has_eligibility_result(&self) -> bool {
        self.eligible.is_some() || self.in_force.is_some()
    }
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct DefInfo {
    pub clause: ClauseId,
    pub kind: DefKind,
    pub name: String,
    pub ty: Type,
    pub expr: TExpr,
    /// `unless` exceptions, written with the definition.
    pub unless: Vec<(TExpr, TExpr)>,
    /// Amendments from other clauses that hang directly under the base
    /// expression (those without `over`).
    pub amendments: Vec<AmendId>,
    /// How exceptions that apply together give one value (`combine
    /// highest`); none: different values are a conflict.
    pub combine: Option<Combine>,
    pub span: Span,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct AmendInfo {
    /// The clause that makes the amendment (its `in force` dates govern it).
    pub clause: ClauseId,
    pub target: DefId,
    /// The amendment this one is an exception to (`over`).
    pub parent: Option<AmendId>,
    pub children: Vec<AmendId>,
    pub cond: TExpr,
    pub then: TExpr,
    pub span: Span,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct TestInfo {
    pub name: String,
    pub today: Option<TExpr>,
    pub facts: Vec<Fact>,
    pub expects: Vec<TestExpect>,
    pub span: Span,
}

/// `hire.contract_term = 2 years`: an input and the fields below it.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Fact {
    pub input: InputId,
    pub fields: Vec<usize>,
    /// The path as written, for messages (`hire.contract_term`).
    pub path: String,
    pub value: TExpr,
    pub span: Span,
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub enum TestExpect {
    True(TExpr, Span),
    Equal(TExpr, TExpr, Span),
    Undetermined(TExpr, Span),
}

/// A typed expression.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct TExpr {
    pub kind: TExprKind,
    pub ty: Type,
    pub span: Span,
}

impl TExpr {
    /// The expressions directly under this one, in the order written.
    pub fn children(&self) -> Vec<&TExpr> {
        match &self.kind {
            TExprKind::Lit(_)
            | TExprKind::Today
            | TExprKind::Input(_)
            | TExprKind::Member(_)
            | TExprKind::Local(_)
            | TExprKind::Variant(..) => Vec::new(),
            TExprKind::Param(_, at) => at.iter().map(|e| &**e).collect(),
            TExprKind::Call { subject, .. } => vec![subject],
            TExprKind::Field(e, _) | TExprKind::Widen(e) | TExprKind::Unary(_, e) => vec![e],
            TExprKind::Binary(_, a, b) => vec![a, b],
            TExprKind::Between(a, b, c) | TExprKind::If(a, b, c) => vec![a, b, c],
            TExprKind::Set(items) | TExprKind::List(items) | TExprKind::Builtin(_, items) => {
                items.iter().collect()
            }
            TExprKind::Record(_, fields) => fields.iter().flatten().collect(),
            TExprKind::Comprehension {
                body, list, filter, ..
            } => {
                let mut out = vec![&**list];
                out.extend(filter.as_deref());
                out.extend(body.as_deref());
                out
            }
        }
    }

    /// The definitions this expression reads directly (`C.x`, `C(s).x`).
    pub fn defs_read(&self, out: &mut Vec<DefId>) {
        match &self.kind {
            TExprKind::Member(Member::Def(d)) => out.push(*d),
            TExprKind::Call {
                member: Member::Def(d),
                ..
            } => out.push(*d),
            _ => {}
        }
        for c in self.children() {
            c.defs_read(out);
        }
    }
}

/// What `C.x` or `C(s).x` names in a clause.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone, Copy, PartialEq, Eq)]
pub enum Member {
    Eligible(ClauseId),
    Def(DefId),
}

#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub enum TExprKind {
    Lit(Literal),
    Today,
    Input(InputId),
    /// A parameter on `today`, or on another date (`NAME at DATE`).
    Param(ParamId, Option<Box<TExpr>>),
    /// A member of a clause, for the current subject when the clause is
    /// per-subject.
    Member(Member),
    /// `C(subject).member` for a per-subject clause.
    Call {
        clause: ClauseId,
        subject: Box<TExpr>,
        member: Member,
    },
    /// A subject or comprehension variable: its slot counted from the
    /// outermost (slot 0 is a per-subject clause's subject).
    Local(u32),
    Field(Box<TExpr>, u32),
    Variant(EnumId, u32),
    /// An int used where a decimal is expected.
    Widen(Box<TExpr>),
    Unary(UnOp, Box<TExpr>),
    Binary(BinOp, Box<TExpr>, Box<TExpr>),
    Between(Box<TExpr>, Box<TExpr>, Box<TExpr>),
    If(Box<TExpr>, Box<TExpr>, Box<TExpr>),
    Set(Vec<TExpr>),
    List(Vec<TExpr>),
    /// A record value; fields not given are unknown.
    Record(RecordId, Vec<Option<TExpr>>),
    Builtin(Builtin, Vec<TExpr>),
    Comprehension {
        func: Aggregate,
        body: Option<Box<TExpr>>,
        /// The slot the variable takes.
        slot: u32,
        list: Box<TExpr>,
        filter: Option<Box<TExpr>>,
    },
}

impl TypeNames for Program {
    fn enum_name(&self, id: EnumId) -> &str {
        &self.enums[id.0 as usize].name
    }
    fn record_name(&self, id: RecordId) -> &str {
        &self.records[id.0 as usize].name
    }
    fn variant_name(&self, id: EnumId, variant: u32) -> &str {
        &self.enums[id.index()].variants[variant as usize]
    }
    fn field_name(&self, id: RecordId, field: usize) -> &str {
        &self.records[id.index()].fields[field].name
    }
    fn variant_is_shared(&self, name: &str) -> bool {
        self.enums
            .iter()
            .filter(|e| e.variants.iter().any(|v| v == name))
            .count()
            > 1
    }
}

impl Program {
    pub fn show<'a>(&'a self, ty: &'a Type) -> crate::lang::types::Show<'a, Program> {
        crate::lang::types::Show(ty, self)
    }

    /// `clause.name` of a definition.
    pub fn def_path(&self, def: DefId) -> String {
        let d = &self.defs[def.index()];
        format!("{}.{}", self.clauses[d.clause.index()].name, d.name)
    }
}

//! What an evaluation records when it is asked to explain itself: the
//! value of every expression it evaluated, and how each definition,
//! eligibility and parameter got its value. `explain` renders these; an
//! evaluation that is not traced records nothing and pays nothing.

use super::Value;
use crate::check::ir::{AmendId, ClauseId, DefId, ParamId, TExpr};
use crate::lang::scalar::Date;
use std::collections::HashMap;

/// An expression with its value and the values of the parts evaluated to
/// get it (in evaluation order).
#[derive(Debug, Clone)]
pub struct ExprTrace<'a> {
    pub expr: &'a TExpr,
    pub value: Value,
    pub children: Vec<ExprTrace<'a>>,
}

/// Where an exception comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExceptionSource {
    /// The definition's own `unless`, by position.
    Unless(usize),
    Amend(AmendId),
}

#[derive(Debug, Clone)]
pub struct ExceptionTrace<'a> {
    pub source: ExceptionSource,
    /// `None` when the amending clause was not in force.
    pub cond: Option<ExprTrace<'a>>,
    /// The exception's value, when its condition held.
    pub then: Option<ExprTrace<'a>>,
    /// How the amending clause's `in force` dates were tested.
    pub in_force: Option<InForceTrace<'a>>,
}

/// How a definition got its value.
#[derive(Debug, Clone)]
pub struct DefTrace<'a> {
    pub value: Value,
    /// For a benefit: whether its clause applies.
    pub applicable: Option<Value>,
    /// The exceptions looked at, in order (children of an amendment first).
    pub exceptions: Vec<ExceptionTrace<'a>>,
    /// The base expression, when it gave the value (or was evaluated to
    /// list the facts an undetermined benefit needs).
    pub base: Option<ExprTrace<'a>>,
}

/// How a clause's applicability was decided.
#[derive(Debug, Clone)]
pub struct EligibleTrace<'a> {
    pub value: Value,
    /// How the `in force` dates were tested, when the clause has them.
    pub in_force: Option<InForceTrace<'a>>,
    /// The `eligible if` condition, when it was evaluated.
    pub cond: Option<ExprTrace<'a>>,
}

/// The date an `in force` period was tested on, and the outcome.
#[derive(Debug, Clone)]
pub struct InForceTrace<'a> {
    /// `today`, or the value of `on EXPR` (unknown when it needs facts).
    pub date: Value,
    /// `true`, `false`, or unknown with the facts the date needs.
    pub holds: Value,
    /// The `on` expression, when the clause has one.
    pub on: Option<ExprTrace<'a>>,
}

#[derive(Debug, Clone)]
pub struct ParamTrace {
    /// The date of the `from` whose value was read.
    pub from: Date,
    pub value: Value,
}

/// Everything one traced evaluation recorded. Per-subject entries are keyed
/// by their subject.
#[derive(Debug, Default)]
pub struct Trace<'a> {
    pub defs: HashMap<(DefId, Option<Value>), DefTrace<'a>>,
    pub eligible: HashMap<(ClauseId, Option<Value>), EligibleTrace<'a>>,
    pub params: HashMap<(ParamId, Date), ParamTrace>,
    /// Expressions being evaluated: each frame collects its children.
    pub(super) stack: Vec<Vec<ExprTrace<'a>>>,
}

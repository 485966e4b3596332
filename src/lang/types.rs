//! The types of Pol values.

use std::fmt;

#[derive(
    serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
pub struct EnumId(pub u32);
#[derive(
    serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord,
)]
pub struct RecordId(pub u32);

impl EnumId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl RecordId {
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

#[derive(serde::Serialize, serde::Deserialize, Clone, Debug, PartialEq, Eq, Hash)]
pub enum Type {
    Bool,
    Int,
    Decimal,
    Money,
    Date,
    Duration,
    /// A run of whole days, both ends included (§8).
    Period,
    Text,
    Enum(EnumId),
    Record(RecordId),
    List(Box<Type>),
    /// `{a, b}`: only the right side of `in`.
    Set(Box<Type>),
    /// The element type of `[]` and `{}`: goes with any type.
    Nothing,
    /// An expression that already has an error: goes with any type, so one
    /// mistake is reported once.
    Error,
}

impl Type {
    pub fn is_error(&self) -> bool {
        matches!(self, Type::Error)
    }

    /// Types with an order (`<`, `min`, `between`).
    pub fn is_ordered(&self) -> bool {
        matches!(
            self,
            Type::Int | Type::Decimal | Type::Money | Type::Date | Type::Duration | Type::Error
        )
    }

    pub fn is_number(&self) -> bool {
        matches!(self, Type::Int | Type::Decimal | Type::Error)
    }
}

/// Names of enums and records, their variants and fields, to print types
/// and values (a checked program has them).
pub trait TypeNames {
    fn enum_name(&self, id: EnumId) -> &str;
    fn record_name(&self, id: RecordId) -> &str;
    fn variant_name(&self, id: EnumId, variant: u32) -> &str;
    fn field_name(&self, id: RecordId, field: usize) -> &str;
    /// Whether more than one enum has a variant of this name (it is then
    /// written `Enum.variant`).
    fn variant_is_shared(&self, name: &str) -> bool;
}

/// A type written as in the language (`list of Hire`).
pub struct Show<'a, N: TypeNames + ?Sized>(pub &'a Type, pub &'a N);

impl<N: TypeNames + ?Sized> fmt::Display for Show<'_, N> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Type::Bool => write!(f, "bool"),
            Type::Int => write!(f, "int"),
            Type::Decimal => write!(f, "decimal"),
            Type::Money => write!(f, "money"),
            Type::Date => write!(f, "date"),
            Type::Duration => write!(f, "duration"),
            Type::Period => write!(f, "period"),
            Type::Text => write!(f, "text"),
            Type::Enum(e) => write!(f, "{}", self.1.enum_name(*e)),
            Type::Record(r) => write!(f, "{}", self.1.record_name(*r)),
            Type::List(t) => write!(f, "list of {}", Show(t, self.1)),
            Type::Set(t) => write!(f, "set of {}", Show(t, self.1)),
            Type::Nothing => write!(f, "empty"),
            Type::Error => write!(f, "unknown"),
        }
    }
}

/// The common type of two branches or elements: equal types, an int that
/// widens to a decimal, or an empty list that takes the other's type.
pub fn unify(a: &Type, b: &Type) -> Option<Type> {
    match (a, b) {
        (Type::Error, _) | (_, Type::Error) => Some(Type::Error),
        (Type::Nothing, t) | (t, Type::Nothing) => Some(t.clone()),
        (Type::Int, Type::Decimal) | (Type::Decimal, Type::Int) => Some(Type::Decimal),
        (Type::List(x), Type::List(y)) => unify(x, y).map(|t| Type::List(Box::new(t))),
        (Type::Set(x), Type::Set(y)) => unify(x, y).map(|t| Type::Set(Box::new(t))),
        (x, y) if x == y => Some(x.clone()),
        _ => None,
    }
}

/// Whether a value of type `from` may stand where `to` is expected.
pub fn fits(from: &Type, to: &Type) -> bool {
    match (from, to) {
        (Type::Error, _) | (_, Type::Error) | (Type::Nothing, _) => true,
        (Type::Int, Type::Decimal) => true,
        (Type::List(x), Type::List(y)) | (Type::Set(x), Type::Set(y)) => fits(x, y),
        (x, y) => x == y,
    }
}

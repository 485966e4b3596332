//! The words of the language: its reserved words, its operators and how
//! tightly they bind (LANGUAGE.md §2 and §5). The grammar (`grammar/pol.pest`),
//! the parser, the formatter and the explanations all follow these tables; a
//! test holds the grammar to them.

/// Words that cannot be names (LANGUAGE.md §2).
pub const RESERVED: &[&str] = &[
    "policy",
    "issued",
    "enum",
    "record",
    "input",
    "parameter",
    "from",
    "at",
    "clause",
    "for",
    "in",
    "force",
    "to",
    "quote",
    "let",
    "eligible",
    "if",
    "then",
    "else",
    "benefit",
    "output",
    "unless",
    "amend",
    "over",
    "when",
    "test",
    "expect",
    "undetermined",
    "and",
    "or",
    "not",
    "between",
    "of",
    "today",
    "true",
    "false",
    "list",
];

pub const DECL_KEYWORDS: &[&str] = &[
    "policy",
    "enum",
    "record",
    "input",
    "parameter",
    "clause",
    "test",
];

#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum UnOp {
    Not,
    Neg,
}

#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BinOp {
    Or,
    And,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    In,
    Add,
    Sub,
    Mul,
    Div,
    Of,
}

impl BinOp {
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Eq => "=",
            BinOp::Ne => "!=",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::In => "in",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
            BinOp::Of => "of",
        }
    }

    pub fn is_comparison(self) -> bool {
        matches!(
            self,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::In
        )
    }
}

/// The four list functions that take a comprehension.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Aggregate {
    Sum,
    Count,
    Any,
    All,
}

impl Aggregate {
    pub fn name(self) -> &'static str {
        match self {
            Aggregate::Sum => "sum",
            Aggregate::Count => "count",
            Aggregate::Any => "any",
            Aggregate::All => "all",
        }
    }
}

/// How tightly an operator binds, loosest first (LANGUAGE.md §5): `if`,
/// `or`, `and`, `not`, comparisons (with `in` and `between`), `+ -`,
/// `* / of`, unary `-`, then the postfix `.field` and `at`, and atoms.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Binding {
    If,
    Or,
    And,
    Not,
    Compare,
    Sum,
    Product,
    Negate,
    Postfix,
    Atom,
}

impl Binding {
    /// The levels of operators, loosest first (`if` and atoms are not
    /// operators).
    pub const OPERATORS: [Binding; 8] = [
        Binding::Or,
        Binding::And,
        Binding::Not,
        Binding::Compare,
        Binding::Sum,
        Binding::Product,
        Binding::Negate,
        Binding::Postfix,
    ];
}

impl BinOp {
    pub const fn binding(self) -> Binding {
        match self {
            BinOp::Or => Binding::Or,
            BinOp::And => Binding::And,
            BinOp::Eq | BinOp::Ne | BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::In => {
                Binding::Compare
            }
            BinOp::Add | BinOp::Sub => Binding::Sum,
            BinOp::Mul | BinOp::Div | BinOp::Of => Binding::Product,
        }
    }
}

impl UnOp {
    pub const fn binding(self) -> Binding {
        match self {
            UnOp::Not => Binding::Not,
            UnOp::Neg => Binding::Negate,
        }
    }
}

/// The operators as they are written (LANGUAGE.md §5), the `at` of a
/// parameter's value on a date among them.
pub const OPERATOR_SPELLINGS: &[&str] = &[
    "or", "and", "not", "=", "!=", "<", "<=", ">", ">=", "in", "between", "+", "-", "*", "/", "of",
    "at", ".",
];

/// Spellings from other languages that the parser reads only to refuse with
/// help (`==`, `×`, `≥`…; see docs/decisions/foreign-operators.md).
pub const FOREIGN_OPERATORS: &[&str] = &["×", "÷", "≠", "≤", "≥", "<>", "==", "&&", "||"];

/// Words that are keywords only where they stand (`source "…"` after a
/// quote, `on` after `in force`, `combine` after a definition's
/// exceptions): they may still be names.
pub const CONTEXTUAL: &[&str] = &["source", "on", "combine"];

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    const GRAMMAR: &str = include_str!("../../grammar/pol.pest");

    /// The quoted words of the grammar's `reserved` rule.
    fn reserved_in_grammar() -> BTreeSet<&'static str> {
        let start = GRAMMAR
            .find("reserved = @{")
            .expect("the grammar has `reserved`");
        let end = start + GRAMMAR[start..].find("~ !ident_char").expect("it ends");
        GRAMMAR[start..end].split('"').skip(1).step_by(2).collect()
    }

    #[test]
    fn the_grammar_reserves_the_reserved_words() {
        let table: BTreeSet<&str> = RESERVED.iter().copied().collect();
        assert_eq!(reserved_in_grammar(), table);
        assert_eq!(table.len(), RESERVED.len(), "a word is listed twice");
    }

    #[test]
    fn every_keyword_rule_is_reserved_or_contextual() {
        for line in GRAMMAR.lines().filter(|l| l.starts_with("kw_")) {
            let word = line
                .split('"')
                .nth(1)
                .expect("a keyword rule spells its word");
            let rule = line.split_whitespace().next().unwrap_or("");
            assert_eq!(
                rule,
                format!("kw_{word}"),
                "the rule is named after its word"
            );
            assert!(
                RESERVED.contains(&word) || CONTEXTUAL.contains(&word),
                "`{word}` is a keyword of the grammar but in neither table"
            );
        }
        for word in DECL_KEYWORDS.iter().chain(CONTEXTUAL) {
            assert!(
                GRAMMAR.contains(&format!("kw_{word} ")),
                "`{word}` has no keyword rule"
            );
        }
    }

    #[test]
    fn every_operator_is_spelled_in_the_grammar() {
        for op in OPERATOR_SPELLINGS.iter().chain(FOREIGN_OPERATORS) {
            let spelled = if op.chars().all(char::is_alphabetic) {
                format!("kw_{op}")
            } else {
                format!("\"{op}\"")
            };
            assert!(GRAMMAR.contains(&spelled), "`{op}` is not in the grammar");
        }
        for op in [
            BinOp::Or,
            BinOp::And,
            BinOp::Eq,
            BinOp::Ne,
            BinOp::Lt,
            BinOp::Le,
            BinOp::Gt,
            BinOp::Ge,
            BinOp::In,
            BinOp::Add,
            BinOp::Sub,
            BinOp::Mul,
            BinOp::Div,
            BinOp::Of,
        ] {
            assert!(OPERATOR_SPELLINGS.contains(&op.symbol()), "{op:?}");
        }
    }

    #[test]
    fn levels_run_loosest_first() {
        let levels = Binding::OPERATORS;
        assert!(levels.windows(2).all(|w| w[0] < w[1]));
        assert!(BinOp::Or.binding() < BinOp::And.binding());
        assert!(UnOp::Not.binding() < BinOp::Eq.binding());
        assert!(BinOp::Add.binding() < BinOp::Mul.binding());
        assert!(BinOp::Of.binding() < UnOp::Neg.binding());
    }
}

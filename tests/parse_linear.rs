//! Parsing takes work in proportion to the text, whatever its nesting.
//!
//! Work is counted, not timed: pest stops a parse that makes more rule calls
//! than its call limit, so a parse that succeeds under a limit of a fixed
//! number of calls per byte did linear work. A grammar that backtracks over
//! an argument list (which once made `min(min(…1, 1)…, 1)` exponential in
//! its depth) fails this for depths far below those that take seconds.
//!
//! The call limit is global to pest, so these tests are the only ones in
//! this binary.

use pol::source::FileId;
use proptest::prelude::*;
use std::num::NonZeroUsize;

/// Rule calls allowed per byte of program text: well above what real
/// programs take (a few dozen), far below what backtracking takes.
const CALLS_PER_BYTE: usize = 400;

/// One level of nesting around `inner`.
fn wrap(shape: u8, inner: &str) -> String {
    match shape % 9 {
        0 => format!("min({inner}, 1)"),
        1 => format!("max(1, {inner})"),
        2 => format!("sum({inner} for x in [1, 2] if x > 0)"),
        3 => format!("count(x in [{inner}] if x > 0)"),
        4 => format!("({inner} + 1)"),
        5 => format!("if true then {inner} else 1"),
        6 => format!("if {inner} > 0 then 1 else 2"),
        7 => format!("abs(-({inner}))"),
        _ => format!("[{inner}, 1]"),
    }
}

fn program(shapes: &[u8]) -> String {
    let expr = shapes.iter().fold("1".to_string(), |e, &s| wrap(s, &e));
    format!("clause c {{\n  output x = {expr}\n}}\n")
}

fn parse_within_limit(text: &str) -> Result<(), String> {
    pest::set_call_limit(NonZeroUsize::new(CALLS_PER_BYTE * text.len()));
    let (_, errors) = pol::syntax::parse_module(FileId(0), text);
    pest::set_call_limit(None);
    // Every generated program is well formed: any error is the limit's.
    match errors.first() {
        Some(e) => Err(format!("{}: {}", e.code, e.message)),
        None => Ok(()),
    }
}

/// One test, so that no other parse runs under its call limit.
#[test]
fn nesting_parses_in_linear_work() {
    // Today's worst cases, far past the depth that once took seconds.
    for depth in [10usize, 20] {
        for shape in 0..9u8 {
            let text = program(&vec![shape; depth]);
            parse_within_limit(&text)
                .unwrap_or_else(|e| panic!("depth {depth}, shape {shape}: {e}\n{text}"));
        }
    }
    // Generated mixes of every shape.
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(200));
    runner
        .run(&prop::collection::vec(any::<u8>(), 1..20), |shapes| {
            let text = program(&shapes);
            prop_assert!(parse_within_limit(&text).is_ok(), "{}", text);
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e}"));
}

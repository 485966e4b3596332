//! The arithmetic and type table of LANGUAGE.md §5, row by row: the type
//! of each well-typed expression, and the error of each ill-typed one.

use pol::package::{self, Failure};
use pol::source::SourceMap;
use std::path::Path;

const PRELUDE: &str = "
enum Size { small, large }
record Hire { wage: money  graduate: bool }
input i: int
input j: int
input d: decimal
input m: money
input n: money
input dt: date
input dt2: date
input du: duration
input b: bool
input t: text
input s: Size
input hires: list of Hire
parameter p: money { from 2020-01-01 = 100 yuan }
";

/// The type of `EXPR`, or the codes of its errors.
fn type_of(expr: &str) -> Result<String, Vec<&'static str>> {
    let mut sources = SourceMap::new();
    sources.add(
        "t.pol",
        None,
        format!("{PRELUDE}\nclause c {{\n  output x = {expr}\n}}\n"),
    );
    match package::check_sources(sources, Path::new(".")) {
        Ok(checked) => {
            let p = checked.program();
            let def = p.defs.iter().find(|d| d.name == "x").expect("x");
            Ok(p.show(&def.ty).to_string())
        }
        Err(Failure::Program(_, diags)) => Err(diags.iter().map(|d| d.code).collect()),
        Err(Failure::Load(e)) => panic!("{e}"),
    }
}

#[track_caller]
fn ok(expr: &str, ty: &str) {
    assert_eq!(type_of(expr), Ok(ty.to_string()), "{expr}");
}

#[track_caller]
fn refused(expr: &str, code: &str) {
    assert_eq!(type_of(expr), Err(vec![code]), "{expr}");
}

#[test]
fn numbers() {
    ok("i + j", "int");
    ok("i - j", "int");
    ok("i * j", "int");
    ok("i / j", "decimal");
    ok("i + d", "decimal");
    ok("d * i", "decimal");
    ok("d / d", "decimal");
    ok("-i", "int");
    ok("-d", "decimal");
    ok("15% of d", "decimal");
}

#[test]
fn money() {
    ok("m + n", "money");
    ok("m - n", "money");
    ok("m * i", "money");
    ok("m * d", "money");
    ok("i * m", "money");
    ok("d * m", "money");
    ok("m / i", "money");
    ok("m / d", "money");
    ok("m / n", "decimal");
    ok("15% of m", "money");
    ok("-m", "money");
    refused("m + i", "pol::check::operator");
    refused("m + 5", "pol::check::operator");
    refused("m * n", "pol::check::operator");
    refused("i / m", "pol::check::operator");
    refused("m < 3000", "pol::check::comparison");
    ok("m < 3000 yuan", "bool");
}

#[test]
fn dates_and_durations() {
    ok("dt + du", "date");
    ok("dt - du", "date");
    ok("du + dt", "date");
    ok("dt - dt2", "duration");
    ok("du + du", "duration");
    ok("du - du", "duration");
    ok("du * i", "duration");
    ok("i * du", "duration");
    ok("-du", "duration");
    ok("dt + 6 months", "date");
    ok("du >= 1 year", "bool");
    refused("dt + i", "pol::check::operator");
    refused("dt + 30", "pol::check::operator");
    refused("dt + dt2", "pol::check::operator");
    refused("du * d", "pol::check::operator");
    refused("du / i", "pol::check::operator");
    refused("du >= 12", "pol::check::comparison");
    refused("-dt", "pol::check::operator");
}

#[test]
fn comparisons_and_logic() {
    ok("i = j", "bool");
    ok("i < d", "bool");
    ok("s = small", "bool");
    ok("s in {small, large}", "bool");
    ok("t = \"x\"", "bool");
    ok("b and not b or b", "bool");
    ok("i between 16 and 24", "bool");
    ok("dt between 2020-01-01 and 2020-12-31", "bool");
    refused("s < large", "pol::check::comparison");
    refused("b and i", "pol::check::operator");
    refused("t + t", "pol::check::operator");
    refused("-t", "pol::check::operator");
}

#[test]
fn conditionals_widen_ints() {
    ok("if b then 1 else 2", "int");
    ok("if b then 1 else 2.5", "decimal");
    ok("if b then m else 0 yuan", "money");
    refused("if b then m else 0", "pol::check::branches");
    refused("if i then 1 else 2", "pol::check::condition");
}

#[test]
fn built_ins() {
    ok("min(i, j)", "int");
    ok("max(i, d, 3)", "decimal");
    ok("min(m, 12 yuan)", "money");
    ok("min(dt, dt2)", "date");
    ok("max(du, 1 year)", "duration");
    ok("round(m)", "money");
    ok("round(d)", "int");
    ok("floor(d)", "int");
    ok("ceil(i / j)", "int");
    ok("abs(m)", "money");
    ok("abs(du)", "duration");
    ok("years_between(dt, dt2)", "int");
    ok("months_between(dt, today)", "int");
    ok("days_between(dt, dt2)", "int");
    ok("sum(h.wage for h in hires)", "money");
    ok("sum(h.wage for h in hires if h.graduate)", "money");
    ok("count(h in hires if h.graduate)", "int");
    ok("count(h in hires)", "int");
    ok("any(h.graduate for h in hires)", "bool");
    ok("all(h.graduate for h in hires)", "bool");
    ok("allocate(7800 yuan, [m, n])", "list of money");
    ok("sum(allocate(7800 yuan, [m, n]))", "money");
    ok("sum([1, 2])", "int");
    ok("p", "money");
    ok("p at dt", "money");
    refused("min(m, 5)", "pol::check::argument");
    refused("min(i)", "pol::check::arity");
    refused("floor(m)", "pol::check::argument");
    refused("round(b)", "pol::check::argument");
    refused("years_between(dt, i)", "pol::check::argument");
    refused("allocate(7800, [m])", "pol::check::argument");
    refused("allocate(m, [1, 2])", "pol::check::argument");
    refused("sum(h.graduate for h in hires)", "pol::check::argument");
    refused("m at dt", "pol::check::at");
}

#[test]
fn lists_and_sets() {
    ok("[1, 2.5]", "list of decimal");
    ok("[m, 1 yuan]", "list of money");
    ok("hires", "list of Hire");
    refused("[m, 1]", "pol::check::mismatch");
    refused("hires.wage", "pol::check::no_field");
}

//! Well-typed programs generated from the fuzzer's bytes, evaluated on
//! well-typed cases generated the same way: a checked program never meets
//! a type error at run time, and money is always whole fen.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pol::lang::types::Type;
use pol::eval::{Case, ErrorKind, Evaluation, Plan, Value};
use pol::lang::scalar::{Date, Duration};
use rust_decimal::Decimal;

struct Gen<'a> {
    data: &'a [u8],
    at: usize,
}

impl Gen<'_> {
    fn byte(&mut self) -> u8 {
        let b = self.data.get(self.at).copied().unwrap_or(0);
        self.at += 1;
        b
    }

    fn pick(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n
    }

    fn int(&mut self) -> i64 {
        i64::from_le_bytes(std::array::from_fn(|_| self.byte()))
    }
}

#[derive(Clone, Copy)]
enum T {
    Int,
    Dec,
    Money,
    Bool,
    Date,
    Dur,
}

const PRELUDE: &str = "enum Size { small, large }
input i: int
input d: decimal
input m: money
input dt: date
input du: duration
input b: bool
input s: Size
";

fn expr(g: &mut Gen, t: T, depth: u32) -> String {
    let leaf = depth == 0 || g.pick(3) == 0;
    let d = depth.saturating_sub(1);
    macro_rules! e {
        ($t:expr) => {
            expr(g, $t, d)
        };
    }
    if leaf {
        return match t {
            T::Int => ["i", "0", "1", "9223372036854775807", "-7"][g.pick(5)],
            T::Dec => ["d", "0.5", "15%", "0", "1.333"][g.pick(5)],
            T::Money => ["m", "0 yuan", "812.40 yuan", "20万元", "0.01 yuan"][g.pick(5)],
            T::Bool => ["b", "true", "s = small", "s in {small, large}"][g.pick(4)],
            T::Date => ["dt", "today", "2020-02-29", "2020-01-31"][g.pick(4)],
            T::Dur => ["du", "1 month", "30 days", "0 days", "1 year"][g.pick(5)],
        }
        .to_string();
    }
    match t {
        T::Int => match g.pick(6) {
            0 => {
                let op = ["+", "-", "*"][g.pick(3)];
                format!("({} {op} {})", e!(T::Int), e!(T::Int))
            }
            1 => format!("round({})", e!(T::Dec)),
            2 => format!("ceil({})", e!(T::Dec)),
            3 => format!("years_between({}, {})", e!(T::Date), e!(T::Date)),
            4 => format!("abs({})", e!(T::Int)),
            _ => format!("(if {} then {} else {})", e!(T::Bool), e!(T::Int), e!(T::Int)),
        },
        T::Dec => match g.pick(4) {
            0 => format!("({} / {})", e!(T::Int), e!(T::Int)),
            1 => {
                let op = ["+", "-", "*", "/"][g.pick(4)];
                format!("({} {op} {})", e!(T::Dec), e!(T::Dec))
            }
            2 => format!("({} / {})", e!(T::Money), e!(T::Money)),
            _ => format!("min({}, {})", e!(T::Dec), e!(T::Int)),
        },
        T::Money => match g.pick(6) {
            0 => {
                let op = ["+", "-"][g.pick(2)];
                format!("({} {op} {})", e!(T::Money), e!(T::Money))
            }
            1 => format!("({} * {})", e!(T::Money), e!(T::Dec)),
            2 => format!("({} / {})", e!(T::Money), e!(T::Int)),
            3 => format!("sum(allocate({}, [{}, {}]))", e!(T::Money), e!(T::Money), e!(T::Money)),
            4 => format!("max({}, {})", e!(T::Money), e!(T::Money)),
            _ => format!("-{}", e!(T::Money)),
        },
        T::Bool => match g.pick(5) {
            0 => {
                let op = ["and", "or"][g.pick(2)];
                format!("({} {op} {})", e!(T::Bool), e!(T::Bool))
            }
            1 => format!("not {}", e!(T::Bool)),
            2 => format!("({} < {})", e!(T::Money), e!(T::Money)),
            3 => format!("({} >= {})", e!(T::Dur), e!(T::Dur)),
            _ => format!("({} between {} and {})", e!(T::Date), e!(T::Date), e!(T::Date)),
        },
        T::Date => {
            let op = ["+", "-"][g.pick(2)];
            format!("({} {op} {})", e!(T::Date), e!(T::Dur))
        }
        T::Dur => match g.pick(3) {
            0 => format!("({} + {})", e!(T::Dur), e!(T::Dur)),
            1 => format!("({} * {})", e!(T::Dur), e!(T::Int)),
            _ => format!("({} - {})", e!(T::Date), e!(T::Date)),
        },
    }
}

fn value(g: &mut Gen, ty: &Type, k: usize) -> Value {
    if g.pick(5) == 0 {
        return Value::missing(format!("fact{k}"));
    }
    let x = g.int();
    match ty {
        Type::Int => Value::Int(x),
        Type::Decimal => Value::Decimal(Decimal::new(x % 10_000_000_000, (x.unsigned_abs() % 6) as u32)),
        Type::Money => Value::money(Decimal::new(x % 100_000_000_000_000, 2)),
        Type::Date => Value::Date(Date::from_ymd(1 + (x.unsigned_abs() % 9999) as i32, 1 + (x.unsigned_abs() % 12) as u32, 1 + (x.unsigned_abs() % 28) as u32).expect("a date")),
        Type::Duration => Value::Duration(if x % 2 == 0 { Duration::Months(x % 100_000) } else { Duration::Days(x % 10_000_000) }),
        Type::Enum(e) => Value::Enum(*e, (x.unsigned_abs() % 2) as u32),
        _ => Value::Bool(x % 2 == 0),
    }
}

fuzz_target!(|data: &[u8]| {
    let mut g = Gen { data, at: 0 };
    let t = [T::Int, T::Dec, T::Money, T::Bool, T::Date, T::Dur][g.pick(6)];
    let e = expr(&mut g, t, 4);
    let text = format!("{PRELUDE}\nclause p {{\n  output x = {e}\n}}\n");
    let mut sources = pol::source::SourceMap::new();
    sources.add("gen.pol", None, text);
    let Ok(checked) = pol::package::check_sources(sources, std::path::Path::new(".")) else { return };
    let program = checked.program();
    let inputs = program.inputs.iter().enumerate().map(|(k, inp)| value(&mut g, &inp.ty, k)).collect();
    let today = (g.pick(4) != 0).then(|| Date::from_ymd(2000 + g.pick(30) as i32, 1 + g.pick(12) as u32, 1 + g.pick(28) as u32).expect("a date"));
    let case = Case { inputs, today };
    let plan = Plan::new(&checked);
    let mut ev = Evaluation::new(program, &case);
    match ev.member(plan.results[0].member, None) {
        Ok(Value::Money(m)) => assert!(m.scale() == 2 && m == pol::lang::scalar::round_money(m), "{e}: {m} is not whole fen"),
        Ok(_) => {}
        // Every error a user can meet is fine here; a type error at run time
        // is a bug in the checker.
        Err(err) => assert_ne!(err.kind, ErrorKind::Internal, "a type error at run time in `{e}`: {}", err.message),
    }
});

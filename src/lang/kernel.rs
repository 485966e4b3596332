//! The computation of every operator and built-in on known values of the
//! types it takes: one function each. [`ops::apply`](super::ops::apply) and
//! [`Builtin::apply`](super::builtins::Builtin::apply) pick one for a value;
//! the block path of batches picks one for a column. Money is a `Decimal`
//! of whole fen everywhere; every result that is money goes through
//! [`money`], so overflow, rounding and the sign of zero are decided here.

use super::scalar::{Date, Duration, money_fits, round_money};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};
use std::cmp::Ordering;

/// Why an operation on known values gives no value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    Overflow,
    DivisionByZero,
    /// A month count and a day count met (`12 months` vs `365 days`).
    DurationKinds(Duration, Duration),
    /// A date before year 1 or after 9999.
    DateRange,
    /// `period(A, B)` or `span(A, D)` whose last day comes before its first.
    PeriodOrder {
        message: String,
        help: String,
    },
    /// `allocate` given a cap below zero (a share cannot be negative).
    NegativeCap(Decimal),
    /// Values of types the checker does not let meet: a bug in Pol.
    Internal(&'static str),
}

fn checked<T>(x: Option<T>) -> Result<T, Fault> {
    x.ok_or(Fault::Overflow)
}

/// Money from an exact amount: rounded to the fen half away from zero,
/// with two decimals, and zero without a sign; an amount too large for
/// whole fen is an overflow.
pub fn money(amount: Decimal) -> Result<Decimal, Fault> {
    // Whole fen already (sums, differences, multiples): nothing to round.
    if amount.scale() == 2 {
        return Ok(if amount.is_zero() {
            Decimal::new(0, 2)
        } else {
            amount
        });
    }
    if !money_fits(amount) {
        return Err(Fault::Overflow);
    }
    let mut m = round_money(amount);
    if m.is_zero() {
        m = Decimal::new(0, 2);
    }
    Ok(m)
}

pub fn int_add(a: i64, b: i64) -> Result<i64, Fault> {
    checked(a.checked_add(b))
}

pub fn int_sub(a: i64, b: i64) -> Result<i64, Fault> {
    checked(a.checked_sub(b))
}

pub fn int_mul(a: i64, b: i64) -> Result<i64, Fault> {
    checked(a.checked_mul(b))
}

pub fn int_neg(a: i64) -> Result<i64, Fault> {
    checked(a.checked_neg())
}

pub fn int_abs(a: i64) -> Result<i64, Fault> {
    checked(a.checked_abs())
}

pub fn dec_add(a: Decimal, b: Decimal) -> Result<Decimal, Fault> {
    checked(a.checked_add(b))
}

pub fn dec_sub(a: Decimal, b: Decimal) -> Result<Decimal, Fault> {
    checked(a.checked_sub(b))
}

pub fn dec_mul(a: Decimal, b: Decimal) -> Result<Decimal, Fault> {
    checked(a.checked_mul(b))
}

/// A quotient of numbers (`int / int` too) is a decimal, carried to 28
/// significant digits, in its shortest form.
pub fn dec_div(a: Decimal, b: Decimal) -> Result<Decimal, Fault> {
    if b.is_zero() {
        return Err(Fault::DivisionByZero);
    }
    checked(a.checked_div(b)).map(|d| d.normalize())
}

pub fn dec_neg(a: Decimal) -> Decimal {
    -a
}

/// Whole fen as money (two decimals), when a decimal holds them.
fn from_fen(fen: i128) -> Result<Decimal, Fault> {
    match i64::try_from(fen) {
        // Zero included: `Decimal::new(0, 2)` has no sign.
        Ok(small) => Ok(Decimal::new(small, 2)),
        Err(_) => Decimal::try_from_i128_with_scale(fen, 2).map_err(|_| Fault::Overflow),
    }
}

/// The fen of money that has them (two decimals), as an exact count.
fn fen(m: Decimal) -> Option<i128> {
    (m.scale() == 2).then(|| m.mantissa())
}

// Money is whole fen, so sums, differences and multiples by whole numbers
// are counted in fen exactly (i128 holds every product of two amounts a
// decimal holds); `from_fen` refuses what a decimal cannot hold. The
// general decimal path gives the same results, more slowly.

pub fn money_add(a: Decimal, b: Decimal) -> Result<Decimal, Fault> {
    match (fen(a), fen(b)) {
        (Some(x), Some(y)) => from_fen(x + y),
        _ => money(checked(a.checked_add(b))?),
    }
}

pub fn money_sub(a: Decimal, b: Decimal) -> Result<Decimal, Fault> {
    match (fen(a), fen(b)) {
        (Some(x), Some(y)) => from_fen(x - y),
        _ => money(checked(a.checked_sub(b))?),
    }
}

/// Money times a whole number (`monthly * 12`).
pub fn money_times(m: Decimal, k: i64) -> Result<Decimal, Fault> {
    match fen(m) {
        Some(x) => from_fen(x.checked_mul(i128::from(k)).ok_or(Fault::Overflow)?),
        None => money_scale(m, Decimal::from(k)),
    }
}

/// The order of two amounts.
pub fn money_cmp(a: Decimal, b: Decimal) -> Ordering {
    match (fen(a), fen(b)) {
        (Some(x), Some(y)) => x.cmp(&y),
        _ => a.cmp(&b),
    }
}

pub fn money_neg(a: Decimal) -> Result<Decimal, Fault> {
    money(-a)
}

pub fn money_abs(a: Decimal) -> Result<Decimal, Fault> {
    money(a.abs())
}

/// Money times a number (`wage * 15%`, `15% of wage`), rounded to the fen.
pub fn money_scale(m: Decimal, k: Decimal) -> Result<Decimal, Fault> {
    money(checked(m.checked_mul(k))?)
}

/// Money divided by a number, rounded to the fen.
pub fn money_div(m: Decimal, k: Decimal) -> Result<Decimal, Fault> {
    if k.is_zero() {
        return Err(Fault::DivisionByZero);
    }
    money(checked(m.checked_div(k))?)
}

/// Money divided by money: a ratio, a decimal.
pub fn money_ratio(a: Decimal, b: Decimal) -> Result<Decimal, Fault> {
    dec_div(a, b)
}

/// Two durations of one kind (a zero goes with either kind): their counts,
/// and whether they count months.
pub fn same_kind(a: Duration, b: Duration) -> Result<(i64, i64, bool), Fault> {
    match (a, b) {
        (Duration::Months(x), Duration::Months(y)) => Ok((x, y, true)),
        (Duration::Days(x), Duration::Days(y)) => Ok((x, y, false)),
        (Duration::Months(x), Duration::Days(0)) => Ok((x, 0, true)),
        (Duration::Days(0), Duration::Months(y)) => Ok((0, y, true)),
        (Duration::Days(x), Duration::Months(0)) => Ok((x, 0, false)),
        (Duration::Months(0), Duration::Days(y)) => Ok((0, y, false)),
        (a, b) => Err(Fault::DurationKinds(a, b)),
    }
}

fn duration(n: i64, months: bool) -> Duration {
    if months {
        Duration::Months(n)
    } else {
        Duration::Days(n)
    }
}

pub fn dur_add(a: Duration, b: Duration) -> Result<Duration, Fault> {
    let (x, y, months) = same_kind(a, b)?;
    Ok(duration(checked(x.checked_add(y))?, months))
}

pub fn dur_sub(a: Duration, b: Duration) -> Result<Duration, Fault> {
    let (x, y, months) = same_kind(a, b)?;
    Ok(duration(checked(x.checked_sub(y))?, months))
}

pub fn dur_scale(d: Duration, k: i64) -> Result<Duration, Fault> {
    match d {
        Duration::Months(n) => checked(n.checked_mul(k)).map(Duration::Months),
        Duration::Days(n) => checked(n.checked_mul(k)).map(Duration::Days),
    }
}

pub fn dur_neg(d: Duration) -> Result<Duration, Fault> {
    dur_scale(d, -1)
}

pub fn dur_abs(d: Duration) -> Result<Duration, Fault> {
    match d {
        Duration::Months(n) => checked(n.checked_abs()).map(Duration::Months),
        Duration::Days(n) => checked(n.checked_abs()).map(Duration::Days),
    }
}

/// The order of two durations of one kind.
pub fn dur_cmp(a: Duration, b: Duration) -> Result<Ordering, Fault> {
    let (x, y, _) = same_kind(a, b)?;
    Ok(x.cmp(&y))
}

/// A date moved by a duration, forwards (`sign` 1) or back (-1).
pub fn date_shift(date: Date, d: Duration, sign: i64) -> Result<Date, Fault> {
    let moved = match d {
        Duration::Months(n) => date.add_months(checked(n.checked_mul(sign))?),
        Duration::Days(n) => date.add_days(checked(n.checked_mul(sign))?),
    };
    moved.ok_or(Fault::DateRange)
}

/// `a - b` of two dates: the days from `b` to `a`.
pub fn date_diff(a: Date, b: Date) -> Duration {
    Duration::Days(b.days_until(a))
}

/// Whether an ordering satisfies a comparison (`<`, `<=`, `=`…).
pub fn holds(op: super::words::BinOp, o: Ordering) -> bool {
    use super::words::BinOp;
    match op {
        BinOp::Eq => o == Ordering::Equal,
        BinOp::Ne => o != Ordering::Equal,
        BinOp::Lt => o == Ordering::Less,
        BinOp::Le => o != Ordering::Greater,
        BinOp::Gt => o == Ordering::Greater,
        _ => o != Ordering::Less,
    }
}

fn to_int(d: Decimal) -> Result<i64, Fault> {
    d.to_i64().ok_or(Fault::Overflow)
}

/// `round(x)` of a decimal: the nearest whole number, half away from zero.
pub fn round(d: Decimal) -> Result<i64, Fault> {
    to_int(d.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero))
}

pub fn floor(d: Decimal) -> Result<i64, Fault> {
    to_int(d.floor())
}

pub fn ceil(d: Decimal) -> Result<i64, Fault> {
    to_int(d.ceil())
}

/// `round(m)` of money: it is whole fen already.
pub fn round_money_value(m: Decimal) -> Result<Decimal, Fault> {
    money(m)
}

/// One step of `allocate` (依次扣减): a cap takes what is left of the
/// total, up to itself; nothing below zero is handed out. `rest` starts at
/// the total (below zero counts as zero). A cap below zero is an error:
/// what it would take is not a share of anything.
pub fn allocate_step(rest: &mut Decimal, cap: Decimal) -> Result<Decimal, Fault> {
    if cap.is_sign_negative() && !cap.is_zero() {
        return Err(Fault::NegativeCap(cap));
    }
    if let (Some(r), Some(c)) = (fen(*rest), fen(cap)) {
        let take = r.max(0).min(c.max(0));
        *rest = from_fen(r.max(0) - take)?;
        return from_fen(take);
    }
    let take = (*rest).max(Decimal::ZERO).min(cap.max(Decimal::ZERO));
    *rest = (*rest).max(Decimal::ZERO) - take;
    money(take)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::scalar::{format_money, push_fen};

    fn m(text: &str) -> Decimal {
        text.parse().expect("a decimal")
    }

    #[test]
    fn money_is_whole_fen_with_two_decimals_and_unsigned_zero() {
        assert_eq!(money(m("1.005")).map(|d| d.to_string()), Ok("1.01".into()));
        assert_eq!(money(m("-0.004")).map(|d| d.to_string()), Ok("0.00".into()));
        assert_eq!(
            money_neg(m("0.00")).map(|d| d.to_string()),
            Ok("0.00".into())
        );
        assert_eq!(
            money_sub(m("1.00"), m("1.00")).map(|d| d.to_string()),
            Ok("0.00".into())
        );
        assert_eq!(
            money_times(m("0.05"), -3).map(|d| d.to_string()),
            Ok("-0.15".into())
        );
        assert_eq!(money_add(Decimal::MAX, m("1.00")), Err(Fault::Overflow));
    }

    #[test]
    fn the_fen_paths_agree_with_the_decimal_paths() {
        for (a, b) in [
            ("1.10", "2.25"),
            ("-3.00", "0.01"),
            ("0.00", "-0.00"),
            ("79228162514264337593543950.33", "-1.00"),
        ] {
            let (a, b) = (m(a), m(b));
            assert_eq!(
                money_add(a, b).ok(),
                a.checked_add(b).and_then(|s| money(s).ok())
            );
            assert_eq!(
                money_sub(a, b).ok(),
                a.checked_sub(b).and_then(|s| money(s).ok())
            );
            assert_eq!(money_cmp(a, b), a.cmp(&b));
            assert_eq!(
                money_times(a, 7).ok(),
                money_scale(a, Decimal::from(7)).ok()
            );
        }
    }

    #[test]
    fn money_is_written_one_way() {
        let mut s = String::new();
        for fen in [0i128, 5, -5, 100, 123_456, -100_000_000_000_000_000_000_000] {
            push_fen(&mut s, fen);
            s.push(' ');
        }
        assert_eq!(
            s,
            "0.00 0.05 -0.05 1.00 1234.56 -1000000000000000000000.00 "
        );
        assert_eq!(format_money(m("-0.00")), "0.00");
        assert_eq!(format_money(m("12")), "12.00");
    }

    #[test]
    fn allocate_takes_in_turn_and_never_below_zero() {
        let mut rest = m("100.00");
        let takes: Vec<String> = ["30.00", "-0.00", "90.00", "10.00"]
            .iter()
            .map(|c| allocate_step(&mut rest, m(c)).expect("money").to_string())
            .collect();
        assert_eq!(takes, ["30.00", "0.00", "70.00", "0.00"]);
        assert_eq!(
            allocate_step(&mut m("100.00"), m("-5.00")),
            Err(Fault::NegativeCap(m("-5.00")))
        );
        let mut negative = m("-1.00");
        assert_eq!(
            allocate_step(&mut negative, m("5.00")).map(|d| d.to_string()),
            Ok("0.00".into())
        );
    }
}

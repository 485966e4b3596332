//! The scalar values of the language: dates, durations and money, with the
//! calendar and rounding rules of LANGUAGE.md §3 and §5.

use crate::i18n::tr;
use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt;

/// A calendar date, stored as days since 1970-01-01 (proleptic Gregorian).
#[derive(
    serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub struct Date(i32);

/// Days in a month of a year.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if is_leap(year) => 29,
        _ => 28,
    }
}

fn is_leap(year: i32) -> bool {
    (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
}

impl Date {
    /// A real calendar date, or `None` (2020-02-30, month 13, year 0…).
    pub fn from_ymd(year: i32, month: u32, day: u32) -> Option<Date> {
        if !(1..=9999).contains(&year) || !(1..=12).contains(&month) {
            return None;
        }
        if day == 0 || day > days_in_month(year, month) {
            return None;
        }
        Some(Date(days_from_civil(year, month, day)))
    }

    /// Parses exactly `YYYY-MM-DD`.
    pub fn parse(s: &str) -> Option<Date> {
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return None;
        }
        let digits = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &s[r];
            if part.bytes().all(|c| c.is_ascii_digit()) {
                part.parse().ok()
            } else {
                None
            }
        };
        Date::from_ymd(digits(0..4)? as i32, digits(5..7)?, digits(8..10)?)
    }

    pub fn ymd(self) -> (i32, u32, u32) {
        civil_from_days(self.0)
    }

    pub fn days_since_epoch(self) -> i32 {
        self.0
    }

    /// Adds days; `None` when the result leaves years 1–9999.
    pub fn add_days(self, days: i64) -> Option<Date> {
        let d = i64::from(self.0).checked_add(days)?;
        let d = i32::try_from(d).ok()?;
        let (y, _, _) = civil_from_days(d);
        (1..=9999).contains(&y).then_some(Date(d))
    }

    /// Adds months; a step that lands past a month's end clamps to its last
    /// day (2020-01-31 + 1 month = 2020-02-29).
    pub fn add_months(self, months: i64) -> Option<Date> {
        let (y, m, d) = self.ymd();
        // Far out of range (`today + 9223372036854775807 months`): no date.
        let index = (i64::from(y) * 12 + i64::from(m - 1)).checked_add(months)?;
        let year = i32::try_from(index.div_euclid(12)).ok()?;
        let month = index.rem_euclid(12) as u32 + 1;
        if !(1..=9999).contains(&year) {
            return None;
        }
        Date::from_ymd(year, month, d.min(days_in_month(year, month)))
    }

    /// Whole months from `self` to `other` (negative when `other` is earlier).
    pub fn months_until(self, other: Date) -> i64 {
        if other < self {
            return -other.months_until(self);
        }
        let (y1, m1, _) = self.ymd();
        let (y2, m2, _) = other.ymd();
        let mut months = (i64::from(y2) - i64::from(y1)) * 12 + i64::from(m2) - i64::from(m1);
        // A month is complete when the same day of the month (clamped) is reached.
        if months > 0 && self.add_months(months).is_none_or(|d| d > other) {
            months -= 1;
        }
        months
    }

    pub fn days_until(self, other: Date) -> i64 {
        i64::from(other.0) - i64::from(self.0)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

// Howard Hinnant's algorithms (days_from_civil / civil_from_days).
fn days_from_civil(y: i32, m: u32, d: u32) -> i32 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy as i32;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i32) -> (i32, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    (if m <= 2 { y + 1 } else { y }, m, d)
}

/// A run of whole days, both ends included (LANGUAGE.md §8): never empty,
/// `start <= end`.
#[derive(
    serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
pub struct Period {
    start: Date,
    end: Date,
}

impl Period {
    /// The days from `start` to `end`; `None` when `end` is before `start`.
    pub fn new(start: Date, end: Date) -> Option<Period> {
        (start <= end).then_some(Period { start, end })
    }

    pub fn start(self) -> Date {
        self.start
    }

    pub fn end(self) -> Date {
        self.end
    }

    /// Reads `YYYY-MM-DD..YYYY-MM-DD` (spaces around `..` allowed).
    pub fn parse(s: &str) -> Option<Period> {
        let (a, b) = s.trim().split_once("..")?;
        Period::new(Date::parse(a.trim())?, Date::parse(b.trim())?)
    }

    /// The calendar year that contains `d`.
    pub fn year_of(d: Date) -> Period {
        let (y, _, _) = d.ymd();
        Period {
            start: Date(days_from_civil(y, 1, 1)),
            end: Date(days_from_civil(y, 12, 31)),
        }
    }

    /// The calendar month that contains `d`.
    pub fn month_of(d: Date) -> Period {
        let (y, m, _) = d.ymd();
        Period {
            start: Date(days_from_civil(y, m, 1)),
            end: Date(days_from_civil(y, m, days_in_month(y, m))),
        }
    }

    pub fn contains(self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }

    /// The days that both share, if any.
    pub fn intersect(self, other: Period) -> Option<Period> {
        Period::new(self.start.max(other.start), self.end.min(other.end))
    }

    /// How many days it has.
    pub fn days(self) -> i64 {
        self.start.days_until(self.end) + 1
    }

    /// The calendar months it touches, each cut to it, in order.
    pub fn months(self) -> Vec<Period> {
        let mut out = Vec::new();
        let mut from = self.start;
        loop {
            let month = Period::month_of(from);
            let end = month.end.min(self.end);
            out.push(Period { start: from, end });
            if end >= self.end {
                return out;
            }
            from = Date(end.0 + 1);
        }
    }

    /// How many calendar months it touches.
    pub fn month_count(self) -> i64 {
        let (y1, m1, _) = self.start.ymd();
        let (y2, m2, _) = self.end.ymd();
        (i64::from(y2) - i64::from(y1)) * 12 + i64::from(m2) - i64::from(m1) + 1
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}..{}", self.start, self.end)
    }
}

/// A length of time. Month counts (`year` = 12 months) and day counts
/// (`week` = 7 days) are different kinds and never mix silently.
#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Duration {
    Months(i64),
    Days(i64),
}

impl Duration {
    pub fn is_zero(self) -> bool {
        matches!(self, Duration::Months(0) | Duration::Days(0))
    }
}

/// A unit of duration: how many months or days it counts
/// (`year` = 12 months, `week` = 7 days).
pub fn duration_unit(unit: &str) -> Option<(i64, bool)> {
    match unit {
        "day" | "days" | "天" => Some((1, false)),
        "week" | "weeks" | "周" => Some((7, false)),
        "month" | "months" | "个月" => Some((1, true)),
        "year" | "years" | "年" => Some((12, true)),
        _ => None,
    }
}

impl Duration {
    pub fn from_units(count: i64, unit: &str) -> Option<Duration> {
        let (per, months) = duration_unit(unit)?;
        let n = count.checked_mul(per)?;
        Some(if months {
            Duration::Months(n)
        } else {
            Duration::Days(n)
        })
    }

    /// Reads a duration written as a literal: `2 years`, `6个月`, `30 days`.
    pub fn parse(text: &str) -> Option<Duration> {
        let t = text.trim();
        let digits = t
            .find(|c: char| !c.is_ascii_digit() && c != '_' && c != '-')
            .unwrap_or(t.len());
        let count: i64 = t[..digits].replace('_', "").parse().ok()?;
        Duration::from_units(count, t[digits..].trim())
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Duration::Months(1) => write!(f, "1 month"),
            Duration::Months(n) => write!(f, "{n} months"),
            Duration::Days(1) => write!(f, "1 day"),
            Duration::Days(n) => write!(f, "{n} days"),
        }
    }
}

/// Rounds money to the fen, half away from zero: the one place where money
/// is rounded (LANGUAGE.md §5).
pub fn round_money(amount: Decimal) -> Decimal {
    let mut r = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// Why `text` is not a date, in words that say what to write: the part
/// that is wrong (the year, the month, the day), or the form `YYYY-MM-DD`.
pub fn date_problem(text: &str) -> String {
    let t = text.trim();
    let parts: Vec<&str> = t.split('-').collect();
    let numbers: Vec<u32> = parts.iter().filter_map(|p| p.parse().ok()).collect();
    let shaped = parts.len() == 3
        && numbers.len() == 3
        && [4, 2, 2]
            .iter()
            .zip(&parts)
            .all(|(n, p)| p.len() == *n && p.bytes().all(|b| b.is_ascii_digit()));
    if !shaped {
        return tr!("date-1", t = t.to_string());
    }
    let (y, m, d) = (numbers[0], numbers[1], numbers[2]);
    if y == 0 {
        tr!("date-2", t = t.to_string())
    } else if !(1..=12).contains(&m) {
        tr!("date-3", t = t.to_string(), m = m.to_string())
    } else {
        let last = days_in_month(y as i32, m);
        if d == 0 || d > last {
            tr!(
                "date-4",
                t = t.to_string(),
                y = format!("{:04}", y),
                m = format!("{:02}", m),
                last = last.to_string()
            )
        } else {
            tr!("date-5", t = t.to_string())
        }
    }
}

/// Whether an amount rounds to whole fen that a decimal can hold: at most
/// about 7.9 × 10^26 yuan, the most a decimal holds with two decimals.
pub fn money_fits(amount: Decimal) -> bool {
    round_money(amount).scale() == 2
}

/// Money as a count of fen, exactly: every amount money holds fits in an
/// i128, and so does any total of them a batch can add up.
pub fn fen_of(amount: Decimal) -> i128 {
    if amount.scale() == 2 {
        return amount.mantissa();
    }
    let mut m = amount;
    // Money has two decimals; at that scale the mantissa counts fen.
    m.rescale(2);
    m.mantissa()
}

/// A count of fen written as money, with exactly two decimals (`1000.00`,
/// `-0.05`); zero has no sign. The one way money is written.
pub fn push_fen(out: &mut String, fen: i128) {
    if fen < 0 {
        out.push('-');
    }
    // At least three digits (`0.05`), from the last; in u64 arithmetic where
    // the amount fits, as almost every amount does.
    let mut digits = [b'0'; 40];
    let mut i = digits.len();
    let a = fen.unsigned_abs();
    match u64::try_from(a) {
        Ok(mut a) => {
            while a > 0 {
                i -= 1;
                digits[i] = b'0' + (a % 10) as u8;
                a /= 10;
            }
        }
        Err(_) => {
            let mut a = a;
            while a > 0 {
                i -= 1;
                digits[i] = b'0' + (a % 10) as u8;
                a /= 10;
            }
        }
    }
    let start = i.min(digits.len() - 3);
    let point = digits.len() - 2;
    out.extend(digits[start..point].iter().map(|&d| d as char));
    out.push('.');
    out.extend(digits[point..].iter().map(|&d| d as char));
}

/// A whole number written out (`-12`), without the formatting machinery:
/// batches write one or more per row.
pub fn push_int(out: &mut String, v: i64) {
    let mut digits = [0u8; 20];
    let mut i = digits.len();
    let mut n = v.unsigned_abs();
    loop {
        i -= 1;
        digits[i] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    if v < 0 {
        out.push('-');
    }
    out.extend(digits[i..].iter().map(|&d| d as char));
}

/// Money written with exactly two decimals (`1000.00`).
pub fn format_money(amount: Decimal) -> String {
    let mut out = String::new();
    push_fen(&mut out, fen_of(amount));
    out
}

/// An int written plainly (`-12`), of at most 18 digits so that it cannot
/// overflow: what a cell or a JSON number most often is.
pub fn plain_int(cell: &[u8]) -> Option<i64> {
    let (neg, digits) = match cell.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, cell),
    };
    if digits.is_empty() || digits.len() > 18 {
        return None;
    }
    let mut v: i64 = 0;
    for &b in digits {
        if !b.is_ascii_digit() {
            return None;
        }
        v = v * 10 + i64::from(b - b'0');
    }
    Some(if neg { -v } else { v })
}

/// An amount in yuan written plainly, with at most 2 decimals and 15
/// digits before the point (`812.4`, `-0.05`), as fen; `None` for any other
/// form, which is read the general way.
pub fn plain_fen(cell: &[u8]) -> Option<i64> {
    // One pass: a sign, 1 to 15 digits, then `.` and 1 or 2 digits (`-`,
    // `.5`, `5.` are for the general reader to judge).
    let (neg, digits) = match cell.split_first() {
        Some((b'-', rest)) => (true, rest),
        _ => (false, cell),
    };
    let mut whole: i64 = 0;
    let mut i = 0;
    while let Some(&b) = digits.get(i) {
        if !b.is_ascii_digit() {
            break;
        }
        whole = whole * 10 + i64::from(b - b'0');
        i += 1;
        if i > 15 {
            return None;
        }
    }
    if i == 0 {
        return None;
    }
    let fen = match &digits[i..] {
        [] => whole * 100,
        [b'.', d] if d.is_ascii_digit() => whole * 100 + i64::from(d - b'0') * 10,
        [b'.', d, e] if d.is_ascii_digit() && e.is_ascii_digit() => {
            whole * 100 + i64::from(d - b'0') * 10 + i64::from(e - b'0')
        }
        _ => return None,
    };
    Some(if neg { -fen } else { fen })
}

/// A decimal in its shortest exact form (`3`, `0.15`).
pub fn format_decimal(value: Decimal) -> String {
    if value.is_zero() {
        return "0".into();
    }
    value.normalize().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    fn p(s: &str) -> Period {
        Period::parse(s).unwrap()
    }

    #[test]
    fn periods_cut_into_calendar_months() {
        let months = p("2020-01-15..2020-03-10").months();
        let shown: Vec<String> = months.iter().map(|m| m.to_string()).collect();
        assert_eq!(
            shown,
            [
                "2020-01-15..2020-01-31",
                "2020-02-01..2020-02-29",
                "2020-03-01..2020-03-10"
            ]
        );
        assert_eq!(p("2020-01-15..2020-03-10").month_count(), 3);
        assert_eq!(p("2020-02-01..2020-02-29").days(), 29);
        assert_eq!(p("2020-12-31..2021-01-01").month_count(), 2);
        assert_eq!(
            Period::year_of(d("2023-06-30")),
            p("2023-01-01..2023-12-31")
        );
        assert_eq!(
            Period::month_of(d("2021-02-10")),
            p("2021-02-01..2021-02-28")
        );
        assert_eq!(
            p("2020-01-01..2020-06-30").intersect(p("2020-06-30..2020-12-31")),
            Some(p("2020-06-30..2020-06-30"))
        );
        assert_eq!(
            p("2020-01-01..2020-06-29").intersect(p("2020-06-30..2020-12-31")),
            None
        );
        assert_eq!(Period::parse("2020-02-01..2020-01-31"), None);
        assert_eq!(
            Period::parse("2020-01-01 .. 2020-01-31"),
            Some(p("2020-01-01..2020-01-31"))
        );
    }

    #[test]
    fn calendar_round_trips() {
        for s in [
            "1970-01-01",
            "2000-02-29",
            "2020-12-31",
            "0001-01-01",
            "9999-12-31",
        ] {
            assert_eq!(d(s).to_string(), s);
        }
        assert_eq!(d("1970-01-02").days_since_epoch(), 1);
    }

    #[test]
    fn impossible_dates_are_rejected() {
        for s in [
            "2020-02-30",
            "2019-02-29",
            "2020-13-01",
            "2020-00-10",
            "2020-1-05",
            "0000-01-01",
        ] {
            assert!(Date::parse(s).is_none(), "{s}");
        }
    }

    #[test]
    fn month_steps_clamp_to_the_month_end() {
        assert_eq!(d("2020-01-31").add_months(1), Some(d("2020-02-29")));
        assert_eq!(d("2021-01-31").add_months(1), Some(d("2021-02-28")));
        assert_eq!(d("2020-03-31").add_months(-1), Some(d("2020-02-29")));
        assert_eq!(d("2020-06-15").add_months(12), Some(d("2021-06-15")));
        assert_eq!(d("2020-06-15").add_months(i64::MAX), None);
        assert_eq!(d("2020-06-15").add_months(i64::MIN), None);
        assert_eq!(d("2020-06-15").add_days(i64::MAX), None);
    }

    #[test]
    fn whole_months_between() {
        assert_eq!(d("2020-01-15").months_until(d("2020-07-14")), 5);
        assert_eq!(d("2020-01-15").months_until(d("2020-07-15")), 6);
        assert_eq!(d("2020-01-31").months_until(d("2020-02-29")), 1);
        assert_eq!(d("2020-07-15").months_until(d("2020-01-15")), -6);
    }

    #[test]
    fn durations_parse_like_literals() {
        assert_eq!(Duration::parse("2 years"), Some(Duration::Months(24)));
        assert_eq!(Duration::parse("6个月"), Some(Duration::Months(6)));
        assert_eq!(Duration::parse("2 weeks"), Some(Duration::Days(14)));
        assert_eq!(Duration::parse("1 day"), Some(Duration::Days(1)));
        assert_eq!(Duration::parse("-3 days"), Some(Duration::Days(-3)));
        assert_eq!(Duration::parse("1.5 years"), None);
        assert_eq!(Duration::parse("6月"), None);
        assert_eq!(Duration::parse("years"), None);
    }

    #[test]
    fn money_rounds_half_away_from_zero() {
        assert_eq!(round_money(Decimal::new(12345, 3)).to_string(), "12.35");
        assert_eq!(round_money(Decimal::new(-12345, 3)).to_string(), "-12.35");
        assert_eq!(round_money(Decimal::new(1000, 0)).to_string(), "1000.00");
    }
}

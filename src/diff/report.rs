//! The summary of a diff, as text for people and as JSON for programs.
//! Amounts are exact: totals and differences are added in fen, and
//! quantiles are amounts of actual cases (nearest rank), never averages.

use super::{Compared, Diff, ResultStats, Summary};
use crate::batch::fen_text;
use crate::i18n::tr;
use crate::source::display_width;
use serde_json::{Value as Json, json};

/// The quantiles reported for gains and for losses.
pub const QUANTILES: [(&str, f64); 5] = [
    ("p10", 0.10),
    ("p25", 0.25),
    ("median", 0.50),
    ("p75", 0.75),
    ("p90", 0.90),
];

/// An amount in fen with its sign: `+500.00`, `-1000.00`, `0.00`.
pub fn signed(fen: i128) -> String {
    if fen > 0 {
        format!("+{}", fen_text(fen))
    } else {
        fen_text(fen)
    }
}

/// The value at quantile `q` of `sorted` (nearest rank: the smallest value
/// with at least `q` of the values at or below it).
pub fn quantile(sorted: &[(i128, u64, i128)], q: f64) -> i128 {
    let n = sorted.len();
    let rank = ((q * n as f64).ceil() as usize).clamp(1, n);
    sorted[rank - 1].0
}

/// One change of an amount: row, before and after (in fen).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub row: u64,
    pub before: i128,
    pub after: i128,
}

impl Change {
    pub fn difference(&self) -> i128 {
        self.after - self.before
    }
}

impl ResultStats {
    /// The gains, smallest first.
    pub fn gains(&self) -> &[(i128, u64, i128)] {
        let first = self.differences.partition_point(|d| d.0 <= 0);
        &self.differences[first..]
    }

    /// The losses, largest loss first.
    pub fn losses(&self) -> &[(i128, u64, i128)] {
        let end = self.differences.partition_point(|d| d.0 < 0);
        &self.differences[..end]
    }

    /// The largest gains (`gains`) or losses, largest first, earlier rows
    /// first among equal ones.
    pub fn largest(&self, gains: bool) -> Vec<Change> {
        let mut all: Vec<&(i128, u64, i128)> = if gains {
            self.gains().iter().collect()
        } else {
            self.losses().iter().collect()
        };
        all.sort_by_key(|(d, row, _)| (std::cmp::Reverse(d.abs()), *row));
        all.into_iter()
            .take(super::LARGEST)
            .map(|&(d, row, before)| Change {
                row,
                before,
                after: before + d,
            })
            .collect()
    }
}

/// `N thing` or `N things`.
/// A label of the text report, padded to `width` columns.
fn label(text: String, width: usize) -> String {
    let pad = width.saturating_sub(display_width(&text));
    format!("{text}{}", " ".repeat(pad))
}

fn percent(part: u64, whole: u64) -> String {
    if whole == 0 {
        return "0%".into();
    }
    let p = part as f64 * 100.0 / whole as f64;
    if p > 0.0 && p < 0.01 {
        "<0.01%".into()
    } else {
        format!("{p:.2}%")
    }
}

/// How a result's change of state is said: amounts and `.eligible`
/// become eligible; other bools become true.
fn eligibility_words(c: &Compared, stats: &ResultStats) -> (String, String) {
    let (up, down) = (stats.became_eligible, stats.stopped_eligible);
    if stats.money || c.key.ends_with(".eligible") {
        (
            tr!("diff-became-eligible", count = up),
            tr!("diff-stopped-eligible", count = down),
        )
    } else {
        (
            tr!("diff-became-true", count = up),
            tr!("diff-became-false", count = down),
        )
    }
}

fn title(c: &Compared) -> String {
    match &c.label {
        Some(l) => format!("{} 「{l}」", c.key),
        None => c.key.clone(),
    }
}

/// The summary as text, for people.
pub fn text(diff: &Diff, summary: &Summary) -> String {
    let mut out = tr!(
        "diff-heading",
        old = diff.old.name.as_str(),
        new = diff.new.name.as_str(),
        cases = summary.cases,
        changed = summary.changed,
        percent = percent(summary.changed, summary.cases)
    );
    out.push('\n');
    if summary.errors_before + summary.errors_after > 0 {
        out.push_str("  ");
        out.push_str(&tr!(
            "diff-unread-rows",
            before = summary.errors_before,
            old = diff.old.name.as_str(),
            after = summary.errors_after,
            new = diff.new.name.as_str()
        ));
        out.push('\n');
    }
    // The labels of each result's lines, as wide as the widest.
    let labels = [
        tr!("diff-label-cases"),
        tr!("diff-label-failed"),
        tr!("diff-label-total"),
        tr!("diff-label-paid"),
        tr!("diff-label-gains"),
        tr!("diff-label-losses"),
    ];
    let width = labels.iter().map(|l| display_width(l)).max().unwrap_or(0) + 2;
    let mut unchanged = 0;
    let mut added = Vec::new();
    let mut removed = Vec::new();
    for (c, s) in diff.results.iter().zip(&summary.results) {
        let one_side = |total: i128, paid: u64, undetermined: u64| {
            let mut notes = Vec::new();
            if s.money {
                notes.push(tr!(
                    "diff-one-side-total",
                    total = fen_text(total),
                    paid = paid
                ));
            }
            if undetermined > 0 {
                notes.push(tr!("diff-one-side-undetermined", count = undetermined));
            }
            if notes.is_empty() {
                c.key.clone()
            } else {
                format!("{} ({})", c.key, notes.join(", "))
            }
        };
        match (c.old, c.new) {
            (Some(_), None) => {
                removed.push(one_side(
                    s.total_before,
                    s.paid_before,
                    s.undetermined_before,
                ));
                continue;
            }
            (None, Some(_)) => {
                added.push(one_side(s.total_after, s.paid_after, s.undetermined_after));
                continue;
            }
            _ => {}
        }
        if s.changed == 0 && s.total_before == s.total_after {
            unchanged += 1;
            continue;
        }
        out.push('\n');
        out.push_str(&title(c));
        out.push('\n');
        let mut parts = vec![tr!("diff-changed", count = s.changed)];
        let (up, down) = eligibility_words(c, s);
        for (n, text) in [
            (s.gained, tr!("diff-gained", count = s.gained)),
            (s.lost, tr!("diff-lost", count = s.lost)),
            (s.became_eligible, up),
            (s.stopped_eligible, down),
            (
                s.became_undetermined,
                tr!("diff-became-undetermined", count = s.became_undetermined),
            ),
            (
                s.became_determined,
                tr!("diff-became-determined", count = s.became_determined),
            ),
        ] {
            if n > 0 {
                parts.push(text);
            }
        }
        let separator = tr!("list-separator");
        out.push_str(&format!(
            "  {}{}\n",
            label(labels[0].clone(), width),
            parts.join(&separator)
        ));
        if s.failed_before + s.failed_after > 0 {
            out.push_str(&format!(
                "  {}{}\n",
                label(labels[1].clone(), width),
                tr!(
                    "diff-failed",
                    before = s.failed_before,
                    after = s.failed_after
                )
            ));
        }
        if s.money {
            out.push_str(&format!(
                "  {}{}\n",
                label(labels[2].clone(), width),
                tr!(
                    "diff-total",
                    before = fen_text(s.total_before),
                    after = fen_text(s.total_after),
                    difference = signed(s.total_after - s.total_before)
                )
            ));
            out.push_str(&format!(
                "  {}{}\n",
                label(labels[3].clone(), width),
                tr!("diff-paid", before = s.paid_before, after = s.paid_after)
            ));
            for (name, part) in [("gains", s.gains()), ("losses", s.losses())] {
                if part.is_empty() {
                    continue;
                }
                let sorted: Vec<(i128, u64, i128)> = if name == "losses" {
                    // Largest loss last, as gains: quantiles of the amount lost.
                    part.iter().rev().map(|&(d, r, b)| (-d, r, b)).collect()
                } else {
                    part.to_vec()
                };
                let sign = |f: i128| {
                    if name == "losses" {
                        signed(-f)
                    } else {
                        signed(f)
                    }
                };
                let qs: Vec<String> = QUANTILES
                    .iter()
                    .map(|(n, q)| {
                        let n = if *n == "median" {
                            tr!("diff-median")
                        } else {
                            n.to_string()
                        };
                        format!("{n} {}", sign(quantile(&sorted, *q)))
                    })
                    .collect();
                let head = if name == "losses" {
                    labels[5].clone()
                } else {
                    labels[4].clone()
                };
                out.push_str(&format!(
                    "  {}{}\n",
                    label(head, width),
                    tr!(
                        "diff-spread",
                        count = part.len(),
                        smallest = sign(sorted[0].0),
                        quantiles = qs.join(&tr!("list-separator")),
                        largest = sign(sorted[sorted.len() - 1].0)
                    )
                ));
            }
            for gains in [true, false] {
                let top = s.largest(gains);
                if top.is_empty() {
                    continue;
                }
                let name = if gains {
                    tr!("diff-largest-gains")
                } else {
                    tr!("diff-largest-losses")
                };
                out.push_str(&format!("  {name}\n"));
                for ch in top {
                    out.push_str(&format!(
                        "    {} {:>14}  ({} → {})\n",
                        label(tr!("diff-row", row = ch.row.to_string()), 12),
                        signed(ch.difference()),
                        fen_text(ch.before),
                        fen_text(ch.after)
                    ));
                }
            }
        }
    }
    let mut footer = String::new();
    if unchanged > 0 {
        footer.push_str(&tr!("diff-unchanged", count = unchanged));
        footer.push('\n');
    }
    for (name, list) in [(&diff.old.name, &removed), (&diff.new.name, &added)] {
        if !list.is_empty() {
            footer.push_str(&tr!(
                "diff-only-in",
                version = name.as_str(),
                results = list.join(", ")
            ));
            footer.push('\n');
        }
    }
    if !footer.is_empty() {
        out.push('\n');
        out.push_str(&footer);
    }
    for (g, groups) in diff.groupings.iter().zip(&summary.groups) {
        out.push('\n');
        out.push_str(&tr!("diff-by", fact = g.path.as_str()));
        out.push('\n');
        let money: Vec<usize> = diff
            .results
            .iter()
            .zip(&summary.results)
            .enumerate()
            .filter(|(_, (c, s))| s.money && c.old.is_some() && c.new.is_some() && (s.changed > 0))
            .map(|(i, _)| i)
            .collect();
        let width = groups
            .keys()
            .map(|k| crate::source::display_width(k))
            .max()
            .unwrap_or(0)
            .max(display_width(&tr!("diff-column-value")));
        let right = |text: String, w: usize| {
            format!(
                "{}{text}",
                " ".repeat(w.saturating_sub(display_width(&text)))
            )
        };
        out.push_str(&format!(
            "  {}  {}  {}\n",
            label(tr!("diff-column-value"), width),
            right(tr!("diff-column-cases"), 9),
            right(tr!("diff-column-changed"), 9)
        ));
        for (value, st) in groups {
            out.push_str(&format!(
                "  {}  {:>9}  {:>9}\n",
                label(value.clone(), width),
                st.cases,
                st.changed
            ));
            for &i in &money {
                let (b, a) = st.totals[i];
                if b != a {
                    out.push_str(&format!(
                        "  {:<width$}    {}: {} → {} ({})\n",
                        "",
                        diff.results[i].key,
                        fen_text(b),
                        fen_text(a),
                        signed(a - b)
                    ));
                }
            }
        }
    }
    out
}

fn change_json(c: &Change) -> Json {
    json!({
        "row": c.row,
        "before": fen_text(c.before),
        "after": fen_text(c.after),
        "difference": fen_text(c.difference()),
    })
}

/// The gains or the losses of a result as JSON: how many, the smallest,
/// the quantiles and the largest (amounts gained or lost, as positive
/// amounts for losses too, with the signed difference in `largest`).
fn spread_json(stats: &ResultStats, gains: bool) -> Json {
    let part = if gains { stats.gains() } else { stats.losses() };
    let sorted: Vec<(i128, u64, i128)> = if gains {
        part.to_vec()
    } else {
        part.iter().rev().map(|&(d, r, b)| (-d, r, b)).collect()
    };
    let mut m = serde_json::Map::new();
    m.insert("cases".into(), json!(sorted.len()));
    if let (Some(first), Some(last)) = (sorted.first(), sorted.last()) {
        m.insert("smallest".into(), json!(fen_text(first.0)));
        for (name, q) in QUANTILES {
            m.insert(name.into(), json!(fen_text(quantile(&sorted, q))));
        }
        m.insert("largest".into(), json!(fen_text(last.0)));
    }
    m.insert(
        "top".into(),
        Json::Array(stats.largest(gains).iter().map(change_json).collect()),
    );
    Json::Object(m)
}

/// The summary as JSON, for programs.
pub fn json(diff: &Diff, summary: &Summary) -> Json {
    let results: Vec<Json> = diff
        .results
        .iter()
        .zip(&summary.results)
        .map(|(c, s)| {
            let in_ = match (c.old, c.new) {
                (Some(_), Some(_)) => "both",
                (Some(_), None) => "old",
                _ => "new",
            };
            let mut m = serde_json::Map::new();
            m.insert("result".into(), json!(c.key));
            if let Some(l) = &c.label {
                m.insert("label".into(), json!(l));
            }
            m.insert("in".into(), json!(in_));
            for (k, v) in [
                ("changed", s.changed),
                ("gained", s.gained),
                ("lost", s.lost),
                ("became_eligible", s.became_eligible),
                ("stopped_being_eligible", s.stopped_eligible),
                ("became_undetermined", s.became_undetermined),
                ("became_determined", s.became_determined),
                ("failed_before", s.failed_before),
                ("failed_after", s.failed_after),
                ("undetermined_before", s.undetermined_before),
                ("undetermined_after", s.undetermined_after),
            ] {
                m.insert(k.into(), json!(v));
            }
            if s.money {
                m.insert(
                    "total".into(),
                    json!({
                        "before": fen_text(s.total_before),
                        "after": fen_text(s.total_after),
                        "difference": fen_text(s.total_after - s.total_before),
                    }),
                );
                m.insert(
                    "paid".into(),
                    json!({"before": s.paid_before, "after": s.paid_after}),
                );
                m.insert("gains".into(), spread_json(s, true));
                m.insert("losses".into(), spread_json(s, false));
            }
            Json::Object(m)
        })
        .collect();
    let by: Vec<Json> = diff
        .groupings
        .iter()
        .zip(&summary.groups)
        .map(|(g, groups)| {
            let groups: Vec<Json> = groups
                .iter()
                .map(|(value, st)| {
                    let mut totals = serde_json::Map::new();
                    for ((c, s), (b, a)) in diff.results.iter().zip(&summary.results).zip(&st.totals) {
                        if s.money {
                            totals.insert(
                                c.key.clone(),
                                json!({
                                    "before": fen_text(*b),
                                    "after": fen_text(*a),
                                    "difference": fen_text(a - b),
                                }),
                            );
                        }
                    }
                    json!({"value": value, "cases": st.cases, "changed": st.changed, "totals": totals})
                })
                .collect();
            json!({"fact": g.path, "groups": groups})
        })
        .collect();
    json!({
        "old": diff.old.name,
        "new": diff.new.name,
        "cases": summary.cases,
        "changed": summary.changed,
        "error_rows": {"old": summary.errors_before, "new": summary.errors_after},
        "results": results,
        "by": by,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_are_amounts_of_cases_by_nearest_rank() {
        let sorted: Vec<(i128, u64, i128)> =
            [100, 200, 300, 400].iter().map(|&d| (d, 0, 0)).collect();
        assert_eq!(quantile(&sorted, 0.10), 100);
        assert_eq!(quantile(&sorted, 0.25), 100);
        assert_eq!(quantile(&sorted, 0.50), 200);
        assert_eq!(quantile(&sorted, 0.75), 300);
        assert_eq!(quantile(&sorted, 0.90), 400);
        assert_eq!(quantile(&sorted[..1], 0.5), 100);
        assert_eq!(signed(50), "+0.50");
        assert_eq!(signed(-5), "-0.05");
        assert_eq!(signed(0), "0.00");
    }
}

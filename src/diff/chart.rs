//! The chart and the HTML report of a diff: the distribution of the
//! gains and losses of each changed amount, and its totals by group.

use super::{Diff, Summary};
use crate::i18n::tr;
use plotters::prelude::*;

/// How many changed amounts the chart draws at most (the ones that
/// changed for the most cases).
pub const MAX_PANELS: usize = 4;

const WIDTH: u32 = 960;
const PANEL_HEIGHT: u32 = 320;
const GAIN: RGBColor = RGBColor(46, 125, 50);
const LOSS: RGBColor = RGBColor(198, 40, 40);
const BEFORE: RGBColor = RGBColor(144, 164, 174);
const AFTER: RGBColor = RGBColor(21, 101, 192);

/// The changed amounts to draw: index into the results, most changes first.
pub fn drawn(diff: &Diff, summary: &Summary) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..diff.results.len())
        .filter(|&i| {
            let s = &summary.results[i];
            s.money && !s.differences.is_empty()
        })
        .collect();
    idx.sort_by_key(|&i| std::cmp::Reverse(summary.results[i].differences.len()));
    idx.truncate(MAX_PANELS);
    idx
}

fn yuan(fen: i128) -> f64 {
    fen as f64 / 100.0
}

/// The chart as an SVG document: a row per changed amount, its histogram
/// of per-case differences (gains green, losses red) and, with `--by`,
/// its totals before and after by group.
pub fn svg(diff: &Diff, summary: &Summary) -> Result<String, String> {
    let panels = drawn(diff, summary);
    let mut text = String::new();
    let rows = panels.len().max(1) as u32;
    {
        let root =
            SVGBackend::with_string(&mut text, (WIDTH, PANEL_HEIGHT * rows)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        if panels.is_empty() {
            root.draw(&Text::new(
                tr!("diff-chart-none"),
                (WIDTH as i32 / 2 - 80, PANEL_HEIGHT as i32 / 2),
                ("sans-serif", 20).into_font(),
            ))
            .map_err(|e| e.to_string())?;
        }
        let areas = root.split_evenly((panels.len().max(1), 1));
        for (&i, area) in panels.iter().zip(areas) {
            let grouped = !diff.groupings.is_empty();
            let (left, right) = if grouped {
                area.split_horizontally(WIDTH * 3 / 5)
            } else {
                let w = area.dim_in_pixel().0;
                area.split_horizontally(w)
            };
            histogram(&left, &diff.results[i].key, &summary.results[i].differences)?;
            if grouped {
                by_group(&right, diff, summary, i)?;
            }
        }
        root.present().map_err(|e| e.to_string())?;
    }
    Ok(text)
}

/// How many bars a histogram has at most.
const BINS: usize = 30;

fn histogram<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    key: &str,
    differences: &[(i128, u64, i128)],
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let lo = yuan(differences.first().map_or(0, |d| d.0)).min(0.0);
    let hi = yuan(differences.last().map_or(0, |d| d.0)).max(0.0);
    let width = if hi > lo {
        (hi - lo) / BINS as f64
    } else {
        1.0
    };
    // Zero is the edge of a bar: no bar holds both gains and losses.
    let lo = (lo / width).floor() * width;
    let span = (((hi - lo) / width).ceil().max(1.0)) * width;
    let bins = ((span / width).round() as usize).max(1);
    let mut counts = vec![0u64; bins];
    for &(d, _, _) in differences {
        let b = (((yuan(d) - lo) / width) as usize).min(bins - 1);
        counts[b] += 1;
    }
    let top = counts.iter().copied().max().unwrap_or(1).max(1) as f64 * 1.1;
    let mut chart = ChartBuilder::on(area)
        .caption(tr!("diff-chart-per-case", key = key), ("sans-serif", 16))
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(56)
        .build_cartesian_2d(lo..lo + span, 0f64..top)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .x_desc("difference (yuan)")
        .y_desc("cases")
        .x_label_formatter(&|x| format!("{x:.0}"))
        .y_label_formatter(&|y| format!("{y:.0}"))
        .draw()
        .map_err(err)?;
    chart
        .draw_series(
            counts
                .iter()
                .enumerate()
                .filter(|(_, c)| **c > 0)
                .map(|(b, c)| {
                    let x0 = lo + b as f64 * width;
                    let color = if x0 + width / 2.0 < 0.0 { LOSS } else { GAIN };
                    Rectangle::new([(x0, 0.0), (x0 + width * 0.92, *c as f64)], color.filled())
                }),
        )
        .map_err(err)?;
    Ok(())
}

fn by_group<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    diff: &Diff,
    summary: &Summary,
    i: usize,
) -> Result<(), String>
where
    DB::ErrorType: 'static,
{
    let err = |e: DrawingAreaErrorKind<DB::ErrorType>| e.to_string();
    let groups: Vec<(&String, (i128, i128))> = summary.groups[0]
        .iter()
        .map(|(v, g)| (v, g.totals[i]))
        .collect();
    let top = groups
        .iter()
        .map(|(_, (b, a))| yuan(*b).max(yuan(*a)))
        .fold(0.0, f64::max)
        .max(1.0)
        * 1.1;
    let n = groups.len().max(1);
    let names: Vec<String> = groups.iter().map(|(v, _)| (*v).clone()).collect();
    let label = move |x: &f64| {
        let k = x.floor();
        if (x - k - 0.5).abs() < 1e-9 && k >= 0.0 {
            names.get(k as usize).cloned().unwrap_or_default()
        } else {
            String::new()
        }
    };
    let mut chart = ChartBuilder::on(area)
        .caption(
            tr!("diff-chart-by", fact = diff.groupings[0].path.as_str()),
            ("sans-serif", 16),
        )
        .margin(12)
        .x_label_area_size(36)
        .y_label_area_size(80)
        .build_cartesian_2d(0f64..n as f64, 0f64..top)
        .map_err(err)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .light_line_style(TRANSPARENT)
        .x_labels(2 * n + 1)
        .x_label_formatter(&label)
        .y_label_formatter(&|y| format!("{y:.0}"))
        .draw()
        .map_err(err)?;
    for (k, (_, (b, a))) in groups.iter().enumerate() {
        let x = k as f64;
        chart
            .draw_series([
                Rectangle::new([(x + 0.1, 0.0), (x + 0.48, yuan(*b))], BEFORE.filled()),
                Rectangle::new([(x + 0.52, 0.0), (x + 0.9, yuan(*a))], AFTER.filled()),
            ])
            .map_err(err)?;
    }
    Ok(())
}

/// Text for HTML.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for ch in text.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font-family:system-ui,'Noto Sans CJK SC','PingFang SC',sans-serif;margin:2em auto;max-width:1100px;color:#222}\
h1{font-size:1.5em}h2{font-size:1.15em;margin-top:1.6em}\
table{border-collapse:collapse;margin:.5em 0 1em;font-size:.9em}.wide{overflow-x:auto}th,td{border-bottom:1px solid #ddd;padding:.25em .45em;text-align:right}\
th:first-child,td:first-child{text-align:left}td.gain{color:#2e7d32}td.loss{color:#c62828}\
.note{color:#555;font-size:.9em}svg{max-width:100%;height:auto}";

/// A one-page report a drafter can attach to a memo: the summary table,
/// the chart, the largest changes and the breakdowns, in one HTML file
/// that needs nothing else.
pub fn html(diff: &Diff, summary: &Summary, svg: &str) -> String {
    use super::report::signed;
    use crate::batch::fen_text;
    let class = |fen: i128| match fen.signum() {
        1 => " class=\"gain\"",
        -1 => " class=\"loss\"",
        _ => "",
    };
    let mut h = String::new();
    let t = |text: String| escape(&text);
    h.push_str(&format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n",
        crate::i18n::current().code()
    ));
    h.push_str(&format!(
        "<title>{} → {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        escape(&diff.old.name),
        escape(&diff.new.name)
    ));
    h.push_str(&format!(
        "<h1>{} <code>{}</code> → <code>{}</code></h1>\n",
        t(tr!("diff-html-heading")),
        escape(&diff.old.name),
        escape(&diff.new.name)
    ));
    h.push_str(&format!(
        "<p id=\"overview\">{} <strong>{}</strong>",
        t(tr!("diff-html-cases", count = summary.cases)),
        t(tr!("diff-html-changed", count = summary.changed))
    ));
    if summary.errors_before + summary.errors_after > 0 {
        h.push_str(&format!(
            " {}",
            t(tr!(
                "diff-html-unread",
                before = summary.errors_before,
                after = summary.errors_after
            ))
        ));
    }
    h.push_str(&format!(
        "</p>\n<h2>{}</h2>\n<div class=\"wide\"><table id=\"results\">\n<tr>",
        t(tr!("diff-html-results"))
    ));
    for head in [
        tr!("diff-html-col-result"),
        tr!("diff-column-changed"),
        tr!("diff-html-col-gained"),
        tr!("diff-html-col-lost"),
        tr!("diff-html-col-became-eligible"),
        tr!("diff-html-col-stopped-eligible"),
        tr!("diff-html-col-became-undetermined"),
        tr!("diff-html-col-total-before"),
        tr!("diff-html-col-total-after"),
        tr!("diff-html-col-difference"),
    ] {
        h.push_str(&format!("<th>{}</th>", t(head)));
    }
    h.push_str("</tr>\n");
    let mut shown = 0;
    for (c, s) in diff.results.iter().zip(&summary.results) {
        if s.changed == 0 && s.total_before == s.total_after {
            continue;
        }
        shown += 1;
        let label = c
            .label
            .as_deref()
            .map(|l| format!("<br><span class=\"note\">{}</span>", escape(l)))
            .unwrap_or_default();
        let totals = if s.money {
            let d = s.total_after - s.total_before;
            format!(
                "<td>{}</td><td>{}</td><td{}>{}</td>",
                fen_text(s.total_before),
                fen_text(s.total_after),
                class(d),
                signed(d)
            )
        } else {
            "<td></td><td></td><td></td>".into()
        };
        let presence = match (c.old, c.new) {
            (Some(_), None) => format!(
                " <span class=\"note\">{}</span>",
                t(tr!("diff-html-only-old"))
            ),
            (None, Some(_)) => format!(
                " <span class=\"note\">{}</span>",
                t(tr!("diff-html-only-new"))
            ),
            _ => String::new(),
        };
        h.push_str(&format!(
            "<tr><td><code>{}</code>{presence}{label}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>{totals}</tr>\n",
            escape(&c.key),
            s.changed,
            s.gained,
            s.lost,
            s.became_eligible,
            s.stopped_eligible,
            s.became_undetermined
        ));
    }
    if shown == 0 {
        h.push_str(&format!(
            "<tr><td colspan=\"10\">{}</td></tr>\n",
            t(tr!("diff-html-none"))
        ));
    }
    h.push_str(&format!(
        "</table></div>\n<h2>{}</h2>\n<figure id=\"chart\">\n",
        t(tr!("diff-html-distribution"))
    ));
    // The SVG's own XML declaration has no place inside HTML.
    let svg = svg.find("<svg").map_or(svg, |i| &svg[i..]);
    h.push_str(svg);
    h.push_str("\n</figure>\n");
    for &i in &drawn(diff, summary) {
        let (c, s) = (&diff.results[i], &summary.results[i]);
        h.push_str(&format!(
            "<h2>{} <code>{}</code></h2>\n",
            t(tr!("diff-html-largest")),
            escape(&c.key)
        ));
        for (gains, name) in [(true, "gains"), (false, "losses")] {
            let top = s.largest(gains);
            if top.is_empty() {
                continue;
            }
            let row = if gains {
                tr!("diff-html-row-gains")
            } else {
                tr!("diff-html-row-losses")
            };
            h.push_str(&format!(
                "<table class=\"top {name}\"><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>\n",
                t(row),
                t(tr!("diff-html-before")),
                t(tr!("diff-html-after")),
                t(tr!("diff-html-col-difference"))
            ));
            for ch in top {
                h.push_str(&format!(
                    "<tr><td>{}</td><td>{}</td><td>{}</td><td{}>{}</td></tr>\n",
                    ch.row,
                    fen_text(ch.before),
                    fen_text(ch.after),
                    class(ch.difference()),
                    signed(ch.difference())
                ));
            }
            h.push_str("</table>\n");
        }
    }
    for (g, groups) in diff.groupings.iter().zip(&summary.groups) {
        h.push_str(&format!(
            "<h2>{} <code>{}</code></h2>\n<div class=\"wide\"><table class=\"by\">\n<tr><th>{}</th><th>{}</th><th>{}</th>",
            t(tr!("diff-html-by")),
            escape(&g.path),
            t(tr!("diff-column-value")),
            t(tr!("diff-column-cases")),
            t(tr!("diff-column-changed"))
        ));
        let money: Vec<usize> = (0..diff.results.len())
            .filter(|&i| summary.results[i].money && summary.results[i].changed > 0)
            .collect();
        for &i in &money {
            h.push_str(&format!(
                "<th><code>{}</code> {}</th><th>{}</th><th>{}</th>",
                escape(&diff.results[i].key),
                t(tr!("diff-html-before")),
                t(tr!("diff-html-after")),
                t(tr!("diff-html-col-difference"))
            ));
        }
        h.push_str("</tr>\n");
        for (value, st) in groups {
            h.push_str(&format!(
                "<tr><td>{}</td><td>{}</td><td>{}</td>",
                escape(value),
                st.cases,
                st.changed
            ));
            for &i in &money {
                let (b, a) = st.totals[i];
                h.push_str(&format!(
                    "<td>{}</td><td>{}</td><td{}>{}</td>",
                    fen_text(b),
                    fen_text(a),
                    class(a - b),
                    signed(a - b)
                ));
            }
            h.push_str("</tr>\n");
        }
        h.push_str("</table></div>\n");
    }
    h.push_str(&format!(
        "<p class=\"note\">{}</p>\n</body>\n</html>\n",
        t(tr!("diff-html-footer"))
    ));
    h
}

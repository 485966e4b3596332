//! Excel workbooks for batches: the first sheet of an `.xlsx` read as the
//! rows of a CSV (its first row the header), and the rows of a batch's
//! results written as a sheet, amounts as numbers shown with two decimals.

use super::csv;
use crate::check::ir::{Member, Program};
use crate::eval::Plan;
use crate::i18n::tr;
use crate::lang::scalar::Date;
use crate::lang::types::Type;
use calamine::{Data, Reader};
use std::path::Path;

/// An Excel date (days since 1899-12-30, the 1900 leap-year bug included)
/// as a date; `None` beyond the calendar.
fn excel_date(serial: f64) -> Option<Date> {
    let days = serial.floor() as i64;
    Date::from_ymd(1899, 12, 30)?.add_days(days)
}

/// A number as a cell's text: whole numbers without a point, others in
/// the shortest form that reads back as the same number.
fn number_text(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

/// The first sheet of a workbook as CSV text, each cell quoted as needed.
pub fn read_as_csv(path: &Path) -> Result<String, String> {
    let mut book = calamine::open_workbook_auto(path).map_err(|e| {
        tr!(
            "xlsx-1",
            path = (path.display()).to_string(),
            e = e.to_string()
        )
    })?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| tr!("xlsx-2", path = (path.display()).to_string()))?
        .map_err(|e| {
            tr!(
                "xlsx-3",
                path = (path.display()).to_string(),
                e = e.to_string()
            )
        })?;
    let mut out = String::new();
    let (rows, cols) = range.get_size();
    let start = range.start().unwrap_or((0, 0));
    for r in 0..rows {
        let mut cells = Vec::with_capacity(cols);
        for c in 0..cols {
            let text = match range.get((r, c)) {
                None | Some(Data::Empty) => String::new(),
                Some(Data::String(s)) => s.clone(),
                Some(Data::Int(i)) => i.to_string(),
                Some(Data::Float(f)) => number_text(*f),
                Some(Data::Bool(b)) => b.to_string(),
                Some(Data::DateTime(d)) => match excel_date(d.as_f64()) {
                    Some(date) => date.to_string(),
                    None => number_text(d.as_f64()),
                },
                Some(Data::DateTimeIso(s)) => s.split('T').next().unwrap_or(s).to_string(),
                Some(Data::DurationIso(s)) => s.clone(),
                Some(Data::Error(e)) => {
                    return Err(tr!(
                        "xlsx-4",
                        path = (path.display()).to_string(),
                        r = (start.0 as usize + r + 1).to_string(),
                        c = (start.1 as usize + c + 1).to_string(),
                        e = format!("{:?}", e)
                    ));
                }
            };
            cells.push(csv::quote(&text));
        }
        // Trailing blank rows of a sheet are not cases.
        if r + 1 == rows && cells.iter().all(|c| c.is_empty()) {
            break;
        }
        out.push_str(&cells.join(","));
        out.push('\n');
    }
    Ok(out)
}

/// What a result column holds, for its cells' types.
#[derive(Clone, Copy)]
enum Kind {
    Money,
    Number,
    Bool,
    Text,
}

fn kind_of(program: &Program, member: Member) -> Kind {
    match member {
        Member::Eligible(_) => Kind::Bool,
        Member::Def(d) => match program.defs[d.index()].ty {
            Type::Money => Kind::Money,
            Type::Int | Type::Decimal => Kind::Number,
            Type::Bool => Kind::Bool,
            _ => Kind::Text,
        },
    }
}

/// The CSV rows of a batch's results (as `batch::run` writes them) as the
/// bytes of a workbook of one sheet.
pub fn results_workbook(plan: &Plan, rows: &str) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let program = plan.program();
    let mut kinds = vec![Kind::Number];
    kinds.extend(plan.results.iter().map(|s| kind_of(program, s.member)));
    kinds.extend([Kind::Text, Kind::Text]);
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let _ = sheet.set_name("results");
    let money = Format::new().set_num_format("0.00");
    let bold = Format::new().set_bold();
    let err = |e: rust_xlsxwriter::XlsxError| tr!("xlsx-5", e = e.to_string());
    for (r, line) in csv_records(rows).iter().enumerate() {
        let cells = csv::split(line)?;
        for (c, cell) in cells.iter().enumerate() {
            let (row, col) = (r as u32, c as u16);
            let cell: &str = cell;
            if r == 0 {
                sheet
                    .write_with_format(row, col, cell, &bold)
                    .map_err(err)?;
                continue;
            }
            if cell.is_empty() {
                continue;
            }
            let kind = kinds.get(c).copied().unwrap_or(Kind::Text);
            match (kind, cell.parse::<f64>(), cell) {
                (Kind::Money, Ok(x), _) => {
                    sheet
                        .write_number_with_format(row, col, x, &money)
                        .map_err(err)?;
                }
                (Kind::Number, Ok(x), _) => {
                    sheet.write_number(row, col, x).map_err(err)?;
                }
                (Kind::Bool, _, "true") => {
                    sheet.write_boolean(row, col, true).map_err(err)?;
                }
                (Kind::Bool, _, "false") => {
                    sheet.write_boolean(row, col, false).map_err(err)?;
                }
                _ => {
                    sheet.write_string(row, col, cell).map_err(err)?;
                }
            }
        }
    }
    book.save_to_buffer().map_err(err)
}

/// CSV rows whose columns are not a plan's results (the changed cases of
/// `pol diff`) as a workbook of one sheet named `sheet`: a cell of an amount
/// (`-120.50`) is a number shown with two decimals, a whole number a
/// number, `true` and `false` booleans, anything else text.
pub fn csv_workbook(rows: &str, sheet_name: &str) -> Result<Vec<u8>, String> {
    use rust_xlsxwriter::{Format, Workbook};
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    let _ = sheet.set_name(sheet_name);
    let money = Format::new().set_num_format("0.00");
    let bold = Format::new().set_bold();
    let err = |e: rust_xlsxwriter::XlsxError| tr!("xlsx-5", e = e.to_string());
    let amount = |c: &str| {
        let digits = c.strip_prefix('-').unwrap_or(c);
        digits.split_once('.').is_some_and(|(whole, fen)| {
            !whole.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && fen.len() == 2
                && fen.bytes().all(|b| b.is_ascii_digit())
        })
    };
    for (r, line) in csv_records(rows).iter().enumerate() {
        for (c, cell) in csv::split(line)?.iter().enumerate() {
            let (row, col) = (r as u32, c as u16);
            let cell: &str = cell;
            if r == 0 {
                sheet
                    .write_with_format(row, col, cell, &bold)
                    .map_err(err)?;
            } else if cell.is_empty() {
            } else if amount(cell)
                && let Ok(x) = cell.parse::<f64>()
            {
                sheet
                    .write_number_with_format(row, col, x, &money)
                    .map_err(err)?;
            } else if let Ok(n) = cell.parse::<i64>()
                && n.unsigned_abs() < 1 << 53
            {
                sheet.write_number(row, col, n as f64).map_err(err)?;
            } else if cell == "true" || cell == "false" {
                sheet.write_boolean(row, col, cell == "true").map_err(err)?;
            } else {
                sheet.write_string(row, col, cell).map_err(err)?;
            }
        }
    }
    book.save_to_buffer().map_err(err)
}

/// The records of CSV text (a quoted cell may hold a line break).
fn csv_records(text: &str) -> Vec<&str> {
    let (ranges, _) = csv::records(text.as_bytes(), true);
    ranges.into_iter().map(|r| &text[r]).collect()
}

//! Reading CSV rows straight into columns, evaluating them with
//! [`columnar`](super::columnar), and writing their output rows.

use super::Batch;
use super::Column;
use super::columnar::{self, Block, Col};
use crate::check::ir::Member;
use crate::lang::scalar::{Date, fen_of, plain_fen, plain_int};
use crate::lang::types::{EnumId, Type};
use std::collections::HashMap;

/// How the cells of a column are read.
enum Cells {
    Bool,
    Int,
    Money,
    Decimal,
    Date,
    Enum(EnumId, HashMap<String, u32>),
    /// A cell of a fact that the package does not have (`pol diff`'s
    /// other version's), read past.
    Skip,
}

/// A package and header that the fast path can take.
pub struct Fast {
    members: Vec<Member>,
    /// Per CSV column: the input it sets, and how to read its cells.
    columns: Vec<(usize, Cells)>,
    /// Per CSV column: the range its input's declaration gives; a row
    /// with a value outside goes row by row, which reports it.
    ranges: Vec<Option<crate::check::ir::FactRange>>,
    inputs: usize,
}

impl Fast {
    pub fn new(batch: &Batch, columns: &[Column]) -> Option<Fast> {
        let all: Vec<Option<&Column>> = columns.iter().map(Some).collect();
        Fast::skipping(batch, &all)
    }

    /// The fast path for rows some of whose cells (`None`) are read past.
    pub fn skipping(batch: &Batch, columns: &[Option<&Column>]) -> Option<Fast> {
        let program = batch.program();
        let members: Vec<Member> = batch.plan.results.iter().map(|s| s.member).collect();
        if !columnar::package_supported(program, &members) {
            return None;
        }
        let mut cols = Vec::with_capacity(columns.len());
        let mut ranges = Vec::with_capacity(columns.len());
        for c in columns {
            let Some(c) = c else {
                cols.push((usize::MAX, Cells::Skip));
                ranges.push(None);
                continue;
            };
            // Rows of their own dates go row by row.
            if c.is_today() || c.is_key() {
                return None;
            }
            if !c.fields.is_empty() {
                return None;
            }
            let cells = match &c.ty {
                Type::Bool => Cells::Bool,
                Type::Int => Cells::Int,
                Type::Money => Cells::Money,
                Type::Decimal => Cells::Decimal,
                Type::Date => Cells::Date,
                Type::Enum(e) => Cells::Enum(
                    *e,
                    program.enums[e.index()]
                        .variants
                        .iter()
                        .enumerate()
                        .map(|(i, v)| (v.clone(), i as u32))
                        .collect(),
                ),
                _ => return None,
            };
            cols.push((c.input.index(), cells));
            ranges.push(program.inputs[c.input.index()].range.clone());
        }
        Some(Fast {
            members,
            columns: cols,
            ranges,
            inputs: program.inputs.len(),
        })
    }

    /// The fast path for JSONL: a column for every input a cell of its
    /// type can hold (the others stay out of the columns, and a block that
    /// needs them goes row by row).
    pub fn for_jsonl(batch: &Batch) -> Option<Fast> {
        let columns: Vec<Column> = batch
            .program()
            .inputs
            .iter()
            .enumerate()
            .filter(|(_, i)| {
                matches!(
                    i.ty,
                    Type::Bool
                        | Type::Int
                        | Type::Money
                        | Type::Decimal
                        | Type::Date
                        | Type::Enum(_)
                )
            })
            .map(|(k, i)| Column {
                input: crate::check::ir::InputId(k as u32),
                fields: Vec::new(),
                ty: i.ty.clone(),
                path: i.name.clone(),
                item: None,
            })
            .collect();
        Fast::new(batch, &columns)
    }

    /// Reads the JSONL rows it can (plain JSON with every column's fact
    /// known, and one evaluation date for the block) and evaluates them
    /// together; `None` when the block must go row by row.
    pub fn evaluate_json(&self, batch: &Batch, lines: &[&[u8]]) -> Option<Evaluated> {
        let program = batch.program();
        let (mut rows, mut cols, mut n) = self.blank(lines.len());
        // Without --on, each row may give its own date; the block takes the
        // first row's, and a row with another date goes row by row.
        let mut today: Option<Option<Date>> = batch.on.map(Some);
        for line in lines {
            let case = std::str::from_utf8(line)
                .ok()
                .and_then(|l| crate::eval::case::plain_case(program, l));
            let Some(case) = case else {
                rows.push(None);
                continue;
            };
            let date = batch.on.or(case.today);
            if *today.get_or_insert(date) != date {
                rows.push(None);
                continue;
            }
            let fits = self
                .columns
                .iter()
                .zip(cols.iter_mut())
                .all(|((input, _), col)| col.push(&case.inputs[*input]));
            settle(fits, &mut rows, &mut cols, &mut n);
        }
        self.run(batch, cols, rows, n, today.flatten())
    }

    /// No rows yet, and empty columns for `capacity` of them.
    fn blank(&self, capacity: usize) -> (Vec<Option<usize>>, Vec<Col>, usize) {
        let cols = self
            .columns
            .iter()
            .map(|(_, kind)| empty(kind, capacity))
            .collect();
        (Vec::with_capacity(capacity), cols, 0)
    }

    /// Evaluates the `n` rows read into `cols` on `today`.
    fn run(
        &self,
        batch: &Batch,
        cols: Vec<Col>,
        rows: Vec<Option<usize>>,
        n: usize,
        today: Option<Date>,
    ) -> Option<Evaluated> {
        if n == 0 {
            return None;
        }
        let mut inputs: Vec<Option<Col>> = vec![None; self.inputs];
        for ((input, kind), col) in self.columns.iter().zip(cols) {
            if !matches!(kind, Cells::Skip) {
                inputs[*input] = Some(col);
            }
        }
        let mut block = Block::new(batch.program(), &inputs, today, n);
        let results = self
            .members
            .iter()
            .map(|m| block.member(*m))
            .collect::<Result<Vec<_>, _>>()
            .ok()?;
        Some(Evaluated {
            results,
            rows,
            today,
        })
    }

    /// Reads the rows it can and evaluates them together; `None` when the
    /// block must go row by row.
    pub fn evaluate(&self, batch: &Batch, lines: &[&[u8]]) -> Option<Evaluated> {
        let (mut rows, mut cols, mut n) = self.blank(lines.len());
        for line in lines {
            let fits = self.read_row(line, &mut cols);
            settle(fits, &mut rows, &mut cols, &mut n);
        }
        self.run(batch, cols, rows, n, batch.on)
    }

    /// Reads one row into the columns; `false` for anything but plain,
    /// well-formed cells (the row evaluator then reads it, and reports what
    /// is wrong).
    fn read_row(&self, line: &[u8], cols: &mut [Col]) -> bool {
        let mut start = 0;
        let last = self.columns.len() - 1;
        for (k, ((_, kind), col)) in self.columns.iter().zip(cols.iter_mut()).enumerate() {
            let end = match line[start..].iter().position(|&b| b == b',') {
                Some(p) if k < last => start + p,
                None if k == last => line.len(),
                _ => return false,
            };
            if !read_cell(kind, &line[start..end], col) {
                return false;
            }
            if let Some(range) = &self.ranges[k]
                && !crate::eval::case::value_in_range(&col.value(col.rows() - 1), range)
            {
                return false;
            }
            start = end + 1;
        }
        true
    }
}

/// After a row was read into the columns: it is row `n` if it fit, else
/// what it put in the columns is undone and the row evaluator takes it.
fn settle(fits: bool, rows: &mut Vec<Option<usize>>, cols: &mut [Col], n: &mut usize) {
    if fits {
        rows.push(Some(*n));
        *n += 1;
    } else {
        for c in cols.iter_mut() {
            truncate(c, *n);
        }
        rows.push(None);
    }
}

fn empty(kind: &Cells, n: usize) -> Col {
    match kind {
        Cells::Bool => Col::Bool(Vec::with_capacity(n)),
        Cells::Int => Col::Int(Vec::with_capacity(n)),
        Cells::Money => Col::Money(Vec::with_capacity(n)),
        Cells::Decimal => Col::Decimal(Vec::with_capacity(n)),
        Cells::Date => Col::Date(Vec::with_capacity(n)),
        Cells::Enum(e, _) => Col::Enum(*e, Vec::with_capacity(n)),
        Cells::Skip => Col::Bool(Vec::new()),
    }
}

fn truncate(col: &mut Col, n: usize) {
    match col {
        Col::Bool(v) => v.truncate(n),
        Col::Int(v) => v.truncate(n),
        Col::Money(v) | Col::Decimal(v) => v.truncate(n),
        Col::Duration(v) => v.truncate(n),
        Col::Date(v) => v.truncate(n),
        Col::Enum(_, v) => v.truncate(n),
        Col::List(_) => {}
    }
}

/// Reads a cell into its column; `false` when it is not plain.
fn read_cell(kind: &Cells, cell: &[u8], col: &mut Col) -> bool {
    if cell.first() == Some(&b'"') {
        // A quoted cell may hold commas: the row evaluator splits it.
        return false;
    }
    if matches!(kind, Cells::Skip) {
        return true;
    }
    if cell.is_empty() {
        return false;
    }
    match (kind, col) {
        (Cells::Bool, Col::Bool(v)) => match cell {
            b"1" | b"true" => v.push(true),
            b"0" | b"false" => v.push(false),
            _ => return false,
        },
        (Cells::Int, Col::Int(v)) => match plain_int(cell) {
            Some(x) => v.push(x),
            None => return false,
        },
        (Cells::Money, Col::Money(v)) => match plain_fen(cell) {
            Some(fen) => v.push(rust_decimal::Decimal::new(fen, 2)),
            None => return false,
        },
        (Cells::Decimal, Col::Decimal(v)) => {
            match std::str::from_utf8(cell)
                .ok()
                .and_then(crate::eval::case::parse_decimal)
            {
                Some(x) => v.push(x),
                None => return false,
            }
        }
        (Cells::Date, Col::Date(v)) => match std::str::from_utf8(cell).ok().and_then(Date::parse) {
            Some(x) => v.push(x),
            None => return false,
        },
        (Cells::Enum(_, names), Col::Enum(_, v)) => {
            match std::str::from_utf8(cell).ok().and_then(|c| names.get(c)) {
                Some(x) => v.push(*x),
                None => return false,
            }
        }
        _ => return false,
    }
    true
}

/// The results of a block evaluated by columns.
pub struct Evaluated {
    results: Vec<Col>,
    /// For each line of the block, its row in the columns (`None`: read
    /// by the row evaluator).
    rows: Vec<Option<usize>>,
    /// The date the rows were evaluated on.
    today: Option<Date>,
}

impl Evaluated {
    pub fn row(&self, line: usize) -> Option<usize> {
        self.rows.get(line).copied().flatten()
    }

    /// What each result of a row came to, as the row evaluator gives it.
    pub fn outcomes(&self, row: usize) -> Vec<crate::eval::Outcome> {
        self.results.iter().map(|c| Ok(c.value(row))).collect()
    }

    /// The date the rows were evaluated on.
    pub fn today(&self) -> Option<Date> {
        self.today
    }

    /// A money result of a row, in fen (for the totals).
    pub fn money(&self, result: usize, row: usize) -> Option<i128> {
        match &self.results[result] {
            Col::Money(v) => Some(fen_of(v[row])),
            _ => None,
        }
    }

    /// Writes an output row, as `write_row` would for the same values.
    pub fn write(&self, batch: &Batch, row: usize, number: u64, out: &mut String) {
        // As push_csv_row writes a row whose results are all determined, cell
        // by cell with the same writers, without making a value of each.
        crate::lang::scalar::push_int(out, number as i64);
        for col in &self.results {
            out.push(',');
            match col {
                Col::Bool(v) => out.push_str(if v[row] { "true" } else { "false" }),
                Col::Int(v) => crate::lang::scalar::push_int(out, v[row]),
                Col::Money(v) => crate::lang::scalar::push_fen(out, fen_of(v[row])),
                other => super::push_cell(out, batch.program(), &other.value(row)),
            }
        }
        out.push_str(",,\n");
    }
}

impl Evaluated {
    /// Writes an output row of JSONL, with the writer of the row path.
    pub fn write_json(&self, batch: &Batch, row: usize, number: u64, out: &mut String) {
        crate::eval::output::push_json_row(
            out,
            &batch.plan,
            number,
            self.today,
            &batch.json_keys,
            self.results
                .iter()
                .map(|col| std::borrow::Cow::Owned(Ok(col.value(row)))),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lang::scalar::push_fen;

    #[test]
    fn cells_read_like_the_case_reader() {
        assert_eq!(plain_fen(b"812.4"), Some(81240));
        assert_eq!(plain_fen(b"812.40"), Some(81240));
        assert_eq!(plain_fen(b"-0.05"), Some(-5));
        assert_eq!(plain_fen(b"1000"), Some(100000));
        assert_eq!(plain_fen(b"1.234"), None);
        assert_eq!(plain_fen(b"1e3"), None);
        assert_eq!(plain_fen(b"-"), None);
        assert_eq!(plain_fen(b"5."), None);
        assert_eq!(plain_fen(b".5"), None);
        assert_eq!(plain_int(b"-12"), Some(-12));
        assert_eq!(plain_int(b"1234567890123456789"), None);
        let mut s = String::new();
        push_fen(&mut s, -5);
        s.push(' ');
        push_fen(&mut s, 123456);
        s.push(' ');
        push_fen(&mut s, 0);
        assert_eq!(s, "-0.05 1234.56 0.00");
    }
}

//! What a change of a package does to a population: `pol diff OLD NEW
//! --cases FILE`. Every case is read once and evaluated under both
//! versions, on every core, block by block as a batch is; the comparison
//! of each result is counted as it goes, so that memory holds the counts,
//! not the cases (and one difference per changed amount, for the
//! quantiles).

pub mod chart;
pub mod report;
pub mod version;

use crate::batch::{self, Batch, BatchError, Column, Format, Row, RowError, RowResult};
use crate::check::Checked;
use crate::eval::{Case, Value, case as case_reader};
use crate::i18n::tr;
use crate::lang::scalar::{Date, fen_of};
use crate::lang::types::Type;
use serde_json::Value as Json;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use std::ops::Range;

/// How many of the largest gains and losses a result keeps.
pub const LARGEST: usize = 10;

/// One version as the diff reads cases for it.
pub struct Side<'c> {
    pub name: String,
    pub batch: Batch<'c>,
    /// The CSV columns this version knows, and which cell of a row each reads.
    columns: Vec<Column>,
    cells: Vec<usize>,
    /// The batch's evaluation by columns, where the package and the
    /// columns allow it (as in `pol eval --cases`).
    fast: Option<batch::Fast>,
}

/// A record read for each version: the old one's case and the new one's.
pub type RowCases = (Result<Case, RowError>, Result<Case, RowError>);

/// A result of either version: where it is in each.
#[derive(Debug, Clone)]
pub struct Compared {
    pub key: String,
    pub label: Option<String>,
    pub old: Option<usize>,
    pub new: Option<usize>,
    /// Whether the result is an amount (money) in either version: its
    /// totals are reported even where no case determines it.
    pub money: bool,
}

/// A fact to break the comparison down by: the version whose case it is
/// read from, and where it is in that case.
pub struct Grouping {
    pub path: String,
    new_side: bool,
    column: Column,
}

/// The two versions, and what is compared.
pub struct Diff<'c> {
    pub old: Side<'c>,
    pub new: Side<'c>,
    pub results: Vec<Compared>,
    pub groupings: Vec<Grouping>,
    header_len: usize,
    /// Whether rows may be evaluated by columns (as a batch does).
    by_columns: bool,
}

/// What a result came to for one case under one version.
#[derive(Debug, Clone, Copy)]
pub enum State<'a> {
    Value(&'a Value),
    Undetermined,
    /// The case could not be read for this version, or the result failed.
    Failed,
}

impl State<'_> {
    fn money(&self) -> Option<i128> {
        match self {
            State::Value(Value::Money(m)) => Some(fen_of(*m)),
            _ => None,
        }
    }

    fn same(&self, other: &State) -> bool {
        match (self, other) {
            (State::Value(a), State::Value(b)) => a == b,
            (State::Undetermined, State::Undetermined) | (State::Failed, State::Failed) => true,
            _ => false,
        }
    }
}

/// The state of result `i` of a row.
fn state_of(row: &RowResult, i: Option<usize>) -> Option<State<'_>> {
    let i = i?;
    Some(match row {
        Err(_) => State::Failed,
        Ok(row) => match &row.outcomes[i] {
            Ok(Value::Unknown(_)) => State::Undetermined,
            Ok(v) => State::Value(v),
            Err(_) => State::Failed,
        },
    })
}

/// The counts of one result over the population.
#[derive(Debug, Clone, Default)]
pub struct ResultStats {
    /// Cases whose value differs between the versions.
    pub changed: u64,
    /// Amounts (money) and numbers that rose or fell.
    pub gained: u64,
    pub lost: u64,
    /// Amounts that rose from zero, or fell to zero; bools that became
    /// true, or false.
    pub became_eligible: u64,
    pub stopped_eligible: u64,
    /// Determined before and undetermined after, and the other way.
    pub became_undetermined: u64,
    pub became_determined: u64,
    /// Cases in which the result failed (or the case could not be read).
    pub failed_before: u64,
    pub failed_after: u64,
    /// Whether the result is an amount in either version.
    pub money: bool,
    /// Cases in which the amount is more than zero, in each version.
    pub paid_before: u64,
    pub paid_after: u64,
    /// Cases in which the result is undetermined, in each version.
    pub undetermined_before: u64,
    pub undetermined_after: u64,
    /// The totals of an amount, in fen, over the cases where it is
    /// determined in that version.
    pub total_before: i128,
    pub total_after: i128,
    /// Each change of an amount determined in both: (after − before,
    /// row number, before), in fen.
    pub differences: Vec<(i128, u64, i128)>,
}

impl ResultStats {
    fn add(&mut self, before: Option<State>, after: Option<State>, row: u64) {
        if let Some(f) = before.and_then(|s| s.money()) {
            self.total_before += f;
            self.paid_before += u64::from(f != 0);
            self.money = true;
        }
        if let Some(f) = after.and_then(|s| s.money()) {
            self.total_after += f;
            self.paid_after += u64::from(f != 0);
            self.money = true;
        }
        self.undetermined_before += u64::from(matches!(before, Some(State::Undetermined)));
        self.undetermined_after += u64::from(matches!(after, Some(State::Undetermined)));
        if matches!(before, Some(State::Failed)) {
            self.failed_before += 1;
        }
        if matches!(after, Some(State::Failed)) {
            self.failed_after += 1;
        }
        let (Some(b), Some(a)) = (before, after) else {
            return;
        };
        if b.same(&a) {
            return;
        }
        self.changed += 1;
        match (b, a) {
            (State::Value(Value::Money(x)), State::Value(Value::Money(y))) => {
                let (x, y) = (fen_of(*x), fen_of(*y));
                let d = y - x;
                if d > 0 {
                    self.gained += 1;
                } else if d < 0 {
                    self.lost += 1;
                }
                if x == 0 && y != 0 {
                    self.became_eligible += 1;
                } else if x != 0 && y == 0 {
                    self.stopped_eligible += 1;
                }
                if d != 0 {
                    self.differences.push((d, row, x));
                }
            }
            (State::Value(Value::Int(x)), State::Value(Value::Int(y))) => {
                self.gained += u64::from(y > x);
                self.lost += u64::from(y < x);
            }
            (State::Value(Value::Decimal(x)), State::Value(Value::Decimal(y))) => {
                self.gained += u64::from(y > x);
                self.lost += u64::from(y < x);
            }
            (State::Value(Value::Bool(false)), State::Value(Value::Bool(true))) => {
                self.became_eligible += 1;
            }
            (State::Value(Value::Bool(true)), State::Value(Value::Bool(false))) => {
                self.stopped_eligible += 1;
            }
            (State::Value(_), State::Undetermined) => self.became_undetermined += 1,
            (State::Undetermined, State::Value(_)) => self.became_determined += 1,
            _ => {}
        }
    }

    fn merge(&mut self, other: ResultStats) {
        self.changed += other.changed;
        self.gained += other.gained;
        self.lost += other.lost;
        self.became_eligible += other.became_eligible;
        self.stopped_eligible += other.stopped_eligible;
        self.became_undetermined += other.became_undetermined;
        self.became_determined += other.became_determined;
        self.failed_before += other.failed_before;
        self.failed_after += other.failed_after;
        self.money |= other.money;
        self.paid_before += other.paid_before;
        self.paid_after += other.paid_after;
        self.undetermined_before += other.undetermined_before;
        self.undetermined_after += other.undetermined_after;
        self.total_before += other.total_before;
        self.total_after += other.total_after;
        self.differences.extend(other.differences);
    }
}

/// The counts of one group of a breakdown.
#[derive(Debug, Clone, Default)]
pub struct GroupStats {
    pub cases: u64,
    pub changed: u64,
    /// Per result: the totals before and after, in fen.
    pub totals: Vec<(i128, i128)>,
}

/// What the comparison found.
#[derive(Debug, Clone, Default)]
pub struct Summary {
    pub cases: u64,
    /// Cases with at least one result changed.
    pub changed: u64,
    /// Rows that one version, or the other, could not read.
    pub errors_before: u64,
    pub errors_after: u64,
    /// Rows that both versions evaluated by columns (the rest went row by row).
    pub by_columns: u64,
    pub results: Vec<ResultStats>,
    /// Per grouping: the groups by the text of the fact's value.
    pub groups: Vec<BTreeMap<String, GroupStats>>,
}

impl Summary {
    fn new(diff: &Diff) -> Summary {
        Summary {
            results: diff
                .results
                .iter()
                .map(|c| ResultStats {
                    money: c.money,
                    ..ResultStats::default()
                })
                .collect(),
            groups: vec![BTreeMap::new(); diff.groupings.len()],
            ..Summary::default()
        }
    }

    fn merge(&mut self, other: Summary) {
        self.cases += other.cases;
        self.changed += other.changed;
        self.errors_before += other.errors_before;
        self.errors_after += other.errors_after;
        self.by_columns += other.by_columns;
        for (r, o) in self.results.iter_mut().zip(other.results) {
            r.merge(o);
        }
        for (g, o) in self.groups.iter_mut().zip(other.groups) {
            for (value, stats) in o {
                let mine = g.entry(value).or_insert_with(|| GroupStats {
                    totals: vec![(0, 0); stats.totals.len()],
                    ..GroupStats::default()
                });
                mine.cases += stats.cases;
                mine.changed += stats.changed;
                for (t, (b, a)) in mine.totals.iter_mut().zip(stats.totals) {
                    t.0 += b;
                    t.1 += a;
                }
            }
        }
    }

    /// Sorts the differences of every result, smallest first, rows in
    /// order among equal ones, so that quantiles and the largest are read
    /// off them.
    fn finish(&mut self) {
        for r in &mut self.results {
            r.differences.sort_unstable();
        }
    }
}

/// Why a diff cannot be set up (a usage error, exit 2).
#[derive(Debug)]
pub struct SetupError(pub String);

impl<'c> Diff<'c> {
    /// The diff of two checked versions, for the results named (all of
    /// either version without names) and the breakdowns asked for.
    pub fn new(
        old: (&str, &'c Checked),
        new: (&str, &'c Checked),
        results: Option<&[String]>,
        by: &[String],
        on: Option<Date>,
    ) -> Result<Diff<'c>, SetupError> {
        let plan = |checked: &'c Checked| crate::eval::Plan::new(checked);
        let (mut old_plan, mut new_plan) = (plan(old.1), plan(new.1));
        if let Some(names) = results {
            let knows = |p: &crate::eval::Plan, n: &String| {
                p.clone().select(std::slice::from_ref(n)).is_ok()
            };
            let mut for_old = Vec::new();
            let mut for_new = Vec::new();
            for n in names {
                let (o, w) = (knows(&old_plan, n), knows(&new_plan, n));
                if !o && !w {
                    // The message of the new version says what there is.
                    let e = new_plan
                        .clone()
                        .select(std::slice::from_ref(n))
                        .err()
                        .unwrap_or_default();
                    return Err(SetupError(tr!("diff-text-1", e = e.to_string())));
                }
                if o {
                    for_old.push(n.clone());
                }
                if w {
                    for_new.push(n.clone());
                }
            }
            old_plan = old_plan.select(&for_old).map_err(SetupError)?;
            new_plan = new_plan.select(&for_new).map_err(SetupError)?;
        }
        let mut compared: Vec<Compared> = Vec::new();
        let label = |checked: &Checked, key: &str| {
            let clause = key.split_once('.').map_or(key, |(c, _)| c);
            checked
                .program()
                .clauses
                .iter()
                .find(|c| c.name == clause)
                .and_then(|c| c.label.clone())
        };
        let money = |checked: &Checked, slot: &crate::eval::ResultSlot| match slot.member {
            crate::check::ir::Member::Def(d) => checked.program().defs[d.index()].ty == Type::Money,
            _ => false,
        };
        for (i, slot) in old_plan.results.iter().enumerate() {
            compared.push(Compared {
                key: slot.key.clone(),
                label: label(old.1, &slot.key),
                old: Some(i),
                new: None,
                money: money(old.1, slot),
            });
        }
        for (i, slot) in new_plan.results.iter().enumerate() {
            match compared.iter_mut().find(|c| c.key == slot.key) {
                Some(c) => {
                    c.new = Some(i);
                    c.label = label(new.1, &slot.key).or(c.label.take());
                    c.money |= money(new.1, slot);
                }
                None => compared.push(Compared {
                    key: slot.key.clone(),
                    label: label(new.1, &slot.key),
                    old: None,
                    new: Some(i),
                    money: money(new.1, slot),
                }),
            }
        }
        let mut groupings = Vec::new();
        for path in by {
            let found = |checked: &Checked| {
                batch::columns(checked, std::slice::from_ref(path))
                    .ok()
                    .and_then(|mut c| c.pop())
            };
            let (column, new_side) = match (found(old.1), found(new.1)) {
                (Some(c), _) => (c, false),
                (None, Some(c)) => (c, true),
                (None, None) => {
                    let why = batch::columns(new.1, std::slice::from_ref(path))
                        .err()
                        .map(|e| e.join("; "))
                        .unwrap_or_default();
                    return Err(SetupError(tr!(
                        "diff-text-2",
                        path = path.to_string(),
                        column = (why.trim_start_matches("column 1 ")).to_string()
                    )));
                }
            };
            if !matches!(column.ty, Type::Bool | Type::Enum(_)) {
                let program = if new_side { new.1 } else { old.1 }.program();
                return Err(SetupError(tr!(
                    "diff-text-3",
                    path = path.to_string(),
                    ty = (program.show(&column.ty)).to_string()
                )));
            }
            groupings.push(Grouping {
                path: path.trim().to_string(),
                new_side,
                column,
            });
        }
        Ok(Diff {
            old: Side {
                name: old.0.to_string(),
                batch: Batch::of_plan(old_plan, on),
                columns: Vec::new(),
                cells: Vec::new(),
                fast: None,
            },
            new: Side {
                name: new.0.to_string(),
                batch: Batch::of_plan(new_plan, on),
                columns: Vec::new(),
                cells: Vec::new(),
                fast: None,
            },
            results: compared,
            groupings,
            header_len: 0,
            by_columns: true,
        })
    }

    /// Evaluates every row with the row evaluator (to compare the paths).
    pub fn row_by_row(mut self) -> Diff<'c> {
        self.by_columns = false;
        self
    }

    /// Takes a CSV header: each version reads the columns it knows; a
    /// column that neither knows is an error, as in a batch.
    fn header(&mut self, names: &[String]) -> Result<(), BatchError> {
        let mut errors = Vec::new();
        let mut old = (Vec::new(), Vec::new());
        let mut new = (Vec::new(), Vec::new());
        for (i, name) in names.iter().enumerate() {
            let one = std::slice::from_ref(name);
            let o = batch::columns(self.old.batch.plan.checked(), one);
            let w = batch::columns(self.new.batch.plan.checked(), one);
            if let (Err(_), Err(e)) = (&o, &w) {
                for e in e {
                    errors.push(tr!(
                        "diff-text-4",
                        i = (e.replacen("column 1", &format!("column {}", i + 1), 1)).to_string()
                    ));
                }
            }
            for (side, cols) in [(&mut old, o), (&mut new, w)] {
                if let Ok(mut c) = cols {
                    side.0.append(&mut c);
                    side.1.push(i);
                }
            }
        }
        // A fact named by two columns, as a batch refuses it.
        let trimmed: Vec<String> = names.iter().map(|n| n.trim().to_string()).collect();
        for (i, n) in trimmed.iter().enumerate() {
            if let Some(first) = trimmed[..i].iter().position(|m| m == n) {
                errors.push(tr!(
                    "diff-text-5",
                    i = (i + 1).to_string(),
                    i2 = (names[i]).to_string(),
                    first = (first + 1).to_string()
                ));
            }
        }
        if !errors.is_empty() {
            return Err(BatchError::Header(errors));
        }
        (self.old.columns, self.old.cells) = old;
        (self.new.columns, self.new.cells) = new;
        self.header_len = names.len();
        // A version reads past the cells of the other's facts.
        for side in [&mut self.old, &mut self.new] {
            let mut cells: Vec<Option<&Column>> = vec![None; names.len()];
            for (col, &i) in side.columns.iter().zip(&side.cells) {
                cells[i] = Some(col);
            }
            side.fast = self
                .by_columns
                .then(|| batch::Fast::skipping(&side.batch, &cells))
                .flatten();
        }
        Ok(())
    }

    /// The cases of one record for each version.
    fn cases(&self, format: Format, line: &[u8]) -> RowCases {
        let both = |e: RowError| (Err(e.clone()), Err(e));
        let Ok(line) = std::str::from_utf8(line) else {
            return both(RowError::new("pol::batch::utf8", tr!("diff-text-6")));
        };
        match format {
            Format::Csv => {
                let cells = match batch::csv::split(line) {
                    Ok(c) => c,
                    Err(e) => return both(RowError::new("pol::batch::csv", e)),
                };
                if cells.len() != self.header_len {
                    return both(RowError::new(
                        "pol::batch::cells",
                        tr!(
                            "diff-text-7",
                            cells = (cells.len()).to_string(),
                            header_len = self.header_len.to_string()
                        ),
                    ));
                }
                let read = |side: &Side| {
                    let mine: Vec<&str> = side.cells.iter().map(|&i| cells[i].as_ref()).collect();
                    side.batch.csv_case(&side.columns, &mine)
                };
                (read(&self.old), read(&self.new))
            }
            Format::Jsonl => {
                if line.trim().is_empty() {
                    return both(RowError::new("pol::batch::empty_line", tr!("diff-text-8")));
                }
                // The plain reader first (as a batch reads), for both.
                let plain = |side: &Side| {
                    case_reader::plain_case(side.batch.program(), line).map(|mut c| {
                        if let Some(d) = side.batch.on() {
                            c.today = Some(d);
                        }
                        c
                    })
                };
                if let (Some(a), Some(b)) = (plain(&self.old), plain(&self.new)) {
                    return (Ok(a), Ok(b));
                }
                let json = match case_reader::parse_json(line) {
                    Ok(j) => j,
                    Err(e) => return both(RowError::new(e.code, e.to_string())),
                };
                let (old, old_dropped) = prune(self.old.batch.program(), json.clone());
                let (new, new_dropped) = prune(self.new.batch.program(), json);
                if let Some(p) = old_dropped.iter().find(|p| new_dropped.contains(p)) {
                    return both(RowError::new(
                        "pol::case::unknown_field",
                        tr!("diff-text-9", p = p.to_string()),
                    ));
                }
                let read = |side: &Side, json: &Json| {
                    let mut case = case_reader::from_json(side.batch.program(), json)
                        .map_err(|e| RowError::new(e.code, e.to_string()))?;
                    if let Some(d) = side.batch.on() {
                        case.today = Some(d);
                    }
                    Ok(case)
                };
                (read(&self.old, &old), read(&self.new, &new))
            }
        }
    }

    /// The text of the value of a breakdown's fact in a case.
    fn group_of(&self, g: &Grouping, old: Option<&Case>, new: Option<&Case>) -> String {
        let (case, program) = if g.new_side {
            (new, self.new.batch.program())
        } else {
            (old, self.old.batch.program())
        };
        let Some(case) = case else {
            return tr!("diff-text-10");
        };
        let mut v = &case.inputs[g.column.input.index()];
        for &f in &g.column.fields {
            match v {
                Value::Record(_, fields) => v = &fields[f],
                _ => return "(unknown)".into(),
            }
        }
        match v {
            Value::Unknown(_) => "(unknown)".into(),
            v => match crate::eval::output::to_json(program, v) {
                Json::String(s) => s,
                other => other.to_string(),
            },
        }
    }

    /// Compares the records of a part of a block; writes the changed ones.
    fn part(
        &self,
        format: Format,
        out: Option<Format>,
        block: &[u8],
        records: &[Range<usize>],
        first: u64,
    ) -> (String, Summary) {
        let mut summary = Summary::new(self);
        let mut text = String::new();
        let lines: Vec<&[u8]> = records.iter().map(|r| &block[r.clone()]).collect();
        let by_columns = |side: &Side, part: &[&[u8]]| {
            side.fast.as_ref().and_then(|f| match format {
                Format::Csv => f.evaluate(&side.batch, part),
                Format::Jsonl => f.evaluate_json(&side.batch, part),
            })
        };
        let (mut old_cols, mut new_cols) = (None, None);
        for (i, line) in lines.iter().enumerate() {
            let number = first + i as u64 + 1;
            let at = i % batch::COLUMN_ROWS;
            if at == 0 {
                let part = &lines[i..(i + batch::COLUMN_ROWS).min(lines.len())];
                old_cols = by_columns(&self.old, part);
                new_cols = by_columns(&self.new, part);
            }
            let fast_row = |cols: &Option<batch::Evaluated>| {
                cols.as_ref().and_then(|c| {
                    c.row(at).map(|r| {
                        Ok(Row {
                            today: c.today(),
                            outcomes: c.outcomes(r),
                        })
                    })
                })
            };
            // Both versions by columns where both can; else both row by row.
            let (old, new, old_cases, new_cases) = match (fast_row(&old_cols), fast_row(&new_cols))
            {
                (Some(o), Some(n)) => {
                    summary.by_columns += 1;
                    let (oc, nc) = if self.groupings.is_empty() {
                        (None, None)
                    } else {
                        let (a, b) = self.cases(format, line);
                        (a.ok(), b.ok())
                    };
                    (o, n, oc, nc)
                }
                _ => {
                    let (oc, nc) = self.cases(format, line);
                    let eval = |side: &Side, case: &Result<Case, RowError>| -> RowResult {
                        match case {
                            Ok(c) => Ok(side.batch.evaluate(c)),
                            Err(e) => Err(e.clone()),
                        }
                    };
                    (eval(&self.old, &oc), eval(&self.new, &nc), oc.ok(), nc.ok())
                }
            };
            summary.cases += 1;
            summary.errors_before += u64::from(old.is_err());
            summary.errors_after += u64::from(new.is_err());
            let mut changed = false;
            for (c, stats) in self.results.iter().zip(summary.results.iter_mut()) {
                let (b, a) = (state_of(&old, c.old), state_of(&new, c.new));
                if let (Some(b), Some(a)) = (b, a)
                    && !b.same(&a)
                {
                    changed = true;
                }
                stats.add(b, a, number);
            }
            summary.changed += u64::from(changed);
            for (g, groups) in self.groupings.iter().zip(summary.groups.iter_mut()) {
                let value = self.group_of(g, old_cases.as_ref(), new_cases.as_ref());
                let group = groups.entry(value).or_insert_with(|| GroupStats {
                    totals: vec![(0, 0); self.results.len()],
                    ..GroupStats::default()
                });
                group.cases += 1;
                group.changed += u64::from(changed);
                for (c, t) in self.results.iter().zip(group.totals.iter_mut()) {
                    t.0 += state_of(&old, c.old).and_then(|s| s.money()).unwrap_or(0);
                    t.1 += state_of(&new, c.new).and_then(|s| s.money()).unwrap_or(0);
                }
            }
            if changed && let Some(f) = out {
                self.write_changed(f, number, &old, &new, &mut text);
            }
        }
        (text, summary)
    }

    /// The header of `--out`.
    pub fn out_header(&self, format: Format) -> String {
        match format {
            Format::Jsonl => String::new(),
            Format::Csv => {
                let mut h = String::from("row");
                for c in &self.results {
                    for what in ["before", "after", "difference"] {
                        h.push(',');
                        h.push_str(&batch::csv::quote(&format!("{}.{what}", c.key)));
                    }
                }
                h.push('\n');
                h
            }
        }
    }

    /// One row of `--out`: before, after and difference of each result
    /// that changed (the cells of the others are empty).
    fn write_changed(
        &self,
        format: Format,
        number: u64,
        old: &RowResult,
        new: &RowResult,
        out: &mut String,
    ) {
        let changes = self.results.iter().filter_map(|c| {
            let (b, a) = (state_of(old, c.old)?, state_of(new, c.new)?);
            (!b.same(&a)).then_some((c, b, a))
        });
        match format {
            Format::Csv => {
                let changed: Vec<_> = changes.collect();
                crate::lang::scalar::push_int(out, number as i64);
                for c in &self.results {
                    match changed.iter().find(|(k, _, _)| k.key == c.key) {
                        None => out.push_str(",,,"),
                        Some((_, b, a)) => {
                            for (s, side) in [(b, &self.old), (a, &self.new)] {
                                out.push(',');
                                match s {
                                    State::Value(v) => {
                                        batch::push_cell(out, side.batch.program(), v)
                                    }
                                    State::Undetermined => out.push_str("undetermined"),
                                    State::Failed => out.push_str("error"),
                                }
                            }
                            out.push(',');
                            if let (Some(x), Some(y)) = (b.money(), a.money()) {
                                crate::lang::scalar::push_fen(out, y - x);
                            }
                        }
                    }
                }
                out.push('\n');
            }
            Format::Jsonl => {
                let mut map = serde_json::Map::new();
                for (c, b, a) in changes {
                    let json = |s: &State, side: &Side| match s {
                        State::Value(v) => crate::eval::output::to_json(side.batch.program(), v),
                        State::Undetermined => Json::Null,
                        State::Failed => serde_json::json!({"error": true}),
                    };
                    let mut change = serde_json::Map::new();
                    change.insert("before".into(), json(&b, &self.old));
                    change.insert("after".into(), json(&a, &self.new));
                    if let (Some(x), Some(y)) = (b.money(), a.money()) {
                        change.insert("difference".into(), Json::String(batch::fen_text(y - x)));
                    }
                    map.insert(c.key.clone(), Json::Object(change));
                }
                let row = serde_json::json!({"row": number, "changes": map});
                out.push_str(&row.to_string());
                out.push('\n');
            }
        }
    }

    /// Compares every case of `input`, writing the changed ones to `out`
    /// (in `out_format`) when it is given.
    pub fn run(
        &mut self,
        format: Format,
        mut input: impl BufRead,
        out: Option<(Format, &mut dyn Write)>,
        progress: &dyn Fn(u64),
    ) -> Result<Summary, BatchError> {
        let mut bytes_read = 0;
        if format == Format::Csv {
            let (names, n) = batch::header_names(&mut input)?;
            bytes_read = n;
            self.header(&names)?;
        } else {
            for side in [&mut self.old, &mut self.new] {
                side.fast = self
                    .by_columns
                    .then(|| batch::Fast::for_jsonl(&side.batch))
                    .flatten();
            }
        }
        let io = |e: std::io::Error| BatchError::Io(e.to_string());
        let mut summary = Summary::new(self);
        let out_format = out.as_ref().map(|(f, _)| *f);
        let mut sink = std::io::sink();
        let output: &mut dyn Write = match out {
            Some((f, w)) => {
                w.write_all(self.out_header(f).as_bytes()).map_err(io)?;
                w
            }
            None => &mut sink,
        };
        let this = &*self;
        let work = |block: &[u8], part: &[Range<usize>], first: u64| {
            this.part(format, out_format, block, part, first)
        };
        batch::each_block(
            format,
            input,
            bytes_read,
            &mut WriteRef(output),
            progress,
            &work,
            |part| summary.merge(part),
        )?;
        summary.finish();
        Ok(summary)
    }

    /// The cases of row `n` (from 1) for each version, for `--explain-row`.
    pub fn cases_of_row(
        &mut self,
        format: Format,
        mut input: impl BufRead,
        n: u64,
    ) -> Result<RowCases, batch::RowLookupError> {
        if format == Format::Csv {
            let (names, _) = batch::header_names(&mut input).map_err(|e| e.to_string())?;
            self.header(&names).map_err(|e| e.to_string())?;
        }
        let record = batch::record_of_row(format, input, n)?;
        Ok(self.cases(format, &record))
    }
}

/// A `&mut dyn Write` as a sized writer.
struct WriteRef<'a>(&'a mut dyn Write);

impl Write for WriteRef<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.0.write_all(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.0.flush()
    }
}

/// A JSON case without the facts `program` does not have (a fact of the
/// other version), and the paths of those dropped.
pub fn prune(program: &crate::check::ir::Program, json: Json) -> (Json, Vec<String>) {
    let mut dropped = Vec::new();
    let json = match json {
        Json::Object(fields) => Json::Object(
            fields
                .into_iter()
                .filter_map(|(k, v)| {
                    if k == "today" {
                        return Some((k, v));
                    }
                    match program.inputs.iter().find(|i| i.name == k) {
                        Some(input) => {
                            let v = prune_value(program, &input.ty, v, &k, &mut dropped);
                            Some((k, v))
                        }
                        None => {
                            dropped.push(k);
                            None
                        }
                    }
                })
                .collect(),
        ),
        other => other,
    };
    (json, dropped)
}

fn prune_value(
    program: &crate::check::ir::Program,
    ty: &Type,
    json: Json,
    path: &str,
    dropped: &mut Vec<String>,
) -> Json {
    match (ty, json) {
        (Type::Record(r), Json::Object(fields)) => {
            let record = &program.records[r.index()];
            Json::Object(
                fields
                    .into_iter()
                    .filter_map(|(k, v)| {
                        let p = format!("{path}.{k}");
                        match record.fields.iter().find(|f| f.name == k) {
                            Some(f) => {
                                let v = prune_value(program, &f.ty, v, &p, dropped);
                                Some((k, v))
                            }
                            None => {
                                dropped.push(p);
                                None
                            }
                        }
                    })
                    .collect(),
            )
        }
        (Type::List(t), Json::Array(items)) => Json::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| prune_value(program, t, v, &format!("{path}[{i}]"), dropped))
                .collect(),
        ),
        (_, json) => json,
    }
}

/// The explanation of one row's difference: for each result that changed,
/// its explanation under the old version beside the one under the new,
/// and the first node where they differ.
pub fn explain_row(diff: &Diff, old: &Case, new: &Case, n: u64) -> Result<String, String> {
    use crate::explain::{self, render};
    let before: RowResult = Ok(diff.old.batch.evaluate(old));
    let after: RowResult = Ok(diff.new.batch.evaluate(new));
    let changed: Vec<&Compared> = diff
        .results
        .iter()
        .filter(
            |c| match (state_of(&before, c.old), state_of(&after, c.new)) {
                (Some(b), Some(a)) => !b.same(&a),
                _ => false,
            },
        )
        .collect();
    let mut out = format!("row {n}: {} → {}\n", diff.old.name, diff.new.name);
    if changed.is_empty() {
        out.push_str("no result differs between the two versions\n");
        return Ok(out);
    }
    let tree = |side: &Side, case: &Case, key: &str| -> Result<explain::Explanation, String> {
        match explain::explain(&side.batch.plan, case, Some(key)) {
            Ok(Some(mut e)) if !e.is_empty() => Ok(e.remove(0)),
            Ok(_) => Err(format!("`{key}` has no explanation in {}", side.name)),
            Err(e) => Err(format!(
                "{} fails: error[{}]: {} (at {})",
                side.name,
                e.code,
                e.message,
                side.batch.plan.checked().sources().place(e.span)
            )),
        }
    };
    for c in changed {
        let a = tree(&diff.old, old, &c.key)?;
        let b = tree(&diff.new, new, &c.key)?;
        let (pa, pb) = (diff.old.batch.program(), diff.new.batch.program());
        out.push('\n');
        out.push_str(&side_by_side(
            (&diff.old.name, pa, &a.root),
            (&diff.new.name, pb, &b.root),
        ));
        if let Some((x, y)) = first_difference(&a.root, &b.root) {
            let own = |program, node: Option<&explain::Node>| match node {
                None => "(nothing)".to_string(),
                Some(node) => {
                    let mut alone = node.clone();
                    alone.children.clear();
                    render::node_text(program, &alone).trim_end().to_string()
                }
            };
            out.push_str(&format!(
                "first difference:\n  {}: {}\n  {}: {}\n",
                diff.old.name,
                own(pa, x),
                diff.new.name,
                own(pb, y)
            ));
        }
    }
    Ok(out)
}

/// Where two explanation trees part: the first difference, in reading
/// order, with nothing different below it, that explains the change: a
/// condition with another outcome, a fact or a parameter of another value,
/// a node of one side only; failing those, a formula (a changed amount);
/// failing that, any (a reworded quote).
pub fn first_difference<'a>(
    a: &'a crate::explain::Node,
    b: &'a crate::explain::Node,
) -> Option<(
    Option<&'a crate::explain::Node>,
    Option<&'a crate::explain::Node>,
)> {
    use crate::explain::{Kind, Node};
    type Pair<'n> = (Option<&'n Node>, Option<&'n Node>);
    fn minimal<'n>(a: &'n Node, b: &'n Node, out: &mut Vec<Pair<'n>>) {
        if a == b {
            return;
        }
        let before = out.len();
        for (c, d) in a.children.iter().zip(&b.children) {
            minimal(c, d, out);
        }
        let n = a.children.len().min(b.children.len());
        if out.len() == before && a.kind != b.kind {
            // `✓ sme` against `✗ sme` and its reason: the pair is the cause.
            out.push((Some(a), Some(b)));
            return;
        }
        for c in &a.children[n..] {
            out.push((Some(c), None));
        }
        for d in &b.children[n..] {
            out.push((None, Some(d)));
        }
        if out.len() == before {
            out.push((Some(a), Some(b)));
        }
    }
    let mut found = Vec::new();
    minimal(a, b, &mut found);
    // The decision parts where an outcome or a value differs (a condition
    // that now fails, a fact, a parameter, a date); else where a formula
    // does (a changed amount); else anywhere (a reworded quote, a
    // condition written otherwise that holds either way).
    let rank = |p: &Pair| match p {
        (Some(a), Some(b)) => match (&a.kind, &b.kind) {
            (Kind::Condition { outcome: x, .. }, Kind::Condition { outcome: y, .. }) if x == y => 2,
            (Kind::Clause { .. }, Kind::Clause { .. }) => 2,
            (Kind::Formula { .. }, _) | (_, Kind::Formula { .. }) => 1,
            _ => 0,
        },
        _ => 0,
    };
    found.iter().min_by_key(|p| rank(p)).copied()
}

/// The widest a column of [`side_by_side`] is, in terminal cells.
const COLUMN: usize = 60;

/// A node's own lines (without its children), indented for its depth and
/// wrapped to [`COLUMN`] cells (a Chinese character takes two).
fn own_lines(
    program: &crate::check::ir::Program,
    node: &crate::explain::Node,
    depth: usize,
) -> Vec<String> {
    let alone = crate::explain::Node {
        kind: node.kind.clone(),
        children: Vec::new(),
    };
    let indent = "  ".repeat(depth);
    let mut lines = Vec::new();
    for line in crate::explain::render::node_text(program, &alone).lines() {
        let mut cur = indent.clone();
        let mut w = indent.len();
        for ch in line.chars() {
            let cw = unicode_width::UnicodeWidthChar::width(ch).unwrap_or(0);
            if w + cw > COLUMN {
                lines.push(std::mem::take(&mut cur));
                cur = format!("{indent}    ");
                w = indent.len() + 4;
            }
            cur.push(ch);
            w += cw;
        }
        lines.push(cur);
    }
    lines
}

/// Two explanation trees in two columns, node beside node: each pair of
/// nodes starts on the same line, and the gutter says where they differ
/// (`│` the same, `≠` different, `<` or `>` a node of one side only).
pub fn side_by_side(
    (left_name, left_program, left): (&str, &crate::check::ir::Program, &crate::explain::Node),
    (right_name, right_program, right): (&str, &crate::check::ir::Program, &crate::explain::Node),
) -> String {
    use unicode_width::UnicodeWidthStr;
    let mut rows: Vec<(String, char, String)> = vec![
        (left_name.to_string(), '│', right_name.to_string()),
        (
            "─".repeat(left_name.width().clamp(8, COLUMN)),
            '│',
            "─".repeat(right_name.width().clamp(8, COLUMN)),
        ),
    ];
    fn walk(
        sides: (&crate::check::ir::Program, &crate::check::ir::Program),
        a: Option<&crate::explain::Node>,
        b: Option<&crate::explain::Node>,
        depth: usize,
        rows: &mut Vec<(String, char, String)>,
    ) {
        let la = a.map(|n| own_lines(sides.0, n, depth)).unwrap_or_default();
        let lb = b.map(|n| own_lines(sides.1, n, depth)).unwrap_or_default();
        let mark = match (a, b) {
            (Some(x), Some(y)) if x.kind == y.kind => '│',
            (Some(_), Some(_)) => '≠',
            (Some(_), None) => '<',
            _ => '>',
        };
        for i in 0..la.len().max(lb.len()) {
            rows.push((
                la.get(i).cloned().unwrap_or_default(),
                mark,
                lb.get(i).cloned().unwrap_or_default(),
            ));
        }
        let (ca, cb) = (
            a.map_or(&[][..], |n| &n.children[..]),
            b.map_or(&[][..], |n| &n.children[..]),
        );
        for i in 0..ca.len().max(cb.len()) {
            walk(sides, ca.get(i), cb.get(i), depth + 1, rows);
        }
    }
    walk(
        (left_program, right_program),
        Some(left),
        Some(right),
        0,
        &mut rows,
    );
    let width = rows.iter().map(|r| r.0.width()).max().unwrap_or(0);
    let mut out = String::new();
    for (a, mark, b) in rows {
        let pad = width - a.width();
        out.push_str(format!("{a}{} {mark} {b}", " ".repeat(pad)).trim_end());
        out.push('\n');
    }
    out
}

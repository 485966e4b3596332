//! Evaluating a population: `pol eval PACKAGE --cases FILE --out FILE`.
//!
//! Rows are read in chunks, evaluated on every core, and written in input
//! order, so memory stays bounded whatever the number of rows. A row that
//! cannot be read or evaluated becomes an error row; every input row has
//! exactly one output row.

mod columnar;
pub mod csv;
pub mod encoding;
mod fast;
pub mod linked;
pub mod xlsx;

pub(crate) use fast::{Evaluated, Fast};

use crate::check::Checked;
use crate::check::ir::{InputId, Member, Program};
use crate::eval::output::to_json;
use crate::eval::{Case, EvalError, Outcome, Plan, Value, case as case_reader};
use crate::i18n::tr;
use crate::lang::scalar::Date;
use crate::lang::types::Type;
use crate::source::{SourceMap, Span};
use crate::syntax::ast::{DefKind, FactPath, Ident, Step};
use std::io::{BufRead, Write};
use std::ops::Range;
use std::path::Path;

/// The formats of a batch, from the file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Csv,
    Jsonl,
}

impl Format {
    /// The file extension of the format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
        }
    }

    pub fn of(path: &Path) -> Option<Format> {
        match path.extension()?.to_str()? {
            "csv" => Some(Format::Csv),
            "jsonl" | "ndjson" => Some(Format::Jsonl),
            _ => None,
        }
    }
}

/// A CSV column: the fact it sets.
#[derive(Debug, Clone)]
pub struct Column {
    pub input: InputId,
    pub fields: Vec<usize>,
    pub ty: Type,
    pub path: String,
    /// For a field of a list's item (`employer.hires[2].hired_on`): the
    /// place in `fields` of the item's index.
    pub item: Option<usize>,
}

impl Column {
    /// The column `today`: each row's own evaluation date.
    fn today() -> Column {
        Column {
            input: InputId(u32::MAX),
            fields: Vec::new(),
            ty: Type::Date,
            path: "today".into(),
            item: None,
        }
    }

    /// Whether this is the column `today` (no fact, the row's date).
    pub fn is_today(&self) -> bool {
        self.input.0 == u32::MAX
    }

    /// The column `--key` names: no fact, the key of the row's lists.
    fn key(name: &str) -> Column {
        Column {
            input: InputId(u32::MAX - 1),
            fields: Vec::new(),
            ty: Type::Text,
            path: name.to_string(),
            item: None,
        }
    }

    /// Whether this is the column of the key that joins `--list` files.
    pub fn is_key(&self) -> bool {
        self.input.0 == u32::MAX - 1
    }
}

/// Why a batch cannot start (exit code 1 for a header that names no fact,
/// 2 for I/O).
#[derive(Debug)]
pub enum BatchError {
    Io(String),
    Header(Vec<String>),
    /// Stopped by Ctrl-C after this many rows.
    Interrupted(u64),
}

impl std::fmt::Display for BatchError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            BatchError::Header(e) => f.write_str(&e.join("\n")),
            BatchError::Io(e) => f.write_str(e),
            BatchError::Interrupted(n) => write!(f, "{}", tr!("batch-text-1", n = n.to_string())),
        }
    }
}

/// Resolves a CSV header: every column must be a fact (an input, or a
/// field of one) that a cell can hold.
pub fn columns(checked: &Checked, header: &[String]) -> Result<Vec<Column>, Vec<String>> {
    let mut sources = SourceMap::new();
    let file = sources.add("<header>", None, String::new());
    let mut out = Vec::new();
    let mut errors = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (i, name) in header.iter().enumerate() {
        let n = i + 1;
        // Names are compared as the facts they name: ` months` is `months`.
        let trimmed = name.trim();
        if let Some(first) = seen.iter().position(|s| *s == trimmed) {
            errors.push(tr!(
                "batch-text-2",
                n = n.to_string(),
                name = name.to_string(),
                first = (first + 1).to_string()
            ));
            continue;
        }
        seen.push(trimmed);
        if trimmed == "today" {
            out.push(Column::today());
            continue;
        }
        let path = match header_path(trimmed, file) {
            Ok(p) => p,
            Err(written) => {
                errors.push(tr!(
                    "batch-column-index",
                    n = n,
                    name = name.as_str(),
                    written = written
                ));
                continue;
            }
        };
        let program = checked.program();
        if let Some((list, rest)) = list_without_item(program, &path) {
            errors.push(tr!(
                "batch-column-list-field",
                n = n,
                name = name.as_str(),
                list = list.as_str(),
                first = format!("{list}[0].{rest}"),
                second = format!("{list}[1].{rest}")
            ));
            continue;
        }
        match checked.fact_path(&sources, &path) {
            Ok((input, fields, ty)) => {
                let items = item_steps(program, &program.inputs[input.index()].ty, &fields);
                if let Type::List(item) = &ty {
                    errors.push(tr!(
                        "batch-column-list",
                        n = n,
                        name = name.as_str(),
                        ty = program.show(&ty).to_string(),
                        example = item_columns(program, trimmed, item)
                    ));
                } else if let Type::Record(r) = &ty {
                    errors.push(tr!(
                        "batch-column-record",
                        n = n,
                        name = name.as_str(),
                        ty = program.show(&ty).to_string(),
                        example = field_columns(program, trimmed, *r)
                    ));
                } else if items.len() > 1 {
                    errors.push(tr!("batch-column-nested-list", n = n, name = name.as_str()));
                } else {
                    out.push(Column {
                        input,
                        fields,
                        ty,
                        path: name.clone(),
                        item: items.first().copied(),
                    });
                }
            }
            Err(diags) => {
                let detail = first_problem(&diags);
                errors.push(tr!(
                    "batch-text-4",
                    n = n.to_string(),
                    name = name.to_string(),
                    detail = detail.to_string()
                ));
            }
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// The first of a check's diagnostics on one line: its message and help.
pub(crate) fn first_problem(diags: &[crate::diagnostic::Diagnostic]) -> String {
    diags
        .first()
        .map(|d| match &d.help {
            Some(h) => format!("{} — {h}", d.message),
            None => d.message.clone(),
        })
        .unwrap_or_default()
}

/// A header's name as a fact path: `employer.hires[0].contract_term`; the
/// text of a bad `[…]` when an item's place is not a whole number.
fn header_path(name: &str, file: crate::source::FileId) -> Result<FactPath, String> {
    let ident = |s: &str| Ident {
        name: s.trim().to_string(),
        span: Span::new(file, 0, 0),
    };
    let mut input = None;
    let mut steps = Vec::new();
    for segment in name.split('.') {
        let (field, mut rest) = match segment.find('[') {
            Some(at) => (&segment[..at], &segment[at..]),
            None => (segment, ""),
        };
        match input {
            None => input = Some(ident(field)),
            Some(_) => steps.push(Step::Field(ident(field))),
        }
        while let Some(open) = rest.strip_prefix('[') {
            let close = open.find(']').ok_or_else(|| rest.to_string())?;
            let index = open[..close].trim();
            let n: usize = index
                .parse()
                .ok()
                .filter(|_| index.bytes().all(|b| b.is_ascii_digit()))
                .ok_or_else(|| format!("[{index}]"))?;
            steps.push(Step::Index(n, Span::new(file, 0, 0)));
            rest = open[close + 1..].trim_start();
        }
        if !rest.is_empty() {
            return Err(rest.to_string());
        }
    }
    Ok(FactPath {
        input: input.unwrap_or_else(|| ident("")),
        steps,
    })
}

/// Where a path names a field of a list itself (`employer.hires.contract_term`):
/// the list's path and the rest, for a header that names an item instead.
fn list_without_item(program: &Program, path: &FactPath) -> Option<(String, String)> {
    let input = program.inputs.iter().find(|i| i.name == path.input.name)?;
    let mut ty = &input.ty;
    let mut written = input.name.clone();
    for (k, step) in path.steps.iter().enumerate() {
        match (ty, step) {
            (Type::Record(r), Step::Field(f)) => {
                let field = program.records[r.index()]
                    .fields
                    .iter()
                    .find(|x| x.name == f.name)?;
                written.push('.');
                written.push_str(&field.name);
                ty = &field.ty;
            }
            (Type::List(item), Step::Index(n, _)) => {
                written.push_str(&format!("[{n}]"));
                ty = item;
            }
            (Type::List(_), Step::Field(_)) => {
                let rest: Vec<String> = path.steps[k..]
                    .iter()
                    .map(|s| match s {
                        Step::Field(f) => f.name.clone(),
                        Step::Index(n, _) => format!("[{n}]"),
                    })
                    .collect();
                return Some((written, rest.join(".").replace(".[", "[")));
            }
            _ => return None,
        }
    }
    None
}

/// The places in `steps` (of a path from an input of type `ty`) that pick
/// an item of a list.
fn item_steps(program: &Program, ty: &Type, steps: &[usize]) -> Vec<usize> {
    let mut out = Vec::new();
    let mut ty = ty;
    for (k, &step) in steps.iter().enumerate() {
        match ty {
            Type::Record(r) => ty = &program.records[r.index()].fields[step].ty,
            Type::List(item) => {
                out.push(k);
                ty = item;
            }
            _ => break,
        }
    }
    out
}

/// Headers that would give the fields of a record: `employer.size`, ….
fn field_columns(program: &Program, path: &str, r: crate::lang::types::RecordId) -> String {
    let fields = &program.records[r.index()].fields;
    let first_field = |ty: &Type| match ty {
        Type::Record(r) => program.records[r.index()]
            .fields
            .first()
            .map(|f| format!(".{}", f.name)),
        _ => None,
    };
    let mut shown: Vec<String> = fields
        .iter()
        .take(3)
        .map(|f| match &f.ty {
            Type::List(item) => format!(
                "`{path}.{}[0]{}`",
                f.name,
                first_field(item).unwrap_or_default()
            ),
            t => format!("`{path}.{}{}`", f.name, first_field(t).unwrap_or_default()),
        })
        .collect();
    if fields.len() > 3 {
        shown.push("…".into());
    }
    shown.join(", ")
}

/// Headers that would give the items of a list: `employer.hires[0].hired_on`, ….
fn item_columns(program: &Program, path: &str, item: &Type) -> String {
    match item {
        Type::Record(r) => {
            let fields = &program.records[r.index()].fields;
            let mut shown: Vec<String> = fields
                .iter()
                .take(2)
                .map(|f| format!("`{path}[0].{}`", f.name))
                .collect();
            if let Some(f) = fields.first() {
                shown.push("…".into());
                shown.push(format!("`{path}[1].{}`", f.name));
            }
            shown.push("…".into());
            shown.join(", ")
        }
        _ => format!("`{path}[0]`, `{path}[1]`, …"),
    }
}

/// A value of type `ty` at `path` whose every part is unknown: a record
/// of unknown fields, or an unknown value.
fn unknown_parts(program: &Program, ty: &Type, path: &str) -> Value {
    match ty {
        Type::Record(r) => Value::Record(
            *r,
            program.records[r.index()]
                .fields
                .iter()
                .map(|f| Value::missing(format!("{path}.{}", f.name)))
                .collect(),
        ),
        _ => Value::missing(path),
    }
}

/// Why a row has no results: a stable code and a message on one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub code: &'static str,
    pub message: String,
}

impl RowError {
    pub(crate) fn new(code: &'static str, message: impl Into<String>) -> RowError {
        RowError {
            code,
            message: one_line(&message.into()),
        }
    }
}

/// One row evaluated: the date it was evaluated on, and what each result
/// came to (a value, or the evaluation error of a value it needs).
#[derive(Debug, Clone)]
pub struct Row {
    pub today: Option<Date>,
    pub outcomes: Vec<Outcome>,
}

/// The result of one row: its outcomes, or why the row cannot be read.
pub type RowResult = Result<Row, RowError>;

/// What the batch computes once: the plan, the empty case, the columns.
pub struct Batch<'c> {
    pub plan: Plan<'c>,
    empty: Case,
    on: Option<Date>,
    /// Which results are benefits, for the totals.
    benefits: Vec<bool>,
    /// The names of the results as JSON strings, for JSONL output.
    json_keys: Vec<String>,
    /// Whether CSV rows may be evaluated by columns.
    columns_allowed: bool,
    /// Lists given in files of their own (`--list`), and their key.
    link: Option<linked::Link>,
}

impl<'c> Batch<'c> {
    pub fn new(checked: &'c Checked, on: Option<Date>) -> Batch<'c> {
        Batch::of_plan(Plan::new(checked), on)
    }

    /// A batch of some results only (see [`Plan::select`]).
    pub fn of_plan(plan: Plan<'c>, on: Option<Date>) -> Batch<'c> {
        let checked = plan.checked();
        let program = checked.program();
        let benefits = plan
            .results
            .iter()
            .map(|s| matches!(s.member, Member::Def(d) if program.defs[d.index()].kind == DefKind::Benefit))
            .collect();
        let json_keys = plan
            .results
            .iter()
            .map(|r| serde_json::Value::from(r.key.as_str()).to_string())
            .collect();
        Batch {
            empty: Case::empty(program),
            json_keys,
            plan,
            on,
            benefits,
            columns_allowed: true,
            link: None,
        }
    }

    /// Gives the lists of `link` to every case, by the key column.
    pub fn with_link(mut self, link: linked::Link) -> Batch<'c> {
        self.link = Some(link);
        self
    }

    /// The columns of a CSV header: the facts, and the key of `--list`.
    pub fn columns_of(&self, names: &[String]) -> Result<Vec<Column>, Vec<String>> {
        let Some(link) = &self.link else {
            return columns(self.plan.checked(), names);
        };
        let Some(at) = names.iter().position(|n| n.trim() == link.key) else {
            return Err(vec![tr!("linked-cases-no-key", key = link.key.as_str())]);
        };
        let mut rest = names.to_vec();
        rest.remove(at);
        let mut out = columns(self.plan.checked(), &rest)?;
        out.insert(at, Column::key(&link.key));
        Ok(out)
    }

    /// Evaluates every row with the row evaluator (to compare the paths).
    pub fn row_by_row(mut self) -> Batch<'c> {
        self.columns_allowed = false;
        self
    }

    pub fn program(&self) -> &'c Program {
        self.plan.program()
    }

    /// The date every row is evaluated on (`--on`), if one is set.
    pub fn on(&self) -> Option<Date> {
        self.on
    }

    /// The case of a CSV row.
    pub fn csv_case(
        &self,
        columns: &[Column],
        cells: &[impl AsRef<str>],
    ) -> Result<Case, RowError> {
        let mut case = self.empty.clone();
        self.fill(&mut case, columns, cells)?;
        Ok(case)
    }

    /// Sets the facts of a CSV row on `case`, whose inputs are those of the
    /// empty case wherever a column has not set them: an empty cell leaves
    /// its fact unknown.
    fn fill(
        &self,
        case: &mut Case,
        columns: &[Column],
        cells: &[impl AsRef<str>],
    ) -> Result<(), RowError> {
        if cells.len() != columns.len() {
            return Err(RowError::new(
                "pol::batch::cells",
                tr!(
                    "batch-text-5",
                    cells = (cells.len()).to_string(),
                    columns = (columns.len()).to_string()
                ),
            ));
        }
        let program = self.program();
        case.today = self.on;
        if let Some(link) = &self.link {
            let key = columns
                .iter()
                .zip(cells)
                .find(|(c, _)| c.is_key())
                .map_or("", |(_, cell)| cell.as_ref());
            link.fill(program, case, key)?;
        }
        if columns.iter().any(|c| c.item.is_some()) {
            self.make_items(case, columns, cells)?;
        }
        for (col, cell) in columns.iter().zip(cells) {
            let cell = cell.as_ref();
            if cell.is_empty() || col.is_key() {
                continue;
            }
            let v = case_reader::text_cell(program, &col.ty, cell, &col.path)
                .map_err(|e| RowError::new(e.code, e.to_string()))?;
            if col.is_today() {
                // `--on` is the date of every row; else the row's own.
                if self.on.is_none()
                    && let Value::Date(d) = v
                {
                    case.today = Some(d);
                }
                continue;
            }
            if col.fields.is_empty() {
                case.inputs[col.input.index()] = v;
            } else {
                // Columns name fields only, so every record on the way is
                // made; a list item never has to exist.
                case_reader::set_at(program, case, col.input, &col.fields, v)
                    .map_err(|e| RowError::new(case_reader::NoItem::CODE, e.message))?;
            }
        }
        case_reader::check_ranges(program, case).map_err(|e| RowError::new(e.code, e.to_string()))
    }

    /// Makes the items of the lists whose items' fields have columns
    /// (`employer.hires[0].hired_on`, `employer.hires[1].hired_on`, …): an
    /// item is there when one of its cells is given, and a row gives its
    /// items from `[0]` on, without gaps. A row that gives no item of a list
    /// leaves the list unknown, as an empty cell leaves its fact unknown.
    fn make_items(
        &self,
        case: &mut Case,
        columns: &[Column],
        cells: &[impl AsRef<str>],
    ) -> Result<(), RowError> {
        let program = self.program();
        type ListKey<'a> = (InputId, &'a [usize]);
        let mut lists: Vec<(ListKey, std::collections::BTreeSet<usize>, &str)> = Vec::new();
        for (col, cell) in columns.iter().zip(cells) {
            let Some(k) = col.item else { continue };
            if cell.as_ref().is_empty() {
                continue;
            }
            let key = (col.input, &col.fields[..k]);
            let index = col.fields[k];
            match lists.iter_mut().find(|l| l.0 == key) {
                Some(l) => {
                    l.1.insert(index);
                }
                None => lists.push((key, std::collections::BTreeSet::from([index]), &col.path)),
            }
        }
        for ((input, steps), given, path) in lists {
            let list = path.split('[').next().unwrap_or(path).trim();
            if let Some(missing) = (0..given.len()).find(|i| !given.contains(i)) {
                let last = given.iter().next_back().copied().unwrap_or(0);
                return Err(RowError::new(
                    "pol::batch::items",
                    tr!(
                        "batch-items-gap",
                        list = list,
                        given = last,
                        missing = missing
                    ),
                ));
            }
            let mut ty = &program.inputs[input.index()].ty;
            for &step in steps {
                if let Type::Record(r) = ty {
                    ty = &program.records[r.index()].fields[step].ty;
                }
            }
            let Type::List(item) = ty else { continue };
            let items: Vec<Value> = (0..given.len())
                .map(|i| unknown_parts(program, item, &format!("{list}[{i}]")))
                .collect();
            case_reader::set_at(program, case, input, steps, Value::List(items.into()))
                .map_err(|e| RowError::new(case_reader::NoItem::CODE, e.message))?;
        }
        Ok(())
    }

    /// The case of one record of the batch's input (a CSV row under
    /// `columns`, or a JSONL line), its lists joined from `--list` files.
    pub fn case_of(
        &self,
        columns: &[Column],
        format: Format,
        line: &str,
    ) -> Result<Case, RowError> {
        match format {
            Format::Csv => {
                let cells = csv::split(line).map_err(|e| RowError::new("pol::batch::csv", e))?;
                self.csv_case(columns, &cells)
            }
            Format::Jsonl if line.trim().is_empty() => Err(RowError::new(
                "pol::batch::empty_line",
                tr!("batch-text-11"),
            )),
            Format::Jsonl => self.json_case(line),
        }
    }

    /// Whether result `i` of the plan is a benefit (counted in the totals).
    pub fn is_benefit(&self, i: usize) -> bool {
        self.benefits[i]
    }

    /// The case of a JSONL line (a case object, as `--case` reads).
    pub fn json_case(&self, line: &str) -> Result<Case, RowError> {
        let mut case = case_reader::from_json_text(self.program(), line)
            .map_err(|e| RowError::new(e.code, e.to_string()))?;
        if self.on.is_some() {
            case.today = self.on;
        }
        Ok(case)
    }

    /// Every result for one case, each on its own (an error blanks only
    /// the results that need the failing value).
    pub fn evaluate(&self, case: &Case) -> Row {
        Row {
            today: case.today,
            outcomes: self.plan.outcomes(case),
        }
    }

    /// An evaluation error on one line, with its place.
    pub(crate) fn eval_error(&self, e: &EvalError) -> String {
        one_line(&format!(
            "error[{}]: {} (at {})",
            e.code,
            e.message,
            self.plan.checked().sources().place(e.span)
        ))
    }

    /// Reads and evaluates one row on the worker's `case`, which is given
    /// back equal to its `blank` (the worker's copy of the empty case).
    fn row(
        &self,
        columns: &[Column],
        format: Format,
        line: &str,
        (case, blank): (&mut Case, &Case),
    ) -> RowResult {
        match format {
            Format::Csv => {
                let cells = csv::split(line).map_err(|e| RowError::new("pol::batch::csv", e))?;
                let filled = self.fill(case, columns, &cells);
                let row = filled.map(|()| self.evaluate(case));
                // Only what the columns set differs from the empty case.
                for col in columns.iter().filter(|c| !c.is_today() && !c.is_key()) {
                    let i = col.input.index();
                    case.inputs[i].clone_from(&blank.inputs[i]);
                }
                for l in self.link.iter().flat_map(|l| &l.lists) {
                    let i = l.input.index();
                    case.inputs[i].clone_from(&blank.inputs[i]);
                }
                row
            }
            Format::Jsonl => Ok(self.evaluate(&self.json_case(line)?)),
        }
    }
}

/// Counts and totals, for the summary.
#[derive(Debug, Default, Clone)]
pub struct Summary {
    pub cases: u64,
    pub errors: u64,
    /// Per result: the total of a benefit over the rows where it is
    /// determined, and how many rows left it undetermined.
    /// Per result: the total of a benefit in fen, over the rows where it
    /// is determined.
    pub totals: Vec<i128>,
    pub undetermined: Vec<u64>,
    /// Per result: how many rows failed to evaluate it.
    pub failed: Vec<u64>,
}

impl Summary {
    pub(crate) fn new(batch: &Batch) -> Summary {
        Summary {
            totals: vec![0; batch.plan.results.len()],
            undetermined: vec![0; batch.plan.results.len()],
            failed: vec![0; batch.plan.results.len()],
            ..Summary::default()
        }
    }

    pub(crate) fn merge(&mut self, other: &Summary) {
        self.cases += other.cases;
        self.errors += other.errors;
        for (t, o) in self.totals.iter_mut().zip(&other.totals) {
            *t += *o;
        }
        for (u, o) in self.undetermined.iter_mut().zip(&other.undetermined) {
            *u += *o;
        }
        for (f, o) in self.failed.iter_mut().zip(&other.failed) {
            *f += *o;
        }
    }

    fn add_fast(&mut self, batch: &Batch, cols: &fast::Evaluated, row: usize) {
        self.cases += 1;
        for (i, total) in self.totals.iter_mut().enumerate() {
            if batch.benefits[i]
                && let Some(f) = cols.money(i, row)
            {
                *total += f;
            }
        }
    }

    pub(crate) fn add(&mut self, batch: &Batch, row: &RowResult) {
        self.cases += 1;
        match row {
            Err(_) => self.errors += 1,
            Ok(row) => {
                if row.outcomes.iter().any(Result::is_err) {
                    self.errors += 1;
                }
                for (i, outcome) in row.outcomes.iter().enumerate() {
                    if !batch.benefits[i] {
                        continue;
                    }
                    match outcome {
                        Ok(Value::Money(m)) => self.totals[i] += crate::lang::scalar::fen_of(*m),
                        Ok(_) => self.undetermined[i] += 1,
                        Err(_) => self.failed[i] += 1,
                    }
                }
            }
        }
    }

    /// The summary as people read it.
    pub fn text(&self, batch: &Batch) -> String {
        let mut out = tr!("batch-summary", cases = self.cases, errors = self.errors);
        out.push('\n');
        for (i, slot) in batch.plan.results.iter().enumerate() {
            if batch.benefits[i] {
                let mut notes = Vec::new();
                match self.undetermined[i] {
                    0 => {}
                    n => notes.push(tr!("batch-rows-undetermined", count = n)),
                }
                match self.failed[i] {
                    0 => {}
                    n => notes.push(tr!("batch-rows-failed", count = n)),
                }
                let und = if notes.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", notes.join(", "))
                };
                out.push_str("  ");
                out.push_str(&tr!(
                    "batch-total",
                    result = &slot.key,
                    amount = fen_text(self.totals[i])
                ));
                out.push_str(&und);
                out.push('\n');
            }
        }
        out
    }
}

/// An error message on one line (a cell of the output).
pub(crate) fn one_line(message: &str) -> String {
    // An indented line goes on after a dash: `… — help: …`, `… — 提示：…`.
    message.replace("\n  ", " — ").replace('\n', " ")
}

/// A total in fen as money (`1234.50`).
pub fn fen_text(fen: i128) -> String {
    let mut out = String::new();
    crate::lang::scalar::push_fen(&mut out, fen);
    out
}

/// Writes the header of the output.
fn write_header(batch: &Batch, format: Format, out: &mut impl Write) -> std::io::Result<()> {
    if format == Format::Csv {
        let keys: Vec<String> = batch
            .plan
            .results
            .iter()
            .map(|s| csv::quote(&s.key))
            .collect();
        writeln!(out, "row,{},needs,error", keys.join(","))?;
    }
    Ok(())
}

/// Appends a value as a CSV cell (nothing for an unknown one).
pub(crate) fn push_cell(out: &mut String, program: &Program, v: &Value) {
    match v {
        Value::Unknown(_) => {}
        Value::Money(m) => crate::lang::scalar::push_fen(out, crate::lang::scalar::fen_of(*m)),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Int(n) => crate::lang::scalar::push_int(out, *n),
        Value::Decimal(d) => out.push_str(&crate::lang::scalar::format_decimal(*d)),
        v => match to_json(program, v) {
            serde_json::Value::String(s) => out.push_str(&csv::quote(&s)),
            other => out.push_str(&csv::quote(&other.to_string())),
        },
    }
}

/// Appends one CSV output row of evaluated results: the row's number, a
/// cell per result, the facts the undetermined ones need, the errors of
/// the failed ones. Both paths of a batch write their rows with it.
fn push_csv_row<'v>(
    out: &mut String,
    batch: &Batch,
    number: u64,
    outcomes: impl Iterator<Item = std::borrow::Cow<'v, Outcome>>,
) {
    let program = batch.program();
    let mut needs: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    let mut errors = Vec::new();
    crate::lang::scalar::push_int(out, number as i64);
    for (slot, outcome) in batch.plan.results.iter().zip(outcomes) {
        out.push(',');
        match &*outcome {
            Ok(v) => {
                push_cell(out, program, v);
                if let Value::Unknown(m) = v {
                    needs.extend(m.paths.iter().cloned());
                }
            }
            Err(e) => errors.push(format!("{}: {}", slot.key, batch.eval_error(e))),
        }
    }
    out.push(',');
    if !needs.is_empty() {
        out.push_str(&csv::quote(
            &needs.into_iter().collect::<Vec<_>>().join(" "),
        ));
    }
    out.push(',');
    if !errors.is_empty() {
        out.push_str(&csv::quote(&errors.join("; ")));
    }
    out.push('\n');
}

/// Appends one output row.
fn write_row(batch: &Batch, format: Format, number: u64, row: &RowResult, out: &mut String) {
    match (format, row) {
        (Format::Csv, Ok(row)) => push_csv_row(
            out,
            batch,
            number,
            row.outcomes.iter().map(std::borrow::Cow::Borrowed),
        ),
        (Format::Csv, Err(e)) => {
            out.push_str(&number.to_string());
            for _ in &batch.plan.results {
                out.push(',');
            }
            out.push(',');
            out.push(',');
            out.push_str(&csv::quote(&format!("error[{}]: {}", e.code, e.message)));
            out.push('\n');
        }
        (Format::Jsonl, Ok(row)) => crate::eval::output::push_json_row(
            out,
            &batch.plan,
            number,
            // The date the row was evaluated on: --on, or the row's own.
            row.today,
            &batch.json_keys,
            row.outcomes.iter().map(std::borrow::Cow::Borrowed),
        ),
        (Format::Jsonl, Err(e)) => {
            let json =
                serde_json::json!({"row": number, "error": {"code": e.code, "message": e.message}});
            out.push_str(&json.to_string());
            out.push('\n');
        }
    }
}

/// How many bytes of input are read, evaluated and written at a time.
const BLOCK_BYTES: usize = 4 << 20;

/// How many rows the fast path evaluates together.
pub(crate) const COLUMN_ROWS: usize = 2048;

/// Runs a batch from `input` to `output`. `progress` is told the bytes read
/// so far. Rows are numbered from 1 (the first row after a CSV header).
pub fn run(
    batch: &Batch,
    format: Format,
    mut input: impl BufRead,
    mut output: impl Write,
    progress: &dyn Fn(u64),
) -> Result<Summary, BatchError> {
    let io = |e: std::io::Error| BatchError::Io(e.to_string());
    let mut bytes_read: u64 = 0;
    let columns = if format == Format::Csv {
        let (names, n) = header_names(&mut input)?;
        bytes_read = n;
        batch.columns_of(&names).map_err(BatchError::Header)?
    } else {
        Vec::new()
    };
    let fast = match format {
        _ if !batch.columns_allowed => None,
        Format::Csv => fast::Fast::new(batch, &columns),
        Format::Jsonl => fast::Fast::for_jsonl(batch),
    };
    write_header(batch, format, &mut output).map_err(io)?;
    let mut summary = Summary::new(batch);
    let work = |block: &[u8], part: &[Range<usize>], first: u64| {
        process(batch, format, &columns, fast.as_ref(), block, part, first)
    };
    each_block(
        format,
        input,
        bytes_read,
        &mut output,
        progress,
        &work,
        |part: Summary| summary.merge(&part),
    )?;
    Ok(summary)
}

/// What a worker does with a part of a block (see [`each_block`]).
pub(crate) type BlockWork<'w, S> = dyn Fn(&[u8], &[Range<usize>], u64) -> (String, S) + Sync + 'w;

/// Reads the records of `input` (after any header, `bytes_read` bytes of
/// it) a block at a time and shares each block's records out among the
/// cores: `work` gets a part of a block, the ranges of its records and the
/// number of the record before its first, and gives the text to write and
/// a summary of its own, which `merge` takes. The texts are written in the
/// order of the input; the next block is read while the workers evaluate
/// this one. Gives the number of records.
pub(crate) fn each_block<S: Send>(
    format: Format,
    input: impl BufRead,
    bytes_read: u64,
    output: &mut impl Write,
    progress: &dyn Fn(u64),
    work: &BlockWork<S>,
    mut merge: impl FnMut(S),
) -> Result<u64, BatchError> {
    let io = |e: std::io::Error| BatchError::Io(e.to_string());
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut number: u64 = 0;
    let mut blocks = Blocks::new(input, format, bytes_read);
    let mut next = blocks.next_block(number);
    while let Some((block, records)) = next? {
        // One part of the block's records per worker.
        let per = records.len().div_ceil(workers).max(1);
        let parts: Vec<&[Range<usize>]> = records.chunks(per).collect();
        let mut firsts = Vec::with_capacity(parts.len());
        for p in &parts {
            firsts.push(number);
            number += p.len() as u64;
        }
        let block = &block;
        let blocks = &mut blocks;
        let (results, read): (Vec<(String, S)>, _) = std::thread::scope(|s| {
            // A part whose thread cannot start is done here instead.
            let jobs: Vec<Result<_, (String, S)>> = parts
                .iter()
                .zip(&firsts)
                .map(|(part, first)| {
                    let job = move || work(block, part, *first);
                    std::thread::Builder::new()
                        .stack_size(crate::eval::STACK_BYTES / 4)
                        .spawn_scoped(s, job)
                        .map_err(|_| job())
                })
                .collect();
            let read = blocks.next_block(number);
            let results = jobs
                .into_iter()
                .map(|job| match job {
                    Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                    Err(done) => done,
                })
                .collect();
            (results, read)
        });
        for (text, part) in results {
            output.write_all(text.as_bytes()).map_err(io)?;
            merge(part);
        }
        progress(blocks.bytes_read);
        if crate::files::interrupted() {
            output.flush().map_err(io)?;
            return Err(BatchError::Interrupted(number));
        }
        next = read;
    }
    output.flush().map_err(io)?;
    if crate::files::interrupted() {
        return Err(BatchError::Interrupted(number));
    }
    Ok(number)
}

/// The names of a CSV header (a leading BOM and the line end removed),
/// and how many bytes the header took.
pub(crate) fn header_names(input: &mut impl BufRead) -> Result<(Vec<String>, u64), BatchError> {
    let header = read_header(input)?;
    if header.is_empty() {
        return Err(BatchError::Header(vec![tr!("batch-text-6")]));
    }
    let bytes = header.len() as u64;
    let header = header.strip_prefix('\u{feff}').unwrap_or(&header);
    let names = csv::split(header.trim_end_matches(['\n', '\r']))
        .map_err(|e| BatchError::Header(vec![e]))?
        .iter()
        .map(|s| s.to_string())
        .collect();
    Ok((names, bytes))
}

/// The longest row a batch reads; a longer one stops the batch with an
/// error rather than filling memory (a file of zeros has no line end).
const MAX_ROW_BYTES: usize = 256 << 20;

/// The header line of a CSV file, line end included (empty for an empty
/// file), read no further than [`MAX_ROW_BYTES`].
fn read_header(input: &mut impl BufRead) -> Result<String, BatchError> {
    let mut bytes = Vec::new();
    std::io::Read::take(input, MAX_ROW_BYTES as u64)
        .read_until(b'\n', &mut bytes)
        .map_err(|e| BatchError::Io(e.to_string()))?;
    if bytes.len() >= MAX_ROW_BYTES && bytes.last() != Some(&b'\n') {
        return Err(BatchError::Header(vec![tr!(
            "batch-text-7",
            arg = (MAX_ROW_BYTES >> 20).to_string()
        )]));
    }
    String::from_utf8(bytes).map_err(|_| BatchError::Header(vec![tr!("batch-text-8")]))
}

/// Reads until `buf` is full or the input ends.
fn read_full(input: &mut impl std::io::Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut filled = 0;
    while filled < buf.len() {
        match input.read(&mut buf[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// The input of a batch, read a block at a time: each block holds whole
/// records (CSV records may span lines inside quotes; JSONL records are
/// lines), so that a record is never cut, whatever its length, and every
/// record of the input is in exactly one block.
struct Blocks<R> {
    input: R,
    format: Format,
    /// The start of a record that the last block did not end.
    carry: Vec<u8>,
    /// How much to read next: a block, or more while one record is longer.
    want: usize,
    done: bool,
    bytes_read: u64,
}

impl<R: std::io::Read> Blocks<R> {
    fn new(input: R, format: Format, bytes_read: u64) -> Blocks<R> {
        Blocks {
            input,
            format,
            carry: Vec::new(),
            want: BLOCK_BYTES,
            done: false,
            bytes_read,
        }
    }

    /// The next block and the byte ranges of its records (line ends
    /// removed); `None` at the end. `rows` is how many records came before,
    /// for the message about a record too long to read.
    #[allow(clippy::type_complexity)]
    fn next_block(
        &mut self,
        rows: u64,
    ) -> Result<Option<(Vec<u8>, Vec<Range<usize>>)>, BatchError> {
        loop {
            if self.done {
                return Ok(None);
            }
            let mut block = std::mem::take(&mut self.carry);
            let start = block.len();
            block.resize(start + self.want, 0);
            let n = read_full(&mut self.input, &mut block[start..])
                .map_err(|e| BatchError::Io(e.to_string()))?;
            block.truncate(start + n);
            self.bytes_read += n as u64;
            let at_end = n < self.want;
            self.done = at_end;
            let (records, used) = match self.format {
                Format::Csv => csv::records(&block, at_end),
                Format::Jsonl => csv::lines(&block, at_end),
            };
            if records.is_empty() && !at_end {
                // One record longer than a block: read on, twice as much
                // each time, so that it is scanned a bounded number of times.
                if block.len() >= MAX_ROW_BYTES {
                    return Err(BatchError::Io(tr!(
                        "batch-text-9",
                        rows = (rows + 1).to_string(),
                        arg = (MAX_ROW_BYTES >> 20).to_string()
                    )));
                }
                self.want = block.len().max(BLOCK_BYTES);
                self.carry = block;
                continue;
            }
            self.want = BLOCK_BYTES;
            self.carry = block[used..].to_vec();
            block.truncate(used);
            if records.is_empty() {
                return Ok(None);
            }
            return Ok(Some((block, records)));
        }
    }
}

/// Reads, evaluates and writes one part of a block: by columns where it
/// can, row by row where it must.
fn process(
    batch: &Batch,
    format: Format,
    columns: &[Column],
    fast: Option<&fast::Fast>,
    block: &[u8],
    records: &[Range<usize>],
    first: u64,
) -> (String, Summary) {
    let lines: Vec<&[u8]> = records.iter().map(|r| &block[r.clone()]).collect();
    let mut out = String::with_capacity(lines.iter().map(|l| l.len() + 1).sum());
    let mut summary = Summary::new(batch);
    // The worker's own case, not made anew for every row; its unknown facts
    // are the worker's own copies (counting references to values that other
    // threads count too would have the cores fight over them).
    let blank = deep_copy(&batch.empty);
    let mut case = deep_copy(&blank);
    // Columns of a few thousand rows stay in the cache and are cheap to
    // allocate.
    let mut by_columns = None;
    for (i, line) in lines.iter().enumerate() {
        let number = first + i as u64 + 1;
        let at = i % COLUMN_ROWS;
        if at == 0 {
            let part = &lines[i..(i + COLUMN_ROWS).min(lines.len())];
            by_columns = fast.and_then(|f| match format {
                Format::Csv => f.evaluate(batch, part),
                Format::Jsonl => f.evaluate_json(batch, part),
            });
        }
        if let Some(cols) = &by_columns
            && let Some(row) = cols.row(at)
        {
            summary.add_fast(batch, cols, row);
            match format {
                Format::Csv => cols.write(batch, row, number, &mut out),
                Format::Jsonl => cols.write_json(batch, row, number, &mut out),
            }
            continue;
        }
        let row: RowResult = match std::str::from_utf8(line) {
            Err(_) => Err(RowError::new("pol::batch::utf8", tr!("batch-text-10"))),
            Ok(l) if format == Format::Jsonl && l.trim().is_empty() => Err(RowError::new(
                "pol::batch::empty_line",
                tr!("batch-text-11"),
            )),
            Ok(l) => batch.row(columns, format, l, (&mut case, &blank)),
        };
        summary.add(batch, &row);
        write_row(batch, format, number, &row, &mut out);
    }
    (out, summary)
}

/// A case that shares no reference-counted value with `case`.
pub(crate) fn deep_copy(case: &Case) -> Case {
    Case {
        inputs: case.inputs.iter().map(Value::deep_copy).collect(),
        today: case.today,
    }
}

/// Why `--explain-row` has no case to explain.
#[derive(Debug)]
pub enum RowLookupError {
    /// The file has fewer rows (a usage error, as a result that does not exist).
    NoSuchRow(String),
    /// The header or the row cannot be read (an error in the data).
    Row(String),
}

impl From<String> for RowLookupError {
    fn from(e: String) -> RowLookupError {
        RowLookupError::Row(e)
    }
}

impl std::fmt::Display for RowLookupError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            RowLookupError::NoSuchRow(e) | RowLookupError::Row(e) => f.write_str(e),
        }
    }
}

/// The case of row `n` (from 1) of a batch file, for `--explain-row`.
pub fn case_of_row(
    batch: &Batch,
    format: Format,
    mut input: impl BufRead,
    n: u64,
) -> Result<Case, RowLookupError> {
    let columns = if format == Format::Csv {
        let (names, _) = header_names(&mut input).map_err(|e| e.to_string())?;
        batch.columns_of(&names).map_err(|e| e.join("\n"))?
    } else {
        Vec::new()
    };
    let record = record_of_row(format, input, n)?;
    let l = std::str::from_utf8(&record).map_err(|_| tr!("batch-text-12", n = n.to_string()))?;
    let case = match format {
        Format::Csv => batch.csv_case(&columns, &csv::split(l)?),
        Format::Jsonl => batch.json_case(l),
    };
    case.map_err(|e| RowLookupError::Row(format!("row {n}: error[{}]: {}", e.code, e.message)))
}

/// The bytes of record `n` (from 1) of a batch file whose header, if any,
/// has been read: the rows as a batch reads them, so that row N here is
/// row N there.
pub(crate) fn record_of_row(
    format: Format,
    input: impl BufRead,
    n: u64,
) -> Result<Vec<u8>, RowLookupError> {
    if n == 0 {
        return Err(RowLookupError::NoSuchRow(tr!("batch-text-13")));
    }
    let mut blocks = Blocks::new(input, format, 0);
    let mut number = 0u64;
    while let Some((block, records)) = blocks.next_block(number).map_err(|e| e.to_string())? {
        let count = records.len() as u64;
        if n > number && n <= number + count {
            return Ok(block[records[(n - number - 1) as usize].clone()].to_vec());
        }
        number += count;
    }
    Err(RowLookupError::NoSuchRow(tr!(
        "batch-text-14",
        n = n.to_string(),
        number = number.to_string()
    )))
}

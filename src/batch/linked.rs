//! Lists given in CSV files of their own, joined to the cases by a key
//! column: `pol eval … --cases enterprises.csv --list employer.hires=hires.csv
//! --key id`. Each row of `hires.csv` is one item of the list of the case
//! whose `id` it names, in the order of the file; a case that no row names
//! has an empty list.
//!
//! The child files are read whole before the batch starts (the cases still
//! stream), and every row of them must find its case: a hire whose
//! enterprise is not among the cases would otherwise be dropped unseen, so
//! the batch does not start. A key that names two cases is an error on both
//! rows: their hires would belong to either.

use super::{Blocks, Format, RowError, header_names, unknown_parts};
use crate::check::Checked;
use crate::check::ir::{InputId, Program};
use crate::eval::{Value, case as case_reader};
use crate::i18n::tr;
use crate::lang::types::Type;
use crate::source::SourceMap;
use std::collections::HashMap;
use std::io::BufRead;

/// One list read from its own file.
pub struct Linked {
    /// The list's path, as `--list` names it (`employer.hires`).
    pub list: String,
    /// The file, as messages name it.
    pub file: String,
    pub(crate) input: InputId,
    /// The fields from the input to the list.
    pub(crate) steps: Vec<usize>,
    /// The items of each key, or why that key's items cannot be read.
    pub(crate) items: HashMap<String, Result<Vec<Value>, RowError>>,
    /// The rows of the file that give each key's items.
    pub rows: HashMap<String, Vec<u64>>,
}

/// The lists of a batch and the column that joins them to the cases.
pub struct Link {
    pub key: String,
    pub lists: Vec<Linked>,
    /// The keys that more than one case gives, with those cases' rows.
    pub duplicates: HashMap<String, Vec<u64>>,
}

/// A column of a child file: the item's fields it sets, its type and name.
struct ChildColumn {
    fields: Vec<usize>,
    ty: Type,
    name: String,
}

/// Reads the file of `--list LIST=FILE`, whose column `key` names the case
/// of each row; the error says what is wrong with the request or the file.
pub fn read_list(
    checked: &Checked,
    list: &str,
    key: &str,
    file: &str,
    mut input: impl BufRead,
) -> Result<Linked, String> {
    let program = checked.program();
    let (input_id, steps, item) = resolve_list(checked, list)?;
    let Type::Record(record) = item.clone() else {
        return Err(tr!(
            "linked-not-records",
            list = list,
            ty = program.show(&item).to_string()
        ));
    };
    let (names, _) = header_names(&mut input).map_err(|e| format!("{file}: {e}"))?;
    let key_at = names
        .iter()
        .position(|n| n.trim() == key)
        .ok_or_else(|| tr!("linked-no-key-column", file = file, key = key))?;
    let mut columns: Vec<Option<ChildColumn>> = Vec::new();
    let mut errors = Vec::new();
    let mut seen: Vec<&str> = Vec::new();
    for (i, name) in names.iter().enumerate() {
        let trimmed = name.trim();
        if i == key_at {
            columns.push(None);
            continue;
        }
        if seen.contains(&trimmed) {
            errors.push(tr!(
                "linked-column-twice",
                file = file,
                n = i + 1,
                name = trimmed
            ));
            continue;
        }
        seen.push(trimmed);
        match child_column(program, record, trimmed) {
            Ok(c) => columns.push(Some(c)),
            Err(e) => errors.push(tr!(
                "linked-column",
                file = file,
                n = i + 1,
                name = trimmed,
                error = e
            )),
        }
    }
    if !errors.is_empty() {
        return Err(errors.join("\n"));
    }
    let mut items: HashMap<String, Result<Vec<Value>, RowError>> = HashMap::new();
    let mut rows: HashMap<String, Vec<u64>> = HashMap::new();
    each_record(input, 0, file, |number, text| {
        let text = text.ok_or_else(|| tr!("linked-not-utf8", file = file, row = number))?;
        let cells = super::csv::split(text)
            .map_err(|e| tr!("linked-row", file = file, row = number, error = e))?;
        if cells.len() != columns.len() {
            return Err(tr!(
                "linked-row",
                file = file,
                row = number,
                error = tr!(
                    "batch-text-5",
                    cells = cells.len().to_string(),
                    columns = columns.len().to_string()
                )
            ));
        }
        let key_cell = cells[key_at].trim().to_string();
        if key_cell.is_empty() {
            return Err(tr!(
                "linked-row-no-key",
                file = file,
                row = number,
                key = key
            ));
        }
        rows.entry(key_cell.clone()).or_default().push(number);
        let entry = items.entry(key_cell).or_insert_with(|| Ok(Vec::new()));
        let Ok(list_items) = entry else {
            return Ok(());
        };
        let at = format!("{list}[{}]", list_items.len());
        match child_item(program, &item, &at, &columns, &cells) {
            Ok(v) => list_items.push(v),
            Err(e) => {
                *entry = Err(RowError::new(
                    e.code,
                    tr!("linked-row", file = file, row = number, error = e.message),
                ));
            }
        }
        Ok(())
    })?;
    Ok(Linked {
        list: list.to_string(),
        file: file.to_string(),
        input: input_id,
        steps,
        items,
        rows,
    })
}

/// The input, the fields to the list and the type of its items; a list
/// inside a list's item is refused (a CSV gives one level).
fn resolve_list(checked: &Checked, list: &str) -> Result<(InputId, Vec<usize>, Type), String> {
    let program = checked.program();
    let mut sources = SourceMap::new();
    let file = sources.add("--list", None, String::new());
    let path =
        super::header_path(list, file).map_err(|_| tr!("linked-not-a-list-path", list = list))?;
    let (input, steps, ty) = checked.fact_path(&sources, &path).map_err(|diags| {
        tr!(
            "linked-unknown-list",
            list = list,
            detail = super::first_problem(&diags)
        )
    })?;
    let through = super::item_steps(program, &program.inputs[input.index()].ty, &steps);
    match ty {
        Type::List(item) if through.is_empty() => Ok((input, steps, *item)),
        Type::List(_) => Err(tr!("linked-nested", list = list)),
        other => Err(tr!(
            "linked-not-a-list",
            list = list,
            ty = program.show(&other).to_string()
        )),
    }
}

/// A column of a child file: a field of the item (`hired_on`), or of a
/// record within it (`address.city`).
fn child_column(
    program: &Program,
    record: crate::lang::types::RecordId,
    name: &str,
) -> Result<ChildColumn, String> {
    let mut ty = Type::Record(record);
    let mut fields = Vec::new();
    for part in name.split('.') {
        let part = part.trim();
        let Type::Record(r) = ty else {
            return Err(tr!("linked-not-a-record", part = part));
        };
        let info = &program.records[r.index()];
        let Some(i) = info.fields.iter().position(|f| f.name == part) else {
            let names = info.fields.iter().map(|f| f.name.as_str());
            let hint = match crate::check::suggest::did_you_mean(part, names) {
                Some(s) => tr!("did-you-mean", name = s),
                None => tr!(
                    "linked-fields-are",
                    fields = info
                        .fields
                        .iter()
                        .map(|f| f.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            };
            return Err(tr!(
                "linked-no-field",
                record = info.name.as_str(),
                field = part,
                hint = hint
            ));
        };
        fields.push(i);
        ty = info.fields[i].ty.clone();
    }
    match ty {
        Type::List(_) => Err(tr!("linked-list-in-item", name = name)),
        Type::Record(r) => Err(tr!(
            "linked-record-column",
            name = name,
            ty = program.records[r.index()].name.as_str()
        )),
        ty => Ok(ChildColumn {
            fields,
            ty,
            name: name.to_string(),
        }),
    }
}

/// One row of a child file as an item of its list.
fn child_item(
    program: &Program,
    item: &Type,
    at: &str,
    columns: &[Option<ChildColumn>],
    cells: &[std::borrow::Cow<str>],
) -> Result<Value, RowError> {
    let mut value = unknown_parts(program, item, at);
    for (col, cell) in columns.iter().zip(cells) {
        let Some(col) = col else { continue };
        if cell.is_empty() {
            continue;
        }
        let path = format!("{at}.{}", col.name);
        let v = case_reader::text_cell(program, &col.ty, cell, &path)
            .map_err(|e| RowError::new(e.code, e.to_string()))?;
        case_reader::set_in(program, &mut value, item, at, &col.fields, v)
            .map_err(|e| RowError::new(case_reader::NoItem::CODE, e.message))?;
    }
    Ok(value)
}

/// Calls `f` with the number (from 1) and the text of each record of a CSV
/// after its header (`None` for one that is not UTF-8), without its line end.
fn each_record(
    input: impl BufRead,
    bytes_read: u64,
    file: &str,
    mut f: impl FnMut(u64, Option<&str>) -> Result<(), String>,
) -> Result<(), String> {
    let mut blocks = Blocks::new(input, Format::Csv, bytes_read);
    let mut number = 0u64;
    while let Some((block, records)) = blocks
        .next_block(number)
        .map_err(|e| format!("{file}: {e}"))?
    {
        for range in records {
            number += 1;
            let text = std::str::from_utf8(&block[range]).ok().map(|t| {
                let t = t.strip_suffix('\n').unwrap_or(t);
                t.strip_suffix('\r').unwrap_or(t)
            });
            f(number, text)?;
        }
    }
    Ok(())
}

/// The keys of the cases (a CSV with the column `key`), each with the rows
/// that give it.
pub fn case_keys(
    key: &str,
    file: &str,
    mut input: impl BufRead,
) -> Result<HashMap<String, Vec<u64>>, String> {
    let (names, n) = header_names(&mut input).map_err(|e| format!("{file}: {e}"))?;
    let at = names
        .iter()
        .position(|c| c.trim() == key)
        .ok_or_else(|| tr!("linked-no-key-column", file = file, key = key))?;
    let mut out: HashMap<String, Vec<u64>> = HashMap::new();
    each_record(input, n, file, |number, text| {
        // A row that cannot be read is the batch's to report.
        if let Some(text) = text
            && let Ok(cells) = super::csv::split(text)
            && let Some(k) = cells.get(at)
            && !k.trim().is_empty()
        {
            out.entry(k.trim().to_string()).or_default().push(number);
        }
        Ok(())
    })?;
    Ok(out)
}

impl Link {
    /// Joins the lists to the cases' keys: every row of a list's file must
    /// name a case; the keys that name two cases are kept, to refuse those
    /// rows.
    pub fn join(
        key: String,
        lists: Vec<Linked>,
        cases: &HashMap<String, Vec<u64>>,
        cases_file: &str,
    ) -> Result<Link, String> {
        let mut errors = Vec::new();
        for l in &lists {
            let mut orphans: Vec<(&String, &Vec<u64>)> = l
                .rows
                .iter()
                .filter(|(k, _)| !cases.contains_key(*k))
                .collect();
            orphans.sort_by_key(|(_, rows)| rows[0]);
            if !orphans.is_empty() {
                let shown: Vec<String> = orphans
                    .iter()
                    .take(5)
                    .map(|(k, rows)| tr!("linked-orphan", key = k.as_str(), row = rows[0]))
                    .collect();
                errors.push(tr!(
                    "linked-orphans",
                    file = l.file.as_str(),
                    count = orphans.iter().map(|(_, r)| r.len()).sum::<usize>(),
                    cases = cases_file,
                    key = key.as_str(),
                    shown = shown.join(", ")
                ));
            }
        }
        if !errors.is_empty() {
            return Err(errors.join("\n"));
        }
        let duplicates = cases
            .iter()
            .filter(|(_, rows)| rows.len() > 1)
            .map(|(k, rows)| (k.clone(), rows.clone()))
            .collect();
        Ok(Link {
            key,
            lists,
            duplicates,
        })
    }

    /// Sets the lists of the case whose key is `key`.
    pub(crate) fn fill(
        &self,
        program: &Program,
        case: &mut crate::eval::Case,
        key: &str,
    ) -> Result<(), RowError> {
        let key = key.trim();
        if key.is_empty() {
            return Err(RowError::new(
                "pol::batch::key",
                tr!("linked-case-no-key", key = self.key.as_str()),
            ));
        }
        if let Some(rows) = self.duplicates.get(key) {
            let rows: Vec<String> = rows.iter().map(u64::to_string).collect();
            return Err(RowError::new(
                "pol::batch::key",
                tr!(
                    "linked-duplicate-key",
                    column = self.key.as_str(),
                    key = key,
                    rows = rows.join(", ")
                ),
            ));
        }
        for l in &self.lists {
            let items = match l.items.get(key) {
                None => Vec::new(),
                Some(Ok(items)) => items.clone(),
                Some(Err(e)) => return Err(e.clone()),
            };
            case_reader::set_at(program, case, l.input, &l.steps, Value::List(items.into()))
                .map_err(|e| RowError::new(case_reader::NoItem::CODE, e.message))?;
        }
        Ok(())
    }
}

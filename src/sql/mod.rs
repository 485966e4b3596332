//! A package compiled to one SQL query (docs/sql.md): it reads a table of
//! cases, a column per fact path, and returns a row per case with every
//! selected result, with the interpreter's semantics. What cannot be
//! compiled is refused by name, never miscompiled.
//!
//! Each definition and eligibility becomes a computed column; a column is
//! computed in the first of a chain of `WITH` steps where everything it
//! reads is there, so a definition read many times is computed once.

pub mod dialect;
mod expr;

pub use dialect::Dialect;
pub use expr::Refusal;

use crate::check::ir::*;
use crate::diagnostic::Diagnostic;
use crate::eval::{Plan, ResultSlot};
use crate::i18n::tr;
use crate::lang::scalar::Date;
use crate::lang::types::Type;
use crate::syntax::ast::DefKind;
use expr::{Code, Compiled, Kind, Repr, error_text, first_error, guarded, refuse};
use std::collections::{BTreeSet, HashMap};

/// The table's key column: the case's number, as `pol eval --cases`
/// numbers rows.
pub const KEY: &str = "row";
/// The table's column of evaluation dates, when `--on` gives none.
pub const TODAY: &str = "today";
/// The output's column of evaluation errors.
pub const ERROR: &str = "error";
/// A list's table: the case's key, and the item's place in the list.
pub const ITEM: &str = "item";
/// The count at the start of a duration's cell (`-3` of `-3 days`).
const DURATION_COUNT: &str = r"^\s*(-?[0-9_]+)";
/// The whole form of a duration's cell, as `Duration::parse` reads it.
const DURATION_CELL: &str =
    r"^\s*-?[0-9_]*[0-9][0-9_]*\s*(day|days|天|week|weeks|周|month|months|个月|year|years|年)\s*$";

/// The column of a list's item that is not a record.
pub const VALUE: &str = "value";
/// The name of the row of the case in each step, so that a subquery over
/// a list's items names what is the case's.
const OUTER: &str = "_o";

/// A column of the case's row.
pub(crate) fn outer(d: Dialect, name: &str) -> String {
    format!("{}.{}", d.quote(OUTER), d.quote(name))
}

/// What to compile.
#[derive(Clone, Copy, Debug)]
pub struct Options<'a> {
    pub dialect: Dialect,
    /// The evaluation date of every case; `None`: each row's `today`.
    pub on: Option<Date>,
    /// The table of cases.
    pub table: &'a str,
}

/// A compiled query.
#[derive(Debug, Clone)]
pub struct Query {
    pub sql: String,
    /// The results, in the order of their columns (after the key).
    pub results: Vec<String>,
    /// The fact columns the query reads.
    pub reads: Vec<String>,
    /// The lists it reads, each a table of its own.
    pub lists: Vec<String>,
}

/// A result that cannot be compiled, and why.
#[derive(Debug, Clone)]
pub struct Refused {
    pub result: String,
    pub refusal: Refusal,
}

impl Refused {
    pub fn to_diagnostic(&self) -> Diagnostic {
        Diagnostic::new(
            "pol::sql::refused",
            self.refusal.span,
            tr!(
                "sql-refused",
                result = self.result.clone(),
                what = self.refusal.what.clone()
            ),
        )
        .label(tr!("sql-refused-label"))
        .help(tr!("sql-refused-help"))
    }
}

/// Whether each result of the plan compiles, in the plan's order.
pub fn compilable(plan: &Plan, options: Options) -> Vec<(String, Result<(), Refusal>)> {
    let mut c = Compiler::new(plan.program(), options);
    plan.results
        .iter()
        .map(|slot| (slot.key.clone(), c.result(slot).map(|_| ())))
        .collect()
}

/// The query of every result of the plan, or every result it refuses.
pub fn compile(plan: &Plan, options: Options) -> Result<Query, Vec<Refused>> {
    let program = plan.program();
    let mut c = Compiler::new(program, options);
    let mut outputs = Vec::new();
    let mut refused = Vec::new();
    for slot in &plan.results {
        match c.result(slot) {
            Ok(code) => outputs.push((slot.key.clone(), result_type(program, slot), code)),
            Err(refusal) => refused.push(Refused {
                result: slot.key.clone(),
                refusal,
            }),
        }
    }
    if !refused.is_empty() {
        return Err(refused);
    }
    let guard = c.range_guard();
    Ok(c.finish(options, outputs, guard))
}

/// The facts with a range of their own at `path` (of type `ty`) and in
/// the records below it, as columns: `employer.size`; a list stops the walk
/// (its items are a table of their own).
fn ranged_columns<'p>(
    program: &'p Program,
    path: &str,
    ty: &Type,
    range: Option<&'p FactRange>,
    out: &mut Vec<(String, &'p FactRange)>,
) {
    if let Some(r) = range {
        out.push((path.to_string(), r));
    }
    if let Type::Record(r) = ty {
        for f in &program.records[r.index()].fields {
            let sub = if path.is_empty() {
                f.name.clone()
            } else {
                format!("{path}.{}", f.name)
            };
            ranged_columns(program, &sub, &f.ty, f.range.as_ref(), out);
        }
    }
}

/// The type of the fact at a column's path (`employer.hires`).
fn type_at(program: &Program, path: &str) -> Option<Type> {
    let mut parts = path.split('.');
    let first = parts.next()?;
    let mut ty = program.inputs.iter().find(|i| i.name == first)?.ty.clone();
    for part in parts {
        let Type::Record(r) = &ty else { return None };
        ty = program.records[r.index()]
            .fields
            .iter()
            .find(|f| f.name == part)?
            .ty
            .clone();
    }
    Some(ty)
}

/// The `CREATE TABLE` of the cases: the key, the evaluation date (without
/// `--on`), and a column per fact path that SQL holds.
pub fn schema(program: &Program, options: Options) -> String {
    let d = options.dialect;
    let mut lines = vec![match d {
        Dialect::Spark => format!("  {} BIGINT", d.quote(KEY)),
        _ => format!("  {} BIGINT NOT NULL PRIMARY KEY", d.quote(KEY)),
    }];
    if options.on.is_none() {
        lines.push(format!("  {} DATE", d.quote(TODAY)));
    }
    let mut skipped = Vec::new();
    let mut lists = Vec::new();
    for input in &program.inputs {
        columns_of(
            program,
            d,
            &input.name,
            &input.ty,
            &mut lines,
            &mut skipped,
            Some(&mut lists),
        );
    }
    let mut out = format!(
        "CREATE TABLE {} (\n{}\n);\n",
        d.quote(options.table),
        lines.join(",\n")
    );
    // A list is a table of its own, a row per item: the case's `row`, the
    // item's place from 0, and the item's fields.
    for (path, item) in lists {
        let mut lines = vec![
            format!("  {} BIGINT NOT NULL", d.quote(KEY)),
            format!("  {} BIGINT NOT NULL", d.quote(ITEM)),
        ];
        columns_of(program, d, "", &item, &mut lines, &mut skipped, None);
        if d != Dialect::Spark {
            lines.push(format!(
                "  PRIMARY KEY ({}, {})",
                d.quote(KEY),
                d.quote(ITEM)
            ));
        }
        out.push_str(&format!(
            "CREATE TABLE {} (\n{}\n);\n",
            d.list_table(&path),
            lines.join(",\n")
        ));
    }
    for s in skipped {
        out.push_str(&format!("-- {s}\n"));
    }
    out
}

/// The SQL type of a fact of type `ty`, if SQL holds it in one column.
pub fn column_type(d: Dialect, ty: &Type) -> Option<String> {
    Some(match ty {
        Type::Duration => d.text_type().into(),
        Type::Bool => "BOOLEAN".into(),
        Type::Int => "BIGINT".into(),
        Type::Decimal => d.decimal(10),
        Type::Money => d.decimal(2),
        Type::Date => "DATE".into(),
        Type::Text | Type::Enum(_) => d.text_type().into(),
        _ => return None,
    })
}

/// The columns of a fact at `path` (`""`: a list's item), field by field;
/// its lists go to `lists` (none: a list in a list, not held).
fn columns_of(
    program: &Program,
    d: Dialect,
    path: &str,
    ty: &Type,
    lines: &mut Vec<String>,
    skipped: &mut Vec<String>,
    mut lists: Option<&mut Vec<(String, Type)>>,
) {
    let join = |field: &str| {
        if path.is_empty() {
            field.to_string()
        } else {
            format!("{path}.{field}")
        }
    };
    match ty {
        Type::Record(r) => {
            for f in &program.records[r.index()].fields {
                columns_of(
                    program,
                    d,
                    &join(&f.name),
                    &f.ty,
                    lines,
                    skipped,
                    lists.as_deref_mut(),
                );
            }
            return;
        }
        Type::List(item) => {
            if let Some(lists) = lists {
                lists.push((path.to_string(), (**item).clone()));
                return;
            }
        }
        _ => {}
    }
    let name = if path.is_empty() { VALUE } else { path };
    match column_type(d, ty) {
        Some(t) => {
            let check = match (ty, d) {
                (Type::Duration, Dialect::DuckDb | Dialect::Postgres) => {
                    format!(
                        " CHECK ({})",
                        d.regexp_matches(&d.quote(name), DURATION_CELL)
                    )
                }
                (Type::Enum(e), Dialect::DuckDb | Dialect::Postgres) => {
                    let names: Vec<String> = program.enums[e.index()]
                        .variants
                        .iter()
                        .map(|v| expr::text_literal(v))
                        .collect();
                    format!(" CHECK ({} IN ({}))", d.quote(name), names.join(", "))
                }
                _ => String::new(),
            };
            lines.push(format!("  {} {t}{check}", d.quote(name)));
        }
        None => skipped.push(tr!(
            "sql-schema-skipped",
            path = name.to_string(),
            ty = program.show(ty).to_string()
        )),
    }
}

/// A computed column of the query.
pub(crate) struct Column {
    pub name: String,
    pub sql: String,
    pub level: usize,
}

/// A subquery over the items of a list: the values of each item, as
/// columns in a chain of nested selects as the case's are.
pub(crate) struct Frame {
    alias: String,
    pub columns: Vec<Column>,
    /// The deepest column of the case it reads.
    pub outer_level: usize,
}

impl Frame {
    pub fn new(alias: &str) -> Frame {
        Frame {
            alias: alias.to_string(),
            columns: Vec::new(),
            outer_level: 0,
        }
    }

    fn materialize(&mut self, d: Dialect, code: Code) -> Code {
        let level = code.level + 1;
        let alias = d.quote(&self.alias);
        let mut column = |sql: String| {
            let name = format!("_s{}", self.columns.len());
            let reference = format!("{alias}.{}", d.quote(&name));
            self.columns.push(Column { name, sql, level });
            reference
        };
        let v = match code.v {
            Repr::One(s) => Repr::One(column(s)),
            Repr::Pair(s, t) => {
                let s = column(s);
                Repr::Pair(s, column(t))
            }
            Repr::Dur(n, m) => {
                let n = column(n);
                Repr::Dur(n, column(m))
            }
            other => other,
        };
        let e = code.e.map(column);
        Code {
            v,
            e,
            kind: code.kind,
            level,
        }
    }

    /// The items of the case's list at `path`, with every column: a
    /// derived table named by the frame's alias.
    pub fn table(&self, d: Dialect, path: &str) -> String {
        let a = d.quote(&self.alias);
        let mut table = format!(
            "(SELECT {a}.* FROM {} AS {a} WHERE {a}.{k} = {})",
            d.list_table(path),
            outer(d, KEY),
            k = d.quote(KEY)
        );
        let top = self.columns.iter().map(|c| c.level).max().unwrap_or(0);
        for level in 1..=top {
            let cols: Vec<String> = self
                .columns
                .iter()
                .filter(|c| c.level == level)
                .map(|c| format!("{} AS {}", c.sql, d.quote(&c.name)))
                .collect();
            if cols.is_empty() {
                continue;
            }
            table = format!("(SELECT {a}.*, {} FROM {table} AS {a})", cols.join(", "));
        }
        format!("{table} AS {a}")
    }
}

pub(crate) struct Compiler<'a> {
    program: &'a Program,
    dialect: Dialect,
    /// `today`: the evaluation date, or the date a parameter is read at
    /// while its value is compiled.
    today: Vec<Code>,
    columns: Vec<Column>,
    defs: HashMap<DefId, Compiled>,
    eligible: HashMap<ClauseId, Compiled>,
    /// Members of per-subject clauses, by member and subject.
    per_subject: HashMap<(String, String), Compiled>,
    /// The subject (slot 0) and comprehension variables in scope.
    locals: Vec<Code>,
    /// Inside a subquery over a list's items (or a per-subject clause):
    /// values are written in place, not as columns.
    inline: usize,
    /// Subqueries made so far, to name their tables apart.
    aliases: usize,
    /// The subqueries over a list's items being compiled.
    frames: Vec<Frame>,
    /// Duration facts, read into their count and kind.
    durations: HashMap<String, Code>,
    reads: BTreeSet<String>,
    lists: BTreeSet<String>,
}

impl<'a> Compiler<'a> {
    fn new(program: &'a Program, options: Options) -> Compiler<'a> {
        let d = options.dialect;
        let today = match options.on {
            Some(date) => Code::one(format!("DATE '{date}'")),
            None => {
                let col = outer(d, TODAY);
                Code {
                    e: Some(format!(
                        "CASE WHEN {col} IS NULL THEN {} END",
                        error_text("pol::eval::no_date")
                    )),
                    ..Code::one(col)
                }
            }
        };
        Compiler {
            program,
            dialect: d,
            today: vec![today],
            columns: Vec::new(),
            defs: HashMap::new(),
            eligible: HashMap::new(),
            per_subject: HashMap::new(),
            locals: Vec::new(),
            inline: 0,
            aliases: 0,
            frames: Vec::new(),
            durations: HashMap::new(),
            reads: BTreeSet::new(),
            lists: BTreeSet::new(),
        }
    }

    fn today(&mut self) -> Code {
        if self.today.len() == 1 && self.today[0].e.is_some() {
            self.reads.insert(TODAY.into());
        }
        self.today
            .last()
            .cloned()
            .unwrap_or_else(|| Code::one("NULL".into()))
    }

    fn read(&mut self, path: &str) {
        self.reads.insert(path.to_string());
    }

    fn read_list(&mut self, path: &str) {
        self.lists.insert(path.to_string());
    }

    fn alias(&mut self) -> String {
        self.aliases += 1;
        format!("_i{}", self.aliases)
    }

    fn result(&mut self, slot: &ResultSlot) -> Compiled {
        let code = self.member(slot.member)?;
        if let Repr::Dur(..) = code.v {
            let span = match slot.member {
                Member::Def(d) => self.program.defs[d.index()].span,
                Member::Eligible(c) => self.program.clauses[c.index()].span,
            };
            return Err(refuse(span, tr!("sql-what-duration-kinds")));
        }
        if let Member::Def(d) = slot.member {
            let info = &self.program.defs[d.index()];
            if matches!(info.ty, Type::List(_) | Type::Record(_)) {
                return Err(refuse(info.span, tr!("sql-what-list")));
            }
        }
        Ok(code)
    }

    /// A value as computed columns (one, or two for a period), so what
    /// reads it reads a name.
    fn materialize(&mut self, code: Code) -> Compiled {
        // Inside a subquery over a list's items, a value per item is a
        // column of the items; for a subject that is not an item, it is
        // written in place.
        if let Some(frame) = self.frames.last_mut() {
            return Ok(frame.materialize(self.dialect, code));
        }
        if self.inline > 0 {
            return Ok(code);
        }
        let level = code.level + 1;
        let column = |sql: String, columns: &mut Vec<Column>| {
            let name = format!("_c{}", columns.len());
            columns.push(Column {
                name: name.clone(),
                sql,
                level,
            });
            outer(self.dialect, &name)
        };
        let v = match code.v {
            Repr::One(s) => Repr::One(column(s, &mut self.columns)),
            Repr::Dur(n, m) => {
                let n = column(n, &mut self.columns);
                Repr::Dur(n, column(m, &mut self.columns))
            }
            Repr::Pair(s, t) => {
                let s = column(s, &mut self.columns);
                Repr::Pair(s, column(t, &mut self.columns))
            }
            other => other,
        };
        let e = code.e.map(|e| column(e, &mut self.columns));
        Ok(Code {
            v,
            e,
            kind: code.kind,
            level,
        })
    }

    fn member(&mut self, m: Member) -> Compiled {
        match m {
            Member::Eligible(c) => self.eligible_of(c),
            Member::Def(d) => self.def_of(d),
        }
    }

    fn in_force(&mut self, c: ClauseId) -> Result<Option<Code>, Refusal> {
        let Some(f) = self.program.clauses[c.index()].in_force.clone() else {
            return Ok(None);
        };
        let date = match &f.on {
            Some(e) => self.expr(e)?,
            None => self.today(),
        };
        let to = match f.to {
            Some(to) => format!(" AND ({}) <= DATE '{to}'", date.sql()),
            None => String::new(),
        };
        Ok(Some(Code {
            v: Repr::One(format!("(({}) >= DATE '{}'{to})", date.sql(), f.from)),
            kind: None,
            ..date
        }))
    }

    fn eligible_of(&mut self, c: ClauseId) -> Compiled {
        if self.program.clauses[c.index()].subject.is_some() {
            return self.for_subject(format!("e{}", c.0), |me| me.compute_eligible(c));
        }
        if let Some(done) = self.eligible.get(&c) {
            return done.clone();
        }
        let compiled =
            self.case_level(|me| me.compute_eligible(c).and_then(|code| me.materialize(code)));
        self.eligible.insert(c, compiled.clone());
        compiled
    }

    /// A member of a per-subject clause for the subject in scope (slot 0),
    /// written in place, once per subject.
    fn for_subject(&mut self, member: String, f: impl FnOnce(&mut Self) -> Compiled) -> Compiled {
        let Some(subject) = self.locals.first().cloned() else {
            return Err(refuse(
                crate::source::Span::default(),
                tr!("sql-what-local"),
            ));
        };
        let key = (member, format!("{:?}", subject.v));
        if let Some(done) = self.per_subject.get(&key) {
            return done.clone();
        }
        let saved = std::mem::replace(&mut self.locals, vec![subject]);
        self.inline += 1;
        let compiled = f(self);
        self.inline -= 1;
        self.locals = saved;
        self.per_subject.insert(key, compiled.clone());
        compiled
    }

    /// A value of the case (not of an item), computed as a column of the
    /// case whatever subquery asks for it first.
    fn case_level(&mut self, f: impl FnOnce(&mut Self) -> Compiled) -> Compiled {
        let inline = std::mem::take(&mut self.inline);
        let locals = std::mem::take(&mut self.locals);
        let frames = std::mem::take(&mut self.frames);
        let compiled = f(self);
        self.inline = inline;
        self.locals = locals;
        self.frames = frames;
        // Read inside a subquery over items, a column of the case is there
        // already: the subquery needs it computed first.
        match (compiled, self.frames.last_mut()) {
            (Ok(code), Some(frame)) => {
                frame.outer_level = frame.outer_level.max(code.level);
                Ok(Code { level: 0, ..code })
            }
            (compiled, _) => compiled,
        }
    }

    fn compute_eligible(&mut self, c: ClauseId) -> Compiled {
        let clause = &self.program.clauses[c.index()];
        let cond = clause.eligible.clone();
        let holds = self.in_force(c)?;
        let cond = cond.map(|e| self.expr(&e)).transpose()?;
        Ok(match (holds, cond) {
            (None, None) => Code::one("TRUE".into()),
            (Some(h), None) => h,
            (None, Some(c)) => c,
            // An unknown date is `unknown and CONDITION`; the condition is
            // evaluated unless the clause is not in force.
            (Some(h), Some(c)) => Code {
                v: Repr::One(format!("({} AND {})", h.sql(), c.sql())),
                e: first_error([
                    h.e.clone(),
                    guarded(&format!("COALESCE({}, TRUE)", h.sql()), &c.e),
                ]),
                kind: None,
                level: h.level.max(c.level),
            },
        })
    }

    fn def_of(&mut self, d: DefId) -> Compiled {
        let clause = self.program.defs[d.index()].clause;
        if self.program.clauses[clause.index()].subject.is_some() {
            return self.for_subject(format!("d{}", d.0), |me| me.compute_def(d));
        }
        if let Some(done) = self.defs.get(&d) {
            return done.clone();
        }
        let compiled =
            self.case_level(|me| me.compute_def(d).and_then(|code| me.materialize(code)));
        self.defs.insert(d, compiled.clone());
        compiled
    }

    fn compute_def(&mut self, d: DefId) -> Compiled {
        let info = self.program.defs[d.index()].clone();
        match &info.ty {
            Type::List(_) => return Err(refuse(info.span, tr!("sql-what-list"))),
            Type::Record(_) => return Err(refuse(info.span, tr!("sql-what-record"))),
            _ => {}
        }
        if info.kind != DefKind::Benefit {
            return self.exceptions_or_base(&info);
        }
        // A benefit is 0 yuan when its clause does not apply; undetermined
        // (whatever its amount) when that is unknown.
        let elig = self.eligible_of(info.clause)?;
        let amount = self.exceptions_or_base(&info)?;
        let zero = format!("CAST(0 AS {})", self.dialect.decimal(2));
        Ok(Code {
            v: Repr::One(format!(
                "CASE WHEN {e} THEN {a} WHEN NOT {e} THEN {zero} END",
                e = elig.sql(),
                a = amount.sql()
            )),
            e: first_error([elig.e.clone(), guarded(elig.sql(), &amount.e)]),
            kind: None,
            level: elig.level.max(amount.level),
        })
    }

    /// The value of a definition whose exceptions combine by `rule` (the
    /// interpreter's `combined`): the first that applies, in order, unknown
    /// if one before it may apply; else, unless one may apply or one that
    /// applies is unknown, the highest, the lowest or the sum of those that
    /// apply; else the base.
    fn combined(
        &self,
        rule: crate::syntax::ast::Combine,
        info: &DefInfo,
        leaves: &[Leaf],
        base: &Code,
        found: &str,
        unknown_or_value: &str,
    ) -> Result<String, Refusal> {
        use crate::syntax::ast::Combine;
        let value = |c: &Code| match &c.v {
            Repr::One(s) => Ok(s.clone()),
            _ => Err(refuse(info.span, tr!("sql-what-combine"))),
        };
        let base_sql = value(base)?;
        if rule == Combine::First {
            let mut s = String::from("CASE");
            for l in leaves {
                s.push_str(&format!(
                    " WHEN {} THEN NULL WHEN {} THEN {}",
                    l.unknown,
                    l.found,
                    value(&l.then)?
                ));
            }
            s.push_str(&format!(" ELSE {base_sql} END"));
            return Ok(s);
        }
        let parts: Vec<String> = leaves
            .iter()
            .map(|l| {
                Ok(format!(
                    "CASE WHEN {} THEN {} END",
                    l.found,
                    value(&l.then)?
                ))
            })
            .collect::<Result<_, Refusal>>()?;
        let together = match rule {
            Combine::Highest => format!("GREATEST({})", parts.join(", ")),
            Combine::Lowest => format!("LEAST({})", parts.join(", ")),
            _ => {
                // An int sum could overflow where the interpreter reports it.
                if !matches!(info.ty, Type::Money | Type::Decimal) {
                    return Err(refuse(info.span, tr!("sql-what-combine")));
                }
                let zero = match info.ty {
                    Type::Money => format!("CAST(0 AS {})", self.dialect.decimal(2)),
                    _ => "0".to_string(),
                };
                let terms: Vec<String> = parts
                    .iter()
                    .map(|p| format!("COALESCE({p}, {zero})"))
                    .collect();
                format!("({})", terms.join(" + "))
            }
        };
        Ok(format!(
            "CASE WHEN {unknown_or_value} THEN NULL WHEN {found} THEN {together} ELSE {base_sql} END"
        ))
    }

    /// A definition's value: its applicable exceptions (`unless`, and the
    /// tree of amendments), else its base expression; several that differ
    /// are a conflict, an error of the row.
    fn exceptions_or_base(&mut self, info: &DefInfo) -> Compiled {
        if info.unless.is_empty() && info.amendments.is_empty() {
            return self.expr(&info.expr);
        }
        let mut leaves: Vec<Leaf> = Vec::new();
        let mut errors: Vec<Option<String>> = Vec::new();
        let scale = self.def_scale(info);
        for (cond, then) in &info.unless {
            let c = self.expr(cond).and_then(|c| self.materialize(c))?;
            let t = self.expr(then)?;
            let t = self.materialize(self.unify(t, &info.ty, scale))?;
            let found = format!("COALESCE({}, FALSE)", c.sql());
            errors.push(c.e.clone());
            errors.push(guarded(&found, &t.e));
            leaves.push(Leaf {
                unknown: c.is_null(),
                found,
                then: t,
                level: c.level,
            });
        }
        for a in &info.amendments {
            self.amendment(*a, &info.ty, scale, &mut leaves, &mut errors)?;
        }
        let base = self.expr(&info.expr)?;
        let base = self.unify(base, &info.ty, scale);
        let any = |parts: Vec<&str>| format!("({})", parts.join(" OR "));
        let unknown = any(leaves.iter().map(|l| l.unknown.as_str()).collect());
        let found = any(leaves.iter().map(|l| l.found.as_str()).collect());
        // An exception that holds with an unknown value makes the value
        // unknown (it may or may not equal the others).
        let unknown_value: Vec<String> = leaves
            .iter()
            .map(|l| format!("({} AND {})", l.found, l.then.is_null()))
            .collect();
        let unknown_or_value = format!("({unknown} OR {})", unknown_value.join(" OR "));
        let pick = |component: fn(&Code) -> Option<&str>| -> Option<String> {
            let mut s = format!("CASE WHEN {unknown_or_value} THEN NULL");
            for l in &leaves {
                s.push_str(&format!(" WHEN {} THEN {}", l.found, component(&l.then)?));
            }
            s.push_str(&format!(" ELSE {} END", component(&base)?));
            Some(s)
        };
        fn first(c: &Code) -> Option<&str> {
            match &c.v {
                Repr::One(s) | Repr::Pair(s, _) => Some(s.as_str()),
                _ => None,
            }
        }
        fn second(c: &Code) -> Option<&str> {
            match &c.v {
                Repr::Pair(_, t) => Some(t.as_str()),
                _ => None,
            }
        }
        let v = match (&base.v, info.combine) {
            (Repr::One(_), Some(rule)) => {
                Repr::One(self.combined(rule, info, &leaves, &base, &found, &unknown_or_value)?)
            }
            (_, Some(_)) => return Err(refuse(info.span, tr!("sql-what-combine"))),
            (Repr::One(_), None) => {
                Repr::One(pick(first).ok_or_else(|| refuse(info.span, tr!("sql-what-record")))?)
            }
            (Repr::Pair(..), None) => Repr::Pair(
                pick(first).ok_or_else(|| refuse(info.span, tr!("sql-what-record")))?,
                pick(second).ok_or_else(|| refuse(info.span, tr!("sql-what-record")))?,
            ),
            _ => return Err(refuse(info.span, tr!("sql-what-record"))),
        };
        let mut differ = Vec::new();
        for (i, a) in leaves.iter().enumerate() {
            for b in &leaves[i + 1..] {
                // Two known values that differ (`NULL <> x` is not TRUE).
                let known_apart = |x: &str, y: &str| format!("COALESCE(({x}) <> ({y}), FALSE)");
                let mut apart = vec![known_apart(
                    first(&a.then).unwrap_or("NULL"),
                    first(&b.then).unwrap_or("NULL"),
                )];
                if let (Some(x), Some(y)) = (second(&a.then), second(&b.then)) {
                    apart.push(known_apart(x, y));
                }
                differ.push(format!(
                    "({} AND {} AND ({}))",
                    a.found,
                    b.found,
                    apart.join(" OR ")
                ));
            }
        }
        errors.push(guarded(&format!("NOT {unknown} AND NOT {found}"), &base.e));
        if !differ.is_empty() && info.combine.is_none() {
            errors.push(Some(format!(
                "CASE WHEN NOT {unknown} AND ({}) THEN {} END",
                differ.join(" OR "),
                error_text("pol::eval::conflict")
            )));
        }
        let level = leaves
            .iter()
            .map(|l| l.level.max(l.then.level))
            .chain([base.level])
            .max()
            .unwrap_or(0);
        Ok(Code {
            v,
            e: first_error(errors),
            kind: base.kind,
            level,
        })
    }

    /// An amendment node: its children first; its own condition only if
    /// none of them yields (on dates its own clause is in force). Returns
    /// whether the node's subtree yields (a value, or an unknown).
    fn amendment(
        &mut self,
        a: AmendId,
        ty: &Type,
        scale: u32,
        leaves: &mut Vec<Leaf>,
        errors: &mut Vec<Option<String>>,
    ) -> Result<String, Refusal> {
        let info = self.program.amends[a.index()].clone();
        let mut yields = Vec::new();
        for child in &info.children {
            yields.push(self.amendment(*child, ty, scale, leaves, errors)?);
        }
        let own = if yields.is_empty() {
            "TRUE".to_string()
        } else {
            format!("NOT ({})", yields.join(" OR "))
        };
        let holds = match self.in_force(info.clause)? {
            Some(h) => Some(self.materialize(h)?),
            None => None,
        };
        let c = self.expr(&info.cond).and_then(|c| self.materialize(c))?;
        let t = self.expr(&info.then)?;
        let t = self.materialize(self.unify(t, ty, scale))?;
        let (h, h_unknown, h_level) = match &holds {
            Some(h) => (
                format!("COALESCE({}, FALSE)", h.sql()),
                h.is_null(),
                h.level,
            ),
            None => ("TRUE".to_string(), "FALSE".to_string(), 0),
        };
        if let Some(hc) = &holds {
            errors.push(guarded(&own, &hc.e));
        }
        errors.push(guarded(&format!("{own} AND {h}"), &c.e));
        let found = format!("({own} AND {h} AND COALESCE({}, FALSE))", c.sql());
        let unknown = format!("({own} AND ({h_unknown} OR ({h} AND {})))", c.is_null());
        errors.push(guarded(&found, &t.e));
        yields.push(found.clone());
        yields.push(unknown.clone());
        leaves.push(Leaf {
            found,
            unknown,
            then: t,
            level: c.level.max(h_level),
        });
        Ok(format!("({})", yields.join(" OR ")))
    }

    /// A parameter on a date: the value from the latest `from` not after
    /// it; before the first, an error of the row.
    fn param(&mut self, p: ParamId, at: Option<&TExpr>, span: crate::source::Span) -> Compiled {
        let info = self.program.params[p.index()].clone();
        let date = match at {
            Some(e) => self.expr(e)?,
            None => self.today(),
        };
        if matches!(info.ty, Type::List(_) | Type::Record(_) | Type::Duration) {
            return Err(refuse(
                span,
                tr!("sql-what-parameter", name = info.name.clone()),
            ));
        }
        // A parameter's value is read as of the date it is read for.
        self.today.push(Code {
            e: None,
            ..date.clone()
        });
        let values: Result<Vec<(Date, Code)>, Refusal> = info
            .values
            .iter()
            .map(|(from, e)| Ok((*from, self.expr(e)?)))
            .collect();
        self.today.pop();
        let scale = info
            .values
            .iter()
            .map(|(_, v)| self.scale_of(v))
            .max()
            .unwrap_or(0);
        let values: Vec<(Date, Code)> = values?
            .into_iter()
            .map(|(from, v)| (from, self.unify(v, &info.ty, scale)))
            .collect();
        let dsql = date.sql().to_string();
        // A date the program fixes picks one value here.
        if let Some(fixed) = literal_date(&dsql) {
            return Ok(match values.iter().rev().find(|(from, _)| *from <= fixed) {
                Some((_, v)) => Code {
                    e: first_error([date.e.clone(), v.e.clone()]),
                    ..v.clone()
                },
                None => Code {
                    e: Some(error_text("pol::eval::parameter_date")),
                    ..Code::one("NULL".into())
                },
            });
        }
        let Some(first) = values.first().map(|(f, _)| *f) else {
            return Err(refuse(
                span,
                tr!("sql-what-parameter", name = info.name.clone()),
            ));
        };
        let pick = |component: fn(&Code) -> Option<String>| -> Option<String> {
            let mut s = String::from("CASE");
            for (from, v) in values.iter().rev() {
                s.push_str(&format!(
                    " WHEN ({dsql}) >= DATE '{from}' THEN {}",
                    component(v)?
                ));
            }
            s.push_str(" END");
            Some(s)
        };
        let v = match &values[0].1.v {
            Repr::One(_) => Repr::One(pick(|c| Some(c.sql().to_string())).unwrap_or_default()),
            Repr::Pair(..) => Repr::Pair(
                pick(|c| match &c.v {
                    Repr::Pair(s, _) => Some(s.clone()),
                    _ => None,
                })
                .unwrap_or_default(),
                pick(|c| match &c.v {
                    Repr::Pair(_, t) => Some(t.clone()),
                    _ => None,
                })
                .unwrap_or_default(),
            ),
            _ => {
                return Err(refuse(
                    span,
                    tr!("sql-what-parameter", name = info.name.clone()),
                ));
            }
        };
        let mut errors = vec![
            date.e.clone(),
            Some(format!(
                "CASE WHEN ({dsql}) < DATE '{first}' THEN {} END",
                error_text("pol::eval::parameter_date")
            )),
        ];
        for (i, (from, v)) in values.iter().enumerate() {
            let until = values
                .get(i + 1)
                .map(|(next, _)| format!(" AND ({dsql}) < DATE '{next}'"))
                .unwrap_or_default();
            errors.push(guarded(
                &format!("(({dsql}) >= DATE '{from}'{until})"),
                &v.e,
            ));
        }
        let level = values
            .iter()
            .map(|(_, v)| v.level)
            .chain([date.level])
            .max()
            .unwrap_or(0);
        Ok(Code {
            v,
            e: first_error(errors),
            kind: values[0].1.kind,
            level,
        })
    }

    /// The error of a case with a fact outside the range its declaration
    /// gives (`pol::case::range`), as the interpreter refuses such a case
    /// whole: every fact of the cases table with a range, and the items of
    /// the lists the query reads. NULL for a case within every range.
    fn range_guard(&mut self) -> Option<String> {
        let program = self.program;
        let d = self.dialect;
        let mut checks: Vec<(String, String)> = Vec::new();
        let mut flat = Vec::new();
        for input in &program.inputs {
            ranged_columns(
                program,
                &input.name,
                &input.ty,
                input.range.as_ref(),
                &mut flat,
            );
        }
        for (path, range) in flat {
            self.read(&path);
            let outside = self.outside(&outer(d, &path), range);
            checks.push((
                outside,
                tr!("sql-range-error", path = &path, range = &range.written),
            ));
        }
        for list in self.lists.clone() {
            let Some(Type::List(item)) = type_at(program, &list) else {
                continue;
            };
            let mut cols = Vec::new();
            ranged_columns(program, "", &item, None, &mut cols);
            if cols.is_empty() {
                continue;
            }
            let a = d.quote("_r");
            for (path, range) in cols {
                let column = format!(
                    "{a}.{}",
                    d.quote(if path.is_empty() { VALUE } else { &path })
                );
                let outside = self.outside(&column, range);
                let written = if path.is_empty() {
                    format!("{list}[…]")
                } else {
                    format!("{list}[…].{path}")
                };
                checks.push((
                    format!(
                        "EXISTS (SELECT 1 FROM {} AS {a} WHERE {a}.{k} = {} AND {outside})",
                        d.list_table(&list),
                        outer(d, KEY),
                        k = d.quote(KEY),
                    ),
                    tr!("sql-range-error", path = &written, range = &range.written),
                ));
            }
        }
        if checks.is_empty() {
            return None;
        }
        let whens: Vec<String> = checks
            .iter()
            .map(|(c, message)| {
                format!(
                    "WHEN {c} THEN {}",
                    expr::text_literal(&format!("error[pol::case::range]: {message}"))
                )
            })
            .collect();
        // One column of the first step, read by every result.
        let guard = Code::one(format!("CASE {} END", whens.join(" ")));
        self.materialize(guard).ok().map(|c| c.sql().to_string())
    }

    /// Whether `column` holds a value outside `range` (never NULL).
    fn outside(&self, column: &str, range: &FactRange) -> String {
        let bound = |l: &crate::syntax::ast::Literal| {
            self.literal(l, range.span)
                .map(|c| c.sql().to_string())
                .unwrap_or_else(|_| "NULL".into())
        };
        let mut parts = Vec::new();
        if let Some((lo, inclusive)) = &range.lower {
            let op = if *inclusive { "<" } else { "<=" };
            parts.push(format!("{column} {op} {}", bound(lo)));
        }
        if let Some((hi, inclusive)) = &range.upper {
            let op = if *inclusive { ">" } else { ">=" };
            parts.push(format!("{column} {op} {}", bound(hi)));
        }
        format!("COALESCE({}, FALSE)", parts.join(" OR "))
    }

    /// The query: the chain of steps, then a row per case.
    fn finish(
        self,
        options: Options,
        outputs: Vec<(String, Type, Code)>,
        guard: Option<String>,
    ) -> Query {
        let d = self.dialect;
        let mut steps = vec![format!(
            "{} AS (SELECT * FROM {})",
            d.quote("_l0"),
            d.quote(options.table)
        )];
        let top = self.columns.iter().map(|c| c.level).max().unwrap_or(0);
        for level in 1..=top {
            let cols: Vec<String> = self
                .columns
                .iter()
                .filter(|c| c.level == level)
                .map(|c| format!("    {} AS {}", c.sql, d.quote(&c.name)))
                .collect();
            steps.push(format!(
                "{} AS (\n  SELECT {o}.*,\n{}\n  FROM {} AS {o})",
                d.quote(&format!("_l{level}")),
                cols.join(",\n"),
                d.quote(&format!("_l{}", level - 1)),
                o = d.quote(OUTER),
            ));
        }
        let mut select = vec![format!("  {}", outer(d, KEY))];
        let mut errors = Vec::new();
        let mut results = Vec::new();
        for (key, ty, code) in &outputs {
            let value = output_value(d, code, ty);
            let value = match (&code.e, &guard) {
                (Some(e), Some(g)) => {
                    format!("CASE WHEN {g} IS NULL AND {e} IS NULL THEN {value} END")
                }
                (Some(e), None) | (None, Some(e)) => {
                    format!("CASE WHEN {e} IS NULL THEN {value} END")
                }
                (None, None) => value,
            };
            select.push(format!("  {value} AS {}", d.quote(key)));
            if let Some(e) = &code.e {
                errors.push(format!(
                    "CASE WHEN {e} IS NOT NULL THEN {} || ': ' || {e} END",
                    expr::text_literal(key)
                ));
            }
            results.push(key.clone());
        }
        let error = if errors.is_empty() {
            format!("CAST(NULL AS {})", d.text_type())
        } else {
            format!("NULLIF(concat_ws('; ', {}), '')", errors.join(", "))
        };
        // A case outside a range is refused whole, as the interpreter does.
        let error = match &guard {
            Some(g) => format!("COALESCE({g}, {error})"),
            None => error,
        };
        select.push(format!("  {error} AS {}", d.quote(ERROR)));
        let advice = match d {
            Dialect::Postgres => {
                "-- Run with SET jit = off: compiling these expressions with LLVM costs more than running them.\n"
            }
            _ => "",
        };
        let sql = format!(
            "{advice}WITH {}\nSELECT\n{}\nFROM {} AS {}\nORDER BY {};\n",
            steps.join(",\n"),
            select.join(",\n"),
            d.quote(&format!("_l{top}")),
            d.quote(OUTER),
            outer(d, KEY)
        );
        Query {
            sql,
            results,
            reads: self.reads.into_iter().collect(),
            lists: self.lists.into_iter().collect(),
        }
    }
}

/// One exception of a definition, compiled.
struct Leaf {
    /// Whether it applies (never NULL).
    found: String,
    /// Whether it may or may not apply (never NULL).
    unknown: String,
    then: Code,
    level: usize,
}

/// The type of a result of the plan.
pub fn result_type(program: &Program, slot: &ResultSlot) -> Type {
    match slot.member {
        Member::Eligible(_) => Type::Bool,
        Member::Def(d) => program.defs[d.index()].ty.clone(),
    }
}

/// A result's cell as `pol eval --cases` writes it.
fn output_value(d: Dialect, code: &Code, ty: &Type) -> String {
    let text = d.text_type();
    match (&code.v, ty) {
        (Repr::One(s), Type::Money) => format!("CAST({s} AS {})", d.decimal(2)),
        (Repr::One(s), Type::Duration) => {
            let (unit, units) = match code.kind {
                Some(Kind::Months) => ("month", "months"),
                _ => ("day", "days"),
            };
            format!(
                "CASE WHEN ({s}) = 1 THEN CAST({s} AS {text}) || ' {unit}' ELSE CAST({s} AS {text}) || ' {units}' END"
            )
        }
        (Repr::Pair(s, t), _) => {
            format!("{} || '..' || {}", d.date_text(s), d.date_text(t))
        }
        (Repr::One(s), _) => s.clone(),
        _ => "NULL".into(),
    }
}

/// `DATE 'YYYY-MM-DD'`: a date the program fixes.
fn literal_date(sql: &str) -> Option<Date> {
    Date::parse(sql.strip_prefix("DATE '")?.strip_suffix('\'')?)
}

//! Where every name of a checked package is declared and used: the
//! spans of the names themselves (not of the declarations or expressions
//! around them), for hover, go to definition, references and rename.

use crate::check::Checked;
use crate::check::ir::{Member, Program, TExpr, TExprKind, TestExpect};
use crate::lang::types::Type;
use crate::source::{FileId, SourceMap, Span};
use std::collections::HashMap;

/// What a name names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Target {
    Input(u32),
    Record(u32),
    Field(u32, u32),
    Enum(u32),
    Variant(u32, u32),
    Param(u32),
    Clause(u32),
    Def(u32),
    Test(u32),
}

/// The names of a package.
#[derive(Debug, Default)]
pub struct Index {
    /// Where each name is declared (the span of the name).
    pub defs: HashMap<Target, Span>,
    /// Every use of a name (the span of the name as written).
    pub refs: Vec<(Span, Target)>,
}

fn ident_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// The span of the first (or last) whole-word `name` inside `span`.
fn name_in(sources: &SourceMap, span: Span, name: &str, last: bool) -> Option<Span> {
    let text = sources.file(span.file).text.get(span.range())?;
    let found: Vec<usize> = text
        .match_indices(name)
        .map(|(i, _)| i)
        .filter(|&i| {
            let before = text[..i].chars().next_back();
            let after = text[i + name.len()..].chars().next();
            !before.is_some_and(ident_char) && !after.is_some_and(ident_char)
        })
        .collect();
    let at = if last { found.last() } else { found.first() }?;
    let start = span.range().start + at;
    Some(Span::new(span.file, start, start + name.len()))
}

impl Index {
    pub fn of(checked: &Checked) -> Index {
        let program = checked.program();
        let sources = checked.sources();
        let mut ix = Index::default();
        let mut def = |t: Target, span: Span, name: &str| {
            if let Some(s) = name_in(sources, span, name, false) {
                ix.defs.insert(t, s);
            }
        };
        for (i, x) in program.inputs.iter().enumerate() {
            def(Target::Input(i as u32), x.span, &x.name);
        }
        for (i, r) in program.records.iter().enumerate() {
            def(Target::Record(i as u32), r.span, &r.name);
            for (j, f) in r.fields.iter().enumerate() {
                def(Target::Field(i as u32, j as u32), f.span, &f.name);
            }
        }
        for (i, e) in program.enums.iter().enumerate() {
            def(Target::Enum(i as u32), e.span, &e.name);
            for (j, v) in e.variants.iter().enumerate() {
                // A variant is declared after the enum's name, in its braces.
                if let Some(name) = name_in(sources, e.span, &e.name, false) {
                    let rest = Span::new(e.span.file, name.range().end, e.span.range().end);
                    def(Target::Variant(i as u32, j as u32), rest, v);
                }
            }
        }
        for (i, p) in program.params.iter().enumerate() {
            def(Target::Param(i as u32), p.span, &p.name);
        }
        for (i, c) in program.clauses.iter().enumerate() {
            def(Target::Clause(i as u32), c.span, &c.name);
        }
        for (i, d) in program.defs.iter().enumerate() {
            def(Target::Def(i as u32), d.span, &d.name);
        }
        for (i, t) in program.tests.iter().enumerate() {
            ix.defs.insert(Target::Test(i as u32), t.span);
        }
        let mut walk = Walk {
            program,
            sources,
            refs: Vec::new(),
        };
        // Types named in declarations: `input hire: Hire`, `hires: list of Hire`.
        for x in &program.inputs {
            walk.type_names(&x.ty, x.span);
        }
        for r in &program.records {
            for f in &r.fields {
                walk.type_names(&f.ty, f.span);
            }
        }
        for p in &program.params {
            walk.type_names(&p.ty, p.span);
        }
        for c in &program.clauses {
            if let Some((_, ty)) = &c.subject {
                walk.type_names(ty, c.span);
            }
            if let Some(e) = &c.eligible {
                walk.expr(e);
            }
            if let Some(f) = &c.in_force
                && let Some(on) = &f.on
            {
                walk.expr(on);
            }
        }
        for d in &program.defs {
            walk.expr(&d.expr);
            for (a, b) in &d.unless {
                walk.expr(a);
                walk.expr(b);
            }
        }
        for a in &program.amends {
            walk.expr(&a.cond);
            walk.expr(&a.then);
        }
        for p in &program.params {
            for (_, e) in &p.values {
                walk.expr(e);
            }
        }
        for t in &program.tests {
            if let Some(e) = &t.today {
                walk.expr(e);
            }
            for f in &t.facts {
                walk.fact_path(f.input.0, &f.fields, f.span);
                walk.expr(&f.value);
            }
            for x in &t.expects {
                match x {
                    TestExpect::True(e, _) | TestExpect::Undetermined(e, _) => walk.expr(e),
                    TestExpect::Equal(a, b, _) => {
                        walk.expr(a);
                        walk.expr(b);
                    }
                }
            }
        }
        ix.refs = walk.refs;
        ix.refs.sort_by_key(|(s, _)| (s.file.0, s.range().start));
        // Spans compare equal whatever their place (for comparing trees):
        // duplicates are the same place and the same name.
        ix.refs.dedup_by(|a, b| a.0.same_place(&b.0) && a.1 == b.1);
        ix
    }

    /// The name at `offset` of `file`: a use, or a declaration.
    pub fn at(&self, file: FileId, offset: usize) -> Option<(Span, Target)> {
        let inside =
            |s: &Span| s.file == file && s.range().start <= offset && offset <= s.range().end;
        self.refs
            .iter()
            .find(|(s, _)| inside(s))
            .copied()
            .or_else(|| {
                self.defs
                    .iter()
                    .filter(|(t, _)| !matches!(t, Target::Test(_)))
                    .find(|(_, s)| inside(s))
                    .map(|(t, s)| (*s, *t))
            })
    }

    /// Every use of `target`, and its declaration first.
    pub fn occurrences(&self, target: Target) -> Vec<Span> {
        let mut out: Vec<Span> = self.defs.get(&target).copied().into_iter().collect();
        out.extend(
            self.refs
                .iter()
                .filter(|(_, t)| *t == target)
                .map(|(s, _)| *s),
        );
        out
    }
}

struct Walk<'a> {
    program: &'a Program,
    sources: &'a SourceMap,
    refs: Vec<(Span, Target)>,
}

impl Walk<'_> {
    fn add(&mut self, span: Span, name: &str, last: bool, t: Target) {
        if let Some(s) = name_in(self.sources, span, name, last) {
            self.refs.push((s, t));
        }
    }

    fn member(&mut self, span: Span, m: Member, clause_first: bool) {
        match m {
            Member::Def(d) => {
                let def = &self.program.defs[d.index()];
                if clause_first {
                    let c = &self.program.clauses[def.clause.index()];
                    self.add(span, &c.name, false, Target::Clause(def.clause.0));
                }
                self.add(span, &def.name, true, Target::Def(d.0));
            }
            Member::Eligible(c) => {
                let name = &self.program.clauses[c.index()].name;
                self.add(span, name, false, Target::Clause(c.0));
            }
        }
    }

    /// The record and enum names of a declared type, written after the
    /// declaration's name on its line (or before the `{` of a clause).
    fn type_names(&mut self, ty: &Type, span: Span) {
        let text = &self.sources.file(span.file).text;
        let start = span.range().start.min(text.len());
        let end = text[start..]
            .find(['\n', '{'])
            .map_or(text.len(), |i| start + i);
        let span = Span::new(span.file, start, end);
        self.type_names_in(ty, span);
    }

    fn type_names_in(&mut self, ty: &Type, span: Span) {
        match ty {
            Type::List(t) => self.type_names_in(t, span),
            Type::Record(r) => {
                let name = self.program.records[r.index()].name.clone();
                self.add(span, &name, true, Target::Record(r.0));
            }
            Type::Enum(e) => {
                let name = self.program.enums[e.index()].name.clone();
                self.add(span, &name, true, Target::Enum(e.0));
            }
            _ => {}
        }
    }

    /// `input.field.field` of a test's fact.
    fn fact_path(&mut self, input: u32, fields: &[usize], span: Span) {
        let inp = &self.program.inputs[input as usize];
        self.add(span, &inp.name, false, Target::Input(input));
        let mut ty = inp.ty.clone();
        for &f in fields {
            while let Type::List(t) = ty {
                ty = *t;
            }
            let Type::Record(r) = ty else { return };
            let field = &self.program.records[r.index()].fields[f];
            self.add(span, &field.name, false, Target::Field(r.0, f as u32));
            ty = field.ty.clone();
        }
    }

    fn expr(&mut self, e: &TExpr) {
        match &e.kind {
            TExprKind::Input(i) => {
                let name = self.program.inputs[i.index()].name.clone();
                self.add(e.span, &name, false, Target::Input(i.0));
            }
            TExprKind::Param(p, at) => {
                let name = self.program.params[p.index()].name.clone();
                self.add(e.span, &name, false, Target::Param(p.0));
                if let Some(at) = at {
                    self.expr(at);
                }
            }
            TExprKind::Member(m) => {
                let text = self.sources.slice(e.span);
                self.member(e.span, *m, text.contains('.'));
            }
            TExprKind::Call {
                clause,
                subject,
                member,
            } => {
                let name = self.program.clauses[clause.index()].name.clone();
                self.add(e.span, &name, false, Target::Clause(clause.0));
                self.expr(subject);
                if let Member::Def(d) = member {
                    let def = self.program.defs[d.index()].name.clone();
                    self.add(e.span, &def, true, Target::Def(d.0));
                }
            }
            TExprKind::Field(inner, f) => {
                self.expr(inner);
                let mut ty = inner.ty.clone();
                while let Type::List(t) = ty {
                    ty = *t;
                }
                if let Type::Record(r) = ty {
                    let name = self.program.records[r.index()].fields[*f as usize]
                        .name
                        .clone();
                    let after = Span::new(e.span.file, inner.span.range().end, e.span.range().end);
                    self.add(after, &name, true, Target::Field(r.0, *f));
                }
            }
            TExprKind::Variant(en, v) => {
                let text = self.sources.slice(e.span).to_string();
                let enum_name = self.program.enums[en.index()].name.clone();
                if text.contains('.') {
                    self.add(e.span, &enum_name, false, Target::Enum(en.0));
                }
                let variant = self.program.enums[en.index()].variants[*v as usize].clone();
                self.add(e.span, &variant, true, Target::Variant(en.0, *v));
            }
            TExprKind::Record(r, fields) => {
                let record = &self.program.records[r.index()];
                let names: Vec<(u32, String)> = fields
                    .iter()
                    .enumerate()
                    .filter(|(_, f)| f.is_some())
                    .map(|(j, _)| (j as u32, record.fields[j].name.clone()))
                    .collect();
                for (j, name) in names {
                    self.add(e.span, &name, false, Target::Field(r.0, j));
                }
                for f in fields.iter().flatten() {
                    self.expr(f);
                }
            }
            TExprKind::Widen(a) | TExprKind::Unary(_, a) => self.expr(a),
            TExprKind::Binary(_, a, b) => {
                self.expr(a);
                self.expr(b);
            }
            TExprKind::Between(a, b, c) | TExprKind::If(a, b, c) => {
                self.expr(a);
                self.expr(b);
                self.expr(c);
            }
            TExprKind::Set(items) | TExprKind::List(items) | TExprKind::Builtin(_, items) => {
                for i in items {
                    self.expr(i);
                }
            }
            TExprKind::Comprehension {
                body, list, filter, ..
            } => {
                self.expr(list);
                if let Some(b) = body {
                    self.expr(b);
                }
                if let Some(f) = filter {
                    self.expr(f);
                }
            }
            TExprKind::Lit(_) | TExprKind::Today | TExprKind::Local(_) => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_of(text: &str) -> (crate::check::Checked, Index) {
        let mut sources = SourceMap::new();
        sources.add("p.pol", None, text.to_string());
        let checked = crate::package::check_sources(sources, std::path::Path::new("."))
            .unwrap_or_else(|_| panic!("checks"));
        let ix = Index::of(&checked);
        (checked, ix)
    }

    #[test]
    fn types_named_in_declarations_are_uses() {
        let text = "enum Size { small, large }\nrecord Hire {\n  size: Size\n}\ninput hire: Hire\ninput hires: list of Hire\nclause c for h: Hire {\n  output s = h.size = Size.small\n}\n";
        let (_, ix) = index_of(text);
        let uses = |t: Target| {
            ix.refs
                .iter()
                .filter(|(_, x)| *x == t)
                .map(|(s, _)| &text[s.range()])
                .collect::<Vec<_>>()
        };
        assert_eq!(uses(Target::Record(0)), ["Hire", "Hire", "Hire"]);
        assert_eq!(uses(Target::Enum(0)), ["Size", "Size"]);
        assert_eq!(uses(Target::Field(0, 0)), ["size"]);
        assert_eq!(uses(Target::Variant(0, 0)), ["small"]);
    }
}

//! Name resolution and type checking: from parsed modules to a [`Checked`]
//! program, reporting every error found (LANGUAGE.md §2–5).
//!
//! The checker recovers from each error with [`Type::Error`], which goes
//! with any type, so one mistake is reported once and the rest of the
//! package is still checked.

mod expr;
pub mod ir;

pub mod suggest;

use crate::diagnostic::Diagnostic;
use crate::i18n::tr;
use crate::lang::types::{EnumId, RecordId, Type, fits};
use crate::source::{SourceMap, Span};
use crate::syntax::ast::Combine;
use crate::syntax::ast::{self, BinOp, DefKind, Literal};
use ir::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

/// A package that has passed the checker: the only thing the evaluator
/// accepts.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
pub struct Checked {
    program: Program,
    sources: SourceMap,
    names: Names,
    /// Files the check read besides the package's own (the policy's
    /// `source`), with their text: what a kept copy of the check depends on.
    documents: Vec<(PathBuf, String)>,
}

/// The names of a package, kept to check expressions typed later (the
/// REPL) against it.
#[derive(serde::Serialize, serde::Deserialize, Debug, Clone)]
struct Names {
    globals: HashMap<String, (Global, Span)>,
    variants: HashMap<String, Vec<(EnumId, u32)>>,
    members: Vec<HashMap<String, DefId>>,
}

impl Checked {
    /// The files the check read besides the package's own, with their text.
    pub fn documents(&self) -> &[(PathBuf, String)] {
        &self.documents
    }

    pub fn program(&self) -> &Program {
        &self.program
    }

    pub fn sources(&self) -> &SourceMap {
        &self.sources
    }

    /// Types an expression written outside the package (a line at the
    /// REPL): it may read inputs, parameters and clause results, like a
    /// test's `expect`. `sources` must hold the file of its spans.
    pub fn check_expression(
        &self,
        sources: &SourceMap,
        e: &ast::Expr,
    ) -> Result<TExpr, Vec<Diagnostic>> {
        let mut checker = Checker::for_expressions(self, sources);
        let mut scope = Scope::new(Ctx::Expect);
        let te = checker.expr(e, &mut scope, None);
        if checker.diags.is_empty() {
            Ok(te)
        } else {
            Err(checker.diags)
        }
    }

    /// Resolves a fact's path (`hire.contract_term`,
    /// `employer.hires[0].wage`) to its input, steps and type.
    pub fn fact_path(
        &self,
        sources: &SourceMap,
        path: &ast::FactPath,
    ) -> Result<(InputId, Vec<usize>, Type), Vec<Diagnostic>> {
        let mut checker = Checker::for_expressions(self, sources);
        checker.fact_path(path).ok_or(checker.diags)
    }

    /// Checks a fact written outside the package (`hire.contract_term = 6
    /// months` at the REPL) as a test's fact is checked.
    pub fn check_fact(
        &self,
        sources: &SourceMap,
        path: &ast::FactPath,
        value: &ast::Expr,
    ) -> Result<Fact, Vec<Diagnostic>> {
        let mut checker = Checker::for_expressions(self, sources);
        let span = path.input.span.to(value.span);
        let fact = checker.fact_path(path).map(|(input, fields, ty)| {
            let mut scope = Scope::new(Ctx::Fact);
            let te = checker.expr(value, &mut scope, Some(&ty));
            let written = path.written();
            let value = checker.coerce(te, &ty, &format!("`{written}`"));
            Fact {
                input,
                fields,
                path: written,
                value,
                span,
            }
        });
        match fact {
            Some(f) if checker.diags.is_empty() => Ok(f),
            _ => Err(checker.diags),
        }
    }
}

/// Checks parsed modules. `base` is the directory that `source "FILE"` is
/// relative to.
pub fn check(
    sources: SourceMap,
    modules: &[ast::Module],
    base: &Path,
) -> Result<Checked, (SourceMap, Vec<Diagnostic>)> {
    let mut checker = Checker::new(&sources, base);
    checker.run(modules);
    if checker.diags.is_empty() {
        let documents = std::mem::take(&mut checker.documents);
        let (program, names) = checker.finish();
        Ok(Checked {
            program,
            sources,
            names,
            documents,
        })
    } else {
        let diags = std::mem::take(&mut checker.diags);
        drop(checker);
        Err((sources, diags))
    }
}

const BUILTIN_TYPES: &[&str] = &[
    "bool", "int", "decimal", "money", "date", "duration", "period", "text",
];
/// Every function name that is built in: those of [`Builtin::CALLED`] and
/// the list functions that take a comprehension.
pub fn builtin_functions() -> Vec<&'static str> {
    let mut names: Vec<&str> = Builtin::CALLED.iter().map(|b| b.name()).collect();
    names.extend(["count", "any", "all"]);
    names
}

#[derive(serde::Serialize, serde::Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
enum Global {
    Enum(EnumId),
    Record(RecordId),
    Input(InputId),
    Param(ParamId),
    Clause(ClauseId),
}

impl Global {
    fn describe(self) -> String {
        match self {
            Global::Enum(_) => tr!("check-text-1"),
            Global::Record(_) => tr!("check-global-record"),
            Global::Input(_) => tr!("check-text-2"),
            Global::Param(_) => tr!("check-global-parameter"),
            Global::Clause(_) => tr!("check-global-clause"),
        }
    }
}

/// A definition whose value another needs: the nodes of the dependency
/// graph in which cycles are errors.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Node {
    Def(DefId),
    Eligible(ClauseId),
    /// The date a clause's `in force … on` tests.
    InForce(ClauseId),
    Param(ParamId),
}

/// Where an expression stands, which decides what it may read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Ctx {
    /// Inside a clause (or an amendment): anything.
    Clause,
    /// A parameter's dated value: constants and other parameters.
    Param,
    /// A test's fact or `today`: constants only.
    Fact,
    /// A fact's default (`input x: bool = false`): constants, without
    /// `today`.
    Default,
    /// A test's expectation: inputs and clause results.
    Expect,
}

#[derive(Clone)]
struct Scope {
    ctx: Ctx,
    /// The clause whose own names are visible bare.
    clause: Option<ClauseId>,
    /// The type of slot 0 when the scope is a per-subject clause.
    subject: Option<Type>,
    /// Names in scope and the slot each reads (an amendment may know one
    /// subject under two names).
    locals: Vec<(String, Type, u32)>,
    /// Slots taken (the subject, then comprehension variables).
    slots: u32,
    /// The definition being checked, for the dependency graph.
    node: Option<Node>,
}

impl Scope {
    fn new(ctx: Ctx) -> Scope {
        Scope {
            ctx,
            clause: None,
            subject: None,
            locals: Vec::new(),
            slots: 0,
            node: None,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum DefState {
    Pending,
    InProgress,
    Done,
}

struct Checker<'a> {
    sources: &'a SourceMap,
    base: &'a Path,
    /// The files read besides the package's, with their text.
    documents: Vec<(PathBuf, String)>,
    diags: Vec<Diagnostic>,
    globals: HashMap<String, (Global, Span)>,
    variants: HashMap<String, Vec<(EnumId, u32)>>,
    program: Program,
    /// Per clause: member name → definition.
    members: Vec<HashMap<String, DefId>>,
    def_ast: Vec<&'a ast::Def>,
    def_state: Vec<DefState>,
    clause_ast: Vec<&'a ast::ClauseDecl>,
    graph: HashMap<Node, Vec<(Node, Span)>>,
    /// Amendments whose `over` is linked once every amendment is known.
    pending_overs: Vec<(AmendId, Option<ast::Ident>)>,
}

fn placeholder(span: Span) -> TExpr {
    TExpr {
        kind: TExprKind::Lit(Literal::Bool(false)),
        ty: Type::Error,
        span,
    }
}

fn error_expr(span: Span) -> TExpr {
    placeholder(span)
}

impl<'a> Checker<'a> {
    fn new(sources: &'a SourceMap, base: &'a Path) -> Checker<'a> {
        Checker {
            sources,
            base,
            documents: Vec::new(),
            diags: Vec::new(),
            globals: HashMap::new(),
            variants: HashMap::new(),
            program: Program {
                policy: None,
                enums: Vec::new(),
                records: Vec::new(),
                inputs: Vec::new(),
                params: Vec::new(),
                clauses: Vec::new(),
                defs: Vec::new(),
                amends: Vec::new(),
                tests: Vec::new(),
            },
            members: Vec::new(),
            def_ast: Vec::new(),
            def_state: Vec::new(),
            clause_ast: Vec::new(),
            graph: HashMap::new(),
            pending_overs: Vec::new(),
        }
    }

    fn finish(self) -> (Program, Names) {
        let names = Names {
            globals: self.globals,
            variants: self.variants,
            members: self.members,
        };
        (self.program, names)
    }

    /// A checker for expressions written after the package was checked.
    fn for_expressions(checked: &Checked, sources: &'a SourceMap) -> Checker<'a> {
        let mut c = Checker::new(sources, Path::new(""));
        c.program = checked.program.clone();
        c.globals = checked.names.globals.clone();
        c.variants = checked.names.variants.clone();
        c.members = checked.names.members.clone();
        c.def_state = vec![DefState::Done; c.program.defs.len()];
        c
    }

    fn err(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn show(&self, t: &Type) -> String {
        self.program.show(t).to_string()
    }

    fn text(&self, span: Span) -> &'a str {
        self.sources.slice(span)
    }

    // ------------------------------------------------------------ the run

    fn run(&mut self, modules: &'a [ast::Module]) {
        let decls: Vec<&'a ast::Decl> = modules.iter().flat_map(|m| m.decls.iter()).collect();
        self.declare(&decls);
        self.inherit_validity();
        self.resolve_signatures(&decls);
        self.check_fact_decls(&decls);
        self.declare_members();
        for c in 0..self.clause_ast.len() {
            self.check_clause(ClauseId(c as u32));
        }
        for c in 0..self.clause_ast.len() {
            self.check_amendments(ClauseId(c as u32));
        }
        self.link_overs();
        for d in &decls {
            if let ast::Decl::Parameter(p) = d {
                self.check_param_values(p);
            }
        }
        let tests: Vec<&ast::TestDecl> = decls
            .iter()
            .filter_map(|d| match d {
                ast::Decl::Test(t) => Some(t),
                _ => None,
            })
            .collect();
        self.check_tests(&tests);
        if self.check_cycles() {
            self.check_depth();
        }
        self.check_quotes();
    }

    /// `in force FROM to TO` with TO before FROM, of a clause or the policy.
    fn in_force_order(
        &mut self,
        from: crate::lang::scalar::Date,
        to: crate::lang::scalar::Date,
        span: Span,
        message: String,
    ) {
        self.err(
            Diagnostic::new("pol::check::in_force_order", span, message)
                .label(tr!("check-in-force-order-label"))
                .help(tr!(
                    "check-in-force-order-help",
                    to = to.to_string(),
                    from = from.to_string()
                )),
        );
    }

    /// The policy's validity is every clause's that has no `in force` of its
    /// own; a period that ends before it starts is refused once, at the
    /// policy.
    fn inherit_validity(&mut self) {
        let Some(f) = self
            .program
            .policy
            .as_ref()
            .and_then(|p| p.in_force.clone())
        else {
            return;
        };
        if let Some(to) = f.to
            && f.from > to
        {
            let message = tr!(
                "check-policy-in-force-order",
                from = f.from.to_string(),
                to = to.to_string()
            );
            self.in_force_order(f.from, to, f.span, message);
            return;
        }
        for clause in &mut self.program.clauses {
            if clause.in_force.is_none() {
                clause.in_force = Some(InForce {
                    inherited: true,
                    ..f.clone()
                });
            }
        }
    }

    /// Registers every top-level name; duplicates are errors.
    fn declare(&mut self, decls: &[&'a ast::Decl]) {
        for decl in decls {
            let (name, global) = match decl {
                ast::Decl::Policy(p) => {
                    if let Some(first) = &self.program.policy {
                        let first_span = first.span;
                        self.err(
                            Diagnostic::new(
                                "pol::check::duplicate_policy",
                                p.span,
                                tr!("check-duplicate-policy"),
                            )
                            .label(tr!("check-duplicate-policy-label"))
                            .also(first_span, tr!("check-duplicate-policy-also"))
                            .help(tr!("check-duplicate-policy-help")),
                        );
                    } else {
                        if let Some(f) = &p.in_force
                            && let Some(on) = &f.on
                        {
                            self.err(
                                Diagnostic::new(
                                    "pol::check::policy_in_force_on",
                                    on.span,
                                    tr!("check-policy-in-force-on"),
                                )
                                .label(tr!("check-policy-in-force-on-label"))
                                .help(tr!("check-policy-in-force-on-help")),
                            );
                        }
                        self.program.policy = Some(Policy {
                            in_force: p.in_force.as_ref().map(|f| InForce {
                                from: f.from,
                                to: f.to,
                                on: None,
                                span: f.span,
                                inherited: false,
                            }),
                            title: p.title.value.clone(),
                            issued: p.issued.map(|(d, _)| d),
                            source: p.source.as_ref().map(|s| s.value.clone()),
                            source_span: p.source.as_ref().map(|s| s.span),
                            span: p.span,
                        });
                    }
                    continue;
                }
                ast::Decl::Enum(e) => {
                    let id = EnumId(self.program.enums.len() as u32);
                    let mut seen: HashMap<&str, Span> = HashMap::new();
                    let mut variants = Vec::new();
                    for v in &e.variants {
                        if let Some(first) = seen.get(v.name.as_str()) {
                            let first = *first;
                            self.err(
                                Diagnostic::new(
                                    "pol::check::duplicate",
                                    v.span,
                                    tr!(
                                        "check-duplicate",
                                        v = v.name.to_string(),
                                        e = e.name.name.to_string()
                                    ),
                                )
                                .label(tr!("check-duplicate-label"))
                                .also(first, tr!("check-duplicate-also"))
                                .help(tr!("check-duplicate-help")),
                            );
                            continue;
                        }
                        seen.insert(&v.name, v.span);
                        self.variants
                            .entry(v.name.clone())
                            .or_default()
                            .push((id, variants.len() as u32));
                        variants.push(v.name.clone());
                    }
                    if variants.is_empty() {
                        self.err(
                            Diagnostic::new(
                                "pol::check::empty_enum",
                                e.name.span,
                                tr!("check-empty-enum", e = e.name.name.to_string()),
                            )
                            .label(tr!("check-empty-enum-label"))
                            .help(tr!("check-empty-enum-help")),
                        );
                    }
                    self.program.enums.push(EnumInfo {
                        name: e.name.name.clone(),
                        variants,
                        span: e.span,
                    });
                    (&e.name, Global::Enum(id))
                }
                ast::Decl::Record(r) => {
                    let id = RecordId(self.program.records.len() as u32);
                    self.program.records.push(RecordInfo {
                        name: r.name.name.clone(),
                        fields: Vec::new(),
                        span: r.span,
                    });
                    (&r.name, Global::Record(id))
                }
                ast::Decl::Input(i) => {
                    let id = InputId(self.program.inputs.len() as u32);
                    self.program.inputs.push(InputInfo {
                        name: i.name.name.clone(),
                        ty: Type::Error,
                        label: i.label.as_ref().map(|l| l.value.clone()),
                        range: None,
                        default: None,
                        span: i.span,
                    });
                    (&i.name, Global::Input(id))
                }
                ast::Decl::Parameter(p) => {
                    let id = ParamId(self.program.params.len() as u32);
                    self.program.params.push(ParamInfo {
                        name: p.name.name.clone(),
                        ty: Type::Error,
                        label: p.label.as_ref().map(|l| l.value.clone()),
                        values: Vec::new(),
                        span: p.span,
                    });
                    (&p.name, Global::Param(id))
                }
                ast::Decl::Clause(c) => {
                    let id = ClauseId(self.program.clauses.len() as u32);
                    self.program.clauses.push(ClauseInfo {
                        name: c.name.name.clone(),
                        label: c.label.as_ref().map(|l| l.value.clone()),
                        subject: None,
                        // `on` is typed with the clause's items.
                        in_force: c.in_force.as_ref().map(|f| InForce {
                            from: f.from,
                            to: f.to,
                            on: None,
                            span: f.span,
                            inherited: false,
                        }),
                        quotes: Vec::new(),
                        eligible: None,
                        defs: Vec::new(),
                        span: c.span,
                    });
                    self.clause_ast.push(c);
                    self.members.push(HashMap::new());
                    (&c.name, Global::Clause(id))
                }
                ast::Decl::Test(_) => continue,
            };
            if BUILTIN_TYPES.contains(&name.name.as_str()) {
                self.err(
                    Diagnostic::new(
                        "pol::check::builtin_name",
                        name.span,
                        tr!("check-builtin-name", name = name.name.to_string()),
                    )
                    .label(tr!("check-builtin-name-label"))
                    .help(tr!("check-builtin-name-help", name = name.name.to_string())),
                );
                continue;
            }
            if let Some((first, first_span)) = self.globals.get(&name.name) {
                let (first, first_span) = (*first, *first_span);
                self.err(
                    Diagnostic::new(
                        "pol::check::duplicate",
                        name.span,
                        tr!("check-duplicate-2", name = name.name.to_string()),
                    )
                    .label(tr!(
                        "check-duplicate-2-label",
                        global = (global.describe()).to_string(),
                        name = name.name.to_string()
                    ))
                    .also(
                        first_span,
                        tr!(
                            "check-duplicate-2-also",
                            describe = (first.describe()).to_string()
                        ),
                    )
                    .help(tr!("check-duplicate-2-help")),
                );
                continue;
            }
            self.globals.insert(name.name.clone(), (global, name.span));
        }
    }

    fn resolve_type(&mut self, t: &ast::TypeExpr) -> Type {
        match t {
            ast::TypeExpr::List(inner, _) => Type::List(Box::new(self.resolve_type(inner))),
            ast::TypeExpr::Named(id) => match id.name.as_str() {
                "bool" => Type::Bool,
                "int" => Type::Int,
                "decimal" => Type::Decimal,
                "money" => Type::Money,
                "date" => Type::Date,
                "duration" => Type::Duration,
                "period" => Type::Period,
                "text" => Type::Text,
                name => match self.globals.get(name) {
                    Some((Global::Enum(e), _)) => Type::Enum(*e),
                    Some((Global::Record(r), _)) => Type::Record(*r),
                    Some((g, _)) => {
                        let g = *g;
                        self.err(
                            Diagnostic::new(
                                "pol::check::not_a_type",
                                id.span,
                                tr!(
                                    "check-not-a-type",
                                    name = name.to_string(),
                                    g = (g.describe()).to_string()
                                ),
                            )
                            .label(tr!("check-not-a-type-label"))
                            .help(tr!("check-not-a-type-help")),
                        );
                        Type::Error
                    }
                    None => {
                        let mut candidates: Vec<&str> = BUILTIN_TYPES.to_vec();
                        candidates.extend(self.globals.iter().filter_map(|(n, (g, _))| {
                            matches!(g, Global::Enum(_) | Global::Record(_)).then_some(n.as_str())
                        }));
                        let help = match suggest::did_you_mean(name, candidates) {
                            Some(s) => tr!("check-text-3", s = s.to_string()),
                            None => tr!("check-text-4"),
                        };
                        self.err(
                            Diagnostic::new(
                                "pol::check::unknown_type",
                                id.span,
                                tr!("check-unknown-type", name = name.to_string()),
                            )
                            .label(tr!("check-unknown-type-label"))
                            .help(help),
                        );
                        Type::Error
                    }
                },
            },
        }
    }

    fn resolve_signatures(&mut self, decls: &[&'a ast::Decl]) {
        let (mut r, mut i, mut p) = (0usize, 0usize, 0usize);
        for decl in decls {
            match decl {
                ast::Decl::Record(rec) => {
                    let mut fields: Vec<FieldInfo> = Vec::new();
                    for f in &rec.fields {
                        if let Some(first) = fields.iter().find(|x| x.name == f.name.name) {
                            let first_span = first.span;
                            self.err(
                                Diagnostic::new(
                                    "pol::check::duplicate",
                                    f.name.span,
                                    tr!(
                                        "check-duplicate-3",
                                        f = f.name.name.to_string(),
                                        rec = rec.name.name.to_string()
                                    ),
                                )
                                .label(tr!("check-duplicate-3-label"))
                                .also(first_span, tr!("check-duplicate-3-also"))
                                .help(tr!("check-duplicate-3-help")),
                            );
                            continue;
                        }
                        let ty = self.resolve_type(&f.ty);
                        fields.push(FieldInfo {
                            name: f.name.name.clone(),
                            ty,
                            label: f.label.as_ref().map(|l| l.value.clone()),
                            range: None,
                            default: None,
                            span: f.name.span,
                        });
                    }
                    // Only the first of duplicate records was registered.
                    if self
                        .globals
                        .get(&rec.name.name)
                        .map(|g| g.1.same_place(&rec.name.span))
                        == Some(true)
                    {
                        self.program.records[r].fields = fields;
                    }
                    r += 1;
                }
                ast::Decl::Input(inp) => {
                    self.program.inputs[i].ty = self.resolve_type(&inp.ty);
                    i += 1;
                }
                ast::Decl::Parameter(par) => {
                    self.program.params[p].ty = self.resolve_type(&par.ty);
                    if par.values.is_empty() {
                        self.err(
                            Diagnostic::new(
                                "pol::check::parameter_without_value",
                                par.name.span,
                                tr!(
                                    "check-parameter-without-value",
                                    par = par.name.name.to_string()
                                ),
                            )
                            .label(tr!("check-parameter-without-value-label"))
                            .help(tr!("check-parameter-without-value-help")),
                        );
                    }
                    p += 1;
                }
                _ => {}
            }
        }
        for (c, clause) in self.clause_ast.clone().into_iter().enumerate() {
            if let Some((var, t)) = &clause.subject {
                let ty = self.resolve_type(t);
                self.program.clauses[c].subject = Some((var.name.clone(), ty));
            }
            if let Some(f) = &clause.in_force
                && let Some(to) = f.to
                && f.from > to
            {
                let message = tr!(
                    "check-in-force-order",
                    from = f.from.to_string(),
                    to = to.to_string()
                );
                self.in_force_order(f.from, to, f.span, message);
            }
        }
    }

    /// The ranges and defaults of inputs and fields: constants of the
    /// fact's type, for facts of a type a case gives as one value.
    fn check_fact_decls(&mut self, decls: &[&'a ast::Decl]) {
        let (mut r, mut i) = (0, 0);
        for decl in decls {
            match decl {
                ast::Decl::Record(rec) => {
                    let registered = self
                        .globals
                        .get(&rec.name.name)
                        .map(|g| g.1.same_place(&rec.name.span))
                        == Some(true);
                    if registered {
                        for f in &rec.fields {
                            let d = &f.default;
                            if d.is_none() && f.range.is_none() {
                                continue;
                            }
                            let Some(k) = self.program.records[r]
                                .fields
                                .iter()
                                .position(|x| x.span.same_place(&f.name.span))
                            else {
                                continue;
                            };
                            let ty = self.program.records[r].fields[k].ty.clone();
                            let path = format!("{}.{}", rec.name.name, f.name.name);
                            let range = f
                                .range
                                .as_ref()
                                .and_then(|x| self.fact_range(x, &ty, &path));
                            let te = d.as_ref().and_then(|d| self.default_value(d, &ty, &path));
                            if let (Some(range), Some(te)) = (&range, &te) {
                                self.default_in_range(te, range, &path);
                            }
                            let info = &mut self.program.records[r].fields[k];
                            info.range = range;
                            info.default = te;
                        }
                    }
                    r += 1;
                }
                ast::Decl::Input(inp) => {
                    let ty = self.program.inputs[i].ty.clone();
                    let path = &inp.name.name;
                    let range = inp
                        .range
                        .as_ref()
                        .and_then(|x| self.fact_range(x, &ty, path));
                    let te = inp
                        .default
                        .as_ref()
                        .and_then(|d| self.default_value(d, &ty, path));
                    if let (Some(range), Some(te)) = (&range, &te) {
                        self.default_in_range(te, range, path);
                    }
                    self.program.inputs[i].range = range;
                    self.program.inputs[i].default = te;
                    i += 1;
                }
                _ => {}
            }
        }
    }

    /// A fact's range: bounds that are literals of an ordered type, the
    /// lower not above the upper.
    fn fact_range(&mut self, r: &ast::FactRange, ty: &Type, path: &str) -> Option<FactRange> {
        if *ty == Type::Error {
            return None;
        }
        if !matches!(ty, Type::Int | Type::Decimal | Type::Money | Type::Date) {
            self.err(
                Diagnostic::new(
                    "pol::check::range_type",
                    r.span,
                    tr!("check-range-type", path = path, ty = self.show(ty)),
                )
                .label(tr!("check-range-type-label"))
                .help(tr!("check-range-type-help")),
            );
            return None;
        }
        let bound =
            |this: &mut Self, b: &Option<(ast::Expr, bool)>| -> Option<Option<(Literal, bool)>> {
                let Some((e, inclusive)) = b else {
                    return Some(None);
                };
                let mut scope = Scope::new(Ctx::Default);
                let te = this.expr(e, &mut scope, Some(ty));
                let te = this.coerce(te, ty, &tr!("what-range", path = path));
                if te.ty == Type::Error {
                    return None;
                }
                match literal_of(&te) {
                    Some(l) => Some(Some((l, *inclusive))),
                    None => {
                        this.err(
                            Diagnostic::new(
                                "pol::check::range_bound",
                                e.span,
                                tr!("check-range-bound", path = path),
                            )
                            .label(tr!("check-range-bound-label"))
                            .help(tr!("check-range-bound-help")),
                        );
                        None
                    }
                }
            };
        let lower = bound(self, &r.lower)?;
        let upper = bound(self, &r.upper)?;
        let text = |this: &Self, b: &Option<(ast::Expr, bool)>| {
            b.as_ref()
                .map_or(String::new(), |(e, _)| this.text(e.span).to_string())
        };
        let written = match (&r.lower, &r.upper) {
            (Some(_), Some(_)) => format!(
                "between {} and {}",
                text(self, &r.lower),
                text(self, &r.upper)
            ),
            (Some((_, true)), None) => format!(">= {}", text(self, &r.lower)),
            (Some((_, false)), None) => format!("> {}", text(self, &r.lower)),
            (None, Some((_, true))) => format!("<= {}", text(self, &r.upper)),
            _ => format!("< {}", text(self, &r.upper)),
        };
        if let (Some((lo, _)), Some((hi, _))) = (&lower, &upper)
            && literal_cmp(lo, hi) == Some(std::cmp::Ordering::Greater)
        {
            self.err(
                Diagnostic::new(
                    "pol::check::range_empty",
                    r.span,
                    tr!("check-range-empty", path = path, range = &written),
                )
                .label(tr!("check-range-empty-label"))
                .help(tr!("check-range-empty-help")),
            );
            return None;
        }
        Some(FactRange {
            lower,
            upper,
            written,
            span: r.span,
        })
    }

    /// A default outside its fact's own range is refused: it would make
    /// every case that leaves the fact out an error.
    fn default_in_range(&mut self, default: &TExpr, range: &FactRange, path: &str) {
        let Some(value) = literal_of(default) else {
            return;
        };
        if !literal_in_range(&value, range) {
            self.err(
                Diagnostic::new(
                    "pol::check::default_range",
                    default.span,
                    tr!("check-default-range", path = path, range = &range.written),
                )
                .label(tr!("check-default-range-label"))
                .help(tr!("check-default-range-help", range = &range.written)),
            );
        }
    }

    fn default_value(&mut self, d: &ast::Expr, ty: &Type, path: &str) -> Option<TExpr> {
        if matches!(ty, Type::Record(_) | Type::List(_) | Type::Period) {
            self.err(
                Diagnostic::new(
                    "pol::check::default_type",
                    d.span,
                    tr!("check-default-type", path = path, ty = self.show(ty)),
                )
                .label(tr!("check-default-type-label"))
                .help(tr!("check-default-type-help")),
            );
            return None;
        }
        if *ty == Type::Error {
            return None;
        }
        let mut scope = Scope::new(Ctx::Default);
        let te = self.expr(d, &mut scope, Some(ty));
        let te = self.coerce(te, ty, &tr!("what-default", path = path));
        (te.ty != Type::Error).then_some(te)
    }

    /// Registers the `let`s, `benefit`s and `output`s of every clause.
    fn declare_members(&mut self) {
        for (c, clause) in self.clause_ast.clone().into_iter().enumerate() {
            let cid = ClauseId(c as u32);
            let mut eligible_seen: Option<Span> = None;
            for item in &clause.items {
                match item {
                    ast::ClauseItem::Def(def) => {
                        if let Some(first) = self.members[c].get(&def.name.name) {
                            let first_span = self.program.defs[first.index()].span;
                            self.err(
                                Diagnostic::new(
                                    "pol::check::duplicate",
                                    def.name.span,
                                    tr!(
                                        "check-duplicate-4",
                                        def = def.name.name.to_string(),
                                        clause = clause.name.name.to_string()
                                    ),
                                )
                                .label(tr!("check-duplicate-4-label"))
                                .also(first_span, tr!("check-duplicate-4-also"))
                                .help(tr!("check-duplicate-4-help")),
                            );
                            continue;
                        }
                        let id = DefId(self.program.defs.len() as u32);
                        self.members[c].insert(def.name.name.clone(), id);
                        self.program.clauses[c].defs.push(id);
                        self.program.defs.push(DefInfo {
                            clause: cid,
                            kind: def.kind,
                            name: def.name.name.clone(),
                            ty: Type::Error,
                            expr: placeholder(def.expr.span),
                            unless: Vec::new(),
                            amendments: Vec::new(),
                            combine: None,
                            span: def.name.span,
                        });
                        self.def_ast.push(def);
                        self.def_state.push(DefState::Pending);
                    }
                    ast::ClauseItem::Eligible(_, span) => {
                        if let Some(first) = eligible_seen {
                            self.err(
                                Diagnostic::new(
                                    "pol::check::duplicate",
                                    *span,
                                    tr!("check-duplicate-5", clause = clause.name.name.to_string()),
                                )
                                .label(tr!("check-duplicate-5-label"))
                                .also(first, tr!("check-duplicate-5-also"))
                                .help(tr!("check-duplicate-5-help")),
                            );
                        }
                        eligible_seen = Some(*span);
                    }
                    _ => {}
                }
            }
        }
    }

    fn clause_scope(&self, c: ClauseId, node: Option<Node>) -> Scope {
        let info = &self.program.clauses[c.index()];
        let mut scope = Scope::new(Ctx::Clause);
        scope.clause = Some(c);
        scope.node = node;
        if let Some((name, ty)) = &info.subject {
            scope.subject = Some(ty.clone());
            scope.locals.push((name.clone(), ty.clone(), 0));
            scope.slots = 1;
        }
        scope
    }

    fn check_clause(&mut self, c: ClauseId) {
        let clause = self.clause_ast[c.index()];
        if let Some(on) = clause.in_force.as_ref().and_then(|f| f.on.as_ref()) {
            let mut scope = self.clause_scope(c, Some(Node::InForce(c)));
            let te = self.expr(on, &mut scope, Some(&Type::Date));
            let te = self.expect_date(te);
            self.edge(Some(Node::Eligible(c)), Node::InForce(c), on.span);
            if let Some(f) = &mut self.program.clauses[c.index()].in_force {
                f.on = Some(te);
            }
        }
        for item in &clause.items {
            match item {
                ast::ClauseItem::Quote(q) => {
                    self.program.clauses[c.index()].quotes.push(q.value.clone())
                }
                ast::ClauseItem::Eligible(e, _) => {
                    let mut scope = self.clause_scope(c, Some(Node::Eligible(c)));
                    let te = self.expr(e, &mut scope, Some(&Type::Bool));
                    let te = self.expect_bool(te, &tr!("check-text-5"));
                    if self.program.clauses[c.index()].eligible.is_none() {
                        self.program.clauses[c.index()].eligible = Some(te);
                    }
                }
                ast::ClauseItem::Def(def) => {
                    if let Some(&id) = self.members[c.index()].get(&def.name.name)
                        && self.program.defs[id.index()]
                            .span
                            .same_place(&def.name.span)
                    {
                        self.ensure_def(id);
                    }
                }
                ast::ClauseItem::Amend(_) => {}
            }
        }
    }

    /// Checks a definition once, first checking what it reads (so that its
    /// type is known wherever it is used). A definition met again while it
    /// is being checked is part of a cycle, reported by `check_cycles`.
    fn ensure_def(&mut self, id: DefId) -> Type {
        match self.def_state[id.index()] {
            DefState::Done => return self.program.defs[id.index()].ty.clone(),
            DefState::InProgress => return Type::Error,
            DefState::Pending => {}
        }
        self.def_state[id.index()] = DefState::InProgress;
        let def = self.def_ast[id.index()];
        let clause = self.program.defs[id.index()].clause;
        let declared = def.ty.as_ref().map(|t| self.resolve_type(t));
        let declared = match (def.kind, declared) {
            (DefKind::Benefit, Some(t)) if t != Type::Money && !t.is_error() => {
                let shown = self.show(&t);
                self.err(
                    Diagnostic::new(
                        "pol::check::benefit_type",
                        def.ty.as_ref().map_or(def.name.span, |t| t.span()),
                        tr!("check-benefit-type", shown = shown.to_string()),
                    )
                    .label(tr!("check-benefit-type-label"))
                    .help(tr!("check-benefit-type-help")),
                );
                Some(Type::Error)
            }
            (DefKind::Benefit, _) => Some(Type::Money),
            (_, d) => d,
        };
        let mut scope = self.clause_scope(clause, Some(Node::Def(id)));
        let te = self.expr(&def.expr, &mut scope, declared.as_ref());
        let (te, ty) = match &declared {
            Some(t) => {
                let what = match def.kind {
                    DefKind::Benefit => format!("benefit `{}`", def.name.name),
                    k => format!("{} `{}`", k.keyword(), def.name.name),
                };
                (self.coerce(te, t, &what), t.clone())
            }
            None => {
                let ty = te.ty.clone();
                (te, ty)
            }
        };
        // The type is known before the exceptions are checked, so that an
        // exception may read the definition's own clause.
        self.program.defs[id.index()].ty = ty.clone();
        self.program.defs[id.index()].expr = te;
        let mut unless = Vec::new();
        for u in &def.unless {
            let cond = self.expr(&u.cond, &mut scope, Some(&Type::Bool));
            let cond = self.expect_bool(cond, "`unless`");
            let then = self.expr(&u.then, &mut scope, Some(&ty));
            let then = self.coerce(
                then,
                &ty,
                &tr!("check-text-6", def = def.name.name.to_string()),
            );
            unless.push((cond, then));
        }
        if def.kind == DefKind::Benefit {
            self.edge(Some(Node::Def(id)), Node::Eligible(clause), def.name.span);
        }
        self.program.defs[id.index()].unless = unless;
        if let Some((rule, span)) = def.combine {
            let fits = match rule {
                Combine::Highest | Combine::Lowest => matches!(
                    ty,
                    Type::Int | Type::Decimal | Type::Money | Type::Date | Type::Duration
                ),
                Combine::Sum => matches!(ty, Type::Int | Type::Decimal | Type::Money),
                Combine::First => true,
            };
            if fits || ty.is_error() {
                self.program.defs[id.index()].combine = Some(rule);
            } else {
                let shown = self.show(&ty);
                self.err(
                    Diagnostic::new(
                        "pol::check::combine_type",
                        span,
                        tr!(
                            "check-combine-type",
                            rule = rule.word(),
                            def = def.name.name.to_string(),
                            ty = shown
                        ),
                    )
                    .label(tr!("check-combine-type-label"))
                    .help(tr!("check-combine-type-help")),
                );
            }
        }
        self.def_state[id.index()] = DefState::Done;
        ty
    }

    fn check_amendments(&mut self, c: ClauseId) {
        let clause = self.clause_ast[c.index()];
        // Each amendment: (id, its `over`).
        let mut made: Vec<(AmendId, &ast::Amend)> = Vec::new();
        for item in &clause.items {
            let ast::ClauseItem::Amend(a) = item else {
                continue;
            };
            let Some(target) = self.amend_target(a) else {
                continue;
            };
            let target_clause = self.program.defs[target.index()].clause;
            let target_subject = self.program.clauses[target_clause.index()].subject.clone();
            let own_subject = self.program.clauses[c.index()].subject.clone();
            // The scope: this clause's names, and the target's subject.
            let mut scope = self.clause_scope(c, Some(Node::Def(target)));
            match (&own_subject, &target_subject) {
                (Some((_, own)), Some((tname, tty))) => {
                    if fits(own, tty) {
                        scope.locals.push((tname.clone(), tty.clone(), 0));
                    } else {
                        let (o, t) = (self.show(own), self.show(tty));
                        self.err(
                            Diagnostic::new(
                                "pol::check::amend_subject",
                                a.span,
                                tr!(
                                    "check-amend-subject",
                                    clause = clause.name.name.to_string(),
                                    o = o.to_string(),
                                    clause2 = a.clause.name.to_string(),
                                    t = t.to_string()
                                ),
                            )
                            .label(tr!("check-amend-subject-label"))
                            .help(tr!("check-amend-subject-help")),
                        );
                        continue;
                    }
                }
                (Some((_, own)), None) => {
                    let o = self.show(own);
                    self.err(
                        Diagnostic::new(
                            "pol::check::amend_subject",
                            a.span,
                            tr!(
                                "check-amend-subject-2",
                                clause = clause.name.name.to_string(),
                                o = o.to_string(),
                                clause2 = a.clause.name.to_string()
                            ),
                        )
                        .label(tr!("check-amend-subject-2-label"))
                        .help(tr!("check-amend-subject-2-help")),
                    );
                    continue;
                }
                (None, Some((tname, tty))) => {
                    scope.subject = Some(tty.clone());
                    scope.locals.push((tname.clone(), tty.clone(), 0));
                    scope.slots = 1;
                }
                (None, None) => {}
            }
            let ty = self.program.defs[target.index()].ty.clone();
            let cond = self.expr(&a.cond, &mut scope, Some(&Type::Bool));
            let cond = self.expect_bool(cond, "`when`");
            let then = self.expr(&a.then, &mut scope, Some(&ty));
            let then = self.coerce(
                then,
                &ty,
                &tr!(
                    "check-text-7",
                    clause = a.clause.name.to_string(),
                    a = a.name.name.to_string()
                ),
            );
            let id = AmendId(self.program.amends.len() as u32);
            if let Some(&(_, first)) = made
                .iter()
                .find(|(prev, _)| self.program.amends[prev.index()].target == target)
            {
                self.err(
                    Diagnostic::new(
                        "pol::check::duplicate",
                        a.span,
                        tr!(
                            "check-duplicate-6",
                            clause = clause.name.name.to_string(),
                            clause2 = a.clause.name.to_string(),
                            a = a.name.name.to_string()
                        ),
                    )
                    .label(tr!("check-duplicate-6-label"))
                    .also(first.span, tr!("check-duplicate-6-also"))
                    .help(tr!("check-duplicate-6-help")),
                );
                continue;
            }
            // An amendment applies on the dates its clause is in force on.
            if clause.in_force.as_ref().is_some_and(|f| f.on.is_some()) {
                self.edge(Some(Node::Def(target)), Node::InForce(c), a.span);
            }
            self.program.amends.push(AmendInfo {
                clause: c,
                target,
                parent: None,
                children: Vec::new(),
                cond,
                then,
                span: a.span,
            });
            made.push((id, a));
        }
        self.pending_overs
            .extend(made.into_iter().map(|(id, a)| (id, a.over.clone())));
    }
}

impl<'a> Checker<'a> {
    /// Records that `from` needs `to` (for the cycle check).
    fn edge(&mut self, from: Option<Node>, to: Node, span: Span) {
        if let Some(from) = from {
            self.graph.entry(from).or_default().push((to, span));
        }
    }

    fn clause_names(&self) -> Vec<&str> {
        self.program
            .clauses
            .iter()
            .map(|c| c.name.as_str())
            .collect()
    }

    fn unknown_clause(&mut self, id: &ast::Ident) {
        let help = match suggest::did_you_mean(&id.name, self.clause_names()) {
            Some(s) => tr!("check-text-8", s = s.to_string()),
            None => tr!("check-text-9"),
        };
        let message = match self.globals.get(&id.name) {
            Some((g, _)) => format!("`{}` is {}, not a clause", id.name, g.describe()),
            None => tr!("check-text-10", id = id.name.to_string()),
        };
        self.err(
            Diagnostic::new("pol::check::unknown_clause", id.span, message)
                .label(tr!("check-unknown-clause-label"))
                .help(help),
        );
    }

    fn lookup_clause(&self, name: &str) -> Option<ClauseId> {
        match self.globals.get(name) {
            Some((Global::Clause(c), _)) => Some(*c),
            _ => None,
        }
    }

    /// The definition an `amend` names.
    fn amend_target(&mut self, a: &ast::Amend) -> Option<DefId> {
        let Some(c) = self.lookup_clause(&a.clause.name) else {
            self.unknown_clause(&a.clause);
            return None;
        };
        if a.name.name == "eligible" {
            self.err(
                Diagnostic::new(
                    "pol::check::amend_eligible",
                    a.name.span,
                    tr!("check-amend-eligible"),
                )
                .label(tr!("check-amend-eligible-label"))
                .help(tr!(
                    "check-amend-eligible-help",
                    clause = a.clause.name.to_string()
                )),
            );
            return None;
        }
        match self.members[c.index()].get(&a.name.name) {
            Some(&d) => Some(d),
            None => {
                self.unknown_member(c, &a.name);
                None
            }
        }
    }

    fn unknown_member(&mut self, c: ClauseId, name: &ast::Ident) {
        let clause = &self.program.clauses[c.index()];
        let mut candidates: Vec<&str> =
            self.members[c.index()].keys().map(String::as_str).collect();
        candidates.push("eligible");
        candidates.sort_unstable();
        let help = match suggest::did_you_mean(&name.name, candidates.iter().copied()) {
            Some(s) => tr!("check-text-11", s = s.to_string()),
            None => format!("`{}` defines: {}", clause.name, candidates.join(", ")),
        };
        let message = tr!(
            "check-text-12",
            clause = clause.name.to_string(),
            name = name.name.to_string()
        );
        self.err(
            Diagnostic::new("pol::check::unknown_member", name.span, message)
                .label(tr!("check-unknown-member-label"))
                .help(help),
        );
    }

    /// Links each `amend … over C2` under C2's amendment of the same
    /// definition, making the tree of exceptions.
    fn link_overs(&mut self) {
        let pending = std::mem::take(&mut self.pending_overs);
        for (id, over) in &pending {
            let target = self.program.amends[id.index()].target;
            let Some(over) = over else {
                self.program.defs[target.index()].amendments.push(*id);
                continue;
            };
            let Some(c2) = self.lookup_clause(&over.name) else {
                self.unknown_clause(over);
                continue;
            };
            let parent = (0..self.program.amends.len())
                .map(|i| AmendId(i as u32))
                .find(|p| {
                    let a = &self.program.amends[p.index()];
                    a.clause == c2 && a.target == target
                });
            match parent {
                Some(p) if p == *id => {
                    self.err(
                        Diagnostic::new(
                            "pol::check::amend_over",
                            over.span,
                            tr!("check-amend-over"),
                        )
                        .label(tr!("check-amend-over-label"))
                        .help(tr!("check-amend-over-help")),
                    );
                }
                Some(p) => {
                    self.program.amends[id.index()].parent = Some(p);
                    self.program.amends[p.index()].children.push(*id);
                }
                None => {
                    let path = self.program.def_path(target);
                    let amenders: Vec<String> = self
                        .program
                        .amends
                        .iter()
                        .filter(|a| {
                            a.target == target && a.clause != self.program.amends[id.index()].clause
                        })
                        .map(|a| format!("`{}`", self.program.clauses[a.clause.index()].name))
                        .collect();
                    let help = if amenders.is_empty() {
                        tr!(
                            "check-text-13",
                            path = path.to_string(),
                            over = over.name.to_string()
                        )
                    } else {
                        tr!(
                            "check-text-14",
                            path = path.to_string(),
                            amenders = (amenders.join(", ")).to_string()
                        )
                    };
                    self.err(
                        Diagnostic::new(
                            "pol::check::amend_over",
                            over.span,
                            tr!(
                                "check-amend-over-2",
                                over = over.name.to_string(),
                                path = path.to_string()
                            ),
                        )
                        .label(tr!("check-amend-over-2-label"))
                        .help(help),
                    );
                }
            }
        }
        // `over` chains must end at the base definition.
        let mut reported: HashSet<Vec<AmendId>> = HashSet::new();
        for (id, _) in &pending {
            let mut seen = vec![*id];
            let mut at = *id;
            while let Some(p) = self.program.amends[at.index()].parent {
                if seen.contains(&p) {
                    let mut key = seen.clone();
                    key.sort();
                    if p == *id && reported.insert(key) {
                        let names: Vec<String> = seen
                            .iter()
                            .chain(std::iter::once(&p))
                            .map(|a| {
                                self.program.clauses[self.program.amends[a.index()].clause.index()]
                                    .name
                                    .clone()
                            })
                            .collect();
                        let span = self.program.amends[id.index()].span;
                        self.err(
                            Diagnostic::new(
                                "pol::check::amend_cycle",
                                span,
                                tr!("check-amend-cycle", names = (names.join(" → ")).to_string()),
                            )
                            .label(tr!("check-amend-cycle-label"))
                            .help(tr!("check-amend-cycle-help")),
                        );
                    }
                    break;
                }
                seen.push(p);
                at = p;
            }
        }
    }

    fn check_param_values(&mut self, p: &ast::ParamDecl) {
        let Some((Global::Param(id), span)) = self.globals.get(&p.name.name).copied() else {
            return;
        };
        if !span.same_place(&p.name.span) {
            return;
        }
        let ty = self.program.params[id.index()].ty.clone();
        let mut values: Vec<(crate::lang::scalar::Date, TExpr)> = Vec::new();
        let mut seen: HashMap<crate::lang::scalar::Date, Span> = HashMap::new();
        for v in &p.values {
            if let Some(first) = seen.get(&v.from) {
                let first = *first;
                self.err(
                    Diagnostic::new(
                        "pol::check::duplicate",
                        v.from_span,
                        tr!(
                            "check-duplicate-7",
                            name = p.name.name.to_string(),
                            from = v.from.to_string()
                        ),
                    )
                    .label(tr!("check-duplicate-7-label"))
                    .also(first, tr!("check-duplicate-7-also"))
                    .help(tr!("check-duplicate-7-help")),
                );
                continue;
            }
            seen.insert(v.from, v.from_span);
            let mut scope = Scope::new(Ctx::Param);
            scope.node = Some(Node::Param(id));
            let te = self.expr(&v.value, &mut scope, Some(&ty));
            let te = self.coerce(te, &ty, &tr!("what-parameter", name = &p.name.name));
            values.push((v.from, te));
        }
        values.sort_by_key(|(d, _)| *d);
        self.program.params[id.index()].values = values;
    }

    fn check_tests(&mut self, tests: &[&ast::TestDecl]) {
        let mut names: HashMap<&str, Span> = HashMap::new();
        for t in tests {
            if let Some(first) = names.get(t.name.value.as_str()) {
                let first = *first;
                self.err(
                    Diagnostic::new(
                        "pol::check::duplicate",
                        t.name.span,
                        tr!("check-duplicate-8", t = t.name.value.to_string()),
                    )
                    .label(tr!("check-duplicate-8-label"))
                    .also(first, tr!("check-duplicate-8-also"))
                    .help(tr!("check-duplicate-8-help")),
                );
            } else {
                names.insert(&t.name.value, t.name.span);
            }
            let mut info = TestInfo {
                name: t.name.value.clone(),
                today: None,
                facts: Vec::new(),
                expects: Vec::new(),
                span: t.span,
            };
            let mut today_span: Option<Span> = None;
            let mut fact_spans: HashMap<String, Span> = HashMap::new();
            for item in &t.items {
                match item {
                    ast::TestItem::Today(e, span) => {
                        if let Some(first) = today_span {
                            self.err(
                                Diagnostic::new(
                                    "pol::check::duplicate",
                                    *span,
                                    tr!("check-duplicate-9"),
                                )
                                .label(tr!("check-duplicate-9-label"))
                                .also(first, tr!("check-duplicate-9-also"))
                                .help(tr!("check-duplicate-9-help")),
                            );
                            continue;
                        }
                        today_span = Some(*span);
                        let mut scope = Scope::new(Ctx::Fact);
                        let te = self.expr(e, &mut scope, Some(&Type::Date));
                        info.today = Some(self.coerce(te, &Type::Date, "`today`"));
                    }
                    ast::TestItem::Fact(path, e, span) => {
                        let Some((input, fields, ty)) = self.fact_path(path) else {
                            continue;
                        };
                        let written = path.written();
                        if let Some(first) = fact_spans.get(&written) {
                            let first = *first;
                            self.err(
                                Diagnostic::new(
                                    "pol::check::duplicate",
                                    *span,
                                    tr!("check-duplicate-10", written = written.to_string()),
                                )
                                .label(tr!("check-duplicate-10-label"))
                                .also(first, tr!("check-duplicate-10-also"))
                                .help(tr!("check-duplicate-10-help")),
                            );
                            continue;
                        }
                        fact_spans.insert(written.clone(), *span);
                        let mut scope = Scope::new(Ctx::Fact);
                        let te = self.expr(e, &mut scope, Some(&ty));
                        let value = self.coerce(te, &ty, &format!("`{written}`"));
                        info.facts.push(Fact {
                            input,
                            fields,
                            path: written,
                            value,
                            span: *span,
                        });
                    }
                    ast::TestItem::Expect(ex, span) => {
                        let mut scope = Scope::new(Ctx::Expect);
                        let expect = match ex {
                            ast::Expect::True(e) => {
                                let te = self.expr(e, &mut scope, Some(&Type::Bool));
                                TestExpect::True(self.expect_bool(te, "`expect`"), *span)
                            }
                            ast::Expect::Undetermined(e) => {
                                TestExpect::Undetermined(self.expr(e, &mut scope, None), *span)
                            }
                            ast::Expect::Equal(l, r) => {
                                let lt = self.expr(l, &mut scope, None);
                                let rt = self.expr(r, &mut scope, Some(&lt.ty));
                                let (lt, rt) = self.comparable(lt, rt, BinOp::Eq);
                                TestExpect::Equal(lt, rt, *span)
                            }
                        };
                        info.expects.push(expect);
                    }
                }
            }
            self.program.tests.push(info);
        }
    }

    /// Resolves `input.field[N].field` to an input, the steps below it and
    /// the type: a step is a field's index in a record, or an item's place
    /// in a list (which one, the type at that step says).
    fn fact_path(&mut self, path: &ast::FactPath) -> Option<(InputId, Vec<usize>, Type)> {
        let first = &path.input;
        let input = match self.globals.get(&first.name) {
            Some((Global::Input(i), _)) => *i,
            other => {
                let inputs: Vec<&str> = self
                    .program
                    .inputs
                    .iter()
                    .map(|i| i.name.as_str())
                    .collect();
                let help = match suggest::did_you_mean(&first.name, inputs.iter().copied()) {
                    Some(s) => tr!("check-text-15", s = s.to_string()),
                    None if inputs.is_empty() => {
                        tr!("check-text-16")
                    }
                    None => tr!("check-text-17", inputs = (inputs.join(", ")).to_string()),
                };
                let message = match other {
                    Some((g, _)) => tr!(
                        "check-text-18",
                        name = first.name.to_string(),
                        g = (g.describe()).to_string()
                    ),
                    None => tr!("check-text-19", name = first.name.to_string()),
                };
                self.err(
                    Diagnostic::new("pol::check::unknown_input", first.span, message)
                        .label(tr!("check-unknown-input-label"))
                        .help(help),
                );
                return None;
            }
        };
        let mut ty = self.program.inputs[input.index()].ty.clone();
        let mut fields = Vec::new();
        // The path so far, for help that names the fact being written.
        let mut so_far = first.name.clone();
        for step in &path.steps {
            let before = so_far.clone();
            match step {
                ast::Step::Field(f) => so_far = format!("{so_far}.{}", f.name),
                ast::Step::Index(i, _) => so_far = format!("{so_far}[{i}]"),
            }
            let seg = match step {
                ast::Step::Field(seg) => seg,
                ast::Step::Index(i, span) => {
                    match &ty {
                        Type::List(item) => {
                            fields.push(*i);
                            ty = (**item).clone();
                        }
                        Type::Error => return None,
                        other => {
                            let shown = self.show(other);
                            self.err(
                                Diagnostic::new(
                                    "pol::check::no_field",
                                    *span,
                                    tr!(
                                        "check-no-field",
                                        shown = shown.to_string(),
                                        i = i.to_string()
                                    ),
                                )
                                .label(tr!("check-no-field-label"))
                                .help(tr!("check-no-field-help")),
                            );
                            return None;
                        }
                    }
                    continue;
                }
            };
            match &ty {
                Type::Record(r) => {
                    let rec = &self.program.records[r.index()];
                    match rec.fields.iter().position(|f| f.name == seg.name) {
                        Some(i) => {
                            fields.push(i);
                            ty = rec.fields[i].ty.clone();
                        }
                        None => {
                            let r = *r;
                            self.unknown_field(r, seg);
                            return None;
                        }
                    }
                }
                Type::Error => return None,
                other => {
                    let shown = self.show(other);
                    let help = if matches!(other, Type::List(_)) {
                        tr!(
                            "check-text-20",
                            before = before.to_string(),
                            seg = seg.name.to_string()
                        )
                    } else {
                        tr!("check-text-21")
                    };
                    self.err(
                        Diagnostic::new(
                            "pol::check::no_field",
                            seg.span,
                            tr!(
                                "check-no-field-2",
                                shown = shown.to_string(),
                                seg = seg.name.to_string()
                            ),
                        )
                        .label(tr!("check-no-field-2-label"))
                        .help(help),
                    );
                    return None;
                }
            }
        }
        Some((input, fields, ty))
    }

    fn unknown_field(&mut self, r: RecordId, field: &ast::Ident) {
        let rec = &self.program.records[r.index()];
        let names: Vec<&str> = rec.fields.iter().map(|f| f.name.as_str()).collect();
        let help = match suggest::did_you_mean(&field.name, names.iter().copied()) {
            Some(s) => tr!("check-text-22", s = s.to_string()),
            None => format!("`{}` has: {}", rec.name, names.join(", ")),
        };
        let message = tr!(
            "check-text-23",
            field = field.name.to_string(),
            rec = rec.name.to_string()
        );
        self.err(
            Diagnostic::new("pol::check::unknown_field", field.span, message)
                .label(tr!("check-unknown-field-label"))
                .help(help),
        );
    }

    /// Reports every cycle between definitions once, with its whole path.
    /// Evaluation follows dependencies by recursion: a chain of
    /// definitions deeper than this is refused (no policy comes near it).
    const MAX_CHAIN: usize = 200;

    /// The longest chain of definitions each needing the next; refused
    /// past [`Self::MAX_CHAIN`]. Only called when there is no cycle.
    fn check_depth(&mut self) {
        let mut depth: HashMap<Node, usize> = HashMap::new();
        let mut nodes: Vec<Node> = self.graph.keys().copied().collect();
        nodes.sort();
        for start in nodes {
            // Depth-first, without recursion: a node's depth is one more
            // than its deepest dependency's.
            let mut stack: Vec<(Node, bool)> = vec![(start, false)];
            while let Some((node, expanded)) = stack.pop() {
                if depth.contains_key(&node) {
                    continue;
                }
                let deps: Vec<Node> = self
                    .graph
                    .get(&node)
                    .map(|e| e.iter().map(|(n, _)| *n).collect())
                    .unwrap_or_default();
                if expanded {
                    let d = 1 + deps
                        .iter()
                        .filter_map(|n| depth.get(n))
                        .max()
                        .copied()
                        .unwrap_or(0);
                    depth.insert(node, d);
                } else {
                    stack.push((node, true));
                    stack.extend(
                        deps.into_iter()
                            .filter(|n| !depth.contains_key(n))
                            .map(|n| (n, false)),
                    );
                }
            }
        }
        if let Some((node, d)) = depth
            .iter()
            .max_by_key(|(n, d)| (**d, std::cmp::Reverse(**n)))
            .map(|(n, d)| (*n, *d))
            && d > Self::MAX_CHAIN
        {
            let span = match node {
                Node::Def(id) => self.program.defs[id.index()].span,
                Node::Eligible(c) => self.program.clauses[c.index()].span,
                Node::InForce(c) => self.program.clauses[c.index()]
                    .in_force
                    .as_ref()
                    .map_or(self.program.clauses[c.index()].span, |f| f.span),
                Node::Param(p) => self.program.params[p.index()].span,
            };
            let name = self.node_name(node);
            self.err(
                Diagnostic::new(
                    "pol::check::too_deep",
                    span,
                    tr!("check-too-deep", name = name.to_string(), d = d.to_string()),
                )
                .label(tr!("check-too-deep-label"))
                .help(tr!(
                    "check-too-deep-help",
                    arg = (Self::MAX_CHAIN).to_string()
                )),
            );
        }
    }

    /// Reports every cycle; `true` when there is none.
    fn check_cycles(&mut self) -> bool {
        let mut nodes: Vec<Node> = self.graph.keys().copied().collect();
        nodes.sort();
        let mut state: HashMap<Node, u8> = HashMap::new(); // 1 on the stack, 2 done
        let mut reported: HashSet<Vec<Node>> = HashSet::new();
        for start in nodes {
            let mut stack: Vec<(Node, usize, Span)> = Vec::new();
            if state.contains_key(&start) {
                continue;
            }
            state.insert(start, 1);
            stack.push((start, 0, Span::default()));
            while let Some(&mut (node, ref mut next, _)) = stack.last_mut() {
                let edges = self.graph.get(&node).cloned().unwrap_or_default();
                if *next >= edges.len() {
                    state.insert(node, 2);
                    stack.pop();
                    continue;
                }
                let (to, span) = edges[*next];
                *next += 1;
                match state.get(&to) {
                    None => {
                        state.insert(to, 1);
                        stack.push((to, 0, span));
                    }
                    Some(1) => {
                        let at = stack.iter().position(|(n, _, _)| *n == to).unwrap_or(0);
                        let mut cycle: Vec<Node> = stack[at..].iter().map(|(n, _, _)| *n).collect();
                        let mut key = cycle.clone();
                        key.sort();
                        if reported.insert(key) {
                            cycle.push(to);
                            self.report_cycle(&cycle, span);
                        }
                    }
                    _ => {}
                }
            }
        }
        reported.is_empty()
    }

    fn node_name(&self, n: Node) -> String {
        match n {
            Node::Def(d) => self.program.def_path(d),
            Node::Eligible(c) => format!("{}.eligible", self.program.clauses[c.index()].name),
            Node::InForce(c) => format!("{}.on", self.program.clauses[c.index()].name),
            Node::Param(p) => self.program.params[p.index()].name.clone(),
        }
    }

    fn report_cycle(&mut self, cycle: &[Node], span: Span) {
        let path: Vec<String> = cycle
            .iter()
            .map(|n| format!("`{}`", self.node_name(*n)))
            .collect();
        let message = if cycle.len() == 2 {
            tr!("check-text-24", path = (path[0]).to_string())
        } else {
            tr!("check-text-25", path = (path.join(" → ")).to_string())
        };
        let help = if cycle.len() == 2 {
            tr!("check-text-26").to_string()
        } else {
            tr!("check-text-27", path = (path.join(" → ")).to_string())
        };
        self.err(
            Diagnostic::new("pol::check::cycle", span, message)
                .label(tr!(
                    "check-cycle-label",
                    path = (path[path.len() - 1]).to_string()
                ))
                .help(help),
        );
    }

    /// With `policy … source "FILE"`, every quote must be in the document.
    fn check_quotes(&mut self) {
        let Some(policy) = &self.program.policy else {
            return;
        };
        let Some(file) = policy.source.clone() else {
            return;
        };
        let source_span = policy.source_span.unwrap_or(policy.span);
        // The document must be the package's own: a regular file inside
        // the package directory, so that no `source` can read (and quote
        // back in its help) a file elsewhere, or wait on a FIFO.
        let path = self.base.join(&file);
        let document = crate::files::inside(self.base, &path).and_then(|real| {
            let text = crate::files::read_text(&real, crate::files::MAX_TEXT_BYTES)?;
            self.documents.push((real, text.clone()));
            Ok(text)
        });
        let document = match document {
            Ok(d) => d,
            Err(e) => {
                self.err(
                    Diagnostic::new(
                        "pol::check::source",
                        source_span,
                        tr!("check-source", e = e.to_string()),
                    )
                    .label(tr!("check-source-label"))
                    .help(tr!("check-source-help")),
                );
                return;
            }
        };
        for clause in self.clause_ast.clone() {
            for item in &clause.items {
                let ast::ClauseItem::Quote(q) = item else {
                    continue;
                };
                if document.contains(&q.value) {
                    continue;
                }
                let dep = suggest::departure(&q.value, &document);
                let help = if dep.matched >= 4 {
                    tr!(
                        "check-text-28",
                        document_next = dep.document_next.to_string(),
                        quote_next = dep.quote_next.to_string(),
                        matched = dep.matched.to_string(),
                        passage = dep.passage.to_string()
                    )
                } else if dep.passage.is_empty() {
                    tr!("check-text-29")
                } else {
                    tr!("check-text-30", passage = dep.passage.to_string())
                };
                self.err(
                    Diagnostic::new(
                        "pol::check::quote",
                        q.span,
                        tr!("check-quote", file = file.to_string()),
                    )
                    .label(tr!("check-quote-label"))
                    .help(help),
                );
            }
        }
    }

    /// The date an `in force … on` tests.
    fn expect_date(&mut self, te: TExpr) -> TExpr {
        if fits(&te.ty, &Type::Date) {
            return te;
        }
        let shown = self.show(&te.ty);
        let text = self.text(te.span);
        let help = match te.ty {
            Type::Period => tr!("check-text-31", text = text.to_string()),
            _ => tr!("check-text-32"),
        };
        self.err(
            Diagnostic::new(
                "pol::check::on_date",
                te.span,
                tr!("check-on-date", shown = shown.to_string()),
            )
            .label(tr!("check-on-date-label", shown = shown.to_string()))
            .help(help),
        );
        error_expr(te.span)
    }

    fn expect_bool(&mut self, te: TExpr, what: &str) -> TExpr {
        if fits(&te.ty, &Type::Bool) {
            return te;
        }
        let shown = self.show(&te.ty);
        let text = self.text(te.span);
        let help = if what == "`expect`" {
            tr!("check-text-33", text = text.to_string())
        } else {
            match te.ty {
                Type::Int | Type::Decimal => tr!("check-text-34", text = text.to_string()),
                Type::Money => tr!("check-text-35", text = text.to_string()),
                Type::Duration => tr!("check-text-36", text = text.to_string()),
                Type::Date => tr!("check-text-37", text = text.to_string()),
                Type::Enum(e) => tr!(
                    "check-text-38",
                    text = text.to_string(),
                    variants = (self.program.enums[e.index()]
                        .variants
                        .first()
                        .cloned()
                        .unwrap_or_default())
                    .to_string()
                ),
                _ => tr!("check-text-39"),
            }
        };
        self.err(
            Diagnostic::new(
                "pol::check::condition",
                te.span,
                tr!(
                    "check-condition",
                    what = what.to_string(),
                    shown = shown.to_string()
                ),
            )
            .label(tr!("check-condition-label", shown = shown.to_string()))
            .help(help),
        );
        error_expr(te.span)
    }

    /// Makes an expression of type `expected`, widening an int to a decimal;
    /// anything else is a mismatch that says what to write instead.
    fn coerce(&mut self, te: TExpr, expected: &Type, what: &str) -> TExpr {
        if te.ty == Type::Int && *expected == Type::Decimal {
            let span = te.span;
            return TExpr {
                kind: TExprKind::Widen(Box::new(te)),
                ty: Type::Decimal,
                span,
            };
        }
        if fits(&te.ty, expected) {
            if matches!(te.ty, Type::Nothing) || contains_nothing(&te.ty) {
                return TExpr {
                    ty: expected.clone(),
                    ..te
                };
            }
            return te;
        }
        let found = self.show(&te.ty);
        let want = self.show(expected);
        let text = self.text(te.span);
        let help = mismatch_help(text, &te, expected, &self.program);
        self.err(
            Diagnostic::new(
                "pol::check::mismatch",
                te.span,
                tr!(
                    "check-mismatch",
                    what = what.to_string(),
                    want = want.to_string(),
                    found = found.to_string()
                ),
            )
            .label(tr!(
                "check-mismatch-label",
                found = found.to_string(),
                want = want.to_string()
            ))
            .help(help),
        );
        error_expr(te.span)
    }
}

/// The value of a constant written as a literal: `3`, `-2.5`, `0 yuan`, a
/// date, an int where a decimal is expected.
fn literal_of(e: &TExpr) -> Option<Literal> {
    match &e.kind {
        TExprKind::Lit(l) => Some(l.clone()),
        TExprKind::Widen(x) => match literal_of(x)? {
            Literal::Int(n) => Some(Literal::Decimal(rust_decimal::Decimal::from(n))),
            other => Some(other),
        },
        TExprKind::Unary(crate::syntax::ast::UnOp::Neg, x) => match literal_of(x)? {
            Literal::Int(n) => n.checked_neg().map(Literal::Int),
            Literal::Decimal(d) => Some(Literal::Decimal(-d)),
            Literal::Money(m) => Some(Literal::Money(-m)),
            _ => None,
        },
        _ => None,
    }
}

/// The order of two literals of one ordered type.
pub fn literal_cmp(a: &Literal, b: &Literal) -> Option<std::cmp::Ordering> {
    match (a, b) {
        (Literal::Int(x), Literal::Int(y)) => Some(x.cmp(y)),
        (Literal::Decimal(x), Literal::Decimal(y)) | (Literal::Money(x), Literal::Money(y)) => {
            Some(x.cmp(y))
        }
        (Literal::Date(x), Literal::Date(y)) => Some(x.cmp(y)),
        _ => None,
    }
}

/// Whether a value written as a literal is in a range.
pub fn literal_in_range(v: &Literal, range: &FactRange) -> bool {
    use std::cmp::Ordering::{Greater, Less};
    let above_lower = range
        .lower
        .as_ref()
        .is_none_or(|(lo, inclusive)| match literal_cmp(v, lo) {
            Some(Greater) => true,
            Some(Less) | None => false,
            Some(_) => *inclusive,
        });
    let below_upper = range
        .upper
        .as_ref()
        .is_none_or(|(hi, inclusive)| match literal_cmp(v, hi) {
            Some(Less) => true,
            Some(Greater) | None => false,
            Some(_) => *inclusive,
        });
    above_lower && below_upper
}

fn contains_nothing(t: &Type) -> bool {
    match t {
        Type::Nothing => true,
        Type::List(x) | Type::Set(x) => contains_nothing(x),
        _ => false,
    }
}

/// What to write instead of a value of the wrong type.
fn mismatch_help(text: &str, te: &TExpr, expected: &Type, program: &Program) -> String {
    let literal = matches!(te.kind, TExprKind::Lit(_));
    match (&te.ty, expected) {
        (Type::Int | Type::Decimal, Type::Money) if literal => {
            tr!("check-write-yuan", text = text.to_string())
        }
        (Type::Int | Type::Decimal, Type::Money) => tr!("check-text-40", text = text.to_string()),
        (Type::Int, Type::Duration) if literal => {
            tr!("check-write-months-or-days", text = text.to_string())
        }
        (Type::Text, Type::Date)
            if crate::lang::scalar::Date::parse(text.trim_matches('"')).is_some() =>
        {
            tr!("check-date-without-quotes", text = text.trim_matches('"'))
        }
        (Type::Text, Type::Bool) => tr!("check-text-41"),
        (Type::Text, Type::Int | Type::Decimal)
            if text
                .trim_matches('"')
                .parse::<rust_decimal::Decimal>()
                .is_ok() =>
        {
            tr!("check-number-without-quotes", text = text.trim_matches('"'))
        }
        (Type::Text, Type::Enum(e)) => {
            let variants = &program.enums[e.index()].variants;
            tr!(
                "check-text-42",
                variants = (variants.join(", ")).to_string()
            )
        }
        (Type::Decimal, Type::Int) => {
            tr!("check-text-43")
        }
        (Type::Money, Type::Int | Type::Decimal) => tr!("check-text-44"),
        (Type::Bool, Type::Money) => {
            tr!("check-text-45")
        }
        (Type::Duration, Type::Int) => {
            tr!("check-text-46")
        }
        _ => tr!(
            "check-text-47",
            expected = (program.show(expected)).to_string()
        ),
    }
}

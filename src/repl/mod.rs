//! The REPL's backend: a session with a package, a case and a baseline,
//! driven by lines of text and answering with text. The terminal front end
//! (`terminal.rs`) and the tests both drive it; it never touches a terminal.

pub mod command;
pub mod terminal;

use crate::i18n::tr;
use command::Command;

use crate::check::Checked;
use crate::check::ir::Program;
use crate::diagnostic::{Diagnostic, RenderOptions, render_all};
use crate::eval::output::to_json;
use crate::eval::{Case, Evaluation, Outcome, Plan, Value, case as case_reader};
use crate::explain;
use crate::lang::builtins::Builtin;
use crate::lang::scalar::Date;
use crate::lang::types::Type;
use crate::lang::words::{FOREIGN_OPERATORS, OPERATOR_SPELLINGS};
use crate::package::{self, Failure};
use crate::source::{FileId, SourceMap};
use crate::syntax::{self, ast};
use std::path::{Path, PathBuf};

/// What a line produced: text for stdout, text for stderr, and whether the
/// session ends.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Reply {
    pub out: String,
    pub err: String,
    pub quit: bool,
}

impl Reply {
    fn out(text: impl Into<String>) -> Reply {
        Reply {
            out: text.into(),
            ..Reply::default()
        }
    }

    fn err(text: impl Into<String>) -> Reply {
        Reply {
            err: text.into(),
            ..Reply::default()
        }
    }

    /// Whether the line was an error (a bad command, a type error…).
    pub fn is_error(&self) -> bool {
        !self.err.is_empty()
    }
}

/// A command as it is written, and what it does (in the reader's language).
pub type CommandHelp = (&'static str, fn() -> String);

/// The commands, for `:help` and completion.
pub const COMMANDS: &[CommandHelp] = &[
    (":load PACKAGE", || tr!("repl-command-help-1")),
    (":case FILE", || tr!("repl-command-help-2")),
    (":on DATE", || tr!("repl-command-help-3")),
    ("PATH = VALUE", || tr!("repl-command-help-4")),
    (":unset PATH", || tr!("repl-command-help-5")),
    ("EXPR", || tr!("repl-command-help-6")),
    (":results [NAME,…]", || tr!("repl-command-help-7")),
    (":why NAME", || tr!("repl-command-help-8")),
    (":needs", || tr!("repl-command-help-9")),
    (":diff", || tr!("repl-command-help-10")),
    (":diff --policy OTHER", || tr!("repl-command-help-11")),
    (":baseline", || tr!("repl-command-help-12")),
    (":reset", || tr!("repl-command-help-13")),
    (":facts", || tr!("repl-command-help-14")),
    (":save FILE", || tr!("repl-command-help-15")),
    (":test NAME", || tr!("repl-command-help-16")),
    (":help", || tr!("repl-command-help-17")),
    (":quit", || tr!("repl-command-help-18")),
];

pub struct Session {
    checked: Option<Checked>,
    package: Option<PathBuf>,
    case: Case,
    /// The case `:reset` returns to.
    baseline: Case,
    /// The results when the baseline was set, as they were then (package
    /// and date included): `:diff` compares with these, so that loading a
    /// new version of the package or another date shows what changed.
    baseline_results: Vec<(String, Outcome)>,
    /// `--on` / `:on`: overrides the case's own date.
    on: Option<Date>,
    render: RenderOptions,
    lines: usize,
}

impl Session {
    pub fn new(render: RenderOptions) -> Session {
        Session {
            checked: None,
            package: None,
            case: Case {
                inputs: Vec::new(),
                today: None,
            },
            baseline: Case {
                inputs: Vec::new(),
                today: None,
            },
            baseline_results: Vec::new(),
            on: None,
            render,
            lines: 0,
        }
    }

    pub fn checked(&self) -> Option<&Checked> {
        self.checked.as_ref()
    }

    /// The case as evaluated: with `:on`'s date when one is set.
    pub fn effective_case(&self) -> Case {
        let mut c = self.case.clone();
        if self.on.is_some() {
            c.today = self.on;
        }
        c
    }

    /// `:load PACKAGE`: on errors the diagnostics are shown and the session
    /// keeps the package it had.
    pub fn load(&mut self, path: &Path) -> Reply {
        match package::load(path) {
            Ok(checked) => {
                let p = checked.program();
                let text = format!(
                    "{}\n",
                    tr!(
                        "repl-loaded",
                        path = path.display().to_string(),
                        clauses = p.clauses.len(),
                        inputs = p.inputs.len()
                    )
                );
                let same_inputs = self.checked.as_ref().is_some_and(|old| {
                    old.program()
                        .inputs
                        .iter()
                        .map(|i| &i.name)
                        .eq(p.inputs.iter().map(|i| &i.name))
                });
                let fresh = !same_inputs;
                if fresh {
                    self.case = Case::empty(p);
                }
                self.checked = Some(checked);
                self.package = Some(path.to_path_buf());
                if fresh {
                    self.set_baseline();
                }
                Reply::out(text)
            }
            Err(Failure::Load(e)) => Reply::err(format!("error: {e}\n")),
            Err(Failure::Program(sources, diags)) => Reply::err(format!(
                "{}{}\n",
                render_all(&diags, &sources, self.render),
                tr!(
                    "repl-1",
                    count = diags.len(),
                    path = path.display().to_string(),
                    package = self
                        .package
                        .as_ref()
                        .map_or(tr!("repl-no-package"), |p| format!("`{}`", p.display()))
                )
            )),
        }
    }

    /// `:case FILE`: the case becomes the current one and the baseline.
    pub fn load_case(&mut self, file: &Path) -> Reply {
        let Some(checked) = &self.checked else {
            return Reply::err(format!("{}\n", tr!("repl-2")));
        };
        let text = match crate::files::read_text(file, crate::files::MAX_TEXT_BYTES) {
            Ok(t) => t,
            Err(e) => return Reply::err(format!("{}\n", tr!("repl-3", e = e.to_string()))),
        };
        match case_reader::from_json_text(checked.program(), &text) {
            Ok(c) => {
                self.case = c;
                self.set_baseline();
                Reply::out(format!(
                    "{}\n",
                    tr!("repl-4", file = (file.display()).to_string())
                ))
            }
            Err(e) => Reply::err(format!(
                "{}\n",
                crate::diagnostic::error_in_file(
                    e.code,
                    &file.display().to_string(),
                    &e.to_string()
                )
            )),
        }
    }

    /// `:on DATE`, `:on off`.
    pub fn set_on(&mut self, arg: &str) -> Reply {
        let arg = arg.trim();
        if arg == "off" {
            self.on = None;
            return Reply::out(match self.case.today {
                Some(d) => format!("{}\n", tr!("repl-5", d = d.to_string())),
                None => format!("{}\n", tr!("repl-6")),
            });
        }
        match Date::parse(arg) {
            Some(d) => {
                let before = self.results();
                self.on = Some(d);
                let mut r = Reply::out(format!("{}\n", tr!("repl-7", d = d.to_string())));
                r.out.push_str(&self.changes(before));
                r
            }
            None => Reply::err(format!(
                "error: {}\n",
                crate::lang::scalar::date_problem(arg)
            )),
        }
    }

    /// The current case and its results become the baseline.
    fn set_baseline(&mut self) {
        self.baseline = self.case.clone();
        self.baseline_results = self.results();
    }

    /// Handles one line (possibly several lines of one expression).
    pub fn handle(&mut self, line: &str) -> Reply {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            return Reply::default();
        }
        let command = match Command::parse(line) {
            Ok(c) => c,
            Err(e) => return Reply::err(format!("error: {e}\n")),
        };
        if command.needs_package() && self.checked.is_none() {
            return Reply::err(format!("{}\n", tr!("repl-8")));
        }
        match command {
            Command::Quit => Reply {
                quit: true,
                ..Reply::default()
            },
            Command::Help => Reply::out(help()),
            Command::Load(arg) => self.load(Path::new(arg)),
            Command::Case(arg) => self.load_case(Path::new(arg)),
            Command::On(arg) => self.set_on(arg),
            Command::Unset(arg) => self.unset(arg),
            Command::Why(arg) => self.why(arg),
            Command::Save(arg) => self.save(Path::new(arg)),
            Command::Test(arg) => self.test_block(arg),
            Command::Results(names) => self.show_results(names),
            Command::Needs => self.needs(),
            Command::Diff("") => self.diff(),
            Command::Diff(arg) => self.diff_policy(arg),
            Command::Baseline => {
                self.set_baseline();
                Reply::out(format!("{}\n", tr!("repl-9")))
            }
            Command::Reset => {
                let before = self.results();
                self.case = self.baseline.clone();
                let mut r = Reply::out(format!("{}\n", tr!("repl-10")));
                r.out.push_str(&self.changes(before));
                r
            }
            Command::Facts => self.facts(),
            Command::Code(line) => {
                let (sources, file) = self.line_source(line);
                if let Some((path, value)) = syntax::parse_assignment(file, line)
                    && self.is_input(&path.input.name)
                {
                    return self.set(&sources, &path, &value);
                }
                self.evaluate(line)
            }
        }
    }

    fn is_input(&self, name: &str) -> bool {
        self.checked
            .as_ref()
            .is_some_and(|c| c.program().inputs.iter().any(|i| i.name == name))
    }

    /// The package's sources plus the typed line, for diagnostics.
    fn line_source(&mut self, line: &str) -> (SourceMap, FileId) {
        self.lines += 1;
        let mut sources = self
            .checked
            .as_ref()
            .map(|c| c.sources().clone())
            .unwrap_or_default();
        let file = sources.add(format!("<repl:{}>", self.lines), None, line.to_string());
        (sources, file)
    }

    fn diagnostics(&self, diags: &[Diagnostic], sources: &SourceMap) -> Reply {
        Reply::err(render_all(diags, sources, self.render))
    }

    /// Every result of the package for the current case: a value, or the
    /// evaluation error of a value it needs.
    pub fn results(&self) -> Vec<(String, Outcome)> {
        let Some(checked) = &self.checked else {
            return Vec::new();
        };
        Plan::new(checked).evaluate(&self.effective_case())
    }

    fn show_outcome(&self, o: &Outcome) -> String {
        match o {
            Ok(v) => self.show_value(v),
            Err(e) => tr!(
                "result-error",
                code = e.code,
                message = e.message.as_str(),
                place = self
                    .checked
                    .as_ref()
                    .map(|c| c.sources().place(e.span))
                    .unwrap_or_default()
            ),
        }
    }

    fn show_value(&self, v: &Value) -> String {
        let program = self.program();
        match v {
            Value::Unknown(m) => tr!(
                "explain-undetermined-needs",
                needs = m.paths.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            v => v.show(program).to_string(),
        }
    }

    fn program(&self) -> &Program {
        self.checked
            .as_ref()
            .expect("a package is loaded")
            .program()
    }

    /// `before → after` for every result that changed (a result only one
    /// side has is shown as new or gone).
    fn changes(&self, before: Vec<(String, Outcome)>) -> String {
        let after = self.results();
        let mut lines = Vec::new();
        for (k, b) in &after {
            match before.iter().find(|(bk, _)| bk == k) {
                Some((_, a)) if a == b => {}
                Some((_, a)) => lines.push(format!(
                    "  {k}: {} → {}\n",
                    self.show_outcome(a),
                    self.show_outcome(b)
                )),
                None if before.is_empty() => {
                    lines.push(format!("  {k} = {}\n", self.show_outcome(b)))
                }
                None => lines.push(format!("  {k}: (new) → {}\n", self.show_outcome(b))),
            }
        }
        for (k, a) in &before {
            if !after.iter().any(|(ak, _)| ak == k) {
                lines.push(format!("  {k}: {} → (gone)\n", self.show_outcome(a)));
            }
        }
        if lines.is_empty() {
            format!("  {}\n", tr!("repl-11"))
        } else {
            lines.concat()
        }
    }

    /// `PATH = VALUE`: checked against the declared type; on an error the
    /// case is left unchanged.
    fn set(&mut self, sources: &SourceMap, path: &ast::FactPath, value: &ast::Expr) -> Reply {
        let checked = self.checked.as_ref().expect("a package is loaded");
        let fact = match checked.check_fact(sources, path, value) {
            Ok(f) => f,
            Err(diags) => return self.diagnostics(&diags, sources),
        };
        let program = checked.program();
        let dated = Case {
            today: self.effective_case().today,
            ..Case::empty(program)
        };
        let v = match Evaluation::new(program, &dated).value_of(&fact.value) {
            Ok(v) => v,
            Err(e) => {
                return Reply::err(format!(
                    "{}\n",
                    tr!("cli-error-code", code = e.code, message = e.message)
                ));
            }
        };
        let before = self.results();
        let mut case = self.case.clone();
        if let Err(e) = case_reader::set_fact(program, &mut case, &fact, v) {
            let help = e
                .help
                .map(|h| format!("  {}\n", tr!("cli-help", help = h)))
                .unwrap_or_default();
            return Reply::err(format!(
                "{}\n{help}",
                tr!("cli-error-code", code = e.code, message = e.message)
            ));
        }
        self.case = case;
        Reply::out(self.changes(before))
    }

    /// `:unset PATH`
    fn unset(&mut self, arg: &str) -> Reply {
        let (sources, file) = self.line_source(arg);
        let Some(checked) = &self.checked else {
            return Reply::err(format!("{}\n", tr!("repl-12")));
        };
        let Some(path) = syntax::parse_fact_path(file, arg) else {
            return Reply::err(format!("{}\n", tr!("repl-13", arg = arg.to_string())));
        };
        let (input, fields, _) = match checked.fact_path(&sources, &path) {
            Ok(r) => r,
            Err(diags) => return self.diagnostics(&diags, &sources),
        };
        let program = checked.program();
        let written = path.written();
        let before = self.results();
        let mut case = self.case.clone();
        if let Err(e) =
            case_reader::set_at(program, &mut case, input, &fields, Value::missing(written))
        {
            return Reply::err(format!(
                "{}\n  {}\n",
                tr!(
                    "cli-error-code",
                    code = case_reader::NoItem::CODE,
                    message = e.message
                ),
                tr!("cli-help", help = e.help)
            ));
        }
        self.case = case;
        Reply::out(self.changes(before))
    }

    /// Any expression: its value and type.
    fn evaluate(&mut self, line: &str) -> Reply {
        let (sources, file) = self.line_source(line);
        let checked = self.checked.as_ref().expect("a package is loaded");
        let expr = match syntax::parse_expression(file, line) {
            Ok(e) => e,
            Err(diags) => return self.diagnostics(&diags, &sources),
        };
        let texpr = match checked.check_expression(&sources, &expr) {
            Ok(t) => t,
            Err(diags) => return self.diagnostics(&diags, &sources),
        };
        let program = checked.program();
        let case = self.effective_case();
        let mut ev = Evaluation::new(program, &case);
        match ev.value_of(&texpr) {
            Ok(v) => Reply::out(format!(
                "{} : {}\n",
                self.show_value(&v),
                program.show(&texpr.ty)
            )),
            Err(e) => {
                let diag = e.to_diagnostic();
                Reply::err(render_all(&[diag], &sources, self.render))
            }
        }
    }

    /// `:why NAME`: the explanation tree of a result or any expression.
    fn why(&mut self, arg: &str) -> Reply {
        let (sources, file) = self.line_source(arg);
        let checked = self.checked.as_ref().expect("a package is loaded");
        let expr = match syntax::parse_expression(file, arg) {
            Ok(e) => e,
            Err(diags) => return self.diagnostics(&diags, &sources),
        };
        let texpr = match checked.check_expression(&sources, &expr) {
            Ok(t) => t,
            Err(diags) => return self.diagnostics(&diags, &sources),
        };
        let case = self.effective_case();
        match explain::explain_expression(checked, &case, &texpr) {
            Ok(node) => Reply::out(explain::render::node_text(checked.program(), &node)),
            Err(e) => Reply::err(format!(
                "{}\n",
                tr!("cli-error-code", code = e.code, message = e.message)
            )),
        }
    }

    /// `:results [NAME,…]`: every result, or those of the clauses and
    /// results named (only what they need is evaluated).
    fn show_results(&self, names: &str) -> Reply {
        let results = if names.trim().is_empty() {
            self.results()
        } else {
            let Some(checked) = &self.checked else {
                return Reply::default();
            };
            let names: Vec<String> = names.split(',').map(str::to_string).collect();
            match Plan::new(checked).select(&names) {
                Ok(plan) => plan.evaluate(&self.effective_case()),
                Err(e) => return Reply::err(format!("error: {e}\n")),
            }
        };
        let width = results
            .iter()
            .map(|(k, _)| crate::source::display_width(k))
            .max()
            .unwrap_or(0);
        let mut out = match self.effective_case().today {
            Some(d) => format!("on {d}\n"),
            None => format!("{}\n", tr!("repl-14")),
        };
        for (k, v) in &results {
            out.push_str(&format!(
                "  {k}{}  {}\n",
                " ".repeat(width - crate::source::display_width(k)),
                self.show_outcome(v)
            ));
        }
        let mut r = Reply::out(out);
        if results.iter().any(|(_, o)| o.is_err()) {
            r.err = format!("{}\n", tr!("repl-15"));
        }
        r
    }

    /// `:needs`
    fn needs(&self) -> Reply {
        let mut out = String::new();
        for (k, v) in &self.results() {
            if let Ok(Value::Unknown(m)) = v {
                out.push_str("  ");
                out.push_str(&tr!(
                    "repl-needs",
                    result = k,
                    needs = m.paths.iter().cloned().collect::<Vec<_>>().join(", ")
                ));
                out.push('\n');
            }
        }
        if out.is_empty() {
            out = format!("  {}\n", tr!("repl-16"));
        }
        Reply::out(out)
    }

    /// `:diff`: every result that differs from the baseline's, as they
    /// were when the baseline was set.
    fn diff(&self) -> Reply {
        Reply::out(
            self.changes(self.baseline_results.clone())
                .replace(&tr!("repl-17"), &tr!("repl-18")),
        )
    }

    /// `:diff --policy OTHER`: the current case evaluated under another
    /// version of the package too, and every result that differs. Facts
    /// the other version does not have are left out of its case (and
    /// named); facts it needs and the case does not give leave its results
    /// undetermined.
    fn diff_policy(&self, arg: &str) -> Reply {
        let usage = format!("{}\n", tr!("repl-19"));
        let Some(spec) = arg.strip_prefix("--policy") else {
            return Reply::err(usage);
        };
        let spec = spec.trim();
        if spec.is_empty() {
            return Reply::err(usage);
        }
        let other = match crate::diff::version::Version::load(spec) {
            Ok(v) => v,
            Err(crate::diff::version::VersionError::Load(e)) => {
                return Reply::err(format!("error: {e}\n"));
            }
            Err(crate::diff::version::VersionError::Program(f)) => {
                let text = match f {
                    Failure::Load(e) => format!("error: {e}\n"),
                    Failure::Program(sources, diags) => format!(
                        "{}error: {} error{} in {spec}\n",
                        render_all(&diags, &sources, self.render),
                        diags.len(),
                        if diags.len() == 1 { "" } else { "s" }
                    ),
                };
                return Reply::err(text);
            }
        };
        let theirs = other.checked.program();
        let (json, dropped) = crate::diff::prune(theirs, self.case_json());
        let mut case = match case_reader::from_json(theirs, &json) {
            Ok(c) => c,
            Err(e) => {
                return Reply::err(format!(
                    "{}\n",
                    tr!(
                        "repl-20",
                        code = e.code.to_string(),
                        spec = spec.to_string(),
                        e = e.to_string()
                    )
                ));
            }
        };
        case.today = self.effective_case().today;
        let before = self.results();
        let after = Plan::new(&other.checked).evaluate(&case);
        let show = |program: &Program, o: &Outcome| match o {
            Ok(Value::Unknown(m)) => tr!(
                "explain-undetermined-needs",
                needs = m.paths.iter().cloned().collect::<Vec<_>>().join(", ")
            ),
            Ok(v) => v.show(program).to_string(),
            Err(e) => tr!(
                "cli-error-code",
                code = e.code,
                message = e.message.as_str()
            ),
        };
        let mine = self.program();
        let mut out = format!("{}\n", tr!("repl-21", spec = spec.to_string()));
        if !dropped.is_empty() {
            out.push_str(&format!(
                "  {}\n",
                tr!(
                    "repl-22",
                    spec = spec.to_string(),
                    dropped = (dropped.join(", ")).to_string()
                )
            ));
        }
        let mut same = true;
        for (k, b) in &before {
            match after.iter().find(|(ak, _)| ak == k) {
                Some((_, a)) if show(mine, b) == show(theirs, a) => {}
                Some((_, a)) => {
                    same = false;
                    out.push_str(&format!("  {k}: {} → {}\n", show(mine, b), show(theirs, a)));
                }
                None => {
                    same = false;
                    out.push_str(&format!(
                        "  {}\n",
                        tr!(
                            "repl-23",
                            k = k.to_string(),
                            b = (show(mine, b)).to_string(),
                            spec = spec.to_string()
                        )
                    ));
                }
            }
        }
        for (k, a) in &after {
            if !before.iter().any(|(bk, _)| bk == k) {
                same = false;
                out.push_str(&format!(
                    "  {}\n",
                    tr!(
                        "repl-24",
                        k = k.to_string(),
                        spec = spec.to_string(),
                        a = (show(theirs, a)).to_string()
                    )
                ));
            }
        }
        if same {
            out.push_str(&format!("  {}\n", tr!("repl-25")));
        }
        Reply::out(out)
    }

    fn case_json(&self) -> serde_json::Value {
        let program = self.program();
        let mut map = serde_json::Map::new();
        // The date the case is evaluated on, as `:test` writes it.
        if let Some(d) = self.effective_case().today {
            map.insert("today".into(), serde_json::Value::String(d.to_string()));
        }
        for (input, v) in program.inputs.iter().zip(&self.case.inputs) {
            if !v.is_unknown() {
                map.insert(input.name.clone(), to_json(program, v));
            }
        }
        serde_json::Value::Object(map)
    }

    /// `:facts`
    fn facts(&self) -> Reply {
        if self.checked.is_none() {
            return Reply::err(format!("{}\n", tr!("repl-26")));
        }
        Reply::out(format!(
            "{}\n",
            serde_json::to_string_pretty(&self.case_json()).unwrap_or_default()
        ))
    }

    /// `:save FILE`
    fn save(&self, file: &Path) -> Reply {
        if self.checked.is_none() {
            return Reply::err(format!("{}\n", tr!("repl-27")));
        }
        let text = format!(
            "{}\n",
            serde_json::to_string_pretty(&self.case_json()).unwrap_or_default()
        );
        match crate::files::write_atomic(file, text.as_bytes()) {
            Ok(()) => Reply::out(format!(
                "{}\n",
                tr!("repl-28", file = (file.display()).to_string())
            )),
            Err(e) => Reply::err(format!("{}\n", tr!("repl-29", e = e.to_string()))),
        }
    }

    /// `:test NAME`: the current case as a `test` block, with the current
    /// results as its expectations.
    fn test_block(&self, name: &str) -> Reply {
        if self.checked.is_none() {
            return Reply::err(format!("{}\n", tr!("repl-30")));
        }
        let program = self.program();
        let results = self.results();
        let escaped = name.replace('\\', "\\\\").replace('"', "\\\"");
        let mut out = format!("test \"{escaped}\" {{\n");
        if let Some(d) = self.effective_case().today {
            out.push_str(&format!("  today = {d}\n"));
        }
        for (input, v) in program.inputs.iter().zip(&self.case.inputs) {
            if !v.is_unknown() {
                out.push_str(&format!("  {} = {}\n", input.name, v.source(program)));
            }
        }
        for (k, v) in &results {
            match v {
                Ok(Value::Bool(true)) => out.push_str(&format!("  expect {k}\n")),
                Ok(Value::Bool(false)) => out.push_str(&format!("  expect not {k}\n")),
                Ok(Value::Unknown(_)) => out.push_str(&format!("  expect {k} undetermined\n")),
                Ok(v) => out.push_str(&format!("  expect {k} = {}\n", v.source(program))),
                // A failing result has no value to expect.
                Err(e) => out.push_str(&format!("  # {k}: error[{}]: {}\n", e.code, e.message)),
            }
        }
        out.push_str("}\n");
        Reply::out(out)
    }

    /// Names to complete: commands, clause results and definitions, inputs
    /// and their fields, enum variants, built-in functions.
    pub fn completions(&self) -> Vec<String> {
        let mut out: Vec<String> = COMMANDS
            .iter()
            .filter(|(c, _)| c.starts_with(':'))
            .map(|(c, _)| c.split(' ').next().unwrap_or(c).to_string())
            .collect();
        out.extend(
            crate::check::builtin_functions()
                .into_iter()
                .chain(["today"])
                .map(str::to_string),
        );
        if let Some(checked) = &self.checked {
            let p = checked.program();
            for c in &p.clauses {
                out.push(c.name.clone());
                if c.has_eligibility_result() {
                    out.push(format!("{}.eligible", c.name));
                }
                for d in &c.defs {
                    out.push(format!("{}.{}", c.name, p.defs[d.index()].name));
                }
            }
            for input in &p.inputs {
                field_paths(p, &input.name, &input.ty, &mut out, 0);
            }
            for e in &p.enums {
                for v in &e.variants {
                    out.push(v.clone());
                    out.push(format!("{}.{v}", e.name));
                }
            }
            for par in &p.params {
                out.push(par.name.clone());
            }
        }
        out.sort();
        out.dedup();
        out
    }
}

fn field_paths(p: &Program, prefix: &str, ty: &Type, out: &mut Vec<String>, depth: usize) {
    out.push(prefix.to_string());
    if depth > 4 {
        return;
    }
    if let Type::Record(r) = ty {
        for f in &p.records[r.index()].fields {
            field_paths(p, &format!("{prefix}.{}", f.name), &f.ty, out, depth + 1);
        }
    }
}

pub fn help() -> String {
    // Columns line up by characters (`…` is one, in three bytes).
    let width = COMMANDS
        .iter()
        .map(|(c, _)| crate::source::display_width(c))
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (c, what) in COMMANDS {
        let pad = " ".repeat(width - crate::source::display_width(c));
        out.push_str(&format!("  {c}{pad}  {}\n", what()));
    }
    out.push_str(&format!("  {}\n", tr!("repl-32")));
    out.push_str(&format!("\n{}\n", tr!("repl-33")));
    let functions: Vec<Builtin> = Builtin::CALLED
        .into_iter()
        .chain([Builtin::Start, Builtin::End])
        .collect();
    let width = functions
        .iter()
        .map(|b| crate::source::display_width(b.usage()))
        .max()
        .unwrap_or(0);
    for b in functions {
        let usage = b.usage();
        let pad = " ".repeat(width - crate::source::display_width(usage));
        out.push_str(&format!("  {usage}{pad}  {}\n", b.summary()));
    }
    out.push_str("  count(x in LIST if CONDITION), any(CONDITION for x in LIST), all(…), sum(E for x in LIST)\n");
    out
}

/// Whether a line is an unfinished expression (open brackets, or ending
/// with an operator or a keyword that needs more), so that input goes on
/// on the next line.
pub fn is_incomplete(text: &str) -> bool {
    let mut depth: i64 = 0;
    for (_, c) in crate::syntax::scan::code(text) {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth -= 1,
            _ => {}
        }
    }
    if depth > 0 {
        return true;
    }
    let t = text.trim_end();
    if t.starts_with(':') {
        return false;
    }
    let last_word = t.rsplit(|c: char| c.is_whitespace()).next().unwrap_or("");
    // After an operator, or a word that opens or continues an `if`, the
    // expression goes on on the next line.
    let continues = |w: &str| {
        ["if", "then", "else"].contains(&w)
            || (OPERATOR_SPELLINGS.contains(&w) && w != ".")
            || FOREIGN_OPERATORS.contains(&w)
    };
    continues(last_word)
        || OPERATOR_SPELLINGS
            .iter()
            .chain(FOREIGN_OPERATORS)
            .chain(&[","])
            .filter(|op| !op.chars().all(char::is_alphabetic) && **op != ".")
            .any(|op| t.ends_with(op))
}

//! `pol lsp`: the Language Server Protocol over stdio, for the package of
//! each open file (the `.pol` files of its directory). Every change,
//! saved or not, checks the package again with the editor's texts in place
//! of the files on disk. The editor then gets the diagnostics of `pol
//! check`, hover, go to definition, references, completion, formatting,
//! symbols, rename, and a code lens that runs each test.

pub mod index;
pub mod position;

use crate::check::Checked;
use crate::eval::Plan;
use crate::eval::testing::{self, TestOutcome};
use crate::i18n::tr;
use crate::package::{self, Failure};
use crate::source::{FileId, SourceMap, Span};
use index::{Index, Target};
use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::*;
use position::Lines;
use serde_json::{Value as Json, json};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// The last check of one package.
struct Package {
    sources: SourceMap,
    checked: Option<Checked>,
    /// The last check that passed, while the texts have errors: its names
    /// serve completion and hover by name (its places may have moved).
    last_good: Option<std::sync::Arc<Checked>>,
    index: Index,
    /// The outcomes of the package's tests, run when a lens or a command
    /// first asks (not on every keystroke).
    tests: std::cell::OnceCell<Vec<TestOutcome>>,
    /// What was last published for each file of the package.
    published: HashMap<PathBuf, Vec<lsp_types::Diagnostic>>,
}

impl Package {
    fn tests(&self) -> &[TestOutcome] {
        self.tests.get_or_init(|| {
            self.checked
                .as_ref()
                .map(|c| testing::run_all(&Plan::new(c)))
                .unwrap_or_default()
        })
    }
}

/// The server's state: the editor's texts, and each package's last check.
#[derive(Default)]
pub struct Server {
    open: HashMap<PathBuf, String>,
    packages: HashMap<PathBuf, Package>,
}

/// `file:///a/b%20c.pol` → `/a/b c.pol`.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str().strip_prefix("file://")?;
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    Some(PathBuf::from(String::from_utf8(out).ok()?))
}

/// `/a/b c.pol` → `file:///a/b%20c.pol`.
pub fn uri_of(path: &Path) -> Uri {
    let mut s = String::from("file://");
    for b in path.to_string_lossy().bytes() {
        if b.is_ascii_alphanumeric() || b"/-_.~".contains(&b) {
            s.push(b as char);
        } else {
            s.push_str(&format!("%{b:02X}"));
        }
    }
    s.parse()
        .unwrap_or_else(|_| "file:///".parse().expect("a URI"))
}

fn to_range(sources: &SourceMap, span: Span) -> Range {
    let lines = Lines::new(&sources.file(span.file).text);
    Range::new(
        lines.position(span.range().start),
        lines.position(span.range().end),
    )
}

impl Server {
    /// The package a file belongs to: its directory.
    fn root_of(path: &Path) -> PathBuf {
        path.parent()
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }

    /// Checks the package at `root` with the open texts; gives the
    /// diagnostics to publish, per file.
    fn check(&mut self, root: &Path) -> Vec<(PathBuf, Vec<lsp_types::Diagnostic>)> {
        let mut files = package::files(root).unwrap_or_default();
        for p in self.open.keys() {
            if Self::root_of(p) == root && !files.contains(p) {
                files.push(p.clone());
            }
        }
        files.sort();
        let mut sources = SourceMap::new();
        let mut ids: Vec<(PathBuf, FileId)> = Vec::new();
        for f in &files {
            let text = match self.open.get(f) {
                Some(t) => t.clone(),
                None => match package::read_file(f) {
                    Ok(t) => t,
                    Err(_) => continue,
                },
            };
            let id = sources.add(f.display().to_string(), Some(f), text);
            ids.push((f.clone(), id));
        }
        let (sources, checked, diags) = match package::check_sources(sources.clone(), root) {
            Ok(c) => (c.sources().clone(), Some(c), Vec::new()),
            Err(Failure::Program(s, d)) => (s, None, d),
            Err(Failure::Load(_)) => (sources, None, Vec::new()),
        };
        let index = checked.as_ref().map(Index::of).unwrap_or_default();
        let tests = std::cell::OnceCell::new();
        let mut out: Vec<(PathBuf, Vec<lsp_types::Diagnostic>)> =
            ids.iter().map(|(p, _)| (p.clone(), Vec::new())).collect();
        for d in &diags {
            let Some(slot) = ids.iter().position(|(_, id)| *id == d.span.file) else {
                continue;
            };
            let mut message = d.message.clone();
            if let Some(h) = &d.help {
                message.push_str(&format!("\n{}", tr!("cli-help", help = h)));
            }
            let related: Vec<DiagnosticRelatedInformation> = d
                .secondary
                .iter()
                .filter_map(|(span, label)| {
                    let (path, _) = ids.iter().find(|(_, id)| *id == span.file)?;
                    Some(DiagnosticRelatedInformation {
                        location: Location::new(uri_of(path), to_range(&sources, *span)),
                        message: label.clone(),
                    })
                })
                .collect();
            out[slot].1.push(lsp_types::Diagnostic {
                range: to_range(&sources, d.span),
                severity: Some(DiagnosticSeverity::ERROR),
                code: Some(NumberOrString::String(d.code.to_string())),
                source: Some("pol".into()),
                message,
                related_information: (!related.is_empty()).then_some(related),
                ..Default::default()
            });
        }
        // Files that had diagnostics and are no longer in the package are
        // cleared; a file whose diagnostics did not change is not sent again.
        let (before, last_good) = match self.packages.remove(root) {
            Some(p) => (p.published, p.last_good),
            None => (HashMap::new(), None),
        };
        let last_good = match &checked {
            Some(c) => Some(std::sync::Arc::new(c.clone())),
            None => last_good,
        };
        for f in before.keys() {
            if !out.iter().any(|(p, _)| p == f) {
                out.push((f.clone(), Vec::new()));
            }
        }
        let published: HashMap<PathBuf, Vec<lsp_types::Diagnostic>> = out
            .iter()
            .filter(|(p, _)| ids.iter().any(|(q, _)| q == p))
            .cloned()
            .collect();
        out.retain(|(p, d)| before.get(p) != Some(d));
        self.packages.insert(
            root.to_path_buf(),
            Package {
                sources,
                checked,
                last_good,
                index,
                tests,
                published,
            },
        );
        out
    }

    /// The package and file id of a document, and the offset of a position.
    fn locate(&self, uri: &Uri, pos: Option<Position>) -> Option<(&Package, FileId, usize)> {
        let path = path_of(uri)?;
        let pkg = self.packages.get(&Self::root_of(&path))?;
        let (id, file) = pkg
            .sources
            .files()
            .find(|(_, f)| f.path.as_deref() == Some(path.as_path()))?;
        let offset = pos.map_or(0, |p| Lines::new(&file.text).offset(p));
        Some((pkg, id, offset))
    }

    fn location(pkg: &Package, span: Span) -> Option<Location> {
        let path = pkg.sources.file(span.file).path.clone()?;
        Some(Location::new(uri_of(&path), to_range(&pkg.sources, span)))
    }

    fn hover(&self, p: &HoverParams) -> Option<Hover> {
        let pos = p.text_document_position_params.position;
        let (pkg, file, offset) = self.locate(
            &p.text_document_position_params.text_document.uri,
            Some(pos),
        )?;
        let text = &pkg.sources.file(file).text;
        let Some((span, target)) = pkg.index.at(file, offset) else {
            let word = word_at(text, offset)?;
            // While the texts have errors: the name, as the last check that
            // passed knows it.
            let after_dot = text[..offset]
                .trim_end_matches(|c: char| c.is_alphanumeric() || c == '_')
                .ends_with('.');
            if pkg.checked.is_none()
                && let Some(good) = &pkg.last_good
                && let Some(target) = by_name(good, word, after_dot)
            {
                let note = format!("\n\n---\n*{}*", tr!("lsp-text-1"));
                return Some(markdown(format!("{}{note}", describe(good, target)), None));
            }
            // A built-in function.
            let b = crate::lang::builtins::Builtin::CALLED
                .iter()
                .find(|b| b.name() == word)?;
            return Some(markdown(
                format!("```pol\n{}\n```\n{}", b.usage(), b.summary()),
                None,
            ));
        };
        let checked = pkg.checked.as_ref()?;
        let mut md = describe(checked, target);
        // Inside a test: the value for that test's facts.
        if let Target::Def(d) = target
            && let Some((t, test)) = checked
                .program()
                .tests
                .iter()
                .enumerate()
                .find(|(_, t)| t.span.file == file && t.span.range().contains(&offset))
        {
            let _ = t;
            let program = checked.program();
            if program.clauses[program.defs[d as usize].clause.index()]
                .subject
                .is_none()
                && let Ok(case) = testing::case_of(program, test)
            {
                let mut ev = crate::eval::Evaluation::new(program, &case);
                let shown = match ev.member(
                    crate::check::ir::Member::Def(crate::check::ir::DefId(d)),
                    None,
                ) {
                    Ok(crate::eval::Value::Unknown(m)) => format!(
                        "undetermined (needs {})",
                        m.paths.iter().cloned().collect::<Vec<_>>().join(", ")
                    ),
                    Ok(v) => v.show(program).to_string(),
                    Err(e) => format!("error[{}]: {}", e.code, e.message),
                };
                md.push_str(&format!(
                    "\n\n---\n{}",
                    tr!(
                        "lsp-text-2",
                        test = test.name.to_string(),
                        shown = shown.to_string()
                    )
                ));
            }
        }
        Some(markdown(md, Some(to_range(&pkg.sources, span))))
    }

    fn definition(&self, p: &GotoDefinitionParams) -> Option<GotoDefinitionResponse> {
        let tp = &p.text_document_position_params;
        let (pkg, file, offset) = self.locate(&tp.text_document.uri, Some(tp.position))?;
        let (_, target) = pkg.index.at(file, offset)?;
        let span = pkg.index.defs.get(&target)?;
        Some(GotoDefinitionResponse::Scalar(Self::location(pkg, *span)?))
    }

    fn references(&self, p: &ReferenceParams) -> Option<Vec<Location>> {
        let tp = &p.text_document_position;
        let (pkg, file, offset) = self.locate(&tp.text_document.uri, Some(tp.position))?;
        let (_, target) = pkg.index.at(file, offset)?;
        let mut spans = pkg.index.occurrences(target);
        if !p.context.include_declaration {
            let decl = pkg.index.defs.get(&target).copied();
            spans.retain(|s| decl.is_none_or(|d| !s.same_place(&d)));
        }
        Some(
            spans
                .into_iter()
                .filter_map(|s| Self::location(pkg, s))
                .collect(),
        )
    }

    // `WorkspaceEdit` is keyed by `Uri`, whose cached parts clippy takes for
    // interior mutability; the keys are never changed.
    #[allow(clippy::mutable_key_type)]
    fn rename(&self, p: &RenameParams) -> Result<Option<WorkspaceEdit>, String> {
        let tp = &p.text_document_position;
        let Some((pkg, file, offset)) = self.locate(&tp.text_document.uri, Some(tp.position))
        else {
            return Ok(None);
        };
        let name = p.new_name.trim();
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !valid || crate::lang::words::RESERVED.contains(&name) {
            return Err(tr!("lsp-text-3", name = name.to_string()));
        }
        let Some((_, target)) = pkg.index.at(file, offset) else {
            return Ok(None);
        };
        let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
        for span in pkg.index.occurrences(target) {
            if let Some(loc) = Self::location(pkg, span) {
                changes
                    .entry(loc.uri)
                    .or_default()
                    .push(TextEdit::new(loc.range, name.to_string()));
            }
        }
        Ok(Some(WorkspaceEdit::new(changes)))
    }

    fn completion(&self, p: &CompletionParams) -> Option<CompletionResponse> {
        let tp = &p.text_document_position;
        let (pkg, file, offset) = self.locate(&tp.text_document.uri, Some(tp.position))?;
        let text = &pkg.sources.file(file).text;
        let before = &text[..offset.min(text.len())];
        let typed: String = before
            .chars()
            .rev()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect();
        let stem = &before[..before.len() - typed.len()];
        // While the texts have errors, the names of the last check that passed.
        let checked = pkg.checked.as_ref().or(pkg.last_good.as_deref());
        let mut items = Vec::new();
        let item = |label: &str, kind: CompletionItemKind, detail: Option<String>| CompletionItem {
            label: label.to_string(),
            kind: Some(kind),
            detail,
            ..Default::default()
        };
        if let (Some(owner), Some(checked)) = (stem.strip_suffix('.'), checked) {
            // After `.`: the fields of a record, the results of a clause, the
            // variants of an enum.
            let program = checked.program();
            let name: String = owner
                .chars()
                .rev()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect::<String>()
                .chars()
                .rev()
                .collect();
            let record_of = |ty: &crate::lang::types::Type| {
                let mut t = ty.clone();
                while let crate::lang::types::Type::List(i) = t {
                    t = *i;
                }
                match t {
                    crate::lang::types::Type::Record(r) => Some(r),
                    _ => None,
                }
            };
            let record = program
                .inputs
                .iter()
                .find(|i| i.name == name)
                .and_then(|i| record_of(&i.ty))
                .or_else(|| {
                    program
                        .records
                        .iter()
                        .flat_map(|r| r.fields.iter())
                        .find(|f| f.name == name)
                        .and_then(|f| record_of(&f.ty))
                });
            if let Some(r) = record {
                for f in &program.records[r.index()].fields {
                    items.push(item(
                        &f.name,
                        CompletionItemKind::FIELD,
                        Some(format!(
                            "{}{}",
                            program.show(&f.ty),
                            f.label
                                .as_ref()
                                .map_or(String::new(), |l| format!(" · {l}"))
                        )),
                    ));
                }
            }
            if let Some(c) = program.clauses.iter().find(|c| c.name == name) {
                if c.eligible.is_some() {
                    items.push(item(
                        "eligible",
                        CompletionItemKind::PROPERTY,
                        Some("bool".into()),
                    ));
                }
                for d in &c.defs {
                    let def = &program.defs[d.index()];
                    items.push(item(
                        &def.name,
                        CompletionItemKind::PROPERTY,
                        Some(program.show(&def.ty).to_string()),
                    ));
                }
            }
            if let Some(e) = program.enums.iter().find(|e| e.name == name) {
                for v in &e.variants {
                    items.push(item(
                        v,
                        CompletionItemKind::ENUM_MEMBER,
                        Some(e.name.clone()),
                    ));
                }
            }
            return Some(CompletionResponse::Array(items));
        }
        if let Some(checked) = checked {
            let program = checked.program();
            for i in &program.inputs {
                items.push(item(
                    &i.name,
                    CompletionItemKind::VARIABLE,
                    Some(format!(
                        "input: {}{}",
                        program.show(&i.ty),
                        i.label
                            .as_ref()
                            .map_or(String::new(), |l| format!(" · {l}"))
                    )),
                ));
            }
            for c in &program.clauses {
                items.push(item(&c.name, CompletionItemKind::MODULE, c.label.clone()));
            }
            for p in &program.params {
                items.push(item(&p.name, CompletionItemKind::CONSTANT, p.label.clone()));
            }
            for e in &program.enums {
                items.push(item(&e.name, CompletionItemKind::ENUM, None));
                for v in &e.variants {
                    items.push(item(
                        v,
                        CompletionItemKind::ENUM_MEMBER,
                        Some(e.name.clone()),
                    ));
                }
            }
            for r in &program.records {
                items.push(item(&r.name, CompletionItemKind::STRUCT, None));
            }
            // The lets and results of the clause around the cursor.
            if let Some(c) = program
                .clauses
                .iter()
                .find(|c| c.span.file == file && c.span.range().contains(&offset))
            {
                for d in &c.defs {
                    let def = &program.defs[d.index()];
                    items.push(item(
                        &def.name,
                        CompletionItemKind::VARIABLE,
                        Some(program.show(&def.ty).to_string()),
                    ));
                }
            }
        }
        for b in crate::lang::builtins::Builtin::CALLED {
            items.push(item(
                b.name(),
                CompletionItemKind::FUNCTION,
                Some(b.usage().to_string()),
            ));
        }
        for k in crate::lang::words::RESERVED
            .iter()
            .chain(crate::lang::words::DECL_KEYWORDS)
        {
            items.push(item(k, CompletionItemKind::KEYWORD, None));
        }
        items.sort_by(|a, b| a.label.cmp(&b.label));
        items.dedup_by(|a, b| a.label == b.label);
        Some(CompletionResponse::Array(items))
    }

    fn formatting(&self, p: &DocumentFormattingParams) -> Option<Vec<TextEdit>> {
        let path = path_of(&p.text_document.uri)?;
        let text = match self.open.get(&path) {
            Some(t) => t.clone(),
            None => package::read_file(&path).ok()?,
        };
        let formatted = crate::fmt::format_source(&text).ok()?;
        if formatted == text {
            return Some(Vec::new());
        }
        let lines = Lines::new(&text);
        Some(vec![TextEdit::new(
            Range::new(Position::new(0, 0), lines.position(text.len())),
            formatted,
        )])
    }

    /// Quick fixes: full-width punctuation typed in code (`，（）：“”；`)
    /// written in ASCII — the run under the cursor, or every run of the file.
    // `WorkspaceEdit` keys its changes by `Uri`, which clippy thinks mutable.
    #[allow(clippy::mutable_key_type)]
    fn code_actions(&self, p: &CodeActionParams) -> Option<Vec<CodeActionOrCommand>> {
        use crate::syntax::scan::{ascii_of, full_width_runs};
        let path = path_of(&p.text_document.uri)?;
        let text = match self.open.get(&path) {
            Some(t) => t.clone(),
            None => package::read_file(&path).ok()?,
        };
        let runs = full_width_runs(&text);
        if runs.is_empty() {
            return Some(Vec::new());
        }
        let lines = Lines::new(&text);
        let edit_of = |r: &std::ops::Range<usize>| {
            let ascii: String = text[r.clone()]
                .chars()
                .map(|c| ascii_of(c).unwrap_or(c))
                .collect();
            TextEdit::new(
                Range::new(lines.position(r.start), lines.position(r.end)),
                ascii,
            )
        };
        let diagnostics: Vec<lsp_types::Diagnostic> = p
            .context
            .diagnostics
            .iter()
            .filter(|d| d.code == Some(NumberOrString::String("pol::syntax::full_width".into())))
            .cloned()
            .collect();
        let (from, to) = (lines.offset(p.range.start), lines.offset(p.range.end));
        let action =
            |title: String, edits: Vec<TextEdit>, diagnostics: Vec<lsp_types::Diagnostic>| {
                let mut changes = std::collections::HashMap::new();
                changes.insert(p.text_document.uri.clone(), edits);
                CodeActionOrCommand::CodeAction(CodeAction {
                    title,
                    kind: Some(CodeActionKind::QUICKFIX),
                    diagnostics: (!diagnostics.is_empty()).then_some(diagnostics),
                    edit: Some(WorkspaceEdit {
                        changes: Some(changes),
                        ..Default::default()
                    }),
                    is_preferred: Some(true),
                    ..Default::default()
                })
            };
        let mut out = Vec::new();
        for r in runs.iter().filter(|r| r.start <= to && from <= r.end) {
            let edit = edit_of(r);
            let here: Vec<_> = diagnostics
                .iter()
                .filter(|d| d.range.start <= edit.range.end && edit.range.start <= d.range.end)
                .cloned()
                .collect();
            let title = tr!(
                "lsp-fix-full-width",
                typed = &text[r.clone()],
                ascii = edit.new_text.as_str()
            );
            out.push(action(title, vec![edit], here));
        }
        if runs.len() > 1 || out.is_empty() {
            out.push(action(
                tr!("lsp-fix-all-full-width", count = runs.len()),
                runs.iter().map(edit_of).collect(),
                diagnostics.clone(),
            ));
        }
        Some(out)
    }

    #[allow(deprecated)] // `DocumentSymbol::deprecated` must still be given.
    fn symbols(&self, p: &DocumentSymbolParams) -> Option<DocumentSymbolResponse> {
        let (pkg, file, _) = self.locate(&p.text_document.uri, None)?;
        let checked = pkg.checked.as_ref()?;
        let program = checked.program();
        let sym = |name: String,
                   detail: Option<String>,
                   kind: SymbolKind,
                   span: Span,
                   sel: Option<&Span>,
                   children: Option<Vec<DocumentSymbol>>| DocumentSymbol {
            name,
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: to_range(&pkg.sources, span),
            selection_range: to_range(&pkg.sources, *sel.unwrap_or(&span)),
            children,
        };
        let mut out = Vec::new();
        let here = |s: &Span| s.file == file;
        for (i, x) in program
            .inputs
            .iter()
            .enumerate()
            .filter(|(_, x)| here(&x.span))
        {
            out.push(sym(
                x.name.clone(),
                x.label.clone(),
                SymbolKind::VARIABLE,
                x.span,
                pkg.index.defs.get(&Target::Input(i as u32)),
                None,
            ));
        }
        for (i, r) in program
            .records
            .iter()
            .enumerate()
            .filter(|(_, r)| here(&r.span))
        {
            let fields = r
                .fields
                .iter()
                .enumerate()
                .map(|(j, f)| {
                    sym(
                        f.name.clone(),
                        f.label.clone(),
                        SymbolKind::FIELD,
                        f.span,
                        pkg.index.defs.get(&Target::Field(i as u32, j as u32)),
                        None,
                    )
                })
                .collect();
            out.push(sym(
                r.name.clone(),
                None,
                SymbolKind::STRUCT,
                r.span,
                pkg.index.defs.get(&Target::Record(i as u32)),
                Some(fields),
            ));
        }
        for (i, e) in program
            .enums
            .iter()
            .enumerate()
            .filter(|(_, e)| here(&e.span))
        {
            out.push(sym(
                e.name.clone(),
                Some(e.variants.join(", ")),
                SymbolKind::ENUM,
                e.span,
                pkg.index.defs.get(&Target::Enum(i as u32)),
                None,
            ));
        }
        for (i, p) in program
            .params
            .iter()
            .enumerate()
            .filter(|(_, p)| here(&p.span))
        {
            out.push(sym(
                p.name.clone(),
                p.label.clone(),
                SymbolKind::CONSTANT,
                p.span,
                pkg.index.defs.get(&Target::Param(i as u32)),
                None,
            ));
        }
        for (i, c) in program
            .clauses
            .iter()
            .enumerate()
            .filter(|(_, c)| here(&c.span))
        {
            let defs = c
                .defs
                .iter()
                .map(|d| {
                    let def = &program.defs[d.index()];
                    sym(
                        def.name.clone(),
                        Some(program.show(&def.ty).to_string()),
                        SymbolKind::PROPERTY,
                        def.span,
                        pkg.index.defs.get(&Target::Def(d.0)),
                        None,
                    )
                })
                .collect();
            out.push(sym(
                c.name.clone(),
                c.label.clone(),
                SymbolKind::MODULE,
                c.span,
                pkg.index.defs.get(&Target::Clause(i as u32)),
                Some(defs),
            ));
        }
        for t in program.tests.iter().filter(|t| here(&t.span)) {
            out.push(sym(
                format!("test \"{}\"", t.name),
                None,
                SymbolKind::EVENT,
                t.span,
                None,
                None,
            ));
        }
        out.sort_by_key(|s| (s.range.start.line, s.range.start.character));
        Some(DocumentSymbolResponse::Nested(out))
    }

    fn code_lens(&self, p: &CodeLensParams) -> Option<Vec<CodeLens>> {
        let (pkg, file, _) = self.locate(&p.text_document.uri, None)?;
        Some(
            pkg.tests()
                .iter()
                .filter(|t| t.span.file == file)
                .map(|t| {
                    let title = if t.passed() {
                        tr!("lsp-text-4")
                    } else {
                        tr!("lsp-text-5", failures = t.failures.len())
                    };
                    let start = to_range(&pkg.sources, t.span).start;
                    CodeLens {
                        range: Range::new(start, start),
                        command: Some(Command::new(
                            title,
                            "pol.runTest".into(),
                            Some(vec![json!(p.text_document.uri.as_str()), json!(t.name)]),
                        )),
                        data: None,
                    }
                })
                .collect(),
        )
    }

    /// `pol.runTest URI NAME`: the test's outcome, as `pol test` reports it.
    fn run_test(&self, args: &[Json]) -> Result<Json, String> {
        let uri: Uri = args
            .first()
            .and_then(Json::as_str)
            .and_then(|s| s.parse().ok())
            .ok_or(tr!("lsp-text-6"))?;
        let name = args
            .get(1)
            .and_then(Json::as_str)
            .ok_or(tr!("lsp-text-7"))?;
        let (pkg, _, _) = self.locate(&uri, None).ok_or(tr!("lsp-text-8"))?;
        let t = pkg
            .tests()
            .iter()
            .find(|t| t.name == name)
            .ok_or_else(|| tr!("lsp-text-9", name = name.to_string()))?;
        let failures: Vec<Json> = t
            .failures
            .iter()
            .map(|f| json!({"line": to_range(&pkg.sources, f.span).start.line, "expected": f.expected, "actual": f.actual}))
            .collect();
        Ok(json!({"name": t.name, "passed": t.passed(), "failures": failures}))
    }
}

/// What `word` names in a package, by name alone: after a `.`, a field or a
/// result; else a clause, an input, a parameter, a record or an enum.
fn by_name(checked: &Checked, word: &str, after_dot: bool) -> Option<Target> {
    let p = checked.program();
    let pos = |i: usize| i as u32;
    if after_dot {
        for (r, rec) in p.records.iter().enumerate() {
            if let Some(f) = rec.fields.iter().position(|f| f.name == word) {
                return Some(Target::Field(pos(r), pos(f)));
            }
        }
        return p
            .defs
            .iter()
            .position(|d| d.name == word)
            .map(|d| Target::Def(pos(d)));
    }
    p.clauses
        .iter()
        .position(|c| c.name == word)
        .map(|i| Target::Clause(pos(i)))
        .or_else(|| {
            p.inputs
                .iter()
                .position(|x| x.name == word)
                .map(|i| Target::Input(pos(i)))
        })
        .or_else(|| {
            p.params
                .iter()
                .position(|x| x.name == word)
                .map(|i| Target::Param(pos(i)))
        })
        .or_else(|| {
            p.records
                .iter()
                .position(|x| x.name == word)
                .map(|i| Target::Record(pos(i)))
        })
        .or_else(|| {
            p.enums
                .iter()
                .position(|x| x.name == word)
                .map(|i| Target::Enum(pos(i)))
        })
}

fn markdown(value: String, range: Option<Range>) -> Hover {
    Hover {
        contents: HoverContents::Markup(MarkupContent {
            kind: MarkupKind::Markdown,
            value,
        }),
        range,
    }
}

fn word_at(text: &str, offset: usize) -> Option<&str> {
    let is = |c: char| c.is_alphanumeric() || c == '_';
    let offset = offset.min(text.len());
    let start = text[..offset]
        .char_indices()
        .rev()
        .take_while(|(_, c)| is(*c))
        .last()
        .map_or(offset, |(i, _)| i);
    let end = text[offset..]
        .char_indices()
        .find(|(_, c)| !is(*c))
        .map_or(text.len(), |(i, _)| offset + i);
    (start < end).then(|| &text[start..end])
}

/// What a hover says of a name: its kind, type, label and quote.
fn describe(checked: &Checked, target: Target) -> String {
    let program = checked.program();
    let label = |l: &Option<String>| l.as_ref().map_or(String::new(), |l| format!(" — {l}"));
    // ` = VALUE` as written, for a fact with a default.
    let default = |d: &Option<crate::check::ir::TExpr>| {
        d.as_ref().map_or(String::new(), |d| {
            format!(" = {}", checked.sources().slice(d.span))
        })
    };
    // ` >= 0` as declared, then the default.
    let range_default = |r: &Option<crate::check::ir::FactRange>,
                         d: &Option<crate::check::ir::TExpr>| {
        let range = r
            .as_ref()
            .map_or(String::new(), |r| format!(" {}", r.written));
        format!("{range}{}", default(d))
    };
    match target {
        Target::Input(i) => {
            let x = &program.inputs[i as usize];
            format!(
                "```pol\ninput {}: {}{}\n```{}",
                x.name,
                program.show(&x.ty),
                range_default(&x.range, &x.default),
                label(&x.label)
            )
        }
        Target::Record(r) => {
            let r = &program.records[r as usize];
            let fields: Vec<String> = r
                .fields
                .iter()
                .map(|f| {
                    format!(
                        "  {}: {}{}",
                        f.name,
                        program.show(&f.ty),
                        range_default(&f.range, &f.default)
                    )
                })
                .collect();
            format!(
                "```pol\nrecord {} {{\n{}\n}}\n```",
                r.name,
                fields.join("\n")
            )
        }
        Target::Field(r, f) => {
            let rec = &program.records[r as usize];
            let f = &rec.fields[f as usize];
            format!(
                "```pol\n{}.{}: {}{}\n```{}",
                rec.name,
                f.name,
                program.show(&f.ty),
                range_default(&f.range, &f.default),
                label(&f.label)
            )
        }
        Target::Enum(e) => {
            let e = &program.enums[e as usize];
            format!(
                "```pol\nenum {} {{ {} }}\n```",
                e.name,
                e.variants.join(", ")
            )
        }
        Target::Variant(e, v) => {
            let e = &program.enums[e as usize];
            format!(
                "```pol\n{}.{}\n```\n{}",
                e.name,
                e.variants[v as usize],
                tr!("lsp-text-10", e = e.name.to_string())
            )
        }
        Target::Param(p) => {
            let p = &program.params[p as usize];
            let empty = crate::eval::Case::empty(program);
            let values: Vec<String> = p
                .values
                .iter()
                .map(|(from, e)| {
                    let v = crate::eval::Evaluation::new(program, &empty)
                        .value_of(e)
                        .map_or("?".to_string(), |v| v.show(program).to_string());
                    format!("- from {from}: {v}")
                })
                .collect();
            format!(
                "```pol\nparameter {}: {}\n```{}\n\n{}",
                p.name,
                program.show(&p.ty),
                label(&p.label),
                values.join("\n")
            )
        }
        Target::Clause(c) => {
            let c = &program.clauses[c as usize];
            let mut s = format!("**clause {}**{}", c.name, label(&c.label));
            if let Some(f) = &c.in_force {
                s.push_str(&format!(
                    "\n\n{}",
                    crate::i18n::tr!("lsp-text-11", dates = f.describe())
                ));
            }
            for q in &c.quotes {
                s.push_str(&format!("\n\n> {q}"));
            }
            s
        }
        Target::Def(d) => {
            let def = &program.defs[d as usize];
            let c = &program.clauses[def.clause.index()];
            let kind = format!("{:?}", def.kind).to_lowercase();
            let mut s = format!(
                "```pol\n{kind} {}.{}: {}\n```\nclause {}{}",
                c.name,
                def.name,
                program.show(&def.ty),
                c.name,
                label(&c.label)
            );
            for q in &c.quotes {
                s.push_str(&format!("\n\n> {q}"));
            }
            s
        }
        Target::Test(t) => format!("test \"{}\"", program.tests[t as usize].name),
    }
}

fn respond<T: serde::Serialize>(conn: &Connection, id: RequestId, result: T) {
    let _ = conn
        .sender
        .send(Message::Response(Response::new_ok(id, result)));
}

fn publish(conn: &Connection, diagnostics: Vec<(PathBuf, Vec<lsp_types::Diagnostic>)>) {
    for (path, diagnostics) in diagnostics {
        let params = PublishDiagnosticsParams::new(uri_of(&path), diagnostics, None);
        let _ = conn.sender.send(Message::Notification(Notification::new(
            "textDocument/publishDiagnostics".into(),
            params,
        )));
    }
}

fn params<P: serde::de::DeserializeOwned>(value: Json) -> Option<P> {
    serde_json::from_value(value).ok()
}

impl Server {
    fn request(&mut self, conn: &Connection, r: Request) {
        let id = r.id.clone();
        // Each handler answers null where it has nothing to say (a file of no
        // package, a package that does not check, no name at the cursor).
        match r.method.as_str() {
            "textDocument/hover" => {
                respond(conn, id, params(r.params).and_then(|p| self.hover(&p)))
            }
            "textDocument/definition" => {
                respond(conn, id, params(r.params).and_then(|p| self.definition(&p)))
            }
            "textDocument/references" => {
                respond(conn, id, params(r.params).and_then(|p| self.references(&p)))
            }
            "textDocument/completion" => {
                respond(conn, id, params(r.params).and_then(|p| self.completion(&p)))
            }
            "textDocument/formatting" => {
                respond(conn, id, params(r.params).and_then(|p| self.formatting(&p)))
            }
            "textDocument/documentSymbol" => {
                respond(conn, id, params(r.params).and_then(|p| self.symbols(&p)))
            }
            "textDocument/codeAction" => respond(
                conn,
                id,
                params(r.params).and_then(|p| self.code_actions(&p)),
            ),
            "textDocument/codeLens" => {
                respond(conn, id, params(r.params).and_then(|p| self.code_lens(&p)))
            }
            "textDocument/rename" => {
                match params::<RenameParams>(r.params).map(|p| self.rename(&p)) {
                    Some(Err(e)) => {
                        let _ = conn.sender.send(Message::Response(Response::new_err(
                            id,
                            lsp_server::ErrorCode::InvalidParams as i32,
                            e,
                        )));
                    }
                    Some(Ok(edit)) => respond(conn, id, edit),
                    None => respond(conn, id, Json::Null),
                }
            }
            "workspace/executeCommand" => {
                let p: Option<ExecuteCommandParams> = params(r.params);
                match p {
                    Some(p) if p.command == "pol.runTest" => match self.run_test(&p.arguments) {
                        Ok(v) => {
                            let passed = v["passed"].as_bool().unwrap_or(false);
                            let name = v["name"].as_str().unwrap_or("");
                            let message = if passed {
                                tr!("lsp-test-passes", name = name)
                            } else {
                                let lines: Vec<String> = v["failures"]
                                    .as_array()
                                    .into_iter()
                                    .flatten()
                                    .map(|f| {
                                        tr!(
                                            "lsp-test-failure",
                                            line = f["line"].as_u64().unwrap_or(0) + 1,
                                            expected = f["expected"].as_str().unwrap_or(""),
                                            actual = f["actual"].as_str().unwrap_or("")
                                        )
                                    })
                                    .collect();
                                tr!("lsp-test-fails", name = name, failures = lines.join("; "))
                            };
                            let kind = if passed {
                                MessageType::INFO
                            } else {
                                MessageType::WARNING
                            };
                            let _ = conn.sender.send(Message::Notification(Notification::new(
                                "window/showMessage".into(),
                                ShowMessageParams { typ: kind, message },
                            )));
                            respond(conn, id, v);
                        }
                        Err(e) => {
                            let _ = conn.sender.send(Message::Response(Response::new_err(
                                id,
                                lsp_server::ErrorCode::InvalidParams as i32,
                                e,
                            )));
                        }
                    },
                    _ => {
                        let _ = conn.sender.send(Message::Response(Response::new_err(
                            id,
                            lsp_server::ErrorCode::InvalidParams as i32,
                            tr!("lsp-text-12"),
                        )));
                    }
                }
            }
            _ => {
                let _ = conn.sender.send(Message::Response(Response::new_err(
                    id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    tr!("lsp-text-13", method = r.method.to_string()),
                )));
            }
        }
    }

    fn notification(&mut self, conn: &Connection, n: Notification) {
        let path_and_root = |uri: &Uri| path_of(uri).map(|p| (Self::root_of(&p), p));
        match n.method.as_str() {
            "textDocument/didOpen" => {
                if let Some(p) = params::<DidOpenTextDocumentParams>(n.params)
                    && let Some((root, path)) = path_and_root(&p.text_document.uri)
                {
                    self.open.insert(
                        path,
                        crate::files::normalize_line_ends(p.text_document.text),
                    );
                    let d = self.check(&root);
                    publish(conn, d);
                }
            }
            "textDocument/didChange" => {
                if let Some(p) = params::<DidChangeTextDocumentParams>(n.params)
                    && let Some((root, path)) = path_and_root(&p.text_document.uri)
                {
                    // Full-text sync: the last change is the whole text.
                    if let Some(change) = p.content_changes.into_iter().last() {
                        self.open
                            .insert(path, crate::files::normalize_line_ends(change.text));
                    }
                    let d = self.check(&root);
                    publish(conn, d);
                }
            }
            "textDocument/didSave" => {
                if let Some(p) = params::<DidSaveTextDocumentParams>(n.params)
                    && let Some((root, _)) = path_and_root(&p.text_document.uri)
                {
                    let d = self.check(&root);
                    publish(conn, d);
                }
            }
            "textDocument/didClose" => {
                if let Some(p) = params::<DidCloseTextDocumentParams>(n.params)
                    && let Some((root, path)) = path_and_root(&p.text_document.uri)
                {
                    self.open.remove(&path);
                    let d = self.check(&root);
                    publish(conn, d);
                }
            }
            _ => {}
        }
    }
}

/// What the server offers.
pub fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec![".".into()]),
            ..Default::default()
        }),
        document_formatting_provider: Some(OneOf::Left(true)),
        code_action_provider: Some(CodeActionProviderCapability::Simple(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        code_lens_provider: Some(CodeLensOptions {
            resolve_provider: Some(false),
        }),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: vec!["pol.runTest".into()],
            ..Default::default()
        }),
        position_encoding: Some(PositionEncodingKind::UTF16),
        ..Default::default()
    }
}

/// Serves one editor over stdio until it says `exit`.
pub fn run() -> Result<(), String> {
    let (conn, threads) = Connection::stdio();
    let caps = serde_json::to_value(capabilities()).map_err(|e| e.to_string())?;
    let (id, _) = conn
        .initialize_start()
        .map_err(|e| tr!("lsp-text-14", e = e.to_string()))?;
    conn.initialize_finish(
        id,
        json!({
            "capabilities": caps,
            "serverInfo": {"name": "pol", "version": env!("CARGO_PKG_VERSION")},
        }),
    )
    .map_err(|e| tr!("lsp-text-15", e = e.to_string()))?;
    let mut server = Server::default();
    for msg in &conn.receiver {
        match msg {
            Message::Request(r) => {
                if conn.handle_shutdown(&r).map_err(|e| e.to_string())? {
                    break;
                }
                server.request(&conn, r);
            }
            Message::Notification(n) => server.notification(&conn, n),
            Message::Response(_) => {}
        }
    }
    drop(conn);
    threads.join().map_err(|e| e.to_string())
}

/// Arbitrary text as an open file, for the fuzzers and the tests: the
/// package is checked, and every request is asked at positions all over
/// the text, and past its end. Panics if the server would.
pub fn exercise(text: &str) {
    let Ok(dir) = tempfile::tempdir() else {
        return;
    };
    let path = dir.path().join("edited.pol");
    let mut server = Server::default();
    server.open.insert(
        path.clone(),
        crate::files::normalize_line_ends(text.to_string()),
    );
    let _ = server.check(dir.path());
    let text = server.open[&path].clone();
    let uri = uri_of(&path);
    let lines = Lines::new(&text);
    let doc = json!({"uri": uri.as_str()});
    let step = (text.len() / 48).max(1);
    let mut positions: Vec<Position> = (0..=text.len())
        .step_by(step)
        .filter(|&i| text.is_char_boundary(i))
        .map(|i| lines.position(i))
        .collect();
    positions.push(Position::new(u32::MAX, u32::MAX));
    positions.push(Position::new(0, u32::MAX));
    for p in positions {
        let at = json!({"textDocument": doc, "position": p});
        if let Some(x) = params(at.clone()) {
            let _ = server.hover(&x);
        }
        if let Some(x) = params(at.clone()) {
            let _ = server.definition(&x);
        }
        let mut with = at.clone();
        with["context"] = json!({"includeDeclaration": true});
        if let Some(x) = params(with) {
            let _ = server.references(&x);
        }
        if let Some(x) = params(at.clone()) {
            let _ = server.completion(&x);
        }
        let mut rename = at;
        rename["newName"] = json!("renamed");
        if let Some(x) = params(rename) {
            let _ = server.rename(&x);
        }
    }
    let whole = json!({"textDocument": doc, "options": {"tabSize": 2, "insertSpaces": true}});
    if let Some(x) = params(whole) {
        let _ = server.formatting(&x);
    }
    if let Some(x) = params(json!({"textDocument": doc})) {
        let _ = server.symbols(&x);
    }
    if let Some(x) = params(json!({"textDocument": doc})) {
        let _ = server.code_lens(&x);
    }
}

//! From text to AST: the pest grammar, and lowering of its pairs into
//! [`ast`](super::ast) nodes with spans. pest's `Rule` and `Pair` never leave
//! this module.

use super::ast::*;
use crate::diagnostic::Diagnostic;
use crate::i18n::tr;
use crate::lang::scalar::{Date, Duration, Period};
use crate::lang::words::{Binding, DECL_KEYWORDS, FOREIGN_OPERATORS, OPERATOR_SPELLINGS, RESERVED};
use crate::source::{FileId, Span};
use pest::Parser as _;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use rust_decimal::Decimal;
use std::cell::RefCell;
use std::str::FromStr;
use std::sync::LazyLock;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/pol.pest"]
struct PolParser;

/// Each operator of the grammar, and how it binds: the Pratt parser's levels
/// come from [`Binding`], the language's one precedence table.
const OPERATOR_RULES: &[(Rule, Binding, Fixity)] = &[
    (Rule::or_op, BinOp::Or.binding(), Fixity::Infix),
    (Rule::and_op, BinOp::And.binding(), Fixity::Infix),
    (Rule::not_op, UnOp::Not.binding(), Fixity::Prefix),
    (Rule::eq, BinOp::Eq.binding(), Fixity::Infix),
    (Rule::ne, BinOp::Ne.binding(), Fixity::Infix),
    (Rule::lt, BinOp::Lt.binding(), Fixity::Infix),
    (Rule::le, BinOp::Le.binding(), Fixity::Infix),
    (Rule::gt, BinOp::Gt.binding(), Fixity::Infix),
    (Rule::ge, BinOp::Ge.binding(), Fixity::Infix),
    // `==`, refused with help when lowered.
    (Rule::bad_eq, BinOp::Eq.binding(), Fixity::Infix),
    (Rule::in_op, BinOp::In.binding(), Fixity::Infix),
    (Rule::between_op, Binding::Compare, Fixity::Postfix),
    (Rule::add, BinOp::Add.binding(), Fixity::Infix),
    (Rule::sub, BinOp::Sub.binding(), Fixity::Infix),
    (Rule::mul, BinOp::Mul.binding(), Fixity::Infix),
    (Rule::div, BinOp::Div.binding(), Fixity::Infix),
    (Rule::of_op, BinOp::Of.binding(), Fixity::Infix),
    (Rule::neg, UnOp::Neg.binding(), Fixity::Prefix),
    (Rule::field_op, Binding::Postfix, Fixity::Postfix),
    (Rule::at_op, Binding::Postfix, Fixity::Postfix),
];

#[derive(Clone, Copy)]
enum Fixity {
    Prefix,
    Infix,
    Postfix,
}

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    let mut pratt = PrattParser::new();
    for level in Binding::OPERATORS {
        let ops = OPERATOR_RULES
            .iter()
            .filter(|(_, b, _)| *b == level)
            .map(|&(rule, _, fixity)| match fixity {
                Fixity::Prefix => Op::prefix(rule),
                Fixity::Infix => Op::infix(rule, Assoc::Left),
                Fixity::Postfix => Op::postfix(rule),
            })
            .reduce(|a, b| a | b)
            .expect("every level of the precedence table has an operator in the grammar");
        pratt = pratt.op(ops);
    }
    pratt
});

/// Parses one file into a module; every syntax error found is returned.
///
/// The file is cut into top-level declarations (lines that start with a
/// declaration keyword in the first column) and each piece is parsed on its
/// own, so that one syntax error does not hide the others.
pub fn parse_module(file: FileId, text: &str) -> (Module, Vec<Diagnostic>) {
    let mut module = Module::default();
    let (patched, mut errors) = full_width(file, text);
    let written = text;
    let text = patched.as_deref().unwrap_or(text);
    for (start, end) in chunks(text) {
        let (decls, errs) = parse_chunk(file, text, start, end);
        module.decls.extend(decls);
        errors.extend(if patched.is_some() {
            on_written(written, errs)
        } else {
            errs
        });
    }
    (module, errors)
}

/// The full-width punctuation of a file's code, one diagnostic per run,
/// and the text to parse on with each written in ASCII in its place.
fn full_width(file: FileId, text: &str) -> (Option<String>, Vec<Diagnostic>) {
    let runs = super::scan::full_width_runs(text);
    if runs.is_empty() {
        return (None, Vec::new());
    }
    let diags = runs
        .into_iter()
        .map(|r| {
            let typed = &text[r.clone()];
            let ascii: String = typed.chars().filter_map(super::scan::ascii_of).collect();
            let (what, it) = if typed.chars().count() == 1 {
                ("character", "it")
            } else {
                ("characters", "them")
            };
            Diagnostic::new(
                "pol::syntax::full_width",
                Span::new(file, r.start, r.end),
                tr!(
                    "syntax-full-width",
                    what = what.to_string(),
                    typed = typed.to_string()
                ),
            )
            .label(tr!("syntax-full-width-label", ascii = ascii.to_string()))
            .help(tr!(
                "syntax-full-width-help",
                ascii = ascii.to_string(),
                it = it.to_string()
            ))
        })
        .collect();
    (Some(super::scan::to_ascii(text, true)), diags)
}

/// The errors of a text parsed with its full-width punctuation patched in
/// place, on the characters of the text as written: a span that starts or
/// ends inside a full-width character covers all of it.
fn on_written(text: &str, mut errors: Vec<Diagnostic>) -> Vec<Diagnostic> {
    let snap = |s: Span| {
        let mut start = s.range().start.min(text.len());
        while !text.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = s.range().end.clamp(start, text.len());
        while !text.is_char_boundary(end) {
            end += 1;
        }
        Span::new(s.file, start, end)
    };
    for e in &mut errors {
        e.span = snap(e.span);
        for (s, _) in &mut e.secondary {
            *s = snap(*s);
        }
    }
    errors
}

/// Parses the files of a package, each as [`parse_module`] does, with the
/// declarations of all of them shared out among the cores (in order, in
/// parts of about equal size).
pub fn parse_modules(
    files: &[(FileId, &str)],
    stack_bytes: usize,
) -> Vec<(Module, Vec<Diagnostic>)> {
    let checked: Vec<(Option<String>, Vec<Diagnostic>)> =
        files.iter().map(|(f, t)| full_width(*f, t)).collect();
    let patched: Vec<(FileId, &str)> = files
        .iter()
        .zip(&checked)
        .map(|((f, t), (p, _))| (*f, p.as_deref().unwrap_or(t)))
        .collect();
    let originals: Vec<&str> = files.iter().map(|(_, t)| *t).collect();
    let files = &patched[..];
    let jobs: Vec<(usize, usize, usize)> = files
        .iter()
        .enumerate()
        .flat_map(|(k, (_, text))| chunks(text).into_iter().map(move |(s, e)| (k, s, e)))
        .collect();
    let total: usize = jobs.iter().map(|(_, s, e)| e - s).sum();
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    // A small package is parsed where it stands: threads cost more.
    let workers = if total < 16 << 10 { 1 } else { workers };
    let mut parts: Vec<&[(usize, usize, usize)]> = Vec::new();
    let (mut from, mut size) = (0, 0);
    for (i, (_, s, e)) in jobs.iter().enumerate() {
        size += e - s;
        if size * workers >= total * (parts.len() + 1) && parts.len() + 1 < workers {
            parts.push(&jobs[from..=i]);
            from = i + 1;
        }
    }
    parts.push(&jobs[from..]);
    let parse = |part: &[(usize, usize, usize)]| -> Vec<(Vec<Decl>, Vec<Diagnostic>)> {
        part.iter()
            .map(|&(k, s, e)| parse_chunk(files[k].0, files[k].1, s, e))
            .collect()
    };
    let parsed: Vec<Vec<(Vec<Decl>, Vec<Diagnostic>)>> = if parts.len() == 1 {
        vec![parse(parts[0])]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = parts
                .iter()
                .map(|part| {
                    let work = move || parse(part);
                    std::thread::Builder::new()
                        .stack_size(stack_bytes)
                        .spawn_scoped(scope, work)
                        .map_err(|_| work())
                })
                .collect();
            handles
                .into_iter()
                .map(|h| match h {
                    Ok(h) => h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)),
                    Err(done) => done,
                })
                .collect()
        })
    };
    let mut out: Vec<(Module, Vec<Diagnostic>)> = files
        .iter()
        .map(|_| (Module::default(), Vec::new()))
        .collect();
    for (k, (_, errs)) in checked.into_iter().enumerate() {
        out[k].1.extend(errs);
    }
    for ((k, _, _), (decls, errs)) in jobs.iter().zip(parsed.into_iter().flatten()) {
        out[*k].0.decls.extend(decls);
        out[*k].1.extend(on_written(originals[*k], errs));
    }
    out
}

/// Parses the declaration of `text[start..end]` (a chunk, as [`chunks`]
/// cuts a file).
fn parse_chunk(file: FileId, text: &str, start: usize, end: usize) -> (Vec<Decl>, Vec<Diagnostic>) {
    let mut decls = Vec::new();
    let mut errors = Vec::new();
    let chunk = &text[start..end];
    let lowerer = Lowerer::new(file, start, chunk);
    if let Some(too_deep) = bracket_overflow(chunk) {
        let span = Span::new(file, start + too_deep, start + too_deep + 1);
        errors.push(
            Diagnostic::new(
                "pol::syntax::too_deep",
                span,
                tr!("syntax-too-deep", max_brackets = MAX_BRACKETS.to_string()),
            )
            .label(tr!("syntax-too-deep-label"))
            .help(tr!("syntax-too-deep-help")),
        );
        return (decls, errors);
    }
    match parse_rule(Rule::file, chunk) {
        Ok(mut pairs) => {
            if let Some(file_pair) = pairs.next() {
                for pair in file_pair.into_inner().filter(is_not_keyword) {
                    if pair.as_rule() != Rule::EOI {
                        let decl = lowerer.decl(pair);
                        for e in decl.exprs() {
                            if e.depth() > MAX_DEPTH {
                                lowerer.push(
                                    Diagnostic::new(
                                        "pol::syntax::too_deep",
                                        e.span,
                                        tr!("syntax-too-deep-2", max_depth = MAX_DEPTH.to_string()),
                                    )
                                    .label(tr!("syntax-too-deep-2-label"))
                                    .help(tr!("syntax-too-deep-2-help")),
                                );
                            }
                        }
                        decls.push(decl);
                    }
                }
            }
        }
        Err(err) => errors.push(syntax_error(file, start, chunk, &err)),
    }
    errors.extend(lowerer.errors.into_inner());
    (decls, errors)
}

/// Parses `text` as `rule`. Most input parses: it is parsed without the
/// bookkeeping pest needs for detailed error messages (most of the parse
/// time), and only input that fails is parsed again with it, for the
/// message. The switch is global to pest, so the detailed parse holds a lock
/// while it is on; a parse that meanwhile reads it on is only slower.
fn parse_rule(rule: Rule, text: &str) -> Result<Pairs<'_, Rule>, pest::error::Error<Rule>> {
    static DETAIL: std::sync::Mutex<()> = std::sync::Mutex::new(());
    PolParser::parse(rule, text).or_else(|_| {
        let _only_one = DETAIL.lock().unwrap_or_else(|e| e.into_inner());
        pest::set_error_detail(true);
        let detailed = PolParser::parse(rule, text);
        pest::set_error_detail(false);
        detailed
    })
}

/// How deeply brackets may nest, and expressions in general: far beyond
/// any real policy, and far below what would exhaust the stack.
const MAX_BRACKETS: usize = 64;
const MAX_DEPTH: usize = 256;

/// The offset of the first bracket nested deeper than [`MAX_BRACKETS`],
/// outside texts and comments.
fn bracket_overflow(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in super::scan::code(text) {
        match c {
            '(' | '[' | '{' => {
                depth += 1;
                if depth > MAX_BRACKETS {
                    return Some(i);
                }
            }
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Parses a fact's path alone (`employer.hires[0].wage`); `None` when the
/// text is not one.
pub fn parse_fact_path(file: FileId, text: &str) -> Option<FactPath> {
    let pair = PolParser::parse(Rule::path_input, text).ok()?.next()?;
    let lowerer = Lowerer::new(file, 0, text);
    let path = lowerer.fact_path(pair.into_inner().find(|p| p.as_rule() == Rule::path)?);
    lowerer.errors.into_inner().is_empty().then_some(path)
}

/// Parses a line typed at the REPL as `PATH = EXPR` (setting a fact);
/// `None` when it does not have that form.
pub fn parse_assignment(file: FileId, text: &str) -> Option<(FactPath, Expr)> {
    let pair = PolParser::parse(Rule::assignment_input, text)
        .ok()?
        .next()?;
    let lowerer = Lowerer::new(file, 0, text);
    let mut inner = pair.into_inner().filter(is_not_keyword);
    let path = lowerer.fact_path(inner.next()?);
    let expr = lowerer.expr(inner.next()?);
    lowerer
        .errors
        .into_inner()
        .is_empty()
        .then_some((path, expr))
}

/// Parses one expression (a line typed at the REPL).
pub fn parse_expression(file: FileId, text: &str) -> Result<Expr, Vec<Diagnostic>> {
    if let Some(at) = bracket_overflow(text) {
        return Err(vec![
            Diagnostic::new(
                "pol::syntax::too_deep",
                Span::new(file, at, at + 1),
                tr!("syntax-too-deep-3", max_brackets = MAX_BRACKETS.to_string()),
            )
            .label(tr!("syntax-too-deep-3-label")),
        ]);
    }
    let lowerer = Lowerer::new(file, 0, text);
    let pair = match parse_rule(Rule::expr_input, text) {
        Ok(mut pairs) => pairs
            .next()
            .and_then(|p| p.into_inner().find(is_not_keyword)),
        Err(err) => return Err(vec![syntax_error(file, 0, text, &err)]),
    };
    let Some(pair) = pair else {
        return Err(vec![
            Diagnostic::new(
                "pol::syntax::unexpected",
                Span::new(file, 0, 0),
                tr!("syntax-unexpected"),
            )
            .label(tr!("syntax-unexpected-label")),
        ]);
    };
    let expr = lowerer.expr(pair);
    let mut errors = lowerer.errors.into_inner();
    if expr.depth() > MAX_DEPTH {
        errors.push(
            Diagnostic::new(
                "pol::syntax::too_deep",
                expr.span,
                tr!("syntax-too-deep-4", max_depth = MAX_DEPTH.to_string()),
            )
            .label(tr!("syntax-too-deep-4-label")),
        );
    }
    if errors.is_empty() {
        Ok(expr)
    } else {
        Err(errors)
    }
}

/// Byte ranges of the top-level pieces of a file.
fn chunks(text: &str) -> Vec<(usize, usize)> {
    let mut starts = vec![0];
    let mut line_start = 0;
    for line in text.split_inclusive('\n') {
        if line_start > 0 && starts_declaration(line) {
            starts.push(line_start);
        }
        line_start += line.len();
    }
    let mut ranges = Vec::with_capacity(starts.len());
    for (i, &s) in starts.iter().enumerate() {
        let e = starts.get(i + 1).copied().unwrap_or(text.len());
        ranges.push((s, e));
    }
    ranges
}

fn starts_declaration(line: &str) -> bool {
    DECL_KEYWORDS.iter().any(|kw| {
        line.strip_prefix(kw)
            .is_some_and(|rest| !rest.starts_with(|c: char| is_ident_char(c)))
    })
}

fn is_ident_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

// ------------------------------------------------------------ pest errors

/// The human name of a grammar rule in "expected …" lists; `None` for rules
/// that say nothing to a user.
fn describe_rule(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        EOI => "the end of the file",
        ident | name => "a name",
        word => "a field name",
        text | text_inner | label => "a text in double quotes",
        date | issued => "a date (YYYY-MM-DD)",
        source => "`source`",
        number | money | duration | percent | boolean | today | call | record_lit | set_lit
        | list_lit | paren | expr | op_expr | if_expr | arith | not_op | neg | at_arg
        | call_args | comp_for | comp_if => "an expression",
        or_op | and_op | eq | ne | lt | le | gt | ge | bad_eq | in_op | add | sub | mul | div
        | of_op | field_op | at_op | between_op => "an operator",
        type_expr | type_name | list_type | type_ann => "a type",
        policy_decl | enum_decl | record_decl | input_decl | parameter_decl | clause_decl
        | test_decl => {
            "a declaration (`clause`, `record`, `enum`, `input`, `parameter`, `test` or `policy`)"
        }
        quote_item | let_item | benefit_item | output_item | eligible_item | amend_item => {
            "a clause item (`quote`, `let`, `eligible if`, `benefit`, `output` or `amend`)"
        }
        expect_item | today_fact | fact | path => {
            "a test item (`today = DATE`, a fact `PATH = VALUE` or `expect …`)"
        }
        path_index => "a list index (`[0]`)",
        field_decl => "a field (`name: type \"label\"`)",
        param_value => "a dated value (`from DATE = VALUE`)",
        unless_part => "`unless`",
        combine_part | kw_combine => "`combine`",
        combine_rule => "a way to combine (`highest`, `lowest`, `sum` or `first`)",
        fact_range => "a range (`>= 0`, `between 0 and 1`)",
        default_value => "a default (`= false`)",
        subject => "`for`",
        in_force | in_force_from => "`in force`",
        in_force_on | kw_on => "`on`",
        period_lit => "an expression",
        over => "`over`",
        kw_policy => "`policy`",
        kw_issued => "`issued`",
        kw_source => "`source`",
        kw_enum => "`enum`",
        kw_record => "`record`",
        kw_input => "`input`",
        kw_parameter => "`parameter`",
        kw_from => "`from`",
        kw_at | kw_and | kw_or | kw_of | kw_in | kw_between => "an operator",
        kw_clause => "`clause`",
        kw_for => "`for`",
        kw_force => "`force`",
        kw_to => "`to`",
        kw_quote | kw_let | kw_eligible | kw_benefit | kw_output | kw_amend => {
            "a clause item (`quote`, `let`, `eligible if`, `benefit`, `output` or `amend`)"
        }
        kw_if => "`if`",
        kw_then => "`then`",
        kw_else => "`else`",
        kw_unless => "`unless`",
        kw_over => "`over`",
        kw_when => "`when`",
        kw_test => "`test`",
        kw_expect => "a test item (`today = DATE`, a fact `PATH = VALUE` or `expect …`)",
        kw_not => "an expression",
        kw_list => "`list`",
        kw_undetermined => "`undetermined`",
        field_init => "a field (`name: value`)",
        money_unit | duration_unit => "a unit",
        _ => return None,
    })
}

fn describe_token(token: &str) -> Option<String> {
    const PUNCTUATION: &[&str] = &["{", "}", "(", ")", "[", "]", ":", "=", ",", "\""];
    // `=` is punctuation where it is expected on its own (`output x = …`).
    if PUNCTUATION.contains(&token) {
        return Some(format!("`{token}`"));
    }
    if OPERATOR_SPELLINGS.contains(&token) || FOREIGN_OPERATORS.contains(&token) {
        return Some("an operator".into());
    }
    match token {
        "quote" | "let" | "eligible" | "benefit" | "output" | "amend" => Some(
            "a clause item (`quote`, `let`, `eligible if`, `benefit`, `output` or `amend`)".into(),
        ),
        "expect" => {
            Some("a test item (`today = DATE`, a fact `PATH = VALUE` or `expect …`)".into())
        }
        "policy" | "enum" | "record" | "input" | "parameter" | "clause" | "test" => Some(
            "a declaration (`clause`, `record`, `enum`, `input`, `parameter`, `test` or `policy`)"
                .into(),
        ),
        "if" | "then" | "else" | "to" | "force" | "for" | "unless" | "when" | "over" | "from"
        | "issued" | "source" | "undetermined" => Some(format!("`{token}`")),
        _ => None,
    }
}

/// A description from [`describe_rule`], [`describe_token`] or
/// [`found_token`] in the reader's language. The descriptions themselves
/// stay English: the parser compares them to keep its lists short.
fn phrase(description: &str) -> String {
    if let Some(rest) = description.strip_prefix("U+")
        && let Some((code, name)) = rest.split_once(' ')
    {
        return format!("U+{code} {}", phrase(name));
    }
    match description {
        "the end of the file" => tr!("phrase-end-of-file"),
        "the end of the line" => tr!("phrase-end-of-line"),
        "a name" => tr!("phrase-name"),
        "a field name" => tr!("phrase-field-name"),
        "a text in double quotes" => tr!("phrase-text"),
        "a date (YYYY-MM-DD)" => tr!("phrase-date"),
        "an expression" => tr!("phrase-expression"),
        "an operator" => tr!("phrase-operator"),
        "a type" => tr!("phrase-type"),
        "a declaration (`clause`, `record`, `enum`, `input`, `parameter`, `test` or `policy`)" => {
            tr!("phrase-declaration")
        }
        "a clause item (`quote`, `let`, `eligible if`, `benefit`, `output` or `amend`)" => {
            tr!("phrase-clause-item")
        }
        "a test item (`today = DATE`, a fact `PATH = VALUE` or `expect …`)" => {
            tr!("phrase-test-item")
        }
        "a list index (`[0]`)" => tr!("phrase-list-index"),
        "a way to combine (`highest`, `lowest`, `sum` or `first`)" => tr!("phrase-combine-rule"),
        "a range (`>= 0`, `between 0 and 1`)" => tr!("phrase-range"),
        "a default (`= false`)" => tr!("phrase-default"),
        "a field (`name: type \"label\"`)" => tr!("phrase-field-declaration"),
        "a dated value (`from DATE = VALUE`)" => tr!("phrase-dated-value"),
        "a field (`name: value`)" => tr!("phrase-field-value"),
        "a unit" => tr!("phrase-unit"),
        "NUL (a zero byte)" => tr!("phrase-nul"),
        "no-break space" => tr!("phrase-no-break-space"),
        "zero-width space" => tr!("phrase-zero-width-space"),
        "zero-width non-joiner" => tr!("phrase-zero-width-non-joiner"),
        "zero-width joiner" => tr!("phrase-zero-width-joiner"),
        "word joiner" => tr!("phrase-word-joiner"),
        "zero-width no-break space (byte-order mark)" => tr!("phrase-bom"),
        "line separator" => tr!("phrase-line-separator"),
        "paragraph separator" => tr!("phrase-paragraph-separator"),
        "soft hyphen" => tr!("phrase-soft-hyphen"),
        "control character" => tr!("phrase-control-character"),
        "space character" => tr!("phrase-space-character"),
        // Code (`}`, `then`) reads the same in every language.
        other => other.to_string(),
    }
}

/// The text found where the parser stopped, as a user would name it.
fn found_token(rest: &str) -> String {
    let rest = rest.trim_start_matches([' ', '\t', '\r']);
    let Some(c) = rest.chars().next() else {
        return "the end of the file".into();
    };
    if c == '\n' {
        return "the end of the line".into();
    }
    if is_ident_char(c) {
        let word: String = rest.chars().take_while(|&c| is_ident_char(c)).collect();
        return format!("`{word}`");
    }
    if let Some(name) = invisible_name(c) {
        return format!("U+{:04X} {name}", u32::from(c));
    }
    let two: String = rest.chars().take(2).collect();
    if ["==", "!=", "<=", ">=", "&&", "||", "<>", "//", "=>", "->"].contains(&two.as_str()) {
        return format!("`{two}`");
    }
    format!("`{c}`")
}

/// The name of a character that cannot be seen, or looks like a blank, in
/// an error message: shown as itself it would read "unexpected ` `".
fn invisible_name(c: char) -> Option<&'static str> {
    Some(match c {
        '\0' => "NUL (a zero byte)",
        '\u{a0}' => "no-break space",
        '\u{200b}' => "zero-width space",
        '\u{200c}' => "zero-width non-joiner",
        '\u{200d}' => "zero-width joiner",
        '\u{2060}' => "word joiner",
        '\u{feff}' => "zero-width no-break space (byte-order mark)",
        '\u{2028}' => "line separator",
        '\u{2029}' => "paragraph separator",
        '\u{ad}' => "soft hyphen",
        c if c.is_control() => "control character",
        c if c.is_whitespace() => "space character",
        _ => return None,
    })
}

fn syntax_error(
    file: FileId,
    offset: usize,
    chunk: &str,
    err: &pest::error::Error<Rule>,
) -> Diagnostic {
    let pos = match err.location {
        pest::error::InputLocation::Pos(p) => p,
        pest::error::InputLocation::Span((s, _)) => s,
    };
    if let pest::error::ErrorVariant::CustomError { message } = &err.variant {
        // Only pest's own limits (calls, stack) end a parse this way.
        return Diagnostic::new(
            "pol::syntax::too_complex",
            Span::new(file, offset + pos, offset + pos),
            tr!("syntax-too-complex", message = message.to_string()),
        )
        .label(tr!("syntax-too-complex-label"))
        .help(tr!("syntax-too-complex-help"));
    }
    let rest = &chunk[pos..];
    // Point at the token itself, not at the blanks before it.
    let skipped = rest.len() - rest.trim_start_matches([' ', '\t', '\r']).len();
    let at = pos + skipped;
    let token_len = rest[skipped..]
        .chars()
        .next()
        .filter(|&c| c != '\n')
        .map(|c| {
            if is_ident_char(c) {
                rest[skipped..]
                    .char_indices()
                    .find(|&(_, c)| !is_ident_char(c))
                    .map_or(rest.len() - skipped, |(i, _)| i)
            } else {
                c.len_utf8()
            }
        })
        .unwrap_or(0);
    let mut span = Span::new(file, offset + at, offset + at + token_len);
    let found = found_token(rest);
    let at_end = found == "the end of the file";
    if at_end {
        // Point at the last text of the file, where something is missing.
        let end = chunk.trim_end().len();
        let last = chunk[..end].chars().next_back().map_or(0, char::len_utf8);
        span = Span::new(file, offset + end - last, offset + end);
    }
    let unterminated = found == "`\"`"
        && !rest[skipped + 1..]
            .lines()
            .next()
            .unwrap_or("")
            .contains('"');

    let mut expected: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if !expected.contains(&s) {
            expected.push(s);
        }
    };
    if let pest::error::ErrorVariant::ParsingError { positives, .. } = &err.variant {
        for rule in positives {
            if let Some(d) = describe_rule(*rule) {
                add(d.to_string());
            }
        }
    }
    if let Some(attempts) = err.parse_attempts() {
        for token in attempts.expected_tokens() {
            if let Some(d) = describe_token(&token.to_string()) {
                add(d);
            }
        }
    }
    // Keep the list short: an expression covers names, literals and
    // brackets; `=` is an operator; a unit is rarely what was meant.
    if expected.iter().any(|e| e == "an expression") {
        expected.retain(|e| {
            !matches!(
                e.as_str(),
                "a name"
                    | "a date (YYYY-MM-DD)"
                    | "a text in double quotes"
                    | "`\"`"
                    | "`(`"
                    | "`[`"
                    | "`{`"
            )
        });
    }
    if expected.iter().any(|e| e == "an operator") {
        expected.retain(|e| e != "`=`");
    }
    if expected.len() > 1 {
        expected.retain(|e| e != "a unit");
    }
    if expected.iter().any(|e| e.starts_with("a text")) {
        expected.retain(|e| e != "`\"`");
    }
    expected.truncate(6);
    let shown: Vec<String> = expected.iter().map(|e| phrase(e)).collect();
    let expected_text = match shown.len() {
        0 => String::new(),
        1 => shown[0].clone(),
        n => tr!(
            "syntax-one-of",
            first = shown[..n - 1].join(&tr!("list-separator")),
            last = shown[n - 1].clone()
        ),
    };
    let found_text = phrase(&found);

    let word = found.trim_matches('`');
    let help = if expected.iter().any(|e| e == "a name") && RESERVED.contains(&word) {
        Some(tr!("syntax-reserved-word", word = word))
    } else if found == "`;`" {
        Some(tr!("syntax-no-semicolon"))
    } else if found == "`'`" {
        Some(tr!("syntax-double-quotes"))
    } else if unterminated {
        Some(tr!("syntax-unterminated-help"))
    } else if at_end && expected.iter().any(|e| e == "`}`") {
        Some(tr!("syntax-unclosed-brace"))
    } else if found == "`=>`" || found == "`->`" {
        Some(tr!("syntax-write-then"))
    } else if found == "`//`" {
        Some(tr!("syntax-comments"))
    } else if found.starts_with("U+") {
        Some(tr!("syntax-invisible"))
    } else {
        // The label says what was expected; help would only repeat it.
        None
    };
    let label = if unterminated {
        tr!("syntax-unterminated-label")
    } else if at_end {
        tr!("syntax-file-ends-expected", expected = expected_text)
    } else if expected_text.is_empty() {
        tr!("syntax-not-expected-here")
    } else {
        tr!("syntax-expected", expected = expected_text)
    };
    let message = if unterminated {
        tr!("syntax-unterminated")
    } else if at_end {
        tr!("syntax-unexpected-end")
    } else {
        tr!("syntax-unexpected-found", found = found_text)
    };
    Diagnostic::new("pol::syntax::unexpected", span, message)
        .label(label)
        .maybe_help(help)
}

// --------------------------------------------------------------- lowering

/// The length of a pair's text without the blanks and comments that pest
/// leaves at its end when a rule ends in an optional part.
/// For each byte offset of `text`, where the code before it ends: the
/// offset after its last character that is neither a blank nor in a
/// comment. A pair's end mapped through it drops the blanks and comments
/// pest leaves at the end of a rule that ends in an optional part. Built
/// once per text, so that each pair's span costs the same whatever its
/// length (nested expressions would otherwise cost the square of theirs).
fn code_ends(text: &str) -> Vec<u32> {
    let mut ends = vec![0u32; text.len() + 1];
    let mut last = 0u32;
    for (i, c, place) in super::scan::places(text) {
        ends[i] = last;
        if place != super::scan::Place::Comment && !c.is_whitespace() {
            last = (i + c.len_utf8()) as u32;
        }
    }
    ends[text.len()] = last;
    ends
}

/// Keywords are atomic rules (so that `in` does not match the start of
/// `input`), and so they show up as pairs; lowering skips them.
fn is_not_keyword(pair: &Pair<Rule>) -> bool {
    !matches!(
        pair.as_rule(),
        Rule::kw_policy
            | Rule::kw_issued
            | Rule::kw_source
            | Rule::kw_enum
            | Rule::kw_record
            | Rule::kw_input
            | Rule::kw_parameter
            | Rule::kw_from
            | Rule::kw_at
            | Rule::kw_clause
            | Rule::kw_for
            | Rule::kw_in
            | Rule::kw_force
            | Rule::kw_on
            | Rule::kw_to
            | Rule::kw_quote
            | Rule::kw_let
            | Rule::kw_eligible
            | Rule::kw_if
            | Rule::kw_then
            | Rule::kw_else
            | Rule::kw_benefit
            | Rule::kw_output
            | Rule::kw_unless
            | Rule::kw_amend
            | Rule::kw_over
            | Rule::kw_when
            | Rule::kw_test
            | Rule::kw_expect
            | Rule::kw_and
            | Rule::kw_or
            | Rule::kw_not
            | Rule::kw_between
            | Rule::kw_of
            | Rule::kw_list
    )
}

/// Turns pest pairs into AST nodes, collecting the errors that the grammar
/// lets through on purpose.
struct Lowerer {
    file: FileId,
    offset: usize,
    /// [`code_ends`] of the text being lowered.
    ends: Vec<u32>,
    errors: RefCell<Vec<Diagnostic>>,
}

/// An expression being lowered, and whether it is an unparenthesized
/// comparison (to reject `a < b < c` and to read `expect A = B`).
struct Lowered {
    expr: Expr,
    comparison: Option<BinOp>,
}

impl Lowered {
    fn plain(expr: Expr) -> Lowered {
        Lowered {
            expr,
            comparison: None,
        }
    }
}

impl Lowerer {
    /// Lowers pairs parsed from `text`, which starts at `offset` of file `file`.
    fn new(file: FileId, offset: usize, text: &str) -> Lowerer {
        Lowerer {
            file,
            offset,
            ends: code_ends(text),
            errors: RefCell::new(Vec::new()),
        }
    }

    /// The span of a pair, without the blanks and comments pest leaves at
    /// its end when a rule ends in an optional part.
    fn span(&self, pair: &Pair<Rule>) -> Span {
        let s = pair.as_span();
        let end = self
            .ends
            .get(s.end())
            .map_or(s.end(), |&e| e as usize)
            .max(s.start());
        Span::new(self.file, self.offset + s.start(), self.offset + end)
    }

    fn push(&self, diag: Diagnostic) {
        self.errors.borrow_mut().push(diag);
    }

    fn ident(&self, pair: Pair<Rule>) -> Ident {
        Ident {
            name: pair.as_str().to_string(),
            span: self.span(&pair),
        }
    }

    /// A fact's path: `employer.hires[0].contract_term`.
    fn fact_path(&self, pair: Pair<Rule>) -> FactPath {
        let mut parts = pair.into_inner().filter(is_not_keyword);
        let input = self.ident(parts.next().expect("the path's input"));
        let steps = parts
            .map(|p| {
                if p.as_rule() != Rule::path_index {
                    return Step::Field(self.ident(p));
                }
                let span = self.span(&p);
                let written = p
                    .as_str()
                    .trim_start_matches('[')
                    .trim_end_matches(']')
                    .trim();
                let index = written.parse::<usize>().unwrap_or_else(|_| {
                    self.push(
                        Diagnostic::new(
                            "pol::syntax::number",
                            span,
                            tr!("syntax-number", written = written.to_string()),
                        )
                        .label(tr!("syntax-number-label"))
                        .help(tr!("syntax-number-help")),
                    );
                    0
                });
                Step::Index(index, span)
            })
            .collect();
        FactPath { input, steps }
    }

    fn decl(&self, pair: Pair<Rule>) -> Decl {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::policy_decl => {
                let mut inner = pair.into_inner().filter(is_not_keyword);
                let title = self.text(inner.next().expect("policy title"));
                let mut issued = None;
                let mut source = None;
                let mut in_force = None;
                for p in inner {
                    match p.as_rule() {
                        Rule::issued => {
                            let d = p.into_inner().find(is_not_keyword).expect("issued date");
                            issued = Some((self.date(&d), self.span(&d)));
                        }
                        Rule::in_force => {
                            let at = self.span(&p);
                            in_force = Some(self.in_force(p, at));
                        }
                        _ => {
                            source =
                                Some(self.text(
                                    p.into_inner().find(is_not_keyword).expect("source text"),
                                ))
                        }
                    }
                }
                Decl::Policy(PolicyDecl {
                    title,
                    issued,
                    source,
                    in_force,
                    span,
                })
            }
            Rule::enum_decl => {
                let mut inner = pair.into_inner().filter(is_not_keyword);
                let name = self.ident(inner.next().expect("enum name"));
                let variants = inner.map(|p| self.ident(p)).collect();
                Decl::Enum(EnumDecl {
                    name,
                    variants,
                    span,
                })
            }
            Rule::record_decl => {
                let mut inner = pair.into_inner().filter(is_not_keyword);
                let name = self.ident(inner.next().expect("record name"));
                let fields = inner
                    .map(|f| {
                        let mut fi = f.into_inner().filter(is_not_keyword);
                        let name = self.ident(fi.next().expect("field name"));
                        let ty = self.type_expr(fi.next().expect("field type"));
                        let (range, default, label) = self.after_type(fi);
                        FieldDecl {
                            name,
                            ty,
                            range,
                            default,
                            label,
                        }
                    })
                    .collect();
                Decl::Record(RecordDecl { name, fields, span })
            }
            Rule::input_decl => {
                let mut inner = pair.into_inner().filter(is_not_keyword);
                let name = self.ident(inner.next().expect("input name"));
                let ty = self.type_expr(inner.next().expect("input type"));
                let (range, default, label) = self.after_type(inner);
                Decl::Input(InputDecl {
                    name,
                    ty,
                    range,
                    default,
                    label,
                    span,
                })
            }
            Rule::parameter_decl => {
                let mut inner = pair.into_inner().filter(is_not_keyword);
                let name = self.ident(inner.next().expect("parameter name"));
                let ty = self.type_expr(inner.next().expect("parameter type"));
                let mut label = None;
                let mut values = Vec::new();
                for p in inner {
                    match p.as_rule() {
                        Rule::label => label = Some(self.label(p)),
                        _ => {
                            let mut vi = p.into_inner().filter(is_not_keyword);
                            let d = vi.next().expect("from date");
                            let from_span = self.span(&d);
                            let from = self.date(&d);
                            let value = self.expr(vi.next().expect("parameter value"));
                            values.push(ParamValue {
                                from,
                                from_span,
                                value,
                            });
                        }
                    }
                }
                Decl::Parameter(ParamDecl {
                    name,
                    ty,
                    label,
                    values,
                    span,
                })
            }
            Rule::clause_decl => self.clause(pair, span),
            Rule::test_decl => {
                let mut inner = pair.into_inner().filter(is_not_keyword);
                let name = self.text(inner.next().expect("test name"));
                let items = inner.map(|p| self.test_item(p)).collect();
                Decl::Test(TestDecl { name, items, span })
            }
            r => unreachable!("not a declaration: {r:?}"),
        }
    }

    fn clause(&self, pair: Pair<Rule>, span: Span) -> Decl {
        let mut inner = pair.into_inner().filter(is_not_keyword);
        let name = self.ident(inner.next().expect("clause name"));
        let mut label = None;
        let mut subject = None;
        let mut in_force = None;
        let mut items = Vec::new();
        for p in inner {
            let item_span = self.span(&p);
            match p.as_rule() {
                Rule::label => label = Some(self.label(p)),
                Rule::subject => {
                    let mut si = p.into_inner().filter(is_not_keyword);
                    let var = self.ident(si.next().expect("subject name"));
                    let ty = self.type_expr(si.next().expect("subject type"));
                    subject = Some((var, ty));
                }
                Rule::in_force => {
                    let this = self.in_force(p, item_span);
                    if let Some(first) = &in_force {
                        let first: &InForce = first;
                        self.push(
                            Diagnostic::new(
                                "pol::syntax::duplicate_in_force",
                                item_span,
                                tr!("syntax-duplicate-in-force"),
                            )
                            .label(tr!("syntax-duplicate-in-force-label"))
                            .also(first.span, tr!("syntax-duplicate-in-force-also"))
                            .help(tr!("syntax-duplicate-in-force-help")),
                        );
                    }
                    in_force = Some(this);
                }
                Rule::quote_item => {
                    items.push(ClauseItem::Quote(
                        self.text(p.into_inner().find(is_not_keyword).expect("quote text")),
                    ));
                }
                Rule::eligible_item => {
                    let e = self.expr(
                        p.into_inner()
                            .find(is_not_keyword)
                            .expect("eligible condition"),
                    );
                    items.push(ClauseItem::Eligible(e, item_span));
                }
                Rule::let_item | Rule::benefit_item | Rule::output_item => {
                    let kind = match p.as_rule() {
                        Rule::let_item => DefKind::Let,
                        Rule::benefit_item => DefKind::Benefit,
                        _ => DefKind::Output,
                    };
                    let mut di = p.into_inner().filter(is_not_keyword);
                    let name = self.ident(di.next().expect("definition name"));
                    let mut ty = None;
                    let mut expr = None;
                    let mut unless = Vec::new();
                    let mut combine = None;
                    for q in di {
                        match q.as_rule() {
                            Rule::combine_part => {
                                let rule = q
                                    .into_inner()
                                    .find(|r| r.as_rule() == Rule::combine_rule)
                                    .expect("a rule");
                                let span = self.span(&rule);
                                let c = match rule.as_str() {
                                    "highest" => Combine::Highest,
                                    "lowest" => Combine::Lowest,
                                    "sum" => Combine::Sum,
                                    _ => Combine::First,
                                };
                                combine = Some((c, span));
                            }
                            Rule::type_ann => {
                                ty =
                                    Some(self.type_expr(
                                        q.into_inner().find(is_not_keyword).expect("type"),
                                    ))
                            }
                            Rule::unless_part => {
                                let uspan = self.span(&q);
                                let mut ui = q.into_inner().filter(is_not_keyword);
                                let cond = self.expr(ui.next().expect("unless condition"));
                                let then = self.expr(ui.next().expect("unless value"));
                                unless.push(Unless {
                                    cond,
                                    then,
                                    span: uspan,
                                });
                            }
                            _ => expr = Some(self.expr(q)),
                        }
                    }
                    items.push(ClauseItem::Def(Def {
                        kind,
                        name,
                        ty,
                        expr: expr.expect("definition expression"),
                        unless,
                        combine,
                        span: item_span,
                    }));
                }
                Rule::amend_item => {
                    let mut ai = p.into_inner().filter(is_not_keyword);
                    let clause = self.ident(ai.next().expect("amended clause"));
                    let name = self.ident(ai.next().expect("amended name"));
                    let mut over = None;
                    let mut rest = Vec::new();
                    for q in ai {
                        if q.as_rule() == Rule::over {
                            over =
                                Some(self.ident(
                                    q.into_inner().find(is_not_keyword).expect("over clause"),
                                ));
                        } else {
                            rest.push(self.expr(q));
                        }
                    }
                    let then = rest.pop().expect("amend value");
                    let cond = rest.pop().expect("amend condition");
                    items.push(ClauseItem::Amend(Amend {
                        clause,
                        name,
                        over,
                        cond,
                        then,
                        span: item_span,
                    }));
                }
                r => unreachable!("not a clause item: {r:?}"),
            }
        }
        Decl::Clause(ClauseDecl {
            name,
            label,
            subject,
            in_force,
            items,
            span,
        })
    }

    fn test_item(&self, pair: Pair<Rule>) -> TestItem {
        let span = self.span(&pair);
        match pair.as_rule() {
            Rule::today_fact => {
                let mut inner = pair.into_inner().filter(is_not_keyword);
                inner.next();
                TestItem::Today(self.expr(inner.next().expect("today value")), span)
            }
            Rule::fact => {
                let mut inner = pair.into_inner().filter(is_not_keyword);
                let path = self.fact_path(inner.next().expect("fact path"));
                TestItem::Fact(path, self.expr(inner.next().expect("fact value")), span)
            }
            _ => {
                let mut inner = pair.into_inner().filter(is_not_keyword);
                let lowered = self.expr_lowered(inner.next().expect("expectation"));
                let expect = if inner.next().is_some() {
                    Expect::Undetermined(lowered.expr)
                } else if lowered.comparison == Some(BinOp::Eq) {
                    match lowered.expr.kind {
                        ExprKind::Binary(BinOp::Eq, l, r) => Expect::Equal(*l, *r),
                        other => Expect::True(Expr {
                            kind: other,
                            span: lowered.expr.span,
                        }),
                    }
                } else {
                    Expect::True(lowered.expr)
                };
                TestItem::Expect(expect, span)
            }
        }
    }

    fn type_expr(&self, pair: Pair<Rule>) -> TypeExpr {
        let span = self.span(&pair);
        let inner = pair.into_inner().find(is_not_keyword).expect("type");
        match inner.as_rule() {
            Rule::list_type => TypeExpr::List(
                Box::new(
                    self.type_expr(
                        inner
                            .into_inner()
                            .find(is_not_keyword)
                            .expect("element type"),
                    ),
                ),
                span,
            ),
            _ => TypeExpr::Named(
                self.ident(inner.into_inner().find(is_not_keyword).expect("type name")),
            ),
        }
    }

    /// What follows a fact's type: its range, `= VALUE`, then the label,
    /// each optional.
    fn after_type<'p>(
        &self,
        rest: impl Iterator<Item = Pair<'p, Rule>>,
    ) -> (Option<FactRange>, Option<Expr>, Option<Text>) {
        let (mut range, mut default, mut label) = (None, None, None);
        for p in rest {
            match p.as_rule() {
                Rule::fact_range => range = Some(self.fact_range(p)),
                Rule::default_value => {
                    default = p.into_inner().find(is_not_keyword).map(|e| self.expr(e));
                }
                Rule::label => label = Some(self.label(p)),
                _ => {}
            }
        }
        (range, default, label)
    }

    fn fact_range(&self, pair: Pair<Rule>) -> FactRange {
        let span = self.span(&pair);
        let mut inner = pair.into_inner();
        let first = inner.next().expect("a range's operator");
        let mut bound = || {
            let e = inner.find(|p| p.as_rule() == Rule::arith).expect("a bound");
            self.pratt(e).expr
        };
        let (lower, upper) = match first.as_rule() {
            Rule::ge => (Some((bound(), true)), None),
            Rule::gt => (Some((bound(), false)), None),
            Rule::le => (None, Some((bound(), true))),
            Rule::lt => (None, Some((bound(), false))),
            _ => {
                let lo = bound();
                let hi = bound();
                (Some((lo, true)), Some((hi, true)))
            }
        };
        FactRange { lower, upper, span }
    }

    fn label(&self, pair: Pair<Rule>) -> Text {
        self.text(pair.into_inner().find(is_not_keyword).expect("label text"))
    }

    fn text(&self, pair: Pair<Rule>) -> Text {
        let span = self.span(&pair);
        let inner = pair.into_inner().find(is_not_keyword).expect("text inner");
        let raw = inner.as_str();
        let inner_start = self.offset + inner.as_span().start();
        let mut value = String::with_capacity(raw.len());
        let mut chars = raw.char_indices();
        while let Some((i, c)) = chars.next() {
            if c != '\\' {
                value.push(c);
                continue;
            }
            match chars.next() {
                Some((_, '"')) => value.push('"'),
                Some((_, '\\')) => value.push('\\'),
                Some((_, 'n')) => value.push('\n'),
                Some((j, other)) => {
                    let at = Span::new(
                        self.file,
                        inner_start + i,
                        inner_start + j + other.len_utf8(),
                    );
                    self.push(
                        Diagnostic::new(
                            "pol::syntax::escape",
                            at,
                            tr!("syntax-escape", other = other.to_string()),
                        )
                        .label(tr!("syntax-escape-label"))
                        .help(tr!("syntax-escape-help")),
                    );
                }
                None => {}
            }
        }
        Text { value, span }
    }

    fn date(&self, pair: &Pair<Rule>) -> Date {
        let s = pair.as_str();
        let span = self.span(pair);
        if let Some(d) = Date::parse(s) {
            return d;
        }
        let parts: Vec<&str> = s.split('-').collect();
        let (y, m, d) = (
            parts[0].parse::<i32>().unwrap_or(0),
            parts[1].parse::<u32>().unwrap_or(0),
            parts[2].parse::<u32>().unwrap_or(0),
        );
        let diag = if parts[1].len() != 2 || parts[2].len() != 2 {
            let fixed = format!("{y:04}-{m:02}-{d:02}");
            Diagnostic::new(
                "pol::syntax::date",
                span,
                tr!("syntax-date", s = s.to_string()),
            )
            .label(tr!("syntax-date-label"))
            .help(tr!("syntax-date-help", fixed = fixed.to_string()))
        } else if !(1..=12).contains(&m) {
            Diagnostic::new(
                "pol::syntax::date",
                span,
                tr!("syntax-date-2", s = s.to_string(), m = m.to_string()),
            )
            .label(tr!("syntax-date-2-label"))
            .help(tr!("syntax-date-2-help"))
        } else if y == 0 {
            Diagnostic::new(
                "pol::syntax::date",
                span,
                tr!("syntax-date-3", s = s.to_string()),
            )
            .label(tr!("syntax-date-3-label"))
        } else {
            let last = crate::lang::scalar::days_in_month(y, m);
            Diagnostic::new(
                "pol::syntax::date",
                span,
                tr!(
                    "syntax-date-4",
                    s = s.to_string(),
                    y = format!("{:04}", y),
                    m = format!("{:02}", m),
                    last = last.to_string()
                ),
            )
            .label(tr!("syntax-date-4-label"))
            .help(tr!(
                "syntax-date-4-help",
                y = format!("{:04}", y),
                m = format!("{:02}", m),
                last = format!("{:02}", last)
            ))
        };
        self.push(diag);
        Date::from_ymd(1970, 1, 1).expect("the epoch is a date")
    }

    // ---------------------------------------------------------- expressions

    fn expr(&self, pair: Pair<Rule>) -> Expr {
        self.expr_lowered(pair).expr
    }

    fn expr_lowered(&self, pair: Pair<Rule>) -> Lowered {
        let inner = pair.into_inner().find(is_not_keyword).expect("expression");
        match inner.as_rule() {
            Rule::if_expr => {
                let span = self.span(&inner);
                let mut parts = inner
                    .into_inner()
                    .filter(is_not_keyword)
                    .map(|p| self.expr(p));
                let c = parts.next().expect("if condition");
                let a = parts.next().expect("then branch");
                let b = parts.next().expect("else branch");
                Lowered::plain(Expr {
                    kind: ExprKind::If(Box::new(c), Box::new(a), Box::new(b)),
                    span,
                })
            }
            _ => self.pratt(inner),
        }
    }

    fn pratt(&self, pair: Pair<Rule>) -> Lowered {
        // A long run of prefix operators would make the Pratt parser recurse
        // once per operator: refuse it before parsing.
        let mut run = 0usize;
        for p in pair.clone().into_inner() {
            if matches!(p.as_rule(), Rule::not_op | Rule::neg) {
                run += 1;
                if run > MAX_DEPTH {
                    let span = self.span(&p);
                    self.push(
                        Diagnostic::new(
                            "pol::syntax::too_deep",
                            span,
                            tr!("syntax-too-deep-5", max_depth = MAX_DEPTH.to_string()),
                        )
                        .label(tr!("syntax-too-deep-5-label"))
                        .help(tr!("syntax-too-deep-5-help")),
                    );
                    return Lowered::plain(Expr {
                        kind: ExprKind::Lit(Literal::Bool(false)),
                        span,
                    });
                }
            } else {
                run = 0;
            }
        }
        PRATT
            .map_primary(|p| self.operand(p))
            .map_prefix(|op, rhs| {
                let span = self.span(&op).to(rhs.expr.span);
                let unop = if op.as_rule() == Rule::neg {
                    UnOp::Neg
                } else {
                    if op.as_str() == "!" {
                        self.push(
                            Diagnostic::new(
                                "pol::syntax::operator",
                                self.span(&op),
                                tr!("syntax-operator"),
                            )
                            .label(tr!("syntax-operator-label"))
                            .help(tr!("syntax-operator-help")),
                        );
                    }
                    UnOp::Not
                };
                Lowered::plain(Expr {
                    kind: ExprKind::Unary(unop, Box::new(rhs.expr)),
                    span,
                })
            })
            .map_postfix(|lhs, op| {
                let op_span = self.span(&op);
                let span = lhs.expr.span.to(op_span);
                match op.as_rule() {
                    Rule::field_op => {
                        let field =
                            self.ident(op.into_inner().find(is_not_keyword).expect("field name"));
                        Lowered::plain(Expr {
                            kind: ExprKind::Field(Box::new(lhs.expr), field),
                            span,
                        })
                    }
                    Rule::at_op => {
                        let arg = op.into_inner().find(is_not_keyword).expect("at argument");
                        let mut parts = arg.into_inner().filter(is_not_keyword);
                        let mut date = self.operand(parts.next().expect("at operand")).expr;
                        for f in parts {
                            let field = self
                                .ident(f.into_inner().find(is_not_keyword).expect("field name"));
                            let fspan = date.span.to(field.span);
                            date = Expr {
                                kind: ExprKind::Field(Box::new(date), field),
                                span: fspan,
                            };
                        }
                        Lowered::plain(Expr {
                            kind: ExprKind::At(Box::new(lhs.expr), Box::new(date)),
                            span,
                        })
                    }
                    _ => {
                        self.no_chain(&lhs, "between");
                        let mut parts = op.into_inner().filter(is_not_keyword);
                        let low = self.pratt(parts.next().expect("between low")).expr;
                        let high = self.pratt(parts.next().expect("between high")).expr;
                        Lowered {
                            expr: Expr {
                                kind: ExprKind::Between(
                                    Box::new(lhs.expr),
                                    Box::new(low),
                                    Box::new(high),
                                ),
                                span,
                            },
                            comparison: Some(BinOp::Le),
                        }
                    }
                }
            })
            .map_infix(|lhs, op, rhs| {
                let op_span = self.span(&op);
                let binop = match op.as_rule() {
                    Rule::or_op => BinOp::Or,
                    Rule::and_op => BinOp::And,
                    Rule::eq => BinOp::Eq,
                    Rule::ne => BinOp::Ne,
                    Rule::lt => BinOp::Lt,
                    Rule::le => BinOp::Le,
                    Rule::gt => BinOp::Gt,
                    Rule::ge => BinOp::Ge,
                    Rule::in_op => BinOp::In,
                    Rule::add => BinOp::Add,
                    Rule::sub => BinOp::Sub,
                    Rule::mul => BinOp::Mul,
                    Rule::div => BinOp::Div,
                    Rule::of_op => BinOp::Of,
                    _ => {
                        let (op_name, write) = match op.as_str() {
                            "==" => ("==", "="),
                            "≠" | "<>" => (op.as_str(), "!="),
                            "≤" => ("≤", "<="),
                            _ => (op.as_str(), ">="),
                        };
                        self.push(
                            Diagnostic::new(
                                "pol::syntax::operator",
                                op_span,
                                tr!("syntax-operator-2", op_name = op_name.to_string()),
                            )
                            .label(tr!("syntax-operator-2-label"))
                            .help(tr!("syntax-operator-2-help", write = write.to_string())),
                        );
                        match write {
                            "=" => BinOp::Eq,
                            "!=" => BinOp::Ne,
                            "<=" => BinOp::Le,
                            _ => BinOp::Ge,
                        }
                    }
                };
                if matches!(op.as_str(), "&&" | "||") {
                    let write = if binop == BinOp::And { "and" } else { "or" };
                    self.push(
                        Diagnostic::new(
                            "pol::syntax::operator",
                            op_span,
                            tr!("syntax-operator-3", op = (op.as_str()).to_string()),
                        )
                        .label(tr!("syntax-operator-3-label"))
                        .help(tr!("syntax-operator-3-help", write = write.to_string())),
                    );
                }
                if binop.is_comparison() {
                    self.no_chain(&lhs, binop.symbol());
                    self.no_chain(&rhs, binop.symbol());
                }
                let span = lhs.expr.span.to(rhs.expr.span);
                Lowered {
                    expr: Expr {
                        kind: ExprKind::Binary(binop, Box::new(lhs.expr), Box::new(rhs.expr)),
                        span,
                    },
                    comparison: binop.is_comparison().then_some(binop),
                }
            })
            .parse(pair.into_inner().filter(is_not_keyword))
    }

    /// Comparisons do not chain: `a < b < c` is an error, not `(a < b) < c`.
    fn no_chain(&self, operand: &Lowered, op: &str) {
        if let Some(inner) = operand.comparison {
            self.push(
                Diagnostic::new(
                    "pol::syntax::chained_comparison",
                    operand.expr.span,
                    tr!(
                        "syntax-chained-comparison",
                        inner = (inner.symbol()).to_string(),
                        op = op.to_string()
                    ),
                )
                .label(tr!("syntax-chained-comparison-label"))
                .help(tr!("syntax-chained-comparison-help")),
            );
        }
    }

    fn operand(&self, pair: Pair<Rule>) -> Lowered {
        let span = self.span(&pair);
        let kind = match pair.as_rule() {
            Rule::paren => {
                // The parentheses belong to the expression's text, so that
                // an explanation quoting it reads as written.
                let mut inner = self.expr(pair.into_inner().find(is_not_keyword).expect("inner"));
                inner.span = span;
                return Lowered::plain(inner);
            }
            Rule::name => {
                ExprKind::Name(self.ident(pair.into_inner().find(is_not_keyword).expect("name")))
            }
            Rule::today => ExprKind::Today,
            Rule::boolean => ExprKind::Lit(Literal::Bool(pair.as_str() == "true")),
            Rule::text => ExprKind::Lit(Literal::Text(self.text(pair).value)),
            Rule::date => ExprKind::Lit(Literal::Date(self.date(&pair))),
            Rule::period_lit => {
                let mut ends = pair.into_inner().filter(is_not_keyword);
                let start = self.date(&ends.next().expect("period start"));
                let end = self.date(&ends.next().expect("period end"));
                match Period::new(start, end) {
                    Some(p) => ExprKind::Lit(Literal::Period(p)),
                    None => {
                        self.push(
                            Diagnostic::new(
                                "pol::syntax::period_order",
                                span,
                                tr!(
                                    "syntax-period-order",
                                    start = start.to_string(),
                                    end = end.to_string()
                                ),
                            )
                            .label(tr!("syntax-period-order-label"))
                            .help(tr!(
                                "syntax-period-order-help",
                                end = end.to_string(),
                                start = start.to_string()
                            )),
                        );
                        ExprKind::Lit(Literal::Period(Period::new(end, start).expect("ordered")))
                    }
                }
            }
            Rule::number => self.number(&pair),
            Rule::percent => {
                let n = pair
                    .into_inner()
                    .find(is_not_keyword)
                    .expect("percent number");
                ExprKind::Lit(Literal::Decimal(self.decimal(&n) / Decimal::ONE_HUNDRED))
            }
            Rule::money => self.money(pair, span),
            Rule::duration => self.duration(pair, span),
            Rule::call => return Lowered::plain(self.call(pair, span)),
            Rule::record_lit => ExprKind::Record(
                pair.into_inner()
                    .filter(is_not_keyword)
                    .map(|f| {
                        let mut fi = f.into_inner().filter(is_not_keyword);
                        let name = self.ident(fi.next().expect("field"));
                        (name, self.expr(fi.next().expect("field value")))
                    })
                    .collect(),
            ),
            Rule::set_lit => ExprKind::Set(
                pair.into_inner()
                    .filter(is_not_keyword)
                    .map(|p| self.expr(p))
                    .collect(),
            ),
            Rule::list_lit => ExprKind::List(
                pair.into_inner()
                    .filter(is_not_keyword)
                    .map(|p| self.expr(p))
                    .collect(),
            ),
            r => unreachable!("not an operand: {r:?}"),
        };
        Lowered::plain(Expr { kind, span })
    }

    fn number(&self, pair: &Pair<Rule>) -> ExprKind {
        let s = pair.as_str();
        if s.contains('.') {
            return ExprKind::Lit(Literal::Decimal(self.decimal(pair)));
        }
        match s.replace('_', "").parse::<i64>() {
            Ok(n) => ExprKind::Lit(Literal::Int(n)),
            Err(_) => {
                self.push(
                    Diagnostic::new(
                        "pol::syntax::number",
                        self.span(pair),
                        tr!("syntax-number-2", s = s.to_string()),
                    )
                    .label(tr!("syntax-number-2-label"))
                    .help(tr!("syntax-number-2-help")),
                );
                ExprKind::Lit(Literal::Int(0))
            }
        }
    }

    fn decimal(&self, pair: &Pair<Rule>) -> Decimal {
        let s = pair.as_str().replace('_', "");
        Decimal::from_str_exact(&s).unwrap_or_else(|_| {
            self.push(
                Diagnostic::new(
                    "pol::syntax::number",
                    self.span(pair),
                    tr!("syntax-number-3", s = s.to_string()),
                )
                .label(tr!("syntax-number-3-label"))
                .help(tr!("syntax-number-3-help")),
            );
            Decimal::ZERO
        })
    }

    /// `in force FROM to TO [on EXPR]`, or `in force from FROM`.
    fn in_force(&self, pair: Pair<Rule>, span: Span) -> InForce {
        let (mut from, mut to, mut on) = (None, None, None);
        for q in pair.into_inner().filter(is_not_keyword) {
            match q.as_rule() {
                Rule::in_force_from => {
                    let d = q.into_inner().find(is_not_keyword).expect("from date");
                    from = Some(self.date(&d));
                }
                Rule::in_force_on => {
                    let e = q.into_inner().find(is_not_keyword).expect("on date");
                    on = Some(self.expr(e));
                }
                _ if from.is_none() => from = Some(self.date(&q)),
                _ => to = Some(self.date(&q)),
            }
        }
        InForce {
            from: from.expect("in force from"),
            to,
            on,
            span,
        }
    }

    fn money(&self, pair: Pair<Rule>, span: Span) -> ExprKind {
        let mut inner = pair.into_inner().filter(is_not_keyword);
        let n = inner.next().expect("money number");
        let unit = inner.next().expect("money unit").as_str();
        let amount = self.decimal(&n);
        // 万元, 千元 and 百元 are ten thousand, a thousand and a hundred yuan.
        let factor = match unit {
            "万元" => 10_000,
            "千元" => 1_000,
            "百元" => 100,
            _ => 1,
        };
        let amount = if factor != 1 {
            amount
                .checked_mul(Decimal::from(factor))
                .unwrap_or_else(|| {
                    self.push(
                        Diagnostic::new("pol::syntax::number", span, tr!("syntax-number-4"))
                            .label(tr!("syntax-number-4-label")),
                    );
                    Decimal::ZERO
                })
        } else {
            amount
        };
        let normalized = amount.normalize();
        if !crate::lang::scalar::money_fits(amount) {
            self.push(
                Diagnostic::new("pol::syntax::number", span, tr!("syntax-number-5"))
                    .label(tr!("syntax-number-5-label"))
                    .help(tr!("syntax-number-5-help")),
            );
        } else if normalized.scale() > 2 {
            self.push(
                Diagnostic::new(
                    "pol::syntax::money",
                    span,
                    tr!("syntax-money", scale = (normalized.scale()).to_string()),
                )
                .label(tr!("syntax-money-label"))
                .help(tr!(
                    "syntax-money-help",
                    amount = (crate::lang::scalar::round_money(amount)).to_string()
                )),
            );
        }
        let mut m = amount;
        m.rescale(2);
        ExprKind::Lit(Literal::Money(m))
    }

    fn duration(&self, pair: Pair<Rule>, span: Span) -> ExprKind {
        let mut inner = pair.into_inner().filter(is_not_keyword);
        let n = inner.next().expect("duration count");
        let unit = inner.next().expect("duration unit").as_str();
        let count_text = n.as_str().replace('_', "");
        let count = match count_text.parse::<i64>() {
            Ok(c) => c,
            Err(_) => {
                let smaller = Decimal::from_str(&count_text).ok().and_then(|x| {
                    let (factor, unit) = match unit {
                        "year" | "years" | "年" => (12, "months"),
                        "week" | "weeks" | "周" => (7, "days"),
                        _ => return None,
                    };
                    let n = x * Decimal::from(factor);
                    (n.fract().is_zero()).then(|| format!("{} {unit}", n.normalize()))
                });
                let help = match smaller {
                    Some(s) => tr!("ops-write-with-unit", value = s),
                    None if count_text.contains('.') => {
                        "durations count whole units: use a smaller unit, such as days".to_string()
                    }
                    None => "use a smaller count".to_string(),
                };
                self.push(
                    Diagnostic::new(
                        "pol::syntax::duration",
                        span,
                        tr!("syntax-duration", n = (n.as_str()).to_string()),
                    )
                    .label(tr!("syntax-duration-label"))
                    .help(help),
                );
                0
            }
        };
        let Some((per, months)) = crate::lang::scalar::duration_unit(unit) else {
            let write = if unit == "月" {
                format!("{count}个月")
            } else {
                format!("{count}天")
            };
            self.push(
                Diagnostic::new(
                    "pol::syntax::duration",
                    span,
                    tr!("syntax-duration-2", unit = unit.to_string()),
                )
                .label(tr!("syntax-duration-2-label"))
                .help(tr!("syntax-duration-2-help", write = write.to_string())),
            );
            return ExprKind::Lit(Literal::Duration(Duration::Days(0)));
        };
        let Some(total) = count.checked_mul(per) else {
            self.push(
                Diagnostic::new("pol::syntax::duration", span, tr!("syntax-duration-3"))
                    .label(tr!("syntax-duration-3-label")),
            );
            return ExprKind::Lit(Literal::Duration(Duration::Days(0)));
        };
        ExprKind::Lit(Literal::Duration(if months {
            Duration::Months(total)
        } else {
            Duration::Days(total)
        }))
    }

    fn call(&self, pair: Pair<Rule>, span: Span) -> Expr {
        let mut inner = pair.into_inner().filter(is_not_keyword);
        let func = self.ident(inner.next().expect("function name"));
        let args = inner.next().expect("call arguments");
        let form_span = self.span(&args);
        let mut parts = args.into_inner().filter(is_not_keyword);
        let Some(first_pair) = parts.next() else {
            return Expr {
                kind: ExprKind::Call(func, Vec::new()),
                span,
            };
        };
        let aggregate = match func.name.as_str() {
            "sum" => Some(Aggregate::Sum),
            "count" => Some(Aggregate::Count),
            "any" => Some(Aggregate::Any),
            "all" => Some(Aggregate::All),
            _ => None,
        };
        let first_text = first_pair.as_str().trim_end().to_string();
        let first_start = self.span(&first_pair).start;
        let first = self.expr(first_pair);
        let rest: Vec<Pair<Rule>> = parts.collect();
        let tail = rest
            .first()
            .filter(|p| matches!(p.as_rule(), Rule::comp_for | Rule::comp_if));
        // `x in L` written as the only argument, not in brackets: the form
        // of `count`.
        let in_form = match &first.kind {
            ExprKind::Binary(BinOp::In, var, list)
                if !first_text.starts_with('(')
                    && rest.iter().all(|p| p.as_rule() == Rule::comp_if) =>
            {
                match &var.kind {
                    ExprKind::Name(v) => Some((v.clone(), list.clone())),
                    _ => None,
                }
            }
            _ => None,
        };
        let text_of = |e: &Expr| {
            let from = (e.span.start - first_start) as usize;
            let to = (e.span.end - first_start) as usize;
            first_text.get(from..to).unwrap_or_default().to_string()
        };
        let (form, body_text, body, var, list_text, list, filter_pair) = match tail {
            Some(t) if t.as_rule() == Rule::comp_for => {
                let mut c = t.clone().into_inner().filter(is_not_keyword);
                let var = self.ident(c.next().expect("variable"));
                let list_pair = c.next().expect("list");
                let list_text = list_pair.as_str().trim_end().to_string();
                let list = Box::new(self.expr(list_pair));
                let filter_pair = c.next().and_then(|f| f.into_inner().find(is_not_keyword));
                let body_text = Some(first_text.clone());
                (
                    Rule::comp_for,
                    body_text,
                    Some(Box::new(first)),
                    var,
                    list_text,
                    list,
                    filter_pair,
                )
            }
            tail if in_form.is_some() && (tail.is_some() || aggregate.is_some()) => {
                let (var, list) = in_form.expect("checked above");
                let list_text = text_of(&list);
                let filter_pair = tail.and_then(|t| t.clone().into_inner().find(is_not_keyword));
                (Rule::comp_if, None, None, var, list_text, list, filter_pair)
            }
            Some(t) => {
                self.push(
                    Diagnostic::new(
                        "pol::syntax::comprehension",
                        self.span(t),
                        tr!("syntax-comprehension"),
                    )
                    .label(tr!("syntax-comprehension-label"))
                    .help(tr!(
                        "syntax-comprehension-help",
                        func = func.name.to_string()
                    )),
                );
                return Expr {
                    kind: ExprKind::Call(func, vec![first]),
                    span,
                };
            }
            None => {
                let mut all = vec![first];
                all.extend(rest.into_iter().map(|p| self.expr(p)));
                return Expr {
                    kind: ExprKind::Call(func, all),
                    span,
                };
            }
        };
        let filter_text = filter_pair
            .as_ref()
            .map(|p| p.as_str().trim_end().to_string());
        let filter = filter_pair.map(|p| Box::new(self.expr(p)));
        let func_kind = match (aggregate, form) {
            (Some(Aggregate::Count), Rule::comp_if) => Aggregate::Count,
            (Some(a @ (Aggregate::Sum | Aggregate::Any | Aggregate::All)), Rule::comp_for) => a,
            (Some(Aggregate::Count), _) => {
                self.push(
                    Diagnostic::new(
                        "pol::syntax::comprehension",
                        form_span,
                        tr!("syntax-comprehension-2"),
                    )
                    .label(tr!("syntax-comprehension-2-label"))
                    .help(tr!(
                        "syntax-comprehension-2-help",
                        var = var.name.to_string(),
                        list_text = list_text.to_string(),
                        as_deref = (body_text.as_deref().unwrap_or("CONDITION")).to_string()
                    )),
                );
                Aggregate::Count
            }
            (Some(a), _) => {
                self.push(
                    Diagnostic::new(
                        "pol::syntax::comprehension",
                        form_span,
                        tr!("syntax-comprehension-3", a = (a.name()).to_string()),
                    )
                    .label(tr!("syntax-comprehension-3-label"))
                    .help(tr!(
                        "syntax-comprehension-3-help",
                        a = (a.name()).to_string(),
                        v = var.name.to_string(),
                        list_text = list_text.to_string(),
                        f = (filter_text
                            .as_deref()
                            .map(|f| format!(" if {f}"))
                            .unwrap_or_default())
                        .to_string()
                    )),
                );
                a
            }
            (None, _) => {
                self.push(
                    Diagnostic::new(
                        "pol::syntax::comprehension",
                        func.span,
                        tr!("syntax-comprehension-4", func = func.name.to_string()),
                    )
                    .label(tr!("syntax-comprehension-4-label"))
                    .help(tr!("syntax-comprehension-4-help")),
                );
                Aggregate::Sum
            }
        };
        Expr {
            kind: ExprKind::Comprehension {
                func: func_kind,
                func_span: func.span,
                body,
                var,
                list,
                filter,
            },
            span,
        }
    }
}

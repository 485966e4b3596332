//! `pol fmt`: the canonical layout of a `.pol` file. Comments are kept,
//! labels, quotes and literals are written exactly as in the source, and
//! formatting a formatted file changes nothing.

use crate::diagnostic::Diagnostic;
use crate::lang::words::Binding;
use crate::source::{FileId, Span};
use crate::syntax::ast::*;
use crate::syntax::parse_module;
use crate::syntax::scan::{self, Place};

/// Lines longer than this break a long `and`/`or` chain over lines.
const WIDTH: usize = 100;

/// Formats one file; the diagnostics when it does not parse.
pub fn format_source(text: &str) -> Result<String, Vec<Diagnostic>> {
    let file = FileId(0);
    let (module, errors) = parse_module(file, text);
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut f = Formatter {
        src: text,
        comments: comments(text),
        next: 0,
        out: String::new(),
        input_width: 0,
    };
    f.module(&module);
    Ok(f.out)
}

/// A comment in the source.
#[derive(Debug, Clone)]
struct Comment {
    start: usize,
    text: String,
    /// Alone on its line (not after code).
    own_line: bool,
}

/// Every comment, outside texts.
fn comments(text: &str) -> Vec<Comment> {
    let mut out = Vec::new();
    let mut line_start = 0;
    let mut before = Place::Code;
    for (i, c, place) in scan::places(text) {
        if c == '\n' {
            line_start = i + 1;
        } else if place == Place::Comment && before != Place::Comment {
            let end = text[i..].find('\n').map_or(text.len(), |k| i + k);
            out.push(Comment {
                start: i,
                text: text[i..end].trim_end().to_string(),
                own_line: text[line_start..i].trim().is_empty(),
            });
        }
        before = place;
    }
    out
}

struct Formatter<'s> {
    src: &'s str,
    comments: Vec<Comment>,
    /// The first comment not yet written.
    next: usize,
    out: String,
    /// The width the labels of the current run of inputs align to.
    input_width: usize,
}

/// Binding strength, loosest first (LANGUAGE.md §5, [`Binding`]).
fn prec(e: &Expr) -> Binding {
    match &e.kind {
        ExprKind::If(..) => Binding::If,
        ExprKind::Binary(op, ..) => op.binding(),
        ExprKind::Between(..) => Binding::Compare,
        ExprKind::Unary(op, _) => op.binding(),
        _ => Binding::Atom,
    }
}

impl<'s> Formatter<'s> {
    fn text(&self, span: Span) -> &'s str {
        self.src.get(span.range()).unwrap_or("")
    }

    fn line_end(&self, pos: usize) -> usize {
        self.src[pos.min(self.src.len())..]
            .find('\n')
            .map_or(self.src.len(), |k| pos + k)
    }

    /// Blank lines in the source just before `pos` (after any comments).
    fn blank_before(&self, pos: usize) -> bool {
        let before = &self.src[..pos.min(self.src.len())];
        let mut lines = before.rsplit('\n');
        lines.next();
        lines.next().is_some_and(|l| l.trim().is_empty())
    }

    /// Writes the comments that come before `pos`, each on its own line.
    fn comments_before(&mut self, pos: usize, indent: &str) {
        while self.next < self.comments.len() && self.comments[self.next].start < pos {
            let c = self.comments[self.next].text.clone();
            self.out.push_str(indent);
            self.out.push_str(&c);
            self.out.push('\n');
            self.next += 1;
        }
    }

    /// Writes one line of a leaf (a field, an item): the comments before
    /// and inside it first, then the line, with a comment that ended its
    /// last source line kept at its end.
    fn leaf(&mut self, span: Span, indent: &str, line: &str) {
        let start = span.start as usize;
        let end = self.line_end(span.end as usize);
        self.comments_before(start, indent);
        let mut inner = Vec::new();
        while self.next < self.comments.len() && self.comments[self.next].start < end {
            inner.push(self.comments[self.next].clone());
            self.next += 1;
        }
        let trailing = match inner.last() {
            Some(c) if !c.own_line && c.start >= span.end as usize => inner.pop(),
            _ => None,
        };
        for c in inner {
            self.out.push_str(indent);
            self.out.push_str(&c.text);
            self.out.push('\n');
        }
        for (i, l) in line.lines().enumerate() {
            self.out.push_str(indent);
            if i > 0 {
                self.out.push_str("    ");
            }
            self.out.push_str(l);
            self.out.push('\n');
        }
        if let Some(c) = trailing {
            self.out.pop();
            self.out.push_str("  ");
            self.out.push_str(&c.text);
            self.out.push('\n');
        }
    }

    /// Closes a block: comments left inside it, then `}`.
    fn close(&mut self, end: usize, indent: &str) {
        self.comments_before(end.saturating_sub(1), &format!("{indent}  "));
        self.out.push_str(indent);
        self.out.push_str("}\n");
    }

    fn module(&mut self, m: &Module) {
        let mut previous: Option<&Decl> = None;
        for (k, d) in m.decls.iter().enumerate() {
            let span = decl_span(d);
            let one_line = matches!(d, Decl::Input(_) | Decl::Enum(_) | Decl::Policy(_));
            let mut new_run = true;
            if let Some(p) = previous {
                let same_run = one_line && std::mem::discriminant(p) == std::mem::discriminant(d);
                let blank = self.blank_before(self.first_comment_or(span.start as usize));
                if !same_run || blank {
                    self.out.push('\n');
                } else {
                    new_run = false;
                }
            }
            if new_run && let Decl::Input(_) = d {
                // Labels of a run of inputs line up.
                self.input_width = m.decls[k..]
                    .iter()
                    .enumerate()
                    .take_while(|(j, x)| {
                        matches!(x, Decl::Input(_))
                            && (*j == 0
                                || !self.blank_before(
                                    self.first_comment_or(decl_span(x).start as usize),
                                ))
                    })
                    .filter_map(|(_, x)| match x {
                        Decl::Input(i) => Some(crate::source::display_width(&self.input_head(i))),
                        _ => None,
                    })
                    .max()
                    .unwrap_or(0);
            }
            self.decl(d);
            previous = Some(d);
        }
        self.comments_before(self.src.len() + 1, "");
    }

    /// Where a declaration's own leading comments start.
    fn first_comment_or(&self, pos: usize) -> usize {
        self.comments[self.next..]
            .iter()
            .find(|c| c.start < pos && c.own_line)
            .map_or(pos, |c| c.start)
    }

    fn decl(&mut self, d: &Decl) {
        match d {
            Decl::Policy(p) => {
                let mut line = format!("policy {}", self.text(p.title.span));
                if let Some((_, span)) = p.issued {
                    line.push_str(&format!(" issued {}", self.text(span)));
                }
                if let Some(s) = &p.source {
                    line.push_str(&format!(" source {}", self.text(s.span)));
                }
                if let Some(f) = &p.in_force {
                    match f.to {
                        Some(to) => line.push_str(&format!(" in force {} to {to}", f.from)),
                        None => line.push_str(&format!(" in force from {}", f.from)),
                    }
                    if let Some(on) = &f.on {
                        line.push_str(&format!(" on {}", self.bare(on)));
                    }
                }
                self.leaf(p.span, "", &line);
            }
            Decl::Enum(e) => {
                let variants: Vec<&str> = e.variants.iter().map(|v| v.name.as_str()).collect();
                let line = format!("enum {} {{ {} }}", e.name.name, variants.join(", "));
                self.leaf(e.span, "", &line);
            }
            Decl::Input(i) => {
                let head = self.input_head(i);
                let line = match &i.label {
                    Some(l) => format!(
                        "{head}{}  {}",
                        " ".repeat(
                            self.input_width
                                .saturating_sub(crate::source::display_width(&head))
                        ),
                        self.text(l.span)
                    ),
                    None => head,
                };
                self.leaf(i.span, "", &line);
            }
            Decl::Record(r) => {
                self.comments_before(r.span.start as usize, "");
                self.out.push_str(&format!("record {} {{\n", r.name.name));
                let heads: Vec<String> = r
                    .fields
                    .iter()
                    .map(|f| {
                        format!(
                            "{}: {}{}{}",
                            f.name.name,
                            self.ty(&f.ty),
                            self.range_of(f.range.as_ref()),
                            self.default_of(f.default.as_ref())
                        )
                    })
                    .collect();
                let width = heads
                    .iter()
                    .map(|h| crate::source::display_width(h))
                    .max()
                    .unwrap_or(0);
                for (f, head) in r.fields.iter().zip(heads) {
                    let line = match &f.label {
                        Some(l) => format!(
                            "{head}{}  {}",
                            " ".repeat(width - crate::source::display_width(&head)),
                            self.text(l.span)
                        ),
                        None => head,
                    };
                    let span = match (&f.label, &f.default, &f.range) {
                        (Some(l), _, _) => l.span,
                        (None, Some(d), _) => d.span,
                        (None, None, Some(r)) => r.span,
                        (None, None, None) => f.ty.span(),
                    };
                    self.leaf(f.name.span.to(span), "  ", &line);
                }
                self.close(r.span.end as usize, "");
            }
            Decl::Parameter(p) => {
                self.comments_before(p.span.start as usize, "");
                let mut head = format!("parameter {}: {}", p.name.name, self.ty(&p.ty));
                if let Some(l) = &p.label {
                    head.push_str(&format!(" {}", self.text(l.span)));
                }
                self.out.push_str(&head);
                self.out.push_str(" {\n");
                for v in &p.values {
                    let line = format!("from {} = {}", self.text(v.from_span), self.expr(&v.value));
                    self.leaf(v.from_span.to(v.value.span), "  ", &line);
                }
                self.close(p.span.end as usize, "");
            }
            Decl::Clause(c) => self.clause(c),
            Decl::Test(t) => {
                self.comments_before(t.span.start as usize, "");
                self.out
                    .push_str(&format!("test {} {{\n", self.text(t.name.span)));
                let mut first = true;
                for item in &t.items {
                    let span = match item {
                        TestItem::Today(_, s)
                        | TestItem::Fact(_, _, s)
                        | TestItem::Expect(_, s) => *s,
                    };
                    if !first && self.blank_before(self.first_comment_or(span.start as usize)) {
                        self.out.push('\n');
                    }
                    first = false;
                    let line = match item {
                        TestItem::Today(e, _) => format!("today = {}", self.expr(e)),
                        TestItem::Fact(path, e, _) => {
                            format!("{} = {}", path.written(), self.expr(e))
                        }
                        TestItem::Expect(Expect::True(e), _) => {
                            let shown = self.expr(e);
                            if matches!(e.kind, ExprKind::Binary(BinOp::Eq, ..)) {
                                format!("expect ({shown})")
                            } else {
                                format!("expect {shown}")
                            }
                        }
                        TestItem::Expect(Expect::Equal(a, b), _) => {
                            format!(
                                "expect {} = {}",
                                self.operand(a, Binding::Compare, false),
                                self.operand(b, Binding::Compare, true)
                            )
                        }
                        TestItem::Expect(Expect::Undetermined(e), _) => {
                            format!("expect {} undetermined", self.expr(e))
                        }
                    };
                    self.leaf(span, "  ", &line);
                }
                self.close(t.span.end as usize, "");
            }
        }
    }

    fn clause(&mut self, c: &ClauseDecl) {
        self.comments_before(c.span.start as usize, "");
        let mut head = format!("clause {}", c.name.name);
        if let Some(l) = &c.label {
            head.push_str(&format!(" {}", self.text(l.span)));
        }
        if let Some((var, ty)) = &c.subject {
            head.push_str(&format!(" for {}: {}", var.name, self.ty(ty)));
        }
        self.out.push_str(&head);
        self.out.push_str(" {\n");
        // Quotes first, then the period, then the rest as written.
        let quotes = c.items.iter().filter(|i| matches!(i, ClauseItem::Quote(_)));
        let rest = c
            .items
            .iter()
            .filter(|i| !matches!(i, ClauseItem::Quote(_)));
        let mut first = true;
        for item in quotes {
            if let ClauseItem::Quote(q) = item {
                let line = format!("quote {}", self.text(q.span));
                self.leaf(q.span, "  ", &line);
                first = false;
            }
        }
        if let Some(f) = &c.in_force {
            let dates = match f.to {
                Some(to) => format!("{} to {to}", f.from),
                None => format!("from {}", f.from),
            };
            let line = match &f.on {
                Some(on) => format!("in force {dates} on {}", self.bare(on)),
                None => format!("in force {dates}"),
            };
            self.leaf(f.span, "  ", &line);
            first = false;
        }
        for item in rest {
            let span = item_span(item);
            if !first {
                let blank = self.blank_before(self.first_comment_or(span.start as usize));
                if blank {
                    self.out.push('\n');
                }
            }
            first = false;
            let line = match item {
                ClauseItem::Quote(_) => continue,
                ClauseItem::Eligible(e, _) => self.broken("eligible if ", e),
                ClauseItem::Def(d) => {
                    let mut head = format!("{} {}", d.kind.keyword(), d.name.name);
                    if let Some(t) = &d.ty {
                        head.push_str(&format!(": {}", self.ty(t)));
                    }
                    head.push_str(" = ");
                    let base = self.broken(&head, &d.expr);
                    let unless: Vec<String> = d
                        .unless
                        .iter()
                        .map(|u| {
                            format!("unless {} then {}", self.expr(&u.cond), self.expr(&u.then))
                        })
                        .chain(d.combine.map(|(c, _)| format!("combine {}", c.word())))
                        .collect();
                    let one_line = format!("{base} {}", unless.join(" "));
                    if unless.is_empty() {
                        base
                    } else if !base.contains('\n')
                        && crate::source::display_width(&one_line) + 2 <= WIDTH
                    {
                        one_line
                    } else {
                        format!("{base}\n{}", unless.join("\n"))
                    }
                }
                ClauseItem::Amend(a) => {
                    let over = a
                        .over
                        .as_ref()
                        .map(|o| format!(" over {}", o.name))
                        .unwrap_or_default();
                    format!(
                        "amend {}.{}{over} when {} then {}",
                        a.clause.name,
                        a.name.name,
                        self.expr(&a.cond),
                        self.expr(&a.then)
                    )
                }
            };
            self.leaf(span, "  ", &line);
        }
        self.close(c.span.end as usize, "");
    }

    /// `head EXPR`, with a long `and`/`or` chain broken over lines, and
    /// the lines its author broke a chain or an `if` over kept.
    fn broken(&self, head: &str, e: &Expr) -> String {
        if let Some(kept) = self.authors_lines(e) {
            return format!("{head}{kept}");
        }
        // Parentheses around a whole definition say nothing: they go.
        let flat = format!("{head}{}", self.bare(e));
        if crate::source::display_width(&flat) + 2 <= WIDTH {
            return flat;
        }
        let op = match &e.kind {
            ExprKind::Binary(op @ (BinOp::And | BinOp::Or), ..) => *op,
            _ => return flat,
        };
        let mut parts = Vec::new();
        chain(e, op, &mut parts);
        let mut out = format!("{head}{}", self.operand(parts[0], prec(e), false));
        for p in &parts[1..] {
            out.push_str(&format!(
                "\n{} {}",
                op.symbol(),
                self.operand(p, prec(e), true)
            ));
        }
        out
    }

    /// An `and`/`or` chain or an `if … then … else` that its author wrote
    /// over lines — a condition a line, as the policy lists them; a branch
    /// a line — with a line break wherever the source has one between two
    /// of its parts, and none elsewhere. `None` when it is on one line.
    fn authors_lines(&self, e: &Expr) -> Option<String> {
        let gap = |a: &Expr, b: &Expr| {
            self.src
                .get(a.span.end as usize..b.span.start as usize)
                .is_some_and(|t| t.contains('\n'))
        };
        match &e.kind {
            ExprKind::Binary(op @ (BinOp::And | BinOp::Or), ..) => {
                let mut parts = Vec::new();
                chain(e, *op, &mut parts);
                let breaks: Vec<bool> = parts.windows(2).map(|w| gap(w[0], w[1])).collect();
                if !breaks.contains(&true) {
                    return None;
                }
                let mut out = self.operand(parts[0], prec(e), false);
                for (p, line) in parts[1..].iter().zip(breaks) {
                    out.push(if line { '\n' } else { ' ' });
                    out.push_str(op.symbol());
                    out.push(' ');
                    out.push_str(&self.operand(p, prec(e), true));
                }
                Some(out)
            }
            ExprKind::If(c, a, b) => {
                let (then_line, else_line) = (gap(c, a), gap(a, b));
                let rest = if matches!(b.kind, ExprKind::If(..)) && !wrapped(self.text(b.span)) {
                    self.authors_lines(b)
                } else {
                    None
                };
                if !then_line && !else_line && rest.is_none() {
                    return None;
                }
                let mut out = format!("if {}", self.expr(c));
                out.push_str(if then_line { "\nthen " } else { " then " });
                out.push_str(&self.expr(a));
                out.push_str(if else_line { "\nelse " } else { " else " });
                out.push_str(&rest.unwrap_or_else(|| self.expr(b)));
                Some(out)
            }
            _ => None,
        }
    }

    fn input_head(&self, i: &InputDecl) -> String {
        format!(
            "input {}: {}{}{}",
            i.name.name,
            self.ty(&i.ty),
            self.range_of(i.range.as_ref()),
            self.default_of(i.default.as_ref())
        )
    }

    /// ` >= 0`, ` between 0 and 1` after a fact's type.
    fn range_of(&self, range: Option<&FactRange>) -> String {
        let Some(r) = range else {
            return String::new();
        };
        match (&r.lower, &r.upper) {
            (Some((lo, _)), Some((hi, _))) => {
                format!(" between {} and {}", self.expr(lo), self.expr(hi))
            }
            (Some((lo, inclusive)), None) => {
                format!(" {} {}", if *inclusive { ">=" } else { ">" }, self.expr(lo))
            }
            (None, Some((hi, inclusive))) => {
                format!(" {} {}", if *inclusive { "<=" } else { "<" }, self.expr(hi))
            }
            (None, None) => String::new(),
        }
    }

    /// ` = VALUE` after a fact's type, when it has a default.
    fn default_of(&self, default: Option<&Expr>) -> String {
        default.map_or(String::new(), |d| format!(" = {}", self.expr(d)))
    }

    fn ty(&self, t: &TypeExpr) -> String {
        match t {
            TypeExpr::Named(id) => id.name.clone(),
            TypeExpr::List(inner, _) => format!("list of {}", self.ty(inner)),
        }
    }

    /// An operand of an operator of binding strength `parent`: in
    /// parentheses when it binds more loosely (or equally, on the right of
    /// a left-associative operator, or as a comparison under another).
    fn operand(&self, e: &Expr, parent: Binding, right: bool) -> String {
        let p = prec(e);
        let comparison_under_comparison = p == Binding::Compare && parent == Binding::Compare;
        if p < parent || (p == parent && right) || comparison_under_comparison {
            format!("({})", self.bare(e))
        } else {
            self.expr(e)
        }
    }

    /// An expression, in the parentheses its author put around it (they
    /// often say how a rule reads, even where precedence would not need
    /// them).
    fn expr(&self, e: &Expr) -> String {
        if !matches!(e.kind, ExprKind::Lit(_)) && wrapped(self.text(e.span)) {
            format!("({})", self.bare(e))
        } else {
            self.bare(e)
        }
    }

    /// An expression without parentheses around the whole.
    fn bare(&self, e: &Expr) -> String {
        match &e.kind {
            // A period as the spec writes it, without spaces around `..`.
            ExprKind::Lit(Literal::Period(p)) => p.to_string(),
            // Literals as written: `1000元`, `15%`, `6个月`, escapes.
            ExprKind::Lit(_) => self.text(e.span).to_string(),
            ExprKind::Today => "today".into(),
            ExprKind::Name(n) => n.name.clone(),
            ExprKind::Field(b, f) => {
                format!("{}.{}", self.operand(b, Binding::Postfix, false), f.name)
            }
            ExprKind::At(b, d) => format!(
                "{} at {}",
                self.operand(b, Binding::Postfix, false),
                self.operand(d, Binding::Postfix, false)
            ),
            ExprKind::Call(f, args) => {
                let a: Vec<String> = args.iter().map(|x| self.expr(x)).collect();
                format!("{}({})", f.name, a.join(", "))
            }
            ExprKind::Comprehension {
                func,
                body,
                var,
                list,
                filter,
                ..
            } => {
                let filter = filter
                    .as_ref()
                    .map(|f| format!(" if {}", self.expr(f)))
                    .unwrap_or_default();
                match body {
                    Some(b) => format!(
                        "{}({} for {} in {}{filter})",
                        func.name(),
                        self.expr(b),
                        var.name,
                        self.expr(list)
                    ),
                    None => format!(
                        "{}({} in {}{filter})",
                        func.name(),
                        var.name,
                        self.expr(list)
                    ),
                }
            }
            ExprKind::Unary(UnOp::Not, x) => {
                format!("not {}", self.operand(x, Binding::Not, false))
            }
            ExprKind::Unary(UnOp::Neg, x) => {
                format!("-{}", self.operand(x, Binding::Postfix, false))
            }
            ExprKind::Binary(op, a, b) => {
                let p = prec(e);
                format!(
                    "{} {} {}",
                    self.operand(a, p, false),
                    op.symbol(),
                    self.operand(b, p, true)
                )
            }
            ExprKind::Between(x, lo, hi) => format!(
                "{} between {} and {}",
                self.operand(x, Binding::Sum, false),
                self.operand(lo, Binding::Sum, false),
                self.operand(hi, Binding::Sum, false)
            ),
            ExprKind::If(c, a, b) => format!(
                "if {} then {} else {}",
                self.expr(c),
                self.expr(a),
                self.expr(b)
            ),
            ExprKind::Set(xs) => {
                let a: Vec<String> = xs.iter().map(|x| self.expr(x)).collect();
                format!("{{{}}}", a.join(", "))
            }
            ExprKind::List(xs) => {
                let a: Vec<String> = xs.iter().map(|x| self.expr(x)).collect();
                format!("[{}]", a.join(", "))
            }
            ExprKind::Record(fields) => {
                let a: Vec<String> = fields
                    .iter()
                    .map(|(n, v)| format!("{}: {}", n.name, self.expr(v)))
                    .collect();
                format!("{{{}}}", a.join(", "))
            }
        }
    }
}

/// Whether a text is one pair of parentheses around the rest.
fn wrapped(text: &str) -> bool {
    if !(text.starts_with('(') && text.ends_with(')')) {
        return false;
    }
    let mut depth = 0i32;
    for (i, c) in scan::code(text) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 && i + 1 < text.len() {
                    return false;
                }
            }
            _ => {}
        }
    }
    true
}

fn chain<'e>(e: &'e Expr, op: BinOp, out: &mut Vec<&'e Expr>) {
    match &e.kind {
        ExprKind::Binary(o, a, b) if *o == op => {
            chain(a, op, out);
            out.push(b);
        }
        _ => out.push(e),
    }
}

fn decl_span(d: &Decl) -> Span {
    match d {
        Decl::Policy(p) => p.span,
        Decl::Enum(e) => e.span,
        Decl::Record(r) => r.span,
        Decl::Input(i) => i.span,
        Decl::Parameter(p) => p.span,
        Decl::Clause(c) => c.span,
        Decl::Test(t) => t.span,
    }
}

fn item_span(i: &ClauseItem) -> Span {
    match i {
        ClauseItem::Quote(t) => t.span,
        ClauseItem::Def(d) => d.span,
        ClauseItem::Eligible(_, s) => *s,
        ClauseItem::Amend(a) => a.span,
    }
}

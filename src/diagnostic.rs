//! Diagnostics: what every phase reports, and how it is rendered.
//!
//! Each phase builds [`Diagnostic`]s with a stable code (`pol::syntax::…`,
//! `pol::check::…`), a primary label on the exact offending text, optional
//! secondary labels, and help that says what to write instead. Rendering goes
//! through miette's graphical handler, with or without colour.

use crate::source::{SourceMap, Span};
use miette::{
    GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode, SourceSpan,
};
use std::fmt;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable, documented code such as `pol::check::mismatch`.
    pub code: &'static str,
    pub message: String,
    pub span: Span,
    pub label: String,
    pub secondary: Vec<(Span, String)>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn new(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            code,
            message: message.into(),
            span,
            label: String::new(),
            secondary: Vec::new(),
            help: None,
        }
    }

    pub fn label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = label.into();
        self
    }

    pub fn also(mut self, span: Span, label: impl Into<String>) -> Diagnostic {
        self.secondary.push((span, label.into()));
        self
    }

    pub fn help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn maybe_help(mut self, help: Option<String>) -> Diagnostic {
        if help.is_some() {
            self.help = help;
        }
        self
    }
}

/// How to render: terminal width and colour.
#[derive(Clone, Copy, Debug)]
pub struct RenderOptions {
    pub width: usize,
    pub color: bool,
}

impl RenderOptions {
    /// Fixed width, no colour: for snapshots and for piped output.
    pub fn plain() -> RenderOptions {
        RenderOptions {
            width: 100,
            color: false,
        }
    }
}

/// Text from the user's data (a cell, a file name) made safe to print on a
/// terminal: control characters are written as `\u{1b}` escapes, so that
/// no input can move the cursor, change colours or ring the bell.
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    text.chars()
        .map(|c| {
            if c.is_control() {
                c.escape_unicode().to_string()
            } else {
                c.to_string()
            }
        })
        .collect()
}

/// Renders one diagnostic with its source text.
pub fn render(diag: &Diagnostic, sources: &SourceMap, options: RenderOptions) -> String {
    let theme = if options.color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(options.width)
        .with_links(false);
    // A span that ends inside a character (a parse of a text patched in
    // place) is drawn on the whole character.
    let mut snapped = diag.clone();
    snapped.span = on_boundaries(&sources.file(diag.span.file).text, diag.span);
    for (span, _) in &mut snapped.secondary {
        *span = on_boundaries(&sources.file(span.file).text, *span);
    }
    let diag = &snapped;
    let report = Report::new(diag, sources);
    let mut out = String::new();
    if handler.render_report(&mut out, &report).is_err() {
        // Rendering into a String cannot fail on I/O; fall back to one line.
        out = format!(
            "error[{}]: {} at {}\n",
            diag.code,
            diag.message,
            sources.place(diag.span)
        );
    }
    // miette writes its own word before the help; it follows the message's
    // language like everything else.
    let help_word = crate::i18n::tr!("diagnostic-help");
    if help_word != "help:" {
        out = out
            .split_inclusive('\n')
            .map(|line| {
                let plain = strip_ansi(line);
                if plain.trim_start().starts_with("help: ") {
                    line.replacen("help: ", &help_word, 1)
                } else {
                    line.to_string()
                }
            })
            .collect();
    }
    out
}

/// `text` without ANSI colour sequences.
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// Renders many diagnostics, ordered by place, with a closing count.
pub fn render_all(diags: &[Diagnostic], sources: &SourceMap, options: RenderOptions) -> String {
    let mut sorted: Vec<&Diagnostic> = diags.iter().collect();
    sorted.sort_by_key(|d| (d.span.file, d.span.start, d.span.end));
    let mut out = String::new();
    for d in &sorted {
        out.push_str(&render(d, sources, options));
        out.push('\n');
    }
    out
}

/// The bridge to miette: one diagnostic with the text of its file.
struct Report<'a> {
    diag: &'a Diagnostic,
    /// `None` when a line to show is too long to draw: the place is then
    /// given in words.
    source: Option<NamedSource<String>>,
    notes: String,
}

/// Lines longer than this are not drawn (the snippet would be unreadable,
/// and the renderer cannot pad them).
const MAX_DRAWN_LINE: usize = 400;

/// `span` moved out to the nearest character boundaries of `text`.
fn on_boundaries(text: &str, span: Span) -> Span {
    let mut start = span.range().start.min(text.len());
    while !text.is_char_boundary(start) {
        start -= 1;
    }
    let mut end = span.range().end.clamp(start, text.len());
    while !text.is_char_boundary(end) {
        end += 1;
    }
    Span::new(span.file, start, end)
}

fn longest_line_touched(text: &str, spans: impl Iterator<Item = Span>) -> usize {
    spans
        .map(|span| on_boundaries(text, span))
        .map(|span| {
            let start = text[..(span.start as usize).min(text.len())]
                .rfind('\n')
                .map_or(0, |i| i + 1);
            let end = text[(span.end as usize).min(text.len())..]
                .find('\n')
                .map_or(text.len(), |i| span.end as usize + i);
            text[start..end.max(start)]
                .lines()
                .map(|l| l.chars().count())
                .max()
                .unwrap_or(0)
        })
        .max()
        .unwrap_or(0)
}

impl<'a> Report<'a> {
    fn new(diag: &'a Diagnostic, sources: &SourceMap) -> Report<'a> {
        let file = sources.file(diag.span.file);
        let same_file = diag
            .secondary
            .iter()
            .filter(|(s, _)| s.file == diag.span.file)
            .map(|(s, _)| *s);
        let drawable =
            longest_line_touched(&file.text, std::iter::once(diag.span).chain(same_file))
                <= MAX_DRAWN_LINE;
        let mut notes = String::new();
        let source = if drawable {
            Some(NamedSource::new(file.name.clone(), file.text.clone()))
        } else {
            notes.push_str(&format!("\nat {}", sources.place(diag.span)));
            None
        };
        // Labels in other files cannot be drawn on this file's snippet: they
        // become notes that name their place.
        for (span, label) in &diag.secondary {
            if span.file != diag.span.file || source.is_none() {
                notes.push_str(&format!("\n{}: {}", sources.place(*span), label));
            }
        }
        Report {
            diag,
            source,
            notes,
        }
    }
}

impl fmt::Debug for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.diag.message)
    }
}

impl fmt::Display for Report<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.diag.message)
    }
}

impl std::error::Error for Report<'_> {}

fn source_span(span: Span) -> SourceSpan {
    SourceSpan::new((span.start as usize).into(), span.len())
}

impl miette::Diagnostic for Report<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(self.diag.code))
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        match (&self.diag.help, self.notes.is_empty()) {
            (None, true) => None,
            (Some(h), true) => Some(Box::new(h.clone())),
            (None, false) => Some(Box::new(self.notes.trim_start().to_string())),
            (Some(h), false) => Some(Box::new(format!("{h}{}", self.notes))),
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        self.source.as_ref()?;
        let primary = LabeledSpan::new_primary_with_span(
            (!self.diag.label.is_empty()).then(|| self.diag.label.clone()),
            source_span(self.diag.span),
        );
        let secondary = self
            .diag
            .secondary
            .iter()
            .filter(|(span, _)| span.file == self.diag.span.file)
            .map(|(span, label)| {
                LabeledSpan::new_with_span(Some(label.clone()), source_span(*span))
            });
        Some(Box::new(std::iter::once(primary).chain(secondary)))
    }
}

/// A diagnostic as JSON, for programs: its code, message, label and help,
/// and where it is (file, 1-based line and column of its start and end).
pub fn to_json(d: &Diagnostic, sources: &SourceMap) -> serde_json::Value {
    let file = sources.file(d.span.file);
    let (line, column) = file.line_col(d.span.start as usize);
    let (end_line, end_column) = file.line_col(d.span.end as usize);
    serde_json::json!({
        "code": d.code,
        "message": d.message,
        "file": file.name,
        "line": line,
        "column": column,
        "end_line": end_line,
        "end_column": end_column,
        "label": d.label,
        "help": d.help,
    })
}

/// `error[CODE]: FILE: MESSAGE`, in the reader's language: an error that a
/// file (a case, a cases file) gives, on one line.
pub fn error_in_file(code: &str, file: &str, message: &str) -> String {
    crate::i18n::tr!(
        "cli-error-code",
        code = code,
        message = crate::i18n::tr!("cli-in-file", file = file, message = message)
    )
}

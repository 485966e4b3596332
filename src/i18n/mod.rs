//! Messages in the reader's language.
//!
//! Every sentence Pol writes for a person — diagnostics, explanations,
//! summaries, the REPL's replies — is a message of the catalogue of its
//! language: `en.ftl` and `zh.ftl` beside this file, in Fluent's syntax, one
//! id per message with the same arguments in both. Code builds a message
//! with [`tr!`]; the language is chosen once per process (`--lang`, else
//! `LC_ALL`, `LC_MESSAGES` and `LANG`, else English) with [`set`].
//!
//! What programs read stays the same in every language: diagnostic codes,
//! JSON keys and the kinds and outcomes of explanation nodes. Names, labels
//! and quotes from a policy are shown as written.

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU8, Ordering};

/// A language of the catalogue.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Lang {
    En,
    Zh,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::En, Lang::Zh];

    /// `en`, `zh`, and the locales that name them (`zh_CN.UTF-8`, `en-GB`).
    pub fn parse(text: &str) -> Option<Lang> {
        let lower = text.trim().to_ascii_lowercase();
        let base = lower.split(['_', '-', '.', '@']).next().unwrap_or("");
        match base {
            "en" | "c" | "posix" => Some(Lang::En),
            "zh" => Some(Lang::Zh),
            _ => None,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh",
        }
    }

    /// The catalogue of this language, in Fluent's syntax.
    pub fn catalogue(self) -> &'static str {
        match self {
            Lang::En => include_str!("en.ftl"),
            Lang::Zh => include_str!("zh.ftl"),
        }
    }

    fn bundle(self) -> &'static FluentBundle<FluentResource> {
        static BUNDLES: [OnceLock<FluentBundle<FluentResource>>; 2] =
            [OnceLock::new(), OnceLock::new()];
        BUNDLES[self as usize].get_or_init(|| {
            let id: unic_langid::LanguageIdentifier = self.code().parse().unwrap_or_default();
            let mut bundle = FluentBundle::new_concurrent(vec![id]);
            // The messages go to terminals and files, not into bidirectional
            // text: no isolation marks around arguments.
            bundle.set_use_isolating(false);
            // The catalogues are part of the binary and held whole by
            // tests/i18n.rs, so a resource that fails to parse is a bug of
            // the build; its good messages are still used.
            let resource = match FluentResource::try_new(self.catalogue().to_string()) {
                Ok(r) => r,
                Err((r, _)) => r,
            };
            let _ = bundle.add_resource(resource);
            bundle
        })
    }
}

/// The language of the environment: the first of `LC_ALL`, `LC_MESSAGES`
/// and `LANG` that is set and not empty, as POSIX orders them; English when
/// none is, or when it names a language without a catalogue.
pub fn from_env() -> Lang {
    for var in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        if let Ok(value) = std::env::var(var)
            && !value.is_empty()
        {
            return Lang::parse(&value).unwrap_or(Lang::En);
        }
    }
    Lang::En
}

static CURRENT: AtomicU8 = AtomicU8::new(0);

/// Chooses the language of every message from now on.
pub fn set(lang: Lang) {
    CURRENT.store(lang as u8, Ordering::Relaxed);
}

/// The language messages are written in.
pub fn current() -> Lang {
    match CURRENT.load(Ordering::Relaxed) {
        1 => Lang::Zh,
        _ => Lang::En,
    }
}

/// An argument of a message: text as it is, numbers for plural forms.
pub enum Arg {
    Text(String),
    Number(f64),
}

macro_rules! arg_number {
    ($($t:ty),*) => {$(
        impl From<$t> for Arg {
            fn from(n: $t) -> Arg {
                Arg::Number(n as f64)
            }
        }
    )*};
}
arg_number!(usize, u32, u64, i32, i64);

impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}

impl From<&String> for Arg {
    fn from(s: &String) -> Arg {
        Arg::Text(s.clone())
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}

impl From<char> for Arg {
    fn from(c: char) -> Arg {
        Arg::Text(c.to_string())
    }
}

fn fluent_args<'a>(args: &'a [(&str, Arg)]) -> FluentArgs<'a> {
    let mut out = FluentArgs::new();
    for (name, value) in args {
        let v = match value {
            Arg::Text(s) => FluentValue::from(s.as_str()),
            Arg::Number(n) => FluentValue::from(*n),
        };
        out.set(*name, v);
    }
    out
}

/// The message `id` in the current language.
pub fn message(id: &str, args: &[(&str, Arg)]) -> String {
    message_in(current(), id, args)
}

/// The message `id` in `lang`; in English when `lang` lacks it (which
/// tests/i18n.rs forbids), and the id itself when both do.
pub fn message_in(lang: Lang, id: &str, args: &[(&str, Arg)]) -> String {
    let fluent_args = fluent_args(args);
    for lang in [lang, Lang::En] {
        let bundle = lang.bundle();
        if let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) {
            let mut errors = Vec::new();
            let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
            return text.into_owned();
        }
    }
    id.to_string()
}

/// `tr!("id")`, `tr!("id", name = value, …)`: the message `id` of the
/// catalogue in the current language, its arguments given by name.
macro_rules! tr {
    ($id:literal) => {
        $crate::i18n::message($id, &[])
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {
        $crate::i18n::message(
            $id,
            &[$((stringify!($name), $crate::i18n::Arg::from($value))),+],
        )
    };
}
pub(crate) use tr;

/// A message of a catalogue: its id and the names of its arguments.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub arguments: std::collections::BTreeSet<String>,
}

/// The messages of `lang`'s catalogue, in their order there, or what is
/// wrong with its text.
pub fn entries(lang: Lang) -> Result<Vec<Entry>, String> {
    use fluent_syntax::ast;
    let resource = fluent_syntax::parser::parse(lang.catalogue())
        .map_err(|(_, errors)| format!("{}.ftl does not parse: {errors:?}", lang.code()))?;
    fn walk_pattern(p: &ast::Pattern<&str>, out: &mut std::collections::BTreeSet<String>) {
        for element in &p.elements {
            if let ast::PatternElement::Placeable { expression } = element {
                walk_expression(expression, out);
            }
        }
    }
    fn walk_inline(e: &ast::InlineExpression<&str>, out: &mut std::collections::BTreeSet<String>) {
        match e {
            ast::InlineExpression::VariableReference { id } => {
                out.insert(id.name.to_string());
            }
            ast::InlineExpression::Placeable { expression } => walk_expression(expression, out),
            _ => {}
        }
    }
    fn walk_expression(e: &ast::Expression<&str>, out: &mut std::collections::BTreeSet<String>) {
        match e {
            ast::Expression::Select { selector, variants } => {
                walk_inline(selector, out);
                for v in variants {
                    walk_pattern(&v.value, out);
                }
            }
            ast::Expression::Inline(i) => walk_inline(i, out),
        }
    }
    let mut out = Vec::new();
    for entry in &resource.body {
        if let ast::Entry::Message(m) = entry {
            let mut arguments = std::collections::BTreeSet::new();
            if let Some(p) = &m.value {
                walk_pattern(p, &mut arguments);
            }
            out.push(Entry {
                id: m.id.name.to_string(),
                arguments,
            });
        }
    }
    Ok(out)
}

/// Formats `id` of `lang` with `args`, returning Fluent's complaints (an
/// argument it lacked, a selector it could not read) instead of hiding them.
pub fn format_checked(lang: Lang, id: &str, args: &[(&str, Arg)]) -> Result<String, String> {
    let bundle = lang.bundle();
    let pattern = bundle
        .get_message(id)
        .and_then(|m| m.value())
        .ok_or_else(|| format!("{}.ftl has no message `{id}`", lang.code()))?;
    let fluent_args = fluent_args(args);
    let mut errors = Vec::new();
    let text = bundle.format_pattern(pattern, Some(&fluent_args), &mut errors);
    if errors.is_empty() {
        Ok(text.into_owned())
    } else {
        Err(format!("{}.ftl `{id}`: {errors:?}", lang.code()))
    }
}

//! The message catalogues (src/i18n/*.ftl) are whole: every message the
//! code asks for exists in every language, with the same arguments, and
//! every message of a catalogue is used.

use pol::i18n::{self, Arg, Lang};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("a directory") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Every id the code names in `tr!("id"` and `message("id"`, with a place.
fn ids_in_code() -> BTreeMap<String, String> {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let mut out = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(&file).expect("a source file");
        for (n, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue;
            }
            let mut rest = line;
            while let Some(at) = rest.find("tr!(") {
                let whole =
                    at == 0 || !rest[..at].ends_with(|c: char| c.is_alphanumeric() || c == '_');
                rest = &rest[at + 4..];
                if !whole {
                    continue;
                }
                let after = rest.trim_start();
                if let Some(quoted) = after.strip_prefix('"')
                    && let Some(end) = quoted.find('"')
                {
                    out.entry(quoted[..end].to_string())
                        .or_insert_with(|| format!("{}:{}", file.display(), n + 1));
                }
            }
        }
        // A `tr!(` whose id is on the next line.
        let mut lines = text.lines().enumerate().peekable();
        while let Some((n, line)) = lines.next() {
            let line = line.trim_end();
            if line
                .strip_suffix("tr!(")
                .is_some_and(|before| !before.ends_with(|c: char| c.is_alphanumeric() || c == '_'))
                && let Some((_, next)) = lines.peek()
                && let Some(quoted) = next.trim().strip_prefix('"')
                && let Some(end) = quoted.find('"')
            {
                out.entry(quoted[..end].to_string())
                    .or_insert_with(|| format!("{}:{}", file.display(), n + 2));
            }
        }
    }
    out
}

fn catalogue(lang: Lang) -> BTreeMap<String, BTreeSet<String>> {
    let entries = i18n::entries(lang).unwrap_or_else(|e| panic!("{e}"));
    let mut out = BTreeMap::new();
    for e in entries {
        assert!(
            out.insert(e.id.clone(), e.arguments).is_none(),
            "{}.ftl defines `{}` twice",
            lang.code(),
            e.id
        );
    }
    out
}

#[test]
fn every_message_has_every_language_with_the_same_arguments() {
    let en = catalogue(Lang::En);
    assert!(
        en.len() > 50,
        "the English catalogue has {} messages",
        en.len()
    );
    for lang in Lang::ALL {
        let other = catalogue(lang);
        for (id, args) in &en {
            let theirs = other
                .get(id)
                .unwrap_or_else(|| panic!("`{id}` has no translation in {}.ftl", lang.code()));
            assert_eq!(
                args,
                theirs,
                "`{id}` takes other arguments in {}.ftl than in en.ftl",
                lang.code()
            );
        }
        for id in other.keys() {
            assert!(
                en.contains_key(id),
                "{}.ftl has `{id}`, en.ftl does not",
                lang.code()
            );
        }
    }
}

#[test]
fn every_message_the_code_asks_for_exists_and_every_message_is_asked_for() {
    let en = catalogue(Lang::En);
    let used = ids_in_code();
    for (id, place) in &used {
        assert!(en.contains_key(id), "{place}: `{id}` is in no catalogue");
    }
    for id in en.keys() {
        assert!(
            used.contains_key(id),
            "`{id}` of en.ftl is used nowhere in src/"
        );
    }
}

#[test]
fn every_message_formats_without_complaint() {
    for lang in Lang::ALL {
        for (id, args) in catalogue(lang) {
            // Each argument as text, then each as a number (plural forms).
            for as_number in [false, true] {
                let given: Vec<(&str, Arg)> = args
                    .iter()
                    .map(|a| {
                        let v = if as_number {
                            Arg::Number(2.0)
                        } else {
                            Arg::Text(format!("<{a}>"))
                        };
                        (a.as_str(), v)
                    })
                    .collect();
                let text =
                    i18n::format_checked(lang, &id, &given).unwrap_or_else(|e| panic!("{e}"));
                assert!(
                    !text.trim().is_empty(),
                    "`{id}` is empty in {}.ftl",
                    lang.code()
                );
            }
        }
    }
}

/// Chinese text takes full-width punctuation: an ASCII comma, colon or
/// semicolon beside a Chinese character (outside `code` and placeables) is
/// a slip.
#[test]
fn chinese_messages_use_chinese_punctuation() {
    let text = Lang::Zh.catalogue();
    let cjk = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    for (n, line) in text.lines().enumerate() {
        let mut free = String::new();
        let (mut code, mut depth) = (false, 0);
        for c in line.chars() {
            match c {
                '`' if depth == 0 => code = !code,
                '{' => depth += 1,
                '}' => depth -= 1,
                c if !code && depth == 0 => free.push(c),
                _ => free.push(' '),
            }
        }
        let chars: Vec<char> = free.chars().collect();
        for (i, &c) in chars.iter().enumerate() {
            if matches!(c, ',' | ':' | ';') {
                let before = i.checked_sub(1).map(|j| chars[j]);
                let after = chars.get(i + 1).copied();
                assert!(
                    !before.is_some_and(cjk) && !after.is_some_and(cjk),
                    "zh.ftl:{}: ASCII `{c}` beside Chinese text: write its full-width form\n{line}",
                    n + 1
                );
            }
        }
    }
}

#[test]
fn the_language_comes_from_the_flag_then_the_locale() {
    assert_eq!(Lang::parse("zh_CN.UTF-8"), Some(Lang::Zh));
    assert_eq!(Lang::parse("zh-TW"), Some(Lang::Zh));
    assert_eq!(Lang::parse("en_GB.UTF-8"), Some(Lang::En));
    assert_eq!(Lang::parse("C.UTF-8"), Some(Lang::En));
    assert_eq!(Lang::parse("fr_FR"), None);
    assert_eq!(i18n::message_in(Lang::Zh, "result-eligible-yes", &[]), "是");
    assert_eq!(
        i18n::message_in(Lang::En, "result-eligible-yes", &[]),
        "yes"
    );
}

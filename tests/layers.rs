//! The modules of `src/` stand in layers (docs/architecture.md): a module
//! imports only from the layers below its own, and no two files import each
//! other. The semantic core (`lang`) sits under the syntax, the checker and
//! the evaluator, and imports none of them.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Lowest first. Modules of one layer do not import each other.
const LAYERS: &[&[&str]] = &[
    &["source", "exit", "i18n"],
    &["diagnostic"],
    &["files"],
    &["lang"],
    &["syntax"],
    &["check", "fmt"],
    &["eval", "package"],
    &["explain", "batch", "sql"],
    &["diff"],
    &["repl", "robust", "serve", "lsp"],
    &["cli"],
];

fn layer(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&module))
        .unwrap_or_else(|| panic!("module `{module}` is in no layer of tests/layers.rs"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `src/eval/case.rs` → `eval::case`, `src/eval/mod.rs` → `eval`.
fn module_of(path: &Path) -> String {
    let rel = path.strip_prefix("src").expect("under src");
    let mut parts: Vec<String> = rel
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    parts.join("::")
}

/// The code of a file without its unit tests and its comments (a link in
/// a doc comment is no import).
fn code(path: &Path) -> String {
    let text = std::fs::read_to_string(path).expect("a source file");
    let text = match text.find("#[cfg(test)]") {
        Some(i) => &text[..i],
        None => &text[..],
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules a file names with `crate::…` or `super::…` (from module
/// `module`), as the longest path that is a module of the crate.
fn imports(module: &str, code: &str, modules: &BTreeSet<String>) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    let parent = module.rsplit_once("::").map_or("", |(p, _)| p);
    let uses = code
        .match_indices("crate::")
        .map(|(at, m)| (at + m.len(), String::new()))
        .chain(code.match_indices("super::").filter_map(|(at, m)| {
            // `super::super::` and `crate::` spellings are rare; a file's
            // parent is its module's parent.
            let before = code[..at].chars().last();
            (before != Some(':') && !parent.is_empty())
                .then(|| (at + m.len(), format!("{parent}::")))
        }));
    for (start, prefix) in uses {
        let rest = &code[start..];
        let path: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_' || *c == ':')
            .collect();
        let path = format!("{prefix}{path}");
        let parts: Vec<&str> = path.split("::").filter(|p| !p.is_empty()).collect();
        for n in (1..=parts.len()).rev() {
            let candidate = parts[..n].join("::");
            if modules.contains(&candidate) {
                out.insert(candidate);
                break;
            }
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(Path::new("src"), &mut files);
    let modules: BTreeSet<String> = files.iter().map(|f| module_of(f)).collect();
    files
        .iter()
        .filter(|f| !matches!(module_of(f).as_str(), "lib" | "main"))
        .map(|f| {
            let m = module_of(f);
            let mut deps = imports(&m, &code(f), &modules);
            deps.remove(&m);
            (m, deps)
        })
        .collect()
}

fn top(module: &str) -> &str {
    module.split("::").next().unwrap_or(module)
}

#[test]
fn every_import_runs_down_the_layers() {
    let mut wrong = Vec::new();
    for (module, deps) in graph() {
        for dep in deps {
            let (from, to) = (top(&module), top(&dep));
            if from != to && layer(to) >= layer(from) {
                wrong.push(format!("{module} imports {dep}"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers: {wrong:#?}");
}

#[test]
fn no_two_files_import_each_other() {
    let graph = graph();
    let mut mutual = Vec::new();
    for (a, deps) in &graph {
        for b in deps {
            if a < b && graph.get(b).is_some_and(|d| d.contains(a)) {
                mutual.push(format!("{a} <-> {b}"));
            }
        }
    }
    assert!(
        mutual.is_empty(),
        "files that import each other: {mutual:?}"
    );
}

#[test]
fn the_core_imports_nothing_above_it() {
    for (module, deps) in graph() {
        if top(&module) == "lang" {
            // Only the layers under it: the message catalogue, the source map.
            let outside: Vec<&String> = deps
                .iter()
                .filter(|d| top(d) != "lang" && layer(top(d)) >= layer("lang"))
                .collect();
            assert!(outside.is_empty(), "{module} imports {outside:?}");
        }
    }
}

#[test]
fn the_evaluator_does_not_import_the_test_runner() {
    for (module, deps) in graph() {
        if module.starts_with("eval") && module != "eval::testing" {
            assert!(
                !deps.contains("eval::testing"),
                "{module} imports the test runner"
            );
        }
    }
    // Nor by a relative path from `eval/mod.rs`.
    let eval = code(Path::new("src/eval/mod.rs"));
    assert!(
        !eval.contains("testing::"),
        "eval/mod.rs uses the test runner"
    );
}

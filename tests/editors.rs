//! The VS Code extension of `editors/vscode`: its TextMate grammar knows
//! every keyword of the language, its snapshot of the sample file holds
//! (with `vscode-tmgrammar-test`), and it packages into a `.vsix` (with
//! `@vscode/vsce`). The last two need `npm ci --prefix editors/vscode`,
//! which `.ci/run` does; without it they say they are skipped.

mod common;
use common::text;
use std::path::Path;
use std::process::Command;

const EXT: &str = "editors/vscode";

#[test]
fn the_grammar_knows_every_keyword_of_the_language() {
    let grammar = std::fs::read_to_string(format!("{EXT}/syntaxes/pol.tmLanguage.json"))
        .expect("the grammar");
    let json: serde_json::Value = serde_json::from_str(&grammar).expect("the grammar is JSON");
    assert_eq!(json["scopeName"], "source.pol");
    for word in pol::lang::words::RESERVED
        .iter()
        .chain(pol::lang::words::CONTEXTUAL)
    {
        let whole = grammar.match_indices(word).any(|(i, _)| {
            let before = grammar[..i].chars().next_back();
            let after = grammar[i + word.len()..].chars().next();
            !before.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
                && !after.is_some_and(|c| c.is_ascii_alphanumeric() || c == '_')
        });
        assert!(whole, "the grammar does not highlight `{word}`");
    }
    for f in pol::lang::builtins::Builtin::CALLED {
        assert!(
            grammar.contains(f.name()),
            "the grammar does not know `{}`",
            f.name()
        );
    }
    // The sample is a real program, formatted and tested.
    let sample = format!("{EXT}/test/sample.pol");
    let out = common::pol(&["test", &sample]);
    assert!(out.status.success(), "{}", text(&out.stdout));
}

fn node_modules() -> bool {
    let found = Path::new(EXT)
        .join("node_modules/vscode-tmgrammar-test")
        .exists()
        && Path::new(EXT).join("node_modules/@vscode/vsce").exists();
    if !found {
        eprintln!(
            "skipped: `npm ci --prefix editors/vscode` has not been run (.ci/run runs it where npm is)"
        );
    }
    found
}

#[test]
fn the_grammar_gives_the_tokens_of_its_snapshot() {
    if !node_modules() {
        return;
    }
    let out = Command::new("npx")
        .args([
            "--no-install",
            "vscode-tmgrammar-snap",
            "--scope",
            "source.pol",
            "--grammar",
            "syntaxes/pol.tmLanguage.json",
            "test/*.pol",
        ])
        .current_dir(EXT)
        .output()
        .expect("npx runs");
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

#[test]
fn the_extension_packages_into_a_vsix() {
    if !node_modules() {
        return;
    }
    let dir = tempfile::tempdir().expect("a temporary directory");
    let vsix = dir.path().join("pol.vsix");
    let out = Command::new("npx")
        .args([
            "--no-install",
            "vsce",
            "package",
            "--allow-missing-repository",
            "--skip-license",
            "--out",
        ])
        .arg(&vsix)
        .current_dir(EXT)
        .output()
        .expect("npx runs");
    assert!(
        out.status.success(),
        "{}\n{}",
        text(&out.stdout),
        text(&out.stderr)
    );
    let bytes = std::fs::read(&vsix).expect("the .vsix");
    assert_eq!(&bytes[..2], b"PK", "a .vsix is a zip");
}

//! The corpus: every program under `tests/fail/` (a `.pol` file, or a
//! directory that is one package) must fail to check, and its rendered
//! diagnostics are snapshotted; every program under `tests/pass/` must check
//! clean.

use pol::diagnostic::{RenderOptions, render_all};
use pol::package::{self, Failure};
use std::path::{Path, PathBuf};

/// The packages of a corpus: `GROUP/NAME.pol`, or `GROUP/NAME/` for a
/// package of several files.
fn packages(dir: &Path) -> Vec<PathBuf> {
    let list = |d: &Path| -> Vec<PathBuf> {
        let mut v: Vec<PathBuf> = std::fs::read_dir(d)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", d.display()))
            .map(|e| e.expect("a directory entry").path())
            .collect();
        v.sort();
        v
    };
    let mut out = Vec::new();
    for group in list(dir) {
        if group.is_dir() && group.file_name().is_some_and(|n| n != "snapshots") {
            out.extend(
                list(&group)
                    .into_iter()
                    .filter(|p| p.is_dir() || p.extension().is_some_and(|x| x == "pol")),
            );
        }
    }
    out
}

fn relative(p: &Path) -> String {
    p.to_string_lossy().replace('\\', "/")
}

#[test]
fn bad_programs_fail_with_their_diagnostics() {
    let mut codes = std::collections::BTreeSet::new();
    let mut count = 0;
    for pkg in packages(Path::new("tests/fail")) {
        count += 1;
        let name = relative(&pkg);
        let rendered = match package::load(&pkg) {
            Ok(_) => panic!("{name} checked clean, but it is in the corpus of bad programs"),
            Err(Failure::Load(e)) => panic!("{name}: {e}"),
            Err(Failure::Program(sources, diags)) => {
                for d in &diags {
                    codes.insert(d.code);
                }
                render_all(&diags, &sources, RenderOptions::plain())
            }
        };
        let snapshot = name
            .trim_start_matches("tests/fail/")
            .replace(['/', '.'], "__");
        insta::with_settings!({ snapshot_path => "fail/snapshots", prepend_module_to_snapshot => false, description => name.clone() }, {
            insta::assert_snapshot!(snapshot, rendered);
        });
    }
    assert!(count >= 40, "the corpus of bad programs shrank to {count}");
    assert!(
        codes.len() >= 25,
        "only {} distinct error codes in the corpus: {codes:?}",
        codes.len()
    );
}

#[test]
fn good_programs_check_clean() {
    let mut count = 0;
    for pkg in packages(Path::new("tests/pass")) {
        count += 1;
        if let Err(failure) = package::load(&pkg) {
            let shown = match failure {
                Failure::Load(e) => e.to_string(),
                Failure::Program(sources, diags) => {
                    render_all(&diags, &sources, RenderOptions::plain())
                }
            };
            panic!("{} should check clean:\n{shown}", pkg.display());
        }
    }
    assert!(count > 0);
}

/// Every diagnostic code that appears in the source is documented in
/// `docs/diagnostics.md`.
#[test]
fn every_code_in_the_source_is_documented() {
    let doc = std::fs::read_to_string("docs/diagnostics.md").expect("docs/diagnostics.md");
    let mut files = vec![PathBuf::from("src")];
    let mut codes = std::collections::BTreeSet::new();
    while let Some(p) = files.pop() {
        if p.is_dir() {
            files.extend(
                std::fs::read_dir(&p)
                    .expect("a directory")
                    .map(|e| e.expect("an entry").path()),
            );
            continue;
        }
        if p.extension().is_none_or(|x| x != "rs") {
            continue;
        }
        let text = std::fs::read_to_string(&p).expect("a source file");
        for (at, _) in text.match_indices("pol::") {
            // A code stands in a text: `"pol::case::json"`, `error[pol::batch::header]`;
            // a Rust path (`pol::cli::check(…)`) does not.
            if !text[..at].ends_with(['"', '[']) {
                continue;
            }
            let code: String = text[at..]
                .chars()
                .take_while(|c| {
                    c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_' || *c == ':'
                })
                .collect();
            let parts: Vec<&str> = code.split("::").collect();
            if parts.len() == 3 && parts.iter().all(|p| !p.is_empty()) {
                codes.insert(code);
            }
        }
    }
    assert!(codes.len() >= 60, "{codes:?}");
    let missing: Vec<_> = codes
        .iter()
        .filter(|c| !doc.contains(&format!("`{c}`")))
        .collect();
    assert!(
        missing.is_empty(),
        "not in docs/diagnostics.md: {missing:?}"
    );
}

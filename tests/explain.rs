//! Explanations are reviewed like code: the explanation of every `test`
//! block under `policies/` and `tests/eval/pass/` is snapshotted, each
//! expectation's value explained as `pol eval --explain` would.

use pol::check::ir::TestExpect;
use pol::eval::testing;
use pol::explain::{self, render};
use pol::package;
use std::path::{Path, PathBuf};

fn packages() -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir("policies").expect("policies/") {
        let p = entry.expect("an entry").path();
        if p.is_dir() {
            out.push(p);
        }
    }
    for entry in std::fs::read_dir("tests/eval/pass").expect("tests/eval/pass") {
        let p = entry.expect("an entry").path();
        if p.extension().is_some_and(|x| x == "pol") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn snapshot_name(package: &Path, test: &str) -> String {
    let pkg = package.file_stem().expect("a name").to_string_lossy();
    let test: String = test
        .chars()
        .map(|c| if c.is_alphanumeric() { c } else { '_' })
        .collect();
    format!("{pkg}__{test}")
}

#[test]
fn explanations_of_every_test() {
    let mut count = 0;
    for pkg in packages() {
        let checked = package::load(&pkg).unwrap_or_else(|_| panic!("{} checks", pkg.display()));
        let program = checked.program();
        for test in &program.tests {
            let case = testing::case_of(program, test).expect("the facts of the test");
            let mut text = String::new();
            for expect in &test.expects {
                let (e, span) = match expect {
                    TestExpect::True(e, span) | TestExpect::Undetermined(e, span) => (e, span),
                    TestExpect::Equal(e, _, span) => (e, span),
                };
                text.push_str(&format!("# {}\n", checked.sources().slice(*span)));
                match explain::explain_expression(&checked, &case, e) {
                    Ok(node) => text.push_str(&render::node_text(program, &node)),
                    Err(err) => text.push_str(&format!("error[{}]: {}\n", err.code, err.message)),
                }
                text.push('\n');
            }
            count += 1;
            insta::with_settings!({ snapshot_path => "explain/snapshots", prepend_module_to_snapshot => false, description => format!("{} — {}", pkg.display(), test.name) }, {
                insta::assert_snapshot!(snapshot_name(&pkg, &test.name), text);
            });
        }
    }
    assert!(count >= 20, "only {count} tests explained");
}

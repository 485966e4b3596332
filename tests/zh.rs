//! Pol in Chinese: the diagnostics of the whole corpus of bad programs and
//! the explanations of the Xuchang package's tests are snapshotted in
//! Chinese, beside their English snapshots; `--lang`, `LC_ALL`,
//! `LC_MESSAGES` and `LANG` choose the language of the command line.
//!
//! Every test of this file sets the process's language to Chinese, so none
//! of them shares a process with an English test.

mod common;
use common::{pol_command, text};
use pol::check::ir::TestExpect;
use pol::diagnostic::{RenderOptions, render_all};
use pol::eval::testing;
use pol::explain::{self, render};
use pol::i18n::{self, Lang};
use pol::package::{self, Failure};
use std::path::{Path, PathBuf};

fn sorted(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.expect("a directory entry").path())
        .collect();
    v.sort();
    v
}

#[test]
fn the_corpus_of_bad_programs_in_chinese() {
    i18n::set(Lang::Zh);
    let mut count = 0;
    for group in sorted(Path::new("tests/fail")) {
        if !group.is_dir() || group.file_name().is_some_and(|n| n == "snapshots") {
            continue;
        }
        for pkg in sorted(&group) {
            if !(pkg.is_dir() || pkg.extension().is_some_and(|x| x == "pol")) {
                continue;
            }
            let name = pkg.to_string_lossy().replace('\\', "/");
            let rendered = match package::load(&pkg) {
                Err(Failure::Program(sources, diags)) => {
                    render_all(&diags, &sources, RenderOptions::plain())
                }
                _ => panic!("{name} does not fail to check"),
            };
            let snapshot = name
                .trim_start_matches("tests/fail/")
                .replace(['/', '.'], "__");
            count += 1;
            insta::with_settings!({ snapshot_path => "zh/diagnostics", prepend_module_to_snapshot => false, description => name.clone() }, {
                insta::assert_snapshot!(snapshot, rendered);
            });
        }
    }
    assert!(count >= 40, "only {count} bad programs");
}

#[test]
fn the_xuchang_explanations_in_chinese() {
    i18n::set(Lang::Zh);
    let pkg = Path::new("policies/xuchang-2021");
    let checked = package::load(pkg).expect("the Xuchang package checks");
    let program = checked.program();
    let mut count = 0;
    for test in &program.tests {
        let case = testing::case_of(program, test).expect("the facts of the test");
        let mut out = String::new();
        for expect in &test.expects {
            let (e, span) = match expect {
                TestExpect::True(e, span) | TestExpect::Undetermined(e, span) => (e, span),
                TestExpect::Equal(e, _, span) => (e, span),
            };
            out.push_str(&format!("# {}\n", checked.sources().slice(*span)));
            match explain::explain_expression(&checked, &case, e) {
                Ok(node) => out.push_str(&render::node_text(program, &node)),
                Err(err) => out.push_str(&format!("错误[{}]：{}\n", err.code, err.message)),
            }
            out.push('\n');
        }
        let name: String = test
            .name
            .chars()
            .map(|c| if c.is_alphanumeric() { c } else { '_' })
            .collect();
        count += 1;
        insta::with_settings!({ snapshot_path => "explain/snapshots-zh", prepend_module_to_snapshot => false, description => format!("{} — {}", pkg.display(), test.name) }, {
            insta::assert_snapshot!(format!("xuchang-2021__{name}"), out);
        });
    }
    assert!(count >= 100, "only {count} tests explained");
}

/// `pol ARGS` with the environment's locale variables set as given.
fn pol_in(locale: &[(&str, &str)], args: &[&str]) -> std::process::Output {
    let mut c = pol_command();
    c.env_remove("LANG");
    for (k, v) in locale {
        c.env(k, v);
    }
    c.args(args).output().expect("pol runs")
}

const CASE: &str = "policies/xuchang-2021/cases/sme-hires-graduate-and-unemployed.json";

#[test]
fn the_language_follows_the_flag_then_lc_all_lc_messages_and_lang() {
    i18n::set(Lang::Zh);
    let eval = ["eval", "policies/xuchang-2021", "--case", CASE];
    let zh = |out: &std::process::Output| text(&out.stdout).starts_with("评估日期");
    assert!(zh(&pol_in(&[("LANG", "zh_CN.UTF-8")], &eval)));
    assert!(zh(&pol_in(&[("LC_MESSAGES", "zh_CN.UTF-8")], &eval)));
    // LC_ALL rules over LANG, and --lang over both.
    assert!(!zh(&pol_in(
        &[("LANG", "zh_CN.UTF-8"), ("LC_ALL", "C")],
        &eval
    )));
    let mut with_flag = eval.to_vec();
    with_flag.extend(["--lang", "zh"]);
    assert!(zh(&pol_in(&[("LC_ALL", "en_US.UTF-8")], &with_flag)));
    with_flag.pop();
    with_flag.push("en");
    assert!(!zh(&pol_in(&[("LANG", "zh_CN.UTF-8")], &with_flag)));
    // Unset, or a language without a catalogue: English.
    assert!(!zh(&pol_in(&[], &eval)));
    assert!(!zh(&pol_in(&[("LANG", "fr_FR.UTF-8")], &eval)));
    // A language Pol does not speak is a usage error that says which it does.
    let out = pol_in(&[], &["check", "policies/xuchang-2021", "--lang", "fr"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("en or zh"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn results_summaries_and_errors_speak_chinese() {
    i18n::set(Lang::Zh);
    let zh = [("LANG", "zh_CN.UTF-8")];
    let out = pol_in(&zh, &["eval", "policies/xuchang-2021", "--case", CASE]);
    let t = text(&out.stdout);
    assert!(
        t.contains("hiring_subsidies  [1b] 一次性吸纳就业补贴(企业合计)"),
        "{t}"
    );
    assert!(t.contains("无法确定："), "{t}");
    assert!(t.contains("个条款需要本案未提供的事实"), "{t}");

    let out = pol_in(&zh, &["check", "policies/xuchang-2021"]);
    assert!(
        text(&out.stdout).contains("没有错误（8 个文件，"),
        "{}",
        text(&out.stdout)
    );

    let out = pol_in(&zh, &["test", "policies/xuchang-2021"]);
    assert!(
        text(&out.stdout).contains("个通过，0 个失败"),
        "{}",
        text(&out.stdout)
    );

    let dir = tempfile::tempdir().expect("a temporary directory");
    let bad = dir.path().join("bad.pol");
    std::fs::write(&bad, "clause c {\n  eligible if age >= 18 && resident\n}\n").expect("write");
    let out = pol_in(&zh, &["check", bad.to_str().expect("a path")]);
    assert_eq!(out.status.code(), Some(1));
    let e = text(&out.stderr);
    assert!(
        e.contains("pol::syntax::operator"),
        "the code stays as it is: {e}"
    );
    assert!(e.contains("`&&` 不是 Pol 的运算符"), "{e}");
    assert!(e.contains("提示：应写 `and`"), "{e}");
    assert!(e.contains("错误：发现 1 个错误"), "{e}");

    let cases = dir.path().join("cases.csv");
    std::fs::write(&cases, "age,resident\n20,true\nold,false\n").expect("write");
    let good = dir.path().join("good.pol");
    std::fs::write(
        &good,
        "input age: int \"年龄\"\ninput resident: bool \"本地户籍\"\nclause c \"补贴\" {\n  eligible if age >= 18 and resident\n  benefit amount = 100 yuan\n}\n",
    )
    .expect("write");
    let out = pol_in(
        &zh,
        &[
            "eval",
            good.to_str().expect("a path"),
            "--cases",
            cases.to_str().expect("a path"),
        ],
    );
    let e = text(&out.stderr);
    assert!(e.contains("2 个案例，1 个错误行"), "{e}");
    assert!(e.contains("合计 c.amount = 100.00 元"), "{e}");
}

#[test]
fn json_stays_the_same_in_every_language() {
    i18n::set(Lang::Zh);
    let args = [
        "eval",
        "policies/xuchang-2021",
        "--case",
        CASE,
        "--format",
        "json",
    ];
    let en = pol_in(&[("LANG", "C")], &args);
    let zh = pol_in(&[("LANG", "zh_CN.UTF-8")], &args);
    assert_eq!(text(&en.stdout), text(&zh.stdout));
}

#[test]
fn a_comparison_of_versions_reports_in_chinese() {
    i18n::set(Lang::Zh);
    let args = [
        "diff",
        "docs/examples/diff/subsidy-2020.pol",
        "docs/examples/diff/subsidy-2021.pol",
        "--cases",
        "docs/examples/diff/firms.csv",
        "--lang",
        "zh",
    ];
    let out = pol_in(&[], &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    for needle in [
        "8 个案例，6 个有变化（75.00%）",
        "合计        13000.00 → 10500.00 元（-2500.00）",
        "发放案例数  6 个案例 → 4 个案例",
        "第 2 行",
    ] {
        assert!(t.contains(needle), "{needle:?} in:\n{t}");
    }
    let mut html = args.to_vec();
    html.extend(["--format", "html"]);
    let out = pol_in(&[], &html);
    let page = text(&out.stdout);
    assert!(page.contains("<html lang=\"zh\">"), "{page}");
    assert!(page.contains("调整的影响："), "{page}");
    assert!(page.contains("有变化的结果"), "{page}");
}

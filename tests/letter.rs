//! The letter for the citizen (`pol eval … --format html|markdown`): every
//! bundled Xuchang case rendered in both languages and read back from a
//! headless browser's DOM; the total against the results of the same case;
//! labels that carry markup stay text; wrong requests are refused.

mod common;
use common::{pol, text};
use rust_decimal::Decimal;
use std::path::Path;
use std::str::FromStr;

const XUCHANG: &str = "policies/xuchang-2021";
const SME: &str = "policies/xuchang-2021/cases/sme-hires-graduate-and-unemployed.json";
const SIX_MONTHS: &str = "policies/xuchang-2021/cases/six-month-contract.json";

fn letter(case: &str, format: &str, lang: &str) -> String {
    let out = pol(&[
        "eval", XUCHANG, "--case", case, "--format", format, "--lang", lang,
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    text(&out.stdout)
}

/// The results of a case, as `pol eval --format json` gives them.
fn results(case: &str) -> serde_json::Map<String, serde_json::Value> {
    let out = pol(&["eval", XUCHANG, "--case", case, "--format", "json"]);
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON results");
    json["results"].as_object().expect("results").clone()
}

fn amount(results: &serde_json::Map<String, serde_json::Value>, key: &str) -> Decimal {
    let v = results[key]
        .as_str()
        .unwrap_or_else(|| panic!("{key} is an amount"));
    Decimal::from_str(v).expect("an amount")
}

#[test]
fn the_total_counts_each_amount_once() {
    // The enterprise's hiring subsidy (its two hires' added up), the tax
    // deduction and the job-stabilisation refund; the 100% refund for SMEs
    // is the refund's larger branch, shown as included in it.
    let r = results(SME);
    let total = amount(&r, "hiring_subsidies.amount")
        + amount(&r, "hiring_subsidies.social_insurance")
        + amount(&r, "hire_tax_deduction.relief")
        + amount(&r, "stabilisation_refund.refund");
    assert_eq!(
        amount(&r, "sme_full_refund.refund"),
        amount(&r, "stabilisation_refund.refund")
    );
    let md = letter(SME, "markdown", "zh");
    assert!(md.contains(&format!("**合计：{total} 元**")), "{md}");
    assert!(
        md.contains("refund：9640.00 元 (已计入 stabilisation_refund.refund)"),
        "{md}"
    );
    let md = letter(SME, "markdown", "en");
    assert!(md.contains(&format!("**In all: {total} yuan**")), "{md}");
    assert!(
        md.contains("included in stabilisation_refund.refund"),
        "{md}"
    );
}

#[test]
fn a_clause_that_does_not_apply_says_why_and_what_would_change_it() {
    let md = letter(SIX_MONTHS, "markdown", "zh");
    let section = md
        .split("## 不适用的条款")
        .nth(1)
        .expect("a section of what does not apply");
    assert!(
        section.contains("[1b] 一次性吸纳就业补贴（hiring_subsidy）"),
        "{section}"
    );
    assert!(section.contains("劳动合同期限：6 个月"), "{section}");
    assert!(
        section
            .contains("若 hire.contract_term (劳动合同期限) 至少为 1 year，则适用 — 现为 6 months"),
        "{section}"
    );
    assert!(md.contains("根据所提供的事实，不予发放任何金额。"), "{md}");
    let md = letter(SIX_MONTHS, "markdown", "en");
    assert!(md.contains("## What does not apply"), "{md}");
    assert!(md.contains("劳动合同期限: 6 months"), "{md}");
    assert!(md.contains("No amount is paid on the facts given."), "{md}");
}

#[test]
fn every_bundled_case_renders_in_a_headless_browser_in_both_languages() {
    let work = tempfile::tempdir().expect("a temporary directory");
    let Some(browser) = common::chromium() else {
        eprintln!(
            "skipped: no Chromium here (`apt-get install chromium`, as .ci/run does) to render the letters"
        );
        return;
    };
    let profile = work.path().join("profile");
    let cases = common::files("policies/xuchang-2021/cases", "json");
    assert!(cases.len() >= 6);
    for case in &cases {
        let case = case.to_str().expect("a path");
        for (lang, needles) in [
            (
                "zh",
                [
                    "许昌市关于进一步做好稳就业工作的实施意见：关于您的申请的决定",
                    "案例事实",
                    "由 Pol 根据《许昌市关于进一步做好稳就业工作的实施意见》原文评估",
                ],
            ),
            (
                "en",
                [
                    "许昌市关于进一步做好稳就业工作的实施意见: the decision on your case",
                    "The facts of the case",
                    "Assessed by Pol from the text of",
                ],
            ),
        ] {
            let html = letter(case, "html", lang);
            assert!(html.starts_with("<!DOCTYPE html>"));
            assert!(
                !html.contains("http://")
                    && !html.contains("https://")
                    && !html.contains("<script"),
                "the letter is self-contained and inert"
            );
            let name = Path::new(case)
                .file_stem()
                .expect("a name")
                .to_string_lossy();
            let file = work.path().join(format!("{name}.{lang}.html"));
            std::fs::write(&file, &html).expect("write the letter");
            let url = format!("file://{}", file.display());
            let dom = common::headless(&browser, &profile, &["--dump-dom", &url]);
            assert!(dom.status.success(), "{}", text(&dom.stderr));
            let dom = text(&dom.stdout);
            for needle in needles {
                assert!(
                    dom.contains(needle),
                    "{case} ({lang}) has {needle:?}:\n{dom}"
                );
            }
            assert!(dom.contains(&format!("<html lang=\"{lang}\">")), "{dom}");
        }
    }
    // The enterprise's letter: its hires as a table, the subsidy with its quote.
    let html = letter(SME, "html", "zh");
    let file = work.path().join("sme.html");
    std::fs::write(&file, &html).expect("write the letter");
    let url = format!("file://{}", file.display());
    let dom = text(&common::headless(&browser, &profile, &["--dump-dom", &url]).stdout);
    for needle in [
        "<h3>用人单位 · 新招用人员</h3>",
        "<th scope=\"row\">劳动合同期限</th><td>3 年</td><td>2 年</td>",
        "适用的条款",
        "[1b] 一次性吸纳就业补贴(企业合计)（hiring_subsidies）",
        "对当年新招用登记失业半年以上人员",
        "2000.00 元",
        "尚无法确定的条款",
    ] {
        assert!(dom.contains(needle), "the letter has {needle:?}:\n{dom}");
    }
    let png = work.path().join("letter.png");
    common::assert_screenshot(&browser, &profile, &url, (900, 1600), &png);
}

#[test]
fn what_the_policy_writes_stays_text() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pkg = dir.path().join("p.pol");
    std::fs::write(
        &pkg,
        "policy \"<b>Bold</b> & *starred* | piped\" issued 2021-01-01\ninput age: int \"<i>age</i>\"\nclause c \"<script>alert(1)</script>\" {\n  eligible if age >= 18\n  benefit amount = 100 yuan\n}\n",
    )
    .expect("write");
    let case = dir.path().join("case.json");
    std::fs::write(&case, r#"{"today": "2021-06-01", "age": 20}"#).expect("write");
    let args = |format: &'static str| {
        vec![
            "eval".to_string(),
            pkg.display().to_string(),
            "--case".into(),
            case.display().to_string(),
            "--format".into(),
            format.into(),
        ]
    };
    let run = |format| {
        let a = args(format);
        let a: Vec<&str> = a.iter().map(String::as_str).collect();
        let out = pol(&a);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let html = run("html");
    assert!(!html.contains("<script>alert"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(
        html.contains("&lt;b&gt;Bold&lt;/b&gt; &amp; *starred*"),
        "{html}"
    );
    assert!(html.contains("In all: 100.00 yuan"), "{html}");
    let md = run("markdown");
    assert!(md.contains(r"\<b>Bold\</b> & \*starred\* \| piped"), "{md}");
    assert!(md.contains("- \\<i>age\\</i>: 20"), "{md}");
}

#[test]
fn wrong_requests_for_a_letter_are_refused() {
    // A letter is of one case.
    let out = pol(&["eval", XUCHANG, "--cases", "x.csv", "--format", "html"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    // Of a result that does not exist: the suggestion.
    let out = pol(&[
        "eval",
        XUCHANG,
        "--case",
        SME,
        "--format",
        "html",
        "--explain",
        "hiring_subsidies.amont",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("did you mean `hiring_subsidies.amount`?"),
        "{}",
        text(&out.stderr)
    );
    // Of one result: only its clause.
    let out = pol(&[
        "eval",
        XUCHANG,
        "--case",
        SME,
        "--format",
        "markdown",
        "--explain",
        "hiring_subsidies.amount",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let md = text(&out.stdout);
    assert!(md.contains("**In all: 2000.00 yuan**"), "{md}");
    assert!(!md.contains("stabilisation_refund"), "{md}");
    // An unknown format says which there are.
    let out = pol(&["eval", XUCHANG, "--format", "pdf"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("html"), "{}", text(&out.stderr));
}

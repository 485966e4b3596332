//! Lists in CSV: indexed columns (`employer.hires[0].hired_on`) and lists
//! in files of their own joined by a key (`--list employer.hires=hires.csv
//! --key id`), each held equal to the same cases as JSONL; and header errors
//! whose suggestion is a header that works.

mod common;
use common::{pol, text};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

const XUCHANG: &str = "policies/xuchang-2021";
const RESULTS: &str = "hiring_subsidies,hire_tax_deduction";

fn write(dir: &Path, name: &str, body: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).expect("write");
    p
}

fn run(args: &[&str]) -> std::process::Output {
    pol(args)
}

/// `pol eval XUCHANG --cases FILE EXTRA… --results RESULTS`, which must succeed.
fn batch(cases: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["eval", XUCHANG, "--cases", cases.to_str().expect("a path")];
    args.extend_from_slice(extra);
    args.extend(["--results", RESULTS]);
    let out = run(&args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    out
}

/// Every result of each JSONL row has the same cell in the CSV row.
fn assert_same_rows(csv: &[Vec<(String, String)>], jsonl: &[Vec<(String, String)>]) {
    assert_eq!(csv.len(), jsonl.len(), "a row for every case");
    for (c, j) in csv.iter().zip(jsonl) {
        for (key, v) in j {
            let cv = c.iter().find(|(k, _)| k == key).map(|(_, v)| v.clone());
            assert_eq!(cv.as_deref(), Some(v.as_str()), "{key} in {c:?}");
        }
    }
}

/// The results of a batch by row, as JSON objects of result → cell.
fn csv_rows(out: &std::process::Output) -> Vec<Vec<(String, String)>> {
    let t = text(&out.stdout);
    let mut lines = t.lines();
    let header: Vec<String> = lines
        .next()
        .expect("a header")
        .split(',')
        .map(str::to_string)
        .collect();
    lines
        .map(|l| {
            // The cells compared here hold no commas.
            header
                .iter()
                .cloned()
                .zip(l.split(',').map(str::to_string))
                .collect()
        })
        .collect()
}

fn jsonl_rows(out: &std::process::Output) -> Vec<Vec<(String, String)>> {
    text(&out.stdout)
        .lines()
        .map(|l| {
            let j: Json = serde_json::from_str(l).expect("a JSON line");
            let mut row = vec![("row".to_string(), j["row"].to_string())];
            for key in RESULTS.split(',').flat_map(result_keys) {
                let v = match &j["results"][&key] {
                    Json::String(s) => s.clone(),
                    Json::Null => String::new(),
                    v => v.to_string(),
                };
                row.push((key, v));
            }
            row
        })
        .collect()
}

fn result_keys(clause: &str) -> Vec<String> {
    match clause {
        "hiring_subsidies" => vec![
            "hiring_subsidies.hires".into(),
            "hiring_subsidies.amount".into(),
            "hiring_subsidies.social_insurance".into(),
        ],
        _ => vec!["hire_tax_deduction.relief".into()],
    }
}

/// A hire as JSON and as the cells of its fields, in `FIELDS` order.
const FIELDS: [&str; 12] = [
    "hired_on",
    "registered_unemployed",
    "unemployed_since",
    "graduate",
    "graduated_on",
    "contract_term",
    "social_insurance_paid",
    "employer_si_monthly",
    "si_months",
    "group",
    "certificate",
    "certificate_marked",
];

/// A varied hire, from a seed: some fields left out.
fn hire(seed: u64) -> Vec<String> {
    let r = seed
        .wrapping_mul(6364136223846793005)
        .wrapping_add(1442695040888963407)
        >> 33;
    let month = 1 + r % 12;
    vec![
        format!("2020-{month:02}-01"),
        ["true", "false"][(r >> 4) as usize % 2].into(),
        if r.is_multiple_of(3) {
            String::new()
        } else {
            "2019-05-10".into()
        },
        ["true", "false"][(r >> 6) as usize % 2].into(),
        "2020-06-30".into(),
        ["6 months", "1 year", "3 years"][(r >> 8) as usize % 3].into(),
        ["true", "false", ""][(r >> 10) as usize % 3].into(),
        format!("{}.50", 500 + r % 400),
        (1 + r % 12).to_string(),
        ["registered_unemployed_certificate_holder", "none"][(r >> 12) as usize % 2].into(),
        ["employment_entrepreneurship", "none"][(r >> 14) as usize % 2].into(),
        ["true", "false"][(r >> 16) as usize % 2].into(),
    ]
}

fn hire_json(cells: &[String]) -> String {
    let fields: Vec<String> = FIELDS
        .iter()
        .zip(cells)
        .filter(|(_, c)| !c.is_empty())
        .map(|(f, c)| {
            let v = match *f {
                "registered_unemployed"
                | "graduate"
                | "social_insurance_paid"
                | "certificate_marked"
                | "si_months" => c.clone(),
                _ => format!("\"{c}\""),
            };
            format!("\"{f}\": {v}")
        })
        .collect();
    format!("{{{}}}", fields.join(", "))
}

/// Enterprises with 0–4 hires each.
fn population(n: u64) -> Vec<(String, Vec<Vec<String>>)> {
    (0..n)
        .map(|i| {
            let size = ["micro", "small", "medium", "large"][(i % 4) as usize].to_string();
            let hires = (0..(i * 7 % 5)).map(|k| hire(i * 10 + k)).collect();
            (size, hires)
        })
        .collect()
}

fn as_jsonl(pop: &[(String, Vec<Vec<String>>)]) -> String {
    pop.iter()
        .map(|(size, hires)| {
            let hires: Vec<String> = hires.iter().map(|h| hire_json(h)).collect();
            format!(
                "{{\"today\": \"2020-12-31\", \"employer\": {{\"size\": \"{size}\", \"hires\": [{}]}}}}\n",
                hires.join(", ")
            )
        })
        .collect()
}

#[test]
fn indexed_columns_give_the_same_results_as_jsonl() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    // Only enterprises with at least one hire: a row with none leaves the
    // list unknown, where the JSONL case says `[]`.
    let pop: Vec<_> = population(60)
        .into_iter()
        .filter(|(_, h)| !h.is_empty())
        .collect();
    let most = pop.iter().map(|(_, h)| h.len()).max().unwrap_or(0);
    let mut header = vec!["today".to_string(), "employer.size".to_string()];
    for i in 0..most {
        for f in FIELDS {
            header.push(format!("employer.hires[{i}].{f}"));
        }
    }
    let mut csv = header.join(",") + "\n";
    for (size, hires) in &pop {
        let mut cells = vec!["2020-12-31".to_string(), size.clone()];
        for i in 0..most {
            match hires.get(i) {
                Some(h) => cells.extend(h.iter().cloned()),
                None => cells.extend(std::iter::repeat_n(String::new(), FIELDS.len())),
            }
        }
        csv.push_str(&cells.join(","));
        csv.push('\n');
    }
    let csv = write(dir.path(), "enterprises.csv", &csv);
    let jsonl = write(dir.path(), "enterprises.jsonl", &as_jsonl(&pop));
    let csv_rows = csv_rows(&batch(&csv, &[]));
    let json_rows = jsonl_rows(&batch(&jsonl, &[]));
    assert_eq!(csv_rows.len(), pop.len());
    assert_same_rows(&csv_rows, &json_rows);
    // Somebody is paid, or the comparison proves little.
    assert!(csv_rows.iter().any(|r| {
        r.iter()
            .any(|(k, v)| k == "hiring_subsidies.amount" && v != "0.00")
    }));
}

#[test]
fn a_list_file_joined_by_a_key_gives_the_same_results_as_jsonl() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let pop = population(40);
    let mut cases = "id,today,employer.size\n".to_string();
    let mut hires = format!("id,{}\n", FIELDS.join(","));
    for (i, (size, hs)) in pop.iter().enumerate() {
        cases.push_str(&format!("E{i},2020-12-31,{size}\n"));
        for h in hs {
            hires.push_str(&format!("E{i},{}\n", h.join(",")));
        }
    }
    // The hires in another order than the enterprises: a join, not a zip.
    let mut lines: Vec<&str> = hires.lines().collect();
    let head = lines.remove(0);
    lines.sort_by_key(|l| std::cmp::Reverse(l.split(',').next().map(str::to_string)));
    let hires = format!("{head}\n{}\n", lines.join("\n"));
    let cases = write(dir.path(), "enterprises.csv", &cases);
    let hires = write(dir.path(), "hires.csv", &hires);
    let jsonl = write(dir.path(), "enterprises.jsonl", &as_jsonl(&pop));
    let list = format!("employer.hires={}", hires.display());
    let csv_rows = csv_rows(&batch(&cases, &["--list", &list, "--key", "id"]));
    let json_rows = jsonl_rows(&batch(&jsonl, &[]));
    assert_eq!(csv_rows.len(), pop.len(), "a row for every case");
    assert_same_rows(&csv_rows, &json_rows);
    // An enterprise without rows has no hires: 0, not undetermined.
    let none = pop
        .iter()
        .position(|(_, h)| h.is_empty())
        .expect("one without hires");
    assert!(
        csv_rows[none].contains(&("hiring_subsidies.hires".into(), "0".into())),
        "{:?}",
        csv_rows[none]
    );
}

#[test]
fn list_files_that_cannot_be_joined_are_refused() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let cases = write(
        dir.path(),
        "e.csv",
        "id,employer.size\nE1,small\nE1,small\nE2,small\n,small\n",
    );
    let hires = write(
        dir.path(),
        "h.csv",
        "id,hired_on,contract_term\nE1,2020-01-01,1 year\nE2,2020-01-01,1 yr\n",
    );
    let list = format!("employer.hires={}", hires.display());
    let c = cases.to_str().unwrap();
    // A key two cases give, an empty key, a bad cell of the case's list.
    let out = run(&[
        "eval",
        XUCHANG,
        "--cases",
        c,
        "--list",
        &list,
        "--key",
        "id",
        "--results",
        "hiring_subsidies",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let t = text(&out.stdout);
    let rows: Vec<&str> = t.lines().skip(1).collect();
    assert_eq!(rows.len(), 4, "a row for every case: {t}");
    assert!(
        rows[0].contains("pol::batch::key") && rows[0].contains("rows 1, 2"),
        "{t}"
    );
    assert!(rows[1].contains("pol::batch::key"), "{t}");
    assert!(
        rows[2].contains("h.csv` row 2") && rows[2].contains("1 yr"),
        "{t}"
    );
    assert!(rows[3].contains("has no `id`"), "{t}");

    // Hires whose enterprise is not among the cases: nothing is evaluated.
    let orphans = write(
        dir.path(),
        "o.csv",
        "id,hired_on\nE1,2020-01-01\nE7,2020-01-01\nE8,2020-02-01\n",
    );
    let list = format!("employer.hires={}", orphans.display());
    let out = run(&[
        "eval", XUCHANG, "--cases", c, "--list", &list, "--key", "id",
    ]);
    assert_eq!(out.status.code(), Some(1));
    let e = text(&out.stderr);
    assert!(
        e.contains("pol::batch::list") && e.contains("2 rows name no case"),
        "{e}"
    );
    assert!(
        e.contains("`E7` (row 2)") && e.contains("`E8` (row 3)"),
        "{e}"
    );
    assert!(text(&out.stdout).is_empty(), "nothing was evaluated");

    // The request itself.
    for (args, needle) in [
        (
            vec!["--list", "employer.hires=h.csv"],
            "--list needs --key COLUMN",
        ),
        (
            vec!["--list", "employer.hirez=h.csv", "--key", "id"],
            "did you mean `hires`?",
        ),
        (
            vec!["--list", "employer.size=h.csv", "--key", "id"],
            "not a list",
        ),
        (
            vec!["--list", "employer.hires", "--key", "id"],
            "write LIST=FILE",
        ),
        (
            vec!["--list", "employer.hires=h.csv", "--key", "nope"],
            "no column `nope`",
        ),
    ] {
        let mut all = vec!["eval", XUCHANG, "--cases", c];
        all.extend(args.iter().copied());
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_pol"))
            .env("LC_ALL", "C")
            .current_dir(dir.path())
            .args(all.iter().map(|a| {
                if *a == c || *a == XUCHANG {
                    std::fs::canonicalize(a)
                        .map(|p| p.display().to_string())
                        .unwrap_or(a.to_string())
                } else {
                    a.to_string()
                }
            }))
            .output()
            .expect("pol runs");
        assert!(!out.status.success(), "{args:?}");
        assert!(
            text(&out.stderr).contains(needle),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    // A column of the list's file that is no field of a hire.
    let bad = write(dir.path(), "b.csv", "id,contract_trem\nE1,1 year\n");
    let list = format!("employer.hires={}", bad.display());
    let out = run(&[
        "eval", XUCHANG, "--cases", c, "--list", &list, "--key", "id",
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("did you mean `contract_term`?"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn a_row_gives_its_items_from_the_first_on() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let csv = write(
        dir.path(),
        "e.csv",
        "employer.size,employer.hires[0].hired_on,employer.hires[1].hired_on\nsmall,2020-01-01,\nsmall,,2020-01-01\nsmall,,\n",
    );
    let out = run(&[
        "eval",
        XUCHANG,
        "--cases",
        csv.to_str().unwrap(),
        "--results",
        "hiring_subsidies.hires",
    ]);
    let t = text(&out.stdout);
    let rows: Vec<&str> = t.lines().skip(1).collect();
    assert_eq!(rows.len(), 3, "{t}");
    assert!(!rows[0].contains("error"), "{t}");
    assert!(
        rows[1].contains("pol::batch::items") && rows[1].contains("employer.hires[0]"),
        "{t}"
    );
    // No item given: the list is unknown, as an empty cell is.
    assert!(
        rows[2].contains("employer.hires") && !rows[2].contains("error"),
        "{t}"
    );
}

/// The first header a message suggests: the first `…` span of a message
/// that names a fact path with a `.`.
fn suggestion(message: &str, wrong: &str) -> Option<String> {
    message
        .split('`')
        .skip(1)
        .step_by(2)
        .filter(|s| *s != wrong && !message.contains(&format!("`{s}` is a list")))
        .find(|s| s.contains('.') && s.contains("[0]") || s.starts_with("employer."))
        .map(str::to_string)
        .filter(|s| !s.contains("FIELD"))
}

#[test]
fn a_wrong_header_is_answered_with_a_header_that_works() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for wrong in [
        "employer.hires",
        "employer.hires.contract_term",
        "employer.hires[0]",
        "employer",
        "employer.hires[0].contract_trem",
    ] {
        let csv = write(dir.path(), "w.csv", &format!("{wrong}\n\n"));
        let out = run(&["eval", XUCHANG, "--cases", csv.to_str().unwrap()]);
        assert_eq!(out.status.code(), Some(1), "{wrong}");
        let e = text(&out.stderr);
        assert!(e.contains("pol::batch::header"), "{wrong}: {e}");
        let fixed = match wrong {
            // The spelling suggestion is a field's name.
            "employer.hires[0].contract_trem" => {
                assert!(e.contains("did you mean `contract_term`?"), "{e}");
                "employer.hires[0].contract_term".to_string()
            }
            _ => suggestion(e.lines().next().unwrap_or(""), wrong)
                .unwrap_or_else(|| panic!("{wrong}: no header suggested: {e}")),
        };
        let csv = write(dir.path(), "f.csv", &format!("{fixed}\n\n"));
        let out = run(&["eval", XUCHANG, "--cases", csv.to_str().unwrap()]);
        assert!(
            !text(&out.stderr).contains("pol::batch::header"),
            "{wrong} → {fixed}: {}",
            text(&out.stderr)
        );
    }
    // In Chinese too.
    let csv = write(dir.path(), "w.csv", "employer.hires.contract_term\n\n");
    let out = common::pol_command()
        .args([
            "eval",
            XUCHANG,
            "--cases",
            csv.to_str().unwrap(),
            "--lang",
            "zh",
        ])
        .output()
        .expect("pol runs");
    let e = text(&out.stderr);
    assert!(
        e.contains("是列表，一列给出其中一项的一个字段：`employer.hires[0].contract_term`"),
        "{e}"
    );
}

//! `pol diff OLD NEW --cases FILE`: two versions of the Xuchang package
//! (the hiring subsidy raised from 1000 to 1500 yuan, medium enterprises no
//! longer counted as SMEs) over a generated population whose answers are
//! computed here, independently of Pol; versions from git; every wrong
//! input; and the HTML report in a real headless browser.

mod common;

use common::{pol, pol_command, text};
use serde_json::Value as Json;
use std::path::{Path, PathBuf};

const XUCHANG: &str = "policies/xuchang-2021";

/// The Xuchang package with the subsidy at 1500 yuan and SMEs without
/// medium enterprises.
fn changed_xuchang() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    for entry in std::fs::read_dir(XUCHANG).expect("the package") {
        let p = entry.expect("an entry").path();
        if p.is_file() {
            let mut text = std::fs::read_to_string(&p).unwrap_or_default();
            if p.file_name()
                .is_some_and(|n| n == "01-support-enterprises.pol")
            {
                let before = text.clone();
                text = text
                    .replace(
                        "  benefit amount = 1000 yuan\n",
                        "  benefit amount = 1500 yuan\n",
                    )
                    .replace(
                        "let sme = employer.size in {micro, small, medium}",
                        "let sme = employer.size in {micro, small}",
                    );
                assert_eq!(
                    text.matches("1500 yuan").count(),
                    before.matches("1500 yuan").count() + 1,
                    "the subsidy is raised in one place"
                );
                assert_eq!(text.matches("in {micro, small}\n").count(), 1);
            }
            std::fs::write(dir.path().join(p.file_name().expect("a name")), text).expect("write");
        }
    }
    dir
}

fn mix(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

const SIZES: [&str; 4] = ["micro", "small", "medium", "large"];

/// One enterprise of the population: its size and, per hire, whether the
/// hire qualifies for [1b] (registered unemployed for more than six months,
/// a two-year contract, insurance paid) or not (a six-month contract, or
/// unemployed for only two months).
struct Enterprise {
    size: &'static str,
    qualifying: Vec<bool>,
}

fn population(n: u64) -> Vec<Enterprise> {
    (0..n)
        .map(|i| {
            let size = SIZES[(mix(i * 8) % 4) as usize];
            let hires = 1 + mix(i * 8 + 1) % 4;
            let qualifying = (0..hires)
                .map(|j| mix(i * 64 + j * 8 + 2).is_multiple_of(3))
                .collect();
            Enterprise { size, qualifying }
        })
        .collect()
}

fn hire_json(qualifies: bool, j: usize) -> String {
    let (since, term) = match (qualifies, j % 2) {
        (true, _) => ("2019-01-01", "2 years"),
        (false, 0) => ("2019-01-01", "6 months"),
        (false, _) => ("2020-03-01", "2 years"),
    };
    format!(
        r#"{{"hired_on":"2020-05-01","registered_unemployed":true,"unemployed_since":"{since}","graduate":false,"contract_term":"{term}","social_insurance_paid":true,"employer_si_monthly":"400.00","si_months":6,"months_in_year":8,"relief_start":"2020-05-01","employed_since_leaving":false,"group":"none","certificate":"none","certificate_marked":false}}"#
    )
}

fn population_jsonl(people: &[Enterprise]) -> String {
    let mut out = String::new();
    for (i, e) in people.iter().enumerate() {
        let hires: Vec<String> = e
            .qualifying
            .iter()
            .enumerate()
            .map(|(j, q)| hire_json(*q, j))
            .collect();
        out.push_str(&format!(
            r#"{{"today":"2020-12-31","employer":{{"size":"{}","employees":{},"hires":[{}]}}}}"#,
            e.size,
            10 + i,
            hires.join(",")
        ));
        out.push('\n');
    }
    out
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("write");
    p
}

/// `pol diff OLD NEW --cases CASES EXTRA…`
fn diff(old: &str, new: &str, cases: &Path, extra: &[&str]) -> std::process::Output {
    let mut args = vec!["diff", old, new, "--cases", cases.to_str().expect("a path")];
    args.extend_from_slice(extra);
    pol(&args)
}

fn json_of(out: &std::process::Output) -> Json {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "JSON on stdout ({e}):\n{}\n{}",
            text(&out.stdout),
            text(&out.stderr)
        )
    })
}

fn result<'j>(report: &'j Json, key: &str) -> &'j Json {
    report["results"]
        .as_array()
        .expect("results")
        .iter()
        .find(|r| r["result"] == key)
        .unwrap_or_else(|| panic!("no result {key} in {report}"))
}

fn yuan(fen: i64) -> String {
    let sign = if fen < 0 { "-" } else { "" };
    format!("{sign}{}.{:02}", fen.abs() / 100, fen.abs() % 100)
}

#[test]
fn a_raised_subsidy_and_a_narrower_threshold_cost_what_the_population_says() {
    let new = changed_xuchang();
    let people = population(400);
    let work = tempfile::tempdir().expect("a temporary directory");
    let cases = write(work.path(), "population.jsonl", &population_jsonl(&people));
    let new_path = new.path().to_str().expect("a path");
    let out = diff(
        XUCHANG,
        new_path,
        &cases,
        &[
            "--results",
            "hiring_subsidies",
            "--by",
            "employer.size",
            "--format",
            "json",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = json_of(&out);

    // The same population, computed here.
    let sme_before = |s: &str| matches!(s, "micro" | "small" | "medium");
    let sme_after = |s: &str| matches!(s, "micro" | "small");
    let (mut before, mut after, mut si_before, mut si_after) = (0i64, 0i64, 0i64, 0i64);
    let (mut gained, mut lost, mut changed) = (0u64, 0u64, 0u64);
    let mut gains: Vec<(i64, u64)> = Vec::new();
    for (i, e) in people.iter().enumerate() {
        let q = e.qualifying.iter().filter(|q| **q).count() as i64;
        let b = if sme_before(e.size) { 100_000 * q } else { 0 };
        let a = if sme_after(e.size) { 150_000 * q } else { 0 };
        before += b;
        after += a;
        si_before += if sme_before(e.size) { 240_000 * q } else { 0 };
        si_after += if sme_after(e.size) { 240_000 * q } else { 0 };
        if a > b {
            gained += 1;
            gains.push((a - b, i as u64 + 1));
        }
        if a < b {
            lost += 1;
        }
        if a != b {
            changed += 1;
        }
    }
    assert!(
        gained > 50 && lost > 20,
        "the population has both: {gained} {lost}"
    );
    assert_eq!(report["cases"], 400);
    assert_eq!(report["changed"], changed);
    let amount = result(&report, "hiring_subsidies.amount");
    assert_eq!(amount["in"], "both");
    assert_eq!(amount["total"]["before"], yuan(before));
    assert_eq!(amount["total"]["after"], yuan(after));
    assert_eq!(amount["total"]["difference"], yuan(after - before));
    assert_eq!(amount["gained"], gained);
    assert_eq!(amount["lost"], lost);
    assert_eq!(amount["stopped_being_eligible"], lost);
    assert_eq!(amount["became_undetermined"], 0);
    let si = result(&report, "hiring_subsidies.social_insurance");
    assert_eq!(si["total"]["before"], yuan(si_before));
    assert_eq!(si["total"]["after"], yuan(si_after));

    // Quantiles are amounts of actual cases, by nearest rank.
    gains.sort();
    let median = gains[gains.len().div_ceil(2) - 1].0;
    assert_eq!(amount["gains"]["cases"], gains.len());
    assert_eq!(amount["gains"]["median"], yuan(median));
    assert_eq!(
        amount["gains"]["largest"],
        yuan(gains.last().expect("gains").0)
    );
    let mut top = gains.clone();
    top.sort_by_key(|(d, row)| (std::cmp::Reverse(*d), *row));
    let rows: Vec<u64> = amount["gains"]["top"]
        .as_array()
        .expect("top")
        .iter()
        .map(|t| t["row"].as_u64().expect("a row"))
        .collect();
    assert_eq!(rows, top.iter().take(10).map(|t| t.1).collect::<Vec<_>>());

    // By size: medium enterprises lose everything, the others gain half.
    let groups = report["by"][0]["groups"].as_array().expect("groups");
    assert_eq!(report["by"][0]["fact"], "employer.size");
    for size in SIZES {
        let g = groups
            .iter()
            .find(|g| g["value"] == size)
            .unwrap_or_else(|| panic!("no group {size}"));
        let of: Vec<&Enterprise> = people.iter().filter(|e| e.size == size).collect();
        let q: i64 = of
            .iter()
            .map(|e| e.qualifying.iter().filter(|q| **q).count() as i64)
            .sum();
        assert_eq!(g["cases"], of.len());
        let t = &g["totals"]["hiring_subsidies.amount"];
        let b = if sme_before(size) { 100_000 * q } else { 0 };
        let a = if sme_after(size) { 150_000 * q } else { 0 };
        assert_eq!(t["before"], yuan(b), "{size}");
        assert_eq!(t["after"], yuan(a), "{size}");
    }

    // The text says the same for people.
    let out = diff(
        XUCHANG,
        new_path,
        &cases,
        &["--results", "hiring_subsidies"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.contains(&format!("400 cases, {changed} changed")), "{t}");
    assert!(
        t.contains(&format!(
            "total    {} → {} yuan ({}{})",
            yuan(before),
            yuan(after),
            if after > before { "+" } else { "" },
            yuan(after - before)
        )),
        "{t}"
    );
    assert!(t.contains(&format!("{gained} gained, {lost} lost")), "{t}");
}

/// `total KEY = X yuan` of a batch's summary.
fn batch_totals(stderr: &str) -> Vec<(String, String)> {
    stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("total "))
        .filter_map(|l| {
            let (k, v) = l.split_once(" = ")?;
            Some((k.to_string(), v.split(' ').next()?.to_string()))
        })
        .collect()
}

#[test]
fn the_totals_are_those_of_a_batch_of_each_version() {
    let new = changed_xuchang();
    let work = tempfile::tempdir().expect("a temporary directory");
    let cases = write(work.path(), "p.jsonl", &population_jsonl(&population(150)));
    let cases = cases.to_str().expect("a path");
    let new_path = new.path().to_str().expect("a path");
    let out = pol(&[
        "diff", XUCHANG, new_path, "--cases", cases, "--format", "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = json_of(&out);
    for (version, side) in [(XUCHANG, "before"), (new_path, "after")] {
        let batch = pol(&[
            "eval",
            version,
            "--cases",
            cases,
            "--out",
            &format!("{}/r.jsonl", work.path().display()),
        ]);
        assert!(batch.status.success(), "{}", text(&batch.stderr));
        let totals = batch_totals(&text(&batch.stderr));
        assert!(totals.len() > 20, "{}", text(&batch.stderr));
        for (key, total) in totals {
            assert_eq!(result(&report, &key)["total"][side], total, "{key} {side}");
        }
    }
}

const V1: &str = r#"input n: int "人数"
enum Zone { one, two }
input zone: Zone
clause pay "[1] 补贴" {
  eligible if n >= 1
  benefit amount = 100 yuan * n
}
"#;

const V2: &str = r#"input n: int "人数"
enum Zone { one, two }
input zone: Zone
input bonus: bool "奖励"
clause pay "[1] 补贴" {
  eligible if n >= 2
  benefit amount = if zone = Zone.two then 150 yuan * n else 100 yuan * n
}
clause extra "[2] 奖励" {
  eligible if bonus
  benefit amount = 50 yuan
}
"#;

fn small_versions() -> (tempfile::TempDir, String, String) {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let v1 = write(dir.path(), "v1.pol", V1);
    let v2 = write(dir.path(), "v2.pol", V2);
    let s = |p: PathBuf| p.to_str().expect("a path").to_string();
    (dir, s(v1), s(v2))
}

#[test]
fn a_column_of_one_version_only_is_read_by_that_version() {
    let (dir, v1, v2) = small_versions();
    let cases = write(
        dir.path(),
        "c.csv",
        "n,zone,bonus\n1,one,true\n2,two,false\n3,one,\n0,two,true\n",
    );
    let out = diff(&v1, &v2, &cases, &["--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let r = json_of(&out);
    assert_eq!(r["cases"], 4);
    let pay = result(&r, "pay.amount");
    // Row 1 stops (n = 1), row 2 gains 100 (zone two), 3 and 4 are the same.
    assert_eq!(pay["total"]["before"], "600.00");
    assert_eq!(pay["total"]["after"], "600.00");
    assert_eq!(pay["gained"], 1);
    assert_eq!(pay["lost"], 1);
    assert_eq!(pay["stopped_being_eligible"], 1);
    let eligible = result(&r, "pay.eligible");
    assert_eq!(eligible["stopped_being_eligible"], 1);
    // A result of the new version only: its total, and no per-case change.
    let extra = result(&r, "extra.amount");
    assert_eq!(extra["in"], "new");
    assert_eq!(extra["total"]["after"], "100.00");
    assert_eq!(extra["changed"], 0);
    let out = diff(&v1, &v2, &cases, &[]);
    let t = text(&out.stdout);
    assert!(t.contains("only in "), "{t}");
    assert!(
        t.contains("extra.amount (total 100.00 yuan, paid in 2 cases, 1 undetermined)"),
        "{t}"
    );

    // A case without a fact the new version needs is undetermined there.
    let cases = write(dir.path(), "d.csv", "n\n2\n");
    let out = diff(&v1, &v2, &cases, &["--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let r = json_of(&out);
    assert_eq!(result(&r, "pay.amount")["became_undetermined"], 1);
}

#[test]
fn a_fact_of_neither_version_stops_a_csv_and_fails_a_jsonl_row() {
    let (dir, v1, v2) = small_versions();
    let cases = write(dir.path(), "c.csv", "n,bonsu\n1,true\n");
    let out = diff(&v1, &v2, &cases, &[]);
    assert_eq!(out.status.code(), Some(1));
    let e = text(&out.stderr);
    assert!(
        e.contains("column 2 `bonsu`") && e.contains("in neither version"),
        "{e}"
    );
    assert!(e.contains("did you mean"), "{e}");

    let cases = write(
        dir.path(),
        "c.jsonl",
        "{\"n\": 2, \"zone\": \"two\"}\n{\"n\": 2, \"bonsu\": true}\nnot json\n{\"n\": \"two\"}\n",
    );
    let out = diff(&v1, &v2, &cases, &["--format", "json"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let r = json_of(&out);
    // Every row is counted, none dropped: three could not be read by either.
    assert_eq!(r["cases"], 4);
    assert_eq!(r["error_rows"]["old"], 3);
    assert_eq!(r["error_rows"]["new"], 3);
    assert_eq!(result(&r, "pay.amount")["failed_before"], 3);
    assert!(
        text(&out.stderr).contains("--explain-row"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn changed_cases_are_written_with_before_after_and_difference() {
    let (dir, v1, v2) = small_versions();
    let cases = write(
        dir.path(),
        "c.csv",
        "n,zone,bonus\n1,one,true\n2,two,false\n3,one,\n",
    );
    let csv = dir.path().join("changed.csv");
    let out = diff(
        &v1,
        &v2,
        &cases,
        &["--out", csv.to_str().expect("p"), "--results", "pay"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&csv).expect("the changed cases");
    assert_eq!(
        written,
        "row,pay.eligible.before,pay.eligible.after,pay.eligible.difference,pay.amount.before,pay.amount.after,pay.amount.difference\n\
         1,true,false,,100.00,0.00,-100.00\n\
         2,,,,200.00,300.00,100.00\n"
    );
    let jsonl = dir.path().join("changed.jsonl");
    let out = diff(
        &v1,
        &v2,
        &cases,
        &[
            "--out",
            jsonl.to_str().expect("p"),
            "--results",
            "pay.amount",
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let written = std::fs::read_to_string(&jsonl).expect("the changed cases");
    let lines: Vec<Json> = written
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        lines[1],
        serde_json::json!({"row": 2, "changes": {"pay.amount": {"before": "200.00", "after": "300.00", "difference": "100.00"}}})
    );
    // A workbook: amounts as numbers, bools as booleans, the same cells.
    use calamine::{Data, Reader};
    let book = dir.path().join("changed.xlsx");
    let out = diff(
        &v1,
        &v2,
        &cases,
        &["--out", book.to_str().expect("p"), "--results", "pay"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut wb = calamine::open_workbook_auto(&book).expect("the workbook");
    let sheet = wb.worksheet_range("changes").expect("the sheet");
    let rows: Vec<Vec<Data>> = sheet.rows().map(<[Data]>::to_vec).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0][0], Data::String("row".into()));
    assert_eq!(rows[1][1], Data::Bool(true));
    assert_eq!(rows[1][6], Data::Float(-100.0));
    assert_eq!(rows[2][0], Data::Float(2.0));
    assert_eq!(rows[2][5], Data::Float(300.0));
    assert_eq!(rows[2][1], Data::Empty);
}

#[test]
fn one_row_is_explained_under_both_versions_with_where_they_part() {
    let new = changed_xuchang();
    let people = population(60);
    let work = tempfile::tempdir().expect("a temporary directory");
    let cases = write(work.path(), "p.jsonl", &population_jsonl(&people));
    // A medium enterprise with a qualifying hire: it loses the subsidy.
    let row = people
        .iter()
        .position(|e| e.size == "medium" && e.qualifying.iter().any(|q| *q))
        .expect("such an enterprise")
        + 1;
    let args = |row: usize| {
        vec![
            "diff".to_string(),
            XUCHANG.to_string(),
            new.path().display().to_string(),
            "--cases".into(),
            cases.display().to_string(),
            "--results".into(),
            "hiring_subsidies.amount".into(),
            "--explain-row".into(),
            row.to_string(),
        ]
    };
    let out = pol_command().args(args(row)).output().expect("pol runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let t = text(&out.stdout);
    assert!(t.contains(&format!("row {row}: ")), "{t}");
    assert!(t.contains("≠"), "the differing nodes are marked: {t}");
    let tail = t
        .split("first difference:")
        .nth(1)
        .expect("the first difference");
    assert!(tail.contains("✓ sme") && tail.contains("✗ sme"), "{tail}");

    // A large enterprise: nothing differs.
    let same = people.iter().position(|e| e.size == "large").expect("one") + 1;
    let out = pol_command().args(args(same)).output().expect("pol runs");
    assert!(
        text(&out.stdout).contains("no result differs"),
        "{}",
        text(&out.stdout)
    );
    // There is no row 61.
    let out = pol_command().args(args(61)).output().expect("pol runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("there is no row 61"),
        "{}",
        text(&out.stderr)
    );
}

fn git(dir: &Path, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.org",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .expect("git runs");
    assert!(out.status.success(), "git {args:?}: {}", text(&out.stderr));
}

#[test]
fn versions_are_read_from_git_revisions() {
    let repo = tempfile::tempdir().expect("a temporary directory");
    let pkg = repo.path().join("policy");
    std::fs::create_dir(&pkg).expect("mkdir");
    git(repo.path(), &["init", "-q"]);
    write(&pkg, "p.pol", V1);
    git(repo.path(), &["add", "."]);
    git(repo.path(), &["commit", "-qm", "v1"]);
    write(&pkg, "p.pol", V2);
    git(repo.path(), &["commit", "-qam", "v2"]);
    let cases = write(
        repo.path(),
        "c.csv",
        "n,zone,bonus\n1,one,true\n2,two,false\n",
    );
    let run = |old: &str, new: &str| {
        pol_command()
            .args([
                "diff",
                old,
                new,
                "--cases",
                cases.to_str().expect("p"),
                "--format",
                "json",
            ])
            .current_dir(repo.path())
            .output()
            .expect("pol runs")
    };
    let out = run("git:HEAD~1:policy", "git:HEAD:policy");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let r = json_of(&out);
    assert_eq!(r["old"], "git:HEAD~1:policy");
    assert_eq!(result(&r, "pay.amount")["gained"], 1);
    // A file at a revision, and the working tree.
    let out = run("git:HEAD~1:policy/p.pol", "policy");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(result(&json_of(&out), "pay.amount")["lost"], 1);
    // From a directory inside the repository: paths from its top, or from
    // here with `./`.
    for old in ["git:HEAD~1:policy", "git:HEAD~1:./p.pol"] {
        let out = pol_command()
            .args([
                "diff",
                old,
                "p.pol",
                "--cases",
                cases.to_str().expect("p"),
                "--format",
                "json",
            ])
            .current_dir(&pkg)
            .output()
            .expect("pol runs");
        assert!(out.status.success(), "{old}: {}", text(&out.stderr));
        assert_eq!(result(&json_of(&out), "pay.amount")["gained"], 1, "{old}");
    }
    // No such revision, no such path, not a repository.
    for (old, said) in [
        ("git:nope:policy", "there is no revision `nope`"),
        ("git:HEAD:elsewhere", "there is no `elsewhere` at HEAD"),
        ("git:HEAD", "names no path"),
    ] {
        let out = run(old, "policy");
        assert_eq!(out.status.code(), Some(2), "{old}");
        assert!(
            text(&out.stderr).contains(said),
            "{old}: {}",
            text(&out.stderr)
        );
    }
    let elsewhere = tempfile::tempdir().expect("a directory in no repository");
    let out = pol_command()
        .args(["diff", "git:HEAD:policy", "p.pol", "--cases", "c.csv"])
        .current_dir(elsewhere.path())
        .output()
        .expect("pol runs");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("in no git repository"),
        "{}",
        text(&out.stderr)
    );
    // Errors in a version at a revision name its files as git does.
    write(
        &pkg,
        "p.pol",
        "input n: int\nclause c { benefit amount = n yuan }\n",
    );
    git(repo.path(), &["commit", "-qam", "broken"]);
    let out = run("git:HEAD:policy", "git:HEAD~1:policy");
    assert_eq!(out.status.code(), Some(1));
    let e = text(&out.stderr);
    assert!(
        e.contains("the old version `git:HEAD:policy` has errors"),
        "{e}"
    );
    assert!(e.contains("HEAD:policy/p.pol"), "{e}");
}

#[test]
fn wrong_requests_are_refused_before_any_work() {
    let (dir, v1, v2) = small_versions();
    let cases = write(dir.path(), "c.csv", "n,zone\n1,one\n");
    let c = cases.to_str().expect("p");
    for (extra, code, said) in [
        (
            vec!["--by", "n"],
            2,
            "a breakdown is by a fact of a few values",
        ),
        (
            vec!["--by", "nope"],
            2,
            "--by `nope` is a fact of neither version",
        ),
        (vec!["--results", "nope"], 2, "there is no result `nope`"),
        (vec!["--plot", "chart.png"], 2, "the chart is drawn as SVG"),
        (vec!["--out", c], 2, "is the cases file itself"),
        (
            vec!["--out", "changed.txt"],
            2,
            "written as .csv, .jsonl or .xlsx",
        ),
    ] {
        let mut args = vec!["diff", &v1, &v2, "--cases", c];
        args.extend(extra.iter().copied());
        let out = pol(&args);
        assert_eq!(
            out.status.code(),
            Some(code),
            "{extra:?}: {}",
            text(&out.stderr)
        );
        assert!(
            text(&out.stderr).contains(said),
            "{extra:?}: {}",
            text(&out.stderr)
        );
    }
    let out = pol(&["diff", &v1, "/nonexistent", "--cases", c]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("new version"),
        "{}",
        text(&out.stderr)
    );
    let broken = write(
        dir.path(),
        "b.pol",
        "input n: int\nclause c { benefit amount = n yuan }\n",
    );
    let out = pol(&["diff", broken.to_str().expect("p"), &v2, "--cases", c]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("the old version"),
        "{}",
        text(&out.stderr)
    );
    // A breakdown by a fact of one version only is read from that version.
    let out = pol(&[
        "diff", &v1, &v2, "--cases", c, "--by", "bonus", "--format", "json",
    ]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(json_of(&out)["by"][0]["groups"][0]["value"], "(unknown)");
}

#[test]
fn the_report_and_its_chart_render_in_a_headless_browser() {
    let new = changed_xuchang();
    let work = tempfile::tempdir().expect("a temporary directory");
    let cases = write(work.path(), "p.jsonl", &population_jsonl(&population(300)));
    let svg = work.path().join("chart.svg");
    let out = diff(
        XUCHANG,
        new.path().to_str().expect("p"),
        &cases,
        &[
            "--results",
            "hiring_subsidies",
            "--by",
            "employer.size",
            "--format",
            "html",
            "--plot",
            svg.to_str().expect("p"),
        ],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let html = work.path().join("report.html");
    std::fs::write(&html, &out.stdout).expect("write the report");
    let chart = std::fs::read_to_string(&svg).expect("the chart");
    assert!(
        chart.contains("<svg") && chart.contains("hiring_subsidies.amount"),
        "{chart}"
    );
    let Some(browser) = common::chromium() else {
        eprintln!(
            "skipped: no Chromium here (`apt-get install chromium`, as .ci/run does) to render the report"
        );
        return;
    };
    let profile = work.path().join("profile");
    let url = format!("file://{}", html.display());
    let dom = common::headless(&browser, &profile, &["--dump-dom", &url]);
    assert!(dom.status.success(), "{}", text(&dom.stderr));
    let dom = text(&dom.stdout);
    for needle in [
        "What the change does",
        "hiring_subsidies.amount",
        "一次性吸纳就业补贴",
        "Largest changes of",
        "By <code>employer.size</code>",
        "<svg",
        "<rect",
    ] {
        assert!(dom.contains(needle), "the page has {needle:?}:\n{dom}");
    }
    let png = work.path().join("report.png");
    common::assert_screenshot(&browser, &profile, &url, (1100, 1400), &png);
}

/// Rows of the small versions: every cell kind, empty cells, bad cells.
fn small_rows(n: u64, jsonl: bool) -> String {
    let mut out = String::new();
    if !jsonl {
        out.push_str("n,zone,bonus\n");
    }
    for i in 0..n {
        let r = mix(i);
        let count = match r % 11 {
            0 => String::new(),
            1 => "x".to_string(),
            k => ((k + r / 11 % 5) as i64 - 3).to_string(),
        };
        let zone = ["one", "two", "", "three"][(r >> 8) as usize % 4];
        let bonus = ["true", "false", ""][(r >> 16) as usize % 3];
        if jsonl {
            let mut fields = Vec::new();
            if !count.is_empty() {
                fields.push(format!("\"n\": {count}"));
            }
            if !zone.is_empty() {
                fields.push(format!("\"zone\": \"{zone}\""));
            }
            if !bonus.is_empty() {
                fields.push(format!("\"bonus\": {bonus}"));
            }
            out.push_str(&format!("{{{}}}\n", fields.join(", ")));
        } else {
            out.push_str(&format!("{count},{zone},{bonus}\n"));
        }
    }
    out
}

#[test]
fn rows_by_columns_compare_as_rows_one_by_one_do() {
    use pol::batch::Format;
    use pol::diff::Diff;
    let load = |text: &str| {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let p = write(dir.path(), "p.pol", text);
        pol::package::load(&p).unwrap_or_else(|_| panic!("checks"))
    };
    let (old, new) = (load(V1), load(V2));
    for (format, jsonl) in [(Format::Csv, false), (Format::Jsonl, true)] {
        let input = small_rows(6000, jsonl);
        let run = |row_by_row: bool| {
            let mut diff = Diff::new(("v1", &old), ("v2", &new), None, &["zone".into()], None)
                .expect("a diff");
            if row_by_row {
                diff = diff.row_by_row();
            }
            let mut out = Vec::new();
            let summary = diff
                .run(format, input.as_bytes(), Some((format, &mut out)), &|_| {})
                .expect("the diff runs");
            (
                pol::diff::report::json(&diff, &summary),
                String::from_utf8(out).expect("UTF-8"),
                summary.by_columns,
            )
        };
        let (fast, fast_out, columns) = run(false);
        let (slow, slow_out, none) = run(true);
        // A JSONL row is read by columns only if both versions know all its
        // facts (and here one version's is unknown to the other).
        if format == Format::Csv {
            assert!(columns > 1000, "rows go by columns ({columns})");
        }
        assert_eq!(none, 0);
        assert_eq!(fast, slow, "{format:?}");
        assert_eq!(fast_out, slow_out, "{format:?}");
        assert!(
            fast["error_rows"]["old"].as_u64() > Some(0),
            "bad cells are in the mix"
        );
    }
}

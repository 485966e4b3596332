//! Batches: the published checksums of the benchmark, the fast path held to
//! the row evaluator, and bad rows that become error rows.

mod common;
use common::pol;

use pol::batch::{self, Batch, BatchError, Format};

/// The benchmark's counter-based generator (benches/peers/gen_cases.py).
fn splitmix64(x: u64) -> u64 {
    let mut z = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The first `n` rows of the benchmark's cases, as CSV.
fn bench_cases(n: u64) -> String {
    enum Spec {
        Bool(u64),
        Int(u64, u64),
    }
    let spec = [
        ("enterprise_is_sme", Spec::Bool(80)),
        ("registered_unemployed_months", Spec::Int(0, 24)),
        ("is_college_graduate", Spec::Bool(35)),
        ("years_since_leaving_school", Spec::Int(0, 3)),
        ("employed_since_leaving_school", Spec::Bool(30)),
        ("contract_months", Spec::Int(1, 36)),
        ("social_insurance_paid", Spec::Bool(85)),
        ("employer_si_monthly", Spec::Int(300, 1500)),
        ("si_months_covered", Spec::Int(1, 24)),
        ("is_poverty_registered", Spec::Bool(10)),
        ("has_employment_certificate", Spec::Bool(50)),
        ("vat_due", Spec::Int(0, 4000)),
        ("urban_construction_tax_due", Spec::Int(0, 280)),
        ("education_surcharge_due", Spec::Int(0, 120)),
        ("local_education_surcharge_due", Spec::Int(0, 80)),
        ("corporate_income_tax_due", Spec::Int(0, 6000)),
    ];
    let mut out = String::from("case_id");
    for (name, _) in &spec {
        out.push(',');
        out.push_str(name);
    }
    out.push('\n');
    for row in 0..n {
        out.push_str(&row.to_string());
        for (col, (_, s)) in spec.iter().enumerate() {
            let u = splitmix64(
                (42u64 << 40)
                    .wrapping_add(row << 8)
                    .wrapping_add(col as u64),
            );
            let v = match s {
                Spec::Bool(pct) => u64::from(u % 100 < *pct),
                Spec::Int(lo, hi) => lo + u % (hi - lo + 1),
            };
            out.push(',');
            out.push_str(&v.to_string());
        }
        out.push('\n');
    }
    out
}

fn checked(path: &str) -> pol::check::Checked {
    pol::package::load(std::path::Path::new(path)).unwrap_or_else(|_| panic!("{path} checks"))
}

fn run(batch: &Batch, format: Format, input: &str) -> (String, batch::Summary) {
    let mut out = Vec::new();
    let summary = match batch::run(batch, format, input.as_bytes(), &mut out, &|_| {}) {
        Ok(s) => s,
        Err(BatchError::Io(e)) => panic!("{e}"),
        Err(BatchError::Header(e)) => panic!("{e:?}"),
        Err(BatchError::Interrupted(n)) => panic!("interrupted after {n} rows"),
    };
    (String::from_utf8(out).expect("UTF-8 output"), summary)
}

#[test]
fn the_benchmark_totals_match_the_published_checksums() {
    let checked = checked("benches/hiring");
    let cases = bench_cases(10_000);
    let batch = Batch::new(&checked, None);
    let (out, summary) = run(&batch, Format::Csv, &cases);
    assert_eq!(summary.cases, 10_000);
    assert_eq!(summary.errors, 0);
    // benches/peers/README.md: Σ A = 34,459,604 (3,702 rows > 0),
    // Σ B = 13,178,773 (2,556 rows > 0), in whole yuan.
    let keys: Vec<&str> = batch.plan.results.iter().map(|s| s.key.as_str()).collect();
    let a = keys
        .iter()
        .position(|k| *k == "hiring_subsidy.amount")
        .expect("rule A");
    let b = keys
        .iter()
        .position(|k| *k == "tax_deduction.amount")
        .expect("rule B");
    assert_eq!(summary.totals[a], 34_459_604 * 100);
    assert_eq!(summary.totals[b], 13_178_773 * 100);
    let positive = |col: usize| {
        out.lines()
            .skip(1)
            .filter(|l| l.split(',').nth(col + 1).is_some_and(|c| c != "0.00"))
            .count()
    };
    assert_eq!(positive(a), 3_702);
    assert_eq!(positive(b), 2_556);
}

#[test]
fn the_fast_path_gives_exactly_what_the_row_evaluator_gives() {
    let checked = checked("benches/hiring");
    // Real rows, with some made unusual so that blocks mix both paths.
    let mut cases = bench_cases(6_000);
    cases = cases
        .lines()
        .enumerate()
        .map(|(i, l)| match i {
            17 => l.replacen(",1,", ",,", 1),
            2_500 => l.replacen(",0,", ",\"0\",", 1),
            4_099 => format!("{l},extra"),
            _ => l.to_string(),
        })
        .collect::<Vec<_>>()
        .join("\n");
    let fast = Batch::new(&checked, None);
    let slow = Batch::new(&checked, None).row_by_row();
    let (a, sa) = run(&fast, Format::Csv, &cases);
    let (b, sb) = run(&slow, Format::Csv, &cases);
    assert_eq!(a, b);
    assert_eq!(sa.totals, sb.totals);
    assert_eq!(sa.errors, 1);
}

#[test]
fn the_fast_path_agrees_on_other_policies_too() {
    // Exceptions, amendments, parameters, dates, enums, decimals.
    let checked = checked("tests/batch/fast_path.pol");
    let header = "kind,start,wage,rate,age,poor";
    let mut rows = vec![header.to_string()];
    for i in 0..3_000i64 {
        let kind = ["small", "large", "micro"][(i % 3) as usize];
        let month = 1 + i % 12;
        rows.push(format!(
            "{kind},2020-{month:02}-{:02},{}.{:02},{}%,{},{}",
            1 + i % 28,
            1500 + i * 7 % 4000,
            i % 100,
            i % 30,
            16 + i % 50,
            i % 7 == 0
        ));
    }
    let cases = rows.join("\n");
    let on = pol::lang::scalar::Date::parse("2021-06-30");
    let (a, _) = run(&Batch::new(&checked, on), Format::Csv, &cases);
    let (b, _) = run(&Batch::new(&checked, on).row_by_row(), Format::Csv, &cases);
    assert_eq!(a.lines().count(), 3_001);
    assert_eq!(a, b);
}

#[test]
fn the_fast_path_refuses_values_outside_their_ranges_as_the_row_evaluator_does() {
    let checked = checked("tests/batch/ranges.pol");
    let mut rows = vec!["months,wage,rate".to_string()];
    for i in 0..2_000i64 {
        // Every 7th row a month count outside 1–36, every 11th a negative
        // wage, every 13th a rate of 1.
        let months = if i % 7 == 0 { 37 } else { 1 + i % 36 };
        let wage = if i % 11 == 0 { -5 } else { 1000 + i };
        let rate = if i % 13 == 0 { "1" } else { "0.5" };
        rows.push(format!("{months},{wage},{rate}"));
    }
    let cases = rows.join("\n");
    let (a, sa) = run(&Batch::new(&checked, None), Format::Csv, &cases);
    let (b, _) = run(
        &Batch::new(&checked, None).row_by_row(),
        Format::Csv,
        &cases,
    );
    assert_eq!(a, b);
    let outside = (0..2_000i64)
        .filter(|i| i % 7 == 0 || i % 11 == 0 || i % 13 == 0)
        .count() as u64;
    assert_eq!(sa.errors, outside);
    let first = a.lines().nth(1).expect("row 1");
    assert!(
        first.contains("error[pol::case::range]: `months`: 37 is outside its range"),
        "{first}"
    );
}

#[test]
fn bad_rows_become_error_rows_and_the_batch_goes_on() {
    let out = pol(&[
        "eval",
        "benches/hiring",
        "--cases",
        "tests/batch/bad_rows.csv",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "error rows make the exit code 1"
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(
        stdout.lines().count(),
        1 + 8,
        "one output row per input row"
    );
    insta::assert_snapshot!(format!("--- stdout\n{stdout}--- stderr\n{stderr}"));
}

#[test]
fn jsonl_cases_give_jsonl_results() {
    let out = pol(&[
        "eval",
        "benches/hiring",
        "--cases",
        "tests/batch/cases.jsonl",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    for line in stdout.lines() {
        let v: serde_json::Value = serde_json::from_str(line).expect("one JSON object per line");
        assert!(v["row"].is_u64());
    }
    insta::assert_snapshot!(format!("--- stdout\n{stdout}--- stderr\n{stderr}"));
}

#[test]
fn a_wrong_header_stops_before_any_work() {
    let dir = std::env::temp_dir().join(format!("pol-batch-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let out_file = dir.join("out.csv");
    let out = pol(&[
        "eval",
        "benches/hiring",
        "--cases",
        "tests/batch/bad_header.csv",
        "--out",
        out_file.to_str().expect("UTF-8"),
    ]);
    let written = std::fs::read_to_string(&out_file).unwrap_or_default();
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(1));
    assert!(written.is_empty(), "nothing is written: {written}");
    insta::assert_snapshot!(String::from_utf8_lossy(&out.stderr));
}

#[test]
fn one_row_of_a_batch_can_be_explained() {
    let out = pol(&[
        "eval",
        "benches/hiring",
        "--cases",
        "tests/batch/bad_rows.csv",
        "--explain-row",
        "1",
    ]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("tax_deduction.amount = 7800.00 yuan"),
        "{text}"
    );
    assert!(text.contains("sum(allocate(7800 yuan"), "{text}");
    let missing = pol(&[
        "eval",
        "benches/hiring",
        "--cases",
        "tests/batch/bad_rows.csv",
        "--explain-row",
        "99",
    ]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("there is no row 99"));
}

/// A package of two money inputs and a text, for the CSV reading tests.
fn records_package() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        dir.path().join("p.pol"),
        "input wage: money\ninput note: text\nclause c {\n  output neg = -wage\n  output n = note\n}\n",
    )
    .expect("write");
    dir
}

#[test]
fn a_quoted_cell_may_hold_line_breaks_and_no_row_is_invented() {
    let dir = records_package();
    let checked = checked(dir.path().to_str().expect("UTF-8"));
    let batch = Batch::new(&checked, None);
    let input = "wage,note\n1000,\"two\nlines\"\n2000,\"say \"\"hi\"\"\"\r\n3000,plain\r\n";
    let (out, summary) = run(&batch, Format::Csv, input);
    assert_eq!(summary.cases, 3, "{out}");
    assert_eq!(summary.errors, 0, "{out}");
    assert!(out.contains("1,-1000.00,\"two\nlines\",,\n"), "{out}");
    assert!(out.contains("2,-2000.00,\"say \"\"hi\"\"\",,\n"), "{out}");
    assert!(out.contains("3,-3000.00,plain,,\n"), "{out}");
}

#[test]
fn zero_has_no_sign_whichever_path_evaluates_it() {
    let dir = records_package();
    let checked = checked(dir.path().to_str().expect("UTF-8"));
    let input = "wage\n0\n 0\n-0\n0.00\n";
    let (fast, _) = run(&Batch::new(&checked, None), Format::Csv, input);
    let (slow, _) = run(&Batch::new(&checked, None).row_by_row(), Format::Csv, input);
    assert_eq!(fast, slow);
    assert!(!fast.contains("-0.00"), "{fast}");
}

#[test]
fn a_record_longer_than_a_read_block_stays_one_record() {
    let dir = records_package();
    let checked = checked(dir.path().to_str().expect("UTF-8"));
    let batch = Batch::new(&checked, None);
    // Longer than the 4 MiB blocks the batch reads, in CSV (with quoted line
    // breaks) and in JSONL.
    let long = "x\n".repeat(3 << 20);
    let csv = format!("note,wage\n\"{long}\",1\nshort,2\n");
    let (out, summary) = run(&batch, Format::Csv, &csv);
    assert_eq!((summary.cases, summary.errors), (2, 0));
    assert!(
        out.ends_with("2,-2.00,short,,\n"),
        "{}",
        &out[out.len() - 100..]
    );
    let jsonl = format!(
        "{}\n{{\"wage\": \"2\"}}\n",
        serde_json::json!({"note": "y".repeat(6 << 20), "wage": "1"})
    );
    let (out, summary) = run(&batch, Format::Jsonl, &jsonl);
    assert_eq!((summary.cases, summary.errors), (2, 0));
    assert!(
        out.lines()
            .last()
            .is_some_and(|l| l.starts_with("{\"row\":2,")),
        "{}",
        &out[out.len() - 100..]
    );
}

#[test]
fn totals_keep_amounts_beyond_an_i64_of_fen() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    std::fs::write(
        dir.path().join("p.pol"),
        "input wage: money\nclause c {\n  benefit pay = wage\n}\n",
    )
    .expect("write");
    let checked = checked(dir.path().to_str().expect("UTF-8"));
    let batch = Batch::new(&checked, None);
    // 10^17 yuan is 10^19 fen, past an i64 of fen.
    let (_, summary) = run(&batch, Format::Csv, "wage\n100000000000000000\n1\n");
    assert_eq!(
        summary.text(&batch).lines().nth(1).map(str::trim),
        Some("total c.pay = 100000000000000001.00 yuan")
    );
}

/// The population the benchmark generates (`benches/population/gen.py`) is
/// read without an error row, and decides the enterprise totals it is
/// measured on.
#[test]
fn the_generated_population_decides_the_enterprise_totals() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("population.jsonl");
    let made = std::process::Command::new("python3")
        .args(["benches/population/gen.py", "300"])
        .arg(&file)
        .status();
    let Ok(status) = made else {
        eprintln!("skipped: python3 is not installed");
        return;
    };
    assert!(status.success());
    let out = pol(&[
        "eval",
        "policies/xuchang-2021",
        "--cases",
        file.to_str().expect("UTF-8"),
        "--results",
        "hiring_subsidies,hire_tax_deduction",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert!(err.starts_with("300 cases, 0 error rows"), "{err}");
    assert!(!err.contains("undetermined"), "{err}");
}

#[test]
fn a_jsonl_row_is_the_single_case_json_with_its_number() {
    // Values of every kind, an undetermined result and a failing one, by the
    // row path and by the block path (`--on` gives every row one date).
    let dir = tempfile::tempdir().expect("a directory");
    std::fs::write(
        dir.path().join("p.pol"),
        "enum Size { small, large }\ninput wage: money\ninput months: int\ninput size: Size\ninput start: date\n\nclause c \"补贴\" {\n  eligible if size = small\n  benefit amount = wage * months\n  output per_month = wage / months\n  output until = start + 6 months\n  output ratio = months / 4\n  output big = size = large\n}\n",
    )
    .expect("write");
    let cases = [
        r#"{"wage": "812.40", "months": 3, "size": "small", "start": "2020-01-31"}"#,
        r#"{"wage": "100", "months": 0, "size": "large", "start": "2020-02-29"}"#,
        r#"{"wage": "1.5", "size": "small"}"#,
        r#"{"wage": "2000", "months": 12, "size": "small", "start": "2021-03-01"}"#,
    ];
    let jsonl = dir.path().join("cases.jsonl");
    std::fs::write(&jsonl, cases.join("\n") + "\n").expect("write");
    let package = dir.path().to_str().expect("UTF-8");
    for on in [None, Some("2021-06-30")] {
        let mut args = vec!["eval", package, "--cases", jsonl.to_str().expect("UTF-8")];
        args.extend(on.iter().flat_map(|d| ["--on", *d]));
        let batch = pol(&args);
        let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&batch.stdout)
            .lines()
            .map(|l| serde_json::from_str(l).expect("a JSON line"))
            .collect();
        assert_eq!(lines.len(), cases.len());
        for (k, case) in cases.iter().enumerate() {
            let file = dir.path().join(format!("case{k}.json"));
            std::fs::write(&file, case).expect("write");
            let mut args = vec![
                "eval",
                package,
                "--case",
                file.to_str().expect("UTF-8"),
                "--format",
                "json",
            ];
            args.extend(on.iter().flat_map(|d| ["--on", *d]));
            let single = pol(&args);
            let mut expected: serde_json::Value =
                serde_json::from_slice(&single.stdout).expect("JSON of one case");
            expected.as_object_mut().expect("an object").shift_insert(
                0,
                "row".into(),
                serde_json::Value::from(k as u64 + 1),
            );
            assert_eq!(lines[k], expected, "row {}", k + 1);
        }
    }
}

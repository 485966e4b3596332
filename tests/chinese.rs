//! What Chinese users type: full-width punctuation in code (a diagnostic per
//! run of it, and `pol fmt --fix`), 是/否 in a spreadsheet's bool column, and
//! layout aligned by display width.

mod common;
use common::{pol, text};

/// `pol eval PACKAGE --cases CASES EXTRA…`
fn eval_cases(
    package: &std::path::Path,
    cases: &std::path::Path,
    extra: &[&str],
) -> std::process::Output {
    let mut args = vec![
        "eval",
        package.to_str().expect("a path"),
        "--cases",
        cases.to_str().expect("a path"),
    ];
    args.extend_from_slice(extra);
    pol(&args)
}

fn write(dir: &std::path::Path, name: &str, body: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, body).expect("write");
    p
}

#[test]
fn full_width_punctuation_in_code_is_named_once_per_run_and_fixed() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write(
        dir.path(),
        "p.pol",
        "input n: int\nclause c {\n  benefit amount = min（n * 1 yuan，100 yuan）\n  output both = max(（）)\n  output label = \"写在引号里的，（没问题）\"\n}\n",
    );
    let out = pol(&["check", file.to_str().expect("p")]);
    assert_eq!(out.status.code(), Some(1));
    let e = text(&out.stderr);
    assert_eq!(e.matches("pol::syntax::full_width").count(), 4, "{e}");
    assert!(
        e.contains("full-width character `，` in code") && e.contains("write `,`"),
        "{e}"
    );
    assert!(
        e.contains("full-width characters `（）` in code") && e.contains("write `()`"),
        "{e}"
    );
    assert!(e.contains("pol fmt --fix"), "{e}");
    assert!(!e.contains("`（没问题）`"), "a quote is text: {e}");

    // `pol fmt` leaves the file; `pol fmt --fix` writes ASCII in code only.
    let out = pol(&["fmt", file.to_str().expect("p")]);
    assert_eq!(out.status.code(), Some(1));
    let good = write(
        dir.path(),
        "q.pol",
        "input n: int\nclause c {\n  benefit amount = min（n * 1 yuan，100 yuan）\n  output label = “写在引号里的，没问题”\n}\n",
    );
    let out = pol(&["fmt", "--fix", good.to_str().expect("p")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let fixed = std::fs::read_to_string(&good).expect("the file");
    assert!(fixed.contains("min(n * 1 yuan, 100 yuan)"), "{fixed}");
    assert!(fixed.contains("\"写在引号里的，没问题\""), "{fixed}");
    let out = pol(&["check", good.to_str().expect("p")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
}

#[test]
fn a_bool_column_may_say_shi_or_fou() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write(
        dir.path(),
        "p.pol",
        "input 脱贫人口: bool \"脱贫人口\"\nclause c {\n  eligible if 脱贫人口\n  benefit amount = 100 yuan\n}\n",
    );
    let cases = write(dir.path(), "c.csv", "脱贫人口\n是\n否\ntrue\n对\n");
    let out = eval_cases(&file, &cases, &[]);
    let rows = text(&out.stdout);
    let lines: Vec<&str> = rows.lines().collect();
    assert_eq!(lines[1], "1,true,100.00,,", "{rows}");
    assert_eq!(lines[2], "2,false,0.00,,", "{rows}");
    assert_eq!(lines[3], "3,true,100.00,,", "{rows}");
    assert!(lines[4].contains("是 or 否"), "{rows}");
}

#[test]
fn layout_aligns_chinese_names_by_display_width() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write(
        dir.path(),
        "p.pol",
        "record 企业 {\n  规模: int \"企业规模\"\n  新招用人数: int \"新招用人数\"\n  n: int \"n\"\n}\n",
    );
    let out = pol(&["fmt", file.to_str().expect("p")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let formatted = std::fs::read_to_string(&file).expect("the file");
    let label_columns: Vec<usize> = formatted
        .lines()
        .filter_map(|l| l.find('"').map(|i| pol::source::display_width(&l[..i])))
        .collect();
    assert_eq!(label_columns.len(), 3, "{formatted}");
    assert!(
        label_columns.iter().all(|c| *c == label_columns[0]),
        "{formatted}"
    );
}

#[test]
fn a_csv_saved_by_excel_on_chinese_windows_is_read_as_gbk() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write(
        dir.path(),
        "p.pol",
        "enum 规模 { 小型, 大型 }\ninput 企业规模: 规模\ninput 脱贫人口: bool\nclause c {\n  eligible if 企业规模 = 规模.小型 and 脱贫人口\n  benefit amount = 100 yuan\n}\n",
    );
    let (gbk, _, _) = encoding_rs::GBK.encode("企业规模,脱贫人口\n小型,是\n大型,是\n");
    let cases = dir.path().join("c.csv");
    std::fs::write(&cases, &gbk).expect("write");
    let out = eval_cases(&file, &cases, &[]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("read as GBK/GB18030"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(text(&out.stdout).lines().nth(1), Some("1,true,100.00,,"));
    // Said to be GBK: no note. Said to be UTF-8: every row fails, with the fix.
    let out = eval_cases(&file, &cases, &["--encoding", "gbk"]);
    assert!(
        out.status.success() && !text(&out.stderr).contains("note:"),
        "{}",
        text(&out.stderr)
    );
    let out = eval_cases(&file, &cases, &["--encoding", "utf-8"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("--encoding gbk"),
        "{}",
        text(&out.stderr)
    );
    // Neither UTF-8 nor GBK: refused by name, nothing evaluated.
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, [0xff, 0xff, 0xfe, b'\n']).expect("write");
    let out = eval_cases(&file, &bad, &[]);
    assert_eq!(out.status.code(), Some(1));
    let e = text(&out.stderr);
    assert!(
        e.contains("pol::batch::encoding") && e.contains("bad.csv"),
        "{e}"
    );
    assert!(out.stdout.is_empty());
}

#[test]
fn a_today_column_gives_each_row_its_own_date() {
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write(
        dir.path(),
        "p.pol",
        "input n: int\nclause c {\n  in force 2023-01-01 to 2023-06-30\n  benefit amount = 100 yuan * n\n}\n",
    );
    let cases = write(
        dir.path(),
        "c.csv",
        "today,n\n2023-03-01,2\n2023-09-01,2\n2023-13-01,2\n,2\n",
    );
    let out = eval_cases(&file, &cases, &[]);
    let rows = text(&out.stdout);
    let lines: Vec<&str> = rows.lines().collect();
    assert_eq!(lines[1], "1,true,200.00,,", "{rows}");
    assert_eq!(lines[2], "2,false,0.00,,", "{rows}");
    assert!(
        lines[3].contains("pol::case::date") && lines[3].contains("`today`"),
        "{rows}"
    );
    assert!(
        lines[4].contains("pol::eval::no_date"),
        "no date, as in a case without one: {rows}"
    );
    // --on is the date of every row.
    let out = eval_cases(&file, &cases, &["--on", "2023-03-01"]);
    let rows = text(&out.stdout);
    assert_eq!(rows.lines().nth(2), Some("2,true,200.00,,"), "{rows}");
}

#[test]
fn cases_from_a_workbook_and_results_into_one() {
    use calamine::{Data, Reader};
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = write(
        dir.path(),
        "p.pol",
        "input 人数: int\ninput 园区: bool\ninput 申请日期: date\ninput 月工资: money\nclause c {\n  eligible if 园区 and 申请日期 >= 2023-01-01\n  benefit amount = 月工资 * 人数\n}\n",
    );
    // A sheet as a person keeps it: numbers, 是/否 and true, an Excel date.
    let cases = dir.path().join("cases.xlsx");
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in ["人数", "园区", "申请日期", "月工资"].iter().enumerate() {
        sheet.write_string(0, c as u16, *h).expect("a header");
    }
    sheet.write_number(1, 0, 3.0).expect("a cell");
    sheet.write_string(1, 1, "是").expect("a cell");
    let day = rust_xlsxwriter::ExcelDateTime::from_ymd(2023, 3, 1).expect("a date");
    sheet
        .write_datetime_with_format(1, 2, &day, &date)
        .expect("a cell");
    sheet.write_number(1, 3, 812.4).expect("a cell");
    sheet.write_number(2, 0, 2.0).expect("a cell");
    sheet.write_boolean(2, 1, false).expect("a cell");
    sheet.write_string(2, 2, "2023-02-01").expect("a cell");
    sheet.write_number(2, 3, 1000.0).expect("a cell");
    book.save(&cases).expect("save the cases");

    let results = dir.path().join("results.xlsx");
    let out = eval_cases(&file, &cases, &["--out", results.to_str().expect("p")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("total c.amount = 2437.20 yuan"),
        "{}",
        text(&out.stderr)
    );
    let mut book = calamine::open_workbook_auto(&results).expect("the results");
    let range = book
        .worksheet_range_at(0)
        .expect("a sheet")
        .expect("readable");
    assert_eq!(range.get((0, 2)), Some(&Data::String("c.amount".into())));
    assert_eq!(range.get((1, 0)), Some(&Data::Float(1.0)));
    assert_eq!(range.get((1, 1)), Some(&Data::Bool(true)));
    assert_eq!(range.get((1, 2)), Some(&Data::Float(2437.2)));
    assert_eq!(range.get((2, 1)), Some(&Data::Bool(false)));
    assert_eq!(range.get((2, 2)), Some(&Data::Float(0.0)));
    // Results of JSONL cases are not written to a workbook; a broken
    // workbook is refused by name.
    let jsonl = write(dir.path(), "c.jsonl", "{\"人数\": 1}\n");
    let out = eval_cases(&file, &jsonl, &["--out", results.to_str().expect("p")]);
    assert_eq!(out.status.code(), Some(2));
    let broken = write(dir.path(), "broken.xlsx", "not a workbook");
    let out = eval_cases(&file, &broken, &[]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("broken.xlsx"),
        "{}",
        text(&out.stderr)
    );
}

//! Every input saved under `tests/fuzz/` — crashes the fuzzers found, and
//! hand-made hostile inputs — replayed through the fuzz targets' checks
//! (`pol::robust`) on every `cargo test`.

use std::path::Path;

fn inputs(dir: &str) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| {
            let p = e.expect("an entry").path();
            (
                p.display().to_string(),
                std::fs::read(&p).expect("readable"),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn programs() {
    let all = inputs("tests/fuzz/program");
    assert!(!all.is_empty());
    for (name, data) in all {
        let r = std::panic::catch_unwind(|| pol::robust::program_text(&data));
        assert!(r.is_ok(), "{name}");
    }
}

/// The same inputs as files open in an editor: `pol lsp` answers every
/// request on them without a panic.
#[test]
fn programs_in_an_editor() {
    for (name, data) in inputs("tests/fuzz/program") {
        let Ok(text) = std::str::from_utf8(&data) else {
            continue;
        };
        let r = std::panic::catch_unwind(|| pol::lsp::exercise(text));
        assert!(r.is_ok(), "{name}");
    }
    // And every file of the Xuchang package, whole and cut in two.
    for f in std::fs::read_dir("policies/xuchang-2021").expect("the package") {
        let p = f.expect("an entry").path();
        if p.extension().is_some_and(|x| x == "pol") {
            let text = std::fs::read_to_string(&p).expect("a file");
            pol::lsp::exercise(&text);
            let mut half = text.len() / 2;
            while !text.is_char_boundary(half) {
                half += 1;
            }
            pol::lsp::exercise(&text[..half]);
        }
    }
}

#[test]
fn cases() {
    let checked =
        pol::package::load(Path::new("benches/hiring")).expect("the benchmark package checks");
    let header = "case_id,enterprise_is_sme,registered_unemployed_months,is_college_graduate,years_since_leaving_school,employed_since_leaving_school,contract_months,social_insurance_paid,employer_si_monthly,si_months_covered,is_poverty_registered,has_employment_certificate,vat_due,urban_construction_tax_due,education_surcharge_due,local_education_surcharge_due,corporate_income_tax_due";
    let all = inputs("tests/fuzz/case");
    assert!(!all.is_empty());
    for (name, data) in all {
        let r = std::panic::catch_unwind(|| pol::robust::case_data(&checked, header, &data));
        assert!(r.is_ok(), "{name}");
    }
}

//! Arbitrary bytes as a JSON case and as a CSV batch against a real
//! package: an error or a result for every row, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn checked() -> &'static pol::check::Checked {
    static CHECKED: OnceLock<pol::check::Checked> = OnceLock::new();
    CHECKED.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../benches/hiring");
        pol::package::load(std::path::Path::new(dir)).unwrap_or_else(|_| panic!("{dir} checks"))
    })
}

fuzz_target!(|data: &[u8]| {
    let checked = checked();
    let plan = pol::eval::Plan::new(checked);
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(case) = pol::eval::case::from_json_text(checked.program(), text)
    {
        let _ = plan.evaluate(&case);
    }
    // As CSV: the header of the benchmark, then the fuzzed rows.
    let batch = pol::batch::Batch::new(checked, None);
    let mut input = b"case_id,enterprise_is_sme,registered_unemployed_months,is_college_graduate,years_since_leaving_school,employed_since_leaving_school,contract_months,social_insurance_paid,employer_si_monthly,si_months_covered,is_poverty_registered,has_employment_certificate,vat_due,urban_construction_tax_due,education_surcharge_due,local_education_surcharge_due,corporate_income_tax_due\n".to_vec();
    input.extend_from_slice(data);
    let rows = data.split(|&b| b == b'\n').count() as u64 - u64::from(data.ends_with(b"\n") || data.is_empty());
    let mut out = Vec::new();
    let summary = pol::batch::run(&batch, pol::batch::Format::Csv, &input[..], &mut out, &|_| {}).expect("a batch runs");
    assert_eq!(summary.cases, rows, "one output row per input row");
    // And both paths agree.
    let slow = pol::batch::Batch::new(checked, None).row_by_row();
    let mut out2 = Vec::new();
    pol::batch::run(&slow, pol::batch::Format::Csv, &input[..], &mut out2, &|_| {}).expect("a batch runs");
    assert_eq!(out, out2, "the fast path and the row evaluator differ");
});

//! Arbitrary bytes as a JSON case and as CSV rows against the benchmark
//! package: see `pol::robust`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

const HEADER: &str = "case_id,enterprise_is_sme,registered_unemployed_months,is_college_graduate,years_since_leaving_school,employed_since_leaving_school,contract_months,social_insurance_paid,employer_si_monthly,si_months_covered,is_poverty_registered,has_employment_certificate,vat_due,urban_construction_tax_due,education_surcharge_due,local_education_surcharge_due,corporate_income_tax_due";

fn checked() -> &'static pol::check::Checked {
    static CHECKED: OnceLock<pol::check::Checked> = OnceLock::new();
    CHECKED.get_or_init(|| {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../benches/hiring");
        pol::package::load(std::path::Path::new(dir)).unwrap_or_else(|_| panic!("{dir} checks"))
    })
}

fuzz_target!(|data: &[u8]| pol::robust::case_data(checked(), HEADER, data));

//! Parse, check, format and evaluate arbitrary text: see `pol::robust`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| pol::robust::program_text(data));

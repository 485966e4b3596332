//! Arbitrary text as a file open in an editor, every request of `pol lsp`
//! asked all over it: see `pol::lsp::exercise`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        pol::lsp::exercise(text);
    }
});

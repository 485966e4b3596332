//! Parse and check arbitrary text, and render every diagnostic: nothing
//! may panic or hang.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pol::diagnostic::{RenderOptions, render_all};
use pol::package::{Failure, check_sources};
use pol::source::SourceMap;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut sources = SourceMap::new();
    sources.add("fuzz.pol", None, text.to_string());
    match check_sources(sources, std::path::Path::new(".")) {
        Ok(checked) => {
            // A program that checks also formats to itself, as a program.
            if let Ok(formatted) = pol::fmt::format_source(text) {
                let (a, _) = pol::syntax::parse_module(pol::source::FileId(0), text);
                let (b, errors) = pol::syntax::parse_module(pol::source::FileId(0), &formatted);
                assert!(errors.is_empty(), "formatted text does not parse:\n{formatted}");
                assert_eq!(a, b, "formatting changed the program:\n{formatted}");
            }
            let plan = pol::eval::Plan::new(&checked);
            let _ = plan.evaluate(&pol::eval::Case::empty(checked.program()));
        }
        Err(Failure::Program(sources, diags)) => {
            let _ = render_all(&diags, &sources, RenderOptions::plain());
        }
        Err(Failure::Load(_)) => {}
    }
});

//! Parsing: text to AST, with spans (the first arrow of the pipeline).

pub mod ast;
mod parser;
pub mod scan;

pub use crate::lang::words::RESERVED;
pub use parser::{
    parse_assignment, parse_expression, parse_fact_path, parse_module, parse_modules,
};

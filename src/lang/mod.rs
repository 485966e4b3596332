//! The semantic core: what the language's values, types, operators and
//! built-in functions are, in one place. The checker types programs with it
//! and the evaluator computes with it; it imports neither, nor the syntax.

pub mod builtins;
pub mod kernel;
pub mod ops;
pub mod scalar;
pub mod types;
pub mod value;
pub mod words;

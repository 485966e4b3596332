//! Pol: a declarative language for the computable rules of policy documents.
//!
//! The pipeline, one module per arrow:
//!
//! ```text
//! source text ─▶ syntax (pest → AST with spans) ─▶ check (names, types) ─▶ Checked
//! ```

pub mod batch;
pub mod check;
pub mod cli;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod exit;
pub mod explain;
pub mod files;
pub mod fmt;
pub mod i18n;
pub mod lang;
pub mod lsp;
pub mod package;
pub mod repl;
pub mod robust;
pub mod serve;
pub mod source;
pub mod sql;
pub mod syntax;

//! Loading a package: a `.pol` file, or a directory of them.

use crate::check::{self, Checked};
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use crate::syntax;
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with the files themselves, before any program is read
/// (exit code 2).
#[derive(Debug)]
pub enum LoadError {
    NotFound(PathBuf),
    Read(PathBuf, std::io::Error),
    NotUtf8(PathBuf),
    Empty(PathBuf),
    NotPol(PathBuf),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NotFound(p) => write!(
                f,
                "`{}` does not exist: give a `.pol` file or a directory of them",
                p.display()
            ),
            LoadError::Read(p, e) => write!(f, "cannot read `{}`: {e}", p.display()),
            LoadError::NotUtf8(p) => {
                write!(f, "`{}` is not UTF-8 text: save it as UTF-8", p.display())
            }
            LoadError::Empty(p) => write!(
                f,
                "`{}` holds no `.pol` files: give a package directory or a `.pol` file",
                p.display()
            ),
            LoadError::NotPol(p) => write!(
                f,
                "`{}` is not a `.pol` file: give a `.pol` file or a directory of them",
                p.display()
            ),
        }
    }
}

impl std::error::Error for LoadError {}

/// Why a package could not be checked.
#[derive(Debug)]
pub enum Failure {
    /// The files could not be read (exit code 2).
    Load(LoadError),
    /// The program has errors (exit code 1): every one found, with the
    /// sources to render them.
    Program(SourceMap, Vec<Diagnostic>),
}

/// The `.pol` files of a package, sorted, so that output does not depend on
/// the order a directory lists them in.
pub fn files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound(path.to_path_buf()),
        _ => LoadError::Read(path.to_path_buf(), e),
    })?;
    if meta.is_file() {
        if path.extension().and_then(|e| e.to_str()) != Some("pol") {
            return Err(LoadError::NotPol(path.to_path_buf()));
        }
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    collect(path, &mut out)?;
    out.sort();
    if out.is_empty() {
        return Err(LoadError::Empty(path.to_path_buf()));
    }
    Ok(out)
}

fn collect(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let entries = std::fs::read_dir(dir).map_err(|e| LoadError::Read(dir.to_path_buf(), e))?;
    for entry in entries {
        let entry = entry.map_err(|e| LoadError::Read(dir.to_path_buf(), e))?;
        let p = entry.path();
        let ty = entry
            .file_type()
            .map_err(|e| LoadError::Read(p.clone(), e))?;
        if ty.is_dir() {
            collect(&p, out)?;
        } else if p.extension().and_then(|e| e.to_str()) == Some("pol") {
            out.push(p);
        }
    }
    Ok(())
}

/// Reads, parses and checks the package at `path`.
pub fn load(path: &Path) -> Result<Checked, Failure> {
    let files = files(path).map_err(Failure::Load)?;
    let mut sources = SourceMap::new();
    for f in &files {
        let bytes = std::fs::read(f).map_err(|e| Failure::Load(LoadError::Read(f.clone(), e)))?;
        let text =
            String::from_utf8(bytes).map_err(|_| Failure::Load(LoadError::NotUtf8(f.clone())))?;
        sources.add(f.display().to_string(), Some(f), text);
    }
    let base = if path.is_dir() {
        path.to_path_buf()
    } else {
        path.parent().map(Path::to_path_buf).unwrap_or_default()
    };
    check_sources(sources, &base)
}

/// Stack for parsing and checking: deep (but bounded) expressions recurse.
const STACK_BYTES: usize = 256 << 20;

/// Parses and checks sources already in memory (the REPL, tests).
///
/// The work runs on a thread with a large stack, so that no input can
/// exhaust the caller's.
pub fn check_sources(sources: SourceMap, base: &Path) -> Result<Checked, Failure> {
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("pol-check".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, || check_sources_here(sources, base))
            .map(|handle| handle.join())
    })
    .map_err(|e| Failure::Load(LoadError::Read(base.to_path_buf(), e)))?
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn check_sources_here(sources: SourceMap, base: &Path) -> Result<Checked, Failure> {
    let mut modules = Vec::new();
    let mut errors = Vec::new();
    for (id, file) in sources.files() {
        let (module, errs) = syntax::parse_module(id, &file.text);
        modules.push(module);
        errors.extend(errs);
    }
    if !errors.is_empty() {
        return Err(Failure::Program(sources, errors));
    }
    check::check(sources, &modules, base).map_err(|(s, d)| Failure::Program(s, d))
}

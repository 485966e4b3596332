//! Loading a package: a `.pol` file, or a directory of them.

use crate::check::{self, Checked};
use crate::diagnostic::Diagnostic;
use crate::files::{self, FileError};
use crate::source::{FileId, SourceMap};
use crate::syntax;
use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with the files themselves, before any program is read
/// (exit code 2).
#[derive(Debug)]
pub enum LoadError {
    NotFound(PathBuf),
    File(FileError),
    Empty(PathBuf),
    NotPol(PathBuf),
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LoadError::NotFound(p) => write!(
                f,
                "`{}` does not exist: give a `.pol` file or a directory of them",
                files::shown(p)
            ),
            LoadError::File(e) => write!(f, "cannot read the package: {e}"),
            LoadError::Empty(p) => write!(
                f,
                "`{}` holds no `.pol` files: give a package directory or a `.pol` file",
                files::shown(p)
            ),
            LoadError::NotPol(p) => write!(
                f,
                "`{}` is not a `.pol` file: give a `.pol` file or a directory of them (or `-` for standard input)",
                files::shown(p)
            ),
        }
    }
}

impl std::error::Error for LoadError {}

impl From<FileError> for LoadError {
    fn from(e: FileError) -> LoadError {
        match e {
            FileError::NotFound(p) => LoadError::NotFound(p),
            e => LoadError::File(e),
        }
    }
}

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
/// the order a directory lists them in. `-` is one file read from standard
/// input. In a directory, a `.pol` file that is a link must lead to a
/// regular file inside the directory (a package never reads, or `pol fmt`
/// rewrites, a file elsewhere); links to directories are not followed.
pub fn files(path: &Path) -> Result<Vec<PathBuf>, LoadError> {
    if files::is_stdin(path) {
        return Ok(vec![path.to_path_buf()]);
    }
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => LoadError::NotFound(path.to_path_buf()),
        _ => LoadError::File(FileError::Io(path.to_path_buf(), e)),
    })?;
    if !meta.is_dir() {
        if path.extension().and_then(|e| e.to_str()) != Some("pol") {
            return Err(LoadError::NotPol(path.to_path_buf()));
        }
        // A FIFO or a device is refused here, before anything waits on it.
        files::open_regular(path)?;
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    collect(path, path, &mut out)?;
    out.sort();
    if out.is_empty() {
        return Err(LoadError::Empty(path.to_path_buf()));
    }
    Ok(out)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), LoadError> {
    let read_error = |p: &Path, e| LoadError::File(FileError::Io(p.to_path_buf(), e));
    let entries = std::fs::read_dir(dir).map_err(|e| read_error(dir, e))?;
    for entry in entries {
        let entry = entry.map_err(|e| read_error(dir, e))?;
        let p = entry.path();
        let ty = entry.file_type().map_err(|e| read_error(&p, e))?;
        if ty.is_dir() {
            collect(root, &p, out)?;
        } else if p.extension().and_then(|e| e.to_str()) == Some("pol") {
            if ty.is_symlink() {
                if std::fs::metadata(&p).is_ok_and(|m| m.is_dir()) {
                    continue;
                }
                files::inside(root, &p)?;
            }
            files::open_regular(&p)?;
            out.push(p);
        }
    }
    Ok(())
}

/// The text of one `.pol` file (or of standard input for `-`), with every
/// line end a `\n`.
pub fn read_file(path: &Path) -> Result<String, LoadError> {
    Ok(files::normalize_line_ends(files::read_text(
        path,
        files::MAX_TEXT_BYTES,
    )?))
}

/// Reads, parses and checks the package at `path`.
pub fn load(path: &Path) -> Result<Checked, Failure> {
    let files = files(path).map_err(Failure::Load)?;
    let mut sources = SourceMap::new();
    for f in &files {
        let text = read_file(f).map_err(Failure::Load)?;
        let name = if files::is_stdin(f) {
            "<stdin>".to_string()
        } else {
            f.display().to_string()
        };
        sources.add(name, Some(f), text);
    }
    let base = if path.is_dir() {
        path.to_path_buf()
    } else {
        match path.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        }
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
    .map_err(|e| Failure::Load(LoadError::File(FileError::Io(base.to_path_buf(), e))))?
    .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

fn check_sources_here(sources: SourceMap, base: &Path) -> Result<Checked, Failure> {
    let texts: Vec<(FileId, &str)> = sources
        .files()
        .map(|(id, file)| (id, file.text.as_str()))
        .collect();
    let mut modules = Vec::new();
    let mut errors = Vec::new();
    for (module, errs) in syntax::parse_modules(&texts, STACK_BYTES) {
        modules.push(module);
        errors.extend(errs);
    }
    if !errors.is_empty() {
        return Err(Failure::Program(sources, errors));
    }
    check::check(sources, &modules, base).map_err(|(s, d)| Failure::Program(s, d))
}

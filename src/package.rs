//! Loading a package: a `.pol` file, or a directory of them.

use crate::check::{self, Checked};
use crate::diagnostic::Diagnostic;
use crate::files::{self, FileError};
use crate::i18n::tr;
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
                "{}",
                tr!("package-1", shown = (files::shown(p)).to_string())
            ),
            LoadError::File(e) => write!(f, "{}", tr!("package-2", e = e.to_string())),
            LoadError::Empty(p) => write!(
                f,
                "{}",
                tr!("package-3", shown = (files::shown(p)).to_string())
            ),
            LoadError::NotPol(p) => write!(
                f,
                "{}",
                tr!("package-4", shown = (files::shown(p)).to_string())
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
    let kept = (!files::is_stdin(path))
        .then(|| cache::Kept::of(path))
        .flatten();
    if let Some(checked) = kept.as_ref().and_then(|k| k.get(&sources)) {
        return Ok(checked);
    }
    let checked = check_sources(sources, &base)?;
    if let Some(k) = &kept {
        k.put(&checked);
    }
    Ok(checked)
}

/// The last successful check of a package, kept between runs (in
/// `$XDG_CACHE_HOME/pol` or `~/.cache/pol`), so that evaluating one case
/// does not parse and check the whole package again. A kept check is used
/// only when it was made by this very build of Pol, from files whose names
/// and texts are the ones just read, byte for byte, and with the documents
/// it read (the policy's `source`) unchanged; anything else, or an entry
/// that cannot be read, is checked anew. `POL_NO_CACHE=1` turns it off.
mod cache {
    use crate::check::Checked;
    use crate::source::SourceMap;
    use std::hash::{Hash, Hasher};
    use std::path::{Path, PathBuf};

    #[derive(serde::Serialize, serde::Deserialize)]
    struct Entry {
        build: (u64, u128),
        checked: Checked,
    }

    pub struct Kept {
        file: PathBuf,
        build: (u64, u128),
    }

    /// This build of Pol: the size and modification time of its program.
    fn build() -> Option<(u64, u128)> {
        let meta = std::env::current_exe().ok()?.metadata().ok()?;
        let modified = meta.modified().ok()?;
        let nanos = modified
            .duration_since(std::time::UNIX_EPOCH)
            .ok()?
            .as_nanos();
        Some((meta.len(), nanos))
    }

    fn dir() -> Option<PathBuf> {
        if std::env::var_os("POL_NO_CACHE").is_some_and(|v| v != "0") {
            return None;
        }
        match std::env::var_os("XDG_CACHE_HOME") {
            Some(d) if !d.is_empty() => Some(PathBuf::from(d).join("pol")),
            _ => Some(
                PathBuf::from(std::env::var_os("HOME")?)
                    .join(".cache")
                    .join("pol"),
            ),
        }
    }

    impl Kept {
        /// Where the check of the package at `path` is kept.
        pub fn of(path: &Path) -> Option<Kept> {
            let real = std::fs::canonicalize(path).ok()?;
            let mut h = std::collections::hash_map::DefaultHasher::new();
            real.hash(&mut h);
            Some(Kept {
                file: dir()?.join(format!("{:016x}.check", h.finish())),
                build: build()?,
            })
        }

        /// The kept check, if it holds for exactly these sources.
        pub fn get(&self, sources: &SourceMap) -> Option<Checked> {
            let bytes = std::fs::read(&self.file).ok()?;
            let entry: Entry = postcard::from_bytes(&bytes).ok()?;
            if entry.build != self.build {
                return None;
            }
            let kept: Vec<_> = entry.checked.sources().files().map(|(_, f)| f).collect();
            let read: Vec<_> = sources.files().map(|(_, f)| f).collect();
            let same = kept.len() == read.len()
                && kept
                    .iter()
                    .zip(&read)
                    .all(|(a, b)| a.name == b.name && a.path == b.path && a.text == b.text);
            let documents_same = entry.checked.documents().iter().all(|(path, text)| {
                crate::files::read_text(path, crate::files::MAX_TEXT_BYTES)
                    .is_ok_and(|now| now == *text)
            });
            (same && documents_same).then_some(entry.checked)
        }

        /// Keeps a check; a cache that cannot be written is no error.
        pub fn put(&self, checked: &Checked) {
            #[derive(serde::Serialize)]
            struct EntryRef<'a> {
                build: (u64, u128),
                checked: &'a Checked,
            }
            let Ok(bytes) = postcard::to_stdvec(&EntryRef {
                build: self.build,
                checked,
            }) else {
                return;
            };
            if let Some(dir) = self.file.parent()
                && std::fs::create_dir_all(dir).is_ok()
            {
                let _ = crate::files::write_atomic(&self.file, &bytes);
            }
        }
    }
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

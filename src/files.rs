//! The user's files, at the edge: what Pol reads is a regular file (or
//! standard input, named `-`), bounded in size, so that a FIFO, a device or
//! a link to `/dev/zero` is refused at once instead of hanging or filling
//! memory; what Pol writes goes to a temporary file beside its target and
//! replaces the target only when it is complete, so that an error, a full
//! disk or an interruption never leaves a half-written file in its place.

use crate::i18n::tr;
use std::fmt;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// The largest `.pol` file, policy document or case Pol reads whole.
pub const MAX_TEXT_BYTES: u64 = 16 << 20;

/// Why a file cannot be read or written.
#[derive(Debug)]
pub enum FileError {
    NotFound(PathBuf),
    /// A FIFO, a device, a socket or a directory where a file was expected.
    NotRegular(PathBuf, &'static str),
    TooLarge(PathBuf, u64),
    NotUtf8(PathBuf),
    /// A file that must lie inside a directory (a policy's document, a
    /// package's linked file) and does not.
    Outside(PathBuf, PathBuf),
    Io(PathBuf, std::io::Error),
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileError::NotFound(p) => {
                write!(f, "{}", tr!("files-1", shown = (shown(p)).to_string()))
            }
            FileError::NotRegular(p, kind) => write!(
                f,
                "{}",
                tr!(
                    "files-2",
                    shown = (shown(p)).to_string(),
                    kind = kind_shown(kind)
                )
            ),
            FileError::TooLarge(p, limit) => write!(
                f,
                "{}",
                tr!(
                    "files-3",
                    shown = (shown(p)).to_string(),
                    limit = (limit >> 20).to_string()
                )
            ),
            FileError::NotUtf8(p) => {
                write!(f, "{}", tr!("files-4", shown = (shown(p)).to_string()))
            }
            FileError::Outside(p, dir) => write!(
                f,
                "{}",
                tr!(
                    "files-5",
                    shown = (shown(p)).to_string(),
                    dir = (shown(dir)).to_string()
                )
            ),
            FileError::Io(p, e) => write!(f, "`{}`: {e}", shown(p)),
        }
    }
}

impl std::error::Error for FileError {}

/// A path as messages show it: control characters escaped, so that a file
/// name cannot write to the terminal.
pub fn shown(path: &Path) -> String {
    crate::diagnostic::escape_controls(&path.display().to_string())
}

/// Whether `path` names standard input.
pub fn is_stdin(path: &Path) -> bool {
    path == Path::new("-")
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a FIFO";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a directory"
    } else {
        "a special file"
    }
}

/// A kind of [`kind_of`] in the reader's language.
fn kind_shown(kind: &str) -> String {
    match kind {
        "a FIFO" => tr!("files-kind-fifo"),
        "a device" => tr!("files-kind-device"),
        "a socket" => tr!("files-kind-socket"),
        "a directory" => tr!("files-kind-directory"),
        _ => tr!("files-6"),
    }
}

fn io_error(path: &Path, e: std::io::Error) -> FileError {
    match e.kind() {
        std::io::ErrorKind::NotFound => FileError::NotFound(path.to_path_buf()),
        _ => FileError::Io(path.to_path_buf(), e),
    }
}

/// Opens a regular file for reading (links are followed).
pub fn open_regular(path: &Path) -> Result<std::fs::File, FileError> {
    let meta = std::fs::metadata(path).map_err(|e| io_error(path, e))?;
    if !meta.is_file() {
        return Err(FileError::NotRegular(path.to_path_buf(), kind_of(&meta)));
    }
    let file = std::fs::File::open(path).map_err(|e| io_error(path, e))?;
    // The file may have been swapped between the two looks.
    let meta = file.metadata().map_err(|e| io_error(path, e))?;
    if !meta.is_file() {
        return Err(FileError::NotRegular(path.to_path_buf(), kind_of(&meta)));
    }
    Ok(file)
}

/// Reads at most `limit` bytes of `input`; more is an error.
fn read_bounded(path: &Path, input: impl Read, limit: u64) -> Result<Vec<u8>, FileError> {
    let mut bytes = Vec::new();
    input
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| io_error(path, e))?;
    if bytes.len() as u64 > limit {
        return Err(FileError::TooLarge(path.to_path_buf(), limit));
    }
    Ok(bytes)
}

/// The bytes of a regular file, or of standard input for `-`.
pub fn read_bytes(path: &Path, limit: u64) -> Result<Vec<u8>, FileError> {
    if is_stdin(path) {
        return read_bounded(path, std::io::stdin().lock(), limit);
    }
    read_bounded(path, open_regular(path)?, limit)
}

/// The text of a regular file (or `-`), which must be UTF-8.
pub fn read_text(path: &Path, limit: u64) -> Result<String, FileError> {
    String::from_utf8(read_bytes(path, limit)?).map_err(|_| FileError::NotUtf8(path.to_path_buf()))
}

/// `path` with links resolved, which must lie inside `dir` (itself resolved).
pub fn inside(dir: &Path, path: &Path) -> Result<PathBuf, FileError> {
    let real_dir = std::fs::canonicalize(dir).map_err(|e| io_error(dir, e))?;
    let real = std::fs::canonicalize(path).map_err(|e| io_error(path, e))?;
    if real.starts_with(&real_dir) {
        Ok(real)
    } else {
        Err(FileError::Outside(path.to_path_buf(), dir.to_path_buf()))
    }
}

/// Source text with every line end a `\n`: a lone `\r` (old Mac files) is
/// one too. Byte offsets do not change, so places in the text stay right.
pub fn normalize_line_ends(text: String) -> String {
    if !text.contains('\r') {
        return text;
    }
    let bytes = text.as_bytes();
    let mut out = text.clone().into_bytes();
    for (i, b) in out.iter_mut().enumerate() {
        if *b == b'\r' && bytes.get(i + 1) != Some(&b'\n') {
            *b = b'\n';
        }
    }
    String::from_utf8(out).unwrap_or(text)
}

/// Whether two paths name the same file (through links or hard links).
pub fn same_file(a: &Path, b: &Path) -> bool {
    same_file::is_same_file(a, b).unwrap_or(false)
}

/// A file being written: bytes go to a temporary file beside the target,
/// which replaces the target on [`Output::commit`]. Dropped before then,
/// the temporary file is removed and the target is untouched.
pub struct Output {
    target: PathBuf,
    file: tempfile::NamedTempFile,
}

impl Output {
    /// Starts writing `target` (a link is written through to its target).
    pub fn create(target: &Path) -> Result<Output, FileError> {
        let target = std::fs::canonicalize(target).unwrap_or_else(|_| target.to_path_buf());
        if let Ok(meta) = std::fs::metadata(&target)
            && !meta.is_file()
        {
            return Err(FileError::NotRegular(target.clone(), kind_of(&meta)));
        }
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => PathBuf::from("."),
        };
        let name = target
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file = tempfile::Builder::new()
            .prefix(&format!(".{name}."))
            .suffix(".partial")
            .tempfile_in(&dir)
            .map_err(|e| io_error(&target, e))?;
        // Keep the mode of the file replaced; a new file gets the usual one.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&target)
                .map(|m| m.permissions().mode())
                .unwrap_or(0o644);
            let _ = std::fs::set_permissions(file.path(), std::fs::Permissions::from_mode(mode));
        }
        Ok(Output { target, file })
    }

    pub fn target(&self) -> &Path {
        &self.target
    }

    pub fn writer(&mut self) -> &mut std::fs::File {
        self.file.as_file_mut()
    }

    /// Flushes the file to disk and puts it in the target's place.
    pub fn commit(mut self) -> Result<(), FileError> {
        let target = self.target.clone();
        self.file
            .as_file_mut()
            .flush()
            .and_then(|()| self.file.as_file().sync_all())
            .map_err(|e| io_error(&target, e))?;
        self.file
            .persist(&target)
            .map(|_| ())
            .map_err(|e| io_error(&target, e.error))
    }
}

/// Replaces `target` with `bytes`, all or nothing.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> Result<(), FileError> {
    let mut out = Output::create(target)?;
    let t = out.target().to_path_buf();
    out.writer().write_all(bytes).map_err(|e| io_error(&t, e))?;
    out.commit()
}

static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// From now on, Ctrl-C (SIGINT) asks long work to stop at its next
/// boundary instead of ending the process mid-write; see [`interrupted`].
pub fn catch_interrupt() {
    let _ = ctrlc::set_handler(|| INTERRUPTED.store(true, Ordering::SeqCst));
}

/// Whether Ctrl-C was pressed since [`catch_interrupt`].
pub fn interrupted() -> bool {
    INTERRUPTED.load(Ordering::SeqCst)
}

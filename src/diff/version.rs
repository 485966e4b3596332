//! The two versions of a package that `pol diff` compares: a directory or
//! a `.pol` file, or `git:REV:PATH`, the package as it is at a revision of
//! the git repository around the current directory.

use crate::check::Checked;
use crate::i18n::tr;
use crate::package::{self, Failure};
use crate::source::SourceMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// A version of a package, checked.
pub struct Version {
    /// How the user named it (`policies/xuchang-2021`, `git:HEAD~1:policies/xuchang-2021`).
    pub name: String,
    pub checked: Checked,
    /// The files of a package read from git, for as long as it is used.
    _files: Option<tempfile::TempDir>,
}

/// Why a version cannot be had.
pub enum VersionError {
    /// The version does not exist or cannot be read (a usage error).
    Load(String),
    /// The version has errors in its program.
    Program(Failure),
}

impl Version {
    /// Loads the version named `spec`.
    pub fn load(spec: &str) -> Result<Version, VersionError> {
        match spec.strip_prefix("git:") {
            Some(rest) => from_git(spec, rest),
            None => match package::load(Path::new(spec)) {
                Ok(checked) => Ok(Version {
                    name: spec.to_string(),
                    checked,
                    _files: None,
                }),
                Err(Failure::Load(e)) => Err(VersionError::Load(format!("{spec}: {e}"))),
                Err(f) => Err(VersionError::Program(f)),
            },
        }
    }
}

/// Runs git in the current directory; its output, or what it said.
fn git(args: &[&str]) -> Result<Vec<u8>, String> {
    let out = Command::new("git")
        .args(args)
        .output()
        .map_err(|e| tr!("version-1", e = e.to_string()))?;
    if out.status.success() {
        Ok(out.stdout)
    } else {
        let said = String::from_utf8_lossy(&out.stderr);
        Err(said.lines().next().unwrap_or("git failed").to_string())
    }
}

/// `git:REV:PATH`: the files under PATH at REV are written to a temporary
/// directory, which is checked as the package; diagnostics name the files
/// as `REV:PATH/FILE`. PATH is as `git show REV:PATH` reads it: from the
/// top of the repository, or from the current directory when it starts
/// with `./`.
fn from_git(spec: &str, rest: &str) -> Result<Version, VersionError> {
    let load = VersionError::Load;
    let Some((rev, path)) = rest.split_once(':') else {
        return Err(load(tr!("version-2", spec = spec.to_string())));
    };
    if rev.is_empty() || path.is_empty() {
        return Err(load(format!(
            "`{spec}`: write `git:REVISION:PATH`, as `git:HEAD~1:policies/xuchang-2021`"
        )));
    }
    git(&["rev-parse", "--git-dir"])
        .map_err(|e| load(tr!("version-3", spec = spec.to_string(), e = e.to_string())))?;
    git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{commit}}"),
    ])
    .map_err(|_| {
        load(tr!(
            "version-4",
            spec = spec.to_string(),
            rev = rev.to_string()
        ))
    })?;
    let object = format!("{rev}:{path}");
    let kind = git(&["cat-file", "-t", &object]).map_err(|_| {
        load(tr!(
            "version-5",
            spec = spec.to_string(),
            path = path.to_string(),
            rev = rev.to_string()
        ))
    })?;
    let dir = tempfile::tempdir()
        .map_err(|e| load(tr!("version-6", spec = spec.to_string(), e = e.to_string())))?;
    let base = dir.path().join(
        Path::new(path.trim_end_matches('/'))
            .file_name()
            .unwrap_or(std::ffi::OsStr::new("package")),
    );
    let write = |file: &Path, bytes: &[u8]| -> Result<(), VersionError> {
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                load(tr!(
                    "version-7",
                    spec = spec.to_string(),
                    file = (file.display()).to_string(),
                    e = e.to_string()
                ))
            })?;
        }
        std::fs::write(file, bytes).map_err(|e| {
            load(tr!(
                "version-8",
                spec = spec.to_string(),
                file = (file.display()).to_string(),
                e = e.to_string()
            ))
        })
    };
    // (file name shown in diagnostics, file on disk)
    let mut pol_files: Vec<(String, PathBuf)> = Vec::new();
    match String::from_utf8_lossy(&kind).trim() {
        "blob" => {
            if !path.ends_with(".pol") {
                return Err(load(tr!("version-9", spec = spec.to_string())));
            }
            let bytes =
                git(&["cat-file", "blob", &object]).map_err(|e| load(format!("`{spec}`: {e}")))?;
            let file = base.with_extension("pol");
            write(&file, &bytes)?;
            pol_files.push((object.clone(), file));
        }
        "tree" => {
            std::fs::create_dir_all(&base).map_err(|e| {
                load(tr!(
                    "version-10",
                    spec = spec.to_string(),
                    base = (base.display()).to_string(),
                    e = e.to_string()
                ))
            })?;
            let listing = git(&["ls-tree", "-r", "-z", "--full-tree", "--name-only", &object])
                .map_err(|e| load(format!("`{spec}`: {e}")))?;
            for name in listing.split(|b| *b == 0).filter(|n| !n.is_empty()) {
                let name = String::from_utf8_lossy(name).into_owned();
                let blob = format!("{}/{name}", object.trim_end_matches('/'));
                let bytes = git(&["cat-file", "blob", &blob])
                    .map_err(|e| load(format!("`{spec}`: {e}")))?;
                let file = base.join(&name);
                write(&file, &bytes)?;
                if name.ends_with(".pol") {
                    pol_files.push((blob, file));
                }
            }
            if pol_files.is_empty() {
                return Err(load(tr!(
                    "version-11",
                    spec = spec.to_string(),
                    path = path.to_string(),
                    rev = rev.to_string()
                )));
            }
        }
        other => {
            return Err(load(tr!(
                "version-12",
                spec = spec.to_string(),
                other = other.to_string()
            )));
        }
    }
    pol_files.sort();
    let mut sources = SourceMap::new();
    for (name, file) in &pol_files {
        let text = package::read_file(file).map_err(|e| load(format!("`{spec}`: {e}")))?;
        sources.add(name.clone(), Some(file), text);
    }
    let package_dir = if String::from_utf8_lossy(&kind).trim() == "tree" {
        base.clone()
    } else {
        dir.path().to_path_buf()
    };
    match package::check_sources(sources, &package_dir) {
        Ok(checked) => Ok(Version {
            name: spec.to_string(),
            checked,
            _files: Some(dir),
        }),
        Err(Failure::Load(e)) => Err(load(format!("{spec}: {e}"))),
        Err(f) => Err(VersionError::Program(f)),
    }
}

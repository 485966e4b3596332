//! The kept check of a package: used only while every file it came from is
//! unchanged, never a stale answer.

mod common;
use common::{pol_command, text};
use std::path::Path;
use std::process::Output;

fn pol_in(cache: &Path, args: &[&str]) -> Output {
    pol_command()
        .env("XDG_CACHE_HOME", cache)
        .env_remove("POL_NO_CACHE")
        .args(args)
        .output()
        .expect("pol runs")
}

fn package(dir: &Path, amount: &str, document: &str) {
    std::fs::write(
        dir.join("policy.pol"),
        format!(
            "policy \"文件\" source \"document.txt\"\n\ninput wage: money\n\nclause c \"补贴\" {{\n  quote \"按月发放\"\n  output pay = wage + {amount}\n}}\n"
        ),
    )
    .expect("write");
    std::fs::write(dir.join("document.txt"), document).expect("write");
}

fn eval(cache: &Path, dir: &Path) -> Output {
    let case = dir.join("case.json");
    std::fs::write(&case, "{\"wage\": \"100\"}").expect("write");
    pol_in(
        cache,
        &[
            "eval",
            dir.to_str().expect("UTF-8"),
            "--case",
            case.to_str().expect("UTF-8"),
            "--format",
            "json",
        ],
    )
}

fn kept(cache: &Path) -> Vec<std::path::PathBuf> {
    match std::fs::read_dir(cache.join("pol")) {
        Ok(entries) => entries.map(|e| e.expect("an entry").path()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn a_changed_file_is_checked_again() {
    let cache = tempfile::tempdir().expect("a directory");
    let dir = tempfile::tempdir().expect("a directory");
    package(dir.path(), "1 yuan", "补贴按月发放。");
    let first = eval(cache.path(), dir.path());
    assert_eq!(first.status.code(), Some(0), "{}", text(&first.stderr));
    assert!(
        text(&first.stdout).contains("\"101.00\""),
        "{}",
        text(&first.stdout)
    );
    let entries = kept(cache.path());
    assert_eq!(entries.len(), 1, "the check is kept");
    let entry = std::fs::read(&entries[0]).expect("the entry");
    // The same again, from the kept check: a check made anew would be kept
    // anew, and the entry would not keep the old time given it here.
    let old = std::time::UNIX_EPOCH + std::time::Duration::from_secs(1_000_000_000);
    let modified = |p: &Path| {
        std::fs::metadata(p)
            .and_then(|m| m.modified())
            .expect("a time")
    };
    std::fs::File::options()
        .write(true)
        .open(&entries[0])
        .and_then(|f| f.set_modified(old))
        .expect("set the time");
    let again = eval(cache.path(), dir.path());
    assert_eq!(text(&again.stdout), text(&first.stdout));
    assert_eq!(modified(&entries[0]), old, "the kept check was used");
    // A rule changes: the new rule counts, not the kept one, and is kept.
    package(dir.path(), "2 yuan", "补贴按月发放。");
    let changed = eval(cache.path(), dir.path());
    assert!(
        text(&changed.stdout).contains("\"102.00\""),
        "{}",
        text(&changed.stdout)
    );
    assert_ne!(std::fs::read(&entries[0]).expect("the entry"), entry);
    // A mistake is reported, whatever was kept before.
    package(dir.path(), "true", "补贴按月发放。");
    let wrong = eval(cache.path(), dir.path());
    assert_eq!(wrong.status.code(), Some(1));
    assert!(
        text(&wrong.stderr).contains("pol::check::"),
        "{}",
        text(&wrong.stderr)
    );
}

#[test]
fn a_changed_source_document_is_checked_again() {
    let cache = tempfile::tempdir().expect("a directory");
    let dir = tempfile::tempdir().expect("a directory");
    package(dir.path(), "1 yuan", "补贴按月发放。");
    assert_eq!(eval(cache.path(), dir.path()).status.code(), Some(0));
    // The document no longer has the quote: the package no longer checks.
    package(dir.path(), "1 yuan", "补贴一次性发放。");
    let o = eval(cache.path(), dir.path());
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stdout));
    assert!(
        text(&o.stderr).contains("pol::check::quote"),
        "{}",
        text(&o.stderr)
    );
}

#[test]
fn a_broken_or_foreign_cache_entry_is_ignored() {
    let cache = tempfile::tempdir().expect("a directory");
    let dir = tempfile::tempdir().expect("a directory");
    package(dir.path(), "1 yuan", "补贴按月发放。");
    assert_eq!(eval(cache.path(), dir.path()).status.code(), Some(0));
    for entry in kept(cache.path()) {
        std::fs::write(&entry, b"not a kept check").expect("write");
    }
    let o = eval(cache.path(), dir.path());
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(text(&o.stdout).contains("\"101.00\""));
    // And it is kept anew, readable again.
    let again = eval(cache.path(), dir.path());
    assert_eq!(text(&again.stdout), text(&o.stdout));
}

#[test]
fn pol_no_cache_keeps_nothing() {
    let cache = tempfile::tempdir().expect("a directory");
    let dir = tempfile::tempdir().expect("a directory");
    package(dir.path(), "1 yuan", "补贴按月发放。");
    let case = dir.path().join("case.json");
    std::fs::write(&case, "{\"wage\": \"100\"}").expect("write");
    let o = pol_command()
        .env("XDG_CACHE_HOME", cache.path())
        .env("POL_NO_CACHE", "1")
        .args([
            "eval",
            dir.path().to_str().expect("UTF-8"),
            "--case",
            case.to_str().expect("UTF-8"),
        ])
        .output()
        .expect("pol runs");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert!(kept(cache.path()).is_empty());
}

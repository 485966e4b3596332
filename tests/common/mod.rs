//! What the tests that run the `pol` binary share.
#![allow(dead_code)] // each test binary uses its own part

pub mod sql;

use std::process::{Command, Output};

/// The `pol` binary, without colours, in English whatever the machine's
/// locale (a test that wants Chinese passes `--lang zh` or sets `LANG`).
pub fn pol_command() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_pol"));
    c.env("NO_COLOR", "1");
    c.env_remove("LC_ALL");
    c.env_remove("LC_MESSAGES");
    c.env("LANG", "C.UTF-8");
    c
}

/// Runs `pol ARGS` to the end.
pub fn pol(args: &[&str]) -> Output {
    pol_command()
        .args(args)
        .output()
        .expect("the pol binary runs")
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// The files of `dir` whose names end in `.EXT` (every file for `""`), in
/// name order.
pub fn files(dir: &str, ext: &str) -> Vec<std::path::PathBuf> {
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {dir}: {e}"))
        .map(|e| e.expect("an entry").path())
        .filter(|p| ext.is_empty() || p.extension().is_some_and(|x| x == ext))
        .collect();
    files.sort();
    files
}

/// Debian's Chromium, where it is installed.
pub fn chromium() -> Option<std::path::PathBuf> {
    [
        "/usr/bin/chromium",
        "/usr/bin/chromium-browser",
        "/usr/bin/google-chrome",
    ]
    .iter()
    .map(std::path::PathBuf::from)
    .find(|p| p.exists())
}

/// Runs the browser headless, on a profile of its own, with `args`.
pub fn headless(
    browser: &std::path::Path,
    profile: &std::path::Path,
    args: &[&str],
) -> std::process::Output {
    std::process::Command::new(browser)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(args)
        .output()
        .expect("the browser runs")
}

/// Takes a screenshot of `url` at `width`×`height` into `png`, and checks
/// that it is a PNG with something drawn on it (a blank page is smaller).
pub fn assert_screenshot(
    browser: &std::path::Path,
    profile: &std::path::Path,
    url: &str,
    (width, height): (u32, u32),
    png: &std::path::Path,
) {
    let shot = headless(
        browser,
        profile,
        &[
            &format!("--window-size={width},{height}"),
            &format!("--screenshot={}", png.display()),
            url,
        ],
    );
    assert!(shot.status.success(), "{}", text(&shot.stderr));
    let bytes = std::fs::read(png).expect("the screenshot");
    assert_eq!(&bytes[1..4], b"PNG");
    assert!(
        bytes.len() > 20_000,
        "a page with something on it, not a blank one: {} bytes",
        bytes.len()
    );
}

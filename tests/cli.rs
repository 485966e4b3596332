//! The `pol` binary, run as users run it: exit codes and messages.

mod common;
use common::{pol, text};

#[test]
fn a_clean_package_exits_0() {
    let out = pol(&["check", "tests/pass/spec/first_look.pol"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("no errors"));
}

#[test]
fn a_directory_package_exits_0() {
    let out = pol(&["check", "tests/pass/spec/first_look_package"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("2 files"),
        "{}",
        text(&out.stdout)
    );
}

#[test]
fn errors_in_the_program_exit_1_with_every_error_and_its_place() {
    let out = pol(&["check", "tests/fail/types/many_errors.pol"]);
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(
        err.contains("tests/fail/types/many_errors.pol:9:11"),
        "{err}"
    );
    assert!(err.contains("pol::check::operator"), "{err}");
    assert!(err.contains("error: 4 errors found"), "{err}");
}

#[test]
fn a_missing_path_exits_2() {
    let out = pol(&["check", "no/such/package"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("`no/such/package` does not exist"));
}

#[test]
fn a_directory_without_pol_files_exits_2() {
    let dir = std::env::temp_dir().join(format!("pol-empty-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let out = pol(&["check", dir.to_str().expect("a UTF-8 path")]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("holds no `.pol` files"));
}

#[test]
fn a_file_that_is_not_pol_exits_2() {
    let out = pol(&["check", "Cargo.toml"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is not a `.pol` file"));
}

#[test]
fn text_that_is_not_utf8_exits_2() {
    let dir = std::env::temp_dir().join(format!("pol-latin1-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    std::fs::write(dir.join("bad.pol"), b"input x: int # \xe9\n").expect("write");
    let out = pol(&["check", dir.to_str().expect("a UTF-8 path")]);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(out.status.code(), Some(2));
    assert!(text(&out.stderr).contains("is not UTF-8"));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(pol(&[]).status.code(), Some(2));
    assert_eq!(pol(&["check"]).status.code(), Some(2));
    assert_eq!(pol(&["frobnicate"]).status.code(), Some(2));
}

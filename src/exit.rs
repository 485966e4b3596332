//! The process's exit codes, which every command and the REPL share.

/// 0: clean; 1: errors in the program or the data; 2: usage or I/O.
pub const EXIT_OK: i32 = 0;
pub const EXIT_PROGRAM: i32 = 1;
pub const EXIT_USAGE: i32 = 2;
/// Stopped by Ctrl-C (128 + SIGINT, as shells report it).
pub const EXIT_INTERRUPTED: i32 = 130;

//! The pid file's checks and the rotating log, on files in a temporary
//! folder.

use std::fs;
use std::io::Write;

use part_16::logging::RotatingFile;
use part_16::pidfile::{self, PidFileError};

#[test]
fn a_pid_file_is_absent_live_stale_or_garbled() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twistd.pid");
    assert!(matches!(pidfile::check(&path), Ok(None)));

    pidfile::write(&path).unwrap();
    let me = std::process::id() as i32;
    match pidfile::check(&path) {
        Err(PidFileError::Running { pid, .. }) => assert_eq!(pid, me),
        other => panic!("this process is alive: {other:?}"),
    }

    let mut gone = std::process::Command::new("true").spawn().unwrap();
    let dead = gone.id();
    gone.wait().unwrap();
    fs::write(&path, format!("{dead}\n")).unwrap();
    assert!(matches!(pidfile::check(&path), Ok(Some(pid)) if pid as u32 == dead));

    fs::write(&path, "twistd\n").unwrap();
    let error = pidfile::check(&path).unwrap_err();
    assert_eq!(
        error.to_string(),
        format!(
            "pid file {} holds no process id; remove it if nothing is running",
            path.display()
        )
    );
}

#[test]
fn only_our_own_pid_file_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("twistd.pid");
    fs::write(&path, "1\n").unwrap();
    pidfile::remove(&path).unwrap();
    assert!(path.exists(), "another process's file stays");
    pidfile::write(&path).unwrap();
    pidfile::remove(&path).unwrap();
    assert!(!path.exists());
}

#[test]
fn the_log_rotates_between_lines_and_counts_what_was_there() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.log");
    fs::write(&path, "0123456789\n").unwrap(); // 11 bytes from an earlier run
    let mut log = RotatingFile::open(&path, 30, 2).unwrap();
    log.write_all(b"line one, 15 b\n").unwrap(); // 26: fits
    log.write_all(b"line two, 15 b\n").unwrap(); // 41 would not: rotate first
    assert_eq!(
        fs::read_to_string(dir.path().join("app.log.1")).unwrap(),
        "0123456789\nline one, 15 b\n"
    );
    assert_eq!(fs::read_to_string(&path).unwrap(), "line two, 15 b\n");
    for n in 3..8 {
        log.write_all(format!("line {n}, 15 byte\n").as_bytes())
            .unwrap();
    }
    assert!(dir.path().join("app.log.2").exists());
    assert!(!dir.path().join("app.log.3").exists(), "two kept");
    let newest = fs::read_to_string(&path).unwrap();
    assert!(newest.ends_with("line 7, 15 byte\n"));
}

#[test]
fn keeping_no_old_files_starts_the_log_afresh() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("app.log");
    let mut log = RotatingFile::open(&path, 20, 0).unwrap();
    log.write_all(b"first line, 16 b\n").unwrap();
    log.write_all(b"second line, 17\n").unwrap();
    assert_eq!(fs::read_to_string(&path).unwrap(), "second line, 17\n");
    assert!(!dir.path().join("app.log.1").exists());
}

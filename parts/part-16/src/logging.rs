//! Where a service's log lines go: standard output in the foreground, a
//! file that rotates by size for a daemon.
//!
//! The services log with `tracing` and never say where to; the program
//! that runs them installs a subscriber once ([`install`]), and every line
//! of every service goes there. That is the whole point of logging
//! instead of printing: the code that has something to say and the
//! decision about where it is written live in different places.
//!
//! A daemon's log grows for as long as the daemon runs, so it is rotated:
//! once a line would take the file past its limit, `twistd.log` becomes
//! `twistd.log.1` (the old `.1` becomes `.2`, and so on, up to the number
//! of files kept; the oldest is deleted), and a fresh `twistd.log` begins.
//! A line is never split across two files.

use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use tracing_subscriber::fmt::writer::BoxMakeWriter;

// ANCHOR: rotating
/// A log file that starts a new file when it would grow past a limit.
#[derive(Debug)]
pub struct RotatingFile {
    path: PathBuf,
    max_bytes: u64,
    keep: usize,
    file: File,
    size: u64,
}

impl RotatingFile {
    /// Opens (or creates) `path` to append to, rotating once it would
    /// grow past `max_bytes`, keeping `keep` old files (`path.1` newest).
    pub fn open(path: impl Into<PathBuf>, max_bytes: u64, keep: usize) -> io::Result<RotatingFile> {
        let path = path.into();
        let file = append_to(&path)?;
        let size = file.metadata()?.len();
        Ok(RotatingFile {
            path,
            max_bytes,
            keep,
            file,
            size,
        })
    }

    /// The file written now.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A new handle on the file written now (for standard output and
    /// error to point at).
    pub fn try_clone_file(&self) -> io::Result<File> {
        self.file.try_clone()
    }

    /// Moves every kept file one number up, the current file to `.1`, and
    /// opens a fresh one.
    fn rotate(&mut self) -> io::Result<()> {
        let numbered = |n: usize| {
            let mut name = self.path.clone().into_os_string();
            name.push(format!(".{n}"));
            PathBuf::from(name)
        };
        if self.keep == 0 {
            fs::remove_file(&self.path)?;
        } else {
            let _ = fs::remove_file(numbered(self.keep));
            for n in (1..self.keep).rev() {
                let _ = fs::rename(numbered(n), numbered(n + 1));
            }
            fs::rename(&self.path, numbered(1))?;
        }
        self.file = append_to(&self.path)?;
        self.size = 0;
        Ok(())
    }
}

impl Write for RotatingFile {
    /// Writes `line` (the subscriber writes one line per call) to the
    /// current file, after rotating if it would not fit.
    fn write(&mut self, line: &[u8]) -> io::Result<usize> {
        let len = line.len() as u64;
        if self.size > 0 && self.size + len > self.max_bytes {
            self.rotate()?;
        }
        self.file.write_all(line)?;
        self.size += len;
        Ok(line.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.file.flush()
    }
}
// ANCHOR_END: rotating

fn append_to(path: &Path) -> io::Result<File> {
    OpenOptions::new().create(true).append(true).open(path)
}

/// Where the log goes.
#[derive(Debug)]
pub enum LogTarget {
    /// Standard output (a service in the foreground).
    Stdout,
    /// A rotating file (a daemon, or `--logfile` in the foreground).
    File(RotatingFile),
}

// ANCHOR: install
/// Sends every `tracing` event of this process to `target`, one line each:
/// the time, the level, the message. Called once, first thing; keep the
/// guard until the end of `main`.
pub fn install(target: LogTarget) -> LogGuard {
    let writer = match target {
        LogTarget::Stdout => BoxMakeWriter::new(|| QueuedStdout),
        LogTarget::File(file) => BoxMakeWriter::new(Mutex::new(file)),
    };
    tracing_subscriber::fmt()
        .with_writer(writer)
        .with_ansi(false)
        .with_target(false)
        .init();
    LogGuard(())
}
// ANCHOR_END: install

/// Standard output through part 2's log queue (`part_02::log`), like every
/// other server's lines: a line that cannot be written now is dropped and
/// counted, never waited for, and a closed output is ignored, so a
/// terminal nobody reads cannot stop the reactor. `tracing` writes each
/// event as one whole line, in one call.
struct QueuedStdout;

impl Write for QueuedStdout {
    fn write(&mut self, line: &[u8]) -> io::Result<usize> {
        let text = String::from_utf8_lossy(line);
        part_02::log::out(text.trim_end_matches('\n'));
        Ok(line.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// Writes what is still queued for standard output (for up to a second),
/// before the process exits.
pub fn flush() {
    part_02::log::flush(std::time::Duration::from_secs(1));
}

/// Writes the log's last lines when dropped: standard output's lines wait
/// in a queue, and a process that ends without flushing it loses them.
#[must_use = "the log's last lines are written when the guard is dropped"]
pub struct LogGuard(());

impl Drop for LogGuard {
    fn drop(&mut self) {
        flush();
    }
}

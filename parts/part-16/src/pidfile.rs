//! The pid file: where a daemon writes its process id, so that whoever
//! wants to stop it (`kill $(cat twistd.pid)`) can find it, and so that a
//! second copy does not start over the first.
//!
//! A pid file can outlive its process (a crash, a `kill -9`, a power
//! cut). So a pid file found at start is looked at: if a process with
//! that id is alive, we refuse to start; if none is, the file is stale and
//! is replaced. (Asking is `kill(pid, 0)`, a signal that is never sent:
//! the kernel only checks that the process exists.) On the way out the
//! daemon removes the file, if it still holds its own id.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use nix::errno::Errno;
use nix::sys::signal::kill;
use nix::unistd::Pid;

/// Why a pid file stops a start.
#[derive(Debug)]
pub enum PidFileError {
    /// Another process, alive, wrote it.
    Running {
        /// The pid file.
        path: PathBuf,
        /// The live process.
        pid: i32,
    },
    /// It holds something that is not a process id.
    Garbled(PathBuf),
    /// It cannot be read, removed or written.
    Io(PathBuf, io::Error),
}

impl std::fmt::Display for PidFileError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PidFileError::Running { path, pid } => write!(
                f,
                "another twistd (pid {pid}) is running with pid file {}",
                path.display()
            ),
            PidFileError::Garbled(path) => write!(
                f,
                "pid file {} holds no process id; remove it if nothing is running",
                path.display()
            ),
            PidFileError::Io(path, error) => {
                write!(f, "cannot use pid file {}: {error}", path.display())
            }
        }
    }
}

impl std::error::Error for PidFileError {}

// ANCHOR: check
/// What was found at `path`: nothing, or the pid of a stale file (which
/// [`write()`] then replaces). A live one is an error.
pub fn check(path: &Path) -> Result<Option<i32>, PidFileError> {
    let text = match fs::read_to_string(path) {
        Ok(text) => text,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(error) => return Err(PidFileError::Io(path.into(), error)),
    };
    let pid: i32 = match text.trim().parse() {
        Ok(pid) if pid > 0 => pid,
        _ => return Err(PidFileError::Garbled(path.into())),
    };
    match kill(Pid::from_raw(pid), None) {
        // It exists (EPERM: it exists, and belongs to someone else).
        Ok(()) | Err(Errno::EPERM) => Err(PidFileError::Running {
            path: path.into(),
            pid,
        }),
        _ => Ok(Some(pid)),
    }
}
// ANCHOR_END: check

/// Writes this process's id to `path`, over whatever was there.
pub fn write(path: &Path) -> Result<(), PidFileError> {
    fs::write(path, format!("{}\n", std::process::id()))
        .map_err(|e| PidFileError::Io(path.into(), e))
}

/// Removes `path` if it holds this process's id (a file written by
/// another process since is left alone).
pub fn remove(path: &Path) -> io::Result<()> {
    let ours = fs::read_to_string(path)?
        .trim()
        .parse::<u32>()
        .is_ok_and(|pid| pid == std::process::id());
    if ours { fs::remove_file(path) } else { Ok(()) }
}

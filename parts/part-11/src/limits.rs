//! The limit on open files, which is the limit on connections.
//!
//! Every connection is a file descriptor, and a process may hold only so
//! many: the `RLIMIT_NOFILE` resource limit. It has two values. The *soft*
//! limit is the one enforced; a process may move it anywhere up to the
//! *hard* limit, which only a privileged process may raise. Many systems
//! still start programs with a soft limit of 1024, so a server that means
//! to hold thousands of connections raises its soft limit to the hard one
//! when it starts, as ours do.

use std::io;

// ANCHOR: limit
/// A process's limit on open files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileLimit {
    /// The limit in force: opening one more file fails with `EMFILE`.
    pub soft: u64,
    /// How far the process may raise the soft limit by itself.
    pub hard: u64,
}

/// The limit on open files now.
pub fn file_limit() -> io::Result<FileLimit> {
    get().map(|limit| FileLimit {
        soft: limit.rlim_cur,
        hard: limit.rlim_max,
    })
}

/// Raises the soft limit on open files to the hard limit, and returns the
/// limit in force afterwards. Servers call this first thing.
pub fn raise_file_limit() -> io::Result<FileLimit> {
    let limit = get()?;
    // An unlimited hard limit cannot be the soft limit on Linux (the
    // kernel caps open files anyway): ask for a generous number instead.
    let wanted = if limit.rlim_max == libc::RLIM_INFINITY {
        1 << 20
    } else {
        limit.rlim_max
    };
    if limit.rlim_cur < wanted {
        set(wanted)?;
    }
    file_limit()
}

/// Sets the soft limit on open files to `soft` (at most the hard limit),
/// and returns the limit in force afterwards. Lowering it is always
/// allowed; tests do that to check that a program raises it again.
pub fn set_file_limit(soft: u64) -> io::Result<FileLimit> {
    set(soft)?;
    file_limit()
}
// ANCHOR_END: limit

// ANCHOR: unsafe
/// `getrlimit(RLIMIT_NOFILE)`.
#[allow(unsafe_code)]
fn get() -> io::Result<libc::rlimit> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: `getrlimit` writes one `rlimit` through the pointer, which
    // points at a live, writable `rlimit` for the whole call.
    if unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(limit)
}

/// `setrlimit(RLIMIT_NOFILE)` with a new soft limit and the same hard one.
#[allow(unsafe_code)]
fn set(soft: u64) -> io::Result<()> {
    let hard = get()?.rlim_max;
    let limit = libc::rlimit {
        rlim_cur: soft.min(hard),
        rlim_max: hard,
    };
    // SAFETY: `setrlimit` only reads the `rlimit` the pointer points at,
    // which is live for the whole call.
    if unsafe { libc::setrlimit(libc::RLIMIT_NOFILE, &limit) } != 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(())
}
// ANCHOR_END: unsafe

//! Readiness backends: the one system call a reactor waits in.
//!
//! A backend keeps a set of file descriptors, each with the readiness it is
//! interested in (readable, writable or both), and [`Backend::wait`]s until
//! some of them are ready or a timeout passes. Two are provided, behind the
//! same trait, so the reactor's code does not change with the mechanism:
//!
//! - [`MioBackend`]: `epoll` on Linux (`kqueue` on the BSDs and macOS),
//!   through the `mio` crate. The kernel remembers the set; each wait costs
//!   in proportion to the descriptors that are *ready*. Edge-triggered.
//! - [`PollBackend`]: the `poll(2)` system call, written out by hand. The
//!   whole set is passed to the kernel on every wait, and scanned on every
//!   wait, so each wait costs in proportion to *all* the descriptors.
//!   Level-triggered.
//!
//! Each backend also has a wake-up of its own ([`Backend::waker`]): another
//! thread can end a wait early, for example to hand the reactor a call to
//! run. The wake-up is always watched, but it is drained inside the
//! backend and never reported as a ready descriptor, so the reactor does
//! not count it as something it watches.
//!
//! Because one backend is edge-triggered, the reactor's contract for
//! readers and writers is the edge-triggered one: when called, read (or
//! write) until the socket would block. Code that keeps that contract works
//! on both.

mod mio;
mod poll;

use std::io;
use std::os::fd::RawFd;
use std::sync::Arc;
use std::time::Duration;

pub use self::mio::MioBackend;
pub use self::poll::PollBackend;

/// Which readiness a descriptor is watched for, or was found to have.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Interest {
    /// Readable (or closed, or in error: a read will not block).
    pub read: bool,
    /// Writable (or closed, or in error: a write will not block).
    pub write: bool,
}

impl Interest {
    /// Neither.
    pub const NONE: Interest = Interest {
        read: false,
        write: false,
    };
    /// Readable only.
    pub const READ: Interest = Interest {
        read: true,
        write: false,
    };
    /// Writable only.
    pub const WRITE: Interest = Interest {
        read: false,
        write: true,
    };

    /// Whether this asks for nothing.
    pub fn is_none(self) -> bool {
        !self.read && !self.write
    }
}

// ANCHOR: backend
/// A readiness mechanism the reactor can wait in.
pub trait Backend {
    /// A short name for messages and benchmarks: `"epoll (mio)"`, `"poll(2)"`.
    fn name(&self) -> &'static str;

    /// Starts watching `fd` for `interest`, or changes what it is watched
    /// for; [`Interest::NONE`] stops watching it.
    fn set_interest(&mut self, fd: RawFd, interest: Interest) -> io::Result<()>;

    /// Waits until at least one watched descriptor is ready, or `timeout`
    /// passes (`None`: no limit; zero: just look). Appends what is ready to
    /// `ready`. An interrupted wait returns with nothing ready.
    fn wait(
        &mut self,
        timeout: Option<Duration>,
        ready: &mut Vec<(RawFd, Interest)>,
    ) -> io::Result<()>;

    /// Something any thread can use to end a [`wait`](Backend::wait) early.
    fn waker(&self) -> Arc<dyn Wake>;
}
// ANCHOR_END: backend

/// Ends a backend's wait from any thread: the one thing about a reactor
/// that another thread may touch, so it is `Send + Sync`.
///
/// A wake-up that arrives while the backend is not waiting is not lost: the
/// next wait returns at once. Several wake-ups before a wait may end it only
/// once.
pub trait Wake: Send + Sync {
    /// Ends the backend's current or next wait.
    fn wake(&self) -> io::Result<()>;
}

/// Which backend a reactor uses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum BackendKind {
    /// `epoll` through `mio` (the default).
    #[default]
    Mio,
    /// `poll(2)`.
    Poll,
}

impl BackendKind {
    /// Both kinds, for tests and benchmarks that compare them.
    pub const ALL: [BackendKind; 2] = [BackendKind::Mio, BackendKind::Poll];

    /// A new backend of this kind.
    pub fn create(self) -> io::Result<Box<dyn Backend>> {
        Ok(match self {
            BackendKind::Mio => Box::new(MioBackend::new()?),
            BackendKind::Poll => Box::new(PollBackend::new()?),
        })
    }
}

//! The `poll(2)` backend, written out by hand.
//!
//! This is the one place in the workspace's reactor that calls the
//! operating system directly, so it is the one place with `unsafe`: the
//! `poll` system call takes a raw pointer to an array of `pollfd` records.
//!
//! Its wake-up is the classic "self-pipe": a connected pair of Unix
//! sockets, both non-blocking. Waking writes a byte into one end; the other
//! end is always the first entry of the `pollfd` array, so the byte ends the
//! wait, and the backend reads it out again before the next one.

#![allow(unsafe_code)]

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::Arc;
use std::time::Duration;

use super::{Backend, Interest, Wake};

/// Waits with `poll(2)`: the whole set goes to the kernel on every wait.
#[derive(Debug)]
pub struct PollBackend {
    /// What each descriptor is watched for, in descriptor order.
    watched: BTreeMap<RawFd, Interest>,
    /// The array handed to `poll`, rebuilt from `watched` when it changes.
    /// Its first entry is always the wake-up's reading end.
    fds: Vec<libc::pollfd>,
    stale: bool,
    /// The reading end of the self-pipe.
    wake_reader: UnixStream,
    /// The writing end, shared with every waker handed out.
    waker: Arc<PipeWaker>,
}

impl PollBackend {
    /// An empty set (apart from the wake-up).
    pub fn new() -> io::Result<PollBackend> {
        let (wake_reader, wake_writer) = UnixStream::pair()?;
        wake_reader.set_nonblocking(true)?;
        wake_writer.set_nonblocking(true)?;
        Ok(PollBackend {
            watched: BTreeMap::new(),
            fds: Vec::new(),
            stale: true,
            wake_reader,
            waker: Arc::new(PipeWaker(wake_writer)),
        })
    }

    /// Reads every wake-up byte out of the pipe, so the next wait blocks.
    fn drain_wake_ups(&mut self) {
        let mut bytes = [0u8; 64];
        // Until it would block (or, which cannot happen, fails or ends).
        while matches!(self.wake_reader.read(&mut bytes), Ok(n) if n > 0) {}
    }
}

/// The writing end of the self-pipe.
#[derive(Debug)]
struct PipeWaker(UnixStream);

impl Wake for PipeWaker {
    fn wake(&self) -> io::Result<()> {
        match (&self.0).write(&[1]) {
            // A full pipe already holds a wake-up the backend has not read.
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(()),
            Err(e) => Err(e),
            Ok(_) => Ok(()),
        }
    }
}

impl Backend for PollBackend {
    fn name(&self) -> &'static str {
        "poll(2)"
    }

    fn set_interest(&mut self, fd: RawFd, interest: Interest) -> io::Result<()> {
        if interest.is_none() {
            self.watched.remove(&fd);
        } else {
            self.watched.insert(fd, interest);
        }
        self.stale = true;
        Ok(())
    }

    fn wait(
        &mut self,
        timeout: Option<Duration>,
        ready: &mut Vec<(RawFd, Interest)>,
    ) -> io::Result<()> {
        if self.stale {
            let wake_up = libc::pollfd {
                fd: self.wake_reader.as_raw_fd(),
                events: libc::POLLIN,
                revents: 0,
            };
            self.fds = std::iter::once(wake_up)
                .chain(self.watched.iter().map(|(&fd, interest)| libc::pollfd {
                    fd,
                    events: (if interest.read { libc::POLLIN } else { 0 })
                        | (if interest.write { libc::POLLOUT } else { 0 }),
                    revents: 0,
                }))
                .collect();
            self.stale = false;
        }
        let timeout_ms = match timeout {
            None => -1,
            // Round up, so a wait for a timer never ends just before it is due.
            Some(t) => t.as_nanos().div_ceil(1_000_000).min(i32::MAX as u128) as i32,
        };
        // ANCHOR: poll_wait
        // SAFETY: `self.fds` is a valid, initialised array of `pollfd`, and
        // its length is passed with it; `poll` writes only `revents` fields
        // inside that array, and we hold `&mut self` for the whole call.
        let n = unsafe {
            libc::poll(
                self.fds.as_mut_ptr(),
                self.fds.len() as libc::nfds_t,
                timeout_ms,
            )
        };
        // ANCHOR_END: poll_wait
        if n < 0 {
            let error = io::Error::last_os_error();
            return if error.kind() == io::ErrorKind::Interrupted {
                Ok(())
            } else {
                Err(error)
            };
        }
        if n == 0 {
            return Ok(());
        }
        if std::mem::take(&mut self.fds[0].revents) != 0 {
            self.drain_wake_ups();
        }
        for pollfd in &mut self.fds[1..] {
            let revents = std::mem::take(&mut pollfd.revents);
            if revents == 0 {
                continue;
            }
            let closed_or_failed = revents & (libc::POLLHUP | libc::POLLERR | libc::POLLNVAL) != 0;
            let found = Interest {
                read: pollfd.events & libc::POLLIN != 0
                    && (revents & libc::POLLIN != 0 || closed_or_failed),
                write: pollfd.events & libc::POLLOUT != 0
                    && (revents & libc::POLLOUT != 0 || closed_or_failed),
            };
            if !found.is_none() {
                ready.push((pollfd.fd, found));
            }
        }
        Ok(())
    }
    fn waker(&self) -> Arc<dyn Wake> {
        self.waker.clone()
    }
}

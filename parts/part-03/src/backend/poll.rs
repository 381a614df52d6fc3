//! The `poll(2)` backend, written out by hand.
//!
//! This is the one place in the workspace's reactor that calls the
//! operating system directly, so it is the one place with `unsafe`: the
//! `poll` system call takes a raw pointer to an array of `pollfd` records.

#![allow(unsafe_code)]

use std::collections::BTreeMap;
use std::io;
use std::os::fd::RawFd;
use std::time::Duration;

use super::{Backend, Interest};

/// Waits with `poll(2)`: the whole set goes to the kernel on every wait.
#[derive(Debug, Default)]
pub struct PollBackend {
    /// What each descriptor is watched for, in descriptor order.
    watched: BTreeMap<RawFd, Interest>,
    /// The array handed to `poll`, rebuilt from `watched` when it changes.
    fds: Vec<libc::pollfd>,
    stale: bool,
}

impl PollBackend {
    /// An empty set.
    pub fn new() -> PollBackend {
        PollBackend::default()
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
            self.fds = self
                .watched
                .iter()
                .map(|(&fd, interest)| libc::pollfd {
                    fd,
                    events: (if interest.read { libc::POLLIN } else { 0 })
                        | (if interest.write { libc::POLLOUT } else { 0 }),
                    revents: 0,
                })
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
        for pollfd in &mut self.fds {
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
}

//! The `epoll` backend, through `mio`.

use std::collections::HashMap;
use std::io;
use std::os::fd::RawFd;
use std::sync::Arc;
use std::time::Duration;

use mio::unix::SourceFd;
use mio::{Events, Poll, Token, Waker};

use super::{Backend, Interest, Wake};

/// The token of the wake-up. Descriptors are their own tokens, and a
/// descriptor is a non-negative `i32`, so no descriptor can ever be this.
const WAKE_TOKEN: Token = Token(usize::MAX);

/// Waits with `mio::Poll`: `epoll` on Linux. The kernel keeps the set of
/// watched descriptors between waits.
#[derive(Debug)]
pub struct MioBackend {
    poll: Poll,
    events: Events,
    /// What each registered descriptor is watched for.
    registered: HashMap<RawFd, Interest>,
    /// `mio`'s own wake-up (an `eventfd` on Linux), registered under
    /// [`WAKE_TOKEN`].
    waker: Arc<Waker>,
}

impl MioBackend {
    /// A new, empty `epoll` set.
    pub fn new() -> io::Result<MioBackend> {
        let poll = Poll::new()?;
        let waker = Arc::new(Waker::new(poll.registry(), WAKE_TOKEN)?);
        Ok(MioBackend {
            poll,
            events: Events::with_capacity(1024),
            registered: HashMap::new(),
            waker,
        })
    }
}

fn to_mio(interest: Interest) -> Option<mio::Interest> {
    match (interest.read, interest.write) {
        (true, true) => Some(mio::Interest::READABLE | mio::Interest::WRITABLE),
        (true, false) => Some(mio::Interest::READABLE),
        (false, true) => Some(mio::Interest::WRITABLE),
        (false, false) => None,
    }
}

impl Backend for MioBackend {
    fn name(&self) -> &'static str {
        "epoll (mio)"
    }

    fn set_interest(&mut self, fd: RawFd, interest: Interest) -> io::Result<()> {
        let registry = self.poll.registry();
        // The descriptor itself is the token: events map straight back to it.
        let token = Token(fd as usize);
        match (self.registered.get(&fd), to_mio(interest)) {
            (None, None) => Ok(()),
            (None, Some(wanted)) => {
                registry.register(&mut SourceFd(&fd), token, wanted)?;
                self.registered.insert(fd, interest);
                Ok(())
            }
            (Some(_), Some(wanted)) => {
                registry.reregister(&mut SourceFd(&fd), token, wanted)?;
                self.registered.insert(fd, interest);
                Ok(())
            }
            (Some(_), None) => {
                self.registered.remove(&fd);
                // A descriptor already closed has left the epoll set by itself.
                match registry.deregister(&mut SourceFd(&fd)) {
                    Err(e)
                        if e.raw_os_error() != Some(libc::EBADF)
                            && e.raw_os_error() != Some(libc::ENOENT) =>
                    {
                        Err(e)
                    }
                    _ => Ok(()),
                }
            }
        }
    }

    fn wait(
        &mut self,
        timeout: Option<Duration>,
        ready: &mut Vec<(RawFd, Interest)>,
    ) -> io::Result<()> {
        match self.poll.poll(&mut self.events, timeout) {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => return Ok(()),
            result => result?,
        }
        for event in self.events.iter() {
            if event.token() == WAKE_TOKEN {
                // Its job was to end the wait. `mio` resets the eventfd
                // itself, and each wake-up is a new edge.
                continue;
            }
            let fd = event.token().0 as RawFd;
            let closed_or_failed =
                event.is_error() || event.is_read_closed() || event.is_write_closed();
            let watched = self.registered.get(&fd).copied().unwrap_or_default();
            let found = Interest {
                read: watched.read && (event.is_readable() || closed_or_failed),
                write: watched.write && (event.is_writable() || closed_or_failed),
            };
            if !found.is_none() {
                ready.push((fd, found));
            }
        }
        Ok(())
    }

    fn waker(&self) -> Arc<dyn Wake> {
        self.waker.clone()
    }
}

impl Wake for Waker {
    fn wake(&self) -> io::Result<()> {
        Waker::wake(self)
    }
}

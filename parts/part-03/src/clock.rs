//! Where the reactor gets its time from.
//!
//! A reactor keeps time as a [`Duration`] since it was created. With the
//! [`Clock::Real`] clock that is wall-clock time, and waiting for a timer
//! means really sleeping. With a [`VirtualClock`] time only moves when
//! something moves it: a test calls [`VirtualClock::advance`], or a running
//! reactor with nothing else to do jumps straight to its next timer. A
//! countdown of five seconds then takes microseconds, and timing behaviour
//! can be tested exactly, with no real waiting and no flakiness.

use std::cell::Cell;
use std::rc::Rc;
use std::time::{Duration, Instant};

/// A reactor's source of time.
#[derive(Clone, Debug)]
pub enum Clock {
    /// Real time, counted from the moment given.
    Real(Instant),
    /// Time that moves only when told to.
    Virtual(VirtualClock),
}

impl Clock {
    /// A real clock starting now.
    pub fn real() -> Clock {
        Clock::Real(Instant::now())
    }

    /// The time since the clock started.
    pub fn now(&self) -> Duration {
        match self {
            Clock::Real(start) => start.elapsed(),
            Clock::Virtual(clock) => clock.now(),
        }
    }

    /// Whether this clock is virtual.
    pub fn is_virtual(&self) -> bool {
        matches!(self, Clock::Virtual(_))
    }
}

/// A clock for tests: it starts at zero and moves only when told to.
/// Clones share one time.
#[derive(Clone, Debug, Default)]
pub struct VirtualClock(Rc<Cell<Duration>>);

impl VirtualClock {
    /// A clock at time zero.
    pub fn new() -> VirtualClock {
        VirtualClock::default()
    }

    /// The current virtual time.
    pub fn now(&self) -> Duration {
        self.0.get()
    }

    /// Moves time forward by `by`. (A reactor on this clock fires the timers
    /// that are now due the next time it runs: see
    /// [`Reactor::advance`](crate::Reactor::advance).)
    pub fn advance(&self, by: Duration) {
        self.0.set(self.0.get() + by);
    }

    /// Moves time forward to `to`; never backwards.
    pub fn advance_to(&self, to: Duration) {
        if to > self.0.get() {
            self.0.set(to);
        }
    }
}

impl From<VirtualClock> for Clock {
    fn from(clock: VirtualClock) -> Clock {
        Clock::Virtual(clock)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_time_moves_only_when_told() {
        let clock = VirtualClock::new();
        let shared = Clock::from(clock.clone());
        assert_eq!(shared.now(), Duration::ZERO);
        clock.advance(Duration::from_secs(3));
        assert_eq!(shared.now(), Duration::from_secs(3));
        clock.advance_to(Duration::from_secs(1));
        assert_eq!(clock.now(), Duration::from_secs(3), "never backwards");
        assert!(shared.is_virtual() && !Clock::real().is_virtual());
    }
}

//! Where time comes from: a [`Clock`] tells the time, burns CPU for a while,
//! and sleeps until a given moment.
//!
//! Why an abstraction for something so simple: the very same scheduling code
//! runs twice. With a [`RealClock`] it really spins and sleeps, so the demo
//! measures what a computer does. With a [`VirtualClock`] nothing happens
//! except arithmetic, which gives the *ideal* schedule (the book's figure)
//! and lets tests check scheduling decisions in microseconds. The reactor of
//! part 3 takes the same idea further.
//!
//! Times are [`Duration`]s since the start of the run.

use std::hint::black_box;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Tells the time and spends it.
pub trait Clock {
    /// How long since the run began.
    fn now(&self) -> Duration;
    /// Keeps this thread's CPU busy for `duration`.
    fn work(&mut self, duration: Duration);
    /// Blocks this thread until `deadline`; returns at once if it has passed.
    fn sleep_until(&mut self, deadline: Duration);
}

/// The computer's own clock.
///
/// [`work`](Clock::work) is real busy-work: a loop of arithmetic, measured
/// once per process, so that a `Work(d)` step is about `d` worth of CPU.
/// It always lasts at least `d` of wall-clock time; when several threads
/// compete for fewer cores, it lasts longer, as real computation would.
#[derive(Clone, Copy, Debug)]
pub struct RealClock {
    origin: Instant,
}

impl RealClock {
    /// A clock whose time zero is now.
    ///
    /// The first clock made in a process first measures the speed of the
    /// busy loop (a few milliseconds), before its time starts running.
    pub fn start() -> Self {
        calibrate();
        RealClock {
            origin: Instant::now(),
        }
    }

    /// A clock whose time zero is `origin` (several threads can share one).
    /// Call [`calibrate`] before taking `origin`, so that measuring the busy
    /// loop does not count as part of the run.
    pub fn with_origin(origin: Instant) -> Self {
        calibrate();
        RealClock { origin }
    }
}

/// Measures how fast this machine runs the busy loop behind
/// [`RealClock`]'s [`work`](Clock::work), if not done yet in this process.
pub fn calibrate() {
    units_per_second();
}

impl Clock for RealClock {
    fn now(&self) -> Duration {
        self.origin.elapsed()
    }

    fn work(&mut self, duration: Duration) {
        let deadline = Instant::now() + duration;
        let mut units = (units_per_second() * duration.as_secs_f64()) as u64;
        while units > 0 || Instant::now() < deadline {
            black_box(work_unit());
            units = units.saturating_sub(1);
        }
    }

    fn sleep_until(&mut self, deadline: Duration) {
        let now = self.now();
        if deadline > now {
            std::thread::sleep(deadline - now);
        }
    }
}

/// A small, fixed amount of arithmetic the optimiser cannot remove.
fn work_unit() -> u64 {
    let mut x = black_box(0x9e37_79b9_7f4a_7c15_u64);
    for _ in 0..64 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
    }
    x
}

/// How many [`work_unit`]s this machine does per second, measured once.
/// The best of a few short rounds, so a busy moment does not skew it much.
fn units_per_second() -> f64 {
    static RATE: OnceLock<f64> = OnceLock::new();
    *RATE.get_or_init(|| {
        let round = Duration::from_millis(2);
        (0..3)
            .map(|_| {
                let start = Instant::now();
                let mut units = 0u64;
                while start.elapsed() < round {
                    for _ in 0..16 {
                        black_box(work_unit());
                    }
                    units += 16;
                }
                units as f64 / start.elapsed().as_secs_f64()
            })
            .fold(1.0, f64::max)
    })
}

/// A clock that only counts: working or sleeping moves its time forward
/// at once. Useful for computing ideal schedules and for fast tests.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct VirtualClock {
    now: Duration,
}

impl VirtualClock {
    /// A virtual clock at time zero.
    pub fn new() -> Self {
        Self::default()
    }
}

impl Clock for VirtualClock {
    fn now(&self) -> Duration {
        self.now
    }

    fn work(&mut self, duration: Duration) {
        self.now += duration;
    }

    fn sleep_until(&mut self, deadline: Duration) {
        self.now = self.now.max(deadline);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn virtual_clock_counts() {
        let mut clock = VirtualClock::new();
        clock.work(Duration::from_millis(5));
        clock.sleep_until(Duration::from_millis(3)); // already past
        assert_eq!(clock.now(), Duration::from_millis(5));
        clock.sleep_until(Duration::from_millis(9));
        assert_eq!(clock.now(), Duration::from_millis(9));
    }

    #[test]
    fn real_clock_works_and_sleeps_at_least_as_long_as_asked() {
        let mut clock = RealClock::start();
        let before = clock.now();
        clock.work(Duration::from_millis(5));
        let worked = clock.now();
        assert!(worked - before >= Duration::from_millis(5));
        clock.sleep_until(worked + Duration::from_millis(5));
        assert!(clock.now() >= worked + Duration::from_millis(5));
    }
}

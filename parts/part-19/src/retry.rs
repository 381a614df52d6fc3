//! Retrying with backoff: call a function that returns a deferred until it
//! succeeds, waiting longer after each failure.
//!
//! Services fail for a moment all the time: a server restarting, a rate
//! limit, a full queue. Such failures clear up on their own, and the
//! client is expected to wait a bit and ask again. Three questions decide
//! how:
//!
//! - **How long to wait.** [`Backoff`] is an iterator of delays: each one
//!   a multiple of the last (exponential), never above a cap, and
//!   optionally shortened by a random fraction (jitter), so that a
//!   thousand clients that failed together do not all come back together.
//!   It is finite: when it runs out, the retrying gives up. Any iterator of
//!   `Duration`s will do, a `vec![…]` included.
//! - **Which failures are worth another try.** A "busy" is; a "no such
//!   poem" is not, and retrying it only delays the bad news. The failure
//!   tester given to [`Retrying::retry_if`] decides; by default every
//!   failure is retried.
//! - **How to stop.** Cancelling the deferred [`Retrying::call`] returns
//!   stops everything: a delay under way is cancelled (its timer with it),
//!   and so is an attempt under way (its canceller stops its work). No
//!   further attempt is made.
//!
//! The loop runs as a task on part 17's [`Runtime`], which is what makes
//! the cancel rule cheap: cancelling the task drops its future, and a
//! dropped `deferred.await` cancels the deferred it was waiting for, the
//! sleep or the attempt, whichever it is.

use std::time::Duration;

use part_07::{Deferred, Failure};
use part_17::Runtime;

// ANCHOR: backoff
/// Delays between attempts: `first`, then each one `factor` times the
/// last, capped at `max`, for at most `retries` delays; each shortened by
/// up to `jitter` of itself at random. An iterator of [`Duration`]s.
#[derive(Clone, Debug)]
pub struct Backoff {
    next: Duration,
    factor: u32,
    max: Duration,
    retries: usize,
    jitter: f64,
    random: SplitMix64,
}

impl Backoff {
    /// Delays starting at `first` and doubling, capped at a minute, ten of
    /// them, without jitter.
    pub fn exponential(first: Duration) -> Backoff {
        Backoff {
            next: first,
            factor: 2,
            max: Duration::from_secs(60),
            retries: 10,
            jitter: 0.0,
            random: SplitMix64(0),
        }
    }

    /// Each delay is `factor` times the one before (1 keeps it constant).
    pub fn factor(self, factor: u32) -> Backoff {
        Backoff { factor, ..self }
    }

    /// No delay is longer than `max`.
    pub fn max(self, max: Duration) -> Backoff {
        Backoff { max, ..self }
    }

    /// At most `retries` delays, so at most `retries + 1` attempts.
    pub fn retries(self, retries: usize) -> Backoff {
        Backoff { retries, ..self }
    }

    /// Shortens each delay by a random part of it, up to `fraction` (0 to
    /// 1; outside that, the nearer end, and NaN counts as 0): with 0.5, a
    /// delay of 2 s becomes anything from 1 s to 2 s. The
    /// random numbers come from `seed`, so one seed gives one sequence (a
    /// test can rely on it); give each client a different seed, such as
    /// its process id mixed with the time.
    pub fn jitter(self, fraction: f64, seed: u64) -> Backoff {
        Backoff {
            jitter: if fraction.is_nan() {
                0.0
            } else {
                fraction.clamp(0.0, 1.0)
            },
            random: SplitMix64(seed),
            ..self
        }
    }
}

impl Iterator for Backoff {
    type Item = Duration;

    fn next(&mut self) -> Option<Duration> {
        if self.retries == 0 {
            return None;
        }
        self.retries -= 1;
        let delay = self.next.min(self.max);
        self.next = self.next.saturating_mul(self.factor).min(self.max);
        if self.jitter == 0.0 {
            return Some(delay);
        }
        Some(delay.mul_f64(1.0 - self.jitter * self.random.unit()))
    }
}
// ANCHOR_END: backoff

/// A small, seedable source of random numbers (Steele, Lea and Flood's
/// SplitMix64): good enough to spread retries, and the same every time
/// for the same seed.
#[derive(Clone, Debug)]
struct SplitMix64(u64);

impl SplitMix64 {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number from 0 (included) to 1 (excluded).
    fn unit(&mut self) -> f64 {
        // The top 53 bits, as many as an f64 holds exactly.
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
}

// ANCHOR: retrying
/// How to retry: the delays, and which failures are worth retrying.
pub struct Retrying<B, W> {
    delays: B,
    worth_retrying: W,
}

impl<B: IntoIterator<Item = Duration>> Retrying<B, fn(&Failure) -> bool> {
    /// Retries every failure, waiting the delays `delays` gives.
    pub fn new(delays: B) -> Retrying<B, fn(&Failure) -> bool> {
        Retrying {
            delays,
            worth_retrying: |_| true,
        }
    }
}

impl<B, W> Retrying<B, W>
where
    B: IntoIterator<Item = Duration> + 'static,
    W: FnMut(&Failure) -> bool + 'static,
{
    /// Retries only the failures for which `worth_retrying` says `true`;
    /// any other ends the retrying at once, with that failure.
    pub fn retry_if<V: FnMut(&Failure) -> bool + 'static>(
        self,
        worth_retrying: V,
    ) -> Retrying<B, V> {
        Retrying {
            delays: self.delays,
            worth_retrying,
        }
    }

    /// Calls `attempt` now, and again after each failure worth retrying,
    /// after the next delay. Fires with the first value; fails with a
    /// failure not worth retrying, or with the last failure when the delays
    /// run out. Cancelling it cancels the delay or the attempt under way.
    pub fn call<T: 'static>(
        self,
        runtime: &Runtime,
        mut attempt: impl FnMut() -> Deferred<T> + 'static,
    ) -> Deferred<T> {
        let Retrying {
            delays,
            mut worth_retrying,
        } = self;
        let sleeper = runtime.clone();
        runtime.inline_callbacks(async move {
            let mut delays = delays.into_iter();
            loop {
                let failure = match attempt().await {
                    Ok(value) => return Ok(value),
                    Err(failure) => failure,
                };
                if !worth_retrying(&failure) {
                    return Err(failure);
                }
                let Some(delay) = delays.next() else {
                    return Err(failure); // out of delays: give up
                };
                sleeper.sleep(delay).await?;
            }
        })
    }
}
// ANCHOR_END: retrying

//! Part 3, exercise 1: a repeating call, `LoopingCall`.
//!
//! A looping call runs a function every `interval` until it is stopped. It
//! is built from nothing but `call_later`: each run schedules the next, and
//! stopping cancels the one that is pending. The runs keep to a fixed
//! rhythm (due at `start + n × interval`) rather than drifting by however
//! late each one ran, and a run that comes so late that whole intervals
//! went by skips them instead of running several times in a row.
//!
//! `cargo run -p part-03 --example part03-ex1-looping-call -- --interval-ms 300 --times 5`

use std::cell::{Cell, RefCell};
use std::process::ExitCode;
use std::rc::{Rc, Weak};
use std::time::Duration;

use clap::Parser;
use part_03::{DelayedCall, Reactor};

/// Runs a function every interval with a looping call, a few times, then
/// stops the looping call and the reactor.
#[derive(Debug, Parser)]
#[command(name = "part03-ex1-looping-call")]
struct Args {
    /// Milliseconds between two runs.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    interval_ms: u64,
    /// How many runs before the function stops its own looping call.
    #[arg(long, default_value_t = 5, value_parser = clap::value_parser!(u64).range(1..=1000))]
    times: u64,
}

// ANCHOR: solution
/// A function run every `interval`, from the moment it is started until
/// [`stop`](LoopingCall::stop) is called or the handle is dropped.
pub struct LoopingCall(Rc<Looping>);

/// The function a looping call runs, given the looping call itself.
type Function = Box<dyn FnMut(&LoopingCall)>;

struct Looping {
    reactor: Reactor,
    interval: Duration,
    started: Duration,
    /// Runs so far, counting skipped ones: run `n` is due at
    /// `started + n × interval`.
    count: Cell<u64>,
    function: RefCell<Function>,
    pending: RefCell<Option<DelayedCall>>,
}

impl LoopingCall {
    /// Starts calling `function` every `interval`, the first time now (on
    /// the reactor's next turn). The function is given the looping call, so
    /// that it can stop it.
    pub fn start(
        reactor: &Reactor,
        interval: Duration,
        function: impl FnMut(&LoopingCall) + 'static,
    ) -> LoopingCall {
        let looping = Rc::new(Looping {
            reactor: reactor.clone(),
            interval,
            started: reactor.now(),
            count: Cell::new(0),
            function: RefCell::new(Box::new(function)),
            pending: RefCell::new(None),
        });
        schedule(&looping, Duration::ZERO);
        LoopingCall(looping)
    }

    /// Stops the loop: the pending run is cancelled. Returns whether it was
    /// still running.
    pub fn stop(&self) -> bool {
        match self.0.pending.borrow_mut().take() {
            Some(call) => call.cancel().is_ok(),
            None => false,
        }
    }

    /// Whether a next run is scheduled.
    pub fn running(&self) -> bool {
        self.0
            .pending
            .borrow()
            .as_ref()
            .is_some_and(DelayedCall::active)
    }

    /// How many intervals have passed since the start, counting the runs
    /// skipped because the reactor was late.
    pub fn count(&self) -> u64 {
        self.0.count.get()
    }
}

impl Drop for LoopingCall {
    /// Dropping the only handle stops the loop (the callbacks hold only a
    /// `Weak`, so nothing else keeps it alive).
    fn drop(&mut self) {
        if Rc::strong_count(&self.0) == 1 {
            self.stop();
        }
    }
}

/// Schedules the next run, `delay` from now. The scheduled callback holds
/// a `Weak`, so a forgotten looping call does not keep itself alive.
fn schedule(looping: &Rc<Looping>, delay: Duration) {
    let weak: Weak<Looping> = Rc::downgrade(looping);
    let call = looping.reactor.call_later(delay, move || {
        if let Some(looping) = weak.upgrade() {
            run_once(looping);
        }
    });
    *looping.pending.borrow_mut() = Some(call);
}

fn run_once(looping: Rc<Looping>) {
    looping.pending.borrow_mut().take(); // this run is no longer pending
    // Schedule the next run before calling the function, so that the
    // function can stop the loop (cancel it) or panic without ending it.
    let now = looping.reactor.now();
    let elapsed = now.saturating_sub(looping.started);
    let intervals = (elapsed.as_nanos() / looping.interval.as_nanos().max(1)) as u64;
    looping.count.set(intervals + 1);
    let next = u32::try_from(intervals + 1).unwrap_or(u32::MAX);
    let next_due = looping.started + looping.interval.saturating_mul(next);
    schedule(&looping, next_due.saturating_sub(now));

    let handle = LoopingCall(Rc::clone(&looping));
    (looping.function.borrow_mut())(&handle);
    // `handle` is not the last one (the scheduled call and the owner hold
    // the loop), so dropping it does not stop anything.
}
// ANCHOR_END: solution

fn main() -> ExitCode {
    let args = Args::parse();
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    let interval = Duration::from_millis(args.interval_ms);
    let times = args.times;
    let handle = reactor.clone();
    let looping = LoopingCall::start(&reactor, interval, move |call| {
        let at = handle.now().as_secs_f64();
        println!("run {} at {at:.2}s", call.count());
        if call.count() == times {
            println!("that was run {times}: stopping the looping call");
            call.stop();
            // Give it one more interval to prove that nothing else runs.
            let inner = handle.clone();
            handle.call_later(interval, move || inner.stop());
        }
    });
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    println!(
        "The reactor stopped at {:.2}s; the looping call is {}.",
        reactor.now().as_secs_f64(),
        if looping.running() {
            "still running"
        } else {
            "stopped"
        }
    );
    ExitCode::SUCCESS
}

//! The guided demo of part 3: `cargo run -p part-03`.
//!
//! Runs the reactor through the lesson in a couple of seconds: a callback
//! run as soon as the loop starts, a countdown made of timed calls, a
//! callback that panics while the loop goes on, a delayed call that is
//! cancelled and never runs, and the stack as seen from inside a callback.
//! Then the same countdown again on the `poll(2)` backend, and what to
//! notice.

use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use clap::Parser;
use part_03::stack;
use part_03::{BackendKind, CallState, Clock, DelayedCall, Reactor, ReactorError};

/// Part 3 — Our eye-beams begin to twist: a reactor of our own, calling us
/// back on `epoll` (through mio) and on `poll(2)`.
#[derive(Debug, Parser)]
#[command(name = "part-03", version)]
struct Args {
    /// Milliseconds between two steps of the countdown.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(10..=2000))]
    tick_ms: u64,
}

/// Prints a line stamped with the reactor's clock.
fn say(reactor: &Reactor, what: impl std::fmt::Display) {
    println!("  {:>5.2}s  {what}", reactor.now().as_secs_f64());
}

/// A countdown from 5 on timed calls: each step schedules the next. With
/// `show_stack`, the last step prints the stack it runs on.
struct Countdown {
    reactor: Reactor,
    left: Cell<u32>,
    tick: Duration,
    show_stack: bool,
}

impl Countdown {
    fn step(self: Rc<Self>) -> Result<(), ReactorError> {
        let left = self.left.get();
        if left == 0 {
            if self.show_stack {
                say(
                    &self.reactor,
                    "liftoff; the stack of this callback, outermost call first:",
                );
                stack::print_stack(&stack::workspace_stack(), 10);
            }
            say(&self.reactor, "stop()");
            return self.reactor.stop();
        }
        say(&self.reactor, format_args!("{left} ..."));
        self.left.set(left - 1);
        let next = Rc::clone(&self);
        self.reactor.call_later(self.tick, move || next.step());
        Ok(())
    }
}

/// A callback with a bug.
fn fall_over(reactor: &Reactor) {
    say(reactor, "a callback is about to panic");
    panic!("this callback fell over");
}

fn secs(d: Duration) -> String {
    format!("{:.2}s", d.as_secs_f64())
}

/// The first run: everything the reactor does, on epoll.
fn full_run(tick: Duration) -> Result<(), String> {
    let reactor = Reactor::with(BackendKind::Mio, Clock::real())
        .map_err(|e| format!("cannot create a reactor: {e}"))?;
    // Times of the extra calls, between the countdown's steps.
    let (cancel_at, doomed_at, panic_at) = (tick * 3 / 2, tick * 9 / 2, tick * 5 / 2);

    println!(
        "1. A reactor on {}. Before calling run(), main schedules:",
        reactor.backend_name()
    );
    println!("   - hello, for as soon as the loop runs (call_when_running);");
    println!(
        "   - a countdown from 5, one step every {} (call_later: each step schedules the next);",
        secs(tick)
    );
    println!(
        "   - a call for {} that another call, at {}, cancels: it must never run;",
        secs(doomed_at),
        secs(cancel_at)
    );
    println!("   - a callback at {} that panics.", secs(panic_at));
    println!("   Then main calls run(), and from here on the reactor calls us:");
    println!();

    // ANCHOR: demo_schedule
    let handle = reactor.clone();
    reactor
        .call_when_running(move || say(&handle, "hello from inside run(): the reactor called me"));

    let countdown = Rc::new(Countdown {
        reactor: reactor.clone(),
        left: Cell::new(5),
        tick,
        show_stack: true,
    });
    reactor.call_when_running(move || countdown.step());

    let ran = Rc::new(Cell::new(false));
    let ran_inside = Rc::clone(&ran);
    let doomed: DelayedCall = reactor.call_later(doomed_at, move || ran_inside.set(true));
    let (handle, to_cancel) = (reactor.clone(), doomed.clone());
    reactor.call_later(cancel_at, move || {
        say(
            &handle,
            format_args!("cancelling the call due at {}", secs(to_cancel.due())),
        );
        to_cancel.cancel()
    });

    let handle = reactor.clone();
    reactor.call_later(panic_at, move || fall_over(&handle));
    // ANCHOR_END: demo_schedule

    reactor.run().map_err(|e| e.to_string())?;
    println!();
    println!(
        "run() returned after {}. Failed callbacks reported: {}; the loop went on.",
        secs(reactor.now()),
        reactor.failures()
    );
    println!(
        "The cancelled call is {:?} and never ran: {}.",
        doomed.state(),
        if ran.get() {
            "it did run (a bug!)"
        } else {
            "true"
        }
    );
    if ran.get() || doomed.state() != CallState::Cancelled {
        return Err("the cancelled call ran".to_string());
    }
    Ok(())
}

/// The second run: the same countdown, waiting in `poll(2)`.
fn poll_run(tick: Duration) -> Result<(), String> {
    let reactor = Reactor::with(BackendKind::Poll, Clock::real())
        .map_err(|e| format!("cannot create a reactor: {e}"))?;
    println!(
        "2. The same countdown on {}: the loop and the callbacks do not change,",
        reactor.backend_name()
    );
    println!("   only the system call the reactor waits in.");
    println!();
    let countdown = Rc::new(Countdown {
        reactor: reactor.clone(),
        left: Cell::new(5),
        tick,
        show_stack: false,
    });
    reactor.call_when_running(move || countdown.step());
    reactor.run().map_err(|e| e.to_string())?;
    println!();
    println!("run() returned after {}.", secs(reactor.now()));
    Ok(())
}

fn main() -> ExitCode {
    let args = Args::parse();
    let tick = Duration::from_millis(args.tick_ms);

    println!("Part 3 — Our eye-beams begin to twist");
    println!();
    for run in [full_run, poll_run] {
        if let Err(error) = run(tick) {
            eprintln!("error: {error}");
            return ExitCode::FAILURE;
        }
        println!();
    }
    println!("What to notice:");
    println!("- The reactor calls you: main only scheduled callbacks and called run();");
    println!("  every line with a time on it was printed by a callback, from inside run().");
    println!("- Between callbacks the reactor sleeps in its backend's wait, with the next");
    println!("  timed call's due time as the timeout; so callbacks must not block: while one");
    println!("  runs, nothing else can, and a timer due meanwhile simply runs late.");
    println!("- A failed callback is reported (the `Unhandled error` line) and the loop");
    println!("  goes on: the countdown carried on after the panic.");
    println!("- A cancelled delayed call never runs.");
    println!("- The reactor is at the bottom of the stack: under main, above every callback.");
    println!("- epoll or poll(2): same callbacks, same order, same times.");
    ExitCode::SUCCESS
}

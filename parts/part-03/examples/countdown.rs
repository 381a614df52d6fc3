//! Part 3, `countdown`: timed calls. Counts 5, 4, 3, 2, 1, a second apart,
//! then stops the reactor.
//!
//! Each step of the countdown is a callback that prints a number and asks
//! the reactor, with `call_later`, to call the next step one tick later.
//! Between steps the program does nothing at all: the reactor sleeps in its
//! wait, with the time left until the next timed call as the timeout. After
//! the last number, one more tick passes and the last step stops the reactor.
//!
//! `cargo run -p part-03 --example countdown` (or `-- --tick-ms 100` for a
//! quicker one)

use std::cell::Cell;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use clap::Parser;
use part_03::{Reactor, ReactorError};

/// Counts down from 5 with timed calls on the reactor, then stops it.
#[derive(Debug, Parser)]
#[command(name = "countdown")]
struct Args {
    /// Milliseconds between two numbers.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    tick_ms: u64,
}

// ANCHOR: countdown
/// The countdown's state, shared by the steps: each step is a callback that
/// holds an `Rc` of it.
struct Countdown {
    reactor: Reactor,
    left: Cell<u32>,
    tick: Duration,
}

impl Countdown {
    fn step(self: Rc<Self>) -> Result<(), ReactorError> {
        let left = self.left.get();
        if left == 0 {
            return self.reactor.stop();
        }
        println!("{left} ...");
        self.left.set(left - 1);
        let next = Rc::clone(&self);
        self.reactor.call_later(self.tick, move || next.step());
        Ok(())
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    let countdown = Rc::new(Countdown {
        reactor: reactor.clone(),
        left: Cell::new(5),
        tick: Duration::from_millis(args.tick_ms),
    });
    reactor.call_when_running(move || countdown.step());
    println!("Start!");
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    println!("Stop!");
    ExitCode::SUCCESS
}
// ANCHOR_END: countdown

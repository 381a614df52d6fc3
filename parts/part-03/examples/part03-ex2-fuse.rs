//! Part 3, exercise 2: a countdown racing a fuse, and the loser is
//! cancelled.
//!
//! The countdown counts 5 … 1 with one timed call per step, as in the
//! `countdown` example. A second timed call, the fuse, is scheduled at the
//! start. If the countdown gets to zero first, it cancels the fuse; if the
//! fuse burns down first, it cancels the countdown's pending step. Either
//! way the winner stops the reactor, and the loser never runs. Cancelling a
//! call twice, or one that has run, is an error, and the program shows it.
//!
//! `cargo run -p part-03 --example part03-ex2-fuse -- --tick-ms 200 --fuse-ms 1500`
//! (the countdown wins), or `-- --tick-ms 400` (the fuse wins).

use std::cell::{Cell, RefCell};
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use clap::Parser;
use part_03::{DelayedCall, Reactor, ReactorError};

/// A countdown from 5 racing a fuse: whichever finishes first cancels the
/// other.
#[derive(Debug, Parser)]
#[command(name = "part03-ex2-fuse")]
struct Args {
    /// Milliseconds between two steps of the countdown.
    #[arg(long, default_value_t = 200, value_parser = clap::value_parser!(u64).range(1..=60_000))]
    tick_ms: u64,
    /// Milliseconds until the fuse burns down.
    #[arg(long, default_value_t = 1500, value_parser = clap::value_parser!(u64).range(1..=600_000))]
    fuse_ms: u64,
}

/// Who won the race.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Winner {
    /// The countdown got to zero before the fuse burned down.
    Countdown,
    /// The fuse burned down first.
    Fuse,
}

// ANCHOR: solution
/// Where a line of output goes: the terminal, or a test's list.
pub type Say = Rc<dyn Fn(String)>;

struct Race {
    reactor: Reactor,
    tick: Duration,
    left: Cell<u32>,
    /// The countdown's next step, while one is pending.
    next_step: RefCell<Option<DelayedCall>>,
    fuse: RefCell<Option<DelayedCall>>,
    winner: Cell<Option<Winner>>,
    say: Say,
}

impl Race {
    fn say(&self, what: String) {
        let at = self.reactor.now().as_secs_f64();
        (self.say)(format!("{at:>5.2}s  {what}"));
    }

    fn step(self: Rc<Self>) -> Result<(), ReactorError> {
        let left = self.left.get();
        if left == 0 {
            self.winner.set(Some(Winner::Countdown));
            let fuse = self.fuse.borrow_mut().take().expect("the fuse is set");
            let cancelled = fuse.cancel();
            self.say(format!("zero! cancelling the fuse: {cancelled:?}"));
            // A second cancel is refused: the call is already cancelled.
            self.say(format!("cancelling it again: {:?}", fuse.cancel()));
            return self.reactor.stop();
        }
        self.say(format!("{left} ..."));
        self.left.set(left - 1);
        let next = Rc::clone(&self);
        let call = self.reactor.call_later(self.tick, move || next.step());
        *self.next_step.borrow_mut() = Some(call);
        Ok(())
    }

    fn burn(self: Rc<Self>) -> Result<(), ReactorError> {
        self.winner.set(Some(Winner::Fuse));
        let step = self
            .next_step
            .borrow_mut()
            .take()
            .expect("a step is pending");
        self.say(format!(
            "the fuse burned down first! cancelling the countdown: {:?}",
            step.cancel()
        ));
        let fuse = self.fuse.borrow().clone().expect("the fuse is set");
        // This very call is running, so it counts as called already.
        self.say(format!("cancelling the fuse itself: {:?}", fuse.cancel()));
        self.reactor.stop()
    }
}

/// Runs the race on `reactor` and returns who won. Every line it prints
/// goes to `say`.
pub fn race(
    reactor: &Reactor,
    tick: Duration,
    fuse: Duration,
    say: Say,
) -> Result<Winner, ReactorError> {
    let race = Rc::new(Race {
        reactor: reactor.clone(),
        tick,
        left: Cell::new(5),
        next_step: RefCell::new(None),
        fuse: RefCell::new(None),
        winner: Cell::new(None),
        say,
    });
    let burning = Rc::clone(&race);
    *race.fuse.borrow_mut() = Some(reactor.call_later(fuse, move || burning.burn()));
    let counting = Rc::clone(&race);
    reactor.call_when_running(move || counting.step());
    reactor.run()?;
    Ok(race.winner.get().expect("one of them stopped the reactor"))
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
    let (tick, fuse) = (
        Duration::from_millis(args.tick_ms),
        Duration::from_millis(args.fuse_ms),
    );
    println!(
        "A countdown from 5, one step every {:.2}s, against a fuse of {:.2}s.",
        tick.as_secs_f64(),
        fuse.as_secs_f64()
    );
    match race(&reactor, tick, fuse, Rc::new(|line| println!("{line}"))) {
        Ok(winner) => {
            println!("{winner:?} won.");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

//! Part 3, exercise 4: a callback that blocks stalls the whole reactor.
//!
//! A heartbeat is due every tick, each one scheduled at a fixed time from
//! the start, and prints how late it ran. Part-way through, one callback
//! calls `std::thread::sleep`, the way a blocking read or a slow
//! computation would hold the thread. While it sleeps nothing else can
//! run: the heartbeats that fall due meanwhile all run late, one after
//! another, the moment it returns.
//!
//! `cargo run -p part-03 --example part03-ex4-blocking-callback -- --tick-ms 100 --block-ms 1000`

use std::cell::RefCell;
use std::process::ExitCode;
use std::rc::Rc;
use std::thread;
use std::time::Duration;

use clap::Parser;
use part_03::{Reactor, ReactorError};

/// Heartbeats every tick, and one callback that sleeps in the middle.
#[derive(Debug, Parser)]
#[command(name = "part03-ex4-blocking-callback")]
struct Args {
    /// Milliseconds between heartbeats.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    tick_ms: u64,
    /// How long the blocking callback sleeps, in milliseconds.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(0..=60_000))]
    block_ms: u64,
}

/// One heartbeat: when it was due and when it ran, on the reactor's clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Beat {
    /// When it was due.
    pub due: Duration,
    /// When it ran.
    pub ran: Duration,
}

impl Beat {
    /// How late it ran.
    pub fn late(&self) -> Duration {
        self.ran.saturating_sub(self.due)
    }
}

// ANCHOR: solution
/// Ten heartbeats, one every `tick`, and at 3.5 ticks a callback that
/// sleeps for `block`. Returns the beats as they ran; `say` hears about
/// each one, and about the sleep.
pub fn heartbeats(
    reactor: &Reactor,
    tick: Duration,
    block: Duration,
    say: impl Fn(String) + 'static,
) -> Result<Vec<Beat>, ReactorError> {
    let say = Rc::new(say);
    let beats = Rc::new(RefCell::new(Vec::new()));
    for n in 1..=10 {
        let due = tick * n;
        let (handle, beats, say) = (reactor.clone(), Rc::clone(&beats), Rc::clone(&say));
        reactor.call_later(due, move || {
            let beat = Beat {
                due,
                ran: handle.now(),
            };
            say(format!(
                "heartbeat {n:>2}: due {:.2}s, ran {:.2}s, {:>4} ms late",
                due.as_secs_f64(),
                beat.ran.as_secs_f64(),
                beat.late().as_millis()
            ));
            beats.borrow_mut().push(beat);
            if n == 10 {
                let _ = handle.stop();
            }
        });
    }
    let (handle, blocker_say) = (reactor.clone(), Rc::clone(&say));
    reactor.call_later(tick * 7 / 2, move || {
        blocker_say(format!(
            "at {:.2}s a callback sleeps for {:.2}s: the reactor cannot run anything else",
            handle.now().as_secs_f64(),
            block.as_secs_f64()
        ));
        thread::sleep(block); // the mistake: blocking the reactor's thread
    });
    reactor.run()?;
    Ok(beats.take())
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
    let tick = Duration::from_millis(args.tick_ms);
    let block = Duration::from_millis(args.block_ms);
    match heartbeats(&reactor, tick, block, |line| println!("{line}")) {
        Ok(beats) => {
            let worst = beats.iter().map(Beat::late).max().unwrap_or_default();
            println!("The latest heartbeat ran {} ms late.", worst.as_millis());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

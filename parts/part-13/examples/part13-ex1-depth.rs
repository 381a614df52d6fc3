//! Exercise 1 of part 13: deferreds all the way down.
//!
//! Each level of this chain waits for a deferred that a timer fires; each
//! level's callback returns the next level's deferred, down to the last.
//! Predict the order of the lines before you run it: in particular, which
//! level's "goes on" line comes first, and what the outermost chain ends
//! with.
//!
//! ```text
//! cargo run -p part-13 --example part13-ex1-depth
//! ```

use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use clap::Parser;
use part_03::Reactor;
use part_07::{Deferred, deferred};

/// A chain of deferreds, each level's callback returning the next
/// level's deferred.
#[derive(Debug, Parser)]
#[command(name = "part13-ex1-depth")]
struct Args {
    /// How many levels.
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u32).range(1..=10))]
    depth: u32,
}

/// Where a line goes: the terminal, or a test's list.
pub type Say = Rc<dyn Fn(String)>;

/// How long each level's timer takes.
pub const DELAY: Duration = Duration::from_millis(50);

// ANCHOR: down
/// A deferred that a timer on `reactor` fires with `value` after [`DELAY`].
pub fn later(reactor: &Reactor, value: u32) -> Deferred<u32> {
    let (d, trigger) = deferred();
    let _ = reactor.call_later(DELAY, move || trigger.callback(value));
    d
}

/// Level `level` of a chain `depth` levels deep: its callback returns the
/// next level's deferred, so this level waits for all the levels below.
pub fn down(reactor: &Reactor, level: u32, depth: u32, say: Say) -> Deferred<u32> {
    let indent = "  ".repeat(level as usize - 1);
    say(format!("{indent}level {level}: waiting for its timer"));
    let d = later(reactor, level);
    if level == depth {
        return d.add_callback(move |n: u32| {
            say(format!(
                "{indent}level {level}: fired, the bottom; returns {n}"
            ));
            Ok(n)
        });
    }
    let (r, say_1, indent_1) = (reactor.clone(), Rc::clone(&say), indent.clone());
    d.add_callback(move |_: u32| {
        say_1(format!(
            "{indent_1}level {level}: fired; its callback returns level {}'s deferred",
            level + 1
        ));
        down(&r, level + 1, depth, say_1)
    })
    .add_callback(move |n: u32| {
        say(format!("{indent}level {level}: goes on with {n}"));
        Ok(n)
    })
}
// ANCHOR_END: down

fn main() -> ExitCode {
    let args = Args::parse();
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    let stop = reactor.clone();
    let _ = down(&reactor, 1, args.depth, Rc::new(|line| println!("{line}"))).add_callback(
        move |n: u32| {
            println!("the outermost chain ends with {n}");
            let _ = stop.stop();
        },
    );
    if let Err(error) = reactor.run() {
        eprintln!("error: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

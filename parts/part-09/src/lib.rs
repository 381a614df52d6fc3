//! # Part 9 — A second interlude, Deferred
//!
//! Part 7 built the [`Deferred`](part_07::Deferred); part 8 used it in a
//! client. This part looks at the chain itself, closely: every callback is
//! one half of a callback/errback pair, a result travels down the callback
//! side and a failure down the errback side, a callback that fails moves the
//! chain over to the errbacks and an errback that returns a value moves it
//! back. The best way to learn those rules is to watch them work, so this
//! part is a simulator:
//!
//! - [`chain`] describes a chain in a few words (`result p/f r/p f/r`);
//! - [`simulator`] builds that chain on part 7's real `Deferred`, fires it,
//!   and records what each function saw and returned;
//! - [`drawing`] draws the record in the terminal, in two columns;
//! - [`session`] reads chains from standard input, line by line or question
//!   by question;
//! - [`series`] reads pairs the series' way and draws the series' picture:
//!   the chain, fired with a result and with a failure, side by side.
//!
//! The program `deferred-simulator` puts them together; the example
//! `defer-unhandled` shows the one rule the simulator can only report: a
//! failure nobody handled is announced when the last handle on its chain is
//! dropped.
//!
//! ```
//! use part_09::{Chain, draw, simulate};
//!
//! let chain = Chain::parse("result f/p p/r").unwrap();
//! let trace = simulate(&chain);
//! assert_eq!(trace.end.to_string(), "\"value 2\"");
//! print!("{}", draw(&trace));
//! ```

pub mod chain;
pub mod drawing;
pub mod series;
pub mod session;
pub mod simulator;

pub use chain::{Action, Chain, ChainError, Fire, Pair};
pub use drawing::{KEY, draw};
pub use simulator::{Seen, Side, Step, Trace, simulate};

/// Runs `line`'s chain on a real Deferred and draws it; for the demo and the
/// book, which draw chains they know are well formed.
pub fn picture(line: &str) -> Result<String, ChainError> {
    Ok(draw(&simulate(&Chain::parse(line)?)))
}

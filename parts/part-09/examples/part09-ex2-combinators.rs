//! Part 9, exercise 2: the same chain without a Deferred, folded out of
//! `Result`'s combinators.
//!
//! Takes a chain in the simulator's syntax, works out how it ends twice —
//! on part 7's real Deferred (with the simulator) and with nothing but
//! `Result` methods — and prints both.
//!
//! ```text
//! cargo run -p part-09 --example part09-ex2-combinators -- failure p/r f/p p/p
//! ```

use std::process::ExitCode;

use clap::Parser;
use part_02::cli;
use part_09::{Action, Chain, Fire, Pair, Seen, simulate};

/// Works out how a chain ends on a Deferred and with Result combinators.
#[derive(Debug, Parser)]
#[command(name = "part09-ex2-combinators")]
struct Args {
    /// The chain, as deferred-simulator reads a line: FIRE PAIR…
    #[arg(required = true, allow_hyphen_values = true)]
    words: Vec<String>,
}

// ANCHOR: solution
/// What `action`, the function of pair `n`, makes of `input` (a failure is
/// its message here): the same rules as the simulator's.
fn act(action: &Action, n: usize, input: Result<String, String>) -> Result<String, String> {
    match action {
        Action::Pass | Action::Nothing => input,
        Action::Fail(message) => Err(message.clone().unwrap_or(format!("failure {n}"))),
        Action::Return(value) => Ok(value.clone().unwrap_or(format!("value {n}"))),
    }
}

/// How the chain ends, with no Deferred: each pair is one combinator.
pub fn end_of(chain: &Chain) -> Result<String, String> {
    let start = match &chain.fire {
        Fire::Result(value) => Ok(value.clone()),
        Fire::Failure(message) => Err(message.clone()),
    };
    let pairs = chain.pairs.iter().enumerate();
    pairs.fold(start, |outcome, (index, pair)| {
        let n = index + 1;
        match pair {
            // add_callback: only a result is touched.
            Pair::Split {
                callback,
                errback: Action::Nothing,
            } => outcome.and_then(|value| act(callback, n, Ok(value))),
            // add_errback: only a failure is touched.
            Pair::Split {
                callback: Action::Nothing,
                errback,
            } => outcome.or_else(|failure| act(errback, n, Err(failure))),
            // add_callbacks: exactly one of the two runs. Not
            // `.and_then(cb).or_else(eb)`, which would hand a failure made
            // by the callback to the errback of the same pair.
            Pair::Split { callback, errback } => outcome.map_or_else(
                |failure| act(errback, n, Err(failure)),
                |value| act(callback, n, Ok(value)),
            ),
            // add_both: one function sees either.
            Pair::Both(action) => act(action, n, outcome),
        }
    })
}
// ANCHOR_END: solution

/// How the chain ends on the real Deferred, in the same terms.
pub fn end_on_deferred(chain: &Chain) -> Result<String, String> {
    match simulate(chain).end {
        Seen::Result(value) => Ok(value),
        Seen::Failure(message) => Err(message),
    }
}

fn main() -> ExitCode {
    let args = Args::parse();
    let chain = match Chain::parse(&args.words.join(" ")) {
        Ok(chain) => chain,
        Err(error) => return cli::fail(error),
    };
    println!("chain:              {chain}");
    println!("on a Deferred:      {:?}", end_on_deferred(&chain));
    println!("Result combinators: {:?}", end_of(&chain));
    ExitCode::SUCCESS
}

//! `deferred-simulator`: describe a chain of callback/errback pairs and how
//! it is fired, and watch the result or failure travel down it, drawn in the
//! terminal. Each chain runs on part 7's real `Deferred`.
//!
//! Three ways in: the chain in the arguments
//! (`deferred-simulator --fire failure p/r f/p`); chains on standard input,
//! one per line (`echo "failure p/r f/p" | deferred-simulator`); or, at a
//! terminal, with no arguments, question by question. With `--series` it
//! works as the series' simulator did: pairs typed one a line, and the
//! chain drawn fired both ways, side by side.

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;
use part_02::cli;
use part_09::{Chain, KEY, draw, series, session, simulate};

/// How to write a chain, for `--help`.
const SYNTAX: &str = "\
A chain is how it is fired, then its pairs, first added first:

  FIRE      result | result:VALUE | failure | failure:MESSAGE
            (the default is `result`, the value \"poem\"; a failure's
            default message is \"no poem\")
  PAIR      CALLBACK/ERRBACK, each side one of
              p          pass on what it got
              f          fail (message \"failure N\", N the pair's number)
              f:MESSAGE  fail with this message
              r          return a new value (\"value N\")
              r:VALUE    return this value
              -          nothing on this side (add_callback / add_errback)
            or one action alone, such as `r`: one function added with
            add_both, run whichever way the chain arrives
  VALUE and MESSAGE are single words without `/`.

Example: a callback that fails, an errback that recovers, one more callback:

  deferred-simulator --fire result f/p p/r p/p

The fire word may also come first among the pairs, as it does on a line of
standard input, which takes the same syntax, one chain per line:
`result f/p p/r p/p`. At a terminal, with no arguments, the simulator
asks for the chain question by question; --ask asks from any standard
input, printing the questions only at a terminal.";

/// Watch a result or a failure travel down a Deferred's chain of
/// callback/errback pairs, drawn in two columns: callbacks on the left,
/// errbacks on the right, one row per pair.
///
/// The chain is built on part 7's real Deferred: one add_callbacks (or
/// add_callback, add_errback, add_both) per pair, then fired; the drawing
/// shows what each function was given and what it passed on, and the
/// "Unhandled error in Deferred" report if the chain ended in a failure
/// when it was dropped.
#[derive(Debug, Parser)]
#[command(name = "deferred-simulator", version, after_help = SYNTAX)]
struct Args {
    /// Fire the chain with a result or a failure: result, result:VALUE,
    /// failure or failure:MESSAGE
    #[arg(long, value_name = "FIRE")]
    fire: Option<String>,

    /// Ask for the chain question by question, even when standard input is
    /// not a terminal (questions are printed only at a terminal)
    #[arg(long, conflicts_with_all = ["fire", "pairs"])]
    ask: bool,

    /// Print what the drawing's marks mean under each drawing
    #[arg(long)]
    key: bool,

    /// Work as the series' simulator does: read pairs from standard input,
    /// one a line (`r good f bad`), until a blank line, and draw the chain
    /// fired with a result and with a failure, side by side. Pairs given
    /// after the options, one quoted argument each, are drawn at once
    #[arg(long, conflicts_with_all = ["fire", "ask", "key"])]
    series: bool,

    /// With --series: draw the three pictures one under the other
    #[arg(long, requires = "series")]
    narrow: bool,

    /// The pairs, in order: CALLBACK/ERRBACK (see below), after the options.
    /// With no pairs and no --fire, chains are read from standard input
    #[arg(value_name = "PAIR", allow_hyphen_values = true)]
    pairs: Vec<String>,
}

fn main() -> ExitCode {
    let args = Args::parse();
    let stdin = io::stdin();
    let (mut out, mut err) = (io::stdout().lock(), io::stderr().lock());

    // A pair may start with `-` (`-/r`), so once the pairs begin, clap takes
    // every word for one: an option after them would be read as a pair.
    if let Some(option) = args.pairs.iter().find(|word| word.starts_with("--")) {
        return cli::fail(format_args!(
            "{option:?}: options go before the pairs (`deferred-simulator --fire failure p/r`)"
        ));
    }
    if args.series {
        if args.pairs.is_empty() {
            return finish(series::session(stdin.lock(), &mut out, args.narrow), 0);
        }
        let mut pairs = Vec::new();
        for word in &args.pairs {
            match series::parse_pair(word) {
                Ok(Some(pair)) => pairs.push(pair),
                Ok(None) => {}
                Err(error) => return cli::fail(format_args!("{word:?}: {error}")),
            }
        }
        if pairs.is_empty() {
            return cli::fail("give at least one pair, such as \"r good f bad\"");
        }
        let picture = series::picture(&pairs, args.narrow);
        return finish(out.write_all(picture.as_bytes()), 0);
    }

    if args.fire.is_some() || !args.pairs.is_empty() {
        let chain =
            match Chain::from_words(args.fire.as_deref(), args.pairs.iter().map(String::as_str)) {
                Ok(chain) => chain,
                Err(error) => return cli::fail(error),
            };
        let mut text = draw(&simulate(&chain));
        if args.key {
            text.push_str(&format!("\n{KEY}\n"));
        }
        return finish(out.write_all(text.as_bytes()), 0);
    }

    let at_terminal = stdin.is_terminal();
    if args.ask || at_terminal {
        if at_terminal {
            let _ = writeln!(
                out,
                "Build a chain of callback/errback pairs, fire it, and watch.\n{KEY}\n"
            );
        }
        return finish(
            session::ask(stdin.lock(), &mut out, &mut err, at_terminal),
            0,
        );
    }
    match session::lines(stdin.lock(), &mut out, &mut err) {
        Ok(bad) => finish(Ok(()), bad),
        Err(error) => finish(Err(error), 0),
    }
}

/// The exit code: failure if writing or reading failed, or a line was bad.
fn finish(result: io::Result<()>, bad_lines: usize) -> ExitCode {
    match result {
        // A reader that stopped reading (`| head`) is not an error.
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(error) => cli::fail(format_args!("standard input or output: {error}")),
        Ok(()) if bad_lines > 0 => ExitCode::FAILURE,
        Ok(()) => ExitCode::SUCCESS,
    }
}

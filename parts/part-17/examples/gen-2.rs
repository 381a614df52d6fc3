//! Part 17, `gen-2`: the same generator as a `Stream`, driven by hand.
//!
//! `async-stream`'s `stream!` lets us write `gen-1`'s generator as the
//! straight-line body it is, with `yield` in it; the macro turns it into
//! an `async` state machine, which the compiler writes out as `gen-1` did
//! by hand. The loop below asks for each value itself, as the original's
//! `while` loop calls `next`, on our own runtime (part 17's [`Runtime`]).
//!
//! `cargo run -p part-17 --example gen-2`

use std::pin::pin;
use std::process::ExitCode;

use async_stream::stream;
use futures::{Stream, StreamExt};
use part_03::Reactor;
use part_17::Runtime;

// ANCHOR: stream
/// Yields 1, 2, 3, saying what it is doing in between.
fn my_generator() -> impl Stream<Item = u32> {
    stream! {
        println!("starting up");
        yield 1;
        println!("working");
        yield 2;
        println!("still working");
        yield 3;
        println!("done");
    }
}
// ANCHOR_END: stream

fn main() -> ExitCode {
    let runtime = match Reactor::new() {
        Ok(reactor) => Runtime::new(&reactor),
        Err(error) => {
            eprintln!("error: cannot create a reactor: {error}");
            return ExitCode::FAILURE;
        }
    };
    // ANCHOR: main
    let ran = runtime.block_on(async {
        let mut generator = pin!(my_generator());
        // `None` is Python's StopIteration.
        while let Some(n) = generator.next().await {
            println!("{n}");
        }
    });
    // ANCHOR_END: main
    if let Err(failure) = ran {
        eprintln!("error: {failure}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

//! Part 7, `failure-sorting`: what a `Failure` holds, and what it is for
//! (ours; the series' `failure-examples` is the shorter script beside it).
//!
//! A [`Failure`] carries an error down a deferred's chain, to whoever can
//! deal with it. Since nobody up the stack is waiting for it, it must carry
//! everything needed to make sense of it: the error itself (of its own
//! type, not flattened into a string), the name of that type, and the place
//! in the source where it became a failure. The program shows each, then
//! the tools an errback uses to decide what to do: `check` (is it this kind
//! of error?), `trap` (take it if so, hand it back otherwise),
//! `downcast_ref`, and `?`, which turns any error into a failure.
//! Finally a chain where one errback handles one kind of error and passes
//! the others on, and the failure still says where it came from.
//!
//! `cargo run -p part-07 --example failure-sorting`

use std::num::ParseIntError;

use part_07::{Failure, deferred};

// ANCHOR: errors
/// A poem that was meant to be a sonnet and is not one.
#[derive(Clone, Debug, thiserror::Error)]
#[error("a sonnet has 14 lines, not {lines}")]
struct NotASonnet {
    lines: u32,
}
// ANCHOR_END: errors

// ANCHOR: question_mark
/// Reads a poem's line count from a header such as `"lines: 14"`. A
/// `ParseIntError` becomes a failure at the `?`, which is where the failure
/// says it was raised.
fn line_count(header: &str) -> Result<u32, Failure> {
    let digits = header.trim_start_matches("lines:").trim();
    let count = digits.parse::<u32>()?;
    Ok(count)
}
// ANCHOR_END: question_mark

/// Prints a heading.
fn heading(text: &str) {
    println!();
    println!("{text}");
}

fn main() {
    // ANCHOR: holds
    heading("1. A failure made from an error holds the error, its type, and where:");
    let failure = Failure::new(NotASonnet { lines: 3 });
    println!("   as a line:     {failure}");
    println!("   type:          {}", failure.type_name());
    println!("   short type:    {}", failure.short_type_name());
    println!("   message:       {}", failure.message());
    println!("   raised at:     {}", failure.location());
    // ANCHOR_END: holds

    heading("2. `?` turns any error into a failure, and remembers the `?`:");
    for header in ["lines: 14", "lines: fourteen"] {
        let call = format!("line_count({header:?})");
        match line_count(header) {
            Ok(count) => println!("   {call:<29} = Ok({count})"),
            Err(failure) => println!("   {call:<29} = Err({failure})"),
        }
    }

    // ANCHOR: check
    heading("3. check: is the error inside of this type?");
    println!(
        "   check::<NotASonnet>()    = {}",
        failure.check::<NotASonnet>()
    );
    println!(
        "   check::<ParseIntError>() = {}",
        failure.check::<ParseIntError>()
    );

    heading("4. downcast_ref: read the error as its own type:");
    if let Some(not_a_sonnet) = failure.downcast_ref::<NotASonnet>() {
        println!("   the poem has {} lines", not_a_sonnet.lines);
    }

    heading("5. trap: take the error if it is of this type, else get the failure back:");
    let failure = match failure.trap::<ParseIntError>() {
        Ok(error) => unreachable!("it is no ParseIntError: {error}"),
        Err(failure) => {
            println!("   trap::<ParseIntError>() = Err, unchanged: {failure}");
            failure
        }
    };
    match failure.trap::<NotASonnet>() {
        Ok(error) => println!("   trap::<NotASonnet>()    = Ok({error:?})"),
        Err(failure) => println!("   trap::<NotASonnet>()    = Err?! {failure}"),
    }
    // ANCHOR_END: check

    heading("6. In a chain: an errback handles one kind of error, and passes on the rest:");
    for header in ["lines: 14", "lines: 3", "lines: ???"] {
        println!("   fired with {header:?}:");
        // ANCHOR: chain
        let (d, trigger) = deferred::<&str>();
        let _end = d
            .add_callback(|header: &str| {
                let lines = line_count(header)?; // line_count's failure, as it is
                if lines != 14 {
                    return Err(Failure::new(NotASonnet { lines }));
                }
                Ok(lines)
            })
            .add_errback(|failure: Failure| {
                // Our business: poems that are not sonnets. Anything else
                // goes on down the chain, unchanged, by the `?`.
                let not_a_sonnet = failure.trap::<NotASonnet>()?;
                println!("     errback 1: {not_a_sonnet}; a poem all the same");
                Ok(not_a_sonnet.lines)
            })
            .add_callbacks(
                |count: u32| println!("     callback: the poem has {count} lines"),
                |failure: Failure| println!("     errback 2: gave up: {failure}"),
            );
        // ANCHOR_END: chain
        trigger
            .callback(header)
            .expect("a new deferred has not fired yet");
    }
}

//! Memoising with promises: a [`Memo`] in front of a pretend download,
//! which the program fires by hand, so the order of events is fixed.
//! Three scenes: callers sharing one call, a failure that is not kept,
//! and callers who give up.
//!
//! ```text
//! cargo run -p part-14 --example promise-memo
//! ```

use std::cell::RefCell;
use std::rc::Rc;

use clap::Parser;
use part_07::{Deferred, Failure, Message, Trigger};
use part_14::Memo;

/// Shows a memo of deferreds: shared calls, failures forgotten, cancels.
#[derive(Debug, Parser)]
#[command(name = "promise-memo")]
struct Args {}

/// The pretend downloads under way: which poem, and the trigger to fire.
type Downloads = Rc<RefCell<Vec<(String, Trigger<String>)>>>;

/// A callback and errback that print what `who` received.
fn show(who: &'static str, d: Deferred<String>) {
    let _ = d.add_both(move |outcome: Result<String, Failure>| match outcome {
        Ok(poem) => println!("    {who} got {poem:?}"),
        Err(failure) => println!("    {who} failed: {}", failure.message()),
    });
}

/// Takes the oldest download still under way.
fn next(downloads: &Downloads) -> Trigger<String> {
    downloads.borrow_mut().remove(0).1
}

fn main() {
    let Args {} = Args::parse();
    let downloads: Downloads = Rc::default();
    let record = Rc::clone(&downloads);
    // ANCHOR: scene_1
    let memo = Memo::new(move |name: &String| {
        println!("  downloading {name}");
        let (poem, trigger) = Deferred::with_canceller(|_: &Trigger<String>| {
            println!("  download cancelled");
        });
        record.borrow_mut().push((name.clone(), trigger));
        poem
    });
    println!("Three callers ask for tyger, one for panther:");
    show("ada", memo.get("tyger".into()));
    show("ben", memo.get("tyger".into()));
    show("cy", memo.get("tyger".into()));
    show("dora", memo.get("panther".into()));
    println!("The downloads finish:");
    let _ = next(&downloads).callback("Tyger Tyger, burning bright".into());
    let _ = next(&downloads).callback("His vision, from the constantly".into());
    println!("Ed asks for tyger:");
    show("ed", memo.get("tyger".into()));
    // ANCHOR_END: scene_1
    println!("Calls so far: {}.", memo.calls());

    // ANCHOR: scene_2
    println!("Two callers ask for raven; its download fails:");
    show("ada", memo.get("raven".into()));
    show("ben", memo.get("raven".into()));
    let _ = next(&downloads).errback(Message("connection refused".into()));
    println!("Cy asks for raven again:");
    show("cy", memo.get("raven".into()));
    let _ = next(&downloads).callback("Once upon a midnight dreary".into());
    // ANCHOR_END: scene_2
    println!("Calls so far: {}.", memo.calls());

    // ANCHOR: scene_3
    println!("Two callers ask for ozymandias, then both give up:");
    let first = memo.get("ozymandias".into());
    let second = memo.get("ozymandias".into());
    let (first_handle, second_handle) = (first.cancel_handle(), second.cancel_handle());
    show("ada", first);
    show("ben", second);
    println!("  ada cancels");
    first_handle.cancel();
    println!("  ben cancels");
    second_handle.cancel();
    println!(
        "Is ozymandias still being fetched? {}",
        memo.is_waiting(&"ozymandias".into())
    );
    // ANCHOR_END: scene_3
}

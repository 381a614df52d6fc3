//! The guided demo of part 18: a deferred list collecting outcomes in the
//! order its members were given while they fire out of order, then each
//! of its options at work. The members are fired by timed calls on a
//! reactor with a virtual clock, so the demo takes no real time.
//!
//! ```text
//! cargo run -p part-18
//! ```

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Deferred, Failure, deferred, on_unhandled};
use part_18::{DeferredList, FirstError, ListOptions, ListResult, gather_results, pairs};

/// Part 18's guided tour: a deferred list and its options.
#[derive(Debug, Parser)]
#[command(name = "part-18")]
struct Args {}

/// What a member does, and when (in virtual seconds).
#[derive(Clone, Copy)]
enum Plan {
    Succeed(u64, &'static str),
    Fail(u64, &'static str),
}

/// Deferreds fired by timed calls on `reactor`, as `plans` say; each
/// firing is announced.
fn members(reactor: &Reactor, plans: &[Plan]) -> Vec<Deferred<&'static str>> {
    plans
        .iter()
        .enumerate()
        .map(|(index, &plan)| {
            let (d, trigger) = deferred();
            let (at, outcome) = match plan {
                Plan::Succeed(at, value) => (at, Ok(value)),
                Plan::Fail(at, why) => (at, Err(why)),
            };
            let _ = reactor.call_later(Duration::from_secs(at), move || match outcome {
                Ok(value) => {
                    println!("  {at}s: member {index} succeeds with {value:?}");
                    let _ = trigger.callback(value);
                }
                Err(why) => {
                    println!("  {at}s: member {index} fails: {why}");
                    let _ = trigger.errback(Failure::msg(why));
                }
            });
            d
        })
        .collect()
}

/// Prints what a list fired with.
fn show(outcome: Result<ListResult<&'static str>, Failure>) {
    match outcome {
        Ok(ListResult::All(all)) => println!("  the list fires with {}", pairs(&all)),
        Ok(ListResult::First { value, index }) => {
            println!("  the list fires with member {index}'s {value:?}")
        }
        Err(failure) => match failure.downcast_ref::<FirstError>() {
            Some(first) => println!(
                "  the list fails with member {}'s failure: {}",
                first.index,
                first.failure.message()
            ),
            None => println!("  the list fails: {}", failure.message()),
        },
    }
}

/// One scene: a list over `plans` with `options`, run to the end.
fn scene(title: &str, plans: &[Plan], options: ListOptions) -> Result<(), String> {
    println!("{title}");
    let reactor =
        Reactor::with(BackendKind::Mio, VirtualClock::new()).map_err(|e| e.to_string())?;
    let list = DeferredList::new(members(&reactor, plans), options);
    let _ = list.into_deferred().add_both(show);
    // Runs the timed calls, then stops: nothing else is scheduled.
    let stopper = reactor.clone();
    let _ = reactor.call_later(Duration::from_secs(10), move || stopper.stop());
    reactor.run().map_err(|e| e.to_string())?;
    println!();
    Ok(())
}

fn tour() -> Result<(), String> {
    // Unhandled failures are printed with the rest, to be seen in order.
    let _report = on_unhandled(|failure| {
        println!("  unhandled failure reported: {}", failure.message());
    });
    let out_of_order = [
        Plan::Succeed(3, "first given"),
        Plan::Succeed(1, "second given"),
        Plan::Succeed(2, "third given"),
    ];
    scene(
        "1. Members fire in the order 1, 2, 0; the list keeps the order given:",
        &out_of_order,
        ListOptions::default(),
    )?;
    let one_fails = [
        Plan::Succeed(2, "a poem"),
        Plan::Fail(1, "server down"),
        Plan::Succeed(3, "another poem"),
    ];
    scene(
        "2. A failure is listed; not consumed, it is also reported when its deferred goes:",
        &one_fails,
        ListOptions::default(),
    )?;
    scene(
        "3. The same with consume_errors: listed, and not reported:",
        &one_fails,
        ListOptions {
            consume_errors: true,
            ..ListOptions::default()
        },
    )?;
    scene(
        "4. fire_on_one_callback: the first success fires the list:",
        &one_fails,
        ListOptions {
            fire_on_one_callback: true,
            consume_errors: true,
            ..ListOptions::default()
        },
    )?;
    scene(
        "5. fire_on_one_errback: the first failure fails the list:",
        &one_fails,
        ListOptions {
            fire_on_one_errback: true,
            consume_errors: true,
            ..ListOptions::default()
        },
    )?;
    scene(
        "6. An empty list has fired before anything runs:",
        &[],
        ListOptions::default(),
    )?;
    println!("7. gather_results: just the values, or the first failure:");
    let fired: Vec<Deferred<u32>> = vec![part_07::succeed(1), part_07::succeed(2)];
    let _ = gather_results(fired, true)
        .add_callback(|values: Vec<u32>| println!("  gathered {values:?}"));
    println!();
    println!("What to notice: the outcomes are in the order the members were given,");
    println!("and a list never stops its members; it only stops waiting for them.");
    println!("Client 8.0 (`--bin client-8`) waits for all its downloads with one list.");
    Ok(())
}

fn main() -> ExitCode {
    let Args {} = Args::parse();
    match tour() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

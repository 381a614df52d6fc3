//! `defer-10`: a callback that returns a deferred.
//!
//! Three callbacks on a deferred print what they get and return the next
//! number. Then the same chain, but the middle callback returns a new
//! deferred instead of a number: the outer chain stops after it, and goes
//! on, with the inner deferred's result, only when that one fires.
//!
//! No reactor here: `main` fires the inner deferred itself, through a
//! trigger the middle callback leaves in a shared slot. A real program
//! never does that; the work the callback started would fire it.
//!
//! ```text
//! cargo run -p part-13 --example defer-10
//! ```

use std::cell::RefCell;
use std::rc::Rc;

use part_07::{Deferred, Failure, Trigger, deferred};

fn callback_1(result: i32) -> Result<i32, Failure> {
    println!("callback_1 got {result}");
    Ok(1)
}

fn callback_2(result: i32) -> Result<i32, Failure> {
    println!("callback_2 got {result}");
    Ok(2)
}

fn callback_3(result: i32) -> Result<i32, Failure> {
    println!("callback_3 got {result}");
    Ok(3)
}

fn main() {
    println!();
    println!("A callback may return a deferred of its own. First, a chain of three");
    println!("callbacks that each print what they get and return a number:");
    println!();
    let (d, trigger) = deferred::<i32>();
    let _d = d
        .add_callback(callback_1)
        .add_callback(callback_2)
        .add_callback(callback_3);
    trigger.callback(0).expect("fired once");

    // ANCHOR: scene
    println!();
    println!("Now the middle callback returns a new deferred instead of a number:");
    println!();
    // Where the middle callback leaves the inner deferred's trigger, so
    // that `main` can fire it below (never do this in a real program).
    let inner: Rc<RefCell<Option<Trigger<i32>>>> = Rc::default();
    let slot = Rc::clone(&inner);
    let callback_2_async = move |result: i32| -> Deferred<i32> {
        println!("callback_2 got {result}");
        let (deferred_2, trigger_2) = deferred::<i32>();
        *slot.borrow_mut() = Some(trigger_2);
        deferred_2
    };
    let (d, trigger) = deferred::<i32>();
    let _d = d
        .add_callback(callback_1)
        .add_callback(callback_2_async)
        .add_callback(callback_3);
    trigger.callback(0).expect("fired once");

    println!();
    println!("No callback_3 yet. The outer chain holds on to the inner deferred and");
    println!("will resume when it fires; no thread waits, nothing sleeps. Firing it:");
    println!();
    let trigger_2 = inner.take().expect("callback_2_async ran");
    trigger_2.callback(2).expect("fired once");

    println!();
    println!("What the inner deferred was fired with, 2, is what callback_3 got.");
    // ANCHOR_END: scene
}

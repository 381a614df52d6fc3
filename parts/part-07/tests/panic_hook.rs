//! A panic caught in a callback is reported once, by the Deferred, and not
//! also by Rust's panic hook; a panic outside any callback still reaches
//! the hook. (A file of its own: it replaces the process's panic hook, so
//! nothing else may run in this test binary.)

use std::panic;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use part_07::{Failure, succeed};

#[test]
fn a_caught_panic_reaches_the_errback_and_not_the_panic_hook() {
    // Stands in for Rust's default hook, which would print the panic.
    let hook_calls = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&hook_calls);
    panic::set_hook(Box::new(move |_| {
        count.fetch_add(1, Ordering::SeqCst);
    }));

    let caught = std::rc::Rc::new(std::cell::Cell::new(false));
    let seen = std::rc::Rc::clone(&caught);
    let _end = succeed(1u8)
        .add_callback(|_| -> Result<u8, Failure> { panic!("a bad line") })
        .add_errback(move |failure| {
            seen.set(failure.message().ends_with("a bad line"));
            Ok(0)
        });
    assert!(caught.get(), "the errback got the panic");
    assert_eq!(hook_calls.load(Ordering::SeqCst), 0, "not reported twice");

    let _ = panic::catch_unwind(|| panic!("outside any callback"));
    assert_eq!(
        hook_calls.load(Ordering::SeqCst),
        1,
        "other panics still reach the hook"
    );
    let _ = panic::take_hook();
}

//! Signals routed into a reactor's `stop`. In a test binary of its own:
//! a raised `SIGTERM` is the whole process's business, so no test that
//! routes signals elsewhere may run beside it.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use part_03::{Phase, Reactor};
use signal_hook::consts::{SIGINT, SIGKILL, SIGTERM};

#[test]
fn sigterm_stops_a_reactor_that_routes_it_and_the_shutdown_runs() {
    let reactor = Reactor::new().unwrap();
    // Registered before anything raises: the signal cannot end the process.
    let guard = reactor
        .handle()
        .stop_on_signals(&[SIGINT, SIGTERM])
        .unwrap();

    let shut_down = Rc::new(Cell::new(false));
    let flag = Rc::clone(&shut_down);
    reactor.add_shutdown_trigger(Phase::During, move || flag.set(true));
    reactor.call_when_running(|| signal_hook::low_level::raise(SIGTERM));
    // If the signal did nothing, this ends the test instead of a hang.
    let gave_up = Rc::new(Cell::new(false));
    let (flag, handle) = (Rc::clone(&gave_up), reactor.clone());
    reactor.call_later(Duration::from_secs(5), move || {
        flag.set(true);
        handle.stop()
    });

    reactor.run().unwrap();
    assert!(!gave_up.get(), "the signal did not stop the reactor");
    assert!(
        shut_down.get(),
        "stopping by signal runs the shutdown triggers"
    );
    drop(guard);
}

#[test]
fn a_signal_that_cannot_be_handled_is_refused() {
    let reactor = Reactor::new().unwrap();
    let refused = reactor.handle().stop_on_signals(&[SIGTERM, SIGKILL]);
    assert_eq!(
        refused.unwrap_err().kind(),
        std::io::ErrorKind::InvalidInput
    );
}

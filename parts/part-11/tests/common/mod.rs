//! What the in-process tests of this part share: running a reactor in the
//! test while clients on another thread talk to it. (The checks of the
//! server programs come from `testkit`.)

use std::rc::Rc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use part_03::Reactor;

/// Runs the reactor until `thread` (the clients) has finished, and returns
/// what the thread returned. Fails the test if the thread is still running
/// after 10 s, rather than letting it hang.
pub fn run_until<T: 'static>(reactor: &Reactor, thread: JoinHandle<T>) -> T {
    fn watch<T: 'static>(reactor: Reactor, thread: Rc<JoinHandle<T>>, deadline: Instant) {
        if thread.is_finished() || Instant::now() > deadline {
            let _ = reactor.stop();
        } else {
            let again = reactor.clone();
            reactor.call_later(Duration::from_millis(2), move || {
                watch(again, thread, deadline)
            });
        }
    }
    let thread = Rc::new(thread);
    let deadline = Instant::now() + Duration::from_secs(10);
    watch(reactor.clone(), Rc::clone(&thread), deadline);
    reactor.run().unwrap();
    let thread = Rc::try_unwrap(thread).unwrap_or_else(|_| panic!("still watched"));
    assert!(
        thread.is_finished(),
        "the client thread did not finish in time"
    );
    thread.join().unwrap()
}

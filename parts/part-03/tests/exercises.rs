//! The solutions to the chapter's exercises, checked: each example in
//! `examples/` is compiled into this test as a module and its solution is
//! called directly, on a virtual clock wherever time matters but the real
//! clock does not.

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Clock, Reactor, VirtualClock};

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/part03-ex1-looping-call.rs"]
mod ex1;

#[allow(dead_code)]
#[path = "../examples/part03-ex2-fuse.rs"]
mod ex2;

#[allow(dead_code)]
#[path = "../examples/part03-ex3-timer-rate.rs"]
mod ex3;

#[allow(dead_code)]
#[path = "../examples/part03-ex4-blocking-callback.rs"]
mod ex4;

#[allow(dead_code)]
#[path = "../examples/part03-ex5-read-once.rs"]
mod ex5;

fn virtual_reactor(kind: BackendKind) -> (Reactor, VirtualClock) {
    let clock = VirtualClock::new();
    (Reactor::with(kind, clock.clone()).unwrap(), clock)
}

const SECOND: Duration = Duration::from_secs(1);

/// Exercise 1: runs every interval, exactly, until the function stops it;
/// nothing runs after that.
#[test]
fn ex1_looping_call_runs_every_interval_until_stopped() {
    let (reactor, _) = virtual_reactor(BackendKind::Mio);
    let runs = Rc::new(RefCell::new(Vec::new()));
    let (log, handle) = (Rc::clone(&runs), reactor.clone());
    let looping = ex1::LoopingCall::start(&reactor, SECOND, move |call| {
        log.borrow_mut().push(handle.now());
        if call.count() == 4 {
            assert!(call.stop(), "it was running");
        }
    });
    assert!(looping.running());
    reactor.run().unwrap(); // on a virtual clock: returns when nothing is left
    let secs: Vec<u64> = runs.borrow().iter().map(Duration::as_secs).collect();
    assert_eq!(secs, [0, 1, 2, 3]);
    assert!(!looping.running());
    assert!(!looping.stop(), "stopping twice does nothing");
}

/// Exercise 1: a run that comes late skips the intervals it missed and
/// keeps to the original rhythm.
#[test]
fn ex1_looping_call_keeps_its_rhythm_and_skips_missed_runs() {
    let (reactor, clock) = virtual_reactor(BackendKind::Mio);
    let runs = Rc::new(RefCell::new(Vec::new()));
    let (log, handle) = (Rc::clone(&runs), reactor.clone());
    let looping = ex1::LoopingCall::start(&reactor, SECOND, move |call| {
        log.borrow_mut().push((handle.now(), call.count()));
    });
    reactor.advance(Duration::ZERO).unwrap(); // run 1, at 0 s
    // Hold the loop up for 3.5 s, as a slow callback would.
    clock.advance(Duration::from_millis(3500));
    reactor.advance(Duration::ZERO).unwrap(); // one late run, not three
    reactor.advance(Duration::from_millis(500)).unwrap(); // back on the beat
    drop(looping); // dropping the handle stops it
    reactor.advance(10 * SECOND).unwrap();
    let runs = runs.borrow();
    let got: Vec<(u128, u64)> = runs.iter().map(|(t, n)| (t.as_millis(), *n)).collect();
    assert_eq!(got, [(0, 1), (3500, 4), (4000, 5)]);
}

/// Exercise 2: whichever finishes first wins; the other is cancelled and
/// never runs, and cancelling twice is refused.
#[test]
fn ex2_the_winner_cancels_the_loser() {
    for (tick_ms, fuse_ms, winner) in [
        (200, 1500, ex2::Winner::Countdown),
        (400, 1500, ex2::Winner::Fuse),
    ] {
        let (reactor, _) = virtual_reactor(BackendKind::Mio);
        let lines = Rc::new(RefCell::new(Vec::new()));
        let log = Rc::clone(&lines);
        let got = ex2::race(
            &reactor,
            Duration::from_millis(tick_ms),
            Duration::from_millis(fuse_ms),
            Rc::new(move |line| log.borrow_mut().push(line)),
        )
        .unwrap();
        assert_eq!(got, winner);
        let lines = lines.borrow().join("\n");
        match winner {
            ex2::Winner::Countdown => {
                assert!(
                    lines.ends_with(
                        " 1.00s  zero! cancelling the fuse: Ok(())\n \
                     1.00s  cancelling it again: Err(AlreadyCancelled)"
                    ),
                    "{lines}"
                );
                assert!(!lines.contains("burned"), "{lines}");
            }
            ex2::Winner::Fuse => {
                assert!(lines.contains(" 1.20s  2 ..."), "{lines}");
                assert!(
                    lines.ends_with(
                        " 1.50s  the fuse burned down first! cancelling the countdown: Ok(())\n \
                     1.50s  cancelling the fuse itself: Err(AlreadyCalled)"
                    ),
                    "{lines}"
                );
                assert!(!lines.contains("1 ..."), "{lines}");
            }
        }
        // The reactor was stopped by the winner, not by running out of work:
        // the loser's call is still queued, cancelled.
        assert!(!reactor.is_running());
    }
}

/// Exercise 3: timed calls fire on both backends; with many idle
/// descriptors, `poll(2)` fires far fewer than `epoll`, whose cost does not
/// depend on them.
#[test]
fn ex3_poll_slows_down_with_idle_descriptors_and_epoll_does_not() {
    let length = Duration::from_millis(150);
    for kind in BackendKind::ALL {
        let rate = ex3::timers_per_second(kind, 0, length).unwrap();
        assert!(rate > 1000.0, "{kind:?}: only {rate:.0} timers per second");
    }
    let epoll = ex3::timers_per_second(BackendKind::Mio, 500, length).unwrap();
    let poll = ex3::timers_per_second(BackendKind::Poll, 500, length).unwrap();
    assert!(
        poll * 3.0 < epoll,
        "with 500 idle descriptors: poll(2) {poll:.0}/s, epoll {epoll:.0}/s"
    );
}

/// Exercise 4: the heartbeats before the sleep are on time; every one that
/// fell due during it runs late, all at once, when it returns.
#[test]
fn ex4_a_blocking_callback_makes_every_timer_due_meanwhile_late() {
    let reactor = Reactor::with(BackendKind::Mio, Clock::real()).unwrap();
    let (tick, block) = (Duration::from_millis(20), Duration::from_millis(200));
    let lines = Rc::new(RefCell::new(Vec::new()));
    let log = Rc::clone(&lines);
    let beats = ex4::heartbeats(&reactor, tick, block, move |line| {
        log.borrow_mut().push(line)
    })
    .unwrap();
    assert_eq!(beats.len(), 10);
    // The sleep starts at 3.5 ticks (70 ms) and ends at 270 ms or later.
    let block_ends = tick * 7 / 2 + block;
    for (beat, n) in beats.iter().zip(1u32..) {
        if n <= 3 {
            assert!(beat.late() < block / 2, "beat {n} was on time: {beat:?}");
        } else {
            assert!(
                beat.ran >= block_ends,
                "beat {n} waited for the sleep: {beat:?}"
            );
        }
    }
    assert!(beats[3].late() >= block - tick, "{:?}", beats[3]);
    assert!(
        lines.borrow()[3].contains("a callback sleeps for 0.20s"),
        "{:?}",
        lines.borrow()
    );
}

/// Exercise 5: draining the socket works on both backends; one read per
/// call works on level-triggered `poll(2)` but strands bytes on
/// edge-triggered `epoll`.
#[test]
fn ex5_one_read_per_call_strands_bytes_on_epoll_only() {
    let poem = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../poetry/science.txt"
    ))
    .unwrap();
    for kind in BackendKind::ALL {
        let drained = ex5::send_poem(kind, ex5::Reading::Drain, &poem).unwrap();
        assert_eq!(drained.bytes, poem, "{kind:?}");
        assert!(drained.finished, "{kind:?}");
    }
    let level = ex5::send_poem(BackendKind::Poll, ex5::Reading::Once, &poem).unwrap();
    assert_eq!(level.bytes, poem);
    assert!(level.finished);

    let edge = ex5::send_poem(BackendKind::Mio, ex5::Reading::Once, &poem).unwrap();
    assert!(!edge.finished, "epoll never reported the rest");
    assert!(
        edge.bytes.len() < poem.len() && poem.starts_with(&edge.bytes),
        "got {} of {} bytes",
        edge.bytes.len(),
        poem.len()
    );
}

//! The guided demo of part 15: `cargo run -p part-15`.
//!
//! Runs a small suite on the harness: the series' two tests against a
//! poetry server on a free port, two protocol tests in memory, and three
//! tests that fail on purpose, one in each way the harness catches: a
//! deferred that never fires (a time-out), a listening port left open (a
//! dirty reactor), and a failure of the wrong type. It prints what the
//! harness reports, and ends by itself.

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use part_02::FetchError;
use part_03::Disconnect;
use part_06::Printer;
use part_07::{Deferred, Failure, TimedOut, succeed};
use part_15::{
    FakeConnection, PoetryServer, Problem, Suite, TEST_POEM, Trial, VirtualTime, assert_failure,
    get_poetry, poetry_protocol,
};

/// Part 15 — Tested poetry: a small suite on our test harness, three of
/// whose tests fail on purpose, one in each way the harness catches.
#[derive(Debug, Parser)]
#[command(name = "part-15", version)]
struct Args {}

fn main() -> ExitCode {
    let _args = Args::parse();
    println!("Part 15 — Tested poetry");
    println!();
    println!("Each test gets a fresh reactor. The harness runs it until the test's");
    println!("deferred fires (or its time is up), then checks the reactor is clean.");
    println!("Three tests below fail on purpose, one in each way.");
    println!();
    let summary = suite().run(&mut |line| println!("{line}"));
    println!();
    println!("What to notice:");
    println!("  - every message names its test, and says what went wrong;");
    println!("  - the time-out waited 5 seconds of virtual time, which took no real time;");
    println!("  - the dirty reactor names what was left: here, a listening port;");
    println!("  - assert_failure says which type it expected, and which failure came.");
    if planted_failures_only(&summary) {
        ExitCode::SUCCESS
    } else {
        eprintln!("error: the suite did not fail as planned");
        ExitCode::FAILURE
    }
}

/// The demo's suite.
fn suite() -> Suite {
    let mut suite = Suite::new();
    suite
        .add::<PoetryServer, _>("test_client", |t, server| {
            get_poetry(t, server.addr()).add_callback(|poem: Vec<u8>| {
                assert_eq!(poem, TEST_POEM);
            })
        })
        .add::<(), _>("test_failure", |t, _| {
            let download = nowhere(t);
            assert_failure::<FetchError, _>(download)
        })
        .add::<VirtualTime, _>("poem_in_memory", |_t, _| {
            let (mut connection, poem) = poetry_connection();
            connection.receive(b"A poem ");
            connection.receive(b"in two pieces.");
            connection.close(Disconnect::Done);
            poem.add_callback(|poem: Vec<u8>| assert_eq!(poem, b"A poem in two pieces."))
        })
        .add::<VirtualTime, _>("forgot_to_close", forgot_to_close)
        .add::<(), _>("forgot_to_stop_listening", forgot_to_stop_listening)
        .add::<(), _>("expected_the_wrong_failure", expected_the_wrong_failure);
    suite
}

// ANCHOR: planted
/// Fails by time-out: the connection is never closed, so the poem's
/// deferred never fires. On a virtual clock the five seconds pass at once.
fn forgot_to_close(t: &Trial, _: &VirtualTime) -> Deferred<()> {
    t.set_timeout(Duration::from_secs(5));
    let (mut connection, poem) = poetry_connection();
    connection.receive(b"A poem with no end");
    poem.add_callback(|_poem: Vec<u8>| ())
}

/// Fails with a dirty reactor: the test starts a server of its own and
/// leaves it listening.
fn forgot_to_stop_listening(t: &Trial, _: &()) -> Deferred<()> {
    let factory = part_11::FastPoetryFactory::new(TEST_POEM, part_11::report::quiet);
    match part_11::listen_tcp(t.reactor(), "127.0.0.1", 0, factory) {
        Ok(_port) => succeed(()),
        Err(error) => part_07::fail(error),
    }
}

/// Fails with the wrong failure: a refused connection is not a time-out.
fn expected_the_wrong_failure(t: &Trial, _: &()) -> Deferred<()> {
    assert_failure::<TimedOut, _>(nowhere(t)).add_callback(|_: Failure| ())
}
// ANCHOR_END: planted

/// A download from a port where nobody listens (or, if no such port can
/// be found, a deferred failed with the reason).
fn nowhere(t: &Trial) -> Deferred<Vec<u8>> {
    match part_02::demo::closed_port() {
        Ok(nobody) => get_poetry(t, nobody),
        Err(error) => part_07::fail(error),
    }
}

/// Client 4.0's protocol on a fake connection, and the deferred its
/// outcome fires.
fn poetry_connection() -> (FakeConnection, Deferred<Vec<u8>>) {
    let (protocol, poem) = poetry_protocol(Printer::new(|_, _| {}));
    (FakeConnection::open(protocol), poem)
}

/// Whether exactly the three planted tests failed, each in its own way.
fn planted_failures_only(summary: &part_15::Summary) -> bool {
    let failed: Vec<_> = summary
        .ran
        .iter()
        .filter_map(|ran| ran.result.as_ref().err())
        .map(|failure| (failure.test, &failure.problems[..]))
        .collect();
    matches!(
        &failed[..],
        [
            ("forgot_to_close", [Problem::TimedOut { .. }]),
            ("forgot_to_stop_listening", [Problem::Dirty(_)]),
            ("expected_the_wrong_failure", [Problem::Failed { .. }]),
        ]
    )
}

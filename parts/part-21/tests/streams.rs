//! The library's streams on part 17's runtime: a poem's stream does
//! nothing until polled, and `read_ahead` polls a stream nobody reads, up
//! to its limit.

use std::cell::Cell;
use std::future::IntoFuture;
use std::pin::pin;
use std::rc::Rc;
use std::time::Duration;

use futures::{StreamExt, stream};
use part_02::SlowServer;
use part_02::cli::Timeouts;
use part_03::Reactor;
use part_17::Runtime;
use part_21::haskell::{LINES_AHEAD, poem_lines, read_ahead};
use testkit::{pacing, poem};

fn runtime() -> Runtime {
    Runtime::new(&Reactor::new().expect("a reactor"))
}

/// A stream of `count` numbers that counts, in `made`, the ones made.
fn counted(count: u32, made: &Rc<Cell<u32>>) -> impl futures::Stream<Item = u32> + 'static {
    let made = Rc::clone(made);
    stream::iter(0..count).inspect(move |_| made.set(made.get() + 1))
}

#[test]
fn a_stream_nobody_polls_makes_nothing_and_read_ahead_polls_it() {
    let runtime = runtime();
    let (lazy, eager) = (Rc::new(Cell::new(0)), Rc::new(Cell::new(0)));
    let left_alone = counted(10, &lazy);
    let ahead = read_ahead(&runtime, counted(10, &eager));
    // Let the runtime turn for a moment, with nobody reading either.
    runtime
        .block_on(runtime.sleep(Duration::from_millis(1)).into_future())
        .expect("a sleep")
        .expect("the sleep fires");
    assert_eq!(lazy.get(), 0, "nobody polled it");
    assert_eq!(eager.get(), 10, "its task polled it to the end");
    let got: Vec<u32> = runtime.block_on(ahead.collect()).expect("the items");
    assert_eq!(got, (0..10).collect::<Vec<_>>());
    drop(left_alone);
}

#[test]
fn read_ahead_stops_when_its_channel_is_full() {
    let runtime = runtime();
    let made = Rc::new(Cell::new(0));
    let total = 3 * LINES_AHEAD as u32;
    let ahead = read_ahead(&runtime, counted(total, &made));
    runtime
        .block_on(runtime.sleep(Duration::from_millis(1)).into_future())
        .expect("a sleep")
        .expect("the sleep fires");
    let ahead_of_reader = made.get();
    assert!(ahead_of_reader >= LINES_AHEAD as u32, "{ahead_of_reader}");
    assert!(
        ahead_of_reader <= LINES_AHEAD as u32 + 2,
        "{ahead_of_reader}"
    );
    // Reading takes the rest, in order.
    let got: Vec<u32> = runtime.block_on(ahead.collect()).expect("the items");
    assert_eq!(got, (0..total).collect::<Vec<_>>());
}

#[test]
fn a_poem_stream_connects_on_its_first_poll_and_gives_the_poem_line_by_line() {
    let runtime = runtime();
    let science = poem("science.txt");
    let server = SlowServer::spawn(science, pacing(50, 1)).expect("a server");
    let lines = poem_lines(&runtime, server.addr(), Timeouts::default());
    let got: Vec<Vec<u8>> = runtime
        .block_on(async move {
            let mut lines = pin!(lines);
            let mut got = Vec::new();
            while let Some(line) = lines.next().await {
                got.push(line.expect("a line"));
            }
            got
        })
        .expect("the runtime runs");
    let expected: Vec<&[u8]> = science.split_inclusive(|&b| b == b'\n').collect();
    assert_eq!(got, expected);
    assert_eq!(server.poems_served(), 1);
}

#[test]
fn a_dropped_poem_stream_never_finishes_its_download() {
    let runtime = runtime();
    let science = poem("science.txt");
    let server = SlowServer::spawn(science, pacing(20, 5)).expect("a server");
    let lines = poem_lines(&runtime, server.addr(), Timeouts::default());
    let first = runtime
        .block_on(async move { pin!(lines).next().await })
        .expect("the runtime runs");
    assert_eq!(
        first.expect("a line").expect("no error"),
        b"Sonnet \xE2\x80\x94 To Science\n"
    );
    // A second client gets the whole poem only after the server has
    // given up on the first (it serves one client at a time).
    let again = poem_lines(&runtime, server.addr(), Timeouts::default());
    let all: Vec<_> = runtime.block_on(again.collect::<Vec<_>>()).expect("runs");
    assert_eq!(all.len(), science.split_inclusive(|&b| b == b'\n').count());
    assert_eq!(
        server.poems_served(),
        1,
        "the dropped download was never finished"
    );
}

//! The solutions to the chapter's exercises, checked: each example in
//! `examples/` is compiled into this test as a module, and its server runs
//! on a reactor in the test, with plain `std::net` clients on threads.

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use part_03::Reactor;
use part_11::{FastPoetryFactory, SlowPoetryFactory, listen_tcp, report};
use testkit::{connect, pacing, poem};

use common::run_until;

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/part11-ex1-request.rs"]
mod ex1;

#[allow(dead_code)]
#[path = "../examples/part11-ex2-limit.rs"]
mod ex2;

#[allow(dead_code)]
#[path = "../examples/part11-ex3-last-orders.rs"]
mod ex3;

/// Connects, sends `request` in pieces of `piece` bytes, and reads until
/// the server closes.
fn ask(addr: SocketAddr, request: &[u8], piece: usize) -> Vec<u8> {
    let mut socket = connect(addr.port());
    for part in request.chunks(piece) {
        // The server may close early (a request too long): stop sending.
        if socket.write_all(part).is_err() {
            break;
        }
        thread::sleep(Duration::from_millis(1));
    }
    let mut reply = Vec::new();
    let _ = socket.read_to_end(&mut reply);
    reply
}

/// Exercise 1: the poem asked for, whole or in pieces; nothing for an
/// unknown name or an endless request, and the server goes on.
#[test]
fn ex1_serves_the_poem_asked_for() {
    let reactor = Reactor::new().unwrap();
    let library = ex1::library([
        ("tyger".to_string(), poem("tyger.txt").to_vec()),
        ("panther".to_string(), poem("panther.txt").to_vec()),
    ]);
    let port = listen_tcp(&reactor, "127.0.0.1", 0, library.clone()).unwrap();
    let addr = port.local_addr();
    let clients = thread::spawn(move || {
        let endless = vec![b'x'; 100 * ex1::MAX_REQUEST];
        [
            ask(addr, b"tyger\n", 100),
            ask(addr, b"panther\r\n", 1), // a byte at a time
            ask(addr, b"ecstasy\n", 100),
            ask(addr, &endless, 1000),
            ask(addr, b"tyger\nand more\n", 100),
        ]
    });
    let [tyger, panther, unknown, endless, again] = run_until(&reactor, clients);
    assert_eq!(tyger, poem("tyger.txt"));
    assert_eq!(panther, poem("panther.txt"));
    assert!(unknown.is_empty(), "no poem for an unknown name");
    assert!(endless.is_empty(), "no poem for an endless request");
    assert_eq!(again, poem("tyger.txt"));
    assert_eq!(library.served.get(), 3);
    assert_eq!(library.refused.get(), 2);
}

/// Exercise 2: two clients are served, the others turned away at once;
/// once one has finished, there is room again.
#[test]
fn ex2_serves_at_most_two_at_once() {
    let reactor = Reactor::new().unwrap();
    let poem = poem("science.txt"); // 7 chunks, 0.03 s apart
    let slow = SlowPoetryFactory::new(&reactor, poem, pacing(100, 30), report::quiet);
    let limited = ex2::Limited::new(slow.clone(), 2);
    let port = listen_tcp(&reactor, "127.0.0.1", 0, limited.clone()).unwrap();
    let addr = port.local_addr();
    let clients = thread::spawn(move || {
        let first: Vec<TcpStream> = (0..4).map(|_| TcpStream::connect(addr).unwrap()).collect();
        let replies: Vec<(Vec<u8>, Duration)> = first
            .into_iter()
            .map(|mut socket| {
                let start = Instant::now();
                let mut reply = Vec::new();
                let _ = socket.read_to_end(&mut reply);
                (reply, start.elapsed())
            })
            .collect();
        // Everyone is done now: room for one more.
        let mut later = Vec::new();
        TcpStream::connect(addr)
            .unwrap()
            .read_to_end(&mut later)
            .unwrap();
        (replies, later)
    });
    let (replies, later) = run_until(&reactor, clients);
    let served: Vec<_> = replies.iter().filter(|(r, _)| *r == poem).collect();
    let turned: Vec<_> = replies.iter().filter(|(r, _)| r.is_empty()).collect();
    assert_eq!((served.len(), turned.len()), (2, 2), "{replies:?}");
    assert_eq!(later, poem);
    assert_eq!(limited.turned_away.get(), 2);
    assert_eq!(limited.open(), 0);
    assert_eq!(slow.poems_served(), 3);
}

/// Exercise 3: three clients served, the fourth refused, and the reactor
/// stops by itself once the three are done.
#[test]
fn ex3_serves_three_then_stops_by_itself() {
    let reactor = Reactor::new().unwrap();
    let poem = poem("panther.txt");
    let fast = FastPoetryFactory::new(poem, report::quiet);
    let orders = ex3::LastOrders::new(&reactor, fast.clone(), 3);
    let port = orders.listen("127.0.0.1", 0).unwrap();
    let addr = port.local_addr();
    let clients = thread::spawn(move || {
        let replies: Vec<Vec<u8>> = (0..3)
            .map(|_| {
                let mut reply = Vec::new();
                let mut socket = TcpStream::connect(addr).unwrap();
                socket.read_to_end(&mut reply).unwrap();
                reply
            })
            .collect();
        let refused = TcpStream::connect(addr).map(|_| ()).map_err(|e| e.kind());
        (replies, refused)
    });
    // No watchdog here: `run` must return by itself. A stray timer would
    // keep it running, so a 10 s guard fails the test instead of hanging.
    let guard = reactor.clone();
    let timeout = reactor.call_later(Duration::from_secs(10), move || guard.stop());
    let start = Instant::now();
    reactor.run().unwrap();
    assert!(start.elapsed() < Duration::from_secs(10), "it did not stop");
    let _ = timeout.cancel();
    let (replies, refused) = clients.join().unwrap();
    for reply in replies {
        assert_eq!(reply, poem);
    }
    assert_eq!(refused, Err(std::io::ErrorKind::ConnectionRefused));
    assert!(!port.is_listening());
    assert_eq!(fast.poems_served(), 3);
}

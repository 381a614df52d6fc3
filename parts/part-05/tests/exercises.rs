//! The solutions to the chapter's exercises, checked: each example in
//! `examples/` is compiled into this test as a module and run against
//! servers on free ports.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::thread;
use std::time::{Duration, Instant};

use part_02::{Address, FetchError};
use part_03::Reactor;
use testkit::{closed_port, servers};

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/part05-ex1-timeout.rs"]
mod ex1;

#[allow(dead_code)]
#[path = "../examples/part05-ex2-retry.rs"]
mod ex2;

#[allow(dead_code)]
#[path = "../examples/part05-ex3-echo.rs"]
mod ex3;

fn addresses(sockets: &[SocketAddr]) -> Vec<Address> {
    sockets.iter().copied().map(Address::from).collect()
}

/// Exercise 1: a server too slow for the time limit is given up on, on
/// time; a quick one still delivers its poem whole.
#[test]
fn ex1_gives_up_on_the_slow_server_only() {
    let quick = servers(1, 10_000, 1);
    let slow = servers(1, 20, 100); // 661 bytes: over 3 s
    let sockets = [quick[0].0.addr(), slow[0].0.addr()];
    let reactor = Reactor::new().unwrap();
    let start = Instant::now();
    let limit = Duration::from_millis(300);
    let outcomes = ex1::get_poetry(&reactor, &sockets, &addresses(&sockets), limit).unwrap();
    let took = start.elapsed();
    assert_eq!(outcomes[0].as_deref(), Ok(quick[0].1));
    let error = outcomes[1].as_ref().unwrap_err();
    assert!(error.starts_with("gave up after 0.300s with "), "{error}");
    assert!(took >= limit, "gave up early: {took:?}");
    assert!(took < Duration::from_millis(2000), "gave up late: {took:?}");
}

/// Exercise 1: with time enough, nobody is given up on (the deadline is
/// cancelled, and a cancelled deadline does not hang up later).
#[test]
fn ex1_with_time_enough_gets_everything() {
    let servers = servers(2, 200, 5);
    let sockets: Vec<SocketAddr> = servers.iter().map(|(s, _)| s.addr()).collect();
    let reactor = Reactor::new().unwrap();
    let outcomes = ex1::get_poetry(
        &reactor,
        &sockets,
        &addresses(&sockets),
        Duration::from_secs(10),
    )
    .unwrap();
    for ((_, poem), outcome) in servers.iter().zip(&outcomes) {
        assert_eq!(outcome.as_deref(), Ok(*poem));
    }
}

/// Exercise 2: a closed port is tried twice, then reported as client 2.0
/// reports it.
#[test]
fn ex2_tries_a_closed_port_twice_then_gives_up() {
    let good = servers(1, 1000, 1);
    let closed: SocketAddr = ([127, 0, 0, 1], closed_port()).into();
    let reactor = Reactor::new().unwrap();
    let start = Instant::now();
    let wait = Duration::from_millis(100);
    let (outcomes, retried) =
        ex2::get_poetry(&reactor, &[good[0].0.addr(), closed], wait, |_| {}).unwrap();
    assert_eq!(outcomes[0].as_deref().unwrap(), good[0].1);
    assert!(matches!(outcomes[1], Err(FetchError::Connect(_))));
    assert_eq!(retried, [closed]);
    assert!(start.elapsed() >= wait, "the second try came too soon");
}

/// Exercise 2: a server that starts listening after the first try is
/// reached by the second.
#[test]
fn ex2_reaches_a_server_that_starts_late() {
    let poem = b"Late, but here.\n";
    let port = closed_port();
    let server = thread::spawn(move || {
        thread::sleep(Duration::from_millis(50));
        let listener = TcpListener::bind(("127.0.0.1", port)).unwrap();
        let (mut socket, _) = listener.accept().unwrap();
        socket.write_all(poem).unwrap();
    });
    let addr: SocketAddr = ([127, 0, 0, 1], port).into();
    let reactor = Reactor::new().unwrap();
    let (outcomes, retried) =
        ex2::get_poetry(&reactor, &[addr], Duration::from_millis(400), |_| {}).unwrap();
    server.join().unwrap();
    assert_eq!(retried, [addr], "the first try should have been refused");
    assert_eq!(outcomes[0].as_deref().unwrap(), poem);
}

/// An echo server for one connection that sends back what it gets, a few
/// bytes at a time, so lines come back in pieces.
fn echo_server(piece: usize) -> (SocketAddr, thread::JoinHandle<usize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let thread = thread::spawn(move || {
        let (mut socket, _) = listener.accept().unwrap();
        socket.set_nodelay(true).unwrap();
        let mut buffer = [0; 256];
        let mut echoed = 0;
        loop {
            match socket.read(&mut buffer) {
                Ok(0) | Err(_) => return echoed,
                Ok(n) => {
                    for bit in buffer[..n].chunks(piece) {
                        socket.write_all(bit).unwrap();
                        echoed += bit.len();
                    }
                }
            }
        }
    });
    (addr, thread)
}

/// Exercise 3: every line comes back, whole, even when the echo comes in
/// pieces that cut lines in two; then the client hangs up cleanly.
#[test]
fn ex3_gets_every_line_back() {
    let lines = vec![
        "Tyger Tyger, burning bright,".to_string(),
        "In the forests of the night;".to_string(),
        String::new(),
        "Ästhetik — mit Umlaut".to_string(),
    ];
    for piece in [3, 1000] {
        let (addr, server) = echo_server(piece);
        let reactor = Reactor::new().unwrap();
        let echoed = ex3::echo(&reactor, addr, lines.clone()).unwrap();
        assert_eq!(echoed.as_deref(), Some(&lines[..]), "pieces of {piece}");
        let total: usize = lines.iter().map(|l| l.len() + 1).sum();
        assert_eq!(server.join().unwrap(), total);
    }
}

/// Exercise 3: nobody listening is a failure, not a hang.
#[test]
fn ex3_reports_a_refused_connection() {
    let closed: SocketAddr = ([127, 0, 0, 1], closed_port()).into();
    let reactor = Reactor::new().unwrap();
    let echoed = ex3::echo(&reactor, closed, vec!["hello".to_string()]).unwrap();
    assert_eq!(echoed, None);
}

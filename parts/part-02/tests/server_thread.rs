//! A server on a thread, stopped by dropping its handle: the one way every
//! part runs its in-process servers. Dropping returns promptly even when
//! the server is blocked in `accept` or asleep between chunks, and leaves
//! nothing listening; the shutdown signal's actions run once; a server that
//! cannot start is an error from `spawn`.

use std::io;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use part_02::{ServerOptions, ServerThread, Shutdown, SlowServer};

#[test]
fn dropping_a_server_blocked_in_accept_stops_it_and_closes_its_port() {
    let server = SlowServer::spawn(&b"a poem"[..], ServerOptions::default()).unwrap();
    let addr = server.addr();
    TcpStream::connect(addr).expect("it listens");
    // Let the thread get back to `accept`, blocked, with nobody coming.
    std::thread::sleep(Duration::from_millis(50));

    let started = Instant::now();
    drop(server);
    assert!(started.elapsed() < Duration::from_secs(2));
    let refused = TcpStream::connect(addr).expect_err("nothing listens any more");
    assert_eq!(refused.kind(), io::ErrorKind::ConnectionRefused);
}

#[test]
fn dropping_a_server_in_the_middle_of_a_long_pause_does_not_wait_it_out() {
    let pacing = ServerOptions {
        num_bytes: 1,
        delay: Duration::from_secs(60),
    };
    let server = SlowServer::spawn(&b"a poem"[..], pacing).unwrap();
    let _client = TcpStream::connect(server.addr()).unwrap();
    std::thread::sleep(Duration::from_millis(50)); // the first byte is sent
    let started = Instant::now();
    drop(server);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[test]
fn a_shutdown_runs_each_action_once_even_one_added_after_it() {
    let shutdown = Shutdown::new();
    let ran = Arc::new(AtomicUsize::new(0));
    let count = Arc::clone(&ran);
    shutdown.on_trigger(move || {
        count.fetch_add(1, Ordering::SeqCst);
    });
    assert_eq!(ran.load(Ordering::SeqCst), 0);
    shutdown.trigger();
    shutdown.trigger();
    assert_eq!(ran.load(Ordering::SeqCst), 1, "once");

    let count = Arc::clone(&ran);
    shutdown.on_trigger(move || {
        count.fetch_add(10, Ordering::SeqCst);
    });
    assert_eq!(ran.load(Ordering::SeqCst), 11, "late: at once");
    assert!(shutdown.is_triggered() && shutdown.wait(Duration::from_secs(60)));
}

#[test]
fn a_server_that_cannot_start_is_an_error_from_spawn() {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
    let result = ServerThread::spawn("broken", listener, |_listener, _shutdown| {
        Err::<fn(), _>(io::Error::other("no reactor today"))
    });
    let error = result.expect_err("the setup failed");
    assert_eq!(error.to_string(), "no reactor today");
}

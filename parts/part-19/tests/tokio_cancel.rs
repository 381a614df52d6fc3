//! Cancelling on tokio: a token, an aborted task, and what a half-done
//! read loses when it is dropped.

use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::thread;
use std::time::Duration;

use part_06::tokio_poetry::block_on;
use part_19::tokio_cancel::{
    abort_after, header_with_read, header_with_read_exact, poem_unless_stopped,
};
use tokio::net::TcpStream;
use tokio_util::sync::CancellationToken;

/// A server for one client that sends `first`, waits `pause`, then sends
/// `second` and closes.
fn split_server(first: &'static [u8], pause: Duration, second: &'static [u8]) -> SocketAddr {
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).expect("bind");
    let addr = listener.local_addr().expect("address");
    thread::spawn(move || {
        if let Ok((mut socket, _)) = listener.accept() {
            let _ = socket.write_all(first);
            thread::sleep(pause);
            let _ = socket.write_all(second);
        }
    });
    addr
}

const PAUSE: Duration = Duration::from_millis(100);
const TICK: Duration = Duration::from_millis(20);

#[test]
fn a_dropped_read_exact_loses_what_it_had_read() {
    let addr = split_server(b"HEAD", PAUSE, b"ER!!rest");
    let (header, ticks) = block_on(async move {
        let mut socket = TcpStream::connect(addr).await?;
        header_with_read_exact(&mut socket, TICK).await
    })
    .expect("runtime")
    .expect("a header");
    assert!(ticks > 0);
    assert_eq!(&header, b"ER!!rest");
}

#[test]
fn a_dropped_read_loses_nothing() {
    let addr = split_server(b"HEAD", PAUSE, b"ER!!rest");
    let (header, ticks) = block_on(async move {
        let mut socket = TcpStream::connect(addr).await?;
        header_with_read(&mut socket, TICK).await
    })
    .expect("runtime")
    .expect("a header");
    assert!(ticks > 0);
    assert_eq!(&header, b"HEADER!!");
}

#[test]
fn a_cancelled_token_stops_the_download() {
    let addr = split_server(b"a poem that never", Duration::from_secs(5), b" ends");
    let stop = CancellationToken::new();
    let got = block_on(async move {
        let stopper = stop.clone();
        tokio::task::spawn_local(async move {
            tokio::time::sleep(TICK).await;
            stopper.cancel();
        });
        poem_unless_stopped(addr, stop).await
    })
    .expect("runtime");
    assert!(got.is_none());
}

#[test]
fn an_aborted_task_is_cancelled_and_a_finished_one_is_not() {
    let slow = split_server(b"slow", Duration::from_secs(5), b" poem");
    let got = block_on(abort_after(slow, TICK)).expect("runtime");
    assert!(got.expect_err("aborted").is_cancelled());
    let quick = split_server(b"quick", Duration::ZERO, b" poem");
    let got = block_on(abort_after(quick, Duration::from_millis(200))).expect("runtime");
    assert_eq!(got.expect("finished").expect("a poem"), b"quick poem");
}

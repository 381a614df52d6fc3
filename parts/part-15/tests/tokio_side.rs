//! The same tests on tokio: `#[tokio::test]` runs an `async` test body on
//! a fresh runtime (our harness's fresh reactor), and with
//! `start_paused = true` the runtime's clock is virtual: it moves when the
//! test calls `tokio::time::advance`, or jumps to the next timer when
//! every task is waiting for one.

use std::io;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::pin::pin;
use std::rc::Rc;
use std::time::Duration;

use futures::poll;
use part_02::FetchError;
use part_02::cli::Timeouts;
use part_08::tokio_poetry::get_poetry;
use part_12::server::{Closed, Event, ServerOptions};
use part_12::tokio_server::serve_one;
use part_12::{Request, netstring};
use part_15::TEST_POEM;
use tokio::io::{AsyncReadExt, AsyncWriteExt, duplex};
use tokio::net::TcpListener;
use tokio::time::{Instant, advance};

const PEER: SocketAddr = SocketAddr::new(IpAddr::V4(Ipv4Addr::new(192, 0, 2, 1)), 40000);

// ANCHOR: series
/// The series' `test_client`: a server on a free port, spawned on the
/// test's runtime, and the client against it.
#[tokio::test]
async fn test_client() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        socket.write_all(TEST_POEM).await.unwrap();
    });
    let poem = get_poetry(addr, Timeouts::default(), |_| {}).await.unwrap();
    assert_eq!(poem, TEST_POEM);
    server.await.unwrap();
}

/// The series' `test_failure`: the error is an ordinary `Err`, and
/// `unwrap_err` plus `matches!` is all `assert_failure` was.
#[tokio::test]
async fn test_failure() {
    let nobody = testkit::closed();
    let error = get_poetry(nobody, Timeouts::default(), |_| {})
        .await
        .unwrap_err();
    assert!(
        matches!(&error, FetchError::Connect(e) if e.kind() == io::ErrorKind::ConnectionRefused),
        "{error}"
    );
}
// ANCHOR_END: series

/// The transformation server's task on an in-memory stream: tokio's
/// `duplex` is its fake transport.
#[tokio::test]
async fn transform_server_answers_a_request() {
    let (mut client, server) = duplex(1024);
    let serving = serve_one(server, PEER, Rc::new(ServerOptions::default()));
    let talking = async {
        let request = Request::encode("cummingsify", "The Owl AND the Pussy-cat");
        client.write_all(&request).await.unwrap();
        let mut reply = Vec::new();
        client.read_to_end(&mut reply).await.unwrap();
        reply
    };
    let (event, reply) = tokio::join!(serving, talking);
    assert_eq!(reply, netstring::encode(b"the owl and the pussy-cat"));
    assert!(matches!(event, Event::Transformed { name, .. } if name == "cummingsify"));
}

// ANCHOR: deadline
/// Paused time, moved by hand: not cut off at 9.999 s, cut off at 10 s.
#[tokio::test(start_paused = true)]
async fn transform_server_cuts_off_a_slow_client() {
    let (mut client, server) = duplex(1024);
    client.write_all(b"11:cummingsify").await.unwrap();
    let start = Instant::now();
    let mut serving = pin!(serve_one(server, PEER, Rc::new(ServerOptions::default())));
    assert!(poll!(serving.as_mut()).is_pending(), "waiting for the rest");
    advance(Duration::from_millis(9_999)).await;
    assert!(
        poll!(serving.as_mut()).is_pending(),
        "still within its time"
    );
    advance(Duration::from_millis(1)).await;
    // Its timer is due now: awaiting it moves the clock no further.
    let event = serving.await;
    assert_eq!(start.elapsed(), Duration::from_secs(10));
    let why = Closed::TimedOut(Duration::from_secs(10));
    assert!(matches!(event, Event::Closed { why: w, .. } if w == why));
}
// ANCHOR_END: deadline

/// Paused time, moved by the runtime: with every task waiting for a
/// timer, the clock jumps to it. Ten seconds pass, exactly, at once.
#[tokio::test(start_paused = true)]
async fn paused_time_jumps_to_the_next_timer() {
    let (_client, server) = duplex(1024);
    let start = Instant::now();
    let event = serve_one(server, PEER, Rc::new(ServerOptions::default())).await;
    assert_eq!(start.elapsed(), Duration::from_secs(10));
    assert!(matches!(
        event,
        Event::Closed {
            why: Closed::TimedOut(_),
            ..
        }
    ));
}

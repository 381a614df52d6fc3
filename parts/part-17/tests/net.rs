//! Async sockets on our reactor (both backends), and the time limit
//! written by hand and as an `async fn`.

use std::future::Future;
use std::io::Write;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::Duration;

use futures::io::{AsyncReadExt, AsyncWriteExt};
use part_03::{BackendKind, Clock, Reactor, VirtualClock};
use part_07::TimedOut;
use part_17::{Runtime, TcpListener, TcpStream, timeout, with_timeout};

fn runtime(backend: BackendKind) -> Runtime {
    Runtime::new(&Reactor::with(backend, Clock::real()).expect("a reactor"))
}

/// A server task on `rt` that sends `poem` to each client and closes.
fn serve(rt: &Runtime, poem: &'static [u8]) -> SocketAddr {
    let listener = TcpListener::bind(rt.reactor(), "127.0.0.1", 0).expect("listens");
    let addr = listener.local_addr().unwrap();
    let spawner = rt.clone();
    let _server = rt.spawn(async move {
        loop {
            let Ok((mut socket, _peer)) = listener.accept().await else {
                continue;
            };
            let _client = spawner.spawn(async move {
                socket.write_all(poem).await?;
                socket.close().await
            });
        }
    });
    addr
}

#[test]
fn a_client_and_a_server_on_our_reactor_talk_on_both_backends() {
    for backend in BackendKind::ALL {
        let rt = runtime(backend);
        let poem: &'static [u8] = b"Tyger Tyger, burning bright,\nIn the forests of the night";
        let addr = serve(&rt, poem);
        let reactor = rt.reactor().clone();
        let got = rt
            .block_on(async move {
                let mut socket = TcpStream::connect(&reactor, addr).await?;
                let mut got = Vec::new();
                socket.read_to_end(&mut got).await?;
                Ok::<_, std::io::Error>(got)
            })
            .unwrap()
            .unwrap();
        assert_eq!(got, poem, "{backend:?}");
        rt.shutdown();
    }
}

#[test]
fn many_clients_at_once_each_get_the_whole_poem() {
    for backend in BackendKind::ALL {
        let rt = runtime(backend);
        let poem: &'static [u8] = testkit::poem("ecstasy.txt");
        let addr = serve(&rt, poem);
        let mut clients = Vec::new();
        for _ in 0..200 {
            let reactor = rt.reactor().clone();
            clients.push(rt.spawn(async move {
                let mut socket = TcpStream::connect(&reactor, addr).await?;
                let mut got = Vec::new();
                socket.read_to_end(&mut got).await?;
                Ok::<_, std::io::Error>(got)
            }));
        }
        let whole = rt
            .block_on(async move {
                let mut whole = 0;
                for client in clients {
                    if client.await.unwrap().unwrap() == poem {
                        whole += 1;
                    }
                }
                whole
            })
            .unwrap();
        assert_eq!(whole, 200, "{backend:?}");
        rt.shutdown();
    }
}

#[test]
fn a_client_reads_a_slow_server_chunk_by_chunk() {
    let rt = runtime(BackendKind::Mio);
    let (server, poem) = testkit::servers(1, 64, 5).remove(0);
    let addr = server.addr();
    let reactor = rt.reactor().clone();
    let (got, reads) = rt
        .block_on(async move {
            let mut socket = TcpStream::connect(&reactor, addr).await?;
            let (mut got, mut reads) = (Vec::new(), 0);
            let mut buf = [0; 4096];
            loop {
                let n = socket.read(&mut buf).await?;
                if n == 0 {
                    break;
                }
                reads += 1;
                got.extend_from_slice(&buf[..n]);
            }
            Ok::<_, std::io::Error>((got, reads))
        })
        .unwrap()
        .unwrap();
    assert_eq!(got, poem);
    assert!(reads > 1, "the poem came in pieces: {reads}");
}

#[test]
fn connecting_to_a_closed_port_fails_with_an_error() {
    let rt = runtime(BackendKind::Mio);
    let addr = testkit::closed();
    let reactor = rt.reactor().clone();
    let result = rt
        .block_on(async move { TcpStream::connect(&reactor, addr).await.map(|_| ()) })
        .unwrap();
    assert_eq!(
        result.unwrap_err().kind(),
        std::io::ErrorKind::ConnectionRefused
    );
}

#[test]
fn a_dropped_socket_is_no_longer_watched() {
    let rt = runtime(BackendKind::Poll);
    let std_listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = std_listener.local_addr().unwrap();
    let peer = std::thread::spawn(move || {
        let (mut socket, _) = std_listener.accept().unwrap();
        std::thread::sleep(Duration::from_millis(30));
        socket.write_all(b"x").unwrap();
    });
    let reactor = rt.reactor().clone();
    let watched_while_waiting = rt
        .block_on(async move {
            let mut socket = TcpStream::connect(&reactor, addr).await.unwrap();
            let mut one = [0; 1];
            let read = socket.read_exact(&mut one);
            // Poll the read once, so it waits, then look at the reactor.
            let mut read = Box::pin(read);
            let waker = futures::task::noop_waker();
            let pending = read
                .as_mut()
                .poll(&mut std::task::Context::from_waker(&waker))
                .is_pending();
            let watched = reactor.readers().len();
            read.await.unwrap();
            drop(socket);
            (pending, watched)
        })
        .unwrap();
    peer.join().unwrap();
    assert_eq!(watched_while_waiting, (true, 1));
    assert!(rt.reactor().readers().is_empty());
    assert!(rt.reactor().writers().is_empty());
}

fn virtual_runtime() -> Runtime {
    Runtime::new(&Reactor::with(BackendKind::Mio, VirtualClock::new()).expect("a reactor"))
}

#[test]
fn both_timeouts_let_work_that_finishes_in_time_through() {
    let rt = virtual_runtime();
    let work = rt.sleep(Duration::from_secs(1));
    let by_hand = rt
        .block_on(with_timeout(&rt, Duration::from_secs(2), work))
        .unwrap();
    assert!(matches!(by_hand, Ok(Ok(()))));
    let rt2 = rt.clone();
    let work = rt.sleep(Duration::from_secs(1));
    let as_fn = rt
        .block_on(async move { timeout(&rt2, Duration::from_secs(2), work.into_future()).await })
        .unwrap();
    assert!(matches!(as_fn, Ok(Ok(()))));
    assert_eq!(rt.reactor().now(), Duration::from_secs(2));
    assert!(
        rt.reactor().pending_calls().is_empty(),
        "the limits' timers were cancelled"
    );
}

#[test]
fn both_timeouts_give_up_on_slow_work_and_cancel_it() {
    let rt = virtual_runtime();
    let cancelled = Rc::new(std::cell::Cell::new(0));
    let slow = |cancelled: &Rc<std::cell::Cell<u32>>| {
        let flag = Rc::clone(cancelled);
        let (d, trigger) =
            part_07::Deferred::<()>::with_canceller(move |_| flag.set(flag.get() + 1));
        (d, trigger)
    };
    let (work, _t1) = slow(&cancelled);
    let by_hand = rt
        .block_on(with_timeout(
            &rt,
            Duration::from_secs(3),
            work.into_future(),
        ))
        .unwrap();
    assert_eq!(by_hand.unwrap_err(), TimedOut(Duration::from_secs(3)));
    let (work, _t2) = slow(&cancelled);
    let rt2 = rt.clone();
    let as_fn = rt
        .block_on(async move { timeout(&rt2, Duration::from_secs(3), work.into_future()).await })
        .unwrap();
    assert_eq!(as_fn.unwrap_err(), TimedOut(Duration::from_secs(3)));
    assert_eq!(cancelled.get(), 2, "each loser was cancelled when dropped");
    assert_eq!(rt.reactor().now(), Duration::from_secs(6));
}

#[test]
fn a_crowd_at_the_door_does_not_keep_accepted_clients_waiting() {
    let rt = runtime(BackendKind::Mio);
    let listener = TcpListener::bind(rt.reactor(), "127.0.0.1", 0).expect("listens");
    let addr = listener.local_addr().unwrap();
    // 100 clients are waiting in the accept queue before the server runs
    // (fewer than the smallest accept queue a kernel may give us, 128).
    let _clients: Vec<std::net::TcpStream> = (0..100)
        .map(|_| std::net::TcpStream::connect(addr).unwrap())
        .collect();
    let log = Rc::new(std::cell::RefCell::new(Vec::new()));
    let (spawner, accepts) = (rt.clone(), Rc::clone(&log));
    let server = rt.spawn(async move {
        for i in 0..100 {
            let (_socket, _) = listener.accept().await.unwrap();
            accepts.borrow_mut().push(format!("accepted {i}"));
            let served = Rc::clone(&accepts);
            let _task = spawner.spawn(async move {
                served.borrow_mut().push(format!("served {i}"));
            });
        }
    });
    rt.block_on(server.into_future()).unwrap().unwrap();
    let log = log.borrow();
    let first_served = log.iter().position(|e| e == "served 0").unwrap();
    let last_accepted = log.iter().position(|e| e == "accepted 99").unwrap();
    assert!(
        first_served < last_accepted,
        "the first clients were served before the last was accepted"
    );
}

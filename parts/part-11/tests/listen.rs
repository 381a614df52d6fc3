//! The library: listening ports, server factories, one protocol per
//! connection, stopping, a port in use; the fast and the slow poetry
//! factories in process, on both backends; a client that never reads and a
//! client that hangs up, seen from the server's side.

mod common;

use std::cell::{Cell, RefCell};
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::rc::Rc;
use std::thread;
use std::time::{Duration, Instant};

use part_03::{BackendKind, Clock, Disconnect, Reactor};
use part_05::{Protocol, Transport, client};
use part_11::{
    ACCEPTS_PER_TURN, AsyncSlowServer, Event, FastPoetryFactory, ServerFactory, SlowPoetryFactory,
    listen_tcp, report,
};
use testkit::{connect, pacing, poem};

use common::run_until;

/// A protocol that tells each client which connection it is, and what the
/// client said first, then hangs up.
struct Numbered {
    number: usize,
    transport: Option<Transport>,
}

impl Protocol for Numbered {
    fn connection_made(&mut self, transport: Transport) {
        self.transport = Some(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        if let Some(transport) = self.transport.take() {
            transport.write(format!("{} ", self.number).as_bytes());
            transport.write(data);
            transport.lose_connection();
        }
    }
}

/// Builds a numbered protocol per connection, and remembers the peers.
#[derive(Default)]
struct Counting {
    peers: RefCell<Vec<SocketAddr>>,
    failures: Cell<usize>,
}

impl ServerFactory for Counting {
    fn build_protocol(self: Rc<Self>, peer: SocketAddr) -> Box<dyn Protocol> {
        self.peers.borrow_mut().push(peer);
        Box::new(Numbered {
            number: self.peers.borrow().len(),
            transport: None,
        })
    }

    fn accept_failed(&self, _error: &std::io::Error, _paused: Option<Duration>) {
        self.failures.set(self.failures.get() + 1);
    }
}

/// Connects, says `greeting`, and reads until the server closes.
fn ask(addr: SocketAddr, greeting: &str) -> String {
    let mut socket = connect(addr.port());
    socket.write_all(greeting.as_bytes()).unwrap();
    let mut reply = String::new();
    socket.read_to_string(&mut reply).unwrap();
    reply
}

#[test]
fn every_connection_gets_a_protocol_of_its_own() {
    for backend in [BackendKind::Mio, BackendKind::Poll] {
        let reactor = Reactor::with(backend, Clock::real()).unwrap();
        let factory = Rc::new(Counting::default());
        let port = listen_tcp(&reactor, "127.0.0.1", 0, factory.clone()).unwrap();
        let addr = port.local_addr();
        assert_ne!(addr.port(), 0, "port 0 means: any free port");

        let clients = thread::spawn(move || {
            let threads: Vec<_> = (0..5)
                .map(|i| thread::spawn(move || ask(addr, &format!("hello-{i}"))))
                .collect();
            threads
                .into_iter()
                .map(|t| t.join().unwrap())
                .collect::<Vec<_>>()
        });
        let replies = run_until(&reactor, clients);

        let mut numbers: Vec<usize> = replies
            .iter()
            .enumerate()
            .map(|(i, reply)| {
                let (number, said) = reply.split_once(' ').expect("number and greeting");
                assert_eq!(said, format!("hello-{i}"), "{backend:?}");
                number.parse().unwrap()
            })
            .collect();
        numbers.sort();
        assert_eq!(numbers, [1, 2, 3, 4, 5], "{backend:?}: one protocol each");
        assert_eq!(port.accepted(), 5);
        assert_eq!(factory.peers.borrow().len(), 5);
        assert_eq!(factory.failures.get(), 0);
    }
}

#[test]
fn a_crowd_is_accepted_a_few_at_a_time_and_nobody_is_left_waiting() {
    // More than one turn's worth, and fewer than the listen queue holds.
    let crowd = ACCEPTS_PER_TURN + ACCEPTS_PER_TURN / 2;
    for backend in [BackendKind::Mio, BackendKind::Poll] {
        let reactor = Reactor::with(backend, Clock::real()).unwrap();
        let factory = Rc::new(Counting::default());
        let port = listen_tcp(&reactor, "127.0.0.1", 0, factory.clone()).unwrap();
        // The whole crowd is waiting in the queue before the reactor looks,
        // and nobody else comes afterwards to wake it up again.
        let clients: Vec<TcpStream> = (0..crowd)
            .map(|i| {
                let mut socket = TcpStream::connect(port.local_addr()).unwrap();
                socket.write_all(format!("hello-{i}").as_bytes()).unwrap();
                socket
                    .set_read_timeout(Some(Duration::from_secs(10)))
                    .unwrap();
                socket
            })
            .collect();
        // A zero-delay call runs on the next turn, before the backend: the
        // second one sees what the first turn with the backend accepted.
        let after_one_turn = Rc::new(Cell::new(None));
        let (seen, watched) = (Rc::clone(&after_one_turn), port.clone());
        let next = reactor.clone();
        reactor.call_later(Duration::ZERO, move || {
            next.call_later(Duration::ZERO, move || seen.set(Some(watched.accepted())));
        });
        let readers = thread::spawn(move || {
            clients
                .into_iter()
                .map(|mut socket| {
                    let mut reply = String::new();
                    socket.read_to_string(&mut reply).map(|_| reply)
                })
                .collect::<Vec<_>>()
        });
        let replies = run_until(&reactor, readers);

        assert_eq!(
            after_one_turn.get(),
            Some(ACCEPTS_PER_TURN as u64),
            "{backend:?}: one turn's worth first"
        );
        assert_eq!(port.accepted(), crowd as u64, "{backend:?}");
        for (i, reply) in replies.into_iter().enumerate() {
            let reply = reply.unwrap_or_else(|e| panic!("{backend:?}: client {i}: {e}"));
            assert!(
                reply.ends_with(&format!(" hello-{i}")),
                "{backend:?}: {reply:?}"
            );
        }
    }
}

#[test]
fn stop_listening_refuses_new_clients_and_lets_the_current_ones_finish() {
    let reactor = Reactor::new().unwrap();
    let poem = poem("tyger.txt");
    let factory = SlowPoetryFactory::new(&reactor, poem, pacing(200, 30), report::quiet);
    let port = listen_tcp(&reactor, "127.0.0.1", 0, factory.clone()).unwrap();
    let addr = port.local_addr();
    // Stop listening as soon as the first client is being served.
    let stopper = port.clone();
    let watch = factory.clone();
    fn stop_when_serving(reactor: Reactor, port: part_11::ListeningPort, f: Rc<SlowPoetryFactory>) {
        if f.active() > 0 {
            port.stop_listening();
            port.stop_listening(); // twice does nothing
        } else {
            let again = reactor.clone();
            reactor.call_later(Duration::from_millis(1), move || {
                stop_when_serving(again, port, f)
            });
        }
    }
    stop_when_serving(reactor.clone(), stopper, watch);

    let client = thread::spawn(move || {
        let mut socket = connect(addr.port());
        let mut got = Vec::new();
        socket.read_to_end(&mut got).unwrap();
        got
    });
    let got = run_until(&reactor, client);
    assert_eq!(got, poem, "the client being served got its whole poem");
    assert!(!port.is_listening());
    assert_eq!(factory.poems_served(), 1);
    let refused = TcpStream::connect(addr).unwrap_err();
    assert_eq!(refused.kind(), std::io::ErrorKind::ConnectionRefused);
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let reactor = Reactor::new().unwrap();
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port();
    let factory = FastPoetryFactory::new(poem("science.txt"), report::quiet);
    let error = listen_tcp(&reactor, "127.0.0.1", port, factory).unwrap_err();
    assert_eq!(error.kind(), std::io::ErrorKind::AddrInUse);
    assert!(
        error
            .to_string()
            .starts_with(&format!("cannot listen on 127.0.0.1:{port}: ")),
        "{error}"
    );
}

#[test]
fn a_server_and_client_2_share_one_reactor() {
    let reactor = Reactor::new().unwrap();
    let poem = poem("panther.txt");
    let factory = FastPoetryFactory::new(poem, report::quiet);
    let port = listen_tcp(&reactor, "127.0.0.1", 0, factory.clone()).unwrap();
    let addr = port.local_addr();
    let outcomes = client::get_poetry(&reactor, &[addr, addr, addr], |_| {}).unwrap();
    for outcome in outcomes {
        assert_eq!(outcome.unwrap(), poem);
    }
    assert_eq!(factory.poems_served(), 3);
}

#[test]
fn the_async_slow_server_serves_its_clients_together() {
    let poem = poem("science.txt"); // 7 chunks of 100, 0.05 s apart: 0.3 s
    let server = AsyncSlowServer::spawn(poem, pacing(100, 50)).unwrap();
    let addr = server.addr();
    let start = Instant::now();
    let clients: Vec<_> = (0..6)
        .map(|_| {
            thread::spawn(move || {
                let mut socket = TcpStream::connect(addr).unwrap();
                let mut got = Vec::new();
                socket.read_to_end(&mut got).unwrap();
                got
            })
        })
        .collect();
    for client in clients {
        assert_eq!(client.join().unwrap(), poem);
    }
    assert!(
        start.elapsed() < Duration::from_millis(1200),
        "in turn: {:?}",
        start.elapsed()
    );
    // The server counts a poem once its connection is closed, which its
    // client may notice a moment before the server's thread counts it.
    let deadline = Instant::now() + Duration::from_secs(2);
    while server.poems_served() < 6 && Instant::now() < deadline {
        thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(server.poems_served(), 6);
}

#[test]
fn dropping_the_async_slow_server_stops_its_reactor_mid_poem() {
    let server = AsyncSlowServer::spawn(poem("science.txt"), pacing(10, 60_000)).unwrap();
    let addr = server.addr();
    let mut reader = TcpStream::connect(addr).unwrap();
    let mut first = [0; 10];
    reader.read_exact(&mut first).unwrap(); // the next chunk is a minute away
    let started = Instant::now();
    drop(server);
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        TcpStream::connect(addr).is_err(),
        "nothing listens any more"
    );
}

/// A client that connects and never reads: the server must not queue the
/// whole poem for it. Each chunk waits until the last one has left the
/// transport, so what the server holds stays at most one chunk, however
/// long the client sulks.
#[test]
fn a_client_that_never_reads_costs_at_most_one_chunk() {
    const CHUNK: usize = 256 * 1024;
    let reactor = Reactor::new().unwrap();
    let poem: Vec<u8> = (0..64 * 1024 * 1024).map(|i| (i % 251) as u8).collect();
    let sent = Rc::new(Cell::new(0));
    let counted = Rc::clone(&sent);
    let factory = SlowPoetryFactory::new(&reactor, poem, pacing(CHUNK, 1), move |event| {
        if let Event::Sent { bytes, .. } = event {
            counted.set(counted.get() + bytes);
        }
    });
    let port = listen_tcp(&reactor, "127.0.0.1", 0, factory.clone()).unwrap();
    let sulker = TcpStream::connect(port.local_addr()).unwrap();

    // 0.5 s at one chunk a millisecond would be the whole 64 MiB.
    let stopper = reactor.clone();
    reactor.call_later(Duration::from_millis(500), move || stopper.stop());
    reactor.run().unwrap();
    let handed = sent.get();
    // What the kernel holds for a loopback socket (its send and receive
    // buffers) is a few MiB; the rest waits in the poem, not in a queue.
    assert!(handed > 0);
    assert!(
        handed < 16 * 1024 * 1024,
        "{handed} bytes were queued for a client that reads nothing"
    );
    assert_eq!(factory.active(), 1, "the client is still connected");
    drop(sulker);
}

/// The slow server's protocol seen from a hand-made reactor: a client that
/// hangs up mid-poem is reported, its timer is cancelled (nothing is left
/// in the reactor's queue for it), and a client beside it is unaffected.
#[test]
fn a_hang_up_cancels_the_clients_timer() {
    let reactor = Reactor::new().unwrap();
    let poem = poem("tyger.txt");
    let hung_up = Rc::new(RefCell::new(Vec::new()));
    let seen = Rc::clone(&hung_up);
    let factory = SlowPoetryFactory::new(&reactor, poem, pacing(50, 20), move |event| {
        if let Event::HungUp {
            sent,
            total,
            reason,
            cancelled,
            ..
        } = event
        {
            let clean = matches!(reason, Disconnect::Done);
            seen.borrow_mut().push((sent, total, cancelled, clean));
        }
    });
    let port = listen_tcp(&reactor, "127.0.0.1", 0, factory.clone()).unwrap();
    let addr = port.local_addr();
    let clients = thread::spawn(move || {
        let mut patient = TcpStream::connect(addr).unwrap();
        let mut quitter = TcpStream::connect(addr).unwrap();
        let mut first = [0; 50];
        quitter.read_exact(&mut first).unwrap();
        drop(quitter);
        let mut got = Vec::new();
        patient.read_to_end(&mut got).unwrap();
        (first, got)
    });
    let (first, got) = run_until(&reactor, clients);
    assert_eq!(first, poem[..50]);
    assert_eq!(got, poem);
    let hung_up = hung_up.borrow();
    assert_eq!(hung_up.len(), 1, "{hung_up:?}");
    let (sent, total, cancelled, _) = hung_up[0];
    assert!(sent < total && cancelled, "{hung_up:?}");
    assert_eq!(factory.active(), 0);
    assert_eq!(factory.poems_served(), 1);
}

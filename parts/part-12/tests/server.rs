//! The transformation servers on the wire, with plain `std::net` sockets:
//! the series' example request, requests in pieces, and every way a client
//! can misbehave, each closed with a line saying why while a well-behaved
//! client is served at the same time. Every test runs against both servers,
//! ours and the tokio one, which must give the same replies.

mod common;

use std::collections::HashMap;
use std::io::Write;
use std::net::SocketAddr;
use std::thread;
use std::time::{Duration, Instant};

use common::{Kind, ask, connect, events_until, read_to_close, spawn};
use part_12::netstring::{NetstringError, encode};
use part_12::{Closed, Event, RequestError, ServerOptions, TransformError, Transforms};

const EXAMPLE: &[u8] = b"27:cummingsify.HERE IS MY POEM,";
const KINDS: [Kind; 2] = [Kind::Reactor, Kind::Tokio];

fn options(timeout: Duration) -> ServerOptions {
    ServerOptions {
        transforms: Transforms::standard().with("broken", |_| Err("out of ink".into())),
        max_length: 100,
        timeout: Some(timeout),
    }
}

#[test]
fn the_series_example_request_gets_its_reply() {
    for kind in KINDS {
        let (server, events) = spawn(kind, options(Duration::from_secs(10)));
        let addr = server.addr();
        assert_eq!(ask(addr, EXAMPLE), b"15:here is my poem,", "{kind:?}");
        let seen = events_until(&events, |seen| seen.len() == 2);
        assert!(matches!(seen[0], Event::Accepted(_)), "{kind:?}: {seen:?}");
        match &seen[1] {
            Event::Transformed { name, bytes, .. } => {
                assert_eq!((name.as_str(), *bytes), ("cummingsify", 15), "{kind:?}")
            }
            other => panic!("{kind:?}: {other:?}"),
        }
        assert!(
            seen[1]
                .to_string()
                .ends_with(": cummingsify, 15 bytes; closing")
        );
    }
}

#[test]
fn a_request_may_arrive_a_byte_at_a_time_and_non_ascii_poems_work() {
    let poem = "DER PANTHER — IM JARDIN DES PLANTES, PARIS. ÄÖÜ";
    let request = encode(format!("cummingsify.{poem}").as_bytes());
    let expected = encode(poem.to_lowercase().as_bytes());
    for kind in KINDS {
        let (server, _events) = spawn(kind, options(Duration::from_secs(10)));
        let addr = server.addr();
        let mut socket = connect(addr);
        socket.set_nodelay(true).unwrap();
        for byte in &request {
            socket.write_all(&[*byte]).unwrap();
        }
        assert_eq!(read_to_close(&mut socket), expected, "{kind:?}");
        // Two requests at once: the first is answered, then the
        // connection closes.
        let twice = [EXAMPLE, b"5:x.abc,"].concat();
        assert_eq!(ask(addr, &twice), b"15:here is my poem,", "{kind:?}");
    }
}

/// One misbehaving client: what it sends, and what the server must say.
struct Case {
    what: &'static str,
    send: Vec<u8>,
    expect: fn(&Closed) -> bool,
}

fn cases() -> Vec<Case> {
    vec![
        Case {
            what: "bad length prefix",
            send: b"x5:hello,".to_vec(),
            expect: |c| matches!(c, Closed::Malformed(NetstringError::BadLength(_))),
        },
        Case {
            what: "missing ':'",
            send: b"12abc".to_vec(),
            expect: |c| matches!(c, Closed::Malformed(NetstringError::BadLength(_))),
        },
        Case {
            what: "missing ','",
            send: b"5:hello;".to_vec(),
            expect: |c| matches!(c, Closed::Malformed(NetstringError::MissingComma { .. })),
        },
        Case {
            what: "oversized",
            send: b"101:".to_vec(),
            expect: |c| {
                matches!(
                    c,
                    Closed::Malformed(NetstringError::TooLong { max: 100, .. })
                )
            },
        },
        Case {
            what: "no dot",
            send: encode(b"cummingsify"),
            expect: |c| matches!(c, Closed::BadRequest(RequestError::NoDot)),
        },
        Case {
            what: "empty name",
            send: encode(b".HERE IS MY POEM"),
            expect: |c| matches!(c, Closed::BadRequest(RequestError::EmptyName)),
        },
        Case {
            what: "invalid UTF-8",
            send: encode(b"cummingsify.\xff\xfe POEM"),
            expect: |c| matches!(c, Closed::BadRequest(RequestError::NotUtf8(_))),
        },
        Case {
            what: "unknown transform",
            send: encode(b"shout.HERE IS MY POEM"),
            expect: |c| matches!(c, Closed::Transform(TransformError::Unknown(n)) if n == "shout"),
        },
        Case {
            what: "failing transform",
            send: encode(b"broken.HERE IS MY POEM"),
            expect: |c| matches!(c, Closed::Transform(TransformError::Failed { .. })),
        },
        Case {
            what: "silent",
            send: Vec::new(),
            expect: |c| matches!(c, Closed::TimedOut(_)),
        },
    ]
}

#[test]
fn misbehaving_clients_are_closed_with_a_reason_while_a_good_one_is_served() {
    let timeout = Duration::from_millis(1500);
    for kind in KINDS {
        let (server, events) = spawn(kind, options(timeout));
        let addr = server.addr();
        let start = Instant::now();
        let cases = cases();
        let mut expected: HashMap<SocketAddr, &Case> = HashMap::new();
        let mut sockets = Vec::new();
        for case in &cases {
            let mut socket = connect(addr);
            socket.write_all(&case.send).unwrap();
            expected.insert(socket.local_addr().unwrap(), case);
            sockets.push((case.what, socket));
        }
        // An endless length prefix: digits for as long as the server reads.
        let mut endless = connect(addr);
        let endless_peer = endless.local_addr().unwrap();
        let mut writer = endless.try_clone().unwrap();
        let digits = thread::spawn(move || {
            let mut sent = 0usize;
            while writer.write_all(&[b'9'; 1024]).is_ok() && sent < 64 << 20 {
                sent += 1024;
            }
            sent
        });
        // A byte a while: a valid request, too slowly to finish in time.
        let trickle = connect(addr);
        let trickle_peer = trickle.local_addr().unwrap();
        let mut writer = trickle.try_clone().unwrap();
        let trickler = thread::spawn(move || {
            for byte in EXAMPLE {
                if writer.write_all(&[*byte]).is_err() {
                    return;
                }
                thread::sleep(Duration::from_millis(200));
            }
        });

        // Meanwhile, a well-behaved client is served at once.
        assert_eq!(ask(addr, EXAMPLE), b"15:here is my poem,", "{kind:?}");
        assert!(
            start.elapsed() < timeout,
            "{kind:?}: served only after the time limit"
        );

        // Every misbehaving client is closed without a reply...
        for (what, mut socket) in sockets {
            assert_eq!(read_to_close(&mut socket), b"", "{kind:?}: {what}");
        }
        assert_eq!(read_to_close(&mut endless), b"", "{kind:?}: endless prefix");
        let sent = digits.join().unwrap();
        assert!(
            sent < 64 << 20,
            "{kind:?}: the server read an endless prefix"
        );
        let mut trickle = trickle;
        assert_eq!(read_to_close(&mut trickle), b"", "{kind:?}: a byte a while");
        trickler.join().unwrap();

        // ...and the server said why, once each.
        let peers = expected.len() + 2;
        let seen = events_until(&events, |seen| {
            seen.iter()
                .filter(|e| matches!(e, Event::Closed { .. }))
                .count()
                == peers
        });
        for event in &seen {
            let Event::Closed { peer, why } = event else {
                continue;
            };
            let line = event.to_string();
            assert!(line.contains("closing without a reply: "), "{line}");
            if *peer == endless_peer {
                assert!(
                    matches!(why, Closed::Malformed(NetstringError::TooLong { .. })),
                    "{kind:?}: {line}"
                );
            } else if *peer == trickle_peer {
                assert!(matches!(why, Closed::TimedOut(_)), "{kind:?}: {line}");
            } else {
                let case = expected
                    .get(peer)
                    .unwrap_or_else(|| panic!("{kind:?}: who is {peer}? {line}"));
                assert!((case.expect)(why), "{kind:?}: {}: {line}", case.what);
            }
        }
        // The good client's request was answered.
        assert!(
            seen.iter()
                .any(|e| matches!(e, Event::Transformed { bytes: 15, .. })),
            "{kind:?}"
        );
    }
}

#[test]
fn a_client_that_hangs_up_mid_request_is_noted() {
    for kind in KINDS {
        let (server, events) = spawn(kind, options(Duration::from_secs(10)));
        let addr = server.addr();
        let mut socket = connect(addr);
        let peer = socket.local_addr().unwrap();
        socket.write_all(b"27:cummingsify.HERE").unwrap();
        drop(socket);
        let seen = events_until(&events, |seen| seen.len() == 2);
        assert_eq!(seen[1], Event::HungUp(peer), "{kind:?}");
        assert_eq!(
            seen[1].to_string(),
            format!("{peer} hung up before sending a whole request")
        );
        // And the server goes on.
        assert_eq!(ask(addr, EXAMPLE), b"15:here is my poem,", "{kind:?}");
    }
}

#[test]
fn dropping_a_server_stops_it_and_closes_its_port() {
    for kind in KINDS {
        let (server, _events) = spawn(kind, options(Duration::from_secs(10)));
        let addr = server.addr();
        // A client in the middle of a request does not hold the server up.
        let mut idle = connect(addr);
        idle.write_all(b"27:cumm").unwrap();
        let started = Instant::now();
        drop(server);
        assert!(started.elapsed() < Duration::from_secs(2), "{kind:?}");
        let refused = std::net::TcpStream::connect(addr);
        assert!(refused.is_err(), "{kind:?}: nothing listens any more");
    }
}

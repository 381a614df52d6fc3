//! A server out of file descriptors: accepting fails with `EMFILE`. The
//! port must say so, stop accepting for a moment instead of failing again
//! in a busy loop, and serve the waiting client once descriptors are free
//! again, on both backends (the `poll(2)` one is level-triggered, so
//! without the pause it would be called again at once, forever).
//!
//! The only test in this file on purpose: it uses up the process's file
//! descriptors, which would break any test running beside it.

use std::cell::RefCell;
use std::fs::File;
use std::io::{self, Read};
use std::net::{SocketAddr, TcpStream};
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Clock, Reactor};
use part_05::Protocol;
use part_11::{ACCEPT_PAUSE, FastPoetryFactory, ServerFactory, listen_tcp, report};
use testkit::poem;

/// The fast poetry factory, noting every accept failure.
struct Noting {
    inner: Rc<FastPoetryFactory>,
    failures: RefCell<Vec<(io::ErrorKind, Option<Duration>)>>,
}

impl ServerFactory for Noting {
    fn build_protocol(self: Rc<Self>, peer: SocketAddr) -> Box<dyn Protocol> {
        Rc::clone(&self.inner).build_protocol(peer)
    }

    fn accept_failed(&self, error: &io::Error, paused: Option<Duration>) {
        self.failures.borrow_mut().push((error.kind(), paused));
    }
}

/// Opens files until the process may open no more.
fn use_up_descriptors() -> Vec<File> {
    let mut hoard = Vec::new();
    loop {
        match File::open("/dev/null") {
            Ok(file) => hoard.push(file),
            Err(e) if e.raw_os_error() == Some(libc::EMFILE) => return hoard,
            Err(e) => panic!("unexpected error while using up descriptors: {e}"),
        }
    }
}

#[test]
fn out_of_descriptors_the_port_pauses_then_serves() {
    // Fewer descriptors make the hoard quicker to build.
    let before = part_11::file_limit().unwrap();
    part_11::set_file_limit(512).unwrap();

    for backend in [BackendKind::Mio, BackendKind::Poll] {
        let reactor = Reactor::with(backend, Clock::real()).unwrap();
        let poem = poem("science.txt");
        let factory = Rc::new(Noting {
            inner: FastPoetryFactory::new(poem, report::quiet),
            failures: RefCell::new(Vec::new()),
        });
        let port = listen_tcp(&reactor, "127.0.0.1", 0, factory.clone()).unwrap();
        // Connected (the kernel finishes the handshake and queues it) but
        // not accepted yet; then no descriptor is left to accept it with.
        let mut client = TcpStream::connect(port.local_addr()).unwrap();
        client
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let hoard = Rc::new(RefCell::new(use_up_descriptors()));

        // For 0.35 s the process has no descriptors; then it has again.
        let freed = Rc::clone(&hoard);
        reactor.call_later(Duration::from_millis(350), move || {
            freed.borrow_mut().clear()
        });
        let stopper = reactor.clone();
        reactor.call_later(Duration::from_millis(700), move || stopper.stop());
        reactor.run().unwrap();

        let mut got = Vec::new();
        client.read_to_end(&mut got).unwrap();
        assert_eq!(got, poem, "{backend:?}: served once descriptors were free");
        assert!(port.is_listening() && !port.is_paused());

        let failures = factory.failures.borrow();
        assert!(
            !failures.is_empty(),
            "{backend:?}: the failure was reported"
        );
        assert!(
            failures
                .iter()
                .all(|&(kind, paused)| kind != io::ErrorKind::WouldBlock
                    && paused == Some(ACCEPT_PAUSE)),
            "{backend:?}: {failures:?}"
        );
        // 0.35 s of failures, one per 0.1 s pause: a handful, not a spin.
        assert!(
            failures.len() <= 6,
            "{backend:?}: accepting failed {} times: a busy loop",
            failures.len()
        );
    }
    part_11::set_file_limit(before.soft).unwrap();
}

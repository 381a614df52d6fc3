//! The exercise solutions of part 13, compiled here as modules and run
//! against servers on free ports.

use std::cell::RefCell;
use std::net::SocketAddr;
use std::rc::Rc;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use part_02::Address;
use part_03::Reactor;
use part_06::{Printer, Task};
use part_12::background::{ServerKind, spawn};
use part_12::{Event, ServerOptions};
use testkit::{closed_port, servers};

#[allow(dead_code)] // its `main` is the example's
#[path = "../examples/part13-ex1-depth.rs"]
mod ex1;

#[allow(dead_code)]
#[path = "../examples/part13-ex2-fallback.rs"]
mod ex2;

#[allow(dead_code)]
#[path = "../examples/part13-ex3-cancel.rs"]
mod ex3;

#[test]
fn ex1_the_innermost_level_finishes_first_and_its_value_reaches_the_top() {
    let reactor = Reactor::new().unwrap();
    let lines: Rc<RefCell<Vec<String>>> = Rc::default();
    let keep = Rc::clone(&lines);
    let say: ex1::Say = Rc::new(move |line| keep.borrow_mut().push(line.trim().to_string()));
    let (end, stop) = (Rc::new(RefCell::new(None)), reactor.clone());
    let got = Rc::clone(&end);
    let _ = ex1::down(&reactor, 1, 3, say).add_callback(move |n: u32| {
        *got.borrow_mut() = Some(n);
        let _ = stop.stop();
    });
    reactor.run().unwrap();
    assert_eq!(end.take(), Some(3));
    assert_eq!(
        lines.take(),
        [
            "level 1: waiting for its timer",
            "level 1: fired; its callback returns level 2's deferred",
            "level 2: waiting for its timer",
            "level 2: fired; its callback returns level 3's deferred",
            "level 3: waiting for its timer",
            "level 3: fired, the bottom; returns 3",
            "level 2: goes on with 3",
            "level 1: goes on with 3",
        ]
    );
}

#[test]
fn ex2_the_second_server_is_asked_only_when_the_first_fails() {
    let (up_server, events) = spawn(ServerKind::Reactor, ServerOptions::default()).unwrap();
    let up = up_server.addr();
    let (spare_server, spare_events) =
        spawn(ServerKind::Reactor, ServerOptions::default()).unwrap();
    let spare = spare_server.addr();
    let down: SocketAddr = ([127, 0, 0, 1], closed_port()).into();
    let poem = "Tyger Tyger, Burning Bright";
    assert_eq!(ex2::ask(down, up, poem), Ok(poem.to_lowercase()));
    assert!(matches!(
        events.recv_timeout(Duration::from_secs(5)),
        Ok(Event::Accepted(_))
    ));
    assert_eq!(ex2::ask(down, down, poem), Ok(poem.to_string()));
    assert_eq!(ex2::ask(up, spare, poem), Ok(poem.to_lowercase()));
    assert!(
        matches!(
            spare_events.recv_timeout(Duration::from_millis(200)),
            Err(RecvTimeoutError::Timeout)
        ),
        "the spare server was asked although the first one answered"
    );
}

#[test]
fn ex3_cancelling_the_outer_deferred_cancels_the_inner_one_whose_errback_keeps_the_original() {
    let poetry = servers(1, 200, 10);
    let (server, poem) = &poetry[0];
    let addr = server.addr();
    let task = Task::numbered(&[Address::from(addr)], &[addr], &Printer::new(|_, _| {})).remove(0);
    let lines: Rc<RefCell<Vec<String>>> = Rc::default();
    let keep = Rc::clone(&lines);
    let ending =
        ex3::cancel_while_waiting(&task, move |line| keep.borrow_mut().push(line)).unwrap();
    let poem = String::from_utf8(poem.to_vec()).unwrap();
    assert_eq!(ending, Ok(part_13::told::first_line(&poem)));
    let lines = lines.take();
    let at = |what: &str| {
        lines
            .iter()
            .position(|l| l.starts_with(what))
            .unwrap_or_else(|| panic!("{what} missing in {lines:#?}"))
    };
    assert!(at("Paused") < at("cancelling the outer deferred"));
    assert!(at("cancelling the outer deferred") < at("KeptOriginal"));
    assert!(
        lines[at("KeptOriginal")].contains("the deferred was cancelled"),
        "{lines:#?}"
    );
    assert!(at("KeptOriginal") < at("WentOn"));
}

//! Client 6.0's chain in-process, looking at the poems themselves: each
//! is the lowercased original when the transformation server is up, and
//! the original, byte for byte, when it is not.

mod common;

use std::cell::RefCell;
use std::net::SocketAddr;
use std::rc::Rc;

use common::{Kind, spawn};
use part_02::Address;
use part_03::Reactor;
use part_06::{Countdown, Printer, Stream, Task};
use part_07::Failure;
use part_12::{ServerOptions, TransformProxy, get_transformed_poetry};
use testkit::{closed_port, servers};

/// Runs the chain for every slow server; the poems (or failures) and the
/// lines printed.
fn run_chain(transform: SocketAddr, slow: &[SocketAddr]) -> (Vec<Option<String>>, Vec<String>) {
    let reactor = Reactor::new().unwrap();
    let lines = Rc::new(RefCell::new(Vec::new()));
    let keep = Rc::clone(&lines);
    let printer = Printer::new(move |stream, line| {
        keep.borrow_mut().push(format!("{stream:?}: {line}"));
    });
    let addresses: Vec<Address> = slow.iter().map(|&a| Address::from(a)).collect();
    let tasks = Task::numbered(&addresses, slow, &printer);
    let proxy = TransformProxy::new(&reactor, transform);
    let poems = Rc::new(RefCell::new(vec![None; tasks.len()]));
    let countdown = Countdown::new(&reactor, tasks.len());
    for task in &tasks {
        let (poems, number, done) = (Rc::clone(&poems), task.number, countdown.clone());
        let _ = get_transformed_poetry(&reactor, task, &proxy, "cummingsify").add_both(
            move |result: Result<String, Failure>| {
                poems.borrow_mut()[number - 1] = result.ok();
                done.one_done();
            },
        );
    }
    reactor.run().unwrap();
    let poems = poems.borrow().clone();
    let lines = lines.borrow().clone();
    (poems, lines)
}

#[test]
fn every_poem_comes_back_lowercased() {
    let slow = servers(3, 300, 5);
    let (transform_server, _events) = spawn(Kind::Reactor, ServerOptions::default());
    let transform = transform_server.addr();
    let addrs: Vec<SocketAddr> = slow.iter().map(|(s, _)| s.addr()).collect();
    let (poems, lines) = run_chain(transform, &addrs);
    for (i, (_, original)) in slow.iter().enumerate() {
        let expected = std::str::from_utf8(original).unwrap().to_lowercase();
        assert_eq!(poems[i].as_deref(), Some(&*expected), "task {}", i + 1);
        assert!(lines.contains(&format!(
            "{:?}: Task {}: transformed by cummingsify",
            Stream::Out,
            i + 1
        )));
    }
}

#[test]
fn a_transformation_server_that_is_down_leaves_the_originals() {
    let slow = servers(2, 300, 5);
    let down: SocketAddr = ([127, 0, 0, 1], closed_port()).into();
    let addrs: Vec<SocketAddr> = slow.iter().map(|(s, _)| s.addr()).collect();
    let (poems, lines) = run_chain(down, &addrs);
    for (i, (_, original)) in slow.iter().enumerate() {
        assert_eq!(poems[i].as_deref().map(str::as_bytes), Some(*original));
    }
    let kept = lines
        .iter()
        .filter(|l| {
            l.starts_with(&format!("{:?}: ", Stream::Err))
                && l.ends_with("keeping the original poem")
        })
        .count();
    assert_eq!(kept, 2, "{lines:#?}");
}

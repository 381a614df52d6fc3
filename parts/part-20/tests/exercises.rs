//! The solutions to the chapter's exercises, compiled here as modules and
//! checked against slow servers on loopback (or a virtual clock).

#[allow(dead_code)]
#[path = "../examples/part20-ex1-in-order.rs"]
mod in_order;

#[allow(dead_code)]
#[path = "../examples/part20-ex2-links.rs"]
mod links;

#[allow(dead_code)]
#[path = "../examples/part20-ex3-selective.rs"]
mod selective;

use std::cell::RefCell;
use std::net::SocketAddr;
use std::rc::Rc;
use std::time::{Duration, Instant};

use part_02::{Address, FetchError};
use part_03::{BackendKind, Reactor, VirtualClock};
use part_06::{Printer, Task};
use part_17::Runtime;
use part_20::{Reason, mailbox};
use testkit::{closed_port, servers};

/// Tasks for `addrs`, and the lines they and the main process print
/// (chunk lines left out).
fn tasks(addrs: &[SocketAddr]) -> (Vec<Task>, Printer, Rc<RefCell<Vec<String>>>) {
    let lines = Rc::new(RefCell::new(Vec::new()));
    let kept = Rc::clone(&lines);
    let printer = Printer::new(move |_, line| {
        if !line.contains(" bytes of poetry from ") {
            kept.borrow_mut().push(line.to_string());
        }
    });
    let addresses: Vec<Address> = addrs.iter().copied().map(Address::from).collect();
    (Task::numbered(&addresses, addrs, &printer), printer, lines)
}

fn closed() -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], closed_port()))
}

#[test]
fn poems_are_printed_in_task_order_though_they_arrive_out_of_it() {
    // science (661 bytes), tyger (803), panther (573): they arrive 3, 1, 2.
    let servers = servers(3, 40, 10);
    let addrs: Vec<SocketAddr> = servers.iter().map(|(server, _)| server.addr()).collect();
    let (tasks, printer, lines) = tasks(&addrs);
    let runtime = Runtime::new(&Reactor::new().unwrap());
    let printed = runtime
        .block_on(in_order::in_order(runtime.clone(), tasks, printer))
        .unwrap();
    assert_eq!(printed, [1, 2, 3]);
    let lines = lines.borrow();
    let at = |wanted: &str| lines.iter().position(|line| line.starts_with(wanted));
    let (arrived_3, printed_1) = (at("Task 3: poem arrived"), at("  printing task 1's"));
    assert!(
        arrived_3 < printed_1,
        "task 3 came first and waited: {lines:?}"
    );
    assert!(
        at("Task 2: poem arrived") < at("  printing task 3's"),
        "{lines:?}"
    );
}

#[test]
fn a_task_that_fails_does_not_hold_up_the_ones_after_it() {
    let servers = servers(2, 100, 10);
    let addrs = [closed(), servers[0].0.addr(), servers[1].0.addr()];
    let (tasks, printer, lines) = tasks(&addrs);
    let runtime = Runtime::new(&Reactor::new().unwrap());
    let printed = runtime
        .block_on(in_order::in_order(runtime.clone(), tasks, printer))
        .unwrap();
    assert_eq!(printed, [2, 3]);
    assert!(lines.borrow()[0].starts_with("Task 1 down: cannot connect"));
}

#[test]
fn the_first_failure_kills_the_others_at_once() {
    let servers = servers(2, 10, 100); // about seven seconds a poem
    let addrs = [servers[0].0.addr(), closed(), servers[1].0.addr()];
    let (tasks, printer, lines) = tasks(&addrs);
    let runtime = Runtime::new(&Reactor::new().unwrap());
    let start = Instant::now();
    let reasons = runtime
        .block_on(links::all_or_nothing(runtime.clone(), tasks, printer))
        .unwrap();
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "{:?}",
        start.elapsed()
    );
    assert!(matches!(reasons[0], Reason::Killed), "{reasons:?}");
    assert!(
        matches!(reasons[1], Reason::Error(FetchError::Connect(_))),
        "{reasons:?}"
    );
    assert!(matches!(reasons[2], Reason::Killed), "{reasons:?}");
    assert_eq!(lines.borrow().len(), 3, "one down line each: {lines:?}");
}

#[test]
fn without_a_failure_nobody_is_killed() {
    let servers = servers(2, 100, 10);
    let addrs = [servers[0].0.addr(), servers[1].0.addr()];
    let (tasks, printer, _) = tasks(&addrs);
    let runtime = Runtime::new(&Reactor::new().unwrap());
    let reasons = runtime
        .block_on(links::all_or_nothing(runtime.clone(), tasks, printer))
        .unwrap();
    assert!(reasons.iter().all(Reason::is_normal), "{reasons:?}");
}

#[test]
fn a_selective_receive_takes_the_message_asked_for_and_keeps_the_rest_in_order() {
    let reactor = Reactor::with(BackendKind::Mio, VirtualClock::new()).unwrap();
    let runtime = Runtime::new(&reactor);
    let (me, inbox) = mailbox::<u32>();
    let rt = runtime.clone();
    let _ = runtime.spawn(async move {
        for n in 1..=5 {
            let _ = rt.sleep(Duration::from_secs(1)).await;
            me.send(n);
        }
    });
    let got = runtime
        .block_on(async move {
            let mut inbox = selective::Selective::new(inbox);
            let mut got = vec![inbox.recv_where(|n| n % 2 == 0).await];
            got.push(inbox.recv_where(|n| *n == 4).await);
            while let Some(n) = inbox.recv().await {
                got.push(Some(n));
            }
            got
        })
        .unwrap();
    assert_eq!(got, [Some(2), Some(4), Some(1), Some(3), Some(5)]);
}

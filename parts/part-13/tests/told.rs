//! The told chain against real servers: its steps come in the lesson's
//! order, and it ends exactly as part 12's `get_transformed_poetry` does.

use std::cell::RefCell;
use std::net::SocketAddr;
use std::rc::Rc;

use part_02::{Address, SlowServer};
use part_03::Reactor;
use part_06::{Countdown, Printer, Task};
use part_07::{Deferred, Failure};
use part_12::background::{ServerKind, spawn};
use part_12::{ServerOptions, TransformProxy, get_transformed_poetry};
use part_13::{Step, get_transformed_poetry_told};
use testkit::{closed_port, servers};

type Ending = Result<String, String>;

/// Runs one chain per server with `chain`, to the end; what each ended with.
fn run(
    poetry: &[(SlowServer, &[u8])],
    transformer: SocketAddr,
    chain: impl Fn(&Reactor, &Task, &TransformProxy) -> Deferred<String>,
) -> Vec<Ending> {
    let reactor = Reactor::new().unwrap();
    let sockets: Vec<_> = poetry.iter().map(|(s, _)| s.addr()).collect();
    let addresses: Vec<_> = sockets.iter().map(|a| Address::from(*a)).collect();
    let tasks = Task::numbered(&addresses, &sockets, &Printer::new(|_, _| {}));
    let proxy = TransformProxy::new(&reactor, transformer);
    let endings: Rc<RefCell<Vec<Option<Ending>>>> = Rc::new(RefCell::new(vec![None; tasks.len()]));
    let countdown = Countdown::new(&reactor, tasks.len());
    for (i, task) in tasks.iter().enumerate() {
        let (keep, done) = (Rc::clone(&endings), countdown.clone());
        let _ = chain(&reactor, task, &proxy).add_both(move |outcome: Result<String, Failure>| {
            keep.borrow_mut()[i] = Some(outcome.map_err(|f| f.message()));
            done.one_done();
        });
    }
    reactor.run().unwrap();
    endings.take().into_iter().map(Option::unwrap).collect()
}

/// The told chain's steps for each task, and how each ended.
fn told(poetry: &[(SlowServer, &[u8])], transformer: SocketAddr) -> (Vec<Vec<Step>>, Vec<Ending>) {
    let steps: Rc<RefCell<Vec<Vec<Step>>>> = Rc::new(RefCell::new(vec![Vec::new(); poetry.len()]));
    let record = Rc::clone(&steps);
    let endings = run(poetry, transformer, move |reactor, task, proxy| {
        let (record, i) = (Rc::clone(&record), task.number - 1);
        get_transformed_poetry_told(reactor, task, proxy, "cummingsify", move |step| {
            record.borrow_mut()[i].push(step)
        })
    });
    (steps.take(), endings)
}

fn part_12(poetry: &[(SlowServer, &[u8])], transformer: SocketAddr) -> Vec<Ending> {
    run(poetry, transformer, |reactor, task, proxy| {
        get_transformed_poetry(reactor, task, proxy, "cummingsify")
    })
}

#[test]
fn with_the_server_up_the_outer_chain_pauses_then_goes_on_transformed() {
    let poetry = servers(2, 200, 10);
    let (transformer_server, _events) =
        spawn(ServerKind::Reactor, ServerOptions::default()).unwrap();
    let transformer = transformer_server.addr();
    let (steps, endings) = told(&poetry, transformer);
    for ((steps, ending), (_, poem)) in steps.iter().zip(&endings).zip(&poetry) {
        let poem = String::from_utf8(poem.to_vec()).unwrap();
        let transformed = part_12::cummingsify(&poem).unwrap();
        assert_eq!(
            steps,
            &[
                Step::Downloaded { bytes: poem.len() },
                Step::Sending {
                    transform: "cummingsify".into()
                },
                Step::Paused { went_on: false },
                Step::Transformed,
                Step::WentOn {
                    first_line: part_13::told::first_line(&transformed)
                },
            ]
        );
        assert_eq!(ending, &Ok(transformed));
    }
    assert_eq!(
        endings,
        part_12(&poetry, transformer),
        "the same as part 12's chain"
    );
}

#[test]
fn with_the_server_down_the_inner_errback_hands_on_the_original() {
    let poetry = servers(2, 200, 10);
    let down: SocketAddr = ([127, 0, 0, 1], closed_port()).into();
    let (steps, endings) = told(&poetry, down);
    for ((steps, ending), (_, poem)) in steps.iter().zip(&endings).zip(&poetry) {
        let poem = String::from_utf8(poem.to_vec()).unwrap();
        assert_eq!(steps.len(), 5, "{steps:?}");
        assert_eq!(steps[2], Step::Paused { went_on: false });
        assert!(
            matches!(&steps[3], Step::KeptOriginal { reason } if reason.starts_with("cannot connect")),
            "{steps:?}"
        );
        assert_eq!(ending, &Ok(poem));
    }
    assert_eq!(endings, part_12(&poetry, down));
}

#[test]
fn a_failed_download_skips_the_transform_and_fails_the_chain() {
    let (transformer_server, _events) =
        spawn(ServerKind::Reactor, ServerOptions::default()).unwrap();
    let transformer = transformer_server.addr();
    let reactor = Reactor::new().unwrap();
    let nowhere: SocketAddr = ([127, 0, 0, 1], closed_port()).into();
    let task = Task::numbered(
        &[Address::from(nowhere)],
        &[nowhere],
        &Printer::new(|_, _| {}),
    )
    .remove(0);
    let steps: Rc<RefCell<Vec<Step>>> = Rc::default();
    let (record, stop) = (Rc::clone(&steps), reactor.clone());
    let failed = Rc::new(RefCell::new(None));
    let keep = Rc::clone(&failed);
    let proxy = TransformProxy::new(&reactor, transformer);
    let _ = get_transformed_poetry_told(&reactor, &task, &proxy, "cummingsify", move |s| {
        record.borrow_mut().push(s)
    })
    .add_errback(move |failure: Failure| {
        *keep.borrow_mut() = Some(failure.short_type_name().to_string());
        let _ = stop.stop();
        Ok(String::new())
    });
    reactor.run().unwrap();
    assert!(steps.borrow().is_empty(), "{:?}", steps.borrow());
    assert_eq!(failed.take().as_deref(), Some("FetchError"));
}

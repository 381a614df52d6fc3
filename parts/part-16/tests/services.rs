//! Services and their tree: order of starting and stopping, waiting for a
//! slow stop, undoing a failed start, and an application stopped by the
//! reactor's shutdown (virtual time).

use std::cell::RefCell;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Deferred, deferred, succeed};
use part_16::{Application, MultiService, Service, StartError};

type Journal = Rc<RefCell<Vec<String>>>;

/// A service that writes what happens to it in a journal; its stop takes
/// `stop_takes` of the reactor's time, and its start may fail.
struct Recorder {
    name: &'static str,
    journal: Journal,
    reactor: Reactor,
    stop_takes: Duration,
    fails: bool,
}

impl Recorder {
    fn new(
        name: &'static str,
        journal: &Journal,
        reactor: &Reactor,
        stop_secs: u64,
    ) -> Rc<Recorder> {
        Rc::new(Recorder {
            name,
            journal: Rc::clone(journal),
            reactor: reactor.clone(),
            stop_takes: Duration::from_secs(stop_secs),
            fails: false,
        })
    }

    fn failing(name: &'static str, journal: &Journal, reactor: &Reactor) -> Rc<Recorder> {
        Rc::new(Recorder {
            fails: true,
            ..Rc::into_inner(Recorder::new(name, journal, reactor, 0)).unwrap()
        })
    }

    fn note(&self, what: &str) {
        let at = self.reactor.now().as_secs();
        self.journal
            .borrow_mut()
            .push(format!("{at}s {what} {}", self.name));
    }
}

impl Service for Recorder {
    fn name(&self) -> &str {
        self.name
    }

    fn start(&self) -> Result<(), StartError> {
        if self.fails {
            self.note("cannot start");
            return Err("no poem today".into());
        }
        self.note("start");
        Ok(())
    }

    fn stop(&self) -> Deferred<()> {
        self.note("stopping");
        if self.stop_takes.is_zero() {
            self.note("stopped");
            return succeed(());
        }
        let (done, trigger) = deferred();
        let journal = Rc::clone(&self.journal);
        let (name, reactor) = (self.name, self.reactor.clone());
        self.reactor.call_later(self.stop_takes, move || {
            let at = reactor.now().as_secs();
            journal.borrow_mut().push(format!("{at}s stopped {name}"));
            trigger.callback(()).unwrap();
        });
        done
    }
}

fn virtual_reactor() -> Reactor {
    Reactor::with(BackendKind::Mio, VirtualClock::new()).unwrap()
}

#[test]
fn children_start_in_order_and_stop_in_reverse_one_at_a_time() {
    let reactor = virtual_reactor();
    let journal = Journal::default();
    let top = MultiService::new("top");
    for (name, secs) in [("poem", 1), ("port", 2), ("farewell", 3)] {
        top.add(Recorder::new(name, &journal, &reactor, secs))
            .unwrap();
    }
    top.start().unwrap();
    assert!(top.is_running());
    let stopped = top.stop();
    let outcome = reactor.run_until(stopped).unwrap();
    assert!(outcome.is_ok());
    assert_eq!(
        *journal.borrow(),
        [
            "0s start poem",
            "0s start port",
            "0s start farewell",
            "0s stopping farewell",
            "3s stopped farewell",
            "3s stopping port",
            "5s stopped port",
            "5s stopping poem",
            "6s stopped poem",
        ]
    );
    assert!(!top.is_running());
}

#[test]
fn a_failed_start_stops_what_had_started_and_nothing_else() {
    let reactor = virtual_reactor();
    let journal = Journal::default();
    let top = MultiService::new("top");
    top.add(Recorder::new("poem", &journal, &reactor, 0))
        .unwrap();
    top.add(Recorder::new("cache", &journal, &reactor, 0))
        .unwrap();
    top.add(Recorder::failing("port", &journal, &reactor))
        .unwrap();
    top.add(Recorder::new("farewell", &journal, &reactor, 0))
        .unwrap();
    let error = top.start().unwrap_err();
    assert_eq!(error.to_string(), "no poem today");
    assert_eq!(
        *journal.borrow(),
        [
            "0s start poem",
            "0s start cache",
            "0s cannot start port",
            "0s stopping cache",
            "0s stopped cache",
            "0s stopping poem",
            "0s stopped poem",
        ]
    );
    assert!(!top.is_running());
}

#[test]
fn two_children_may_not_share_a_name() {
    let reactor = virtual_reactor();
    let journal = Journal::default();
    let top = MultiService::new("top");
    top.add(Recorder::new("poem", &journal, &reactor, 0))
        .unwrap();
    let error = top
        .add(Recorder::new("poem", &journal, &reactor, 0))
        .unwrap_err();
    assert_eq!(error.to_string(), "top already has a service called poem");
    assert_eq!(
        top.get("poem").map(|s| s.name().to_string()).as_deref(),
        Some("poem")
    );
    assert!(top.get("port").is_none());
}

#[test]
fn a_tree_within_a_tree_stops_depth_first_in_reverse() {
    let reactor = virtual_reactor();
    let journal = Journal::default();
    let app = Application::new("poetry");
    let first = MultiService::new("first");
    first
        .add(Recorder::new("poem-1", &journal, &reactor, 1))
        .unwrap();
    first
        .add(Recorder::new("port-1", &journal, &reactor, 1))
        .unwrap();
    let second = MultiService::new("second");
    second
        .add(Recorder::new("poem-2", &journal, &reactor, 1))
        .unwrap();
    second
        .add(Recorder::new("port-2", &journal, &reactor, 1))
        .unwrap();
    app.add(first).unwrap();
    app.add(second).unwrap();
    app.start().unwrap();
    reactor.run_until(app.stop()).unwrap().unwrap();
    let stops: Vec<String> = journal
        .borrow()
        .iter()
        .filter(|line| line.contains(" stopped "))
        .cloned()
        .collect();
    assert_eq!(
        stops,
        [
            "1s stopped port-2",
            "2s stopped poem-2",
            "3s stopped port-1",
            "4s stopped poem-1"
        ]
    );
}

#[test]
fn the_reactor_waits_for_the_application_to_stop() {
    let reactor = virtual_reactor();
    let journal = Journal::default();
    let app = Application::new("poetry");
    app.add(Recorder::new("slow", &journal, &reactor, 7))
        .unwrap();
    app.start().unwrap();
    app.stop_on_shutdown(&reactor);
    let stopper = reactor.clone();
    reactor.call_later(Duration::from_secs(1), move || stopper.stop());
    reactor.run().unwrap();
    assert_eq!(
        reactor.now(),
        Duration::from_secs(8),
        "run returned once the stop was done"
    );
    assert_eq!(
        journal.borrow().last().map(String::as_str),
        Some("8s stopped slow")
    );
}

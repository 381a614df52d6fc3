//! Client 2.0: the poetry client as a protocol and a factory.
//!
//! [`PoetryProtocol`] handles one connection: it collects the poem's bytes
//! and reports each chunk. [`PoetryClientFactory`] handles the program: it
//! makes one protocol per connection, gives each the number of its task,
//! keeps the finished poems and the failures, and stops the reactor when
//! every task is over. Neither touches a socket: the transport does that.
//!
//! What they report is part 2's [`Event`], so that client 2.0 prints, line
//! for line, what part 2's asynchronous client printed.

use std::cell::{Cell, RefCell};
use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

pub use part_02::async_client::Event;
use part_02::{Address, FetchError, cli, report};
use part_03::{Disconnect, Reactor, ReactorError};

use crate::{ClientFactory, Connector, Protocol, connect_tcp};

/// What one task ended with: the whole poem, or why there is none.
pub type Outcome = Result<Vec<u8>, FetchError>;

// ANCHOR: protocol
/// One download: collects the poem and tells the factory when it is over.
pub struct PoetryProtocol {
    task: usize,
    poem: Vec<u8>,
    factory: Rc<PoetryClientFactory>,
}

impl Protocol for PoetryProtocol {
    fn data_received(&mut self, data: &[u8]) {
        self.poem.extend_from_slice(data);
        self.factory.report(Event::Received {
            task: self.task,
            bytes: data.len(),
        });
    }

    fn connection_lost(&mut self, reason: Disconnect) {
        let poem = std::mem::take(&mut self.poem);
        let outcome = match reason {
            // The server closed the connection: the poem is complete.
            Disconnect::Done => Ok(poem),
            Disconnect::Lost(source) => Err(FetchError::Lost {
                received: poem.len(),
                source,
            }),
        };
        self.factory.poem_finished(self.task, outcome);
    }
}
// ANCHOR_END: protocol

/// One address to download from, and how that went.
struct Task {
    addr: SocketAddr,
    /// Whether a connection (or a failure) has been matched to this task.
    claimed: bool,
    outcome: Option<Outcome>,
}

/// How a factory reports what happens.
type Reporter = Box<dyn FnMut(Event<'_>)>;

// ANCHOR: factory
/// The program's side: one task per address, a protocol per connection,
/// and a count of the tasks still running. Stops the reactor when it
/// reaches zero.
pub struct PoetryClientFactory {
    reactor: Reactor,
    tasks: RefCell<Vec<Task>>,
    running: Cell<usize>,
    reporter: RefCell<Reporter>,
}

impl ClientFactory for PoetryClientFactory {
    fn build_protocol(self: Rc<Self>, addr: SocketAddr) -> Box<dyn Protocol> {
        let task = self.claim(addr);
        Box::new(PoetryProtocol {
            task,
            poem: Vec::new(),
            factory: self,
        })
    }

    fn client_connection_failed(&self, connector: &Connector, reason: io::Error) {
        let task = self.claim(connector.addr());
        self.poem_finished(task, Err(FetchError::Connect(reason)));
    }
}

impl PoetryClientFactory {
    /// A factory for one task per address (numbered from 1, in order),
    /// reporting to `reporter` as it goes.
    pub fn new(
        reactor: &Reactor,
        addresses: &[SocketAddr],
        reporter: impl FnMut(Event<'_>) + 'static,
    ) -> Rc<PoetryClientFactory> {
        let tasks = addresses
            .iter()
            .map(|&addr| Task {
                addr,
                claimed: false,
                outcome: None,
            })
            .collect();
        Rc::new(PoetryClientFactory {
            reactor: reactor.clone(),
            tasks: RefCell::new(tasks),
            running: Cell::new(addresses.len()),
            reporter: RefCell::new(Box::new(reporter)),
        })
    }

    /// A task is over: keep its outcome, report it, and stop the reactor
    /// if it was the last.
    pub fn poem_finished(&self, task: usize, outcome: Outcome) {
        match &outcome {
            Ok(_) => self.report(Event::Finished { task }),
            Err(error) => self.report(Event::Failed { task, error }),
        }
        if let Some(slot) = self.tasks.borrow_mut().get_mut(task - 1) {
            slot.outcome = Some(outcome);
        }
        self.running.set(self.running.get().saturating_sub(1));
        if self.running.get() == 0 {
            let _ = self.reactor.stop();
        }
    }

    /// Every task's outcome, in the order of the addresses (taken out of
    /// the factory). A task that never ended counts as lost.
    pub fn results(&self) -> Vec<Outcome> {
        self.tasks
            .borrow_mut()
            .iter_mut()
            .map(|task| {
                task.outcome.take().unwrap_or_else(|| {
                    Err(FetchError::Lost {
                        received: 0,
                        source: io::Error::other("the reactor stopped first"),
                    })
                })
            })
            .collect()
    }
}
// ANCHOR_END: factory

impl PoetryClientFactory {
    /// The task a connection to (or failure of) `addr` belongs to: the first
    /// task for that address not yet matched. (Two tasks may name the same
    /// server; they are matched in the order their connections complete.)
    fn claim(&self, addr: SocketAddr) -> usize {
        let mut tasks = self.tasks.borrow_mut();
        let found = tasks
            .iter()
            .position(|t| t.addr == addr && !t.claimed)
            .or_else(|| tasks.iter().position(|t| t.addr == addr));
        match found {
            Some(i) => {
                tasks[i].claimed = true;
                i + 1
            }
            // An address we were not given: a task of its own.
            None => {
                tasks.push(Task {
                    addr,
                    claimed: true,
                    outcome: None,
                });
                self.running.set(self.running.get() + 1);
                tasks.len()
            }
        }
    }

    fn report(&self, event: Event<'_>) {
        (self.reporter.borrow_mut())(event);
    }
}

// ANCHOR: get_poetry
/// Client 2.0 from start to end: one connection per address, all on
/// `reactor`, which runs until every task is over. Returns each task's
/// outcome, in the order of the addresses.
pub fn get_poetry(
    reactor: &Reactor,
    addresses: &[SocketAddr],
    reporter: impl FnMut(Event<'_>) + 'static,
) -> Result<Vec<Outcome>, ReactorError> {
    if addresses.is_empty() {
        return Ok(Vec::new()); // nothing would ever stop the reactor
    }
    let factory = PoetryClientFactory::new(reactor, addresses, reporter);
    for &addr in addresses {
        connect_tcp(reactor, addr, factory.clone());
    }
    reactor.run()?;
    Ok(factory.results())
}
// ANCHOR_END: get_poetry

/// Prints an event as every poetry client of the workspace does: chunks
/// and finished tasks on standard output, failures on standard error.
/// `addresses` are the servers as the user named them, in task order.
pub fn print_event(addresses: &[Address], event: Event<'_>) {
    let address = |task: usize| {
        addresses
            .get(task - 1)
            .map_or_else(|| "?".to_string(), Address::to_string)
    };
    match event {
        Event::Received { task, bytes } => {
            println!("{}", report::got_chunk(task, bytes, address(task)))
        }
        Event::Finished { task } => println!("{}", report::finished(task)),
        Event::Failed { task, error } => {
            eprintln!("{}", report::failed(task, address(task), error))
        }
    }
}

/// Prints the closing lines (each poem's size, then the total) and returns
/// the exit code: success only if every task got its poem.
pub fn print_summary(outcomes: &[Outcome], elapsed: Duration) -> ExitCode {
    let mut got = 0;
    for (i, outcome) in outcomes.iter().enumerate() {
        if let Ok(poem) = outcome {
            println!("{}", report::poem_size(i + 1, poem.len()));
            got += 1;
        }
    }
    println!("{}", report::total(got, elapsed));
    cli::client_exit(outcomes.len() - got, outcomes.len())
}

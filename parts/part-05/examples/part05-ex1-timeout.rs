//! Part 5, exercise 1: a poetry protocol that gives up on a slow server.
//!
//! Each connection's protocol asks the reactor, with `call_later`, to hang
//! up on it after `--timeout-ms`; if the poem is complete before then, the
//! protocol cancels that call. A server that is too slow gets a failure
//! line, and the other poems arrive as usual.
//!
//! ```text
//! cargo run -p part-05 --example part05-ex1-timeout -- --timeout-ms 500 10000 10001
//! ```

use std::cell::{Cell, RefCell};
use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Parser;
use part_02::{Address, ClientArgs, cli, format_duration, report};
use part_03::{DelayedCall, Disconnect, Reactor, ReactorError};
use part_05::{ClientFactory, Connector, Protocol, Transport, connect_tcp};

/// Downloads poetry from all the servers at once, giving up on any server
/// that has not sent its whole poem within the time limit.
#[derive(Debug, Parser)]
#[command(name = "part05-ex1-timeout")]
struct Args {
    /// Milliseconds to wait for a whole poem.
    #[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..))]
    timeout_ms: u64,
    #[command(flatten)]
    client: ClientArgs,
}

/// What a task ended with: its poem, or why there is none.
pub type Outcome = Result<Vec<u8>, String>;

/// What the tasks share: the reactor, how many are still running, and each
/// one's outcome.
struct Tally {
    reactor: Reactor,
    running: Cell<usize>,
    outcomes: RefCell<Vec<Option<Outcome>>>,
}

impl Tally {
    fn task_over(&self, task: usize, outcome: Outcome) {
        self.outcomes.borrow_mut()[task - 1] = Some(outcome);
        self.running.set(self.running.get() - 1);
        if self.running.get() == 0 {
            let _ = self.reactor.stop();
        }
    }
}

/// One factory per task: it knows the task's number and address.
struct TimeoutFactory {
    task: usize,
    address: Address,
    timeout: Duration,
    tally: Rc<Tally>,
}

// ANCHOR: timeout
/// Collects a poem, and hangs up if it takes longer than the time limit.
struct TimedPoetry {
    factory: Rc<TimeoutFactory>,
    poem: Vec<u8>,
    deadline: Option<DelayedCall>,
    timed_out: Rc<Cell<bool>>,
}

impl Protocol for TimedPoetry {
    fn connection_made(&mut self, transport: Transport) {
        let timed_out = Rc::clone(&self.timed_out);
        let reactor = &self.factory.tally.reactor;
        self.deadline = Some(reactor.call_later(self.factory.timeout, move || {
            timed_out.set(true);
            transport.lose_connection();
        }));
    }

    fn data_received(&mut self, data: &[u8]) {
        self.poem.extend_from_slice(data);
        let f = &self.factory;
        println!("{}", report::got_chunk(f.task, data.len(), &f.address));
    }

    fn connection_lost(&mut self, reason: Disconnect) {
        // Over in time: the hang-up must not happen.
        if let Some(deadline) = self.deadline.take()
            && deadline.active()
        {
            let _ = deadline.cancel();
        }
        let f = &self.factory;
        let failure = match reason {
            _ if self.timed_out.get() => Some(format!(
                "gave up after {} with {} bytes",
                format_duration(f.timeout),
                self.poem.len()
            )),
            Disconnect::Done => None,
            Disconnect::Lost(error) => Some(error.to_string()),
        };
        let outcome = match failure {
            None => {
                println!("{}", report::poem_size(f.task, self.poem.len()));
                Ok(std::mem::take(&mut self.poem))
            }
            Some(why) => {
                eprintln!("{}", report::failed(f.task, &f.address, &why));
                Err(why)
            }
        };
        f.tally.task_over(f.task, outcome);
    }
}
// ANCHOR_END: timeout

impl ClientFactory for TimeoutFactory {
    fn build_protocol(self: Rc<Self>, _addr: SocketAddr) -> Box<dyn Protocol> {
        Box::new(TimedPoetry {
            factory: self,
            poem: Vec::new(),
            deadline: None,
            timed_out: Rc::new(Cell::new(false)),
        })
    }

    fn client_connection_failed(&self, _connector: &Connector, reason: io::Error) {
        eprintln!("{}", report::failed(self.task, &self.address, &reason));
        self.tally.task_over(self.task, Err(reason.to_string()));
    }
}

/// Downloads a poem from each address, giving up on any that takes longer
/// than `timeout`. Returns each task's outcome, in order.
pub fn get_poetry(
    reactor: &Reactor,
    sockets: &[SocketAddr],
    addresses: &[Address],
    timeout: Duration,
) -> Result<Vec<Outcome>, ReactorError> {
    let tally = Rc::new(Tally {
        reactor: reactor.clone(),
        running: Cell::new(sockets.len()),
        outcomes: RefCell::new(vec![None; sockets.len()]),
    });
    for (i, (&addr, address)) in sockets.iter().zip(addresses).enumerate() {
        let factory = Rc::new(TimeoutFactory {
            task: i + 1,
            address: address.clone(),
            timeout,
            tally: Rc::clone(&tally),
        });
        connect_tcp(reactor, addr, factory);
    }
    if !sockets.is_empty() {
        reactor.run()?;
    }
    let outcomes = tally.outcomes.take();
    Ok(outcomes
        .into_iter()
        .map(|o| o.unwrap_or_else(|| Err("never finished".to_string())))
        .collect())
}

fn main() -> ExitCode {
    let args = Args::parse();
    let sockets = match args.client.resolve() {
        Ok(sockets) => sockets,
        Err(error) => return cli::fail(error),
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    let start = Instant::now();
    let timeout = Duration::from_millis(args.timeout_ms);
    let outcomes = match get_poetry(&reactor, &sockets, &args.client.addresses, timeout) {
        Ok(outcomes) => outcomes,
        Err(error) => return cli::fail(format_args!("the reactor failed: {error}")),
    };
    let got = outcomes.iter().filter(|o| o.is_ok()).count();
    println!("{}", report::total(got, start.elapsed()));
    cli::client_exit(outcomes.len() - got, outcomes.len())
}

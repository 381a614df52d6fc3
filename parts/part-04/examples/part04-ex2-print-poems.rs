//! Part 4, exercise 2: print each poem as soon as it is complete.
//!
//! The reactor only knows its readers through the `ReadDescriptor` trait,
//! so a poem printer can be *wrapped around* a `PoetrySocket`: a reader of
//! our own that hands every call on to the socket inside, and after its
//! `connection_lost` prints the poem, if it is complete. Its `log_prefix`
//! is the socket's, so the poetry sockets still recognise it as one of
//! theirs.
//!
//! `cargo run -p part-04 --example part04-ex2-print-poems -- 10000 10001`

use std::cell::RefCell;
use std::net::SocketAddr;
use std::os::fd::RawFd;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Instant;

use clap::Parser;
use part_02::cli::Timeouts;
use part_02::{Address, ClientArgs, FetchError, cli, report};
use part_03::{Disconnect, FileDescriptor, Reactor, ReactorError, ReadDescriptor};
use part_04::{PoetrySocket, Printer, SocketMode, servers};

/// Downloads poetry from all the servers at once, on our reactor, and
/// prints each poem as soon as its server has sent all of it.
#[derive(Debug, Parser)]
#[command(name = "part04-ex2-print-poems", version)]
struct Args {
    #[command(flatten)]
    client: ClientArgs,
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
    let servers = servers(&args.client.addresses, &sockets);
    let tasks = match get_and_print(&reactor, &servers, &Printer::stdio()) {
        Ok(tasks) => tasks,
        Err(error) => return cli::fail(error),
    };
    let got = tasks
        .iter()
        .flatten()
        .filter(|reader| reader.borrow().0.is_finished())
        .count();
    println!("{}", report::total(got, start.elapsed()));
    cli::client_exit(tasks.len() - got, tasks.len())
}

// ANCHOR: solution
/// A poetry socket that prints its poem when the connection ends.
pub struct PrintingSocket(pub PoetrySocket, Printer);

impl FileDescriptor for PrintingSocket {
    fn fileno(&self) -> RawFd {
        self.0.fileno()
    }

    fn connection_lost(&mut self, reactor: &Reactor, reason: Disconnect) {
        let socket = &self.0;
        if socket.is_finished() {
            // Complete, so whole characters only: safe to decode now.
            let text = String::from_utf8_lossy(socket.poem());
            let header = format!(
                "Task {}: the poem from {}:",
                socket.task(),
                socket.address()
            );
            self.1.out(&format!("{header}\n{}", text.trim_end()));
        }
        // The socket's own ending: report a failure, close, maybe stop.
        self.0.connection_lost(reactor, reason);
    }

    fn log_prefix(&self) -> String {
        self.0.log_prefix() // "poetry": still counts as a poetry socket
    }
}

impl ReadDescriptor for PrintingSocket {
    fn do_read(&mut self, reactor: &Reactor) -> Result<(), Disconnect> {
        self.0.do_read(reactor)
    }
}

/// One task: its printing socket, or why it could not connect.
pub type PrintingTask = Result<Rc<RefCell<PrintingSocket>>, FetchError>;

/// Client 1.0's `get_poetry`, with each socket wrapped in a printer.
pub fn get_and_print(
    reactor: &Reactor,
    servers: &[(Address, SocketAddr)],
    printer: &Printer,
) -> Result<Vec<PrintingTask>, ReactorError> {
    let mut tasks = Vec::new();
    for (i, (address, addr)) in servers.iter().enumerate() {
        let mode = SocketMode::NonBlocking;
        match PoetrySocket::connect(
            i + 1,
            address.clone(),
            *addr,
            mode,
            &Timeouts::default(),
            printer.clone(),
        ) {
            Ok(socket) => {
                let reader = Rc::new(RefCell::new(PrintingSocket(socket, printer.clone())));
                reactor.add_reader(reader.clone())?;
                tasks.push(Ok(reader));
            }
            Err(error) => {
                printer.err(&report::failed(i + 1, address, &error));
                tasks.push(Err(error));
            }
        }
    }
    if tasks.iter().any(Result::is_ok) {
        reactor.run()?;
    }
    Ok(tasks)
}
// ANCHOR_END: solution

//! Part 5, exercise 3: an echo client, to use the transport's writing side.
//!
//! Connects to an echo server (one that sends back whatever it receives),
//! writes each message given on the command line as a line, prints each
//! line as it comes back, and hangs up once everything it sent has
//! returned.
//!
//! ```text
//! cargo run -p part-05 --example part05-ex3-echo -- 7000 "Tyger Tyger" "burning bright"
//! ```

use std::cell::{Cell, RefCell};
use std::io;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;

use clap::Parser;
use part_02::{Address, cli};
use part_03::{Disconnect, Reactor, ReactorError};
use part_05::{ClientFactory, Connector, Protocol, Transport, connect_tcp};

/// Sends lines to an echo server and prints what comes back.
#[derive(Debug, Parser)]
#[command(name = "part05-ex3-echo")]
struct Args {
    /// The echo server, as PORT or HOST:PORT.
    address: Address,
    /// The lines to send.
    #[arg(required = true)]
    messages: Vec<String>,
}

// ANCHOR: echo
/// Writes every line at once, then reads them back.
struct EchoClient {
    lines: Vec<String>,
    echoed: Rc<RefCell<Vec<String>>>,
    transport: Option<Transport>,
    sent: usize,
    pending: Vec<u8>,
    back: usize,
}

impl Protocol for EchoClient {
    fn connection_made(&mut self, transport: Transport) {
        for line in &self.lines {
            transport.write(line.as_bytes());
            transport.write(b"\n");
            self.sent += line.len() + 1;
        }
        println!(
            "sent {} lines ({} bytes) to {}",
            self.lines.len(),
            self.sent,
            transport.peer()
        );
        self.transport = Some(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        self.back += data.len();
        self.pending.extend_from_slice(data);
        // Print each whole line; keep a partial one for later.
        while let Some(end) = self.pending.iter().position(|&b| b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line[..end]).into_owned();
            println!("echo: {line}");
            self.echoed.borrow_mut().push(line);
        }
        if self.back >= self.sent
            && let Some(transport) = &self.transport
        {
            transport.lose_connection();
        }
    }

    fn connection_lost(&mut self, reason: Disconnect) {
        println!("{} of {} bytes came back; {reason}", self.back, self.sent);
    }
}
// ANCHOR_END: echo

/// Makes the client and stops the reactor when the connection is over.
struct EchoFactory {
    reactor: Reactor,
    lines: Vec<String>,
    echoed: Rc<RefCell<Vec<String>>>,
    ok: Cell<bool>,
}

impl ClientFactory for EchoFactory {
    fn build_protocol(self: Rc<Self>, _addr: SocketAddr) -> Box<dyn Protocol> {
        Box::new(EchoClient {
            lines: self.lines.clone(),
            echoed: Rc::clone(&self.echoed),
            transport: None,
            sent: 0,
            pending: Vec::new(),
            back: 0,
        })
    }

    fn client_connection_failed(&self, connector: &Connector, reason: io::Error) {
        eprintln!("error: cannot connect to {}: {reason}", connector.addr());
        let _ = self.reactor.stop();
    }

    fn client_connection_lost(&self, _connector: &Connector, reason: Disconnect) {
        self.ok.set(matches!(reason, Disconnect::Done));
        let _ = self.reactor.stop();
    }
}

/// Sends `lines` to the echo server at `addr` and returns the lines that
/// came back, or `None` if the connection failed or broke.
pub fn echo(
    reactor: &Reactor,
    addr: SocketAddr,
    lines: Vec<String>,
) -> Result<Option<Vec<String>>, ReactorError> {
    let factory = Rc::new(EchoFactory {
        reactor: reactor.clone(),
        lines,
        echoed: Rc::default(),
        ok: Cell::new(false),
    });
    connect_tcp(reactor, addr, factory.clone());
    reactor.run()?;
    Ok(factory.ok.get().then(|| factory.echoed.take()))
}

fn main() -> ExitCode {
    let args = Args::parse();
    let addr = match args.address.resolve() {
        Ok(addr) => addr,
        Err(error) => {
            return cli::fail(format_args!(
                "cannot resolve address {}: {error}",
                args.address
            ));
        }
    };
    let reactor = match Reactor::new() {
        Ok(reactor) => reactor,
        Err(error) => return cli::fail(format_args!("cannot create a reactor: {error}")),
    };
    match echo(&reactor, addr, args.messages) {
        Ok(Some(_)) => ExitCode::SUCCESS,
        Ok(None) => ExitCode::FAILURE,
        Err(error) => cli::fail(format_args!("the reactor failed: {error}")),
    }
}

//! What every guided demo of a poetry client starts with: a few slow poetry
//! servers inside the demo's own process, on free ports, one poem each.
//! Parts 2, 4, 5 and 6 all begin this way, so it is written once, here,
//! with the address demos use to show a refused connection
//! ([`closed_port`]).

use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::time::Duration;

use part_01::timeline::format_secs;

use crate::{Address, ServerOptions, SlowServer, demo_poems, downloads};

/// The options of a poetry demo: how many servers, and how they pace.
#[derive(Debug, clap::Args)]
pub struct DemoArgs {
    /// How many slow servers to start (each serves one poem).
    #[arg(long, default_value_t = 3, value_parser = clap::value_parser!(u8).range(1..=12))]
    pub servers: u8,
    /// Bytes each server sends at a time.
    #[arg(long, default_value_t = 40, value_parser = clap::value_parser!(u16).range(1..))]
    pub num_bytes: u16,
    /// Milliseconds each server waits between chunks.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=2000))]
    pub delay_ms: u64,
}

impl DemoArgs {
    /// The servers' pacing.
    pub fn options(&self) -> ServerOptions {
        ServerOptions {
            num_bytes: usize::from(self.num_bytes),
            delay: Duration::from_millis(self.delay_ms),
        }
    }

    /// Starts the servers these options ask for.
    pub fn start(&self) -> io::Result<DemoServers> {
        DemoServers::start(usize::from(self.servers), self.options())
    }
}

/// Slow poetry servers running in this process, each serving one of the
/// short bundled poems. Dropping it stops them.
#[derive(Debug)]
pub struct DemoServers {
    servers: Vec<SlowServer>,
    poems: Vec<(&'static str, &'static [u8])>,
    options: ServerOptions,
}

impl DemoServers {
    /// Starts `count` servers paced by `options`, on free ports of 127.0.0.1.
    pub fn start(count: usize, options: ServerOptions) -> io::Result<DemoServers> {
        let poems = demo_poems(count);
        let servers = poems
            .iter()
            .map(|(_, poem)| SlowServer::spawn(*poem, options))
            .collect::<io::Result<Vec<_>>>()?;
        Ok(DemoServers {
            servers,
            poems,
            options,
        })
    }

    /// How many servers there are.
    pub fn len(&self) -> usize {
        self.servers.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.servers.is_empty()
    }

    /// Where each server listens, in task order.
    pub fn sockets(&self) -> Vec<SocketAddr> {
        self.servers.iter().map(SlowServer::addr).collect()
    }

    /// The same, as the clients name them in their output.
    pub fn addresses(&self) -> Vec<Address> {
        self.sockets().into_iter().map(Address::from).collect()
    }

    /// Each server's poem: its file name and bytes, in task order.
    pub fn poems(&self) -> &[(&'static str, &'static [u8])] {
        &self.poems
    }

    /// The servers' pacing.
    pub fn options(&self) -> ServerOptions {
        self.options
    }

    /// Row labels for timelines: `task N poem.txt`.
    pub fn labels(&self) -> Vec<String> {
        let names: Vec<&str> = self.poems.iter().map(|(name, _)| *name).collect();
        downloads::labels(&names)
    }

    /// Prints which servers were started, where, with which poem.
    pub fn describe(&self) {
        let every = format_secs(self.options.delay);
        let bytes = self.options.num_bytes;
        if self.len() == 1 {
            println!(
                "Started a slow poetry server in this process, sending {bytes} bytes every {every}:"
            );
        } else {
            println!(
                "Started {} slow poetry servers in this process, each sending {bytes} bytes every {every}:",
                self.len()
            );
        }
        for ((address, (name, poem)), task) in self.addresses().iter().zip(&self.poems).zip(1..) {
            println!(
                "  task {task}: {address}  {name:<12} {:>4} bytes",
                poem.len()
            );
        }
    }

    /// Checks that task `task` (counting from 1) received its server's poem
    /// byte for byte; says what was wrong if not.
    pub fn check(&self, client: &str, task: usize, poem: &[u8]) -> Result<(), String> {
        match self.poems.get(task - 1) {
            Some((_, expected)) if *expected == poem => Ok(()),
            Some(_) => Err(format!("the {client} client garbled task {task}'s poem")),
            None => Err(format!(
                "the {client} client reported a task {task} that does not exist"
            )),
        }
    }
}

/// An address on 127.0.0.1 where nothing listens, to show what a client
/// does when a connection is refused: a free port is bound, and released at
/// once. (Another program could take the port in between; on a machine
/// running a demo or a test, that is unlikely enough.)
pub fn closed_port() -> io::Result<SocketAddr> {
    TcpListener::bind((Ipv4Addr::LOCALHOST, 0))?.local_addr()
}

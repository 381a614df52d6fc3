//! Part 11, exercise 1: poetry on request.
//!
//! A server with several poems. The client says which one it wants, by
//! name and then a newline (`tyger\n`); the server sends that poem and
//! closes. An unknown name gets no poem, only the close. The request may
//! arrive in pieces, so the protocol collects it until the newline, but a
//! client may also never send one: a request longer than [`MAX_REQUEST`]
//! bytes is cut off, so that no client can make the server collect bytes
//! without end.
//!
//! ```text
//! cargo run -p part-11 --example part11-ex1-request -- --port 10000 poetry/*.txt
//! printf 'tyger\n' | nc localhost 10000
//! ```

use std::cell::Cell;
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;
use std::rc::Rc;

use clap::Parser;
use part_02::load_poem;
use part_05::{Protocol, Transport};
use part_11::program::{self, ServerError};
use part_11::{ServerFactory, listen_tcp};

/// Serves several poems: a client sends a poem's name and a newline, and
/// gets that poem.
#[derive(Debug, Parser)]
#[command(name = "part11-ex1-request")]
struct Args {
    /// Port to listen on (0: any free port; the port is printed).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Interface to listen on.
    #[arg(long, default_value = "localhost")]
    iface: String,
    /// The poems to serve, each known by its file name without extension.
    #[arg(required = true)]
    poetry_files: Vec<PathBuf>,
}

// ANCHOR: request
/// The longest request a client may send, newline included.
pub const MAX_REQUEST: usize = 64;

/// The poems, by name, and a count of what was asked for.
pub struct Library {
    poems: BTreeMap<String, Rc<[u8]>>,
    /// Requests answered with a poem.
    pub served: Cell<usize>,
    /// Requests refused (unknown name, or too long).
    pub refused: Cell<usize>,
}

impl ServerFactory for Library {
    fn build_protocol(self: Rc<Self>, peer: SocketAddr) -> Box<dyn Protocol> {
        Box::new(Request {
            library: self,
            peer,
            transport: None,
            line: Vec::new(),
        })
    }
}

/// One client's request, as it arrives.
struct Request {
    library: Rc<Library>,
    peer: SocketAddr,
    transport: Option<Transport>,
    /// What the client has said so far (never more than `MAX_REQUEST`).
    line: Vec<u8>,
}

impl Protocol for Request {
    fn connection_made(&mut self, transport: Transport) {
        self.transport = Some(transport);
    }

    fn data_received(&mut self, data: &[u8]) {
        // Answered already: anything more is ignored.
        let Some(transport) = self.transport.clone() else {
            return;
        };
        let room = MAX_REQUEST - self.line.len();
        self.line.extend_from_slice(&data[..data.len().min(room)]);
        let Some(end) = self.line.iter().position(|&b| b == b'\n') else {
            if self.line.len() == MAX_REQUEST {
                println!("{}: request too long; closing.", self.peer);
                self.answer(&transport, None);
            }
            return; // wait for the rest of the line
        };
        let name = String::from_utf8_lossy(&self.line[..end]);
        let name = name.trim_end_matches('\r').to_string();
        let poem = self.library.poems.get(&name).cloned();
        match &poem {
            Some(poem) => println!("{}: sending {name} ({} bytes).", self.peer, poem.len()),
            None => println!("{}: no poem called {name:?}; closing.", self.peer),
        }
        self.answer(&transport, poem.as_deref());
    }
}

impl Request {
    /// Sends the poem, if there is one, and closes; once.
    fn answer(&mut self, transport: &Transport, poem: Option<&[u8]>) {
        let counter = match poem {
            Some(poem) => {
                transport.write(poem);
                &self.library.served
            }
            None => &self.library.refused,
        };
        counter.set(counter.get() + 1);
        transport.lose_connection();
        self.transport = None;
    }
}
// ANCHOR_END: request

/// A library of the given poems, by name.
pub fn library(poems: impl IntoIterator<Item = (String, Vec<u8>)>) -> Rc<Library> {
    Rc::new(Library {
        poems: poems
            .into_iter()
            .map(|(name, poem)| (name, Rc::from(poem)))
            .collect(),
        served: Cell::new(0),
        refused: Cell::new(0),
    })
}

fn main() -> ExitCode {
    program::exit(serve(&Args::parse()))
}

/// Serves the poems until the reactor stops.
fn serve(args: &Args) -> Result<(), ServerError> {
    let mut poems = Vec::new();
    for path in &args.poetry_files {
        let name = path
            .file_stem()
            .map_or_else(String::new, |s| s.to_string_lossy().into_owned());
        poems.push((name, load_poem(path)?));
    }
    let names: Vec<String> = poems.iter().map(|(name, _)| name.clone()).collect();
    let reactor = program::new_reactor()?;
    let port = listen_tcp(&reactor, &args.iface, args.port, library(poems))?;
    program::say_where(names.join(", "), &port, "");
    program::run(&reactor)
}

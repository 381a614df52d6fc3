//! Part 2, exercise 1: the asynchronous client, and then the poems.
//!
//! Downloads from every server at once, printing a line per chunk as
//! `async-client` does, and at the end prints each poem in full. The bytes
//! become text only once the whole poem is in: a chunk may end in the middle
//! of a character.
//!
//! `cargo run -p part-02 --example part02-ex1-whole-poems -- 10000 10001`

use std::io::{self, Write};
use std::net::SocketAddr;
use std::process::ExitCode;

use clap::Parser;
use part_02::async_client::{self, Event};
use part_02::cli::Timeouts;
use part_02::{Address, ClientArgs, cli, report};

/// Downloads poetry from all the servers at once, then prints every poem.
#[derive(Debug, Parser)]
#[command(name = "part02-ex1-whole-poems")]
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
    let mut stdout = io::stdout().lock();
    match fetch_and_print(&sockets, &args.client.addresses, &mut stdout) {
        Ok(failed) => cli::client_exit(failed, sockets.len()),
        Err(error) => cli::fail(format_args!("cannot download or print the poems: {error}")),
    }
}

// ANCHOR: solution
/// Downloads one poem from each server, writing a line to `out` per chunk
/// as it arrives, then writes every complete poem to `out`, in the order of
/// the addresses. Failures go to standard error. Returns how many failed.
pub fn fetch_and_print(
    sockets: &[SocketAddr],
    addresses: &[Address],
    out: &mut impl Write,
) -> io::Result<usize> {
    // The callback cannot return an error, so it keeps the first one.
    let mut progress = Ok(());
    let results = async_client::get_poetry(sockets, &Timeouts::default(), |event| {
        let written = match event {
            Event::Received { task, bytes } => {
                let line = report::got_chunk(task, bytes, &addresses[task - 1]);
                writeln!(out, "{line}")
            }
            Event::Finished { task } => writeln!(out, "{}", report::finished(task)),
            Event::Failed { task, error } => {
                eprintln!("{}", report::failed(task, &addresses[task - 1], error));
                Ok(())
            }
        };
        if progress.is_ok() {
            progress = written;
        }
    })?;
    progress?;

    let mut failed = 0;
    for (i, result) in results.iter().enumerate() {
        let Ok(poem) = result else {
            failed += 1;
            continue;
        };
        // All the bytes are in, so no character is cut in two any more.
        // A poem that is not UTF-8 at all still prints, with U+FFFD marks.
        let text = String::from_utf8_lossy(poem);
        writeln!(out)?;
        writeln!(out, "{}:", report::poem_size(i + 1, poem.len()))?;
        writeln!(out)?;
        writeln!(out, "{}", text.trim_end())?;
    }
    Ok(failed)
}
// ANCHOR_END: solution

//! Part 3, exercise 3: how many timed calls per second does the reactor
//! fire, on each backend, and with how many idle descriptors watched?
//!
//! One callback at a time: each timed call schedules the next with no
//! delay, so every call costs one turn of the loop, and every turn one
//! wait in the backend (with a timeout of zero). Around the reactor sit
//! some idle UDP sockets on the loopback interface, watched for reading
//! but never sent anything. `epoll` does not care how many there are;
//! `poll(2)` hands the whole list to the kernel on every wait.
//!
//! `cargo run --release -p part-03 --example part03-ex3-timer-rate -- --millis 300`

use std::cell::{Cell, RefCell};
use std::io;
use std::net::{Ipv4Addr, UdpSocket};
use std::os::fd::{AsRawFd, RawFd};
use std::process::ExitCode;
use std::rc::Rc;
use std::time::{Duration, Instant};

use clap::Parser;
use part_03::{BackendKind, Clock, Disconnect, FileDescriptor, Reactor, ReadDescriptor};

/// Measures timed calls per second on both backends, with 0, 100 and 1,000
/// idle descriptors watched.
#[derive(Debug, Parser)]
#[command(name = "part03-ex3-timer-rate")]
struct Args {
    /// How long each measurement runs, in milliseconds.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u64).range(10..=10_000))]
    millis: u64,
    /// The numbers of idle descriptors to try.
    #[arg(long, value_delimiter = ',', default_value = "0,100,1000")]
    idle: Vec<usize>,
}

// ANCHOR: solution
/// A UDP socket nobody sends anything to: watched, never ready.
struct Idle(UdpSocket);

impl FileDescriptor for Idle {
    fn fileno(&self) -> RawFd {
        self.0.as_raw_fd()
    }
}

impl ReadDescriptor for Idle {
    fn do_read(&mut self, _: &Reactor) -> Result<(), Disconnect> {
        Ok(()) // never called: nothing ever arrives
    }
}

/// Fires timed calls back to back for `length` on a reactor of `kind` that
/// also watches `idle` idle sockets; returns how many fired per second.
pub fn timers_per_second(kind: BackendKind, idle: usize, length: Duration) -> io::Result<f64> {
    let reactor = Reactor::with(kind, Clock::real())?;
    for _ in 0..idle {
        let socket = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0))?;
        reactor.add_reader(Rc::new(RefCell::new(Idle(socket))))?;
    }
    let fired = Rc::new(Cell::new(0u64));
    let started = Instant::now();
    fire(reactor.clone(), Rc::clone(&fired), started + length);
    reactor.run().map_err(io::Error::other)?;
    Ok(fired.get() as f64 / started.elapsed().as_secs_f64())
}

/// One timed call: count it, then schedule the next at once, or stop.
fn fire(reactor: Reactor, fired: Rc<Cell<u64>>, until: Instant) {
    let handle = reactor.clone();
    reactor.call_later(Duration::ZERO, move || {
        fired.set(fired.get() + 1);
        if Instant::now() >= until {
            let _ = handle.stop();
        } else {
            fire(handle, fired, until);
        }
    });
}
// ANCHOR_END: solution

fn main() -> ExitCode {
    let args = Args::parse();
    let length = Duration::from_millis(args.millis);
    println!(
        "Timed calls fired per second, one after another ({:.2}s each):",
        length.as_secs_f64()
    );
    println!(
        "{:>17} {:>14} {:>14}",
        "idle descriptors", "epoll (mio)", "poll(2)"
    );
    for &idle in &args.idle {
        let mut row = format!("{idle:>17}");
        for kind in BackendKind::ALL {
            match timers_per_second(kind, idle, length) {
                Ok(rate) => row.push_str(&format!(" {rate:>14.0}")),
                Err(error) => {
                    eprintln!("error: with {idle} idle descriptors: {error}");
                    return ExitCode::FAILURE;
                }
            }
        }
        println!("{row}");
    }
    ExitCode::SUCCESS
}

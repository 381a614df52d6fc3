//! What a client program knows about its downloads, and the bookkeeping
//! its callbacks share.
//!
//! A [`Task`] is one download as the program names it: a number for the
//! output lines, the address as the user wrote it, the socket address it
//! resolved to, and where the lines go. `get_poetry` is given a task, so
//! that the protocol hidden inside it can print each chunk as it arrives,
//! as every client of the workspace does. [`start_client`] is how a client
//! program begins: its tasks, and a reactor.
//!
//! A [`Countdown`] is what the program's callbacks share to know when
//! everything is over: each finished task counts one down, and the last
//! one stops the reactor. A [`Ticket`] counts down when it is dropped,
//! which lets client 3.0 notice a callback that was thrown away uncalled.

use std::cell::Cell;
use std::net::SocketAddr;
use std::process::ExitCode;
use std::rc::Rc;
use std::time::Duration;

use part_02::cli::Timeouts;
use part_02::{Address, ClientArgs, FetchError, cli, report};
use part_03::Reactor;
use part_04::Printer;

/// One download, as the program names it in its output.
#[derive(Clone, Debug)]
pub struct Task {
    /// Its number, counting from 1 in the order of the addresses.
    pub number: usize,
    /// The server, as the user wrote it: how the output lines name it.
    pub address: Address,
    /// Where that address resolved to: where to connect.
    pub addr: SocketAddr,
    /// Where the task's lines go.
    pub printer: Printer,
    /// How long to wait for the server (the program's `--connect-timeout`
    /// and `--idle-timeout`).
    pub timeouts: Timeouts,
}

impl Task {
    /// One task per address of the command line, numbered from 1, each
    /// looked up before any download starts (so a typo is one clear error,
    /// not a failed task). Their lines go to `printer`.
    pub fn all(args: &ClientArgs, printer: &Printer) -> Result<Vec<Task>, String> {
        let sockets = args.resolve()?;
        let tasks = Task::numbered(&args.addresses, &sockets, printer);
        Ok(tasks
            .into_iter()
            .map(|task| task.with_timeouts(args.timeouts))
            .collect())
    }

    /// The same task, with other timeouts.
    pub fn with_timeouts(self, timeouts: Timeouts) -> Task {
        Task { timeouts, ..self }
    }

    /// One task per (address, socket address) pair, numbered from 1, with
    /// the default timeouts.
    pub fn numbered(addresses: &[Address], sockets: &[SocketAddr], printer: &Printer) -> Vec<Task> {
        addresses
            .iter()
            .zip(sockets)
            .enumerate()
            .map(|(i, (address, &addr))| Task {
                number: i + 1,
                address: address.clone(),
                addr,
                printer: printer.clone(),
                timeouts: Timeouts::default(),
            })
            .collect()
    }

    /// Prints `Task N: got B bytes of poetry from ADDRESS`.
    pub fn report_chunk(&self, bytes: usize) {
        self.printer
            .out(&report::got_chunk(self.number, bytes, &self.address));
    }

    /// Prints `Task N: failed to get poetry from ADDRESS: ERROR`, on the
    /// error stream.
    pub fn report_failure(&self, error: &FetchError) {
        self.printer
            .err(&report::failed(self.number, &self.address, error));
    }
}

/// What every client program of this part starts with: one task per
/// address of its command line ([`Task::all`], the lines going to standard
/// output and standard error) and a reactor to run them on. An error is
/// the line the program exits with.
pub fn start_client(args: &ClientArgs) -> Result<(Vec<Task>, Reactor), String> {
    let tasks = Task::all(args, &Printer::stdio())?;
    let reactor = Reactor::new().map_err(|error| format!("cannot create a reactor: {error}"))?;
    Ok((tasks, reactor))
}

// ANCHOR: countdown
/// How many tasks are still running, shared by the program's callbacks.
/// The last one to finish stops the reactor. Cheap to clone; every clone
/// counts the same tasks.
#[derive(Clone, Debug)]
pub struct Countdown {
    reactor: Reactor,
    left: Rc<Cell<usize>>,
}

impl Countdown {
    /// A countdown from `tasks` on `reactor`.
    pub fn new(reactor: &Reactor, tasks: usize) -> Countdown {
        Countdown {
            reactor: reactor.clone(),
            left: Rc::new(Cell::new(tasks)),
        }
    }

    /// One task is over; after the last, stop the reactor.
    pub fn one_done(&self) {
        self.left.set(self.left.get().saturating_sub(1));
        if self.left.get() == 0 {
            // Not running (the tasks ended before it started, or after it
            // stopped): nothing to stop, and nothing wrong.
            let _ = self.reactor.stop();
        }
    }

    /// A ticket for one task: dropping it counts the task as over.
    pub fn ticket(&self) -> Ticket {
        Ticket(self.clone())
    }

    /// How many tasks are still running.
    pub fn left(&self) -> usize {
        self.left.get()
    }
}

/// One task of a [`Countdown`], counted as over when the ticket is
/// dropped, however that happens. A callback that owns a ticket counts its
/// task when it has run (it is consumed, and the ticket with it) and also
/// when it is dropped without ever being called.
#[derive(Debug)]
pub struct Ticket(Countdown);

impl Drop for Ticket {
    fn drop(&mut self) {
        self.0.one_done();
    }
}
// ANCHOR_END: countdown

/// The closing lines of a client whose callbacks kept only poems: each
/// poem's size, then the total.
pub fn summary(poems: &[Option<Vec<u8>>], elapsed: Duration) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, poem) in poems.iter().enumerate() {
        if let Some(poem) = poem {
            lines.push(report::poem_size(i + 1, poem.len()));
        }
    }
    let got = poems.iter().flatten().count();
    lines.push(report::total(got, elapsed));
    lines
}

/// Prints the [`summary`] on standard output and returns the exit code:
/// success only if every task got its poem (otherwise with a closing
/// `error:` line saying how many did not).
pub fn print_summary(poems: &[Option<Vec<u8>>], elapsed: Duration) -> ExitCode {
    for line in summary(poems, elapsed) {
        println!("{line}");
    }
    let missing = poems.iter().filter(|poem| poem.is_none()).count();
    cli::client_exit(missing, poems.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ticket_counts_down_when_dropped_called_or_not() {
        let reactor = Reactor::new().unwrap();
        let countdown = Countdown::new(&reactor, 3);
        let (one, two) = (countdown.ticket(), countdown.ticket());
        let called = move || drop(one);
        let never_called = move || drop(two);
        assert_eq!(countdown.left(), 3);
        called();
        assert_eq!(countdown.left(), 2);
        drop(never_called);
        assert_eq!(countdown.left(), 1);
        countdown.one_done();
        assert_eq!(countdown.left(), 0);
        countdown.one_done(); // never below zero
        assert_eq!(countdown.left(), 0);
    }

    #[test]
    fn the_summary_counts_only_poems() {
        let poems = [Some(b"abc".to_vec()), None, Some(Vec::new())];
        let lines = summary(&poems, Duration::from_millis(1500));
        assert_eq!(
            lines,
            [
                "Task 1: 3 bytes of poetry",
                "Task 3: 0 bytes of poetry",
                "Got 2 poems in 1.500s"
            ]
        );
    }
}

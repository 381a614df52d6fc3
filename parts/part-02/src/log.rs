//! A server's log lines, which must never stop the server.
//!
//! `println!` is the wrong tool for a server that runs for hours with its
//! output piped somewhere. It panics when standard output has been closed
//! (`server | head -1`: Rust ignores `SIGPIPE`, so the write returns
//! `EPIPE`, and `println!` turns that into a panic), and it *blocks* when
//! nobody reads the pipe and its buffer (64 KiB on Linux) is full. A
//! blocking server then stops serving; a reactor stops the whole loop.
//!
//! Every server of the workspace (ours and tokio's, and the blocking
//! `slowpoetry`) logs through [`out`] and [`err`] instead. How:
//!
//! - A line goes into a bounded queue ([`QUEUE`] lines) with `try_send`,
//!   which never waits. One background thread takes lines off the queue
//!   and writes them, stdout's to standard output and stderr's to standard
//!   error, in the order they were logged.
//! - That thread is the only one that can block on a full pipe. While it
//!   is stuck, the queue fills, and further lines are dropped and counted
//!   ([`dropped`]). When it can write again, it first says on standard
//!   error how many lines were lost.
//! - A failed write (a closed pipe) is ignored: the line is gone, the
//!   server goes on.
//!
//! Why a thread and not a non-blocking standard output: the non-blocking
//! flag belongs to the open file, which the server shares with whoever
//! started it (a shell's terminal, say), so setting it would change their
//! output too; and a line half-written when the pipe fills would need
//! keeping anyway. A queue and one writer thread is the simplest correct
//! way in safe Rust.
//!
//! Lines still queued when the process exits are lost, unless the program
//! calls [`flush`] first ([`cli::fail`](crate::cli::fail) does).

use std::fmt::Display;
use std::io::{self, Write};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender, TrySendError};
use std::thread;
use std::time::{Duration, Instant};

/// How many lines may wait for the writer thread before new ones are
/// dropped.
pub const QUEUE: usize = 4096;

/// Which stream a line goes to.
#[derive(Clone, Copy, Debug)]
enum Stream {
    Out,
    Err,
}

/// The queue's sending end, and the counts the writer and the loggers
/// share.
struct Log {
    queue: SyncSender<(Stream, String)>,
    /// Lines dropped since the writer last reported them.
    dropped: AtomicU64,
    /// Lines dropped since the program started.
    dropped_total: AtomicU64,
    /// Lines queued, and lines the writer has finished with.
    queued: AtomicU64,
    done: AtomicU64,
}

static LOG: OnceLock<Log> = OnceLock::new();

/// The log, its writer thread started on first use.
fn log() -> &'static Log {
    LOG.get_or_init(|| {
        let (queue, lines) = mpsc::sync_channel(QUEUE);
        // If the thread cannot be started, lines are queued until the
        // queue is full, then dropped: the server still never blocks.
        let _ = thread::Builder::new()
            .name("log".into())
            .spawn(move || write_lines(lines));
        Log {
            queue,
            dropped: AtomicU64::new(0),
            dropped_total: AtomicU64::new(0),
            queued: AtomicU64::new(0),
            done: AtomicU64::new(0),
        }
    })
}

/// The writer thread: each line to its stream, errors ignored.
fn write_lines(lines: Receiver<(Stream, String)>) {
    for (stream, line) in lines {
        let log = log();
        let lost = log.dropped.swap(0, Ordering::Relaxed);
        if lost > 0 {
            let note = format!("({lost} log lines dropped: the output was not being read)\n");
            let _ = io::stderr().write_all(note.as_bytes());
        }
        let _ = match stream {
            Stream::Out => io::stdout().lock().write_all(line.as_bytes()),
            Stream::Err => io::stderr().lock().write_all(line.as_bytes()),
        };
        log.done.fetch_add(1, Ordering::Release);
    }
}

fn send(stream: Stream, line: impl Display) {
    let log = log();
    log.queued.fetch_add(1, Ordering::Relaxed);
    match log.queue.try_send((stream, format!("{line}\n"))) {
        Ok(()) => {}
        Err(TrySendError::Full(_) | TrySendError::Disconnected(_)) => {
            log.queued.fetch_sub(1, Ordering::Relaxed);
            log.dropped.fetch_add(1, Ordering::Relaxed);
            log.dropped_total.fetch_add(1, Ordering::Relaxed);
        }
    }
}

/// Logs a line on standard output. Never blocks, never panics.
pub fn out(line: impl Display) {
    send(Stream::Out, line);
}

/// Logs a line on standard error. Never blocks, never panics.
pub fn err(line: impl Display) {
    send(Stream::Err, line);
}

/// How many lines were dropped because the output was not being read.
pub fn dropped() -> u64 {
    LOG.get()
        .map_or(0, |log| log.dropped_total.load(Ordering::Relaxed))
}

/// Waits until every line logged so far has been written (or given up
/// on), for at most `limit`. Returns whether it got there. For a program
/// about to exit.
pub fn flush(limit: Duration) -> bool {
    let Some(log) = LOG.get() else {
        return true; // nothing was ever logged
    };
    let target = log.queued.load(Ordering::Relaxed);
    let start = Instant::now();
    while log.done.load(Ordering::Acquire) < target {
        if start.elapsed() >= limit {
            return false;
        }
        thread::sleep(Duration::from_millis(1));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_are_written_and_flush_waits_for_them() {
        out("a line of the test's log");
        err("another, on standard error");
        assert!(flush(Duration::from_secs(10)));
        assert_eq!(dropped(), 0);
    }
}

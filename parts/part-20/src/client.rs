//! The Erlang-style poetry client on our runtime: one process per server,
//! a main process with a mailbox, monitors, and an optional supervisor.
//!
//! The series' Erlang client spawns a process per poem with
//! `spawn_monitor`. Each process connects, loops on a receive that blocks
//! only itself, and at the end sends its poem to the main process in a
//! message. The main process loops on its own receive: a poem, or a
//! "down" message from a monitor; when every worker is down, it is done.
//! This module is that client, written with part 17's tasks and sockets,
//! [`crate::mailbox`] and [`crate::monitor`]; [`crate::tokio_side`] is the
//! same on tokio.

use std::collections::HashMap;
use std::io;
use std::process::ExitCode;
use std::time::Duration;

use futures::io::AsyncReadExt;
use part_02::cli::{self, Timeouts};
use part_02::{FetchError, format_duration, report};
use part_06::{Printer, Task};
use part_17::{Runtime, TcpStream, timeout};

use crate::mailbox::{Sender, mailbox};
use crate::monitor::{Down, Reason, spawn_monitor};
use crate::supervisor::{Restarts, Supervisor, Verdict};

// ANCHOR: message
/// What the main process's mailbox receives.
#[derive(Debug)]
pub enum Message {
    /// A worker's poem, sent by the worker itself.
    Poem {
        /// The worker's task number.
        who: usize,
        /// The whole poem.
        poem: Vec<u8>,
    },
    /// A worker ended: sent by its monitor.
    Down(Down<FetchError>),
}

impl From<Down<FetchError>> for Message {
    fn from(down: Down<FetchError>) -> Message {
        Message::Down(down)
    }
}
// ANCHOR_END: message

/// How the client runs: restarts, planned crashes, and what it prints.
#[derive(Clone, Debug)]
pub struct ClientOptions {
    /// The supervisor's policy ([`Restarts::NONE`]: no supervisor).
    pub restarts: Restarts,
    /// Crashes to cause, for the demo and the tests: each entry is a task
    /// number, and that task's next run panics after its first chunk. A
    /// number given twice crashes the task's first two runs.
    pub crashes: Vec<usize>,
    /// Print each poem's text after its `poem received` line (the
    /// programs do; the guided demo does not).
    pub print_poems: bool,
}

impl Default for ClientOptions {
    fn default() -> ClientOptions {
        ClientOptions {
            restarts: Restarts::NONE,
            crashes: Vec::new(),
            print_poems: true,
        }
    }
}

/// Which runs of which tasks are to crash.
#[derive(Debug)]
pub(crate) struct Crashes(HashMap<usize, usize>);

impl Crashes {
    pub(crate) fn new(crashes: &[usize]) -> Crashes {
        let mut left = HashMap::new();
        for &task in crashes {
            *left.entry(task).or_insert(0) += 1;
        }
        Crashes(left)
    }

    /// Whether task `who`'s next run crashes (counting it if so).
    pub(crate) fn next_run_of(&mut self, who: usize) -> bool {
        match self.0.get_mut(&who) {
            Some(left) if *left > 0 => {
                *left -= 1;
                true
            }
            _ => false,
        }
    }
}

/// Makes the worker panic, as `--crash` asks: a bug, in the tests' and the
/// demo's place.
pub(crate) fn crash(task: usize) -> ! {
    panic!("task {task} crashed on purpose (--crash)")
}

// ANCHOR: worker
/// A worker process: downloads `task`'s poem, printing each chunk, and
/// sends it to `main`. The loop is the process's own; each `.await`
/// blocks this task only. An error ends the process, and its monitor
/// tells `main` why.
pub async fn get_poetry(
    runtime: Runtime,
    task: Task,
    main: Sender<Message>,
    crash_after_a_chunk: bool,
) -> Result<(), FetchError> {
    let mut socket = connect(&runtime, &task).await?;
    let (mut poem, mut buffer) = (Vec::new(), [0; 4096]);
    loop {
        let received = poem.len();
        let n = read(&runtime, &task, &mut socket, &mut buffer)
            .await
            .map_err(|source| FetchError::Lost { received, source })?;
        if n == 0 {
            break; // the server closed: the poem is complete
        }
        task.report_chunk(n);
        if crash_after_a_chunk {
            crash(task.number);
        }
        poem.extend_from_slice(&buffer[..n]);
    }
    main.send(Message::Poem {
        who: task.number,
        poem,
    });
    Ok(())
}
// ANCHOR_END: worker

/// Connects, giving up after the connect timeout.
async fn connect(runtime: &Runtime, task: &Task) -> Result<TcpStream, FetchError> {
    let connecting = TcpStream::connect(runtime.reactor(), task.addr);
    match timeout(runtime, task.timeouts.connect_timeout, connecting).await {
        Ok(connected) => connected.map_err(FetchError::Connect),
        Err(_late) => Err(FetchError::Connect(io::ErrorKind::TimedOut.into())),
    }
}

/// One read, giving up after the idle timeout.
async fn read(
    runtime: &Runtime,
    task: &Task,
    socket: &mut TcpStream,
    buffer: &mut [u8],
) -> io::Result<usize> {
    match task.timeouts.idle() {
        Some(limit) => match timeout(runtime, limit, socket.read(buffer)).await {
            Ok(read) => read,
            Err(_late) => Err(Timeouts::silent(limit)),
        },
        None => socket.read(buffer).await,
    }
}

// ANCHOR: collect_poems
/// The main process: starts a monitored worker per task, then loops on
/// its mailbox, printing each poem and each down message, restarting
/// failed workers as `options.restarts` allows, until every worker is
/// down for good. Returns each task's poem, in task order.
pub async fn collect_poems(
    runtime: Runtime,
    tasks: Vec<Task>,
    options: ClientOptions,
    printer: Printer,
) -> Vec<Option<Vec<u8>>> {
    let (me, mut mailbox) = mailbox::<Message>();
    let mut crashes = Crashes::new(&options.crashes);
    let start = |task: &Task, after: Duration, crash: bool| {
        let (runtime, task, me_too) = (runtime.clone(), task.clone(), me.clone());
        let who = task.number;
        spawn_monitor(&runtime.clone(), who, &me, async move {
            if !after.is_zero() {
                let _ = runtime.sleep(after).await;
            }
            get_poetry(runtime, task, me_too, crash).await
        });
    };
    for task in &tasks {
        start(task, Duration::ZERO, crashes.next_run_of(task.number));
    }
    let mut supervisor = Supervisor::new(options.restarts);
    let mut poems = vec![None; tasks.len()];
    let mut running = tasks.len();
    while running > 0 {
        let Some(message) = mailbox.recv().await else {
            break;
        };
        match message {
            Message::Poem { who, poem } => {
                say_poem(&printer, who, &poem, options.print_poems);
                poems[who - 1] = Some(poem);
            }
            Message::Down(down) => {
                let task = &tasks[down.who - 1];
                let verdict = supervisor.on_down(&down);
                say_down(&printer, task, &down.reason, verdict);
                match verdict {
                    Verdict::Restart { after, .. } => {
                        start(task, after, crashes.next_run_of(task.number));
                    }
                    Verdict::Ended | Verdict::GiveUp { .. } => running -= 1,
                }
            }
        }
    }
    poems
}
// ANCHOR_END: collect_poems

/// `Task N: poem received, B bytes`, then the poem if asked.
pub(crate) fn say_poem(printer: &Printer, who: usize, poem: &[u8], print_poem: bool) {
    printer.out(&poem_received(who, poem.len()));
    if print_poem {
        printer.out(&String::from_utf8_lossy(poem));
    }
}

/// The line a down message makes: a normal end on standard output; a
/// restart, or a failure given up on, on standard error.
pub(crate) fn say_down(
    printer: &Printer,
    task: &Task,
    reason: &Reason<FetchError>,
    verdict: Verdict,
) {
    let who = task.number;
    match verdict {
        Verdict::Ended if reason.is_normal() => printer.out(&format!("Task {who} down: normal")),
        Verdict::Ended | Verdict::GiveUp { restarts: 0 } => {
            printer.err(&report::failed(who, &task.address, reason));
        }
        Verdict::GiveUp { restarts } => printer.err(&report::failed(
            who,
            &task.address,
            format_args!(
                "{reason} (gave up after {restarts} restart{})",
                if restarts == 1 { "" } else { "s" }
            ),
        )),
        Verdict::Restart { restart, of, after } => printer.err(&format!(
            "Task {who} down: {reason}; restart {restart} of {of} in {}",
            format_duration(after)
        )),
    }
}

/// `Task N: poem received, B bytes`: the main process got a poem.
pub fn poem_received(task: usize, bytes: usize) -> String {
    format!("Task {task}: poem received, {bytes} bytes")
}

/// The client's last line and its exit code: `Got N poems in T`, then
/// success only if every task got its poem.
pub fn finish(poems: &[Option<Vec<u8>>], took: Duration) -> ExitCode {
    let got = poems.iter().flatten().count();
    cli::print_line(report::total(got, took));
    cli::client_exit(poems.len() - got, poems.len())
}

/// The supervisor's options, and the crashes a demo may ask for: what
/// `erlang-client` and `erlang-client-tokio` take besides the addresses.
#[derive(Debug, clap::Args)]
pub struct SupervisorArgs {
    /// Restart a worker that failed (an error or a panic) up to this many
    /// times before giving up on it.
    #[arg(long, default_value_t = 0, value_name = "N")]
    pub restarts: u32,
    /// Seconds to wait before each restart.
    #[arg(long = "restart-delay", default_value = "1", value_name = "SECONDS",
          value_parser = cli::parse_seconds)]
    pub restart_delay: Duration,
    /// Make task TASK panic after its first chunk, to watch a crash (give
    /// it twice to crash two runs in a row, and so on).
    #[arg(long, value_name = "TASK", value_parser = cli::parse_count)]
    pub crash: Vec<usize>,
}

impl SupervisorArgs {
    /// The client's options for `tasks` tasks, or the error line if a
    /// `--crash` names a task that does not exist.
    pub fn options(&self, tasks: usize) -> Result<ClientOptions, String> {
        if let Some(task) = self.crash.iter().find(|&&task| task > tasks) {
            let only = if tasks == 1 {
                "there is only 1 task".to_string()
            } else {
                format!("there are only {tasks} tasks")
            };
            return Err(format!("--crash {task}: {only} (one per address)"));
        }
        Ok(ClientOptions {
            restarts: Restarts {
                max: self.restarts,
                delay: self.restart_delay,
            },
            crashes: self.crash.clone(),
            print_poems: true,
        })
    }
}

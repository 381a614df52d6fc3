//! The same client on tokio: `spawn_local` for processes, an `mpsc`
//! channel for the mailbox, and a `JoinSet` as the monitor.
//!
//! A tokio task that ends hands its output to whoever joins it; one that
//! panicked hands over a `JoinError` instead (tokio catches the panic at
//! the task's boundary, as our runtime does). A `JoinSet` joins its tasks
//! in the order they end, so waiting on it is waiting for the next down
//! message. The main loop waits on the mailbox and on the set at once,
//! with `select!`, mailbox first, so a worker's poem (sent before it ended)
//! is read before its end is.

use std::collections::HashMap;
use std::sync::{Mutex, Once, PoisonError};
use std::time::Duration;

use part_02::FetchError;
use part_06::{Printer, Task};
use part_17::TaskPanicked;
use tokio::sync::mpsc::{UnboundedSender, unbounded_channel};
use tokio::task::{Id, JoinError, JoinSet};

use crate::client::{ClientOptions, Crashes, Message, crash, say_down, say_poem};
use crate::monitor::{Down, Reason};
use crate::supervisor::{Supervisor, Verdict};

// ANCHOR: worker
/// A worker: part 5's tokio download, printing each chunk, then the poem
/// sent to `main`.
pub async fn get_poetry(
    task: Task,
    main: UnboundedSender<Message>,
    crash_after_a_chunk: bool,
) -> Result<(), FetchError> {
    let poem = part_05::tokio_client::download(task.addr, task.timeouts, |n| {
        task.report_chunk(n);
        if crash_after_a_chunk {
            crash(task.number);
        }
    })
    .await?;
    let _ = main.send(Message::Poem {
        who: task.number,
        poem,
    });
    Ok(())
}
// ANCHOR_END: worker

/// What the main loop waits for: a message, or a worker that ended.
enum Event {
    Message(Message),
    Joined(Result<(Id, Result<(), FetchError>), JoinError>),
}

// ANCHOR: collect_poems
/// The main process on tokio: the same loop as
/// [`crate::client::collect_poems`], with a `JoinSet` for monitors. Must
/// run inside a `LocalSet` (part 6's `tokio_poetry::block_on` gives one).
pub async fn collect_poems(
    tasks: Vec<Task>,
    options: ClientOptions,
    printer: Printer,
) -> Vec<Option<Vec<u8>>> {
    quiet_task_panics();
    let (me, mut mailbox) = unbounded_channel::<Message>();
    let mut crashes = Crashes::new(&options.crashes);
    let mut monitors = JoinSet::new();
    let mut names: HashMap<Id, usize> = HashMap::new();
    // Starts a worker for `task` after `after`; returns its task id.
    let start = |monitors: &mut JoinSet<_>, task: &Task, after: Duration, crash: bool| {
        let (task, me) = (task.clone(), me.clone());
        let handle = monitors.spawn_local(async move {
            tokio::time::sleep(after).await;
            get_poetry(task, me, crash).await
        });
        handle.id()
    };
    for task in &tasks {
        let id = start(
            &mut monitors,
            task,
            Duration::ZERO,
            crashes.next_run_of(task.number),
        );
        names.insert(id, task.number);
    }
    let mut supervisor = Supervisor::new(options.restarts);
    let mut poems = vec![None; tasks.len()];
    while !monitors.is_empty() {
        let event = tokio::select! {
            biased;
            Some(message) = mailbox.recv() => Event::Message(message),
            Some(joined) = monitors.join_next_with_id() => Event::Joined(joined),
        };
        match event {
            Event::Message(Message::Poem { who, poem }) => {
                say_poem(&printer, who, &poem, options.print_poems);
                poems[who - 1] = Some(poem);
            }
            Event::Message(Message::Down(_)) => {} // only the set reports ends
            Event::Joined(joined) => {
                let (id, reason) = match joined {
                    Ok((id, Ok(()))) => (id, Reason::Normal),
                    Ok((id, Err(error))) => (id, Reason::Error(error)),
                    Err(error) => (error.id(), why_it_failed(error)),
                };
                let Some(who) = names.remove(&id) else {
                    continue;
                };
                let task = &tasks[who - 1];
                let down = Down { who, reason };
                let verdict = supervisor.on_down(&down);
                say_down(&printer, task, &down.reason, verdict);
                if let Verdict::Restart { after, .. } = verdict {
                    let id = start(&mut monitors, task, after, crashes.next_run_of(who));
                    names.insert(id, who);
                }
            }
        }
    }
    poems
}
// ANCHOR_END: collect_poems

// ANCHOR: join_error
/// A task that did not return: it panicked (the payload carries the
/// message; the hook below kept the place), or it was aborted.
fn why_it_failed<E>(error: JoinError) -> Reason<E> {
    let id = error.id();
    match error.try_into_panic() {
        Ok(payload) => Reason::Panicked(TaskPanicked {
            message: payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(a panic without a message)".to_string()),
            place: take_place(id),
        }),
        Err(_cancelled) => Reason::Killed,
    }
}
// ANCHOR_END: join_error

/// Where each task's panic was raised, noted by the hook.
static PLACES: Mutex<Vec<(Id, String)>> = Mutex::new(Vec::new());

/// Takes the place noted for task `id`'s panic.
fn take_place(id: Id) -> Option<String> {
    let mut places = PLACES.lock().unwrap_or_else(PoisonError::into_inner);
    let at = places.iter().position(|(task, _)| *task == id)?;
    Some(places.swap_remove(at).1)
}

/// Installs, once, a panic hook that keeps quiet about panics inside tokio
/// tasks (their monitor reports them, once) and notes where each was
/// raised; any other panic goes to the hook that was there before.
pub fn quiet_task_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| match tokio::task::try_id() {
            Some(id) => {
                if let Some(place) = info.location() {
                    let place = format!("{}:{}:{}", place.file(), place.line(), place.column());
                    PLACES
                        .lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push((id, place));
                }
            }
            None => previous(info),
        }));
    });
}

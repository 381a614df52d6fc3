//! # Part 1 — In which we begin at the beginning
//!
//! Three ways for one program to do several tasks, run side by side on the
//! same tasks so their timelines can be compared:
//!
//! - [`synchronous`]: one thread, one task after another. While a task
//!   waits, nothing else happens.
//! - [`threaded`]: a thread per task; the operating system interleaves them,
//!   and runs them in parallel on several cores.
//! - [`asynchronous`]: one thread; the program interleaves the tasks itself,
//!   switching to another task whenever the current one would wait.
//!
//! Why this crate exists: the first part of the series has no programs, only
//! three pictures. Here the pictures are measured. A [`Task`](task::Task) is
//! a list of steps that either use the CPU ([`Step::Work`](task::Step::Work))
//! or wait for the outside world ([`Step::Wait`](task::Step::Wait)); each
//! model runs them and records a [`Timeline`](timeline::Timeline), which
//! draws itself as text for the terminal or as SVG for the book. The
//! [`timeline`] module is reused by part 2 to draw its poetry clients.
//!
//! The scheduling code takes its time from a [`Clock`](clock::Clock), so the
//! same code also computes the *ideal* schedule ([`ideal_timelines`]), from
//! which the book's figure is drawn.

pub mod asynchronous;
pub mod clock;
pub mod synchronous;
pub mod task;
pub mod threaded;
pub mod timeline;

pub use asynchronous::run_asynchronous;
pub use synchronous::run_synchronous;
pub use task::{Step, Task, demo_tasks};
pub use threaded::run_threaded;
pub use timeline::{Activity, Span, Timeline};

/// The three models' ideal timelines for `tasks` (synchronous, threaded,
/// asynchronous), computed without running anything: work and waits take
/// exactly as long as they say, switching costs nothing, and the threaded
/// model has a core for every task.
pub fn ideal_timelines(tasks: &[Task]) -> [Timeline; 3] {
    [
        synchronous::ideal(tasks),
        threaded::ideal(tasks),
        asynchronous::ideal(tasks),
    ]
}

/// The book's figure `three-models.svg`: the ideal timelines of the demo's
/// tasks (at the default tick), stacked on one time scale.
pub fn three_models_figure() -> String {
    timeline::render_svg_stack(&ideal_timelines(&demo_tasks(task::DEFAULT_TICK)))
}

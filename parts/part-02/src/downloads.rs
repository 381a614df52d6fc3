//! What a client's downloads looked like over time, for drawing.
//!
//! The guided demo records a [`Downloads`] from each real run and draws it
//! with part 1's [`Timeline`]. The book's figure draws the *ideal* runs of
//! the same downloads ([`Downloads::ideal_blocking`],
//! [`Downloads::ideal_async`]): computed, not measured, so the figure is the
//! same on every machine.

use std::time::Duration;

use part_01::timeline::{Activity, Timeline, render_svg_stack_with_legend};

use crate::{ServerOptions, demo_poems};

/// When each download started and ended, and when each of its chunks arrived.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Downloads {
    /// When each download began, from the start of the run.
    pub starts: Vec<Duration>,
    /// When each download ended.
    pub ends: Vec<Duration>,
    /// When each chunk of each download arrived.
    pub chunks: Vec<Vec<Duration>>,
    /// How long the whole run took.
    pub total: Duration,
}

impl Downloads {
    /// Room for `tasks` downloads, none started yet.
    pub fn new(tasks: usize) -> Downloads {
        Downloads {
            starts: vec![Duration::ZERO; tasks],
            ends: vec![Duration::ZERO; tasks],
            chunks: vec![Vec::new(); tasks],
            total: Duration::ZERO,
        }
    }

    /// The downloads of poems of the given sizes, one after another, from
    /// servers paced by `options`, on a network that takes no time.
    pub fn ideal_blocking(sizes: &[usize], options: ServerOptions) -> Downloads {
        let mut downloads = Downloads::new(sizes.len());
        let mut now = Duration::ZERO;
        for (task, &size) in sizes.iter().enumerate() {
            downloads.record_ideal(task, size, now, options);
            now = downloads.ends[task];
        }
        downloads.total = now;
        downloads
    }

    /// The same downloads, all at once.
    pub fn ideal_async(sizes: &[usize], options: ServerOptions) -> Downloads {
        let mut downloads = Downloads::new(sizes.len());
        for (task, &size) in sizes.iter().enumerate() {
            downloads.record_ideal(task, size, Duration::ZERO, options);
        }
        downloads.total = downloads.ends.iter().copied().max().unwrap_or_default();
        downloads
    }

    /// A poem of `size` bytes starting at `start`: a chunk at once, then one
    /// every `delay`, the connection closed with the last.
    fn record_ideal(&mut self, task: usize, size: usize, start: Duration, options: ServerOptions) {
        let chunks = size.div_ceil(options.num_bytes.max(1));
        self.starts[task] = start;
        self.chunks[task] = (0..chunks)
            .map(|i| start + options.delay * i as u32)
            .collect();
        self.ends[task] = self.chunks[task].last().copied().unwrap_or(start);
    }

    /// Draws which server was sending when: each download open is waiting,
    /// each chunk a brief moment of activity.
    pub fn timeline(&self, title: &str, labels: &[String]) -> Timeline {
        let mut timeline = Timeline::new(title, labels.iter().cloned());
        for task in 0..labels.len().min(self.starts.len()) {
            timeline.push(task, Activity::Waiting, self.starts[task], self.ends[task]);
            for &at in &self.chunks[task] {
                timeline.push(task, Activity::Running, at, at + Duration::from_millis(1));
            }
        }
        timeline.total = self.total;
        timeline
    }
}

/// The demo's pacing: 40 bytes every 0.1 s.
pub const DEMO_OPTIONS: ServerOptions = ServerOptions {
    num_bytes: 40,
    delay: Duration::from_millis(100),
};

/// The row labels the demo and the figure use: `task N poem.txt`.
pub fn labels(names: &[&str]) -> Vec<String> {
    names
        .iter()
        .enumerate()
        .map(|(i, name)| format!("task {} {name}", i + 1))
        .collect()
}

/// The book's figure `blocking-vs-async.svg`: the demo's three downloads,
/// ideal, blocking above asynchronous, on one time scale.
pub fn blocking_vs_async_figure() -> String {
    let poems = demo_poems(3);
    let names: Vec<&str> = poems.iter().map(|(name, _)| *name).collect();
    let sizes: Vec<usize> = poems.iter().map(|(_, poem)| poem.len()).collect();
    let labels = labels(&names);
    let timelines = [
        Downloads::ideal_blocking(&sizes, DEMO_OPTIONS).timeline("Blocking client", &labels),
        Downloads::ideal_async(&sizes, DEMO_OPTIONS).timeline("Asynchronous client", &labels),
    ];
    let legend = [
        (Activity::Running, "a chunk of the poem arrives"),
        (
            Activity::Waiting,
            "connection open, waiting for the next chunk",
        ),
    ];
    render_svg_stack_with_legend(&timelines, &legend)
}

#[cfg(test)]
mod tests {
    use super::*;

    const OPTIONS: ServerOptions = ServerOptions {
        num_bytes: 10,
        delay: Duration::from_millis(100),
    };

    #[test]
    fn ideal_blocking_takes_the_sum_and_async_the_longest() {
        // 25 bytes: 3 chunks, 0.2 s; 10 bytes: 1 chunk, 0 s; 41 bytes: 5 chunks, 0.4 s.
        let sizes = [25, 10, 41];
        let blocking = Downloads::ideal_blocking(&sizes, OPTIONS);
        assert_eq!(blocking.total, Duration::from_millis(600));
        assert_eq!(blocking.starts, [0, 200, 200].map(Duration::from_millis));
        let concurrent = Downloads::ideal_async(&sizes, OPTIONS);
        assert_eq!(concurrent.total, Duration::from_millis(400));
        assert_eq!(
            concurrent.chunks.iter().map(Vec::len).collect::<Vec<_>>(),
            [3, 1, 5]
        );
    }

    #[test]
    fn the_figure_shows_both_clients_and_every_task() {
        let svg = blocking_vs_async_figure();
        assert!(svg.starts_with("<svg"));
        for text in [
            "Blocking client",
            "Asynchronous client",
            "task 1 science.txt",
            "task 3 panther.txt",
        ] {
            assert!(svg.contains(text), "figure lacks {text}");
        }
    }
}

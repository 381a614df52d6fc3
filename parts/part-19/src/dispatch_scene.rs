//! The dispatch queue at work: the scene the example prints and the book's
//! figure draws, run on a virtual clock so that both are the same every
//! time.

use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;
use std::time::Duration;

use part_03::{BackendKind, Reactor, VirtualClock};
use part_07::{Deferred, Failure};

use crate::dispatch::DispatchQueue;
use crate::pretend::{Log, slow};

/// How long each message takes to send, in seconds (message 1 first).
pub const SEND_SECS: [u64; 16] = [2, 3, 1, 2, 2, 3, 1, 2, 2, 1, 3, 2, 1, 2, 3, 2];

/// What happened in the scene, for the figure.
#[derive(Clone, Debug, Default)]
pub struct Timeline {
    /// Each message that started: its number, when it started and ended.
    pub runs: Vec<(u32, Duration, Option<Duration>)>,
    /// The width from each moment on, and whether the queue was paused.
    pub widths: Vec<(Duration, usize, bool)>,
    /// When `stop` was called.
    pub stop_called: Option<Duration>,
    /// The messages handed back by `stop`, and when.
    pub returned: Option<(Duration, Vec<u32>)>,
}

// ANCHOR: scene
/// Sixteen messages through a queue of width 2, which is then widened,
/// narrowed, paused, resumed wider, and stopped. Returns what `stop`
/// gives back; `log` tells the story.
pub fn scene(reactor: &Reactor, log: &Log, timeline: &Rc<RefCell<Timeline>>) -> Deferred<Vec<u32>> {
    let send = {
        let (log, timeline) = (log.clone(), Rc::clone(timeline));
        move |n: u32| {
            log.say(format!("message {n}: sending"));
            record_start(&timeline, log.now(), n);
            let secs = SEND_SECS[n as usize - 1];
            let (timeline, at) = (Rc::clone(&timeline), log.clone());
            slow(
                &log,
                &format!("message {n}"),
                Duration::from_secs(secs),
                Ok(n),
            )
            .add_both(move |sent: Result<u32, Failure>| {
                record_end(&timeline, at.now(), n);
                sent
            })
        }
    };
    let queue = DispatchQueue::new(2, send);
    for n in 1..=SEND_SECS.len() as u32 {
        if let Ok(sent) = queue.put(n) {
            let log = log.clone();
            let _ = sent.add_errback(move |failure: Failure| {
                log.say(format!("message {n}: {}", failure.message()));
                Ok(n)
            });
        }
    }
    let at = |tenths: u64, what: &'static str, change: fn(&DispatchQueue<u32, u32>)| {
        let (queue, log, timeline) = (queue.clone(), log.clone(), Rc::clone(timeline));
        let _ = reactor.call_later(Duration::from_millis(tenths * 100), move || {
            log.say(what);
            change(&queue);
            let mark = (log.now(), queue.width(), queue.is_paused());
            timeline.borrow_mut().widths.push(mark);
        });
    };
    timeline
        .borrow_mut()
        .widths
        .push((Duration::ZERO, 2, false));
    at(25, "width 2 -> 4: the provider allows more", |q| {
        q.set_width(4)
    });
    at(55, "width 4 -> 1: too fast, turn it down", |q| {
        q.set_width(1)
    });
    at(85, "pause", DispatchQueue::pause);
    at(105, "resume, at width 3", |q| {
        q.set_width(3);
        q.resume();
    });
    let (stopped, stopper) = part_07::deferred();
    let (log, timeline, queue) = (log.clone(), Rc::clone(timeline), queue.clone());
    let _ = reactor.call_later(Duration::from_secs(12), move || {
        log.say("stop");
        timeline.borrow_mut().stop_called = Some(log.now());
        let handed_back = queue.stop().add_callback(move |jobs: Vec<u32>| {
            log.say(format!("stopped; not sent: {jobs:?}"));
            timeline.borrow_mut().returned = Some((log.now(), jobs.clone()));
            Ok(jobs)
        });
        let _ = handed_back.chain_deferred(stopper);
    });
    stopped
}
// ANCHOR_END: scene

fn record_start(timeline: &RefCell<Timeline>, at: Duration, n: u32) {
    timeline.borrow_mut().runs.push((n, at, None));
}

fn record_end(timeline: &RefCell<Timeline>, at: Duration, n: u32) {
    let mut timeline = timeline.borrow_mut();
    if let Some(run) = timeline.runs.iter_mut().find(|run| run.0 == n) {
        run.2 = Some(at);
    }
}

/// Runs [`scene`] on a virtual clock and returns what happened; with
/// `print`, the log is printed as it is written (the example).
pub fn run_scene(print: bool) -> Result<Timeline, String> {
    let reactor =
        Reactor::with(BackendKind::Mio, VirtualClock::new()).map_err(|e| e.to_string())?;
    let log = if print {
        Log::printing(&reactor)
    } else {
        Log::quiet(&reactor)
    };
    let timeline = Rc::new(RefCell::new(Timeline::default()));
    let stopped = scene(&reactor, &log, &timeline);
    reactor
        .run_until(stopped)
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    let timeline = timeline.borrow().clone();
    Ok(timeline)
}

/// The book's figure: each message's send as a bar on a time axis, the
/// width as a line above them, the pause shaded, and the messages `stop`
/// handed back.
pub fn width_figure() -> String {
    let timeline = run_scene(false).unwrap_or_default();
    draw(&timeline)
}

/// Pixels per second, and where time 0 is.
const SCALE: f64 = 40.0;
const LEFT: f64 = 110.0;
const ROW: f64 = 22.0;
const TOP: f64 = 150.0;

fn x(at: Duration) -> f64 {
    LEFT + at.as_secs_f64() * SCALE
}

fn draw(timeline: &Timeline) -> String {
    let end_secs = 16.0;
    let width_px = LEFT + end_secs * SCALE + 30.0;
    let rows = SEND_SECS.len() as f64;
    let height = TOP + rows * ROW + 60.0;
    let mut svg = String::new();
    let _ = writeln!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" width="{width_px:.0}" height="{height:.0}" viewBox="0 0 {width_px:.0} {height:.0}" font-family="system-ui, -apple-system, 'Segoe UI', Helvetica, Arial, sans-serif" role="img" aria-label="Sixteen messages go through a dispatch queue. The width starts at 2, grows to 4 at 2.5 s, shrinks to 1 at 5.5 s (the messages under way finish; no new one starts until only one is left), is paused from 8.5 s to 10.5 s, resumes at width 3, and the queue is stopped at 12 s; the messages that had not started are handed back.">
  <title>A dispatch queue's width changing while its jobs run</title>
  <rect x="0" y="0" width="{width_px:.0}" height="{height:.0}" fill="white"/>
  <g font-size="12" fill="#1f2933">"##
    );
    // The pause, shaded across the whole height.
    let mut paused_from = None;
    for &(at, _, paused) in &timeline.widths {
        match (paused, paused_from) {
            (true, None) => paused_from = Some(at),
            (false, Some(from)) => {
                shade(&mut svg, from, at, height);
                paused_from = None;
            }
            _ => {}
        }
    }
    // The width, as a step line: 0 to 4 workers over 100 px.
    let y_width = |w: usize| 120.0 - w as f64 * 22.0;
    let _ = writeln!(
        svg,
        r##"    <text x="20" y="{:.0}" font-weight="bold">width</text>"##,
        y_width(2) + 4.0
    );
    for w in 0..=4 {
        let _ = writeln!(
            svg,
            r##"    <text x="{:.0}" y="{:.0}" text-anchor="end" fill="#52606d">{w}</text>"##,
            LEFT - 8.0,
            y_width(w) + 4.0
        );
    }
    let stop_at = timeline.stop_called.unwrap_or_default();
    let mut path = String::new();
    let mut last = None;
    for &(at, width, paused) in &timeline.widths {
        let width = if paused { 0 } else { width };
        let _ = match last {
            None => write!(path, "M {:.0} {:.0}", x(at), y_width(width)),
            Some(before) => write!(
                path,
                " L {:.0} {:.0} L {:.0} {:.0}",
                x(at),
                y_width(before),
                x(at),
                y_width(width)
            ),
        };
        last = Some(width);
    }
    let _ = write!(
        path,
        " L {:.0} {:.0} L {:.0} {:.0}",
        x(stop_at),
        y_width(last.unwrap_or(0)),
        x(stop_at),
        y_width(0)
    );
    let _ = writeln!(
        svg,
        r##"    <path d="{path}" fill="none" stroke="#2f7d4f" stroke-width="2.5"/>"##
    );
    // One row per message: waiting (thin), sending (a bar).
    for n in 1..=SEND_SECS.len() as u32 {
        let y = TOP + (n as f64 - 1.0) * ROW;
        let _ = writeln!(
            svg,
            r##"    <text x="20" y="{:.0}">message {n}</text>"##,
            y + 13.0
        );
        // Waiting: a dotted line from 0 to the start (or to the stop).
        let run = timeline.runs.iter().find(|run| run.0 == n);
        let waited_until = run.map_or(stop_at, |run| run.1);
        let _ = writeln!(
            svg,
            r##"    <line x1="{:.0}" y1="{:.0}" x2="{:.0}" y2="{:.0}" stroke="#9aa5b1" stroke-dasharray="2 3"/>"##,
            x(Duration::ZERO),
            y + 9.0,
            x(waited_until),
            y + 9.0
        );
        let _ = match run {
            Some(&(_, start, end)) => writeln!(
                svg,
                r##"    <rect x="{:.0}" y="{:.0}" width="{:.0}" height="16" rx="3" fill="#e3f1e8" stroke="#2f7d4f"/>"##,
                x(start),
                y + 1.0,
                x(end.unwrap_or(start)) - x(start)
            ),
            None => writeln!(
                svg,
                r##"    <text x="{:.0}" y="{:.0}" fill="#b23b3b">handed back by stop</text>"##,
                x(stop_at) + 6.0,
                y + 13.0
            ),
        };
    }
    // The time axis, and the moments the queue was changed.
    let axis_y = TOP + rows * ROW + 8.0;
    let _ = writeln!(
        svg,
        r##"    <line x1="{LEFT:.0}" y1="{axis_y:.0}" x2="{:.0}" y2="{axis_y:.0}" stroke="#52606d"/>"##,
        x(Duration::from_secs(16))
    );
    for s in (0..=16).step_by(2) {
        let at = x(Duration::from_secs(s));
        let _ = writeln!(
            svg,
            r##"    <text x="{at:.0}" y="{:.0}" text-anchor="middle" fill="#52606d">{s} s</text>"##,
            axis_y + 18.0
        );
    }
    let mut marks: Vec<(Duration, String)> = timeline
        .widths
        .iter()
        .skip(1)
        .map(|&(at, w, p)| {
            (
                at,
                if p {
                    "pause".to_string()
                } else {
                    format!("width {w}")
                },
            )
        })
        .collect();
    marks.push((stop_at, "stop".to_string()));
    for (at, label) in marks {
        let _ = writeln!(
            svg,
            r##"    <line x1="{0:.0}" y1="22" x2="{0:.0}" y2="{1:.0}" stroke="#52606d" stroke-dasharray="4 4"/>
    <text x="{0:.0}" y="16" text-anchor="middle" fill="#52606d">{2}</text>"##,
            x(at),
            axis_y,
            label
        );
    }
    svg.push_str("  </g>\n</svg>\n");
    svg
}

fn shade(svg: &mut String, from: Duration, to: Duration, height: f64) {
    let _ = writeln!(
        svg,
        r##"    <rect x="{:.0}" y="22" width="{:.0}" height="{:.0}" fill="#f4efe1"/>"##,
        x(from),
        x(to) - x(from),
        height - 62.0
    );
}

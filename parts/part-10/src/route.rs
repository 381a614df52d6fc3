//! The route a poem took down its chain: which callbacks and errbacks ran,
//! what each was given and what it passed on, drawn in the terminal.
//!
//! Every step of client 5.0 is wrapped by [`Route::step`], which writes down
//! the step's name, what it was handed and what it returned. Steps the
//! chain passed by write nothing, so [`draw`] takes the chain's shape as
//! well (an [`Arrangement`]: its pairs, in order) and marks those with `○`.
//!
//! ```text
//!   fired                                  ✗ FetchError
//!   pair 1  callback  ○ cummingsify        (passed by)
//!   pair 2  errback   ● keep_the_original  ✗ FetchError → ✗ FetchError
//!   pair 3  errback   ● poem_failed        ✗ FetchError → ()
//!   pair 4  both      ● poem_done          () → ()
//! ```

use std::cell::RefCell;
use std::fmt::Write as _;
use std::rc::Rc;

use part_07::{Deferred, Failure};

/// Which side of a pair a step is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Side {
    /// A callback: it gets results.
    Callback,
    /// An errback: it gets failures.
    Errback,
    /// Added with `add_both`: it gets either.
    Both,
}

impl Side {
    fn word(self) -> &'static str {
        match self {
            Side::Callback => "callback",
            Side::Errback => "errback",
            Side::Both => "both",
        }
    }
}

/// What a step was given or returned, as the drawing shows it.
pub trait Describe {
    /// A few characters: a poem's first words, `✗ TYPE` for a failure.
    fn describe(&self) -> String;
}

/// The start of a poem's first line, quoted, `…` where it was cut.
fn preview(text: &str) -> String {
    const LONGEST: usize = 16;
    let first_line = text.lines().next().unwrap_or("");
    let shown: String = first_line.chars().take(LONGEST).collect();
    let cut = shown.len() < text.trim_end().len();
    format!("\"{shown}{}\"", if cut { "…" } else { "" })
}

impl Describe for Vec<u8> {
    fn describe(&self) -> String {
        preview(&String::from_utf8_lossy(self))
    }
}

impl Describe for String {
    fn describe(&self) -> String {
        preview(self)
    }
}

impl Describe for () {
    fn describe(&self) -> String {
        "()".to_string()
    }
}

impl Describe for Failure {
    fn describe(&self) -> String {
        format!("✗ {}", self.short_type_name())
    }
}

impl<T: Describe> Describe for Result<T, Failure> {
    fn describe(&self) -> String {
        match self {
            Ok(value) => value.describe(),
            Err(failure) => failure.describe(),
        }
    }
}

impl<T> Describe for Deferred<T> {
    fn describe(&self) -> String {
        "its own chain:".to_string()
    }
}

/// What a step's input says about the side it ran on.
pub trait Input: Describe {
    /// The side a step given this runs on.
    const SIDE: Side;
}

impl Input for Vec<u8> {
    const SIDE: Side = Side::Callback;
}

impl Input for String {
    const SIDE: Side = Side::Callback;
}

impl Input for Failure {
    const SIDE: Side = Side::Errback;
}

impl<T: Describe> Input for Result<T, Failure> {
    const SIDE: Side = Side::Both;
}

/// One step that ran.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stop {
    /// 0 on the poem's own chain, 1 on a chain a step made of its own.
    pub depth: usize,
    /// The step's name.
    pub name: &'static str,
    /// The side it ran on.
    pub side: Side,
    /// What it was given.
    pub input: String,
    /// What it returned (empty while it runs).
    pub output: String,
}

#[derive(Debug, Default)]
struct Notes {
    stops: Vec<Stop>,
    depth: usize,
}

/// The steps that ran on one poem's chain, in the order they began.
/// Cheap to clone; every clone writes to the same route.
#[derive(Clone, Debug, Default)]
pub struct Route(Rc<RefCell<Notes>>);

impl Route {
    /// An empty route.
    pub fn new() -> Route {
        Route::default()
    }

    // ANCHOR: step
    /// Wraps `f`, a callback or errback called `name`, so that it writes
    /// down what it was given and what it returned when it runs. A step
    /// that runs inside it (on a chain of its own) is written down one
    /// level deeper.
    pub fn step<A: Input, R: Describe, F: FnOnce(A) -> R>(
        &self,
        name: &'static str,
        f: F,
    ) -> impl FnOnce(A) -> R + use<A, R, F> {
        let route = self.clone();
        move |input: A| {
            let at = route.begin(name, A::SIDE, input.describe());
            let output = f(input);
            route.end(at, output.describe());
            output
        }
    }
    // ANCHOR_END: step

    fn begin(&self, name: &'static str, side: Side, input: String) -> usize {
        let mut notes = self.0.borrow_mut();
        let depth = notes.depth;
        notes.stops.push(Stop {
            depth,
            name,
            side,
            input,
            output: String::new(),
        });
        notes.depth += 1;
        notes.stops.len() - 1
    }

    fn end(&self, at: usize, output: String) {
        let mut notes = self.0.borrow_mut();
        notes.depth = notes.depth.saturating_sub(1);
        notes.stops[at].output = output;
    }

    /// The steps that ran, in the order they began.
    pub fn stops(&self) -> Vec<Stop> {
        self.0.borrow().stops.clone()
    }

    /// The names of the steps that ran, in order (inner ones too).
    pub fn names(&self) -> Vec<&'static str> {
        self.0.borrow().stops.iter().map(|stop| stop.name).collect()
    }
}

/// One pair of a chain, as the drawing names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    /// 0 on the poem's chain; 1 on the chain the step before made.
    pub depth: usize,
    /// The callback's name, if the pair has one.
    pub callback: Option<&'static str>,
    /// The errback's name, if the pair has one.
    pub errback: Option<&'static str>,
}

impl Link {
    /// `add_callback(name)`.
    pub const fn callback(depth: usize, name: &'static str) -> Link {
        Link {
            depth,
            callback: Some(name),
            errback: None,
        }
    }

    /// `add_errback(name)`.
    pub const fn errback(depth: usize, name: &'static str) -> Link {
        Link {
            depth,
            callback: None,
            errback: Some(name),
        }
    }

    /// `add_callbacks(callback, errback)`.
    pub const fn pair(depth: usize, callback: &'static str, errback: &'static str) -> Link {
        Link {
            depth,
            callback: Some(callback),
            errback: Some(errback),
        }
    }

    /// `add_both(name)`.
    pub const fn both(depth: usize, name: &'static str) -> Link {
        Link {
            depth,
            callback: Some(name),
            errback: Some(name),
        }
    }
}

/// The shape of a chain: its pairs in order, with the pairs of a chain a
/// step makes of its own (depth 1) right after that step's pair.
pub type Arrangement = &'static [Link];

// ANCHOR: arrangements
/// Client 5.0: the transform and its errback on a chain of their own.
pub const CLIENT_5: Arrangement = &[
    Link::callback(0, "try_to_cummingsify"),
    Link::callback(1, "cummingsify"),
    Link::errback(1, "keep_the_original"),
    Link::pair(0, "got_poem", "poem_failed"),
    Link::both(0, "poem_done"),
];

/// Client 5.1: the transform and its errback as two steps of the poem's
/// own chain.
pub const CLIENT_5_1: Arrangement = &[
    Link::callback(0, "cummingsify"),
    Link::errback(0, "keep_the_original"),
    Link::pair(0, "got_poem", "poem_failed"),
    Link::both(0, "poem_done"),
];
// ANCHOR_END: arrangements

/// Draws `route` on the chain `arrangement`: a line for what the chain was
/// fired with, then a line per pair, `●` for the step that ran (with what
/// it was given and what it passed on) and `○` for a pair passed by.
pub fn draw(arrangement: Arrangement, route: &Route) -> Vec<String> {
    let stops = route.stops();
    let width = arrangement
        .iter()
        .flat_map(|link| [link.callback, link.errback].map(move |name| (name, link.depth)))
        .filter_map(|(name, depth)| name.map(|name| name.len() + 2 * depth.min(1)))
        .max()
        .unwrap_or(0);
    let mut lines = Vec::new();
    let fired = stops
        .iter()
        .find(|stop| stop.depth == 0)
        .map_or_else(|| "(not fired)".to_string(), |stop| stop.input.clone());
    lines.push(format!("  {:<20}{:width$}  {fired}", "fired", ""));
    let mut numbers = [0usize; 2];
    let mut outer_ran = false;
    let mut used = vec![false; stops.len()];
    for link in arrangement {
        let depth = link.depth.min(1);
        if depth == 0 {
            numbers[1] = 0;
        } else if !outer_ran {
            continue; // the step that would have made this chain did not run
        }
        numbers[depth] += 1;
        let found = stops.iter().enumerate().find(|(i, stop)| {
            !used[*i]
                && stop.depth == link.depth
                && (Some(stop.name) == link.callback || Some(stop.name) == link.errback)
        });
        let indent = "  ".repeat(depth);
        let label = format!("pair {}", numbers[depth]);
        let pad = width - 2 * depth;
        let mut line = String::new();
        match found {
            Some((i, stop)) => {
                used[i] = true;
                let _ = write!(
                    line,
                    "  {indent}{label:<8}{:<9} ● {:<pad$}  {} → {}",
                    stop.side.word(),
                    stop.name,
                    stop.input,
                    stop.output
                );
                if depth == 0 {
                    outer_ran = true;
                }
            }
            None => {
                let side = match (link.callback, link.errback) {
                    (Some(_), None) => Side::Callback,
                    (None, Some(_)) => Side::Errback,
                    _ => Side::Both,
                };
                let _ = write!(
                    line,
                    "  {indent}{label:<8}{:<9} ○ {:<pad$}  (passed by)",
                    side.word(),
                    names(link)
                );
                if depth == 0 {
                    outer_ran = false;
                }
            }
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// A pair's names as the drawing shows them: `got_poem / poem_failed`.
fn names(link: &Link) -> String {
    match (link.callback, link.errback) {
        (Some(a), Some(b)) if a != b => format!("{a} / {b}"),
        (Some(a), _) | (None, Some(a)) => a.to_string(),
        (None, None) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_preview_is_the_start_of_the_first_line() {
        assert_eq!(preview("The Tyger\nWilliam Blake\n"), "\"The Tyger…\"");
        assert_eq!(preview("The Tyger\n"), "\"The Tyger\"");
        assert_eq!(
            preview("Sonnet — To Science\nEdgar Allan Poe"),
            "\"Sonnet — To Scie…\""
        );
    }

    #[test]
    fn steps_write_down_what_ran_and_inner_steps_go_deeper() {
        let route = Route::new();
        let inner = route.step("inner", |poem: String| {
            Ok::<_, Failure>(poem.to_uppercase())
        });
        let outer = route.step("outer", move |poem: Vec<u8>| {
            inner(String::from_utf8(poem).unwrap())
        });
        let poem = outer(b"abc".to_vec()).unwrap();
        assert_eq!(poem, "ABC");
        let stops = route.stops();
        assert_eq!(route.names(), ["outer", "inner"]);
        assert_eq!((stops[0].depth, stops[1].depth), (0, 1));
        assert_eq!(stops[0].input, "\"abc\"");
        assert_eq!(stops[1].output, "\"ABC\"");
        assert_eq!(stops[1].side, Side::Callback);
    }

    #[test]
    fn a_pair_passed_by_is_drawn_hollow() {
        let route = Route::new();
        let keep = route.step("keep_the_original", |failure: Failure| {
            Err::<String, _>(failure)
        });
        let failed = route.step("poem_failed", |_: Failure| ());
        let done = route.step("poem_done", |_: Result<(), Failure>| ());
        failed(keep(Failure::msg("refused")).unwrap_err());
        done(Ok(()));
        let drawing = draw(CLIENT_5_1, &route).join("\n");
        assert_eq!(
            drawing,
            [
                "  fired                                  ✗ Message",
                "  pair 1  callback  ○ cummingsify        (passed by)",
                "  pair 2  errback   ● keep_the_original  ✗ Message → ✗ Message",
                "  pair 3  errback   ● poem_failed        ✗ Message → ()",
                "  pair 4  both      ● poem_done          () → ()",
            ]
            .join("\n")
        );
    }
}

//! Proxy 2.0: `get_poem` always returns a deferred, and the series'
//! exercises are solved.
//!
//! A cached poem comes back in a deferred that [`succeed`] has fired
//! already, so the protocol's callbacks run as soon as they are added.
//! Two more things the series leaves as exercises:
//!
//! - **a maximum age** (`--max-age`): a cached poem older than that is
//!   fetched again;
//! - **single-flight**: a third [`State`], *fetching*, holds the triggers
//!   of every client that asked while the download was under way. When it
//!   ends, all of them fire, with the poem (which is cached) or with the
//!   failure (and the cache stays empty, so the next request tries
//!   again). However many clients ask at once, the upstream server sees
//!   one download.

use std::cell::{Cell, RefCell};
use std::mem;
use std::rc::Rc;
use std::time::{Duration, Instant};

use part_01::timeline::format_secs;
use part_06::Printer;
use part_07::{Deferred, Failure, Trigger, deferred, succeed};

use crate::upstream::{Poem, Upstream};

// ANCHOR: state
/// Where proxy 2.0's service stands.
pub enum State {
    /// No poem, and no download under way.
    Empty,
    /// A download is under way; these clients are waiting for it.
    Fetching(Vec<Trigger<Poem>>),
    /// The poem, and when it arrived.
    Cached {
        /// The poem.
        poem: Poem,
        /// When the download finished.
        since: Instant,
    },
}
// ANCHOR_END: state

/// Proxy 2.0's service.
pub struct ProxyService2 {
    upstream: Upstream,
    state: RefCell<State>,
    max_age: Option<Duration>,
    single_flight: bool,
    downloads: Cell<usize>,
    log: Printer,
}

impl ProxyService2 {
    /// A service with an empty cache, downloading from `upstream`. A poem
    /// older than `max_age` (if given) is fetched again; with
    /// `single_flight`, clients asking during a download wait for it.
    pub fn new(
        upstream: Upstream,
        max_age: Option<Duration>,
        single_flight: bool,
        log: Printer,
    ) -> Rc<ProxyService2> {
        Rc::new(ProxyService2 {
            upstream,
            state: RefCell::new(State::Empty),
            max_age,
            single_flight,
            downloads: Cell::new(0),
            log,
        })
    }

    // ANCHOR: get_poem
    /// The poem, in a deferred: fired already if the poem is cached and
    /// fresh; otherwise fired when the download (this one's, or the one
    /// under way) ends.
    pub fn get_poem(self: &Rc<Self>) -> Deferred<Poem> {
        let mut state = self.state.borrow_mut();
        match &mut *state {
            State::Cached { poem, since } => match self.max_age {
                Some(max_age) if since.elapsed() > max_age => {
                    self.log.out(&format!(
                        "The cached poem is {} old; fetching it again.",
                        format_secs(since.elapsed())
                    ));
                }
                _ => {
                    self.log.out("Using cached poem.");
                    return succeed(Rc::clone(poem));
                }
            },
            State::Fetching(waiting) if self.single_flight => {
                let (poem, trigger) = deferred();
                waiting.push(trigger);
                self.log.out(&format!(
                    "Waiting for the download under way ({} clients waiting).",
                    waiting.len()
                ));
                return poem;
            }
            _ => self.log.out("Fetching poem from server."),
        }
        if !self.single_flight {
            drop(state);
            return self.download_alone();
        }
        let (poem, trigger) = deferred();
        *state = State::Fetching(vec![trigger]);
        // The state must be free before the download starts: it may end
        // (and call `finished`) before `fetch` returns.
        drop(state);
        self.download_shared();
        poem
    }
    // ANCHOR_END: get_poem

    // ANCHOR: download
    /// Starts the download every waiting client shares.
    fn download_shared(self: &Rc<Self>) {
        self.downloads.set(self.downloads.get() + 1);
        let done = Rc::clone(self);
        let _ = self
            .upstream
            .fetch()
            .add_both(move |outcome: Result<Poem, Failure>| done.finished(outcome));
    }

    /// The download is over: move to the next state, then fire every
    /// waiting client's deferred.
    fn finished(&self, outcome: Result<Poem, Failure>) {
        let next = match &outcome {
            Ok(poem) => State::Cached {
                poem: Rc::clone(poem),
                since: Instant::now(),
            },
            Err(failure) => {
                self.log
                    .err(&format!("The download failed: {}", failure.message()));
                State::Empty
            }
        };
        let waiting = match mem::replace(&mut *self.state.borrow_mut(), next) {
            State::Fetching(waiting) => waiting,
            _ => Vec::new(),
        };
        // The borrow has ended: a waiting client's callbacks may call
        // `get_poem` again.
        // A failure is shared: every waiter gets a clone of the same one.
        for trigger in waiting {
            let _ = trigger.fire(outcome.clone());
        }
    }
    // ANCHOR_END: download

    /// Without single-flight: a download of this client's own, as proxy
    /// 1.0 does, whose poem is cached when it arrives.
    fn download_alone(self: &Rc<Self>) -> Deferred<Poem> {
        self.downloads.set(self.downloads.get() + 1);
        let service = Rc::clone(self);
        self.upstream.fetch().add_callback(move |poem: Poem| {
            *service.state.borrow_mut() = State::Cached {
                poem: Rc::clone(&poem),
                since: Instant::now(),
            };
            Ok(poem)
        })
    }

    /// How many downloads the service has started.
    pub fn downloads(&self) -> usize {
        self.downloads.get()
    }

    /// The state's name: `empty`, `fetching` or `cached`.
    pub fn state_name(&self) -> &'static str {
        match &*self.state.borrow() {
            State::Empty => "empty",
            State::Fetching(_) => "fetching",
            State::Cached { .. } => "cached",
        }
    }
}

//! Proxy 1.0: a cache and `maybe_deferred`, exactly as the series has it.
//!
//! [`ProxyService1::get_poem`] returns the cached poem when there is one,
//! and otherwise starts a download and returns its deferred. Python can
//! return either from one function; Rust says so in the return type,
//! [`MaybePoem`]. The protocol calls it through
//! [`maybe_deferred`], which makes a deferred of
//! whichever it gets.
//!
//! The service has two states, cached or not, and that is its flaw: while
//! the first download is under way nothing is cached yet, so every client
//! that arrives in that time starts a download of its own.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use part_06::Printer;
use part_07::deferred::NextStep;
use part_07::{Deferred, Failure, IntoStep, maybe_deferred};

use crate::upstream::{Poem, Upstream};

// ANCHOR: maybe_poem
/// What proxy 1.0's `get_poem` returns: the poem now, or a deferred one.
pub enum MaybePoem {
    /// The poem was cached: here it is.
    Cached(Poem),
    /// A download has started: the poem comes later.
    Fetching(Deferred<Poem>),
}

/// `maybe_deferred` accepts whatever a callback may return; a `MaybePoem`
/// is one of two of those.
impl IntoStep<Poem> for MaybePoem {
    fn into_next(self) -> NextStep<Poem> {
        match self {
            MaybePoem::Cached(poem) => Ok::<Poem, Failure>(poem).into_next(),
            MaybePoem::Fetching(deferred) => deferred.into_next(),
        }
    }
}
// ANCHOR_END: maybe_poem

/// Proxy 1.0's service: a cached poem, or none yet.
pub struct ProxyService1 {
    upstream: Upstream,
    poem: RefCell<Option<Poem>>,
    downloads: Cell<usize>,
    log: Printer,
}

impl ProxyService1 {
    /// A service with an empty cache, downloading from `upstream`.
    pub fn new(upstream: Upstream, log: Printer) -> Rc<ProxyService1> {
        Rc::new(ProxyService1 {
            upstream,
            poem: RefCell::new(None),
            downloads: Cell::new(0),
            log,
        })
    }

    // ANCHOR: get_poem
    /// The poem if it is cached; otherwise a download, whose poem is
    /// cached when it arrives.
    pub fn get_poem(self: &Rc<Self>) -> MaybePoem {
        if let Some(poem) = self.poem.borrow().clone() {
            self.log.out("Using cached poem.");
            return MaybePoem::Cached(poem);
        }
        self.log.out("Fetching poem from server.");
        self.downloads.set(self.downloads.get() + 1);
        let service = Rc::clone(self);
        MaybePoem::Fetching(self.upstream.fetch().add_callback(move |poem: Poem| {
            *service.poem.borrow_mut() = Some(Rc::clone(&poem));
            Ok(poem)
        }))
    }
    // ANCHOR_END: get_poem

    // ANCHOR: source
    /// What the protocol calls: always a deferred, thanks to
    /// `maybe_deferred`.
    pub fn poem_deferred(self: &Rc<Self>) -> Deferred<Poem> {
        maybe_deferred(|| self.get_poem())
    }
    // ANCHOR_END: source

    /// How many downloads the service has started.
    pub fn downloads(&self) -> usize {
        self.downloads.get()
    }
}

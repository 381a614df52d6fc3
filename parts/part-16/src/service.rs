//! Services: things a program starts and stops, arranged in a tree.
//!
//! A server is more than its listening socket. It loads a poem before it
//! can serve one, it may open a database, it may say goodbye to its
//! clients before it goes. A [`Service`] is one such piece, with two
//! verbs: `start`, which either works or says why not, and `stop`, which
//! returns a deferred because stopping may take time (the clients in
//! flight must be served first). What a service does is its own business;
//! the runner only starts and stops.
//!
//! A [`MultiService`] is a service made of services: it starts its
//! children in the order they were added and stops them in the reverse
//! order, each one only after the one before it has finished stopping. So
//! a service that depends on another (the port needs the poem) is added
//! after it, is started after it, and is stopped before it. If a child
//! fails to start, the ones already started are stopped again, in reverse.
//!
//! An [`Application`] is the root of the tree: the one service a runner is
//! given, with a name for its logs.

use std::cell::{Cell, RefCell};
use std::error::Error;
use std::fmt;
use std::rc::Rc;

use part_03::{Phase, Reactor};
use part_07::{Deferred, Failure, succeed};

/// Why a service could not start: whatever it says after `error: `.
pub type StartError = Box<dyn Error>;

// ANCHOR: service
/// A piece of a program that can be started and stopped.
pub trait Service {
    /// The service's name, for logs and for finding it in a tree.
    fn name(&self) -> &str;

    /// Starts the service: load, open, listen. An error means it did not
    /// start, and holds nothing that needs stopping.
    fn start(&self) -> Result<(), StartError>;

    /// Stops the service. The deferred fires once it has finished
    /// stopping: at once for most services (return
    /// [`succeed(())`](part_07::succeed)), later for one that lets its
    /// work in flight finish first.
    fn stop(&self) -> Deferred<()>;
}
// ANCHOR_END: service

/// A service made of services, started in order and stopped in reverse.
pub struct MultiService {
    name: String,
    children: RefCell<Vec<Rc<dyn Service>>>,
    /// How many children have started, from the first: those to stop.
    started: Cell<usize>,
}

impl fmt::Debug for MultiService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names: Vec<String> = self
            .children
            .borrow()
            .iter()
            .map(|c| c.name().to_string())
            .collect();
        f.debug_struct("MultiService")
            .field("name", &self.name)
            .field("children", &names)
            .field("started", &self.started.get())
            .finish()
    }
}

impl MultiService {
    /// An empty collection called `name`.
    pub fn new(name: impl Into<String>) -> Rc<MultiService> {
        Rc::new(MultiService {
            name: name.into(),
            children: RefCell::default(),
            started: Cell::new(0),
        })
    }

    /// Adds `child`, to start after the children added before it. Two
    /// children may not share a name (Twisted's `setServiceParent`).
    pub fn add(&self, child: Rc<dyn Service>) -> Result<(), StartError> {
        let mut children = self.children.borrow_mut();
        if children.iter().any(|c| c.name() == child.name()) {
            return Err(format!(
                "{} already has a service called {}",
                self.name,
                child.name()
            )
            .into());
        }
        children.push(child);
        Ok(())
    }

    /// The child called `name`, if there is one.
    pub fn get(&self, name: &str) -> Option<Rc<dyn Service>> {
        self.children
            .borrow()
            .iter()
            .find(|c| c.name() == name)
            .cloned()
    }

    /// Whether every child has started.
    pub fn is_running(&self) -> bool {
        let started = self.started.get();
        started > 0 && started == self.children.borrow().len()
    }
}

// ANCHOR: multi
impl Service for MultiService {
    fn name(&self) -> &str {
        &self.name
    }

    fn start(&self) -> Result<(), StartError> {
        let children = self.children.borrow().clone();
        for child in &children {
            if let Err(error) = child.start() {
                tracing::error!("{} could not start: {error}", child.name());
                // Undo: whatever started stops again, last first.
                drop(self.stop());
                return Err(error);
            }
            tracing::info!("started {}", child.name());
            self.started.set(self.started.get() + 1);
        }
        Ok(())
    }

    fn stop(&self) -> Deferred<()> {
        let started = self.started.replace(0);
        let children = self.children.borrow()[..started].to_vec();
        stop_in_reverse(children)
    }
}

/// Stops the last of `services`, and when its deferred has fired, the one
/// before it, and so on: a chain of stops, one at a time.
fn stop_in_reverse(mut services: Vec<Rc<dyn Service>>) -> Deferred<()> {
    let Some(last) = services.pop() else {
        return succeed(());
    };
    tracing::info!("stopping {}", last.name());
    let name = last.name().to_string();
    last.stop().add_both(move |outcome: Result<(), Failure>| {
        match outcome {
            Ok(()) => tracing::info!("stopped {name}"),
            Err(failure) => tracing::warn!("{name} did not stop cleanly: {failure}"),
        }
        stop_in_reverse(services) // a deferred: the chain waits for it
    })
}
// ANCHOR_END: multi

// ANCHOR: application
/// The root of a service tree: what a runner starts and stops.
#[derive(Debug)]
pub struct Application {
    services: Rc<MultiService>,
}

impl Application {
    /// An application called `name`, with no services yet.
    pub fn new(name: impl Into<String>) -> Application {
        Application {
            services: MultiService::new(name),
        }
    }

    /// Adds a top-level service.
    pub fn add(&self, service: Rc<dyn Service>) -> Result<(), StartError> {
        self.services.add(service)
    }

    /// The application's name.
    pub fn name(&self) -> &str {
        self.services.name()
    }

    /// Starts every service, in order (see [`MultiService`]).
    pub fn start(&self) -> Result<(), StartError> {
        tracing::info!("starting {}", self.name());
        self.services.start()
    }

    /// Stops every service, in reverse order, one after another.
    pub fn stop(&self) -> Deferred<()> {
        self.services.stop()
    }

    /// Stops the application when `reactor` shuts down: a "before"
    /// trigger whose deferred keeps the reactor running until every
    /// service has stopped.
    pub fn stop_on_shutdown(&self, reactor: &Reactor) {
        let services = Rc::clone(&self.services);
        reactor.add_shutdown_trigger(Phase::Before, move || services.stop());
    }
}
// ANCHOR_END: application

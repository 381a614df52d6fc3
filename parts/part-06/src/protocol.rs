//! The protocol inside `get_poetry`, shared by client 3.0 and 3.1.
//!
//! It is part 5's poetry protocol with the program taken out: it collects
//! one poem, reports each chunk through its task, and when the connection
//! is over hands the outcome to whoever built it, once. It does not know
//! what happens next; the factory that built it does (and the factory only
//! knows because the caller of `get_poetry` told it).

use part_02::FetchError;
use part_03::Disconnect;
use part_05::Protocol;

use crate::Task;

/// What one download ended with: the whole poem, or why there is none.
pub type Outcome = Result<Vec<u8>, FetchError>;

/// Where a [`PoetryProtocol`] sends its outcome.
pub type Finished = Box<dyn FnOnce(Outcome)>;

// ANCHOR: protocol
/// One download: collects the poem, reports each chunk, and hands the
/// outcome on when the connection ends.
pub struct PoetryProtocol {
    task: Task,
    poem: Vec<u8>,
    finished: Option<Finished>,
}

impl PoetryProtocol {
    /// A protocol for `task` that gives its outcome to `finished`.
    pub fn new(task: Task, finished: impl FnOnce(Outcome) + 'static) -> PoetryProtocol {
        PoetryProtocol {
            task,
            poem: Vec::new(),
            finished: Some(Box::new(finished)),
        }
    }
}

impl Protocol for PoetryProtocol {
    fn data_received(&mut self, data: &[u8]) {
        self.poem.extend_from_slice(data);
        self.task.report_chunk(data.len());
    }

    fn connection_lost(&mut self, reason: Disconnect) {
        let poem = std::mem::take(&mut self.poem);
        let outcome = match reason {
            // The server closed the connection: the poem is complete.
            Disconnect::Done => Ok(poem),
            Disconnect::Lost(source) => Err(FetchError::Lost {
                received: poem.len(),
                source,
            }),
        };
        if let Some(finished) = self.finished.take() {
            finished(outcome);
        }
    }
}
// ANCHOR_END: protocol

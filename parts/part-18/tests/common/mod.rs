//! What the tests of the lessons beyond the series share.

use std::cell::RefCell;
use std::rc::Rc;

use part_07::{Deferred, Failure};

/// Records a deferred's outcome, as `Ok(debug)` or `Err(type: message)`.
pub fn watch<A: std::fmt::Debug + 'static>(
    d: Deferred<A>,
) -> Rc<RefCell<Option<Result<String, String>>>> {
    let seen = Rc::new(RefCell::new(None));
    let keep = Rc::clone(&seen);
    let _ = d.add_both(move |o: Result<A, Failure>| {
        *keep.borrow_mut() = Some(
            o.map(|v| format!("{v:?}"))
                .map_err(|f| format!("{}: {}", f.short_type_name(), f.message())),
        );
    });
    seen
}

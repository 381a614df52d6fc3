//! The solutions to the chapter's exercises, checked: each example in
//! `examples/` is compiled into this test as a module. Their steps are run
//! on deferreds fired by hand (a poem, or a failed download), with dice
//! whose throws the test looks up first, and once end to end against a
//! slow server.

use std::cell::RefCell;
use std::io;
use std::net::SocketAddr;
use std::rc::Rc;

use part_02::{Address, FetchError};
use part_03::Reactor;
use part_06::{Printer, Task};
use part_07::{Deferred, Failure, fail, succeed};
use part_10::run::get_transformed_poems;
use part_10::{Dice, Fate, task_dice};
use testkit::servers;

#[allow(dead_code)] // its `main` is not called here
#[path = "../examples/part10-ex1-second-chance.rs"]
mod ex1;

#[allow(dead_code)]
#[path = "../examples/part10-ex2-lenient.rs"]
mod ex2;

#[allow(dead_code)]
#[path = "../examples/part10-ex3-too-early.rs"]
mod ex3;

type Lines = Rc<RefCell<Vec<String>>>;

/// One task for `addr`, whose lines are kept.
fn task(addr: SocketAddr) -> (Task, Lines) {
    let lines: Lines = Rc::default();
    let kept = Rc::clone(&lines);
    let printer = Printer::new(move |_, line| kept.borrow_mut().push(line.to_string()));
    let task = Task::numbered(&[Address::from(addr)], &[addr], &printer).remove(0);
    (task, lines)
}

fn nowhere() -> (Task, Lines) {
    task(([127, 0, 0, 1], 9).into())
}

/// A seed whose single task's dice throw `throws`, in order.
fn seed_throwing(throws: &[Fate]) -> u64 {
    (0..100_000)
        .find(|&seed| {
            let mut dice = task_dice(seed, 1).remove(0);
            throws.iter().all(|fate| Fate::roll(&mut dice) == *fate)
        })
        .unwrap_or_else(|| panic!("no seed throws {throws:?}"))
}

/// The dice a single task gets from a seed that throws `throws`.
fn dice_throwing(throws: &[Fate]) -> Dice {
    task_dice(seed_throwing(throws), 1).remove(0)
}

/// What a deferred that has fired already ended with.
fn outcome<T: 'static>(deferred: Deferred<T>) -> Result<T, Failure> {
    let end: Rc<RefCell<Option<Result<T, Failure>>>> = Rc::default();
    let kept = Rc::clone(&end);
    let _ = deferred.add_both(move |outcome: Result<T, Failure>| {
        *kept.borrow_mut() = Some(outcome);
    });
    end.take().expect("the deferred has fired")
}

/// Throws, the poem or the failure's type, the lines printed.
type Case = (
    &'static [Fate],
    Result<&'static [u8], &'static str>,
    &'static [&'static str],
);

const KEEPING: &str = "Task 1: cummingsify failed, keeping the original";

/// Exercise 1: after gibberish, the second throw decides, as client 5.0
/// decides the first; the other first throws are client 5.0's.
#[test]
fn ex1_a_second_chance_throws_the_dice_again() {
    let cases: [Case; 5] = [
        (&[Fate::Lowercase], Ok(b"the tyger"), &[]),
        (&[Fate::Bug], Ok(b"The Tyger"), &[KEEPING]),
        (&[Fate::Gibberish, Fate::Lowercase], Ok(b"the tyger"), &[]),
        (&[Fate::Gibberish, Fate::Bug], Ok(b"The Tyger"), &[KEEPING]),
        (
            &[Fate::Gibberish, Fate::Gibberish],
            Err("GibberishError"),
            &[],
        ),
    ];
    for (throws, expected, printed) in cases {
        let (task, lines) = nowhere();
        let result = ex1::second_chance(&task, dice_throwing(throws))(b"The Tyger".to_vec());
        match expected {
            Ok(poem) => assert_eq!(result.unwrap(), poem, "{throws:?}"),
            Err(kind) => assert_eq!(result.unwrap_err().short_type_name(), kind),
        }
        assert_eq!(*lines.borrow(), printed, "{throws:?}");
    }
}

/// Exercise 1, end to end: gibberish first, then lowercase, from a server.
#[test]
fn ex1_end_to_end_the_second_try_lowercases_the_poem() {
    let (server, served) = &servers(1, 300, 5)[0];
    let seed = seed_throwing(&[Fate::Gibberish, Fate::Lowercase]);
    let reactor = Reactor::new().unwrap();
    let (task, lines) = task(server.addr());
    let poems = get_transformed_poems(&reactor, &[task], seed, false, |deferred, task, dice| {
        deferred.add_callback(ex1::second_chance(task, dice))
    })
    .unwrap();
    let expected = String::from_utf8_lossy(served).to_lowercase();
    assert_eq!(poems, [Some(expected.into_bytes())]);
    assert_eq!(lines.borrow().last().unwrap(), "Task 1 finished");
}

/// Exercise 2: the lenient callback keeps the original after gibberish
/// and after a bug, and after a poem that is not text.
#[test]
fn ex2_the_lenient_client_keeps_the_original_after_any_failure() {
    let cases = [
        (Fate::Lowercase, &b"der panther"[..], None),
        (
            Fate::Gibberish,
            b"Der Panther",
            Some("Task 1: the poem came out as gibberish, keeping the original"),
        ),
        (
            Fate::Bug,
            b"Der Panther",
            Some(
                "Task 1: cummingsify has a bug: it lost its place in the poem, keeping the original",
            ),
        ),
    ];
    for (fate, expected, line) in cases {
        let (task, lines) = nowhere();
        let poem = ex2::try_leniently(&task, dice_throwing(&[fate]))(b"Der Panther".to_vec());
        assert_eq!(poem.unwrap(), expected, "{fate:?}");
        assert_eq!(*lines.borrow(), Vec::from_iter(line), "{fate:?}");
    }
    let (task, lines) = nowhere();
    let not_text = b"Der \xff Panther".to_vec();
    let poem = ex2::try_leniently(&task, Dice::new(1))(not_text.clone());
    assert_eq!(poem.unwrap(), not_text);
    assert_eq!(lines.borrow().len(), 1);
}

/// Exercise 3: with the errback above the transform, the bug is lost (its
/// failure passes every step below), and the errback only ever sees
/// download failures, which it passes on.
#[test]
fn ex3_an_errback_too_early_never_sees_the_transform_fail() {
    let (task, lines) = nowhere();
    let poem = succeed(b"Der Panther".to_vec());
    let failure = outcome(ex3::too_early(poem, &task, dice_throwing(&[Fate::Bug]))).unwrap_err();
    assert_eq!(failure.short_type_name(), "CannotCummingsify");
    assert!(lines.borrow().is_empty(), "cummingsify_failed did not run");

    let refused = FetchError::Connect(io::ErrorKind::ConnectionRefused.into());
    let failure = outcome(ex3::too_early(fail(refused), &task, Dice::new(1))).unwrap_err();
    assert_eq!(failure.short_type_name(), "FetchError");
    assert!(lines.borrow().is_empty());

    // The same bug with client 5.1's order keeps the original.
    let dice = dice_throwing(&[Fate::Bug]);
    let kept = succeed(b"Der Panther".to_vec())
        .add_callback(part_10::client_5_1::cummingsify(dice))
        .add_errback(part_10::client_5_1::cummingsify_failed(&task));
    assert_eq!(outcome(kept).unwrap(), b"Der Panther");
    assert_eq!(*lines.borrow(), [KEEPING]);
}

/// Exercise 3, end to end: the bug's poem is reported as lost.
#[test]
fn ex3_end_to_end_the_bug_loses_the_poem() {
    let (server, _) = &servers(1, 300, 5)[0];
    let reactor = Reactor::new().unwrap();
    let (task, lines) = task(server.addr());
    let seed = seed_throwing(&[Fate::Bug]);
    let poems = get_transformed_poems(&reactor, &[task], seed, false, ex3::too_early).unwrap();
    assert_eq!(poems, [None]);
    let last = lines.borrow().last().cloned().unwrap();
    assert!(last.ends_with(": cannot cummingsify the poem"), "{last}");
}

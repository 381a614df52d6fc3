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
use part_08::get_poetry;
use part_10::{Dice, Fate, Run, Steps, task_dice};
use testkit::run_within;
use testkit::{poem, servers};

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

fn nowhere() -> SocketAddr {
    ([127, 0, 0, 1], 9).into()
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

/// A run of one task with the dice of `seed`: its steps and the run.
fn one_task(reactor: &Reactor, seed: u64) -> (Run, Steps, Lines) {
    let (task, lines) = task(nowhere());
    let (run, mut steps) = Run::new(reactor, &[task], seed, false);
    (run, steps.remove(0), lines)
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

fn gibberish(poem: &str) -> Failure {
    Fate::Gibberish
        .apply(poem.to_string())
        .unwrap_err()
        .into_failure()
}

/// Exercise 1: after gibberish, the second throw decides; any other
/// failure goes by without a throw.
#[test]
fn ex1_a_second_chance_throws_the_dice_again() {
    let cases = [
        (
            Fate::Lowercase,
            Ok("the tyger"),
            "Task 1: cummingsified at the second try",
        ),
        (
            Fate::Gibberish,
            Ok("The Tyger"),
            "Task 1: gibberish, kept the original",
        ),
        (Fate::Bug, Err("CummingsifyBug"), ""),
    ];
    for (second, expected, line) in cases {
        let (task, lines) = task(nowhere());
        // Dice whose next throw is `second`.
        let seed = (0..100_000)
            .find(|&s| Fate::roll(&mut Dice::new(s)) == second)
            .unwrap();
        let dice = Rc::new(RefCell::new(Dice::new(seed)));
        let result = ex1::second_chance(task, dice)(gibberish("The Tyger"));
        match expected {
            Ok(poem) => assert_eq!(result.unwrap(), poem, "{second:?}"),
            Err(kind) => assert_eq!(result.unwrap_err().short_type_name(), kind),
        }
        let printed: Vec<String> = lines.borrow().clone();
        let wanted: Vec<&str> = [line].into_iter().filter(|l| !l.is_empty()).collect();
        assert_eq!(printed, wanted, "{second:?}");
    }

    let (task, lines) = task(nowhere());
    let dice = Rc::new(RefCell::new(Dice::new(5)));
    let result = ex1::second_chance(task, Rc::clone(&dice))(Failure::msg("refused"));
    assert_eq!(result.unwrap_err().message(), "refused");
    assert_eq!(*dice.borrow(), Dice::new(5), "no throw for other failures");
    assert!(lines.borrow().is_empty());
}

/// Exercise 1, end to end: gibberish first, then lowercase, from a server.
#[test]
fn ex1_end_to_end_the_second_try_lowercases_the_poem() {
    let (server, served) = &servers(1, 300, 5)[0];
    let seed = seed_throwing(&[Fate::Gibberish, Fate::Lowercase]);
    let reactor = Reactor::new().unwrap();
    let (task, lines) = task(server.addr());
    let (run, steps) = Run::new(&reactor, std::slice::from_ref(&task), seed, false);
    let steps = &steps[0];
    let _ = get_poetry(&reactor, &task)
        .add_callback(steps.cummingsify())
        .add_errback(ex1::second_chance(task.clone(), steps.dice()))
        .add_callbacks(steps.got_poem(), steps.poem_failed())
        .add_both(steps.poem_done());
    run_within(&reactor, std::time::Duration::from_secs(20));
    let expected = String::from_utf8_lossy(served).to_lowercase();
    assert_eq!(run.poems(), [Some(expected)]);
    assert!(
        lines
            .borrow()
            .contains(&"Task 1: cummingsified at the second try".to_string())
    );
}

/// Exercise 2: the lenient transform keeps the original after gibberish
/// and after a bug, and still fails a poem that is not text.
#[test]
fn ex2_the_lenient_client_keeps_the_original_after_either_failure() {
    let reactor = Reactor::new().unwrap();
    let cases = [
        (Fate::Lowercase, "der panther", None),
        (
            Fate::Gibberish,
            "Der Panther",
            Some("Task 1: the poem came out as gibberish, kept the original"),
        ),
        (
            Fate::Bug,
            "Der Panther",
            Some("Task 1: cummingsify has a bug: it lost its place in the poem, kept the original"),
        ),
    ];
    for (fate, expected, line) in cases {
        let (_run, steps, lines) = one_task(&reactor, seed_throwing(&[fate]));
        let poem = ex2::try_leniently(&steps)(b"Der Panther".to_vec());
        assert_eq!(outcome(poem).unwrap(), expected, "{fate:?}");
        if let Some(line) = line {
            assert!(lines.borrow().contains(&line.to_string()), "{lines:?}");
        }
    }
    for fate in Fate::ALL {
        let (_run, steps, _) = one_task(&reactor, seed_throwing(&[fate]));
        let not_text = ex2::try_leniently(&steps)(b"Der \xff Panther".to_vec());
        let failure = outcome(not_text).unwrap_err();
        assert_eq!(failure.short_type_name(), "FromUtf8Error", "{fate:?}");
    }
}

/// Exercise 3: with the errback above the transform, gibberish is lost,
/// and the errback only ever sees download failures, which it passes on.
#[test]
fn ex3_an_errback_too_early_never_sees_the_transform_fail() {
    let reactor = Reactor::new().unwrap();
    let (run, steps, lines) = one_task(&reactor, seed_throwing(&[Fate::Gibberish]));
    let _ = ex3::too_early(succeed(poem("tyger.txt").to_vec()), &steps);
    assert_eq!(run.poems(), [None], "the poem is lost");
    assert_eq!(
        steps.route().names(),
        ["cummingsify", "poem_failed", "poem_done"]
    );
    assert_eq!(
        *lines.borrow(),
        ["Task 1: failed: the poem came out as gibberish"]
    );

    let (run, steps, lines) = one_task(&reactor, seed_throwing(&[Fate::Gibberish]));
    let refused = FetchError::Connect(io::ErrorKind::ConnectionRefused.into());
    let _ = ex3::too_early(fail(refused), &steps);
    assert_eq!(run.poems(), [None]);
    assert_eq!(
        steps.route().names(),
        ["keep_the_original", "poem_failed", "poem_done"]
    );
    let printed = lines.borrow();
    assert_eq!(printed.len(), 1);
    assert!(printed[0].starts_with("Task 1: failed to get poetry from"));
    // The same poem with client 5.1's order is kept.
    let (run, steps, _) = one_task(&reactor, seed_throwing(&[Fate::Gibberish]));
    let _ = succeed(poem("tyger.txt").to_vec())
        .add_callback(steps.cummingsify())
        .add_errback(steps.keep_the_original())
        .add_callbacks(steps.got_poem(), steps.poem_failed())
        .add_both(steps.poem_done());
    let kept = run.poems().remove(0).expect("kept");
    assert_eq!(kept.as_bytes(), poem("tyger.txt"));
}

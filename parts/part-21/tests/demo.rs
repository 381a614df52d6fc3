//! The guided demo and the examples, run as a reader runs them.

use testkit::{assert_in_order, run_example_ok, run_ok};

const DEMO: &str = env!("CARGO_BIN_EXE_part-21");

/// The `poem N: …` lines of one step of the demo: (lines taken, what
/// the poems after it had by then).
fn poem_lines_of(step: &str) -> Vec<String> {
    step.lines()
        .filter(|line| line.trim_start().starts_with("poem "))
        .map(str::to_string)
        .collect()
}

/// How many lines poem `later` had when the line said so.
fn had(line: &str, later: usize) -> usize {
    let key = format!("poem {later} had ");
    let at = line
        .find(&key)
        .unwrap_or_else(|| panic!("{key:?} in {line:?}"))
        + key.len();
    let digits: String = line[at..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().expect("a count")
}

#[test]
fn the_demo_shows_each_step_and_ends_by_itself() {
    let out = run_ok(DEMO, &[]);
    assert_eq!(out.stderr, "");
    assert_in_order(
        &out.stdout,
        &[
            "evens().take(5): [2, 4, 6, 8, 10]",
            "the third triple of 1.., 2,4.. and 3,6..: Some((3, 6, 9))",
            "made so far, after building the iterator: []",
            "sum of the evens below 7: 12; made: [2, 4, 6, 8]",
            "Nothing has connected or been read.",
            "Polled it twice: connected, and read \"Sonnet — To Science\"",
            "then \"Edgar Allan Poe\"",
            "The server has finished sending 0 poems so far.",
            "3. One task per poem",
            "4. Poems in order, streams chained",
            "5. Poems in order, every download started at once",
            "What to notice:",
        ],
    );
    let (_, rest) = out.stdout.split_once("4. Poems").expect("step 4");
    let (chained, ahead) = rest.split_once("5. Poems").expect("step 5");
    let (chained, ahead) = (poem_lines_of(chained), poem_lines_of(ahead));
    assert_eq!(
        (chained.len(), ahead.len()),
        (3, 3),
        "{chained:?} {ahead:?}"
    );
    // Chained: nothing of a later poem arrived before its turn.
    assert_eq!((had(&chained[0], 2), had(&chained[0], 3)), (0, 0));
    assert_eq!(had(&chained[1], 3), 0);
    // Read ahead: the fast poem 2 had arrived whole, and some of the slow
    // poem 3, by the time poem 1 was taken.
    assert_eq!(had(&ahead[0], 2), 32, "{}", ahead[0]);
    assert!(had(&ahead[0], 3) > 0, "{}", ahead[0]);
}

#[test]
fn lazy_1_takes_only_the_items_asked_for() {
    let out = run_example_ok("part-21", "lazy-1", &[]);
    assert_eq!(
        out.stdout,
        "first even:  Some(2)\nsecond even: Some(4)\nthird even:  Some(6)\n\
         three triples: [(1, 2, 3), (2, 4, 6), (3, 6, 9)]\n\
         the third triple alone: Some((3, 6, 9))\n"
    );
}

#[test]
fn lazy_2_makes_each_number_just_before_it_is_used() {
    let out = run_example_ok("part-21", "lazy-2", &[]);
    let expected = "built the iterator\n  made 2\ngot 4\n  made 4\ngot 16\n  made 6\ngot 36\n\
                    done: nothing after the third was made\n";
    assert_eq!(out.stdout, expected);
}

#[test]
fn lazy_3_reads_only_when_a_line_is_wanted() {
    let out = run_example_ok("part-21", "lazy-3", &[]);
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines[0], "built the stream: nothing read yet");
    // Every line is printed right after the read that completed it.
    assert_eq!(lines[3], "line \"Tyger Tyger, burning bright,\\n\"");
    assert!(lines[2].contains("read \"ning bright,"), "{}", out.stdout);
    assert_eq!(lines.iter().filter(|l| l.starts_with("line ")).count(), 3);
}

#[test]
fn exercise_1_primes() {
    let out = run_example_ok("part-21", "part21-ex1-primes", &[]);
    assert_in_order(
        &out.stdout,
        &[
            "the first ten primes: [2, 3, 5, 7, 11, 13, 17, 19, 23, 29]",
            "the hundredth prime: Some(541)",
            "the first prime above 1000: Some(1009)",
            "the first five twin primes: [(3, 5), (5, 7), (11, 13), (17, 19), (29, 31)]",
        ],
    );
}

#[test]
fn exercise_2_lines_by_hand_agree_with_the_library() {
    let out = run_example_ok("part-21", "part21-ex2-lines-by-hand", &[]);
    for size in [1, 7, 4096] {
        let line = format!("chunks of {size}: 32 lines, the same as lines()");
        assert!(out.stdout.contains(&line), "{}", out.stdout);
    }
    assert!(!out.stdout.contains("DIFFERENT"));
}

#[test]
fn one_step_alone_and_a_bad_step_refused() {
    let out = run_ok(DEMO, &["--step", "1"]);
    assert!(
        out.stdout.contains("1. Endless sequences"),
        "{}",
        out.stdout
    );
    assert!(
        !out.stdout.contains("Started 3 slow poetry servers"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("What to notice"), "{}", out.stdout);
    let out = run_ok(DEMO, &["--step", "2"]);
    assert!(
        out.stdout.contains("2. A stream of lines"),
        "{}",
        out.stdout
    );
    for other in ["1. Endless", "3. One task", "4. Poems", "5. Poems"] {
        assert!(!out.stdout.contains(other), "{}", out.stdout);
    }
    let out = testkit::refuses(DEMO, &["--step", "9"], "9 is not in 1..=5");
    assert_eq!(out.status.code(), Some(2));
}

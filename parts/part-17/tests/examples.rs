//! The examples of part 17, run as a reader runs them, each printing the
//! events of its original in the original's order.
//!
//! Examples have no `CARGO_BIN_EXE_*`, so they are run with `cargo run`
//! from the workspace root, which builds them first if needed.

/// Runs an example of this part, checking that it succeeded; its stdout
/// and stderr.
fn run_example(name: &str) -> (String, String) {
    let output = testkit::run_example_ok("part-17", name, &[]);
    (output.stdout, output.stderr)
}

/// The lines of `text`.
fn lines(text: &str) -> Vec<&str> {
    text.lines().collect()
}

/// `gen-1.py` and `gen-2.py`: the generator's prints come between the
/// loop's, one step at a time, and "done" only when the loop asks for a
/// fourth value.
const GEN_1_AND_2: [&str; 7] = [
    "starting up",
    "1",
    "working",
    "2",
    "still working",
    "3",
    "done",
];

#[test]
fn gen_1_a_hand_written_state_machine_interleaves_with_its_loop() {
    let (stdout, stderr) = run_example("gen-1");
    assert_eq!(lines(&stdout), GEN_1_AND_2);
    assert_eq!(stderr, "");
}

#[test]
fn gen_2_a_stream_driven_by_hand_does_the_same() {
    let (stdout, stderr) = run_example("gen-2");
    assert_eq!(lines(&stdout), GEN_1_AND_2);
    assert_eq!(stderr, "");
}

#[test]
fn gen_3_two_generators_take_turns_until_both_are_done() {
    let (stdout, _) = run_example("gen-3");
    assert_eq!(lines(&stdout), ["1", "10", "2", "20", "3", "30", "40"]);
}

#[test]
fn gen_4_values_are_sent_in_and_an_error_is_thrown_in_and_handled() {
    let (stdout, _) = run_example("gen-4");
    assert_eq!(
        lines(&stdout),
        [
            "starting up",
            "1",
            "got: 10",
            "2",
            "got: 20",
            "3",
            "malfunction!",
            "4",
            "done"
        ]
    );
}

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

#[test]
fn inline_callbacks_1_runs_its_four_callbacks_in_order_across_the_waits() {
    let (stdout, stderr) = run_example("inline-callbacks-1");
    let lines = lines(&stdout);
    assert_eq!(lines.len(), 4, "{stdout}");
    assert_eq!(lines[0], "first callback");
    assert_eq!(
        lines[1], "second callback got 1",
        "a ready value comes back"
    );
    assert_eq!(lines[2], "third callback got 2", "the deferred's result");
    assert!(
        lines[3].starts_with("fourth callback got [Failure Message: 3 (raised at "),
        "the deferred's failure, caught: {}",
        lines[3]
    );
    assert_eq!(stderr, "");
}

#[test]
fn inline_callbacks_2_two_blocks_interleave_and_their_deferreds_get_a_value_and_a_failure() {
    let (stdout, stderr) = run_example("inline-callbacks-2");
    let lines = lines(&stdout);
    assert_eq!(
        lines[..7],
        [
            "my_callbacks_1 first callback",
            "my_callbacks_err first callback",
            "my_callbacks_1 second callback",
            "my_callbacks_err second callback",
            "my_callbacks_1 third callback",
            "got result: 1",
            "my_callbacks_err third callback",
        ]
    );
    assert!(lines[7].starts_with("got error: [Failure Message: uh oh"));
    assert_eq!(lines[8..], ["all done"]);
    assert_eq!(stderr, "");
}

#[test]
fn inline_callbacks_tb_the_code_after_an_await_is_called_by_the_reactor() {
    let (stdout, _) = run_example("inline-callbacks-tb");
    let functions: Vec<&str> = stdout
        .lines()
        .skip(1)
        .filter_map(|line| line.split_whitespace().next())
        .collect();
    let at = |name: &str| {
        functions
            .iter()
            .position(|f| *f == name)
            .unwrap_or_else(|| panic!("no {name} in {stdout}"))
    };
    assert_eq!(functions.first(), Some(&"main"));
    // main, then the reactor's loop, then the runtime's drain, then the task.
    assert!(at("run_loop") < at("drain"));
    assert!(at("drain") < at("run_task"));
    assert!(at("run_task") < at("Spawned::poll_job"));
    assert!(
        stdout
            .lines()
            .last()
            .unwrap()
            .contains("examples/inline-callbacks-tb.rs"),
        "the block itself comes last: {stdout}"
    );
}

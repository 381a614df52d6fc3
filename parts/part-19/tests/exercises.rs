//! The exercises' solutions, run, with what they print and its order.

use testkit::{assert_in_order, run_example_ok};

#[test]
fn a_canceller_can_answer_with_a_poem_of_its_own() {
    let out = run_example_ok("part-19", "part19-ex1-default", &[]).stdout;
    assert_in_order(
        &out,
        &[
            "Cancelled: sending a short poem instead",
            "I got a poem: So much depends upon a red wheel barrow",
        ],
    );
    assert!(!out.contains("Sending poem"), "{out}");
    assert!(!out.contains("failed"), "{out}");
}

#[test]
fn the_first_answer_wins_and_the_other_questions_are_withdrawn() {
    let out = run_example_ok("part-19", "part19-ex2-first-wins", &[]).stdout;
    assert_in_order(
        &out,
        &[
            "replica B answers after 1 s",
            "The list fires with replica B (member 1)",
            "replica A: question withdrawn",
            "replica C: question withdrawn",
            "Done",
        ],
    );
    assert_eq!(out.matches("answers after").count(), 1, "{out}");
}

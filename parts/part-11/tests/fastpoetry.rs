//! `fastpoetry` and `fastpoetry-tokio` on the wire, checked with plain
//! `std::net` clients: the whole poem and then a close; many clients at
//! once; clients that hang up at once without disturbing the others; and
//! their answers to bad input. (The checks are `testkit::fast_servers`,
//! which part 17's `fastpoetry-async` passes too.)

use testkit::fast_servers;

const FAST: &str = env!("CARGO_BIN_EXE_fastpoetry");
const TOKIO: &str = env!("CARGO_BIN_EXE_fastpoetry-tokio");
const BOTH: [&str; 2] = [FAST, TOKIO];

#[test]
fn sends_the_whole_poem_then_closes() {
    BOTH.into_iter()
        .for_each(fast_servers::sends_the_whole_poem_then_closes);
}

#[test]
fn non_ascii_poems_arrive_byte_for_byte() {
    BOTH.into_iter()
        .for_each(fast_servers::non_ascii_poems_arrive_byte_for_byte);
}

#[test]
fn serves_many_clients_at_once() {
    BOTH.into_iter()
        .for_each(fast_servers::serves_many_clients_at_once);
}

#[test]
fn clients_that_hang_up_at_once_do_not_disturb_the_others() {
    BOTH.into_iter()
        .for_each(fast_servers::clients_that_hang_up_at_once_do_not_disturb_the_others);
}

#[test]
fn a_client_that_sends_things_still_gets_its_poem() {
    BOTH.into_iter()
        .for_each(fast_servers::a_client_that_sends_things_still_gets_its_poem);
}

#[test]
fn help_lists_the_series_options_and_defaults() {
    BOTH.into_iter().for_each(fast_servers::fast_server_helps);
}

#[test]
fn bad_input_is_one_clear_error() {
    BOTH.into_iter()
        .for_each(fast_servers::fast_server_refuses_bad_input);
}

//! `fastpoetry-async` on the wire, with the checks part 11's `fastpoetry`
//! and `fastpoetry-tokio` pass (`testkit::fast_servers`): the whole poem
//! and then a close, with the same lines; many clients at once; clients
//! that hang up at once; a client that sends something; and its answers
//! to bad input.

use testkit::fast_servers;

const SERVER: &str = env!("CARGO_BIN_EXE_fastpoetry-async");

#[test]
fn sends_the_whole_poem_then_closes_and_says_so() {
    fast_servers::sends_the_whole_poem_then_closes(SERVER);
}

#[test]
fn non_ascii_poems_arrive_byte_for_byte() {
    fast_servers::non_ascii_poems_arrive_byte_for_byte(SERVER);
}

#[test]
fn serves_many_clients_at_once() {
    fast_servers::serves_many_clients_at_once(SERVER);
}

#[test]
fn clients_that_hang_up_at_once_do_not_disturb_the_others() {
    fast_servers::clients_that_hang_up_at_once_do_not_disturb_the_others(SERVER);
}

#[test]
fn a_client_that_sends_things_still_gets_its_poem() {
    fast_servers::a_client_that_sends_things_still_gets_its_poem(SERVER);
}

#[test]
fn help_lists_the_series_options_and_defaults() {
    fast_servers::fast_server_helps(SERVER);
}

#[test]
fn bad_input_is_one_clear_error() {
    fast_servers::fast_server_refuses_bad_input(SERVER);
}

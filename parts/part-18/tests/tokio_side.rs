//! The futures-world counterparts of the list's options, against servers
//! that answer after known delays.

use std::time::Duration;

use part_06::tokio_poetry::block_on;
use part_18::tokio_side::{
    all_or_first_error, all_outcomes, as_they_come, as_they_come_spawned, first_poem,
};
use testkit::{breaking_server, one_shot_server};

/// A server whose one connection breaks: a download from it fails. (A
/// port where nothing listens could be taken by another test's server.)
fn failing() -> std::net::SocketAddr {
    breaking_server(0).0
}

const SLOW: Duration = Duration::from_millis(300);

#[test]
fn join_all_keeps_the_given_order() {
    let addrs = [
        one_shot_server(b"slow", SLOW),
        one_shot_server(b"fast", Duration::ZERO),
    ];
    let got = block_on(all_outcomes(&addrs)).expect("runtime");
    let got: Vec<Vec<u8>> = got.into_iter().map(|r| r.expect("a poem")).collect();
    assert_eq!(got, [b"slow".to_vec(), b"fast".to_vec()]);
}

#[test]
fn unordered_and_join_set_give_the_order_of_finishing() {
    for spawned in [false, true] {
        let addrs = [
            one_shot_server(b"slow", SLOW),
            one_shot_server(b"fast", Duration::ZERO),
        ];
        let got = if spawned {
            block_on(as_they_come_spawned(&addrs))
        } else {
            block_on(as_they_come(&addrs))
        }
        .expect("runtime");
        let order: Vec<usize> = got.iter().map(|(index, _)| *index).collect();
        assert_eq!(order, [1, 0], "spawned: {spawned}");
    }
}

#[test]
fn try_join_all_fails_with_the_first_error() {
    let addrs = [one_shot_server(b"slow", SLOW), failing()];
    let got = block_on(all_or_first_error(&addrs)).expect("runtime");
    assert!(got.is_err());
    let addrs = [
        one_shot_server(b"a", Duration::ZERO),
        one_shot_server(b"b", Duration::ZERO),
    ];
    let got = block_on(all_or_first_error(&addrs)).expect("runtime");
    assert_eq!(got.expect("both"), [b"a".to_vec(), b"b".to_vec()]);
}

#[test]
fn select_ok_gives_the_first_success_and_its_index() {
    let addrs = [
        failing(),
        one_shot_server(b"slow", SLOW),
        one_shot_server(b"fast", Duration::ZERO),
    ];
    let got = block_on(first_poem(&addrs)).expect("runtime");
    assert_eq!(got.expect("a poem"), (b"fast".to_vec(), 2));
    let got = block_on(first_poem(&[failing(), failing()])).expect("runtime");
    assert!(got.is_err());
}

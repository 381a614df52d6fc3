//! Client 7.0, on our runtime and on tokio, checked as client 6.0 is
//! (`testkit::transform_clients`): it transforms every poem from slow
//! servers; it keeps the originals when the transform fails or its server
//! is down; it reports a poetry server that is down; it refuses bad input
//! with one clear line.

use part_12::ServerOptions;
use part_12::background::{ServerKind, spawn};
use testkit::transform_clients;

const CLIENTS: [&str; 2] = [
    env!("CARGO_BIN_EXE_client-7"),
    env!("CARGO_BIN_EXE_client-7-tokio"),
];

#[test]
fn client_7_transforms_every_poem_from_slow_servers() {
    let (server, _events) = spawn(ServerKind::Reactor, ServerOptions::default()).unwrap();
    for client in CLIENTS {
        transform_clients::transforms_every_poem(client, server.addr().port());
    }
}

#[test]
fn client_7_keeps_the_originals_when_the_transform_fails_or_its_server_is_down() {
    let (server, _events) = spawn(ServerKind::Tokio, ServerOptions::default()).unwrap();
    for client in CLIENTS {
        transform_clients::keeps_the_originals_when_the_transform_fails_or_its_server_is_down(
            client,
            server.addr().port(),
        );
    }
}

#[test]
fn client_7_reports_a_poetry_server_that_is_down_and_needs_two_addresses() {
    let (server, _events) = spawn(ServerKind::Reactor, ServerOptions::default()).unwrap();
    for client in CLIENTS {
        transform_clients::reports_a_poetry_server_that_is_down_and_needs_two_addresses(
            client,
            server.addr().port(),
        );
    }
}

#[test]
fn client_7_helps_and_refuses_bad_addresses() {
    for client in CLIENTS {
        testkit::helps(
            client,
            &["--transform", "[default: cummingsify]", "<ADDRESS>"],
        );
        // A transformation server and a bad poetry server's address.
        for (bad, message) in [("70000", "bad port"), (":10000", "bad host")] {
            let out = testkit::refuses(client, &["10000", bad], message);
            assert_eq!(out.status.code(), Some(2), "{client} {bad}");
            assert_eq!(out.stdout, "");
        }
    }
}

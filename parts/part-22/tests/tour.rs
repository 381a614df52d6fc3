//! The tour's table comes from running the programs: every client on the
//! list is run against fast servers, appears in the table, and got every
//! poem; and the check that says so fails on a client that did not.

use std::sync::OnceLock;

use part_02::ServerOptions;
use part_22::{CLIENTS, Programs, Proof, Servers, packages, run_all, run_client, table};
use testkit::pacing;

/// The clients' programs, built once for every test of this file.
fn programs() -> &'static Programs {
    static PROGRAMS: OnceLock<Programs> = OnceLock::new();
    PROGRAMS.get_or_init(|| Programs::build(&packages(CLIENTS)).expect("cargo builds the clients"))
}

/// Servers that send a whole short poem in a few quick chunks.
fn fast() -> ServerOptions {
    pacing(300, 5)
}

#[test]
fn every_client_appears_in_the_table_and_got_every_poem() {
    let servers = Servers::start(fast()).expect("the servers start");
    let mut started = Vec::new();
    let rows = run_all(CLIENTS, programs(), &servers, |index, client, row| {
        if row.is_none() {
            started.push((index, client.name));
        }
    });
    let names: Vec<&str> = rows.iter().map(|row| row.client.name).collect();
    let listed: Vec<&str> = CLIENTS.iter().map(|client| client.name).collect();
    assert_eq!(names, listed);
    assert_eq!(
        started.len(),
        CLIENTS.len(),
        "progress is shown for each client"
    );
    for row in &rows {
        assert_eq!(row.verdict, Ok(()), "{}", row.client.name);
        assert!(row.lines > 0, "{} has lines of code", row.client.name);
    }
    let text = table::render(&rows);
    for client in CLIENTS {
        assert!(
            text.lines()
                .any(|line| line.starts_with(&format!("{} ", client.name))),
            "{} has a row:\n{text}",
            client.name
        );
    }
    assert!(!text.contains("FAILED"), "{text}");
}

#[test]
fn a_client_that_does_not_print_its_poems_fails_a_proof_by_text() {
    let servers = Servers::start(fast()).expect("the servers start");
    let client_4 = CLIENTS
        .iter()
        .find(|client| client.name == "client-4")
        .expect("client 4.0 is on the list");
    // Client 4.0 prints sizes only: by its sizes it got every poem...
    assert_eq!(run_client(client_4, programs(), &servers).verdict, Ok(()));
    // ...but it never prints a poem's text, and the check notices.
    let mut shows_text = *client_4;
    shows_text.proof = Proof::Text;
    let row = run_client(&shows_text, programs(), &servers);
    let why = row.verdict.clone().expect_err("client 4.0 prints no poem");
    assert!(why.contains("not printed"), "{why}");
    assert!(table::row(&row, 16).contains("FAILED"));
}

#[test]
fn a_client_whose_program_was_not_built_fails() {
    let servers = Servers::start(fast()).expect("the servers start");
    let mut missing = CLIENTS[0];
    missing.name = "no-such-client";
    let row = run_client(&missing, programs(), &servers);
    assert_eq!(row.verdict, Err("its program was not built".to_string()));
}

#[test]
fn the_demo_ends_by_itself_with_a_row_for_every_client() {
    let out = testkit::run_ok(
        env!("CARGO_BIN_EXE_part-22"),
        &["--num-bytes", "1000", "--delay-ms", "1"],
    );
    for client in CLIENTS {
        let row = out
            .stdout
            .lines()
            .find(|line| line.starts_with(&format!("{} ", client.name)))
            .unwrap_or_else(|| panic!("no row for {}:\n{}", client.name, out.stdout));
        assert!(row.contains(client.runs_on.label()), "{row}");
        assert!(!row.contains("FAILED"), "{row}");
    }
}

#[test]
fn bad_options_are_refused_with_one_line() {
    let out = testkit::run(env!("CARGO_BIN_EXE_part-22"), &["--delay-ms", "0"]);
    assert!(!out.status.success());
    assert!(out.stderr.starts_with("error:"), "{}", out.stderr);
    assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
}

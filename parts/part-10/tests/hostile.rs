//! The clients 5.x against servers that stay silent (accept and never
//! send, or never answer a connection): they give up on them as on a
//! refused port.

use part_10::{Fate, fates};

#[test]
fn every_client_gives_up_on_silent_servers() {
    // A seed whose dice transform the one poem that arrives, so that the
    // only failures are the silent servers'.
    let seed = (0..100_000)
        .find(|&seed| fates(seed, 3)[0] == Fate::Lowercase)
        .expect("a seed")
        .to_string();
    for program in [
        env!("CARGO_BIN_EXE_client-5"),
        env!("CARGO_BIN_EXE_client-5-1"),
        env!("CARGO_BIN_EXE_client-5-tokio"),
    ] {
        testkit::gives_up_on_silent_servers(program, &["--seed", &seed]);
    }
}

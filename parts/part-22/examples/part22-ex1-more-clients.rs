//! Exercise 1 of part 22: two more clients on the tour. Client 3.1
//! (`client-3-errback`, part 6) and client 5.1 (`client-5-1`, part 10) are
//! variants the main list leaves out; each joins a tour with one entry,
//! and this one runs just them, with the same servers and the same table.
//!
//! ```text
//! cargo run -p part-22 --example part22-ex1-more-clients
//! ```

use std::process::ExitCode;
use std::time::Duration;

use part_02::ServerOptions;
use part_22::{Client, Programs, Servers, client, packages, run_all, table};

// ANCHOR: more
/// The two variants, one entry each, in the form of the main list.
#[rustfmt::skip]
const MORE: &[Client] = &[
    client!("client-3-errback", "part-06", OurReactor, [Reactor, Callbacks], Poems, Sizes, ["part-06/src/bin/client-3-errback.rs", "part-06/src/protocol.rs", "part-06/src/errback.rs"]),
    client!("client-5-1", "part-10", OurReactor, [Reactor, Callbacks, Deferred], Cummingsified, Text, ["part-10/src/bin/client-5-1.rs", "part-10/src/client_5_1.rs", "part-10/src/cummingsify.rs"]),
];
// ANCHOR_END: more

fn main() -> ExitCode {
    let tour = || -> Result<bool, String> {
        let programs = Programs::build(&packages(MORE))?;
        let options = ServerOptions {
            num_bytes: 200,
            delay: Duration::from_millis(20),
        };
        let servers = Servers::start(options).map_err(|e| e.to_string())?;
        let rows = run_all(MORE, &programs, &servers, |_, client, row| {
            if row.is_none() {
                println!("running {}", client.name);
            }
        });
        print!("{}", table::render(&rows));
        Ok(rows.iter().all(|row| row.verdict.is_ok()))
    };
    match tour() {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::FAILURE,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

//! The transformation servers against hostile conditions: an output nobody
//! reads (closed, or full) must not stop them serving.

mod common;

use common::ask;
use testkit::serves_when_nobody_reads;

const SERVERS: [&str; 2] = [
    env!("CARGO_BIN_EXE_transformedpoetry"),
    env!("CARGO_BIN_EXE_transformedpoetry-tokio"),
];

#[test]
fn both_servers_serve_with_their_output_closed_or_unread() {
    let transform = |port: u16| ask(([127, 0, 0, 1], port).into(), b"20:cummingsify.HI THERE,");
    for program in SERVERS {
        serves_when_nobody_reads(program, &[], 2000, transform, b"8:hi there,");
    }
}

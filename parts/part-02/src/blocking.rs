//! The blocking client's one operation: download a poem, waiting as long as
//! it takes.

use std::io::Read;
use std::net::SocketAddr;

use crate::FetchError;
use crate::cli::Timeouts;

// ANCHOR: get_poetry
/// Downloads the poem served at `addr`: connects, reads until the server
/// closes the connection, and returns every byte. `on_chunk` hears the size of
/// each piece as it arrives.
///
/// Every call here blocks. `connect` waits for the connection, and each
/// `read` waits until the server sends something or closes. While it waits,
/// this thread can do nothing else: not even notice that another server has
/// bytes ready for it.
pub fn get_poetry(
    addr: SocketAddr,
    timeouts: &Timeouts,
    mut on_chunk: impl FnMut(usize),
) -> Result<Vec<u8>, FetchError> {
    // `TcpStream::connect`, with a limit on the connect and on each read.
    let mut socket = timeouts.connect(addr).map_err(FetchError::Connect)?;
    let mut poem = Vec::new();
    let mut buffer = [0; 1024];
    loop {
        match socket.read(&mut buffer) {
            Ok(0) => return Ok(poem), // the server closed: the poem is complete
            Ok(n) => {
                poem.extend_from_slice(&buffer[..n]);
                on_chunk(n);
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(source) => {
                return Err(FetchError::Lost {
                    received: poem.len(),
                    source,
                });
            }
        }
    }
}
// ANCHOR_END: get_poetry

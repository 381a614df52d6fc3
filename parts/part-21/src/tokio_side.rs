//! The same streams on tokio: a poem's lines through `tokio_util`'s
//! `FramedRead`, and a read-ahead task that is a tokio local task. The
//! printing of both clients ([`print_as_it_comes`](crate::haskell::print_as_it_comes),
//! [`print_in_order`](crate::haskell::print_in_order)) takes any stream of
//! lines, so the tokio twins reuse it unchanged.
//!
//! `FramedRead` is tokio's ready-made version of our `lines`: a reader, a
//! buffer, and a [`Decoder`] that cuts frames out of the buffer, polled
//! only when somebody asks for the next frame. Tokio's own `LinesCodec`
//! would give `String`s without their newlines; [`LineCodec`] keeps each
//! line's bytes as they came, as our stream does.

use std::io;
use std::net::SocketAddr;

use bytes::BytesMut;
use futures::{Stream, StreamExt, TryStreamExt};
use part_02::FetchError;
use part_02::cli::Timeouts;
use tokio_util::codec::{Decoder, FramedRead};

use crate::haskell::pump;
use crate::lines::{MAX_LINE, line_end};

/// Lines, each with its `\n`, of at most [`MAX_LINE`] bytes.
#[derive(Debug, Default)]
pub struct LineCodec;

impl Decoder for LineCodec {
    type Item = Vec<u8>;
    type Error = io::Error;

    fn decode(&mut self, buffer: &mut BytesMut) -> io::Result<Option<Vec<u8>>> {
        let end = line_end(buffer, MAX_LINE)?;
        Ok(end.map(|end| buffer.split_to(end).to_vec()))
    }

    fn decode_eof(&mut self, buffer: &mut BytesMut) -> io::Result<Option<Vec<u8>>> {
        match self.decode(buffer)? {
            Some(line) => Ok(Some(line)),
            None if buffer.is_empty() => Ok(None),
            None => Ok(Some(buffer.split().to_vec())),
        }
    }
}

// ANCHOR: poem_lines
/// The poem at `addr` as a stream of lines, on tokio: part 5's patient
/// connection, framed into lines. As on our runtime, nothing happens
/// until the first poll, which connects.
pub fn poem_lines_tokio(
    addr: SocketAddr,
    timeouts: Timeouts,
) -> impl Stream<Item = Result<Vec<u8>, FetchError>> + 'static {
    let connected = async move { part_05::tokio_client::connect(addr, timeouts).await };
    futures::stream::once(connected)
        .map_err(FetchError::Connect)
        .map_ok(|socket| {
            let mut received = 0;
            FramedRead::new(socket, LineCodec).map(move |line| match line {
                Ok(line) => {
                    received += line.len();
                    Ok(line)
                }
                Err(error) => Err(FetchError::on_socket(received, error)),
            })
        })
        .try_flatten()
}
// ANCHOR_END: poem_lines

// ANCHOR: read_ahead
/// [`read_ahead`](crate::haskell::read_ahead) on tokio: the stream is
/// polled from now on by a local task (call it inside a `LocalSet`).
pub fn read_ahead_tokio<S>(stream: S) -> impl Stream<Item = S::Item> + 'static
where
    S: Stream + 'static,
{
    let (pumping, lines) = pump(stream);
    tokio::task::spawn_local(pumping);
    lines
}
// ANCHOR_END: read_ahead

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_codec_cuts_lines_as_the_splitter_does() {
        let mut codec = LineCodec;
        let mut buffer = BytesMut::from(&b"one\ntw"[..]);
        assert_eq!(
            codec.decode(&mut buffer).expect("ok"),
            Some(b"one\n".to_vec())
        );
        assert_eq!(codec.decode(&mut buffer).expect("ok"), None);
        assert_eq!(
            codec.decode_eof(&mut buffer).expect("ok"),
            Some(b"tw".to_vec())
        );
        assert_eq!(codec.decode_eof(&mut buffer).expect("ok"), None);
        let mut long = BytesMut::from(&vec![b'x'; MAX_LINE + 1][..]);
        assert!(codec.decode(&mut long).is_err());
    }
}

//! A [`Stream`] of lines over anything that can be read asynchronously:
//! Haskell's `lines <$> hGetContents h`, with the laziness spelled out.
//!
//! `hGetContents` returns the whole contents of a socket as one string at
//! once, and the string is filled in behind the program's back as the
//! program looks at it. Here the same idea has a type: a `Stream` whose
//! every item is one line, read from the socket only when somebody polls
//! for it. Creating the stream reads nothing. Polling it reads until one
//! more line is complete (or the peer closes), and no further: the bytes
//! after that line wait in the [`LineSplitter`], the rest in the kernel.
//!
//! Lines are bytes, each with its `\n` (the last one may have none), so a
//! poem comes out byte for byte, whatever its encoding, and a line's
//! length is what the series' Haskell client counts.

use std::io;

use async_stream::try_stream;
use futures::io::{AsyncRead, AsyncReadExt};
use futures::{Stream, stream};

/// The longest line a stream accepts, in bytes: without a limit, a peer
/// that never sends a newline would grow the buffer for ever.
pub const MAX_LINE: usize = 64 * 1024;

/// How much a stream asks the socket for at a time.
pub const READ_SIZE: usize = 4096;

/// A line grew past its limit without a newline.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("a line longer than {0} bytes")]
pub struct LineTooLong(pub usize);

impl From<LineTooLong> for io::Error {
    fn from(error: LineTooLong) -> io::Error {
        io::Error::new(io::ErrorKind::InvalidData, error)
    }
}

// ANCHOR: splitter
/// Cuts bytes into lines as they arrive: no I/O, just a buffer. Chunks
/// of a poem end anywhere, in the middle of a line or of a character;
/// this keeps the unfinished tail until its newline comes.
#[derive(Debug)]
pub struct LineSplitter {
    buffer: Vec<u8>,
    max: usize,
}

impl LineSplitter {
    /// A splitter for lines of at most `max` bytes.
    pub fn new(max: usize) -> LineSplitter {
        LineSplitter {
            buffer: Vec::new(),
            max,
        }
    }

    /// Adds bytes that arrived.
    pub fn push(&mut self, bytes: &[u8]) {
        self.buffer.extend_from_slice(bytes);
    }

    /// The next complete line, with its `\n`, if one has arrived.
    pub fn next_line(&mut self) -> Result<Option<Vec<u8>>, LineTooLong> {
        let end = line_end(&self.buffer, self.max)?;
        Ok(end.map(|end| self.buffer.drain(..end).collect()))
    }

    /// At the end of the stream: the last line, if it had no `\n`.
    pub fn finish(&mut self) -> Option<Vec<u8>> {
        Some(std::mem::take(&mut self.buffer)).filter(|rest| !rest.is_empty())
    }
}
// ANCHOR_END: splitter

/// Where the first line of `buffer` ends (just after its `\n`), if it is
/// complete; an error if it is, or would have to be, longer than `max`.
pub fn line_end(buffer: &[u8], max: usize) -> Result<Option<usize>, LineTooLong> {
    match buffer.iter().position(|&b| b == b'\n') {
        Some(end) if end < max => Ok(Some(end + 1)),
        None if buffer.len() <= max => Ok(None),
        _ => Err(LineTooLong(max)),
    }
}

// ANCHOR: lines
/// The lines of `reader`, each read only when the stream is polled for
/// it. Nothing at all happens until the first poll.
pub fn lines<R>(mut reader: R) -> impl Stream<Item = io::Result<Vec<u8>>>
where
    R: AsyncRead + Unpin,
{
    try_stream! {
        let mut splitter = LineSplitter::new(MAX_LINE);
        let mut buffer = vec![0; READ_SIZE];
        loop {
            // Hand out every line we have before reading any more.
            while let Some(line) = splitter.next_line()? {
                yield line;
            }
            let n = reader.read(&mut buffer).await?;
            if n == 0 {
                break; // the peer closed: the end of the poem
            }
            splitter.push(&buffer[..n]);
        }
        if let Some(last) = splitter.finish() {
            yield last;
        }
    }
}
// ANCHOR_END: lines

// ANCHOR: unfold
/// The same stream without a macro: `try_unfold` calls the closure for
/// each item, handing it the state the previous call returned (the
/// reader and the splitter), and ends the stream at the first error.
pub fn lines_unfold<R>(reader: R) -> impl Stream<Item = io::Result<Vec<u8>>>
where
    R: AsyncRead + Unpin,
{
    let state = (reader, LineSplitter::new(MAX_LINE));
    stream::try_unfold(state, |(mut reader, mut splitter)| async move {
        let mut buffer = vec![0; READ_SIZE];
        loop {
            if let Some(line) = splitter.next_line()? {
                return Ok(Some((line, (reader, splitter))));
            }
            let n = reader.read(&mut buffer).await?;
            if n == 0 {
                let last = splitter.finish();
                return Ok(last.map(|line| (line, (reader, splitter))));
            }
            splitter.push(&buffer[..n]);
        }
    })
}
// ANCHOR_END: unfold

#[cfg(test)]
mod tests {
    use super::*;
    use futures::executor::block_on;
    use futures::{StreamExt, TryStreamExt};

    /// Reads `chunks` one `read` at a time, as a socket would deliver them.
    struct Chunks(Vec<&'static [u8]>);

    impl AsyncRead for Chunks {
        fn poll_read(
            mut self: std::pin::Pin<&mut Self>,
            _: &mut std::task::Context<'_>,
            buf: &mut [u8],
        ) -> std::task::Poll<io::Result<usize>> {
            if self.0.is_empty() {
                return std::task::Poll::Ready(Ok(0));
            }
            let chunk = self.0.remove(0);
            let n = chunk.len().min(buf.len());
            buf[..n].copy_from_slice(&chunk[..n]);
            if n < chunk.len() {
                self.0.insert(0, &chunk[n..]);
            }
            std::task::Poll::Ready(Ok(n))
        }
    }

    fn both(chunks: Vec<&'static [u8]>) -> [io::Result<Vec<Vec<u8>>>; 2] {
        [
            block_on(lines(Chunks(chunks.clone())).try_collect()),
            block_on(lines_unfold(Chunks(chunks)).try_collect()),
        ]
    }

    #[test]
    fn lines_are_cut_wherever_the_chunks_end() {
        let chunks: Vec<&'static [u8]> =
            vec![b"Tyger Ty", b"ger, burning\nbri", b"ght\n\nIn", b" the"];
        for got in both(chunks) {
            let expected: Vec<&[u8]> =
                vec![b"Tyger Tyger, burning\n", b"bright\n", b"\n", b"In the"];
            assert_eq!(got.expect("no error"), expected);
        }
    }

    #[test]
    fn an_empty_reader_has_no_lines() {
        for got in both(vec![]) {
            assert!(got.expect("no error").is_empty());
        }
    }

    #[test]
    fn an_endless_line_is_an_error_not_a_growing_buffer() {
        let mut splitter = LineSplitter::new(8);
        splitter.push(b"12345678");
        assert_eq!(splitter.next_line(), Ok(None));
        splitter.push(b"9");
        assert_eq!(splitter.next_line(), Err(LineTooLong(8)));
        let long: &'static [u8] = Box::leak(vec![b'x'; MAX_LINE + 10].into_boxed_slice());
        for got in both(vec![long]) {
            let error = got.expect_err("too long");
            assert_eq!(error.kind(), io::ErrorKind::InvalidData);
        }
    }

    #[test]
    fn a_stream_reads_nothing_until_polled_and_no_more_than_a_line_ahead() {
        let reads = std::rc::Rc::new(std::cell::Cell::new(0));
        struct Counting(std::rc::Rc<std::cell::Cell<usize>>, Chunks);
        impl AsyncRead for Counting {
            fn poll_read(
                mut self: std::pin::Pin<&mut Self>,
                cx: &mut std::task::Context<'_>,
                buf: &mut [u8],
            ) -> std::task::Poll<io::Result<usize>> {
                self.0.set(self.0.get() + 1);
                std::pin::Pin::new(&mut self.1).poll_read(cx, buf)
            }
        }
        let chunks = Chunks(vec![b"one\n", b"two\n", b"three\n"]);
        let stream = lines(Counting(reads.clone(), chunks));
        assert_eq!(reads.get(), 0, "creating the stream read nothing");
        let mut stream = std::pin::pin!(stream);
        let first = block_on(stream.next()).expect("a line").expect("no error");
        assert_eq!(first, b"one\n");
        assert_eq!(reads.get(), 1, "one line needed one read");
    }
}

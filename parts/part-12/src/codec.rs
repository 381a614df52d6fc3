//! Netstrings as a `tokio_util` codec, for the tokio server.
//!
//! A [`tokio_util::codec::Decoder`] is asked, each time bytes arrive, to
//! cut one message off the front of a `BytesMut` buffer, or to say "not
//! yet". That is exactly the question [`netstring::parse`] answers, so the
//! codec is a thin wrapper around it: the same parsing core, the same
//! errors, as our reactor protocol's [`netstring::Decoder`]. Wrapped in a
//! [`Framed`](tokio_util::codec::Framed), a socket becomes a stream of
//! payloads and a sink for replies.

use bytes::{Buf, Bytes, BytesMut};
use tokio_util::codec;

use crate::netstring::{self, NetstringError, Parsed};

/// Why a framed stream of netstrings ended badly.
#[derive(Debug, thiserror::Error)]
pub enum CodecError {
    /// The bytes are not a netstring.
    #[error(transparent)]
    Netstring(#[from] NetstringError),
    /// The socket failed, or closed in the middle of a message.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

/// Netstrings with payloads of at most `max` bytes, both ways.
#[derive(Clone, Copy, Debug)]
pub struct NetstringCodec {
    max: usize,
}

impl NetstringCodec {
    /// A codec accepting payloads of up to `max` bytes.
    pub fn new(max: usize) -> NetstringCodec {
        NetstringCodec { max }
    }
}

// ANCHOR: decode
impl codec::Decoder for NetstringCodec {
    type Item = Bytes;
    type Error = CodecError;

    fn decode(&mut self, src: &mut BytesMut) -> Result<Option<Bytes>, CodecError> {
        match netstring::parse(src, self.max)? {
            Parsed::Incomplete => Ok(None),
            Parsed::Message { payload, consumed } => {
                // Cut the whole netstring off the buffer, then keep only
                // its payload: no copy, just moved ends.
                let mut message = src.split_to(consumed);
                message.truncate(payload.end);
                message.advance(payload.start);
                Ok(Some(message.freeze()))
            }
        }
    }
}
// ANCHOR_END: decode

// ANCHOR: encode
impl codec::Encoder<&[u8]> for NetstringCodec {
    type Error = CodecError;

    fn encode(&mut self, payload: &[u8], dst: &mut BytesMut) -> Result<(), CodecError> {
        dst.extend_from_slice(&netstring::encode(payload));
        Ok(())
    }
}
// ANCHOR_END: encode

#[cfg(test)]
mod tests {
    use super::*;
    use tokio_util::codec::{Decoder, Encoder};

    #[test]
    fn the_codec_cuts_messages_as_the_decoder_does() {
        let mut codec = NetstringCodec::new(100);
        let mut buffer = BytesMut::from(&b"3:ab"[..]);
        assert_eq!(codec.decode(&mut buffer).unwrap(), None);
        buffer.extend_from_slice(b"c,0:,5:");
        assert_eq!(codec.decode(&mut buffer).unwrap().unwrap(), &b"abc"[..]);
        assert_eq!(codec.decode(&mut buffer).unwrap().unwrap(), &b""[..]);
        assert_eq!(codec.decode(&mut buffer).unwrap(), None);
        assert_eq!(buffer, &b"5:"[..]);
        buffer.extend_from_slice(b"hello;");
        assert!(matches!(
            codec.decode(&mut buffer),
            Err(CodecError::Netstring(NetstringError::MissingComma { .. }))
        ));
    }

    #[test]
    fn the_codec_refuses_what_is_too_long() {
        let mut codec = NetstringCodec::new(10);
        let mut buffer = BytesMut::from(&b"999999"[..]);
        assert!(matches!(
            codec.decode(&mut buffer),
            Err(CodecError::Netstring(NetstringError::TooLong { .. }))
        ));
    }

    #[test]
    fn the_codec_encodes_the_series_example() {
        let mut buffer = BytesMut::new();
        NetstringCodec::new(100)
            .encode(b"cummingsify.HERE IS MY POEM", &mut buffer)
            .unwrap();
        assert_eq!(buffer, &b"27:cummingsify.HERE IS MY POEM,"[..]);
    }
}

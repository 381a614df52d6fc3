//! The transformation protocol's requests, and the transforms themselves.
//!
//! A request is one netstring whose payload is the transform's name, a dot,
//! and the poem: `cummingsify.HERE IS MY POEM`. The name ends at the first
//! dot, so a poem may hold as many dots as it likes; a name may not. The
//! reply is one netstring holding the transformed poem, and nothing at all
//! if the transform is unknown or fails.
//!
//! ## Why the transforms are written here
//!
//! Part 10's `cummingsify` is unreliable on purpose: it throws a die, and
//! may fail in two ways, so that client 5.0's chain has failures to handle.
//! A server should be predictable, and tests of a server must be, so this
//! part's server offers a deterministic `cummingsify` (lowercasing, and
//! nothing else), defined below. Failures still happen in this part, but
//! elsewhere: on the wire (an unknown name, a server that is down, a
//! request that is not one). A [`Transforms`] table can be given other
//! transforms, including ones that fail, which the tests use.

use std::collections::BTreeMap;
use std::fmt;

use crate::netstring;

// ANCHOR: request
/// A request, taken apart: which transform, and the poem to give it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    /// The transform's name (never empty, never holds a dot).
    pub name: String,
    /// The poem, as text.
    pub poem: String,
}

/// Why a netstring's payload is not a request.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// There is no `.` between the name and the poem.
    #[error("no '.' between the transform's name and the poem")]
    NoDot,
    /// The payload starts with the dot: the name is empty.
    #[error("the transform's name is empty")]
    EmptyName,
    /// The payload is not UTF-8 text.
    #[error("the request is not UTF-8 text: {0}")]
    NotUtf8(#[from] std::str::Utf8Error),
}

impl Request {
    /// Takes a netstring's payload apart into a name and a poem.
    pub fn parse(payload: &[u8]) -> Result<Request, RequestError> {
        let text = std::str::from_utf8(payload)?;
        let (name, poem) = text.split_once('.').ok_or(RequestError::NoDot)?;
        if name.is_empty() {
            return Err(RequestError::EmptyName);
        }
        Ok(Request {
            name: name.to_string(),
            poem: poem.to_string(),
        })
    }

    /// The request on the wire: `LEN:NAME.POEM,`.
    pub fn encode(name: &str, poem: &str) -> Vec<u8> {
        netstring::encode(format!("{name}.{poem}").as_bytes())
    }
}
// ANCHOR_END: request

/// A transform: a poem in, a poem out, or the reason there is none.
pub type Transform = fn(&str) -> Result<String, String>;

// ANCHOR: cummingsify
/// The server's `cummingsify`: the poem in lower case, as e. e. cummings
/// wrote. Unlike part 10's, it always works.
pub fn cummingsify(poem: &str) -> Result<String, String> {
    Ok(poem.to_lowercase())
}
// ANCHOR_END: cummingsify

/// Why a transform gave no poem. The server answers neither with a reply:
/// it closes the connection.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TransformError {
    /// No transform has this name.
    #[error("no transform is called {0:?}")]
    Unknown(String),
    /// The transform ran and failed.
    #[error("the transform {name:?} failed: {reason}")]
    Failed {
        /// The transform's name.
        name: String,
        /// What it said.
        reason: String,
    },
}

/// The transforms a server offers, by name. Cheap to copy around: a table
/// of function pointers.
#[derive(Clone, Default)]
pub struct Transforms(BTreeMap<String, Transform>);

impl fmt::Debug for Transforms {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.0.keys()).finish()
    }
}

impl Transforms {
    /// The series' table: `cummingsify` alone.
    pub fn standard() -> Transforms {
        Transforms::default().with("cummingsify", cummingsify)
    }

    /// The table with one more transform.
    pub fn with(mut self, name: &str, transform: Transform) -> Transforms {
        self.0.insert(name.to_string(), transform);
        self
    }

    /// The names on offer, in order.
    pub fn names(&self) -> Vec<&str> {
        self.0.keys().map(String::as_str).collect()
    }

    /// Runs the transform called `name` on `poem`.
    pub fn apply(&self, name: &str, poem: &str) -> Result<String, TransformError> {
        let transform = self
            .0
            .get(name)
            .ok_or_else(|| TransformError::Unknown(name.to_string()))?;
        transform(poem).map_err(|reason| TransformError::Failed {
            name: name.to_string(),
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_series_example_request() {
        let wire = Request::encode("cummingsify", "HERE IS MY POEM");
        assert_eq!(wire, b"27:cummingsify.HERE IS MY POEM,");
        assert_eq!(
            Request::parse(b"cummingsify.HERE IS MY POEM"),
            Ok(Request {
                name: "cummingsify".into(),
                poem: "HERE IS MY POEM".into()
            })
        );
    }

    #[test]
    fn the_name_ends_at_the_first_dot() {
        let request = Request::parse(b"x.a.b.").unwrap();
        assert_eq!(
            (request.name.as_str(), request.poem.as_str()),
            ("x", "a.b.")
        );
    }

    #[test]
    fn bad_requests_say_why() {
        assert_eq!(Request::parse(b"cummingsify"), Err(RequestError::NoDot));
        assert_eq!(Request::parse(b".poem"), Err(RequestError::EmptyName));
        assert!(matches!(
            Request::parse(b"cummingsify.\xff\xfe"),
            Err(RequestError::NotUtf8(_))
        ));
    }

    #[test]
    fn the_table_applies_by_name() {
        let table = Transforms::standard().with("broken", |_| Err("out of ink".into()));
        assert_eq!(table.names(), ["broken", "cummingsify"]);
        assert_eq!(
            table.apply("cummingsify", "Tyger ÄÖ"),
            Ok("tyger äö".into())
        );
        assert_eq!(
            table.apply("shout", "x"),
            Err(TransformError::Unknown("shout".into()))
        );
        assert_eq!(
            table.apply("broken", "x"),
            Err(TransformError::Failed {
                name: "broken".into(),
                reason: "out of ink".into()
            })
        );
    }
}

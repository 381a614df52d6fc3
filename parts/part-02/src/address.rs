//! Client addresses: `port` or `host:port`, as the series' clients take them.

use std::fmt;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::str::FromStr;

/// The host a bare `port` argument means.
pub const DEFAULT_HOST: &str = "127.0.0.1";

/// Where a poetry server listens: a host name or IP address, and a port.
///
/// Parsed from `PORT` (host `127.0.0.1`) or `HOST:PORT`; an IPv6 address is
/// written in brackets, `[::1]:10000`. Displayed as `HOST:PORT`, which is how
/// the clients name a server in their output.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Address {
    /// Host name or IP address (without brackets).
    pub host: String,
    /// TCP port.
    pub port: u16,
}

/// Why a command-line address could not be parsed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum AddressError {
    /// The port is missing, not a number, or out of range.
    #[error("bad port {port:?} in address {address:?} (expected a number from 1 to 65535)")]
    BadPort {
        /// The whole address as given.
        address: String,
        /// The part that should have been a port.
        port: String,
    },
    /// The host part is empty or malformed.
    #[error("bad host in address {0:?} (expected PORT or HOST:PORT)")]
    BadHost(String),
}

impl Address {
    /// An address on the default host, `127.0.0.1`.
    pub fn local(port: u16) -> Address {
        Address {
            host: DEFAULT_HOST.to_string(),
            port,
        }
    }

    /// Looks the host up and returns the first socket address, preferring
    /// IPv4 (the servers listen on IPv4 `localhost` by default).
    pub fn resolve(&self) -> io::Result<SocketAddr> {
        let candidates: Vec<SocketAddr> =
            (self.host.as_str(), self.port).to_socket_addrs()?.collect();
        candidates
            .iter()
            .find(|a| a.is_ipv4())
            .or(candidates.first())
            .copied()
            .ok_or_else(|| {
                io::Error::new(
                    io::ErrorKind::NotFound,
                    format!("no address found for {self}"),
                )
            })
    }
}

impl From<SocketAddr> for Address {
    fn from(addr: SocketAddr) -> Address {
        Address {
            host: addr.ip().to_string(),
            port: addr.port(),
        }
    }
}

impl FromStr for Address {
    type Err = AddressError;

    fn from_str(text: &str) -> Result<Address, AddressError> {
        let (host, port) = match text.rsplit_once(':') {
            None => (DEFAULT_HOST, text),
            Some((host, port)) => (host, port),
        };
        let host = match host.strip_prefix('[') {
            Some(inner) => inner
                .strip_suffix(']')
                .ok_or_else(|| AddressError::BadHost(text.to_string()))?,
            // An unbracketed host with a colon in it is an IPv6 address
            // written without brackets: ambiguous, so refuse it.
            None if host.contains(':') => return Err(AddressError::BadHost(text.to_string())),
            None => host,
        };
        if host.is_empty() || host.chars().any(char::is_whitespace) {
            return Err(AddressError::BadHost(text.to_string()));
        }
        let bad_port = || AddressError::BadPort {
            address: text.to_string(),
            port: port.to_string(),
        };
        let port: u16 = port.parse().map_err(|_| bad_port())?;
        if port == 0 {
            return Err(bad_port());
        }
        Ok(Address {
            host: host.to_string(),
            port,
        })
    }
}

impl fmt::Display for Address {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.host.contains(':') {
            write!(f, "[{}]:{}", self.host, self.port)
        } else {
            write!(f, "{}:{}", self.host, self.port)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_port_means_the_local_host() {
        assert_eq!("10000".parse(), Ok(Address::local(10000)));
    }

    #[test]
    fn host_and_port() {
        let a: Address = "localhost:10001".parse().unwrap();
        assert_eq!((a.host.as_str(), a.port), ("localhost", 10001));
        assert_eq!(a.to_string(), "localhost:10001");
    }

    #[test]
    fn bracketed_ipv6() {
        let a: Address = "[::1]:7".parse().unwrap();
        assert_eq!((a.host.as_str(), a.port), ("::1", 7));
        assert_eq!(a.to_string(), "[::1]:7");
    }

    #[test]
    fn bad_ports_are_refused() {
        for bad in ["", "0", "65536", "abc", "host:", "host:-1", "host:1x"] {
            assert!(
                matches!(bad.parse::<Address>(), Err(AddressError::BadPort { .. })),
                "{bad:?} should be a bad port"
            );
        }
    }

    #[test]
    fn bad_hosts_are_refused() {
        for bad in [":10000", "::1:7", "[::1:7", "a b:7"] {
            assert!(
                matches!(bad.parse::<Address>(), Err(AddressError::BadHost(_))),
                "{bad:?} should be a bad host"
            );
        }
    }

    #[test]
    fn errors_name_the_address() {
        let err = "x:y".parse::<Address>().unwrap_err().to_string();
        assert!(err.contains("\"x:y\"") && err.contains("\"y\""), "{err}");
    }

    #[test]
    fn resolving_prefers_ipv4() {
        let addr = Address::local(9).resolve().unwrap();
        assert_eq!(addr, "127.0.0.1:9".parse().unwrap());
    }
}

//! The series' own tests, ported: client 4.0 against a poetry server on a
//! free port, and against a port where nobody listens.

use std::io;

use part_02::FetchError;
use part_07::{Deferred, Failure};
use part_15::{PoetryServer, TEST_POEM, assert_failure, get_poetry, trial};

// ANCHOR: series
trial! {
    /// The poem the server serves is the poem the client gets.
    fn test_client(t: &Trial, server: &PoetryServer) -> Deferred<()> {
        get_poetry(t, server.addr()).add_callback(|poem: Vec<u8>| {
            assert_eq!(poem, TEST_POEM);
        })
    }

    /// Where nobody listens, the download fails: the connection is refused.
    fn test_failure(t: &Trial) -> Deferred<()> {
        let nobody = testkit::closed();
        assert_failure::<FetchError, _>(get_poetry(t, nobody)).add_callback(|f: Failure| {
            let error = f.downcast_ref::<FetchError>().unwrap();
            assert!(
                matches!(error, FetchError::Connect(e) if e.kind() == io::ErrorKind::ConnectionRefused),
                "{error}"
            );
        })
    }
}
// ANCHOR_END: series

trial! {
    /// Several downloads from one server, each in full.
    fn three_clients_one_server(t: &Trial, server: &PoetryServer) -> Deferred<()> {
        let addr = server.addr();
        let first = get_poetry(t, addr);
        let (second, third) = (get_poetry(t, addr), get_poetry(t, addr));
        first
            .add_callback(move |one: Vec<u8>| second.add_callback(move |two| Ok((one, two))))
            .add_callback(move |(one, two)| {
                third.add_callback(move |three: Vec<u8>| {
                    for poem in [one, two, three] {
                        assert_eq!(poem, TEST_POEM);
                    }
                })
            })
    }
}

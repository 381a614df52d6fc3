//! The tour: the same servers for everyone, each client run in turn as a
//! reader would run it, and a check that it really got every poem.

use std::io::{self, Read};
use std::net::SocketAddr;
use std::path::Path;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use part_02::{ServerOptions, ServerThread, SlowServer, demo_poems};
use part_10::{Fate, fates};
use part_12::background::{self, ServerKind};

use crate::clients::{Client, Proof, Setup};
use crate::programs::Programs;

/// How long one client may run before the tour gives up on it.
pub const LIMIT: Duration = Duration::from_secs(60);

/// What every client meets: three slow poetry servers (one poem each) and
/// a transformation server, in this process. Dropping it stops them.
#[derive(Debug)]
pub struct Servers {
    poetry: Vec<SlowServer>,
    poems: Vec<(&'static str, &'static [u8])>,
    transform: ServerThread,
    options: ServerOptions,
}

impl Servers {
    /// Starts the servers, the poetry servers paced by `options`.
    pub fn start(options: ServerOptions) -> io::Result<Servers> {
        let poems = demo_poems(3);
        let poetry = poems
            .iter()
            .map(|(_, poem)| SlowServer::spawn(*poem, options))
            .collect::<io::Result<Vec<_>>>()?;
        // What the server tells about each request is not needed here.
        let (transform, _events) = background::spawn(ServerKind::Reactor, Default::default())?;
        Ok(Servers {
            poetry,
            poems,
            transform,
            options,
        })
    }

    /// Each poetry server's poem, its file name and bytes, in task order.
    pub fn poems(&self) -> &[(&'static str, &'static [u8])] {
        &self.poems
    }

    /// Where the poetry servers listen, in task order.
    pub fn poetry_addrs(&self) -> Vec<SocketAddr> {
        self.poetry.iter().map(SlowServer::addr).collect()
    }

    /// Where the transformation server listens.
    pub fn transform_addr(&self) -> SocketAddr {
        self.transform.addr()
    }

    /// The poetry servers' pacing.
    pub fn options(&self) -> ServerOptions {
        self.options
    }

    /// The command line `client` gets.
    pub fn args(&self, client: &Client) -> Vec<String> {
        let mut args = Vec::new();
        match client.setup {
            Setup::Poems => {}
            Setup::Transformed => args.push(self.transform_addr().to_string()),
            Setup::Cummingsified => {
                args.extend(["--print".to_string(), "--seed".to_string()]);
                args.push(lowercasing_seed(self.poetry.len()).to_string());
            }
        }
        args.extend(self.poetry_addrs().iter().map(SocketAddr::to_string));
        args
    }

    /// The poem `client` should end up with for each task: the served
    /// poem, or the same in lower case.
    pub fn kept(&self, client: &Client) -> Vec<Vec<u8>> {
        self.poems
            .iter()
            .map(|(_, poem)| {
                if client.setup.lowercases() {
                    String::from_utf8_lossy(poem).to_lowercase().into_bytes()
                } else {
                    poem.to_vec()
                }
            })
            .collect()
    }
}

/// The first seed under which client 5.0's cummingsify lowercases every
/// one of `tasks` poems (its dice are seeded, so the fates are known in
/// advance).
pub fn lowercasing_seed(tasks: usize) -> u64 {
    (0..)
        .find(|&seed| fates(seed, tasks).iter().all(|f| *f == Fate::Lowercase))
        .unwrap_or(0)
}

/// What a finished program printed, and how it ended.
#[derive(Debug, Clone)]
pub struct Run {
    /// How it exited (`None`: it was stopped after [`LIMIT`]).
    pub status: Option<ExitStatus>,
    /// How long it ran, from start to exit.
    pub took: Duration,
    /// Its standard output, decoded (lossily).
    pub stdout: String,
    /// Its standard error, decoded (lossily).
    pub stderr: String,
}

/// Runs the program at `path` with `args` and no input, to its end or
/// for at most `limit`.
pub fn run_program(path: &Path, args: &[String], limit: Duration) -> io::Result<Run> {
    let start = Instant::now();
    let mut child = Command::new(path)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()?;
    // Read both pipes on threads, so a chatty program never stalls.
    let mut out = child.stdout.take();
    let mut err = child.stderr.take();
    let out = thread::spawn(move || drain(out.as_mut()));
    let err = thread::spawn(move || drain(err.as_mut()));
    let status = loop {
        if let Some(status) = child.try_wait()? {
            break Some(status);
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        thread::sleep(Duration::from_millis(2));
    };
    let took = start.elapsed();
    Ok(Run {
        status,
        took,
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
    })
}

fn drain(pipe: Option<&mut impl Read>) -> String {
    let mut bytes = Vec::new();
    if let Some(pipe) = pipe {
        let _ = pipe.read_to_end(&mut bytes);
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

// ANCHOR: proof
/// Checks, from what a client printed, that it got every poem: the bytes
/// of `served` (one poem per task, in task order) by their sizes, and, for
/// [`Proof::Text`] and [`Proof::Lines`], the poems it kept (`kept`) by
/// their text. (A client proved by its text need not print chunk lines;
/// if it does, they must add up too.) Says what is missing if not.
pub fn check(proof: Proof, stdout: &str, served: &[&[u8]], kept: &[Vec<u8>]) -> Result<(), String> {
    let mut received = vec![0; served.len()];
    let mut chunks = 0;
    for line in stdout.lines() {
        if let Some((task, bytes)) = chunk(line) {
            chunks += 1;
            match received.get_mut(task.wrapping_sub(1)) {
                Some(total) => *total += bytes,
                None => return Err(format!("it reports a task {task} that does not exist")),
            }
        }
    }
    let sized = proof == Proof::Sizes || chunks > 0;
    for (task, (got, poem)) in received.iter().zip(served).enumerate().filter(|_| sized) {
        let task = task + 1;
        if *got != poem.len() {
            return Err(format!(
                "task {task} got {got} bytes of a {}-byte poem",
                poem.len()
            ));
        }
    }
    for (task, poem) in kept.iter().enumerate() {
        let poem = String::from_utf8_lossy(poem);
        let shown = match proof {
            Proof::Sizes => true,
            Proof::Text => stdout.contains(poem.trim_end()),
            Proof::Lines => lines_in_order(stdout, &poem),
        };
        if !shown {
            return Err(format!("task {}'s poem is not printed as sent", task + 1));
        }
    }
    Ok(())
}
// ANCHOR_END: proof

/// A chunk line, `Task N: got B bytes of poetry from …`: N and B.
fn chunk(line: &str) -> Option<(usize, usize)> {
    let rest = line.strip_prefix("Task ")?;
    let (task, rest) = rest.split_once(": got ")?;
    let (bytes, rest) = rest.split_once(' ')?;
    rest.starts_with("bytes of poetry from ")
        .then_some((task.parse().ok()?, bytes.parse().ok()?))
}

/// Whether every non-empty line of `poem` ends a line of `output`, in
/// order.
fn lines_in_order(output: &str, poem: &str) -> bool {
    let mut printed = output.lines().map(str::trim_end);
    poem.lines()
        .map(str::trim_end)
        .filter(|line| !line.is_empty())
        .all(|wanted| printed.any(|line| line.ends_with(wanted)))
}

/// One client's row of the table.
#[derive(Debug, Clone)]
pub struct Row {
    /// The client.
    pub client: Client,
    /// How long its program ran.
    pub took: Duration,
    /// Its lines of code.
    pub lines: usize,
    /// Whether it got every poem, or why not.
    pub verdict: Result<(), String>,
}

/// Runs `client` against `servers` and checks its output.
pub fn run_client(client: &Client, programs: &Programs, servers: &Servers) -> Row {
    let row = |took, verdict| Row {
        client: *client,
        took,
        lines: client.lines(),
        verdict,
    };
    let Some(path) = programs.path(client.name) else {
        return row(Duration::ZERO, Err("its program was not built".into()));
    };
    let run = match run_program(path, &servers.args(client), LIMIT) {
        Ok(run) => run,
        Err(error) => return row(Duration::ZERO, Err(format!("it does not start: {error}"))),
    };
    let verdict = match run.status {
        None => Err(format!("it was still running after {}s", LIMIT.as_secs())),
        Some(status) if !status.success() => Err(format!(
            "it failed ({status}): {}",
            run.stderr.lines().last().unwrap_or("")
        )),
        Some(_) => {
            let served: Vec<&[u8]> = servers.poems().iter().map(|(_, poem)| *poem).collect();
            check(client.proof, &run.stdout, &served, &servers.kept(client))
        }
    };
    row(run.took, verdict)
}

/// Runs every client of `clients` in turn, calling `progress` before each
/// (with its place in the list) and after it (with its row).
pub fn run_all(
    clients: &[Client],
    programs: &Programs,
    servers: &Servers,
    mut progress: impl FnMut(usize, &Client, Option<&Row>),
) -> Vec<Row> {
    clients
        .iter()
        .enumerate()
        .map(|(index, client)| {
            progress(index, client, None);
            let row = run_client(client, programs, servers);
            progress(index, client, Some(&row));
            row
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const POEMS: [&[u8]; 2] = [b"One line\nTwo\n", b"Three\n"];

    /// Chunk lines that add up to [`POEMS`]' sizes.
    const SIZES: &str =
        "Task 1: got 13 bytes of poetry from a\nTask 2: got 6 bytes of poetry from b\n";

    fn kept() -> Vec<Vec<u8>> {
        POEMS.iter().map(|p| p.to_vec()).collect()
    }

    #[test]
    fn sizes_that_add_up_prove_the_poems() {
        let out = "Task 1: got 9 bytes of poetry from 127.0.0.1:1\nTask 2: got 6 bytes of poetry from 127.0.0.1:2\nTask 1: got 4 bytes of poetry from 127.0.0.1:1\n";
        assert_eq!(check(Proof::Sizes, out, &POEMS, &kept()), Ok(()));
    }

    #[test]
    fn a_short_or_missing_poem_is_found() {
        let short = "Task 1: got 12 bytes of poetry from a\nTask 2: got 6 bytes of poetry from b\n";
        assert!(check(Proof::Sizes, short, &POEMS, &kept()).is_err());
        let missing = "Task 1: got 13 bytes of poetry from a\n";
        assert!(check(Proof::Sizes, missing, &POEMS, &kept()).is_err());
        let extra = "Task 3: got 1 bytes of poetry from c\n";
        assert!(check(Proof::Sizes, extra, &POEMS, &kept()).is_err());
    }

    #[test]
    fn text_must_be_printed_as_sent() {
        let whole = format!("{SIZES}One line\nTwo\nThree\n");
        assert_eq!(check(Proof::Text, &whole, &POEMS, &kept()), Ok(()));
        let garbled = format!("{SIZES}One lime\nTwo\nThree\n");
        assert!(check(Proof::Text, &garbled, &POEMS, &kept()).is_err());
    }

    #[test]
    fn text_alone_proves_a_client_that_prints_no_chunks() {
        assert_eq!(
            check(Proof::Text, "One line\nTwo\nThree\n", &POEMS, &kept()),
            Ok(())
        );
        assert!(check(Proof::Sizes, "One line\nTwo\nThree\n", &POEMS, &kept()).is_err());
        assert!(check(Proof::Text, "One line\nThree\n", &POEMS, &kept()).is_err());
    }

    #[test]
    fn lines_may_be_tagged_but_not_reordered() {
        let tagged = format!("{SIZES}[1] One line\n[2] Three\n[1] Two\n");
        assert_eq!(check(Proof::Lines, &tagged, &POEMS, &kept()), Ok(()));
        let reordered = format!("{SIZES}[1] Two\n[1] One line\n[2] Three\n");
        assert!(check(Proof::Lines, &reordered, &POEMS, &kept()).is_err());
    }

    #[test]
    fn the_seed_lowercases_every_poem() {
        let seed = lowercasing_seed(3);
        assert!(fates(seed, 3).iter().all(|f| *f == Fate::Lowercase));
    }
}

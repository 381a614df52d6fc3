//! The checks every poetry client with a transformation server passes
//! (part 12's `client-6`, part 17's `client-7` and `client-7-tokio`): it
//! transforms every poem from slow servers; it keeps the originals when
//! the transform fails or its server is down; it reports a poetry server
//! that is down; it needs two addresses. The transformation server is the
//! caller's (part 12's), given by its port.

use crate::programs::{closed_port, poems_got, ports, run, servers, task_line};

/// The closing summary of a client's run: each task's poem size.
pub fn sizes(stdout: &str) -> Vec<(usize, usize)> {
    stdout
        .lines()
        .filter_map(task_line)
        .filter_map(|(task, rest)| {
            let bytes = rest.strip_suffix(" bytes of poetry")?;
            Some((task, bytes.parse().ok()?))
        })
        .collect()
}

/// With a working transformation server on `transformer`, every poem of
/// two slow servers arrives chunk by chunk and comes out lowercased.
pub fn transforms_every_poem(program: &str, transformer: u16) {
    let slow = servers(2, 200, 10);
    let mut args = vec![transformer.to_string()];
    args.extend(ports(&slow));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = run(program, &args);
    assert!(out.status.success(), "{program}: {}", out.stderr);
    let lines: Vec<&str> = out.stdout.lines().collect();
    for task in 1..=2 {
        assert!(
            lines.contains(&&*format!("Task {task}: transformed by cummingsify")),
            "{program}: {}",
            out.stdout
        );
        assert!(
            lines.contains(&&*format!("Task {task} finished")),
            "{program}"
        );
    }
    let chunks = lines
        .iter()
        .filter(|l| l.contains("bytes of poetry from"))
        .count();
    assert!(chunks >= 4, "{program}: chunk lines as they come");
    let expected: Vec<(usize, usize)> = slow
        .iter()
        .enumerate()
        .map(|(i, (_, poem))| (i + 1, String::from_utf8_lossy(poem).to_lowercase().len()))
        .collect();
    assert_eq!(sizes(&out.stdout), expected, "{program}");
    assert_eq!(poems_got(lines.last().unwrap()), 2, "{program}");
}

/// With a transform the server on `transformer` does not know (`shout`),
/// and with no server at all, the client keeps every original poem and
/// says why on standard error.
pub fn keeps_the_originals_when_the_transform_fails_or_its_server_is_down(
    program: &str,
    transformer: u16,
) {
    let slow = servers(2, 200, 10);
    let originals: Vec<(usize, usize)> = slow
        .iter()
        .enumerate()
        .map(|(i, (_, poem))| (i + 1, poem.len()))
        .collect();
    let up = transformer.to_string();
    let down = closed_port().to_string();
    for (transform, server, why) in [
        (
            "shout",
            &up,
            "the transformation server closed the connection without a reply",
        ),
        (
            "cummingsify",
            &down,
            "cannot connect to the transformation server",
        ),
    ] {
        let mut args = vec![
            "--transform".to_string(),
            transform.to_string(),
            server.clone(),
        ];
        args.extend(ports(&slow));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run(program, &args);
        assert!(out.status.success(), "{program}: {}", out.stderr);
        for task in 1..=2 {
            let line = format!("Task {task}: {transform} failed ({why}");
            assert!(out.stderr.contains(&line), "{line} in {}", out.stderr);
        }
        assert_eq!(sizes(&out.stdout), originals, "{program} {transform}");
        assert!(!out.stdout.contains("transformed by"));
    }
}

/// A poetry server that is down is reported, the others' poems arrive, and
/// the run fails; a transformation server alone is refused.
pub fn reports_a_poetry_server_that_is_down_and_needs_two_addresses(
    program: &str,
    transformer: u16,
) {
    let slow = servers(1, 200, 10);
    let transform = transformer.to_string();
    let down = closed_port().to_string();
    let good = ports(&slow).remove(0);
    let out = run(program, &[&transform, &down, &good]);
    assert!(!out.status.success());
    assert!(
        out.stderr.contains(&format!(
            "Task 1: failed to get poetry from 127.0.0.1:{down}"
        )),
        "{program}: {}",
        out.stderr
    );
    assert!(
        out.stderr.ends_with("error: 1 of 2 downloads failed\n"),
        "{program}: {}",
        out.stderr
    );
    assert_eq!(sizes(&out.stdout).len(), 1);

    let out = run(program, &[&transform]);
    assert!(!out.status.success());
    assert_eq!(
        out.stderr,
        "error: give a transformation server and at least one poetry server\n"
    );
}

//! `erlang-client` and `erlang-client-tokio` as a user sees them: every
//! poem printed whole, a refused port reported once, silent servers given
//! up on, bad input refused. Both programs pass the same checks.

use testkit::{
    ClientOutput, args, assert_count, gives_up_on_silent_servers, helps, ports, refused_port,
    refuses, refuses_bad_addresses, run, servers, survives_a_closed_output,
};

const PROGRAMS: [&str; 2] = [
    env!("CARGO_BIN_EXE_erlang-client"),
    env!("CARGO_BIN_EXE_erlang-client-tokio"),
];

/// Checks that `stdout` has, for each task that got its poem, every chunk
/// line of that task, then the line `Task N: poem received, B bytes`
/// followed at once by the poem's text, then `Task N down: normal`, in
/// that order (the original's order: chunks as they come, the poem once
/// the worker has it all).
fn assert_poems_printed(stdout: &str, poems: &[Option<&[u8]>]) {
    for (task, poem) in (1..).zip(poems) {
        let received = format!("Task {task}: poem received, ");
        let Some(poem) = poem else {
            assert!(!stdout.contains(&received), "task {task}: {stdout}");
            continue;
        };
        let header = format!("{received}{} bytes\n", poem.len());
        let text = String::from_utf8_lossy(poem);
        let at = stdout
            .find(&format!("{header}{text}"))
            .unwrap_or_else(|| panic!("no whole poem for task {task} in\n{stdout}"));
        let last_chunk = stdout
            .rfind(&format!("Task {task}: got "))
            .unwrap_or_else(|| panic!("no chunk line for task {task} in\n{stdout}"));
        assert!(
            last_chunk < at,
            "task {task}: every chunk comes before the poem"
        );
        let down = format!("Task {task} down: normal\n");
        let down_at = stdout.find(&down).expect("a normal down for a poem");
        assert!(at < down_at, "task {task}: the poem comes before the down");
        assert_count(stdout, &down, 1);
    }
}

#[test]
fn every_poem_arrives_whole_and_every_worker_goes_down_normally() {
    let servers = servers(3, 40, 15);
    let ports = ports(&servers);
    let poems: Vec<Option<&[u8]>> = servers.iter().map(|&(_, poem)| Some(poem)).collect();
    for program in PROGRAMS {
        let out = run(program, &args(&[], &ports));
        assert!(out.status.success(), "{program}: {}", out.stderr);
        assert_eq!(out.stderr, "", "{program}");
        assert_poems_printed(&out.stdout, &poems);
        let sorted = ClientOutput::sort_out(&out.stdout, &ports);
        for (task, poem) in (1..).zip(&poems) {
            assert_eq!(sorted.total(task), poem.map_or(0, <[u8]>::len), "{program}");
        }
        sorted.assert_interleaved();
        let last = out.stdout.lines().last().unwrap_or_default();
        assert!(last.starts_with("Got 3 poems in "), "{program}: {last}");
    }
}

#[test]
fn a_refused_port_among_three_is_reported_once_and_the_others_get_their_poems() {
    for program in PROGRAMS {
        // Exit code 1; on standard error exactly task 2's failure, then
        // `error: 1 of 3 downloads failed`; the last line `Got 2 poems`.
        let run = refused_port(program, &[], 2);
        assert_poems_printed(&run.out.stdout, &run.poems);
        let closed = format!("127.0.0.1:{}", run.ports[1]);
        let everything = format!("{}{}", run.out.stdout, run.out.stderr);
        assert_count(&everything, &closed, 1);
        assert_count(&everything, "Task 2", 1);
    }
}

#[test]
fn silent_servers_are_given_up_on_like_refused_ones() {
    for program in PROGRAMS {
        let out = gives_up_on_silent_servers(program, &[]);
        assert!(out.stdout.contains("Task 1 down: normal"), "{}", out.stdout);
    }
}

#[test]
fn bad_input_is_refused_with_one_clear_line() {
    for program in PROGRAMS {
        refuses_bad_addresses(program, &[]);
        refuses(program, &["--restarts", "x", "10000"], "--restarts");
        refuses(
            program,
            &["--restart-delay", "soon", "10000"],
            "--restart-delay",
        );
        refuses(program, &["--crash", "0", "10000"], "--crash");
        let out = refuses(program, &["--crash", "3", "10000", "10001"], "--crash 3");
        assert_eq!(out.stdout, "", "{program}");
        assert!(out.stderr.contains("only 2 tasks"), "{}", out.stderr);
        let out = refuses(program, &["--crash", "2", "10000"], "--crash 2");
        assert!(out.stderr.contains("only 1 task "), "{}", out.stderr);
    }
}

#[test]
fn help_names_the_options() {
    for program in PROGRAMS {
        helps(
            program,
            &[
                "--restarts <N>",
                "--restart-delay <SECONDS>",
                "--crash <TASK>",
                "--idle-timeout",
                "--connect-timeout",
                "<ADDRESS>",
            ],
        );
    }
}

#[test]
fn a_closed_output_is_no_reason_to_panic() {
    let servers = servers(2, 200, 5);
    let ports = ports(&servers);
    for program in PROGRAMS {
        let stderr = survives_a_closed_output(program, &args(&[], &ports));
        assert_eq!(stderr, "", "{program}");
    }
}

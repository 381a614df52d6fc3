//! The deferred simulator: what the real Deferred does with chains of every
//! kind (all pass, all fail, recover then fail, a failure with no errbacks,
//! `add_both`), and the program `deferred-simulator` as a reader uses it:
//! the exact drawing of one chain, chains from the arguments, from standard
//! input one per line, question by question, and malformed input.

use std::io::Write;
use std::process::{Command, ExitStatus, Stdio};
use std::thread;

use part_09::{Chain, Seen, Trace, draw, simulate};
use testkit::run;

const SIMULATOR: &str = env!("CARGO_BIN_EXE_deferred-simulator");

fn trace(line: &str) -> Trace {
    simulate(&Chain::parse(line).unwrap_or_else(|e| panic!("{line}: {e}")))
}

fn result(value: &str) -> Seen {
    Seen::Result(value.to_string())
}

fn failure(message: &str) -> Seen {
    Seen::Failure(message.to_string())
}

/// The rules every trace obeys, whatever the chain: each pair gets what the
/// one before it passed on, on the side that outcome belongs to; an empty
/// side passes it on unchanged; the end is the last pair's output; and the
/// report on drop comes exactly when the end is a failure.
fn check_rules(trace: &Trace) {
    let mut current = &trace.start;
    assert_eq!(trace.steps.len(), trace.chain.pairs.len());
    for (index, step) in trace.steps.iter().enumerate() {
        assert_eq!(step.pair, index + 1);
        assert_eq!(
            &step.input, current,
            "pair {} of {}",
            step.pair, trace.chain
        );
        assert_eq!(step.side, current.side());
        if !step.ran {
            assert_eq!(step.output, step.input);
        }
        current = &step.output;
    }
    assert_eq!(&trace.end, current);
    match &trace.end {
        Seen::Failure(message) => assert_eq!(
            trace.unhandled.as_deref(),
            Some(format!("[Failure Message: {message}]").as_str())
        ),
        Seen::Result(_) => assert_eq!(trace.unhandled, None),
    }
}

#[test]
fn all_pass_keeps_a_result_on_the_callbacks_and_a_failure_on_the_errbacks() {
    let t = trace("result p/p p/p p/p");
    assert_eq!((t.path(), &t.end), ("CCC".into(), &result("poem")));
    assert_eq!(t.unhandled, None);
    check_rules(&t);

    let t = trace("failure p/p p/p p/p");
    assert_eq!((t.path(), &t.end), ("EEE".into(), &failure("no poem")));
    assert!(t.unhandled.is_some());
    check_rules(&t);
}

#[test]
fn all_fail_crosses_once_and_each_errback_replaces_the_failure() {
    let t = trace("result f/f f/f f/f");
    assert_eq!(t.path(), "CEE");
    let outputs: Vec<&Seen> = t.steps.iter().map(|s| &s.output).collect();
    assert_eq!(
        outputs,
        [
            &failure("failure 1"),
            &failure("failure 2"),
            &failure("failure 3")
        ]
    );
    assert_eq!(t.unhandled.as_deref(), Some("[Failure Message: failure 3]"));
    check_rules(&t);
}

#[test]
fn recover_then_fail_ends_with_the_new_failure() {
    let t = trace("failure p/r f/p p/p");
    assert_eq!(t.path(), "ECE");
    assert_eq!(t.steps[0].output, result("value 1"), "errback 1 recovered");
    assert_eq!(
        t.steps[1].input,
        result("value 1"),
        "callback 2 got its value"
    );
    assert_eq!(t.end, failure("failure 2"));
    assert_eq!(
        t.unhandled.as_deref(),
        Some("[Failure Message: failure 2]"),
        "the report names the last failure, not the first"
    );
    check_rules(&t);
}

#[test]
fn a_recovery_brings_the_chain_back_to_the_callbacks() {
    let t = trace("result:first f:bad/p p/p p/r:second p/p");
    assert_eq!(t.path(), "CEEC");
    assert_eq!(t.steps[3].input, result("second"));
    assert_eq!(t.end, result("second"));
    check_rules(&t);
}

#[test]
fn a_failure_with_no_errbacks_passes_every_pair_by() {
    let t = trace("failure:refused r/- f/- p/-");
    assert_eq!(t.path(), "eee", "no function of ours ran");
    assert_eq!(t.end, failure("refused"));
    assert_eq!(t.unhandled.as_deref(), Some("[Failure Message: refused]"));
    check_rules(&t);

    let t = trace("result -/r -/f");
    assert_eq!(t.path(), "cc", "and a result passes errbacks by");
    assert_eq!(t.end, result("poem"));
    check_rules(&t);
}

#[test]
fn add_both_runs_whichever_way_the_chain_arrives() {
    let t = trace("result f/p r p f");
    assert_eq!(t.path(), "CECC");
    assert_eq!(t.steps[1].input, failure("failure 1"));
    assert_eq!(t.steps[1].output, result("value 2"));
    check_rules(&t);
}

#[test]
fn every_chain_obeys_the_rules() {
    for line in [
        "result",
        "failure",
        "result r:a/f f:b/r r/- -/f:c p r f p",
        "failure -/p -/r f/- p/f r/r f/f",
        "failure f p/p r p/f:x f",
    ] {
        check_rules(&trace(line));
    }
}

/// Runs the simulator with `args`, `input` on its standard input.
fn simulator(args: &[&str], input: &str) -> (ExitStatus, String, String) {
    let mut child = Command::new(SIMULATOR)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the simulator starts");
    let mut stdin = child.stdin.take().expect("piped stdin");
    let input = input.to_string();
    let writer = thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("the simulator ends");
    writer
        .join()
        .expect("the writer thread")
        .expect("stdin is written");
    (
        output.status,
        String::from_utf8(output.stdout).expect("UTF-8"),
        String::from_utf8(output.stderr).expect("UTF-8"),
    )
}

/// What the library draws for `line`: what the program must print for it.
fn drawing(line: &str) -> String {
    draw(&trace(line))
}

// ANCHOR: golden
#[test]
fn the_drawing_of_recover_then_fail_is_exactly_this() {
    let output = run(
        SIMULATOR,
        &["--fire", "failure", "p/r", "f/p", "p/p", "p/r"],
    );
    assert!(output.status.success(), "{output:?}");
    assert_eq!(output.stderr, "");
    assert_eq!(
        output.stdout,
        r#"chain: failure p/r f/p p/p p/r

           callbacks                 errbacks
  fired                              ✗ "no poem"
                                     │
  pair 1   ○ pass                    ● return → "value 1"
           ┌─────────────────────────┘
  pair 2   ● fail → ✗ "failure 2"    ○ pass
           └─────────────────────────┐
  pair 3   ○ pass                    ● pass → ✗ "failure 2"
                                     │
  pair 4   ○ pass                    ● return → "value 4"
           ┌─────────────────────────┘
  end      "value 4"
"#
    );
}
// ANCHOR_END: golden

#[test]
fn arguments_give_one_chain_and_the_fire_word_defaults_to_a_result() {
    let output = run(SIMULATOR, &["p/f", "r/p"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(output.stdout, drawing("result p/f r/p"));

    let output = run(SIMULATOR, &["--fire", "failure:refused"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(output.stdout, drawing("failure:refused"));
    assert!(
        output
            .stdout
            .contains("  dropped  Unhandled error in Deferred: [Failure Message: refused]")
    );

    let output = run(SIMULATOR, &["failure:refused", "p/r"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(output.stdout, drawing("failure:refused p/r"));

    let output = run(SIMULATOR, &["--fire", "failure", "-/r", "r/-"]);
    assert!(output.status.success(), "{output:?}");
    assert_eq!(output.stdout, drawing("failure -/r r/-"));

    let output = run(SIMULATOR, &["--key", "p/p"]);
    assert!(output.stdout.starts_with(&drawing("result p/p")));
    assert!(output.stdout.ends_with(&format!("\n{}\n", part_09::KEY)));
}

#[test]
fn standard_input_gives_one_chain_per_line() {
    let input = "result p/f r/p\n\n# all fail\nresult f/f f/f\nfailure r/- p/-\n";
    let (status, stdout, stderr) = simulator(&[], input);
    assert!(status.success(), "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(
        stdout,
        [
            drawing("result p/f r/p"),
            drawing("result f/f f/f"),
            drawing("failure r/- p/-"),
        ]
        .join("\n")
    );

    let (status, stdout, stderr) = simulator(&[], "");
    assert!(status.success());
    assert_eq!((stdout.as_str(), stderr.as_str()), ("", ""));
}

#[test]
fn a_bad_line_on_standard_input_is_reported_and_the_rest_are_drawn() {
    let (status, stdout, stderr) = simulator(&[], "result p/x\nfailure p/r\np/p/p\n");
    assert!(!status.success());
    assert_eq!(stdout, drawing("failure p/r"));
    assert_eq!(
        stderr,
        "error: line 1: \"p/x\": unknown action \"x\" (use p, f, f:MESSAGE, r, r:VALUE or -)\n\
         error: line 3: \"p/p/p\": a pair is CALLBACK/ERRBACK, with one slash\n"
    );
}

#[test]
fn ask_takes_the_answers_from_standard_input_without_prompts() {
    // Fire with a failure, two pairs: p/r, then f/(default p); then stop.
    let (status, stdout, stderr) = simulator(&["--ask"], "failure\n2\np\nr\nf\n\nn\n");
    assert!(status.success(), "{stderr}");
    assert_eq!(stderr, "");
    assert_eq!(stdout, format!("\n{}\n", drawing("failure p/r f/p")));
}

#[test]
fn malformed_chains_get_one_error_line_and_no_drawing() {
    for args in [
        &["x/p"][..],
        &["p/f:"],
        &["-/-"],
        &["p/p/p"],
        &["--fire", "success", "p/p"],
        &["--fire", "result:"],
        &["p/p", "result"],
        &["--fire", "failure", "p/p", "failure"],
        &["--fire", "failure", "result", "p/p"],
        &["-/r", "--fire", "failure"],
    ] {
        let output = run(SIMULATOR, args);
        assert!(!output.status.success(), "{args:?}");
        assert_eq!(output.stdout, "", "{args:?}");
        let lines: Vec<&str> = output.stderr.lines().collect();
        assert_eq!(lines.len(), 1, "{args:?}: {}", output.stderr);
        assert!(
            lines[0].starts_with("error: "),
            "{args:?}: {}",
            output.stderr
        );
        assert!(!output.stderr.contains("panicked"));
    }
    let too_long = vec!["p/p"; 21];
    let output = run(SIMULATOR, &too_long);
    assert_eq!(
        output.stderr,
        "error: 21 pairs: the simulator draws at most 20\n"
    );
}

#[test]
fn help_explains_the_syntax_and_its_example_runs() {
    let output = run(SIMULATOR, &["--help"]);
    assert!(output.status.success());
    for needed in [
        "Usage: deferred-simulator [OPTIONS] [PAIR]...",
        "CALLBACK/ERRBACK",
        "r:VALUE",
        "f:MESSAGE",
        "add_both",
        "one chain per line",
        "  deferred-simulator --fire result f/p p/r p/p",
    ] {
        assert!(
            output.stdout.contains(needed),
            "{needed:?} in\n{}",
            output.stdout
        );
    }
    let example = run(SIMULATOR, &["--fire", "result", "f/p", "p/r", "p/p"]);
    assert!(example.status.success());
    assert!(
        example.stdout.contains("  end      \"value 2\""),
        "{}",
        example.stdout
    );
}

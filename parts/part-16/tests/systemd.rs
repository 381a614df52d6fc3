//! The systemd unit for `fastpoetry`: it parses, its command line is one
//! `twistd` accepts, in the foreground, and systemd's own checker (where
//! there is one) has nothing to say about it.

use std::collections::BTreeMap;
use std::process::Command;

use clap::FromArgMatches;
use part_16::runner::{RunnerOptions, command};

const UNIT: &str = include_str!("../systemd/fastpoetry.service");

/// The unit's sections, each a list of (key, value), in order.
fn parse(unit: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut sections: BTreeMap<String, Vec<(String, String)>> = BTreeMap::new();
    let mut current = None;
    for (n, line) in unit.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = Some(name.to_string());
            sections.entry(name.to_string()).or_default();
            continue;
        }
        let (key, value) = line
            .split_once('=')
            .unwrap_or_else(|| panic!("line {}: not KEY=VALUE: {line}", n + 1));
        let section = current
            .clone()
            .unwrap_or_else(|| panic!("line {}: outside a section", n + 1));
        sections
            .get_mut(&section)
            .unwrap()
            .push((key.trim().into(), value.trim().into()));
    }
    sections
}

fn value<'a>(
    sections: &'a BTreeMap<String, Vec<(String, String)>>,
    section: &str,
    key: &str,
) -> &'a str {
    sections[section]
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
        .unwrap_or_else(|| panic!("no {key} in [{section}]"))
}

#[test]
fn the_unit_runs_twistd_in_the_foreground_with_a_command_line_it_accepts() {
    let sections = parse(UNIT);
    assert_eq!(
        sections.keys().collect::<Vec<_>>(),
        ["Install", "Service", "Unit"]
    );
    let exec = value(&sections, "Service", "ExecStart");
    let argv: Vec<&str> = exec.split_whitespace().collect();
    assert!(argv[0].ends_with("/twistd"));
    let matches = command(&part_16::plugins())
        .try_get_matches_from(&argv)
        .unwrap_or_else(|e| panic!("twistd refuses the unit's command line: {e}"));
    let options = RunnerOptions::from_arg_matches(&matches).unwrap();
    assert!(options.nodaemon, "systemd does the daemonizing");
    assert_eq!(matches.subcommand_name(), Some("fastpoetry"));
    // In-flight clients are given up on before systemd sends SIGKILL.
    let stop_after: u64 = value(&sections, "Service", "TimeoutStopSec")
        .parse()
        .unwrap();
    assert!(options.shutdown_timeout.as_secs() < stop_after);
    assert_eq!(value(&sections, "Service", "KillSignal"), "SIGTERM");
    assert_eq!(value(&sections, "Service", "Type"), "exec");
}

#[test]
fn systemd_finds_nothing_to_say_about_the_unit_where_it_is_installed() {
    let Ok(probe) = Command::new("systemd-analyze").arg("--version").output() else {
        eprintln!("systemd-analyze is not installed here: only the parse test ran");
        return;
    };
    assert!(probe.status.success());
    // The unit names the installed path; point it at the binary just built.
    let dir = tempfile::tempdir().unwrap();
    let unit = dir.path().join("fastpoetry.service");
    std::fs::write(
        &unit,
        UNIT.replace("/usr/local/bin/twistd", env!("CARGO_BIN_EXE_twistd")),
    )
    .unwrap();
    let verified = Command::new("systemd-analyze")
        .arg("verify")
        .arg(&unit)
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&verified.stderr).into_owned()
        + &String::from_utf8_lossy(&verified.stdout);
    assert!(
        verified.status.success() && said.trim().is_empty(),
        "systemd-analyze verify:\n{said}"
    );
}

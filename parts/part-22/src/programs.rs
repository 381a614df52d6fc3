//! Finding the clients' programs: cargo builds them and says where.
//!
//! The clients are `bin`s of other packages, and cargo builds a package's
//! `bin`s only when asked for that package: `cargo run -p part-22` builds
//! this part's libraries, never part 8's `client-4`. So the tour asks
//! cargo itself, once, before it starts: `cargo build --bins -p part-02
//! -p part-04 …` for the packages on the list, with
//! `--message-format=json`, and reads from cargo's answer the path of every
//! executable it built (or found up to date). Nothing guesses where
//! `target/` is: cargo knows, whatever `CARGO_TARGET_DIR` or profile says.
//! When everything is built already, the question costs about a second.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace this tour was compiled in.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The built programs, by name.
#[derive(Debug, Clone, Default)]
pub struct Programs {
    paths: BTreeMap<String, PathBuf>,
}

impl Programs {
    /// Has cargo build the `bin`s of `packages` in the workspace this tour
    /// came from, and remembers where each executable is. Cargo's own
    /// progress is kept quiet; its errors and warnings go to standard
    /// error.
    pub fn build(packages: &[&str]) -> Result<Programs, String> {
        let root = workspace_root();
        let manifest = root.join("Cargo.toml");
        if !manifest.is_file() {
            return Err(format!(
                "cannot find the workspace's Cargo.toml at {} (the tour builds the clients from their sources)",
                manifest.display()
            ));
        }
        // `cargo run` tells the program which cargo started it.
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(&cargo);
        command
            .args(["build", "--quiet", "--bins"])
            .arg("--message-format=json-render-diagnostics")
            .arg("--manifest-path")
            .arg(&manifest);
        if !cfg!(debug_assertions) {
            command.arg("--release");
        }
        for package in packages {
            command.args(["-p", package]);
        }
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .map_err(|e| format!("cannot run {}: {e}", cargo.to_string_lossy()))?;
        let mut programs = Programs::default();
        if let Some(stdout) = child.stdout.take() {
            for line in BufReader::new(stdout).lines() {
                let line = line.map_err(|e| format!("cannot read cargo's answer: {e}"))?;
                if let Some((name, path)) = executable(&line) {
                    programs.paths.insert(name, path);
                }
            }
        }
        let status = child
            .wait()
            .map_err(|e| format!("cargo did not finish: {e}"))?;
        if !status.success() {
            return Err(format!("cargo could not build the clients ({status})"));
        }
        Ok(programs)
    }

    /// Where the program `name` is, if cargo built it.
    pub fn path(&self, name: &str) -> Option<&Path> {
        self.paths.get(name).map(PathBuf::as_path)
    }

    /// A set of programs known by path (for tests).
    pub fn from_paths(paths: impl IntoIterator<Item = (String, PathBuf)>) -> Programs {
        Programs {
            paths: paths.into_iter().collect(),
        }
    }
}

// ANCHOR: executable
/// The program's name and path, if `line` is cargo's report of a built
/// executable (`"reason":"compiler-artifact"` with an `executable`).
fn executable(line: &str) -> Option<(String, PathBuf)> {
    let message: serde_json::Value = serde_json::from_str(line).ok()?;
    if message.get("reason")?.as_str()? != "compiler-artifact" {
        return None;
    }
    let path = message.get("executable")?.as_str()?;
    let name = message.get("target")?.get("name")?.as_str()?;
    Some((name.to_string(), PathBuf::from(path)))
}
// ANCHOR_END: executable

#[cfg(test)]
mod tests {
    use super::executable;

    #[test]
    fn an_executable_is_read_from_cargos_message() {
        let line = r#"{"reason":"compiler-artifact","target":{"name":"client-4","kind":["bin"]},"executable":"/t/debug/client-4","fresh":true}"#;
        let (name, path) = executable(line).expect("an executable");
        assert_eq!(name, "client-4");
        assert_eq!(path, std::path::Path::new("/t/debug/client-4"));
    }

    #[test]
    fn libraries_and_other_messages_are_not_programs() {
        let library =
            r#"{"reason":"compiler-artifact","target":{"name":"part_08"},"executable":null}"#;
        assert!(executable(library).is_none());
        assert!(executable(r#"{"reason":"build-finished","success":true}"#).is_none());
        assert!(executable("not json").is_none());
    }
}

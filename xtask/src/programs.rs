//! The workspace's programs: every bin and example of every package, as
//! `cargo metadata` lists them.
//!
//! Cargo puts all binaries of a workspace in one `target/debug/` folder and
//! all examples in `target/debug/examples/`, so two packages with a program
//! of the same name overwrite each other's executable. [`duplicates`] finds
//! such clashes; [`Programs::find`] looks a program up by name for
//! `cargo xtask diff` and the transcripts.

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// What kind of target a program is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// A binary: `src/main.rs` or `src/bin/*.rs`.
    Bin,
    /// An example: `examples/*.rs`.
    Example,
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Bin => "bin",
            Kind::Example => "example",
        })
    }
}

/// One bin or example.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Program {
    /// The package it belongs to.
    pub package: String,
    /// Its target name (what `--bin` or `--example` takes).
    pub name: String,
    /// Bin or example.
    pub kind: Kind,
    /// Its root source file.
    pub src_path: PathBuf,
}

impl Program {
    /// Whether this is the package's default binary (named after the package,
    /// run by `cargo run -p PKG`).
    pub fn is_default(&self) -> bool {
        self.kind == Kind::Bin && self.name == self.package
    }

    /// The source files that make up the program: its root file first; if
    /// the root is `NAME/main.rs` in a folder of its own (`src/bin/NAME/` or
    /// `examples/NAME/`), also every other `.rs` file in that folder, sorted.
    pub fn source_files(&self) -> Vec<PathBuf> {
        let mut files = vec![self.src_path.clone()];
        let Some(dir) = self.src_path.parent() else {
            return files;
        };
        let own_folder = self.src_path.file_name().is_some_and(|f| f == "main.rs")
            && dir.file_name().is_some_and(|d| *d == *self.name);
        if own_folder {
            let mut others = Vec::new();
            collect_rust(dir, &mut others);
            others.retain(|p| *p != self.src_path);
            others.sort();
            files.extend(others);
        }
        files
    }
}

fn collect_rust(dir: &Path, into: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect_rust(&path, into);
        } else if path.extension().is_some_and(|e| e == "rs") {
            into.push(path);
        }
    }
}

/// What `cargo metadata` says about the workspace.
#[derive(Debug, Clone)]
pub struct Programs {
    /// The workspace root.
    pub workspace_root: PathBuf,
    /// Where cargo builds (usually `<root>/target`).
    pub target_directory: PathBuf,
    /// The workspace's packages, by name, with their folders.
    pub packages: BTreeMap<String, PathBuf>,
    /// Every bin and example, in package order.
    pub programs: Vec<Program>,
}

impl Programs {
    /// Runs `cargo metadata --format-version 1 --no-deps` in `root`.
    pub fn load(root: &Path) -> Result<Programs> {
        let output = Command::new(crate::cargo())
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .current_dir(root)
            .stdin(Stdio::null())
            .stderr(Stdio::inherit())
            .output()
            .context("cannot run `cargo metadata`")?;
        if !output.status.success() {
            bail!("`cargo metadata` failed ({})", output.status);
        }
        let json =
            String::from_utf8(output.stdout).context("`cargo metadata` printed non-UTF-8")?;
        Programs::parse(&json)
    }

    /// Reads the JSON printed by `cargo metadata --format-version 1`.
    pub fn parse(json: &str) -> Result<Programs> {
        let meta: Value = serde_json::from_str(json).context("cannot parse cargo metadata")?;
        let text = |v: &Value, key: &str| -> Result<String> {
            v.get(key)
                .and_then(Value::as_str)
                .map(str::to_string)
                .with_context(|| format!("cargo metadata: missing `{key}`"))
        };
        let mut packages = BTreeMap::new();
        let mut programs = Vec::new();
        let empty = Vec::new();
        for package in meta
            .get("packages")
            .and_then(Value::as_array)
            .unwrap_or(&empty)
        {
            let package_name = text(package, "name")?;
            let manifest = PathBuf::from(text(package, "manifest_path")?);
            let dir = manifest.parent().map(Path::to_path_buf).unwrap_or_default();
            packages.insert(package_name.clone(), dir);
            for target in package
                .get("targets")
                .and_then(Value::as_array)
                .unwrap_or(&empty)
            {
                let kinds = target
                    .get("kind")
                    .and_then(Value::as_array)
                    .unwrap_or(&empty);
                let kind = if kinds.iter().any(|k| k == "bin") {
                    Kind::Bin
                } else if kinds.iter().any(|k| k == "example") {
                    Kind::Example
                } else {
                    continue;
                };
                programs.push(Program {
                    package: package_name.clone(),
                    name: text(target, "name")?,
                    kind,
                    src_path: PathBuf::from(text(target, "src_path")?),
                });
            }
        }
        programs.sort_by(|a, b| (&a.package, a.kind, &a.name).cmp(&(&b.package, b.kind, &b.name)));
        Ok(Programs {
            workspace_root: PathBuf::from(text(&meta, "workspace_root")?),
            target_directory: PathBuf::from(text(&meta, "target_directory")?),
            packages,
            programs,
        })
    }

    /// Finds the program called `name`. An unknown name is an error that
    /// lists the names closest to it; a name two programs share is an error
    /// naming both.
    pub fn find(&self, name: &str) -> Result<&Program> {
        let found: Vec<&Program> = self.programs.iter().filter(|p| p.name == name).collect();
        match found.as_slice() {
            [one] => Ok(one),
            [] => {
                let names: Vec<&str> = self.programs.iter().map(|p| p.name.as_str()).collect();
                let close = close_names(name, &names);
                if close.is_empty() {
                    bail!("no program named `{name}` (see `cargo xtask names` for the list)");
                }
                bail!(
                    "no program named `{name}`; did you mean {}?",
                    close.join(", ")
                )
            }
            many => {
                let owners: Vec<String> = many
                    .iter()
                    .map(|p| format!("{} {} of {}", p.kind, p.name, p.package))
                    .collect();
                bail!("`{name}` is ambiguous: {}", owners.join(", "))
            }
        }
    }

    /// The path of the program's executable after `cargo build`.
    pub fn executable(&self, program: &Program) -> PathBuf {
        let mut dir = self.target_directory.join("debug");
        if program.kind == Kind::Example {
            dir.push("examples");
        }
        dir.join(format!("{}{}", program.name, std::env::consts::EXE_SUFFIX))
    }

    /// A table of every package's programs.
    pub fn table(&self) -> String {
        let mut rows: Vec<(String, String, String)> = Vec::new();
        for package in self.packages.keys() {
            let mine: Vec<&Program> = self
                .programs
                .iter()
                .filter(|p| &p.package == package)
                .collect();
            if mine.is_empty() {
                rows.push((package.clone(), "-".into(), "(no programs)".into()));
            }
            for program in mine {
                let kind = if program.is_default() {
                    "bin (default)".to_string()
                } else {
                    program.kind.to_string()
                };
                rows.push((package.clone(), kind, program.name.clone()));
            }
        }
        let width = |f: fn(&(String, String, String)) -> &String, title: &str| {
            rows.iter()
                .map(|r| f(r).chars().count())
                .max()
                .unwrap_or(0)
                .max(title.len())
        };
        let w0 = width(|r| &r.0, "package");
        let w1 = width(|r| &r.1, "kind");
        let mut out = format!("{:w0$}  {:w1$}  name\n", "package", "kind");
        let mut last = String::new();
        for (package, kind, name) in rows {
            let shown = if package == last {
                String::new()
            } else {
                package.clone()
            };
            out.push_str(&format!("{shown:w0$}  {kind:w1$}  {name}\n"));
            last = package;
        }
        out
    }
}

/// Names close to `name` among `names`, best first (at most five).
pub fn close_names(name: &str, names: &[&str]) -> Vec<String> {
    let mut close: Vec<String> = similar::get_close_matches(name, names, 5, 0.6)
        .into_iter()
        .map(str::to_string)
        .collect();
    // A name that contains what was typed is close too (`client` → `client-1`).
    for candidate in names {
        if close.len() >= 5 {
            break;
        }
        if !name.is_empty() && candidate.contains(name) && !close.iter().any(|c| c == candidate) {
            close.push(candidate.to_string());
        }
    }
    close
}

/// A program name used by more than one target.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    /// The shared name.
    pub name: String,
    /// Every target using it, as `(package, kind)`.
    pub owners: Vec<(String, Kind)>,
}

impl fmt::Display for Duplicate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let owners: Vec<String> = self
            .owners
            .iter()
            .map(|(package, kind)| format!("{kind} of {package}"))
            .collect();
        write!(f, "`{}` is used by {}", self.name, owners.join(", "))
    }
}

/// Every name that more than one bin or example uses, across all packages.
/// Bins and examples share one namespace here: a reader who types a name
/// should find exactly one program.
pub fn duplicates(programs: &[Program]) -> Vec<Duplicate> {
    let mut by_name: BTreeMap<&str, Vec<(String, Kind)>> = BTreeMap::new();
    for program in programs {
        by_name
            .entry(&program.name)
            .or_default()
            .push((program.package.clone(), program.kind));
    }
    by_name
        .into_iter()
        .filter(|(_, owners)| owners.len() > 1)
        .map(|(name, owners)| Duplicate {
            name: name.to_string(),
            owners,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const META: &str = r#"{
      "workspace_root": "/w", "target_directory": "/w/target",
      "packages": [
        {"name": "part-02", "manifest_path": "/w/parts/part-02/Cargo.toml", "targets": [
          {"kind": ["lib"], "name": "part_02", "src_path": "/w/parts/part-02/src/lib.rs"},
          {"kind": ["bin"], "name": "part-02", "src_path": "/w/parts/part-02/src/main.rs"},
          {"kind": ["bin"], "name": "slowpoetry", "src_path": "/w/parts/part-02/src/bin/slowpoetry.rs"},
          {"kind": ["example"], "name": "hello", "src_path": "/w/parts/part-02/examples/hello.rs"},
          {"kind": ["test"], "name": "t", "src_path": "/w/parts/part-02/tests/t.rs"}
        ]}
      ]
    }"#;

    #[test]
    fn metadata_gives_bins_and_examples_only() {
        let p = Programs::parse(META).unwrap();
        let names: Vec<&str> = p.programs.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["part-02", "slowpoetry", "hello"]);
        assert!(p.programs[0].is_default());
        assert_eq!(
            p.executable(&p.programs[2]),
            Path::new("/w/target/debug/examples/hello")
        );
        assert_eq!(p.find("slowpoetry").unwrap().kind, Kind::Bin);
        let err = p.find("slowpoem").unwrap_err().to_string();
        assert!(err.contains("slowpoetry"), "{err}");
        assert!(p.table().contains("bin (default)"));
    }
}

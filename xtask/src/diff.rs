//! `cargo xtask diff A B`: what changed from one program to the next.
//!
//! The series moves in small steps (client 3.0 becomes client 4.0 by
//! returning a deferred), and the quickest way to see a step is to diff the
//! two programs' sources. This prints a unified diff with file and hunk
//! headers, in colour when asked to.
//!
//! Much of the series' code evolves in the parts' libraries rather than in
//! programs (`get_poetry` from part 5 to part 8), so the same command also
//! diffs two anchored regions, the ones the book includes:
//! `cargo xtask diff part-06/src/callback.rs:get_poetry
//! part-08/src/poetry.rs:get_poetry`.

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use similar::{ChangeTag, TextDiff};

use crate::includes::anchored;
use crate::programs::Program;

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const CYAN: &str = "\x1b[36m";

/// Lines of context around each change.
pub const CONTEXT: usize = 3;

/// The unified diff of two texts, with `---`/`+++` file headers and `@@`
/// hunk headers; empty when the texts are equal. With `color`, removed lines
/// are red, added lines green, hunk headers cyan and file headers bold.
pub fn unified(old_label: &str, old: &str, new_label: &str, new: &str, color: bool) -> String {
    let diff = TextDiff::from_lines(old, new);
    let mut out = String::new();
    let paint = |text: &str, code: &str| {
        if color {
            format!("{code}{text}{RESET}")
        } else {
            text.to_string()
        }
    };
    for (index, hunk) in diff
        .unified_diff()
        .context_radius(CONTEXT)
        .iter_hunks()
        .enumerate()
    {
        if index == 0 {
            out.push_str(&paint(&format!("--- {old_label}"), BOLD));
            out.push('\n');
            out.push_str(&paint(&format!("+++ {new_label}"), BOLD));
            out.push('\n');
        }
        out.push_str(&paint(&hunk.header().to_string(), CYAN));
        out.push('\n');
        for change in hunk.iter_changes() {
            let (sign, code) = match change.tag() {
                ChangeTag::Delete => ('-', Some(RED)),
                ChangeTag::Insert => ('+', Some(GREEN)),
                ChangeTag::Equal => (' ', None),
            };
            let line = format!("{sign}{}", change.value().trim_end_matches('\n'));
            match code {
                Some(code) => out.push_str(&paint(&line, code)),
                None => out.push_str(&line),
            }
            out.push('\n');
            if change.missing_newline() {
                out.push_str("\\ No newline at end of file\n");
            }
        }
    }
    out
}

/// Diffs the sources of two programs. Their root files are compared with
/// each other; other files (of programs kept in a folder of their own) are
/// paired by their path inside that folder, and a file only one side has is
/// compared with nothing. Paths in headers are relative to `root`.
pub fn programs(root: &Path, old: &Program, new: &Program, color: bool) -> Result<String> {
    let old_files = old.source_files();
    let new_files = new.source_files();
    let mut pairs: Vec<(Option<PathBuf>, Option<PathBuf>)> =
        vec![(Some(old_files[0].clone()), Some(new_files[0].clone()))];
    let inner = |program: &Program, file: &Path| -> PathBuf {
        let dir = program.src_path.parent().unwrap_or(Path::new(""));
        file.strip_prefix(dir).unwrap_or(file).to_path_buf()
    };
    for file in &old_files[1..] {
        let rel = inner(old, file);
        let partner = new_files[1..]
            .iter()
            .find(|f| inner(new, f) == rel)
            .cloned();
        pairs.push((Some(file.clone()), partner));
    }
    for file in &new_files[1..] {
        let rel = inner(new, file);
        if !old_files[1..].iter().any(|f| inner(old, f) == rel) {
            pairs.push((None, Some(file.clone())));
        }
    }

    let show = |path: &Path| {
        path.strip_prefix(root)
            .unwrap_or(path)
            .display()
            .to_string()
    };
    let read = |path: &Option<PathBuf>| -> Result<(String, String)> {
        match path {
            None => Ok(("/dev/null".to_string(), String::new())),
            Some(path) => {
                let text = fs::read_to_string(path)
                    .with_context(|| format!("cannot read {}", path.display()))?;
                Ok((show(path), text))
            }
        }
    };
    let mut out = String::new();
    for (a, b) in &pairs {
        let (a_label, a_text) = read(a)?;
        let (b_label, b_text) = read(b)?;
        out.push_str(&unified(&a_label, &a_text, &b_label, &b_text, color));
    }
    Ok(out)
}

/// A region of a source file, named `PATH:ANCHOR`: the lines between
/// `ANCHOR: name` and `ANCHOR_END: name`. `PATH` is relative to the
/// workspace root or to its `parts/` folder (`part-08/src/poetry.rs`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Region {
    /// The file, as found.
    pub path: PathBuf,
    /// The anchor's name.
    pub anchor: String,
}

impl Region {
    /// Whether `spec` names a region rather than a program: it has a path
    /// and an anchor.
    pub fn is_region(spec: &str) -> bool {
        spec.rsplit_once(':')
            .is_some_and(|(path, anchor)| path.contains('/') && !anchor.is_empty())
    }

    /// Finds the file `spec` names under `root`.
    pub fn find(root: &Path, spec: &str) -> Result<Region> {
        let Some((path, anchor)) = spec.rsplit_once(':').filter(|_| Region::is_region(spec)) else {
            bail!("`{spec}` is not PATH:ANCHOR (e.g. part-08/src/poetry.rs:get_poetry)");
        };
        let path = [root.join(path), root.join("parts").join(path)]
            .into_iter()
            .find(|candidate| candidate.is_file())
            .ok_or_else(|| anyhow!("no file `{path}` in the workspace or in parts/"))?;
        Ok(Region {
            path,
            anchor: anchor.to_string(),
        })
    }

    /// The region's lines, as the book shows them.
    pub fn text(&self) -> Result<String> {
        let text = fs::read_to_string(&self.path)
            .with_context(|| format!("cannot read {}", self.path.display()))?;
        anchored(&text, &self.anchor)
            .map_err(|problem| anyhow!("{}: {problem}", self.path.display()))
    }

    /// `parts/part-08/src/poetry.rs:get_poetry`, from `root`.
    pub fn label(&self, root: &Path) -> String {
        let path = self.path.strip_prefix(root).unwrap_or(&self.path);
        format!("{}:{}", path.display(), self.anchor)
    }
}

/// Diffs two anchored regions (see [`Region`]).
pub fn regions(root: &Path, old: &Region, new: &Region, color: bool) -> Result<String> {
    Ok(unified(
        &old.label(root),
        &old.text()?,
        &new.label(root),
        &new.text()?,
        color,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_diff_has_headers() {
        let out = unified(
            "a.rs",
            "one\ntwo\nthree\n",
            "b.rs",
            "one\n2\nthree\n",
            false,
        );
        assert_eq!(
            out,
            "--- a.rs\n+++ b.rs\n@@ -1,3 +1,3 @@\n one\n-two\n+2\n three\n"
        );
        assert!(unified("a", "x\n", "b", "x\n", false).is_empty());
    }

    #[test]
    fn a_region_is_a_path_and_an_anchor() {
        assert!(Region::is_region("part-08/src/poetry.rs:get_poetry"));
        assert!(!Region::is_region("client-4"));
        assert!(!Region::is_region("part-08/src/poetry.rs:"));
        assert!(!Region::is_region("poetry.rs:get_poetry"));
    }

    #[test]
    fn colour_only_when_asked() {
        let out = unified("a", "x\n", "b", "y\n", true);
        assert!(out.contains("\x1b[31m-x"), "{out:?}");
        assert!(out.contains("\x1b[32m+y"), "{out:?}");
        assert!(!unified("a", "x\n", "b", "y\n", false).contains('\x1b'));
    }
}

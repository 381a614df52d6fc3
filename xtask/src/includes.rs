//! Checks a book's chapters before mdBook sees them.
//!
//! mdBook only logs a warning when an `{{#include …}}` names a file that is
//! not there, or an anchor the file does not have, and then builds a book with
//! a hole in it. Here every such link is checked, and so is every figure
//! (`figures/*.svg`) a chapter points to, so that a broken one fails the build
//! with the file and line to fix.

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};

/// One thing wrong in a chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The chapter file.
    pub file: PathBuf,
    /// The 1-based line of the chapter.
    pub line: usize,
    /// What is wrong.
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.file.display(), self.line, self.message)
    }
}

/// The part of a file an include asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Selection {
    /// The whole file.
    All,
    /// Lines `start..=end`, 1-based; either end may be open.
    Lines {
        /// The first line, if given.
        start: Option<usize>,
        /// The last line, if given.
        end: Option<usize>,
    },
    /// The lines between `ANCHOR: name` and `ANCHOR_END: name`.
    Anchor(String),
}

/// A `{{#include …}}`, `{{#rustdoc_include …}}` or `{{#playground …}}` in a
/// chapter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The 1-based line where the link starts.
    pub line: usize,
    /// `include`, `rustdoc_include` or `playground`.
    pub kind: String,
    /// The file, relative to the chapter.
    pub path: String,
    /// Which part of the file.
    pub selection: Selection,
}

/// Splits `PATH`, `PATH:ANCHOR`, `PATH:N`, `PATH:N:M`, `PATH:N:`, `PATH::M`
/// the way mdBook does.
pub fn parse_target(arg: &str) -> (String, Selection) {
    let mut parts = arg.splitn(3, ':');
    let path = parts.next().unwrap_or_default().to_string();
    let Some(first) = parts.next() else {
        return (path, Selection::All);
    };
    let second = parts.next();
    let start = first.parse::<usize>().ok();
    if start.is_none() && !first.is_empty() {
        return (path, Selection::Anchor(first.to_string()));
    }
    let end = match second {
        // `PATH:N` is line N alone.
        None => start,
        Some(text) => text.parse::<usize>().ok(),
    };
    (path, Selection::Lines { start, end })
}

/// Finds the include-like links in a chapter's text. An escaped link
/// (`\{{#include …}}`) is left alone, as mdBook leaves it.
pub fn find_links(text: &str) -> Vec<Link> {
    let mut links = Vec::new();
    let mut from = 0;
    while let Some(found) = text[from..].find("{{") {
        let start = from + found;
        from = start + 2;
        if text[..start].ends_with('\\') {
            continue;
        }
        let Some(close) = text[start..].find("}}") else {
            break;
        };
        let inner = text[start + 2..start + close].trim_start();
        let Some(inner) = inner.strip_prefix('#') else {
            continue;
        };
        let mut words = inner.split_whitespace();
        let kind = words.next().unwrap_or_default();
        if !matches!(kind, "include" | "rustdoc_include" | "playground") {
            continue;
        }
        let line = text[..start].matches('\n').count() + 1;
        let (path, selection) = parse_target(words.next().unwrap_or_default());
        links.push(Link {
            line,
            kind: kind.to_string(),
            path,
            selection,
        });
        from = start + close + 2;
    }
    links
}

/// Finds the figures a chapter refers to: every `…figures/NAME.svg` path,
/// with the 1-based line it is on.
pub fn find_figures(text: &str) -> Vec<(usize, String)> {
    let is_path_char = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '/' | '_' | '-');
    let mut figures = Vec::new();
    for (index, line) in text.lines().enumerate() {
        let mut from = 0;
        while let Some(found) = line[from..].find(".svg") {
            let end = from + found + ".svg".len();
            from = end;
            if line[end..].chars().next().is_some_and(is_path_char) {
                continue;
            }
            let start = line[..end]
                .rfind(|c: char| !is_path_char(c))
                .map_or(0, |i| {
                    i + line[i..].chars().next().map_or(1, char::len_utf8)
                });
            let path = &line[start..end];
            let in_figures = path.starts_with("figures/") || path.contains("/figures/");
            let is_url = path.starts_with("//");
            if in_figures && !is_url {
                figures.push((index + 1, path.to_string()));
            }
        }
    }
    figures
}

/// Whether `text` has both `ANCHOR: name` and, after it, `ANCHOR_END: name`.
pub fn has_anchor(text: &str, name: &str) -> Result<(), String> {
    let mut begin = None;
    for (index, line) in text.lines().enumerate() {
        if begin.is_none() && marks(line, "ANCHOR:", name) {
            begin = Some(index);
        } else if marks(line, "ANCHOR_END:", name) {
            return match begin {
                Some(_) => Ok(()),
                None => Err(format!(
                    "`ANCHOR_END: {name}` comes before `ANCHOR: {name}`"
                )),
            };
        }
    }
    Err(match begin {
        Some(_) => format!("has `ANCHOR: {name}` but no `ANCHOR_END: {name}`"),
        None => format!("has no `ANCHOR: {name}`"),
    })
}

/// The lines between `ANCHOR: name` and `ANCHOR_END: name` in `text`, as
/// mdBook includes them: without any anchor line (of this or another
/// anchor) inside the region.
pub fn anchored(text: &str, name: &str) -> Result<String, String> {
    has_anchor(text, name)?;
    let mut region = String::new();
    let mut inside = false;
    for line in text.lines() {
        if !inside {
            inside = marks(line, "ANCHOR:", name);
            continue;
        }
        if marks(line, "ANCHOR_END:", name) {
            break;
        }
        if !line.contains("ANCHOR:") && !line.contains("ANCHOR_END:") {
            region.push_str(line);
            region.push('\n');
        }
    }
    Ok(region)
}

/// Whether `line` holds `marker` followed (after optional spaces) by exactly
/// the anchor `name`.
fn marks(line: &str, marker: &str, name: &str) -> bool {
    let is_name_char = |c: char| c.is_alphanumeric() || c == '_' || c == '-';
    line.match_indices(marker).any(|(at, _)| {
        let rest = line[at + marker.len()..].trim_start();
        let word: &str = &rest[..rest.find(|c| !is_name_char(c)).unwrap_or(rest.len())];
        word == name
    })
}

/// Checks one chapter whose text is `text` and which lives at `chapter`.
pub fn check_chapter(chapter: &Path, text: &str) -> Vec<Problem> {
    let dir = chapter.parent().unwrap_or(Path::new("."));
    let mut problems = Vec::new();
    let mut problem = |line, message: String| {
        problems.push(Problem {
            file: chapter.to_path_buf(),
            line,
            message,
        });
    };

    for link in find_links(text) {
        if link.path.is_empty() {
            problem(link.line, format!("`{{{{#{}}}}}` names no file", link.kind));
            continue;
        }
        let target = dir.join(&link.path);
        let content = match fs::read_to_string(&target) {
            Ok(content) => content,
            Err(err) => {
                problem(
                    link.line,
                    format!("{} of `{}`: cannot read it ({err})", link.kind, link.path),
                );
                continue;
            }
        };
        match &link.selection {
            Selection::All => {}
            Selection::Anchor(name) => {
                if let Err(why) = has_anchor(&content, name) {
                    problem(
                        link.line,
                        format!("{} of `{}:{name}`: the file {why}", link.kind, link.path),
                    );
                }
            }
            Selection::Lines { start, end } => {
                let count = content.lines().count();
                if let Some(start) = *start
                    && start > count
                {
                    problem(
                        link.line,
                        format!(
                            "{} of `{}` from line {start}, but the file has {count} lines",
                            link.kind, link.path
                        ),
                    );
                }
                if let (Some(start), Some(end)) = (*start, *end)
                    && end < start
                {
                    problem(
                        link.line,
                        format!(
                            "{} of `{}`: line range {start}:{end} is empty",
                            link.kind, link.path
                        ),
                    );
                }
            }
        }
    }

    for (line, figure) in find_figures(text) {
        if !dir.join(&figure).is_file() {
            problem(line, format!("figure `{figure}` does not exist"));
        }
    }
    problems
}

/// Checks every Markdown file under `src_dir` (a book's `src`), in a stable
/// order.
pub fn check_book(src_dir: &Path) -> Result<Vec<Problem>> {
    let mut chapters = Vec::new();
    collect_markdown(src_dir, &mut chapters)?;
    chapters.sort();
    let mut problems = Vec::new();
    for chapter in chapters {
        let text = fs::read_to_string(&chapter)
            .with_context(|| format!("cannot read {}", chapter.display()))?;
        problems.extend(check_chapter(&chapter, &text));
    }
    Ok(problems)
}

fn collect_markdown(dir: &Path, into: &mut Vec<PathBuf>) -> Result<()> {
    let entries = fs::read_dir(dir).with_context(|| format!("cannot list {}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            collect_markdown(&path, into)?;
        } else if path.extension().is_some_and(|e| e == "md") {
            into.push(path);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_like_mdbook() {
        assert_eq!(parse_target("a.rs"), ("a.rs".into(), Selection::All));
        assert_eq!(
            parse_target("a.rs:chain"),
            ("a.rs".into(), Selection::Anchor("chain".into()))
        );
        assert_eq!(
            parse_target("a.rs:3"),
            (
                "a.rs".into(),
                Selection::Lines {
                    start: Some(3),
                    end: Some(3)
                }
            )
        );
        assert_eq!(
            parse_target("a.rs:3:"),
            (
                "a.rs".into(),
                Selection::Lines {
                    start: Some(3),
                    end: None
                }
            )
        );
        assert_eq!(
            parse_target("a.rs::7"),
            (
                "a.rs".into(),
                Selection::Lines {
                    start: None,
                    end: Some(7)
                }
            )
        );
    }

    #[test]
    fn links_found_with_lines_and_escapes_skipped() {
        let text = "intro\n{{#include a.rs:x}}\n\\{{#include skipped.rs}}\n{{ #rustdoc_include b.rs:2:4 }}\n{{#title T}}\n";
        let links = find_links(text);
        assert_eq!(links.len(), 2);
        assert_eq!((links[0].line, links[0].path.as_str()), (2, "a.rs"));
        assert_eq!(links[1].kind, "rustdoc_include");
        assert_eq!(links[1].line, 4);
    }

    #[test]
    fn figures_found() {
        let text = "![models](figures/models.svg)\n<img src=\"../figures/x-1.svg\">\nsee https://example.invalid/figures/y.svg\nnot.svgx\n";
        assert_eq!(
            find_figures(text),
            vec![
                (1, "figures/models.svg".into()),
                (2, "../figures/x-1.svg".into())
            ]
        );
    }

    #[test]
    fn anchors_need_both_ends_in_order() {
        assert!(has_anchor("// ANCHOR: a\nx\n// ANCHOR_END: a\n", "a").is_ok());
        assert!(has_anchor("// ANCHOR: ab\n// ANCHOR_END: ab\n", "a").is_err());
        assert!(has_anchor("// ANCHOR: a\n", "a").is_err());
        assert!(has_anchor("// ANCHOR_END: a\n// ANCHOR: a\n", "a").is_err());
    }

    #[test]
    fn anchored_takes_the_region_without_anchor_lines() {
        let text =
            "x\n// ANCHOR: a\none\n  // ANCHOR: b\ntwo\n  // ANCHOR_END: b\n// ANCHOR_END: a\ny\n";
        assert_eq!(anchored(text, "a").unwrap(), "one\ntwo\n");
        assert_eq!(anchored(text, "b").unwrap(), "two\n");
        assert!(
            anchored(text, "c")
                .unwrap_err()
                .contains("has no `ANCHOR: c`")
        );
    }
}

//! How long each chapter is: its prose words, counted in every
//! `cargo xtask book` so that length stays visible.
//!
//! Prose is what is left of a chapter's Markdown after taking out fenced
//! code blocks (```` ``` ```` or `~~~`), `{{#include …}}`-style directives
//! and HTML comments; a word is a run of non-whitespace. The count only
//! informs: it never fails a build.

use std::fs;
use std::path::Path;

use anyhow::{Context, Result};

/// The prose words of one chapter's Markdown.
pub fn prose_words(markdown: &str) -> usize {
    let prose = strip_comments(markdown);
    let mut words = 0;
    let mut fence: Option<&str> = None;
    for line in prose.lines() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if let Some(open) = ["```", "~~~"].into_iter().find(|f| trimmed.starts_with(f)) {
            fence = Some(open);
            continue;
        }
        words += strip_directives(line).split_whitespace().count();
    }
    words
}

/// `text` without its HTML comments (`<!-- … -->`, over several lines too).
fn strip_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("<!--") {
        out.push_str(&rest[..start]);
        match rest[start..].find("-->") {
            Some(end) => {
                // Keep the line breaks, so that fences stay on their lines.
                let comment = &rest[start..start + end + 3];
                out.extend(comment.chars().filter(|&c| c == '\n'));
                rest = &rest[start + end + 3..];
            }
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// `line` without its `{{#…}}` directives.
fn strip_directives(line: &str) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(start) = rest.find("{{#") {
        out.push_str(&rest[..start]);
        out.push(' ');
        match rest[start..].find("}}") {
            Some(end) => rest = &rest[start + end + 2..],
            None => return out,
        }
    }
    out.push_str(rest);
    out
}

/// Every chapter in `src` (its `*.md` files but `SUMMARY.md`), by file
/// name, with its prose words.
pub fn count_book(src: &Path) -> Result<Vec<(String, usize)>> {
    let mut chapters = Vec::new();
    for entry in fs::read_dir(src).with_context(|| format!("cannot read {}", src.display()))? {
        let path = entry?.path();
        let name = path
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        if path.extension().is_some_and(|ext| ext == "md") && name != "SUMMARY.md" {
            let text = fs::read_to_string(&path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            chapters.push((name, prose_words(&text)));
        }
    }
    chapters.sort();
    Ok(chapters)
}

/// The table `cargo xtask book` prints: one line per chapter, then the
/// total.
pub fn table(chapters: &[(String, usize)]) -> String {
    let width = chapters
        .iter()
        .map(|(name, _)| name.len())
        .max()
        .unwrap_or(0);
    let mut out = String::from("prose words per chapter (outside code and includes):\n");
    for (name, words) in chapters {
        out.push_str(&format!("  {name:<width$}  {words:>6}\n"));
    }
    let total: usize = chapters.iter().map(|(_, words)| words).sum();
    out.push_str(&format!("  {:<width$}  {total:>6}\n", "total"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn code_includes_and_comments_are_not_prose() {
        let chapter = "# Part 1 — Hello\n\
            \n\
            Two words here. <!-- not these\n\
            nor these --> and three more\n\
            \n\
            ```rust\n\
            fn main() { println!(\"not prose\"); }\n\
            ```\n\
            \n\
            ```console\n\
            {{#include output/part-01.txt}}\n\
            ```\n\
            ~~~\n\
            ``` still code\n\
            ~~~\n\
            See {{#include ../x.rs:a}} this.\n";
        // `# Part 1 — Hello` (5), `Two words here.` (3), `and three more`
        // (3), `See this.` (2).
        assert_eq!(prose_words(chapter), 13);
    }

    #[test]
    fn an_unclosed_fence_or_comment_hides_the_rest() {
        assert_eq!(prose_words("one two\n```\nthree\n"), 2);
        assert_eq!(prose_words("one <!-- two\nthree"), 1);
    }

    #[test]
    fn the_table_lists_every_chapter_and_the_total() {
        let table = table(&[("part-01.md".into(), 3000), ("part-02.md".into(), 12)]);
        assert_eq!(
            table,
            "prose words per chapter (outside code and includes):\n  \
             part-01.md    3000\n  \
             part-02.md      12\n  \
             total         3012\n"
        );
    }
}

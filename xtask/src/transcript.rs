//! Console transcripts: the files `book/src/output/NAME.txt` that show, in
//! the book, what a program printed.
//!
//! A transcript's first line is the command a reader would type, for example
//! `$ cargo run -p part-02 --bin slowpoetry -- --help`; the remaining lines
//! are what the program wrote to stdout and stderr, merged in the order it
//! wrote them. This module knows how to read that first line
//! ([`Invocation::parse`]) and how to decide whether fresh output still
//! matches a stored transcript ([`compare`]).
//!
//! Output that changes from run to run (timings, port numbers, the length of
//! a timeline bar) must not make the comparison fail, so both sides are
//! normalised first (see [`normalise_line`]), and a stored line that is
//! exactly `...` stands for any number of lines, none included.

use std::fmt;

/// The stored line that matches any number (zero or more) of output lines.
pub const ELLIPSIS: &str = "...";

/// The characters that draw a timeline in the terminal.
pub const TIMELINE_GLYPHS: [char; 5] = ['█', '▓', '▒', '░', '·'];

/// Which target of a package a transcript runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The package's default binary, `src/main.rs` (`cargo run -p PKG`).
    Default,
    /// A named binary (`--bin NAME`).
    Bin(String),
    /// An example (`--example NAME`).
    Example(String),
}

/// The command on a transcript's first line, taken apart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invocation {
    /// The package given with `-p`.
    pub package: String,
    /// Which of the package's programs runs.
    pub target: Target,
    /// The arguments after `--`, passed to the program.
    pub args: Vec<String>,
}

/// Why a transcript's first line is not a command we know how to run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// The line does not start with `$ `.
    #[error("the first line must start with `$ ` followed by the command")]
    NoPrompt,
    /// The command is not `cargo run`.
    #[error("the command must be `cargo run …`, found `{0}`")]
    NotCargoRun(String),
    /// A double quote was opened and never closed.
    #[error("unterminated double quote")]
    UnterminatedQuote,
    /// An option that needs a value was the last word.
    #[error("`{0}` needs a value")]
    MissingValue(String),
    /// An option other than `-p`, `--bin`, `--example` came before `--`.
    #[error(
        "unsupported option `{0}` (use -p, --bin, --example and `--` before the program's arguments)"
    )]
    UnknownOption(String),
    /// No `-p PKG` was given.
    #[error("the command must name its package with `-p PKG`")]
    NoPackage,
    /// An option was given twice, or both `--bin` and `--example`.
    #[error("`{0}` given twice (or both --bin and --example)")]
    Repeated(String),
}

impl Invocation {
    /// Parses a transcript's first line, such as
    /// `$ cargo run -p part-02 --bin blocking-client -- 10000 10001`.
    ///
    /// Words are separated by spaces; a word may be wrapped in double quotes
    /// to hold spaces (`-- "two words"`), and `""` is an empty argument.
    pub fn parse(line: &str) -> Result<Invocation, ParseError> {
        let rest = line
            .trim_end()
            .strip_prefix("$ ")
            .ok_or(ParseError::NoPrompt)?;
        let words = split_words(rest)?;
        let mut words = words.into_iter();
        match (words.next().as_deref(), words.next().as_deref()) {
            (Some("cargo"), Some("run")) => {}
            _ => return Err(ParseError::NotCargoRun(rest.trim().to_string())),
        }

        let mut package = None;
        let mut target = None;
        let mut args = Vec::new();
        while let Some(word) = words.next() {
            match word.as_str() {
                "-p" | "--package" => {
                    let value = words.next().ok_or(ParseError::MissingValue(word.clone()))?;
                    if package.replace(value).is_some() {
                        return Err(ParseError::Repeated(word));
                    }
                }
                "--bin" | "--example" => {
                    let value = words.next().ok_or(ParseError::MissingValue(word.clone()))?;
                    let chosen = if word == "--bin" {
                        Target::Bin(value)
                    } else {
                        Target::Example(value)
                    };
                    if target.replace(chosen).is_some() {
                        return Err(ParseError::Repeated(word));
                    }
                }
                "--" => {
                    args.extend(words.by_ref());
                }
                _ => return Err(ParseError::UnknownOption(word)),
            }
        }
        Ok(Invocation {
            package: package.ok_or(ParseError::NoPackage)?,
            target: target.unwrap_or(Target::Default),
            args,
        })
    }

    /// The name of the program that runs: the package's name for its default
    /// binary, otherwise the `--bin` or `--example` name.
    pub fn program(&self) -> &str {
        match &self.target {
            Target::Default => &self.package,
            Target::Bin(name) | Target::Example(name) => name,
        }
    }
}

impl fmt::Display for Invocation {
    /// Writes the line back as it appears in a transcript.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "$ cargo run -p {}", self.package)?;
        match &self.target {
            Target::Default => {}
            Target::Bin(name) => write!(f, " --bin {name}")?,
            Target::Example(name) => write!(f, " --example {name}")?,
        }
        if !self.args.is_empty() {
            write!(f, " --")?;
            for arg in &self.args {
                if arg.is_empty() || arg.contains(' ') {
                    write!(f, " \"{arg}\"")?;
                } else {
                    write!(f, " {arg}")?;
                }
            }
        }
        Ok(())
    }
}

/// Splits on spaces, keeping double-quoted stretches together.
fn split_words(text: &str) -> Result<Vec<String>, ParseError> {
    let mut words = Vec::new();
    let mut current = String::new();
    let mut in_word = false;
    let mut in_quotes = false;
    for c in text.chars() {
        match c {
            '"' => {
                in_quotes = !in_quotes;
                in_word = true;
            }
            ' ' | '\t' if !in_quotes => {
                if in_word {
                    words.push(std::mem::take(&mut current));
                    in_word = false;
                }
            }
            _ => {
                current.push(c);
                in_word = true;
            }
        }
    }
    if in_quotes {
        return Err(ParseError::UnterminatedQuote);
    }
    if in_word {
        words.push(current);
    }
    Ok(words)
}

/// Normalises one line of output so that what may vary between runs does
/// not count:
///
/// - every run of ASCII digits becomes `#`;
/// - a run of spaces next to a number becomes one space (a number padded
///   to a column is as wide as its digits, and their count may vary);
/// - every run of timeline glyphs (`█ ▓ ▒ ░ ·`), together with the spaces
///   between, before and after them, becomes `~`;
/// - trailing whitespace is dropped.
///
/// ```
/// use xtask::transcript::normalise_line;
/// assert_eq!(normalise_line("took 12.05 s"), "took #.# s");
/// assert_eq!(normalise_line("A |██  ▓▓ | 3"), "A |~| #");
/// assert_eq!(normalise_line("ran 1.35s,  951 ms late"), "ran #.#s, # ms late");
/// assert_eq!(normalise_line("ran 1.35s, 1002 ms late"), "ran #.#s, # ms late");
/// ```
pub fn normalise_line(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let chars: Vec<char> = line.trim_end().chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_ascii_digit() {
            while i < chars.len() && chars[i].is_ascii_digit() {
                i += 1;
            }
            out.push('#');
        } else if c == ' ' || TIMELINE_GLYPHS.contains(&c) {
            // A stretch of spaces and glyphs: it is a timeline run if it holds
            // at least one glyph; otherwise the spaces are kept as they are.
            let start = i;
            while i < chars.len() && (chars[i] == ' ' || TIMELINE_GLYPHS.contains(&chars[i])) {
                i += 1;
            }
            let stretch = &chars[start..i];
            let next_to_number =
                out.ends_with('#') || chars.get(i).is_some_and(char::is_ascii_digit);
            if stretch.iter().any(|c| TIMELINE_GLYPHS.contains(c)) {
                out.push('~');
            } else if next_to_number {
                out.push(' ');
            } else {
                out.extend(stretch);
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Normalises every line of a text (see [`normalise_line`]) and drops
/// trailing empty lines.
pub fn normalise(text: &str) -> Vec<String> {
    let mut lines: Vec<String> = text.lines().map(normalise_line).collect();
    while lines.last().is_some_and(|l| l.is_empty()) {
        lines.pop();
    }
    lines
}

/// How fresh output differs from a stored transcript.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    /// The 1-based line of the stored body (the lines after the command)
    /// where matching first became impossible.
    pub stored_line: usize,
    /// A unified diff of the normalised stored body against the normalised
    /// fresh output.
    pub diff: String,
}

impl fmt::Display for Mismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "the output no longer matches the transcript (from its body's line {} on; \
             digits shown as #, timeline bars as ~):",
            self.stored_line
        )?;
        write!(f, "{}", self.diff)
    }
}

/// Compares a stored transcript body (without its command line) with fresh
/// output, both normalised; a stored line `...` matches any number of lines.
pub fn compare(stored: &str, actual: &str) -> Result<(), Mismatch> {
    let expected = normalise(stored);
    let got = normalise(actual);
    match first_failure(&expected, &got) {
        None => Ok(()),
        Some(stored_line) => {
            let old = join_lines(&expected);
            let new = join_lines(&got);
            let diff = similar::TextDiff::from_lines(&old, &new)
                .unified_diff()
                .context_radius(3)
                .header("transcript", "program output")
                .to_string();
            Err(Mismatch {
                stored_line: stored_line + 1,
                diff,
            })
        }
    }
}

fn join_lines(lines: &[String]) -> String {
    let mut text = String::new();
    for line in lines {
        text.push_str(line);
        text.push('\n');
    }
    text
}

/// Matches `expected` (with `...` wildcards) against `got`. Returns `None`
/// on a match, or the index of the furthest expected line any attempt got to.
fn first_failure(expected: &[String], got: &[String]) -> Option<usize> {
    let (n, m) = (expected.len(), got.len());
    // can[i][j]: expected[i..] matches got[j..].
    let mut can = vec![vec![false; m + 1]; n + 1];
    can[n][m] = true;
    for i in (0..n).rev() {
        for j in (0..=m).rev() {
            can[i][j] = if expected[i] == ELLIPSIS {
                can[i + 1][j] || (j < m && can[i][j + 1])
            } else {
                j < m && expected[i] == got[j] && can[i + 1][j + 1]
            };
        }
    }
    if can[0][0] {
        return None;
    }
    // Walk forward along prefixes that still match, to find how far the
    // transcript agrees with the output before it cannot go on.
    let mut reach = vec![vec![false; m + 1]; n + 1];
    reach[0][0] = true;
    let mut furthest = 0;
    for i in 0..n {
        for j in 0..=m {
            if !reach[i][j] {
                continue;
            }
            furthest = furthest.max(i);
            if expected[i] == ELLIPSIS {
                reach[i + 1][j] = true;
                if j < m {
                    reach[i][j + 1] = true;
                }
            } else if j < m && expected[i] == got[j] {
                reach[i + 1][j + 1] = true;
            }
        }
    }
    if (0..=m).any(|j| reach[n][j]) {
        // The whole transcript matched a prefix: the output has extra lines.
        furthest = n;
    }
    Some(furthest)
}

/// A whole transcript file: its command and its stored output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Transcript {
    /// The command on the first line.
    pub invocation: Invocation,
    /// The lines after the first, as stored.
    pub body: String,
}

impl Transcript {
    /// Parses the text of a transcript file.
    pub fn parse(text: &str) -> Result<Transcript, ParseError> {
        let (first, body) = text.split_once('\n').unwrap_or((text, ""));
        Ok(Transcript {
            invocation: Invocation::parse(first)?,
            body: body.to_string(),
        })
    }

    /// The text of a transcript file for `invocation` whose program printed
    /// `output`: the command line, then the output with trailing whitespace
    /// removed from each line, ending in one newline.
    pub fn render(invocation: &Invocation, output: &str) -> String {
        let mut text = format!("{invocation}\n");
        let mut lines: Vec<&str> = output.lines().map(str::trim_end).collect();
        while lines.last().is_some_and(|l| l.is_empty()) {
            lines.pop();
        }
        for line in lines {
            text.push_str(line);
            text.push('\n');
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_words() {
        assert_eq!(
            split_words(r#"a "b c" "" d"#).unwrap(),
            vec!["a", "b c", "", "d"]
        );
        assert_eq!(split_words(r#"a "b"#), Err(ParseError::UnterminatedQuote));
    }

    #[test]
    fn render_then_parse_round_trips() {
        let inv = Invocation::parse(r#"$ cargo run -p p --example e -- "x y" z"#).unwrap();
        let text = Transcript::render(&inv, "hello   \nworld\n\n\n");
        assert_eq!(
            text,
            "$ cargo run -p p --example e -- \"x y\" z\nhello\nworld\n"
        );
        let back = Transcript::parse(&text).unwrap();
        assert_eq!(back.invocation, inv);
        assert!(compare(&back.body, "hello\nworld\n").is_ok());
    }

    #[test]
    fn mismatch_points_at_first_bad_line() {
        let err = compare("one\ntwo\nthree\n", "one\nTWO\nthree\n").unwrap_err();
        assert_eq!(err.stored_line, 2);
        assert!(err.diff.contains("-two"), "{}", err.diff);
        assert!(err.diff.contains("+TWO"), "{}", err.diff);
    }
}

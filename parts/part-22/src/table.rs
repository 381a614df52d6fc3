//! The tour's table, as text for the terminal.
//!
//! One row per client: its name, its part, what it runs on, the ideas it
//! uses, its lines of code and the time it took. A dotted leader joins
//! the ideas to the numbers, so the eye can follow a row across.

use std::fmt::Write;

use crate::tour::Row;

/// How wide the ideas column is, leader included.
const IDEAS: usize = 52;

/// The leader's dot.
const DOT: char = '·';

/// The table's heading line, for client names up to `names` wide.
pub fn heading(names: usize) -> String {
    format!(
        "{:<names$} {:>4}  {:<14}  {:<width$} {:>5}  {}",
        "client",
        "part",
        "runs on",
        "ideas",
        "lines",
        "time",
        width = IDEAS
    )
}

/// One row: `client-4  8  our reactor  reactor, callbacks ····  72  1.1s`,
/// with the client's name padded to `names`.
pub fn row(row: &Row, names: usize) -> String {
    let client = &row.client;
    let ideas = if client.concepts.is_empty() {
        "none".to_string()
    } else {
        client
            .concepts
            .iter()
            .map(|c| c.label())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let dots = IDEAS.saturating_sub(ideas.chars().count() + 1).max(2);
    let leader: String = std::iter::repeat_n(DOT, dots).collect();
    let mut line = format!(
        "{:<names$} {:>4}  {:<14}  {ideas} {leader} {:>5}  {:.1}s",
        client.name,
        client.part(),
        client.runs_on.label(),
        row.lines,
        row.took.as_secs_f64()
    );
    if let Err(why) = &row.verdict {
        let _ = write!(line, "  FAILED: {why}");
    }
    line
}

/// The whole table: heading, a rule, and a row per client.
pub fn render(rows: &[Row]) -> String {
    let names = rows
        .iter()
        .map(|r| r.client.name.len())
        .fold("client".len(), usize::max);
    let heading = heading(names);
    let mut text = String::new();
    let _ = writeln!(text, "{heading}");
    let _ = writeln!(text, "{}", "-".repeat(heading.chars().count()));
    for r in rows {
        let _ = writeln!(text, "{}", row(r, names));
    }
    text
}

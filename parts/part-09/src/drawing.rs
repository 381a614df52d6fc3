//! Draws a [`Trace`] in the terminal: two columns, callbacks on the left and
//! errbacks on the right, one row per pair, and a line that follows the
//! result or failure from row to row, crossing over when it changes sides.
//!
//! ```text
//! chain: result f/p p/r p/p
//!
//!            callbacks                 errbacks
//!   fired    "poem"
//!            │
//!   pair 1   ● fail → ✗ "failure 1"    ○ pass
//!            └─────────────────────────┐
//!   pair 2   ○ pass                    ● return → "value 2"
//!            ┌─────────────────────────┘
//!   pair 3   ● pass → "value 2"        ○ pass
//!            │
//!   end      "value 2"
//! ```
//!
//! `●` marks the function that ran and what it passed on, `○` the one that
//! did not; a result is quoted, a failure carries a `✗`.

use crate::chain::{Action, Pair};
use crate::simulator::{Seen, Side, Step, Trace};

/// Width of the label column (`  pair 12 `).
const LABEL: usize = 11;
/// Spaces between the end of the widest callback cell and the errbacks.
const GAP: usize = 4;

/// What the drawing's marks mean, for a reader seeing it the first time.
pub const KEY: &str =
    "● ran (→ what it passed on)   ○ not called   \"…\" a result   ✗ \"…\" a failure";

/// One row of the drawing.
struct Row {
    label: String,
    callback: String,
    errback: String,
    /// The side the result or failure is on in this row.
    side: Side,
}

/// The cell of the side that ran.
fn ran_cell(pair: &Pair, step: &Step) -> String {
    let action = match pair {
        Pair::Split { callback, errback } => match step.side {
            Side::Callback => callback,
            Side::Errback => errback,
        },
        Pair::Both(action) => action,
    };
    match (pair, step.ran) {
        (_, false) => "│ (none)".to_string(),
        (Pair::Both(_), true) => format!("● both {} → {}", action.name(), step.output),
        (Pair::Split { .. }, true) => format!("● {} → {}", action.name(), step.output),
    }
}

/// The cell of the side that did not run.
fn skipped_cell(action: &Action) -> String {
    match action {
        Action::Nothing => "  (none)".to_string(),
        action => format!("○ {}", action.name()),
    }
}

/// A row for one pair.
fn pair_row(pair: &Pair, step: &Step) -> Row {
    let ran = ran_cell(pair, step);
    let skipped = match pair {
        Pair::Both(_) => "○ both".to_string(),
        Pair::Split { callback, errback } => match step.side {
            Side::Callback => skipped_cell(errback),
            Side::Errback => skipped_cell(callback),
        },
    };
    let (callback, errback) = match step.side {
        Side::Callback => (ran, skipped),
        Side::Errback => (skipped, ran),
    };
    Row {
        label: format!("pair {}", step.pair),
        callback,
        errback,
        side: step.side,
    }
}

/// A row with one outcome in its side's column.
fn outcome_row(label: &str, seen: &Seen) -> Row {
    let (callback, errback) = match seen.side() {
        Side::Callback => (seen.to_string(), String::new()),
        Side::Errback => (String::new(), seen.to_string()),
    };
    Row {
        label: label.to_string(),
        callback,
        errback,
        side: seen.side(),
    }
}

fn width(text: &str) -> usize {
    text.chars().count()
}

/// The line between two rows: straight down, or across to the other side.
fn connector(from: Side, to: Side, errbacks_at: usize) -> String {
    let run = "─".repeat(errbacks_at - LABEL - 1);
    let lead = " ".repeat(LABEL);
    match (from, to) {
        (Side::Callback, Side::Callback) => format!("{lead}│"),
        (Side::Errback, Side::Errback) => format!("{}│", " ".repeat(errbacks_at)),
        (Side::Callback, Side::Errback) => format!("{lead}└{run}┐"),
        (Side::Errback, Side::Callback) => format!("{lead}┌{run}┘"),
    }
}

// ANCHOR: draw
/// The whole drawing of one run, ending with a newline.
pub fn draw(trace: &Trace) -> String {
    let mut rows = vec![outcome_row("fired", &trace.start)];
    for (pair, step) in trace.chain.pairs.iter().zip(&trace.steps) {
        rows.push(pair_row(pair, step));
    }
    rows.push(outcome_row("end", &trace.end));

    let widest = rows
        .iter()
        .map(|row| width(&row.callback))
        .chain([width("callbacks")])
        .max()
        .unwrap_or(0);
    let errbacks_at = LABEL + widest + GAP;
    let line = |label: &str, callback: &str, errback: &str| {
        let text = format!(
            "  {label:<w$}{callback}{pad}{errback}",
            w = LABEL - 2,
            pad = " ".repeat((errbacks_at - LABEL).saturating_sub(width(callback))),
        );
        text.trim_end().to_string()
    };

    let mut out = vec![format!("chain: {}", trace.chain), String::new()];
    out.push(line("", "callbacks", "errbacks"));
    for (index, row) in rows.iter().enumerate() {
        out.push(line(&row.label, &row.callback, &row.errback));
        if let Some(next) = rows.get(index + 1) {
            out.push(connector(row.side, next.side, errbacks_at));
        }
    }
    if let Some(report) = &trace.unhandled {
        out.push(line(
            "dropped",
            &format!("Unhandled error in Deferred: {report}"),
            "",
        ));
    }
    let mut text = out.join("\n");
    text.push('\n');
    text
}
// ANCHOR_END: draw

#[cfg(test)]
mod tests {
    use super::*;
    use crate::chain::Chain;
    use crate::simulator::simulate;

    fn picture(line: &str) -> String {
        draw(&simulate(&Chain::parse(line).unwrap()))
    }

    #[test]
    fn the_module_example_is_what_the_simulator_draws() {
        let doc = include_str!("drawing.rs");
        let start = doc.find("//! chain: result f/p p/r p/p").unwrap();
        let example: String = doc[start..]
            .lines()
            .take_while(|line| *line != "//! ```")
            .map(|line| {
                let line = line.strip_prefix("//!").unwrap_or(line);
                format!("{}\n", line.strip_prefix(' ').unwrap_or(line))
            })
            .collect();
        assert_eq!(picture("result f/p p/r p/p"), example);
    }

    #[test]
    fn no_pairs_goes_straight_to_the_end() {
        assert_eq!(
            picture("failure"),
            "chain: failure\n\
             \n           callbacks    errbacks\
             \n  fired                 ✗ \"no poem\"\
             \n                        │\
             \n  end                   ✗ \"no poem\"\
             \n  dropped  Unhandled error in Deferred: [Failure Message: no poem]\n"
        );
    }

    #[test]
    fn empty_sides_and_add_both_are_marked() {
        let text = picture("result -/r r/- f");
        assert!(text.contains("  pair 1   │ (none)"), "{text}");
        assert!(
            text.contains("  pair 2   ● return → \"value 2\"             (none)\n"),
            "{text}"
        );
        assert!(
            text.contains("● both fail → ✗ \"failure 3\"    ○ both"),
            "{text}"
        );
    }
}

//! The series' simulator, as it looked: pairs typed one a line
//! (`r good f bad`), and one picture with three columns, the chain, the
//! chain fired with `d.callback(initial)`, and the chain fired with
//! `d.errback(initial*)`. A value followed by `*` is a failure with that
//! message.
//!
//! Both firings are real runs of part 7's `Deferred` ([`simulate`]); this
//! module only reads the series' input and draws the series' picture from
//! the two [`Trace`]s.

use std::collections::HashMap;
use std::io::{self, BufRead, Write};

use crate::chain::{Action, Chain, Fire, Pair};
use crate::simulator::{Seen, Side, Trace, simulate};

/// The longest value a pair may return or fail with, as in the series.
pub const MAX_VALUE: usize = 6;

/// What the series' simulator fires its chains with.
const INITIAL: &str = "initial";

/// Why a line is not a pair.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BadInput {
    /// A side is missing.
    #[error("missing command")]
    MissingCommand,
    /// A word that is not `return`, `fail` or `passthru` (or a prefix).
    #[error("bad command: {0}")]
    BadCommand(String),
    /// `return` or `fail` without its value.
    #[error("missing argument")]
    MissingArgument,
    /// A value over six characters.
    #[error("result more than {MAX_VALUE} chars long: {0}")]
    TooLong(String),
    /// Words after the errback.
    #[error("extra arguments")]
    Extra,
}

/// Reads one side of a pair from `words`: `return VALUE`, `fail VALUE` or
/// `passthru`, each command abbreviated as far as one letter.
fn side<'a>(words: &mut impl Iterator<Item = &'a str>) -> Result<Action, BadInput> {
    let word = words.next().ok_or(BadInput::MissingCommand)?.to_lowercase();
    let command = ["return", "fail", "passthru"]
        .into_iter()
        .find(|command| command.starts_with(&word))
        .ok_or_else(|| BadInput::BadCommand(word.clone()))?;
    if command == "passthru" {
        return Ok(Action::Pass);
    }
    let value = words.next().ok_or(BadInput::MissingArgument)?;
    if value.chars().count() > MAX_VALUE {
        return Err(BadInput::TooLong(value.to_string()));
    }
    Ok(match command {
        "return" => Action::Return(Some(value.to_string())),
        _ => Action::Fail(Some(value.to_string())),
    })
}

/// Reads a line as one pair, `CALLBACK ERRBACK`; `None` for a blank line.
pub fn parse_pair(line: &str) -> Result<Option<Pair>, BadInput> {
    let mut words = line.split_whitespace().peekable();
    if words.peek().is_none() {
        return Ok(None);
    }
    let callback = side(&mut words)?;
    let errback = side(&mut words)?;
    if words.next().is_some() {
        return Err(BadInput::Extra);
    }
    Ok(Some(Pair::Split { callback, errback }))
}

/// A grid of characters, drawn on anywhere, printed as lines.
#[derive(Default)]
struct Screen(HashMap<(usize, usize), char>);

impl Screen {
    fn char(&mut self, x: usize, y: usize, c: char) {
        self.0.insert((x, y), c);
    }

    fn text(&mut self, x: usize, y: usize, text: &str) {
        for (i, c) in text.chars().enumerate() {
            self.char(x + i, y, c);
        }
    }

    fn horizontal(&mut self, x: usize, y: usize, width: usize) {
        for i in 0..width {
            self.char(x + i, y, '-');
        }
    }

    fn vertical(&mut self, x: usize, y: usize, height: usize, arrow: bool) {
        for i in 0..height {
            self.char(x, y + i, '|');
        }
        if arrow {
            self.char(x - 1, y + height - 1, '\\');
            self.char(x + 1, y + height - 1, '/');
        }
    }

    /// The lines, each without trailing spaces, and a blank line after.
    fn render(&self) -> String {
        let height = self.0.keys().map(|&(_, y)| y + 1).max().unwrap_or(0);
        let width = self.0.keys().map(|&(x, _)| x + 1).max().unwrap_or(0);
        let mut out = String::new();
        for y in 0..height {
            let line: String = (0..width)
                .map(|x| self.0.get(&(x, y)).copied().unwrap_or(' '))
                .collect();
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out.push('\n');
        out
    }
}

/// `text` centred in `width` columns, as Python's `str.center` does it.
fn center(text: &str, width: usize) -> String {
    let len = text.chars().count();
    if len >= width {
        return text.to_string();
    }
    let margin = width - len;
    let left = margin / 2 + (margin & width & 1);
    format!("{}{text}{}", " ".repeat(left), " ".repeat(margin - left))
}

/// A box's width: room for `return 0123456*` and a margin.
const BOX: usize = "0123456*".len() + "return ".len() + 3;
/// A box's height.
const BOX_HEIGHT: usize = 5;
/// The width of the chain: two boxes and the gap between them.
const WIDTH: usize = 2 * BOX + 2;

/// A value as the series shows it: a failure's message with a `*`.
fn shown(seen: &Seen) -> String {
    match seen {
        Seen::Result(value) => value.clone(),
        Seen::Failure(message) => format!("{message}*"),
    }
}

fn caption(action: &Action) -> String {
    match action {
        Action::Return(Some(value)) => format!("return {value}"),
        Action::Fail(Some(value)) => format!("fail {value}"),
        _ => "passthru".to_string(),
    }
}

fn draw_box(screen: &mut Screen, x: usize, y: usize) {
    screen.horizontal(x, y, BOX);
    screen.horizontal(x, y + 4, BOX);
    screen.vertical(x, y + 1, 3, false);
    screen.vertical(x + BOX - 1, y + 1, 3, false);
}

fn box_text(screen: &mut Screen, x: usize, y: usize, text: &str) {
    screen.text(x + 1, y, &center(text, BOX - 2));
}

/// The chain: each pair's two boxes, with their captions.
fn draw_chain(screen: &mut Screen, pairs: &[(Action, Action)], x: usize, mut y: usize) {
    for (callback, errback) in pairs {
        for (left, action) in [(x, callback), (x + BOX + 2, errback)] {
            draw_box(screen, left, y);
            box_text(screen, left, y + 2, &caption(action));
        }
        y += BOX_HEIGHT + 3;
    }
}

/// One firing of the chain, drawn from its trace at `x`, `y`.
fn draw_firing(screen: &mut Screen, trace: &Trace, x: usize, y: usize) {
    let errback_x = x + BOX + 2;
    let middle = |left: usize| left + BOX / 2 - 1;
    let value = |screen: &mut Screen, seen: &Seen, y: usize| match seen {
        Seen::Failure(_) => screen.text(errback_x - 10, y, &center(&shown(seen), BOX + 20)),
        Seen::Result(_) => screen.text(x, y, &center(&shown(seen), BOX)),
    };
    let side_x = |side: Side| match side {
        Side::Callback => x,
        Side::Errback => errback_x,
    };
    // Arrows from the last box (or the start) down to the box at `to`.
    let connect = |screen: &mut Screen, from: usize, to: usize, y: usize| {
        if from == to {
            screen.vertical(middle(to), y - 3, 3, true);
            return;
        }
        screen.vertical(middle(from), y - 3, 2, false);
        screen.vertical(middle(to), y - 2, 2, true);
        let (a, b) = (middle(x), middle(errback_x));
        screen.horizontal(a + 1, y - 2, b - a - 1);
    };
    value(screen, &trace.start, y);
    let mut last_x = side_x(trace.start.side());
    let mut last_y = y + 4;
    for step in &trace.steps {
        let here = side_x(step.side);
        draw_box(screen, here, last_y);
        box_text(screen, here, last_y + 1, &shown(&step.input));
        box_text(screen, here, last_y + 3, &shown(&step.output));
        connect(screen, last_x, here, last_y);
        last_x = here;
        last_y += BOX_HEIGHT + 3;
    }
    value(screen, &trace.end, last_y);
    connect(screen, last_x, side_x(trace.end.side()), last_y);
}

/// The two firings of `pairs`: with the result `initial`, and with a
/// failure of that message.
fn firings(pairs: &[Pair]) -> (Trace, Trace) {
    let fired = |fire| {
        simulate(&Chain {
            fire,
            pairs: pairs.to_vec(),
        })
    };
    (
        fired(Fire::Result(INITIAL.to_string())),
        fired(Fire::Failure(INITIAL.to_string())),
    )
}

/// The pairs as the series holds them: a callback and an errback each.
fn split(pairs: &[Pair]) -> Vec<(Action, Action)> {
    pairs
        .iter()
        .map(|pair| match pair {
            Pair::Split { callback, errback } => (callback.clone(), errback.clone()),
            Pair::Both(action) => (action.clone(), action.clone()),
        })
        .collect()
}

// ANCHOR: picture
/// The series' picture of `pairs`: the chain, then the chain fired with a
/// result and with a failure, side by side (or, `narrow`, one under the
/// other).
pub fn picture(pairs: &[Pair], narrow: bool) -> String {
    let (callback, errback) = firings(pairs);
    let chain = split(pairs);
    let height = BOX_HEIGHT * pairs.len() + 3 * pairs.len().saturating_sub(1) + 8;
    if narrow {
        let mut out = String::new();
        let mut screen = Screen::default();
        screen.text(0, 1, &center("Deferred", WIDTH));
        screen.text(0, 2, &center("--------", WIDTH));
        draw_chain(&mut screen, &chain, 0, 4);
        out.push_str(&screen.render());
        for (title, trace) in [
            ("d.callback(initial)", &callback),
            ("d.errback(initial*)", &errback),
        ] {
            let mut screen = Screen::default();
            screen.text(0, 2, &center(title, WIDTH));
            screen.text(0, 3, &center(&"-".repeat(title.len()), WIDTH));
            draw_firing(&mut screen, trace, 0, 5);
            out.push_str(&screen.render());
        }
        return out;
    }
    let mut screen = Screen::default();
    let columns = [0, WIDTH + 6, 2 * (WIDTH + 6)];
    let titles = ["Deferred", "d.callback(initial)", "d.errback(initial*)"];
    for (x, title) in columns.into_iter().zip(titles) {
        screen.text(x, 0, &center(title, WIDTH));
        screen.text(x, 1, &center(&"-".repeat(title.len()), WIDTH));
    }
    draw_chain(&mut screen, &chain, 0, 7);
    draw_firing(&mut screen, &callback, columns[1], 3);
    draw_firing(&mut screen, &errback, columns[2], 3);
    screen.vertical(WIDTH + 3, 3, height, false);
    screen.vertical(2 * WIDTH + 9, 3, height, false);
    screen.render()
}
// ANCHOR_END: picture

/// How to type the pairs, printed before reading them.
pub const INSTRUCTIONS: &str = "\
Type the chain's callback/errback pairs, one pair a line:

  CALLBACK ERRBACK

where each of the two is

  return VALUE     return VALUE (an errback that returns recovers)
  fail VALUE       fail, with VALUE as the failure's message
  passthru         hand on whatever arrived

VALUE is one word of at most six characters, and each command may be
shortened to its first letter: `r good f bad` is a callback returning
\"good\" and an errback failing with \"bad\". A blank line ends the chain.

The picture shows the chain, then the chain fired with d.callback(initial)
and with d.errback(initial*). A value with a star after it is a failure
with that message: bad* is a failure saying \"bad\". A wide terminal helps.
";

// ANCHOR: session
/// The series' session: the instructions, then pairs from `input` until a
/// blank line (complaining about bad ones on `out`, as the series does),
/// then the picture. Returns without a picture at the end of the input.
pub fn session(mut input: impl BufRead, out: &mut impl Write, narrow: bool) -> io::Result<()> {
    writeln!(out, "{INSTRUCTIONS}")?;
    let mut pairs = Vec::new();
    loop {
        let mut line = String::new();
        if input.read_line(&mut line)? == 0 {
            return Ok(());
        }
        match parse_pair(&line) {
            Ok(Some(pair)) => pairs.push(pair),
            Ok(None) if pairs.is_empty() => writeln!(out, "You must enter at least one pair.")?,
            Ok(None) => break,
            Err(error) => writeln!(out, "ERROR: {error}")?,
        }
    }
    out.write_all(picture(&pairs, narrow).as_bytes())
}
// ANCHOR_END: session

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pairs_are_read_as_the_series_reads_them() {
        let pair = |c, e| {
            Some(Pair::Split {
                callback: c,
                errback: e,
            })
        };
        let value = |v: &str| Some(v.to_string());
        assert_eq!(
            parse_pair("r good f bad"),
            Ok(pair(
                Action::Return(value("good")),
                Action::Fail(value("bad"))
            ))
        );
        assert_eq!(
            parse_pair("FAIL googly passthru"),
            Ok(pair(Action::Fail(value("googly")), Action::Pass))
        );
        assert_eq!(parse_pair("  \n"), Ok(None));
        assert_eq!(parse_pair("r"), Err(BadInput::MissingArgument));
        assert_eq!(parse_pair("p"), Err(BadInput::MissingCommand));
        assert_eq!(parse_pair("x p"), Err(BadInput::BadCommand("x".into())));
        assert_eq!(
            parse_pair("r toolong p"),
            Err(BadInput::TooLong("toolong".into()))
        );
        assert_eq!(parse_pair("p p p"), Err(BadInput::Extra));
    }

    #[test]
    fn center_is_pythons() {
        assert_eq!(center("ab", 5), "  ab ");
        assert_eq!(center("abc", 6), " abc  ");
        assert_eq!(
            center("Deferred", 38),
            format!("{}Deferred{}", " ".repeat(15), " ".repeat(15))
        );
    }
}

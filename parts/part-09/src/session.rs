//! The simulator's two ways of reading chains from standard input.
//!
//! - [`lines`]: one chain per line, in the syntax of [`crate::chain`], each
//!   drawn as it is read. This is what a pipe or a file gives the simulator.
//! - [`ask`]: question by question — how to fire, how many pairs, what each
//!   callback and errback does — for a person at a terminal. The questions
//!   are printed only when `prompts` is true (the program asks
//!   `std::io::IsTerminal`), so the same answers can be piped in to test it.
//!
//! Both write drawings to `out` and complaints about bad input, as
//! `error: …` lines, to `err`. Neither gives up on bad input: `lines` goes
//! on with the next line, `ask` asks again.

use std::io::{self, BufRead, Write};

use crate::chain::{Action, Chain, ChainError, Fire, MAX_PAIRS, Pair};
use crate::drawing::draw;
use crate::simulator::simulate;

/// Reads one line without its line ending; `None` at the end of the input.
fn read_line(input: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim_end_matches(['\n', '\r']).to_string()))
}

/// Runs and draws one chain.
fn show(chain: &Chain, out: &mut impl Write) -> io::Result<()> {
    out.write_all(draw(&simulate(chain)).as_bytes())
}

// ANCHOR: lines
/// Draws the chain on each line of `input`, a blank line between drawings.
/// Empty lines and lines starting with `#` are skipped. Returns how many
/// lines could not be read as chains (each reported on `err` with its line
/// number).
pub fn lines(
    mut input: impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
) -> io::Result<usize> {
    let (mut number, mut drawn, mut bad) = (0, 0, 0);
    while let Some(line) = read_line(&mut input)? {
        number += 1;
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match Chain::parse(line) {
            Ok(chain) => {
                if drawn > 0 {
                    writeln!(out)?;
                }
                show(&chain, out)?;
                drawn += 1;
            }
            Err(error) => {
                writeln!(err, "error: line {number}: {error}")?;
                bad += 1;
            }
        }
    }
    Ok(bad)
}
// ANCHOR_END: lines

/// The questions of [`ask`], and where to write them.
struct Asker<'a, R, W, E> {
    input: R,
    out: &'a mut W,
    err: &'a mut E,
    prompts: bool,
}

impl<R: BufRead, W: Write, E: Write> Asker<'_, R, W, E> {
    /// Asks until the answer reads (an empty answer is `default`); `None`
    /// at the end of the input.
    fn until<T>(
        &mut self,
        question: &str,
        default: &str,
        read: impl Fn(&str) -> Result<T, String>,
    ) -> io::Result<Option<T>> {
        loop {
            if self.prompts {
                write!(self.out, "{question} [{default}]: ")?;
                self.out.flush()?;
            }
            let Some(answer) = read_line(&mut self.input)? else {
                if self.prompts {
                    writeln!(self.out)?;
                }
                return Ok(None);
            };
            let answer = answer.trim();
            match read(if answer.is_empty() { default } else { answer }) {
                Ok(value) => return Ok(Some(value)),
                Err(error) => writeln!(self.err, "error: {error}")?,
            }
        }
    }

    /// Asks for one chain; `None` at the end of the input.
    fn chain(&mut self) -> io::Result<Option<Chain>> {
        enum First {
            Fire(Fire),
            Whole(Chain),
        }
        let first = self.until(
            "Fire with a result or a failure? (result, failure, result:VALUE, failure:MESSAGE, or a whole chain such as `result p/f r/p`)",
            "result",
            |answer| {
                if answer.contains('/') {
                    Chain::parse(answer).map(First::Whole)
                } else {
                    Fire::parse(answer).map(First::Fire)
                }
                .map_err(|e| e.to_string())
            },
        )?;
        let fire = match first {
            None => return Ok(None),
            Some(First::Whole(chain)) => return Ok(Some(chain)),
            Some(First::Fire(fire)) => fire,
        };
        let Some(count) = self.until(
            &format!("How many callback/errback pairs? (0 to {MAX_PAIRS})"),
            "3",
            |answer| match answer.parse::<usize>() {
                Ok(count) if count <= MAX_PAIRS => Ok(count),
                _ => Err(format!("{answer:?}: a number from 0 to {MAX_PAIRS}")),
            },
        )?
        else {
            return Ok(None);
        };
        let mut pairs = Vec::with_capacity(count);
        for number in 1..=count {
            let Some(callback) = self.until(
                &if number == 1 {
                    "Pair 1: the callback? (p pass it on, f fail, r return a new value, f:MESSAGE, r:VALUE, - none)".to_string()
                } else {
                    format!("Pair {number}: the callback?")
                },
                "p",
                read_action,
            )?
            else {
                return Ok(None);
            };
            let Some(errback) =
                self.until(&format!("Pair {number}: the errback?"), "p", |answer| {
                    let errback = read_action(answer)?;
                    if callback == Action::Nothing && errback == Action::Nothing {
                        Err(ChainError::EmptyPair(format!("-/{answer}")).to_string())
                    } else {
                        Ok(errback)
                    }
                })?
            else {
                return Ok(None);
            };
            pairs.push(Pair::Split { callback, errback });
        }
        Ok(Some(Chain { fire, pairs }))
    }
}

/// One side of a pair, as the answer to a question.
fn read_action(answer: &str) -> Result<Action, String> {
    if answer.contains('/') {
        return Err(format!("{answer:?}: one side at a time (p, f, r or -)"));
    }
    Action::read(answer).map_err(|e| e.to_string())
}

// ANCHOR: ask
/// Asks for a chain question by question, draws it, and asks whether to do
/// another, until the answer is no or the input ends. Questions are written
/// to `out` only if `prompts` is true; a bad answer gets an `error: …` line
/// on `err` and the question again.
pub fn ask(
    input: impl BufRead,
    out: &mut impl Write,
    err: &mut impl Write,
    prompts: bool,
) -> io::Result<()> {
    let mut asker = Asker {
        input,
        out,
        err,
        prompts,
    };
    loop {
        let Some(chain) = asker.chain()? else {
            return Ok(());
        };
        writeln!(asker.out)?;
        show(&chain, asker.out)?;
        writeln!(asker.out)?;
        let again = asker.until("Another chain? (y/n)", "n", |answer| {
            match answer.to_ascii_lowercase().as_str() {
                "y" | "yes" => Ok(true),
                "n" | "no" => Ok(false),
                _ => Err(format!("{answer:?}: y or n")),
            }
        })?;
        if again != Some(true) {
            return Ok(());
        }
    }
}
// ANCHOR_END: ask

#[cfg(test)]
mod tests {
    use super::*;

    fn lines_of(input: &str) -> (String, String, usize) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let bad = lines(input.as_bytes(), &mut out, &mut err).unwrap();
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
            bad,
        )
    }

    fn asked(input: &str, prompts: bool) -> (String, String) {
        let (mut out, mut err) = (Vec::new(), Vec::new());
        ask(input.as_bytes(), &mut out, &mut err, prompts).unwrap();
        (
            String::from_utf8(out).unwrap(),
            String::from_utf8(err).unwrap(),
        )
    }

    fn drawing(line: &str) -> String {
        draw(&simulate(&Chain::parse(line).unwrap()))
    }

    #[test]
    fn lines_draws_each_chain_and_reports_bad_lines_by_number() {
        let (out, err, bad) = lines_of("result p/f\n\n# a comment\nfailure x/p\nfailure r/p\r\n");
        assert_eq!(
            out,
            format!("{}\n{}", drawing("result p/f"), drawing("failure r/p"))
        );
        assert_eq!(
            err,
            "error: line 4: \"x/p\": unknown action \"x\" (use p, f, f:MESSAGE, r, r:VALUE or -)\n"
        );
        assert_eq!(bad, 1);
    }

    #[test]
    fn ask_builds_the_chain_from_the_answers() {
        let (out, err) = asked("failure\n2\np\nr\nf:again\n\nn\n", false);
        assert_eq!(out, format!("\n{}\n", drawing("failure p/r f:again/p")));
        assert_eq!(err, "");
    }

    #[test]
    fn ask_takes_defaults_a_whole_chain_and_asks_again_after_a_bad_answer() {
        let (out, err) = asked("\n1\nq\n-\n-\nf\ny\nresult r/-\nmaybe\nno\n", false);
        assert_eq!(
            out,
            format!("\n{}\n\n{}\n", drawing("result -/f"), drawing("result r/-"))
        );
        assert_eq!(
            err,
            "error: \"q\": unknown action \"q\" (use p, f, f:MESSAGE, r, r:VALUE or -)\n\
             error: \"-/-\": a pair needs a callback or an errback (both sides are -)\n\
             error: \"maybe\": y or n\n"
        );
    }

    #[test]
    fn ask_prints_its_questions_only_when_told_and_ends_quietly_at_the_end_of_input() {
        let (out, _) = asked("result\n0\n", true);
        assert!(out.starts_with("Fire with a result or a failure?"), "{out}");
        assert!(out.contains("How many callback/errback pairs? (0 to 20) [3]: "));
        assert!(out.contains(&drawing("result")));
        assert!(out.ends_with("Another chain? (y/n) [n]: \n"), "{out:?}");
        let (out, err) = asked("result\n0\n", false);
        assert_eq!(
            (out, err),
            (format!("\n{}\n", drawing("result")), String::new())
        );
    }
}

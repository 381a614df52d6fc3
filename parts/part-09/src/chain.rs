//! A chain described in words: how it is fired, and what each
//! callback/errback pair does. This is what the simulator reads, from its
//! command line, from standard input, or from the answers to its questions.
//!
//! The syntax, one chain per line:
//!
//! ```text
//! FIRE PAIR PAIR …        e.g.   result p/f r/p f/r
//! ```
//!
//! - `FIRE` is `result` or `failure`, optionally with the value or message
//!   to fire with: `result:VALUE`, `failure:MESSAGE`. Left out, the chain
//!   fires with the result `"poem"`.
//! - `PAIR` is `CALLBACK/ERRBACK`, each side one of the [`Action`]s: `p`
//!   (pass on what it got), `f` or `f:MESSAGE` (fail), `r` or `r:VALUE`
//!   (return a new value), `-` (nothing on this side: the pair was added
//!   with `add_callback` or `add_errback`).
//! - A single action without a slash, such as `r`, is one function added
//!   with `add_both`: it runs whichever way the chain arrives.
//!
//! Values and messages are single words without `/`.

use std::fmt;

/// The value a chain fires with when none is given.
pub const DEFAULT_RESULT: &str = "poem";
/// The failure message a chain fires with when none is given.
pub const DEFAULT_FAILURE: &str = "no poem";
/// The longest chain the simulator draws.
pub const MAX_PAIRS: usize = 20;

/// What one function of a pair does with what it is given.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    /// `p`: pass on what it got, unchanged (a callback returns its value, an
    /// errback its failure).
    Pass,
    /// `f`, `f:MESSAGE`: fail, with a new failure (by default its message is
    /// `failure N`, N the pair's number).
    Fail(Option<String>),
    /// `r`, `r:VALUE`: return a new value (by default `value N`): for an
    /// errback, that is recovering from the failure.
    Return(Option<String>),
    /// `-`: no function on this side; the chain's own pass-through carries
    /// whatever arrives on to the next pair.
    Nothing,
}

/// One callback/errback pair of the chain.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pair {
    /// Added with `add_callbacks` (or `add_callback` / `add_errback` when one
    /// side is [`Action::Nothing`]).
    Split {
        /// What the callback does with a result.
        callback: Action,
        /// What the errback does with a failure.
        errback: Action,
    },
    /// One function added with `add_both`: it gets the result or the failure.
    Both(Action),
}

/// How the chain is fired: by `trigger.callback(…)` or `trigger.errback(…)`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fire {
    /// With a result, this value.
    Result(String),
    /// With a failure, of this message.
    Failure(String),
}

/// A whole chain: how it fires, and its pairs in the order they were added.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Chain {
    /// How it is fired.
    pub fire: Fire,
    /// The pairs, first added first.
    pub pairs: Vec<Pair>,
}

/// Why a description of a chain could not be read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ChainError {
    /// A side of a pair is not one of the actions.
    #[error("{word:?}: unknown action {action:?} (use p, f, f:MESSAGE, r, r:VALUE or -)")]
    UnknownAction {
        /// The pair as written.
        word: String,
        /// The action that was not understood.
        action: String,
    },
    /// `r:` or `f:` with nothing after the colon.
    #[error("{word:?}: nothing after the colon in {action:?}")]
    EmptyValue {
        /// The pair (or fire word) as written.
        word: String,
        /// The action, e.g. `r:`.
        action: String,
    },
    /// `-/-`, or `-` alone: a pair with no function at all.
    #[error("{0:?}: a pair needs a callback or an errback (both sides are -)")]
    EmptyPair(String),
    /// More than one slash.
    #[error("{0:?}: a pair is CALLBACK/ERRBACK, with one slash")]
    TooManySlashes(String),
    /// The fire word is neither `result…` nor `failure…`.
    #[error("{0:?}: fire with result, result:VALUE, failure or failure:MESSAGE")]
    BadFire(String),
    /// A fire word after the first word of a line.
    #[error("{0:?}: the fire word comes first, once")]
    FireNotFirst(String),
    /// Too many pairs to draw.
    #[error("{0} pairs: the simulator draws at most {MAX_PAIRS}")]
    TooLong(usize),
}

impl Action {
    /// Reads one side of a pair (`word` is the whole pair, for messages).
    fn parse(text: &str, word: &str) -> Result<Action, ChainError> {
        let (name, value) = match text.split_once(':') {
            Some((name, value)) => (name, Some(value)),
            None => (text, None),
        };
        if value == Some("") {
            return Err(ChainError::EmptyValue {
                word: word.to_string(),
                action: text.to_string(),
            });
        }
        let value = value.map(str::to_string);
        match (name, value) {
            ("p" | "pass", None) => Ok(Action::Pass),
            ("f" | "fail", value) => Ok(Action::Fail(value)),
            ("r" | "return", value) => Ok(Action::Return(value)),
            ("-", None) => Ok(Action::Nothing),
            _ => Err(ChainError::UnknownAction {
                word: word.to_string(),
                action: text.to_string(),
            }),
        }
    }

    /// Reads one side of a pair on its own: `p`, `f:MESSAGE`, `-`…
    pub fn read(text: &str) -> Result<Action, ChainError> {
        Action::parse(text, text)
    }

    /// The action's name, as the drawing shows it.
    pub fn name(&self) -> &'static str {
        match self {
            Action::Pass => "pass",
            Action::Fail(_) => "fail",
            Action::Return(_) => "return",
            Action::Nothing => "none",
        }
    }
}

impl Pair {
    /// Reads a pair: `CALLBACK/ERRBACK`, or one action for `add_both`.
    pub fn parse(word: &str) -> Result<Pair, ChainError> {
        let pair = match word.split_once('/') {
            Some((_, errback)) if errback.contains('/') => {
                return Err(ChainError::TooManySlashes(word.to_string()));
            }
            Some((callback, errback)) => Pair::Split {
                callback: Action::parse(callback, word)?,
                errback: Action::parse(errback, word)?,
            },
            None => Pair::Both(Action::parse(word, word)?),
        };
        match pair {
            Pair::Split {
                callback: Action::Nothing,
                errback: Action::Nothing,
            }
            | Pair::Both(Action::Nothing) => Err(ChainError::EmptyPair(word.to_string())),
            pair => Ok(pair),
        }
    }
}

impl Fire {
    /// Reads `result`, `result:VALUE`, `failure` or `failure:MESSAGE`.
    pub fn parse(word: &str) -> Result<Fire, ChainError> {
        let (name, value) = match word.split_once(':') {
            Some((name, value)) => (name, Some(value)),
            None => (word, None),
        };
        if value == Some("") {
            return Err(ChainError::EmptyValue {
                word: word.to_string(),
                action: word.to_string(),
            });
        }
        match name {
            "result" => Ok(Fire::Result(value.unwrap_or(DEFAULT_RESULT).to_string())),
            "failure" => Ok(Fire::Failure(value.unwrap_or(DEFAULT_FAILURE).to_string())),
            _ => Err(ChainError::BadFire(word.to_string())),
        }
    }

    /// Whether `word` is meant as a fire word rather than a pair.
    fn looks_like_fire(word: &str) -> bool {
        let name = word.split_once(':').map_or(word, |(name, _)| name);
        !word.contains('/') && (name == "result" || name == "failure")
    }
}

impl Default for Fire {
    fn default() -> Fire {
        Fire::Result(DEFAULT_RESULT.to_string())
    }
}

impl Chain {
    /// A chain from its fire word, given apart (`--fire`) or as the first
    /// of `words`, or neither (a result, `"poem"`), and its pair words.
    pub fn from_words<'a>(
        fire: Option<&'a str>,
        words: impl IntoIterator<Item = &'a str>,
    ) -> Result<Chain, ChainError> {
        let mut words = words.into_iter().peekable();
        let fire = match fire {
            Some(fire) => Some(fire),
            None => words.next_if(|word| Fire::looks_like_fire(word)),
        };
        let fire = fire.map(Fire::parse).transpose()?.unwrap_or_default();
        let pairs = words
            .map(|word| {
                if Fire::looks_like_fire(word) {
                    Err(ChainError::FireNotFirst(word.to_string()))
                } else {
                    Pair::parse(word)
                }
            })
            .collect::<Result<Vec<Pair>, ChainError>>()?;
        if pairs.len() > MAX_PAIRS {
            return Err(ChainError::TooLong(pairs.len()));
        }
        Ok(Chain { fire, pairs })
    }

    /// Reads a chain from one line: `[FIRE] PAIR…`, words separated by
    /// spaces. The fire word may be left out (a result, `"poem"`).
    pub fn parse(line: &str) -> Result<Chain, ChainError> {
        Chain::from_words(None, line.split_whitespace())
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Action::Pass => write!(f, "p"),
            Action::Fail(None) => write!(f, "f"),
            Action::Fail(Some(message)) => write!(f, "f:{message}"),
            Action::Return(None) => write!(f, "r"),
            Action::Return(Some(value)) => write!(f, "r:{value}"),
            Action::Nothing => write!(f, "-"),
        }
    }
}

impl fmt::Display for Pair {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Pair::Split { callback, errback } => write!(f, "{callback}/{errback}"),
            Pair::Both(action) => write!(f, "{action}"),
        }
    }
}

impl fmt::Display for Fire {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fire::Result(value) if value == DEFAULT_RESULT => write!(f, "result"),
            Fire::Result(value) => write!(f, "result:{value}"),
            Fire::Failure(message) if message == DEFAULT_FAILURE => write!(f, "failure"),
            Fire::Failure(message) => write!(f, "failure:{message}"),
        }
    }
}

/// The chain in the syntax it is read in: `result p/f r/p`.
impl fmt::Display for Chain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.fire)?;
        for pair in &self.pairs {
            write!(f, " {pair}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_line_reads_into_a_chain_and_back() {
        let chain = Chain::parse("failure:refused p/f r:x/- f:oops/r r").unwrap();
        assert_eq!(chain.fire, Fire::Failure("refused".into()));
        assert_eq!(
            chain.pairs,
            [
                Pair::Split {
                    callback: Action::Pass,
                    errback: Action::Fail(None)
                },
                Pair::Split {
                    callback: Action::Return(Some("x".into())),
                    errback: Action::Nothing
                },
                Pair::Split {
                    callback: Action::Fail(Some("oops".into())),
                    errback: Action::Return(None)
                },
                Pair::Both(Action::Return(None)),
            ]
        );
        assert_eq!(chain.to_string(), "failure:refused p/f r:x/- f:oops/r r");
    }

    #[test]
    fn the_fire_word_may_be_left_out_and_long_names_work() {
        let chain = Chain::parse("  pass/fail   return/p ").unwrap();
        assert_eq!(chain.fire, Fire::Result("poem".into()));
        assert_eq!(chain.to_string(), "result p/f r/p");
        assert_eq!(Chain::parse("failure").unwrap().to_string(), "failure");
    }

    #[test]
    fn malformed_chains_say_what_is_wrong() {
        let cases = [
            ("result x/p", "unknown action \"x\""),
            ("result p/q:1", "unknown action \"q:1\""),
            ("p:1/p", "unknown action \"p:1\""),
            ("result r:/p", "nothing after the colon"),
            ("result:", "nothing after the colon"),
            ("-/-", "needs a callback or an errback"),
            ("-", "needs a callback or an errback"),
            ("p/p/p", "one slash"),
            ("p/p result", "comes first"),
            ("result failure", "comes first"),
        ];
        for (line, expected) in cases {
            let error = Chain::parse(line).unwrap_err().to_string();
            assert!(error.contains(expected), "{line:?} gave {error:?}");
        }
        assert_eq!(
            Fire::parse("success").unwrap_err(),
            ChainError::BadFire("success".into())
        );
        let long = vec!["p/p"; MAX_PAIRS + 1].join(" ");
        assert_eq!(
            Chain::parse(&long).unwrap_err(),
            ChainError::TooLong(MAX_PAIRS + 1)
        );
        assert!(Chain::parse(&vec!["p/p"; MAX_PAIRS].join(" ")).is_ok());
    }
}

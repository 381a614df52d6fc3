//! `cargo xtask book`: print each chapter's prose words, check the book's
//! includes and figures, then build it with mdBook (as a library, so
//! nothing needs installing) into `target/book`.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use anyhow::{Context, Result, bail};
use mdbook_driver::MDBook;
use mdbook_driver::config::Config;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Level, Metadata, Subscriber};

use crate::{includes, words};

/// The book's folder, relative to the workspace root.
pub const BOOK_DIR: &str = "book";

/// Where the book is written, relative to the workspace root.
pub const BUILD_DIR: &str = "target/book";

/// Checks and builds the book of the workspace at `root`; returns the folder
/// the HTML was written to.
pub fn build(root: &Path) -> Result<PathBuf> {
    let book_dir = root.join(BOOK_DIR);
    let out = root.join(BUILD_DIR);
    build_at(&book_dir, &out)
}

/// Checks and builds the book whose `book.toml` is in `book_dir` into `out`.
pub fn build_at(book_dir: &Path, out: &Path) -> Result<PathBuf> {
    let config_file = book_dir.join("book.toml");
    let mut config = Config::from_disk(&config_file)
        .with_context(|| format!("cannot read {}", config_file.display()))?;
    config.update_from_env()?;
    config.build.build_dir = out.to_path_buf();

    let src = book_dir.join(&config.book.src);
    // Length is shown, never enforced: chapters may be long while being edited.
    print!("{}", words::table(&words::count_book(&src)?));
    let problems = includes::check_book(&src)?;
    if !problems.is_empty() {
        // Name files from the folder holding the book (the workspace root),
        // the way a reader would type them.
        let base = book_dir.parent().unwrap_or(book_dir);
        for problem in &problems {
            let file = problem.file.strip_prefix(base).unwrap_or(&problem.file);
            eprintln!("{}:{}: {}", file.display(), problem.line, problem.message);
        }
        bail!(
            "the book has {} broken include(s) or figure(s), listed above",
            problems.len()
        );
    }

    let reporter = Reporter::default();
    let errors = Arc::clone(&reporter.errors);
    tracing::subscriber::with_default(reporter, || -> Result<()> {
        let book = MDBook::load_with_config(book_dir, config)
            .with_context(|| format!("cannot load the book in {}", book_dir.display()))?;
        book.build().context("mdBook could not build the book")
    })?;
    let errors = errors.load(Ordering::SeqCst);
    if errors > 0 {
        bail!("mdBook reported {errors} error(s), shown above");
    }
    Ok(out.to_path_buf())
}

/// Shows mdBook's warnings and errors on stderr and counts the errors, since
/// mdBook logs some problems (a failed include) and carries on.
#[derive(Default)]
struct Reporter {
    errors: Arc<AtomicUsize>,
    next_span: AtomicUsize,
}

impl Subscriber for Reporter {
    fn enabled(&self, metadata: &Metadata<'_>) -> bool {
        *metadata.level() <= Level::WARN
    }

    fn new_span(&self, _span: &Attributes<'_>) -> Id {
        let n = self.next_span.fetch_add(1, Ordering::Relaxed) as u64;
        Id::from_u64(n + 1)
    }

    fn record(&self, _span: &Id, _values: &Record<'_>) {}

    fn record_follows_from(&self, _span: &Id, _follows: &Id) {}

    fn event(&self, event: &Event<'_>) {
        let level = *event.metadata().level();
        if level > Level::WARN {
            return;
        }
        let mut message = Message::default();
        event.record(&mut message);
        if level == Level::ERROR {
            self.errors.fetch_add(1, Ordering::SeqCst);
            eprintln!("mdbook error: {}", message.0);
        } else {
            eprintln!("mdbook warning: {}", message.0);
        }
    }

    fn enter(&self, _span: &Id) {}

    fn exit(&self, _span: &Id) {}
}

/// The text of an event: its message, then any other fields.
#[derive(Default)]
struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn fmt::Debug) {
        if !self.0.is_empty() {
            self.0.push(' ');
        }
        if field.name() == "message" {
            self.0.push_str(&format!("{value:?}"));
        } else {
            self.0.push_str(&format!("{}={value:?}", field.name()));
        }
    }
}

//! Include, anchor and figure checking on small books made in a temporary
//! folder, and building such a book with mdBook.

use std::fs;
use std::path::Path;

use xtask::includes::{Problem, check_book};

/// Makes a book: `book/book.toml`, `book/src/SUMMARY.md`, one chapter with
/// `chapter` as its text, and `code/lib.rs` beside the book with an anchor.
fn make_book(dir: &Path, chapter: &str) {
    let book = dir.join("book");
    fs::create_dir_all(book.join("src/figures")).unwrap();
    fs::create_dir_all(dir.join("code")).unwrap();
    fs::write(
        book.join("book.toml"),
        "[book]\ntitle = \"Test\"\nsrc = \"src\"\n\n[build]\ncreate-missing = false\n",
    )
    .unwrap();
    fs::write(
        book.join("src/SUMMARY.md"),
        "# Summary\n\n- [Chapter](chapter.md)\n",
    )
    .unwrap();
    fs::write(book.join("src/chapter.md"), chapter).unwrap();
    fs::write(
        dir.join("code/lib.rs"),
        "//! Code.\n// ANCHOR: greet\nfn greet() {}\n// ANCHOR_END: greet\nfn other() {}\n",
    )
    .unwrap();
    fs::write(book.join("src/figures/loop.svg"), "<svg/>").unwrap();
}

fn problems(chapter: &str) -> Vec<Problem> {
    let dir = tempfile::tempdir().unwrap();
    make_book(dir.path(), chapter);
    check_book(&dir.path().join("book/src")).unwrap()
}

#[test]
fn good_includes_and_figures_pass() {
    let found = problems(
        "# Chapter\n\n```rust\n{{#include ../../code/lib.rs:greet}}\n```\n\n\
         ```rust\n{{#rustdoc_include ../../code/lib.rs:2:4}}\n```\n\n\
         {{#include ../../code/lib.rs}}\n\n![the loop](figures/loop.svg)\n",
    );
    assert_eq!(found, Vec::<Problem>::new());
}

#[test]
fn a_missing_file_is_reported_with_its_line() {
    let found = problems("# Chapter\n\ntext\n{{#include ../../code/nothing.rs}}\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].line, 4);
    assert!(found[0].file.ends_with("chapter.md"));
    assert!(found[0].message.contains("nothing.rs"), "{}", found[0]);
    assert!(
        found[0].to_string().contains("chapter.md:4:"),
        "{}",
        found[0]
    );
}

#[test]
fn a_missing_anchor_is_reported() {
    let found = problems("# Chapter\n{{#include ../../code/lib.rs:farewell}}\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].line, 2);
    assert!(
        found[0].message.contains("ANCHOR: farewell"),
        "{}",
        found[0]
    );
}

#[test]
fn a_rustdoc_include_is_checked_too() {
    let found = problems("# Chapter\n{{#rustdoc_include ../../code/gone.rs:greet}}\n");
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn a_line_range_past_the_end_is_reported() {
    let found = problems("# Chapter\n{{#include ../../code/lib.rs:40:50}}\n");
    assert_eq!(found.len(), 1, "{found:?}");
}

#[test]
fn a_missing_figure_is_reported() {
    let found = problems("# Chapter\n\n<img src=\"figures/reactor.svg\" alt=\"\">\n");
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].line, 3);
    assert!(found[0].message.contains("figures/reactor.svg"));
}

#[test]
fn an_escaped_include_is_not_checked() {
    assert!(problems("# Chapter\n`\\{{#include missing.rs}}`\n").is_empty());
}

#[test]
fn a_good_book_builds_and_a_broken_one_does_not() {
    let dir = tempfile::tempdir().unwrap();
    make_book(
        dir.path(),
        "# Chapter\n\n```rust\n{{#include ../../code/lib.rs:greet}}\n```\n",
    );
    let out = dir.path().join("out");
    let written = xtask::book::build_at(&dir.path().join("book"), &out).unwrap();
    let html = fs::read_to_string(written.join("chapter.html")).unwrap();
    assert!(html.contains("greet"), "the include was not expanded");
    assert!(
        !html.contains("ANCHOR"),
        "anchor lines leaked into the book"
    );

    fs::write(
        dir.path().join("book/src/chapter.md"),
        "# Chapter\n{{#include ../../code/lib.rs:nope}}\n",
    )
    .unwrap();
    let err = xtask::book::build_at(&dir.path().join("book"), &out).unwrap_err();
    assert!(err.to_string().contains("broken include"), "{err:#}");
}

#[test]
fn an_error_mdbook_reports_fails_the_build() {
    // The file exists, so the include check passes; but it includes itself,
    // and mdBook reports the runaway recursion as an error and carries on.
    let dir = tempfile::tempdir().unwrap();
    make_book(dir.path(), "# Chapter\n{{#include chapter.md}}\n");
    let err = xtask::book::build_at(&dir.path().join("book"), &dir.path().join("out")).unwrap_err();
    assert!(err.to_string().contains("mdBook reported"), "{err:#}");
}

#[test]
fn the_word_count_covers_every_chapter_but_the_summary() {
    let dir = tempfile::tempdir().unwrap();
    make_book(
        dir.path(),
        "# Chapter\n\nFour words of prose.\n\n```rust\n{{#include ../../code/lib.rs:greet}}\n```\n",
    );
    fs::write(
        dir.path().join("book/src/other.md"),
        "one <!-- two --> three\n",
    )
    .unwrap();
    let chapters = xtask::words::count_book(&dir.path().join("book/src")).unwrap();
    assert_eq!(
        chapters,
        [("chapter.md".to_string(), 6), ("other.md".to_string(), 2)]
    );
    // A long chapter is shown, not refused: the book still builds.
    let long = format!("# Chapter\n\n{}\n", "word ".repeat(5000));
    fs::write(dir.path().join("book/src/chapter.md"), long).unwrap();
    xtask::book::build_at(&dir.path().join("book"), &dir.path().join("out")).unwrap();
}

//! Counting a program's lines of code, the way the tour's table does.

// ANCHOR: code_lines
/// The lines of Rust code in `source`: not blank, not a comment (`//`,
/// `///`, `//!`), and not in the unit tests at the end of a file (from a
/// `#[cfg(test)]` line on).
pub fn code_lines(source: &str) -> usize {
    source
        .lines()
        .map(str::trim)
        .take_while(|line| *line != "#[cfg(test)]")
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .count()
}
// ANCHOR_END: code_lines

#[cfg(test)]
mod tests {
    use super::code_lines;

    #[test]
    fn blanks_comments_and_tests_do_not_count() {
        let source = "//! A crate.\n\n/// Adds.\nfn add(a: u8, b: u8) -> u8 {\n    // why\n    a + b\n}\n\n#[cfg(test)]\nmod tests {\n    fn t() {}\n}\n";
        assert_eq!(code_lines(source), 3);
    }

    #[test]
    fn an_empty_file_has_none() {
        assert_eq!(code_lines(""), 0);
        assert_eq!(code_lines("\n\n// only words\n"), 0);
    }
}

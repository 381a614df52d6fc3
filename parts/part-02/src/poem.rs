//! Poems: loading one from a file, the bundled ones, and timing output.

use std::path::{Path, PathBuf};
use std::time::Duration;

/// Why a poem file could not be used.
#[derive(Debug, thiserror::Error)]
pub enum PoemError {
    /// The file could not be read.
    #[error("cannot read poem file {path}: {source}")]
    Unreadable {
        /// The file asked for.
        path: PathBuf,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The file is empty: there would be nothing to serve.
    #[error("poem file {0} is empty")]
    Empty(PathBuf),
}

/// Reads a poem file whole. Poems are served as bytes, exactly as stored.
pub fn load_poem(path: impl AsRef<Path>) -> Result<Vec<u8>, PoemError> {
    let path = path.as_ref();
    let bytes = std::fs::read(path).map_err(|source| PoemError::Unreadable {
        path: path.to_path_buf(),
        source,
    })?;
    if bytes.is_empty() {
        return Err(PoemError::Empty(path.to_path_buf()));
    }
    Ok(bytes)
}

/// The poems in the workspace's `poetry/` folder, compiled into the program so
/// that demos, tests and benchmarks work from any directory. Each entry is the
/// file name and the file's bytes.
pub fn poems() -> [(&'static str, &'static [u8]); 4] {
    [
        ("science.txt", include_bytes!("../../../poetry/science.txt")),
        ("tyger.txt", include_bytes!("../../../poetry/tyger.txt")),
        ("panther.txt", include_bytes!("../../../poetry/panther.txt")),
        ("ecstasy.txt", include_bytes!("../../../poetry/ecstasy.txt")),
    ]
}

/// `count` short poems for demos, taken in turn from the bundled ones (all
/// but the long `ecstasy.txt`), so a demo of several servers ends quickly.
pub fn demo_poems(count: usize) -> Vec<(&'static str, &'static [u8])> {
    poems()
        .into_iter()
        .filter(|(name, _)| *name != "ecstasy.txt")
        .cycle()
        .take(count)
        .collect()
}

/// Formats a duration the way every client of the workspace reports time:
/// seconds with three decimals, e.g. `2.104s`.
pub fn format_duration(d: Duration) -> String {
    format!("{:.3}s", d.as_secs_f64())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_poems_match_the_files() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../poetry");
        for (name, bytes) in poems() {
            assert_eq!(load_poem(dir.join(name)).unwrap(), bytes, "{name}");
        }
    }

    #[test]
    fn a_missing_file_names_the_path() {
        let err = load_poem("no/such/poem.txt").unwrap_err().to_string();
        assert!(
            err.starts_with("cannot read poem file no/such/poem.txt: "),
            "{err}"
        );
    }

    #[test]
    fn durations_have_three_decimals() {
        assert_eq!(format_duration(Duration::from_millis(2104)), "2.104s");
        assert_eq!(format_duration(Duration::ZERO), "0.000s");
    }
}

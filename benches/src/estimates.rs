//! Reading back the means criterion estimated in this run.
//!
//! For every benchmark it measures, criterion writes
//! `<home>/<group>/<function>/<parameter>/new/estimates.json`, where
//! `<home>` is `$CRITERION_HOME` or else `criterion/` in the target
//! directory. A benchmark's ratio table reads its means from there.
//!
//! Only files written in this run count: an [`Estimates`] remembers when the
//! run started and ignores anything older, so a benchmark left out by a
//! filter shows as missing instead of with an old number.

use std::env;
use std::fmt::Display;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::SystemTime;

/// Where criterion keeps its results, found the way criterion finds it:
/// `$CRITERION_HOME`, else `criterion/` in the target directory.
pub fn criterion_home() -> PathBuf {
    match env::var_os("CRITERION_HOME") {
        Some(home) => PathBuf::from(home),
        None => target_dir().join("criterion"),
    }
}

/// The target directory: `$CARGO_TARGET_DIR`, else what `cargo metadata`
/// says, else the workspace's `target/`.
pub fn target_dir() -> PathBuf {
    if let Some(dir) = env::var_os("CARGO_TARGET_DIR") {
        return PathBuf::from(dir);
    }
    let from_metadata = env::var_os("CARGO").and_then(|cargo| {
        let output = Command::new(cargo)
            .args(["metadata", "--format-version", "1", "--no-deps"])
            .output()
            .ok()?;
        let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).ok()?;
        metadata["target_directory"].as_str().map(PathBuf::from)
    });
    from_metadata.unwrap_or_else(|| {
        // This crate sits one folder below the workspace root.
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        manifest_dir.parent().unwrap_or(manifest_dir).join("target")
    })
}

/// Whether the benchmark was asked only to list its benchmarks
/// (`--list`): tools read that output, so nothing may be added to it.
pub fn listing() -> bool {
    env::args().any(|arg| arg == "--list")
}

/// The estimates criterion wrote in one run.
#[derive(Clone, Debug)]
pub struct Estimates {
    home: PathBuf,
    since: SystemTime,
}

impl Estimates {
    /// The estimates under `home` written at or after `since`.
    pub fn new(home: PathBuf, since: SystemTime) -> Estimates {
        Estimates { home, since }
    }

    /// The estimates under [`criterion_home`] written at or after `since`
    /// (take `SystemTime::now()` before the first measurement).
    pub fn since(since: SystemTime) -> Estimates {
        Estimates::new(criterion_home(), since)
    }

    /// The folder criterion writes to.
    pub fn home(&self) -> &Path {
        &self.home
    }

    /// The mean time (ns) of benchmark `group/function/parameter`, as
    /// named with `BenchmarkId::new(function, parameter)` in `group`, if it
    /// was estimated in this run.
    pub fn mean_ns(&self, group: &str, function: &str, parameter: impl Display) -> Option<f64> {
        let path = self
            .home
            .join(group)
            .join(function)
            .join(parameter.to_string())
            .join("new")
            .join("estimates.json");
        if fs::metadata(&path).ok()?.modified().ok()? < self.since {
            return None; // left over from an earlier run
        }
        let estimates: serde_json::Value = serde_json::from_slice(&fs::read(&path).ok()?).ok()?;
        estimates["mean"]["point_estimate"].as_f64()
    }
}

/// A time in nanoseconds, as milliseconds (`-` if not measured).
pub fn millis(ns: Option<f64>) -> String {
    ns.map_or_else(|| "-".to_string(), |ns| format!("{:.2} ms", ns / 1e6))
}

/// A time in nanoseconds, as microseconds (`-` if not measured).
pub fn micros(ns: Option<f64>) -> String {
    ns.map_or_else(|| "-".to_string(), |ns| format!("{:.2} µs", ns / 1e3))
}

/// A time in nanoseconds, as nanoseconds (`-` if not measured).
pub fn nanos(ns: Option<f64>) -> String {
    ns.map_or_else(|| "-".to_string(), |ns| format!("{ns:.1} ns"))
}

/// `a / b` with three decimals, if both were measured (`-` otherwise).
pub fn ratio(a: Option<f64>, b: Option<f64>) -> String {
    match (a, b) {
        (Some(a), Some(b)) => format!("{:.3}", a / b),
        _ => "-".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn reads_only_estimates_written_since_the_run_began() {
        let home = env::temp_dir().join(format!("benches-estimates-{}", std::process::id()));
        let dir = home.join("group").join("way").join("4").join("new");
        fs::create_dir_all(&dir).unwrap();
        fs::write(
            dir.join("estimates.json"),
            r#"{"mean":{"point_estimate":1234.5}}"#,
        )
        .unwrap();
        let before = SystemTime::now() - Duration::from_secs(60);
        let after = SystemTime::now() + Duration::from_secs(60);
        let this_run = Estimates::new(home.clone(), before);
        assert_eq!(this_run.mean_ns("group", "way", 4), Some(1234.5));
        assert_eq!(this_run.mean_ns("group", "way", 5), None, "never written");
        let later_run = Estimates::new(home.clone(), after);
        assert_eq!(later_run.mean_ns("group", "way", 4), None, "left over");
        fs::remove_dir_all(&home).unwrap();
    }

    #[test]
    fn formats_missing_values_as_a_dash() {
        assert_eq!(millis(Some(2_500_000.0)), "2.50 ms");
        assert_eq!(micros(Some(2_500.0)), "2.50 µs");
        assert_eq!(nanos(Some(12.34)), "12.3 ns");
        assert_eq!(ratio(Some(1.0), Some(4.0)), "0.250");
        for missing in [
            millis(None),
            micros(None),
            nanos(None),
            ratio(None, Some(1.0)),
        ] {
            assert_eq!(missing, "-");
        }
    }
}

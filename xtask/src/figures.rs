//! The book's generated figures: each is drawn by a function of the part
//! that teaches it, from computed (not measured) data, so it is the same on
//! every machine. `cargo xtask figures` writes them into `book/src/figures/`;
//! `cargo xtask figures --check` (and the test `figures`) fails if a
//! committed file differs from a fresh drawing.

use std::path::Path;

use anyhow::{Context, Result, bail};

/// Where figures live, relative to the workspace root.
pub const FIGURES_DIR: &str = "book/src/figures";

/// Every generated figure: its file name and a fresh drawing.
pub fn all() -> Vec<(&'static str, String)> {
    vec![
        ("three-models.svg", part_01::three_models_figure()),
        (
            "blocking-vs-async.svg",
            part_02::downloads::blocking_vs_async_figure(),
        ),
        (
            "further-dispatch-width.svg",
            part_19::dispatch_scene::width_figure(),
        ),
    ]
}

/// Writes every figure (with `check` false) or compares each with the
/// committed file (with `check` true), naming every stale one.
pub fn process(root: &Path, check: bool) -> Result<()> {
    let dir = root.join(FIGURES_DIR);
    let mut stale = Vec::new();
    for (name, fresh) in all() {
        let path = dir.join(name);
        if check {
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            if committed != fresh {
                stale.push(name);
            }
        } else {
            std::fs::write(&path, fresh)
                .with_context(|| format!("cannot write {}", path.display()))?;
            println!("wrote {FIGURES_DIR}/{name}");
        }
    }
    if !stale.is_empty() {
        bail!(
            "figures out of date or missing: {} (run `cargo xtask figures` and commit the result)",
            stale.join(", ")
        );
    }
    Ok(())
}

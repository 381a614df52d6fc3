//! The book's figure `three-models.svg` is generated from the ideal
//! schedules of the demo's tasks. This test regenerates it and compares it
//! with the committed file; run with `BLESS=1` to write the file instead.

use std::path::PathBuf;

fn figure_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../book/src/figures/three-models.svg")
}

#[test]
fn three_models_figure_is_up_to_date() {
    let fresh = part_01::three_models_figure();
    let path = figure_path();
    if std::env::var_os("BLESS").is_some_and(|v| v == "1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "cannot read {}: {e}; run with BLESS=1 to create it",
            path.display()
        )
    });
    assert!(
        committed == fresh,
        "{} is out of date; run `BLESS=1 cargo test -p part-01 --test figures`",
        path.display()
    );
}

#[test]
fn figure_shows_all_three_models() {
    let svg = part_01::three_models_figure();
    assert!(svg.starts_with("<svg"));
    for label in [
        "Synchronous",
        "Threaded",
        "Asynchronous",
        "task 1",
        "task 2",
        "task 3",
    ] {
        assert!(svg.contains(label), "figure lacks {label}");
    }
    // The ideal totals, at the default tick: 33, 12 and 15 ticks.
    for total in ["total 3.30s", "total 1.20s", "total 1.50s"] {
        assert!(svg.contains(total), "figure lacks {total}");
    }
}

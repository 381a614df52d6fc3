//! The book's figure `three-models.svg` (written by `cargo xtask figures`)
//! shows the three models' ideal timelines of the demo's tasks.

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

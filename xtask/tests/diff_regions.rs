//! `cargo xtask diff PATH:ANCHOR PATH:ANCHOR` on the workspace's own code:
//! `get_poetry` from part 6 (a callback) to part 8 (a deferred).

use std::fs;

use xtask::diff::{Region, regions};
use xtask::includes::anchored;
use xtask::workspace_root;

#[test]
fn two_anchored_regions_of_the_parts_are_diffed() {
    let root = workspace_root();
    let old = Region::find(&root, "part-06/src/callback.rs:get_poetry").unwrap();
    let new = Region::find(&root, "parts/part-08/src/poetry.rs:get_poetry").unwrap();
    let out = regions(&root, &old, &new, false).unwrap();
    let mut lines = out.lines();
    assert_eq!(
        lines.next(),
        Some("--- parts/part-06/src/callback.rs:get_poetry")
    );
    assert_eq!(
        lines.next(),
        Some("+++ parts/part-08/src/poetry.rs:get_poetry")
    );
    // Every line of the diff is a line of one region or the other.
    let old_text = anchored(
        &fs::read_to_string(root.join("parts/part-06/src/callback.rs")).unwrap(),
        "get_poetry",
    )
    .unwrap();
    let new_text = anchored(
        &fs::read_to_string(root.join("parts/part-08/src/poetry.rs")).unwrap(),
        "get_poetry",
    )
    .unwrap();
    for line in lines.filter(|line| !line.starts_with("@@")) {
        let (sign, text) = line.split_at(1);
        let found = match sign {
            "-" => old_text.lines().any(|l| l == text),
            "+" => new_text.lines().any(|l| l == text),
            _ => old_text.lines().any(|l| l == text) && new_text.lines().any(|l| l == text),
        };
        assert!(found, "{line:?} is in neither region");
        assert!(!text.contains("ANCHOR"), "{line:?}");
    }
    // part 8's get_poetry returns a deferred; part 6's took a callback.
    assert!(out.contains("\n+") && out.contains("Deferred"), "{out}");
    // A region diffed with itself is empty.
    assert_eq!(regions(&root, &old, &old, false).unwrap(), "");
}

#[test]
fn a_missing_file_or_anchor_is_a_clear_error() {
    let root = workspace_root();
    let error = Region::find(&root, "part-99/src/lib.rs:x").unwrap_err();
    assert!(
        error.to_string().contains("no file `part-99/src/lib.rs`"),
        "{error}"
    );
    let region = Region::find(&root, "part-08/src/poetry.rs:no_such_anchor").unwrap();
    let error = region.text().unwrap_err().to_string();
    assert!(error.contains("has no `ANCHOR: no_such_anchor`"), "{error}");
}

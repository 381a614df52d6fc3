//! Every generated figure in `book/src/figures/` matches a fresh drawing from
//! the code that owns it.

use xtask::{figures, workspace_root};

#[test]
fn committed_figures_are_up_to_date() {
    figures::process(&workspace_root(), true).unwrap();
}

#[test]
fn a_changed_figure_is_reported() {
    let dir = tempfile::tempdir().unwrap();
    let figures_dir = dir.path().join(figures::FIGURES_DIR);
    std::fs::create_dir_all(&figures_dir).unwrap();
    figures::process(dir.path(), false).unwrap();
    figures::process(dir.path(), true).unwrap();

    let (name, fresh) = figures::all().remove(0);
    std::fs::write(figures_dir.join(name), fresh.replace("task 1", "task one")).unwrap();
    let error = figures::process(dir.path(), true).unwrap_err().to_string();
    assert!(error.contains(name), "{error}");
}

//! Program-name uniqueness on synthetic lists, and on the real workspace.

use std::path::PathBuf;

use xtask::programs::{Kind, Program, Programs, duplicates};

fn program(package: &str, name: &str, kind: Kind) -> Program {
    Program {
        package: package.into(),
        name: name.into(),
        kind,
        src_path: PathBuf::from(format!("/w/{package}/{name}.rs")),
    }
}

#[test]
fn unique_names_pass() {
    let list = [
        program("part-02", "part-02", Kind::Bin),
        program("part-02", "slowpoetry", Kind::Bin),
        program("part-03", "hello", Kind::Example),
    ];
    assert!(duplicates(&list).is_empty());
}

#[test]
fn a_name_in_two_packages_is_a_duplicate() {
    let list = [
        program("part-04", "client-1", Kind::Bin),
        program("part-05", "client-2", Kind::Bin),
        program("part-05", "client-1", Kind::Bin),
        program("part-03", "hello", Kind::Example),
    ];
    let dups = duplicates(&list);
    assert_eq!(dups.len(), 1);
    assert_eq!(dups[0].name, "client-1");
    assert_eq!(
        dups[0].owners,
        [
            ("part-04".to_string(), Kind::Bin),
            ("part-05".to_string(), Kind::Bin)
        ]
    );
    let text = dups[0].to_string();
    assert!(
        text.contains("part-04") && text.contains("part-05"),
        "{text}"
    );
}

#[test]
fn a_bin_named_like_another_packages_demo_is_a_duplicate() {
    let list = [
        program("part-01", "part-01", Kind::Bin),
        program("part-02", "part-01", Kind::Bin),
    ];
    assert_eq!(duplicates(&list).len(), 1);
}

#[test]
fn a_bin_and_an_example_of_one_name_are_duplicates() {
    let list = [
        program("part-07", "defer-1", Kind::Example),
        program("part-08", "defer-1", Kind::Bin),
    ];
    assert_eq!(duplicates(&list)[0].name, "defer-1");
}

#[test]
fn the_workspace_has_unique_names() {
    let programs = Programs::load(&xtask::workspace_root()).unwrap();
    assert!(
        programs
            .programs
            .iter()
            .any(|p| p.name == "xtask" && p.is_default()),
        "cargo metadata did not list xtask's own binary"
    );
    let dups = duplicates(&programs.programs);
    assert!(dups.is_empty(), "duplicate program names: {dups:?}");
}

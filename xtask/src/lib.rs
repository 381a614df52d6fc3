//! The workspace's own tasks, run as `cargo xtask …` (see `main.rs` for the
//! command line). The logic lives in this library so that the tests can use
//! it:
//!
//! - [`book`] checks and builds the book;
//! - [`includes`] checks a chapter's `{{#include …}}` links and figures;
//! - [`programs`] lists the workspace's bins and examples and checks that
//!   their names are unique;
//! - [`diff`] shows how one program's source differs from another's;
//! - [`figures`] draws the book's generated figures;
//! - [`transcript`] reads console transcripts and compares them with fresh
//!   output;
//! - [`output`] runs the programs behind the transcripts;
//! - [`words`] counts each chapter's prose words;
//! - [`ci`] runs every check in order.

pub mod book;
pub mod ci;
pub mod diff;
pub mod figures;
pub mod includes;
pub mod output;
pub mod programs;
pub mod transcript;
pub mod words;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// The workspace root: the parent of the `xtask` package's folder.
pub fn workspace_root() -> PathBuf {
    let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
    manifest_dir.parent().unwrap_or(manifest_dir).to_path_buf()
}

/// The cargo to run: the one that started us (the `CARGO` variable cargo
/// sets), or else `cargo` from the `PATH`.
pub fn cargo() -> OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

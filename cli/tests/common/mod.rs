//! Shared by the CLI test files: the repository root and the `bemanna` binary run from it.

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The repository root (fixtures are named relative to it).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// `bemanna`, run in the repository root.
pub fn bemanna() -> Command {
    let mut c = Command::cargo_bin("bemanna").unwrap();
    c.current_dir(root());
    c
}
